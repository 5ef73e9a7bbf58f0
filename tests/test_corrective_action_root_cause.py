"""Root cause by method (issue 14, item 1): a corrective action carries its 5M1E cause category, a
cause from the company's list and a 5-Why chain; the Management Representative approves it only
when they are there; they belong to the responsible department while the action is a draft."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import QmsComplaintCommon, QmsHttpCommon

CHAIN = {
    "why_1": "Why were the desks damaged?", "because_1": "Their corners hit the carton.",
    "why_2": "Why did they hit the carton?", "because_2": "Nothing held them in place.",
    "why_3": "Why did nothing hold them?", "because_3": "The packing instruction has no foam corners.",
}


@tagged("post_install", "-at_install")
class TestRootCauseOverHttp(QmsHttpCommon):
    """The rules as an external client meets them, over /json/2 with each role's own key."""

    def setUp(self):
        super().setUp()
        self.slip = self._to_action(self._complaint())
        self.packing = self.env["qms.root.cause"].create({"name": "Packing", "category": "method"})
        self.action = self._add_action(self.slip, cause_category=False, why_1=False, because_1=False)

    def test_approval_needs_the_category_and_the_chain(self):
        result = self.assertRefused(self.mgmt_rep, "qms.corrective.action", "action_approve", ids=self.action.ids)
        self.assertIn("cause category (5M1E)", result["message"])
        self.assertIn("5-Why chain", result["message"])
        self.assertEqual(self.action.state, "draft")
        # a chain with a gap, then a level without its answer
        self.assertAccepted(self.production, "qms.corrective.action", "write", ids=self.action.ids, vals={
            "cause_category": "method", "why_1": "Why?", "because_1": "Because.", "why_3": "Why again?"})
        self.assertRefused(self.mgmt_rep, "qms.corrective.action", "action_approve", "without a gap",
                           ids=self.action.ids)
        self.assertAccepted(self.production, "qms.corrective.action", "write", ids=self.action.ids, vals={
            "why_3": False, "why_2": "Why again?"})
        self.assertRefused(self.mgmt_rep, "qms.corrective.action", "action_approve", "level 2",
                           ids=self.action.ids)
        # the approval cannot bring the missing analysis along with it
        self.assertRefused(self.mgmt_rep, "qms.corrective.action", "write", ids=self.action.ids,
                           vals={"state": "approved", "because_2": "No rule."})
        self.assertEqual(self.action.state, "draft")
        self.assertAccepted(self.production, "qms.corrective.action", "write", ids=self.action.ids,
                            vals={"because_2": "No rule.", "cause_id": self.packing.id})
        self.assertAccepted(self.mgmt_rep, "qms.corrective.action", "action_approve", ids=self.action.ids)
        self.assertEqual((self.action.state, self.action.why_depth), ("approved", 2))

    def test_wrong_role_and_wrong_stage_refused(self):
        # a department not responsible for the action, on the action and through the slip's lines
        self.assertRefused(self.sales, "qms.corrective.action", "write", "Cause Category", ids=self.action.ids,
                           vals={"cause_category": "man"})
        self.assertRefused(self.sales, "qms.complaint", "write", ids=self.slip.ids, vals={
            "corrective_action_ids": [[1, self.action.id, {"why_1": "Why not?"}]]})
        # nor a new action of another department carrying an analysis
        self.assertRefused(self.sales, "qms.corrective.action", "create", vals_list=[{
            "complaint_id": self.slip.id, "description": "Other", "date_deadline": "2030-01-31",
            "responsible_department_id": self.dep_sales.id, "implementing_department_id": self.dep_sales.id,
            "verifying_department_id": self.dep_quality.id, "cause_category": "man", **CHAIN}])
        self.assertEqual((self.action.cause_category, self.action.why_1), (False, False))
        # once approved, the analysis is evidence: no one rewrites it, by any path
        self.action.with_user(self.production).write({"cause_category": "method", **CHAIN})
        self.action.with_user(self.mgmt_rep).action_approve()
        for user in (self.production, self.quality, self.mgmt_rep):
            self.assertRefused(user, "qms.corrective.action", "write", "Why 2", ids=self.action.ids,
                               vals={"why_2": "Rewritten"})
            self.assertRefused(user, "qms.corrective.action", "write", ids=self.action.ids,
                               vals={"cause_category": "man"})
        self.assertRefused(self.quality, "qms.complaint", "write", ids=self.slip.ids, vals={
            "corrective_action_ids": [[1, self.action.id, {"because_1": "Rewritten"}]]})
        self.assertEqual((self.action.cause_category, self.action.why_2, self.action.because_1),
                         ("method", CHAIN["why_2"], CHAIN["because_1"]))


@tagged("post_install", "-at_install")
class TestRootCause(QmsComplaintCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Cause = cls.env["qms.root.cause"]
        cls.method = Cause.create({"name": "Work instruction", "category": "method"})
        cls.step_missing = Cause.create({"name": "Step missing", "parent_id": cls.method.id})
        cls.foam = Cause.create({"name": "No foam corners", "parent_id": cls.step_missing.id})
        cls.machine = Cause.create({"name": "Maintenance", "category": "machine"})

    def test_cause_hierarchy(self):
        self.assertEqual(self.foam.complete_name, "Work instruction / Step missing / No foam corners")
        self.assertEqual(self.foam.display_name, self.foam.complete_name)
        self.assertEqual((self.step_missing.category, self.foam.category), ("method", "method"),
                         "a sub-cause falls under its parent's category")
        self.assertEqual(self.method.child_ids, self.step_missing)
        with self.assertRaises(UserError):  # "Recursion Detected" (a ValidationError is a UserError)
            self.method.parent_id = self.foam
            self.method.flush_recordset()
        with self.assertRaises(ValidationError):
            self.foam.category = "man"
        # moving a branch carries its sub-causes to the new category
        self.step_missing.parent_id = self.machine
        self.assertEqual((self.step_missing.category, self.foam.category), ("machine", "machine"))
        self.assertEqual(self.foam.complete_name, "Maintenance / Step missing / No foam corners")
        self.assertEqual(self.env["qms.root.cause"].search([("id", "child_of", self.machine.id)]),
                         self.machine | self.step_missing | self.foam)

    def test_cause_list_kept_by_quality_and_the_management_representative(self):
        for user in (self.quality, self.mgmt_rep):
            cause = self.env["qms.root.cause"].with_user(user).create(
                {"name": f"Kept by {user.name}", "parent_id": self.method.id})
            self.assertEqual(cause.category, "method")
        for user in (self.production, self.sales, self.gm):
            self.assertEqual(self.env["qms.root.cause"].with_user(user).browse(self.foam.id).name, "No foam corners")
            with self.assertRaises(AccessError):
                self.env["qms.root.cause"].with_user(user).create({"name": "Mine", "category": "man"})

    def test_happy_path_printed_and_counted(self):
        slip = self._to_action(self._complaint())
        action = self._add_action(slip, action_type="preventive", cause_category="method", cause_id=self.foam.id,
                                  **CHAIN)
        self.assertEqual(action.why_depth, 3)
        with self.assertRaises(ValidationError):
            action.with_user(self.production).cause_id = self.machine  # a cause of another category
        self._implement(action)
        self.assertEqual(action.state, "implemented")
        Report = self.env["ir.actions.report"]
        for report, ids in (("qms_customer.action_report_qms_corrective_action", action.ids),
                            ("qms_customer.action_report_qms_complaint", slip.ids)):
            html = Report._render_qweb_html(report, ids)[0].decode()
            for text in ("Method", "Preventive Action", "No foam corners", CHAIN["because_3"]):
                self.assertIn(text, html, report)
        # the Pareto: actions counted by cause category
        groups = self.env["qms.corrective.action"]._read_group(
            [("id", "=", action.id)], ["cause_category"], ["__count"])
        self.assertEqual(groups, [("method", 1)])

    def test_revised_action_keeps_its_analysis(self):
        slip = self._to_action(self._complaint())
        action = self._add_action(slip, cause_category="method", **CHAIN)
        self._implement(action)
        action.with_user(self.quality).verification_notes = "Damaged again"
        action.with_user(self.quality).action_verify_ineffective()
        action.with_user(self.production).action_revise()
        self.assertEqual((action.state, action.why_3), ("draft", CHAIN["why_3"]))
        # the reconsidered action's analysis is the responsible department's again
        action.with_user(self.production).write({"why_4": "Why no foam corners?", "because_4": "Never specified."})
        with self.assertRaises(UserError):
            action.with_user(self.production).write({"because_4": False})  # a level without its answer
            action.with_user(self.mgmt_rep).action_approve()
        self.assertEqual(action.state, "draft")

    def test_type_set_through_the_slip(self):
        slip = self._to_action(self._complaint())
        slip.with_user(self.quality).write({"corrective_action_ids": [Command.create({
            "description": "Foam corners", "action_type": "correction", "cause_category": "material",
            "responsible_department_id": self.dep_production.id, "implementing_department_id": self.dep_production.id,
            "verifying_department_id": self.dep_quality.id, "date_deadline": "2030-01-31", **CHAIN})]})
        self.assertEqual(slip.corrective_action_ids.mapped("action_type"), ["correction"])
