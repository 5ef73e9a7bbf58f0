from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .qms_warranty_policy import WARRANTY_STARTS
from .qms_working_days import DEFAULT_WEEKDAYS, WorkingDays, load_working_days


class ResCompany(models.Model):
    _inherit = "res.company"

    # Controlled-document header printed on the slip and the corrective action report.
    qms_complaint_doc_code = fields.Char(string="Complaint Slip Form Code", default="QR-8.2-01")
    qms_action_doc_code = fields.Char(string="Corrective Action Form Code", default="QR-8.2-02")
    qms_doc_edition = fields.Char(string="Form Edition", default="A/0")
    qms_doc_revision = fields.Char(string="Form Revision", default="00")
    qms_complaint_close_days = fields.Integer(
        string="Days to Close a Complaint", default=30,
        help="Target number of days between receiving a complaint and closing it.")
    # --- ISO 9001 §10.2, clause 4.3.2: the effectiveness window and recurrence detection (issue 14)
    qms_effectiveness_days_minor = fields.Integer(
        string="Effectiveness Window, Minor (Days)", default=30,
        help="Days an implemented corrective action of a minor complaint waits before it may be judged effective.")
    qms_effectiveness_days_major = fields.Integer(
        string="Effectiveness Window, Major (Days)", default=30,
        help="Days an implemented corrective action of a major complaint waits before it may be judged effective.")
    qms_effectiveness_days_critical = fields.Integer(
        string="Effectiveness Window, Critical (Days)", default=30,
        help="Days an implemented corrective action of a critical complaint waits before it may be judged "
             "effective.")
    qms_recurrence_months = fields.Integer(
        string="Recurrence Look-Back (Months)", default=12,
        help="A new complaint slip is a recurrence of an earlier one received within these months; 0 switches "
             "the detection off.")
    qms_recurrence_match = fields.Selection([
        ("product", "Same Product"),
        ("category", "Same Product Category"),
    ], string="Recurrence Matched On", default="product", required=True,
        help="A new slip repeats an earlier one when a product of its lines is the same (or of the same "
             "product category) and the complaint category is the same.")

    qms_action_reminder_days = fields.Integer(
        string="Remind the Owner of a Corrective Action (Days Before Due)", default=3,
        help="The owner of a corrective action being carried out gets a to-do this many days before its due "
             "date (0: on the due date).")

    _qms_action_reminder_days_positive = models.Constraint(
        "CHECK(qms_action_reminder_days >= 0)", "The days before a corrective action's due date cannot be negative.")
    _qms_effectiveness_days_positive = models.Constraint(
        "CHECK(qms_effectiveness_days_minor >= 0 AND qms_effectiveness_days_major >= 0 "
        "AND qms_effectiveness_days_critical >= 0 AND qms_recurrence_months >= 0)",
        "The effectiveness windows and the recurrence look-back cannot be negative.")

    def _qms_effectiveness_days(self, severity):
        """The effectiveness window of a corrective action, in days, for a slip of ``severity``."""
        self.ensure_one()
        return self[f"qms_effectiveness_days_{severity or 'minor'}"] or 0
    qms_annual_report_doc_code = fields.Char(string="Annual Report Form Code", default="QR-8.2-03")
    qms_service_doc_code = fields.Char(string="Service Acceptance Form Code", default="QR-8.2-04")
    qms_visit_doc_code = fields.Char(string="Customer Visit Record Form Code", default="QR-8.2-05")
    qms_plan_doc_code = fields.Char(string="Communication Plan Form Code", default="QR-8.2-06")
    qms_8d_doc_code = fields.Char(string="8D Report Form Code", default="QR-8.2-07")
    qms_warranty_card_doc_code = fields.Char(string="Warranty Card Form Code", default="QR-8.2-08")
    qms_warranty_start = fields.Selection(
        WARRANTY_STARTS, string="Three Guarantees Counted From", default="delivery", required=True,
        help="The days of the three guarantees (repair, replacement, refund) run from this date. The default "
             "follows the 2024 Implementing Regulation of the Consumer Rights Protection Law (Art. 18): the "
             "delivery, or the customer's acceptance of the installation for products that require installation.")
    qms_refund_days = fields.Integer(string="Refund Within (Days)", default=7)
    qms_replacement_days = fields.Integer(string="Replacement Within (Days)", default=15)
    qms_repair_days = fields.Integer(string="Repair Within (Days)", default=365)

    def _qms_document_header(self, kind):
        """Header values of a controlled form: 'complaint', 'corrective_action', 'annual_report',
        'service', 'visit', 'plan', '8d' or 'warranty_card'."""
        self.ensure_one()
        code = {
            "complaint": self.qms_complaint_doc_code,
            "corrective_action": self.qms_action_doc_code,
            "annual_report": self.qms_annual_report_doc_code,
            "service": self.qms_service_doc_code,
            "visit": self.qms_visit_doc_code,
            "plan": self.qms_plan_doc_code,
            "8d": self.qms_8d_doc_code,
            "warranty_card": self.qms_warranty_card_doc_code,
        }[kind]
        return {"code": code or "", "edition": self.qms_doc_edition or "", "revision": self.qms_doc_revision or ""}

    def _qms_next_complaint_numbers(self, count=1):
        """The next ``count`` slip numbers of this company: gap-free per company and year (an auditor
        asks why CS/2026/00041 is missing). The company's sequence is ``no_gap`` with a date range
        per year: the number is taken by an UPDATE in the creating transaction, so a refused or
        rolled-back create gives it back. The sequence is looked up once, whatever the count
        (tools/bench)."""
        self.ensure_one()
        sequence = self._qms_complaint_sequence()
        # Concurrent creates of one company take turns here: the second waits for the first to
        # end, then fails with a serialization error (repeatable read) that Odoo's retrying()
        # replays with the first one's numbers visible. Taking the turn on the sequence's own row,
        # before its year's range is looked up, also keeps two first slips of a year from creating
        # two ranges (both number 1); and the range's NOWAIT lock in _update_nogap never fails.
        # The error is expected under load: not logged as a "bad query".
        self.env.cr.execute(SQL("UPDATE ir_sequence SET number_next = number_next WHERE id = %s", sequence.id),
                            log_exceptions=False)
        today = fields.Date.context_today(self)
        year = self.env["ir.sequence.date_range"].sudo().search([
            ("sequence_id", "=", sequence.id), ("date_from", "<=", today), ("date_to", ">=", today)], limit=1)
        year = year or sequence._create_date_range_seq(today)
        # the numbers of a batch in one UPDATE, as ir.sequence's no_gap does for one number
        step = sequence.number_increment
        year.flush_recordset(["number_next"])
        self.env.cr.execute(SQL(
            "UPDATE ir_sequence_date_range SET number_next = number_next + %s WHERE id = %s RETURNING number_next",
            step * count, year.id))
        following = self.env.cr.fetchone()[0]
        year.invalidate_recordset(["number_next"])
        sequence = sequence.with_context(ir_sequence_date=today, ir_sequence_date_range=year.date_from)
        return [sequence.get_next_char(following - (count - index) * step) for index in range(count)]

    def _qms_complaint_sequence(self):
        self.ensure_one()
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search([("code", "=", "qms.complaint"), ("company_id", "=", self.id)], limit=1)
        if not sequence:
            self._qms_create_complaint_sequences()
            sequence = Sequence.search([("code", "=", "qms.complaint"), ("company_id", "=", self.id)], limit=1)
        return sequence

    @api.model
    def _qms_install_complaint_sequences(self):
        """At install and update (data/ir_sequence_data.xml): every company has its slip sequence."""
        self.sudo().with_context(active_test=False).search([], order="id")._qms_create_complaint_sequences()

    def _qms_create_complaint_sequences(self):
        """Give the companies that have none their gap-free slip sequence, numbered per year."""
        Sequence = self.env["ir.sequence"].sudo()
        have = Sequence.search([("code", "=", "qms.complaint"), ("company_id", "in", self.ids)]).company_id
        Sequence.create([company._qms_prepare_complaint_sequence_vals() for company in self.sudo() - have])

    def _qms_prepare_complaint_sequence_vals(self):
        self.ensure_one()
        return {
            "name": self.env._("Complaint Slips (%s)", self.name), "code": "qms.complaint",
            "company_id": self.id, "implementation": "no_gap", "use_date_range": True,
            # the year of the range the number was taken from (not the clock's, which may be past
            # midnight of another year than the user's date)
            "prefix": "CS/%(range_year)s/", "padding": 5,
        }

    # Customer evaluation (4.2.2 a): the survey sent to customers.
    qms_evaluation_survey_id = fields.Many2one(
        "survey.survey", string="Customer Evaluation Survey",
        default=lambda self: self.env.ref("qms_customer.survey_customer_evaluation", raise_if_not_found=False),
        help="The survey sent to customers for a customer evaluation; its 1-5 ratings become the "
             "communication's satisfaction score.")

    def _qms_set_default_evaluation_survey(self):
        """Give the default customer evaluation survey to the companies that have none."""
        survey = self.env.ref("qms_customer.survey_customer_evaluation", raise_if_not_found=False)
        if survey:
            self.sudo().search([("qms_evaluation_survey_id", "=", False)]).qms_evaluation_survey_id = survey
    # --- customer portal and e-mail intake (issue #7) ---------------------------------------
    qms_portal_share_actions = fields.Boolean(
        string="Share Corrective Actions on the Portal",
        help="Default for new complaint slips: show customers a summary of the corrective actions taken.")
    qms_complaint_alias_id = fields.Many2one(
        "mail.alias", string="Complaints Alias", copy=False, ondelete="set null",
        help="Incoming e-mails to this address create recorded complaint slips of this company.")

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._qms_ensure_complaint_alias()
        companies._qms_create_complaint_sequences()
        return companies

    @api.model
    def _qms_install_complaint_aliases(self):
        """At install: every existing company gets its complaints alias."""
        self.sudo().with_context(active_test=False).search([], order="id")._qms_ensure_complaint_alias()

    def _qms_ensure_complaint_alias(self):
        """Give each company its complaints alias (default complaints@<company domain>)."""
        Alias = self.env["mail.alias"].sudo()
        model_id = self.env["ir.model"]._get_id("qms.complaint")
        for company in self.sudo().filtered(lambda c: not c.qms_complaint_alias_id):
            name = "complaints"
            domain = company.alias_domain_id
            if Alias.search_count([("alias_name", "=", name), ("alias_domain_id", "=", domain.id)], limit=1):
                name = f"complaints-{company.id}"
            company.qms_complaint_alias_id = Alias.create(company._qms_prepare_complaint_alias_vals(name, model_id))

    def _qms_prepare_complaint_alias_vals(self, name, model_id):
        self.ensure_one()
        return {
            "alias_name": name,
            "alias_domain_id": self.alias_domain_id.id,
            "alias_model_id": model_id,
            "alias_contact": "everyone",
            "alias_defaults": repr({"company_id": self.id}),
        }

    # --- who is accountable for each gate of a slip (one activity per gate, issue #11) ------------
    qms_supervisor_user_id = fields.Many2one(
        "res.users", string="Accountable Sales Supervisor", domain="[('share', '=', False)]",
        help="Gets the review activity of each new complaint slip; empty: the first Sales Supervisor of the company.")
    qms_quality_user_id = fields.Many2one(
        "res.users", string="Accountable Quality Manager", domain="[('share', '=', False)]",
        help="Gets the disposition activity of each reviewed slip; empty: the first Quality user of the company.")
    qms_mgmt_rep_user_id = fields.Many2one(
        "res.users", string="Management Representative", domain="[('share', '=', False)]",
        help="Gets the verification activity of each answered slip; empty: the first Management "
             "Representative of the company.")

    def _qms_role_users(self, group_xmlid):
        """The internal users of this company who hold a role (sudo: whoever takes a step may not
        read the other users' companies)."""
        self.ensure_one()
        users = self.env.ref(group_xmlid).sudo().all_user_ids
        return users.filtered(lambda u: not u.share and self in u.company_ids).sorted("id")

    def _qms_accountable_user(self, group_xmlid):
        """The one user accountable for a role's gate: the one named in the settings while they
        still hold the role in this company, else the role's first holder."""
        self.ensure_one()
        named = {
            "qms_customer.group_qms_sales_supervisor": self.sudo().qms_supervisor_user_id,
            "qms_customer.group_qms_quality": self.sudo().qms_quality_user_id,
            "qms_customer.group_qms_management_representative": self.sudo().qms_mgmt_rep_user_id,
        }.get(group_xmlid)
        holders = self._qms_role_users(group_xmlid)
        return (named if named and named in holders else holders[:1]).with_env(self.env)

    # --- repeat counters and what the customer receives (issue #13, items 4 and 7) ---------------
    qms_repeat_months = fields.Integer(
        string="Repeat Complaints Look-Back (Months)", default=12,
        help="A complaint counts as a repeat of the earlier ones of this company received within this many "
             "months before it (same sales order, same product, same product and fault).")
    qms_send_acknowledgement = fields.Boolean(
        string="Send the Acknowledgement Automatically",
        help="When a complaint slip is recorded, e-mail its number and reception date to the customer's contact.")
    qms_send_closure = fields.Boolean(
        string="Send the Closure Notice Automatically",
        help="When a complaint slip is closed, e-mail the customer that the handling is complete.")

    @api.constrains("qms_repeat_months")
    def _check_qms_repeat_months(self):
        for company in self:
            if not 1 <= company.qms_repeat_months <= 120:
                raise ValidationError(self.env._(
                    "The look-back of repeat complaints must be between 1 and 120 months (got %s).",
                    company.qms_repeat_months))
    # --- complaint clocks in working days (issue 13.1), counted in resource_calendar_id ----------
    qms_ack_working_days = fields.Integer(
        string="Working Days to Acknowledge", default=1,
        help="Working days, in the company's working calendar, to tell the customer the slip number.")
    qms_answer_working_days = fields.Integer(
        string="Working Days to a First Answer", default=7,
        help="Working days to answer the customer, unless an answer date was agreed with the customer.")
    qms_close_working_days = fields.Integer(
        string="Working Days to Close", default=30,
        help="Working days between receiving a complaint and closing it after the service verification.")
    qms_escalate_gm_days = fields.Integer(
        string="Working Days Late Before the General Manager Is Told", default=5,
        help="A slip late by this many working days is escalated to the General Manager (critical slips at once).")

    _qms_ack_working_days_positive = models.Constraint(
        "CHECK(qms_ack_working_days > 0)", "The working days to acknowledge a complaint must be more than 0.")
    _qms_answer_working_days_positive = models.Constraint(
        "CHECK(qms_answer_working_days > 0)", "The working days to a first answer must be more than 0.")
    _qms_close_working_days_positive = models.Constraint(
        "CHECK(qms_close_working_days > 0)", "The working days to close a complaint must be more than 0.")
    _qms_escalate_gm_days_positive = models.Constraint(
        "CHECK(qms_escalate_gm_days > 0)", "The working days before the General Manager is told must be more than 0.")

    def _qms_working_days(self):
        """{company id: WorkingDays} of these companies' working calendars, in two queries."""
        calendars = self.sudo().resource_calendar_id
        by_calendar = load_working_days(self.env, calendars)
        fallback = WorkingDays(DEFAULT_WEEKDAYS, ())
        return {company.id: by_calendar.get(company.sudo().resource_calendar_id.id) or fallback
                for company in self}
