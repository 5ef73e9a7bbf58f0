from odoo import api, fields, models
from odoo.exceptions import UserError


class QmsCommunication(models.Model):
    """Customer evaluation (clause 4.2.2 a) through the Survey app: the communication sends the
    company's evaluation survey to the customer contact and receives the answers back."""

    _inherit = "qms.communication"

    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True, string="Customer Company")
    survey_user_input_ids = fields.One2many(
        "survey.user_input", "qms_communication_id", string="Evaluation Answers",
        groups="survey.group_survey_user")
    survey_user_input_id = fields.Many2one(
        "survey.user_input", string="Evaluation Survey Answer", compute="_compute_survey_user_input_id",
        compute_sudo=True)
    survey_state = fields.Selection(
        [("sent", "Sent"), ("in_progress", "Being Answered"), ("done", "Answered")],
        string="Evaluation Status", compute="_compute_survey_user_input_id", compute_sudo=True)

    @api.depends("survey_user_input_ids.state")
    def _compute_survey_user_input_id(self):
        states = {"new": "sent", "in_progress": "in_progress", "done": "done"}
        for comm in self:
            answer = comm.survey_user_input_ids.sorted("id", reverse=True)[:1]
            comm.survey_user_input_id = answer
            comm.survey_state = states.get(answer.state) if answer else False

    def _get_evaluation_contact(self):
        """The customer contact who receives the survey: the partner itself when it has an
        e-mail address, else its first contact with one."""
        self.ensure_one()
        partner = self.partner_id
        if partner.email:
            return partner
        contact = partner.commercial_partner_id.child_ids.filtered(lambda c: c.email and c.type == "contact")[:1]
        if not contact:
            raise UserError(self.env._(
                "%(customer)s has no contact with an e-mail address to send the customer evaluation to.",
                customer=partner.display_name))
        return contact

    def _prepare_survey_answer_vals(self):
        self.ensure_one()
        return {"qms_communication_id": self.id}

    def action_send_evaluation(self):
        """Invite the customer contact to answer the company's evaluation survey; the answer
        is linked to this communication."""
        for comm in self:
            if comm.communication_type != "evaluation":
                raise UserError(self.env._(
                    "Only a customer evaluation sends the evaluation survey (%(communication)s is not one).",
                    communication=comm.display_name))
            comm.check_access("write")
            survey = comm.company_id.qms_evaluation_survey_id
            if not survey:
                raise UserError(self.env._(
                    "Choose the customer evaluation survey of %(company)s in the settings first.",
                    company=comm.company_id.name))
            answer = comm.sudo().survey_user_input_id
            if answer.state == "done":
                raise UserError(self.env._(
                    "The customer already answered the evaluation of %(communication)s.",
                    communication=comm.display_name))
            contact = comm._get_evaluation_contact()
            if not answer or answer.survey_id != survey or answer.partner_id != contact:
                answer = survey.sudo()._create_answer(
                    partner=contact, check_attempts=False, **comm._prepare_survey_answer_vals())
            template = self.env.ref("survey.mail_template_user_input_invite", raise_if_not_found=False)
            if template:
                template.sudo().send_mail(answer.id, email_layout_xmlid="mail.mail_notification_light")
            comm.message_post(body=self.env._(
                "Customer evaluation survey %(survey)s sent to %(contact)s.",
                survey=survey.display_name, contact=contact.display_name))
        return True

    def action_view_survey_answer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self.survey_user_input_id.sudo().get_print_url(),
            "target": "new",
        }
