"""The customer's side attacked over HTTP (issue #11 points 3, 4 and 9).

* What a portal user can read, search, sort and group of a slip and its lines is an allow-list.
* A closed or cancelled slip keeps its evidence (messages, attachments, lines, corrective
  actions) for everyone, the administrator included, while the customer and Sales still talk
  about it, whichever way the slip came in (portal form, e-mail, back-office).
* Text that came by e-mail reaches the customer as plain text.
"""
import base64
import re

from odoo.tests import JsonRpcException, new_test_user, tagged

from .common import QmsHttpCommon
from .test_portal import PNG

MAIL_HTML = """Return-Path: <buyer@example.com>
To: {to}
From: "Ms Buyer" <buyer@example.com>
Subject: Desks broken
Message-ID: <qms-attack-{index}@example.com>
Date: Mon, 30 Nov 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="----=_Part_qms"

------=_Part_qms
Content-Type: text/html; charset=utf-8

<p>The desks are broken, see <a href="https://evil.example.com/login">our photos</a>.</p>
<p><b>Urgent</b></p>

------=_Part_qms
Content-Type: image/png; name="desk.png"
Content-Disposition: attachment; filename="desk.png"
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=
------=_Part_qms--
"""


class QmsAttackPortalCommon(QmsHttpCommon):
    """A portal user of the customer, and the complaints alias for the e-mail intake."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(cls.env, login="t_portal_buyer", groups="base.group_portal",
                                   partner_id=cls.contact.id, email=cls.contact.email)
        cls.admin = cls.env.ref("base.user_admin")
        alias_domain = cls.env["mail.alias.domain"].create({
            "name": "qms-attack.example.com", "bounce_alias": "bounce.qms", "catchall_alias": "catchall.qms"})
        cls.env.company.alias_domain_id = alias_domain
        cls.env.company._qms_ensure_complaint_alias()
        cls.alias = cls.env.company.qms_complaint_alias_id
        cls.alias.alias_domain_id = alias_domain
        cls.mail_index = 0

    @classmethod
    def _by_portal(cls):
        line = cls.order.order_line[0]
        return cls.env["qms.complaint"].with_user(cls.portal)._portal_create_complaint(
            cls.order.id, [{"sale_line_id": line.id, "qty": 2.0, "defect": "Scratched"}],
            "Two desks arrived scratched.", attachments=[("desk.png", PNG)]).sudo()

    @classmethod
    def _by_email(cls):
        cls.mail_index += 1
        mail = MAIL_HTML.format(to=cls.alias.display_name, index=cls.mail_index)
        thread_id = cls.env["mail.thread"].sudo().message_process(None, mail)
        return cls.env["qms.complaint"].browse(thread_id)

    @classmethod
    def _by_backoffice(cls):
        return cls.env["qms.complaint"].with_user(cls.sales).create({
            "partner_id": cls.customer.id, "contact_id": cls.contact.id, "sale_order_id": cls.order.id,
            "channel": "phone", "category": "product", "description": "<p>Scratched tops</p>",
            "line_ids": [(0, 0, {"sale_line_id": cls.order.order_line[0].id, "qty_complained": 2})]})

    @classmethod
    def _close_not_responsible(cls, complaint):
        complaint.with_user(complaint.received_by_id).action_submit()
        complaint.with_user(cls.supervisor).action_supervisor_review()
        complaint.with_user(cls.quality).write({"quality_disposition": "Handled by Sales.",
                                                "responsibility_finding": "application"})
        complaint.with_user(cls.quality).action_confirm_not_responsible()
        complaint.with_user(cls.sales).write({"investigation_cause": "Used outdoors.", "reply_channel": "phone",
                                              "reply_text": "<p>Not covered, we repaint them.</p>"})
        complaint.with_user(cls.sales).action_investigation_done()
        complaint.with_user(cls.sales).action_reply()
        complaint.with_user(cls.mgmt_rep).write({"verification_notes": "Called back.", "customer_satisfied": "yes"})
        complaint.with_user(cls.mgmt_rep).action_close()
        return complaint


@tagged("post_install", "-at_install")
class TestPortalAllowList(QmsAttackPortalCommon):
    """Everything not on the allow-list is unreadable and unsearchable by the customer over RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.slip = cls._by_portal()

    # fields no customer needs, and which the old deny-list forgot
    HIDDEN = ("state", "date_deadline", "channel", "category", "action_department_ids", "refund_move_ids",
              "repair_ids", "remedy_picking_ids", "refund_move_count", "email_from", "received_by_id",
              "quality_disposition", "investigation_cause", "message_attachment_count",
              # the internal assessment and the correction (issue 13): the customer gets the answer
              "complaint_nature", "nature_reason", "responsibility_finding", "correction", "correction_user_id")
    HIDDEN_LINE = ("remedy", "remedy_override_reason", "refund_move_id", "repair_id", "return_picking_id",
                   "warranty_start_date", "remedy_eligible", "remedy_days_left", "sale_line_id")

    def test_portal_reads_only_the_allow_list(self):
        for field in self.HIDDEN:
            with self.subTest(field=field):
                self.assertRefused(self.portal, "qms.complaint", "read", ids=self.slip.ids, fields=[field])
        for field in self.HIDDEN_LINE:
            with self.subTest(field=field):
                self.assertRefused(self.portal, "qms.complaint.line", "read", ids=self.slip.line_ids.ids,
                                   fields=[field])
        [slip] = self.assertAccepted(self.portal, "qms.complaint", "read", ids=self.slip.ids, fields=[
            "name", "portal_state", "received_date", "sale_order_id", "customer_request", "line_ids",
            "portal_description"])
        self.assertEqual(slip["name"], self.slip.name)
        self.assertEqual(slip["portal_state"], "received", "the customer's stage, not the internal gate")
        self.assertIn("Two desks arrived scratched.", slip["portal_description"])
        [line] = self.assertAccepted(self.portal, "qms.complaint.line", "read", ids=self.slip.line_ids.ids,
                                     fields=["product_id", "qty_complained", "uom_id", "defect_description"])
        self.assertEqual(line["qty_complained"], 2)

    def test_portal_cannot_search_sort_or_group_by_hidden_fields(self):
        for domain in ([("state", "=", "draft")], [("date_deadline", "!=", False)],
                       [("action_department_ids", "=", False)], [("line_ids.remedy", "=", False)]):
            with self.subTest(domain=domain):
                self.assertRefused(self.portal, "qms.complaint", "search", domain=domain)
        self.assertRefused(self.portal, "qms.complaint", "search", domain=[], order="date_deadline")
        self.assertRefused(self.portal, "qms.complaint", "search", domain=[], order="state desc")
        self.assertRefused(self.portal, "qms.complaint", "formatted_read_group", domain=[], groupby=["state"],
                           aggregates=["__count"])
        self.assertRefused(self.portal, "qms.complaint.line", "search",
                           domain=[("remedy_override_reason", "!=", False)])
        self.assertRefused(self.portal, "qms.complaint.line", "formatted_read_group", domain=[],
                           groupby=["remedy"], aggregates=["__count"])
        # what is on the list still works
        self.assertEqual(self.assertAccepted(self.portal, "qms.complaint", "search",
                                             domain=[("name", "=", self.slip.name)], order="received_date desc"),
                         self.slip.ids)

    def test_fields_get_lists_only_the_allow_list(self):
        fields = self.assertAccepted(self.portal, "qms.complaint", "fields_get", attributes=["type"])
        self.assertIn("portal_state", fields)
        for field in self.HIDDEN:
            self.assertNotIn(field, fields)

    def test_the_company_still_reads_everything(self):
        [slip] = self.assertAccepted(self.sales, "qms.complaint", "read", ids=self.slip.ids,
                                     fields=["state", "date_deadline", "channel", "portal_state"])
        self.assertEqual((slip["state"], slip["channel"], slip["portal_state"]), ("draft", "online", "received"))


@tagged("post_install", "-at_install")
class TestClosedSlipsStillTalk(QmsAttackPortalCommon):
    """Closed is closed for the evidence, not for the conversation with the customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.by_portal = cls._by_portal()
        cls.by_email = cls._by_email()
        cls.by_backoffice = cls._by_backoffice()
        cls.slips = cls.by_portal | cls.by_email | cls.by_backoffice
        # Sales wrote to the customer while the slip was open
        cls.sales_message = cls.by_portal.with_user(cls.sales).message_post(
            body="We look into it.", message_type="comment", subtype_xmlid="mail.mt_comment")
        for slip in cls.slips:
            cls._close_not_responsible(slip)
        cls.cancelled = cls._by_backoffice()
        cls.cancelled.with_user(cls.supervisor)._do_cancel("Recorded twice.")

    def test_slips_are_closed_without_a_portal_link(self):
        self.assertEqual(set(self.slips.mapped("state")), {"done"})
        self.assertEqual(self.by_email.channel, "email")
        # the sender is the customer's known contact: the slip names both
        self.assertEqual((self.by_email.partner_id, self.by_email.contact_id), (self.customer, self.contact))

    def test_customer_list_and_pages_show_closed_slips_of_every_intake_path(self):
        self.authenticate("t_portal_buyer", "t_portal_buyer")
        page = self.url_open("/my/complaints")
        self.assertEqual(page.status_code, 200)
        for slip in self.slips | self.cancelled:
            self.assertIn(slip.name, page.text)
        self.assertEqual(page.text.count("Closed</span>"), 3)
        for sortby in ("date", "name", "state"):
            self.assertEqual(self.url_open(f"/my/complaints?sortby={sortby}").status_code, 200)
        for slip in self.slips | self.cancelled:
            with self.subTest(slip=slip.channel):
                detail = self.url_open(f"/my/complaints/{slip.id}")
                self.assertEqual(detail.status_code, 200)
                self.assertIn(slip.name, detail.text)
                self.assertIn("Not covered, we repaint them." if slip.state == "done" else "Cancelled", detail.text)

    def test_customer_replies_on_closed_slips(self):
        self.authenticate("t_portal_buyer", "t_portal_buyer")
        for slip in self.slips:
            with self.subTest(slip=slip.channel):
                result = self.make_jsonrpc_request("/mail/message/post", {
                    "thread_model": "qms.complaint", "thread_id": slip.id,
                    "post_data": {"body": "Thank you, all good now.", "message_type": "comment"}})
                message = self.env["mail.message"].browse(result["message_id"])
                self.assertEqual((message.model, message.res_id), ("qms.complaint", slip.id))
                self.assertEqual(message.author_id, self.contact)

    def test_sales_writes_to_the_customer_about_closed_slips(self):
        # needs the slip's write to let the access token through (the portal link in the e-mail)
        for slip in self.slips:
            with self.subTest(slip=slip.channel):
                [message_id] = self.assertAccepted(
                    self.sales, "qms.complaint", "message_post", ids=slip.ids, body="Here is the repaint date.",
                    message_type="comment", subtype_xmlid="mail.mt_comment", partner_ids=self.contact.ids)
                self.assertIn(message_id, slip.message_ids.ids)
                self.assertTrue(slip.access_token)

    def test_messages_of_closed_slips_cannot_be_edited_or_deleted(self):
        customer_message = self.by_portal.message_ids.filtered(lambda m: m.attachment_ids)
        email_message = self.by_email.message_ids.filtered(lambda m: m.message_type == "email")
        cancelled_message = self.cancelled.message_ids[:1]
        self.assertTrue(customer_message and email_message and cancelled_message)
        bodies = {m: m.body for m in customer_message | email_message | self.sales_message | cancelled_message}
        self.assertRefused(self.sales, "mail.message", "write", ids=self.sales_message.ids,
                           vals={"body": "<p>We never promised anything.</p>"})
        self.assertRefused(self.sales, "mail.message", "unlink", ids=self.sales_message.ids)
        for message in customer_message | email_message | cancelled_message:
            with self.subTest(message=message.id):
                self.assertRefused(self.admin, "mail.message", "write", ids=message.ids,
                                   vals={"body": "<p>All fine, nothing to see.</p>"})
                self.assertRefused(self.admin, "mail.message", "write", ids=message.ids,
                                   vals={"res_id": self.cancelled.id if message != cancelled_message
                                         else self.by_portal.id})
                self.assertRefused(self.admin, "mail.message", "unlink", ids=message.ids)
        # the UI's edit and delete: the customer on their own message, the administrator on any
        self.authenticate("t_portal_buyer", "t_portal_buyer")
        for update in ({"body": "I never sent photos."}, {"body": "", "attachment_ids": []}):
            with self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request("/mail/message/update_content", {
                    "message_id": customer_message.id, "update_data": update})
        self.authenticate("admin", "admin")
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request("/mail/message/update_content", {
                "message_id": self.sales_message.id, "update_data": {"body": "rewritten"}})
        for message, body in bodies.items():
            self.assertEqual(message.exists().body, body)

    def test_attachments_of_closed_slips_cannot_be_changed_or_deleted(self):
        photos = self.env["ir.attachment"].search([
            ("res_model", "=", "qms.complaint"), ("res_id", "in", (self.by_portal | self.by_email).ids)])
        self.assertEqual(len(photos), 2)
        checksums = photos.mapped("checksum")
        other = base64.b64encode(b"GIF89a forged").decode()
        for photo in photos:
            with self.subTest(photo=photo.res_id):
                self.assertRefused(self.admin, "ir.attachment", "write", ids=photo.ids, vals={"datas": other})
                self.assertRefused(self.admin, "ir.attachment", "write", ids=photo.ids, vals={"name": "cat.png"})
                self.assertRefused(self.admin, "ir.attachment", "write", ids=photo.ids,
                                   vals={"res_id": self.cancelled.id})
                self.assertRefused(self.admin, "ir.attachment", "unlink", ids=photo.ids)
                self.assertRefused(self.sales, "ir.attachment", "unlink", ids=photo.ids)
        self.assertEqual(photos.exists().mapped("checksum"), checksums)
        # the customer still sees them: the portal gives them an access token on the way
        self.authenticate("t_portal_buyer", "t_portal_buyer")
        result = self.make_jsonrpc_request("/mail/thread/messages", {
            "thread_model": "qms.complaint", "thread_id": self.by_portal.id, "fetch_params": {"limit": 30}})
        photo_message = self.env["mail.message"].search([
            ("attachment_ids", "in", photos.filtered(lambda p: p.res_id == self.by_portal.id).ids)])
        self.assertIn(photo_message.id, result["messages"])

    def test_customer_sees_email_text_as_plain_text(self):
        self.assertIn("evil.example.com", self.by_email.description, "kept as received, for the company")
        self.authenticate("t_portal_buyer", "t_portal_buyer")
        detail = self.url_open(f"/my/complaints/{self.by_email.id}").text
        self.assertIn("our photos", detail)
        self.assertNotRegex(detail, r"<a[^>]+evil\.example\.com")
        self.assertNotIn("<b>Urgent</b>", detail)
        # the portal's chatter
        result = self.make_jsonrpc_request("/mail/chatter_fetch", {
            "thread_model": "qms.complaint", "thread_id": self.by_email.id, "fetch_params": {"limit": 30}})
        bodies = [m["body"] for m in result["data"]["mail.message"] if m["id"] in result["messages"]]
        email_bodies = [b for b in bodies if "our photos" in str(b)]
        self.assertTrue(email_bodies)
        for body in email_bodies:
            self.assertFalse(re.search(r"<a[^>]+evil\.example\.com", str(body)), body)
            self.assertNotIn("<b>", str(body))
        # the back-office chatter's route, which a logged-in portal user may call too
        result = self.make_jsonrpc_request("/mail/thread/messages", {
            "thread_model": "qms.complaint", "thread_id": self.by_email.id, "fetch_params": {"limit": 30}})
        bodies = [m.get("body") for m in result["data"]["mail.message"] if "our photos" in str(m.get("body"))]
        self.assertTrue(bodies)
        for body in bodies:
            self.assertFalse(re.search(r"<a[^>]+evil\.example\.com", str(body)), body)
            self.assertNotIn("<b>", str(body))
        # the portal form's text keeps its plain rendering
        detail = self.url_open(f"/my/complaints/{self.by_portal.id}").text
        self.assertIn("Two desks arrived scratched.", detail)


@tagged("post_install", "-at_install")
class TestClosedSlipContent(QmsAttackPortalCommon):
    """The lines and corrective actions of a closed slip are evidence too."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.slip = cls._by_backoffice()
        cls.slip.with_user(cls.sales).action_submit()
        cls.slip.with_user(cls.supervisor).action_supervisor_review()
        cls.slip.with_user(cls.quality).write({
            "quality_disposition": "Transport damage", "responsibility_finding": "transport",
            "responsible_department_id": cls.dep_production.id})
        cls.slip.with_user(cls.quality).action_confirm_responsible()
        cls.action = cls.env["qms.corrective.action"].with_user(cls.quality).create({
            "complaint_id": cls.slip.id, "description": "Add foam corners", "root_cause": "No protection",
            "cause_category": "method", "why_1": "Why damaged?", "because_1": "Corners unprotected.",
            "responsible_department_id": cls.dep_production.id,
            "implementing_department_id": cls.dep_production.id,
            "verifying_department_id": cls.dep_quality.id, "date_deadline": "2030-01-31"})
        cls.action.with_user(cls.mgmt_rep).action_approve()
        cls.action.with_user(cls.production).action_start()
        cls.action.with_user(cls.production).implementation_notes = "Foam corners in the packing instruction"
        cls.action.with_user(cls.production).action_implemented()
        cls.slip.with_user(cls.sales).write({"reply_text": "<p>We replace the desks.</p>", "reply_channel": "phone"})
        cls.slip.with_user(cls.sales).action_reply()
        cls.action.with_user(cls.quality).verification_notes = "No damage since."
        cls.action.with_user(cls.quality).effectiveness_evidence = "Ten deliveries checked."
        cls.action.with_user(cls.quality).action_verify_effective()
        cls.slip.with_user(cls.mgmt_rep).write({"verification_notes": "Checked.", "customer_satisfied": "yes"})
        cls.slip.with_user(cls.mgmt_rep).action_close()

    def test_lines_and_actions_of_a_closed_slip_are_frozen(self):
        self.assertEqual((self.slip.state, self.action.state), ("done", "effective"))
        line = self.slip.line_ids
        for user in (self.quality, self.admin):
            with self.subTest(user=user.login):
                self.assertRefused(user, "qms.complaint.line", "write", ids=line.ids,
                                   vals={"remedy_override_reason": "Granted afterwards"})
                self.assertRefused(user, "qms.complaint.line", "unlink", ids=line.ids)
        for vals in ({"implementation_notes": "Nothing was done"}, {"verification_notes": "Never checked"},
                     {"date_deadline": "2031-01-01"}, {"user_id": self.sales.id}):
            for user in (self.quality, self.admin):
                with self.subTest(vals=vals, user=user.login):
                    self.assertRefused(user, "qms.corrective.action", "write", ids=self.action.ids, vals=vals)
        self.assertRefused(self.admin, "qms.corrective.action", "unlink", ids=self.action.ids)
        action_message = self.action.message_ids[:1]
        self.assertRefused(self.admin, "mail.message", "write", ids=action_message.ids, vals={"body": "<p>x</p>"})
        self.assertRefused(self.admin, "mail.message", "unlink", ids=action_message.ids)
        self.assertEqual(self.action.implementation_notes, "Foam corners in the packing instruction")
        self.assertFalse(line.remedy_override_reason)
        # new messages on the action still go through
        self.assertAccepted(self.quality, "qms.corrective.action", "message_post", ids=self.action.ids,
                            body="Audited.", message_type="comment", subtype_xmlid="mail.mt_note")


@tagged("post_install", "-at_install")
class TestPortalIntakeForm(QmsAttackPortalCommon):
    """The intake form posted with odd values: a refusal on the form, never a traceback, and
    never a slip that says more than the order (issue #12, the form parsed in controllers/)."""

    def _post(self, files=None, **fields):
        self.authenticate(self.portal.login, self.portal.login)
        form = self.url_open(f"/my/complaints/new?order_id={self.order.id}").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        return self.url_open("/my/complaints/new", data={
            "csrf_token": csrf, "order_id": self.order.id, "description": "Desks odd form", **fields}, files=files)

    def test_one_order_line_named_twice_is_refused(self):
        """qty_7 and qty_07 (or " 7") name the same order line: two slip lines for it would
        complain about more than was ordered."""
        line = self.order.order_line[0]  # 10 ordered
        count = self.env["qms.complaint"].search_count([])
        for alias in (f"0{line.id}", f" {line.id}", f"{line.id} "):
            with self.subTest(alias=alias):
                response = self._post(**{f"qty_{line.id}": "10", f"qty_{alias}": "10"})
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_qms_complaint_error", response.text)
        self.assertEqual(self.env["qms.complaint"].search_count([]), count, "nothing written")

    def test_nul_characters_are_a_refusal_not_a_crash(self):
        line = self.order.order_line[0]
        count = self.env["qms.complaint"].search_count([])
        for fields in ({"description": "Broken\x00desk", f"qty_{line.id}": "1"},
                       {f"qty_{line.id}": "1", f"defect_{line.id}": "bad\x00leg"},
                       {f"qty_{line.id}": "1", "customer_request": "repair\x00"},
                       {f"qty_{line.id}\x00": "1"}):
            with self.subTest(fields=fields):
                response = self._post(**fields)
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_qms_complaint_error", response.text)
                self.assertEqual(self.env["qms.complaint"].search_count([]), count, "no half-written slip")
        with self.subTest(file="NUL in the photo's name"):
            response = self._post(files={"photos": ("desk\x00.png", PNG, "image/png")},
                                  **{f"qty_{line.id}": "1", "description": "Photo name nul"})
            self.assertIn(response.status_code, (200, 303))
            self.assertNotIn("Traceback", response.text)
        self.assertLessEqual(self.env["qms.complaint"].search_count([]), count + 1)
