"""Product improvement notices (clause 4.4.2, second sentence; issue 15, item 6): from a corrective
action judged effective, the customers who received the product (lots) in a period are found in the
done deliveries, Sales reviews the list, and a background job notifies each once — a mail in their
language posted on a customer communication of type after-sales service, and a copy on the portal."""

from datetime import datetime
from unittest.mock import patch

from odoo import Command
from odoo.addons.base.models.ir_cron import IrCron
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import QmsHttpCommon

IN_PERIOD = datetime(2026, 3, 10, 9, 0)
BEFORE_PERIOD = datetime(2025, 12, 31, 23, 0)
AFTER_PERIOD = datetime(2026, 7, 1, 8, 0)
FIND_CUSTOMERS_QUERIES = 29


def run_job(env, budget=None):
    """Run the background job as the scheduler would; ``budget``: how many recipients it may notify
    before its time is up (None: all). Returns how many it notified."""
    done = []

    def commit_progress(self, processed=0, *, remaining=None, deactivate=False):
        done.append(processed)
        return 0 if budget is not None and sum(done) >= budget else float("inf")

    with patch.object(IrCron, "_commit_progress", commit_progress):
        env["qms.improvement.notice"].sudo()._cron_send_notices()
    return sum(done)


@tagged("post_install", "-at_install")
class TestImprovementNotice(QmsHttpCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang("zh_CN")
        Partner = env["res.partner"]
        cls.buyer_1 = Partner.create({"name": "Notice Buyer One", "is_company": True, "email": "one@example.com"})
        cls.buyer_1_contact = Partner.create({"name": "Ann of One", "parent_id": cls.buyer_1.id,
                                              "email": "ann@example.com"})
        cls.buyer_2 = Partner.create({"name": "Notice Buyer Two", "is_company": True, "email": "two@example.com",
                                      "lang": "zh_CN"})
        cls.buyer_3 = Partner.create({"name": "Notice Buyer Three", "is_company": True, "email": "three@example.com"})
        cls.late_buyer = Partner.create({"name": "Late Buyer", "is_company": True, "email": "late@example.com"})
        cls.lamp = env["product.product"].create({"name": "Lamp", "is_storable": True, "tracking": "lot"})
        cls.lot_old = env["stock.lot"].create({"name": "LAMP-OLD", "product_id": cls.lamp.id})
        cls.lot_new = env["stock.lot"].create({"name": "LAMP-NEW", "product_id": cls.lamp.id})
        # the improved product: the desk of the slip's line
        cls._deliver(cls.buyer_1_contact, cls.product_a, 3, IN_PERIOD)   # a contact: counted for its company
        cls._deliver(cls.buyer_1, cls.product_a, 2, datetime(2026, 4, 1, 9, 0))
        cls._deliver(cls.buyer_2, cls.product_a, 5, IN_PERIOD)
        cls._deliver(cls.buyer_3, cls.product_a, 1, IN_PERIOD)
        cls._deliver(cls.late_buyer, cls.product_a, 4, AFTER_PERIOD)   # after the period
        cls._deliver(cls.late_buyer, cls.product_a, 4, BEFORE_PERIOD)  # before it
        cls._deliver(cls.other_customer, cls.product_b, 7, IN_PERIOD)  # another product
        cls._deliver(cls.buyer_1, cls.lamp, 2, IN_PERIOD, cls.lot_old)
        cls._deliver(cls.buyer_3, cls.lamp, 1, IN_PERIOD, cls.lot_new)

        cls.slip = cls._slip_with_effective_action()
        cls.action = cls.slip.corrective_action_ids

    @classmethod
    def _deliver(cls, partner, product, qty, date, lot=None):
        """A delivery validated as the warehouse does, dated ``date``."""
        env = cls.env
        picking_type = env.ref("stock.picking_type_out")
        source = picking_type.default_location_src_id
        customers = env.ref("stock.stock_location_customers")
        if product.is_storable:
            env["stock.quant"]._update_available_quantity(product, source, qty, lot_id=lot)
        picking = env["stock.picking"].create({
            "partner_id": partner.id, "picking_type_id": picking_type.id, "location_id": source.id,
            "location_dest_id": customers.id,
            "move_ids": [Command.create({"product_id": product.id, "product_uom_qty": qty, "location_id": source.id,
                                         "location_dest_id": customers.id})]})
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.write({"quantity": qty, "picked": True})
        if lot:
            picking.move_ids.move_line_ids.lot_id = lot
        picking.with_context(skip_sms=True).button_validate()
        assert picking.state == "done", picking.state
        env.flush_all()
        env.cr.execute("UPDATE stock_move_line SET date = %s WHERE picking_id = %s", (date, picking.id))
        env.cr.execute("UPDATE stock_move SET date = %s WHERE picking_id = %s", (date, picking.id))
        picking.invalidate_recordset()
        return picking

    @classmethod
    def _slip_with_effective_action(cls):
        helper = cls.__new__(cls)  # the walking helpers of the common class, on the class's fixtures
        slip = helper._complaint()
        helper._to_action(slip)
        action = helper._add_action(slip)
        helper._implement(action)
        action.with_user(cls.quality).action_verify_effective()
        return slip

    def _notice(self, user=None, **vals):
        values = {"action_id": self.action.id, "date_from": "2026-01-01", "date_to": "2026-06-30",
                  "subject": "Stronger desk tops", "message": "<p>The tops are now scratch-resistant.</p>"}
        values.update(vals)
        return self.env["qms.improvement.notice"].with_user(user or self.sales).create(values)

    def _recipients(self, notice):
        return {recipient.partner_id: recipient for recipient in notice.recipient_ids}

    # --- the button on the action -------------------------------------------------------------
    def test_button_opens_a_notice_with_the_slip_products(self):
        self.assertTrue(self.action.with_user(self.sales).can_notify_customers)
        self.assertTrue(self.action.with_user(self.quality).can_notify_customers)
        self.assertFalse(self.action.with_user(self.mgmt_rep).can_notify_customers)
        self.assertFalse(self.action.with_user(self.production).can_notify_customers)
        result = self.action.with_user(self.sales).action_notify_customers()
        defaults = self.env["qms.improvement.notice"].with_user(self.sales).with_context(
            result["context"]).default_get(["product_ids", "date_from", "date_to", "subject"])
        self.assertEqual(defaults["product_ids"], [Command.set(self.product_a.ids)])
        notice = self._notice()
        # the button now opens the notice being prepared, not a second one
        self.assertEqual(self.action.with_user(self.sales).action_notify_customers()["res_id"], notice.id)
        with self.assertRaises(AccessError):
            self.action.with_user(self.mgmt_rep).action_notify_customers()

    def test_only_an_effective_action(self):
        slip = self.env["qms.complaint"].with_user(self.sales).create({
            "partner_id": self.customer.id, "sale_order_id": self.order.id, "category": "product",
            "line_ids": [(0, 0, {"sale_line_id": self.order.order_line[0].id, "qty_complained": 1})]})
        self._to_action(slip)
        draft_action = self._add_action(slip)
        self.assertFalse(draft_action.with_user(self.sales).can_notify_customers)
        with self.assertRaisesRegex(UserError, "judged effective"):
            draft_action.with_user(self.sales).action_notify_customers()
        with self.assertRaisesRegex(ValidationError, "judged effective"):
            self._notice(action_id=draft_action.id)

    # --- Find Customers -------------------------------------------------------------------------
    def test_find_customers_from_real_deliveries(self):
        notice = self._notice()
        notice.with_user(self.sales).action_find_customers()
        found = self._recipients(notice)
        # the contact's delivery counts for its company; outside the period and other products do not
        self.assertEqual(set(found), {self.buyer_1, self.buyer_2, self.buyer_3})
        self.assertEqual(found[self.buyer_1].quantity, 5)
        self.assertEqual(found[self.buyer_1].delivery_count, 2)
        self.assertEqual(found[self.buyer_1].last_delivery_date, datetime(2026, 4, 1, 9, 0))
        self.assertEqual(found[self.buyer_2].quantity, 5)
        # the period's bounds are whole days: the last day counts
        notice.with_user(self.sales).date_to = "2026-07-01"
        notice.with_user(self.sales).action_find_customers()
        self.assertIn(self.late_buyer, self._recipients(notice))
        self.assertEqual(len(notice.recipient_ids), 4, "Find Customers again replaces the list")

    def test_find_customers_by_lot(self):
        # lots are chosen by those who may read them (Inventory); any preparer then finds the customers
        self.sales.group_ids = [Command.link(self.env.ref("stock.group_stock_user").id)]
        notice = self._notice(product_ids=[Command.set(self.lamp.ids)], lot_ids=[Command.set(self.lot_new.ids)])
        notice.with_user(self.quality).action_find_customers()
        found = self._recipients(notice)
        self.assertEqual(set(found), {self.buyer_3})
        self.assertEqual(found[self.buyer_3].lot_ids, self.lot_new)
        notice.with_user(self.sales).lot_ids = [Command.clear()]
        notice.with_user(self.sales).action_find_customers()
        self.assertEqual(set(self._recipients(notice)), {self.buyer_1, self.buyer_3})
        with self.assertRaisesRegex(ValidationError, "lots/serial numbers"):
            notice.with_user(self.sales).write({"product_ids": [Command.set(self.product_a.ids)],
                                                "lot_ids": [Command.set(self.lot_new.ids)]})

    def _find_queries(self, notice):
        """The queries of Find Customers, counted as assertQueryCount counts them."""
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        notice.action_find_customers()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_find_customers_bounded_queries(self):
        """Find Customers costs the same number of queries for 5 deliveries as for 50."""
        desk_5 = self.env["product.product"].create({"name": "Desk 5"})
        desk_50 = self.env["product.product"].create({"name": "Desk 50"})
        Partner = self.env["res.partner"]
        for index in range(50):
            partner = Partner.create({"name": f"Bulk Buyer {index}", "is_company": True})
            if index < 5:
                self._deliver(partner, desk_5, 1, IN_PERIOD)
            self._deliver(partner, desk_50, 1, IN_PERIOD)
        # each measured on a fresh notice of the action (one is open at a time: each is sent before
        # the next), on its second Find Customers (which also replaces the list of the first); a
        # first round, not measured, warms the caches of the whole path
        counts = {}
        for product, size in ((desk_5, "warm"), (desk_5, 5), (desk_50, 50)):
            notice = self._notice(product_ids=[Command.set(product.ids)]).with_user(self.sales)
            notice.action_find_customers()
            self.env.invalidate_all()
            if size == "warm":
                counts[size] = self._find_queries(notice)
            else:
                with self.assertQueryCount(FIND_CUSTOMERS_QUERIES):
                    counts[size] = self._find_queries(notice)
            notice.recipient_ids.sudo().write({"excluded": False, "exclusion_reason": False})
            self.assertEqual(len(notice.recipient_ids), 50 if size == 50 else 5)
            notice.with_user(self.supervisor).action_review()
            notice.with_user(self.supervisor).action_send()
            run_job(self.env)
            self.assertEqual(notice.state, "sent")
        self.assertEqual(counts[5], counts[50])

    # --- review and send --------------------------------------------------------------------------
    def _reviewed(self, notice):
        notice.with_user(self.sales).action_find_customers()
        found = self._recipients(notice)
        found[self.buyer_3].with_user(self.sales).write({"excluded": True, "exclusion_reason": "Scrapped the desks"})
        notice.with_user(self.supervisor).action_review()
        return found

    def test_send_in_the_background_once_per_customer(self):
        notice = self._notice()
        # the Chinese of the subject and message, as the form's translation dialog writes them
        notice = notice.with_user(self.sales)
        notice.update_field_translations("subject", {"zh_CN": "桌面更坚固"})
        notice.update_field_translations(
            "message", {"zh_CN": {"The tops are now scratch-resistant.": "桌面现已防刮。"}})
        found = self._reviewed(notice)
        with self.assertRaises(AccessError):
            notice.with_user(self.sales).action_send()
        notice.with_user(self.supervisor).action_send()
        self.assertEqual(notice.state, "sending")
        self.assertTrue(self.env["ir.cron.trigger"].search(
            [("cron_id", "=", self.env.ref("qms_customer.ir_cron_qms_improvement_notice_send").id)]))
        # the job is stopped after the first customer (its time is up): the rest waits for the next run
        self.assertEqual(run_job(self.env, budget=1), 1)
        self.assertEqual(len(notice.recipient_ids.filtered("sent")), 1)
        self.assertEqual(notice.state, "sending")
        run_job(self.env)
        self.assertEqual(notice.state, "sent")
        self.assertTrue(notice.done_date)
        sent = notice.recipient_ids.filtered("sent")
        self.assertEqual(sent.partner_id, self.buyer_1 | self.buyer_2)
        self.assertFalse(found[self.buyer_3].sent, "an excluded customer is not notified")
        for recipient in sent:
            communication = recipient.communication_id
            self.assertEqual(communication.communication_type, "after_sales")
            self.assertEqual(communication.partner_id, recipient.partner_id)
            self.assertEqual(recipient.message_id.model, "qms.communication")
            self.assertEqual(recipient.message_id.res_id, communication.id)
            self.assertEqual(recipient.message_id.partner_ids, recipient.partner_id)
        # each in their language
        self.assertIn("Stronger desk tops", found[self.buyer_1].sent_subject)
        self.assertIn("桌面更坚固", found[self.buyer_2].sent_subject)
        self.assertIn("桌面现已防刮", found[self.buyer_2].sent_body)
        self.assertIn("scratch-resistant", found[self.buyer_1].sent_body)
        # running the job again sends nothing more
        mails = self.env["mail.mail"].search([("recipient_ids", "in", (self.buyer_1 | self.buyer_2).ids)])
        self.assertEqual(len(mails), 2)
        communications = self.env["qms.communication"].search_count([("communication_type", "=", "after_sales")])
        run_job(self.env)
        self.assertEqual(self.env["mail.mail"].search_count(
            [("recipient_ids", "in", (self.buyer_1 | self.buyer_2).ids)]), 2)
        self.assertEqual(self.env["qms.communication"].search_count(
            [("communication_type", "=", "after_sales")]), communications)

    def test_no_affected_customer(self):
        notice = self._notice(date_from="2020-01-01", date_to="2020-12-31")
        notice.with_user(self.sales).action_find_customers()
        self.assertFalse(notice.recipient_ids)
        with self.assertRaisesRegex(UserError, "no affected customer"):
            notice.with_user(self.supervisor).action_review()
        self.assertEqual(notice.state, "draft")
        self.assertFalse(notice.reviewed_by_id)
        # nor when Sales excluded every customer found after the review
        notice.with_user(self.sales).write({"date_from": "2026-01-01", "date_to": "2026-06-30"})
        notice.with_user(self.sales).action_find_customers()
        notice.with_user(self.supervisor).action_review()
        notice.with_user(self.sales).action_reset()
        notice.recipient_ids.with_user(self.sales).write({"excluded": True, "exclusion_reason": "On hold"})
        with self.assertRaisesRegex(UserError, "no affected customer"):
            notice.with_user(self.supervisor).action_review()

    def test_bad_input(self):
        with self.assertRaisesRegex(ValidationError, "ends before it starts"), self.env.cr.savepoint():
            self._notice(date_from="2026-06-30", date_to="2026-01-01")
        notice = self._notice()
        notice.with_user(self.sales).action_find_customers()
        with self.assertRaisesRegex(ValidationError, "Say why"):
            notice.recipient_ids[0].with_user(self.sales).excluded = True

    def test_second_notice_of_the_same_action(self):
        """Refused while the first is prepared or sent; allowed afterwards (another period, other
        lots), and the customers the first reached are excluded from it, with the reason."""
        first = self._notice()
        with self.assertRaisesRegex(ValidationError, "already being prepared or sent"), self.env.cr.savepoint():
            self._notice()
        self._reviewed(first)
        first.with_user(self.supervisor).action_send()
        run_job(self.env)
        second = self._notice(date_to="2026-07-31")
        second.with_user(self.sales).action_find_customers()
        found = self._recipients(second)
        self.assertTrue(found[self.buyer_1].excluded)
        self.assertIn(first.name, found[self.buyer_1].exclusion_reason)
        self.assertFalse(found[self.late_buyer].excluded)
        self.assertFalse(found[self.buyer_3].excluded, "excluded from the first, not notified by it")

    # --- the portal ---------------------------------------------------------------------------
    def test_portal_product_notices(self):
        notice = self._notice()
        found = self._reviewed(notice)
        portal = new_test_user(self.env, login="t_portal_notice", groups="base.group_portal",
                               partner_id=self.buyer_1_contact.id)
        other_contact = self.env["res.partner"].create({"name": "Tom of Two", "parent_id": self.buyer_2.id})
        new_test_user(self.env, login="t_portal_notice_2", groups="base.group_portal", partner_id=other_contact.id)
        self.authenticate(portal.login, portal.login)
        self.assertEqual(self.url_open(f"/my/product-notices/{found[self.buyer_1].id}").status_code, 404,
                         "not before it is sent")
        notice.with_user(self.supervisor).action_send()
        run_job(self.env)
        self.env.flush_all()
        page = self.url_open("/my/product-notices")
        self.assertEqual(page.status_code, 200)
        self.assertIn(notice.name, page.text)
        own = self.url_open(f"/my/product-notices/{found[self.buyer_1].id}")
        self.assertEqual(own.status_code, 200)
        self.assertIn("scratch-resistant", own.text)
        self.authenticate("t_portal_notice_2", "t_portal_notice_2")
        self.assertEqual(self.url_open(f"/my/product-notices/{found[self.buyer_1].id}").status_code, 404)
        self.assertEqual(self.url_open(f"/my/product-notices/{found[self.buyer_3].id}").status_code, 404)
        self.assertEqual(self.url_open("/my/product-notices/999999").status_code, 404)
        listing = self.url_open("/my/product-notices").text
        self.assertIn(f"/my/product-notices/{found[self.buyer_2].id}", listing)
        self.assertNotIn(f"/my/product-notices/{found[self.buyer_1].id}", listing)

    # --- every path, every role ---------------------------------------------------------------
    def test_roles_over_json2(self):
        admin = self.env.ref("base.user_admin")
        roles = (self.sales, self.supervisor, self.quality, self.mgmt_rep, self.gm, self.employee, admin)
        # who may start a notice
        for user in (self.mgmt_rep, self.gm, self.employee):
            self.assertRefused(user, "qms.improvement.notice", "create", vals_list=[{
                "action_id": self.action.id, "date_from": "2026-01-01", "date_to": "2026-06-30",
                "subject": "S", "message": "<p>M</p>"}])
        # a notice born reviewed, sent or stamped
        for user in (self.sales, self.supervisor, admin):
            for vals in ({"state": "sent"}, {"done_date": "2026-05-01 10:00:00"}, {"reviewed_by_id": user.id}):
                self.assertRefused(user, "qms.improvement.notice", "create", vals_list=[{
                    "action_id": self.action.id, "date_from": "2026-01-01", "date_to": "2026-06-30",
                    "subject": "S", "message": "<p>M</p>", **vals}])
        notice = self._notice()
        self.assertAccepted(self.sales, "qms.improvement.notice", "action_find_customers", ids=notice.ids)
        recipient = notice.recipient_ids[:1]
        for user in roles:
            for vals in ({"sent": True}, {"sent_date": "2026-05-01 10:00:00"}, {"communication_id": False},
                         {"partner_id": self.other_customer.id}, {"quantity": 99}):
                self.assertRefused(user, "qms.improvement.notice.recipient", "write", ids=recipient.ids, vals=vals)
            # nor through the notice's lines: a customer added by hand, or marked notified
            self.assertRefused(user, "qms.improvement.notice", "write", ids=notice.ids, vals={
                "recipient_ids": [[0, 0, {"partner_id": self.other_customer.id}]]})
            self.assertRefused(user, "qms.improvement.notice", "write", ids=notice.ids, vals={
                "recipient_ids": [[1, recipient.id, {"sent": True}]]})
            self.assertRefused(user, "qms.improvement.notice", "write", ids=notice.ids, vals={"state": "sending"})
            self.assertRefused(user, "qms.improvement.notice", "write", ids=notice.ids,
                               vals={"done_date": "2026-05-01 10:00:00"})
        # review and send are the Sales Supervisor's
        self.assertRefused(self.sales, "qms.improvement.notice", "action_review", ids=notice.ids)
        self.assertAccepted(self.supervisor, "qms.improvement.notice", "action_review", ids=notice.ids)
        self.assertRefused(self.quality, "qms.improvement.notice", "action_send", ids=notice.ids)
        # nor its subject or message, through the translation dialog either
        self.assertRefused(self.sales, "qms.improvement.notice", "update_field_translations", "at the stage",
                           ids=notice.ids, field_name="subject", translations={"zh_CN": "改了"})
        # the list is fixed once reviewed; the notice is not marked sent before its customers are
        self.assertRefused(self.sales, "qms.improvement.notice.recipient", "write", ids=recipient.ids,
                           vals={"excluded": True, "exclusion_reason": "late"})
        self.assertAccepted(self.supervisor, "qms.improvement.notice", "action_send", ids=notice.ids)
        self.assertRefused(self.supervisor, "qms.improvement.notice", "write", "still being sent",
                           ids=notice.ids, vals={"state": "sent"})
        # a copy is a new notice of the same action: refused while this one is open
        self.assertRefused(self.sales, "qms.improvement.notice", "copy", ids=notice.ids)
