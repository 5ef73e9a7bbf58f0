from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .qms_input_guard import check_input


class QmsComplaintLine(models.Model):
    """One product complained about on a slip, with the quantities complained and returned."""

    _name = "qms.complaint.line"
    _description = "Complaint Line"
    _order = "complaint_id, sequence, id"
    _check_company_auto = True

    complaint_id = fields.Many2one("qms.complaint", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Order Line", index="btree_not_null", check_company=True,
        domain="[('order_id', '=', parent.sale_order_id), ('display_type', '=', False)]")
    product_id = fields.Many2one(
        "product.product", string="Product", required=True, check_company=True,
        compute="_compute_product_id", store=True, readonly=False, precompute=True)
    qty_complained = fields.Float(
        string="Quantity Complained", digits="Product Unit", default=1.0, required=True)
    qty_returned = fields.Float(string="Quantity Returned", digits="Product Unit", default=0.0)
    uom_id = fields.Many2one(
        "uom.uom", string="Unit", compute="_compute_uom_id", store=True, readonly=False, precompute=True)
    defect_description = fields.Text(string="Defect")

    @api.depends("sale_line_id")
    def _compute_product_id(self):
        for line in self.filtered("sale_line_id"):
            line.product_id = line.sale_line_id.product_id

    @api.depends("product_id", "sale_line_id")
    def _compute_uom_id(self):
        for line in self:
            line.uom_id = line.sale_line_id.product_uom_id or line.product_id.uom_id

    @api.constrains("qty_complained", "qty_returned", "sale_line_id", "product_id")
    def _check_quantities(self):
        for line in self:
            if line.qty_complained <= 0:
                raise ValidationError(self.env._("The quantity complained about must be greater than zero."))
            if line.qty_returned < 0:
                raise ValidationError(self.env._("The quantity returned cannot be negative."))
            if line.qty_returned > line.qty_complained:
                raise ValidationError(self.env._(
                    "%(product)s: %(returned)s returned is more than the %(complained)s complained about.",
                    product=line.product_id.display_name, returned=line.qty_returned,
                    complained=line.qty_complained))
            # whoever records the slip may not read sales orders: the check itself may
            order_line = line.sale_line_id.sudo()
            if not order_line:
                continue
            if order_line.order_id != line.complaint_id.sudo().sale_order_id:
                raise ValidationError(self.env._(
                    "Order line %(line)s is not on the sales order of this complaint.", line=order_line.display_name))
            if line.product_id != order_line.product_id:
                raise ValidationError(self.env._(
                    "The product of a complaint line must be the product of its order line (%s).",
                    order_line.product_id.display_name))
            if line.qty_complained > order_line.product_uom_qty:
                raise ValidationError(self.env._(
                    "%(product)s: %(qty)s complained about is more than the %(ordered)s ordered.",
                    product=line.product_id.display_name, qty=line.qty_complained,
                    ordered=order_line.product_uom_qty))
            # what came back cannot exceed what went out (what was ordered when nothing is delivered yet)
            delivered = order_line.qty_delivered or order_line.product_uom_qty
            if line.qty_returned > delivered:
                raise ValidationError(self.env._(
                    "%(product)s: %(qty)s returned is more than the %(delivered)s delivered.",
                    product=line.product_id.display_name, qty=line.qty_returned, delivered=delivered))

    @api.model_create_multi
    def create(self, vals_list):
        check_input(self, vals_list, creating=True)
        lines = super().create(vals_list)
        if not self.env.context.get("qms_creating_complaint"):
            lines._check_complaint_editable()
        return lines

    def write(self, vals):
        check_input(self, [vals])
        if set(vals) - self._fields_free_after_intake():
            self._check_complaint_editable()
        return super().write(vals)

    def _fields_free_after_intake(self):
        """Fields later steps (e.g. the remedy of the three guarantees) may write after the review."""
        return set()

    @api.ondelete(at_uninstall=False)
    def _unlink_only_at_intake(self):
        self._check_complaint_editable()

    def _check_complaint_editable(self):
        for complaint in self.complaint_id:
            if complaint.state not in ("draft", "supervisor_review"):
                raise UserError(self.env._(
                    "The lines of %s can no longer be changed: the slip has passed the supervisor review.",
                    complaint.name))
