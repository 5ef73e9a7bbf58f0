{
    "name": "Customer Processes (ISO 9001)",
    "version": "19.0.1.2.0",
    "category": "Sales/Quality",
    "summary": "ISO 9001 control of customer-related processes: complaint (return) slips, "
    "corrective actions, customer visits and communication plans",
    "description": """
Control of customer-related processes (与顾客有关过程控制程序)
================================================================================

Runs the company's ISO 9001 procedure inside Odoo:

* customer complaint (return) slips with the review chain of clause 4.3: sales supervisor
  review, quality disposition, responsibility, corrective actions approved by the
  management representative, reply to the customer and verification;
* corrective actions distributed to the implementing and verifying departments;
* customer visits (4.1), the yearly customer communication plan and communications with
  existing and new customers (4.2), feeding a customer requirements register;
* roles of the procedure as user groups, with access per department;
* printed slips laid out as the controlled paper form.
""",
    "author": "qms_customer developers",
    "website": "https://www.odoo.com/documentation/19.0/",
    "license": "LGPL-3",
    "depends": ["sale_management", "hr", "mail", "repair", "survey", "portal"],
    "data": [
        # security
        "security/qms_customer_security.xml",
        "security/ir.model.access.csv",
        "security/ir_rule.xml",
        # data
        "data/ir_sequence_data.xml",
        "data/qms_service_request_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_activity_type_data.xml",
        "data/mail_template_data.xml",
        "data/mail_alias_data.xml",
        "data/survey_customer_evaluation_data.xml",
        # views: one file per model of the addon, one per inherited model
        "views/qms_complaint_views.xml",
        "views/qms_corrective_action_views.xml",
        "views/qms_customer_requirement_views.xml",
        "views/qms_customer_visit_views.xml",
        "views/qms_communication_views.xml",
        "views/qms_communication_plan_views.xml",
        "views/qms_communication_plan_line_views.xml",
        "views/qms_annual_report_views.xml",
        "views/qms_service_request_views.xml",
        "views/qms_warranty_policy_views.xml",
        "views/account_move_views.xml",
        "views/product_template_views.xml",
        "views/repair_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/stock_picking_views.xml",
        "views/qms_complaint_portal_templates.xml",
        # reports
        "report/qms_report_layout.xml",
        "report/qms_minimal_layout.xml",
        "report/qms_complaint_reports.xml",
        "report/qms_complaint_templates.xml",
        "report/qms_corrective_action_templates.xml",
        "report/qms_customer_reports.xml",
        "report/qms_customer_visit_templates.xml",
        "report/qms_communication_plan_templates.xml",
        "report/qms_annual_report_templates.xml",
        "report/qms_service_request_templates.xml",
        # wizards
        "wizard/qms_complaint_cancel_views.xml",
        "wizard/qms_remedy_override_views.xml",
        "wizard/qms_communication_plan_fill_views.xml",
        "wizard/qms_service_acceptance_views.xml",
        # menus, last: they open the actions above
        "views/qms_customer_menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/qms_complaint_demo.xml",
        "demo/qms_service_demo.xml",
        "demo/qms_communication_demo.xml",
        "demo/qms_complaint_portal_demo.xml",
        "demo/qms_complaint_remedy_demo.xml",
        "demo/qms_annual_report_demo.xml",
        # last: replenishes what the demo data above left below its reordering rules
        "demo/stock_scheduler_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "qms_customer/static/tests/tours/**/*",
        ],
    },
    "application": True,
    "uninstall_hook": "uninstall_hook",
}
