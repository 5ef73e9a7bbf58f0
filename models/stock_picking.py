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
        three guarantees, counted from the start its policy says (issue 15 item 2): the delivery
        day, or the customer's acceptance of the installation for installed products (no dates
        until accepted), or the invoice date (which the card says without dates)."""
        self.ensure_one()
        if self.picking_type_code != "outgoing" or self.state != "done":
            return []
        delivered = fields.Datetime.context_timestamp(self, self.date_done).date()
        labels = dict(self.env["qms.complaint.line"]._fields["remedy"]._description_selection(self.env))
        move_lines = self.move_line_ids.filtered(lambda ml: ml.quantity and ml.product_id)
        requests = self.env["qms.service.request"].sudo().search([
            ("sale_line_id", "in", move_lines.move_id.sale_line_id.ids), ("service_type", "=", "installation"),
            ("state", "=", "accepted")])
        cards = []
        for move_line in move_lines:
            terms = self.env["qms.warranty.policy"]._get_terms(move_line.product_id, self.company_id)
            start, pending = delivered, False
            if terms["start"] == "invoice":
                start = False
            elif terms["start"] == "installation" or move_line.product_id.qms_requires_installation:
                accepted = requests.filtered(lambda r, ml=move_line: r.sale_line_id == ml.move_id.sale_line_id)
                dates = accepted.mapped("acceptance_date")
                start, pending = (max(max(dates), delivered), False) if dates else (False, True)
            cards.append({
                "product": move_line.product_id,
                "lot": move_line.lot_id,
                "quantity": move_line.quantity,
                "uom": move_line.product_uom_id,
                "delivered": delivered,
                "start": start,
                "installation_pending": pending,
                "windows": [{"remedy": labels[remedy], "days": terms[remedy],
                             "until": start and start + timedelta(days=terms[remedy])} for remedy in REMEDIES],
            })
        return cards
