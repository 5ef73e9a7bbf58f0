from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qms_complaint_doc_code = fields.Char(related="company_id.qms_complaint_doc_code", readonly=False)
    qms_action_doc_code = fields.Char(related="company_id.qms_action_doc_code", readonly=False)
    qms_doc_edition = fields.Char(related="company_id.qms_doc_edition", readonly=False)
    qms_doc_revision = fields.Char(related="company_id.qms_doc_revision", readonly=False)
    qms_complaint_close_days = fields.Integer(related="company_id.qms_complaint_close_days", readonly=False)
    qms_annual_report_doc_code = fields.Char(related="company_id.qms_annual_report_doc_code", readonly=False)
    qms_service_doc_code = fields.Char(related="company_id.qms_service_doc_code", readonly=False)
    qms_warranty_start = fields.Selection(related="company_id.qms_warranty_start", readonly=False)
    qms_refund_days = fields.Integer(related="company_id.qms_refund_days", readonly=False)
    qms_replacement_days = fields.Integer(related="company_id.qms_replacement_days", readonly=False)
    qms_repair_days = fields.Integer(related="company_id.qms_repair_days", readonly=False)
    qms_evaluation_survey_id = fields.Many2one(related="company_id.qms_evaluation_survey_id", readonly=False)
