from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # Controlled-document header printed on the slip and the corrective action report.
    qms_complaint_doc_code = fields.Char(string="Complaint Slip Form Code", default="QR-8.2-01")
    qms_action_doc_code = fields.Char(string="Corrective Action Form Code", default="QR-8.2-02")
    qms_doc_edition = fields.Char(string="Form Edition", default="A/0")
    qms_doc_revision = fields.Char(string="Form Revision", default="00")
    qms_complaint_close_days = fields.Integer(
        string="Days to Close a Complaint", default=30,
        help="Target number of days between receiving a complaint and closing it.")

    def _qms_document_header(self, kind):
        """Header values of a controlled form ('complaint' or 'corrective_action')."""
        self.ensure_one()
        code = self.qms_complaint_doc_code if kind == "complaint" else self.qms_action_doc_code
        return {"code": code or "", "edition": self.qms_doc_edition or "", "revision": self.qms_doc_revision or ""}

    def _qms_next_complaint_numbers(self, count=1):
        """The next ``count`` slip numbers from this company's own sequence, created on first use;
        the sequence is looked up once, whatever the count (tools/bench)."""
        self.ensure_one()
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search([("code", "=", "qms.complaint"), ("company_id", "=", self.id)], limit=1)
        if not sequence:
            sequence = Sequence.create({
                "name": self.env._("Complaint Slips (%s)", self.name), "code": "qms.complaint",
                "company_id": self.id, "prefix": "CS/%(year)s/", "padding": 5,
            })
        return [sequence._next() for _i in range(count)]
