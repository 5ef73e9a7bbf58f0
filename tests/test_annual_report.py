import json
import socket
from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..models.ir_actions_report import self_contained_pdf
from .common import QmsCommon


@tagged("post_install", "-at_install")
class TestAnnualReport(QmsCommon):
    """The customer complaint summary report (clause 4.3.3) on a fixed data set whose figures
    were worked out by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.env["qms.annual.report"].search([("state", "=", "draft")]).unlink()  # demo drafts
        Partner = cls.env["res.partner"]
        cls.cust_a = Partner.create({"name": "Annual Customer A", "is_company": True})
        cls.cust_b = Partner.create({"name": "Annual Customer B", "is_company": True})
        Product = cls.env["product.product"]
        cls.p1 = Product.create({"name": "Annual Pump", "type": "consu"})
        cls.p2 = Product.create({"name": "Annual Valve", "type": "consu"})
        cls.year = 2024
        d = cls._complaint
        prod, qual = cls.dep_production, cls.dep_quality
        cls.c1 = d(cls.cust_a, "2024-01-10", "product", "minor", "phone", "done", True, prod,
                   "2024-01-20", [(cls.p1, 2)], action=("effective", 1))
        cls.c2 = d(cls.cust_a, "2024-01-20", "delivery", "major", "email", "done", False, None,
                   "2024-03-20", [(cls.p2, 1)])
        cls.c3 = d(cls.cust_b, "2024-03-05", "product", "critical", "phone", "action", True, prod,
                   None, [(cls.p1, 3)], action=("in_progress", 2))
        cls.c4 = d(cls.cust_b, "2024-06-01", "service", "minor", "visit", "done", True, qual, "2024-06-21", [])
        cls.c5 = d(cls.cust_a, "2024-12-20", "product", "minor", "phone", "done", False, None,
                   "2025-01-09", [(cls.p1, 1)])
        cls.c6 = d(cls.cust_a, "2024-02-02", "other", "minor", "phone", "cancel", False, None, None, [],
                   cancelled="2024-02-03")
        # the previous year, and one complaint of the next year that must not count
        d(cls.cust_a, "2023-05-05", "product", "minor", "phone", "done", True, prod, "2023-05-15", [(cls.p1, 1)])
        d(cls.cust_b, "2023-11-11", "product", "minor", "phone", "cancel", False, None, None, [],
          cancelled="2023-11-12")
        d(cls.cust_b, "2023-12-30", "delivery", "minor", "phone", "draft", False, None, None, [])
        d(cls.cust_a, "2025-01-05", "product", "minor", "phone", "draft", False, None, None, [])

    @classmethod
    def _complaint(cls, customer, received, category, severity, channel, state, responsible, department,
                   verified, lines, action=None, cancelled=None):
        # history is loaded as it stands (the system user), with the stamps of every gate it passed
        at = f"{received} 12:00:00"
        vals = {
            "partner_id": customer.id, "received_date": f"{received} 09:00:00", "category": category,
            "severity": severity, "channel": channel, "state": state,
            "line_ids": [Command.create({"product_id": p.id, "qty_complained": q}) for p, q in lines],
        }
        if state not in ("draft", "cancel"):
            vals.update(submitted_date=at, supervisor_date=at, quality_date=at, company_responsible=responsible,
                        responsible_department_id=department.id if department else False)
            if not responsible and state in ("reply", "verification", "done"):
                vals["investigation_date"] = at
            if state in ("verification", "done"):
                vals["reply_date"] = at
        if verified:
            vals["verified_date"] = f"{verified} 09:00:00"
        if cancelled:
            vals["cancelled_date"] = f"{cancelled} 09:00:00"
        complaint = cls.env["qms.complaint"].create(vals)
        if action:
            stamps = {"approved_date": at}
            if action[0] in ("implemented", "effective", "ineffective"):
                stamps["implemented_date"] = at
            if action[0] in ("effective", "ineffective"):
                stamps.update(verified_date=at, verification_result=action[0])
            cls.env["qms.corrective.action"].create({
                "complaint_id": complaint.id, "description": "Fix", "date_deadline": "2024-12-31",
                "responsible_department_id": cls.dep_production.id,
                "implementing_department_id": cls.dep_production.id,
                "verifying_department_id": cls.dep_quality.id,
                "state": action[0], "revision": action[1], **stamps,
            })
        return complaint

    def _report(self, user=None, **vals):
        Report = self.env["qms.annual.report"].with_user(user or self.quality)
        return Report.create(dict(
            {"kind": "complaint", "year": self.year, "close_target_days": 30, "tz": "UTC"}, **vals))

    # --- figures -------------------------------------------------------------------------------
    def test_figures_match_hand_computation(self):
        report = self._report()
        report.action_compute()
        f = json.loads(report.figures_json)
        self.assertTrue(report.has_data)
        self.assertEqual(f["total"], 5)
        self.assertEqual(f["cancelled"], 1)
        self.assertEqual(f["by_month"], [2, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1])
        self.assertEqual(f["by_category"], {"product": 3, "delivery": 1, "service": 1})
        self.assertEqual(f["by_severity"], {"minor": 3, "major": 1, "critical": 1})
        self.assertEqual(f["by_channel"], {"phone": 3, "email": 1, "visit": 1})
        self.assertEqual((f["company_responsible"], f["company_not_responsible"], f["not_yet_decided"]), (3, 2, 0))
        self.assertEqual(f["by_department"],
                         [[self.dep_production.display_name, 2], [self.dep_quality.display_name, 1]])
        self.assertEqual(f["by_customer"], [["Annual Customer A", 3], ["Annual Customer B", 2]])
        self.assertEqual(f["by_product"], [["Annual Pump", 3, 6.0], ["Annual Valve", 1, 1.0]])
        self.assertEqual(f["top_customers"][0], ["Annual Customer A", 3])
        # closed: 10, 60, 20, 20 days
        self.assertEqual(f["closed"], 4)
        self.assertEqual(f["days_mean"], 27.5)
        self.assertEqual(f["days_median"], 20.0)
        self.assertEqual(f["days_p90"], 48.0)
        self.assertEqual(f["closed_on_time"], 3)
        self.assertEqual(f["closed_on_time_pct"], 75.0)
        # c3 is at corrective action, c5 was closed only in January of the next year
        self.assertEqual(f["open_at_year_end"], 2)
        # c3 repeats c1 (the pump, a product complaint, within the twelve months' look-back): c1's
        # action, judged effective at the first attempt, recurred
        self.assertEqual(f["actions"], {"count": 2, "effective": 1, "effective_first_attempt": 1,
                                        "revised": 1, "earlier_attempts": 1, "recurred": 1, "recurred_pct": 50.0})
        prev = f["previous"]
        self.assertEqual((prev["year"], prev["total"], prev["cancelled"], prev["closed"], prev["days_mean"],
                          prev["open_at_year_end"], prev["company_responsible"]), (2023, 2, 1, 1, 10.0, 1, 1))

    def test_target_days_change_the_share_on_time(self):
        report = self._report(close_target_days=10)
        report.action_compute()
        f = report._get_figures()
        self.assertEqual((f["closed_on_time"], f["closed_on_time_pct"]), (1, 25.0))

    def test_query_count_does_not_grow_with_complaints(self):
        report = self._report()
        report._compute_figures()  # warm the caches of the registry
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        small = report._compute_figures()
        queries = self.env.cr.sql_log_count - before
        for index in range(30):
            self._complaint(self.cust_a if index % 2 else self.cust_b, f"2024-{index % 12 + 1:02d}-15",
                            "product", "minor", "phone", "done", True, self.dep_production,
                            f"2024-{index % 12 + 1:02d}-25", [(self.p1, 1)])
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            large = report._compute_figures()
        self.assertEqual(large["total"], small["total"] + 30)
        self.assertLess(queries, 40)

    def test_year_without_data_is_allowed_and_says_so(self):
        report = self._report(year=2010)
        report.action_submit()
        self.assertFalse(report.has_data)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "qms_customer.action_report_qms_annual_report", report.ids)[0].decode()
        self.assertIn("No complaint was received in", html)
        self.assertIn("No complaint was received in 2010", report.message_ids[0].body)

    def test_satisfaction_kind_does_not_crash(self):
        report = self.env["qms.annual.report"].with_user(self.mgmt_rep).create(
            {"kind": "satisfaction", "year": self.year})
        report.action_submit()
        report.action_sign_mgmt_rep()
        self.assertEqual(report.state, "approved")
        html = self.env["ir.actions.report"]._render_qweb_html(
            "qms_customer.action_report_qms_annual_report", report.ids)[0].decode()
        self.assertIn("Customer Satisfaction Report", html)

    def test_counted_in_the_report_timezone(self):
        """31 December 2023 at 20:00 UTC is 1 January 2024 in Shanghai: a company there counts that
        complaint in January 2024, not in 2023."""
        self.env["qms.complaint"].sudo().create({
            "partner_id": self.cust_b.id, "received_date": "2023-12-31 20:00:00", "category": "product"})
        report = self._report()
        report.action_compute()
        utc = json.loads(report.figures_json)
        self.assertEqual((utc["total"], utc["by_month"][0], utc["previous"]["total"]), (5, 2, 3))
        report.write({"tz": "Asia/Shanghai"})
        self.assertFalse(report.figures_json, "a draft's figures are dropped when its timezone changes")
        report.action_compute()
        shanghai = json.loads(report.figures_json)
        self.assertEqual(shanghai["tz"], "Asia/Shanghai")
        self.assertEqual((shanghai["total"], shanghai["by_month"][0], shanghai["previous"]["total"]), (6, 3, 2))

    def test_default_timezone_is_the_report_company_working_time(self):
        self.env.company.resource_calendar_id.tz = "Asia/Shanghai"
        report = self.env["qms.annual.report"].with_user(self.quality).create({"kind": "complaint", "year": 2030})
        self.assertEqual(report.tz, "Asia/Shanghai")
        # a report of another company takes that company's timezone, whichever company is active
        other = self.env["res.company"].create({"name": "Annual Report New York Co"})
        other.resource_calendar_id.tz = "America/New_York"
        report = self.env["qms.annual.report"].create({"kind": "complaint", "year": 2030, "company_id": other.id})
        self.assertEqual(report.tz, "America/New_York")

    # --- bad input -----------------------------------------------------------------------------
    def test_second_report_same_year_refused(self):
        self._report()
        with self.assertRaises(ValidationError):
            self._report(user=self.supervisor)
        # another kind or year is fine
        self._report(year=2023)

    def test_freeze_on_submission(self):
        report = self._report()
        report.action_submit()
        self.assertEqual(report.state, "submitted")
        frozen = report.figures_json
        attachment = report.pdf_attachment_id
        self.assertTrue(attachment)
        self.assertEqual((attachment.res_model, attachment.res_id), (report._name, report.id))
        checksum = attachment.checksum
        # complaints change afterwards: the report does not
        self._complaint(self.cust_b, "2024-07-07", "product", "major", "phone", "done", True,
                        self.dep_production, "2024-07-10", [(self.p2, 5)])
        self.c3.with_user(self.supervisor)._do_cancel("Recorded twice")
        report.invalidate_recordset()
        self.assertEqual(report.figures_json, frozen)
        self.assertEqual(report.pdf_attachment_id.checksum, checksum)
        self.assertEqual(json.loads(report.figures_json)["total"], 5)
        with self.assertRaises(UserError):
            report.action_compute()
        with self.assertRaises(UserError):
            report.write({"close_target_days": 5})
        with self.assertRaises(UserError):
            report.unlink()
        # the review date may still be written until presented
        report.write({"review_date": "2025-02-01"})

    def test_steps_only_write_the_state_figures_and_signatures(self):
        """A client (json/2, a script) cannot forge an approval or figures, not even on a draft,
        and no context key opens the frozen report: only the step buttons write these fields."""
        report = self._report(user=self.supervisor)
        for vals in ({"state": "approved"}, {"figures_json": '{"total": 99}'},
                     {"supervisor_sign_id": self.supervisor.id}, {"pdf_attachment_id": 1}):
            with self.assertRaises(UserError):
                report.write(vals)
        report.action_submit()
        for context in ({"qms_annual_report_workflow": True}, {"install_mode": True}):
            with self.assertRaises(UserError):
                report.with_context(**context).write({"close_target_days": 5})
        self.assertEqual((report.state, report.close_target_days), ("submitted", 30))

    def test_frozen_pdf_needs_no_web_server(self):
        """The frozen PDF carries its stylesheets and fonts: wkhtmltopdf fetches nothing from the
        web server, so a report submitted from a command-line install (no HTTP server, as the demo
        data does) or behind an unreachable server URL keeps its layout."""
        with socket.socket() as probe:  # a port nobody listens on
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.env["ir.config_parameter"].sudo().set_param("report.url", f"http://127.0.0.1:{port}")
        report = self._report().with_context(force_report_rendering=True)
        with self.assertNoLogs("odoo.addons.base.models.ir_actions_report", level="WARNING"):
            report.action_submit()
        pdf = report.pdf_attachment_id
        self.assertEqual(pdf.mimetype, "application/pdf")
        self.assertTrue(pdf.raw.startswith(b"%PDF"))
        self.assertIn(b"Lato", pdf.raw, "the report's font is read from the web addon's folder")
        # Odoo's own rendering of a report does reach for the server, and says so
        draft = self._report(year=self.year - 1)
        with self.assertLogs("odoo.addons.base.models.ir_actions_report", level="WARNING") as logs:
            self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
                "qms_customer.action_report_qms_annual_report", draft.ids)
        self.assertIn("wkhtmltopdf", logs.output[0])

    def test_demo_copies_frozen_by_the_command_line_install_keep_their_layout(self):
        """The demo report is submitted, signed and presented while `odoo -i` loads the demo data:
        no HTTP server, and the addon's own views not yet applied to other templates."""
        demo = self.env.ref("qms_customer.annual_report_complaint_demo", raise_if_not_found=False)
        if not demo:
            self.skipTest("installed without demo data")
        for copy in (demo.submitted_pdf_id, demo.signed_pdf_id, demo.presented_pdf_id):
            self.assertTrue(copy.raw.startswith(b"%PDF"), copy.name)
            self.assertIn(b"Lato", copy.raw, f"{copy.name} lost its stylesheets")

    def test_self_contained_pages_need_no_file_access(self):
        """Within self_contained_pdf() the pages carry the bundles, fonts as data: URIs:
        wkhtmltopdf keeps core's --disable-local-file-access and fetches nothing. Outside it, the
        pages are core's own, linking /web/assets/ from the layout _get_layout() returns (what
        report/qms_minimal_layout.xml replaces: this fails when core renders its pages otherwise)."""
        Report = self.env["ir.actions.report"]
        self.assertEqual(Report._get_layout(), self.env.ref("web.minimal_layout"))
        with self_contained_pdf():
            self.assertEqual(Report._get_layout(), self.env.ref("qms_customer.qms_minimal_layout_self_contained"))
        html = Report._render_qweb_html("qms_customer.action_report_qms_annual_report", self._report().ids)[0]
        bodies, _ids, header, footer, _args = Report._prepare_html(html)
        for page in (*bodies, header, footer):
            self.assertEqual(page.count('rel="stylesheet" href="/web/assets/'), 2, "core links its two stylesheets")
        with self_contained_pdf():
            bodies, _ids, header, footer, _args = Report._prepare_html(html)
            args = Report._build_wkhtmltopdf_args(self.env.company.paperformat_id, False)
        for page in (*bodies, header, footer):
            self.assertNotIn("/web/assets/", page)
            self.assertNotRegex(page, r"url\(['\"]?/", "no stylesheet URL left for wkhtmltopdf to fetch")
            self.assertGreaterEqual(page.count("<style>"), 2)
            self.assertIn("data:font/woff;base64,", page)
        self.assertIn("--disable-local-file-access", args)
        self.assertNotIn("--allow", args)

    # --- signatures and access -------------------------------------------------------------------
    def test_both_signatures_approve_then_present(self):
        # names that appear on the PDF only through the signature boxes
        self.supervisor.name, self.quality.name = "Signer Li Na", "Signer Zhou Wei"
        report = self._report(user=self.supervisor)
        report.action_submit()
        submitted_copy = report.pdf_attachment_id
        submitted_checksum = submitted_copy.checksum
        with self.assertRaises(AccessError):
            report.with_user(self.quality).action_sign_supervisor()
        with self.assertRaises(AccessError):
            report.with_user(self.supervisor).action_sign_quality()
        with self.assertRaises(UserError):
            report.with_user(self.mgmt_rep).action_sign_mgmt_rep()
        report.with_user(self.supervisor).action_sign_supervisor()
        self.assertEqual(report.state, "submitted")
        self.assertEqual(report.supervisor_sign_id, self.supervisor)
        report.with_user(self.quality).action_sign_quality()
        self.assertEqual(report.state, "approved")
        self.assertEqual(report.quality_sign_id, self.quality)
        self.assertTrue(report.quality_sign_date)
        # the approval keeps a signed copy; the copy made on submission is unchanged
        signed_copy = report.pdf_attachment_id
        self.assertNotEqual(signed_copy, submitted_copy)
        self.assertEqual(signed_copy.name, f"{report.name} (signed).pdf")
        self.assertEqual(submitted_copy.checksum, submitted_checksum)
        self.assertEqual(submitted_copy.res_id, report.id)
        signed_text = signed_copy.raw.decode()
        self.assertIn(self.supervisor.name, signed_text)
        self.assertIn(self.quality.name, signed_text)
        self.assertNotIn(self.quality.name, submitted_copy.raw.decode())
        with self.assertRaises(UserError):
            report.with_user(self.quality).action_present()
        report.with_user(self.quality).write({"review_date": "2025-02-15"})
        report.with_user(self.quality).action_present()
        self.assertEqual(report.state, "presented")
        # the copy presented at the management review carries its date; the earlier copies stay
        presented_copy = report.pdf_attachment_id
        self.assertEqual(presented_copy.name, f"{report.name} (presented).pdf")
        # the English reference copy: the review date in the English date format
        self.assertIn("02/15/2025", presented_copy.raw.decode())
        self.assertNotIn("02/15/2025", signed_copy.raw.decode())
        self.assertEqual(submitted_copy.checksum, submitted_checksum)
        with self.assertRaises(UserError):
            report.write({"review_notes": "late"})

    def test_management_representative_presents_the_complaint_summary(self):
        """The management representative holds the management review: once the complaint summary
        is approved, they record its review and present it, and nothing before that."""
        report = self._report(user=self.supervisor)
        mr_report = report.with_user(self.mgmt_rep)
        with self.assertRaises(AccessError):
            mr_report.write({"close_target_days": 10})
        report.action_submit()
        report.with_user(self.supervisor).action_sign_supervisor()
        with self.assertRaises(AccessError):
            mr_report.write({"review_date": "2025-02-15"})
        report.with_user(self.quality).action_sign_quality()
        mr_report.write({"review_date": "2025-02-15", "review_notes": "Target: close within 30 days."})
        # the general manager only reads
        with self.assertRaises(AccessError):
            report.with_user(self.gm).action_present()
        mr_report.action_present()
        self.assertEqual((report.state, report.presented_by_id), ("presented", self.mgmt_rep))

    def test_access_per_role(self):
        with self.assertRaises(AccessError):
            self._report(user=self.sales)
        with self.assertRaises(AccessError):
            self._report(user=self.gm)
        with self.assertRaises(AccessError):
            self._report(user=self.mgmt_rep)
        with self.assertRaises(AccessError):
            self.env["qms.annual.report"].with_user(self.quality).create({"kind": "satisfaction", "year": 2024})
        report = self._report(user=self.supervisor)
        self.assertEqual(report.with_user(self.gm).name, report.name)
        self.assertEqual(report.with_user(self.mgmt_rep).year, 2024)
        with self.assertRaises(AccessError):
            report.with_user(self.gm).write({"close_target_days": 3})
        with self.assertRaises(AccessError):
            report.with_user(self.employee).read(["name"])
        with self.assertRaises(AccessError):
            report.with_user(self.gm).action_submit()

    # --- printing ------------------------------------------------------------------------------
    def test_report_renders_in_english_and_chinese(self):
        report = self._report()
        report.action_compute()
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html("qms_customer.action_report_qms_annual_report", report.ids)[0].decode()
        for text in ("Customer Complaint Summary Report", "Annual Customer A", "Annual Pump", "<svg",
                     "Comparison with the Previous Year", "Sales Supervisor", "QR-8.2-03"):
            self.assertIn(text, html)
        self.env["res.lang"]._activate_lang("zh_CN")
        html_zh = Report.with_context(lang="zh_CN")._render_qweb_html(
            "qms_customer.action_report_qms_annual_report", report.ids)[0].decode()
        self.assertIn("Annual Customer A", html_zh)
        self.assertIn("<svg", html_zh)
        self.assertTrue(report.summary_html)

    def _activate_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"], overwrite=True)

    def test_frozen_in_chinese_too_and_printed_in_the_readers_language(self):
        """A report frozen while zh_CN is active keeps an English and a Chinese copy; printing gives
        each reader the copy in their language, and the Chinese copy is as frozen as the English."""
        self._activate_chinese()
        self.dep_production.with_context(lang="zh_CN").name = "生产部"
        report = self._report().with_context(lang="zh_CN")  # submitted by a user reading Chinese
        report.action_submit()
        english, chinese = report.pdf_attachment_id, report.translated_pdf_ids
        self.assertEqual(len(chinese), 1)
        self.assertIn("[zh_CN]", chinese.name)
        self.assertIn(b"Customer Complaint Summary Report", english.raw)
        self.assertIn("客户投诉综合报告".encode(), chinese.raw)
        self.assertNotIn("客户投诉综合报告".encode(), english.raw)
        # the frozen figures name the departments in each copy's language, with the same numbers
        self.assertIn(b"Test Production", english.raw)
        self.assertNotIn("生产部".encode(), english.raw)
        self.assertIn("生产部".encode(), chinese.raw)
        frozen = json.loads(report.figures_json)
        self.assertEqual(json.loads(report.translated_figures_json)["zh_CN"]["total"], frozen["total"])
        self.assertEqual(report.with_context(lang="zh_CN")._qms_printed_copy(), chinese)
        self.assertEqual(report.with_context(lang="en_US")._qms_printed_copy(), english)
        action = self.env.ref("qms_customer.action_report_qms_annual_report")
        for lang, copy in (("zh_CN", chinese), ("en_US", english)):
            # what printing returns instead of rendering (ir.actions.report._render_qweb_pdf_prepare_streams)
            printed = action.with_context(lang=lang).retrieve_attachment(report.with_context(lang=lang))
            self.assertEqual(printed, copy, f"a {lang} reader prints the {lang} copy")
        self.assertEqual(report._qms_frozen_pdf_problems(), [])
        with self.assertRaises(UserError):
            chinese.unlink()
        with self.assertRaises(UserError):
            chinese.write({"raw": b"forged"})
        # the signed copy is frozen in both languages as well; the reader gets the latest one
        report.with_user(self.supervisor).action_sign_supervisor()
        report.with_user(self.quality).action_sign_quality()
        self.assertEqual(report.state, "approved")
        self.assertEqual(len(report.translated_pdf_ids), 2)
        signed_chinese = report.with_context(lang="zh_CN")._qms_printed_copy()
        self.assertIn(signed_chinese, report.translated_pdf_ids)
        self.assertNotEqual(signed_chinese, chinese)
        self.assertEqual(report.with_context(lang="en_US")._qms_printed_copy(), report.signed_pdf_id)
        self.assertEqual(report._qms_frozen_pdf_problems(), [])

    def test_draft_prints_names_in_the_readers_language(self):
        self._activate_chinese()
        self.p1.with_context(lang="zh_CN").name = "年度水泵"
        self.dep_production.with_context(lang="zh_CN").name = "生产部"
        report = self._report()
        report.action_compute()  # a preview computed in English...
        self.env.invalidate_all()  # a new request: no department name computed in another language
        Report = self.env["ir.actions.report"]
        html_zh = Report.with_context(lang="zh_CN")._render_qweb_html(
            "qms_customer.action_report_qms_annual_report", report.ids)[0].decode()
        self.assertIn("年度水泵", html_zh, "...printed with the Chinese reader's product names")
        self.assertIn("生产部", html_zh)
        html_en = Report.with_context(lang="en_US")._render_qweb_html(
            "qms_customer.action_report_qms_annual_report", report.ids)[0].decode()
        self.assertIn("Annual Pump", html_en)
        self.assertNotIn("年度水泵", html_en)

    def test_svg_chart_escapes_labels(self):
        svg = self.env["qms.annual.report"]._svg_bar_chart([("<b>x</b>", 3), ("y", 0)])
        self.assertIn("&lt;b&gt;x&lt;/b&gt;", svg)
        self.assertEqual(svg.count("<rect"), 2)
        self.assertEqual(self.env["qms.annual.report"]._svg_bar_chart([]), "")

    def test_year_bounds(self):
        report = self._report()
        self.assertEqual(report._year_bounds(2024), (datetime(2024, 1, 1), datetime(2025, 1, 1)))
        report.tz = "Asia/Shanghai"  # UTC+8 all year round
        self.assertEqual(report._year_bounds(2024), (datetime(2023, 12, 31, 16), datetime(2024, 12, 31, 16)))
        report.tz = "America/New_York"  # New Year falls in winter time: UTC-5
        self.assertEqual(report._year_bounds(2024), (datetime(2024, 1, 1, 5), datetime(2025, 1, 1, 5)))

    # --- issue 14.1: the Pareto of cause categories (5M1E) -----------------------------------------
    def test_pareto_of_cause_categories(self):
        """The year's corrective actions by 5M1E cause category and cause, most frequent first, with
        share, cumulative share and last year's count, frozen with the report."""
        no_corners = self.env["qms.root.cause"].create({"name": "Carton without corners", "category": "method"})
        # 2024: c1 (effective) and c3 (in progress) by the same cause; c4 a machine cause without a cause
        # of the list; 2023: one action of the same method cause
        history = self.env(context=dict(self.env.context, install_mode=True))  # loaded as it stands
        (self.c1 | self.c3).corrective_action_ids.with_env(history).write(
            {"cause_category": "method", "cause_id": no_corners.id})
        last_year = self.env["qms.complaint"].search([("received_date", ">=", "2023-05-05"),
                                                      ("received_date", "<", "2023-05-06")])
        for slip, category, cause in ((self.c4, "machine", False), (last_year, "method", no_corners.id)):
            history["qms.corrective.action"].create({
                "complaint_id": slip.id, "description": "Fix", "date_deadline": "2024-12-31",
                "responsible_department_id": self.dep_production.id,
                "implementing_department_id": self.dep_production.id,
                "verifying_department_id": self.dep_quality.id, "cause_category": category, "cause_id": cause})
        report = self._report()
        report.action_compute()
        f = report._get_figures()
        self.assertEqual(f["pareto"], [
            {"category": "method", "cause": "Carton without corners", "count": 2, "share": 66.7, "cumulative": 66.7},
            {"category": "machine", "cause": "", "count": 1, "share": 33.3, "cumulative": 100.0},
        ])
        self.assertEqual(f["previous"]["pareto"], [
            {"category": "method", "cause": "Carton without corners", "count": 1, "share": 100.0,
             "cumulative": 100.0}])
        rows = report._prepare_figures_print_data()["pareto"]
        self.assertEqual([(r["category_label"], r["previous"], r["count"]) for r in rows],
                         [("Method", 1, 2), ("Machine", 0, 1)])
        # the screen shows it (the summary is the printed body)
        self.assertIn("Pareto of Cause Categories", str(report.summary_html))
        self.assertIn("Carton without corners", str(report.summary_html))
        # frozen: a later change of the year's actions does not change the submitted figures
        report.with_user(self.quality).action_submit()
        self.c4.corrective_action_ids.with_env(history).cause_category = "material"
        self.assertEqual(report._get_figures()["pareto"][1]["category"], "machine")
        html = self.env["ir.actions.report"]._render_qweb_html(
            "qms_customer.action_report_qms_annual_report", report.ids)[0].decode()
        self.assertIn("Pareto of Cause Categories", html)
        self.assertIn("66.7", html)
