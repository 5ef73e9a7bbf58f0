COMPANY_RULES = (
    "qms_complaint_rule_company",
    "qms_complaint_line_rule_company",
    "qms_corrective_action_rule_company",
    "qms_corrective_action_revision_rule_company",
    "qms_annual_report_rule_company",
    "qms_warranty_policy_rule_company",
    "qms_service_request_rule_company",
    "qms_customer_visit_rule_company",
    "qms_customer_visit_visitor_rule_company",
    "qms_customer_requirement_rule_company",
    "qms_communication_plan_rule_company",
    "qms_communication_plan_line_rule_company",
    "qms_communication_rule_company",
)


def migrate(cr, version):
    """Since 19.0.1.2.0 the multi-company rules stand in a noupdate block of security/ir_rule.xml,
    as in Odoo's own addons: an integrator who adapts one keeps the change across updates.

    Odoo does not carry that flag over by itself: on update it skips a record of a noupdate block
    that already exists (and keeps it, as loaded), but leaves its external id marked updatable.
    Mark those ids noupdate, so that an upgraded database holds the same as a fresh install.

    The group rules that were renamed or merged in this version (``*_rule_all`` split into
    ``*_rule_sales`` and ``*_rule_read_all``; the read-only rules of the corrective action, its
    history and the annual report merged into ``*_rule_read_all``) need nothing here: their old
    external ids are updatable, so Odoo deletes their rules at the end of the update."""
    if not version:
        return
    cr.execute("UPDATE ir_model_data SET noupdate = TRUE "
               "WHERE module = 'qms_customer' AND model = 'ir.rule' AND name IN %s", [COMPANY_RULES])
