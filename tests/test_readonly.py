"""The read paths run on a read-only cursor (issue 16, item 1).

Odoo 19 serves a route marked ``readonly=True``, and a ``/json/2`` or ``call_kw`` call of a method
marked ``@api.readonly``, on a cursor of the read replica (``db_replica_host``). In test mode the
registry hands out read-only test cursors (``SET TRANSACTION READ ONLY``) for those requests, as
``--dev=replica`` does outside tests. When such a request writes, PostgreSQL refuses and Odoo
silently serves it again on a read/write cursor of the primary: the page still works, so only the
cursors the request opened tell. Each check below records them and fails when the request opened a
read/write cursor (the route or method is not marked, or it wrote and was retried on the primary).
"""
import contextlib
import inspect
import logging
from unittest.mock import patch

from odoo import Command
from odoo.addons.qms_customer.controllers.portal import QmsComplaintPortal
from odoo.tests import new_test_user, tagged

from .common import QmsHttpCommon

ADDON_MODULE = "odoo.addons.qms_customer."


@tagged("post_install", "-at_install")
class TestReadOnlyPaths(QmsHttpCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(cls.env, login="t_ro_portal", groups="base.group_portal",
                                   partner_id=cls.contact.id)
        cls.complaint = cls._complaint(cls)
        cls.complaint.sudo()._portal_ensure_token()
        machine = cls.env["product.product"].create({
            "name": "Read-only Machine", "type": "consu", "qms_requires_installation": True})
        cls.service_order = cls._confirmed_order(cls.customer, [(machine, 1)])
        cls.service_request = cls.service_order.qms_service_request_ids[:1]
        cls.visit = cls.env["qms.customer.visit"].create({
            "partner_id": cls.customer.id, "date_start": "2030-04-14 09:00:00",
            "date_end": "2030-04-14 11:30:00", "place": "Meeting room 2",
            "user_id": cls.sales.id, "receptionist_ids": [Command.set(cls.sales.ids)]})
        cls.plan = cls.env["qms.communication.plan"].create({"year": 2030, "user_id": cls.sales.id})
        cls.communication = cls.env["qms.communication"].create({
            "partner_id": cls.customer.id, "communication_type": "visit", "channel": "phone",
            "date": "2030-03-10 09:00:00", "user_id": cls.sales.id,
            "participant_ids": [Command.set(cls.sales.ids)]})
        survey = cls.env["survey.survey"].create({"title": "Read-only evaluation"})
        cls.env["survey.user_input"].create({
            "survey_id": survey.id, "partner_id": cls.contact.id, "qms_communication_id": cls.communication.id})
        cls.annual_report = cls.env["qms.annual.report"].with_user(cls.quality).create({
            "kind": "complaint", "year": 2030, "close_target_days": 30, "tz": "UTC"})
        cls.admin = cls.env.ref("base.user_admin")
        # the Repairs button leads to repair orders: whoever presses it reads them
        cls.sales.group_ids |= cls.env.ref("stock.group_stock_user")
        # issue #13.7: a slip recorded from an invoice (the buttons only read it)
        cls.invoice = cls.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": cls.customer.id,
            "invoice_line_ids": [Command.create({"product_id": machine.id, "quantity": 1, "price_unit": 10.0})]})

    # --- the recorder ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def assertReadOnly(self, what):
        """The requests made inside open read-only cursors only, and Odoo logs no retry."""
        opened, retries = [], []
        test_cursor = self.registry.cursor

        def cursor(readonly=False):
            cr = test_cursor(readonly=readonly)
            opened.append(cr.readonly)
            return cr

        class Retries(logging.Handler):
            def emit(self, record):
                if "retrying with a read/write cursor" in record.getMessage():
                    retries.append(record.getMessage())

        handler = Retries(logging.WARNING)
        http_logger = logging.getLogger("odoo.http")
        level = http_logger.level
        http_logger.setLevel(logging.WARNING)  # whatever the run's log level, Odoo's retry warning is seen
        http_logger.addHandler(handler)
        try:
            with patch.object(self.registry, "cursor", cursor):
                yield
        finally:
            http_logger.removeHandler(handler)
            http_logger.setLevel(level)
        self.assertTrue(opened, f"{what}: no request reached the server")
        self.assertFalse(retries, f"{what} wrote on its read-only cursor: {retries}")
        self.assertNotIn(False, opened, f"{what} was served on a read/write cursor (cursors opened, "
                                        f"True = read-only: {opened}): not marked read-only, or it wrote")

    # --- the portal routes, as the portal customer -----------------------------------------------
    def test_portal_pages_read_only(self):
        self.authenticate("t_ro_portal", "t_ro_portal")
        for url, expected in [
            ("/my/complaints", self.complaint.name),
            ("/my/complaints/page/1?sortby=state", self.complaint.name),
            (f"/my/complaints/{self.complaint.id}", "Scratched"),
            (f"/my/complaints/{self.complaint.id}/copy", "Scratched"),  # the customer's copy (issue #13.7)
            ("/my/complaints/new", self.order.name),
            (f"/my/complaints/new?order_id={self.order.id}", self.order.name),
        ]:
            with self.assertReadOnly(url):
                response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn(expected, response.text, url)

    def test_portal_detail_by_token_read_only(self):
        with self.assertReadOnly("the slip opened by its access token"):
            response = self.url_open(self.complaint.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.complaint.name, response.text)
        with self.assertReadOnly("a wrong token"):
            response = self.url_open(f"/my/complaints/{self.complaint.id}?access_token=wrong",
                                     allow_redirects=False)
        self.assertEqual(response.status_code, 303)

    def test_intake_form_post_is_not_read_only(self):
        """Recording a complaint writes: the POST route must stay on the primary."""
        self.assertFalse(QmsComplaintPortal.portal_submit_qms_complaint.original_routing.get("readonly"))
        self.assertTrue(QmsComplaintPortal.portal_new_qms_complaint.original_routing["readonly"])

    # --- the methods, over /json/2 as the people who press the buttons --------------------------
    def _method_calls(self):
        """(user, model, method, ids, expect_success) for every method the addon marks read-only."""
        complaint_line = self.complaint.line_ids[:1]
        picking = self.order.picking_ids[:1]
        return [
            (self.sales, "qms.complaint", "action_view_corrective_actions", self.complaint.ids, True),
            (self.sales, "qms.complaint", "action_view_sale_order", self.complaint.ids, True),
            (self.sales, "qms.complaint", "action_view_refund_moves", self.complaint.ids, True),
            (self.sales, "qms.complaint", "action_view_remedy_pickings", self.complaint.ids, True),
            (self.sales, "qms.complaint", "action_view_repairs", self.complaint.ids, True),
            # issue 15.7: the returned units delivered back to the customer
            (self.sales, "qms.complaint", "action_view_return_to_customer_pickings", self.complaint.ids, True),
            (self.sales, "qms.complaint.line", "action_open_override", complaint_line.ids, True),
            # issue 15: the repairs that make a unit "repaired twice"
            (self.sales, "qms.complaint.line", "action_view_earlier_repairs", complaint_line.ids, True),
            (self.admin, "stock.picking", "action_view_qms_complaint", picking.ids, True),
            (self.sales, "qms.customer.visit", "action_view_requirements", self.visit.ids, True),
            (self.sales, "qms.service.request", "action_view_sale_order", self.service_request.ids, True),
            (self.sales, "qms.communication", "action_view_survey_answer", self.communication.ids, True),
            (self.sales, "qms.communication.plan", "action_open_fill_wizard", self.plan.ids, True),
            (self.sales, "qms.communication.plan", "action_view_lines", self.plan.ids, True),
            # a draft report has no frozen copy yet: the refusal is read-only too
            (self.quality, "qms.annual.report", "action_view_pdf", self.annual_report.ids, False),
            (self.sales, "res.partner", "action_view_qms_complaints", self.customer.ids, True),
            (self.sales, "res.partner", "action_view_qms_visits", self.customer.ids, True),
            (self.sales, "res.partner", "action_view_qms_communications", self.customer.ids, True),
            (self.sales, "res.partner", "action_view_qms_plan_lines", self.customer.ids, True),
            (self.sales, "sale.order", "action_view_qms_complaints", self.order.ids, True),
            (self.sales, "sale.order", "action_record_qms_complaint", self.order.ids, True),
            # issue #13: repeat counters, and slips recorded from a delivery or an invoice
            (self.sales, "qms.complaint", "action_view_repeat_complaints", self.complaint.ids, True),
            (self.sales, "qms.complaint", "action_view_picking", self.complaint.ids, True),
            (self.sales, "qms.complaint", "action_view_invoice", self.complaint.ids, True),
            (self.admin, "stock.picking", "action_view_qms_complaints", picking.ids, True),
            (self.admin, "stock.picking", "action_record_qms_complaint", picking.ids, True),
            (self.admin, "account.move", "action_view_qms_complaints", self.invoice.ids, True),
            (self.admin, "account.move", "action_record_qms_complaint", self.invoice.ids, True),
        ]

    def test_marked_methods_read_only_over_json2(self):
        for user, model, method, ids, success in self._method_calls():
            self.assertTrue(ids, f"{model}.{method}: no record to call it on")
            with self.subTest(model=model, method=method), self.assertReadOnly(f"{model}.{method}"):
                ok, result = self.json2(user, model, method, ids=ids)
            self.assertEqual(ok, success, f"{model}.{method}: {result}")
            if success:
                self.assertIn("type", result, f"{model}.{method} returns an action")

    def test_every_marked_method_is_checked(self):
        """A method marked ``@api.readonly`` in the addon without a call above fails here, and
        a call above of a method not marked fails too (its /json/2 call would run read/write)."""
        marked = set()
        for model_name in self.env.registry:
            for cls in type(self.env[model_name]).mro():
                if not cls.__module__.startswith(ADDON_MODULE):
                    continue
                for func in vars(cls).values():
                    if inspect.isfunction(func) and getattr(func, "_readonly", False):
                        marked.add(func.__qualname__)
        called = {getattr(type(self.env[model]), method).__qualname__
                  for _user, model, method, _ids, _ok in self._method_calls()}
        self.assertEqual(marked, called)
