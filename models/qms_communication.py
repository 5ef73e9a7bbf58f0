from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .qms_customer_requirement import MARKET_KINDS, PRODUCT_KINDS
from .qms_input_limits import (
    EARLIEST_DATE,
    LINE_TEXT_MAX_CHARS,
    PLAIN_TEXT_MAX_CHARS,
    RICH_TEXT_MAX_CHARS,
    check_date_between,
    check_references,
    check_text_sizes,
    latest_planned_date,
)

# Kinds of communication: with existing customers (4.2.2) and with new customers (4.2.3).
COMMUNICATION_TYPES = [
    ("evaluation", "Customer Evaluation"),
    ("visit", "Customer Visit"),
    ("trade_show", "Trade Show"),
    ("dealer_reception", "Dealer Reception"),
    ("contract_revision", "Contract Revision"),
    ("enquiry", "Business Enquiry"),
    ("after_sales", "After-sales Service"),
    ("complaint", "Complaint Handling"),
]
CHANNELS = [
    ("phone", "Phone"),
    ("letter", "Letter"),
    ("email", "E-mail"),
    ("online", "Online"),
    ("in_person", "In Person"),
]
SATISFACTION = [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")]


class QmsCommunication(models.Model):
    """One communication with an existing or a new customer (clauses 4.2.1 to 4.2.4).

    It records what was learnt: product and service requirements, satisfaction, market trends
    and competitors' business. Logged against a planned activity, it fulfils that activity.
    """

    _name = "qms.communication"
    _description = "Customer Communication"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, tracking=True, index=True, check_company=True)
    customer_status = fields.Selection(
        [("existing", "Existing Customer"), ("new", "New Customer")], string="Customer Status",
        compute="_compute_customer_status", store=True, readonly=False, precompute=True, required=True,
        tracking=True)
    communication_type = fields.Selection(
        COMMUNICATION_TYPES, string="Type", required=True, default="visit", tracking=True)
    channel = fields.Selection(CHANNELS, tracking=True, help="How the customer was visited.")
    date = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True,
        domain="[('share', '=', False)]")
    participant_ids = fields.Many2many(
        "res.users", "qms_communication_participant_rel", "communication_id", "user_id",
        string="Participants", default=lambda self: self.env.user, domain="[('share', '=', False)]")
    customer_participants = fields.Char(help="Who took part on the customer's side.")
    summary = fields.Html()
    requirement_ids = fields.One2many("qms.customer.requirement", "communication_id", string="All Requirements")
    product_requirement_ids = fields.One2many(
        "qms.customer.requirement", "communication_id", string="Product Requirements",
        domain=[("kind", "in", PRODUCT_KINDS)])
    service_requirement_ids = fields.One2many(
        "qms.customer.requirement", "communication_id", string="Service Requirements",
        domain=[("kind", "=", "service")])
    market_information_ids = fields.One2many(
        "qms.customer.requirement", "communication_id", string="Market and Competitors",
        domain=[("kind", "in", MARKET_KINDS)])
    satisfaction_score = fields.Integer(
        string="Satisfaction", tracking=True, aggregator="avg",
        help="Customer satisfaction from 1 (very dissatisfied) to 5 (very satisfied); 0 when not asked.")
    satisfaction_comment = fields.Text()
    market_trends = fields.Text()
    competitor_information = fields.Text()
    plan_line_id = fields.Many2one(
        "qms.communication.plan.line", string="Planned Activity", index="btree_not_null", tracking=True,
        domain="[('partner_id', '=', partner_id), ('state', 'in', ('planned', 'missed'))]")
    visit_id = fields.Many2one("qms.customer.visit", string="Visit", index="btree_not_null", check_company=True)
    sale_order_id = fields.Many2one("sale.order", string="Sales Order", check_company=True,
                                    domain="[('partner_id', 'child_of', partner_id)]")
    complaint_id = fields.Many2one(
        "qms.complaint", string="Complaint (Return) Slip", index="btree_not_null", check_company=True, tracking=True,
        domain="[('partner_id', 'child_of', partner_id)]",
        help="The slip this communication handles (complaint handling, 4.2.3 and 4.3).")


    # --- 4.2.2 a customer evaluation through the Survey app -----------------------------------
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

    @api.depends("partner_id", "plan_line_id")
    def _compute_customer_status(self):
        # Existing customers have bought from us (a confirmed sales order) or are in a plan.
        for comm in self:
            partner = comm.partner_id.commercial_partner_id
            if not partner:
                comm.customer_status = comm.customer_status or "new"
                continue
            has_order = self.env["sale.order"].sudo().search_count(
                [("partner_id", "child_of", partner.id), ("state", "=", "sale")], limit=1)
            comm.customer_status = "existing" if has_order or comm.plan_line_id else "new"

    @api.constrains("satisfaction_score")
    def _check_satisfaction_score(self):
        for comm in self:
            if comm.satisfaction_score and not 1 <= comm.satisfaction_score <= 5:
                raise ValidationError(self.env._(
                    "The satisfaction score must be between 1 and 5 (got %(score)s).", score=comm.satisfaction_score))

    @api.constrains("communication_type", "channel")
    def _check_channel(self):
        for comm in self:
            if comm.communication_type == "visit" and not comm.channel:
                raise ValidationError(self.env._("Say how the customer was visited: phone, letter, e-mail, online "
                                                 "or in person."))

    @api.constrains("plan_line_id", "partner_id")
    def _check_plan_line_partner(self):
        for comm in self:
            line = comm.plan_line_id
            if line and line.partner_id.commercial_partner_id != comm.partner_id.commercial_partner_id:
                raise ValidationError(self.env._(
                    "The planned activity %(activity)s is with another customer.", activity=line.display_name))

    @api.constrains("complaint_id", "communication_type", "partner_id")
    def _check_complaint(self):
        for comm in self.filtered("complaint_id"):
            if comm.communication_type != "complaint":
                raise ValidationError(self.env._(
                    "Only a complaint handling communication can be linked to a complaint slip."))
            if comm.complaint_id.partner_id.commercial_partner_id != comm.partner_id.commercial_partner_id:
                raise ValidationError(self.env._(
                    "The complaint slip %(slip)s is from another customer.", slip=comm.complaint_id.display_name))

    @api.onchange("complaint_id")
    def _onchange_complaint_id(self):
        if self.complaint_id:
            self.communication_type = "complaint"
            self.sale_order_id = self.sale_order_id or self.complaint_id.sale_order_id

    @api.onchange("plan_line_id")
    def _onchange_plan_line_id(self):
        if self.plan_line_id:
            vals = self.plan_line_id._prepare_communication_vals()
            self.communication_type = vals["communication_type"]
            self.channel = vals["channel"]

    # --- input limits (issue #11.8) -------------------------------------------------------------
    @api.constrains("summary", "satisfaction_comment", "market_trends", "competitor_information",
                    "customer_participants")
    def _check_text_sizes(self):
        check_text_sizes(self, {
            "summary": RICH_TEXT_MAX_CHARS, "satisfaction_comment": PLAIN_TEXT_MAX_CHARS,
            "market_trends": PLAIN_TEXT_MAX_CHARS, "competitor_information": PLAIN_TEXT_MAX_CHARS,
            "customer_participants": LINE_TEXT_MAX_CHARS,
        })

    @api.constrains("date")
    def _check_date_range(self):
        check_date_between(self, "date", EARLIEST_DATE, latest_planned_date(self.env))

    @api.model_create_multi
    def create(self, vals_list):
        check_references(self, vals_list)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("qms.communication") or "/"
        communications = super().create(vals_list)
        communications.plan_line_id._sync_state_from_communications()
        return communications

    def write(self, vals):
        check_references(self, [vals])
        old_lines = self.plan_line_id
        res = super().write(vals)
        if "plan_line_id" in vals or "date" in vals:
            (old_lines | self.plan_line_id)._sync_state_from_communications()
        return res

    def unlink(self):
        lines = self.plan_line_id
        res = super().unlink()
        lines.exists()._sync_state_from_communications()
        return res

    # --- 4.2.2 a: the evaluation survey sent to the customer contact, its answers back ----------
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

    @api.readonly
    def action_view_survey_answer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self.survey_user_input_id.sudo().get_print_url(),
            "target": "new",
        }
