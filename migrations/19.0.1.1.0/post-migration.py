def migrate(cr, version):
    """Annual reports record the timezone they are counted in since 19.0.1.1.0; the figures
    computed before were counted in UTC, so say so on those reports."""
    cr.execute("UPDATE qms_annual_report SET tz = 'UTC' WHERE figures_json IS NOT NULL")
