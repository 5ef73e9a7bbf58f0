import re

from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from .test_portal import PNG, QmsPortalCommon


@tagged("post_install", "-at_install")
class TestPortalPages(HttpCase, QmsPortalCommon):
    """The portal pages over HTTP: list, detail, token access and the intake form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls._portal_complaint(cls, user=cls.portal).sudo()
        cls.theirs = cls._portal_complaint(cls, user=cls.other_portal, order=cls.other_order).sudo()
        cls.receiver = new_test_user(cls.env, login="t_receiver_zed", name="Internal Receiver Zed",
                                     groups="base.group_user,qms_customer.group_qms_sales")
        cls.mine.received_by_id = cls.receiver

    def test_list_and_detail_show_only_own_slips(self):
        self.authenticate("t_portal_pat", "t_portal_pat")
        page = self.url_open("/my/complaints").text
        self.assertIn(self.mine.name, page)
        self.assertNotIn(self.theirs.name, page)
        detail = self.url_open(f"/my/complaints/{self.mine.id}")
        self.assertEqual(detail.status_code, 200)
        self.assertIn("Two desks arrived scratched.", detail.text)
        self.assertNotIn("Internal Receiver Zed", detail.text)
        other = self.url_open(f"/my/complaints/{self.theirs.id}", allow_redirects=False)
        self.assertEqual(other.status_code, 303)
        self.assertTrue(other.headers["Location"].endswith("/my"))

    def test_token_opens_the_slip_without_login(self):
        response = self.url_open(self.mine.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.mine.name, response.text)
        wrong = self.url_open(f"/my/complaints/{self.mine.id}?access_token=wrong", allow_redirects=False)
        self.assertEqual(wrong.status_code, 303)

    def test_form_records_a_complaint_with_a_photo(self):
        self.authenticate("t_portal_pat", "t_portal_pat")
        form = self.url_open(f"/my/complaints/new?order_id={self.order.id}").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        line = self.order.order_line[1]
        response = self.url_open("/my/complaints/new", data={
            "csrf_token": csrf, "order_id": self.order.id, "description": "Chair legs uneven",
            "customer_request": "repair", f"qty_{line.id}": "1", f"defect_{line.id}": "Uneven legs",
        }, files={"photos": ("chair.png", PNG, "image/png")})
        self.assertEqual(response.status_code, 200)
        complaint = self.env["qms.complaint"].search([("description", "ilike", "Chair legs uneven")])
        self.assertEqual(len(complaint), 1)
        self.assertIn(f"/my/complaints/{complaint.id}", response.url)
        self.assertEqual(complaint.line_ids.sale_line_id, line)
        self.assertEqual(complaint.message_ids.attachment_ids.mapped("name"), ["chair.png"])

    def test_form_shows_errors_and_writes_nothing(self):
        self.authenticate("t_portal_pat", "t_portal_pat")
        form = self.url_open("/my/complaints/new").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        count = self.env["qms.complaint"].search_count([])
        response = self.url_open("/my/complaints/new", data={
            "csrf_token": csrf, "order_id": self.other_order.id, "description": "Not my order",
            f"qty_{self.other_order.order_line.id}": "1",
        })
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_qms_complaint_error", response.text)
        self.assertEqual(self.env["qms.complaint"].search_count([]), count)

    def _post_form(self, **fields):
        form = self.url_open(f"/my/complaints/new?order_id={self.order.id}").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        return self.url_open("/my/complaints/new", data={
            "csrf_token": csrf, "order_id": self.order.id, "description": "Desk top cracked", **fields})

    def test_form_text_loses_its_markup(self):
        self.authenticate("t_portal_pat", "t_portal_pat")
        line = self.order.order_line[0]
        self._post_form(description="<script>alert('x')</script><b>Crackedzq</b> & bent",
                        **{f"qty_{line.id}": "1", f"defect_{line.id}": "<i>Split</i> top"})
        complaint = self.env["qms.complaint"].search([("description", "ilike", "Crackedzq")])
        self.assertEqual(len(complaint), 1)
        self.assertNotIn("<script", complaint.description)
        self.assertNotIn("alert(", complaint.description)
        self.assertIn("&amp; bent", complaint.description)
        self.assertEqual(complaint.line_ids.defect_description, "Split top")

    def test_form_strings_that_are_not_values_are_refused(self):
        self.authenticate("t_portal_pat", "t_portal_pat")
        line = self.order.order_line[0]
        count = self.env["qms.complaint"].search_count([])
        cases = {
            "Quantities must be numbers.": [{f"qty_{line.id}": "many"}, {f"qty_{line.id}": "nan"},
                                            {f"qty_{line.id}": "1e999"}],
            "Choose one of your confirmed orders.": [{"order_id": "1 OR 1=1", f"qty_{line.id}": "1"},
                                                     {"order_id": "9" * 30, f"qty_{line.id}": "1"}],
            f"A line you chose is not on order {self.order.name}.": [{"qty_x1": "1"}],
            "Give the quantity of at least one product you complain about.": [{f"qty_{line.id}": "  "}],
            "Describe the problem you met.": [{"description": "<p> </p>", f"qty_{line.id}": "1"}],
        }
        for message, forms in cases.items():
            for fields in forms:
                with self.subTest(fields=fields):
                    response = self._post_form(**fields)
                    self.assertEqual(response.status_code, 200)
                    self.assertIn("o_qms_complaint_error", response.text)
                    self.assertIn(message, response.text.replace("&#39;", "'"))
        self.assertEqual(self.env["qms.complaint"].search_count([]), count, "nothing written")

    def test_home_counter(self):
        user = new_test_user(self.env, login="t_portal_none", groups="base.group_portal")
        self.authenticate("t_portal_pat", "t_portal_pat")
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["qms_complaint_count"]})
        self.assertEqual(counters["qms_complaint_count"], 1)
        self.authenticate(user.login, user.login)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["qms_complaint_count"]})
        self.assertEqual(counters["qms_complaint_count"], 0)

    def test_portal_thread_hides_internal_notes(self):
        note = self.mine.message_post(body="Internal: glue batch 42", message_type="comment",
                                      subtype_xmlid="mail.mt_note")
        answer = self.mine.message_post(body="We will replace the desks", message_type="comment",
                                        subtype_xmlid="mail.mt_comment")
        self.authenticate("t_portal_pat", "t_portal_pat")
        result = self.make_jsonrpc_request("/mail/thread/messages", {
            "thread_model": "qms.complaint", "thread_id": self.mine.id, "fetch_params": {"limit": 30}})
        self.assertIn(answer.id, result["messages"])
        self.assertNotIn(note.id, result["messages"])
        # another customer's thread is closed to them: refused, or nothing of it returned
        try:
            other = self.make_jsonrpc_request("/mail/thread/messages", {
                "thread_model": "qms.complaint", "thread_id": self.theirs.id, "fetch_params": {"limit": 30}})
        except JsonRpcException:
            other = {"messages": []}
        self.assertTrue(self.theirs.message_ids)
        self.assertFalse(set(other["messages"]) & set(self.theirs.message_ids.ids))
