from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import QmsHttpCommon

# reading where the returned units of a slip are: the lines, their returns, repairs, deliveries
# back and locations (the user, the lines, the pickings, the locations and their names), whatever the
# number of lines
QUERY_BUDGET = 5


@tagged("post_install", "-at_install")
class TestReturnToCustomer(QmsHttpCommon):
    """Issue 15.7: the returned unit is received back, repaired or found not the company's fault,
    and delivered back to the customer; each line says where its unit is."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        cls.stock = cls.warehouse.lot_stock_id
        cls.pump = cls.env["product.product"].create({
            "name": "Return Pump", "type": "consu", "is_storable": True, "list_price": 100.0})
        cls.env["stock.quant"]._update_available_quantity(cls.pump, cls.stock, 20)
        cls.meter = cls.env["product.product"].create({
            "name": "Serial Meter", "type": "consu", "is_storable": True, "tracking": "serial", "list_price": 50.0})
        cls.sn1 = cls.env["stock.lot"].create({"name": "SN-RTC-1", "product_id": cls.meter.id})
        cls.sn2 = cls.env["stock.lot"].create({"name": "SN-RTC-2", "product_id": cls.meter.id})
        cls.env["stock.quant"]._update_available_quantity(cls.meter, cls.stock, 1, lot_id=cls.sn1)

    def _delivered_order(self, product, qty=2):
        order = self._confirmed_order(self.customer, [(product, qty)])
        picking = order.picking_ids
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return order

    def _slip(self, order, qty=1):
        complaint = self._complaint(sale_order_id=order.id, line_ids=[Command.create({
            "sale_line_id": order.order_line.id, "qty_complained": qty, "qty_returned": qty,
            "defect_description": "Stops after an hour"})])
        self._to_quality_review(complaint)
        complaint = complaint.with_env(self.env)  # the test reads the stock and repair documents as admin
        return complaint, complaint.line_ids

    def _not_responsible(self, complaint):
        complaint.with_user(self.quality).write({"quality_disposition": "Within specification",
                                                 "responsibility_finding": "normal_use"})
        complaint.with_user(self.quality).action_confirm_not_responsible()

    def _validate(self, picking, lot=None):
        picking = picking.sudo()
        if lot:
            picking.move_ids.move_line_ids.unlink()
            self.env["stock.move.line"].create({
                "move_id": picking.move_ids.id, "picking_id": picking.id, "product_id": picking.product_id.id,
                "lot_id": lot.id, "quantity": 1, "location_id": picking.location_id.id,
                "location_dest_id": picking.location_dest_id.id})
        else:
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        picking.invalidate_recordset()

    def _status(self, line):
        line.invalidate_recordset()
        return line.unit_status

    # --- the repair path ------------------------------------------------------------------------
    def test_repaired_unit_goes_back_to_the_customer(self):
        order = self._delivered_order(self.pump)
        complaint, line = self._slip(order)
        self.assertEqual(self._status(line), "with_customer")
        line.with_user(self.sales).action_remedy_repair()
        repair = line.repair_id
        line.with_user(self.sales).action_receive_unit()
        receipt = line.return_picking_id
        self.assertEqual(receipt.picking_type_code, "incoming")
        self.assertEqual(receipt.qms_complaint_id, complaint)
        self.assertEqual(line.unit_receipt_by_id, self.sales)
        self.assertEqual(self._status(line), "return_in_transit")
        with self.assertRaisesRegex(UserError, "has not been received back"):
            line.with_user(self.sales).action_return_to_customer()
        self._validate(receipt)
        self.assertEqual(self._status(line), "received")
        self.assertEqual(line.unit_location_id, receipt.location_dest_id)
        self.assertIn(receipt.location_dest_id.display_name, line.unit_whereabouts)
        # the unit came back to be repaired, not sold back: the order keeps it delivered
        self.assertEqual(order.order_line.qty_delivered, 2)
        # neither repaired nor found not the company's fault: it stays
        with self.assertRaisesRegex(UserError, "once its repair is done"):
            line.with_user(self.sales).action_return_to_customer()
        repair.action_validate()
        repair.action_repair_start()
        self.assertEqual(self._status(line), "in_repair")
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        self.assertEqual(self._status(line), "repaired")
        self.assertTrue(line.with_user(self.sales).can_return_to_customer)

        line.with_user(self.sales).action_return_to_customer()
        back = line.return_to_customer_picking_id
        self.assertEqual(back.picking_type_code, "outgoing")
        self.assertEqual(back.partner_id, order.partner_shipping_id)
        self.assertEqual((back.move_ids.product_id, back.move_ids.product_uom_qty), (self.pump, 1))
        self.assertEqual(back.location_id, repair.product_location_dest_id)
        self.assertEqual(back.qms_complaint_id, complaint)
        self.assertEqual((line.return_to_customer_by_id, bool(line.return_to_customer_date)), (self.sales, True))
        self.assertEqual(self._status(line), "back_in_transit")
        self.assertEqual(complaint.return_to_customer_count, 1)
        self.assertEqual(complaint.action_view_return_to_customer_pickings()["res_id"], back.id)
        with self.assertRaisesRegex(UserError, "already sent back"):
            line.with_user(self.sales).action_return_to_customer()
        self._validate(back)
        self.assertEqual(self._status(line), "back_with_customer")
        self.assertFalse(line.unit_location_id)
        self.assertEqual(order.order_line.qty_delivered, 2)
        # the customer's own unit in and out is no cost of poor quality
        complaint.invalidate_recordset()
        self.assertEqual((complaint.cost_returns, complaint.cost_replacements), (0, 0))
        html = self.env["ir.actions.report"]._render_qweb_html(
            "qms_customer.report_qms_complaint", complaint.ids)[0].decode()
        self.assertIn("Returned Units", html)
        self.assertIn(back.name, html)

    # --- the not-responsible path, a serial number ----------------------------------------------
    def test_not_responsible_unit_goes_back_with_its_serial(self):
        order = self._delivered_order(self.meter, qty=1)
        self.assertEqual(order.picking_ids.move_line_ids.lot_id, self.sn1)
        complaint, line = self._slip(order)
        self._not_responsible(complaint)
        self.assertEqual(complaint.state, "investigation")
        line.with_user(self.quality).action_receive_unit()
        self._validate(line.return_picking_id, lot=self.sn1)
        self.assertEqual(self._status(line), "received")
        # another unit of the same product in stock: the customer gets their own back
        self.env["stock.quant"]._update_available_quantity(self.meter, self.stock, 1, lot_id=self.sn2)
        line.with_user(self.sales).action_return_to_customer()
        back = line.return_to_customer_picking_id
        self.assertEqual(back.move_ids.move_line_ids.lot_id, self.sn1)
        self._validate(back)
        self.assertEqual(self._status(line), "back_with_customer")
        self.assertEqual(self.sn1.sudo().quant_ids.filtered(lambda q: q.quantity > 0).location_id.usage, "customer")

    # --- refusals -------------------------------------------------------------------------------
    def test_refused_when_goods_kept_or_not_received(self):
        order = self._delivered_order(self.pump, qty=4)
        complaint, line = self._slip(order)
        self._not_responsible(complaint)
        with self.assertRaisesRegex(UserError, "has not been received back"):
            line.with_user(self.sales).action_return_to_customer()
        self.assertFalse(line.return_to_customer_picking_id)
        # received back, then a replacement would take it back a second time
        line.with_user(self.sales).action_receive_unit()
        with self.assertRaisesRegex(UserError, "already coming back"):
            line.with_user(self.sales).action_receive_unit()
        with self.assertRaisesRegex(UserError, "already received back"):
            line.with_user(self.sales).action_remedy_replacement()
        self.assertFalse(line.remedy)
        # a replacement given: the company keeps the unit it took back
        complaint2, line2 = self._slip(order)
        line2.with_user(self.sales).action_remedy_replacement()
        self._validate(line2.return_picking_id)
        self._not_responsible(complaint2)
        self.assertEqual(self._status(line2), "received")
        with self.assertRaisesRegex(UserError, "the company keeps it"):
            line2.with_user(self.sales).action_return_to_customer()
        with self.assertRaisesRegex(UserError, "the company keeps it"):
            line2.with_user(self.sales).action_receive_unit()
        self.assertFalse(line2.return_to_customer_picking_id)
        # a cancelled slip sends nothing
        self._validate(line.return_picking_id)
        wizard_action = complaint.with_user(self.supervisor).action_cancel()
        self.env["qms.complaint.cancel"].with_user(self.supervisor).with_context(wizard_action["context"]).create(
            {"reason": "Withdrawn by the customer"}).action_cancel()
        self.assertEqual(complaint.state, "cancel")
        with self.assertRaisesRegex(UserError, "Cancelled"):
            line.with_user(self.sales).action_return_to_customer()
        self.assertFalse(line.return_to_customer_picking_id)

    def test_refused_over_json2(self):
        order = self._delivered_order(self.pump)
        complaint, line = self._slip(order)
        self._not_responsible(complaint)
        line.with_user(self.sales).action_receive_unit()
        self._validate(line.return_picking_id)
        other = line.return_picking_id  # any picking of the slip
        # the wrong role
        for user in (self.employee, self.production):
            self.assertRefused(user, "qms.complaint.line", "action_return_to_customer", ids=line.ids)
            self.assertRefused(user, "qms.complaint.line", "action_receive_unit", ids=line.ids)
        # the link written directly, with or without the step's stamp, or the stamp alone
        for vals in ({"return_to_customer_picking_id": other.id},
                     {"return_to_customer_by_id": self.sales.id, "return_to_customer_picking_id": other.id},
                     {"return_to_customer_by_id": self.sales.id},
                     {"unit_receipt_by_id": self.sales.id},
                     {"return_picking_id": False}):
            self.assertRefused(self.sales, "qms.complaint.line", "write", ids=line.ids, vals=vals)
        # one2many commands from the slip
        self.assertRefused(self.quality, "qms.complaint", "write", ids=complaint.ids, vals={
            "line_ids": [[1, line.id, {"return_to_customer_picking_id": other.id}]]})
        # a new slip's line naming a picking
        self.assertRefused(self.sales, "qms.complaint", "create", vals_list=[{
            "partner_id": self.customer.id, "sale_order_id": order.id, "category": "product",
            "line_ids": [[0, 0, {"sale_line_id": order.order_line.id, "qty_complained": 1,
                                 "return_to_customer_picking_id": other.id}]]}])
        # copy carries no link
        line.invalidate_recordset()
        self.assertFalse(line.return_to_customer_picking_id)
        self.assertEqual(line.return_picking_id, other)
        # the right role, by the button
        self.assertAccepted(self.sales, "qms.complaint.line", "action_return_to_customer", ids=line.ids)
        line.invalidate_recordset()
        self.assertTrue(line.return_to_customer_picking_id)
        self.assertNotEqual(line.return_to_customer_picking_id, other)

    def test_wrong_role_in_python(self):
        order = self._delivered_order(self.pump)
        complaint, line = self._slip(order)
        self._not_responsible(complaint)
        with self.assertRaises(AccessError):
            line.with_user(self.employee).action_receive_unit()
        self.assertFalse(line.return_picking_id)

    # --- the status of many lines is read in a bounded number of queries -----------------------
    def test_unit_status_query_budget(self):
        order = self._delivered_order(self.pump, qty=8)

        def slip(lines):
            complaint = self._complaint(sale_order_id=order.id, line_ids=[Command.create({
                "sale_line_id": order.order_line.id, "qty_complained": 1, "qty_returned": 1,
                "defect_description": "Noisy"}) for _i in range(lines)])
            self._to_quality_review(complaint)
            self._not_responsible(complaint)
            complaint.line_ids.with_user(self.sales).action_receive_unit()
            return complaint.with_env(self.env).line_ids

        def read(lines):
            self.env.invalidate_all()
            # browsed by their ids, as the web client reads them
            self.env["qms.complaint.line"].with_user(self.sales).browse(lines.ids).read(
                ["unit_status", "unit_location_id", "unit_whereabouts"])

        small, large = slip(1), slip(4)
        for receipt in (small | large).return_picking_id:
            self._validate(receipt)
        counts = []
        for lines in (small, large):
            read(lines)  # warm the caches of the metadata
            before = self.env.cr.sql_log_count
            read(lines)
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1], "reading four lines costs what one does")
        with self.assertQueryCount(QUERY_BUDGET):
            read(large)

    # --- a cancelled return is replaced by a new one (issue 15 leftovers) -------------------------
    def _can_receive(self, line, user):
        line.invalidate_recordset(["can_receive_unit"])
        return line.with_user(user).can_receive_unit

    def test_received_again_after_a_cancelled_return(self):
        """The Receive Unit button (can_receive_unit) shows exactly when the server receives the
        unit: not while its return is under way or done, again once that return is cancelled; the
        line then links the new return, the cancelled one stays in the slip's Returns."""
        order = self._delivered_order(self.pump)
        complaint, line = self._slip(order)
        self._not_responsible(complaint)
        self.assertTrue(self._can_receive(line, self.sales))
        self.assertFalse(self._can_receive(line, self.employee))  # the role, as before
        line.with_user(self.sales).action_receive_unit()
        first = line.return_picking_id
        self.assertFalse(self._can_receive(line, self.sales))
        self.assertRefused(self.sales, "qms.complaint.line", "action_receive_unit", "already coming back",
                           ids=line.ids)
        first.sudo().action_cancel()
        self.assertEqual(first.state, "cancel")
        self.assertEqual(self._status(line), "with_customer")
        self.assertTrue(self._can_receive(line, self.sales))
        self.assertAccepted(self.sales, "qms.complaint.line", "action_receive_unit", ids=line.ids)
        line.invalidate_recordset()
        second = line.return_picking_id
        self.assertTrue(second)
        self.assertNotEqual(second, first)
        self.assertEqual(line.unit_receipt_by_id, self.sales)
        self.assertLessEqual(first | second, complaint.remedy_picking_ids)
        self.assertFalse(self._can_receive(line, self.sales))
        self._validate(second)
        self.assertEqual(self._status(line), "received")
        self.assertFalse(self._can_receive(line, self.sales))
        with self.assertRaisesRegex(UserError, "already coming back"):
            line.with_user(self.sales).action_receive_unit()

    def test_receive_unit_flag_follows_the_servers_refusals(self):
        """Goods kept (a replacement given) or a line without its order line: neither the button nor
        the server receives the unit."""
        order = self._delivered_order(self.pump, qty=4)
        complaint, line = self._slip(order)
        line.with_user(self.sales).action_remedy_replacement()
        self.assertFalse(self._can_receive(line, self.sales))
        self.assertRefused(self.sales, "qms.complaint.line", "action_receive_unit", "the company keeps it",
                           ids=line.ids)
        # its return cancelled, the company still keeps the unit it gave a replacement for
        line.return_picking_id.sudo().action_cancel()
        self.assertFalse(self._can_receive(line, self.sales))
        self.assertRefused(self.sales, "qms.complaint.line", "action_receive_unit", "the company keeps it",
                           ids=line.ids)
        self.assertEqual(complaint.line_ids, line)


@tagged("post_install", "-at_install")
class TestReturnToCustomerDemo(QmsHttpCommon):
    def test_demo_units_on_their_way_back_and_back(self):
        desk = self.env.ref("qms_customer.complaint_guarantees_line_desk", raise_if_not_found=False)
        if not desk:
            self.skipTest("installed without demo data")
        # the repaired desk is on its way back to the customer
        self.assertEqual(desk.repair_id.state, "done")
        self.assertEqual(desk.return_picking_id.state, "done")
        self.assertEqual(desk.unit_status, "back_in_transit")
        self.assertEqual(desk.return_to_customer_picking_id.state, "assigned")
        # the chair of the not-responsible slip went back
        chair = self.env.ref("qms_customer.complaint_return_not_responsible_line")
        self.assertFalse(chair.complaint_id.company_responsible)
        self.assertEqual(chair.unit_status, "back_with_customer")
        self.assertEqual(chair.return_to_customer_picking_id.partner_id,
                         chair.complaint_id.sale_order_id.partner_shipping_id)
