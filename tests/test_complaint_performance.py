from odoo.tests import tagged

from .common import QmsComplaintCommon

# The fields the list view reads (qms_complaint_view_list), as the web client asks for them.
LIST_SPEC = {
    "name": {}, "received_date": {}, "partner_id": {"fields": {"display_name": {}}},
    "sale_order_id": {"fields": {"display_name": {}}}, "category": {}, "severity": {}, "channel": {},
    "received_by_id": {"fields": {"display_name": {}}}, "responsible_department_id": {"fields": {"display_name": {}}},
    "date_deadline": {}, "activity_ids": {}, "company_id": {"fields": {"display_name": {}}}, "state": {},
}
FORM_SPEC = {
    "name": {}, "state": {}, "partner_id": {"fields": {"display_name": {}}}, "sale_order_id": {"fields": {}},
    "line_ids": {"fields": {"product_id": {"fields": {"display_name": {}}}, "qty_complained": {}}},
}


@tagged("post_install", "-at_install")
class TestComplaintPerformance(QmsComplaintCommon):

    def _save_vals(self):
        return {
            "partner_id": self.customer.id, "sale_order_id": self.order.id, "channel": "phone",
            "severity": "major", "category": "product", "description": "<p>Scratched</p>",
            "line_ids": [
                [0, "virtual_1", {"sale_line_id": line.id, "product_id": line.product_id.id, "qty_complained": 1}]
                for line in self.order.order_line],
        }

    def test_create_one_slip_with_two_lines_query_budget(self):
        Complaint = self.env["qms.complaint"].with_user(self.sales)
        Complaint.web_save(self._save_vals(), FORM_SPEC)  # warm caches and the sequence
        self.env.invalidate_all()
        # 26: the gap-free slip number takes its turn on the company's sequence (issue #11.7)
        with self.assertQueryCount(26):
            result = Complaint.web_save(self._save_vals(), FORM_SPEC)
        self.assertEqual(len(result[0]["line_ids"]), 2)

    def _list_page_queries(self, count):
        Complaint = self.env["qms.complaint"]
        vals = self._save_vals()
        existing = Complaint.search_count([])
        Complaint.create([dict(vals) for _i in range(count - existing)] if count > existing else [])
        self.env.invalidate_all()
        user_model = Complaint.with_user(self.gm)
        user_model.web_search_read([], LIST_SPEC, limit=80, count_limit=10001)  # warm
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        page = user_model.web_search_read([], LIST_SPEC, limit=80, count_limit=10001)
        return self.cr.sql_log_count - before, page

    def test_list_page_is_constant_in_number_of_slips(self):
        small, _page_small = self._list_page_queries(10)
        large, page_large = self._list_page_queries(120)
        self.assertEqual(len(page_large["records"]), 80)
        self.assertGreaterEqual(page_large["length"], 120)
        self.assertEqual(small, large, "reading a page costs the same whatever the number of slips")
