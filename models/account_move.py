from odoo import Command, api, fields, models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "qms.complaint.link.mixin"]

    # --- issue #13.7: a complaint recorded from a customer invoice, pre-filled like one from a sales order
    qms_recorded_complaint_count = fields.Integer(
        string="Complaints Recorded", compute="_compute_qms_recorded_complaint_count",
        groups="qms_customer.group_qms_employee")

    def _compute_qms_recorded_complaint_count(self):
        counts = dict(self.env["qms.complaint"]._read_group(
            [("invoice_id", "in", self.ids)], ["invoice_id"], ["__count"]))
        for move in self:
            move.qms_recorded_complaint_count = counts.get(move, 0)

    @api.readonly
    def action_view_qms_recorded_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.qms_complaint_action")
        action.update(domain=[("invoice_id", "=", self.id)], context=self._prepare_qms_complaint_context())
        return action

    @api.readonly
    def action_record_qms_complaint(self):
        """Open a new complaint slip pre-filled with this invoice's customer, order and products."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Complaint"),
            "res_model": "qms.complaint",
            "view_mode": "form",
            "target": "current",
            "context": self._prepare_qms_complaint_context(),
        }

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
