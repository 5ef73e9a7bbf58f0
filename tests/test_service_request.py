from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import QmsCommon


@tagged("post_install", "-at_install")
class TestServiceRequest(QmsCommon):
    """Clause 4.4.1: installation, commissioning and training planned from confirmed orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Service Customer", "is_company": True})
        cls.site = cls.env["res.partner"].create({
            "name": "Service Site", "parent_id": cls.customer.id, "type": "delivery", "street": "1 Plant Road",
            "city": "Suzhou"})
        cls.machine = cls.env["product.product"].create({
            "name": "Service Machine", "type": "consu", "qms_requires_installation": True,
            "qms_requires_training": True})
        cls.spare = cls.env["product.product"].create({"name": "Service Spare", "type": "consu"})

    def _order(self):
        return self.env["sale.order"].create({
            "partner_id": self.customer.id, "partner_shipping_id": self.site.id,
            "order_line": [Command.create({"product_id": self.machine.id, "product_uom_qty": 2}),
                           Command.create({"product_id": self.spare.id, "product_uom_qty": 3})],
        })

    def test_confirmation_plans_the_requests(self):
        order = self._order()
        machine_line, spare_line = order.order_line
        self.assertTrue(machine_line.qms_requires_installation and machine_line.qms_requires_training)
        spare_line.qms_requires_commissioning = True  # the contract asks for it on this line
        order.action_confirm()
        requests = order.qms_service_request_ids
        self.assertEqual(sorted(requests.mapped("service_type")), ["commissioning", "installation", "training"])
        installation = requests.filtered(lambda r: r.service_type == "installation")
        self.assertEqual((installation.sale_line_id, installation.partner_id, installation.site_partner_id),
                         (machine_line, self.customer, self.site))
        self.assertEqual(installation.product_qty, 2)
        self.assertIn("Plant Road", installation.site_address)
        self.assertEqual(installation.state, "planned")
        self.assertTrue(installation.name.startswith("SR/"))
        self.assertEqual(order.qms_service_request_count, 3)
        self.assertEqual(order.action_view_qms_service_requests()["domain"], [("sale_order_id", "=", order.id)])
        # planning again does not duplicate
        order._qms_create_service_requests()
        self.assertEqual(len(order.qms_service_request_ids), 3)

    def test_order_without_services_plans_nothing(self):
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id,
            "order_line": [Command.create({"product_id": self.spare.id, "product_uom_qty": 1})]})
        order.action_confirm()
        self.assertFalse(order.qms_service_request_ids)

    def test_done_then_accepted(self):
        order = self._order()
        order.action_confirm()
        request = order.qms_service_request_ids.filtered(lambda r: r.service_type == "installation")
        with self.assertRaisesRegex(UserError, "before the service is done"):
            request.action_accept()
        with self.assertRaises(UserError):
            request.action_done()  # no work notes
        request.write({"work_notes": "Installed and levelled.", "technician_id": self.production.id})
        request.with_user(self.production).action_done()
        self.assertEqual((request.state, request.done_by_id), ("done", self.production))
        # the button asks who accepted, and when: the acceptance is written with its step only
        self.assertEqual(request.action_accept()["res_model"], "qms.service.acceptance")
        Acceptance = self.env["qms.service.acceptance"]
        with self.assertRaises(UserError):
            request._do_accept("", fields.Date.today())  # who accepted?
        with self.assertRaises(UserError):
            request.write({"acceptance_name": "Mr Wang"})
        Acceptance.with_user(self.sales).create({
            "request_ids": request.ids, "acceptance_name": "Mr Wang", "acceptance_date": fields.Date.today(),
            "acceptance_remarks": "Runs fine."}).action_accept()
        self.assertEqual((request.state, request.accepted_recorded_by_id), ("accepted", self.sales))
        self.assertTrue(request.accepted_recorded_date)
        with self.assertRaises(UserError):
            request.write({"acceptance_remarks": "changed"})
        html = self.env["ir.actions.report"]._render_qweb_html(
            "qms_customer.action_report_qms_service_request", request.ids)[0].decode()
        for text in ("Service Acceptance Sheet", "Mr Wang", "Runs fine.", "Installed and levelled.", "QR-8.2-04"):
            self.assertIn(text, html)

    def test_state_and_stamps_only_through_the_steps(self):
        """A client cannot jump a request to "accepted" or stamp it; no context key reopens an
        accepted request."""
        order = self._order()
        order.action_confirm()
        request = order.qms_service_request_ids.filtered(lambda r: r.service_type == "installation")
        as_sales = request.with_user(self.sales)
        for vals in ({"state": "accepted"}, {"done_by_id": self.sales.id},
                     {"accepted_recorded_by_id": self.sales.id}, {"name": "FORGED"}):
            with self.assertRaises(UserError):
                as_sales.write(vals)
        self.assertEqual(request.state, "planned")
        request.write({"work_notes": "Installed."})
        with self.assertRaises(AccessError):
            as_sales.action_done()  # only the request's technician reports the work done
        request.technician_id = self.sales
        as_sales.action_done()
        as_sales._do_accept("Mr Wang", fields.Date.today())
        with self.assertRaises(UserError):
            as_sales.with_context(qms_service_workflow=True).write({"acceptance_name": "Someone else"})
        self.assertEqual(request.acceptance_name, "Mr Wang")

    def test_training_records_attendees_and_hours(self):
        order = self._order()
        order.action_confirm()
        training = order.qms_service_request_ids.filtered(lambda r: r.service_type == "training")
        training.work_notes = "Operator training."
        with self.assertRaises(ValidationError):
            training.action_done()
        training.write({"attendees": "Li, Zhang, Chen", "attendee_count": 3, "training_hours": 6})
        training.action_done()
        self.assertEqual(training.state, "done")

    def test_overdue(self):
        order = self._order()
        order.action_confirm()
        late = order.qms_service_request_ids[0]
        late.scheduled_date = fields.Datetime.now() - timedelta(days=2)
        Request = self.env["qms.service.request"]
        self.assertTrue(late.is_overdue)
        overdue = Request.search([("is_overdue", "=", True), ("sale_order_id", "=", order.id)])
        self.assertEqual(overdue, late)
        self.assertNotIn(late, Request.search([("is_overdue", "=", False), ("sale_order_id", "=", order.id)]))

    def test_access_per_role(self):
        order = self._order()
        order.action_confirm()
        mine, other = order.qms_service_request_ids[:2]
        mine.technician_id = self.employee
        Request = self.env["qms.service.request"]
        seen = Request.with_user(self.employee).search([("sale_order_id", "=", order.id)])
        self.assertEqual(seen, mine)
        mine.with_user(self.employee).write({"work_notes": "Done by me."})
        with self.assertRaises(AccessError):
            other.with_user(self.employee).write({"work_notes": "Not mine."})
        self.assertEqual(len(Request.with_user(self.sales).search([("sale_order_id", "=", order.id)])), 2)
        self.assertEqual(len(Request.with_user(self.gm).search([("sale_order_id", "=", order.id)])), 2)
        with self.assertRaises(AccessError):
            other.with_user(self.gm).write({"work_notes": "No."})
        with self.assertRaises(AccessError):
            Request.with_user(self.employee).create({"partner_id": self.customer.id})
