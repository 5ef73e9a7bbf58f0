from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qms_complaint_doc_code = fields.Char(related="company_id.qms_complaint_doc_code", readonly=False)
    qms_action_doc_code = fields.Char(related="company_id.qms_action_doc_code", readonly=False)
    qms_doc_edition = fields.Char(related="company_id.qms_doc_edition", readonly=False)
    qms_doc_revision = fields.Char(related="company_id.qms_doc_revision", readonly=False)
    qms_complaint_close_days = fields.Integer(related="company_id.qms_complaint_close_days", readonly=False)
