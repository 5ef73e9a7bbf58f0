def migrate(cr, version):
    """Two slices of 19.0.1.3.0 indexed the complaint lines on (product_id, complaint_id) twice, for the
    repeat counters and for the recurrence matching; 19.0.1.4.0 declares the index once. Odoo does
    not drop an index the code no longer declares: drop the copy."""
    if not version:
        return
    cr.execute("DROP INDEX IF EXISTS qms_complaint_line_recurrence_product_idx")
