from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .qms_complaint import COST_STATES, QUALITY, SALES
from .qms_input_guard import check_input
from .qms_input_limits import PLAIN_TEXT_MAX_CHARS, check_text_sizes
from .qms_workflow_mixin import Gate

# Issue 14.5: what a slip cost beside the documents it produced (credit notes, returns and
# replacements, repair orders), entered by people. Entered from Quality's review until the slip is
# closed, as the remedies are (COST_STATES): before that nobody knows yet what handling it costs.
COST_KINDS = [
    ("labour", "Labour"),
    ("freight", "Freight"),
    ("travel", "Travel"),
    ("samples", "Samples"),
    ("penalty", "Penalty"),
    ("other", "Other"),
]
# Bounds of an entered cost (issue #11.8: an absurd figure is refused, not summed into the reports)
COST_AMOUNT_MAX = 10_000_000
COST_HOURS_MAX = 1_000

GATES = {
    "cost": Gate(COST_STATES, ("kind", "name", "date", "hours", "rate", "amount"), group=(QUALITY, SALES)),
}


class QmsComplaintCost(models.Model):
    """A cost of poor quality (质量损失成本) entered on a complaint (return) slip: labour hours at a
    rate, freight, travel, samples, a penalty. Who entered it and when is the server's (create_uid,
    create_date); the amount is in the company's currency."""

    _name = "qms.complaint.cost"
    _description = "Complaint Cost"
    _inherit = ["qms.workflow.mixin"]
    _qms_parent_field = "complaint_id"
    _order = "complaint_id, date, id"
    _check_company_auto = True
    _qms_gates = GATES
    _qms_fixed_fields = ("complaint_id",)

    complaint_id = fields.Many2one("qms.complaint", string="Complaint", required=True, index=True,
                                   ondelete="cascade")
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    kind = fields.Selection(COST_KINDS, required=True, default="labour")
    name = fields.Char(string="Description")
    date = fields.Date(required=True, default=fields.Date.context_today)
    hours = fields.Float(digits=(16, 2), help="Labour only: the hours spent on the complaint.")
    rate = fields.Monetary(string="Hourly Rate", help="Labour only: the cost of one hour.")
    amount = fields.Monetary(
        compute="_compute_amount", store=True, readonly=False, precompute=True,
        help="In the company's currency. Labour: hours times the hourly rate.")
    can_edit_cost = fields.Boolean(compute="_compute_can_edit_gates")

    @api.depends("kind", "hours", "rate")
    def _compute_amount(self):
        for cost in self.filtered(lambda c: c.kind == "labour"):
            cost.amount = cost.currency_id.round(cost.hours * cost.rate) if cost.currency_id else cost.hours * cost.rate

    @api.constrains("kind", "hours", "rate", "amount")
    def _check_amounts(self):
        for cost in self:
            if cost.amount <= 0 or cost.hours < 0 or cost.rate < 0:
                raise ValidationError(self.env._("A cost is a positive amount: %s.", cost.amount))
            if cost.amount > COST_AMOUNT_MAX or cost.rate > COST_AMOUNT_MAX or cost.hours > COST_HOURS_MAX:
                raise ValidationError(self.env._(
                    "A cost above %(amount)s, or more than %(hours)s hours on one line, is not plausible: split "
                    "it or check the figure.", amount=COST_AMOUNT_MAX, hours=COST_HOURS_MAX))
            if cost.kind == "labour":
                if not (cost.hours and cost.rate):
                    raise ValidationError(self.env._("Labour is entered as hours and an hourly rate."))
                if cost.currency_id.compare_amounts(cost.amount, cost.hours * cost.rate):
                    raise ValidationError(self.env._("The amount of labour is its hours times the hourly rate."))
            elif cost.hours or cost.rate:
                raise ValidationError(self.env._("Only labour has hours and an hourly rate."))

    @api.constrains("name")
    def _check_text_sizes(self):
        check_text_sizes(self, {"name": PLAIN_TEXT_MAX_CHARS})

    @api.model_create_multi
    def create(self, vals_list):
        check_input(self, vals_list)
        costs = super().create(vals_list)
        if self.env.uid != SUPERUSER_ID:  # the system loads demo slips with their costs in any stage
            costs._check_complaint_open()
        return costs

    def write(self, vals):
        check_input(self, [vals])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_while_open(self):
        self._check_complaint_open()

    def _check_complaint_open(self):
        """A cost is added or removed by Quality or Sales while its slip stands at a gate that
        takes costs; a closed slip's costs are evidence."""
        for cost in self:
            reason = cost._qms_gate_refusal("cost")
            if reason:
                raise (UserError if reason[0] == "stage" else AccessError)(reason[1])

    def _qms_closed_reason(self):
        return self.complaint_id._qms_closed_reason()

    @api.depends("complaint_id.name", "kind", "amount")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for cost in self:
            cost.display_name = f"{cost.complaint_id.name or ''} · {kinds.get(cost.kind, '')}"
