from odoo import api, fields, models
from odoo.tools import float_round

# Question types whose answers are free comments rather than ratings.
COMMENT_TYPES = ("text_box", "char_box")


class SurveyUserInput(models.Model):
    """A customer's answers to the customer evaluation survey (clause 4.2.2 a).

    Linked to the communication that sent the invitation: when the customer completes the
    survey, the answers become that communication's satisfaction score and comment."""

    _inherit = "survey.user_input"

    qms_communication_id = fields.Many2one(
        "qms.communication", string="Customer Communication", index="btree_not_null", readonly=True,
        ondelete="set null", copy=False,
        help="The customer evaluation (communication) this answer belongs to.")

    def _mark_done(self):
        res = super()._mark_done()
        self.filtered(lambda answer: answer.qms_communication_id and not answer.test_entry)\
            ._qms_update_communication()
        return res

    def _qms_update_communication(self):
        """Write the satisfaction found in the answers on the linked communication."""
        for answer in self:
            score, comment = answer._qms_satisfaction_from_answers()
            vals = {}
            if score:
                vals["satisfaction_score"] = score
            if comment:
                vals["satisfaction_comment"] = comment
            communication = answer.qms_communication_id.sudo()
            if vals:
                communication.write(vals)
            communication.message_post(body=self.env._(
                "The customer answered the evaluation survey: satisfaction %(score)s/5.",
                score=score or "-"))

    @api.model
    def _qms_rating_of_line(self, line):
        """The 1-5 rating an answer line gives, or None when it is not a rating.

        * scale questions: the value brought linearly onto 1-5 (a 1-5 scale is taken as is);
        * single-choice questions: the score of the chosen answer, when it is between 1 and 5;
        * numerical boxes: the value, when it is between 1 and 5."""
        question = line.question_id
        if line.skipped:
            return None
        if line.answer_type == "scale" and question.scale_max > question.scale_min:
            span = question.scale_max - question.scale_min
            return 1 + 4.0 * (line.value_scale - question.scale_min) / span
        if question.question_type == "simple_choice" and line.suggested_answer_id:
            score = line.suggested_answer_id.answer_score
            return score if 1 <= score <= 5 else None
        if line.answer_type == "numerical_box" and 1 <= line.value_numerical_box <= 5:
            return line.value_numerical_box
        return None

    def _qms_satisfaction_from_answers(self):
        """(score, comment): the mean of the 1-5 ratings rounded half up to a whole score (0 when
        nothing was rated), and the free comments joined."""
        self.ensure_one()
        ratings, comments = [], []
        for line in self.user_input_line_ids:
            rating = self._qms_rating_of_line(line)
            if rating is not None:
                ratings.append(rating)
            elif line.answer_type in COMMENT_TYPES and not line.skipped:
                text = (line.value_text_box if line.answer_type == "text_box" else line.value_char_box) or ""
                if text.strip():
                    comments.append(text.strip())
        score = 0
        if ratings:
            mean = sum(ratings) / len(ratings)
            score = min(5, max(1, int(float_round(mean, precision_digits=0, rounding_method="HALF-UP"))))
        return score, "\n".join(comments)
