"""Install and uninstall qms_customer in a database of its own, as an integrator would.

Runs the real Odoo command line against a copy of the cached template without demo data
(``QMS_TEST_TEMPLATE_NODEMO``, see odoo_cli.py); skipped without it.
"""
import os

from odoo.tests import BaseCase, tagged

from .odoo_cli import BAD_LOG_LINE, CONF, database_from_template, needs_template
from .odoo_cli import odoo as _odoo
from .odoo_cli import psql as _psql


@needs_template
@tagged("post_install", "-at_install")
class TestInstall(BaseCase):
    """No Odoo environment of its own: the command line does everything, in another database."""

    def test_install_without_demo_then_uninstall(self):
        with database_from_template(f"qms_test_install_{os.getpid()}") as fresh_db:
            self._install_without_demo_then_uninstall(fresh_db)

    def _install_without_demo_then_uninstall(self, fresh_db):
        run = _odoo("-c", CONF, "-d", fresh_db, "-i", "qms_customer", "--stop-after-init", "--no-http")
        self.assertEqual(run.returncode, 0, run.stderr[-3000:])
        self.assertFalse(BAD_LOG_LINE.findall(run.stderr), run.stderr[-3000:])
        self.assertEqual(_psql(fresh_db, "SELECT state FROM ir_module_module WHERE name='qms_customer'"), "installed")
        # no demo data: neither the demo users nor the demo departments
        self.assertEqual(_psql(fresh_db, "SELECT count(*) FROM res_users WHERE login IN "
                                         "('sales','sales_supervisor','quality','mgmt_rep','gm')"), "0")
        self.assertEqual(_psql(fresh_db, "SELECT count(*) FROM ir_model_data WHERE module='qms_customer' "
                                         "AND model IN ('res.users','hr.department')"), "0")
        # every model of the addon has at least one access rule
        self.assertEqual(_psql(fresh_db, """
            SELECT string_agg(m.model, ',') FROM ir_model m
            JOIN ir_model_data d ON d.model='ir.model' AND d.res_id=m.id AND d.module='qms_customer'
            WHERE NOT m.transient AND NOT m.abstract
              AND NOT EXISTS (SELECT 1 FROM ir_model_access a WHERE a.model_id=m.id)
        """), "")

        # a submitted yearly report keeps its frozen PDF, which nobody may delete while the report
        # exists: uninstalling removes the report all the same
        run = _odoo("shell", "-c", CONF, "-d", fresh_db, "--no-http", stdin=(
            "env['qms.annual.report'].create({'kind': 'complaint', 'year': 2020}).action_submit()\n"
            "env.cr.commit()\n"))
        self.assertEqual(run.returncode, 0, run.stderr[-3000:])
        self.assertEqual(_psql(fresh_db, "SELECT count(*) FROM qms_annual_report WHERE state = 'submitted' "
                                         "AND submitted_pdf_id IS NOT NULL AND length(submitted_pdf_sha256) = 64"), "1")

        run = _odoo("module", "uninstall", "-c", CONF, "-d", fresh_db, "qms_customer")
        self.assertEqual(run.returncode, 0, run.stderr[-3000:])
        self.assertFalse(BAD_LOG_LINE.findall(run.stderr), run.stderr[-3000:])
        self.assertEqual(_psql(fresh_db, "SELECT state FROM ir_module_module WHERE name='qms_customer'"), "uninstalled")
        self.assertEqual(_psql(fresh_db, "SELECT count(*) FROM ir_model_data WHERE module='qms_customer'"), "0")
        self.assertEqual(_psql(fresh_db, "SELECT count(*) FROM res_groups_privilege "
                                         "WHERE name->>'en_US'='Customer Processes'"), "0")
