from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .qms_input_guard import check_input
from .qms_workflow_mixin import Gate, Step

SALES = "qms_customer.group_qms_sales"

SERVICE_TYPES = [
    ("installation", "Installation"),
    ("commissioning", "Commissioning"),
    ("training", "Training"),
]
ACCEPTANCE_FIELDS = ("acceptance_name", "acceptance_date", "acceptance_remarks")

# Clause 4.4.1, the transition table of a service request: Sales organises it, its technician does
# the work and says so (see _qms_role_refusal), then the customer's acceptance is recorded, after
# the work and with its own step only.
STEPS = {
    "done": Step(("planned",), "done", stamp=("done_by_id", "done_date"), check="_check_can_done"),
    "accept": Step(("done",), "accepted", stamp=("accepted_recorded_by_id", "accepted_recorded_date"),
                   fields=ACCEPTANCE_FIELDS, check="_check_can_accept"),
    "cancel": Step(("planned", "done"), "cancel", group=SALES),
    "reset_planned": Step(("cancel",), "planned", group=SALES, clears=("done_by_id", "done_date")),
}
# Sales plans the request; the work is written before it is reported done.
GATES = {
    "planning": Gate(("planned",), (
        "service_type", "partner_id", "product_id", "product_qty", "site_partner_id", "site_address",
        "scheduled_date", "technician_id", "company_id"), group=SALES),
    "work": Gate(("planned",), ("work_notes", "attendees", "attendee_count", "training_hours")),
}


class QmsServiceRequest(models.Model):
    """Installation, commissioning or training owed to a customer (安装、调试、人员培训, clause
    4.4.1): created when a sales order that asks for it is confirmed, carried out by a
    technician, closed by the customer's acceptance."""

    _name = "qms.service.request"
    _description = "Service Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.workflow.mixin"]
    _order = "scheduled_date, id"
    _check_company_auto = True
    _qms_steps = STEPS
    _qms_gates = GATES
    # a request is owed under the order (line) that asked for it
    _qms_fixed_fields = ("sale_order_id", "sale_line_id")

    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index="trigram")
    service_type = fields.Selection(SERVICE_TYPES, string="Service", required=True, default="installation",
                                    tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    state = fields.Selection([
        ("planned", "Planned"),
        ("done", "Done"),
        ("accepted", "Accepted"),
        ("cancel", "Cancelled"),
    ], default="planned", required=True, readonly=True, copy=False, tracking=True, index=True, group_expand=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, tracking=True,
                                 check_company=True)
    sale_order_id = fields.Many2one("sale.order", string="Sales Order", index="btree_not_null", check_company=True,
                                    readonly=True)
    sale_line_id = fields.Many2one("sale.order.line", string="Order Line", index="btree_not_null", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", check_company=True)
    product_qty = fields.Float(string="Quantity", digits="Product Unit", default=1.0)
    site_partner_id = fields.Many2one("res.partner", string="Site", check_company=True,
                                      help="Where the service is given (the delivery address of the order).")
    site_address = fields.Text(compute="_compute_site_address", store=True, readonly=False)
    scheduled_date = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True, index=True)
    technician_id = fields.Many2one("res.users", string="Technician", tracking=True, index=True,
                                    domain="[('share', '=', False)]")
    work_notes = fields.Text(string="Work Done")
    done_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    done_date = fields.Datetime(readonly=True, copy=False)
    attendees = fields.Text(help="Names of the customer's people trained.")
    attendee_count = fields.Integer(string="Number of Attendees")
    training_hours = fields.Float(string="Training Hours")
    acceptance_name = fields.Char(string="Accepted By (Customer)", copy=False)
    acceptance_date = fields.Date(string="Accepted On", copy=False)
    acceptance_remarks = fields.Text(string="Customer Remarks", copy=False)
    accepted_recorded_by_id = fields.Many2one("res.users", string="Acceptance Recorded By", readonly=True, copy=False)
    accepted_recorded_date = fields.Datetime(string="Acceptance Recorded On", readonly=True, copy=False)
    can_done = fields.Boolean(compute="_compute_can_steps")
    can_accept = fields.Boolean(compute="_compute_can_steps")
    can_cancel = fields.Boolean(compute="_compute_can_steps")
    can_reset_planned = fields.Boolean(compute="_compute_can_steps")
    can_edit_planning = fields.Boolean(compute="_compute_can_edit_gates")
    can_edit_work = fields.Boolean(compute="_compute_can_edit_gates")
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")

    _training_not_negative = models.Constraint(
        "CHECK(training_hours >= 0 AND attendee_count >= 0)", "Training hours and attendees cannot be negative.")

    @api.depends("site_partner_id")
    def _compute_site_address(self):
        for request in self:
            request.site_address = request.site_partner_id._display_address() if request.site_partner_id else False

    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for request in self:
            request.is_overdue = request.state == "planned" and request.scheduled_date < now

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue service requests."))
        domain = [("state", "=", "planned"), ("scheduled_date", "<", fields.Datetime.now())]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.model_create_multi
    def create(self, vals_list):
        check_input(self, vals_list)  # what the caller sent, before numbering
        for vals in vals_list:
            if vals.get("name", "/") != "/" and self.env.uid != SUPERUSER_ID:
                raise UserError(self.env._("A service request is numbered by the company's sequence, not by hand."))
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].sudo().with_company(company).next_by_code(
                    "qms.service.request") or "/"
        return super().create(vals_list)

    def write(self, vals):
        check_input(self, [vals])
        if "name" in vals and any(request.name != vals["name"] for request in self):
            raise UserError(self.env._("A service request keeps the number its company's sequence gave it."))
        if any(r.state == "accepted" for r in self) and set(vals) - {"message_main_attachment_id"}:
            raise UserError(self.env._("An accepted service request can no longer be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_planned(self):
        if any(request.state not in ("planned", "cancel") for request in self):
            raise UserError(self.env._("Only planned or cancelled service requests can be deleted."))

    @api.constrains("service_type", "training_hours", "attendee_count", "state")
    def _check_training(self):
        for request in self:
            if request.service_type == "training" and request.state in ("done", "accepted") and not (
                    request.training_hours and request.attendee_count):
                raise ValidationError(self.env._(
                    "%s: record the attendees and the hours of the training.", request.name))

    @api.constrains("state", *{name for step in STEPS.values() for name in step.stamp})
    def _check_stage_stamps(self):
        self._qms_check_required_stamps(self)

    # ==========================================================================================
    # Clause 4.4.1: planned → done by the technician → accepted by the customer.
    # ==========================================================================================
    def _qms_role_refusal(self, name):
        """The work is reported done by the request's technician, and by no one else."""
        reason = super()._qms_role_refusal(name)
        if reason or name != "done" or self.env.uid == SUPERUSER_ID or self.technician_id == self.env.user:
            return reason
        return self.env._("Only the technician of %(request)s (%(technician)s) reports the work done.",
                          request=self.display_name, technician=self.technician_id.name or "?")

    def _qms_stage_refusal(self, name):
        if name == "accept" and self.state == "planned":
            return self.env._("%s cannot be accepted by the customer before the service is done.", self.name)
        return super()._qms_stage_refusal(name)

    def action_done(self):
        """The technician has installed, commissioned or trained."""
        return self._qms_take("done")

    def _check_can_done(self, vals):
        if not self.work_notes:
            raise UserError(self.env._("Describe the work done for %s.", self.name))

    def action_accept(self):
        """The customer accepts the service: ask who accepted, and when; this closes the request."""
        self._qms_ensure_can("accept")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer Acceptance"),
            "res_model": "qms.service.acceptance",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_ids": self.ids},
        }

    def _do_accept(self, name, date, remarks=False):
        """Record the customer's acceptance; called by the acceptance wizard."""
        return self._qms_take("accept", acceptance_name=name, acceptance_date=date, acceptance_remarks=remarks)

    def _check_can_accept(self, vals):
        if not (vals.get("acceptance_name") or "").strip() or not vals.get("acceptance_date"):
            raise UserError(self.env._(
                "%s: record who accepted the service for the customer, and when.", self.name))

    def action_cancel(self):
        return self._qms_take("cancel")

    def action_reset_planned(self):
        return self._qms_take("reset_planned")

    @api.readonly
    def action_view_sale_order(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "sale.order", "view_mode": "form",
                "res_id": self.sale_order_id.id}
