from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .qms_input_guard import check_input
from .qms_input_limits import (
    EARLIEST_DATE,
    LINE_TEXT_MAX_CHARS,
    PLAIN_TEXT_MAX_CHARS,
    RICH_TEXT_MAX_CHARS,
    check_date_between,
    check_text_sizes,
    latest_planned_date,
)
from .qms_workflow_mixin import Gate, Step

SALES = "qms_customer.group_qms_sales"

# Clause 4.1.1, the transition table of a visit: Sales receives the customer and records the time,
# the place of reception and the customer's requirements; the record is then done.
STEPS = {
    "done": Step(("draft",), "done", group=SALES, check="_check_can_done"),
    "cancel": Step(("draft", "done"), "cancel", group=SALES),
    "draft": Step(("done", "cancel"), "draft", group=SALES),
}
# What the receptionist records: fixed once the visit is done (reset it to draft to correct it).
GATES = {
    "reception": Gate(("draft",), (
        "partner_id", "sale_order_id", "company_id", "date_start", "date_end", "place", "receptionist_ids",
        "purpose", "visitor_ids"), group=SALES),
    "requirements": Gate(("draft", "done"), ("requirement_ids",), group=SALES),
}


class QmsCustomerVisit(models.Model):
    """A customer visit received by the Sales department (clause 4.1.1).

    The receptionist records the time, the place of reception and what the customer requires.
    """

    _name = "qms.customer.visit"
    _description = "Customer Visit"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.workflow.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _qms_steps = STEPS
    _qms_gates = GATES

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, tracking=True, index=True, check_company=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True,
        domain="[('share', '=', False)]")
    visitor_ids = fields.One2many("qms.customer.visit.visitor", "visit_id", string="Visitors", copy=True)
    date_start = fields.Datetime(
        string="Start", required=True, default=fields.Datetime.now, tracking=True)
    date_end = fields.Datetime(string="End", tracking=True)
    duration = fields.Float(compute="_compute_duration", string="Duration (hours)")
    place = fields.Char(string="Place of Reception", tracking=True)
    receptionist_ids = fields.Many2many(
        "res.users", "qms_customer_visit_receptionist_rel", "visit_id", "user_id", string="Receptionists",
        default=lambda self: self.env.user, domain="[('share', '=', False)]")
    purpose = fields.Text()
    requirement_ids = fields.One2many("qms.customer.requirement", "visit_id", string="Requirements", copy=True)
    requirement_count = fields.Integer(compute="_compute_requirement_count")
    sale_order_id = fields.Many2one("sale.order", string="Sales Order", tracking=True, check_company=True,
                                    domain="[('partner_id', 'child_of', partner_id)]")
    communication_ids = fields.One2many("qms.communication", "visit_id", string="Communications")
    note = fields.Html(string="Follow-up Notes")
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done"), ("cancel", "Cancelled")],
        default="draft", required=True, tracking=True, copy=False)
    can_done = fields.Boolean(compute="_compute_can_steps")
    can_cancel = fields.Boolean(compute="_compute_can_steps")
    can_draft = fields.Boolean(compute="_compute_can_steps")
    can_edit_reception = fields.Boolean(compute="_compute_can_edit_gates")
    can_edit_requirements = fields.Boolean(compute="_compute_can_edit_gates")

    @api.depends("date_start", "date_end")
    def _compute_duration(self):
        for visit in self:
            if visit.date_start and visit.date_end:
                visit.duration = (visit.date_end - visit.date_start).total_seconds() / 3600
            else:
                visit.duration = 0.0

    @api.depends("requirement_ids")
    def _compute_requirement_count(self):
        for visit in self:
            visit.requirement_count = len(visit.requirement_ids)

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for visit in self:
            if visit.date_end and visit.date_start and visit.date_end < visit.date_start:
                raise ValidationError(self.env._(
                    "The visit %(visit)s cannot end before it starts.", visit=visit.display_name))

    # --- input limits (issue #11.8) -------------------------------------------------------------
    @api.constrains("purpose", "note", "place")
    def _check_text_sizes(self):
        check_text_sizes(self, {"purpose": PLAIN_TEXT_MAX_CHARS, "note": RICH_TEXT_MAX_CHARS,
                                "place": LINE_TEXT_MAX_CHARS})

    @api.constrains("date_start", "date_end")
    def _check_date_range(self):
        latest = latest_planned_date(self.env)
        check_date_between(self, "date_start", EARLIEST_DATE, latest)
        check_date_between(self, "date_end", EARLIEST_DATE, latest)

    @api.model_create_multi
    def create(self, vals_list):
        check_input(self, vals_list)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("qms.customer.visit") or "/"
        return super().create(vals_list)

    def write(self, vals):
        check_input(self, [vals])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(visit.state == "done" for visit in self):
            raise UserError(self.env._("A recorded (done) visit cannot be deleted; cancel it instead."))

    # ==========================================================================================
    # Clause 4.1.1: the visit is recorded (time, place, requirements), then done.
    # ==========================================================================================
    def action_done(self):
        """Close the visit record once time, place and requirements are written down (4.1.1)."""
        return self._qms_take("done")

    def _check_can_done(self, vals):
        if not self.date_end:
            raise UserError(self.env._("Enter when the visit %(visit)s ended before closing it.",
                                       visit=self.display_name))

    def action_cancel(self):
        """Cancel a visit that did not take place."""
        return self._qms_take("cancel")

    def action_draft(self):
        """Reopen a done or cancelled visit to correct it."""
        return self._qms_take("draft")

    @api.readonly
    def action_view_requirements(self):
        """Open the requirements heard during this visit in the register."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.qms_customer_requirement_action")
        action["domain"] = [("visit_id", "=", self.id)]
        action["context"] = {"default_visit_id": self.id}
        return action
