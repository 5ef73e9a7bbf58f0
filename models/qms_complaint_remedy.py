from odoo import fields, models


class QmsComplaint(models.Model):
    """Smart buttons from the slip to the documents its remedies created (clause 4.4.2)."""

    _inherit = "qms.complaint"

    refund_move_ids = fields.One2many("account.move", "qms_complaint_id", string="Credit Notes")
    remedy_picking_ids = fields.One2many("stock.picking", "qms_complaint_id", string="Returns and Replacements")
    repair_ids = fields.One2many("repair.order", "qms_complaint_id", string="Repair Orders")
    refund_move_count = fields.Integer(compute="_compute_remedy_counts")
    remedy_picking_count = fields.Integer(compute="_compute_remedy_counts")
    repair_count = fields.Integer(compute="_compute_remedy_counts")

    def _compute_remedy_counts(self):
        for complaint in self:
            sudo = complaint.sudo()
            complaint.refund_move_count = len(sudo.refund_move_ids)
            complaint.remedy_picking_count = len(sudo.remedy_picking_ids)
            complaint.repair_count = len(sudo.repair_ids)

    def _action_view_documents(self, model, records):
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "res_model": model,
            "name": records._description,
            "domain": [("id", "in", records.ids)],
            "view_mode": "list,form",
            "context": {"create": False},
        }
        if len(records) == 1:
            action.update(view_mode="form", res_id=records.id)
        return action

    def action_view_refund_moves(self):
        return self._action_view_documents("account.move", self.refund_move_ids)

    def action_view_remedy_pickings(self):
        return self._action_view_documents("stock.picking", self.remedy_picking_ids)

    def action_view_repairs(self):
        return self._action_view_documents("repair.order", self.repair_ids)
