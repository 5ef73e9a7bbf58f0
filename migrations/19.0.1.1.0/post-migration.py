def migrate(cr, version):
    """Annual reports are counted in a timezone since 19.0.1.1.0 (computed from the report's
    company when the column is added). Figures frozen before were counted in UTC: say so on those
    reports. The figures of a draft are dropped and recomputed on demand in its timezone."""
    cr.execute("UPDATE qms_annual_report SET tz = 'UTC' WHERE state <> 'draft' AND figures_json IS NOT NULL")
    cr.execute("UPDATE qms_annual_report SET figures_json = NULL, has_data = false WHERE state = 'draft'")
