from datetime import timedelta

from odoo import Command, fields, models

from .qms_warranty_policy import REMEDIES


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

    # --- the warranty card (三包凭证) of each unit delivered (issue 15, item 5) ----------------------
    def _prepare_warranty_card_print_data(self):
        """One card per unit delivered to the customer: a serial number is a unit; a lot, or a
        product without either, is one card for its quantity. Each card has its windows of the
        three guarantees, counted from the delivery day (the company's rule when it counts from
        the delivery; from the invoice date otherwise, which the card says without dates)."""
        self.ensure_one()
        if self.picking_type_code != "outgoing" or self.state != "done":
            return []
        start = fields.Datetime.context_timestamp(self, self.date_done).date()
        by_delivery = self.company_id.qms_warranty_start == "delivery"
        labels = dict(self.env["qms.complaint.line"]._fields["remedy"]._description_selection(self.env))
        cards = []
        for move_line in self.move_line_ids.filtered(lambda ml: ml.quantity and ml.product_id):
            days = self.env["qms.warranty.policy"]._get_windows(move_line.product_id, self.company_id)
            cards.append({
                "product": move_line.product_id,
                "lot": move_line.lot_id,
                "quantity": move_line.quantity,
                "uom": move_line.product_uom_id,
                "start": start,
                "windows": [{"remedy": labels[remedy], "days": days[remedy],
                             "until": by_delivery and start + timedelta(days=days[remedy])} for remedy in REMEDIES],
            })
        return cards
