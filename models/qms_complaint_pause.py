from odoo import fields, models


class QmsComplaintPause(models.Model):
    """A time the slip waited for the customer (issue 13.1): its working days do not count against
    the deadlines still open, which move by as many working days. Written by the server at the
    pause and resume steps only: the access list gives no one more than reading, and the history
    of a slip keeps every pause with its reason."""

    _name = "qms.complaint.pause"
    _description = "Waiting for the Customer"
    _order = "complaint_id, date_start, id"

    complaint_id = fields.Many2one("qms.complaint", string="Complaint Slip", required=True, index=True,
                                   ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    reason = fields.Text(string="Waiting For", required=True, readonly=True)
    date_start = fields.Datetime(string="Waiting Since", required=True, readonly=True)
    date_end = fields.Datetime(string="Resumed On", readonly=True, help="Empty while the slip still waits.")
    user_id = fields.Many2one("res.users", string="Paused By", readonly=True)
    resumed_by_id = fields.Many2one("res.users", string="Resumed By", readonly=True)
