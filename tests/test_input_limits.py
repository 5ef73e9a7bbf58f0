"""Input limits (issue #11.8), tried over /json/2 as the roles would: each bad value is refused
with a message that says what is wrong, never an internal error, and nothing is written. The
limits are model constraints, so create, write, one2many commands and import all meet them."""
from odoo.tests import new_test_user, tagged

from .common import QmsHttpCommon

C, LINE, VISIT, COMM = "qms.complaint", "qms.complaint.line", "qms.customer.visit", "qms.communication"
MISSING = 2_000_000_000  # an id no record has (within PostgreSQL's integer range)


@tagged("post_install", "-at_install")
class TestInputLimits(QmsHttpCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(cls.env, login="t_portal_limits", groups="base.group_portal",
                                        name="Portal Limits")
        cls.other_contact = cls.env["res.partner"].create(
            {"name": "Mr Other", "parent_id": cls.other_customer.id})
        # 6 desks ordered, 3 delivered (consumables: no stock needed)
        cls.part_order = cls._confirmed_order(cls.customer, [(cls.product_a, 6)])
        picking = cls.part_order.picking_ids
        picking.move_ids.quantity = 3
        picking.move_ids.picked = True
        picking.with_context(cancel_backorder=True)._action_done()
        cls.part_line = cls.part_order.order_line

    def setUp(self):
        super().setUp()
        # QmsHttpCommon caches the API keys for the class, but each test's keys are rolled back with it
        self._api_keys = {}

    # --- helpers --------------------------------------------------------------------------------
    def _vals(self, **vals):
        return {"partner_id": self.customer.id, "contact_id": self.contact.id, "description": "<p>Scratched</p>",
                **vals}

    def assertCreateRefused(self, message, model=C, user=None, **vals):
        """Refused, with ``message`` in the error, and no record created."""
        before = self.env[model].sudo().search_count([])
        vals = self._vals(**vals) if model == C else vals
        error = self.assertRefused(user or self.sales, model, "create", message, vals_list=[vals])
        self.assertNotIn("another model is using", error["message"])
        self.assertEqual(self.env[model].sudo().search_count([]), before, "nothing may be created")
        return error

    def assertWriteRefused(self, record, message, user=None, **vals):
        """Refused, with ``message`` in the error, and the record unchanged."""
        before = record.sudo().read(list(vals))[0]
        self.assertRefused(user or self.sales, record._name, "write", message, ids=record.ids, vals=vals)
        record.invalidate_recordset()
        self.assertEqual(record.sudo().read(list(vals))[0], before, "nothing may be written")

    def _slip(self, **vals):
        return self.env[C].browse(self.assertAccepted(self.sales, C, "create", vals_list=[self._vals(**vals)]))

    # --- sizes of texts ----------------------------------------------------------------------------
    def test_text_sizes(self):
        self.assertCreateRefused("is too long: 20001 characters", description="<p>%s</p>" % ("x" * 20_001))
        self.assertCreateRefused("with its formatting", description="<p>%s</p>" % ("<b>x</b>" * 30_000))
        self.assertCreateRefused("is too long: 5001 characters", line_ids=[[0, 0, {
            "product_id": self.product_a.id, "qty_complained": 1, "defect_description": "d" * 5001}]])
        slip = self._slip(description="<p>%s</p>" % ("x" * 20_000))  # at the limit: accepted
        self.assertWriteRefused(slip, "is too long", description="<p>%s</p>" % ("y" * 25_000))

    def test_text_sizes_through_one2many_commands(self):
        slip = self._slip(line_ids=[[0, 0, {"product_id": self.product_a.id, "qty_complained": 1}]])
        line = slip.line_ids
        self.assertRefused(self.sales, C, "write", "is too long", ids=slip.ids, vals={
            "line_ids": [[1, line.id, {"defect_description": "d" * 6000}]]})
        line.invalidate_recordset()
        self.assertFalse(line.defect_description)

    def test_text_sizes_on_import(self):
        before = self.env[C].search_count([])
        result = self.assertAccepted(self.sales, C, "load", fields=["partner_id/.id", "description"],
                                     data=[[str(self.customer.id), "x" * 25_000]])
        self.assertFalse(result["ids"])
        self.assertIn("is too long", " ".join(m["message"] for m in result["messages"]))
        self.assertEqual(self.env[C].search_count([]), before)

    # --- e-mail addresses ----------------------------------------------------------------------------
    def test_email_from(self):
        self.assertCreateRefused("an e-mail address has at most 254", email_from="a" * 100_000 + "@example.com")
        self.assertCreateRefused("must be on one line", email_from="buyer@example.com\r\nBcc: all@example.com")
        self.assertCreateRefused("exactly one e-mail address", email_from="buyer@example.com, boss@example.com")
        self.assertCreateRefused("exactly one e-mail address", email_from="not an address")
        slip = self._slip(email_from="Ms Buyer <buyer@example.com>")
        self.assertEqual(slip.email_from, "Ms Buyer <buyer@example.com>")

    # --- dates -----------------------------------------------------------------------------------------
    def test_received_date(self):
        for value in ("1900-01-01 00:00:00", "1999-12-31 10:00:00", "9998-06-01 00:00:00", "9999-12-31 23:59:59"):
            with self.subTest(received=value):
                self.assertCreateRefused("\"Received On\" must be between", received_date=value)
        slip = self._slip()
        self.assertWriteRefused(slip, "must be between", received_date="2099-01-01 00:00:00")

    def test_close_by(self):
        self.assertCreateRefused("\"Close By\" must be between the reception",
                                 received_date="2024-05-10 09:00:00", date_deadline="2024-05-01")
        self.assertCreateRefused("\"Close By\" must be between the reception", date_deadline="9998-01-01")
        slip = self._slip(received_date="2024-05-10 09:00:00")
        self.assertEqual(str(slip.date_deadline), "2024-06-09")
        self.assertWriteRefused(slip, "\"Close By\" must be between", date_deadline="9999-12-31")

    # --- who: the contact and the receiver ------------------------------------------------------------
    def test_contact_of_the_customer(self):
        self.assertCreateRefused("is not a contact of Test Customer Ltd", contact_id=self.other_contact.id)
        slip = self._slip()
        self.assertWriteRefused(slip, "is not a contact of", contact_id=self.other_contact.id)

    def test_receiver_is_an_employee(self):
        self.assertCreateRefused("the receiver must be an employee", received_by_id=self.portal_user.id)
        slip = self._slip()
        self.assertWriteRefused(slip, "the receiver must be an employee", received_by_id=self.portal_user.id)

    # --- quantities ----------------------------------------------------------------------------------
    def test_quantity_bounded_by_delivered(self):
        self.assertCreateRefused("more than the 3.0 delivered", sale_order_id=self.part_order.id, line_ids=[
            [0, 0, {"sale_line_id": self.part_line.id, "qty_complained": 4}]])
        # on the slip's order without naming the order line: the product's delivered quantity
        self.assertCreateRefused("more than the 3.0 delivered on order", sale_order_id=self.part_order.id,
                                 line_ids=[[0, 0, {"product_id": self.product_a.id, "qty_complained": 5}]])
        # units missing from the delivery: bounded by what was ordered
        slip = self._slip(sale_order_id=self.part_order.id, category="delivery", line_ids=[
            [0, 0, {"sale_line_id": self.part_line.id, "qty_complained": 6}]])
        self.assertEqual(slip.line_ids.qty_complained, 6)
        self.assertCreateRefused("more than 1000000", line_ids=[
            [0, 0, {"product_id": self.product_a.id, "qty_complained": 1_000_000_000}]])
        slip = self._slip(sale_order_id=self.part_order.id, line_ids=[
            [0, 0, {"sale_line_id": self.part_line.id, "qty_complained": 3}]])
        self.assertWriteRefused(slip.line_ids, "more than the 3.0 delivered", qty_complained=5)

    # --- ids that do not exist --------------------------------------------------------------------------
    def test_unknown_ids_are_named(self):
        error = self.assertCreateRefused(f"there is no Contact (res.partner) with the id {MISSING}",
                                         partner_id=MISSING)
        self.assertIn("Customer", error["message"])
        self.assertCreateRefused(f"(sale.order) with the id {MISSING}", sale_order_id=MISSING)
        self.assertCreateRefused(f"(product.product) with the id {MISSING}", line_ids=[
            [0, 0, {"product_id": MISSING, "qty_complained": 1}]])
        self.assertCreateRefused(f"(sale.order.line) with the id {MISSING}", sale_order_id=self.order.id, line_ids=[
            [0, 0, {"sale_line_id": MISSING, "qty_complained": 1}]])
        self.assertCreateRefused(f"(qms.complaint.line) with the id {MISSING}", line_ids=[[4, MISSING, 0]])
        slip = self._slip()
        self.assertWriteRefused(slip, f"(res.partner) with the id {MISSING}", contact_id=MISSING)
        self.assertCreateRefused(f"(res.partner) with the id {MISSING}", model=COMM, partner_id=MISSING,
                                 communication_type="visit", channel="phone")
        self.assertCreateRefused(f"(res.users) with the id {MISSING}", model=VISIT, partner_id=self.customer.id,
                                 receptionist_ids=[[6, 0, [self.sales.id, MISSING]]])

    # --- visits and communications -----------------------------------------------------------------------
    def test_visit_limits(self):
        base = {"partner_id": self.customer.id, "date_start": "2026-04-14 09:00:00"}
        self.assertCreateRefused("is too long: 5001", model=VISIT, **base, purpose="p" * 5001)
        self.assertCreateRefused("is too long", model=VISIT, **base, note="<p>%s</p>" % ("n" * 20_001))
        self.assertCreateRefused("\"Start\" must be between", model=VISIT,
                                 **dict(base, date_start="1900-01-01 09:00:00"))
        self.assertCreateRefused("\"End\" must be between", model=VISIT, **base, date_end="9998-01-01 09:00:00")

    def test_communication_limits(self):
        base = {"partner_id": self.customer.id, "communication_type": "visit", "channel": "phone"}
        self.assertCreateRefused("is too long", model=COMM, **base, summary="<p>%s</p>" % ("s" * 20_001))
        self.assertCreateRefused("is too long: 5001", model=COMM, **base, market_trends="m" * 5001)
        self.assertCreateRefused("\"Date\" must be between", model=COMM, **base, date="9998-01-01 00:00:00")

    # --- in the user's language ----------------------------------------------------------------------
    def test_messages_in_the_users_language(self):
        # a json/2 client gives its language in the context (the web client sends the user's)
        self.env["res.lang"]._activate_lang("zh_CN")
        zh = {"lang": "zh_CN"}
        for message, vals in (("必须是一个电子邮件地址", {"email_from": "a@example.com, b@example.com"}),
                              (f"不存在 ID 为 {MISSING} 的", {"partner_id": MISSING}),
                              ("不能作为投诉的接收人", {"received_by_id": self.portal_user.id})):
            with self.subTest(message=message):
                self.assertRefused(self.sales, C, "create", message, vals_list=[self._vals(**vals)], context=zh)
