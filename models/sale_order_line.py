from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    qms_requires_installation = fields.Boolean(
        string="Installation", compute="_compute_qms_services", store=True, readonly=False, precompute=True)
    qms_requires_commissioning = fields.Boolean(
        string="Commissioning", compute="_compute_qms_services", store=True, readonly=False, precompute=True)
    qms_requires_training = fields.Boolean(
        string="Training", compute="_compute_qms_services", store=True, readonly=False, precompute=True)

    @api.depends("product_id")
    def _compute_qms_services(self):
        for line in self:
            template = line.product_id.product_tmpl_id
            line.qms_requires_installation = template.qms_requires_installation
            line.qms_requires_commissioning = template.qms_requires_commissioning
            line.qms_requires_training = template.qms_requires_training

    def _qms_required_services(self):
        self.ensure_one()
        return [kind for kind in ("installation", "commissioning", "training") if self[f"qms_requires_{kind}"]]
