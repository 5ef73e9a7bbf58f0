from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import QmsCommunicationCommon

MODELS = ("qms.customer.visit", "qms.communication", "qms.communication.plan", "qms.communication.plan.line",
          "qms.customer.requirement", "qms.customer.visit.visitor")


@tagged("post_install", "-at_install")
class TestCommunicationAccess(QmsCommunicationCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # one set of records the employee took part in, one they did not
        cls.visit_mine = cls._make_visit(cls.employee, "Mine")
        cls.visit_other = cls._make_visit(cls.sales, "Other")
        cls.comm_mine = cls._make_communication(cls.employee)
        cls.comm_other = cls._make_communication(cls.sales)
        cls.plan = cls.env["qms.communication.plan"].create({"year": cls.YEAR, "user_id": cls.sales.id})
        Line = cls.env["qms.communication.plan.line"]
        cls.line_mine = Line.create({"plan_id": cls.plan.id, "partner_id": cls.customer_a.id, "month": "3",
                                     "method": "visit_phone", "user_id": cls.employee.id})
        cls.line_other = Line.create({"plan_id": cls.plan.id, "partner_id": cls.customer_a.id, "month": "4",
                                      "method": "evaluation", "user_id": cls.sales.id})

    @classmethod
    def _make_visit(cls, receptionist, visitor):
        return cls.env["qms.customer.visit"].create({
            "partner_id": cls.customer_a.id, "date_start": f"{cls.YEAR}-04-14 09:00:00", "user_id": cls.sales.id,
            "receptionist_ids": [(6, 0, receptionist.ids)], "visitor_ids": [(0, 0, {"name": visitor})],
            "requirement_ids": [(0, 0, {"kind": "function", "description": f"Heard by {receptionist.name}"})],
        })

    @classmethod
    def _make_communication(cls, participant):
        return cls.env["qms.communication"].create({
            "partner_id": cls.customer_a.id, "communication_type": "trade_show", "user_id": cls.sales.id,
            "participant_ids": [(6, 0, participant.ids)],
            "requirement_ids": [(0, 0, {"kind": "market", "description": f"Told {participant.name}"})],
        })

    def _visible(self, user, records):
        return records.with_user(user).search([("id", "in", records.ids)])

    def test_employee_sees_only_what_they_took_part_in(self):
        emp = self.employee
        self.assertEqual(self._visible(emp, self.visit_mine | self.visit_other), self.visit_mine)
        self.assertEqual(self._visible(emp, self.comm_mine | self.comm_other), self.comm_mine)
        self.assertEqual(self._visible(emp, self.line_mine | self.line_other), self.line_mine)
        self.assertEqual(self._visible(emp, self.plan), self.plan, "responsible of one of its lines")
        requirements = ((self.visit_mine | self.visit_other).requirement_ids
                        | (self.comm_mine | self.comm_other).requirement_ids)
        self.assertEqual(self._visible(emp, requirements),
                         self.visit_mine.requirement_ids | self.comm_mine.requirement_ids)
        visitors = (self.visit_mine | self.visit_other).visitor_ids
        self.assertEqual(self._visible(emp, visitors), self.visit_mine.visitor_ids)
        with self.assertRaises(AccessError):
            self.visit_other.with_user(emp).read(["place"])

    def test_employee_cannot_write_or_create(self):
        with self.assertRaises(AccessError):
            self.visit_mine.with_user(self.employee).write({"place": "Hall"})
        with self.assertRaises(AccessError):
            self.env["qms.customer.visit"].with_user(self.employee).create(
                {"partner_id": self.customer_a.id})
        with self.assertRaises(AccessError):
            self.env["qms.communication"].with_user(self.employee).create(
                {"partner_id": self.customer_a.id, "communication_type": "enquiry"})

    def test_sales_create_and_edit(self):
        sales = self.sales
        visit = self.env["qms.customer.visit"].with_user(sales).create({
            "partner_id": self.customer_b.id, "date_start": f"{self.YEAR}-05-02 09:00:00",
            "date_end": f"{self.YEAR}-05-02 10:00:00",
            "requirement_ids": [(0, 0, {"kind": "service", "description": "x"})],
        })
        visit.action_done()
        communication = self.env["qms.communication"].with_user(sales).create({
            "partner_id": self.customer_a.id, "communication_type": "visit", "channel": "email",
            "plan_line_id": self.line_other.id, "satisfaction_score": 4,
        })
        self.assertEqual(self.line_other.state, "done")
        communication.write({"summary": "<p>ok</p>"})
        plan = self.env["qms.communication.plan"].with_user(sales).create({"year": self.YEAR + 1})
        self.env["qms.communication.plan.line"].with_user(sales).create(
            {"plan_id": plan.id, "partner_id": self.customer_b.id, "month": "2"})
        self.assertEqual(self._visible(sales, self.visit_mine | self.visit_other), self.visit_mine | self.visit_other)
        with self.assertRaises(AccessError):
            plan.with_user(sales).action_approve()

    def test_supervisor_approves(self):
        self.plan.with_user(self.supervisor).action_approve()
        self.assertEqual(self.plan.state, "approved")

    def test_quality_mgmt_rep_gm_read_everything_write_nothing(self):
        records = {
            "qms.customer.visit": self.visit_mine | self.visit_other,
            "qms.communication": self.comm_mine | self.comm_other,
            "qms.communication.plan.line": self.line_mine | self.line_other,
            "qms.communication.plan": self.plan,
        }
        for user in (self.quality, self.mgmt_rep, self.gm):
            for model, recs in records.items():
                self.assertEqual(self._visible(user, recs), recs, f"{user.login} reads {model}")
                with self.assertRaises(AccessError, msg=f"{user.login} writes {model}"):
                    recs.with_user(user).write({"user_id": user.id})
            with self.assertRaises(AccessError):
                self.plan.with_user(user).action_approve()

    def test_multi_company_rule(self):
        other_company = self.env["res.company"].create({"name": "Test Other Company"})
        foreign = self.env["qms.customer.visit"].create({
            "partner_id": self.customer_b.id, "company_id": other_company.id,
            "receptionist_ids": [(6, 0, self.sales.ids)],
            "requirement_ids": [(0, 0, {"kind": "service", "description": "x"})],
        })
        foreign_plan = self.env["qms.communication.plan"].create({"year": self.YEAR, "company_id": other_company.id})
        for user in (self.sales, self.gm):
            self.assertFalse(self._visible(user, foreign), user.login)
            self.assertFalse(self._visible(user, foreign.requirement_ids), user.login)
            self.assertFalse(self._visible(user, foreign_plan), user.login)
        self.sales.write({"company_ids": [(4, other_company.id)]})
        self.assertEqual(foreign.with_user(self.sales).with_context(
            allowed_company_ids=[other_company.id]).search([("id", "=", foreign.id)]), foreign)

    def test_every_model_has_a_multi_company_rule(self):
        for model in MODELS:
            rules = self.env["ir.rule"].search([("model_id.model", "=", model), ("global", "=", True)])
            self.assertEqual(len(rules), 1, model)
            self.assertIn("company_ids", rules.domain_force)
