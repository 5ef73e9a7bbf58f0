from odoo import fields, models

DEADLINES = [
    ("ack", "Acknowledgement"),
    ("answer", "Answer"),
    ("close", "Closing"),
]


class QmsComplaintEscalation(models.Model):
    """One escalation of a late slip to one person for one deadline (clause 4.3.1: up to the Sales
    Supervisor and, as needed, to the General Manager). The unique index makes the daily scheduled
    action safe when two workers run it at once or when it runs twice: the second insert of the same
    (slip, person, deadline) finds the first and schedules no second activity. Written by the server
    only (the scheduled action)."""

    _name = "qms.complaint.escalation"
    _description = "Escalation of a Late Complaint Slip"
    _order = "complaint_id, date, id"

    complaint_id = fields.Many2one("qms.complaint", string="Complaint Slip", required=True, index=True,
                                   ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    user_id = fields.Many2one("res.users", string="Escalated To", required=True, readonly=True)
    deadline = fields.Selection(DEADLINES, string="Deadline Missed", required=True, readonly=True)
    date = fields.Datetime(string="Escalated On", required=True, readonly=True, default=fields.Datetime.now)

    _complaint_user_deadline_uniq = models.UniqueIndex("(complaint_id, user_id, deadline)")
