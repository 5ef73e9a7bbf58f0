"""Build the addon's description page, static/description/index.html, from the readme/ fragments.

What OCA's oca-gen-addon-readme does (it is not on PyPI): the fragments of readme/ are assembled
under the manifest's name and summary into one reStructuredText document, which docutils (an Odoo
requirement, in .venv) renders as HTML. The fragments are Markdown restricted to what reads the
same in reStructuredText: paragraphs, "-" and "1." lists, *emphasis*, **strong**; `code` spans and
[links](url) are translated.

    .venv/bin/python tools/gen_readme.py           write static/description/index.html
    .venv/bin/python tools/gen_readme.py --check   exit 1 when it is not up to date

tests/test_readme.py fails when the page is stale.
"""

import ast
import re
import sys
from pathlib import Path

from docutils.core import publish_string

ROOT = Path(__file__).resolve().parent.parent
INDEX = "static/description/index.html"
# (fragment, section title), in OCA's order; a missing fragment is left out
SECTIONS = (
    ("DESCRIPTION", None),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("CONTRIBUTORS", "Contributors"),
)


def md_to_rst(text):
    text = re.sub(r"(?<!`)`([^`\n]+)`(?!`)", r"``\1``", text)
    text = re.sub(r"\[([^\]\n]+)\]\(([^)\s]+)\)", r"`\1 <\2>`__", text)
    return text.strip() + "\n"


def heading(title, char):
    return f"{title}\n{char * len(title)}\n"


def build_rst(root=ROOT):
    manifest = ast.literal_eval((root / "__manifest__.py").read_text(encoding="utf-8"))
    parts = [heading(manifest["name"], "="), f"**{' '.join(manifest['summary'].split())}**\n",
             f"*License {manifest['license']}.*\n"]
    description = root / "readme" / "DESCRIPTION.md"
    parts.append(md_to_rst(description.read_text(encoding="utf-8")))
    parts.append(".. contents:: Table of contents\n   :local:\n")
    for fragment, title in SECTIONS[1:]:
        path = root / "readme" / f"{fragment}.md"
        if path.is_file():
            parts += [heading(title, "-"), md_to_rst(path.read_text(encoding="utf-8"))]
    parts += [heading("Authors", "-"), f"- {manifest['author']}\n"]
    return "\n".join(parts)


def build_html(root=ROOT):
    return publish_string(build_rst(root), writer_name="html5", settings_overrides={
        "output_encoding": "unicode",
        "halt_level": 2,  # a warning of docutils (bad markup in a fragment) is an error
        "report_level": 2,
        "datestamp": False,
        "generator": False,
        "embed_stylesheet": True,
        "_disable_config": True,
    })


def main(argv):
    html = build_html()
    index = ROOT / INDEX
    if "--check" in argv:
        if not index.is_file() or index.read_text(encoding="utf-8") != html:
            sys.exit(f"{INDEX} is stale: run .venv/bin/python tools/gen_readme.py")
        return
    index.write_text(html, encoding="utf-8")
    print(f"wrote {INDEX}")


if __name__ == "__main__":
    main(sys.argv[1:])
