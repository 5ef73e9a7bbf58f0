import calendar
from datetime import date

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .qms_input_guard import check_input
from .qms_reminder_claim import claim_reminders
from .qms_workflow_mixin import Gate, Step

# Methods of communication with existing customers (4.2.2).
METHODS = [
    ("evaluation", "Customer Evaluation (Survey)"),
    ("visit_phone", "Visit by Phone"),
    ("visit_letter", "Visit by Letter"),
    ("visit_email", "Visit by E-mail"),
    ("visit_online", "Online Visit"),
    ("visit_in_person", "Visit in Person"),
    ("trade_show", "Trade Show"),
    ("dealer_reception", "Dealer Reception"),
]
MONTHS = [
    ("1", "January"), ("2", "February"), ("3", "March"), ("4", "April"), ("5", "May"), ("6", "June"),
    ("7", "July"), ("8", "August"), ("9", "September"), ("10", "October"), ("11", "November"),
    ("12", "December"),
]
SALES = "qms_customer.group_qms_sales"

# Clause 4.2.1, plan vs. actual: the transition table of a planned activity. It is done only by a
# communication logged against it, missed once its time has passed (the scheduled action, as the
# system user) or when its plan is closed; Sales drops it from the plan or plans it again.
STEPS = {
    "done": Step(("planned", "missed"), "done", fields=("communication_id",), check="_check_can_done"),
    "reopen": Step(("done",), "planned", clears=("communication_id",), check="_check_can_reopen"),
    "reopen_late": Step(("done",), "missed", clears=("communication_id",), check="_check_can_reopen_late"),
    "mark_missed": Step(("planned",), "missed", check="_check_can_mark_missed"),
    # dropping an activity changes what the approved plan is measured against: the supervisor's
    "cancel": Step(("planned", "missed"), "cancel", group="qms_customer.group_qms_sales_supervisor",
                   check="_check_plan_open"),
    "reset": Step(("cancel", "missed"), "planned", group=SALES, check="_check_plan_open"),
}
# What Sales plans: written while the plan is a draft only (see _qms_closed_reason).
GATES = {
    "plan": Gate(("planned", "done", "missed", "cancel"), (
        "partner_id", "method", "month", "date", "user_id", "note"), group=SALES),
}


class QmsCommunicationPlanLine(models.Model):
    """One planned communication activity with an existing customer."""

    _name = "qms.communication.plan.line"
    _description = "Planned Customer Communication"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.workflow.mixin"]
    _order = "date_planned, plan_id, id"
    _rec_name = "partner_id"
    _qms_steps = STEPS
    _qms_gates = GATES
    # a planned activity belongs to the plan it was written in
    _qms_fixed_fields = ("plan_id",)
    # claimed in SQL by the reminders (qms_reminder_claim.claim_reminders), never written through the ORM
    _qms_server_fields = ("reminded_user_id",)

    plan_id = fields.Many2one("qms.communication.plan", required=True, ondelete="cascade", index=True)
    plan_state = fields.Selection(related="plan_id.state", string="Plan Status")
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    year = fields.Integer(related="plan_id.year", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True,
        domain="[('is_company', '=', True)]")
    method = fields.Selection(METHODS, required=True, default="visit_phone")
    month = fields.Selection(MONTHS, string="Planned Month")
    date = fields.Date(string="Planned Date", help="A precise day, when the activity is fixed to one.")
    date_planned = fields.Date(
        compute="_compute_date_planned", store=True, string="Due",
        help="The planned date, or the first day of the planned month.")
    date_deadline = fields.Date(
        compute="_compute_date_planned", store=True, string="Due by",
        help="The last day on which the activity can be done: the planned date or the month's end.")
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, index=True,
        domain="[('share', '=', False)]")
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("missed", "Missed"), ("cancel", "Cancelled")],
        default="planned", required=True, copy=False)
    communication_ids = fields.One2many("qms.communication", "plan_line_id", string="Communications")
    communication_id = fields.Many2one(
        "qms.communication", string="Fulfilled by", copy=False, readonly=True,
        help="The communication logged against this activity.")
    note = fields.Char()
    reminded_user_id = fields.Many2one(
        "res.users", string="Reminded", copy=False, readonly=True,
        help="Who was last reminded of this activity by the scheduled action; set when the reminder is "
             "claimed, so that two workers running the reminders at once cannot both remind.")
    can_done = fields.Boolean(compute="_compute_can_steps")
    can_cancel = fields.Boolean(compute="_compute_can_steps")
    can_reset = fields.Boolean(compute="_compute_can_steps")
    can_edit_plan = fields.Boolean(compute="_compute_can_edit_gates")

    @api.depends("plan_id.year", "month", "date")
    def _compute_date_planned(self):
        for line in self:
            if line.date:
                line.date_planned = line.date_deadline = line.date
            elif line.month and line.plan_id.year:
                year, month = line.plan_id.year, int(line.month)
                line.date_planned = date(year, month, 1)
                line.date_deadline = date(year, month, calendar.monthrange(year, month)[1])
            else:
                line.date_planned = line.date_deadline = False

    @api.depends("partner_id", "method", "date_planned")
    def _compute_display_name(self):
        methods = dict(self._fields["method"]._description_selection(self.env))
        for line in self:
            when = (line.date_planned and line.date_planned.strftime("%Y-%m")) or ""
            line.display_name = " - ".join(
                part for part in (line.partner_id.display_name, methods.get(line.method), when) if part)

    @api.constrains("month", "date", "plan_id")
    def _check_when(self):
        for line in self:
            if not line.month and not line.date:
                raise ValidationError(self.env._(
                    "Give a planned month or a date for the activity with %(customer)s.",
                    customer=line.partner_id.display_name))
            if line.date and line.date.year != line.plan_id.year:
                raise ValidationError(self.env._(
                    "The activity with %(customer)s is dated outside the plan's year %(year)s.",
                    customer=line.partner_id.display_name, year=line.plan_id.year))

    @api.constrains("partner_id")
    def _check_partner_active(self):
        for line in self:
            if not line.partner_id.active:
                raise ValidationError(self.env._(
                    "The customer %(customer)s is archived: it cannot be planned.",
                    customer=line.partner_id.display_name))

    def _check_plan_editable(self):
        """Activities are added to and removed from a draft plan only."""
        for line in self:
            reason = line._qms_closed_reason()
            if reason:
                raise UserError(reason)

    def _qms_closed_reason(self):
        self.ensure_one()
        plan = self.plan_id
        if plan.state == "draft":
            return False
        return self.env._(
            "The plan %(plan)s is %(state)s: its activities can no longer be changed, only their "
            "status. Ask a Sales Supervisor to reset it to draft.",
            plan=plan.display_name, state=dict(plan._fields["state"]._description_selection(self.env))[plan.state])

    @api.model_create_multi
    def create(self, vals_list):
        check_input(self, vals_list)
        lines = super().create(vals_list)
        lines._check_plan_editable()
        return lines

    def write(self, vals):
        check_input(self, [vals])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved_plan(self):
        self._check_plan_editable()

    @api.constrains("state", "communication_id")
    def _check_done_by_communication(self):
        for line in self:
            if (line.state == "done") != bool(line.communication_id):
                raise ValidationError(self.env._(
                    "%(activity)s is done when, and only when, a communication is logged against it.",
                    activity=line.display_name))

    def _qms_today(self):
        """The day the scheduled actions run for: today, or the day the system user asks for (a
        catch-up run, a test). No client is the system user, so no client can move the day."""
        if self.env.uid == SUPERUSER_ID and self.env.context.get("qms_today"):
            return self.env.context["qms_today"]
        return fields.Date.context_today(self)

    # ==========================================================================================
    # Clause 4.2.1, plan vs. actual: done by a logged communication, missed when its time passed.
    # ==========================================================================================
    def _check_plan_open(self, vals):
        if self.plan_id.state == "closed":
            raise UserError(self.env._(
                "The plan %(plan)s is closed: the status of %(activity)s can no longer change.",
                plan=self.plan_id.display_name, activity=self.display_name))

    def _check_can_done(self, vals):
        self._check_plan_open(vals)
        communication = self.env["qms.communication"].browse(vals.get("communication_id")).exists()
        if not communication or communication.sudo().plan_line_id != self:
            raise UserError(self.env._(
                "%(activity)s is done by logging a communication against it.", activity=self.display_name))

    def _check_can_reopen(self, vals):
        self._check_plan_open(vals)
        if self.communication_id in self.communication_ids:
            raise UserError(self.env._(
                "%(activity)s is fulfilled by %(communication)s: remove that communication first.",
                activity=self.display_name, communication=self.communication_id.display_name))

    def _check_can_reopen_late(self, vals):
        self._check_can_reopen(vals)
        self._check_can_mark_missed(vals)

    def _check_can_mark_missed(self, vals):
        if self.plan_id.state != "closed" and not (self.date_deadline and self.date_deadline < self._qms_today()):
            raise UserError(self.env._(
                "%(activity)s is due by %(deadline)s: it is not missed yet.",
                activity=self.display_name, deadline=self.date_deadline))

    def _sync_state_from_communications(self):
        """A line is done as soon as a communication is logged against it (and planned again
        when that communication goes away, missed if its time has passed)."""
        for line in self:
            communication = line.communication_ids.sorted("date")[:1]
            if line.state == "done" and (not communication or line.communication_id != communication):
                late = line.date_deadline and line.date_deadline < line._qms_today()
                line._qms_take("reopen_late" if late else "reopen")
            if communication and line.state in ("planned", "missed"):
                line._qms_take("done", communication_id=communication.id)

    def action_cancel(self):
        """Drop an activity from the plan; it no longer counts in plan vs. actual."""
        return self._qms_take("cancel")

    def action_reset(self):
        """Put a cancelled or missed activity back in the plan."""
        return self._qms_take("reset")

    def action_log_communication(self):
        """Open a new communication prefilled from this activity: saving it marks the line done."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.qms_communication_action")
        action.update({
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {f"default_{k}": v for k, v in self._prepare_communication_vals().items()},
        })
        return action

    def _prepare_communication_vals(self):
        """Values of the communication that fulfils this activity."""
        self.ensure_one()
        if self.method.startswith("visit_"):
            ctype, channel = "visit", self.method.removeprefix("visit_")
        else:
            ctype, channel = self.method, False
        return {
            "plan_line_id": self.id,
            "partner_id": self.partner_id.id,
            "communication_type": ctype,
            "channel": channel,
            "customer_status": "existing",
            "user_id": self.user_id.id or self.env.uid,
        }

    @api.model
    def _cron_mark_missed(self, today=None):
        """Mark as missed the planned activities whose month (or date) has passed."""
        today = today or fields.Date.context_today(self)
        lines = self.search([("state", "=", "planned"), ("date_deadline", "<", today),
                             ("plan_id.state", "in", ("draft", "approved"))])
        lines.with_context(qms_today=today)._qms_take("mark_missed")
        return lines

    @api.model
    def _cron_remind_due(self, today=None):
        """Schedule one to-do for each activity due this month; running it twice adds nothing."""
        today = today or fields.Date.context_today(self)
        first = today.replace(day=1)
        last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
        todo = self.env.ref("mail.mail_activity_data_todo")
        lines = self.search([("state", "=", "planned"), ("plan_id.state", "=", "approved"),
                             ("date_planned", "<=", last), ("date_deadline", ">=", first),
                             ("user_id", "!=", False)])
        lines = claim_reminders(lines, "reminded_user_id", "user_id")
        # done reminders are archived, not deleted: look at them too, or they would come back
        # (lines reminded before the claim existed have no reminded_user_id but have the activity)
        reminded = self.env["mail.activity"].with_context(active_test=False).search([
            ("res_model", "=", self._name), ("res_id", "in", lines.ids), ("activity_type_id", "=", todo.id),
        ])
        already = {(act.res_id, act.user_id.id) for act in reminded}
        new = lines.filtered(lambda line: (line.id, line.user_id.id) not in already)
        for line in new:
            line.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=max(line.date_deadline, today),
                summary=self.env._("Customer communication due: %(activity)s", activity=line.display_name),
                user_id=line.user_id.id,
            )
        return new

    def action_send_evaluation(self):
        """Send the evaluation survey of a planned customer evaluation: the communication that
        fulfils the activity is created first when there is none yet."""
        Communication = self.env["qms.communication"]
        for line in self:
            if line.method != "evaluation":
                raise UserError(self.env._(
                    "%(activity)s is not a customer evaluation: no survey to send.", activity=line.display_name))
            if line.state == "cancel" or line.plan_id.state == "closed":
                raise UserError(self.env._(
                    "%(activity)s is cancelled or its plan is closed.", activity=line.display_name))
            communication = line.communication_ids.filtered(
                lambda c: c.communication_type == "evaluation").sorted("date")[:1]
            if not communication:
                communication = Communication.create(
                    {**line._prepare_communication_vals(), "company_id": line.company_id.id})
            communication.action_send_evaluation()
        return True
