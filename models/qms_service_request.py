from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .qms_input_guard import check_input, workflow_step

SERVICE_TYPES = [
    ("installation", "Installation"),
    ("commissioning", "Commissioning"),
    ("training", "Training"),
]


class QmsServiceRequest(models.Model):
    """Installation, commissioning or training owed to a customer (安装、调试、人员培训, clause
    4.4.1): created when a sales order that asks for it is confirmed, carried out by a
    technician, closed by the customer's acceptance."""

    _name = "qms.service.request"
    _description = "Service Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.workflow.mixin"]
    _order = "scheduled_date, id"
    # written by the steps only (workflow_step); refused from any other write by check_input
    _qms_workflow_fields = ("name", "state", "done_by_id", "done_date", "accepted_recorded_by_id")
    _check_company_auto = True

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
        check_input(self, vals_list, creating=True)  # what the caller sent, before numbering
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].sudo().with_company(company).next_by_code(
                    "qms.service.request") or "/"
        return super().create(vals_list)

    def write(self, vals):
        check_input(self, [vals])
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

    # --- the steps -----------------------------------------------------------------------------
    @workflow_step
    def action_done(self):
        """The technician has installed, commissioned or trained."""
        self._ensure_state("planned")
        for request in self:
            if not request.work_notes:
                raise UserError(self.env._("Describe the work done for %s.", request.name))
            request.write({"state": "done", "done_by_id": self.env.uid, "done_date": fields.Datetime.now()})
        return True

    @workflow_step
    def action_accept(self):
        """The customer accepts the service: this closes the request."""
        for request in self:
            if request.state != "done":
                raise UserError(self.env._(
                    "%s cannot be accepted by the customer before the service is done.", request.name))
            if not request.acceptance_name or not request.acceptance_date:
                raise UserError(self.env._(
                    "%s: record who accepted the service for the customer, and when.", request.name))
            request.write({"state": "accepted", "accepted_recorded_by_id": self.env.uid})
        return True

    @workflow_step
    def action_cancel(self):
        self._ensure_state("planned", "done")
        self.write({"state": "cancel"})
        return True

    @workflow_step
    def action_reset_planned(self):
        self._ensure_state("cancel")
        self.write({"state": "planned"})
        return True

    def action_view_sale_order(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "sale.order", "view_mode": "form",
                "res_id": self.sale_order_id.id}

    def _get_report_values(self):
        """Plain values for the service acceptance sheet."""
        self.ensure_one()
        labels = dict(self._fields["service_type"]._description_selection(self.env))
        state_labels = dict(self._fields["state"]._description_selection(self.env))

        def when(date):
            return fields.Datetime.context_timestamp(self, date).strftime("%Y-%m-%d %H:%M") if date else ""

        return {
            "header": self.company_id._qms_document_header("service"),
            "service_type": labels.get(self.service_type, ""),
            "state": state_labels.get(self.state, ""),
            "scheduled": when(self.scheduled_date),
            "done": {"name": self.done_by_id.name or "", "date": when(self.done_date)},
            "acceptance": {"name": self.acceptance_name or "",
                           "date": fields.Date.to_string(self.acceptance_date) if self.acceptance_date else ""},
        }
