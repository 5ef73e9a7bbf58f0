"""Issue 15 (leftover of item 1): the customer names the serial of the unit on the portal's
complaint form, among the serials delivered to them on that order line and nothing else; a forged
serial in the POST (another customer's, or not delivered at all) is refused on the form, nothing
created."""
import re

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged

from .test_portal import QmsPortalCommon


@tagged("post_install", "-at_install")
class TestPortalSerial(HttpCase, QmsPortalCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.meter = cls.env["product.product"].create({
            "name": "Portal Meter", "type": "consu", "is_storable": True, "tracking": "serial",
            "list_price": 80.0})
        stock = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1).lot_stock_id
        cls.serials = cls.env["stock.lot"]
        for name in ("PM-MINE-1", "PM-MINE-2", "PM-THEIRS-1", "PM-STOCK-1"):
            serial = cls.env["stock.lot"].create({"name": name, "product_id": cls.meter.id})
            cls.env["stock.quant"]._update_available_quantity(cls.meter, stock, 1, lot_id=serial)
            cls.serials |= serial
        cls.mine, cls.theirs, cls.in_stock = cls.serials[:2], cls.serials[2], cls.serials[3]
        cls.meter_order = cls._confirmed_order(cls.contact, [(cls.meter, 2), (cls.product, 1)])
        cls._deliver_serials(cls.meter_order, cls.mine)
        cls.other_meter_order = cls._confirmed_order(cls.other_contact, [(cls.meter, 1)])
        cls._deliver_serials(cls.other_meter_order, cls.theirs)
        cls.meter_line = cls.meter_order.order_line.filtered(lambda line: line.product_id == cls.meter)
        cls.desk_line = cls.meter_order.order_line - cls.meter_line

    @classmethod
    def _deliver_serials(cls, order, serials):
        picking = order.picking_ids
        picking.action_assign()
        picking.move_line_ids.unlink()
        move = picking.move_ids.filtered(lambda m: m.product_id == cls.meter)
        for serial in serials:
            cls.env["stock.move.line"].create({
                "move_id": move.id, "picking_id": picking.id, "product_id": cls.meter.id, "lot_id": serial.id,
                "quantity": 1, "location_id": move.location_id.id, "location_dest_id": move.location_dest_id.id})
        for other in picking.move_ids - move:
            other.quantity = other.product_uom_qty
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True, picking_ids_not_to_backorder=picking.ids).button_validate()
        assert picking.state == "done", picking.state

    def _form(self):
        return self.url_open(f"/my/complaints/new?order_id={self.meter_order.id}").text

    def _post(self, **fields):
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', self._form()).group(1)
        return self.url_open("/my/complaints/new", data={
            "csrf_token": csrf, "order_id": self.meter_order.id, "description": "The meter reads zero",
            f"qty_{self.meter_line.id}": "1", **fields})

    def test_form_offers_the_serials_delivered_to_the_customer_only(self):
        self.authenticate("t_portal_pat", "t_portal_pat")
        form = self._form()
        select = re.search(rf'<select[^>]*name="lot_{self.meter_line.id}"[^>]*>(.*?)</select>', form, re.S)
        self.assertTrue(select, "no serial choice on the line of the serial-tracked product")
        offered = set(re.findall(r'<option value="(\d+)"', select.group(1)))
        self.assertEqual(offered, {str(serial.id) for serial in self.mine})
        self.assertNotIn("PM-THEIRS-1", form)
        self.assertNotIn("PM-STOCK-1", form)
        # a product not tracked by serial: no choice
        self.assertNotIn(f'name="lot_{self.desk_line.id}"', form)

    def test_chosen_serial_is_recorded_on_the_line(self):
        self.authenticate("t_portal_pat", "t_portal_pat")
        response = self._post(**{f"lot_{self.meter_line.id}": str(self.mine[1].id)})
        self.assertEqual(response.status_code, 200)
        complaint = self.env["qms.complaint"].search([("sale_order_id", "=", self.meter_order.id)])
        self.assertEqual(len(complaint), 1)
        self.assertIn(f"/my/complaints/{complaint.id}", response.url)
        self.assertEqual(complaint.line_ids.lot_id, self.mine[1])
        # none chosen ("Not known"): the line names no serial
        self._post(**{f"lot_{self.meter_line.id}": "", "description": "Second complaint, serial unknown"})
        second = self.env["qms.complaint"].search([("description", "ilike", "serial unknown")])
        self.assertEqual(len(second), 1)
        self.assertFalse(second.line_ids.lot_id)

    def test_forged_serial_refused_on_the_form_nothing_created(self):
        self.authenticate("t_portal_pat", "t_portal_pat")
        count = self.env["qms.complaint"].search_count([])
        for forged in (self.theirs.id, self.in_stock.id, "x1", "99999999999", "-3"):
            response = self._post(**{f"lot_{self.meter_line.id}": str(forged)})
            self.assertEqual(response.status_code, 200)
            self.assertIn("o_qms_complaint_error", response.text, forged)
            self.assertIn("choose one of the serial numbers delivered to you", response.text)
            # the refusal names no serial of anyone else
            self.assertNotIn("PM-THEIRS-1", response.text)
            self.assertNotIn("PM-STOCK-1", response.text)
            self.assertEqual(self.env["qms.complaint"].search_count([]), count, forged)
        # a serial given for a product not tracked by serial: none is delivered, refused too
        response = self._post(**{f"qty_{self.desk_line.id}": "1", f"lot_{self.desk_line.id}": str(self.mine[0].id)})
        self.assertIn("o_qms_complaint_error", response.text)
        self.assertEqual(self.env["qms.complaint"].search_count([]), count)

    def test_model_intake_refuses_another_customers_serial(self):
        """The same rule below the form: _portal_create_complaint as the portal user."""
        Complaint = self.env["qms.complaint"].with_user(self.portal)
        with self.assertRaisesRegex(ValidationError, "delivered to you"):
            Complaint._portal_create_complaint(self.meter_order.id, [
                {"sale_line_id": self.meter_line.id, "qty": 1, "defect": "", "lot_id": self.theirs.id}],
                "Forged below the form")
        complaint = Complaint._portal_create_complaint(self.meter_order.id, [
            {"sale_line_id": self.meter_line.id, "qty": 1, "defect": "", "lot_id": self.mine[0].id}],
            "Named below the form")
        self.assertEqual(complaint.sudo().line_ids.lot_id, self.mine[0])
