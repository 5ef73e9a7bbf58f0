from odoo.addons.base.models.ir_actions_report import _wkhtml
from odoo.tests import BaseCase, tagged


@tagged("post_install", "-at_install")
class TestPdfEngine(BaseCase):
    """The printed forms need wkhtmltopdf built with patched Qt: headers, footers with "page x / y",
    and several documents in one PDF. Odoo searches PATH before its bin_path, so a distribution's
    unpatched /usr/bin/wkhtmltopdf would win: ./dev and the launcher put the project's build first."""

    def test_odoo_prints_with_the_patched_wkhtmltopdf(self):
        engine = _wkhtml()  # what Odoo itself found and will run
        self.assertEqual(engine.state, "ok", engine)
        self.assertTrue(engine.is_patched_qt, f"{engine.bin} is {engine.version}, not the patched-Qt build")
