from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

I18N = Path(__file__).resolve().parent.parent / "i18n"


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """Every term of the addon is in the .pot, and every term has its zh_CN translation."""

    def test_pot_is_current(self):
        reader = TranslationModuleReader(self.env.cr, modules=["qms_customer"])
        exported = {source for module, _type, _name, _res_id, source, _value, _comments in reader
                    if module == "qms_customer"}
        in_pot = {entry.msgid for entry in polib.pofile(str(I18N / "qms_customer.pot"))}
        self.assertFalse(exported - in_pot, "terms missing from i18n/qms_customer.pot: run ./dev i18n")

    def test_zh_cn_is_complete(self):
        pot = polib.pofile(str(I18N / "qms_customer.pot"))
        zh = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in polib.pofile(str(I18N / "zh_CN.po"))}
        missing = [entry.msgid for entry in pot if not zh.get((entry.msgctxt, entry.msgid))]
        self.assertFalse(missing, "terms without a zh_CN translation in i18n/zh_CN.po")
        self.assertGreater(len(pot), 100)

    def test_glossary_is_used(self):
        zh = {entry.msgid: entry.msgstr for entry in polib.pofile(str(I18N / "zh_CN.po"))}
        for english, chinese in (("Complaint (Return) Slips", "顾客投诉(退货)单"),
                                 ("Corrective Action", "纠正措施"),
                                 ("Management Representative", "管理者代表"),
                                 ("Management Review", "管理评审")):
            self.assertIn(chinese, zh[english])
