from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError

from .qms_input_guard import check_input
from .qms_workflow_mixin import Gate, Step

SALES = "qms_customer.group_qms_sales"
SUPERVISOR = "qms_customer.group_qms_sales_supervisor"

# Clause 4.2.1, the transition table of the customer communication plan: Sales writes it at the
# start of the year, the Sales Supervisor approves it (or sends it back), and it is closed at year
# end (by the Sales Supervisor, or by the scheduled action as the system user once the year is over).
STEPS = {
    "approve": Step(("draft",), "approved", group=SUPERVISOR, stamp=("approved_by_id", "approved_date"),
                    check="_check_can_approve"),
    "reset": Step(("approved",), "draft", group=SUPERVISOR, clears=("approved_by_id", "approved_date")),
    "close": Step(("approved",), "closed", group=SUPERVISOR, then="_after_close"),
}
# What Sales writes while the plan is a draft; its activities are fixed by their own table.
GATES = {
    "plan": Gate(("draft",), ("year", "user_id", "company_id"), group=SALES),
}


class QmsCommunicationPlan(models.Model):
    """The customer communication plan of one company for one year (clause 4.2.1).

    Sales writes it at the start of the year, the Sales Supervisor approves it, and it is closed
    at year end; its lines are the planned activities with existing customers.
    """

    _name = "qms.communication.plan"
    _description = "Customer Communication Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.workflow.mixin"]
    _order = "year desc, id desc"
    _qms_steps = STEPS
    _qms_gates = GATES

    name = fields.Char(compute="_compute_name", store=True)
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    user_id = fields.Many2one(
        "res.users", string="Owner", required=True, default=lambda self: self.env.user, tracking=True,
        domain=lambda self: [("group_ids", "in", self.env.ref("qms_customer.group_qms_sales").id)])
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("closed", "Closed")],
        default="draft", required=True, tracking=True, copy=False)
    line_ids = fields.One2many("qms.communication.plan.line", "plan_id", string="Planned Activities", copy=True)
    approved_by_id = fields.Many2one("res.users", string="Approved by", readonly=True, copy=False)
    approved_date = fields.Date(string="Approved on", readonly=True, copy=False)
    note = fields.Html()
    line_count = fields.Integer(compute="_compute_progress", string="Planned Activities Count")
    done_count = fields.Integer(compute="_compute_progress", string="Done")
    planned_count = fields.Integer(compute="_compute_progress", string="Planned")
    missed_count = fields.Integer(compute="_compute_progress", string="Missed")
    progress = fields.Float(compute="_compute_progress", string="Progress (%)")
    can_approve = fields.Boolean(compute="_compute_can_steps")
    can_reset = fields.Boolean(compute="_compute_can_steps")
    can_close = fields.Boolean(compute="_compute_can_steps")
    can_edit_plan = fields.Boolean(compute="_compute_can_edit_gates")

    _year_company_uniq = models.Constraint(
        "unique (company_id, year)",
        "There is already a communication plan for this company and year.",
    )
    _year_check = models.Constraint(
        "CHECK (year BETWEEN 2000 AND 2999)",
        "The year of a communication plan must be written with four digits.",
    )

    @api.depends("year")
    def _compute_name(self):
        for plan in self:
            plan.name = self.env._("Customer Communication Plan %(year)s", year=plan.year)

    @api.depends("line_ids.state")
    def _compute_progress(self):
        # Plan vs. actual: cancelled lines are out of the plan and do not count.
        for plan in self:
            states = plan.line_ids.mapped("state")
            plan.done_count = states.count("done")
            plan.planned_count = states.count("planned")
            plan.missed_count = states.count("missed")
            plan.line_count = plan.done_count + plan.planned_count + plan.missed_count
            plan.progress = 100.0 * plan.done_count / plan.line_count if plan.line_count else 0.0

    @api.model_create_multi
    def create(self, vals_list):
        check_input(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_input(self, [vals])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if any(plan.state != "draft" for plan in self):
            raise UserError(self.env._("An approved or closed communication plan cannot be deleted."))

    @api.constrains("state", *{name for step in STEPS.values() for name in step.stamp})
    def _check_stage_stamps(self):
        self._qms_check_required_stamps(self)

    # ==========================================================================================
    # Clause 4.2.1: Sales plans → the Sales Supervisor approves → closed at year end.
    # ==========================================================================================
    def action_approve(self):
        """Approve the plan (Sales Supervisor): its activities are then fixed for the year."""
        return self._qms_take("approve")

    def _check_can_approve(self, vals):
        if not self.line_ids.filtered(lambda line: line.state != "cancel"):
            raise UserError(self.env._(
                "The plan %(plan)s has no planned activity: fill it before approving it.", plan=self.display_name))

    def action_draft(self):
        """Send an approved plan back to draft so that Sales can change it (Sales Supervisor)."""
        return self._qms_take("reset")

    def action_close(self):
        """Close an approved plan (Sales Supervisor); what is still planned becomes missed."""
        return self._qms_take("close")

    def _after_close(self):
        self.line_ids.filtered(lambda line: line.state == "planned")._qms_take("mark_missed")

    @api.readonly
    def action_open_fill_wizard(self):
        """Open the wizard that plans activities with existing customers."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.qms_communication_plan_fill_action")
        action["context"] = {"default_plan_id": self.id}
        return action

    @api.readonly
    def action_view_lines(self):
        """Open the plan's activities (list, calendar, pivot)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.qms_communication_plan_line_action")
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        return action

    @api.model
    def _cron_close_past_plans(self, today=None):
        """Close the approved plans of past years (run by the daily scheduled action)."""
        today = today or fields.Date.context_today(self)
        self.search([("state", "=", "approved"), ("year", "<", today.year)])._qms_take("close")

    def _get_lines_in_plan_order(self):
        """The plan's activities in the order the printed plan lists them: by planned date, then
        customer."""
        self.ensure_one()
        return self.line_ids.sorted(lambda line: (line.date_planned or date.min, line.partner_id.name or ""))

