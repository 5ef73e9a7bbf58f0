from odoo import fields, models


class QmsRemedyOverride(models.TransientModel):
    """Quality grants a remedy outside the days of the three guarantees, and says why."""

    _name = "qms.remedy.override"
    _description = "Grant a Remedy Outside the Three Guarantees"

    line_id = fields.Many2one("qms.complaint.line", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.line_id.write({"remedy_override_reason": self.reason})
        self.line_id.action_override_window()
        return {"type": "ir.actions.act_window_close"}
