"""Upgrading a database installed before the views were folded into one file per model.

Until commit ``LAYOUT_BEFORE`` the complaint form was assembled from three files, the settings page
from four, and ``sale.order``'s form was inherited twice. Odoo deletes, at the end of an update,
the records whose XML id the module no longer declares; this test checks that it does so for
every view the reorganisation removed, and that nothing is left behind: the addon is installed
from that commit's tree into a copy of the no-demo template, upgraded with this tree, and the
views of ``qms_customer`` must then be exactly the ones its XML declares, each one rendering.

Like ``test_faults.py`` it drives the real Odoo command line, under both runners.
"""
import ast
import os
import subprocess
import tarfile
import tempfile
import unittest
from pathlib import Path

from lxml import etree

from odoo.tests import BaseCase, tagged

from .odoo_cli import BAD_LOG_LINE, CONF, database_from_template, needs_template
from .odoo_cli import odoo as _odoo
from .odoo_cli import psql as _psql

ROOT = Path(__file__).resolve().parent.parent
# The last commit whose views were assembled from several files per model.
LAYOUT_BEFORE = "03dc8fcee757c368fbf0b7d2b4af34af0d3f63a3"


def _declared_view_ids():
    """XML ids of the views (ir.ui.view records and QWeb templates) the manifest's data declare."""
    manifest = ast.literal_eval((ROOT / "__manifest__.py").read_text())
    ids = set()
    for name in manifest["data"]:
        if not name.endswith(".xml"):
            continue
        tree = etree.parse(str(ROOT / name))
        nodes = tree.xpath("//record[@model='ir.ui.view'] | //template")
        for node in nodes:
            xml_id = node.get("id")
            module, _, local = xml_id.rpartition(".")
            if module in ("", "qms_customer"):
                ids.add(local)
    return ids


def _old_tree(tmp_path):
    """The addon at LAYOUT_BEFORE, in an addons folder of its own; skips when git cannot give it."""
    try:
        found = subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{LAYOUT_BEFORE}^{{commit}}"],
                               capture_output=True, check=False)
    except FileNotFoundError as error:
        raise unittest.SkipTest("git is not installed: cannot check out the layout before the views were folded") \
            from error
    if found.returncode:
        raise unittest.SkipTest(
            f"commit {LAYOUT_BEFORE[:8]} is not in this clone (a shallow clone or an installed wheel)")
    target = tmp_path / "addons" / "qms_customer"
    target.mkdir(parents=True)
    archive = tmp_path / "old.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), LAYOUT_BEFORE], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target.parent


def _addons_path_with(addons_dir):
    """The configured addons path, with the folder holding qms_customer replaced by ``addons_dir``."""
    for line in Path(CONF).read_text().splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "addons_path":
            paths = [p.strip() for p in value.split(",")]
            kept = [p for p in paths if not os.path.isdir(os.path.join(p, "qms_customer"))]
            if len(kept) != len(paths) - 1:
                raise AssertionError(paths)
            return ",".join([*kept, str(addons_dir)])
    raise AssertionError(f"no addons_path in {CONF}")


@needs_template
@tagged("post_install", "-at_install")
class TestUpgradeViews(BaseCase):
    """No Odoo environment of its own: the command line does everything, in another database."""

    def test_upgrade_from_several_files_per_model_leaves_no_orphan_view(self):
        with tempfile.TemporaryDirectory() as tmp:
            self._upgrade_leaves_no_orphan_view(Path(tmp))

    def _upgrade_leaves_no_orphan_view(self, tmp_path):
        old_addons = _old_tree(tmp_path)
        with database_from_template(f"qms_test_upgrade_views_{os.getpid()}") as db:
            run = _odoo("-c", CONF, "--addons-path", _addons_path_with(old_addons), "-d", db,
                        "-i", "qms_customer", "--stop-after-init", "--no-http")
            self.assertTrue(run.returncode == 0, run.stderr[-3000:])
            before = set(_psql(db, "SELECT name FROM ir_model_data WHERE module = 'qms_customer' "
                                   "AND model = 'ir.ui.view'").split())
            declared = _declared_view_ids()
            removed = before - declared
            # the reorganisation removed views: otherwise this test proves nothing
            self.assertTrue("qms_complaint_view_form_remedy" in removed, sorted(removed))

            run = _odoo("-c", CONF, "-d", db, "-u", "qms_customer", "--stop-after-init", "--no-http")
            self.assertTrue(run.returncode == 0, run.stderr[-3000:])
            self.assertTrue(not BAD_LOG_LINE.findall(run.stderr), BAD_LOG_LINE.findall(run.stderr)[:10])

            after = set(_psql(db, "SELECT d.name FROM ir_model_data d JOIN ir_ui_view v ON v.id = d.res_id "
                                  "WHERE d.module = 'qms_customer' AND d.model = 'ir.ui.view'").split())
            self.assertEqual(after, declared,
                             {"left behind": sorted(after - declared), "missing": sorted(declared - after)})
            # no XML id pointing at a deleted view, no view of ours without an XML id
            dangling = _psql(db, "SELECT d.name FROM ir_model_data d LEFT JOIN ir_ui_view v ON v.id = d.res_id "
                                 "WHERE d.module = 'qms_customer' AND d.model = 'ir.ui.view' AND v.id IS NULL")
            self.assertTrue(not dangling, dangling)
            nameless = _psql(db, "SELECT v.id, v.name FROM ir_ui_view v LEFT JOIN ir_model_data d "
                                 "ON d.model = 'ir.ui.view' AND d.res_id = v.id "
                                 "WHERE d.id IS NULL AND (v.model LIKE 'qms.%' OR v.name LIKE '%qms%')")
            self.assertTrue(not nameless, nameless)
            # no view anywhere still inherits one of the removed ids
            heirs = _psql(db, "SELECT v.name FROM ir_ui_view v JOIN ir_ui_view p ON p.id = v.inherit_id "
                              "LEFT JOIN ir_model_data d ON d.model = 'ir.ui.view' AND d.res_id = p.id "
                              "WHERE d.id IS NULL")
            self.assertTrue(not heirs, heirs)
            # and every view of the addon still renders after the upgrade
            check = _odoo("shell", "-c", CONF, "-d", db, "--no-http", "--shell-interface=python", stdin=(
                "data = env['ir.model.data'].search([('module', '=', 'qms_customer'), ('model', '=', 'ir.ui.view')])\n"
                "views = env['ir.ui.view'].browse(data.mapped('res_id')).filtered(lambda v: v.type != 'qweb')\n"
                "for view in views:\n"
                "    env[view.model].get_views([(view.id, view.type)])\n"
                "print('RESULT', len(views))\n"))
            rendered = [line for line in check.stdout.splitlines() if line.startswith("RESULT ")]
            self.assertTrue(check.returncode == 0 and rendered, (check.stdout[-2000:], check.stderr[-3000:]))
            self.assertTrue(int(rendered[-1].split()[1]) > 50, rendered)
