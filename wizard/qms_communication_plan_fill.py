from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError


class QmsCommunicationPlanFill(models.TransientModel):
    """Plan the year's activities with the existing customers (clause 4.2.1).

    Existing customers are those with a confirmed sales order in the look-back period (by
    default the year before the plan). Each gets one line per chosen method and month; lines
    already in the plan are not added twice, so the wizard can be run again safely.
    """

    _name = "qms.communication.plan.fill"
    _description = "Fill a Customer Communication Plan"

    plan_id = fields.Many2one("qms.communication.plan", required=True, ondelete="cascade")
    date_from = fields.Date(
        string="Orders From", required=True, compute="_compute_period", store=True, readonly=False,
        help="Customers with a confirmed sales order from this day...")
    date_to = fields.Date(
        string="Orders To", required=True, compute="_compute_period", store=True, readonly=False,
        help="...to this day (included) are the existing customers.")
    partner_ids = fields.Many2many(
        "res.partner", string="Customers", compute="_compute_partner_ids", store=True, readonly=False,
        help="The existing customers found; remove those you do not want to plan.")
    activity_ids = fields.One2many("qms.communication.plan.fill.activity", "wizard_id", string="Activities",
                                   default=lambda self: self._default_activity_ids())
    use_salesperson = fields.Boolean(
        string="Salesperson Responsible", default=True,
        help="Make each customer's salesperson responsible; otherwise the responsible below.")
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user,
                              domain="[('share', '=', False)]")

    @api.model
    def _default_activity_ids(self):
        # By default: a phone visit in spring and a customer evaluation in autumn.
        return [(0, 0, {"method": "visit_phone", "month": "3"}), (0, 0, {"method": "evaluation", "month": "10"})]

    @api.depends("plan_id")
    def _compute_period(self):
        for wizard in self:
            year = (wizard.plan_id.year or fields.Date.context_today(wizard).year) - 1
            wizard.date_from = date(year, 1, 1)
            wizard.date_to = date(year, 12, 31)

    @api.depends("plan_id", "date_from", "date_to")
    def _compute_partner_ids(self):
        for wizard in self:
            if wizard.plan_id and wizard.date_from and wizard.date_to:
                wizard.partner_ids = self.env["res.partner"]._qms_existing_customers(
                    wizard.plan_id.company_id, wizard.date_from, wizard.date_to)
            else:
                wizard.partner_ids = False

    def _prepare_plan_line_vals(self, partner, activity):
        """Values of one planned activity with one customer."""
        user = partner.user_id if self.use_salesperson and partner.user_id and not partner.user_id.share \
            else self.user_id
        return {
            "plan_id": self.plan_id.id,
            "partner_id": partner.id,
            "method": activity.method,
            "month": activity.month,
            "user_id": user.id,
        }

    def action_fill(self):
        """Add the missing lines to the plan and open it."""
        self.ensure_one()
        if self.plan_id.state != "draft":
            raise UserError(self.env._("Only a draft plan can be filled."))
        if not self.activity_ids:
            raise UserError(self.env._("Choose at least one method and month."))
        if self.date_from > self.date_to:
            raise UserError(self.env._("The look-back period ends before it starts."))
        existing = {(line.partner_id.id, line.method, line.month) for line in self.plan_id.line_ids}
        vals_list = []
        for partner in self.partner_ids.filtered("active"):
            for activity in self.activity_ids:
                key = (partner.id, activity.method, activity.month)
                if key not in existing:
                    existing.add(key)
                    vals_list.append(self._prepare_plan_line_vals(partner, activity))
        self.env["qms.communication.plan.line"].create(vals_list)
        if vals_list:
            self.plan_id.message_post(body=self.env._(
                "%(count)s activities planned with %(customers)s existing customers.",
                count=len(vals_list), customers=len({v["partner_id"] for v in vals_list})))
        return {"type": "ir.actions.act_window_close"}

