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
    # the customer's verdict on this answer (one at most), given on the portal
    verdict_ids = fields.One2many("qms.complaint.verdict", "answer_id", string="Verdict Given", readonly=True)
    verdict = fields.Selection(related="verdict_ids.verdict", string="Customer's Verdict")
    handling_score = fields.Integer(related="verdict_ids.handling_score", string="Satisfaction with the Handling")

    @api.model
    def _selection_channel(self):
        return self.env["qms.complaint"]._fields["reply_channel"]._description_selection(self.env)
