from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import QmsCommon


@tagged("post_install", "-at_install")
class TestThreeGuarantees(QmsCommon):
    """Clause 4.4.2: refund, replacement and repair within their days, each creating the real
    Odoo document, linked both ways."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._statutory_guarantees()
        cls.customer = cls.env["res.partner"].create({"name": "Guarantee Customer", "is_company": True})
        cls.categ = cls.env["product.category"].create({"name": "Guarantee Pumps"})
        cls.product = cls.env["product.product"].create({
            "name": "Guarantee Pump", "type": "consu", "is_storable": True, "list_price": 100.0,
            "invoice_policy": "order", "categ_id": cls.categ.id,
        })
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.warehouse.lot_stock_id, 50)

    def _order(self, deliver=True, invoice=True, qty=5):
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": qty,
                                           "price_unit": 100.0})],
        })
        order.action_confirm()
        if deliver:
            picking = order.picking_ids
            picking.move_ids.quantity = qty
            picking.move_ids.picked = True
            picking.button_validate()
            self.assertEqual(picking.state, "done")
        if invoice:
            invoice = order._create_invoices()
            invoice.action_post()
        return order

    def _slip(self, order, qty=2, returned=None):
        complaint = self.env["qms.complaint"].create({
            "partner_id": self.customer.id, "sale_order_id": order.id, "category": "product",
            "customer_request": "refund",
            "line_ids": [Command.create({"sale_line_id": order.order_line.id, "product_id": self.product.id,
                                         "qty_complained": qty,
                                         "qty_returned": qty if returned is None else returned})],
        })
        complaint.action_submit()
        complaint.with_user(self.supervisor).action_supervisor_review()
        self.assertEqual(complaint.state, "quality_review")
        return complaint, complaint.line_ids

    def _age_delivery(self, order, days):
        moves = order.order_line.move_ids.filtered(lambda m: m.state == "done")
        moves.write({"date": fields.Datetime.now() - timedelta(days=days)})
        order.order_line.invalidate_recordset()

    # --- the windows ----------------------------------------------------------------------------
    def test_eligible_remedy_and_days_left(self):
        order = self._order()
        _complaint, line = self._slip(order)
        self.assertEqual(line.warranty_start_date, fields.Date.context_today(line))
        self.assertEqual((line.remedy_eligible, line.remedy_days_left), ("refund", 7))
        self._age_delivery(order, 10)
        line.invalidate_recordset()
        self.assertEqual((line.remedy_eligible, line.remedy_days_left), ("replacement", 5))
        self._age_delivery(order, 20)
        line.invalidate_recordset()
        self.assertEqual((line.remedy_eligible, line.remedy_days_left), ("repair", 345))
        self._age_delivery(order, 400)
        line.invalidate_recordset()
        self.assertEqual(line.remedy_eligible, "none")

    def test_policy_of_category_and_of_product(self):
        order = self._order()
        _complaint, line = self._slip(order)
        self._age_delivery(order, 20)
        Policy = self.env["qms.warranty.policy"]
        Policy.create({"name": "Pumps", "categ_id": self.categ.id, "refund_days": 30,
                       "replacement_days": 60, "repair_days": 730})
        line.invalidate_recordset()
        self.assertEqual((line.remedy_eligible, line.remedy_days_left), ("refund", 10))
        Policy.create({"name": "This pump", "product_tmpl_id": self.product.product_tmpl_id.id,
                       "refund_days": 0, "replacement_days": 25, "repair_days": 100})
        line.invalidate_recordset()
        self.assertEqual((line.remedy_eligible, line.remedy_days_left), ("replacement", 5))

    def test_counted_from_invoice_date(self):
        self.company.qms_warranty_start = "invoice"
        order = self._order(deliver=False)
        order.invoice_ids.button_draft()
        order.invoice_ids.invoice_date = fields.Date.context_today(order) - timedelta(days=12)
        order.invoice_ids.action_post()
        _complaint, line = self._slip(order)
        self.assertEqual((line.remedy_eligible, line.remedy_days_left), ("replacement", 3))

    def test_remedy_links_and_lines_only_through_the_buttons(self):
        """No context key lets a client link a slip line to a document of its choosing, or add a
        line to a slip past its intake."""
        order = self._order()
        complaint, line = self._slip(order)
        for context in ({}, {"qms_remedy_write": True}):
            with self.assertRaises(UserError):
                line.with_user(self.quality).with_context(**context).write(
                    {"remedy": "refund", "refund_move_id": order.invoice_ids.id})
        self.assertFalse(line.remedy)
        with self.assertRaises(UserError):
            self.env["qms.complaint.line"].with_user(self.sales).with_context(qms_creating_complaint=True).create(
                {"complaint_id": complaint.id, "product_id": self.product.id, "qty_complained": 1})
        self.assertEqual(complaint.line_ids, line)

    # --- the documents --------------------------------------------------------------------------
    def test_refund_creates_draft_credit_note(self):
        order = self._order()
        invoice = order.invoice_ids
        complaint, line = self._slip(order)
        line.with_user(self.quality).action_remedy_refund()
        refund = line.refund_move_id
        self.assertEqual((refund.move_type, refund.state), ("out_refund", "draft"))
        self.assertEqual(refund.reversed_entry_id, invoice)
        self.assertIn(refund, order.invoice_ids)
        self.assertEqual(refund.invoice_line_ids.quantity, 2)
        self.assertEqual(refund.invoice_line_ids.price_unit, 100.0)
        self.assertEqual(refund.invoice_line_ids.sale_line_ids, order.order_line)
        self.assertEqual(refund.qms_complaint_id, complaint)
        self.assertEqual(complaint.refund_move_count, 1)
        self.assertEqual(complaint.action_view_refund_moves()["res_id"], refund.id)
        self.assertEqual(refund.action_view_qms_complaint()["res_id"], complaint.id)
        self.assertEqual(line.remedy, "refund")
        self.assertIn("Draft", line.remedy_document_state)
        # one remedy per line
        with self.assertRaises(UserError):
            line.with_user(self.quality).action_remedy_repair()

    def test_replacement_creates_return_and_new_delivery(self):
        order = self._order()
        complaint, line = self._slip(order)
        line.with_user(self.sales).action_remedy_replacement()
        ret, repl = line.return_picking_id, line.replacement_picking_id
        self.assertEqual(ret.picking_type_id.code, "incoming")
        self.assertEqual(ret.move_ids.product_uom_qty, 2)
        self.assertEqual(ret.move_ids.origin_returned_move_id, order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state == "done").move_ids)
        self.assertEqual(repl.picking_type_id.code, "outgoing")
        self.assertEqual(repl.move_ids.product_uom_qty, 2)
        self.assertEqual(repl.move_ids.sale_line_id, order.order_line)
        self.assertNotEqual(repl.state, "draft")
        self.assertEqual((ret.qms_complaint_id, repl.qms_complaint_id), (complaint, complaint))
        self.assertEqual(complaint.remedy_picking_count, 2)
        self.assertIn(repl.name, line.remedy_document_state)

    def test_repair_creates_repair_order(self):
        order = self._order()
        complaint, line = self._slip(order, qty=1)
        self._age_delivery(order, 100)
        line.invalidate_recordset()
        line.with_user(self.quality).action_remedy_repair()
        repair = line.repair_id
        self.assertEqual((repair.product_id, repair.product_qty, repair.partner_id),
                         (self.product, 1, self.customer))
        self.assertTrue(repair.under_warranty)
        self.assertEqual(repair.qms_complaint_id, complaint)
        self.assertEqual(complaint.repair_count, 1)
        self.assertEqual(repair.action_view_qms_complaint()["res_id"], complaint.id)

    # --- errors and overrides -------------------------------------------------------------------
    def test_refund_of_uninvoiced_line_refused(self):
        order = self._order(invoice=False)
        _complaint, line = self._slip(order)
        with self.assertRaisesRegex(UserError, "not been invoiced"):
            line.with_user(self.quality).action_remedy_refund()
        self.assertFalse(line.remedy)

    def test_replacement_or_repair_of_undelivered_line_refused(self):
        order = self._order(deliver=False)
        _complaint, line = self._slip(order, returned=0)
        with self.assertRaisesRegex(UserError, "not been delivered"):
            line.with_user(self.quality).action_remedy_replacement()
        with self.assertRaisesRegex(UserError, "not been delivered"):
            line.with_user(self.quality).action_remedy_repair()
        self.assertFalse(self.env["repair.order"].search([("qms_complaint_id", "=", line.complaint_id.id)]))

    def test_outside_window_needs_quality_override(self):
        order = self._order()
        complaint, line = self._slip(order)
        self._age_delivery(order, 20)
        line.invalidate_recordset()
        with self.assertRaisesRegex(UserError, "override"):
            line.with_user(self.quality).action_remedy_refund()
        self.assertFalse(line.refund_move_id)
        # only Quality grants an override, and only with a reason
        with self.assertRaises(AccessError):
            line.with_user(self.sales).action_override_window()
        with self.assertRaises(UserError):
            line.with_user(self.quality).action_override_window()
        with self.assertRaises(UserError):
            line.with_user(self.sales).write({"remedy_override_by_id": self.sales.id})
        wizard = self.env["qms.remedy.override"].with_user(self.quality).create(
            {"line_id": line.id, "reason": "Customer is a key account; defect confirmed."})
        wizard.action_confirm()
        self.assertEqual(line.remedy_override_by_id, self.quality)
        self.assertIn("key account", complaint.message_ids[0].body)
        line.with_user(self.quality).action_remedy_refund()
        self.assertEqual(line.refund_move_id.invoice_line_ids.quantity, 2)

    def test_remedy_needs_role_and_stage(self):
        order = self._order()
        complaint = self.env["qms.complaint"].create({
            "partner_id": self.customer.id, "sale_order_id": order.id,
            "line_ids": [Command.create({"sale_line_id": order.order_line.id, "qty_complained": 1})],
        })
        with self.assertRaisesRegex(UserError, "stage"):
            complaint.line_ids.action_remedy_refund()
        complaint.action_submit()
        complaint.with_user(self.supervisor).action_supervisor_review()
        with self.assertRaises(AccessError):
            complaint.line_ids.with_user(self.gm).action_remedy_refund()
