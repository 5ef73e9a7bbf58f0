from datetime import timedelta

import psycopg2.errors
from markupsafe import Markup, escape

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, consteq, email_normalize, format_date, html2plaintext, is_html_empty, plaintext2html
from odoo.tools.mail import parse_contact_from_email
from odoo.tools.mimetypes import guess_mimetype

from .qms_complaint_verdict import HANDLING_SCORES, VERDICTS
from .qms_input_guard import check_input
from .qms_input_limits import (
    EARLIEST_DATE,
    PLAIN_TEXT_MAX_CHARS,
    RICH_TEXT_MAX_CHARS,
    YEARS_AHEAD,
    check_date_between,
    check_email,
    check_text_sizes,
    tomorrow,
)
from .qms_integrity import integrity_checks
from .qms_workflow_mixin import Gate, Step

# Clause 4.3: the order of the gates a complaint (return) slip passes.
STATES = [
    ("draft", "Recorded"),
    ("supervisor_review", "Supervisor Review"),
    ("quality_review", "Quality Review"),
    ("action", "Corrective Action"),
    ("investigation", "Investigation"),
    ("reply", "Reply to Customer"),
    ("verification", "Verification"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
]
INTAKE_STATES = ("draft", "supervisor_review")
OPEN_STATES = tuple(state for state, _label in STATES if state not in ("done", "cancel"))
# issue 14.5: the costs of poor quality are entered from Quality's review until the slip is closed
COST_STATES = ("quality_review", "action", "investigation", "reply", "verification")

# ISO 10002 / GB/T 19012 initial assessment, made by the Sales supervisor at the review (4.3.1)
COMPLAINT_NATURES = [
    ("valid", "Valid Complaint"),
    ("invalid", "Invalid Complaint"),
    ("suggestion", "Suggestion or Enquiry"),
]
# Quality's responsibility finding, next to its responsible / not responsible decision (4.3.2)
RESPONSIBILITY_FINDINGS = [
    ("product_quality", "Product Quality Problem"),
    ("normal_use", "Normal Wear Under Normal Use"),
    ("transport", "Non-Quality: Transport"),
    ("application", "Non-Quality: Application or Misuse"),
    ("installation", "Non-Quality: Installation"),
]

SALES = "qms_customer.group_qms_sales"
SUPERVISOR = "qms_customer.group_qms_sales_supervisor"
QUALITY = "qms_customer.group_qms_quality"
MGMT_REP = "qms_customer.group_qms_management_representative"
# A closed slip's content and thread are evidence (issue #11.3); so are its corrective actions' threads.
CLOSED_STATES = ("done", "cancel")
EVIDENCE_MODELS = ("qms.complaint", "qms.corrective.action")

# The departments of a corrective action (clause 4.3.2): its members see the slip.
ACTION_DEPARTMENT_FIELDS = ("responsible_department_id", "implementing_department_id", "verifying_department_id")

# Clause 4.3, the transition table: every change of stage, who makes it, what it needs and stamps.
# Buttons, their visibility (can_<step>), the stamp constraint and write() all read it.
STEPS = {
    # 4.3.1 whoever received the complaint reports it to the Sales supervisor at once
    "submit": Step(("draft",), "supervisor_review", stamp=("submitted_by_id", "submitted_date"),
                   check="_check_can_submit", then="_after_submit"),
    # 4.3.1 the Sales supervisor reviews the slip, or sends it back for completion
    "supervisor_review": Step(("supervisor_review",), "quality_review", group=SUPERVISOR,
                              stamp=("supervisor_id", "supervisor_date"), check="_check_can_supervisor_review",
                              then="_after_supervisor_review"),
    "return_to_draft": Step(("supervisor_review",), "draft", group=SUPERVISOR,
                            clears=("submitted_by_id", "submitted_date"), then="_after_return_to_draft"),
    # 4.3.1 Quality reviews, confirms and disposes: the company is responsible or not
    "confirm_responsible": Step(("quality_review",), "action", group=QUALITY,
                                stamp=("quality_user_id", "quality_date"), values={"company_responsible": True},
                                check="_check_can_confirm_responsible", then="_after_confirm_responsible"),
    "confirm_not_responsible": Step(("quality_review",), "investigation", group=QUALITY,
                                    stamp=("quality_user_id", "quality_date"), values={"company_responsible": False},
                                    check="_check_can_confirm", then="_after_confirm_not_responsible"),
    # 4.3.2 responsible: the approved corrective actions are carried out, then Sales answers
    "actions_implemented": Step(("action",), "reply", check="_check_actions_implemented",
                                then="_after_actions_implemented"),
    # 4.3.2 not responsible: Sales finds the real cause with the customer
    "investigation_done": Step(("investigation",), "reply", group=SALES,
                               stamp=("investigation_user_id", "investigation_date"),
                               check="_check_can_investigation_done", then="_after_investigation_done"),
    # 4.3.2 Sales contacts the customer, answers and settles the matter
    "reply": Step(("reply",), "verification", group=SALES, stamp=("reply_user_id", "reply_date"),
                  check="_check_can_reply", then="_after_reply"),
    # 4.3.2 the result is not satisfactory: the departments reconsider (4.4.3 verification)
    "reconsider": Step(("verification",), "action", group=MGMT_REP,
                       stamp=("reconsidered_by_id", "reconsidered_date"),
                       check="_check_can_reconsider", prepare="_prepare_reconsider_vals", then="_after_reconsider"),
    "reinvestigate": Step(("verification",), "investigation", group=MGMT_REP,
                          stamp=("reconsidered_by_id", "reconsidered_date"),
                          clears=("investigation_user_id", "investigation_date"),
                          check="_check_can_reconsider", prepare="_prepare_reconsider_vals", then="_after_reconsider"),
    # 4.4.3 service verification by the management representative closes the slip
    "close": Step(("verification",), "done", group=MGMT_REP, stamp=("verified_by_id", "verified_date"),
                  check="_check_can_close", then="_after_close"),
    "cancel": Step(OPEN_STATES, "cancel", group=SUPERVISOR, stamp=("cancelled_by_id", "cancelled_date"),
                   fields=("cancel_reason",), check="_check_can_cancel", then="_after_cancel"),
    # --- issue 13.1 clocks: steps that keep the stage. Sales tells the customer the slip number (phone,
    # visit; the portal and the e-mail intake acknowledge by themselves: _stamp_acknowledged), and
    # stops the clocks while it waits for the customer, with the reason.
    "acknowledge": Step(OPEN_STATES, None, group=SALES, stamp=("acknowledged_by_id", "acknowledged_date"),
                        check="_check_can_acknowledge", then="_after_acknowledge"),
    "pause": Step(OPEN_STATES, None, group=SALES, stamp=("paused_by_id", "paused_date"),
                  values={"waiting_customer": True}, check="_check_can_pause", then="_after_pause"),
    "resume": Step(OPEN_STATES, None, group=SALES, stamp=("resumed_by_id", "resumed_date"),
                   values={"waiting_customer": False}, check="_check_can_resume", then="_after_resume"),
}

# Each gate's own fields: written by its role, only while the slip stands at the gate. The stamp of
# the gate's step then credits a holder of that role with what the role wrote.
GATES = {
    "intake": Gate(INTAKE_STATES, (
        "partner_id", "contact_id", "sale_order_id", "line_ids", "channel", "received_by_id",
        "received_date", "severity", "category", "description", "customer_request", "email_from",
        # a slip recorded from a delivery order or a customer invoice names it (issue 13.7)
        "picking_id", "invoice_id")),
    # ISO 10002 initial assessment: the supervisor classifies the complaint when reviewing it
    "supervisor": Gate(("supervisor_review",), ("supervisor_comment", "complaint_nature", "nature_reason"),
                       group=SUPERVISOR),
    "quality": Gate(("quality_review",), ("quality_disposition", "responsible_department_id",
                                          "responsibility_finding"), group=QUALITY),
    # The correction (immediate containment for this customer: sort stock, replace, hold shipments)
    # is Quality's: 4.3.1 gives Quality the disposal of the complaint (return), and disposing of the
    # goods concerned is the correction. It is recorded from Quality's review until the customer is
    # answered, whichever way the slip goes and whatever stage its corrective actions stand at:
    # the correction removes the effect for this customer, the corrective actions (4.3.2) the cause.
    "correction": Gate(("quality_review", "action", "investigation", "reply"), ("correction",), group=QUALITY),
    "investigation": Gate(("investigation",), ("investigation_cause",), group=SALES),
    "reply": Gate(("action", "investigation", "reply"), ("reply_text", "reply_channel"), group=SALES),
    "verification": Gate(("verification",), ("verification_notes", "customer_satisfied", "team_recognition"),
                         group=MGMT_REP),
    # --- issue 13.1 clocks: the answer date agreed with the customer (客户要求或同意答复时间), until the
    # answer; why the slip waits for the customer, written before the pause step that requires it
    "agreed_answer": Gate(("draft", "supervisor_review", "quality_review", "action", "investigation", "reply"),
                          ("answer_agreed_date",), group=SALES),
    "waiting": Gate(OPEN_STATES, ("waiting_reason",), group=SALES),
    # --- issue 14.5: the costs of poor quality people enter (labour, freight, travel, samples, penalties)
    "costs": Gate(COST_STATES, ("cost_ids",), group=(QUALITY, SALES)),
}
# issue 13.1: where each deadline of a slip stands
# "not_met": the slip was closed (or cancelled) before this deadline was ever met
CLOCK_STATUSES = [("running", "Running"), ("on_time", "On Time"), ("late", "Late"), ("not_met", "Not Met")]
CLOCKS = ("ack", "answer", "close")
CLOCK_FIELDS = ("paused_working_days", "next_deadline", *(f"deadline_{k}" for k in CLOCKS),
                *(f"{k}_working_days" for k in CLOCKS), *(f"{k}_status" for k in CLOCKS))
GENERAL_MANAGER = "qms_customer.group_qms_general_manager"

# What still moves on a closed or cancelled slip: the conversation with the customer.
CLOSED_WRITABLE = ("access_token", "message_", "activity_")


# What a customer may attach on the portal: photos (and a PDF, e.g. a delivery note).
PORTAL_ATTACHMENT_MIMETYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf")
PORTAL_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
PORTAL_ATTACHMENT_MAX_COUNT = 10

# What a portal user may read of a slip (issue #11.4): an allow-list, as project.task's
# _portal_accessible_fields. A field added later stays unreadable and unsearchable by customers until
# it is named here; the portal pages read what they show through sudo, field by field.
PORTAL_READABLE_FIELDS = frozenset((
    "id", "display_name", "name", "company_id", "create_date", "write_date",
    "partner_id", "commercial_partner_id", "contact_id", "sale_order_id", "line_ids",
    "received_date", "customer_request", "portal_state", "portal_description",
    "access_url", "access_token", "message_is_follower",
))

# What the customer is told of each stage of clause 4.3.
CUSTOMER_STATES = [
    ("received", "Received"),
    ("review", "Under Review"),
    ("handling", "Being Handled"),
    ("answered", "Answered"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
PORTAL_STATES = {
    "draft": "received",
    "supervisor_review": "review",
    "quality_review": "review",
    "action": "handling",
    "investigation": "handling",
    "reply": "handling",
    "verification": "answered",
    "done": "closed",
    "cancel": "cancelled",
}



class QmsComplaint(models.Model):
    """Customer complaint (return) slip — 顾客投诉(退货)单 (procedure clause 4.3)."""

    _name = "qms.complaint"
    _description = "Customer Complaint (Return) Slip"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.workflow.mixin", "portal.mixin",
                "qms.portal.allowlist.mixin"]
    _order = "received_date desc, id desc"
    _check_company_auto = True
    _mail_post_access = "read"
    _primary_email = "email_from"
    _qms_steps = STEPS
    _qms_gates = GATES
    # set by the server only (sudo): the portal intake, and the corrective actions a reconsideration awaits
    # and who recorded the correction, when (stamped by write() whenever the correction changes)
    _qms_server_fields = ("portal_user_id", "awaiting_revised_actions", "answer_ids", "correction_user_id",
                          "correction_date",
                          # issue 13.1: the acknowledgement (_stamp_acknowledged), pauses and escalations
                          "acknowledged_by_id", "acknowledged_date", "pause_ids", "escalation_ids")
    _qms_fixed_fields = ("name", "company_id")  # a slip keeps its number, and the company that gave it

    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index="trigram")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    state = fields.Selection(
        STATES, default="draft", required=True, readonly=True, copy=False, tracking=True, index=True,
        group_expand=True)

    # --- 4.3.1 intake: whoever receives the complaint records it --------------------------------
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, tracking=True, index=True, check_company=True,
        domain="[('is_company', '=', True)]")
    commercial_partner_id = fields.Many2one(related="partner_id.commercial_partner_id", store=True, index=True)
    contact_id = fields.Many2one(
        "res.partner", string="Contact", check_company=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id)]")
    sale_order_id = fields.Many2one(
        "sale.order", string="Sales Order", tracking=True, index="btree_not_null", check_company=True,
        domain="[('partner_id.commercial_partner_id', '=', commercial_partner_id), ('state', '=', 'sale')]")
    line_ids = fields.One2many("qms.complaint.line", "complaint_id", string="Complaint Lines", copy=True)
    channel = fields.Selection([
        ("visit", "Visit"),
        ("phone", "Phone"),
        ("letter", "Letter"),
        ("email", "E-mail"),
        ("online", "Online"),
        ("other", "Other"),
    ], string="Received By Channel", required=True, default="phone")
    received_by_id = fields.Many2one(
        "res.users", string="Received By", required=True, default=lambda self: self.env.user, index=True,
        domain="[('share', '=', False)]")
    received_date = fields.Datetime(string="Received On", required=True, default=fields.Datetime.now)
    severity = fields.Selection([
        ("minor", "Minor"),
        ("major", "Major"),
        ("critical", "Critical"),
    ], required=True, default="minor", tracking=True)
    category = fields.Selection([
        ("product", "Product Quality"),
        ("delivery", "Delivery"),
        ("service", "Service"),
        ("documentation", "Documentation"),
        ("other", "Other"),
    ], required=True, default="product", tracking=True)
    description = fields.Html(sanitize=True, sanitize_overridable=False)
    customer_request = fields.Selection([
        ("repair", "Repair"),
        ("replacement", "Replacement"),
        ("refund", "Refund"),
        ("explanation", "Explanation"),
        ("other", "Other"),
    ], string="Customer Asks For", required=True, default="explanation")
    date_deadline = fields.Date(
        string="Close By", compute="_compute_date_deadline", store=True, readonly=False, tracking=True,
        help="Date by which the complaint should be closed; overdue slips are highlighted.")
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    submitted_date = fields.Datetime(readonly=True, copy=False)

    # --- 4.3.1 sales supervisor review ---------------------------------------------------------
    supervisor_id = fields.Many2one("res.users", string="Reviewed By (Sales Supervisor)", readonly=True, copy=False)
    supervisor_date = fields.Datetime(string="Reviewed On", readonly=True, copy=False)
    supervisor_comment = fields.Text(string="Supervisor Comment", copy=False)
    complaint_nature = fields.Selection(
        COMPLAINT_NATURES, string="Complaint Nature", default="valid", copy=False, tracking=True, index=True,
        help="The supervisor's assessment at the review (ISO 10002 initial assessment): a complaint is taken "
             "as valid until the supervisor finds otherwise and gives the reason.")
    nature_reason = fields.Text(
        string="Reason (Not a Valid Complaint)", copy=False,
        help="Why the supervisor found the complaint invalid, or a suggestion or enquiry.")

    # --- 4.3.1 quality department: review, confirm and dispose -----------------------------------
    quality_user_id = fields.Many2one("res.users", string="Confirmed By (Quality)", readonly=True, copy=False)
    quality_date = fields.Datetime(string="Confirmed On", readonly=True, copy=False)
    quality_disposition = fields.Text(string="Review and Disposition", copy=False)
    company_responsible = fields.Boolean(string="Company Responsible", readonly=True, copy=False, tracking=True)
    responsible_department_id = fields.Many2one(
        "hr.department", string="Responsible Department", copy=False, tracking=True, check_company=True)
    responsibility_finding = fields.Selection(
        RESPONSIBILITY_FINDINGS, string="Responsibility Finding", copy=False, tracking=True, index=True,
        help="What Quality found the complaint to come from. A product quality problem makes the company "
             "responsible; normal wear under normal use does not; transport, application and installation "
             "are the company's when it carried, advised or installed (4.4.1), else not.")
    # --- 4.3.1 the correction: the immediate containment for this customer, not the corrective action
    correction = fields.Text(
        string="Correction (Immediate Containment)", copy=False,
        help="What was done at once for this customer and the goods concerned (sort stock, replace, hold "
             "shipments); the corrective actions remove the cause.")
    correction_user_id = fields.Many2one("res.users", string="Correction By", readonly=True, copy=False)
    correction_date = fields.Datetime(string="Correction On", readonly=True, copy=False)

    # --- 4.3.2 corrective actions, or the real cause when the company is not responsible ---------
    corrective_action_ids = fields.One2many("qms.corrective.action", "complaint_id", string="Corrective Actions")
    corrective_action_count = fields.Integer(compute="_compute_corrective_action_count")
    # What the employees' read rule searches on (security/ir_rule.xml). Stored, so that checking
    # the rule on a page of slips reads one table; searched with "id IN (subquery)", which
    # PostgreSQL estimates well, where the path corrective_action_ids.<department> is an EXISTS it
    # overestimates ~100 times, so that every count of the list paid a JIT compilation.
    action_department_ids = fields.Many2many(
        "hr.department", "qms_complaint_action_department_rel", "complaint_id", "department_id",
        string="Corrective Action Departments", compute="_compute_action_department_ids", store=True,
        search="_search_action_department_ids",
        help="The department responsible for the slip, and the responsible, implementing and verifying "
             "departments of its corrective actions.")
    investigation_cause = fields.Text(string="Real Cause Found With the Customer", copy=False)
    investigation_user_id = fields.Many2one("res.users", string="Investigated By", readonly=True, copy=False)
    investigation_date = fields.Datetime(string="Investigated On", readonly=True, copy=False)

    # --- 4.3.2 Sales answers the customer -----------------------------------------------------
    reply_text = fields.Html(string="Answer to the Customer", sanitize=True, copy=False)
    reply_channel = fields.Selection([
        ("email", "E-mail"),
        ("phone", "Phone"),
        ("letter", "Letter"),
        ("visit", "Visit"),
        ("online", "Online"),
    ], copy=False)
    reply_user_id = fields.Many2one("res.users", string="Answered By", readonly=True, copy=False)
    reply_date = fields.Datetime(string="Answered On", readonly=True, copy=False)
    answer_ids = fields.One2many("qms.complaint.answer", "complaint_id", string="Answers Given", readonly=True)

    # --- 4.3.2 / 4.4.3 the customer's verdict on the answer and on the handling (issue 13.5) ----
    verdict_ids = fields.One2many("qms.complaint.verdict", "complaint_id", string="Customer Verdicts", readonly=True)
    customer_verdict = fields.Selection(
        VERDICTS, string="Customer's Verdict", compute="_compute_customer_verdict", compute_sudo=True,
        help="What the customer said on the portal of the answer last given: accepted, or not accepted (the slip "
             "then went back to the departments).")
    customer_handling_score = fields.Integer(
        string="Satisfaction with the Handling", compute="_compute_customer_verdict", compute_sudo=True,
        help="How satisfied the customer is with how the complaint was handled (1-5), given with the verdict.")
    customer_verdict_comment = fields.Text(
        string="Customer's Comment", compute="_compute_customer_verdict", compute_sudo=True)

    # --- 4.4.3 service verification, organised by the management representative -----------------
    verification_notes = fields.Text(copy=False)
    customer_satisfied = fields.Selection(
        [("yes", "Satisfied"), ("no", "Not Satisfied")], string="Customer Satisfied", copy=False)
    team_recognition = fields.Text(
        copy=False, help="Who solved the problem and how the company thanks them (8D, D8).")
    verified_by_id = fields.Many2one("res.users", string="Verified By", readonly=True, copy=False)
    verified_date = fields.Datetime(string="Verified On", readonly=True, copy=False)

    reconsidered_by_id = fields.Many2one("res.users", string="Reconsidered By", readonly=True, copy=False)
    reconsidered_date = fields.Datetime(
        string="Reconsidered On", readonly=True, copy=False,
        help="Last time the management representative sent the slip back because the customer was not satisfied.")

    awaiting_revised_actions = fields.Boolean(
        readonly=True, copy=False,
        help="Reconsidered: the slip waits for a corrective action approved since, new or revised (4.3.2).")
    cancel_reason = fields.Text(readonly=True, copy=False)
    cancelled_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    cancelled_date = fields.Datetime(readonly=True, copy=False)
    days_to_close = fields.Integer(compute="_compute_days_to_close", store=True, aggregator="avg")

    # --- 4.4.2 three guarantees: the documents the remedies of the lines created --------------
    refund_move_ids = fields.One2many("account.move", "qms_complaint_id", string="Credit Notes")
    remedy_picking_ids = fields.One2many("stock.picking", "qms_complaint_id", string="Returns and Replacements")
    repair_ids = fields.One2many("repair.order", "qms_complaint_id", string="Repair Orders")
    refund_move_count = fields.Integer(compute="_compute_remedy_counts")
    remedy_picking_count = fields.Integer(compute="_compute_remedy_counts")
    repair_count = fields.Integer(compute="_compute_remedy_counts")

    # --- issue 14.5: the cost of poor quality (质量损失成本), from the documents and the entered costs
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    cost_ids = fields.One2many("qms.complaint.cost", "complaint_id", string="Costs", copy=False)
    cost_credit_notes = fields.Monetary(
        string="Credit Notes Cost", compute="_compute_costs", store=True, compute_sudo=True, copy=False,
        help="Untaxed amount of the posted credit notes of the slip, in the company's currency.")
    cost_returns = fields.Monetary(
        string="Returns Cost", compute="_compute_costs", store=True, compute_sudo=True, copy=False,
        help="The goods the customer returned, at cost, once the return is validated.")
    cost_replacements = fields.Monetary(
        string="Replacements Cost", compute="_compute_costs", store=True, compute_sudo=True, copy=False,
        help="The goods delivered in replacement, at cost, once the delivery is validated.")
    cost_repairs = fields.Monetary(
        string="Repairs Cost", compute="_compute_costs", store=True, compute_sudo=True, copy=False,
        help="Parts used by the repair orders (done) and services quoted on them, at cost.")
    cost_entered = fields.Monetary(
        string="Entered Costs", compute="_compute_costs", store=True, compute_sudo=True, copy=False,
        help="Labour, freight, travel, samples, penalties and other costs entered on the slip.")
    cost_total = fields.Monetary(
        string="Cost of Poor Quality", compute="_compute_costs", store=True, compute_sudo=True, copy=False,
        help="What the complaint cost the company: its documents at cost and the costs entered.")
    can_edit_costs = fields.Boolean(compute="_compute_can_edit_gates")
    product_categ_id = fields.Many2one(
        "product.category", string="Product Category", compute="_compute_product_categ_id", store=True,
        compute_sudo=True, index="btree_not_null",
        help="Category of the product of the slip's first line: what the cost analysis groups by.")

    # --- outside the company: the customer portal and the complaints e-mail alias ---------------
    email_from = fields.Char(
        string="Sender E-mail", copy=False, index="btree_not_null",
        help="Address the complaint came from, when it was received by e-mail.")
    portal_user_id = fields.Many2one(
        "res.users", string="Submitted on the Portal By", readonly=True, copy=False,
        help="Customer portal user who recorded this complaint.")
    portal_share_actions = fields.Boolean(
        string="Share Corrective Actions with the Customer", copy=False,
        compute="_compute_portal_share_actions", store=True, readonly=False,
        help="Show the customer, on the portal, a summary of the corrective actions taken "
             "(what is done and its stage; never departments, causes or verification notes).")
    customer_contact_id = fields.Many2one(
        "res.partner", compute="_compute_customer_contact_id",
        help="Whom the company writes to about this complaint: the contact, else the customer.")
    portal_state = fields.Selection(
        CUSTOMER_STATES, string="Stage for the Customer", compute="_compute_portal_state", compute_sudo=True,
        help="The stage as the customer sees it on the portal: the internal gates are not shown one by one.")
    portal_description = fields.Text(
        string="Description for the Customer", compute="_compute_portal_description", compute_sudo=True,
        help="The description as plain text, as the customer sees it: no markup and no live links, since "
             "the sender of an e-mail cannot be authenticated.")

    # --- what the current user may do now (buttons and editable parts of the form) ----------------
    can_submit = fields.Boolean(compute="_compute_can_steps")
    can_supervisor_review = fields.Boolean(compute="_compute_can_steps")
    can_return_to_draft = fields.Boolean(compute="_compute_can_steps")
    can_confirm_responsible = fields.Boolean(compute="_compute_can_steps")
    can_confirm_not_responsible = fields.Boolean(compute="_compute_can_steps")
    can_investigation_done = fields.Boolean(compute="_compute_can_steps")
    can_reply = fields.Boolean(compute="_compute_can_steps")
    can_reconsider = fields.Boolean(compute="_compute_can_steps")
    can_reinvestigate = fields.Boolean(compute="_compute_can_steps")
    can_close = fields.Boolean(compute="_compute_can_steps")
    can_cancel = fields.Boolean(compute="_compute_can_steps")
    can_edit_intake = fields.Boolean(compute="_compute_can_edit_gates")
    can_edit_supervisor = fields.Boolean(compute="_compute_can_edit_gates")
    can_edit_quality = fields.Boolean(compute="_compute_can_edit_gates")
    can_edit_investigation = fields.Boolean(compute="_compute_can_edit_gates")
    can_edit_reply = fields.Boolean(compute="_compute_can_edit_gates")
    can_edit_verification = fields.Boolean(compute="_compute_can_edit_gates")
    can_edit_correction = fields.Boolean(compute="_compute_can_edit_gates")
    can_propose_actions = fields.Boolean(compute="_compute_can_propose_actions")

    # --- issue 13.1: clocks in working days, paused while waiting for the customer ---------------
    acknowledged_by_id = fields.Many2one("res.users", string="Acknowledged By", readonly=True, copy=False)
    acknowledged_date = fields.Datetime(
        string="Acknowledged On", readonly=True, copy=False, tracking=True,
        help="When the customer was first told the slip number: on the portal, by e-mail, or by Sales "
             "(phone, visit) with the Acknowledge button.")
    answer_agreed_date = fields.Date(
        string="Answer Date Agreed With the Customer", copy=False, tracking=True,
        help="The date the customer asked for or agreed to; it replaces the computed answer deadline.")
    waiting_customer = fields.Boolean(
        string="Waiting for the Customer", readonly=True, copy=False, tracking=True, index=True,
        help="The clocks stop while the slip waits for the customer; the working days waited move "
             "every open deadline.")
    waiting_reason = fields.Text(string="Waiting For", copy=False)
    paused_by_id = fields.Many2one("res.users", string="Paused By", readonly=True, copy=False)
    paused_date = fields.Datetime(string="Paused On", readonly=True, copy=False)
    resumed_by_id = fields.Many2one("res.users", string="Resumed By", readonly=True, copy=False)
    resumed_date = fields.Datetime(string="Resumed On", readonly=True, copy=False)
    pause_ids = fields.One2many("qms.complaint.pause", "complaint_id", string="Waiting for the Customer (History)",
                                readonly=True)
    escalation_ids = fields.One2many("qms.complaint.escalation", "complaint_id", string="Escalations",
                                     readonly=True)
    paused_working_days = fields.Integer(
        string="Working Days Waiting", compute="_compute_clocks", store=True, aggregator="avg")
    deadline_ack = fields.Date(string="Acknowledge By", compute="_compute_clocks", store=True)
    deadline_answer = fields.Date(string="Answer By", compute="_compute_clocks", store=True)
    deadline_close = fields.Date(string="Close By (Working Days)", compute="_compute_clocks", store=True)
    next_deadline = fields.Date(
        string="Next Deadline", compute="_compute_clocks", store=True, index="btree_not_null",
        help="The earliest deadline not yet met of an open slip that is not waiting for the customer; "
             "a slip is late when it is past.")
    ack_working_days = fields.Integer(
        string="Working Days to Acknowledge", compute="_compute_clocks", store=True, aggregator="avg")
    answer_working_days = fields.Integer(
        string="Working Days to Answer", compute="_compute_clocks", store=True, aggregator="avg")
    close_working_days = fields.Integer(
        string="Working Days to Close", compute="_compute_clocks", store=True, aggregator="avg")
    ack_status = fields.Selection(CLOCK_STATUSES, string="Acknowledgement", compute="_compute_clocks", store=True)
    answer_status = fields.Selection(CLOCK_STATUSES, string="Answer", compute="_compute_clocks", store=True)
    close_status = fields.Selection(CLOCK_STATUSES, string="Closing", compute="_compute_clocks", store=True)
    can_acknowledge = fields.Boolean(compute="_compute_can_steps")
    can_pause = fields.Boolean(compute="_compute_can_steps")
    can_resume = fields.Boolean(compute="_compute_can_steps")
    can_edit_agreed_answer = fields.Boolean(compute="_compute_can_edit_gates")
    can_edit_waiting = fields.Boolean(compute="_compute_can_edit_gates")

    _name_company_uniq = models.UniqueIndex("(name, company_id) WHERE name <> '/'")
    # the list's default order: its first page is read from this index, as sale.order does
    _received_date_id_idx = models.Index("(received_date DESC, id DESC)")
    # issue 13: the late slips' list (next_deadline < today) in the list's order. Only open slips that
    # do not wait for the customer have a next deadline: the page walks this index, a few times smaller
    # than the one above, instead of sorting the late slips found through next_deadline's index.
    _late_received_date_id_idx = models.Index("(received_date DESC, id DESC) WHERE next_deadline IS NOT NULL")

    # ----------------------------------------------------------------------------------------------
    # Computes, searches and onchanges
    # ----------------------------------------------------------------------------------------------
    @api.depends("name")
    def _compute_display_name(self):
        """A slip not yet numbered ("/" until saved) is called "New", like sale.order: the
        breadcrumb of a new slip does not read "/"."""
        for complaint in self:
            complaint.display_name = (complaint.name if complaint.name and complaint.name != "/"
                                      else self.env._("New"))

    @api.depends("received_date", "company_id.qms_complaint_close_days")
    def _compute_date_deadline(self):
        for complaint in self:
            days = complaint.company_id.qms_complaint_close_days or 30
            received = complaint.received_date or fields.Datetime.now()
            try:
                complaint.date_deadline = (received + timedelta(days=days)).date()
            except OverflowError:  # a date near 9999 (refused by _check_received_date) or absurd days
                complaint.date_deadline = False

    @api.depends("corrective_action_ids")
    def _compute_corrective_action_count(self):
        counts = dict(self.env["qms.corrective.action"]._read_group(
            [("complaint_id", "in", self.ids)], ["complaint_id"], ["__count"]))
        for complaint in self:
            complaint.corrective_action_count = counts.get(complaint._origin, 0)

    @api.depends("responsible_department_id", *(f"corrective_action_ids.{name}" for name in ACTION_DEPARTMENT_FIELDS))
    def _compute_action_department_ids(self):
        # stored, hence computed as superuser: the rule needs every action's departments, and the
        # department named responsible reads the slip from the moment it is named (4.3.2)
        for slip in self:
            actions = slip.corrective_action_ids
            slip.action_department_ids = (slip.responsible_department_id | actions.responsible_department_id
                                          | actions.implementing_department_id | actions.verifying_department_id)

    def _search_action_department_ids(self, operator, value):
        if operator == "in" and False in value:  # no department: no corrective action
            rest = [v for v in value if v is not False]
            return Domain("corrective_action_ids", "=", False) | Domain("action_department_ids", "in", rest)
        if operator == "in" and all(type(v) is int for v in value):
            # read straight from the relation table (no rule applies to it, as the rule needs): the
            # ORM cannot see that the subquery uses the field, so its pending changes are written first
            self.flush_model(["action_department_ids"])
            return Domain("id", "in", SQL(
                "(SELECT complaint_id FROM qms_complaint_action_department_rel WHERE department_id IN %s)",
                tuple(value) or (None,)))
        if operator == "any":  # by name or any condition on the departments: the general way
            return Domain("corrective_action_ids", "any!", Domain.OR(
                Domain(name, "any!", value) for name in ACTION_DEPARTMENT_FIELDS))
        return NotImplemented  # the ORM builds "not in" and "not any" as negations

    @api.depends("state", "responsible_department_id")
    @api.depends_context("uid")
    def _compute_can_propose_actions(self):
        for complaint in self:
            complaint.can_propose_actions = not complaint._propose_actions_refusal()

    def _propose_actions_refusal(self):
        """Why the current user may not propose corrective actions on this slip (4.3.2: the
        responsible department defines them, Quality organises), or False."""
        self.ensure_one()
        if self.state != "action":
            return self.env._("Corrective actions are proposed while %s stands at corrective action.", self.name)
        user = self.env.user
        if self.env.uid == SUPERUSER_ID or user.has_group(QUALITY) \
                or self.sudo().responsible_department_id in user.sudo().employee_ids.department_id:
            return False
        return self.env._("Only the Quality department and the department responsible for %s propose "
                          "corrective actions.", self.name)

    @api.depends("state", "received_date", "verified_date")
    def _compute_days_to_close(self):
        for complaint in self:
            if complaint.state == "done" and complaint.verified_date and complaint.received_date:
                complaint.days_to_close = (complaint.verified_date - complaint.received_date).days
            else:
                complaint.days_to_close = 0

    def _compute_remedy_counts(self):
        for complaint in self:
            sudo = complaint.sudo()
            complaint.refund_move_count = len(sudo.refund_move_ids)
            complaint.remedy_picking_count = len(sudo.remedy_picking_ids)
            complaint.repair_count = len(sudo.repair_ids)

    @api.depends("answer_ids.verdict_ids")
    def _compute_customer_verdict(self):
        for complaint in self:
            verdict = complaint.answer_ids.sorted(lambda a: (a.date, a.id))[-1:].verdict_ids[:1]
            complaint.customer_verdict = verdict.verdict
            complaint.customer_handling_score = verdict.handling_score
            complaint.customer_verdict_comment = verdict.comment

    @api.depends("company_id")
    def _compute_portal_share_actions(self):
        for complaint in self:
            complaint.portal_share_actions = complaint.company_id.qms_portal_share_actions

    @api.depends("contact_id", "partner_id")
    def _compute_customer_contact_id(self):
        for complaint in self:
            complaint.customer_contact_id = complaint.contact_id or complaint.partner_id

    @api.depends("state")
    def _compute_portal_state(self):
        for complaint in self:
            complaint.portal_state = PORTAL_STATES.get(complaint.state, "received")

    @api.depends("description")
    def _compute_portal_description(self):
        for complaint in self:
            complaint.portal_description = html2plaintext(complaint.description or "").strip()

    def _compute_access_url(self):
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.contact_id.commercial_partner_id != self.commercial_partner_id:
            self.contact_id = False
        if self.sale_order_id.partner_id.commercial_partner_id != self.commercial_partner_id:
            self.sale_order_id = False

    # ----------------------------------------------------------------------------------------------
    # Constraints: they hold on every path (the stamps of each stage, the input limits of issue #11.8)
    # ----------------------------------------------------------------------------------------------
    @api.constrains("state", *{name for step in STEPS.values() for name in step.stamp})
    def _check_stage_stamps(self):
        self._qms_check_required_stamps(self)

    @api.constrains("state", "company_responsible", "investigation_date")
    def _check_not_responsible_cause(self):
        for complaint in self:
            if complaint.state in ("reply", "verification", "done") and not complaint.company_responsible \
                    and not complaint.investigation_date:
                raise ValidationError(self.env._(
                    "%s is answered although the company is not responsible and no cause was found.", complaint.name))

    @api.constrains("company_responsible", "responsibility_finding", "quality_date")
    def _check_responsibility_finding(self):
        """Once Quality has decided, its finding agrees with the decision, whoever writes."""
        for complaint in self.filtered("quality_date"):
            finding = complaint.responsibility_finding
            if finding == "product_quality" and not complaint.company_responsible:
                raise ValidationError(self.env._(
                    "%s: a product quality problem makes the company responsible.", complaint.name))
            if finding == "normal_use" and complaint.company_responsible:
                raise ValidationError(self.env._(
                    "%s: normal wear under normal use does not make the company responsible.", complaint.name))

    @api.constrains("state")
    def _check_closed_actions_effective(self):
        for complaint in self.filtered(lambda c: c.state == "done"):
            if complaint.corrective_action_ids.filtered(lambda a: a.state not in ("effective", "cancel")):
                raise ValidationError(self.env._(
                    "%s is closed with corrective actions not verified effective.", complaint.name))

    @api.constrains("partner_id", "sale_order_id")
    def _check_sale_order_customer(self):
        for complaint in self:
            order = complaint.sale_order_id.sudo()
            if order and order.partner_id.commercial_partner_id != complaint.commercial_partner_id:
                raise ValidationError(self.env._(
                    "Sales order %(order)s belongs to %(owner)s, not to the customer of this complaint (%(customer)s).",
                    order=order.name, owner=order.partner_id.commercial_partner_id.display_name,
                    customer=complaint.partner_id.display_name))

    @api.constrains("contact_id", "partner_id")
    def _check_contact_customer(self):
        for complaint in self:
            contact = complaint.contact_id.sudo()  # whoever records the slip may not read every partner
            if contact and contact.commercial_partner_id != complaint.sudo().commercial_partner_id:
                raise ValidationError(self.env._(
                    "%(contact)s is not a contact of %(customer)s: choose one of the customer's contacts.",
                    contact=contact.display_name, customer=complaint.sudo().partner_id.display_name))

    @api.constrains("received_by_id")
    def _check_receiver_internal(self):
        for complaint in self:
            receiver = complaint.received_by_id.sudo()
            if receiver.share:
                raise ValidationError(self.env._(
                    "%(user)s cannot have received the complaint: the receiver must be an employee of the "
                    "company, not a portal or public user.", user=receiver.display_name))

    @api.constrains("received_date")
    def _check_received_date(self):
        # a complaint is recorded when it arrives: not in the future (a day of margin for time zones)
        check_date_between(self, "received_date", EARLIEST_DATE, tomorrow(self.env), self.env._("tomorrow"))

    @api.constrains("date_deadline", "received_date")
    def _check_date_deadline(self):
        self._check_received_date()  # first: a reception near the year 9999 cannot be converted
        for complaint in self.filtered(lambda c: c.date_deadline and c.received_date):
            received, latest = complaint._reception_window()
            if not received <= complaint.date_deadline <= latest:
                raise ValidationError(self.env._(
                    "%(slip)s: \"Close By\" must be between the reception (%(received)s) and %(years)s years "
                    "after it (got %(deadline)s).", slip=complaint.display_name,
                    received=format_date(self.env, received), years=YEARS_AHEAD,
                    deadline=format_date(self.env, complaint.date_deadline)))

    def _reception_window(self):
        """(day of reception, last day a date of this slip may name): a slip's dates fall between its
        reception and YEARS_AHEAD years after it."""
        self.ensure_one()
        received = fields.Datetime.context_timestamp(self, self.received_date).date()
        return received, received.replace(year=min(received.year + YEARS_AHEAD, 9999), day=min(received.day, 28))

    @api.constrains("description", "reply_text", "supervisor_comment", "quality_disposition",
                    "investigation_cause", "verification_notes", "cancel_reason", "nature_reason", "correction")
    def _check_text_sizes(self):
        check_text_sizes(self, {
            "description": RICH_TEXT_MAX_CHARS, "reply_text": RICH_TEXT_MAX_CHARS,
            "supervisor_comment": PLAIN_TEXT_MAX_CHARS, "quality_disposition": PLAIN_TEXT_MAX_CHARS,
            "investigation_cause": PLAIN_TEXT_MAX_CHARS, "verification_notes": PLAIN_TEXT_MAX_CHARS,
            "cancel_reason": PLAIN_TEXT_MAX_CHARS, "nature_reason": PLAIN_TEXT_MAX_CHARS,
            "correction": PLAIN_TEXT_MAX_CHARS,
        })

    @api.constrains("email_from")
    def _check_email_from(self):
        check_email(self, "email_from")

    # ----------------------------------------------------------------------------------------------
    # CRUD: a slip keeps its number, is closed for good when closed, and is never deleted
    # ----------------------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        check_input(self, vals_list)  # what the caller sent, before numbering
        by_company = {}
        for vals in vals_list:
            if vals.get("name", "/") != "/" and self.env.uid != SUPERUSER_ID:
                raise UserError(self.env._("A complaint slip is numbered by the company's sequence, not by hand."))
            if vals.get("name", "/") == "/":
                by_company.setdefault(vals.get("company_id") or self.env.company.id, []).append(vals)
        for company_id, company_vals in by_company.items():
            numbers = self.env["res.company"].browse(company_id)._qms_next_complaint_numbers(len(company_vals))
            for vals, number in zip(company_vals, numbers, strict=True):
                vals["name"] = number
        complaints = super().create(vals_list)
        complaints._qms_auto_send_acknowledgement()  # issue #13.7
        return complaints

    def write(self, vals):
        check_input(self, [vals])
        self._check_closed(vals)
        result = super().write(vals)
        if "correction" in vals and not self._qms_loading_data():
            self._stamp_correction(bool(vals["correction"]))
        return result

    def _stamp_correction(self, recorded):
        """Who recorded the correction, and when: from the server, never from the client (one
        write for all the slips that got the same correction; a cleared one clears its stamp)."""
        stamp = {"correction_user_id": self.env.uid, "correction_date": fields.Datetime.now()}
        self.sudo().write(stamp if recorded else dict.fromkeys(stamp, False))

    def _check_closed(self, vals):
        """A closed or cancelled slip is evidence: only its conversation with the customer moves."""
        if self._qms_loading_data():
            return
        business = [name for name in vals if not name.startswith(CLOSED_WRITABLE)]
        closed = self.filtered(lambda c: c.state in ("done", "cancel"))
        if closed and business:
            raise UserError(closed[0]._qms_closed_reason())

    def _qms_closed_reason(self):
        self.ensure_one()
        if self.state in ("done", "cancel"):
            return self.env._("%s is closed: its content is evidence and can no longer be changed.", self.name)
        return False

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        # a deleted slip would leave a hole in the gap-free numbers (an auditor asks why it is
        # missing) and take its evidence with it: a slip recorded by mistake is cancelled with a reason
        raise UserError(self.env._(
            "A complaint slip is never deleted: cancel it with the reason, and its number stays accounted for."))

    # ----------------------------------------------------------------------------------------------
    # Actions: the procedure, clause 4.3. The buttons take the steps of STEPS; write() checks and stamps
    # ----------------------------------------------------------------------------------------------
    def action_submit(self):
        """4.3.1 The receiver reports the recorded complaint to the Sales supervisor at once."""
        return self._qms_take("submit")

    def _check_can_submit(self, vals):
        if not self.line_ids and self.category == "product":
            raise UserError(self.env._(
                "Add at least one complaint line (product and quantity) before submitting a product complaint."))

    def _after_submit(self):
        """A critical complaint is reported up to the general manager (4.3.1)."""
        self._schedule_review_activity(self._accountable(SUPERVISOR), self.env._("Review complaint %s", self.name))
        if self.severity == "critical":
            managers = self.company_id._qms_role_users("qms_customer.group_qms_general_manager")
            self.message_subscribe(partner_ids=managers.partner_id.ids)
            self.message_notify(
                partner_ids=managers.partner_id.ids,
                subject=self.env._("Critical complaint %(slip)s from %(customer)s",
                                   slip=self.name, customer=self.partner_id.display_name),
                body=self.env._("A critical complaint was recorded and sent for review."))

    def action_supervisor_review(self):
        """4.3.1 The Sales supervisor reviews the slip and passes it to the Quality department."""
        return self._qms_take("supervisor_review")

    def _check_can_supervisor_review(self, vals):
        if not self.complaint_nature:
            raise UserError(self.env._("Assess the nature of complaint %s before passing it on.", self.name))
        if self.complaint_nature != "valid" and not (self.nature_reason or "").strip():
            raise UserError(self.env._(
                "Give the reason why %s is not a valid complaint before passing it on.", self.name))

    def _after_supervisor_review(self):
        self._close_review_activities(self.env._("Reviewed by the Sales Supervisor"))
        self._schedule_review_activity(
            self._accountable(QUALITY), self.env._("Confirm and dispose of complaint %s", self.name))

    def action_return_to_draft(self):
        """The Sales supervisor sends an incomplete slip back to whoever recorded it."""
        return self._qms_take("return_to_draft")

    def _after_return_to_draft(self):
        self._close_review_activities(self.env._("Sent back for completion"))

    def action_confirm_responsible(self):
        """4.3.2 After review the company is responsible: the responsible department defines
        corrective actions."""
        return self._qms_take("confirm_responsible")

    def _check_can_confirm(self, vals):
        if not self.quality_disposition:
            raise UserError(self.env._("Write the review and disposition of %s before confirming it.", self.name))
        if not self.responsibility_finding:
            raise UserError(self.env._(
                "Record the responsibility finding of %s next to the decision before confirming it.", self.name))

    def _check_can_confirm_responsible(self, vals):
        self._check_can_confirm(vals)
        if not self.responsible_department_id:
            raise UserError(self.env._(
                "Name the department responsible for %s: it defines the corrective actions.", self.name))

    def _after_confirm_responsible(self):
        self._close_review_activities(self.env._("Confirmed by the Quality department"))
        manager = self.responsible_department_id.sudo().manager_id.user_id
        self._schedule_review_activity(
            manager or self._accountable(QUALITY), self.env._("Define corrective actions for %s", self.name))

    def action_confirm_not_responsible(self):
        """4.3.2 The company is not responsible: Sales finds the real cause with the customer."""
        return self._qms_take("confirm_not_responsible")

    def _after_confirm_not_responsible(self):
        self._close_review_activities(self.env._("Confirmed by the Quality department"))
        self._schedule_review_activity(
            self.received_by_id, self.env._("Find the real cause of %s with the customer", self.name))

    def _check_actions_implemented(self, vals):
        if self.awaiting_revised_actions:
            raise UserError(self.env._(
                "%s was reconsidered: a new or revised corrective action must be approved first.", self.name))
        actions = self.corrective_action_ids.filtered(lambda a: a.state != "cancel")
        if not actions or any(a.state not in ("implemented", "effective") for a in actions):
            raise UserError(self.env._(
                "%s waits until its approved corrective actions are carried out.", self.name))

    def _on_actions_implemented(self):
        """A corrective action was carried out: once all are, Sales may answer the customer.
        Taken for the implementing department, which may not write the slip (sudo)."""
        for complaint in self.sudo().filtered(lambda c: c.state == "action"):
            try:
                complaint._check_actions_implemented({})
            except UserError:
                continue
            complaint._qms_take("actions_implemented")

    def _after_actions_implemented(self):
        self._schedule_review_activity(self.received_by_id, self.env._("Answer the customer of %s", self.name))

    def action_investigation_done(self):
        """4.3.2 Sales has found the real cause with the customer and disposes accordingly."""
        return self._qms_take("investigation_done")

    def _check_can_investigation_done(self, vals):
        if not self.investigation_cause:
            raise UserError(self.env._("Record the real cause found with the customer of %s.", self.name))

    def _after_investigation_done(self):
        self._close_review_activities(self.env._("Cause found"))

    def action_reply(self):
        """4.3.2 Sales contacts the customer, answers and settles the matter. An e-mail answer
        is sent to the customer from the slip; every answer stays in the slip's history."""
        return self._qms_take("reply")

    def _check_can_reply(self, vals):
        if is_html_empty(self.reply_text) or not self.reply_channel:
            raise UserError(self.env._(
                "Write the answer to the customer of %s and say how it was given.", self.name))

    def _after_reply(self):
        # sudo: the answers given are the server's record (no one may write them)
        self.env["qms.complaint.answer"].sudo().create(self._prepare_answer_vals())
        if self.reply_channel == "email":
            template = self.env.ref("qms_customer.mail_template_qms_complaint_reply")
            self.message_post_with_source(template, message_type="comment", subtype_xmlid="mail.mt_comment")
        else:
            channel = dict(self._fields["reply_channel"]._description_selection(self.env))[self.reply_channel]
            self.message_post(body=Markup("%s<br/>%s") % (
                self.env._("Customer answered (%s):", channel), self.reply_text))
        self._close_review_activities(self.env._("Customer answered"))
        self._schedule_review_activity(
            self._accountable(MGMT_REP), self.env._("Verify the service for %s", self.name))

    def _prepare_answer_vals(self):
        """The answer just given, as it stands on the slip, for the history of answers."""
        self.ensure_one()
        return {"complaint_id": self.id, "date": self.reply_date, "user_id": self.reply_user_id.id,
                "channel": self.reply_channel, "answer": self.reply_text}

    @api.model
    def _record_missing_answers(self):
        """Answered slips with no answer in their history (recorded before the history existed, or
        loaded with their stamps as demo data) get their one known answer."""
        slips = self.sudo().with_context(active_test=False).search(
            [("reply_date", "!=", False), ("answer_ids", "=", False)])
        self.env["qms.complaint.answer"].sudo().create([slip._prepare_answer_vals() for slip in slips])

    # --- 4.3.2 the customer's verdict on the answer (issue 13.5) ----------------------------------
    # Asked on the portal page of the slip (the answer e-mail links to it): does the customer accept
    # the outcome, and how satisfied are they with how the complaint was handled (1-5, a comment).
    # Not accepted: the slip goes back to the departments by the reconsideration step, and the
    # Sales supervisor is told. Accepted: the management representative's verification finds the
    # customer satisfied, pre-filled, and may still overrule it (4.4.3 is theirs).
    def _portal_verdict_refusal(self):
        """Why no verdict can be given on this slip now, or False."""
        self.ensure_one()
        complaint = self.sudo()
        answer = complaint.answer_ids.sorted(lambda a: (a.date, a.id))[-1:]
        if not answer or not complaint.reply_date:
            return self.env._("%s has not been answered yet: there is no answer to give your verdict on.",
                              complaint.name)
        if answer.verdict_ids:
            return self.env._("You already gave your verdict on our answer to %s.", complaint.name)
        if complaint.state != "verification":
            return self.env._("%s no longer waits for your verdict.", complaint.name)
        return False

    def _portal_verdict_partner(self, access_token=None):
        """Who gives the verdict: the logged-in customer of the slip, or its contact when the page was
        opened with the slip's access token (the link of the answer e-mail). Raises for anyone else."""
        self.ensure_one()
        user = self.env.user
        complaint = self.sudo()
        if not user.share:
            raise UserError(self.env._(
                "Only the customer gives their verdict on the answer; write what the customer said in the "
                "service verification."))
        if user._is_public():
            if not (access_token and complaint.access_token and consteq(access_token, complaint.access_token)):
                raise AccessError(self.env._("This link to %s is not valid.", complaint.name))
            return complaint.customer_contact_id
        if user.partner_id.commercial_partner_id != complaint.commercial_partner_id:
            raise AccessError(self.env._("Complaint %s is not one of yours.", complaint.name))
        return user.partner_id

    def _portal_give_verdict(self, verdict, handling_score, comment="", access_token=None):
        """Record the customer's verdict on the answer last given, from the portal (the controller
        parses the form; everything is checked before anything is written).

        :param str verdict: "accepted" or "rejected"
        :param int handling_score: 1 to 5
        :param str comment: plain text; required when the answer is not accepted
        :param str access_token: the slip's token, when the page was opened without logging in
        """
        self.ensure_one()
        partner = self._portal_verdict_partner(access_token)
        refusal = self._portal_verdict_refusal()
        if refusal:
            raise UserError(refusal)
        if verdict not in dict(VERDICTS):
            raise ValidationError(self.env._("Say whether you accept our answer."))
        if handling_score not in HANDLING_SCORES:
            raise ValidationError(self.env._("Rate how your complaint was handled from 1 to 5."))
        comment = (comment or "").strip()
        if verdict == "rejected" and not comment:
            raise ValidationError(self.env._("Tell us what is not satisfactory in our answer."))
        complaint = self.sudo()
        answer = complaint.answer_ids.sorted(lambda a: (a.date, a.id))[-1:]
        record = self.env["qms.complaint.verdict"].sudo().create({
            "complaint_id": complaint.id, "answer_id": answer.id, "partner_id": partner.id,
            "date": fields.Datetime.now(), "verdict": verdict, "handling_score": handling_score,
            "comment": comment or False})
        labels = dict(record._fields["verdict"]._description_selection(self.env))
        complaint.message_post(
            body=Markup("<p>%s</p>") % self.env._(
                "Customer's verdict: %(verdict)s. Satisfaction with the handling: %(score)s/5. %(comment)s",
                verdict=labels[verdict], score=handling_score, comment=comment),
            author_id=partner.id, message_type="comment", subtype_xmlid="mail.mt_comment")
        # the steps are taken by the system on the customer's word: the chatter says whose
        system = complaint.with_user(SUPERUSER_ID)
        if verdict == "accepted":
            # pre-filled for the verification; a judgement the management representative has
            # already recorded stands (4.4.3 is theirs)
            if not complaint.customer_satisfied:
                system.write({"customer_satisfied": "yes"})
            return record
        notes = self.env._("The customer did not accept the answer: %s", comment)
        # the customer's words first, then the management representative's notes so far, within the limit
        system.write({"customer_satisfied": "no", "verification_notes": "\n".join(
            filter(None, (notes, complaint.verification_notes)))[:PLAIN_TEXT_MAX_CHARS]})
        system.action_reconsider()
        complaint._schedule_review_activity(complaint._accountable(SUPERVISOR), self.env._(
            "The customer of %s did not accept the answer: follow up the reconsideration", complaint.name))
        return record

    def action_reconsider(self):
        """4.3.2 The result is not satisfactory: the departments reconsider. A slip the company is
        responsible for goes back to its corrective actions, another back to the investigation."""
        for complaint in self:
            complaint._qms_take("reconsider" if complaint.company_responsible else "reinvestigate")
        return True

    def _check_can_reconsider(self, vals):
        target = vals.get("state")
        if (target == "action") != self.company_responsible:
            raise UserError(self.env._(
                "%s goes back to its corrective actions only when the company is responsible, else to the "
                "investigation.", self.name))
        if self.customer_satisfied != "no":
            raise UserError(self.env._(
                "Record that the customer of %s is not satisfied before reconsidering.", self.name))

    def _prepare_reconsider_vals(self):
        # the verification that found the customer not satisfied stays in the history
        self.message_post(body=self.env._("Verification: the customer is not satisfied. %s",
                                          self.verification_notes or ""))
        return {"customer_satisfied": False, "verification_notes": False,
                "awaiting_revised_actions": self.company_responsible}

    def _after_reconsider(self):
        self._close_review_activities(self.env._("Reconsidered"))
        if self.company_responsible:
            manager = self.responsible_department_id.sudo().manager_id.user_id
            summary = self.env._("Reconsider the corrective actions of %s", self.name)
        else:
            manager, summary = self.received_by_id, self.env._("Find the real cause of %s again", self.name)
        self._schedule_review_activity(manager or self._accountable(QUALITY), summary)

    def action_close(self):
        """4.4.3 Service verification by the management representative closes the slip."""
        return self._qms_take("close")

    def _check_can_close(self, vals):
        open_actions = self.corrective_action_ids.filtered(lambda a: a.state not in ("effective", "cancel"))
        if open_actions:
            raise UserError(self.env._(
                "%(slip)s cannot be closed: corrective actions %(actions)s are not verified as effective.",
                slip=self.name, actions=", ".join(open_actions.mapped("name"))))
        if not self.verification_notes or not self.customer_satisfied:
            raise UserError(self.env._(
                "Record the verification notes and whether the customer is satisfied before closing %s.", self.name))
        if self.customer_satisfied == "no" and not self.reconsidered_date:
            raise UserError(self.env._(
                "The customer of %s is not satisfied: reconsider the handling before closing it.", self.name))

    def _after_close(self):
        self._close_review_activities(self.env._("Verified and closed"))
        self._qms_auto_send_closure()  # issue #13.7

    def action_cancel(self):
        """Open the cancel wizard, which asks for the reason (Sales Supervisor only)."""
        self._qms_ensure_can("cancel")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cancel Complaint"),
            "res_model": "qms.complaint.cancel",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_ids": self.ids},
        }

    def _do_cancel(self, reason):
        """Cancel with a reason; called by the wizard."""
        return self._qms_take("cancel", cancel_reason=reason)

    def _check_can_cancel(self, vals):
        if not (vals.get("cancel_reason") or "").strip():
            raise UserError(self.env._("Give the reason for cancelling."))

    def _after_cancel(self):
        self.activity_unlink(["qms_customer.mail_activity_type_qms_review"])
        # cancelling the slip ends its corrective actions, which the supervisor may not write
        self.sudo().corrective_action_ids.filtered(lambda a: a.state not in ("effective", "cancel"))._qms_take(
            "cancel")
        self.message_post(body=self.env._("Cancelled: %s", self.cancel_reason))

    # ----------------------------------------------------------------------------------------------
    # Actions: smart buttons to the sales order, the corrective actions and the remedies' documents
    # ----------------------------------------------------------------------------------------------
    @api.readonly
    def action_view_corrective_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.qms_corrective_action_action")
        action.update(
            domain=[("complaint_id", "=", self.id)],
            context={"default_complaint_id": self.id, "default_responsible_department_id":
                     self.responsible_department_id.id},
        )
        return action

    @api.readonly
    def action_view_sale_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "view_mode": "form",
            "res_id": self.sale_order_id.id,
        }

    def _action_view_documents(self, model, records):
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "res_model": model,
            "name": records._description,
            "domain": [("id", "in", records.ids)],
            "view_mode": "list,form",
            "context": {"create": False},
        }
        if len(records) == 1:
            action.update(view_mode="form", res_id=records.id)
        return action

    @api.readonly
    def action_view_refund_moves(self):
        return self._action_view_documents("account.move", self.refund_move_ids)

    @api.readonly
    def action_view_remedy_pickings(self):
        return self._action_view_documents("stock.picking", self.remedy_picking_ids)

    @api.readonly
    def action_view_repairs(self):
        return self._action_view_documents("repair.order", self.repair_ids)

    # ----------------------------------------------------------------------------------------------
    # Business: who is told (one accountable person per gate), and the consistency of stored records
    # ----------------------------------------------------------------------------------------------
    def _accountable(self, role):
        """The one person accountable for a gate of this slip's company (Settings), else the first
        holder of the role in the company: one activity per gate, whatever the number of holders."""
        self.ensure_one()
        return self.company_id._qms_accountable_user(role)

    def _schedule_review_activity(self, users, summary, deadline=None):
        for user in users:
            self.with_context(qms_colleague_notice=True).activity_schedule(
                "qms_customer.mail_activity_type_qms_review", date_deadline=deadline or fields.Date.context_today(self),
                summary=summary, user_id=user.id)

    def _close_review_activities(self, feedback):
        # marked done by whoever took the step: the chatter credits them, not the assignee
        self.activity_feedback(["qms_customer.mail_activity_type_qms_review"], feedback=feedback)

    @api.model
    def _qms_integrity_problems(self, limit=5):
        """Slips whose stored state contradicts their gate stamps, duplicated numbers, orphan lines:
        ``[(problem, [example names...]), ...]``; empty when the records are consistent."""
        self.env.flush_all()
        problems = []
        for label, query in integrity_checks(self._qms_required_stamps()):
            self.env.cr.execute(SQL("%s LIMIT %s", query, limit))
            rows = [row[0] for row in self.env.cr.fetchall()]
            if rows:
                problems.append((label, rows))
        return problems

    # ----------------------------------------------------------------------------------------------
    # Mail: e-mail intake through the complaints alias; a closed slip's thread is evidence (issue #11.3)
    # ----------------------------------------------------------------------------------------------
    def _mail_get_partner_fields(self, introspect_fields=False):
        # the portal button with the access token goes to the person we write to; a notice meant
        # for colleagues (an activity) carries none: building the customer's signed link writes the
        # customer's row (auth_signup), which serialised concurrent gates on slips of one customer
        if self.env.context.get("qms_colleague_notice"):
            return []
        return ["customer_contact_id"]

    # E-mail intake: the company's complaints alias creates a recorded slip.
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        dropped = self._qms_filter_email_attachments(msg_dict)
        values = dict(custom_values or {})
        values.update(self._prepare_email_complaint_vals(msg_dict, values))
        complaint = super(QmsComplaint, self.with_context(mail_create_nosubscribe=True)).message_new(
            msg_dict, custom_values=values)
        complaint._qms_note_dropped_attachments(dropped)
        complaint._qms_acknowledge_email_intake()  # issue 13.1
        complaint._notify_new_external_complaint(self.env._(
            "New complaint %(slip)s by e-mail from %(sender)s", slip=complaint.name, sender=msg_dict.get("email_from")))
        return complaint

    def message_update(self, msg_dict, update_vals=None):
        # a reply by e-mail joins the thread of its slip (closed ones too) under the portal's limits
        dropped = self._qms_filter_email_attachments(msg_dict)
        result = super().message_update(msg_dict, update_vals=update_vals)
        self._qms_note_dropped_attachments(dropped)
        return result

    @api.model
    def _prepare_email_complaint_vals(self, msg_dict, values):
        """Sender → the known contact and its customer, else a new contact; subject and body →
        description."""
        company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
        email_from = msg_dict.get("email_from") or ""
        normalized = email_normalize(email_from)
        contact = self.env["res.partner"]
        if msg_dict.get("author_id"):
            contact = self.env["res.partner"].browse(msg_dict["author_id"])
        if not contact and normalized:
            contact = self.env["res.partner"].search(
                [("email_normalized", "=", normalized), ("company_id", "in", [False, company.id])], limit=1)
        if not contact:
            name, email = parse_contact_from_email(email_from)
            contact = self.env["res.partner"].create({"name": name or email or email_from, "email": email})
        subject = msg_dict.get("subject") or ""
        body = msg_dict.get("body") or ""
        description = (f"<p><strong>{plaintext2html(subject)[3:-4]}</strong></p>" if subject else "") + body
        receiver = self.env.user if not self.env.user.share else self.env.ref("base.user_root")
        return {
            "name": "/",  # numbered from the company's sequence, not named after the subject
            "partner_id": contact.commercial_partner_id.id,
            "contact_id": contact.id,
            "company_id": company.id,
            "channel": "email",
            "category": values.get("category", "other"),
            "received_by_id": receiver.id,
            "received_date": fields.Datetime.now(),
            "description": description,
            "email_from": normalized or email_from,
        }

    @api.model
    def _qms_filter_email_attachments(self, msg_dict):
        """Apply the portal's limits to the files of an incoming e-mail (its sender cannot be
        authenticated): photos or PDF, 10 MB each, 10 files. The others are removed from
        ``msg_dict`` (the message is posted without them); returns their names."""
        kept, dropped = [], []
        for attachment in msg_dict.get("attachments") or []:
            content = attachment.content
            raw = content.encode() if isinstance(content, str) else (content or b"")
            name = attachment.fname or "attachment"
            if len(kept) >= PORTAL_ATTACHMENT_MAX_COUNT or len(raw) > PORTAL_ATTACHMENT_MAX_BYTES \
                    or guess_mimetype(raw) not in PORTAL_ATTACHMENT_MIMETYPES:
                dropped.append(name)
            else:
                kept.append(attachment)
        if dropped:
            msg_dict["attachments"] = kept
        return dropped

    def _qms_note_dropped_attachments(self, names):
        """An internal note naming the files of an e-mail that were not kept."""
        if not names:
            return
        for complaint in self:
            complaint.message_post(
                body=self.env._(
                    "Files of an e-mail not kept (only photos or PDF files, at most %(count)s files of "
                    "10 MB each are accepted): %(files)s",
                    count=PORTAL_ATTACHMENT_MAX_COUNT, files=", ".join(names)),
                message_type="notification", subtype_xmlid="mail.mt_note")

    @api.model
    def _qms_is_auto_reply(self, message):
        """Auto-replies (out of office, autoresponders, bulk mail) never become slips."""
        auto_submitted = (message.get("Auto-Submitted") or "").strip().lower()
        if auto_submitted and auto_submitted != "no":
            return True
        if message.get("X-Autoreply") or message.get("X-Autorespond") or message.get("X-Autogenerated"):
            return True
        precedence = (message.get("Precedence") or "").strip().lower()
        return precedence in ("auto_reply", "bulk", "junk", "list")

    def _notify_new_external_complaint(self, summary):
        """A complaint arrived from outside (portal, e-mail): the accountable Sales supervisor gets an
        activity to check it and submit it for review (clause 4.3.1: report it at once)."""
        for complaint in self:
            complaint._schedule_review_activity(
                complaint._accountable(SUPERVISOR), summary)

    # Closed means closed, but not for the customer (issue #11.3): the messages and files already in
    # the thread of a closed or cancelled slip, or of one of its corrective actions, are evidence.
    # New messages, the portal link and the customer's replies still go through. Enforced for
    # everyone by mail.message and ir.attachment (models/mail_message.py, models/ir_attachment.py).
    @api.model
    def _qms_closed_evidence(self, res_model, res_ids):
        """The ids among ``res_ids`` of ``res_model`` whose thread is evidence of a closed slip."""
        res_ids = [res_id for res_id in res_ids if res_id]
        if not res_ids or res_model not in EVIDENCE_MODELS:
            return set()
        path = "state" if res_model == "qms.complaint" else "complaint_id.state"
        # sudo: the lock holds whatever the user may read
        return set(self.env[res_model].sudo().with_context(active_test=False).search(
            [("id", "in", res_ids), (path, "in", CLOSED_STATES)]).ids)

    def _check_can_update_message_content(self, messages):
        # the chatter's edit and delete (mail's own hook), before the message itself refuses it
        super()._check_can_update_message_content(messages)
        if self._qms_closed_evidence(self._name, self.ids):
            raise UserError(self.env._(
                "%s is closed: the messages in its thread are evidence and can no longer be edited or "
                "deleted. Post a new message instead.", self.name))

    @api.model
    def _qms_plain_html(self, html):
        """Text that came by e-mail, for the customer: plain text, no markup, no live links."""
        return escape(html2plaintext(html or "").strip()).replace("\n", Markup("<br/>"))

    # ----------------------------------------------------------------------------------------------
    # Portal: what the customer sees of a slip, and the complaint they record on their own order
    # ----------------------------------------------------------------------------------------------
    @api.model
    def _portal_accessible_fields(self):
        """Fields a portal user may read (all others are unreadable, unsearchable, unsortable), and
        write (none: the customer records a complaint through the portal form only)."""
        return PORTAL_READABLE_FIELDS, frozenset()

    def _get_portal_return_action(self):
        self.ensure_one()
        return self.env.ref("qms_customer.qms_complaint_action")

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Complaint %s", self.name)

    def _portal_state_label(self):
        """The stage in the customer's words: internal gates are not shown one by one."""
        self.ensure_one()
        return dict(self._fields["portal_state"]._description_selection(self.env))[self.portal_state]

    def _portal_reply_visible(self):
        """The company's answer is shown once it was given (clause 4.3.2), not while drafted."""
        self.ensure_one()
        return self.state in ("verification", "done") and bool(self.sudo().reply_date)

    def _get_portal_action_summary(self):
        """Plain values of the corrective actions when the company shares them; else nothing."""
        self.ensure_one()
        complaint = self.sudo()
        if not complaint.portal_share_actions:
            return []
        labels = dict(complaint.corrective_action_ids._fields["state"]._description_selection(self.env))
        return [{
            "name": action.name,
            "description": action.description or "",
            "state": labels[action.state],
        } for action in complaint.corrective_action_ids.filtered(lambda a: a.state != "cancel")]

    # Portal intake: the customer records a complaint against one of their own sales orders.
    @api.model
    def _portal_orders_domain(self, partner):
        return [("partner_id", "child_of", partner.commercial_partner_id.id), ("state", "=", "sale")]

    @api.model
    def _portal_create_complaint(self, order_id, lines, description, customer_request="explanation",
                                 attachments=None):
        """Record a complaint from the customer portal, as the logged-in portal user. The portal
        controller turns the form's strings into the typed values below (and says what it cannot read).

        :param int order_id: id of one of the user's confirmed sales orders
        :param list lines: dicts {sale_line_id: int, qty: float, defect: str, lot_id: int or None}
            (lot_id: the serial chosen among those delivered to the customer on that line, None: none)
        :param str description: plain text
        :param str customer_request: a key of the field's selection
        :param list attachments: (filename, bytes) photos
        Everything is checked before anything is written; the slip is then created with sudo.
        """
        user = self.env.user
        if not user.share:
            raise UserError(self.env._("Only customers record complaints on the portal."))
        partner = user.partner_id
        order = self.env["sale.order"].sudo().search(
            [("id", "=", order_id), *self._portal_orders_domain(partner)], limit=1) \
            if isinstance(order_id, int) and order_id > 0 else self.env["sale.order"]
        if not order:
            raise ValidationError(self.env._("Choose one of your confirmed orders."))
        vals_lines = self._portal_prepare_line_vals(order, lines)
        description = (description or "").strip()
        if not description:
            raise ValidationError(self.env._("Describe the problem you met."))
        requests = dict(self._fields["customer_request"]._description_selection(self.env))
        if customer_request not in requests:
            raise ValidationError(self.env._("Choose what you ask for."))
        files = self._portal_check_attachments(attachments or [])
        complaint = self.sudo().with_context(mail_create_nosubscribe=True).create(
            self._prepare_portal_complaint_vals(order, partner, vals_lines, description, customer_request))
        complaint.message_subscribe(partner_ids=partner.ids)
        # the photos go into the thread, from the customer, attached to the slip
        complaint.message_post(
            body=self.env._("Complaint recorded on the customer portal."), author_id=partner.id,
            message_type="comment", subtype_xmlid="mail.mt_comment", attachments=files)
        complaint._stamp_acknowledged()  # the portal shows the customer the slip's number at once (issue 13.1)
        complaint._notify_new_external_complaint(self.env._("New complaint %(slip)s from the portal (%(customer)s)",
                                                            slip=complaint.name,
                                                            customer=complaint.partner_id.display_name))
        return complaint.with_env(self.env)

    @api.model
    def _portal_prepare_line_vals(self, order, lines):
        """Slip lines from the customer's (order line id, quantity, defect) choices, each checked
        against the order: a line of this order, a quantity between 0 and what was ordered."""
        order_lines = order.order_line.filtered(lambda line: not line.display_type and line.product_id)
        vals_list = []
        for line in lines:
            qty = line.get("qty") or 0.0
            if not qty:
                continue
            sale_line = order_lines.filtered(lambda ol, line=line: ol.id == line.get("sale_line_id"))
            if not sale_line:
                raise ValidationError(self.env._("A line you chose is not on order %s.", order.name))
            if sale_line.id in {vals["sale_line_id"] for vals in vals_list}:
                # two quantities for one line (qty_7 and qty_07 on the form) would complain about
                # more than was ordered
                raise ValidationError(self.env._(
                    "%s is chosen twice: give its quantity once.", sale_line.product_id.display_name))
            if qty < 0:
                raise ValidationError(self.env._("Quantities must be positive."))
            if qty > sale_line.product_uom_qty:
                raise ValidationError(self.env._(
                    "%(product)s: you ordered %(ordered)s, not %(qty)s.",
                    product=sale_line.product_id.display_name, ordered=sale_line.product_uom_qty, qty=qty))
            # the serial the customer names: only one delivered to them on this line (issue 15); the
            # refusal does not name the serial (a forged id may be another customer's unit)
            lot = self.env["stock.lot"]
            if line.get("lot_id") is not None:
                lot = sale_line._qms_portal_serials(order.partner_id).filtered(
                    lambda serial, line=line: serial.id == line["lot_id"])
                if not lot:
                    raise ValidationError(self.env._(
                        "%s: choose one of the serial numbers delivered to you on this order, or none.",
                        sale_line.product_id.display_name))
            vals_list.append({
                "sale_line_id": sale_line.id,
                "product_id": sale_line.product_id.id,
                "qty_complained": qty,
                "defect_description": (line.get("defect") or "").strip() or False,
                "lot_id": lot.id,
            })
        if not vals_list:
            raise ValidationError(self.env._("Give the quantity of at least one product you complain about."))
        return vals_list

    @api.model
    def _portal_check_attachments(self, attachments):
        if len(attachments) > PORTAL_ATTACHMENT_MAX_COUNT:
            raise ValidationError(self.env._("Attach at most %s files.", PORTAL_ATTACHMENT_MAX_COUNT))
        files = []
        for name, content in attachments:
            if not content:
                continue
            if len(content) > PORTAL_ATTACHMENT_MAX_BYTES:
                raise ValidationError(self.env._("%s is larger than 10 MB.", name))
            if guess_mimetype(content) not in PORTAL_ATTACHMENT_MIMETYPES:
                raise ValidationError(self.env._("%s is not a photo (JPEG, PNG, GIF, WebP) or a PDF.", name))
            files.append(((name or "photo")[:200], content))
        return files

    def _prepare_portal_complaint_vals(self, order, partner, line_vals, description, customer_request):
        receiver = order.user_id if order.user_id and not order.user_id.share else self.env["res.users"]
        receiver = receiver or order.company_id._qms_accountable_user(SUPERVISOR)
        return {
            "partner_id": order.partner_id.commercial_partner_id.id,
            "contact_id": partner.id,
            "sale_order_id": order.id,
            "company_id": order.company_id.id,
            "channel": "online",
            "category": "product",
            "customer_request": customer_request,
            "received_by_id": (receiver or self.env.ref("base.user_root")).id,
            "description": plaintext2html(description),
            "portal_user_id": self.env.user.id,
            "line_ids": [fields.Command.create(vals) for vals in line_vals],
        }

    # ----------------------------------------------------------------------------------------------
    # Issue #13.4: repeat counters — the n-th complaint on the same sales order (同一合同), the same
    # product (同一产品) and the same product with the same fault (同一故障), over the company's look-back.
    # "Earlier" means received earlier (reception date, then number for slips received at the same
    # moment), in the same company, at most the look-back before this slip's reception (the bound
    # included). Cancelled slips do not count: a slip is cancelled when recorded by mistake or twice,
    # and a duplicate is not a second complaint. The fault is the slip's category (product quality,
    # delivery, service, documentation, other): the classification every slip carries.
    # ----------------------------------------------------------------------------------------------
    repeat_order_count = fields.Integer(
        string="Complaint No. on the Same Order", compute="_compute_repeat_counts",
        help="This is the n-th complaint on the same sales order within the look-back (0: no sales order).")
    repeat_product_count = fields.Integer(
        string="Complaint No. on the Same Product", compute="_compute_repeat_counts",
        help="This is the n-th complaint on the same product within the look-back, for the product of the slip "
             "complained about most often (0: no product line).")
    repeat_fault_count = fields.Integer(
        string="Complaint No. on the Same Fault", compute="_compute_repeat_counts",
        help="This is the n-th complaint on the same product in the same category within the look-back.")
    repeat_earlier_count = fields.Integer(
        string="Earlier Complaints", compute="_compute_repeat_earlier_count",
        help="Earlier slips on the same sales order or product within the look-back.")

    @api.depends("sale_order_id", "category", "received_date", "company_id", "line_ids.product_id")
    def _compute_repeat_counts(self):
        data = self._qms_repeat_counts()
        for complaint in self:
            counts = data.get(complaint._origin.id) or {}
            complaint.repeat_order_count = counts.get("order", 0)
            complaint.repeat_product_count = counts.get("product", 0)
            complaint.repeat_fault_count = counts.get("fault", 0)

    @api.depends("sale_order_id", "category", "received_date", "company_id", "line_ids.product_id")
    def _compute_repeat_earlier_count(self):
        # the earlier slips themselves (the button's list): only the form asks for them
        data = self._qms_repeat_data()
        for complaint in self:
            complaint.repeat_earlier_count = len((data.get(complaint._origin.id) or {}).get("earlier_ids", ()))

    def _qms_repeat_ids(self):
        """The saved slips of ``self`` as a tuple of ids, with what the repeat queries read flushed."""
        self.env["qms.complaint"].flush_model(
            ["company_id", "received_date", "name", "sale_order_id", "category", "state"])
        self.env["qms.complaint.line"].flush_model(["complaint_id", "product_id", "company_id"])
        self.env["res.company"].flush_model(["qms_repeat_months"])
        return tuple(complaint._origin.id for complaint in self if complaint._origin.id)

    def _qms_repeat_counts(self):
        """{slip id: {"order": n, "product": n, "fault": n}} for the saved slips of ``self``, the
        counters of ``_qms_repeat_data`` without the earlier slips' ids, in one query bounded by
        the look-back: the printed slips of a selection count this way. Joining each line to every
        earlier line of its product grows with the product's history (1.25 s for 80 slips at 100k,
        BENCHMARKS.md); here the earlier slips of the page's products within the page's look-back
        are read once and sorted with the page's slips in one stream per company and product: a
        slip's count is the running count at the slip less the running count at its look-back bound
        (both markers sort before the slips received at the same moment: the bound is included, and
        the slip itself is not earlier than itself)."""
        ids = self._qms_repeat_ids()
        if not ids:
            return {}
        self.env.cr.execute(SQL("""
            WITH cur AS (
                SELECT c.id, c.company_id, c.received_date, c.name, c.sale_order_id, c.category,
                       c.received_date - make_interval(months => COALESCE(co.qms_repeat_months, 12)) AS since
                  FROM qms_complaint c JOIN res_company co ON co.id = c.company_id
                 WHERE c.id IN %(ids)s
            ), cur_line AS (
                SELECT DISTINCT cur.id, cur.company_id, cur.received_date, cur.name, cur.category, cur.since,
                       l.product_id
                  FROM cur JOIN qms_complaint_line l ON l.complaint_id = cur.id
            ), earlier AS (
                SELECT DISTINCT e.id, e.company_id, e.received_date, e.name, e.category, el.product_id
                  FROM (SELECT company_id, MIN(since) AS lo, MAX(received_date) AS hi FROM cur GROUP BY company_id) w
                  JOIN qms_complaint e ON e.company_id = w.company_id
                                      AND e.received_date >= w.lo AND e.received_date <= w.hi
                  JOIN qms_complaint_line el ON el.complaint_id = e.id
                 WHERE e.state <> 'cancel' AND el.product_id IN (SELECT product_id FROM cur_line)
            ), stream AS (
                SELECT company_id, product_id, category, received_date AS at, name AS key, 0 AS ord, 1 AS hit,
                       NULL::integer AS cur_id, FALSE AS is_cur
                  FROM earlier
                UNION ALL
                SELECT company_id, product_id, category, since, '', -1, 0, id, FALSE FROM cur_line
                UNION ALL
                SELECT company_id, product_id, category, received_date, name, -1, 0, id, TRUE FROM cur_line
            ), running AS (
                SELECT cur_id, product_id, is_cur,
                       SUM(hit) OVER (PARTITION BY company_id, product_id
                                      ORDER BY at, key, ord ROWS UNBOUNDED PRECEDING) AS n,
                       SUM(hit) OVER (PARTITION BY company_id, product_id, category
                                      ORDER BY at, key, ord ROWS UNBOUNDED PRECEDING) AS n_fault
                  FROM stream
            ), per_product AS (
                SELECT cur_id, SUM(CASE WHEN is_cur THEN n ELSE -n END) AS n,
                       SUM(CASE WHEN is_cur THEN n_fault ELSE -n_fault END) AS n_fault
                  FROM running WHERE cur_id IS NOT NULL GROUP BY cur_id, product_id
            )
            SELECT cur.id,
                   CASE WHEN cur.sale_order_id IS NULL THEN 0 ELSE 1 + (
                       SELECT COUNT(*) FROM qms_complaint e
                        WHERE e.sale_order_id = cur.sale_order_id AND e.company_id = cur.company_id
                          AND e.state <> 'cancel' AND e.received_date >= cur.since
                          AND (e.received_date, e.name) < (cur.received_date, cur.name)) END,
                   COALESCE(1 + (SELECT MAX(n) FROM per_product p WHERE p.cur_id = cur.id), 0)::integer,
                   COALESCE(1 + (SELECT MAX(n_fault) FROM per_product p WHERE p.cur_id = cur.id), 0)::integer
              FROM cur
        """, ids=ids))
        return {slip_id: {"order": order, "product": product, "fault": fault}
                for slip_id, order, product, fault in self.env.cr.fetchall()}

    def _qms_repeat_data(self):
        """{slip id: {"order": n, "product": n, "fault": n, "earlier_ids": {ids}}} for the saved
        slips of ``self``, in one query whatever their number (a page of the list). Counted over
        every slip of the company (sudo): a repeat is a fact about the company's complaints, not
        about what the reader may open; the list behind the button applies the reader's rules."""
        ids = self._qms_repeat_ids()
        if not ids:
            return {}
        earlier = SQL("""
            e.company_id = cur.company_id AND e.state <> 'cancel' AND e.received_date >= cur.since
            AND (e.received_date, e.name) < (cur.received_date, cur.name)""")
        self.env.cr.execute(SQL("""
            WITH cur AS (
                SELECT c.id, c.company_id, c.received_date, c.name, c.sale_order_id, c.category,
                       c.received_date - make_interval(months => COALESCE(co.qms_repeat_months, 12)) AS since
                  FROM qms_complaint c JOIN res_company co ON co.id = c.company_id
                 WHERE c.id IN %(ids)s
            ), matches AS (
                SELECT cur.id AS cur_id, 'order' AS kind, NULL::integer AS product_id, e.id AS earlier_id,
                       FALSE AS same_fault
                  FROM cur JOIN qms_complaint e ON e.sale_order_id = cur.sale_order_id
                 WHERE %(earlier)s
                UNION ALL
                SELECT cur.id, 'product', cl.product_id, e.id, e.category = cur.category
                  FROM cur
                  JOIN qms_complaint_line cl ON cl.complaint_id = cur.id
                  JOIN qms_complaint_line el ON el.product_id = cl.product_id AND el.company_id = cur.company_id
                  JOIN qms_complaint e ON e.id = el.complaint_id
                 WHERE %(earlier)s
            )
            SELECT cur.id, cur.sale_order_id IS NOT NULL,
                   EXISTS (SELECT 1 FROM qms_complaint_line l WHERE l.complaint_id = cur.id),
                   m.kind, m.n, m.n_fault, m.earlier_ids
              FROM cur LEFT JOIN (
                    SELECT cur_id, kind, product_id, COUNT(DISTINCT earlier_id) AS n,
                           COUNT(DISTINCT earlier_id) FILTER (WHERE same_fault) AS n_fault,
                           ARRAY_AGG(DISTINCT earlier_id) AS earlier_ids
                      FROM matches GROUP BY cur_id, kind, product_id
                   ) m ON m.cur_id = cur.id
        """, ids=ids, earlier=earlier))
        data = {}
        for slip_id, has_order, has_lines, kind, count, count_fault, earlier_ids in self.env.cr.fetchall():
            counts = data.setdefault(slip_id, {
                "order": 1 if has_order else 0, "product": 1 if has_lines else 0, "fault": 1 if has_lines else 0,
                "earlier_ids": set()})
            if kind == "order":
                counts["order"] = max(counts["order"], count + 1)
            elif kind == "product":
                counts["product"] = max(counts["product"], count + 1)
                counts["fault"] = max(counts["fault"], count_fault + 1)
            counts["earlier_ids"].update(earlier_ids or ())
        return data

    @api.readonly
    def action_view_repeat_complaints(self):
        """The earlier slips this one repeats (same order or product, within the look-back)."""
        self.ensure_one()
        earlier_ids = self._qms_repeat_data().get(self.id, {}).get("earlier_ids", set())
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.qms_complaint_action")
        action.update(name=self.env._("Earlier Complaints"), domain=[("id", "in", sorted(earlier_ids))],
                      context={"create": False})
        return action

    # ----------------------------------------------------------------------------------------------
    # Issue #13.7: what the customer receives — a slip recorded from a delivery order or a customer
    # invoice, the acknowledgement and closure e-mails (automatic, or Send by E-mail).
    # ----------------------------------------------------------------------------------------------
    picking_id = fields.Many2one(
        "stock.picking", string="Delivery Order", index="btree_not_null", check_company=True, copy=False,
        tracking=True,
        domain="[('partner_id', 'child_of', commercial_partner_id), ('picking_type_code', '=', 'outgoing'), "
               "('state', '=', 'done')]",
        help="The delivery the customer complains about, when the slip was recorded from it.")
    invoice_id = fields.Many2one(
        "account.move", string="Customer Invoice", index="btree_not_null", check_company=True, copy=False,
        tracking=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id), ('move_type', '=', 'out_invoice'), "
               "('state', '=', 'posted')]",
        help="The invoice the customer complains about, when the slip was recorded from it.")

    @api.constrains("partner_id", "picking_id", "invoice_id")
    def _check_source_documents(self):
        for complaint in self:
            # whoever records the slip may not read deliveries or invoices: the check itself may
            picking, invoice = complaint.picking_id.sudo(), complaint.invoice_id.sudo()
            customer = complaint.sudo().commercial_partner_id
            if picking and (picking.picking_type_code != "outgoing" or picking.state != "done"
                            or picking.partner_id.commercial_partner_id != customer):
                raise ValidationError(self.env._(
                    "%(picking)s is not a delivery done to %(customer)s: choose one of the customer's done deliveries.",
                    picking=picking.name, customer=customer.display_name))
            if invoice and (invoice.move_type != "out_invoice" or invoice.state != "posted"
                            or invoice.commercial_partner_id != customer):
                raise ValidationError(self.env._(
                    "%(invoice)s is not a posted invoice of %(customer)s: choose one of the customer's invoices.",
                    invoice=invoice.name, customer=customer.display_name))

    @api.readonly
    def action_view_picking(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "stock.picking", "view_mode": "form",
                "res_id": self.picking_id.id}

    @api.readonly
    def action_view_invoice(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "account.move", "view_mode": "form",
                "res_id": self.invoice_id.id}

    def _qms_customer_mail_template(self):
        """The e-mail fitting the slip's stage: the closure notice once closed, the answer once
        answered, else the acknowledgement (the slip number and its reception)."""
        self.ensure_one()
        if self.state == "done":
            return self.env.ref("qms_customer.mail_template_qms_complaint_closure"), "closure"
        if self.state == "verification":
            return self.env.ref("qms_customer.mail_template_qms_complaint_reply"), "answer"
        return self.env.ref("qms_customer.mail_template_qms_complaint_acknowledgement"), "acknowledgement"

    def action_qms_send_email(self):
        """Send by E-mail: the mail composer with the template fitting the stage (as sale.order's
        action_quotation_send). Whoever may read the slip may write to its customer (_mail_post_access)."""
        self.ensure_one()
        self.check_access("read")
        template, kind = self._qms_customer_mail_template()
        return {
            "name": self.env._("Send by E-mail"),
            "type": "ir.actions.act_window",
            "view_mode": "form",
            "res_model": "mail.compose.message",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_template_id": template.id,
                "default_email_layout_xmlid": "mail.mail_notification_layout",
                "force_email": True,
                "hide_mail_template_management_options": True,
                "qms_customer_mail": kind,
            },
        }

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        # the composer of "Send by E-mail" posts here: the customer was just told
        if self.env.context.get("qms_customer_mail") == "acknowledgement":
            self._stamp_acknowledged()
        return message

    def _qms_auto_send_acknowledgement(self):
        """At recording: the acknowledgement, for the companies that send it automatically (Settings)."""
        if self._qms_loading_data():
            return
        self.filtered(lambda c: c.company_id.qms_send_acknowledgement)._qms_send_acknowledgement()

    def _qms_auto_send_closure(self):
        """At closing: the closure notice, for the companies that send it automatically (Settings)."""
        self.filtered(lambda c: c.company_id.qms_send_closure)._qms_send_closure()

    def _qms_send_acknowledgement(self):
        """E-mail each slip's customer the acknowledgement (受理回执): the slip number and its reception."""
        self._qms_send_customer_mail("qms_customer.mail_template_qms_complaint_acknowledgement")._stamp_acknowledged()

    def _qms_send_closure(self):
        """E-mail each slip's customer that the handling of the complaint is complete."""
        self._qms_send_customer_mail("qms_customer.mail_template_qms_complaint_closure")

    def _qms_send_customer_mail(self, template_xmlid):
        """E-mail the template to each slip's customer contact; returns the slips that were e-mailed."""
        if not self:
            return self
        template = self.env.ref(template_xmlid)
        # sudo: the slip's recorder or closer writes to the customer whatever they may read of the
        # contact; only slips whose customer has an address get the e-mail
        mailed = self.sudo().filtered(lambda c: c.customer_contact_id.email)
        for complaint in mailed:
            complaint.with_context(qms_customer_mail=False).message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment")
        return self.filtered(lambda c: c in mailed)

    # --- the customer's copy of the slip (portal) -------------------------------------------------
    def _qms_customer_copy_values(self):
        """What the customer's copy prints, as plain records and values: what they reported, the
        lines, the dates and the answers given; none of the internal handling (reviews, disposition,
        investigation, responsibility, corrective actions, notes)."""
        self.ensure_one()
        slip = self.sudo()
        answered = slip._portal_reply_visible()
        return {
            "slip": slip,
            "lines": slip.line_ids,
            "answers": slip.answer_ids.sorted("date") if answered else slip.answer_ids.browse(),
            "closed_date": slip.verified_date if slip.state == "done" else False,
        }
    # Issue 13.1: clocks in working days (acknowledge, answer, close), paused while waiting for the
    # customer, and the daily escalation of late slips up the chain of clause 4.3.1
    # ----------------------------------------------------------------------------------------------
    @api.depends("received_date", "acknowledged_date", "reply_date", "answer_ids.date", "verified_date", "state",
                 "answer_agreed_date", "waiting_customer", "pause_ids.date_start", "pause_ids.date_end",
                 "company_id.qms_ack_working_days", "company_id.qms_answer_working_days",
                 "company_id.qms_close_working_days", "company_id.resource_calendar_id")
    def _compute_clocks(self):
        """Every deadline in the company's working days, moved by the working days the slip waited for
        the customer before it was met; the working days each took, and whether it was met in time.
        A page of slips costs a constant number of queries: the pauses and answers of the page, the
        companies' calendars, then their attendances and public holidays (two queries)."""
        working_days = self.company_id._qms_working_days()
        now = fields.Datetime.now()
        for slip in self:
            days = working_days.get(slip.company_id.id)
            received = days.local_date(slip.received_date) if days else False
            if not received:
                slip.update(dict.fromkeys(CLOCK_FIELDS, False))
                continue
            # an open pause runs until now (the daily escalation recomputes the waiting slips)
            pauses = [(days.local_date(pause.date_start), days.local_date(pause.date_end or now))
                      for pause in slip.pause_ids]
            company = slip.company_id
            answers = slip.answer_ids.mapped("date")
            met = {"ack": days.local_date(slip.acknowledged_date),
                   "answer": days.local_date(min(answers) if answers else slip.reply_date),
                   "close": days.local_date(slip.verified_date) if slip.state == "done" else False}
            base = {"ack": days.add(received, company.qms_ack_working_days),
                    "answer": slip.answer_agreed_date or days.add(received, company.qms_answer_working_days),
                    "close": days.add(received, company.qms_close_working_days)}
            values = {"paused_working_days": sum(days.count(start, end) for start, end in pauses)}
            open_deadlines = []
            for kind in CLOCKS:
                # a deadline met is moved by the pauses before it was met, one still open by all of them
                until = met[kind]
                paused = sum(days.count(start, min(end, until) if until else end)
                             for start, end in pauses if not until or start < until)
                deadline = days.add(base[kind], paused) if base[kind] else False
                values[f"deadline_{kind}"] = deadline
                if met[kind]:
                    values[f"{kind}_working_days"] = max(days.count(received, met[kind]) - paused, 0)
                    values[f"{kind}_status"] = "on_time" if deadline and met[kind] <= deadline else "late"
                elif slip.state in CLOSED_STATES:
                    values[f"{kind}_working_days"] = 0
                    values[f"{kind}_status"] = "not_met"
                else:
                    values[f"{kind}_working_days"] = 0
                    values[f"{kind}_status"] = "running"
                    if deadline:
                        open_deadlines.append(deadline)
            values["next_deadline"] = min(open_deadlines) if open_deadlines and not slip.waiting_customer else False
            slip.update(values)

    @api.constrains("answer_agreed_date", "received_date")
    def _check_answer_agreed_date(self):
        self._check_received_date()  # first: a reception near the year 9999 cannot be converted
        for slip in self.filtered(lambda s: s.answer_agreed_date and s.received_date):
            received, latest = slip._reception_window()
            if not received <= slip.answer_agreed_date <= latest:
                raise ValidationError(self.env._(
                    "%(slip)s: the answer date agreed with the customer must be between the reception "
                    "(%(received)s) and %(years)s years after it (got %(agreed)s).", slip=slip.display_name,
                    received=format_date(self.env, received), years=YEARS_AHEAD,
                    agreed=format_date(self.env, slip.answer_agreed_date)))

    @api.constrains("waiting_customer", "waiting_reason")
    def _check_waiting_reason(self):
        for slip in self.filtered("waiting_customer"):
            if not (slip.waiting_reason or "").strip():
                raise ValidationError(self.env._(
                    "%s waits for the customer: say what for.", slip.display_name))

    # --- acknowledgement ------------------------------------------------------------------------
    def _stamp_acknowledged(self):
        """The customer has been told the slip's number: stamp it once (the first time only; a slip
        already acknowledged keeps its date). The one place of the acknowledgement: the portal intake,
        the e-mail intake and the Acknowledge button all come here. Returns the slips stamped now."""
        slips = self.filtered(lambda s: not s.acknowledged_date and s.state not in CLOSED_STATES)
        if not slips:
            return slips
        user = self.env.user
        slips.sudo().write({"acknowledged_date": fields.Datetime.now(),
                            "acknowledged_by_id": user.id if not user.share else False})
        for slip in slips:
            slip.sudo().message_post(
                body=self.env._("Acknowledged: the customer was told the slip number %s.", slip.name),
                message_type="notification", subtype_xmlid="mail.mt_note")
        return slips

    def action_acknowledge(self):
        """Sales tells the customer the slip number (phone, visit): the acknowledgement clock stops."""
        for slip in self:
            slip._qms_ensure_can("acknowledge")
            slip._check_can_acknowledge({})
        self._stamp_acknowledged()
        return True

    def _check_can_acknowledge(self, vals):
        if self.acknowledged_date:
            raise UserError(self.env._("%s is already acknowledged.", self.name))

    def _after_acknowledge(self):
        self.message_post(body=self.env._("Acknowledged: the customer was told the slip number %s.", self.name),
                          message_type="notification", subtype_xmlid="mail.mt_note")

    def _qms_acknowledge_email_intake(self):
        """A complaint came by e-mail: the sender gets the acknowledgement (the slip number), unless
        the automatic acknowledgement of recording already told them; that acknowledges the slip."""
        self.filtered(lambda slip: not slip.acknowledged_date)._qms_send_acknowledgement()

    # --- waiting for the customer -----------------------------------------------------------------
    def action_pause(self):
        """Sales waits for the customer (a sample, a photo, a visit date): the clocks stop."""
        return self._qms_take("pause")

    def _check_can_pause(self, vals):
        if self.waiting_customer:
            raise UserError(self.env._("%s already waits for the customer.", self.name))
        if not (vals.get("waiting_reason") or self.waiting_reason or "").strip():
            raise UserError(self.env._("Say what %s waits for from the customer before stopping its clocks.",
                                       self.name))

    def _after_pause(self):
        self.env["qms.complaint.pause"].sudo().create({
            "complaint_id": self.id, "reason": self.waiting_reason, "date_start": self.paused_date,
            "user_id": self.paused_by_id.id})
        self.message_post(body=self.env._("Waiting for the customer: %s", self.waiting_reason),
                          message_type="notification", subtype_xmlid="mail.mt_note")

    def action_resume(self):
        """The customer answered: the clocks run again, every open deadline moved by the days waited."""
        return self._qms_take("resume")

    def _check_can_resume(self, vals):
        if not self.waiting_customer:
            raise UserError(self.env._("%s does not wait for the customer.", self.name))

    def _after_resume(self):
        pause = self.sudo().pause_ids.filtered(lambda p: not p.date_end)
        pause.write({"date_end": self.resumed_date, "resumed_by_id": self.resumed_by_id.id})
        self.write({"waiting_reason": False})
        self.message_post(body=self.env._("The customer answered: the clocks run again (%s working days waited "
                                          "in all).", self.paused_working_days),
                          message_type="notification", subtype_xmlid="mail.mt_note")

    # --- daily escalation (clause 4.3.1: to the Sales Supervisor, as needed up to the General Manager)
    @api.model
    def _cron_escalate_late(self, today=None):
        """Late slips: the Sales Supervisor gets an activity for each deadline missed, the General
        Manager too when the slip is critical or late by the company's working days. Each (slip,
        person, deadline) is escalated once: the unique index of qms.complaint.escalation keeps a
        second worker, or a second run, from scheduling it again (INSERT ... ON CONFLICT DO NOTHING
        waits for the first worker's transaction and then finds its row). Returns the escalations made."""
        today = today or fields.Date.context_today(self)
        Slip = self.sudo()
        # the open pauses move the deadlines day by day: recompute the waiting slips' clocks first
        waiting = Slip.search([("waiting_customer", "=", True), ("state", "not in", CLOSED_STATES)])
        if waiting:
            for name in CLOCK_FIELDS:
                self.env.add_to_compute(self._fields[name], waiting)
            waiting.flush_recordset(list(CLOCK_FIELDS))
        late = Slip.search([("next_deadline", "<", today)], order="next_deadline, id")
        working_days = late.company_id._qms_working_days()
        wanted = []
        for slip in late:
            days = working_days[slip.company_id.id]
            missed = [kind for kind in CLOCKS
                      if slip[f"{kind}_status"] == "running" and slip[f"deadline_{kind}"]
                      and slip[f"deadline_{kind}"] < today]
            if not missed:
                continue
            days_late = days.count(min(slip[f"deadline_{kind}"] for kind in missed), today)
            users = slip._accountable(SUPERVISOR)
            if slip.severity == "critical" or days_late >= slip.company_id.qms_escalate_gm_days:
                users |= slip.company_id._qms_role_users(GENERAL_MANAGER)
            wanted += [(slip, user, kind) for kind in missed for user in users]
        # what this transaction already sees escalated is not tried again (one query, not one per row)
        Escalation = self.env["qms.complaint.escalation"].sudo()
        done = {(e.complaint_id.id, e.user_id.id, e.deadline) for e in Escalation.search_fetch(
            [("complaint_id", "in", late.ids)], ["complaint_id", "user_id", "deadline"])}
        wanted = [(slip, user, kind) for slip, user, kind in wanted if (slip.id, user.id, kind) not in done]
        if not wanted:
            return self.env["qms.complaint.escalation"]
        made = self.env["qms.complaint.escalation"].sudo().browse(self._qms_insert_escalations(wanted))
        self.env["qms.complaint.escalation"].invalidate_model()
        Slip.invalidate_model(["escalation_ids"])
        labels = dict(self.env["qms.complaint.escalation"]._fields["deadline"]._description_selection(self.env))
        for escalation in made:
            slip = escalation.complaint_id
            slip._schedule_review_activity(escalation.user_id, self.env._(
                "Late: %(deadline)s of %(slip)s was due on %(date)s",
                deadline=labels[escalation.deadline], slip=slip.name,
                date=format_date(self.env, slip[f"deadline_{escalation.deadline}"])))
        return made

    def _qms_insert_escalations(self, wanted):
        """Insert the escalations ``[(slip, user, deadline)]`` not made yet; return the ids inserted.
        A row another worker inserted and committed meanwhile is skipped: ON CONFLICT DO NOTHING when
        its commit is visible, else (repeatable read) a serialization failure, after which the rows
        are tried one by one, each in its savepoint, skipping those of the other worker."""
        try:
            with self.env.cr.savepoint(flush=False):
                return self._qms_insert_escalation_rows(wanted)
        except psycopg2.errors.SerializationFailure:
            pass
        ids = []
        for row in wanted:
            try:
                with self.env.cr.savepoint(flush=False):
                    ids += self._qms_insert_escalation_rows([row])
            except psycopg2.errors.SerializationFailure:
                continue
        return ids

    def _qms_insert_escalation_rows(self, rows):
        # expected under concurrency (the caller skips the row): not logged as a "bad query"
        self.env.cr.execute(SQL(
            """INSERT INTO qms_complaint_escalation
                   (complaint_id, company_id, user_id, deadline, date, create_uid, write_uid, create_date, write_date)
               VALUES %s
               ON CONFLICT (complaint_id, user_id, deadline) DO NOTHING
               RETURNING id""",
            SQL(", ").join(SQL("(%s, %s, %s, %s, now() AT TIME ZONE 'UTC', %s, %s, now() AT TIME ZONE 'UTC', "
                               "now() AT TIME ZONE 'UTC')",
                               slip.id, slip.company_id.id, user.id, kind, self.env.uid, self.env.uid)
                           for slip, user, kind in rows)), log_exceptions=False)
        return [row[0] for row in self.env.cr.fetchall()]

    # ----------------------------------------------------------------------------------------------
    # Issue 14.5: the cost of poor quality, from the real documents the slip produced
    # ----------------------------------------------------------------------------------------------
    @api.depends("line_ids.sequence", "line_ids.product_id.categ_id")
    def _compute_product_categ_id(self):
        for complaint in self:
            complaint.product_categ_id = complaint.line_ids[:1].product_id.categ_id

    @api.depends("refund_move_ids.state", "refund_move_ids.amount_untaxed_signed",
                 "remedy_picking_ids.state", "remedy_picking_ids.move_ids.state",
                 "remedy_picking_ids.move_ids.quantity",
                 "repair_ids.state", "repair_ids.move_ids.state", "repair_ids.move_ids.quantity",
                 "repair_ids.sale_order_id.order_line.product_uom_qty",
                 "cost_ids.amount")
    def _compute_costs(self):
        for complaint in self:
            company = complaint.company_id
            refunds = complaint.refund_move_ids.filtered(lambda m: m.state == "posted" and m.move_type == "out_refund")
            credit = -sum(refunds.mapped("amount_untaxed_signed"))
            returns = replacements = 0.0
            # issue 15.7: a unit received for repair or examination and sent back is no cost
            kept = complaint.remedy_picking_ids - complaint.line_ids._qms_pickings_not_costed()
            for picking in kept.filtered(lambda p: p.state == "done"):
                value = sum(self._qms_move_cost(move, company) for move in picking.move_ids)
                if picking.location_id.usage == "customer":
                    returns += value
                else:
                    replacements += value
            repairs = 0.0
            for repair in complaint.repair_ids.filtered(lambda r: r.state == "done"):
                parts = repair.move_ids.filtered(lambda m: m.repair_line_type == "add")
                repairs += sum(self._qms_move_cost(move, company) for move in parts)
                services = repair.sale_order_id.order_line.filtered(
                    lambda ol: ol.product_id.type == "service" and not ol.display_type)
                repairs += sum(ol.product_id.with_company(company).standard_price
                               * ol.product_uom_id._compute_quantity(ol.product_uom_qty, ol.product_id.uom_id)
                               for ol in services)
            entered = sum(complaint.cost_ids.mapped("amount"))
            currency = company.currency_id
            parts = {"cost_credit_notes": credit, "cost_returns": returns, "cost_replacements": replacements,
                     "cost_repairs": repairs, "cost_entered": entered}
            parts = {name: currency.round(value) for name, value in parts.items()}
            complaint.update(parts)
            complaint.cost_total = currency.round(sum(parts.values()))

    @api.model
    def _qms_move_cost(self, move, company):
        """A done stock move at cost: its stock valuation when stock_account valued it, else the
        product's standard price times the quantity done (in the product's unit)."""
        if move.state != "done":
            return 0.0
        value = move["value"] if "value" in move._fields else 0.0
        if value:
            return abs(value)
        qty = move.product_uom._compute_quantity(move.quantity, move.product_id.uom_id)
        return move.product_id.with_company(company).standard_price * qty


    # ----------------------------------------------------------------------------------------------
    # Issue 15.7: the returned units delivered back to the customer (smart button)
    # ----------------------------------------------------------------------------------------------
    return_to_customer_count = fields.Integer(compute="_compute_return_to_customer_count")

    def _compute_return_to_customer_count(self):
        for complaint in self:
            complaint.return_to_customer_count = len(complaint.sudo().line_ids.return_to_customer_picking_id)

    @api.readonly
    def action_view_return_to_customer_pickings(self):
        return self._action_view_documents("stock.picking", self.sudo().line_ids.return_to_customer_picking_id)
