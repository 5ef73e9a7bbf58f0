"""The three guarantees per unit, as the regulations count them (issue 15 items 1-4): the serial of
the unit delivered to this customer, the start (delivery, or the customer's acceptance of the
installation), the days in repair that do not count, the replacement that restarts the periods,
and the unit repaired twice that fails again."""
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import QmsHttpCommon


@tagged("post_install", "-at_install")
class TestWarrantyUnits(QmsHttpCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._statutory_guarantees()
        cls.pump = cls.env["product.product"].create({
            "name": "Unit Pump", "type": "consu", "is_storable": True, "tracking": "serial",
            "invoice_policy": "order", "list_price": 100.0})
        cls.press = cls.env["product.product"].create({
            "name": "Unit Press", "type": "consu", "is_storable": True, "invoice_policy": "order",
            "list_price": 900.0, "qms_requires_installation": True})
        cls.fan = cls.env["product.product"].create({
            "name": "Unit Fan", "type": "consu", "is_storable": True, "invoice_policy": "order", "list_price": 50.0})
        cls.stock = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1).lot_stock_id
        Quant = cls.env["stock.quant"]
        for serial in ("UP-001", "UP-002", "UP-003", "UP-004", "UP-005", "UP-006"):
            lot = cls.env["stock.lot"].create({"name": serial, "product_id": cls.pump.id})
            Quant._update_available_quantity(cls.pump, cls.stock, 1, lot_id=lot)
        Quant._update_available_quantity(cls.press, cls.stock, 10)
        Quant._update_available_quantity(cls.fan, cls.stock, 10)

    # --- helpers: real documents ---------------------------------------------------------------
    def _deliver(self, picking, lots=None, days_ago=0):
        """Validate a delivery (with these serials), dated ``days_ago``."""
        picking.action_assign()
        if lots:
            picking.move_line_ids.unlink()
            move = picking.move_ids
            for lot in lots:
                self.env["stock.move.line"].create({
                    "move_id": move.id, "picking_id": picking.id, "product_id": move.product_id.id,
                    "lot_id": lot.id, "quantity": 1, "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id, "product_uom_id": move.product_uom.id})
        picking.move_ids.picked = True
        picking.with_context(skip_sms=True, skip_backorder=True, picking_ids_not_to_backorder=picking.ids
                             ).button_validate()
        self.assertEqual(picking.state, "done")
        if days_ago:
            picking.move_ids.write({"date": fields.Datetime.now() - timedelta(days=days_ago)})
        return picking.move_line_ids.lot_id

    def _order(self, product=None, qty=2, customer=None, days_ago=0, lots=None):
        order = self.env["sale.order"].create({
            "partner_id": (customer or self.customer).id,
            "order_line": [Command.create({"product_id": (product or self.pump).id, "product_uom_qty": qty,
                                           "price_unit": 100.0})]})
        order.action_confirm()
        delivered = self._deliver(order.picking_ids, lots=lots, days_ago=days_ago)
        order._create_invoices().action_post()
        return order, delivered

    def _slip(self, order, lot=None, review=True):
        complaint = self.env["qms.complaint"].create({
            "partner_id": order.partner_id.id, "sale_order_id": order.id, "category": "product",
            "line_ids": [Command.create({"sale_line_id": order.order_line.id, "qty_complained": 1,
                                         "lot_id": lot.id if lot else False})]})
        if review:
            complaint.action_submit()
            complaint.with_user(self.supervisor).action_supervisor_review()
        return complaint.line_ids

    def _lot(self, name):
        return self.env["stock.lot"].search([("name", "=", name), ("product_id", "=", self.pump.id)])

    def _repair(self, line, created_days_ago, done_days_ago=None):
        """The repair of the line's unit through repair: created, then done ``done_days_ago``."""
        line.with_user(self.quality).action_remedy_repair()
        repair = line.repair_id
        repair._action_repair_confirm()  # the unit is at the customer's: no stock check
        repair.action_repair_start()
        if done_days_ago is not None:
            repair.action_repair_end()
            self.assertEqual(repair.state, "done")
            repair.move_id.date = fields.Datetime.now() - timedelta(days=done_days_ago)
        repair.flush_recordset()
        self.env.cr.execute("UPDATE repair_order SET create_date = %s WHERE id = %s",
                            (fields.Datetime.now() - timedelta(days=created_days_ago), repair.id))
        repair.invalidate_recordset(["create_date"])
        return repair

    def _windows(self, line):
        line.invalidate_recordset()
        return (line.warranty_start_date, line.warranty_repair_days, line.warranty_days_elapsed,
                line.remedy_eligible, line.remedy_days_left)

    # --- 1. per unit ---------------------------------------------------------------------------
    def test_serial_delivered_to_this_customer_only(self):
        order, lots = self._order()
        _other_order, other_lots = self._order(customer=self.other_customer, qty=1)
        self.assertEqual(len(lots), 2)
        line = self._slip(order, lot=lots[0], review=False)
        self.assertEqual(line.lot_id, lots[0])
        self.assertEqual(line.delivered_lot_ids, lots)
        # assertRaises rolls back to a savepoint, as the failed request would
        with self.assertRaises(ValidationError) as refused:
            line.write({"lot_id": other_lots.id})
        self.assertIn("was not delivered to Test Customer Ltd", str(refused.exception))
        with self.assertRaises(ValidationError) as refused:
            self._slip(order, lot=other_lots)
        self.assertIn("not delivered", str(refused.exception))
        undelivered = self.env["stock.lot"].create({"name": "UP-NEVER", "product_id": self.pump.id})
        with self.assertRaises(ValidationError) as refused:
            line.write({"lot_id": undelivered.id})
        self.assertIn("not delivered", str(refused.exception))
        line.invalidate_recordset()
        self.assertEqual(line.lot_id, lots[0])

    def test_serial_not_delivered_refused_over_json2(self):
        order, lots = self._order()
        _other_order, other_lots = self._order(customer=self.other_customer, qty=1)
        line = self._slip(order, review=False)
        complaint = line.complaint_id
        # the slip's recorder writes the line, from the slip (one2many command) and directly
        self.assertRefused(self.sales, "qms.complaint.line", "write", "not delivered",
                           ids=line.ids, vals={"lot_id": other_lots.id})
        self.assertRefused(self.sales, "qms.complaint", "write", "not delivered", ids=complaint.ids,
                           vals={"line_ids": [Command.update(line.id, {"lot_id": other_lots.id})]})
        self.assertRefused(self.sales, "qms.complaint", "create", "not delivered", vals_list=[{
            "partner_id": self.customer.id, "sale_order_id": order.id, "line_ids": [Command.create({
                "sale_line_id": order.order_line.id, "qty_complained": 1, "lot_id": other_lots.id})]}])
        self.assertRefused(self.sales, "qms.complaint.line", "create", "not delivered", vals_list=[{
            "complaint_id": complaint.id, "sale_line_id": order.order_line.id, "qty_complained": 1,
            "lot_id": other_lots.id}])
        self.assertRefused(self.sales, "qms.complaint.line", "copy", "not delivered", ids=line.ids,
                           default={"lot_id": other_lots.id})
        self.assertFalse(line.lot_id)
        self.assertEqual(complaint.line_ids, line, "nothing half-written")
        self.assertAccepted(self.sales, "qms.complaint.line", "write", ids=line.ids, vals={"lot_id": lots[1].id})
        self.assertEqual(line.lot_id, lots[1])

    # --- 2. start of the period ----------------------------------------------------------------
    def test_weekends_are_calendar_days(self):
        today = fields.Date.context_today(self.env.user)
        # delivered on the Friday at least a week ago: the weekends count
        friday = today - timedelta(days=(today.weekday() - 4) % 7 + 7)
        days = (today - friday).days
        self.assertTrue(7 <= days <= 13)
        order, lots = self._order()
        order.order_line.move_ids.write({"date": fields.Datetime.to_datetime(friday) + timedelta(hours=12)})
        line = self._slip(order, lot=lots[0])
        self.assertEqual(self._windows(line), (friday, 0, days, "replacement", 15 - days))
        self.assertEqual((line.refund_days_left, line.replacement_days_left, line.repair_days_left),
                         (0, 15 - days, 365 - days))

    def test_installation_acceptance_starts_the_period(self):
        today = fields.Date.context_today(self.env.user)
        order, _lots = self._order(product=self.press, qty=1, days_ago=30)
        request = order.qms_service_request_ids.filtered(lambda r: r.service_type == "installation")
        self.assertEqual(len(request), 1)
        line = self._slip(order)
        # not accepted yet: the period has not started, and the line says so
        self.assertEqual((line.warranty_start_date, line.remedy_eligible), (False, "not_started"))
        self.assertIn(request.name, line.warranty_note)
        with self.assertRaisesRegex(UserError, "not been accepted"):
            line.with_user(self.quality).action_remedy_replacement()
        request.write({"work_notes": "Installed and levelled.", "technician_id": self.production.id})
        request.with_user(self.production).action_done()
        request.with_user(self.sales)._do_accept("Mr Wang", today - timedelta(days=4))
        # delivered 30 days ago, accepted 4 days ago: refund for 3 more days
        self.assertEqual(self._windows(line), (today - timedelta(days=4), 0, 4, "refund", 3))
        # a company that counts from the delivery only for a policy of its own
        self.env["qms.warranty.policy"].create({
            "name": "Presses", "product_tmpl_id": self.press.product_tmpl_id.id, "refund_days": 7,
            "replacement_days": 15, "repair_days": 365, "warranty_start": "invoice"})
        self.assertEqual(self._windows(line)[0], order.invoice_ids.invoice_date)

    # --- 3. repair days, replacement -------------------------------------------------------------
    def test_repair_days_do_not_count(self):
        """Delivered on day 0 (20 days ago), a repair created on day 3 and done on day 10: 7 days
        do not count, 13 are counted, the replacement is still open for 2 days."""
        today = fields.Date.context_today(self.env.user)
        order, lots = self._order(days_ago=20)
        first = self._slip(order, lot=lots[0])
        self.assertEqual(self._windows(first), (today - timedelta(days=20), 0, 20, "repair", 345))
        self._repair(first, created_days_ago=17, done_days_ago=10)
        again = self._slip(order, lot=lots[0])
        self.assertEqual(self._windows(again), (today - timedelta(days=20), 7, 13, "replacement", 2))
        self.assertIn("7", again.warranty_note)
        # the other unit of the same order line was not in repair
        other = self._slip(order, lot=lots[1])
        self.assertEqual(self._windows(other)[1:], (0, 20, "repair", 345))
        # the replacement is given without an override
        again.with_user(self.quality).action_remedy_replacement()
        self.assertTrue(again.replacement_picking_id)

    def test_repair_under_way_counts_to_today(self):
        order, lots = self._order(days_ago=20)
        first = self._slip(order, lot=lots[0])
        self._repair(first, created_days_ago=12)
        self.assertEqual(self._windows(first)[1:3], (12, 8))

    def test_replacement_restarts_the_periods_of_the_new_unit(self):
        today = fields.Date.context_today(self.env.user)
        order, lots = self._order(qty=1, days_ago=12)
        line = self._slip(order, lot=lots)
        self.assertEqual(self._windows(line)[2:], (12, "replacement", 3))
        line.with_user(self.quality).action_remedy_replacement()
        new_unit = self._deliver(line.replacement_picking_id, lots=self._lot("UP-006"), days_ago=2)
        self.assertEqual(new_unit.name, "UP-006")
        fresh = self._slip(order, lot=new_unit)
        self.assertEqual(self._windows(fresh), (today - timedelta(days=2), 0, 2, "refund", 5))
        old = self._slip(order, lot=lots)
        self.assertEqual(self._windows(old)[0], today - timedelta(days=12), "the old unit keeps its start")

    # --- 4. repaired twice and still failing -----------------------------------------------------
    def test_third_failure_after_two_repairs_offers_replacement(self):
        order, lots = self._order(days_ago=100)
        first = self._slip(order, lot=lots[0])
        repair1 = self._repair(first, created_days_ago=90, done_days_ago=85)
        second = self._slip(order, lot=lots[0])
        self.assertFalse(second.warranty_repaired_twice, "one repair only")
        repair2 = self._repair(second, created_days_ago=60, done_days_ago=50)
        third = self._slip(order, lot=lots[0])
        # 100 days less 5 + 10 in repair: 85 counted, far beyond the 15 days of the replacement
        self.assertEqual(self._windows(third)[1:], (15, 85, "refund", 280))
        self.assertTrue(third.warranty_repaired_twice)
        self.assertEqual(third.warranty_earlier_repair_ids, repair1 | repair2)
        self.assertIn(repair1.name, third.warranty_note)
        self.assertIn(repair2.name, third.warranty_note)
        action = third.action_view_earlier_repairs()
        self.assertEqual(set(action["domain"][0][2]), set((repair1 | repair2).ids))
        # only that unit: the other serial of the same order line is in its repair period
        other = self._slip(order, lot=lots[1])
        self.assertFalse(other.warranty_repaired_twice)
        with self.assertRaisesRegex(UserError, "override"):
            other.with_user(self.quality).action_remedy_replacement()
        # no override needed for the unit repaired twice
        third.with_user(self.sales).action_remedy_replacement()
        self.assertFalse(third.remedy_override_by_id)
        self.assertEqual(third.remedy, "replacement")

    def test_without_serial_counted_per_order_line(self):
        """Without a serial, the unit is the order line: its repairs on earlier slips count."""
        order, _lots = self._order(product=self.fan, qty=3, days_ago=100)
        self._repair(self._slip(order), created_days_ago=90, done_days_ago=85)
        self._repair(self._slip(order), created_days_ago=60, done_days_ago=50)
        third = self._slip(order)
        self.assertEqual(self._windows(third)[1:], (15, 85, "refund", 280))
        self.assertTrue(third.warranty_repaired_twice)
        # another order line of the same product is another unit
        other_order, _lots = self._order(product=self.fan, qty=1, days_ago=100)
        self.assertFalse(self._slip(other_order).warranty_repaired_twice)

    # --- the budget ----------------------------------------------------------------------------
    def test_query_budget_for_a_slip_of_twenty_lines(self):
        order, lots = self._order(qty=2, days_ago=20)
        complaint = self.env["qms.complaint"].create({
            "partner_id": self.customer.id, "sale_order_id": order.id, "category": "product",
            "line_ids": [Command.create({"sale_line_id": order.order_line.id, "qty_complained": 1,
                                         "lot_id": lots[i % 2].id}) for i in range(20)]})
        self._repair(self._slip(order, lot=lots[0]), created_days_ago=17, done_days_ago=10)
        self.env.invalidate_all()
        lines = complaint.line_ids
        with self.assertQueryCount(20):
            lines.mapped("remedy_eligible")
        self.assertEqual(lines.mapped("warranty_repair_days"), [7, 0] * 10)

    # --- the demo tells the story --------------------------------------------------------------
    def test_demo_installed_product_and_unit_repaired_twice(self):
        printer = self.env.ref("qms_customer.complaint_units_printer_line", raise_if_not_found=False)
        if not printer:
            self.skipTest("demo data not installed")
        today = fields.Date.context_today(self.env.user)
        # delivered 20 days ago, accepted 5 days ago: the days run from the acceptance
        self.assertEqual(self._windows(printer)[:3], (today - timedelta(days=5), 0, 5))
        self.assertEqual(printer.remedy_eligible, "refund")
        coffee = self.env.ref("qms_customer.complaint_units_coffee_3_line")
        self.assertTrue(coffee.warranty_repaired_twice)
        self.assertEqual(coffee.warranty_days_elapsed, 120)
        self.assertEqual(coffee.warranty_earlier_repair_ids, (
            self.env.ref("qms_customer.complaint_units_coffee_1_line")
            | self.env.ref("qms_customer.complaint_units_coffee_2_line")).repair_id)
        self.assertEqual(coffee.remedy_eligible, "refund")
        self.assertGreater(coffee.replacement_days_left, 0)

    # --- the warranty card prints the unit's start ---------------------------------------------
    def test_warranty_card_of_an_installed_product_starts_at_the_acceptance(self):
        today = fields.Date.context_today(self.env.user)
        order, _lots = self._order(product=self.press, qty=1)
        picking = order.picking_ids
        card = picking._prepare_warranty_card_print_data()[0]
        self.assertEqual((card["start"], card["installation_pending"]), (False, True))
        self.assertFalse(any(window["until"] for window in card["windows"]))
        html = self.env["ir.actions.report"]._render_qweb_html(
            "qms_customer.report_qms_warranty_card", picking.ids)[0].decode()
        self.assertIn("at the customer's acceptance of the installation", html)
        request = order.qms_service_request_ids.filtered(lambda r: r.service_type == "installation")
        request.write({"work_notes": "Installed.", "technician_id": self.production.id})
        request.with_user(self.production).action_done()
        request.with_user(self.sales)._do_accept("Mr Wang", today + timedelta(days=3))
        card = picking._prepare_warranty_card_print_data()[0]
        self.assertEqual(card["start"], today + timedelta(days=3))
        self.assertEqual(card["windows"][0]["until"], today + timedelta(days=10))
