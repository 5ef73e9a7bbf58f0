{
    "name": "Customer Processes (ISO 9001)",
    "version": "19.0.1.0.0",
    "category": "Sales/Quality",
    "summary": "ISO 9001 control of customer-related processes: complaint (return) slips, "
    "corrective actions, customer visits and communication plans",
    "description": """
Control of customer-related processes (与顾客有关过程控制程序)
=============================================================

Runs the company's ISO 9001 procedure inside Odoo:

* customer complaint (return) slips with the review chain of clause 4.3: sales supervisor
  review, quality disposition, responsibility, corrective actions approved by the
  management representative, reply to the customer and verification;
* corrective actions distributed to the implementing and verifying departments;
* roles of the procedure as user groups, with access per department;
* printed slips laid out as the controlled paper form.
""",
    "author": "qms_customer developers",
    "website": "https://www.odoo.com/documentation/19.0/",
    "license": "LGPL-3",
    "depends": ["sale_management", "hr", "mail"],
    "data": [
        "security/qms_customer_security.xml",
        "security/ir.model.access.csv",
        "views/qms_customer_menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
    ],
    "application": True,
}
