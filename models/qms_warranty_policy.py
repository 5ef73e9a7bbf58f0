from odoo import api, fields, models
from odoo.exceptions import ValidationError

REMEDIES = ("refund", "replacement", "repair")
# When the days of the three guarantees start (issue 15 item 2). "delivery" is the 2024 Implementing
# Regulation of the Consumer Rights Protection Law, Art. 18: the delivery, or the completion of the
# installation (the customer's acceptance of the installation service request, 4.4.1) for goods
# the company installs (qms_requires_installation).
WARRANTY_STARTS = [
    ("delivery", "Delivery, or Installation Acceptance for Installed Products"),
    ("installation", "Installation Acceptance"),
    ("invoice", "Invoice Date"),
]


class QmsWarrantyPolicy(models.Model):
    """Three guarantees (三包, clause 4.4.2): how many days a customer may ask for a refund, a
    replacement or a repair, for a product or a product category. Without a policy the
    company's defaults apply."""

    _name = "qms.warranty.policy"
    _description = "Three Guarantees Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    product_tmpl_id = fields.Many2one("product.template", string="Product", index="btree_not_null", check_company=True)
    categ_id = fields.Many2one("product.category", string="Product Category", index="btree_not_null")
    refund_days = fields.Integer(string="Refund Within (Days)", default=lambda self: self.env.company.qms_refund_days)
    replacement_days = fields.Integer(
        string="Replacement Within (Days)", default=lambda self: self.env.company.qms_replacement_days)
    repair_days = fields.Integer(string="Repair Within (Days)", default=lambda self: self.env.company.qms_repair_days)
    warranty_start = fields.Selection(
        WARRANTY_STARTS, string="Counted From",
        help="When the days start for the products of this policy; empty: the company's setting.")

    _days_not_negative = models.Constraint(
        "CHECK(refund_days >= 0 AND replacement_days >= 0 AND repair_days >= 0)",
        "The days of the three guarantees cannot be negative.")

    @api.constrains("product_tmpl_id", "categ_id")
    def _check_target(self):
        for policy in self:
            if bool(policy.product_tmpl_id) == bool(policy.categ_id):
                raise ValidationError(self.env._(
                    "A three guarantees policy applies either to a product or to a product category."))

    @api.model
    def _get_windows(self, product, company):
        """Days for each remedy for this product: its own policy, else the closest category's,
        else the company's defaults."""
        return {remedy: days for remedy, days in self._get_terms(product, company).items() if remedy in REMEDIES}

    @api.model
    def _get_terms(self, product, company):
        """The days of each remedy and the start rule ("start": a WARRANTY_STARTS key) for this
        product, from the same policy."""
        policies = self.sudo().search([
            ("company_id", "=", company.id), "|", ("product_tmpl_id", "=", product.product_tmpl_id.id),
            ("categ_id", "parent_of", product.categ_id.id),
        ])
        policy = policies.filtered(lambda p: p.product_tmpl_id == product.product_tmpl_id)[:1]
        if not policy:
            # the deepest category wins
            policy = policies.sorted(lambda p: len(p.categ_id.parent_path or ""), reverse=True)[:1]
        source = policy or company
        prefix = "" if policy else "qms_"
        terms = {remedy: source[f"{prefix}{remedy}_days"] for remedy in REMEDIES}
        terms["start"] = policy.warranty_start or company.qms_warranty_start or "delivery"
        return terms
