from datetime import date

from odoo.tests import tagged

from .common import QmsHttpCommon


@tagged("post_install", "-at_install")
class TestCorrectiveActionReminder(QmsHttpCommon):
    """The owner of a corrective action is reminded the company's days before its due date, once
    per due date (the claim is the one of the plan reminders, run by two workers in test_faults.py)."""

    def _due_action(self, deadline):
        complaint = self._to_action(self._complaint())
        action = self._add_action(complaint, date_deadline=deadline, user_id=self.production.id)
        action.with_user(self.mgmt_rep).action_approve()
        return action

    def _todos(self, action):
        todo = self.env.ref("mail.mail_activity_data_todo")
        return action.with_context(active_test=False).activity_ids.filtered(lambda a: a.activity_type_id == todo)

    def test_reminded_the_days_before_once_per_due_date(self):
        self.env.company.qms_action_reminder_days = 3
        action = self._due_action(date(2030, 3, 10))

        def remind(today):
            return self.env["qms.corrective.action"]._cron_remind_due(today=today) & action

        self.assertFalse(remind(date(2030, 3, 6)), "4 days before: not yet")
        self.assertEqual(remind(date(2030, 3, 7)), action)
        self.assertEqual(action.reminded_deadline, date(2030, 3, 10))
        self.assertEqual(self._todos(action).user_id, self.production)
        self.assertEqual(self._todos(action).date_deadline, date(2030, 3, 10))
        self.assertFalse(remind(date(2030, 3, 8)), "reminded once per due date")
        # the due date moves: the owner is reminded of the new one
        action.with_user(self.production).date_deadline = date(2030, 3, 20)
        self.assertFalse(remind(date(2030, 3, 9)))
        self.assertEqual(remind(date(2030, 3, 17)), action)
        self.assertEqual(len(self._todos(action)), 2)

    def test_only_actions_being_carried_out(self):
        action = self._due_action(date(2030, 3, 10))
        draft = self._add_action(action.complaint_id, date_deadline=date(2030, 3, 10))
        self.assertEqual(draft.state, "draft")
        action.with_user(self.production).action_start()
        action.with_user(self.production).implementation_notes = "Done"
        action.with_user(self.production).action_implemented()
        reminded = self.env["qms.corrective.action"]._cron_remind_due(today=date(2030, 3, 10))
        self.assertFalse(reminded & (action | draft), "neither an implemented nor a draft action")

    def test_the_reminder_stamp_is_the_servers(self):
        action = self._due_action(date(2030, 3, 10))
        self.assertRefused(self.mgmt_rep, "qms.corrective.action", "write", ids=action.ids,
                           vals={"reminded_deadline": "2030-03-10"})
        self.assertRefused(self.quality, "qms.corrective.action", "create", vals_list=[{
            "complaint_id": action.complaint_id.id, "description": "x", "date_deadline": "2030-03-10",
            "reminded_deadline": "2030-03-10"}])
        self.assertFalse(action.reminded_deadline)
