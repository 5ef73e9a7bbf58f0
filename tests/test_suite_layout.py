import ast
from pathlib import Path

from odoo.tests import BaseCase, tagged

TESTS = Path(__file__).resolve().parent


@tagged("post_install", "-at_install")
class TestSuiteLayout(BaseCase):

    def test_every_test_module_runs_under_odoos_runner(self):
        """Odoo's runner runs only the test modules tests/__init__.py imports, pytest-odoo every
        test_*.py it finds: a module missing from the package would run under one runner only."""
        package = ast.parse((TESTS / "__init__.py").read_text())
        imported = {alias.name for node in package.body if isinstance(node, ast.ImportFrom)
                    for alias in node.names}
        modules = {path.stem for path in TESTS.glob("test_*.py")}
        self.assertEqual(modules - imported, set(), "test modules not imported by tests/__init__.py")
