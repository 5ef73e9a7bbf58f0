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
        # 26: the gap-free slip number takes its turn on the company's sequence (issue #11.7);
        # 28: the clocks read the company calendar's weekdays and public holidays (issue 13.1);
        # 29: the recurrence matching, one SQL for the new slip's products (issue 14.3);
        # 30: the stored cost of poor quality and product category of the slip (issue 14.5)
        with self.assertQueryCount(30):
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

    def _walk_queries(self):
        """Queries of walking one slip through the whole procedure as the roles (company responsible)."""
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        complaint = self._to_action(self._complaint())
        action = self._add_action(complaint)
        self._implement(action)
        action.with_user(self.quality).action_verify_effective()
        self._reply(complaint)
        complaint.with_user(self.mgmt_rep).write({"verification_notes": "OK", "customer_satisfied": "yes"})
        complaint.with_user(self.mgmt_rep).action_close()
        self.env.flush_all()
        self.assertEqual(complaint.state, "done")
        return self.cr.sql_log_count - before

    def test_walking_a_slip_does_not_grow_with_the_holders_of_each_role(self):
        """Each gate gives one activity to one accountable person: four more holders of every role
        cost no query (issue #11: with one activity per holder, 60 % of the walk's queries were
        activities and their notifications)."""
        self._walk_queries()  # warm the caches and the sequences
        # the same product and complaint category again: the second walk is the first recurrence of
        # the first (models/qms_complaint_recurrence.py), whose path is warmed too; from then on each
        # walk flags the previous walk's action
        self._walk_queries()
        one = self._walk_queries()
        for index in range(4):
            for role, group in (("sales", "qms_customer.group_qms_sales"),
                                ("supervisor", "qms_customer.group_qms_sales_supervisor"),
                                ("quality", "qms_customer.group_qms_quality"),
                                ("mgmt_rep", "qms_customer.group_qms_management_representative")):
                self._user(f"t_extra_{role}_{index}", group, self.dep_quality)
        self._walk_queries()  # new users clear the registry's caches: warm them again
        five = self._walk_queries()
        self.assertEqual(five, one, "the walk costs the same with five holders of each role as with one")
        self.assertLess(one, 450, "the whole walk stays within its budget")
