"""Recurrence detection (issue 14, item 3; ISO 9001 §10.2): a new slip that repeats an earlier one
whose corrective actions were judged effective — same product (or product category) and complaint
category, within the look-back, in the same company — links both slips, flags the earlier action
"recurred", notifies the management representative and the responsible department once, and the
new slip's corrective action starts from the earlier analysis."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, fields
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import QmsHttpCommon, migration


@tagged("post_install", "-at_install")
class TestRecurrence(QmsHttpCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["product.category"]
        cls.desks = Category.create({"name": "Desks"})
        cls.seating = Category.create({"name": "Seating"})
        cls.product_a.categ_id = cls.desks
        cls.product_b.categ_id = cls.seating
        cls.product_c = cls.env["product.product"].create(
            {"name": "Standing Desk", "type": "consu", "list_price": 300, "categ_id": cls.desks.id})
        cls.order_c = cls._confirmed_order(cls.customer, [(cls.product_c, 5), (cls.product_b, 5)])

    def setUp(self):
        super().setUp()
        # the earlier slip: desks (product A), a product complaint, its action judged effective
        self.earlier = self._to_action(self._complaint())
        self.earlier.with_user(SUPERUSER_ID).with_context(install_mode=True).write(
            {"received_date": fields.Datetime.now() - relativedelta(months=3)})
        self.effective = self._add_action(self.earlier, cause_id=self.env["qms.root.cause"].create(
            {"name": "Carton without corners", "category": "method"}).id, why_2="Why unprotected?",
            because_2="The instruction has no corners.")
        self._implement(self.effective)
        self.effective.with_user(self.quality).action_verify_effective()
        self.assertEqual(self.effective.state, "effective")

    def _line(self, order_line, qty=1):
        return [(0, 0, {"sale_line_id": order_line.id, "qty_complained": qty, "defect_description": "Scratched"})]

    def _slip(self, **vals):
        return self._complaint(**vals)

    def _activities(self, action):
        return action.activity_ids.filtered(lambda a: "recurred" in (a.summary or ""))

    # --- the fixed data set: what matches and what does not ------------------------------------------
    def test_match_links_both_slips_and_flags_the_action(self):
        self.env.cr.flush()  # close the earlier action's own tracking (its creation and steps)
        new = self._slip()
        self.assertEqual((new.recurrence_of_id, new.recurrence_action_id), (self.earlier, self.effective))
        self.assertEqual(self.earlier.recurrence_ids, new)
        self.assertTrue(self.effective.recurred)
        self.assertEqual(self.effective.recurred_complaint_id, new)
        self.assertEqual(self.effective.state, "effective", "the flag does not reopen the action")
        # tracked in the earlier action's thread (tracking values are written when the cursor flushes
        # its precommit hooks)
        self.env.flush_all()
        self.env.cr.flush()
        self.effective.invalidate_recordset(["message_ids"])
        tracked = self.effective.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "recurred")
        self.assertEqual(len(tracked), 1)

    def test_non_matches(self):
        Slip = self.env["qms.complaint"]
        other_product = self._slip(sale_order_id=self.order_c.id, line_ids=self._line(self.order_c.order_line[1]))
        other_category = self._slip(category="service")
        # another company's slip on the same product
        other_company = self.env["res.company"].create({"name": "Other Company"})
        elsewhere = Slip.create({
            "company_id": other_company.id, "partner_id": self.other_customer.id, "channel": "phone",
            "category": "product", "line_ids": [(0, 0, {"product_id": self.product_a.id, "qty_complained": 1})]})
        # same product in the category mode only: product C is another desk
        same_category = self._slip(sale_order_id=self.order_c.id, line_ids=self._line(self.order_c.order_line[0]))
        for slip in (other_product, other_category, elsewhere, same_category):
            self.assertFalse(slip.recurrence_of_id, slip.name)
        self.assertFalse(self.effective.recurred)
        self.assertFalse(self._activities(self.effective))

    def test_outside_the_look_back(self):
        self.earlier.with_user(SUPERUSER_ID).with_context(install_mode=True).write(
            {"received_date": fields.Datetime.now() - relativedelta(months=12, days=1)})
        self.assertFalse(self._slip().recurrence_of_id)
        self.env.company.qms_recurrence_months = 13
        self.assertEqual(self._slip().recurrence_of_id, self.earlier)
        # 0 months: the company switched the detection off (even for a slip received the same second)
        self.env.company.qms_recurrence_months = 0
        self.assertFalse(self._slip(received_date=self.earlier.received_date).recurrence_of_id)

    def test_action_not_judged_effective(self):
        # an action approved but not implemented, and one judged not effective, are not "recurred"
        self.effective.with_user(SUPERUSER_ID).with_context(install_mode=True).write({"state": "ineffective"})
        self.assertFalse(self._slip().recurrence_of_id)
        self.effective.with_user(SUPERUSER_ID).with_context(install_mode=True).write({"state": "approved"})
        self.assertFalse(self._slip().recurrence_of_id)

    def test_product_category_setting(self):
        self.env.company.qms_recurrence_match = "category"
        same_category = self._slip(sale_order_id=self.order_c.id, line_ids=self._line(self.order_c.order_line[0]))
        self.assertEqual(same_category.recurrence_of_id, self.earlier)
        other_category = self._slip(sale_order_id=self.order_c.id, line_ids=self._line(self.order_c.order_line[1]))
        self.assertFalse(other_category.recurrence_of_id)

    # --- notifications, once ---------------------------------------------------------------------
    def test_notified_once(self):
        new = self._slip()
        activities = self._activities(self.effective)
        self.assertEqual(activities.user_id, self.mgmt_rep | self.production,
                         "the management representative and the responsible department's manager")
        self.assertEqual(len(activities), 2, "one activity each")
        # the slip going on through its gates does not notify again
        self._to_quality_review(new)
        self.assertEqual(len(self._activities(self.effective)), 2)
        # a third slip of the same problem is linked, but the action already flagged is not notified twice
        third = self._slip()
        self.assertEqual(third.recurrence_action_id, self.effective)
        self.assertEqual(len(self._activities(self.effective)), 2)
        self.assertEqual(self.effective.recurred_complaint_id, new, "flagged by the first recurrence")

    def test_one_activity_for_one_person_in_two_roles(self):
        # the management representative who also manages the responsible department gets one
        self.dep_production.manager_id = self.mgmt_rep.employee_ids[:1]
        self._slip()
        self.assertEqual(self._activities(self.effective).user_id, self.mgmt_rep)
        self.assertEqual(len(self._activities(self.effective)), 1)

    # --- every path of recording a slip ------------------------------------------------------------
    def test_every_path_of_recording(self):
        # /json/2, as the sales user
        slip_id = self.assertAccepted(self.sales, "qms.complaint", "create", vals_list=[{
            "partner_id": self.customer.id, "sale_order_id": self.order.id, "channel": "phone",
            "category": "product", "line_ids": self._line(self.order.order_line[0])}])[0]
        self.assertEqual(self.env["qms.complaint"].browse(slip_id).recurrence_of_id, self.earlier)
        # the customer portal
        portal = new_test_user(self.env, login="t_portal_buyer", groups="base.group_portal",
                               partner_id=self.contact.id)
        slip = self.env["qms.complaint"].with_user(portal)._portal_create_complaint(
            self.order.id, [{"sale_line_id": self.order.order_line[0].id, "qty": 1, "defect": "Scratched"}],
            "Scratched again")
        self.assertEqual(slip.sudo().recurrence_of_id, self.earlier)
        # the link is the server's: a client neither sends it on create nor writes it
        self.assertRefused(self.sales, "qms.complaint", "create", vals_list=[{
            "partner_id": self.customer.id, "channel": "phone", "category": "other",
            "recurrence_of_id": self.earlier.id}])
        self.assertRefused(self.sales, "qms.complaint", "write", ids=[slip_id],
                           vals={"recurrence_of_id": False})
        self.assertRefused(self.sales, "qms.complaint", "write", ids=self.earlier.ids,
                           vals={"recurrence_ids": [[5]]})

    # --- the new slip's action starts from the earlier analysis ------------------------------------
    def test_new_action_starts_from_the_earlier_analysis(self):
        new = self._to_action(self._slip())
        Action = self.env["qms.corrective.action"].with_user(self.quality)
        defaults = Action.with_context(default_complaint_id=new.id).default_get(
            ["cause_category", "cause_id", "why_2", "because_2", "root_cause"])
        self.assertEqual(defaults["cause_id"], self.effective.cause_id.id)
        self.assertEqual(defaults["because_2"], "The instruction has no corners.")
        # over /json/2 without the analysis: copied; what the client gives wins
        action_id = self.assertAccepted(self.quality, "qms.corrective.action", "create", vals_list=[{
            "complaint_id": new.id, "description": "Corners glued, not taped", "date_deadline": "2030-01-31",
            "responsible_department_id": self.dep_production.id, "implementing_department_id": self.dep_production.id,
            "verifying_department_id": self.dep_quality.id, "why_1": "Why did it come back?"}])[0]
        action = self.env["qms.corrective.action"].browse(action_id)
        self.assertEqual((action.cause_category, action.cause_id), ("method", self.effective.cause_id))
        self.assertEqual((action.why_1, action.because_1, action.why_2),
                         ("Why did it come back?", self.effective.because_1, "Why unprotected?"))

    # --- bounded: one query, whatever the number of slips ------------------------------------------
    def test_matching_in_one_query(self):
        new = self._slip()

        def count_queries():
            self.env.flush_all()
            new.line_ids.product_id.ids, new.company_id.qms_recurrence_match  # noqa: B018 (warm the cache)
            with self.assertQueryCount(1):
                return new._qms_recurred_action_ids()

        self.assertEqual(count_queries(), self.effective.ids)
        # twelve more earlier slips with actions waiting for their check: still one query, and the
        # actions of the most recent slip only
        for days in range(12):
            slip = self._to_action(self._complaint())
            slip.with_user(SUPERUSER_ID).with_context(install_mode=True).write(
                {"received_date": fields.Datetime.now() - timedelta(days=20 - days)})
            action = self._add_action(slip)
            self._implement(action)
        self.assertEqual(count_queries(), action.ids)


@tagged("post_install", "-at_install")
class TestRecurrenceDemo(TransactionCase):
    """The demo tells the story: its last slip repeats the colour mismatch whose corrective action waits
    for its effectiveness check, found by the install itself."""

    def test_demo_recurred_action(self):
        slip = self.env.ref("qms_customer.complaint_recurrence", raise_if_not_found=False)
        if not slip:
            self.skipTest("installed without demo data")
        earlier = self.env.ref("qms_customer.complaint_verification")
        action = self.env.ref("qms_customer.action_verification_1")
        self.assertEqual((slip.recurrence_of_id, slip.recurrence_action_id), (earlier, action))
        self.assertIn(slip, earlier.recurrence_ids)
        self.assertTrue(action.recurred)
        self.assertEqual((action.state, action.recurred_complaint_id), ("implemented", slip))
        self.assertFalse(action.with_user(self.env.ref("qms_customer.user_quality")).can_verify_effective,
                         "a recurrence in the window: not effective")
        self.assertFalse(self.env.ref("qms_customer.action_done_1").recurred,
                         "only the most recent earlier slip's actions are flagged")
        notified = action.activity_ids.filtered(lambda a: "recurred" in (a.summary or "")).user_id
        self.assertIn(self.env.ref("qms_customer.user_mgmt_rep"), notified)


@tagged("post_install", "-at_install")
class TestRecurrenceIndexMigration(TransactionCase):

    def test_the_duplicate_line_index_is_dropped_on_upgrade(self):
        """19.0.1.3.0 indexed the lines on (product_id, complaint_id) twice; the upgrade drops the copy."""
        cr = self.env.cr
        cr.execute("CREATE INDEX qms_complaint_line_recurrence_product_idx "
                   "ON qms_complaint_line (product_id, complaint_id)")

        def indexes():
            cr.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'qms_complaint_line' "
                       "AND indexdef LIKE '%(product_id, complaint_id)%'")
            return sorted(row[0] for row in cr.fetchall())

        self.assertEqual(len(indexes()), 2)
        migration("19.0.1.4.0")(cr, "19.0.1.3.0")
        self.assertEqual(indexes(), ["qms_complaint_line_product_complaint_idx"])
