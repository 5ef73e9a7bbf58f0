from odoo import api, fields, models

# What a customer requires of our products and services (4.2.4), heard during a visit (4.1.1)
# or a communication (4.2). Product kinds first, then service, then market information.
REQUIREMENT_KINDS = [
    ("function", "Function"),
    ("characteristics", "Characteristics"),
    ("appearance", "Appearance"),
    ("packaging", "Protection / Packaging"),
    ("service", "Service"),
    ("market", "Market Trend"),
    ("competitor", "Competitor Information"),
]
PRODUCT_KINDS = ("function", "characteristics", "appearance", "packaging")
MARKET_KINDS = ("market", "competitor")


class QmsCustomerRequirement(models.Model):
    """One requirement or piece of market information heard from a customer.

    Visits and communications share this model so that all of them can be browsed
    together as the customer requirements register, the input to contract review.
    """

    _name = "qms.customer.requirement"
    _inherit = ["qms.workflow.mixin"]
    _qms_fixed_fields = ("visit_id", "communication_id")  # a requirement stays with where it was heard
    _description = "Customer Requirement"
    _order = "date desc, id desc"

    kind = fields.Selection(REQUIREMENT_KINDS, string="Requirement Kind", required=True, default="function")
    description = fields.Text(required=True)
    product_id = fields.Many2one("product.product", string="Product", index="btree_not_null")
    product_tmpl_id = fields.Many2one(related="product_id.product_tmpl_id", string="Product Template", store=True)
    visit_id = fields.Many2one("qms.customer.visit", string="Visit", ondelete="cascade", index="btree_not_null")
    communication_id = fields.Many2one(
        "qms.communication", string="Communication", ondelete="cascade", index="btree_not_null")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", compute="_compute_from_source", store=True, readonly=False,
        precompute=True, index=True, required=True)
    date = fields.Date(compute="_compute_from_source", store=True, readonly=False, precompute=True, required=True)
    company_id = fields.Many2one(
        "res.company", compute="_compute_from_source", store=True, readonly=False, precompute=True, required=True)
    source = fields.Char(compute="_compute_source")

    @api.depends("visit_id.partner_id", "visit_id.date_start", "visit_id.company_id",
                 "communication_id.partner_id", "communication_id.date", "communication_id.company_id")
    def _compute_from_source(self):
        # A requirement belongs to the customer and the day of the visit/communication it came from.
        for req in self:
            src = req.visit_id or req.communication_id
            if not src:
                req.partner_id = req.partner_id
                req.date = req.date or fields.Date.context_today(req)
                req.company_id = req.company_id or self.env.company
                continue
            req.partner_id = src.partner_id.commercial_partner_id
            req.company_id = src.company_id
            when = src.date_start if req.visit_id else src.date
            req.date = fields.Date.context_today(req, when) if when else fields.Date.context_today(req)

    @api.depends("visit_id", "communication_id")
    def _compute_source(self):
        for req in self:
            req.source = (req.visit_id or req.communication_id).display_name or False
