from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import QmsComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintAccess(QmsComplaintCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # one slip recorded by an ordinary employee, one by sales, at different stages
        cls.by_employee = cls.env["qms.complaint"].with_user(cls.employee).create({
            "partner_id": cls.customer.id, "category": "service", "description": "<p>Rude driver</p>"})
        cls.draft = cls._complaint_cls(cls.sales)
        cls.at_quality = cls._complaint_cls(cls.sales)
        cls.at_quality.with_user(cls.sales).action_submit()
        cls.at_quality.with_user(cls.supervisor).action_supervisor_review()

    @classmethod
    def _complaint_cls(cls, user):
        return cls.env["qms.complaint"].with_user(user).create({
            "partner_id": cls.customer.id, "sale_order_id": cls.order.id, "category": "product",
            "line_ids": [(0, 0, {"sale_line_id": cls.order.order_line[0].id, "qty_complained": 1})]})

    def _visible(self, user, records):
        return self.env["qms.complaint"].with_user(user).search([("id", "in", records.ids)])

    def test_who_sees_which_slip(self):
        slips = self.by_employee | self.draft | self.at_quality
        expected = {
            "employee": self.by_employee,
            "production": self.env["qms.complaint"],
            "sales": slips,
            "supervisor": slips,
            "quality": self.at_quality,
            "mgmt_rep": slips,
            "gm": slips,
        }
        for role, visible in expected.items():
            user = getattr(self, role)
            with self.subTest(role=role):
                self.assertEqual(self._visible(user, slips), visible)
                Complaint = self.env["qms.complaint"].with_user(user)
                self.assertEqual(Complaint.search_count([("id", "in", slips.ids)]), len(visible))
                groups = Complaint._read_group([("id", "in", slips.ids)], ["state"], ["__count"])
                self.assertEqual(sum(count for _state, count in groups), len(visible), "grouped reads leak nothing")

    def test_hidden_slip_cannot_be_read(self):
        with self.assertRaises(AccessError):
            self.draft.with_user(self.employee).read(["name"])
        with self.assertRaises(AccessError):
            self.draft.with_user(self.quality).read(["description"])
        with self.assertRaises(AccessError):
            self.by_employee.with_user(self.production).read(["name"])

    def test_general_manager_reads_but_does_not_edit(self):
        self.assertTrue(self.draft.with_user(self.gm).read(["name"]))
        with self.assertRaises(AccessError):
            self.draft.with_user(self.gm).write({"severity": "critical"})

    def test_employee_edits_only_own(self):
        self.by_employee.with_user(self.employee).write({"severity": "major"})
        self.assertEqual(self.by_employee.severity, "major")
        with self.assertRaises(AccessError):
            self.draft.with_user(self.employee).write({"severity": "major"})

    def test_gates_refused_for_other_roles(self):
        complaint = self._complaint()
        complaint.with_user(self.sales).action_submit()
        for user in (self.employee, self.sales, self.quality, self.mgmt_rep, self.gm):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                complaint.with_user(user).action_supervisor_review()
        complaint.with_user(self.supervisor).action_supervisor_review()
        with self.assertRaises(AccessError):  # Quality's disposition is Quality's to write
            complaint.with_user(self.sales).quality_disposition = "ok"
        complaint.with_user(self.quality).write({
            "quality_disposition": "ok", "responsibility_finding": "transport",
            "responsible_department_id": self.dep_production.id})
        for user in (self.supervisor, self.mgmt_rep, self.gm):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                complaint.with_user(user).action_confirm_responsible()
        complaint.with_user(self.quality).action_confirm_responsible()
        action = self._add_action(complaint)
        for user in (self.quality, self.supervisor, self.production, self.gm):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                action.with_user(user).action_approve()
        self.assertEqual(action.state, "draft")
        action.with_user(self.mgmt_rep).action_approve()
        # implementing = production: the warehouse employee is not a member
        with self.assertRaises(AccessError):
            action.with_user(self.employee).action_start()
        self._implement_started(action)
        for user in (self.employee, self.quality, self.gm):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                complaint.with_user(user).action_reply()
        self._reply(complaint)
        with self.assertRaises(AccessError):
            action.with_user(self.production).action_verify_effective()
        action.with_user(self.quality).effectiveness_evidence = "Ten deliveries checked."
        action.with_user(self.quality).action_verify_effective()
        with self.assertRaises(AccessError):  # the verification is the management representative's
            complaint.with_user(self.sales).write({"verification_notes": "ok", "customer_satisfied": "yes"})
        complaint.with_user(self.mgmt_rep).write({"verification_notes": "ok", "customer_satisfied": "yes"})
        for user in (self.quality, self.supervisor, self.gm):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                complaint.with_user(user).action_close()
        with self.assertRaises(AccessError):
            complaint.with_user(self.sales).action_cancel()
        complaint.with_user(self.mgmt_rep).action_close()
        self.assertEqual(complaint.state, "done")

    def _implement_started(self, action):
        action.with_user(self.production).action_start()
        action.with_user(self.production).implementation_notes = "done"
        action.with_user(self.production).action_implemented()

    def test_corrective_action_by_department(self):
        complaint = self._to_action(self._complaint())
        action = self._add_action(complaint, implementing_department_id=self.dep_warehouse.id)
        Action = self.env["qms.corrective.action"]
        # responsible = production, implementing = warehouse (employee), verifying = quality
        for user, sees in ((self.production, True), (self.employee, True), (self.quality, True),
                           (self.mgmt_rep, True), (self.gm, True), (self.sales, True)):
            with self.subTest(user=user.login):
                self.assertEqual(bool(Action.with_user(user).search([("id", "=", action.id)])), sees)
        outsider = self._user("t_outsider", "base.group_user", self.env["hr.department"].create({"name": "HR"}))
        self.assertFalse(Action.with_user(outsider).search([("id", "=", action.id)]))
        self.assertEqual(Action.with_user(outsider).search_count([]), 0)
        with self.assertRaises(AccessError):
            action.with_user(outsider).read(["description"])
        # the implementing department's member sees the slip the action belongs to, read-only
        self.assertTrue(complaint.with_user(self.employee).read(["name"]))
        with self.assertRaises(AccessError):
            complaint.with_user(self.employee).write({"reply_text": "<p>x</p>"})
        # the responsible department plans the action; the implementing one and the general manager
        # only read it
        action.with_user(self.production).date_deadline = "2030-02-28"
        for user in (self.employee, self.gm):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                action.with_user(user).date_deadline = "2030-03-31"

    def test_department_sees_slip_while_an_action_names_it(self):
        """A department's members see a slip (and its lines) exactly while one of its corrective
        actions names their department, whichever of the three roles, whatever its state."""
        dep_hr = self.env["hr.department"].create({"name": "Test HR"})
        member = self._user("t_hr", "base.group_user", dep_hr)
        complaint = self._to_action(self._complaint())
        Complaint = self.env["qms.complaint"].with_user(member)
        Line = self.env["qms.complaint.line"].with_user(member)

        def sees():
            slip = Complaint.search([("id", "=", complaint.id)])
            self.assertEqual(Complaint.search_count([("id", "=", complaint.id)]), len(slip))
            self.assertEqual(bool(Line.search([("complaint_id", "=", complaint.id)])), bool(slip))
            # the rule checked on records in memory (a page of slips) agrees with the SQL search
            self.env.invalidate_all()
            self.assertEqual(complaint.with_user(member).has_access("read"), bool(slip))
            return bool(slip)

        self.assertFalse(sees())
        action = self._add_action(complaint, verifying_department_id=dep_hr.id)
        self.assertTrue(sees())
        self.assertTrue(complaint.with_user(member).read(["name"]))
        self.assertEqual(complaint.action_department_ids, self.dep_production | dep_hr)
        # an archived department's members keep what they saw, on a page of slips as in a search
        dep_hr.action_archive()
        self.assertTrue(sees())
        self.assertTrue(complaint.with_user(member).read(["name"]))
        dep_hr.action_unarchive()
        action.with_user(self.quality).verifying_department_id = self.dep_quality
        self.assertFalse(sees())
        self.assertEqual(complaint.action_department_ids, self.dep_production | self.dep_quality)
        with self.assertRaises(AccessError):
            complaint.with_user(member).read(["name"])
        action.with_user(self.quality).implementing_department_id = dep_hr
        self.assertTrue(sees())
        action.with_user(self.quality).unlink()
        self.assertFalse(sees())
        self.assertEqual(complaint.action_department_ids, self.dep_production, "the slip's responsible department")
        # a cancelled slip's actions are cancelled, not removed: the department keeps reading it
        self._add_action(complaint, responsible_department_id=dep_hr.id)
        complaint.with_user(self.supervisor)._do_cancel("Recorded twice")
        self.assertEqual(complaint.corrective_action_ids.mapped("state"), ["cancel"])
        self.assertTrue(sees())
        # the field searches like a many2many, both ways
        All = self.env["qms.complaint"]
        self.assertIn(complaint, All.search([("action_department_ids", "in", dep_hr.ids)]))
        self.assertNotIn(complaint, All.search([("action_department_ids", "not in", dep_hr.ids)]))
        self.assertIn(complaint, All.search([("action_department_ids", "not in", self.dep_sales.ids)]))
        self.assertIn(complaint, All.search([("action_department_ids", "in", ["Test HR"])]))
        self.assertNotIn(complaint, All.search([("action_department_ids", "=", False)]))
        self.assertIn(complaint, All.search([("action_department_ids", "!=", False)]))
        # the integrity check compares the stored departments with the actions' (bench, upgrades)
        self.assertEqual(self.env["qms.complaint"]._qms_integrity_problems(), [])
        self.env.cr.execute("DELETE FROM qms_complaint_action_department_rel WHERE complaint_id = %s",
                            [complaint.id])
        [(problem, names)] = self.env["qms.complaint"]._qms_integrity_problems()
        self.assertIn("stored action departments", problem)
        self.assertEqual(names, [complaint.name])

    def test_company_isolation(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.env["qms.complaint"].create({
            "partner_id": self.other_customer.id, "company_id": other_company.id, "category": "service"})
        for role in ("sales", "supervisor", "quality", "mgmt_rep", "gm"):
            user = getattr(self, role)
            with self.subTest(role=role):
                Complaint = self.env["qms.complaint"].with_user(user)
                self.assertFalse(Complaint.search([("id", "=", foreign.id)]))
                self.assertEqual(Complaint.search_count([("company_id", "=", other_company.id)]), 0)
                self.assertFalse(Complaint._read_group([("company_id", "=", other_company.id)], [], ["__count"])[0][0])
                with self.assertRaises(AccessError):
                    foreign.with_user(user).read(["name"])
