from typing import NamedTuple

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class Step(NamedTuple):
    """One step of a document of the procedure, as its transition table declares it.

    A step is recognised in ``write``: by the state it leads to (``target``), or, for a step that
    leaves the state as it is (a signature, an override), by its stamp's user field. The rule lives
    on the step, not on who calls ``write``: a button, the web client, ``/json/2``, an import or a
    one2many command from a parent all meet the same checks and get the same stamps.
    """

    source: tuple
    """States the step starts from (of the document, or of its parent: ``_qms_step_state``)."""
    target: str | None
    """State it leads to; None for a step that keeps the state."""
    group: str | tuple | None = None
    """XML id of the role that takes the step (or a tuple: any of them); None: whoever may write
    the document."""
    department: str | None = None
    """Field naming the department whose members take the step (Quality and the Management
    Representative may record it for them)."""
    stamp: tuple = ()
    """(user field, date field) written from the server: the current user and the server clock."""
    fields: tuple = ()
    """Step-only fields that may be written together with this step, and only with it."""
    values: dict = {}
    """Values the step writes itself (e.g. the responsibility decided by the step)."""
    clears: tuple = ()
    """Step-only fields the step empties (sending a slip back empties its submission stamp)."""
    check: str | None = None
    """Method ``check(vals)`` raising a UserError when a precondition fails."""
    prepare: str | None = None
    """Method ``prepare()`` returning the values the step computes itself (a revision number)."""
    then: str | None = None
    """Method called after the write: activities, notifications."""


class Gate(NamedTuple):
    """A part of a document that belongs to a role while the document stands at given states."""

    states: tuple
    """States (of the document, or of its parent: ``_qms_step_state``) in which it is written."""
    fields: tuple
    """The fields of that part."""
    group: str | tuple | None = None
    """The role (or roles) that writes it; None: whoever may write the document."""
    department: str | None = None
    """Field naming the department whose members write it (with its delegates)."""


# Groups that may record a department's step for it (clause 4.3.2: Quality organises the
# departments, the management representative verifies the service).
DEPARTMENT_STEP_DELEGATES = ("qms_customer.group_qms_quality", "qms_customer.group_qms_management_representative")


class QmsWorkflowMixin(models.AbstractModel):
    """The procedure's transition table, enforced on every path.

    A document declares ``_qms_steps`` (name → :class:`Step`). From that table alone:
    - ``write`` refuses a state change that is no step, a step taken by the wrong role or at the
      wrong stage, and any stamp or step-only field written outside its step; it stamps who and
      when from the server;
    - ``create`` refuses them too (a document starts at its first state, unstamped);
    - ``can_<step>`` fields (declared by the document, computed here) drive the buttons;
    - a constraint checks that each state carries the stamps of the steps that lead to it, for
      every user, the administrator included;
    - ``_qms_fixed_fields`` (a child's link to its parent, a numbered slip's company) never change
      after creation, for anyone.
    Only the system user (XML data, migrations) writes outside the table; constraints still apply.
    """

    _name = "qms.workflow.mixin"
    _description = "Procedure Steps"

    _qms_steps = {}
    _qms_gates = {}
    _qms_fixed_fields = ()
    _qms_server_fields = ()  # written by the server only (a step's prepare, the portal intake in sudo)
    # a part of another document (a slip's line or cost, a visit's visitor) names it here: its steps
    # and gates are read against the state of that document
    _qms_parent_field = None

    def _state_label(self):
        self.ensure_one()
        return self._qms_state_labels()[self.state]

    # --- what the table says ------------------------------------------------------------------
    @api.model
    def _qms_step_only_fields(self):
        names = {"state"} if "state" in self._fields and self._qms_has_own_state() else set()
        for step in self._qms_steps.values():
            names.update(step.stamp, step.fields, step.values, step.clears)
        names.update(self._qms_server_fields)
        return names

    @api.model
    def _qms_has_own_state(self):
        return any(step.target for step in self._qms_steps.values())

    def _qms_step_state(self):
        """The state the steps' sources are read against: the document's own, or its parent's."""
        self.ensure_one()
        return self[self._qms_parent_field].state if self._qms_parent_field else self.state

    @api.model
    def _qms_required_stamps(self):
        """{state: {date fields}}: the stamps that every way into a state has written and not cleared."""
        steps = [step for step in self._qms_steps.values() if step.target]
        initial = self._fields["state"].default(self)
        required = {}
        for stamp in {step.stamp[1] for step in steps if step.stamp}:
            # walk the table remembering whether the stamp is held: a state reached without it
            # does not require it
            seen, todo = set(), [(initial, False)]
            while todo:
                state, held = todo.pop()
                if (state, held) not in seen:
                    seen.add((state, held))
                    todo.extend((step.target, self._qms_holds(step, stamp, held))
                                for step in steps if state in step.source)
            for state, _held in seen:
                if (state, False) not in seen:
                    required.setdefault(state, set()).add(stamp)
        return required

    @staticmethod
    def _qms_holds(step, stamp, held):
        if stamp in step.clears:
            return False
        return held or stamp in step.stamp

    # --- who may take a step --------------------------------------------------------------------
    def _qms_stage_refusal(self, name):
        """Why step ``name`` cannot be taken at this record's stage, or False."""
        self.ensure_one()
        step = self._qms_steps[name]
        state = self._qms_step_state()
        if state in step.source:
            return False
        labels = self._qms_state_labels()
        return self.env._(
            "%(record)s is at the stage \"%(state)s\"; this step needs it at \"%(expected)s\".",
            record=self.display_name, state=labels.get(state, state),
            expected=" / ".join(labels.get(s, s) for s in step.source))

    def _qms_lacks_role(self, group, department):
        """Why the current user lacks a role (a group, or membership of the department named by a
        field of each record), or False. The system user (data, crons) holds every role."""
        env = self.env
        if env.uid == SUPERUSER_ID:
            return False
        user = env.user
        groups = (group,) if isinstance(group, str) else group or ()
        if groups and not any(user.has_group(g) for g in groups):
            return env._("This is for the role \"%s\" only.", " / ".join(env.ref(g).sudo().name for g in groups))
        if department and not any(user.has_group(g) for g in DEPARTMENT_STEP_DELEGATES):
            mine = user.sudo().employee_ids.department_id
            for record in self:
                if record.sudo()[department] not in mine:
                    return env._("Only members of the %(department)s department can do this (%(record)s).",
                                 department=record.sudo()[department].name or "?", record=record.display_name)
        return False

    def _qms_role_refusal(self, name):
        """Why the current user does not hold the role of step ``name`` on this record, or False.
        Checked on the real user also under sudo(); the system user (data, crons) holds every role."""
        self.ensure_one()
        step = self._qms_steps[name]
        return self._qms_lacks_role(step.group, step.department)

    def _qms_ensure_can(self, name):
        """Raise why step ``name`` cannot be taken here: at the wrong stage (UserError) or by the
        wrong role (AccessError). What a button checks before it opens a wizard."""
        for record in self:
            reason = record._qms_stage_refusal(name)
            if reason:
                raise UserError(reason)
            reason = record._qms_role_refusal(name)
            if reason:
                raise AccessError(reason)

    def _qms_check_step(self, name, vals):
        """Raise why the current user cannot take step ``name`` with ``vals`` on this record."""
        self._qms_ensure_can(name)
        check = self._qms_steps[name].check
        if check:
            getattr(self, check)(vals)

    def _qms_state_labels(self):
        if self._qms_parent_field:
            return self.env[self._fields[self._qms_parent_field].comodel_name]._qms_state_labels()
        return dict(self._fields["state"]._description_selection(self.env)) if "state" in self._fields else {}

    @api.depends_context("uid")
    def _compute_can_steps(self):
        names = [name for name in self._qms_steps if f"can_{name}" in self._fields]
        for record in self:
            for name in names:
                record[f"can_{name}"] = not (record._qms_stage_refusal(name) or record._qms_role_refusal(name))

    # --- who may write which part, when ---------------------------------------------------------
    def _qms_closed_reason(self):
        """Why this record is closed to every edit of its parts (a closed slip), or False."""
        return False

    def _qms_gate_refusal(self, gate):
        """("stage" or "role", why) when the current user may not write part ``gate`` now, or False."""
        part = self._qms_gates[gate]
        for record in self:
            closed = record._qms_closed_reason()
            if closed:
                return "stage", closed
            state = record._qms_step_state()
            if state not in part.states:
                return "stage", self.env._("%(record)s is at the stage \"%(state)s\".", record=record.display_name,
                                           state=record._qms_state_labels().get(state, state))
        reason = self._qms_lacks_role(part.group, part.department)
        return reason and ("role", reason)

    def _qms_check_gate_fields(self, vals):
        """Refuse fields of a part written by another role, or while the record stands elsewhere."""
        if self._qms_loading_data():
            return
        for gate, part in self._qms_gates.items():
            changed = set(part.fields) & set(vals)
            reason = changed and self._qms_gate_refusal(gate)
            if reason:
                field = self._fields[sorted(changed)[0]]._description_string(self.env)
                if reason[0] == "role":
                    raise AccessError(self.env._(
                        "%(reason)s The field \"%(field)s\" is not yours to change.", reason=reason[1], field=field))
                raise UserError(self.env._(
                    "%(reason)s The field \"%(field)s\" can no longer be changed.", reason=reason[1], field=field))

    @api.depends_context("uid")
    def _compute_can_edit_gates(self):
        for record in self:
            for gate in self._qms_gates:
                record[f"can_edit_{gate}"] = not record._qms_gate_refusal(gate)

    # --- taking a step ------------------------------------------------------------------------
    def _qms_take(self, name, **vals):
        """Take step ``name`` on every record (what a button does): ``write`` checks and stamps."""
        step = self._qms_steps[name]
        if step.target:
            vals["state"] = step.target
        else:
            vals[step.stamp[0]] = self.env.uid
        for record in self:
            # the button's own step first, so that its refusal names it; write() checks it all again
            record._qms_ensure_can(name)
            record.write(dict(vals))  # one step per record: each is checked against its own state
        return True

    def _qms_find_step(self, vals):
        """The step that ``vals`` takes on this record, or None when it takes none."""
        self.ensure_one()
        if "state" in vals and self._qms_has_own_state():
            if vals["state"] == self.state:
                return None
            names = [name for name, step in self._qms_steps.items()
                     if step.target == vals["state"] and self.state in step.source]
            if not names:
                labels = self._qms_state_labels()
                raise UserError(self.env._(
                    "%(record)s cannot go from \"%(state)s\" to \"%(target)s\": no step of the procedure does that.",
                    record=self.display_name, state=labels.get(self.state, self.state),
                    target=labels.get(vals["state"], vals["state"])))
            return names[0]  # a (source, target) pair names one step
        for name, step in self._qms_steps.items():
            if not step.target and step.stamp and step.stamp[0] in vals:
                return name
        return None

    def _qms_prepare_step_vals(self, name, vals):
        step = self._qms_steps[name]
        prepared = dict(vals)
        prepared.update(dict.fromkeys(step.clears, False))
        prepared.update(step.values)
        if step.prepare:
            prepared.update(getattr(self, step.prepare)())
        if step.stamp:
            prepared.update({step.stamp[0]: self.env.uid, step.stamp[1]: fields.Datetime.now()})
        return prepared

    def _qms_check_step_vals(self, vals):
        """Split a write into per-record steps; refuse step-only fields written outside a step."""
        protected = self._qms_step_only_fields() & set(vals)
        if self.env.su:  # what the server computes (figures, frozen files) is written in sudo
            protected -= set(self._qms_server_fields)
        plan = []
        for record in self:
            name = record._qms_find_step(vals) if protected else None
            if name is None:
                if protected:
                    field = self._fields[sorted(protected)[0]]
                    raise UserError(self.env._(
                        "\"%(field)s\" of %(record)s is written by the steps of the procedure only.",
                        field=field._description_string(self.env), record=record.display_name))
                plan.append((record, None, vals))
                continue
            step = self._qms_steps[name]
            stray = protected - {"state", *(step.stamp[:1] if not step.target else ()), *step.fields}
            if stray:
                field = self._fields[sorted(stray)[0]]
                raise UserError(self.env._(
                    "\"%(field)s\" of %(record)s is written by the steps of the procedure only.",
                    field=field._description_string(self.env), record=record.display_name))
            record._qms_check_step(name, vals)
            plan.append((record, name, record._qms_prepare_step_vals(name, vals)))
        return plan

    @api.model_create_multi
    def create(self, vals_list):
        self._qms_check_create_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        """Each record's write is checked against the table: a write that takes a step is stamped
        and followed by the step's follow-up; writes that take none go through in one batch."""
        if self._qms_loading_data():
            return super().write(vals)
        self._qms_check_fixed_fields(vals)
        if self.env.uid != SUPERUSER_ID:
            self._qms_check_derived_fields(vals)
            self._qms_check_company(vals)
        self._qms_check_gate_fields(vals)
        plan = self._qms_check_step_vals(vals)
        plain = self.browse([record.id for record, name, _vals in plan if name is None])
        if plain:
            super(QmsWorkflowMixin, plain).write(vals)
        for record, name, step_vals in plan:
            if name is not None:
                super(QmsWorkflowMixin, record).write(step_vals)
                if self._qms_steps[name].then:
                    getattr(record, self._qms_steps[name].then)()
        return True

    def _qms_loading_data(self):
        # XML and CSV data files (demo included) are loaded by the system user with this key; no
        # client can be the system user, so no client can switch the table off
        return self.env.uid == SUPERUSER_ID and self.env.context.get("install_mode")

    def _qms_check_create_vals(self, vals_list):
        """A document starts at its first state, unstamped, under a company of the creator."""
        if self.env.uid == SUPERUSER_ID:
            return  # the system: data files, tests' fixtures; the stamp constraint still applies
        protected = self._qms_step_only_fields()
        initial = self._fields["state"].default(self) if "state" in self._fields else None
        for vals in vals_list:
            self._qms_check_derived_fields(vals)
            self._qms_check_create_gates(vals)
            sent = protected & {name for name, value in vals.items() if value}
            if "state" in sent and vals["state"] == initial:
                sent.discard("state")
            if sent and not self.env.su:
                field = self._fields[sorted(sent)[0]]
                raise UserError(self.env._(
                    "\"%(field)s\" of a new %(model)s is written by the steps of the procedure only.",
                    field=field._description_string(self.env), model=self._description))
            self._qms_check_company(vals)

    def _qms_check_derived_fields(self, vals):
        """Stored fields that Odoo computes (a related customer, the departments the read rule
        searches) are the server's: a client that wrote them would open records to others."""
        if self.env.su:
            return
        for name in vals:
            field = self._fields.get(name)
            if field and field.store and (field.compute or field.related) and field.readonly and not field.inverse:
                raise UserError(self.env._(
                    "\"%(field)s\" of %(model)s is computed and cannot be written.",
                    field=field._description_string(self.env), model=self._description))

    def _qms_create_step_state(self, vals):
        """The state a new record's gates are read against: its first state, or its parent's."""
        if self._qms_parent_field:
            parent = self._fields[self._qms_parent_field].comodel_name
            return self.env[parent].browse(vals.get(self._qms_parent_field)).state
        return self._fields["state"].default(self) if "state" in self._fields else None

    def _qms_check_create_gates(self, vals):
        """A new record carries only the parts written at its first state, by their roles: another
        role's part (a disposition, a verification) is written at its own gate, not on create or
        copy."""
        state = self._qms_create_step_state(vals)
        for part in self._qms_gates.values():
            given = [name for name in part.fields if vals.get(name)]
            if not given:
                continue
            field = self._fields[given[0]]._description_string(self.env)
            if state not in part.states:
                raise UserError(self.env._(
                    "\"%(field)s\" is written later in the procedure, not when a %(model)s is created.",
                    field=field, model=self._description))
            reason = self._qms_lacks_role(part.group, None)
            if reason:
                raise AccessError(self.env._(
                    "%(reason)s The field \"%(field)s\" is not yours to write.", reason=reason, field=field))

    def _qms_check_company(self, vals):
        if "company_id" not in vals or self.env.su or self.env.uid == SUPERUSER_ID:
            return
        if vals["company_id"] and vals["company_id"] not in self.env.user.company_ids.ids:
            raise AccessError(self.env._(
                "You cannot put a %(model)s in a company you do not belong to.", model=self._description))

    def _qms_check_fixed_fields(self, vals):
        """A child stays with the parent it was created under, a slip in the company that numbered
        it: for anyone, the system included (a one2many "link" command from another parent lands here)."""
        for name in set(self._qms_fixed_fields) & set(vals):
            field = self._fields[name]
            value = vals[name]
            value = value.id if isinstance(value, models.BaseModel) else value
            for record in self:
                current = field.convert_to_write(record[name], record)
                if (current or False) != (value or False):
                    raise UserError(self.env._(
                        "\"%(field)s\" of %(record)s is fixed once it is created and cannot be changed.",
                        record=record.display_name, field=field._description_string(self.env)))

    @api.model
    def _qms_check_required_stamps(self, records):
        """The invariant a constraint checks on every write: a state carries its gates' stamps."""
        required = self._qms_required_stamps()
        for record in records:
            missing = [name for name in sorted(required.get(record.state, ())) if not record[name]]
            if missing:
                raise ValidationError(self.env._(
                    "%(record)s is at \"%(state)s\" without \"%(stamp)s\": a stage is reached by its step only.",
                    record=record.display_name, state=record._qms_state_labels().get(record.state),
                    stamp=self._fields[missing[0]]._description_string(self.env)))
