from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .qms_input_guard import check_input, workflow_step

# Fields that describe one attempt: copied into the history when an attempt proves ineffective.
ATTEMPT_FIELDS = (
    "description", "root_cause", "implementation_notes", "verification_notes",
    "approved_by_id", "approved_date", "implemented_by_id", "implemented_date",
    "verified_by_id", "verified_date", "date_deadline",
)


class QmsCorrectiveAction(models.Model):
    """Corrective action — 纠正措施 (clause 4.3.2): defined by the responsible department,
    approved by the management representative, carried out by the implementing department and
    verified by the verifying department."""

    _name = "qms.corrective.action"
    _description = "Corrective Action"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.workflow.mixin"]
    _order = "date_deadline, id"
    _check_company_auto = True
    # set by the steps only (workflow_step); refused from any other write by check_input
    _qms_workflow_fields = (
        "name", "state", "approved_by_id", "approved_date", "implemented_by_id", "implemented_date",
        "verified_by_id", "verified_date", "verification_result", "revision",
    )

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
    root_cause = fields.Text(tracking=True)
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
    implementation_notes = fields.Text()
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

    @api.model
    def _default_responsible_department(self):
        complaint = self.env["qms.complaint"].browse(self.env.context.get("default_complaint_id"))
        return complaint.exists().responsible_department_id

    @api.constrains("responsible_department_id", "implementing_department_id", "verifying_department_id")
    def _check_departments(self):
        for action in self:
            if not (action.responsible_department_id and action.implementing_department_id
                    and action.verifying_department_id):
                raise ValidationError(self.env._(
                    "A corrective action needs its responsible, implementing and verifying departments."))

    @api.model_create_multi
    def create(self, vals_list):
        check_input(self, vals_list, creating=True)
        for vals in vals_list:
            complaint = self.env["qms.complaint"].browse(vals.get("complaint_id"))
            if complaint.state != "action":
                raise UserError(self.env._(
                    "Corrective actions are defined when the Quality department has found the company "
                    "responsible (%s is not at that stage).", complaint.name or ""))
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().with_company(complaint.company_id).next_by_code(
                    "qms.corrective.action") or "/"
        return super().create(vals_list)

    def write(self, vals):
        check_input(self, [vals])
        # once approved, what was approved stays as approved; notes remain editable
        frozen = {"description", "root_cause", "responsible_department_id", "implementing_department_id",
                  "verifying_department_id", "complaint_id"} & set(vals)
        if frozen and any(action.state != "draft" for action in self):
            raise UserError(self.env._(
                "An approved corrective action cannot be changed; "
                "if it does not work it is revised after verification."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(action.state != "draft" or action.revision > 1 for action in self):
            raise UserError(self.env._("Only a corrective action that was never approved can be deleted."))

    # --- roles ---------------------------------------------------------------------------------
    def _ensure_member(self, department_field, role_name):
        """The step belongs to a department: its members, the Quality department or the management
        representative may record it."""
        if self.env.is_superuser() or self.env.user.has_group("qms_customer.group_qms_quality") \
                or self.env.user.has_group("qms_customer.group_qms_management_representative"):
            return
        mine = self.env.user.employee_ids.department_id
        for action in self:
            if action[department_field] not in mine:
                raise AccessError(self.env._(
                    "Only members of the %(role)s (%(department)s) can record this step of %(action)s.",
                    role=role_name, department=action[department_field].name, action=action.name))

    def _schedule_for_department(self, department, summary):
        users = department.manager_id.user_id or self.user_id
        for user in users:
            self.activity_schedule(
                "qms_customer.mail_activity_type_qms_action", date_deadline=self.date_deadline,
                summary=summary, user_id=user.id)

    # ==========================================================================================
    # Clause 4.3.2: approve → carry out → verify; not effective → reconsider (a new revision).
    # ==========================================================================================
    @workflow_step
    def action_approve(self):
        """The management representative approves; the action is distributed to the implementing
        and verifying departments."""
        if not self.env.is_superuser() and not self.env.user.has_group(
                "qms_customer.group_qms_management_representative"):
            raise AccessError(self.env._("Only the Management Representative can approve corrective actions."))
        self._ensure_state("draft")
        for action in self:
            if action.complaint_id.state != "action":
                raise UserError(self.env._("%s is not waiting for corrective actions.", action.complaint_id.name))
            action.write(dict(action._stamp("approved_by_id", "approved_date"), state="approved"))
            action._schedule_for_department(
                action.implementing_department_id, self.env._("Carry out corrective action %s", action.name))
            action._schedule_for_department(
                action.verifying_department_id, self.env._("Verify corrective action %s", action.name))
        return True

    @workflow_step
    def action_start(self):
        """The implementing department starts the work."""
        self._ensure_member("implementing_department_id", self.env._("implementing department"))
        self._ensure_state("approved")
        self.write({"state": "in_progress"})
        return True

    @workflow_step
    def action_implemented(self):
        """The implementing department reports the action carried out."""
        self._ensure_member("implementing_department_id", self.env._("implementing department"))
        self._ensure_state("approved", "in_progress")
        for action in self:
            if not action.implementation_notes:
                raise UserError(self.env._("Describe what was done for %s.", action.name))
            action.write(dict(action._stamp("implemented_by_id", "implemented_date"), state="implemented"))
            action.activity_feedback(
                ["qms_customer.mail_activity_type_qms_action"],
                user_id=action.implementing_department_id.manager_id.user_id.id or None,
                feedback=self.env._("Implemented"))
        # the department's members may not write the slip: its stage follows from their step
        self.complaint_id.sudo()._on_actions_implemented()
        return True

    def _verify(self, result):
        self._ensure_member("verifying_department_id", self.env._("verifying department"))
        self._ensure_state("implemented")
        for action in self:
            if action.complaint_id.state != "verification":
                raise UserError(self.env._(
                    "%s is verified once the customer has been answered.", action.complaint_id.name))
            if result == "ineffective" and not action.verification_notes:
                raise UserError(self.env._("Say why %s was not effective.", action.name))
            action.write(dict(action._stamp("verified_by_id", "verified_date"),
                              state=result, verification_result=result))
        self.activity_feedback(["qms_customer.mail_activity_type_qms_action"], feedback=self.env._("Verified"))

    @workflow_step
    def action_verify_effective(self):
        """The verifying department confirms that the action worked."""
        self._verify("effective")
        return True

    @workflow_step
    def action_verify_ineffective(self):
        """The result is not satisfactory: the slip goes back to corrective action."""
        self._verify("ineffective")
        self.complaint_id.sudo()._on_action_ineffective()
        for action in self:
            action._schedule_for_department(
                action.responsible_department_id, self.env._("Reconsider corrective action %s", action.name))
        return True

    @workflow_step
    def action_revise(self):
        """Reconsider an ineffective action: keep the attempt in the history and start revision n+1."""
        self._ensure_member("responsible_department_id", self.env._("responsible department"))
        self._ensure_state("ineffective")
        for action in self:
            self.env["qms.corrective.action.revision"].sudo().create(action._prepare_revision_vals())
            reset = dict.fromkeys(ATTEMPT_FIELDS[2:], False)
            reset.pop("date_deadline")
            reset.update(state="draft", verification_result=False, revision=action.revision + 1)
            action.write(reset)
            action.message_post(body=self.env._("Revision %s opened: the earlier attempt is kept in the history.",
                                                action.revision))
        return True

    def _prepare_revision_vals(self):
        self.ensure_one()
        vals = {name: self[name].id if isinstance(self[name], models.BaseModel) else self[name]
                for name in ATTEMPT_FIELDS}
        vals.update(action_id=self.id, revision=self.revision, verification_result=self.verification_result)
        return vals

    def _get_report_summary(self):
        """Plain values for the printed slip and the corrective action report."""
        self.ensure_one()
        labels = dict(self._fields["state"]._description_selection(self.env))

        def when(date):
            return fields.Datetime.context_timestamp(self, date).strftime("%Y-%m-%d") if date else ""

        return {
            "name": self.name,
            "state": labels[self.state],
            "revision": self.revision,
            "description": self.description or "",
            "root_cause": self.root_cause or "",
            "responsible": self.responsible_department_id.name or "",
            "implementing": self.implementing_department_id.name or "",
            "verifying": self.verifying_department_id.name or "",
            "owner": self.user_id.name or "",
            "deadline": (self.date_deadline and fields.Date.to_string(self.date_deadline)) or "",
            "implementation_notes": self.implementation_notes or "",
            "verification_notes": self.verification_notes or "",
            "approved": {"name": self.approved_by_id.name or "", "date": when(self.approved_date)},
            "implemented": {"name": self.implemented_by_id.name or "", "date": when(self.implemented_date)},
            "verified": {"name": self.verified_by_id.name or "", "date": when(self.verified_date)},
            "history": [{
                "revision": rev.revision,
                "description": rev.description or "",
                "verification_notes": rev.verification_notes or "",
                "verified": when(rev.verified_date),
            } for rev in self.revision_ids],
        }

    def _get_report_values(self):
        """Values for the corrective action report."""
        self.ensure_one()
        return dict(self._get_report_summary(),
                    header=self.company_id._qms_document_header("corrective_action"),
                    complaint=self.complaint_id.name, customer=self.partner_id.display_name)

    # --- a closed slip's corrective actions are evidence (issue #11.3) ---------------------------
    @api.constrains("description", "root_cause", "responsible_department_id", "implementing_department_id",
                    "verifying_department_id", "user_id", "date_deadline", "implementation_notes",
                    "verification_notes", "complaint_id")
    def _check_closed_slip_evidence(self):
        """Once the slip is closed or cancelled, what was done and verified stays as recorded, whoever
        writes (the administrator included); new messages on the action still go through."""
        for action in self:
            if action.complaint_id.state in ("done", "cancel"):
                raise ValidationError(self.env._(
                    "%(action)s belongs to %(slip)s, which is closed: its corrective actions are evidence "
                    "and can no longer be changed.", action=action.name, slip=action.complaint_id.name))
