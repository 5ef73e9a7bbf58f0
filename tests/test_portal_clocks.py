from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged
from odoo.tools.misc import format_date

from .common import QmsHttpCommon


@tagged("post_install", "-at_install")
class TestPortalClocks(QmsHttpCommon):
    """The slip's portal page (issue 13.8), over HTTP: the customer sees when their complaint was
    acknowledged, the answer date agreed with them (else when the answer is due) and whether the
    slip waits for them and what for; nothing of the internal escalation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(cls.env, login="t_clock_buyer", groups="base.group_portal",
                                   partner_id=cls.contact.id, lang="en_US", tz="UTC")

    def _page(self, slip):
        self.authenticate("t_clock_buyer", "t_clock_buyer")
        response = self.url_open(f"/my/complaints/{slip.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(slip.name, response.text)
        return response.text

    def _date(self, value):
        return format_date(self.env(context={"lang": "en_US"}), value)

    def test_dates_and_waiting_shown_escalation_not(self):
        today = fields.Date.today()
        slip = self._complaint(received_date=fields.Datetime.now() - timedelta(days=40))
        # late: escalated to the Sales Supervisor (an activity, an escalation row): internal only
        self.assertTrue(self.env["qms.complaint"]._cron_escalate_late(today=today).filtered(
            lambda e: e.complaint_id == slip))
        page = self._page(slip)
        self.assertNotIn("o_qms_portal_acknowledged", page, "not acknowledged yet")
        self.assertIn("o_qms_portal_answer_due", page)
        self.assertIn(self._date(slip.deadline_answer), page, "no agreed date: when the answer is due")
        self.assertNotIn("o_qms_portal_waiting", page)
        for internal in ("Late:", "Escalat", self.supervisor.name, "Next Deadline"):
            self.assertNotIn(internal, page)

        agreed = today + timedelta(days=5)
        slip.with_user(self.sales).action_acknowledge()
        slip.with_user(self.sales).answer_agreed_date = agreed
        slip.with_user(self.sales).waiting_reason = "Photos of the damaged desk tops"
        slip.with_user(self.sales).action_pause()
        page = self._page(slip)
        self.assertIn("o_qms_portal_acknowledged", page)
        self.assertIn(self._date(slip.acknowledged_date.date()), page)
        self.assertIn("o_qms_portal_answer_agreed", page)
        self.assertIn(self._date(agreed), page)
        self.assertNotIn("o_qms_portal_answer_due", page, "the agreed date replaces the due date")
        self.assertIn("o_qms_portal_waiting", page)
        self.assertIn("Photos of the damaged desk tops", page)
        for internal in ("Late:", "Escalat", self.supervisor.name):
            self.assertNotIn(internal, page)

        slip.with_user(self.sales).action_resume()
        page = self._page(slip)
        self.assertNotIn("o_qms_portal_waiting", page, "the customer answered: no longer waiting for them")
        self.assertNotIn("Photos of the damaged desk tops", page)

    def test_another_customer_sees_nothing(self):
        slip = self._complaint()
        slip.with_user(self.sales).waiting_reason = "Photos of the damaged desk tops"
        slip.with_user(self.sales).action_pause()
        other = self.env["res.partner"].create({"name": "Other Buyer", "parent_id": self.other_customer.id})
        new_test_user(self.env, login="t_clock_other", groups="base.group_portal", partner_id=other.id)
        self.authenticate("t_clock_other", "t_clock_other")
        response = self.url_open(f"/my/complaints/{slip.id}")
        self.assertNotIn("Photos of the damaged desk tops", response.text)
        self.assertNotIn(slip.name, response.text)
