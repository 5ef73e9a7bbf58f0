from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    qms_annual_report_doc_code = fields.Char(string="Annual Report Form Code", default="QR-8.2-03")
    qms_service_doc_code = fields.Char(string="Service Acceptance Form Code", default="QR-8.2-04")
    qms_warranty_start = fields.Selection([
        ("delivery", "Delivery Date"),
        ("invoice", "Invoice Date"),
    ], string="Three Guarantees Counted From", default="delivery", required=True,
        help="The days of the three guarantees (repair, replacement, refund) run from this date.")
    qms_refund_days = fields.Integer(string="Refund Within (Days)", default=7)
    qms_replacement_days = fields.Integer(string="Replacement Within (Days)", default=15)
    qms_repair_days = fields.Integer(string="Repair Within (Days)", default=365)

    def _qms_document_header(self, kind):
        header = super()._qms_document_header(kind)
        codes = {"annual_report": self.qms_annual_report_doc_code, "service": self.qms_service_doc_code}
        if kind in codes:
            header["code"] = codes[kind] or ""
        return header
