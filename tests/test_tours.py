from odoo.tests import HttpCase, new_test_user, tagged

from .common import QmsCommon

COMPLAINT_URL = "/odoo/action-qms_customer.qms_complaint_action/%s"


@tagged("post_install", "-at_install")
class TestTours(HttpCase, QmsCommon):
    """Browser tours (Chromium headless) over the complaint chain and the customer portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(
            cls.env, login="t_seller", name="Seller",
            groups="base.group_user,qms_customer.group_qms_sales,sales_team.group_sale_salesman_all_leads")
        cls.customer = cls.env["res.partner"].create({"name": "Tour Customer Ltd", "is_company": True})
        cls.contact = cls.env["res.partner"].create({
            "name": "Tina Tour", "parent_id": cls.customer.id, "email": "tina@tour-customer.example.com"})
        cls.product = cls.env["product.product"].create({"name": "Tour Desk", "list_price": 120.0})
        cls.order = cls.env["sale.order"].create({
            "partner_id": cls.contact.id,
            "user_id": cls.seller.id,
            "order_line": [(0, 0, {"product_id": cls.product.id, "product_uom_qty": 4})],
        })
        cls.order.action_confirm()

    def test_sales_user_records_complaint_from_order(self):
        self.start_tour(f"/odoo/action-sale.action_orders/{self.order.id}", "qms_record_complaint_tour",
                        login="t_seller")
        complaint = self.env["qms.complaint"].search([("sale_order_id", "=", self.order.id)])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.state, "supervisor_review")
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.line_ids.product_id, self.product)
        self.assertIn("wobble", complaint.description)
        self.assertEqual(complaint.received_by_id, self.seller)

    def test_chain_of_roles_walks_a_complaint_to_done(self):
        complaint = self.env["qms.complaint"].with_user(self.sales).create({
            "partner_id": self.customer.id,
            "sale_order_id": self.order.id,
            "category": "product",
            "description": "<p>Desk top cracked.</p>",
            "line_ids": [(0, 0, {"sale_line_id": self.order.order_line.id, "qty_complained": 1})],
        })
        complaint.action_submit()
        url = COMPLAINT_URL % complaint.id
        for login, tour, state in (
            ("t_supervisor", "qms_chain_supervisor_tour", "quality_review"),
            ("t_quality", "qms_chain_quality_tour", "investigation"),
            ("t_sales", "qms_chain_sales_tour", "verification"),
            ("t_mgmt_rep", "qms_chain_mgmt_rep_tour", "done"),
        ):
            # no subTest: a tour skipped for want of a browser must skip the test, not let it go on
            self.start_tour(url, tour, login=login)
            complaint.invalidate_recordset()
            self.assertEqual(complaint.state, state, f"after {tour} as {login}")
        self.assertEqual(complaint.supervisor_id, self.supervisor)
        self.assertEqual(complaint.quality_user_id, self.quality)
        self.assertFalse(complaint.company_responsible)
        self.assertIn("stacked", complaint.investigation_cause)
        self.assertEqual(complaint.reply_channel, "phone")
        self.assertEqual(complaint.reply_user_id, self.sales)
        self.assertEqual(complaint.customer_satisfied, "yes")
        self.assertEqual(complaint.verified_by_id, self.mgmt_rep)

    def test_portal_customer_submits_and_follows_a_complaint(self):
        portal = new_test_user(self.env, login="t_portal_tina", groups="base.group_portal",
                               partner_id=self.contact.id)
        self.start_tour("/my/home", "qms_portal_complaint_tour", login="t_portal_tina")
        complaint = self.env["qms.complaint"].search([("sale_order_id", "=", self.order.id)])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.portal_user_id, portal)
        self.assertEqual(complaint.channel, "online")
        self.assertEqual(complaint.line_ids.qty_complained, 2)
        self.assertEqual(complaint.line_ids.defect_description, "Scratched on arrival")
        self.assertIn("arrived scratched (tour)", complaint.description)
        posted = complaint.message_ids.filtered(lambda m: "left side" in (m.body or ""))
        self.assertEqual(posted.author_id, self.contact)
        self.assertFalse(posted.subtype_id.internal)

    def test_plan_line_is_fulfilled_by_logging_a_communication(self):
        plan = self.env["qms.communication.plan"].create({
            "year": 2090,  # one plan per company and year: the demo data has this year's
            "user_id": self.sales.id,
            "line_ids": [(0, 0, {"partner_id": self.customer.id, "method": "visit_phone", "month": "3",
                                  "user_id": self.sales.id})],
        })
        line = plan.line_ids
        self.assertEqual(line.state, "planned")
        self.start_tour(f"/odoo/action-qms_customer.qms_communication_plan_line_action/{line.id}",
                        "qms_plan_line_log_communication_tour", login="t_sales")
        line.invalidate_recordset()
        self.assertEqual(line.state, "done")
        self.assertEqual(line.communication_id.partner_id, self.customer)
        self.assertIn("happy with the desks", line.communication_id.summary)
