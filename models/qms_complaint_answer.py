from odoo import api, fields, models


class QmsComplaintAnswer(models.Model):
    """An answer given to the customer (clause 4.3.2), kept for auditors. A slip whose customer was
    not satisfied is answered again after the reconsideration; the slip's answer fields then hold
    the newest answer, and these records every answer given, in order. Written by the server at the
    reply step only: the access list gives no one more than reading."""

    _name = "qms.complaint.answer"
    _description = "Answer Given to the Customer"
    _order = "complaint_id, date, id"

    complaint_id = fields.Many2one("qms.complaint", string="Complaint Slip", required=True, index=True,
                                   ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    date = fields.Datetime(string="Answered On", required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Answered By", required=True, readonly=True)
    channel = fields.Selection(selection="_selection_channel", string="Channel", readonly=True)
    answer = fields.Html(string="Answer to the Customer", sanitize=True, readonly=True)

    @api.model
    def _selection_channel(self):
        return self.env["qms.complaint"]._fields["reply_channel"]._description_selection(self.env)
