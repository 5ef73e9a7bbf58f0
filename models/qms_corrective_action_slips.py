from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .qms_complaint import CLOSED_STATES

# the slip's server fields as the inherits loaded before this one left them (the recurrence's)
from .qms_complaint_recurrence import QmsComplaint as QmsComplaintBefore

# the relation table of "an action serves several slips" (issue 14, item 1)
SERVED_SLIPS_TABLE = "qms_corrective_action_complaint_rel"


class QmsCorrectiveAction(models.Model):
    """Issue 14, item 1: one corrective action can remove the cause of several slips (the same
    cause found on other complaints, of the same customer or not). The action stays the action of
    its own slip (numbered, approved and verified there); the other slips it serves count it: they
    show it, their closing waits for its verification, their 8D lists it (D5/D6).

    The other slips are part of the action's definition (``GATES["definition"]`` in
    qms_corrective_action.py): the responsible department (or Quality, the Management
    Representative) adds them while the action is a draft. A slip is added only by who may read it
    (the ORM checks the read access of the records a many2many write adds), only while it is open,
    and only of the action's company (``check_company``)."""

    _inherit = "qms.corrective.action"

    other_complaint_ids = fields.Many2many(
        "qms.complaint", SERVED_SLIPS_TABLE, "action_id", "complaint_id", string="Also Serves",
        copy=False, check_company=True,
        domain=f"[('id', '!=', complaint_id), ('state', 'not in', {list(CLOSED_STATES)})]",
        help="Other complaint slips whose cause this action removes: they list it and wait for its "
             "verification before closing.")

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        for action in actions:
            action._qms_check_served_slips(action.sudo().other_complaint_ids)
        return actions

    def write(self, vals):
        if "other_complaint_ids" not in vals:
            return super().write(vals)
        before = {action.id: action.sudo().other_complaint_ids for action in self}
        result = super().write(vals)
        for action in self:
            action._qms_check_served_slips(action.sudo().other_complaint_ids - before[action.id])
        return result

    def _qms_check_served_slips(self, added):
        """Refuse the slips just added to this action: its own slip, a closed or cancelled slip. (A slip
        the user may not read is refused by the ORM itself: a many2many write checks the read access
        of the records it adds, odoo/orm/fields_relational.py.)"""
        self.ensure_one()
        if not added:
            return
        if self.complaint_id in added:
            raise ValidationError(self.env._("%s already serves its own complaint slip.", self.name))
        closed = added.filtered(lambda slip: slip.state in CLOSED_STATES)
        if closed:
            raise UserError(self.env._(
                "%(action)s cannot serve %(slips)s: a closed or cancelled complaint slip is evidence.",
                action=self.name, slips=", ".join(closed.mapped("name"))))


class QmsComplaint(models.Model):
    """The slip side of issue 14, item 1: the actions of other slips that serve this one."""

    _inherit = "qms.complaint"
    # linked from the action (its definition gate), never from the slip
    _qms_server_fields = (*QmsComplaintBefore._qms_server_fields, "served_action_ids")

    served_action_ids = fields.Many2many(
        "qms.corrective.action", SERVED_SLIPS_TABLE, "complaint_id", "action_id",
        string="Served by Actions of Other Slips", readonly=True, copy=False,
        help="Corrective actions defined on other complaint slips that also remove the cause of this one.")

    def _qms_all_actions(self):
        """This slip's corrective actions and those of other slips that serve it."""
        return self.corrective_action_ids | self.served_action_ids

    @api.depends("corrective_action_ids", "served_action_ids")
    def _compute_corrective_action_count(self):
        counts = dict(self.env["qms.corrective.action"]._read_group(
            [("complaint_id", "in", self.ids)], ["complaint_id"], ["__count"]))
        served = dict(self.env["qms.corrective.action"]._read_group(
            [("other_complaint_ids", "in", self.ids)], ["other_complaint_ids"], ["__count"]))
        for complaint in self:
            complaint.corrective_action_count = counts.get(complaint._origin, 0) + served.get(complaint._origin, 0)

    @api.readonly
    def action_view_corrective_actions(self):
        action = super().action_view_corrective_actions()
        action["domain"] = ["|", ("complaint_id", "=", self.id), ("other_complaint_ids", "in", self.id)]
        return action

    def _check_can_close(self, vals):
        super()._check_can_close(vals)
        open_actions = self.sudo().served_action_ids.filtered(lambda a: a.state not in ("effective", "cancel"))
        if open_actions:
            raise UserError(self.env._(
                "%(slip)s cannot be closed: corrective actions %(actions)s that serve it are not verified as "
                "effective.", slip=self.name, actions=", ".join(open_actions.mapped("name"))))

    @api.constrains("state")
    def _check_closed_served_actions_effective(self):
        for complaint in self.filtered(lambda c: c.state == "done"):
            if complaint.sudo().served_action_ids.filtered(lambda a: a.state not in ("effective", "cancel")):
                raise ValidationError(self.env._(
                    "%s is closed with corrective actions that serve it not verified effective.", complaint.name))
