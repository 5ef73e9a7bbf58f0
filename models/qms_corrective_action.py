from datetime import timedelta

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from .qms_input_guard import check_input
from .qms_reminder_claim import claim_reminders
from .qms_root_cause import CAUSE_CATEGORIES
from .qms_workflow_mixin import Gate, Step

# The 5-Why chain: why → because, up to five levels, one pair of fields per level.
WHY_LEVELS = 5
WHY_FIELDS = tuple(f"{kind}_{level}" for level in range(1, WHY_LEVELS + 1) for kind in ("why", "because"))

# Fields that describe one attempt: copied into the history when an attempt proves ineffective.
ATTEMPT_FIELDS = (
    "description", "root_cause", "implementation_notes", "verification_notes",
    "approved_by_id", "approved_date", "implemented_by_id", "implemented_date",
    "verified_by_id", "verified_date", "date_deadline",
)

OPEN_SLIP_STATES = ("action", "investigation", "reply", "verification")

# ISO 9001 §10.2: what the verifier records to show that the action removed the cause (data,
# samples, customer feedback), in the verification gate.
EVIDENCE_FIELDS = ("effectiveness_evidence", "effectiveness_attachment_ids")
# The analysis a corrective action of a recurrence starts from: the earlier action's.
ANALYSIS_FIELDS = ("cause_category", "cause_id", "root_cause", *WHY_FIELDS)
# Recurrence (issue 14): written by the server when a new slip repeats this action's slip.
RECURRENCE_FIELDS = ("recurred", "recurred_date", "recurred_complaint_id")

# Clause 4.3.2, the transition table of a corrective action: approve → carry out → verify; not
# effective → reconsider (a new revision). Each action is verified on its own, whatever the answer
# to the customer.
STEPS = {
    "approve": Step(("draft",), "approved", group="qms_customer.group_qms_management_representative",
                    stamp=("approved_by_id", "approved_date"), check="_check_can_approve", then="_after_approve"),
    "start": Step(("approved",), "in_progress", department="implementing_department_id", check="_check_slip_open"),
    "implemented": Step(("approved", "in_progress"), "implemented", department="implementing_department_id",
                        stamp=("implemented_by_id", "implemented_date"), check="_check_can_implemented",
                        then="_after_implemented"),
    "verify_effective": Step(("implemented",), "effective", department="verifying_department_id",
                             stamp=("verified_by_id", "verified_date"), values={"verification_result": "effective"},
                             check="_check_can_verify_effective", then="_after_verify"),
    "verify_ineffective": Step(("implemented",), "ineffective", department="verifying_department_id",
                               stamp=("verified_by_id", "verified_date"),
                               values={"verification_result": "ineffective"},
                               check="_check_can_verify_ineffective", then="_after_verify_ineffective"),
    "revise": Step(("ineffective",), "draft", department="responsible_department_id",
                   clears=("approved_by_id", "approved_date", "implemented_by_id", "implemented_date",
                           "verified_by_id", "verified_date", "verification_result"),
                   check="_check_slip_open", prepare="_prepare_revise_vals", then="_after_revise"),
    # cancelling the slip ends its actions (its own step checks the supervisor)
    "cancel": Step(("draft", "approved", "in_progress", "implemented", "ineffective"), "cancel",
                   check="_check_slip_cancelled"),
}
# Each part of an action belongs to a department while the action stands at that part.
GATES = {
    "definition": Gate(("draft",), (
        "description", "root_cause", "action_type", "cause_category", "cause_id", *WHY_FIELDS,
        "responsible_department_id", "implementing_department_id", "verifying_department_id",
        "other_complaint_ids"),  # the other slips the action serves (qms_corrective_action_slips.py)
        department="responsible_department_id"),
    "schedule": Gate(("draft", "approved", "in_progress"), ("user_id", "date_deadline"),
                     department="responsible_department_id"),
    "implementation": Gate(("approved", "in_progress"), ("implementation_notes", "prevention_notes"),
                           department="implementing_department_id"),
    "verification": Gate(("implemented",), ("verification_notes", *EVIDENCE_FIELDS),
                         department="verifying_department_id"),
}

class QmsCorrectiveAction(models.Model):
    """Corrective action — 纠正措施 (clause 4.3.2): defined by the responsible department,
    approved by the management representative, carried out by the implementing department and
    verified by the verifying department."""

    _name = "qms.corrective.action"
    _description = "Corrective Action"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.workflow.mixin"]
    _order = "date_deadline, id"
    _check_company_auto = True
    _qms_steps = STEPS
    _qms_gates = GATES
    _qms_fixed_fields = ("name", "complaint_id")
    _qms_server_fields = ("revision", "revision_ids")
    _qms_server_fields += RECURRENCE_FIELDS  # issue 14: the recurrence is found by the server
    _qms_server_fields += ("reminded_deadline",)  # claimed by the due-date reminders only

    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index="trigram")
    complaint_id = fields.Many2one(
        "qms.complaint", string="Complaint", required=True, index=True, ondelete="cascade", check_company=True)
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="complaint_id.partner_id", store=True, string="Customer")
    state = fields.Selection([
        ("draft", "Draft"),
        ("approved", "Approved"),
        ("in_progress", "In Progress"),
        ("implemented", "Implemented"),
        ("effective", "Effective"),
        ("ineffective", "Not Effective"),
        ("cancel", "Cancelled"),
    ], default="draft", required=True, readonly=True, copy=False, tracking=True, index=True)
    description = fields.Text(string="Corrective Action", required=True, tracking=True)
    action_type = fields.Selection([
        ("correction", "Correction"),
        ("corrective", "Corrective Action"),
        ("preventive", "Preventive Action"),
        ("improvement", "Improvement"),
    ], string="Type", default="corrective", required=True, tracking=True, index=True)
    root_cause = fields.Text(tracking=True)
    # root cause by method: the 5M1E category, a cause of the company's list, and the 5-Why chain
    cause_category = fields.Selection(
        CAUSE_CATEGORIES, string="Cause Category (5M1E)", tracking=True, index=True)
    cause_id = fields.Many2one(
        "qms.root.cause", string="Cause", tracking=True, index="btree_not_null", check_company=True,
        domain="[('category', '=', cause_category)]")
    why_1 = fields.Char(string="Why 1")
    because_1 = fields.Char(string="Because 1")
    why_2 = fields.Char(string="Why 2")
    because_2 = fields.Char(string="Because 2")
    why_3 = fields.Char(string="Why 3")
    because_3 = fields.Char(string="Because 3")
    why_4 = fields.Char(string="Why 4")
    because_4 = fields.Char(string="Because 4")
    why_5 = fields.Char(string="Why 5")
    because_5 = fields.Char(string="Because 5")
    why_depth = fields.Integer(string="5-Why Levels", compute="_compute_why_depth")
    responsible_department_id = fields.Many2one(
        "hr.department", string="Responsible Department", tracking=True, index=True, check_company=True,
        default=lambda self: self._default_responsible_department())
    implementing_department_id = fields.Many2one(
        "hr.department", string="Implementing Department", tracking=True, index=True, check_company=True)
    verifying_department_id = fields.Many2one(
        "hr.department", string="Verifying Department", tracking=True, index=True, check_company=True)
    user_id = fields.Many2one(
        "res.users", string="Owner", tracking=True, default=lambda self: self.env.user,
        domain="[('share', '=', False)]")
    date_deadline = fields.Date(string="Due Date", required=True, tracking=True)
    reminded_deadline = fields.Date(
        string="Owner Reminded For", readonly=True, copy=False,
        help="The due date the owner was last reminded of; a new due date is reminded again.")
    implementation_notes = fields.Text()
    # 8D, D7: what keeps the cause from coming back beyond this case
    prevention_notes = fields.Text(
        string="Prevention of Recurrence",
        help="Documents, processes or products changed so that the cause cannot return, and the other "
             "products or lines checked for the same cause (8D, D7).")
    verification_result = fields.Selection(
        [("effective", "Effective"), ("ineffective", "Not Effective")], readonly=True, copy=False)
    verification_notes = fields.Text()
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)
    implemented_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    implemented_date = fields.Datetime(readonly=True, copy=False)
    verified_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    verified_date = fields.Datetime(readonly=True, copy=False)
    revision = fields.Integer(default=1, readonly=True, copy=False)
    revision_ids = fields.One2many(
        "qms.corrective.action.revision", "action_id", string="Earlier Attempts", readonly=True)
    can_approve = fields.Boolean(compute="_compute_can_steps")
    can_start = fields.Boolean(compute="_compute_can_steps")
    can_implemented = fields.Boolean(compute="_compute_can_steps")
    can_verify_effective = fields.Boolean(compute="_compute_can_steps")
    can_verify_ineffective = fields.Boolean(compute="_compute_can_steps")
    can_revise = fields.Boolean(compute="_compute_can_steps")
    can_edit_definition = fields.Boolean(compute="_compute_can_edit_gates")
    can_edit_schedule = fields.Boolean(compute="_compute_can_edit_gates")
    can_edit_implementation = fields.Boolean(compute="_compute_can_edit_gates")
    can_edit_verification = fields.Boolean(compute="_compute_can_edit_gates")

    # --- ISO 9001 §10.2: the effectiveness window, its evidence, and recurrence (issue 14) -------
    effectiveness_due_date = fields.Date(
        string="Effectiveness Check On", compute="_compute_effectiveness_due_date", store=True, copy=False,
        help="End of the effectiveness window: the implementation date plus the days the company's settings "
             "give the complaint's severity. The action is judged effective from this date on, if the "
             "problem has not recurred.")
    in_effectiveness_window = fields.Boolean(compute="_compute_in_effectiveness_window")
    effectiveness_evidence = fields.Text(
        copy=False, help="What shows that the action removed the cause: data, samples checked, customer feedback.")
    effectiveness_attachment_ids = fields.Many2many(
        "ir.attachment", "qms_corrective_action_evidence_rel", "action_id", "attachment_id",
        string="Evidence Files", copy=False)
    recurred = fields.Boolean(
        readonly=True, copy=False, tracking=True, index=True,
        help="The same problem came back on a later complaint slip (same product or product category and "
             "complaint category, within the look-back) after this action was implemented.")
    recurred_date = fields.Datetime(string="Recurred On", readonly=True, copy=False)
    recurred_complaint_id = fields.Many2one(
        "qms.complaint", string="Recurred In", readonly=True, copy=False, tracking=True, index="btree_not_null")

    @api.model
    def _default_responsible_department(self):
        complaint = self.env["qms.complaint"].browse(self.env.context.get("default_complaint_id"))
        return complaint.exists().responsible_department_id

    @api.depends(*WHY_FIELDS)
    def _compute_why_depth(self):
        for action in self:
            action.why_depth = len(action._why_chain())

    def _why_chain(self):
        """[(level, why, because)] of the levels filled in, in order."""
        self.ensure_one()
        return [(level, self[f"why_{level}"], self[f"because_{level}"]) for level in range(1, WHY_LEVELS + 1)
                if self[f"why_{level}"] or self[f"because_{level}"]]

    @api.onchange("cause_category")
    def _onchange_cause_category(self):
        if self.cause_id.category != self.cause_category:
            self.cause_id = False

    @api.constrains("cause_id", "cause_category")
    def _check_cause_category(self):
        for action in self:
            if action.cause_id and action.cause_id.category != action.cause_category:
                raise ValidationError(self.env._(
                    "The cause %(cause)s of %(action)s is not of the category chosen.",
                    cause=action.cause_id.complete_name, action=action.name))

    @api.constrains("effectiveness_attachment_ids")
    def _check_evidence_files(self):
        """Evidence files are the action's own (uploaded on it): linking the file of another record
        by its id would show that file to the action's readers and put it in the 8D."""
        for action in self:
            foreign = action.effectiveness_attachment_ids.sudo().filtered(
                lambda a, action=action: (a.res_model, a.res_id) != (action._name, action.id))
            if foreign:
                raise ValidationError(self.env._(
                    "%(action)s: the evidence file %(file)s belongs to another record; upload it on the "
                    "corrective action.", action=action.display_name, file=foreign[0].name))

    @api.constrains("responsible_department_id", "implementing_department_id", "verifying_department_id")
    def _check_departments(self):
        for action in self:
            if not (action.responsible_department_id and action.implementing_department_id
                    and action.verifying_department_id):
                raise ValidationError(self.env._(
                    "A corrective action needs its responsible, implementing and verifying departments."))

    @api.model_create_multi
    def create(self, vals_list):
        check_input(self, vals_list)
        for vals in vals_list:
            complaint = self.env["qms.complaint"].browse(vals.get("complaint_id")).exists()
            if not complaint:
                raise UserError(self.env._("A corrective action is defined on an existing complaint slip."))
            reason = self.env.uid != SUPERUSER_ID and complaint._propose_actions_refusal()
            if reason:
                raise (AccessError if complaint.state == "action" else UserError)(reason)
            if vals.get("name", "/") != "/" and self.env.uid != SUPERUSER_ID:
                raise UserError(self.env._("A corrective action is numbered by the company's sequence, not by hand."))
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().with_company(complaint.company_id).next_by_code(
                    "qms.corrective.action") or "/"
        return super().create(vals_list)

    def write(self, vals):
        check_input(self, [vals])
        return super().write(vals)

    def _qms_closed_reason(self):
        self.ensure_one()
        if self.complaint_id.state in ("done", "cancel"):
            return self.env._("%s is closed: its corrective actions are evidence.", self.complaint_id.name)
        return False

    @api.constrains("state", *{name for step in STEPS.values() for name in step.stamp})
    def _check_stage_stamps(self):
        self._qms_check_required_stamps(self)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(action.state != "draft" or action.revision > 1 for action in self):
            raise UserError(self.env._("Only a corrective action that was never approved can be deleted."))

    def _schedule_for_department(self, department, summary, date_deadline=None):
        users = department.sudo().manager_id.user_id or self.user_id
        for user in users:
            self.activity_schedule(
                "qms_customer.mail_activity_type_qms_action", date_deadline=date_deadline or self.date_deadline,
                summary=summary, user_id=user.id)

    def _close_action_activities(self, feedback):
        # done by whoever took the step: the chatter credits them
        self.activity_feedback(["qms_customer.mail_activity_type_qms_action"], feedback=feedback)

    # ==========================================================================================
    # Clause 4.3.2: approve → carry out → verify; not effective → reconsider (a new revision).
    # ==========================================================================================
    def _check_slip_open(self, vals):
        if self.complaint_id.state not in OPEN_SLIP_STATES:
            raise UserError(self.env._("%s is not open for corrective actions.", self.complaint_id.name))

    def action_approve(self):
        """The management representative approves this action (each action by name); it is
        distributed to the implementing and verifying departments."""
        return self._qms_take("approve")

    def _check_can_approve(self, vals):
        self._check_slip_open(vals)
        if not self.complaint_id.company_responsible:
            raise UserError(self.env._("%s is not waiting for corrective actions.", self.complaint_id.name))
        missing = self._root_cause_missing()
        if missing:
            raise UserError(self.env._(
                "%(action)s cannot be approved before its root cause is found by method: %(missing)s.",
                action=self.name, missing="; ".join(missing)))

    def _root_cause_missing(self):
        """What the root-cause analysis still lacks before approval: the 5M1E category and a
        5-Why chain whose every "why" has its "because", without gaps."""
        self.ensure_one()
        missing = []
        if not self.cause_category:
            missing.append(self.env._("the cause category (5M1E)"))
        chain = self._why_chain()
        if not chain:
            missing.append(self.env._("the 5-Why chain"))
        elif [level for level, _why, _because in chain] != list(range(1, len(chain) + 1)):
            missing.append(self.env._("the 5-Why levels in order, without a gap"))
        else:
            missing.extend(self.env._("both the why and the because of level %s", level)
                           for level, why, because in chain if not (why and because))
        return missing

    def _after_approve(self):
        if self.complaint_id.awaiting_revised_actions:  # the reconsidered slip has its new attempt
            self.complaint_id.sudo().write({"awaiting_revised_actions": False})
        self._schedule_for_department(
            self.implementing_department_id, self.env._("Carry out corrective action %s", self.name))

    def action_start(self):
        """The implementing department starts the work."""
        return self._qms_take("start")

    def action_implemented(self):
        """The implementing department reports the action carried out."""
        return self._qms_take("implemented")

    def _check_can_implemented(self, vals):
        self._check_slip_open(vals)
        if not self.implementation_notes:
            raise UserError(self.env._("Describe what was done for %s.", self.name))

    def _after_implemented(self):
        self._close_action_activities(self.env._("Implemented"))
        # the check is planned for the end of the effectiveness window (ISO 9001 §10.2)
        self._schedule_for_department(
            self.verifying_department_id, self.env._("Verify corrective action %s", self.name),
            date_deadline=self.effectiveness_due_date)
        # the department's members may not write the slip: its stage follows from their step
        self.complaint_id._on_actions_implemented()

    def action_verify_effective(self):
        """The verifying department confirms that the action worked."""
        return self._qms_take("verify_effective")

    def _after_verify(self):
        self._close_action_activities(self.env._("Verified"))

    def action_verify_ineffective(self):
        """The result is not satisfactory: the responsible department reconsiders this action; the
        other actions and the answer already given stay as they are."""
        return self._qms_take("verify_ineffective")

    def _check_can_verify_ineffective(self, vals):
        self._check_slip_open(vals)
        if not self.verification_notes:
            raise UserError(self.env._("Say why %s was not effective.", self.name))

    def _after_verify_ineffective(self):
        self._close_action_activities(self.env._("Verified: not effective"))
        self._schedule_for_department(
            self.responsible_department_id, self.env._("Reconsider corrective action %s", self.name))

    def action_revise(self):
        """Reconsider an ineffective action: keep the attempt in the history and start revision n+1."""
        return self._qms_take("revise")

    def _prepare_revise_vals(self):
        # the attempt goes to the history (which no one else writes) before the action is reset
        self.env["qms.corrective.action.revision"].sudo().create(self._prepare_revision_vals())
        return {"revision": self.revision + 1, "implementation_notes": False, "verification_notes": False,
                # the evidence belongs to the attempt judged: the new attempt gathers its own
                "effectiveness_evidence": False, "effectiveness_attachment_ids": [Command.clear()]}

    def _after_revise(self):
        self._close_action_activities(self.env._("Revised"))
        self.message_post(body=self.env._(
            "Revision %s opened: the earlier attempt is kept in the history.", self.revision))

    def _check_slip_cancelled(self, vals):
        if self.complaint_id.state != "cancel":
            raise UserError(self.env._("%s is cancelled with its complaint slip only.", self.name))

    def _prepare_revision_vals(self):
        self.ensure_one()
        vals = {name: self[name].id if isinstance(self[name], models.BaseModel) else self[name]
                for name in ATTEMPT_FIELDS}
        vals.update(action_id=self.id, revision=self.revision, verification_result=self.verification_result)
        return vals

    # ==========================================================================================
    # ISO 9001 §10.2 (issue 14): the effectiveness window, its evidence, and recurrence.
    # ==========================================================================================
    @api.depends("implemented_date")
    def _compute_effectiveness_due_date(self):
        # the window is fixed when the action is implemented: changing the settings later does not
        # move the checks already planned (the settings are read, not depended on)
        for action in self:
            if not action.implemented_date:
                action.effectiveness_due_date = False
                continue
            days = action.company_id._qms_effectiveness_days(action.complaint_id.severity)
            action.effectiveness_due_date = action.implemented_date.date() + timedelta(days=days)

    @api.depends_context("tz")
    @api.depends("effectiveness_due_date", "state")
    def _compute_in_effectiveness_window(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.in_effectiveness_window = (action.state == "implemented" and bool(action.effectiveness_due_date)
                                              and today < action.effectiveness_due_date)

    @api.depends_context("uid", "tz")
    def _compute_can_steps(self):
        # the button shows when the step can be taken: not inside the window, nor after a recurrence
        super()._compute_can_steps()
        for action in self:
            if action.can_verify_effective and (action.in_effectiveness_window
                                                or action._recurred_since_implemented()):
                action.can_verify_effective = False

    def _recurred_since_implemented(self):
        """The problem came back on a later slip since this attempt was implemented."""
        self.ensure_one()
        return bool(self.recurred and self.recurred_date and self.implemented_date
                    and self.recurred_date >= self.implemented_date)

    def _check_can_verify_effective(self, vals):
        self._check_slip_open(vals)
        if self.in_effectiveness_window:
            raise UserError(self.env._(
                "%(action)s is in its effectiveness window until %(date)s: its effectiveness is judged after "
                "that date.", action=self.name, date=format_date(self.env, self.effectiveness_due_date)))
        if self._recurred_since_implemented():
            raise UserError(self.env._(
                "The problem of %(action)s recurred in %(slip)s after the action was implemented: it cannot be "
                "judged effective; judge it not effective and reconsider it.",
                action=self.name, slip=self.recurred_complaint_id.sudo().display_name))
        if not (self.effectiveness_evidence or "").strip():
            raise UserError(self.env._(
                "Record the evidence that %s removed the cause (data, samples, customer feedback) before "
                "judging it effective.", self.name))

    @api.model
    def default_get(self, fields):
        # a corrective action of a recurrence starts from the earlier action's analysis (the form)
        defaults = super().default_get(fields)
        complaint_id = defaults.get("complaint_id") or self.env.context.get("default_complaint_id")
        defaults.update({name: value for name, value in self._recurrence_analysis(complaint_id).items()
                         if name in fields and name not in defaults})
        return defaults

    def _add_missing_default_values(self, values):
        # ... and on every other path of create (/json/2, a one2many command from the slip)
        values = super()._add_missing_default_values(values)
        for name, value in self._recurrence_analysis(values.get("complaint_id")).items():
            values.setdefault(name, value)
        return values

    @api.model
    def _recurrence_analysis(self, complaint_id):
        """{field: value} of the analysis of the earlier action that the slip ``complaint_id`` repeats."""
        complaint = self.env["qms.complaint"].sudo().browse(complaint_id if isinstance(complaint_id, int) else None)
        earlier = complaint.exists().recurrence_action_id
        if not earlier:
            return {}
        return {name: earlier[name].id if isinstance(earlier[name], models.BaseModel) else earlier[name]
                for name in ANALYSIS_FIELDS if earlier[name]}

    def _flag_recurred(self, complaint):
        """The problem of these actions came back on ``complaint``: flag them (tracked) and give the
        management representative and the responsible department an activity each, once per person."""
        # an action already flagged since its (last) implementation is not flagged nor notified again
        actions = self.sudo().filtered(lambda action: not action._recurred_since_implemented())
        if not actions:
            return
        actions.write({"recurred": True, "recurred_date": fields.Datetime.now(), "recurred_complaint_id": complaint.id})
        mgmt_rep = complaint._accountable("qms_customer.group_qms_management_representative")
        for action in actions:
            users = mgmt_rep | action.responsible_department_id.manager_id.user_id
            summary = self.env._("%(action)s: the problem recurred in %(slip)s", action=action.name,
                                 slip=complaint.name)
            note = self.env._(
                "Complaint slip %(slip)s repeats %(earlier)s (same product and complaint category): review whether "
                "the corrective action removed the cause (clause 4.3.2).", slip=complaint.name,
                earlier=action.complaint_id.name)
            for user in users:
                action.activity_schedule("qms_customer.mail_activity_type_qms_action", summary=summary, note=note,
                                         user_id=user.id, date_deadline=fields.Date.context_today(action))


    # --- the owner's reminder before the due date (issue 14, item 1) -------------------------------
    @api.model
    def _cron_remind_due(self, today=None):
        """A to-do for the owner of each action being carried out, the company's days before its due
        date; once per due date (a new due date is reminded again), whatever the number of workers
        running it (the reminder is claimed in SQL). Returns the actions reminded."""
        today = today or fields.Date.context_today(self)
        Action = self.sudo()
        # the widest window of the companies first, each company's own window after
        horizon = max(Action.env["res.company"].search([]).mapped("qms_action_reminder_days") or [0])
        actions = Action.search([("state", "in", ("approved", "in_progress")), ("user_id", "!=", False),
                                 ("date_deadline", "<=", today + timedelta(days=horizon))])
        due = actions.filtered(
            lambda action: action.reminded_deadline != action.date_deadline
            and action.date_deadline - timedelta(days=action.company_id.qms_action_reminder_days) <= today)
        reminded = claim_reminders(due, "reminded_deadline", "date_deadline")
        for action in reminded:
            action.activity_schedule(
                "mail.mail_activity_data_todo", date_deadline=max(action.date_deadline, today),
                summary=self.env._("Corrective action %(action)s is due on %(date)s", action=action.name,
                                   date=format_date(self.env, action.date_deadline)),
                user_id=action.user_id.id)
        return reminded

    # --- clause 4.4.2: tell the customers who received the improved product (issue 15, item 6) ----
    notice_ids = fields.One2many("qms.improvement.notice", "action_id", string="Product Improvement Notices")
    notice_count = fields.Integer(string="Notices", compute="_compute_notice_count")
    can_notify_customers = fields.Boolean(compute="_compute_can_notify_customers")

    @api.depends("notice_ids")
    def _compute_notice_count(self):
        for action in self:
            action.notice_count = len(action.notice_ids)

    @api.depends_context("uid")
    @api.depends("state")
    def _compute_can_notify_customers(self):
        # Sales runs customer communication (3.2); Quality knows what the action changed
        may = self.env["qms.improvement.notice"].has_access("create")
        for action in self:
            action.can_notify_customers = may and action.state == "effective"

    def action_notify_customers(self):
        """Open the product improvement notice of this action: the one being prepared or sent, or a
        new one with the products of the slip's lines."""
        self.ensure_one()
        if self.state != "effective":
            raise UserError(self.env._(
                "%s has not been judged effective: customers are told of an improvement once it is verified.",
                self.name))
        Notice = self.env["qms.improvement.notice"]
        Notice.check_access("create")
        open_notice = Notice.search([("action_id", "=", self.id), ("state", "!=", "sent")], limit=1)
        action = {"type": "ir.actions.act_window", "res_model": "qms.improvement.notice", "view_mode": "form",
                  "name": self.env._("Notify Affected Customers")}
        if open_notice:
            return {**action, "res_id": open_notice.id}
        return {**action, "context": {"default_action_id": self.id}}

    def action_view_notices(self):
        self.ensure_one()
        name = self.env._("Product Improvement Notices")
        domain = [("action_id", "=", self.id)]
        return {"type": "ir.actions.act_window", "res_model": "qms.improvement.notice", "view_mode": "list,form",
                "name": name, "domain": domain, "context": {"default_action_id": self.id}}
