"""The warranty card (三包凭证, issue 15 item 5): one card per unit a delivery delivered (a serial
number is a unit), with the days of the three guarantees that apply to it, in English and Chinese."""
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import QmsCommon

REPORT = "qms_customer.report_qms_warranty_card"


@tagged("post_install", "-at_install")
class TestWarrantyCard(QmsCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"], overwrite=True)
        cls.company = cls.env.company
        cls.company.write({"qms_warranty_start": "delivery", "qms_refund_days": 7, "qms_replacement_days": 15,
                           "qms_repair_days": 365, "qms_warranty_card_doc_code": "QR-CARD-T"})
        cls.customer = cls.env["res.partner"].create({"name": "Card Customer", "is_company": True})
        Product = cls.env["product.product"]
        cls.pump = Product.create({"name": "Card Pump", "type": "consu", "is_storable": True, "tracking": "serial"})
        cls.hose = Product.create({"name": "Card Hose", "type": "consu", "is_storable": True})
        cls.env["qms.warranty.policy"].create({
            "name": "Pumps", "product_tmpl_id": cls.pump.product_tmpl_id.id, "refund_days": 10,
            "replacement_days": 30, "repair_days": 730})
        stock = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1).lot_stock_id
        Quant = cls.env["stock.quant"]
        for serial in ("PUMP-0001", "PUMP-0002"):
            lot = cls.env["stock.lot"].create({"name": serial, "product_id": cls.pump.id})
            Quant._update_available_quantity(cls.pump, stock, 1, lot_id=lot)
        Quant._update_available_quantity(cls.hose, stock, 10)
        order = cls.env["sale.order"].create({"partner_id": cls.customer.id, "order_line": [
            Command.create({"product_id": cls.pump.id, "product_uom_qty": 2}),
            Command.create({"product_id": cls.hose.id, "product_uom_qty": 3})]})
        order.action_confirm()
        cls.picking = order.picking_ids
        cls.picking.action_assign()
        cls.picking.move_ids.picked = True
        cls.picking.button_validate()

    def _html(self, lang):
        env = self.env(context=dict(self.env.context, lang=lang, tz="UTC"))
        return env["ir.actions.report"]._render_qweb_html(REPORT, self.picking.ids)[0].decode()

    def test_one_card_per_serial_and_one_per_other_line(self):
        self.assertEqual(self.picking.state, "done")
        cards = self.picking._prepare_warranty_card_print_data()
        self.assertEqual(sorted(card["lot"].name or card["product"].name for card in cards),
                         ["Card Hose", "PUMP-0001", "PUMP-0002"])
        delivered = fields.Datetime.context_timestamp(self.picking, self.picking.date_done).date()
        pump = next(card for card in cards if card["lot"].name == "PUMP-0001")
        self.assertEqual(pump["quantity"], 1)
        self.assertEqual([(w["days"], w["until"]) for w in pump["windows"]], [
            (10, delivered + timedelta(days=10)), (30, delivered + timedelta(days=30)),
            (730, delivered + timedelta(days=730))], "the product's own policy")
        hose = next(card for card in cards if card["product"] == self.hose)
        self.assertEqual(hose["quantity"], 3)
        self.assertEqual([w["days"] for w in hose["windows"]], [7, 15, 365], "the company's defaults")

    def test_counted_from_the_invoice_the_card_gives_no_dates(self):
        self.company.qms_warranty_start = "invoice"
        cards = self.picking._prepare_warranty_card_print_data()
        self.assertTrue(cards)
        self.assertFalse(any(window["until"] for card in cards for window in card["windows"]))
        self.assertIn("counted from the invoice date", self._html("en_US"))

    def test_printed_in_both_languages_and_as_a_real_pdf(self):
        delivered = fields.Datetime.context_timestamp(self.picking, self.picking.date_done).date()
        until = delivered + timedelta(days=730)
        for lang, title in (("en_US", "Warranty Card (Three Guarantees)"), ("zh_CN", "三包凭证")):
            html = self._html(lang)
            self.assertIn(title, html)
            for content in ("QR-CARD-T", "PUMP-0001", "PUMP-0002", "Card Hose", self.company.name,
                            until.strftime(self.env["res.lang"]._get_data(code=lang).date_format)):
                self.assertIn(content, html, f"{lang}: {content}")
        pdf, kind = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            REPORT, self.picking.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_a_transfer_not_done_delivers_no_card(self):
        order = self.env["sale.order"].create({"partner_id": self.customer.id, "order_line": [
            Command.create({"product_id": self.hose.id, "product_uom_qty": 1})]})
        order.action_confirm()
        self.assertEqual(order.picking_ids._prepare_warranty_card_print_data(), [])
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, order.picking_ids.ids)[0].decode()
        self.assertIn("No unit was delivered to a customer by this transfer.", html)
