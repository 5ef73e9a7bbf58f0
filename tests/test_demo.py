import json

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoStory(TransactionCase):
    """The demo database tells the story of clauses 4.3.3 and 4.4 (the test database is installed
    with demo data from the command line, without an HTTP server)."""

    def _count(self, report, year, *domain):
        # an independent count of the slips received in `year`: the demo's slips of "this year"
        # are dated relative to the install day, so early in a year some fall in the year before
        start, end = report._year_bounds(year)
        return self.env["qms.complaint"].search_count([
            ("company_id", "=", report.company_id.id), ("received_date", ">=", start),
            ("received_date", "<", end), *domain])

    def test_last_year_report_frozen_signed_and_presented(self):
        report = self.env.ref("qms_customer.annual_report_complaint_demo")
        self.assertEqual(report.state, "presented")
        self.assertEqual(report.submitted_by_id, self.env.ref("qms_customer.user_sales_supervisor"))
        self.assertEqual(report.supervisor_sign_id, self.env.ref("qms_customer.user_sales_supervisor"))
        self.assertEqual(report.quality_sign_id, self.env.ref("qms_customer.user_quality"))
        self.assertEqual(report.presented_by_id, self.env.ref("qms_customer.user_mgmt_rep"))
        figures = json.loads(report.figures_json)
        self.assertEqual(figures["total"], self._count(report, report.year, ("state", "!=", "cancel")))
        self.assertEqual(figures["cancelled"], self._count(report, report.year, ("state", "=", "cancel")))
        # last year's own slips: three closed (two the company's fault, each action effective at
        # the first attempt) and one cancelled
        self.assertGreaterEqual(figures["total"], 3)
        self.assertGreaterEqual(figures["closed"], 3)
        self.assertGreaterEqual(figures["cancelled"], 1)
        self.assertGreaterEqual(figures["actions"]["effective_first_attempt"], 2)
        # real PDFs rendered during the install: submitted, signed and presented copies
        copies = self.env["ir.attachment"].search(
            [("res_model", "=", report._name), ("res_id", "=", report.id)], order="id")
        self.assertEqual(len(copies), 3)
        self.assertEqual(copies[-1], report.pdf_attachment_id)
        for copy in copies:
            self.assertEqual(copy.mimetype, "application/pdf")
            self.assertTrue(copy.raw.startswith(b"%PDF"))

    def test_this_year_report_compares_with_last_year(self):
        report = self.env.ref("qms_customer.annual_report_complaint_demo_current")
        self.assertEqual(report.state, "draft")
        figures = json.loads(report.figures_json)
        self.assertEqual(figures["total"], self._count(report, report.year, ("state", "!=", "cancel")))
        self.assertEqual(figures["previous"]["total"],
                         self._count(report, report.year - 1, ("state", "!=", "cancel")))
        self.assertFalse(report.pdf_attachment_id)

    def test_each_remedy_has_its_document(self):
        chair = self.env.ref("qms_customer.complaint_guarantees_line_chair")
        desk = self.env.ref("qms_customer.complaint_guarantees_line_desk")
        lamp = self.env.ref("qms_customer.complaint_guarantees_line_lamp")
        complaint = chair.complaint_id
        self.assertEqual((chair.remedy, desk.remedy, lamp.remedy), ("replacement", "repair", "refund"))
        # delivered ten days before the install: the demo policy's 15-day refund window is still open
        self.assertEqual((lamp.warranty_days_elapsed, lamp.remedy_eligible, lamp.remedy_days_left),
                         (10, "refund", 5))
        # refund: a credit note for the ten lamps, reversing the posted invoice (posted by the cost
        # of poor quality's demo, qms_complaint_cost_demo.xml)
        refund = lamp.refund_move_id
        self.assertEqual((refund.move_type, refund.state), ("out_refund", "posted"))
        self.assertEqual(refund.invoice_line_ids.quantity, 10)
        self.assertEqual(refund.reversed_entry_id.state, "posted")
        # replacement: the chair comes back and a new one goes out
        self.assertEqual(chair.return_picking_id.picking_type_code, "incoming")
        self.assertEqual(chair.return_picking_id.move_ids.product_uom_qty, 1)
        self.assertEqual(chair.replacement_picking_id.picking_type_code, "outgoing")
        self.assertEqual(chair.replacement_picking_id.move_ids.product_uom_qty, 1)
        # repair: an order under warranty for the desk
        self.assertEqual((desk.repair_id.product_id, desk.repair_id.under_warranty),
                         (desk.product_id, True))
        # all linked back to the slip
        for document in (refund, chair.return_picking_id, chair.replacement_picking_id, desk.repair_id):
            self.assertEqual(document.qms_complaint_id, complaint)
        self.assertTrue(all((chair.remedy_document_state, desk.remedy_document_state, lamp.remedy_document_state)))

    def test_service_requests_in_several_states(self):
        requests = self.env["qms.service.request"].search([])
        self.assertLessEqual({"planned", "accepted"}, set(requests.mapped("state")))
        self.assertTrue(requests.filtered("is_overdue"))

    def test_repeat_complaint(self):
        """Issue #13.4: the demo's repeat complaint is the second on its order, product and fault."""
        repeat = self.env.ref("qms_customer.complaint_repeat", raise_if_not_found=False)
        if not repeat:
            self.skipTest("demo data not loaded")
        first = self.env.ref("qms_customer.complaint_action")
        self.assertEqual(repeat.repeat_order_count, 2)
        self.assertGreaterEqual(repeat.repeat_fault_count, 2)
        earlier = self.env["qms.complaint"].search(repeat.action_view_repeat_complaints()["domain"])
        self.assertIn(first, earlier)
