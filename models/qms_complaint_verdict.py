from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .qms_input_limits import PLAIN_TEXT_MAX_CHARS, check_text_sizes

# The customer's verdict on an answer (ISO 10002 / GB/T 19012: the complainant's satisfaction with
# the handling itself). Not Odoo's rating.rating: its routes take 1, 3 or 5 only, it has no
# accept / reject, and every employee may create and write ratings, where a verdict is the
# customer's word, written by the server once per answer.
VERDICTS = [
    ("accepted", "Answer Accepted"),
    ("rejected", "Answer Not Accepted"),
]
HANDLING_SCORES = (1, 2, 3, 4, 5)


class QmsComplaintVerdict(models.Model):
    """The customer's verdict on one answer given (clause 4.3.2: "if the result is not
    satisfactory, the departments reconsider"): whether they accept the outcome, and how satisfied
    they are with how the complaint was handled (1-5, a comment). One per answer; written by the
    server from the customer portal only (the access list gives no one more than reading). A
    rejected answer sends the slip back to the departments; the slip is answered again and the new
    answer gets its own verdict, so the history keeps both."""

    _name = "qms.complaint.verdict"
    _description = "Customer's Verdict on the Handling"
    _order = "complaint_id, date, id"

    complaint_id = fields.Many2one("qms.complaint", string="Complaint Slip", required=True, index=True,
                                   ondelete="cascade", readonly=True)
    answer_id = fields.Many2one("qms.complaint.answer", string="Answer Judged", required=True, index=True,
                                ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    partner_id = fields.Many2one("res.partner", string="Given By", required=True, readonly=True)
    date = fields.Datetime(string="Given On", required=True, readonly=True)
    verdict = fields.Selection(VERDICTS, string="Outcome", required=True, readonly=True)
    handling_score = fields.Integer(
        string="Satisfaction with the Handling", required=True, readonly=True, aggregator="avg",
        help="How satisfied the customer is with how the complaint was handled, from 1 (not at all) to 5 (fully).")
    comment = fields.Text(readonly=True)

    _answer_uniq = models.UniqueIndex("(answer_id)", "The customer gives one verdict per answer.")
    _handling_score_range = models.Constraint(
        "CHECK(handling_score BETWEEN 1 AND 5)", "The satisfaction with the handling is rated from 1 to 5.")

    @api.constrains("handling_score")
    def _check_handling_score(self):
        for verdict in self:
            if verdict.handling_score not in HANDLING_SCORES:
                raise ValidationError(self.env._("Rate how your complaint was handled from 1 to 5."))

    @api.constrains("answer_id", "complaint_id")
    def _check_answer_of_slip(self):
        for verdict in self:
            if verdict.answer_id.complaint_id != verdict.complaint_id:
                raise ValidationError(self.env._("A verdict judges an answer given on its own slip."))

    @api.constrains("comment")
    def _check_text_sizes(self):
        check_text_sizes(self, {"comment": PLAIN_TEXT_MAX_CHARS})
