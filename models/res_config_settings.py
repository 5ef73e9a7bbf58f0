from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qms_complaint_doc_code = fields.Char(related="company_id.qms_complaint_doc_code", readonly=False)
    qms_action_doc_code = fields.Char(related="company_id.qms_action_doc_code", readonly=False)
    qms_doc_edition = fields.Char(related="company_id.qms_doc_edition", readonly=False)
    qms_doc_revision = fields.Char(related="company_id.qms_doc_revision", readonly=False)
    qms_complaint_close_days = fields.Integer(related="company_id.qms_complaint_close_days", readonly=False)
    qms_effectiveness_days_minor = fields.Integer(related="company_id.qms_effectiveness_days_minor", readonly=False)
    qms_effectiveness_days_major = fields.Integer(related="company_id.qms_effectiveness_days_major", readonly=False)
    qms_action_reminder_days = fields.Integer(related="company_id.qms_action_reminder_days", readonly=False)
    qms_effectiveness_days_critical = fields.Integer(
        related="company_id.qms_effectiveness_days_critical", readonly=False)
    qms_recurrence_months = fields.Integer(related="company_id.qms_recurrence_months", readonly=False)
    qms_recurrence_match = fields.Selection(related="company_id.qms_recurrence_match", readonly=False)
    qms_annual_report_doc_code = fields.Char(related="company_id.qms_annual_report_doc_code", readonly=False)
    qms_service_doc_code = fields.Char(related="company_id.qms_service_doc_code", readonly=False)
    qms_visit_doc_code = fields.Char(related="company_id.qms_visit_doc_code", readonly=False)
    qms_plan_doc_code = fields.Char(related="company_id.qms_plan_doc_code", readonly=False)
    qms_8d_doc_code = fields.Char(related="company_id.qms_8d_doc_code", readonly=False)
    qms_warranty_card_doc_code = fields.Char(related="company_id.qms_warranty_card_doc_code", readonly=False)
    qms_warranty_start = fields.Selection(related="company_id.qms_warranty_start", readonly=False)
    qms_refund_days = fields.Integer(related="company_id.qms_refund_days", readonly=False)
    qms_replacement_days = fields.Integer(related="company_id.qms_replacement_days", readonly=False)
    qms_repair_days = fields.Integer(related="company_id.qms_repair_days", readonly=False)
    qms_evaluation_survey_id = fields.Many2one(related="company_id.qms_evaluation_survey_id", readonly=False)
    qms_supervisor_user_id = fields.Many2one(related="company_id.qms_supervisor_user_id", readonly=False)
    qms_quality_user_id = fields.Many2one(related="company_id.qms_quality_user_id", readonly=False)
    qms_mgmt_rep_user_id = fields.Many2one(related="company_id.qms_mgmt_rep_user_id", readonly=False)

    # --- customer portal and e-mail intake (issue #7) ---------------------------------------
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

    # --- repeat counters and what the customer receives (issue #13, items 4 and 7) ---------------
    qms_repeat_months = fields.Integer(related="company_id.qms_repeat_months", readonly=False)
    qms_send_acknowledgement = fields.Boolean(related="company_id.qms_send_acknowledgement", readonly=False)
    qms_send_closure = fields.Boolean(related="company_id.qms_send_closure", readonly=False)
    # --- complaint clocks in working days (issue 13.1) ----------------------------------------
    qms_ack_working_days = fields.Integer(related="company_id.qms_ack_working_days", readonly=False)
    qms_answer_working_days = fields.Integer(related="company_id.qms_answer_working_days", readonly=False)
    qms_close_working_days = fields.Integer(related="company_id.qms_close_working_days", readonly=False)
    qms_escalate_gm_days = fields.Integer(related="company_id.qms_escalate_gm_days", readonly=False)
