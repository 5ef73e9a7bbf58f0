from odoo import fields, models


class QmsCorrectiveActionRevision(models.Model):
    """An earlier attempt of a corrective action that proved not effective, kept for auditors."""

    _name = "qms.corrective.action.revision"
    _description = "Corrective Action Earlier Attempt"
    _order = "action_id, revision desc"

    action_id = fields.Many2one("qms.corrective.action", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="action_id.company_id", store=True)
    revision = fields.Integer(required=True)
    description = fields.Text(string="Corrective Action")
    root_cause = fields.Text()
    implementation_notes = fields.Text()
    verification_result = fields.Selection(
        [("effective", "Effective"), ("ineffective", "Not Effective")])
    verification_notes = fields.Text()
    date_deadline = fields.Date(string="Due Date")
    approved_by_id = fields.Many2one("res.users")
    approved_date = fields.Datetime()
    implemented_by_id = fields.Many2one("res.users")
    implemented_date = fields.Datetime()
    verified_by_id = fields.Many2one("res.users")
    verified_date = fields.Datetime()
