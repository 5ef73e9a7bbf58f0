"""Query budgets that keep tools/bench's ratios (see BENCHMARKS.md): measured as ratios in one run."""
from odoo.tests import tagged

from .common import QmsCommon


@tagged("post_install", "-at_install")
class TestScale(QmsCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Scale Customer", "is_company": True})
        cls.product = cls.env["product.product"].create({"name": "Scale Widget"})

    def _vals(self):
        line = {"product_id": self.product.id, "qty_complained": 2}
        return {"partner_id": self.customer.id, "category": "product",
                "line_ids": [(0, 0, dict(line)), (0, 0, dict(line, qty_complained=1))]}

    def _queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_batch_create_does_not_grow_per_record_beyond_the_sequence(self):
        Complaint = self.env["qms.complaint"].with_user(self.sales)
        Complaint.create([self._vals()])  # warm: the company's sequence is created on first use
        one = self._queries(lambda: Complaint.create([self._vals()]))
        eleven = self._queries(lambda: Complaint.create([self._vals() for _i in range(11)]))
        per_record = (eleven - one) / 10
        self.assertLessEqual(per_record, 2, f"{one} queries for 1 slip, {eleven} for 11")
        slips = Complaint.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(set(slips.mapped("name"))), len(slips), "every slip has its own number")
        self.assertTrue(all(len(slip.line_ids) == 2 for slip in slips))

    def test_list_page_queries_do_not_depend_on_the_number_of_slips(self):
        Complaint = self.env["qms.complaint"].with_user(self.gm)
        spec = {"name": {}, "received_date": {}, "partner_id": {"fields": {"display_name": {}}},
                "state": {}, "severity": {}, "received_by_id": {"fields": {"display_name": {}}}}
        # a full page in both measures (the web client counts only behind a full page), whatever the
        # number of demo slips: 81 slips, then 141
        existing = self.env["qms.complaint"].search_count([])
        self.env["qms.complaint"].create([self._vals() for _i in range(max(3, 81 - existing))])
        Complaint.web_search_read([], spec, limit=80, count_limit=10001)  # warm
        few = self._queries(lambda: Complaint.web_search_read([], spec, limit=80, count_limit=10001))
        self.env["qms.complaint"].create([self._vals() for _i in range(60)])
        many = self._queries(lambda: Complaint.web_search_read([], spec, limit=80, count_limit=10001))
        self.assertEqual(few, many)
        with self.assertQueryCount(few):
            self.env.invalidate_all()
            Complaint.web_search_read([], spec, limit=80, count_limit=10001)
