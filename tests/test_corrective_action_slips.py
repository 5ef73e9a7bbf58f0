"""Issue 14, item 1: a corrective action serves several complaint slips. The action stays its own
slip's; the other slips it serves list it, wait for its verification before closing and print it
in their 8D (D5/D6). Adding a slip is part of the action's definition (its gate: the responsible
department, while the action is a draft), only by who may read the slip, only while it is open,
only of the action's company — on every path (/json/2 create and write, a one2many command from
the slip, copy)."""

from odoo import SUPERUSER_ID, Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import QmsHttpCommon

ACTION = "qms.corrective.action"


@tagged("post_install", "-at_install")
class TestCorrectiveActionSlips(QmsHttpCommon):

    def setUp(self):
        super().setUp()
        self.slip_a = self._to_action(self._complaint())
        self.action = self._add_action(self.slip_a)
        # slip B: the same cause found on another customer's complaint, at Quality's review
        self.slip_b = self._to_quality_review(self._complaint(
            partner_id=self.other_customer.id, contact_id=False, sale_order_id=self.other_order.id,
            line_ids=[Command.create({"sale_line_id": self.other_order.order_line[0].id, "qty_complained": 1,
                                      "defect_description": "Scratched"})]))

    def _served(self, slip=None):
        self.action.with_user(self.quality).write({"other_complaint_ids": [Command.link((slip or self.slip_b).id)]})

    # --- the slips it serves list it and count it --------------------------------------------------
    def test_served_slip_lists_counts_and_waits_for_the_action(self):
        self._served()
        self.assertEqual(self.slip_b.served_action_ids, self.action)
        self.assertEqual(self.slip_b.with_user(self.quality)._qms_all_actions(), self.action)
        self.assertEqual(self.slip_b.corrective_action_count, 1)
        self.assertEqual(self.slip_a.corrective_action_count, 1)
        view = self.slip_b.with_user(self.quality).action_view_corrective_actions()
        self.assertEqual(self.env[ACTION].with_user(self.quality).search(view["domain"]), self.action)
        # slip B is handled to its closing (not responsible), and waits for the action serving it
        self.slip_b.with_user(self.quality).write({"quality_disposition": "Same cause as the first slip",
                                                   "responsibility_finding": "normal_use"})
        self.slip_b.with_user(self.quality).action_confirm_not_responsible()
        self.slip_b.with_user(self.sales).investigation_cause = "Same packing"
        self.slip_b.with_user(self.sales).action_investigation_done()
        self._reply(self.slip_b)
        self.slip_b.with_user(self.mgmt_rep).write({"verification_notes": "Explained", "customer_satisfied": "yes"})
        with self.assertRaisesRegex(UserError, self.action.name):
            self.slip_b.with_user(self.mgmt_rep).action_close()
        self.assertEqual(self.slip_b.state, "verification")
        # ... on every path: the state written directly is refused too
        with self.assertRaisesRegex(ValidationError, "serve it"), self.env.cr.savepoint():
            self.slip_b.with_user(SUPERUSER_ID).with_context(install_mode=True).write(
                {"state": "done", "verified_by_id": self.mgmt_rep.id, "verified_date": fields.Datetime.now()})
        self.env.invalidate_all()
        self._implement(self.action)
        self.action.with_user(self.quality).action_verify_effective()
        self.slip_b.with_user(self.mgmt_rep).action_close()
        self.assertEqual(self.slip_b.state, "done")

    def test_8d_of_a_served_slip_lists_the_action(self):
        self.action.with_user(self.quality).write({"description": "Foam corners in every carton"})
        html = self.env["ir.actions.report"]._render_qweb_html(
            "qms_customer.action_report_qms_complaint_8d", self.slip_b.ids)[0].decode()
        self.assertNotIn("Foam corners in every carton", html)
        self._served()
        html = self.env["ir.actions.report"]._render_qweb_html(
            "qms_customer.action_report_qms_complaint_8d", self.slip_b.ids)[0].decode()
        self.assertIn("Foam corners in every carton", html)
        self.assertIn(self.action.name, html)

    # --- who, when, which slip -------------------------------------------------------------------------
    def test_added_in_the_definition_gate_only(self):
        # the responsible department adds a slip it may read (slip B's own department is production)
        self.slip_b.with_user(self.quality).write({"responsible_department_id": self.dep_production.id})
        self.assertAccepted(self.production, ACTION, "write", ids=self.action.ids,
                            vals={"other_complaint_ids": [Command.link(self.slip_b.id)]})
        self.assertEqual(self.action.other_complaint_ids, self.slip_b)
        # Sales reads the actions but does not define them
        self.assertRefused(self.sales, ACTION, "write", ids=self.action.ids,
                           vals={"other_complaint_ids": [Command.clear()]})
        # once approved, the definition (and the slips it serves) is fixed
        self.action.with_user(self.mgmt_rep).action_approve()
        self.assertRefused(self.production, ACTION, "write", ids=self.action.ids,
                           vals={"other_complaint_ids": [Command.clear()]})
        self.assertRefused(self.quality, ACTION, "write", ids=self.action.ids,
                           vals={"other_complaint_ids": [Command.unlink(self.slip_b.id)]})
        self.assertEqual(self.action.other_complaint_ids, self.slip_b)

    def test_who_cannot_read_the_slip_cannot_add_it_nor_read_it_through_the_action(self):
        # production may not read slip B (not its department, not its record)
        self.assertFalse(self.slip_b.with_user(self.production).has_access("read"))
        result = self.assertRefused(self.production, ACTION, "write", ids=self.action.ids,
                                    vals={"other_complaint_ids": [Command.link(self.slip_b.id)]})
        self.assertEqual(result["name"], "odoo.exceptions.AccessError")
        self.assertRefused(self.production, ACTION, "write", ids=self.action.ids,
                           vals={"other_complaint_ids": [Command.set(self.slip_b.ids)]})
        self.assertFalse(self.action.other_complaint_ids)
        # nor by creating an action that serves it
        vals = {"complaint_id": self.slip_a.id, "description": "Second action", "cause_category": "method",
                "responsible_department_id": self.dep_production.id,
                "implementing_department_id": self.dep_production.id,
                "verifying_department_id": self.dep_quality.id, "date_deadline": "2030-01-31",
                "other_complaint_ids": [Command.link(self.slip_b.id)]}
        self.assertRefused(self.production, ACTION, "create", vals_list=[vals])
        self.assertEqual(len(self.slip_a.corrective_action_ids), 1)
        # Quality does not see a slip before its review: neither from the slip's one2many
        draft = self._complaint()
        self.assertRefused(self.quality, "qms.complaint", "write", ids=self.slip_a.ids, vals={
            "corrective_action_ids": [Command.create(dict(vals, other_complaint_ids=[Command.link(draft.id)]))]})
        self.assertEqual(len(self.slip_a.corrective_action_ids), 1)
        # once Quality linked slip B, production reads the action but not slip B through it
        self._served()
        ok, rows = self.json2(self.production, ACTION, "read", ids=self.action.ids,
                              fields=["other_complaint_ids"])
        self.assertTrue(ok, rows)
        self.assertEqual(rows[0]["other_complaint_ids"], [])
        self.assertRefused(self.production, "qms.complaint", "read", ids=self.slip_b.ids, fields=["name"])
        ok, rows = self.json2(self.production, ACTION, "web_read", ids=self.action.ids,
                              specification={"other_complaint_ids": {"fields": {"display_name": {}}}})
        self.assertTrue(ok, rows)
        self.assertEqual(rows[0]["other_complaint_ids"], [])
        # Quality, who may read it, accepted from the slip's one2many
        self.assertAccepted(self.quality, "qms.complaint", "write", ids=self.slip_a.ids, vals={
            "corrective_action_ids": [Command.create(dict(vals, other_complaint_ids=[Command.link(self.slip_b.id)]))]})
        self.assertEqual(len(self.slip_b.served_action_ids), 2)

    def test_closed_cancelled_own_or_other_company_slip_refused(self):
        closed = self._to_done(self._complaint())
        self.assertRefused(self.quality, ACTION, "write", ids=self.action.ids,
                           vals={"other_complaint_ids": [Command.link(closed.id)]}, message=closed.name)
        cancelled = self._complaint()
        cancelled.with_user(self.supervisor)._do_cancel("Duplicate")
        self.assertEqual(cancelled.state, "cancel")
        self.assertRefused(self.quality, ACTION, "write", ids=self.action.ids,
                           vals={"other_complaint_ids": [Command.link(cancelled.id)]})
        self.assertRefused(self.quality, ACTION, "write", ids=self.action.ids,
                           vals={"other_complaint_ids": [Command.link(self.slip_a.id)]})
        other_company = self.env["res.company"].create({"name": "Other Company"})
        self.quality.write({"company_ids": [Command.link(other_company.id)]})
        elsewhere = self.env["qms.complaint"].create({
            "company_id": other_company.id, "partner_id": self.other_customer.id, "channel": "phone",
            "category": "product", "line_ids": [Command.create({"product_id": self.product_a.id,
                                                                 "qty_complained": 1})]})
        self.assertRefused(self.quality, ACTION, "write", ids=self.action.ids,
                           vals={"other_complaint_ids": [Command.link(elsewhere.id)]})
        self.assertFalse(self.action.other_complaint_ids)
        # with an open slip of its company, the same call goes through (the refusals are the slips')
        self.assertAccepted(self.quality, ACTION, "write", ids=self.action.ids,
                            vals={"other_complaint_ids": [Command.link(self.slip_b.id)]})
        # a slip served may close or be cancelled later: the link stays, as evidence
        self.assertEqual(self.action.other_complaint_ids, self.slip_b)

    def test_linked_from_the_action_only_and_not_copied(self):
        self.assertRefused(self.quality, "qms.complaint", "write", ids=self.slip_b.ids,
                           vals={"served_action_ids": [Command.link(self.action.id)]})
        self.assertFalse(self.slip_b.served_action_ids)
        self._served()
        copy_id = self.assertAccepted(self.quality, ACTION, "copy", ids=self.action.ids)
        self.assertFalse(self.env[ACTION].browse(copy_id).other_complaint_ids)
        self.assertEqual(self.slip_b.served_action_ids, self.action)
        with self.assertRaises(UserError):
            self.slip_b.with_user(self.sales).write({"served_action_ids": [Command.clear()]})

    # --- visible everywhere: the printed action, the printed slip, the slip's tab ----------------------
    def _html(self, report, records):
        return self.env["ir.actions.report"]._render_qweb_html(
            f"qms_customer.{report}", records.ids)[0].decode()

    def test_printed_action_and_printed_slip_name_each_other(self):
        self.action.with_user(self.quality).write({"description": "Foam corners in every carton"})
        action_html = self._html("action_report_qms_corrective_action", self.action)
        self.assertNotIn("qms-also-serves", action_html)
        self.assertNotIn("Foam corners in every carton", self._html("action_report_qms_complaint", self.slip_b))
        self._served()
        # the action's report lists the other slips it serves, with their customers
        action_html = self._html("action_report_qms_corrective_action", self.action)
        also = action_html[action_html.index("qms-also-serves"):]
        also = also[:also.index("</tr>")]
        self.assertIn(self.slip_b.name, also)
        self.assertIn(self.other_customer.name, also)
        self.assertNotIn(self.slip_a.name, also)
        # the served slip prints the action, saying whose it is
        slip_html = self._html("action_report_qms_complaint", self.slip_b)
        self.assertIn("Foam corners in every carton", slip_html)
        served_row = slip_html[slip_html.index("qms-served-by"):]
        self.assertIn(self.slip_a.name, served_row[:served_row.index("</tr>")])
        # its own slip prints it as its own
        own_html = self._html("action_report_qms_complaint", self.slip_a)
        self.assertIn("Foam corners in every carton", own_html)
        self.assertNotIn("qms-served-by", own_html)

    def test_slip_actions_tab_lists_own_and_serving_actions(self):
        from lxml import etree
        arch = etree.fromstring(self.env["qms.complaint"].with_user(self.quality).get_view(view_type="form")["arch"])
        self.assertFalse(arch.xpath("//page[@name='served_actions']"), "a separate tab is left")
        page = arch.xpath("//page[@name='actions']")[0]
        self.assertTrue(page.xpath("./field[@name='corrective_action_ids']"))
        self.assertTrue(page.xpath(".//field[@name='served_action_ids']"))
        # the tab shows on a slip served by another slip's action, though not found responsible
        self.assertIn("served_action_ids", page.get("invisible"))
        self._served()
        self.assertEqual(self.slip_b.with_user(self.sales).read(["served_action_ids"])[0]["served_action_ids"],
                         self.action.ids)
