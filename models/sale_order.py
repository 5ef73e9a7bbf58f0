from datetime import timedelta

from odoo import Command, fields, models


class SaleOrder(models.Model):
    """Complaints recorded against an order (4.3.1) and, when it asks for installation,
    commissioning or training, the service requests its confirmation plans (4.4.1)."""

    _name = "sale.order"
    _inherit = ["sale.order", "qms.complaint.source.mixin"]
    _qms_complaint_source_field = "sale_order_id"

    qms_complaint_ids = fields.One2many("qms.complaint", "sale_order_id", string="Complaints")

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

    qms_service_request_ids = fields.One2many("qms.service.request", "sale_order_id", string="Service Requests")
    qms_service_request_count = fields.Integer(
        compute="_compute_qms_service_request_count", groups="qms_customer.group_qms_employee")

    def _compute_qms_service_request_count(self):
        counts = dict(self.env["qms.service.request"].sudo()._read_group(
            [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]))
        for order in self:
            order.qms_service_request_count = counts.get(order, 0)

    def action_confirm(self):
        res = super().action_confirm()
        self._qms_create_service_requests()
        return res

    def _qms_create_service_requests(self):
        Request = self.env["qms.service.request"].sudo()
        existing = {(r.sale_line_id.id, r.service_type) for r in Request.search(
            [("sale_order_id", "in", self.ids), ("state", "!=", "cancel")])}
        vals_list = []
        for order in self:
            for line in order.order_line.filtered(lambda sol: not sol.display_type and sol.product_id):
                for kind in line._qms_required_services():
                    if (line.id, kind) not in existing:
                        vals_list.append(order._prepare_qms_service_request_vals(line, kind))
        return Request.create(vals_list)

    def _prepare_qms_service_request_vals(self, line, kind):
        self.ensure_one()
        return {
            "service_type": kind,
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "sale_order_id": self.id,
            "sale_line_id": line.id,
            "product_id": line.product_id.id,
            "product_qty": line.product_uom_qty,
            "site_partner_id": self.partner_shipping_id.id,
            "scheduled_date": self.commitment_date or (fields.Datetime.now() + timedelta(days=7)),
        }

    def action_view_qms_service_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.qms_service_request_action")
        action.update(domain=[("sale_order_id", "=", self.id)], context={"create": False})
        return action
