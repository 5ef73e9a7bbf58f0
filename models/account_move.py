from odoo import Command, models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "qms.complaint.link.mixin", "qms.complaint.source.mixin"]

    # a complaint recorded from a customer invoice, pre-filled like one from a sales order (issue 13.7)
    _qms_complaint_source_field = "invoice_id"

    def _prepare_qms_complaint_context(self):
        self.ensure_one()
        lines = self.invoice_line_ids.filtered(lambda line: line.display_type == "product" and line.product_id)
        orders = lines.sale_line_ids.order_id.filtered(lambda order: order.state == "sale")
        order = orders if len(orders) == 1 else self.env["sale.order"]  # an invoice of several orders names none
        return {
            "default_partner_id": self.commercial_partner_id.id,
            "default_contact_id": self.partner_id.id,
            "default_invoice_id": self.id,
            "default_sale_order_id": order.id,
            "default_company_id": self.company_id.id,
            "default_category": "product",
            "default_line_ids": [Command.create({
                "sale_line_id": line.sale_line_ids.filtered(lambda sol: sol.order_id == order)[:1].id or False,
                "product_id": line.product_id.id,
                "qty_complained": line.quantity,
            }) for line in lines],
        }
