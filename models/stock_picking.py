from odoo import Command, models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "qms.complaint.link.mixin", "qms.complaint.source.mixin"]

    # a complaint recorded from a delivery order, pre-filled like one from a sales order (issue 13.7)
    _qms_complaint_source_field = "picking_id"

    def _prepare_qms_complaint_context(self):
        self.ensure_one()
        order = self.sale_id if self.sale_id.state == "sale" else self.env["sale.order"]
        moves = self.move_ids.filtered(lambda move: move.product_id and move.state == "done" and move.quantity)
        return {
            "default_partner_id": self.partner_id.commercial_partner_id.id,
            "default_contact_id": self.partner_id.id,
            "default_picking_id": self.id,
            "default_sale_order_id": order.id,
            "default_company_id": self.company_id.id,
            "default_category": "product",
            "default_line_ids": [Command.create({
                "sale_line_id": move.sale_line_id.id if order and move.sale_line_id.order_id == order else False,
                "product_id": move.product_id.id,
                "qty_complained": move.quantity,
            }) for move in moves],
        }
