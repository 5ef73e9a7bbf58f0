from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import QmsComplaintCommon, QmsHttpCommon
from .test_portal import QmsPortalCommon

# What only the company's handling holds: none of it may reach the customer's copy.
SECRETS = {
    "supervisor_comment": "ZZSUPERVISORSECRET",
    "quality_disposition": "ZZDISPOSITIONSECRET",
    "investigation_cause": "ZZINVESTIGATIONSECRET",
    "verification_notes": "ZZVERIFICATIONSECRET",
}


@tagged("post_install", "-at_install")
class TestCustomerMails(QmsComplaintCommon):
    """Issue #13.7: the acknowledgement and closure e-mails, automatic or by Send by E-mail."""

    def _mails(self, complaint, words):
        return complaint.message_ids.filtered(lambda m: m.subject and words in m.subject)

    def test_acknowledgement_sent_automatically_when_set(self):
        self.env.company.qms_send_acknowledgement = False
        quiet = self._complaint()
        self.assertFalse(self._mails(quiet, "we received your complaint"))
        self.env.company.qms_send_acknowledgement = True
        complaint = self._complaint()
        mail = self._mails(complaint, "we received your complaint")
        self.assertEqual(len(mail), 1)
        self.assertIn(complaint.name, mail.subject)
        self.assertIn(complaint.name, mail.body)
        self.assertEqual(mail.partner_ids, self.contact, "sent to the customer's contact")

    def test_closure_sent_automatically_when_set(self):
        self.env.company.qms_send_closure = True
        complaint = self._to_done(self._complaint())
        mail = self._mails(complaint, "is closed")
        self.assertEqual(len(mail), 1)
        self.assertIn(complaint.name, mail.body)
        self.env.company.qms_send_closure = False
        other = self._to_done(self._complaint())
        self.assertFalse(self._mails(other, "is closed"))

    def test_send_by_email_uses_the_template_of_the_stage(self):
        complaint = self._complaint()
        action = complaint.with_user(self.sales).action_qms_send_email()
        ack = self.env.ref("qms_customer.mail_template_qms_complaint_acknowledgement")
        self.assertEqual(action["context"]["default_template_id"], ack.id)
        self.assertFalse(complaint.acknowledged_date)
        composer = self.env["mail.compose.message"].with_user(self.sales).with_context(
            action["context"]).create({})
        composer._action_send_mail()
        self.assertTrue(complaint.acknowledged_date, "sending the acknowledgement acknowledges the slip (issue 13.1)")
        self.assertEqual(len(self._mails(complaint, "we received your complaint")), 1)
        self._to_done(complaint)
        closure = self.env.ref("qms_customer.mail_template_qms_complaint_closure")
        self.assertEqual(complaint.with_user(self.sales).action_qms_send_email()["context"]["default_template_id"],
                         closure.id)


@tagged("post_install", "-at_install")
class TestComplaintFromDocuments(QmsHttpCommon):
    """Issue #13.7: a slip recorded from a delivery order or a customer invoice, pre-filled like one
    from a sales order, under the same role rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.picking = cls.order.picking_ids
        for move in cls.picking.move_ids:
            move.quantity = move.product_uom_qty
        cls.picking.move_ids.picked = True
        cls.picking.button_validate()
        cls.invoice = cls.order._create_invoices()
        cls.invoice.action_post()

    def _record_from(self, document, user=None):
        context = document.with_user(user or self.sales).action_record_qms_complaint()["context"]
        return self.env["qms.complaint"].with_user(user or self.sales).with_context(context).create(
            {"description": "<p>Broken</p>"})

    def test_from_delivery_order(self):
        self.assertEqual(self.picking.state, "done")
        slip = self._record_from(self.picking)
        self.assertEqual(slip.picking_id, self.picking)
        self.assertEqual(slip.partner_id, self.customer)
        self.assertEqual(slip.sale_order_id, self.order)
        self.assertEqual(slip.line_ids.mapped("product_id"), self.product_a | self.product_b)
        self.assertEqual(sorted(slip.line_ids.mapped("qty_complained")), [4.0, 10.0])
        self.assertEqual(slip.line_ids.sale_line_id, self.order.order_line)
        self.assertEqual(self.picking.with_user(self.sales).qms_complaint_count, 1)
        action = self.picking.with_user(self.sales).action_view_qms_complaints()
        self.assertEqual(self.env["qms.complaint"].search(action["domain"]), slip)
        self.assertEqual(slip.with_user(self.sales).action_view_picking()["res_id"], self.picking.id)

    def test_from_customer_invoice(self):
        slip = self._record_from(self.invoice)
        self.assertEqual(slip.invoice_id, self.invoice)
        self.assertEqual(slip.partner_id, self.customer)
        self.assertEqual(slip.sale_order_id, self.order)
        self.assertEqual(slip.line_ids.mapped("product_id"), self.product_a | self.product_b)
        self.assertEqual(self.invoice.with_user(self.sales).qms_complaint_count, 1)
        self.assertEqual(slip.with_user(self.sales).action_view_invoice()["res_id"], self.invoice.id)

    def test_wrong_documents_refused(self):
        other_picking = self.other_order.picking_ids
        with self.assertRaises(ValidationError):  # not done, and another customer's
            self._complaint(picking_id=other_picking.id)
        refund = self.invoice._reverse_moves()
        with self.assertRaises(ValidationError):  # a credit note, not an invoice
            self._complaint(invoice_id=refund.id)

    def test_role_rules_hold_over_json2(self):
        # a customer's portal user has no slip to create, with or without a delivery
        portal = self.env["res.users"].create({
            "name": "Portal Pia", "login": "t_portal_pia", "password": "t_portal_pia",
            "partner_id": self.contact.id, "group_ids": [Command.set([self.env.ref("base.group_portal").id])]})
        vals = {"partner_id": self.customer.id, "picking_id": self.picking.id, "description": "<p>x</p>"}
        self.assertRefused(portal, "qms.complaint", "create", vals_list=[vals])
        # Sales records it; once reviewed, the delivery belongs to the intake and no longer changes
        slip_id = self.assertAccepted(self.sales, "qms.complaint", "create", vals_list=[vals])[0]
        slip = self.env["qms.complaint"].browse(slip_id)
        slip.line_ids = [Command.create({"product_id": self.product_a.id, "qty_complained": 1})]
        self._to_quality_review(slip)
        self.assertRefused(self.quality, "qms.complaint", "write", ids=[slip.id],
                           vals={"picking_id": False})
        self.assertRefused(self.sales, "qms.complaint", "write", ids=[slip.id],
                           vals={"invoice_id": self.invoice.id})
        self.assertEqual(slip.picking_id, self.picking)
        self.assertFalse(slip.invoice_id)
        with self.assertRaises(UserError):
            slip.with_user(self.sales).invoice_id = self.invoice


@tagged("post_install", "-at_install")
class TestCustomerCopy(HttpCase, QmsPortalCommon):
    """Issue #13.7: the customer's copy of the slip on the portal: theirs only, nothing internal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        slip = cls.env["qms.complaint"].with_user(cls.portal)._portal_create_complaint(
            cls.order.id, [{"sale_line_id": cls.order.order_line[0].id, "qty": 2, "defect": "Scratched top"}],
            "Two desks arrived scratched.").sudo()
        cls.slip = slip

    def _walk_to_answered(self):
        slip = self.slip
        slip.with_user(slip.received_by_id).action_submit()
        slip.with_user(self.supervisor).supervisor_comment = SECRETS["supervisor_comment"]
        slip.with_user(self.supervisor).action_supervisor_review()
        slip.with_user(self.quality).write({"quality_disposition": SECRETS["quality_disposition"],
                                            "responsibility_finding": "normal_use"})
        slip.with_user(self.quality).action_confirm_not_responsible()
        slip.with_user(self.sales).investigation_cause = SECRETS["investigation_cause"]
        slip.with_user(self.sales).action_investigation_done()
        slip.with_user(self.sales).write({"reply_text": "<p>Please use the felt pads we send you.</p>",
                                          "reply_channel": "phone"})
        slip.with_user(self.sales).action_reply()
        slip.with_user(self.mgmt_rep).verification_notes = SECRETS["verification_notes"]
        slip.message_post(body="ZZNOTESECRET", subtype_xmlid="mail.mt_note")

    def test_customer_downloads_their_copy_without_internal_handling(self):
        self._walk_to_answered()
        self.authenticate("t_portal_pat", "t_portal_pat")
        response = self.url_open(f"/my/complaints/{self.slip.id}/copy?download=true")
        self.assertEqual(response.status_code, 200)
        text = response.text
        for shown in (self.slip.name, "Scratched top", "Two desks arrived scratched.", "felt pads", "Customer Copy"):
            self.assertIn(shown, text)
        for secret in (*SECRETS.values(), "ZZNOTESECRET"):
            self.assertNotIn(secret, text)
        # the slip page links to it
        self.assertIn(f"/my/complaints/{self.slip.id}/copy?download=true",
                      self.url_open(f"/my/complaints/{self.slip.id}").text)

    def test_answer_not_shown_before_it_is_given(self):
        self.slip.with_user(self.slip.received_by_id).action_submit()
        self.authenticate("t_portal_pat", "t_portal_pat")
        text = self.url_open(f"/my/complaints/{self.slip.id}/copy").text
        self.assertIn("our answer will be shown here", text)

    def test_another_customer_or_the_public_gets_nothing(self):
        self.authenticate("t_portal_olga", "t_portal_olga")
        response = self.url_open(f"/my/complaints/{self.slip.id}/copy", allow_redirects=False)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Scratched top", response.text)
        self.authenticate(None, None)
        self.assertEqual(self.url_open(f"/my/complaints/{self.slip.id}/copy", allow_redirects=False).status_code, 404)
        wrong = self.url_open(f"/my/complaints/{self.slip.id}/copy?access_token=wrong", allow_redirects=False)
        self.assertEqual(wrong.status_code, 404)
        token = self.url_open(f"/my/complaints/{self.slip.id}/copy?access_token={self.slip._portal_ensure_token()}")
        self.assertEqual(token.status_code, 200, "the holder of the slip's link gets it, as for the slip page")
