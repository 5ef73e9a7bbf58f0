"""The effectiveness window (issue 14, item 2; ISO 9001 §10.2): an implemented corrective action
waits the days the company gives the complaint's severity, its check is planned for the verifying
department on the window's end, and it is judged effective only after the window, with the
verifier's evidence, and only if the problem did not recur in the meantime."""

from datetime import timedelta

from odoo import SUPERUSER_ID, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import QmsHttpCommon


@tagged("post_install", "-at_install")
class TestEffectivenessWindow(QmsHttpCommon):

    def setUp(self):
        super().setUp()
        # the fixture's slips are "major"
        self.env.company.write({"qms_effectiveness_days_minor": 10, "qms_effectiveness_days_major": 30,
                                "qms_effectiveness_days_critical": 60})
        self.slip = self._to_action(self._complaint())
        self.action = self._add_action(self.slip)
        self._implement(self.action)

    def _system(self, record):
        """``record`` as the system loading data writes it (what it stood at, with its stamps)."""
        return record.with_user(SUPERUSER_ID).with_context(install_mode=True)

    def _backdate_implementation(self, days):
        """The implementation as if it had been recorded ``days`` ago (the system's own write)."""
        self._system(self.action).write({"implemented_date": fields.Datetime.now() - timedelta(days=days)})

    def test_window_by_severity_and_planned_check(self):
        today = fields.Date.context_today(self.action)
        self.assertEqual(self.action.effectiveness_due_date, today + timedelta(days=30))
        self.assertTrue(self.action.in_effectiveness_window)
        check = self.action.activity_ids.filtered(lambda a: a.user_id == self.quality)
        self.assertEqual(len(check), 1, "one check, for the verifying department's manager")
        self.assertEqual(check.date_deadline, self.action.effectiveness_due_date,
                         "the check is planned on the window's end")
        # the window is the severity's: a critical slip waits 60 days
        critical = self._to_action(self._complaint(severity="critical"))
        action = self._add_action(critical)
        self._implement(action)
        self.assertEqual(action.effectiveness_due_date, today + timedelta(days=60))
        # the window is fixed at implementation: a later change of the settings does not move it
        self.env.company.qms_effectiveness_days_critical = 5
        self.assertEqual(action.effectiveness_due_date, today + timedelta(days=60))

    def test_refused_inside_the_window_on_every_path(self):
        self.assertFalse(self.action.with_user(self.quality).can_verify_effective)
        with self.assertRaisesRegex(UserError, "effectiveness window"):
            self.action.with_user(self.quality).action_verify_effective()
        # the state written directly, by the verifying department and by the management representative
        for user in (self.quality, self.mgmt_rep):
            self.assertRefused(user, "qms.corrective.action", "write", "effectiveness window",
                               ids=self.action.ids, vals={"state": "effective"})
            self.assertRefused(user, "qms.corrective.action", "action_verify_effective", "effectiveness window",
                               ids=self.action.ids)
        # nor through the slip's one2many, nor as a new action born effective
        self.assertRefused(self.mgmt_rep, "qms.complaint", "write", ids=self.slip.ids, vals={
            "corrective_action_ids": [[1, self.action.id, {"state": "effective"}]]})
        self.assertRefused(self.mgmt_rep, "qms.corrective.action", "create", vals_list=[{
            "complaint_id": self.slip.id, "description": "Born effective", "date_deadline": "2030-01-31",
            "responsible_department_id": self.dep_production.id, "implementing_department_id": self.dep_production.id,
            "verifying_department_id": self.dep_quality.id, "state": "effective"}])
        self.assertEqual(self.action.state, "implemented")
        # not effective may be judged at any time: the window waits for a good result only
        self.assertTrue(self.action.with_user(self.quality).can_verify_ineffective)

    def test_allowed_after_the_window_with_evidence(self):
        self._backdate_implementation(30)
        self.assertFalse(self.action.in_effectiveness_window)
        self.assertTrue(self.action.with_user(self.quality).can_verify_effective)
        # the evidence is the verifying department's, written in the verification gate
        self.assertRefused(self.production, "qms.corrective.action", "write", "not yours",
                           ids=self.action.ids, vals={"effectiveness_evidence": "Looks fine"})
        self.assertAccepted(self.quality, "qms.corrective.action", "write", ids=self.action.ids,
                            vals={"effectiveness_evidence": " "})
        self.assertRefused(self.mgmt_rep, "qms.corrective.action", "action_verify_effective", "evidence",
                           ids=self.action.ids)
        # a file of another record cannot be linked by its id (its readers would see it here)
        foreign = self.env["ir.attachment"].create({
            "name": "contract.pdf", "raw": b"%PDF-1.4 secret", "res_model": "res.partner",
            "res_id": self.env.company.partner_id.id})
        self.assertRefused(self.quality, "qms.corrective.action", "write", "another record", ids=self.action.ids,
                           vals={"effectiveness_attachment_ids": [[4, foreign.id]]})
        self.assertFalse(self.action.effectiveness_attachment_ids)
        attachment = self.env["ir.attachment"].with_user(self.quality).create({
            "name": "inspection.csv", "raw": b"lot,result\n1,ok\n",
            "res_model": "qms.corrective.action", "res_id": self.action.id})
        self.assertAccepted(self.quality, "qms.corrective.action", "write", ids=self.action.ids, vals={
            "effectiveness_evidence": "Forty desks inspected, none jammed; the customer confirms.",
            "effectiveness_attachment_ids": [[4, attachment.id]]})
        self.assertAccepted(self.mgmt_rep, "qms.corrective.action", "action_verify_effective", ids=self.action.ids)
        self.assertEqual((self.action.state, self.action.verified_by_id), ("effective", self.mgmt_rep))
        self.assertEqual(self.action.effectiveness_attachment_ids, attachment)
        # the evidence is closed with the verification
        self.assertRefused(self.quality, "qms.corrective.action", "write", ids=self.action.ids,
                           vals={"effectiveness_evidence": "Changed afterwards"})

    def test_refused_after_a_recurrence_until_reconsidered(self):
        self._backdate_implementation(40)
        # the same product and complaint category comes back while the action waits for its check
        repeat = self._complaint(user=self.sales)
        self.assertEqual(repeat.recurrence_action_id, self.action)
        self.assertTrue(self.action.recurred)
        self.assertFalse(self.action.with_user(self.quality).can_verify_effective)
        for user in (self.quality, self.mgmt_rep):
            self.assertRefused(user, "qms.corrective.action", "action_verify_effective", "recurred",
                               ids=self.action.ids)
            self.assertRefused(user, "qms.corrective.action", "write", "recurred",
                               ids=self.action.ids, vals={"state": "effective"})
        # the flag is the server's: no role clears it
        for user in (self.quality, self.mgmt_rep):
            self.assertRefused(user, "qms.corrective.action", "write", ids=self.action.ids,
                               vals={"recurred": False})
        with self.assertRaisesRegex(UserError, "written by the steps of the procedure only"):
            self.action.with_user(self.mgmt_rep).write({"recurred_date": False})
        # not effective, reconsidered: the new attempt is judged on its own window
        self.action.with_user(self.quality).verification_notes = "Came back on " + repeat.name
        self.action.with_user(self.quality).effectiveness_evidence = "Looked fine at first"
        self.action.with_user(self.quality).action_verify_ineffective()
        self.action.with_user(self.production).action_revise()
        self.assertFalse(self.action.effectiveness_evidence, "the evidence belongs to the attempt judged")
        self.action.with_user(self.production).why_2 = "Why was the guide skipped?"
        self.action.with_user(self.production).because_2 = "No check at final inspection."
        self._implement(self.action)
        self.assertTrue(self.action.in_effectiveness_window)
        self._backdate_implementation(30)
        # the recurrence came before this attempt (backdated above only in appearance: recorded after)
        self._system(self.action).write({"recurred_date": self.action.implemented_date - timedelta(days=1)})
        self.assertAccepted(self.quality, "qms.corrective.action", "action_verify_effective", ids=self.action.ids)
        self.assertEqual((self.action.state, self.action.revision), ("effective", 2))
