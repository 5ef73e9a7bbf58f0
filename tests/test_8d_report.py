"""The 8D report (issue 14, item 4): the eight disciplines built from the slip, its lines and its
corrective actions, in English and Chinese, interim until the slip is closed; D7 and D8 written
only by whom the procedure names, and the report only for the company's staff."""
from odoo.tests import new_test_user, tagged

from .common import QmsHttpCommon

REPORT = "qms_customer.report_qms_complaint_8d"
HEADINGS = {
    "en_US": ("D1 Team", "D2 Problem Description", "D3 Containment", "D4 Root Cause",
              "D5 Chosen Corrective Actions", "D6 Implementation and Verification",
              "D7 Prevention of Recurrence", "D8 Closure and Team Recognition"),
    "zh_CN": ("D1 小组", "D2 问题描述", "D3 临时遏制措施", "D4 根本原因", "D5 选定的纠正措施",
              "D6 实施与验证", "D7 预防再发生", "D8 结案与小组表彰"),
}
INTERIM = {"en_US": "Interim report", "zh_CN": "中期报告"}


@tagged("post_install", "-at_install")
class TestEightDReport(QmsHttpCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"], overwrite=True)
        cls.env.company.qms_8d_doc_code = "QR-8D-T"

    def _html(self, complaint, lang):
        env = self.env(context=dict(self.env.context, lang=lang, tz="UTC"))
        html, _format = env["ir.actions.report"]._render_qweb_html(REPORT, complaint.ids)
        return html.decode()

    def _closed_slip_with_8d(self):
        complaint = self._to_action(self._complaint())
        complaint.with_user(self.quality).correction = "Sorted 40 desks in stock, 3 held"
        action = self._add_action(complaint, because_2="The packing instruction had no corner step.",
                                  why_2="Why were the corners unprotected?")
        action.with_user(self.mgmt_rep).action_approve()
        action.with_user(self.production).action_start()
        action.with_user(self.production).write({
            "implementation_notes": "Foam corners bought",
            "prevention_notes": "Packing instruction PI-07 rev. C; chairs checked, same risk"})
        action.with_user(self.production).action_implemented()
        action.with_user(self.quality).effectiveness_evidence = "Three deliveries without damage"
        action.with_user(self.quality).action_verify_effective()
        self._reply(complaint)
        complaint.with_user(self.mgmt_rep).write({
            "verification_notes": "Customer confirmed", "customer_satisfied": "yes",
            "team_recognition": "Thanks to the packing team"})
        complaint.with_user(self.mgmt_rep).action_close()
        return complaint, action

    def test_full_8d_in_both_languages(self):
        complaint, action = self._closed_slip_with_8d()
        self.assertEqual(complaint.state, "done")
        for lang in ("en_US", "zh_CN"):
            html = self._html(complaint, lang)
            positions = [html.find(heading) for heading in HEADINGS[lang]]
            self.assertNotIn(-1, positions, f"{lang}: every discipline is printed")
            self.assertEqual(positions, sorted(positions), f"{lang}: in order D1 to D8")
            for content in ("QR-8D-T", complaint.name, "Sorted 40 desks in stock",
                            "The packing instruction had no corner step.", action.description,
                            "Three deliveries without damage", "Packing instruction PI-07 rev. C",
                            "Thanks to the packing team", self.quality.name, self.production.name, self.mgmt_rep.name,
                            "Scratched"):
                self.assertIn(content, html, f"{lang}: {content}")
            self.assertNotIn(INTERIM[lang], html, "a closed slip's 8D is final")
        cause = dict(action._fields["cause_category"]._description_selection(self.env(context={"lang": "zh_CN"})))
        self.assertIn(cause["method"], self._html(complaint, "zh_CN"))

    def test_interim_8d_at_any_stage_and_a_real_pdf(self):
        complaint = self._to_quality_review(self._complaint())
        for lang in ("en_US", "zh_CN"):
            html = self._html(complaint, lang)
            self.assertIn(INTERIM[lang], html)
            self.assertIn(HEADINGS[lang][7], html)
        pdf, kind = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            REPORT, complaint.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_d7_and_d8_are_written_by_whom_the_procedure_names(self):
        complaint = self._to_action(self._complaint())
        action = self._add_action(complaint)
        action.with_user(self.mgmt_rep).action_approve()
        args = {"ids": action.ids, "vals": {"prevention_notes": "Changed"}}
        self.assertRefused(self.sales, "qms.corrective.action", "write", **args)
        self.assertRefused(self.employee, "qms.corrective.action", "write", **args)  # another department
        self.assertAccepted(self.production, "qms.corrective.action", "write", **args)
        self.assertEqual(action.prevention_notes, "Changed")
        recognition = {"ids": complaint.ids, "vals": {"team_recognition": "Well done"}}
        self.assertRefused(self.mgmt_rep, "qms.complaint", "write", **recognition)  # not at verification yet
        self.assertRefused(self.sales, "qms.complaint", "write", **recognition)
        self.assertFalse(complaint.team_recognition)
        created = {"vals_list": [{**self._complaint_vals(), "team_recognition": "Before anything"}]}
        self.assertRefused(self.sales, "qms.complaint", "create", **created)

    def _complaint_vals(self):
        return {"partner_id": self.customer.id, "sale_order_id": self.order.id, "channel": "phone",
                "category": "product", "description": "<p>Scratched</p>"}

    def test_staff_print_it_and_the_customer_does_not(self):
        """Quality, the management representative and the general manager print the 8D (and the
        slip) of a slip whose sales order they may not open; the customer, who reads the slip on
        the portal, gets neither internal form through Odoo's report route."""
        portal = new_test_user(self.env, login="t_portal_8d", groups="base.group_portal",
                               partner_id=self.contact.id)
        complaint = self._to_action(self._complaint())
        complaint.sudo().portal_user_id = portal
        self.assertTrue(complaint.with_user(portal).has_access("read"), "the customer reads the slip")
        self.assertFalse(self.env["sale.order"].with_user(self.quality).has_access("read"))
        for user in (self.quality, self.mgmt_rep, self.gm):
            self.authenticate(user.login, user.login)
            for report in (REPORT, "qms_customer.report_qms_complaint"):
                response = self.url_open(f"/report/pdf/{report}/{complaint.id}")
                self.assertEqual(response.headers.get("Content-Type"), "application/pdf",
                                 f"{user.login} {report}: " + response.text[response.text.find("Error message"):][:600])
        self.authenticate(portal.login, portal.login)
        for report in (REPORT, "qms_customer.report_qms_complaint"):
            response = self.url_open(f"/report/pdf/{report}/{complaint.id}")
            self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf", report)
            self.assertIn(response.status_code, (403, 404), report)

    def test_demo_slip_has_a_full_8d(self):
        complaint = self.env.ref("qms_customer.complaint_done")
        html = self._html(complaint, "en_US")
        for placeholder in ("No containment recorded yet.", "No root cause determined yet.", "No corrective action.",
                            "No prevention of recurrence recorded yet.", INTERIM["en_US"]):
            self.assertNotIn(placeholder, html)
        self.assertIn("Packing instruction PI-07 revision C", html)
        self.assertIn("thanked at the monthly meeting", html)
        self.assertIn("Stack cartons at most two high.", html, "D6 shows the earlier attempt that was not effective")
