from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import QmsCommunicationCommon


@tagged("post_install", "-at_install")
class TestCommunicationPlan(QmsCommunicationCommon):

    def _fill(self, plan, activities=(("visit_phone", "3"), ("evaluation", "10")), **vals):
        wizard_form = Form(self.env["qms.communication.plan.fill"].with_context(default_plan_id=plan.id))
        for field, value in vals.items():
            setattr(wizard_form, field, value)
        wizard = wizard_form.save()
        wizard.activity_ids = [(5, 0, 0)] + [(0, 0, {"method": m, "month": mo}) for m, mo in activities]
        wizard.action_fill()
        return wizard

    # --- the wizard -------------------------------------------------------------------------
    def test_wizard_plans_existing_customers_only(self):
        plan = self._plan()
        wizard = self._fill(plan)
        self.assertEqual((wizard.date_from, wizard.date_to), (date(self.YEAR - 1, 1, 1), date(self.YEAR - 1, 12, 31)))
        # A bought last year (through a contact); B only had a quotation last year; the archived
        # customer is left out; the new customer never bought
        self.assertEqual(plan.line_ids.partner_id, self.customer_a)
        self.assertEqual(sorted(plan.line_ids.mapped("method")), ["evaluation", "visit_phone"])
        self.assertEqual(plan.line_ids.user_id, self.sales, "the customer's salesperson is responsible")
        self.assertEqual(set(plan.line_ids.mapped("state")), {"planned"})

    def test_wizard_rerun_adds_no_duplicate(self):
        plan = self._plan()
        self._fill(plan)
        self._fill(plan)
        self.assertEqual(len(plan.line_ids), 2)
        keys = [(line.partner_id, line.method, line.month) for line in plan.line_ids]
        self.assertEqual(len(keys), len(set(keys)))
        # a new method is added, the existing ones are kept once
        self._fill(plan, activities=(("visit_phone", "3"), ("trade_show", "6")))
        self.assertEqual(len(plan.line_ids), 3)

    def test_wizard_look_back_is_configurable(self):
        plan = self._plan()
        self._fill(plan, date_from=date(self.YEAR - 1, 1, 1), date_to=date(self.YEAR, 12, 31))
        self.assertEqual(plan.line_ids.partner_id, self.customer_a | self.customer_b)

    def test_wizard_only_on_draft_plan(self):
        plan = self._plan()
        self._fill(plan)
        plan.with_user(self.supervisor).action_approve()
        with self.assertRaises(UserError):
            self._fill(plan)

    # --- plan vs. actual --------------------------------------------------------------------
    def test_approval_and_plan_vs_actual_only_through_the_steps(self):
        """Sales cannot approve its own plan nor mark an activity done without a communication."""
        plan = self._plan()
        line = self._line(plan)
        for record, vals in ((plan, {"state": "approved"}), (plan, {"approved_by_id": self.sales.id}),
                             (line, {"state": "done"})):
            with self.assertRaises(UserError):
                record.with_user(self.sales).write(vals)
        self.assertEqual((plan.state, line.state), ("draft", "planned"))
        plan.with_user(self.supervisor).action_approve()
        self._communication(plan_line_id=line.id)
        self.assertEqual((plan.state, line.state), ("approved", "done"))

    def test_plan_vs_actual(self):
        plan = self._plan()
        methods = ("visit_phone", "visit_email", "evaluation", "trade_show", "visit_letter")
        lines = [self._line(plan, method=method, month=str(month)) for month, method in enumerate(methods, 1)]
        self._communication(plan_line_id=lines[0].id)
        self._communication(plan_line_id=lines[1].id, channel="email")
        self.env["qms.communication.plan.line"]._cron_mark_missed(today=date(self.YEAR, 4, 1))  # March passed
        lines[4].action_cancel()
        self.assertEqual((plan.done_count, plan.planned_count, plan.missed_count, plan.line_count), (2, 1, 1, 4))
        self.assertAlmostEqual(plan.progress, 50.0)

    def test_communication_marks_line_done_and_back(self):
        plan = self._plan()
        line = self._line(plan, month="12")
        communication = self._communication(plan_line_id=line.id)
        self.assertEqual(line.state, "done")
        self.assertEqual(line.communication_id, communication)
        communication.unlink()
        self.assertEqual(line.state, "planned")
        self.assertFalse(line.communication_id)

    def test_log_communication_prefills_from_line(self):
        plan = self._plan()
        line = self._line(plan, method="visit_in_person")
        action = line.action_log_communication()
        form = Form(self.env["qms.communication"].with_context(action["context"]))
        form.date = f"{self.YEAR}-03-12 10:00:00"
        communication = form.save()
        self.assertEqual((communication.communication_type, communication.channel), ("visit", "in_person"))
        self.assertEqual(communication.customer_status, "existing")
        self.assertEqual(line.state, "done")

    # --- scheduled actions ------------------------------------------------------------------
    def test_cron_marks_passed_lines_missed(self):
        plan = self._plan()
        march, april, dated = (self._line(plan, month="3"), self._line(plan, month="4", method="evaluation"),
                               self._line(plan, month=False, date=date(self.YEAR, 4, 2), method="trade_show"))
        done = self._line(plan, month="2", method="visit_email")
        self._communication(plan_line_id=done.id, channel="email")
        with freeze_time(f"{self.YEAR}-04-05"):
            self.env["qms.communication.plan.line"]._cron_mark_missed()
        self.assertEqual((march.state, april.state, dated.state, done.state), ("missed", "planned", "missed", "done"))
        # running it again changes nothing
        self.env["qms.communication.plan.line"]._cron_mark_missed(today=date(self.YEAR, 4, 5))
        self.assertEqual((march.state, april.state), ("missed", "planned"))

    def test_cron_reminds_once_per_line_due_this_month(self):
        plan = self._plan()
        due, later = self._line(plan, month="4"), self._line(plan, month="9", method="evaluation")
        plan.with_user(self.supervisor).action_approve()
        Line = self.env["qms.communication.plan.line"]
        reminded = Line._cron_remind_due(today=date(self.YEAR, 4, 3))
        self.assertEqual(reminded, due)
        self.assertEqual(len(due.activity_ids), 1)
        self.assertEqual(due.activity_ids.user_id, self.sales)
        self.assertFalse(later.activity_ids)
        self.assertFalse(Line._cron_remind_due(today=date(self.YEAR, 4, 20)), "no duplicate activity")
        self.assertEqual(len(due.activity_ids), 1)
        # marked done: archived, still not reminded again
        due.activity_ids.action_feedback(feedback="called")
        self.assertFalse(Line._cron_remind_due(today=date(self.YEAR, 4, 21)))

    def test_year_end_closes_plan(self):
        plan = self._plan()
        line = self._line(plan, month="12")
        plan.with_user(self.supervisor).action_approve()
        self.env["qms.communication.plan"]._cron_close_past_plans(today=date(self.YEAR, 12, 31))
        self.assertEqual(plan.state, "approved")
        self.env["qms.communication.plan"]._cron_close_past_plans(today=date(self.YEAR + 1, 1, 2))
        self.assertEqual((plan.state, line.state), ("closed", "missed"))
        with self.assertRaises(UserError):
            line.state = "planned"

    # --- approval and constraints -----------------------------------------------------------
    def test_supervisor_approves(self):
        plan = self._plan()
        self._line(plan)
        with self.assertRaises(AccessError):
            plan.with_user(self.sales).action_approve()
        plan.with_user(self.supervisor).action_approve()
        self.assertEqual((plan.state, plan.approved_by_id), ("approved", self.supervisor))
        with self.assertRaises(UserError):
            plan.with_user(self.supervisor).action_approve()
        plan.with_user(self.supervisor).action_draft()
        self.assertEqual(plan.state, "draft")

    def test_cannot_approve_empty_plan(self):
        plan = self._plan()
        with self.assertRaisesRegex(UserError, "no planned activity"):
            plan.with_user(self.supervisor).action_approve()
        self._line(plan).action_cancel()
        with self.assertRaises(UserError):
            plan.with_user(self.supervisor).action_approve()
        self.assertEqual(plan.state, "draft")

    def test_one_plan_per_company_and_year(self):
        self._plan()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._plan()
            self.env.flush_all()

    def test_other_year_or_company_may_have_a_plan(self):
        plan = self._plan()
        other_company = self.env["res.company"].create({"name": "Test Other Company"})
        second = self._plan(year=self.YEAR + 1) | self._plan(company_id=other_company.id)
        self.env.flush_all()
        self.assertEqual(len(plan | second), 3)

    def test_no_line_for_archived_customer(self):
        plan = self._plan()
        with self.assertRaisesRegex(ValidationError, "archived"):
            self._line(plan, partner=self.customer_archived)

    def test_line_needs_month_or_date_in_plan_year(self):
        plan = self._plan()
        with self.assertRaises(ValidationError):
            self._line(plan, month=False)
        with self.assertRaises(ValidationError):
            self._line(plan, month=False, date=date(self.YEAR + 1, 1, 5))

    def test_approved_plan_lines_are_fixed_except_state(self):
        plan = self._plan()
        line = self._line(plan)
        plan.with_user(self.supervisor).action_approve()
        for vals in ({"month": "5"}, {"partner_id": self.customer_b.id}, {"method": "evaluation"}):
            with self.assertRaisesRegex(UserError, "can no longer be changed"):
                line.write(vals)
        with self.assertRaises(UserError):
            self._line(plan, method="evaluation")
        with self.assertRaises(UserError):
            line.unlink()
        with self.assertRaisesRegex(UserError, "not missed yet"):
            line.state = "missed"
        with freeze_time(f"{self.YEAR}-04-05"):
            line.state = "missed"
        line.action_reset()
        self.assertEqual((line.month, line.state), ("3", "planned"))
        with self.assertRaises(UserError):
            plan.unlink()

    def test_plan_name_and_chatter(self):
        plan = self._plan()
        self._line(plan)
        self.env.cr.flush()  # close the creation's tracking: changes made at creation are not tracked
        plan.with_user(self.supervisor).action_approve()
        self.env.flush_all()
        self.env.cr.flush()  # tracking values are written when the cursor flushes its precommit hooks
        self.assertEqual(plan.name, f"Customer Communication Plan {self.YEAR}")
        plan.invalidate_recordset(["message_ids"])
        self.assertTrue(plan.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state"))
