from datetime import date

from odoo.addons.qms_customer.models.qms_reminder_claim import claim_reminders
from odoo.tests import tagged

from .common import QmsCommunicationCommon


@tagged("post_install", "-at_install")
class TestCommunicationPlanReminder(QmsCommunicationCommon):
    """The reminder claims each line for its responsible (see test_faults.py for two workers)."""

    def test_claim_stamps_the_reminded_user_and_a_new_responsible_is_reminded_again(self):
        plan = self._plan()
        line = self._line(plan, month="4")
        plan.with_user(self.supervisor).action_approve()
        Line = self.env["qms.communication.plan.line"]
        self.assertEqual(Line._cron_remind_due(today=date(self.YEAR, 4, 3)), line)
        self.assertEqual(line.reminded_user_id, self.sales)
        self.assertFalse(claim_reminders(line, "reminded_user_id", "user_id"), "a line is claimed once per responsible")
        # the plan is reopened and the activity handed to someone else: that person is reminded
        plan.with_user(self.supervisor).action_draft()
        line.user_id = self.supervisor
        plan.with_user(self.supervisor).action_approve()
        self.assertEqual(Line._cron_remind_due(today=date(self.YEAR, 4, 4)), line)
        self.assertEqual(line.reminded_user_id, self.supervisor)
        self.assertEqual(line.with_context(active_test=False).activity_ids.user_id, self.sales | self.supervisor)
        self.assertFalse(Line._cron_remind_due(today=date(self.YEAR, 4, 5)))

    def test_lines_reminded_before_the_claim_existed_are_not_reminded_again(self):
        # a database upgraded from before the stamp: the activity exists, reminded_user_id is empty
        plan = self._plan()
        line = self._line(plan, month="4")
        plan.with_user(self.supervisor).action_approve()
        line.activity_schedule("mail.mail_activity_data_todo", user_id=self.sales.id)
        self.assertFalse(self.env["qms.communication.plan.line"]._cron_remind_due(today=date(self.YEAR, 4, 3)))
        self.assertEqual(len(line.activity_ids), 1)

    def test_reminding_nothing_costs_no_claim_query(self):
        Line = self.env["qms.communication.plan.line"]
        with self.assertQueryCount(0):
            claim_reminders(Line.browse(), "reminded_user_id", "user_id")
