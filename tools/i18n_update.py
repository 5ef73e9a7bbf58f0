"""Refresh i18n/qms_customer.pot from a database and merge it into i18n/zh_CN.po.

Usage: python tools/i18n_update.py EXPORTED.pot   (./dev i18n does the export first)

Existing zh_CN translations are kept, new terms are added untranslated, terms gone from the
addon are dropped; prints how many terms still lack a translation.
"""
import shutil
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "i18n" / "qms_customer.pot"
PO = ROOT / "i18n" / "zh_CN.po"


def main(exported):
    shutil.copyfile(exported, POT)
    pot = polib.pofile(str(POT))
    old = polib.pofile(str(PO)) if PO.exists() else polib.POFile()
    known = {(e.msgctxt, e.msgid): e.msgstr for e in old if e.msgstr}
    po = polib.POFile(wrapwidth=78)
    po.metadata = {
        "Project-Id-Version": "Odoo Server 19.0",
        "Language": "zh_CN",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    for entry in pot:
        po.append(polib.POEntry(
            msgid=entry.msgid, msgctxt=entry.msgctxt, occurrences=entry.occurrences,
            comment=entry.comment, tcomment=entry.tcomment, flags=entry.flags,
            msgstr=known.get((entry.msgctxt, entry.msgid), "")))
    po.save(str(PO))
    missing = [e.msgid for e in po if not e.msgstr]
    print(f"{len(po)} terms, {len(missing)} without a zh_CN translation")
    for msgid in missing:
        print("  missing:", msgid.replace("\n", " ")[:100])


if __name__ == "__main__":
    main(sys.argv[1])
