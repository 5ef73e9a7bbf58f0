from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Since 19.0.1.3.0 every answer given to the customer is kept (qms.complaint.answer). A slip
    answered before has only its newest answer on record: it becomes the slip's first entry."""
    if not version:
        return
    api.Environment(cr, SUPERUSER_ID, {})["qms.complaint"]._record_missing_answers()
