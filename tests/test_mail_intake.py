from odoo.addons.mail.tests.common import MailCase
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import QmsCommon

MAIL_COMPLAINT = """Return-Path: {return_path}
To: {to}
From: {email_from}
Subject: {subject}
Message-ID: {msg_id}
References: {references}
Date: {date}
MIME-Version: 1.0
{extra}Content-Type: multipart/mixed; boundary="----=_Part_qms"

------=_Part_qms
Content-Type: text/plain; charset=utf-8

The chair we received last week broke at the first use.
Please replace it.

------=_Part_qms
Content-Type: image/png; name="chair.png"
Content-Disposition: attachment; filename="chair.png"
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=
------=_Part_qms--
"""


@tagged("post_install", "-at_install")
class TestMailIntake(QmsCommon, MailCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].create({
            "name": "qms-test.example.com", "bounce_alias": "bounce.qms", "catchall_alias": "catchall.qms",
        })
        cls.company = cls.env.company
        cls.company.alias_domain_id = cls.alias_domain
        cls.company._qms_ensure_complaint_alias()
        cls.alias = cls.company.qms_complaint_alias_id
        cls.alias.alias_domain_id = cls.alias_domain
        cls.customer = cls.env["res.partner"].create({"name": "Known Customer Ltd", "is_company": True})
        cls.known = cls.env["res.partner"].create({
            "name": "Kim Known", "email": "kim@known.example.com", "parent_id": cls.customer.id})
        cls.counter = 0

    def _receive(self, email_from, subject="Broken chair", extra="", references="", template=MAIL_COMPLAINT,
                 to=None):
        self.counter += 1
        msg_id = f"<qms-intake-{self.counter}@known.example.com>"
        mail = self.format(template, to=to or self.alias.display_name, subject=subject, email_from=email_from,
                           msg_id=msg_id, extra=extra, references=references)
        self.env["mail.thread"].sudo().message_process(None, mail)
        return self.env["mail.message"].search([("message_id", "=", msg_id)]), msg_id

    def test_company_has_a_complaints_alias(self):
        self.assertEqual(self.alias.alias_name, "complaints")
        self.assertEqual(self.alias.alias_full_name, "complaints@qms-test.example.com")
        self.assertEqual(self.alias.alias_model_id.model, "qms.complaint")
        self.assertEqual(self.alias.alias_contact, "everyone")
        # a new company gets its own, without clashing with the first one's name
        other = self.env["res.company"].create({"name": "QMS Other Co", "alias_domain_id": self.alias_domain.id})
        self.assertTrue(other.qms_complaint_alias_id)
        self.assertNotEqual(other.qms_complaint_alias_id.alias_name, "complaints")
        self.assertIn(str(other.id), other.qms_complaint_alias_id.alias_defaults)
        # configurable in the settings
        settings = self.env["res.config.settings"].create({"qms_complaint_alias_name": "claims"})
        settings.execute()
        self.assertEqual(self.alias.alias_name, "claims")

    def test_email_from_known_contact_creates_a_recorded_slip(self):
        message, _msg_id = self._receive('"Kim Known" <kim@known.example.com>')
        complaint = self.env["qms.complaint"].browse(message.res_id)
        self.assertEqual(message.model, "qms.complaint")
        self.assertEqual(complaint.state, "draft")
        self.assertEqual(complaint.channel, "email")
        self.assertEqual(complaint.contact_id, self.known)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.company_id, self.company)
        self.assertIn("kim@known.example.com", complaint.email_from)
        self.assertIn("Broken chair", complaint.description)
        self.assertIn("broke at the first use", complaint.description)
        self.assertEqual(message.attachment_ids.mapped("name"), ["chair.png"], "attachments are kept")
        self.assertEqual(message.author_id, self.known)
        self.assertRegex(complaint.name, r"^CS/\d{4}/\d{5}$", "numbered like any slip, not named after the subject")
        self.assertTrue(complaint.activity_ids.filtered(lambda a: a.user_id == self.supervisor),
                        "the Sales supervisor is asked to check it")

    def test_email_from_unknown_sender_creates_a_contact(self):
        message, _msg_id = self._receive('"Nina New" <nina@new-customer.example.com>')
        complaint = self.env["qms.complaint"].browse(message.res_id)
        self.assertEqual(complaint.contact_id.name, "Nina New")
        self.assertEqual(complaint.contact_id.email, "nina@new-customer.example.com")
        self.assertEqual(complaint.partner_id, complaint.contact_id)

    def test_reply_threads_into_the_slip(self):
        message, msg_id = self._receive("kim@known.example.com")
        complaint = self.env["qms.complaint"].browse(message.res_id)
        count = self.env["qms.complaint"].search_count([])
        reply, _reply_id = self._receive("kim@known.example.com", subject="Re: Broken chair", references=msg_id)
        self.assertEqual(self.env["qms.complaint"].search_count([]), count, "no second slip")
        self.assertEqual((reply.model, reply.res_id), ("qms.complaint", complaint.id))
        self.assertIn(reply, complaint.message_ids)

    @mute_logger("odoo.addons.mail.models.mail_thread", "odoo.addons.qms_customer.models.mail_thread")
    def test_auto_replies_and_bounces_make_no_slip(self):
        count = self.env["qms.complaint"].search_count([])
        for extra in ("Auto-Submitted: auto-replied\n", "X-Autoreply: yes\n", "Precedence: bulk\n"):
            with self.subTest(extra=extra):
                message, _msg_id = self._receive("kim@known.example.com", subject="Out of office", extra=extra)
                self.assertFalse(message)
        message, _msg_id = self._receive('"MAILER-DAEMON" <mailer-daemon@known.example.com>',
                                         subject="Undelivered Mail Returned to Sender")
        self.assertFalse(message.filtered(lambda m: m.model == "qms.complaint"))
        self.assertEqual(self.env["qms.complaint"].search_count([]), count)
        # a normal message still gets through
        message, _msg_id = self._receive("kim@known.example.com", extra="Auto-Submitted: no\n")
        self.assertEqual(message.model, "qms.complaint")

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_loop_from_one_sender_is_stopped(self):
        self.env["ir.config_parameter"].sudo().set_param("mail.gateway.loop.threshold", 2)
        count = self.env["qms.complaint"].search_count([])
        with self.mock_mail_gateway():
            for index in range(4):
                self._receive("robot@known.example.com", subject=f"Ticket {index}")
        self.assertEqual(self.env["qms.complaint"].search_count([]), count + 2)
