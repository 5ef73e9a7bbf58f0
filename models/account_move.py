from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    # set when a remedy of the three guarantees (clause 4.4.2) created this document
    qms_complaint_id = fields.Many2one(
        "qms.complaint", string="Complaint Slip", index="btree_not_null", copy=False, readonly=True)

    def action_view_qms_complaint(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "qms.complaint", "view_mode": "form",
                "res_id": self.qms_complaint_id.id}
