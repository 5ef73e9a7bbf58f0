from odoo import Command, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    qms_complaint_ids = fields.One2many("qms.complaint", "sale_order_id", string="Complaints")
    qms_complaint_count = fields.Integer(
        compute="_compute_qms_complaint_count", groups="qms_customer.group_qms_employee")

    def _compute_qms_complaint_count(self):
        counts = dict(self.env["qms.complaint"]._read_group(
            [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]))
        for order in self:
            order.qms_complaint_count = counts.get(order, 0)

    def action_view_qms_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.qms_complaint_action")
        action.update(domain=[("sale_order_id", "=", self.id)], context=self._prepare_qms_complaint_context())
        return action

    def action_record_qms_complaint(self):
        """Open a new complaint slip pre-filled with this order's customer and product lines."""
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
        lines = self.order_line.filtered(lambda line: not line.display_type and line.product_id)
        return {
            "default_partner_id": self.partner_id.commercial_partner_id.id,
            "default_contact_id": self.partner_id.id,
            "default_sale_order_id": self.id,
            "default_company_id": self.company_id.id,
            "default_line_ids": [Command.create({
                "sale_line_id": line.id,
                "product_id": line.product_id.id,
                "qty_complained": line.product_uom_qty,
            }) for line in lines],
        }
