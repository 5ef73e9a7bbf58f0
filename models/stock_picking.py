from odoo import Command, api, fields, models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "qms.complaint.link.mixin"]

    # --- issue #13.7: a complaint recorded from a delivery order, pre-filled like one from a sales order
    qms_recorded_complaint_count = fields.Integer(
        string="Complaints Recorded", compute="_compute_qms_recorded_complaint_count",
        groups="qms_customer.group_qms_employee")

    def _compute_qms_recorded_complaint_count(self):
        counts = dict(self.env["qms.complaint"]._read_group(
            [("picking_id", "in", self.ids)], ["picking_id"], ["__count"]))
        for picking in self:
            picking.qms_recorded_complaint_count = counts.get(picking, 0)

    @api.readonly
    def action_view_qms_recorded_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.qms_complaint_action")
        action.update(domain=[("picking_id", "=", self.id)], context=self._prepare_qms_complaint_context())
        return action

    @api.readonly
    def action_record_qms_complaint(self):
        """Open a new complaint slip pre-filled with this delivery's customer, order and products."""
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
