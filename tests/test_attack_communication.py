from odoo import fields
from odoo.tests import tagged

from .common import QmsHttpCommon

PLAN = "qms.communication.plan"
LINE = "qms.communication.plan.line"
VISIT = "qms.customer.visit"
REQUEST = "qms.service.request"


@tagged("post_install", "-at_install")
class TestAttackCommunication(QmsHttpCommon):
    """Holes of issue #11 in the plans (4.2.1), their planned activities, the visits (4.1.1) and
    the service requests (4.4.1), tried over /json/2 as each role: every call is refused with a
    business error and leaves the records as they were."""

    YEAR = 2030

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")

    def setUp(self):
        super().setUp()
        # a key made in an earlier test was rolled back with it: each test makes its own
        self._api_keys = {}

    def _plan(self, year=None):
        return self.env[PLAN].create({"year": year or self.YEAR, "user_id": self.sales.id})

    def _line(self, plan, month="3", **vals):
        return self.env[LINE].create({"plan_id": plan.id, "partner_id": self.customer.id, "method": "visit_phone",
                                      "month": month, "user_id": self.sales.id, **vals})

    def _approved_plan(self, year=None):
        plan = self._plan(year)
        self._line(plan)
        plan.with_user(self.supervisor).action_approve()
        return plan

    def _line_vals(self, plan):
        return {"plan_id": plan.id, "partner_id": self.customer.id, "method": "visit_email", "month": "5",
                "user_id": self.sales.id}

    # --- the plan: only the Sales Supervisor approves, resets and closes ----------------------
    def test_sales_cannot_close_the_approved_plan(self):
        plan = self._approved_plan()
        self.assertRefused(self.sales, PLAN, "action_close", ids=plan.ids)
        self.assertRefused(self.sales, PLAN, "write", ids=plan.ids, vals={"state": "closed"})
        self.assertRefused(self.sales, PLAN, "action_draft", ids=plan.ids)
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.line_ids.state, "planned")
        self.assertAccepted(self.supervisor, PLAN, "action_close", ids=plan.ids)
        self.assertEqual((plan.state, plan.line_ids.state), ("closed", "missed"))

    def test_sales_cannot_approve_its_own_plan(self):
        plan = self._plan()
        self._line(plan)
        for vals in ({"state": "approved"}, {"approved_by_id": self.sales.id},
                     {"approved_date": fields.Date.to_string(fields.Date.today())}):
            self.assertRefused(self.sales, PLAN, "write", ids=plan.ids, vals=vals)
        self.assertRefused(self.sales, PLAN, "action_approve", ids=plan.ids)
        self.assertRefused(self.sales, PLAN, "create", vals_list=[{
            "year": self.YEAR + 1, "state": "approved", "approved_by_id": self.supervisor.id}])
        self.assertEqual((plan.state, plan.approved_by_id.id), ("draft", False))
        self.assertFalse(self.env[PLAN].search([("year", "=", self.YEAR + 1)]))

    def test_empty_plan_cannot_be_approved(self):
        plan = self._plan()
        self.assertRefused(self.supervisor, PLAN, "action_approve", "no planned activity", ids=plan.ids)
        self.assertRefused(self.supervisor, PLAN, "write", ids=plan.ids, vals={"state": "approved"})
        self.assertRefused(self.admin, PLAN, "write", ids=plan.ids, vals={"state": "approved"})
        self.assertEqual(plan.state, "draft")

    def test_admin_cannot_jump_the_plan_over_its_steps(self):
        plan = self._plan()
        self._line(plan)
        self.assertRefused(self.admin, PLAN, "write", ids=plan.ids, vals={"state": "closed"})
        self.assertEqual(plan.state, "draft")

    # --- planned activities: fixed to their plan, fixed once the plan is approved -------------
    def test_planned_activity_cannot_move_to_another_plan(self):
        first, second = self._plan(), self._plan(self.YEAR + 1)
        line = self._line(first)
        self.assertRefused(self.sales, LINE, "write", ids=line.ids, vals={"plan_id": second.id})
        self.assertRefused(self.sales, PLAN, "write", ids=second.ids, vals={"line_ids": [(4, line.id)]})
        self.assertEqual(line.plan_id, first)

    def test_planned_activity_cannot_move_into_an_approved_plan(self):
        draft, approved = self._plan(), self._approved_plan(self.YEAR + 1)
        line = self._line(draft)
        self.assertRefused(self.sales, PLAN, "write", ids=approved.ids, vals={"line_ids": [(4, line.id)]})
        self.assertRefused(self.sales, LINE, "write", ids=line.ids, vals={"plan_id": approved.id})
        self.assertEqual(line.plan_id, draft)
        self.assertEqual(len(approved.line_ids), 1)

    def test_sales_cannot_add_activities_to_an_approved_plan(self):
        plan = self._approved_plan()
        self.assertRefused(self.sales, LINE, "create", vals_list=[self._line_vals(plan)])
        self.assertRefused(self.sales, PLAN, "write", ids=plan.ids,
                           vals={"line_ids": [(0, 0, {**self._line_vals(plan), "plan_id": False})]})
        self.assertRefused(self.sales, LINE, "write", ids=plan.line_ids.ids, vals={"month": "7"})
        self.assertEqual(len(plan.line_ids), 1)
        self.assertEqual(plan.line_ids.month, "3")

    def test_activity_is_done_only_by_a_communication(self):
        plan = self._approved_plan()
        line = plan.line_ids
        other = self._line(self._plan(self.YEAR + 1))
        logged_elsewhere = self.env["qms.communication"].create({
            "partner_id": self.customer.id, "communication_type": "visit", "channel": "phone",
            "date": f"{self.YEAR}-03-10 09:00:00", "user_id": self.sales.id, "plan_line_id": other.id})
        for user in (self.sales, self.supervisor, self.admin):
            self.assertRefused(user, LINE, "write", ids=line.ids, vals={"state": "done"})
            self.assertRefused(user, LINE, "write", ids=line.ids,
                               vals={"state": "done", "communication_id": logged_elsewhere.id})
            self.assertRefused(user, PLAN, "write", ids=plan.ids, vals={"line_ids": [(1, line.id, {"state": "done"})]})
        self.assertRefused(self.sales, LINE, "create", vals_list=[{
            **self._line_vals(self._plan(self.YEAR + 2)), "state": "done"}])
        self.assertEqual((line.state, line.communication_id.id), ("planned", False))
        # a future activity is not missed yet
        self.assertRefused(self.sales, LINE, "write", ids=line.ids, vals={"state": "missed"})
        self.assertEqual(line.state, "planned")

    # --- service requests: done by its technician, accepted after it is done ------------------
    def _request(self, **vals):
        return self.env[REQUEST].create({
            "service_type": "installation", "partner_id": self.customer.id, "technician_id": self.production.id,
            "work_notes": "Installed and levelled.", **vals})

    def test_only_the_technician_marks_the_service_done(self):
        request = self._request()
        for user in (self.sales, self.supervisor):
            self.assertRefused(user, REQUEST, "action_done", ids=request.ids)
            self.assertRefused(user, REQUEST, "write", ids=request.ids, vals={"state": "done"})
        self.assertRefused(self.admin, REQUEST, "write", ids=request.ids, vals={"state": "done"})
        self.assertEqual(request.state, "planned")
        self.assertAccepted(self.production, REQUEST, "action_done", ids=request.ids)
        self.assertEqual((request.state, request.done_by_id), ("done", self.production))

    def test_acceptance_only_after_the_work_is_done(self):
        request = self._request()
        acceptance = {"acceptance_name": "Mr Wang", "acceptance_date": fields.Date.to_string(fields.Date.today())}
        for user in (self.sales, self.production):
            self.assertRefused(user, REQUEST, "write", ids=request.ids, vals=acceptance)
            self.assertRefused(user, REQUEST, "write", ids=request.ids, vals={**acceptance, "state": "accepted"})
        self.assertRefused(self.sales, REQUEST, "create", vals_list=[{
            "service_type": "training", "partner_id": self.customer.id, **acceptance}])
        self.assertFalse(request.acceptance_name)
        request.with_user(self.production).action_done()
        # the acceptance is written with its step only, which credits who recorded it
        self.assertRefused(self.sales, REQUEST, "write", ids=request.ids, vals=acceptance)
        self.assertFalse(request.acceptance_name)
        self.assertAccepted(self.sales, REQUEST, "write", ids=request.ids, vals={**acceptance, "state": "accepted"})
        self.assertEqual((request.state, request.acceptance_name, request.accepted_recorded_by_id),
                         ("accepted", "Mr Wang", self.sales))
        self.assertRefused(self.sales, REQUEST, "write", ids=request.ids, vals={"acceptance_name": "Someone else"})
        self.assertEqual(request.acceptance_name, "Mr Wang")

    def test_request_stays_with_its_order(self):
        request = self._request(sale_order_id=self.order.id, sale_line_id=self.order.order_line[0].id)
        self.assertRefused(self.sales, REQUEST, "write", ids=request.ids, vals={"sale_order_id": self.other_order.id})
        self.assertRefused(self.sales, REQUEST, "write", ids=request.ids,
                           vals={"sale_line_id": self.other_order.order_line[0].id})
        self.assertRefused(self.sales, REQUEST, "write", ids=request.ids, vals={"name": "SR/FORGED"})
        self.assertEqual((request.sale_order_id, request.sale_line_id), (self.order, self.order.order_line[0]))

    # --- visits: state only by the steps; a recorded visit stays as recorded ------------------
    def test_visit_state_only_by_its_steps(self):
        visit = self.env[VISIT].create({
            "partner_id": self.customer.id, "date_start": f"{self.YEAR}-04-14 09:00:00", "place": "Room 2",
            "user_id": self.sales.id, "receptionist_ids": [(6, 0, [self.sales.id])]})
        for user in (self.sales, self.admin):
            self.assertRefused(user, VISIT, "write", ids=visit.ids, vals={"state": "done"})
        self.assertRefused(self.gm, VISIT, "action_cancel", ids=visit.ids)
        self.assertEqual(visit.state, "draft")
        self.assertAccepted(self.sales, VISIT, "write", ids=visit.ids, vals={"date_end": f"{self.YEAR}-04-14 11:00:00"})
        self.assertAccepted(self.sales, VISIT, "action_done", ids=visit.ids)
        self.assertRefused(self.sales, VISIT, "write", ids=visit.ids, vals={"place": "Somewhere else"})
        self.assertRefused(self.sales, VISIT, "write", ids=visit.ids, vals={"state": "cancel", "place": "Elsewhere"})
        self.assertRefused(self.gm, VISIT, "action_draft", ids=visit.ids)
        self.assertEqual((visit.state, visit.place), ("done", "Room 2"))
