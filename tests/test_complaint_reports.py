from unittest.mock import patch

from odoo.addons.qms_customer.models.ir_actions_report import self_contained_pdf
from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

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

    def test_a_batch_of_long_slips_is_printed_once_and_split(self):
        """Slips of several pages printed together (the evidence pack's batches): one wkhtmltopdf run,
        split per slip by their outline entries, not each slip printed again alone."""
        slips = self.complaint | self._complaint() | self._complaint()
        long_text = "<p>%s</p>" % ("The drawer rail jams half way and scratches the side panel. " * 40)
        # past its intake the description is closed to every path: lengthen it behind the ORM's back
        self.env.cr.execute("UPDATE qms_complaint SET description = %s WHERE id IN %s",
                            [long_text * 12, tuple(slips.ids)])
        self.env.invalidate_all()
        Report = self.env["ir.actions.report"]
        runs = []
        run_wkhtmltopdf = type(Report)._run_wkhtmltopdf

        def count_runs(report, *args, **kwargs):
            runs.append(1)
            return run_wkhtmltopdf(report, *args, **kwargs)

        with patch.object(type(Report), "_run_wkhtmltopdf", count_runs), self_contained_pdf():
            streams = Report.with_context(force_report_rendering=True)._render_qweb_pdf_prepare_streams(
                "qms_customer.action_report_qms_complaint", None, res_ids=slips.ids)
        pages = [len(PdfFileReader(streams[slip.id]["stream"]).pages) for slip in slips]
        self.assertGreater(min(pages), 1, "the slips must run over a page for this test to mean anything")
        self.assertEqual(len(runs), 1)
        for slip in slips:  # each part is that slip's
            first_page = PdfFileReader(streams[slip.id]["stream"]).pages[0].extract_text()
            self.assertIn(slip.name, first_page)

    def test_every_demo_slip_prints(self):
        slips = self.env["qms.complaint"].search([])
        self.assertTrue(slips)
        html = self._html("qms_customer.report_qms_complaint", slips)
        self.assertEqual(html.count('data-oe-model="qms.complaint"'), len(slips))
