from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qms_portal_share_actions = fields.Boolean(related="company_id.qms_portal_share_actions", readonly=False)
    qms_complaint_alias_name = fields.Char(
        string="Complaints Alias", compute="_compute_qms_complaint_alias_name",
        inverse="_inverse_qms_complaint_alias_name", readonly=False)
    qms_complaint_alias_domain = fields.Char(
        related="company_id.alias_domain_id.name", string="Complaints Alias Domain")

    @api.depends("company_id.qms_complaint_alias_id.alias_name")
    def _compute_qms_complaint_alias_name(self):
        for settings in self:
            settings.qms_complaint_alias_name = settings.company_id.qms_complaint_alias_id.alias_name

    def _inverse_qms_complaint_alias_name(self):
        for settings in self:
            company = settings.company_id.sudo()
            if not company.qms_complaint_alias_id:
                company._qms_ensure_complaint_alias()
            if company.qms_complaint_alias_id.alias_name != settings.qms_complaint_alias_name:
                company.qms_complaint_alias_id.alias_name = settings.qms_complaint_alias_name
