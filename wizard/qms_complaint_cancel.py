from odoo import fields, models


class QmsComplaintCancel(models.TransientModel):
    """Asks the Sales Supervisor why a complaint slip is cancelled."""

    _name = "qms.complaint.cancel"
    _description = "Cancel Complaint Slip"

    complaint_ids = fields.Many2many("qms.complaint", string="Complaints", required=True)
    reason = fields.Text(required=True)

    def action_cancel(self):
        self.complaint_ids._do_cancel(self.reason)
        return {"type": "ir.actions.act_window_close"}
