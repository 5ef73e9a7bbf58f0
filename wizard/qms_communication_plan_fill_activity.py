from odoo import fields, models

from ..models.qms_communication_plan_line import METHODS, MONTHS


class QmsCommunicationPlanFillActivity(models.TransientModel):
    """One method and month the wizard plans with every customer."""

    _name = "qms.communication.plan.fill.activity"
    _description = "Activity to Plan with Each Customer"

    wizard_id = fields.Many2one("qms.communication.plan.fill", required=True, ondelete="cascade")
    method = fields.Selection(METHODS, required=True, default="visit_phone")
    month = fields.Selection(MONTHS, string="Planned Month", required=True, default="3")
