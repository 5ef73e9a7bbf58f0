import importlib.util
from pathlib import Path

from odoo.tests import BaseCase, tagged

# the repository's tools/ (tests/ is reached through a link folder; the wheel ships no tools/)
GENERATOR = Path(__file__).resolve().parent.parent / "tools" / "gen_readme.py"


@tagged("post_install", "-at_install")
class TestReadme(BaseCase):
    """static/description/index.html is generated from readme/ and the manifest (tools/gen_readme.py)."""

    def test_description_page_is_up_to_date(self):
        if not GENERATOR.is_file():
            self.skipTest("tools/gen_readme.py is not shipped with the addon (wheel): checked in its repository")
        spec = importlib.util.spec_from_file_location("qms_gen_readme", GENERATOR)
        generator = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(generator)
        page = generator.ROOT / generator.INDEX
        self.assertEqual(page.read_text(encoding="utf-8"), generator.build_html(),
                         f"{generator.INDEX} is stale: run .venv/bin/python tools/gen_readme.py")
        self.assertTrue(all((generator.ROOT / "readme" / f"{name}.md").is_file()
                            for name in ("DESCRIPTION", "USAGE", "CONFIGURE", "ROADMAP")))
