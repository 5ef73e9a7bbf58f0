from datetime import datetime
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import QmsComplaintCommon

# The slip under test, and the look-back bound 12 months before it (included).
T = datetime(2025, 6, 15, 10, 0)


@tagged("post_install", "-at_install")
class TestRepeatCounters(QmsComplaintCommon):
    """Issue #13.4: the n-th complaint on the same order, product and fault (同一合同 / 同一产品 /
    同一故障 第 n 次投诉), on a fixed data set counted by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.qms_repeat_months = 12
        cls.other_company = cls.env["res.company"].create({"name": "Other Repeat Co"})

        def slip(received, products, order=True, category="product", company=None):
            return cls.env["qms.complaint"].create({
                "partner_id": cls.customer.id,
                "sale_order_id": cls.order.id if order else False,
                "company_id": (company or cls.env.company).id,
                "received_by_id": cls.env.user.id,
                "received_date": received,
                "category": category,
                "line_ids": [(0, 0, {"product_id": p.id, "qty_complained": 1}) for p in products],
            })

        a, b = cls.product_a, cls.product_b
        # outside the look-back of T by one minute; at the bound exactly (counted)
        cls.s_old = slip(datetime(2024, 6, 15, 9, 59), [a])
        cls.s_bound = slip(datetime(2024, 6, 15, 10, 0), [a])
        cls.s1 = slip(datetime(2025, 1, 10, 8, 0), [a, b])
        cls.s2 = slip(datetime(2025, 3, 1, 8, 0), [a], order=False, category="delivery")
        cls.s_cancel = slip(datetime(2025, 4, 1, 8, 0), [a])
        cls.s_cancel._do_cancel("Recorded twice")
        cls.s_other = slip(datetime(2025, 5, 1, 8, 0), [a], order=False, company=cls.other_company)
        # received at the same moment: the number decides (s3 was numbered first)
        cls.s3 = slip(T, [a])
        cls.s4 = slip(T, [b])
        cls.s_no_line = slip(datetime(2025, 6, 20, 8, 0), [], category="service")

    def _counts(self, slip):
        slip.invalidate_recordset()
        return (slip.repeat_order_count, slip.repeat_product_count, slip.repeat_fault_count,
                slip.repeat_earlier_count)

    def test_counts_counted_by_hand(self):
        # (order, product, fault, earlier slips)
        expected = {
            # same order: s_bound, s1 (s_old is outside, s_cancel cancelled, s2 without order);
            # product A: s_bound, s1, s2; A with a product fault: s_bound, s1
            self.s3: (3, 4, 3, 3),
            # same order: s_bound, s1, s3 (same moment, numbered before); product B: s1
            self.s4: (4, 2, 2, 3),
            # from 2024-01-10: s_old and s_bound on the order and on product A
            self.s1: (3, 3, 3, 2),
            # no order; product A: s_old, s_bound, s1; no earlier delivery fault on A
            self.s2: (0, 4, 1, 3),
            self.s_old: (1, 1, 1, 0),
            # another company's slips never count, nor count for it
            self.s_other: (0, 1, 1, 0),
            # no product line: no product counter; from 2024-06-20 on the order: s1, s3, s4
            self.s_no_line: (4, 0, 0, 3),
        }
        for slip, counts in expected.items():
            self.assertEqual(self._counts(slip), counts, slip.name)

    def test_look_back_setting(self):
        # 6 months before T: from 2024-12-15, only s1 (and s2 for the product) remain
        self.env.company.qms_repeat_months = 6
        self.assertEqual(self._counts(self.s3), (2, 3, 2, 2))
        with self.assertRaises(ValidationError):
            self.env.company.qms_repeat_months = 0

    def test_earlier_slips_button(self):
        action = self.s3.with_user(self.sales).action_view_repeat_complaints()
        earlier = self.env["qms.complaint"].search(action["domain"])
        self.assertEqual(earlier, self.s_bound | self.s1 | self.s2)

    def test_new_slip_counts_nothing_until_saved(self):
        new = self.env["qms.complaint"].new({"partner_id": self.customer.id, "sale_order_id": self.order.id})
        self.assertEqual((new.repeat_order_count, new.repeat_earlier_count), (0, 0))

    def test_printed_slip_shows_the_counters(self):
        html = self.env["ir.actions.report"]._render_qweb_html(
            "qms_customer.action_report_qms_complaint", self.s3.ids)[0].decode()
        row = "".join(html.split("qms-repeat", 1)[1].split("</table>", 1)[0].split())
        self.assertIn("<th>SameOrder</th><th>SameProduct</th><th>SameFault</th>", row)
        self.assertIn("<span>Within</span><span>12</span><span>months</span>", row)
        self.assertIn("<td><span>3</span></td><td><span>4</span></td><td><span>3</span></td>", row)

    def test_constant_queries_for_a_page(self):
        """The counters of one slip and of a page of 80 slips: the same queries (the counters' query,
        the earlier slips' query of the form's button, and the reader's user record, read again after
        the cache was emptied), never one per slip."""
        page = self.env["qms.complaint"].create([{
            "partner_id": self.customer.id, "sale_order_id": self.order.id, "received_by_id": self.env.user.id,
            "received_date": datetime(2025, 2, 1 + i % 27, 8, i % 60),
            "line_ids": [(0, 0, {"product_id": self.product_a.id, "qty_complained": 1})],
        } for i in range(80)])
        self.env.flush_all()
        for slips in (page[:1], page):
            self.env.invalidate_all()
            slips = slips.with_user(self.sales)
            with self.assertQueryCount(3):
                slips.mapped("repeat_fault_count")
                slips.mapped("repeat_order_count")
                slips.mapped("repeat_earlier_count")

    # --- the list does not compute the counters (BENCHMARKS.md 2026-11-30) -------------------------
    def _list_spec(self):
        """What the web client asks for a page of the slip list: every field of the list arch,
        optional hidden columns included."""
        fields = self.env["qms.complaint"].get_views([(False, "list")])["models"]["qms.complaint"]["fields"]
        return {name: {"fields": {"display_name": {}}} if field["type"] == "many2one" else
                {"fields": {}} if field["type"] in ("one2many", "many2many") else {}
                for name, field in fields.items()}

    def test_list_reads_only_stored_fields(self):
        """A page of the list reads what is stored (and the activities): a non-stored compute in the
        list arch runs for every page, shown or not. The repeat counters did, hidden, and their query
        grows with the history of the products on the page (1.2 s a page at 100k slips)."""
        Complaint = self.env["qms.complaint"]
        computed = sorted(name for name in self._list_spec()
                          if not Complaint._fields[name].store
                          and Complaint._fields[name].type not in ("one2many", "many2many"))
        self.assertEqual(computed, [])

    def test_list_page_does_not_count_repeats(self):
        """The page of 80 slips the web client reads never runs the counters' queries."""
        def refuse(_records):
            raise AssertionError("the slip list computed the repeat counters")
        Complaint = type(self.env["qms.complaint"])
        with patch.object(Complaint, "_qms_repeat_data", refuse), patch.object(Complaint, "_qms_repeat_counts", refuse):
            for user in (self.env.ref("base.user_admin"), self.sales):
                page = self.env["qms.complaint"].with_user(user).web_search_read(
                    [], self._list_spec(), limit=80, count_limit=10001)
                self.assertTrue(page["records"])
        # the guard itself bites: the form's counters go through it
        for method, counter in (("_qms_repeat_counts", "repeat_order_count"),
                                ("_qms_repeat_data", "repeat_earlier_count")):
            with patch.object(Complaint, method, refuse), self.assertRaises(AssertionError):
                self.s3.invalidate_recordset()
                self.s3[counter]

    def test_page_counts_are_the_slow_counts(self):
        """The page's counters (running counts over the look-back) agree with the number of
        earlier slips that ``_qms_repeat_data`` finds, on every slip of the fixed data set read together."""
        slips = self.env["qms.complaint"].search([("id", "in", (self.s_old | self.s_bound | self.s1 | self.s2
                                                                  | self.s_cancel | self.s_other | self.s3 | self.s4
                                                                  | self.s_no_line).ids)])
        slow = slips._qms_repeat_data()
        self.assertEqual(
            slips._qms_repeat_counts(),
            {slip_id: {key: counts[key] for key in ("order", "product", "fault")} for slip_id, counts in slow.items()})
