from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import QmsCommunicationCommon


@tagged("post_install", "-at_install")
class TestSurveyEvaluation(QmsCommunicationCommon):
    """Customer evaluation (4.2.2 a) through the Survey app: the survey is sent from a planned
    evaluation or a communication, and the customer's answers become the satisfaction score."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact_a.email = "contact.a@example.com"
        cls.survey = cls.env.ref("qms_customer.survey_customer_evaluation")
        cls.q_quality = cls.env.ref("qms_customer.survey_customer_evaluation_q_quality")
        cls.q_delivery = cls.env.ref("qms_customer.survey_customer_evaluation_q_delivery")
        cls.q_service = cls.env.ref("qms_customer.survey_customer_evaluation_q_service")
        cls.q_overall = cls.env.ref("qms_customer.survey_customer_evaluation_q_overall")
        cls.q_comment = cls.env.ref("qms_customer.survey_customer_evaluation_q_comment")
        cls.env.company.qms_evaluation_survey_id = cls.survey
        cls.plan = cls.env["qms.communication.plan"].create({
            "year": cls.YEAR, "user_id": cls.sales.id,
            "line_ids": [Command.create({"partner_id": cls.customer_a.id, "method": "evaluation", "month": "3"}),
                         Command.create({"partner_id": cls.customer_a.id, "method": "visit_phone", "month": "4"})],
        })
        cls.line_eval, cls.line_visit = cls.plan.line_ids.sorted("date_planned")

    def _evaluation(self, **vals):
        return self.env["qms.communication"].with_user(self.sales).create({
            "partner_id": self.customer_a.id, "communication_type": "evaluation",
            "date": f"{self.YEAR}-03-10 10:00:00", **vals})

    def _answer(self, user_input, quality, delivery, service, overall, comment=None):
        """The customer answers the survey, as the survey controller would save it."""
        Line = self.env["survey.user_input.line"].sudo()
        for question, value in ((self.q_quality, quality), (self.q_delivery, delivery), (self.q_service, service)):
            Line.create({"user_input_id": user_input.id, "question_id": question.id,
                         "answer_type": "scale", "value_scale": value})
        choice = self.q_overall.suggested_answer_ids.filtered(lambda a: a.answer_score == overall)
        Line.create({"user_input_id": user_input.id, "question_id": self.q_overall.id,
                     "answer_type": "suggestion", "suggested_answer_id": choice.id})
        if comment:
            Line.create({"user_input_id": user_input.id, "question_id": self.q_comment.id,
                         "answer_type": "text_box", "value_text_box": comment})
        user_input.sudo()._mark_done()

    # --- configuration -----------------------------------------------------------------------------
    def test_default_survey_and_setting(self):
        self.assertEqual(self.survey.access_mode, "token")
        self.assertEqual(len(self.survey.question_ids), 5)
        self.assertEqual(self.q_overall.suggested_answer_ids.mapped("answer_score"), [1, 2, 3, 4, 5])
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.qms_evaluation_survey_id, self.survey)
        # a new company gets the default survey too
        company = self.env["res.company"].create({"name": "Evaluation Branch"})
        self.assertEqual(company.qms_evaluation_survey_id, self.survey)

    # --- sending -------------------------------------------------------------------------------------
    def test_send_from_plan_line_creates_the_communication(self):
        self.plan.with_user(self.supervisor).action_approve()
        self.line_eval.with_user(self.sales).action_send_evaluation()
        communication = self.line_eval.communication_ids
        self.assertEqual(len(communication), 1)
        self.assertEqual(communication.communication_type, "evaluation")
        self.assertEqual(self.line_eval.state, "done")
        self.assertEqual(self.line_eval.communication_id, communication)
        answer = communication.sudo().survey_user_input_id
        self.assertEqual(answer.survey_id, self.survey)
        self.assertEqual(answer.partner_id, self.contact_a, "the contact with an e-mail address is invited")
        self.assertEqual(answer.qms_communication_id, communication)
        self.assertEqual(communication.survey_state, "sent")
        mail = self.env["mail.mail"].sudo().search([("recipient_ids", "in", self.contact_a.ids)])
        self.assertTrue(mail, "the invitation is e-mailed to the contact")
        self.assertIn(answer.access_token, mail[0].body_html)
        self.assertIn("Customer evaluation survey", communication.message_ids[0].body)
        # sending again re-sends the same invitation, a second activity reuses the communication
        self.line_eval.with_user(self.sales).action_send_evaluation()
        self.assertEqual(communication.sudo().survey_user_input_ids, answer)
        self.assertEqual(len(self.line_eval.communication_ids), 1)

    def test_send_refused_with_clear_errors(self):
        with self.assertRaises(UserError):
            self.line_visit.with_user(self.sales).action_send_evaluation()
        visit = self._evaluation(communication_type="visit", channel="phone")
        with self.assertRaises(UserError):
            visit.action_send_evaluation()
        self.contact_a.email = False
        communication = self._evaluation()
        with self.assertRaises(UserError):
            communication.action_send_evaluation()
        self.assertFalse(communication.sudo().survey_user_input_ids, "nothing half-written")
        self.contact_a.email = "contact.a@example.com"
        self.env.company.qms_evaluation_survey_id = False
        with self.assertRaises(UserError):
            communication.action_send_evaluation()
        self.assertFalse(communication.sudo().survey_user_input_ids)

    def test_only_sales_may_send(self):
        communication = self._evaluation()
        with self.assertRaises(AccessError):
            communication.with_user(self.employee).action_send_evaluation()
        with self.assertRaises(AccessError):
            communication.with_user(self.gm).action_send_evaluation()
        self.assertFalse(communication.sudo().survey_user_input_ids)

    # --- answers ---------------------------------------------------------------------------------------
    def test_answers_set_score_and_comment(self):
        communication = self._evaluation()
        communication.action_send_evaluation()
        answer = communication.sudo().survey_user_input_id
        # (5 + 4 + 3 + 5) / 4 = 4.25 -> 4
        self._answer(answer, 5, 4, 3, 5, comment="Faster deliveries, please")
        self.assertEqual(answer.state, "done")
        self.assertEqual(communication.survey_state, "done")
        self.assertEqual(communication.satisfaction_score, 4)
        self.assertEqual(communication.satisfaction_comment, "Faster deliveries, please")
        self.assertIn("4/5", communication.message_ids[0].body)
        self.assertEqual(self.customer_a.qms_satisfaction_score, 4)
        with self.assertRaises(UserError):
            communication.action_send_evaluation()

    def test_mean_rounds_half_up(self):
        communication = self._evaluation()
        communication.action_send_evaluation()
        # (3 + 4 + 3 + 4) / 4 = 3.5 -> 4; no comment keeps the comment typed by hand
        communication.satisfaction_comment = "Said on the phone"
        self._answer(communication.sudo().survey_user_input_id, 3, 4, 3, 4)
        self.assertEqual(communication.satisfaction_score, 4)
        self.assertEqual(communication.satisfaction_comment, "Said on the phone")

    def test_other_scales_are_brought_to_one_to_five(self):
        survey = self.env["survey.survey"].create({
            "title": "Ten-point evaluation", "access_mode": "token",
            "question_and_page_ids": [
                Command.create({"title": "Rate us", "question_type": "scale", "scale_min": 0, "scale_max": 10}),
                Command.create({"title": "Rate our service", "question_type": "numerical_box"}),
            ],
        })
        self.env.company.qms_evaluation_survey_id = survey
        communication = self._evaluation()
        communication.action_send_evaluation()
        answer = communication.sudo().survey_user_input_id
        self.assertEqual(answer.survey_id, survey)
        scale, numerical = survey.question_ids.sorted("id")
        Line = self.env["survey.user_input.line"].sudo()
        Line.create({"user_input_id": answer.id, "question_id": scale.id, "answer_type": "scale", "value_scale": 5})
        Line.create({"user_input_id": answer.id, "question_id": numerical.id, "answer_type": "numerical_box",
                     "value_numerical_box": 2})
        answer._mark_done()
        # 0-10 scale: 5 -> 3; numerical 2 -> 2; mean 2.5 -> 3
        self.assertEqual(communication.satisfaction_score, 3)

    def test_survey_without_ratings_leaves_the_score(self):
        communication = self._evaluation(satisfaction_score=2)
        communication.action_send_evaluation()
        answer = communication.sudo().survey_user_input_id
        self.env["survey.user_input.line"].sudo().create({
            "user_input_id": answer.id, "question_id": self.q_quality.id, "skipped": True})
        answer._mark_done()
        self.assertEqual(communication.satisfaction_score, 2)

    def test_unlinked_answers_change_nothing(self):
        communication = self._evaluation(satisfaction_score=2)
        answer = self.survey.sudo()._create_answer(partner=self.contact_a, check_attempts=False)
        self._answer(answer, 5, 5, 5, 5)
        self.assertEqual(communication.satisfaction_score, 2)
        self.assertFalse(answer.qms_communication_id)
