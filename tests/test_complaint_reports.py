from odoo.tests import tagged

from .common import QmsComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintReports(QmsComplaintCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"qms_complaint_doc_code": "QR-TEST-01", "qms_doc_edition": "B/1"})

    def setUp(self):
        super().setUp()
        self.complaint = self._to_action(self._complaint())
        action = self._add_action(self.complaint, description="Foam corners on every desk")
        self._implement(action)
        self._reply(self.complaint)

    def _html(self, report, records, lang=None):
        env = self.env(context=dict(self.env.context, lang=lang)) if lang else self.env
        html, _format = env["ir.actions.report"]._render_qweb_html(report, records.ids)
        return html.decode()

    def test_slip_in_english(self):
        html = self._html("qms_customer.report_qms_complaint", self.complaint)
        for text in ("Customer Complaint (Return) Slip", self.complaint.name, "QR-TEST-01", "B/1",
                     "Test Customer Ltd", self.order.name, "Desk", "Scratched", "Sales Supervisor review",
                     self.supervisor.name, self.quality.name, "Foam corners on every desk",
                     "We replace the desks.", "Signature", "Confirmed: transport damage"):
            self.assertIn(text, html)
        self.assertIn('class="page"', html)

    def test_corrective_action_report(self):
        action = self.complaint.corrective_action_ids
        html = self._html("qms_customer.report_qms_corrective_action", action)
        for text in ("Corrective Action Report", action.name, self.complaint.name, "Foam corners on every desk",
                     "No protection", self.mgmt_rep.name, "Test Production", "Test Quality"):
            self.assertIn(text, html)

    def test_reports_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"], overwrite=True)
        html = self._html("qms_customer.report_qms_complaint", self.complaint, lang="zh_CN")
        for text in ("顾客投诉(退货)单", "纠正措施", "管理者代表", self.complaint.name, "Test Customer Ltd"):
            self.assertIn(text, html)
        self.assertNotIn("Customer Complaint (Return) Slip", html)
        html = self._html("qms_customer.report_qms_corrective_action", self.complaint.corrective_action_ids,
                          lang="zh_CN")
        self.assertIn("纠正措施", html)

    def test_every_demo_slip_prints(self):
        slips = self.env["qms.complaint"].search([])
        self.assertTrue(slips)
        html = self._html("qms_customer.report_qms_complaint", slips)
        self.assertEqual(html.count('data-oe-model="qms.complaint"'), len(slips))
