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

    # --- issue 15: the portal intake names the serial ------------------------------------------
    def _qms_portal_serials(self, customer):
        """The serials of this order line's product delivered to ``customer`` on this line (done
        moves to a customer location, the replacement deliveries included): what the portal's
        complaint form offers the customer, and all that its intake accepts. Empty for a product
        not tracked by serial."""
        self.ensure_one()
        if self.product_id.tracking != "serial":
            return self.env["stock.lot"]
        customer = customer.commercial_partner_id
        moves = self.move_ids.filtered(lambda m: m.state == "done" and m.location_dest_id.usage == "customer")
        return moves.move_line_ids.filtered(
            lambda ml: ml.lot_id and ml.picking_partner_id.commercial_partner_id == customer).lot_id
