from odoo import fields, models
from odoo.exceptions import UserError


class QmsWorkflowMixin(models.AbstractModel):
    """What every document of the procedure does at each step: refuse a step taken at the wrong
    stage, and stamp who took it and when."""

    _name = "qms.workflow.mixin"
    _description = "Procedure Step Helpers"

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _ensure_state(self, *states):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for record in self:
            if record.state not in states:
                raise UserError(self.env._(
                    "%(slip)s is at the stage \"%(state)s\"; this step needs it at \"%(expected)s\".",
                    slip=record.display_name, state=labels[record.state],
                    expected=" / ".join(labels[s] for s in states)))

    def _stamp(self, user_field, date_field):
        return {user_field: self.env.uid, date_field: fields.Datetime.now()}
