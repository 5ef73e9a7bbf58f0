import base64

from markupsafe import Markup

from odoo.addons.mail.tests.common import MailCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import QmsCommon

# 1x1 transparent PNG: a "photo" for the intake
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


class QmsPortalCommon(QmsCommon):
    """Two customer companies, each with a portal contact and a confirmed sales order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.product = cls.env["product.product"].create({"name": "Test Desk", "list_price": 100.0})
        cls.product_2 = cls.env["product.product"].create({"name": "Test Chair", "list_price": 50.0})
        cls.customer = Partner.create({"name": "Portal Customer Ltd", "is_company": True})
        cls.contact = Partner.create({"name": "Pat Portal", "parent_id": cls.customer.id,
                                      "email": "pat@portal-customer.example.com"})
        cls.portal = new_test_user(cls.env, login="t_portal_pat", groups="base.group_portal",
                                   partner_id=cls.contact.id)
        cls.other_customer = Partner.create({"name": "Other Customer Ltd", "is_company": True})
        cls.other_contact = Partner.create({"name": "Olga Other", "parent_id": cls.other_customer.id,
                                            "email": "olga@other.example.com"})
        cls.other_portal = new_test_user(cls.env, login="t_portal_olga", groups="base.group_portal",
                                         partner_id=cls.other_contact.id)
        cls.order = cls._confirmed_order(cls.contact, [(cls.product, 5), (cls.product_2, 2)], user_id=cls.sales.id)
        cls.other_order = cls._confirmed_order(cls.other_contact, [(cls.product, 3)], user_id=cls.sales.id)

    def _portal_complaint(self, user=None, order=None, qty=2, **kwargs):
        order = order or self.order
        line = order.order_line[0]
        return self.env["qms.complaint"].with_user(user or self.portal)._portal_create_complaint(
            order.id, [{"sale_line_id": line.id, "qty": qty, "defect": "Scratched"}],
            kwargs.pop("description", "Two desks arrived scratched."), **kwargs)


@tagged("post_install", "-at_install")
class TestPortalIntake(QmsPortalCommon):

    def test_portal_customer_records_a_complaint(self):
        complaint = self._portal_complaint(customer_request="replacement", attachments=[("desk.png", PNG)])
        slip = complaint.sudo()
        self.assertEqual(slip.state, "draft")
        self.assertEqual(slip.channel, "online")
        self.assertEqual(slip.partner_id, self.customer)
        self.assertEqual(slip.contact_id, self.contact)
        self.assertEqual(slip.sale_order_id, self.order)
        self.assertEqual(slip.portal_user_id, self.portal)
        self.assertEqual(slip.received_by_id, self.sales, "the order's salesperson receives it")
        self.assertEqual(slip.customer_request, "replacement")
        self.assertEqual(slip.line_ids.product_id, self.product)
        self.assertEqual(slip.line_ids.qty_complained, 2)
        self.assertEqual(slip.line_ids.defect_description, "Scratched")
        self.assertIn("arrived scratched", slip.description)
        self.assertIn(self.contact, slip.message_partner_ids, "the customer follows the slip")
        attachment = self.env["ir.attachment"].search([("res_model", "=", "qms.complaint"), ("res_id", "=", slip.id)])
        self.assertEqual(attachment.name, "desk.png")
        self.assertEqual(attachment.mimetype, "image/png")
        message = slip.message_ids.filtered(lambda m: m.attachment_ids)
        self.assertEqual(message.author_id, self.contact, "the photos are in the thread, from the customer")
        # the Sales supervisor is asked to check it
        activity = slip.activity_ids.filtered(lambda a: a.user_id == self.supervisor)
        self.assertEqual(len(activity), 1)
        self.assertIn(slip.name, activity.summary)
        # the portal user reads it back, and the supervisor can submit it as usual
        self.assertEqual(complaint.with_user(self.portal).name, slip.name)
        slip.line_ids.qty_complained = 1
        self.assertEqual(slip.with_user(self.supervisor).state, "draft")

    def test_portal_text_is_kept_as_text(self):
        # the form drops markup (test_portal_controller); what reaches the model is shown, never run
        complaint = self._portal_complaint(description="<script>alert('x')</script><b>Broken</b> & bent")
        description = complaint.sudo().description
        self.assertNotIn("<script", description)
        self.assertIn("&lt;script&gt;", description)
        self.assertIn("&amp; bent", description)

    def _assert_refused(self, error, **kwargs):
        Complaint = self.env["qms.complaint"].sudo()
        before = Complaint.search_count([])
        attachments = self.env["ir.attachment"].sudo().search_count([("res_model", "=", "qms.complaint")])
        with self.assertRaises(error):
            self._portal_complaint(**kwargs)
        self.assertEqual(Complaint.search_count([]), before, "nothing half-written")
        self.assertEqual(self.env["ir.attachment"].sudo().search_count([("res_model", "=", "qms.complaint")]),
                         attachments)

    def test_portal_input_is_validated(self):
        self._assert_refused(ValidationError, order=self.other_order)  # another customer's order
        self._assert_refused(ValidationError, qty=-1)
        self._assert_refused(ValidationError, qty=0)  # no line with a quantity
        self._assert_refused(ValidationError, qty=6)  # more than ordered
        self._assert_refused(ValidationError, description="   ")
        self._assert_refused(ValidationError, customer_request="free_money")
        self._assert_refused(ValidationError, attachments=[("virus.exe", b"MZ\x90\x00binary")])
        self._assert_refused(ValidationError, attachments=[("photo.png", PNG)] * 11)

    def test_line_of_another_order_is_refused(self):
        Complaint = self.env["qms.complaint"].with_user(self.portal)
        with self.assertRaises(ValidationError):
            Complaint._portal_create_complaint(
                self.order.id, [{"sale_line_id": self.other_order.order_line.id, "qty": 1}], "Broken")
        with self.assertRaises(ValidationError):
            Complaint._portal_create_complaint(0, [{"sale_line_id": self.order.order_line[0].id, "qty": 1}], "Broken")

    def test_draft_order_is_refused(self):
        draft = self.env["sale.order"].create({
            "partner_id": self.contact.id,
            "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 1})],
        })
        self._assert_refused(ValidationError, order=draft)

    def test_internal_users_use_the_backend(self):
        with self.assertRaises(UserError):
            self._portal_complaint(user=self.sales)


@tagged("post_install", "-at_install")
class TestPortalAccess(QmsPortalCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls._portal_complaint(cls, user=cls.portal).sudo()
        cls.theirs = cls._portal_complaint(cls, user=cls.other_portal, order=cls.other_order).sudo()

    def test_portal_sees_only_own_company_slips(self):
        Complaint = self.env["qms.complaint"].with_user(self.portal)
        self.assertEqual(Complaint.search([]), self.mine)
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.portal).read(["name"])
        lines = self.env["qms.complaint.line"].with_user(self.portal).search([])
        self.assertEqual(lines, self.mine.line_ids.with_user(self.portal))

    def test_colleague_of_the_same_customer_sees_it(self):
        colleague = self.env["res.partner"].create({"name": "Colleague", "parent_id": self.customer.id,
                                                    "email": "col@portal-customer.example.com"})
        user = new_test_user(self.env, login="t_portal_col", groups="base.group_portal", partner_id=colleague.id)
        self.assertEqual(self.env["qms.complaint"].with_user(user).search([]), self.mine)

    def test_portal_cannot_read_internal_fields_or_write(self):
        mine = self.mine.with_user(self.portal)
        mine.read(["name", "portal_state", "portal_description", "line_ids", "sale_order_id", "customer_request"])
        for field in ("quality_disposition", "supervisor_comment", "responsible_department_id",
                      "company_responsible", "corrective_action_ids", "investigation_cause",
                      "received_by_id", "reply_text", "verification_notes", "portal_share_actions",
                      "state", "description"):
            with self.assertRaises(AccessError, msg=field):
                mine.read([field])
        with self.assertRaises(AccessError):
            mine.write({"description": "<p>changed</p>"})
        with self.assertRaises(AccessError):
            self.env["qms.complaint"].with_user(self.portal).create({"partner_id": self.customer.id})
        with self.assertRaises(AccessError):
            mine.unlink()

    def _walk_to_action(self, complaint):
        complaint.with_user(self.sales).action_submit()
        complaint.with_user(self.supervisor).action_supervisor_review()
        complaint.with_user(self.quality).write({
            "quality_disposition": "Glue batch too old.", "responsibility_finding": "product_quality",
            "responsible_department_id": self.dep_production.id})
        complaint.with_user(self.quality).action_confirm_responsible()
        return self.env["qms.corrective.action"].with_user(self.quality).create({
            "complaint_id": complaint.id, "description": "Check glue batch dates at goods receipt.",
            "root_cause": "Old glue (internal)", "responsible_department_id": self.dep_production.id,
            "cause_category": "material", "why_1": "Why did the glue fail?", "because_1": "The batch was too old.",
            "implementing_department_id": self.dep_production.id,
            "verifying_department_id": self.dep_quality.id, "date_deadline": "2030-01-01",
        })

    def test_corrective_actions_shared_only_when_chosen(self):
        self._walk_to_action(self.mine)
        self.assertFalse(self.mine.portal_share_actions)
        self.assertEqual(self.mine._get_portal_action_summary(), [])
        self.mine.portal_share_actions = True
        summary = self.mine.with_user(self.portal)._get_portal_action_summary()
        self.assertEqual(len(summary), 1)
        self.assertEqual(summary[0]["description"], "Check glue batch dates at goods receipt.")
        self.assertNotIn("root_cause", summary[0])
        self.assertFalse({"cause_category", "cause_id", "why_1", "because_1"} & set(summary[0]),
                         "the analysis is internal")
        self.assertEqual(self.mine.with_user(self.portal)._portal_state_label(), "Being Handled")

    def test_company_setting_is_the_default(self):
        self.env.company.qms_portal_share_actions = True
        complaint = self._portal_complaint()
        self.assertTrue(complaint.sudo().portal_share_actions)

    def test_reply_shown_once_given(self):
        self.assertFalse(self.mine._portal_reply_visible())
        self.mine.with_user(self.sales).action_submit()
        self.mine.with_user(self.supervisor).action_supervisor_review()
        self.mine.with_user(self.quality).write({"quality_disposition": "Handled by sales.",
                                                 "responsibility_finding": "application"})
        self.mine.with_user(self.quality).action_confirm_not_responsible()
        self.mine.with_user(self.sales).write({"investigation_cause": "Used outdoors.", "reply_channel": "phone",
                                               "reply_text": "<p>Not covered, we can repaint.</p>"})
        self.mine.with_user(self.sales).action_investigation_done()
        self.assertFalse(self.mine._portal_reply_visible(), "a drafted answer stays internal")
        self.mine.with_user(self.sales).action_reply()
        self.assertTrue(self.mine._portal_reply_visible())
        self.assertEqual(self.mine._portal_state_label(), "Answered")

    def test_access_url(self):
        self.assertEqual(self.mine.access_url, f"/my/complaints/{self.mine.id}")
        url = self.mine.get_portal_url()
        self.assertIn("access_token=", url)
        self.assertEqual(url.split("access_token=")[1], self.mine.access_token)


@tagged("post_install", "-at_install")
class TestPortalNotifications(QmsPortalCommon, MailCase):

    def test_mail_to_the_customer_carries_the_access_token(self):
        complaint = self._portal_complaint().sudo()
        with self.mock_mail_gateway():
            complaint.with_user(self.sales).message_post(
                body=Markup("<p>We are looking into it.</p>"), message_type="comment", subtype_xmlid="mail.mt_comment")
        mail = next(m for m in self._mails if self.contact.email in "".join(m["email_to"]))
        # the button opens /mail/view, which sends the customer to the portal page with the token
        self.assertIn(f"access_token={complaint.access_token}", mail["body"])
        self.assertIn(f"model=qms.complaint&amp;pid={self.contact.id}", mail["body"])
        self.assertEqual(complaint.with_user(self.portal)._get_access_action()["url"], complaint._get_share_url())
        self.assertIn(f"/my/complaints/{complaint.id}?access_token=", complaint._get_share_url())

    def test_internal_note_is_not_sent_to_the_customer(self):
        complaint = self._portal_complaint().sudo()
        with self.mock_mail_gateway():
            complaint.with_user(self.sales).message_post(
                body=Markup("<p>Internal: customer misused it.</p>"), message_type="comment",
                subtype_xmlid="mail.mt_note")
        self.assertFalse([m for m in self._mails if self.contact.email in "".join(m["email_to"])])
