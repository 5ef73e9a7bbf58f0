import hashlib

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

# as qms.annual.report's FROZEN_COPIES: the field keeping the copy of each state, and its SHA-256
COPIES = {
    "submitted": ("submitted_pdf_id", "submitted_pdf_sha256"),
    "approved": ("signed_pdf_id", "signed_pdf_sha256"),
    "presented": ("presented_pdf_id", "presented_pdf_sha256"),
}


def migrate(cr, version):
    """Since 19.0.1.2.0 a yearly report keeps each frozen copy of its PDF with the SHA-256 of its
    bytes. A report frozen before points only to its last copy: record it as the copy of the
    report's state, with the SHA-256 of its bytes as they are now. A file that cannot be read keeps
    no SHA-256, and the integrity check (qms.annual.report._qms_frozen_pdf_problems) names it.
    The earlier copies stay attached to the report; nothing but their translated names tells them
    from the other files of the report, so they are not claimed as frozen copies."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute("""SELECT id, state, pdf_attachment_id FROM qms_annual_report
                  WHERE state <> 'draft' AND pdf_attachment_id IS NOT NULL""")
    for report_id, state, attachment_id in cr.fetchall():
        field, sha_field = COPIES[state]
        raw = env["ir.attachment"].browse(attachment_id).raw
        digest = hashlib.sha256(raw).hexdigest() if raw else None
        cr.execute(SQL("UPDATE qms_annual_report SET %s = %s, %s = %s WHERE id = %s AND %s IS NULL",
                       SQL.identifier(field), attachment_id, SQL.identifier(sha_field), digest, report_id,
                       SQL.identifier(field)))
    # the presentation is a step with its own stamp since 19.0.1.2.0: reports presented before
    # were last written when they were presented
    cr.execute("UPDATE qms_annual_report SET presented_date = write_date "
               "WHERE state = 'presented' AND presented_date IS NULL")
