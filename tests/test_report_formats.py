"""Every printed form is formatted by the framework in the reader's language (issue 12, item 5):
dates in the language's date format, selection values by their translated label, the same in
every document; the slip shows who carried out and who verified each corrective action, its
earlier attempts, and the answer given; the visit record and the plan carry their form code."""
from datetime import date, datetime

from odoo import Command
from odoo.tests import tagged

from .common import QmsComplaintCommon

LANGS = ("en_US", "zh_CN")


@tagged("post_install", "-at_install")
class TestReportFormats(QmsComplaintCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"], overwrite=True)
        cls.env.company.write({"qms_visit_doc_code": "QR-VISIT-T", "qms_plan_doc_code": "QR-PLAN-T",
                               "qms_doc_edition": "C/2"})

    def _html(self, report, records, lang):
        env = self.env(context=dict(self.env.context, lang=lang, tz="UTC"))
        html, _format = env["ir.actions.report"]._render_qweb_html(report, records.ids)
        return html.decode()

    def _date(self, value, lang):
        """``value`` as the framework prints a date in ``lang`` (the language's own date format)."""
        return value.strftime(self.env["res.lang"]._get_data(code=lang).date_format)

    def _label(self, record, field, lang):
        env = self.env(context=dict(self.env.context, lang=lang))
        return dict(record._fields[field]._description_selection(env))[record[field]]

    def assertPrinted(self, html, record, field, lang):
        label = self._label(record, field, lang)
        self.assertIn(label, html, f"{record._name}.{field} printed by its {lang} label")
        if lang != "en_US":
            self.assertNotEqual(label, self._label(record, field, "en_US"), f"{field} has a {lang} label")

    # --- the slip and its corrective action ----------------------------------------------------
    def _slip_with_revised_action(self):
        complaint = self._to_action(self._complaint(date_deadline=date(2030, 3, 5)))
        action = self._add_action(complaint, description="Stack cartons two high")
        self._implement(action)
        self._reply(complaint)
        action.with_user(self.quality).verification_notes = "Damage again on the next delivery"
        action.with_user(self.quality).action_verify_ineffective()
        action.with_user(self.production).action_revise()
        action.with_user(self.production).description = "Foam corners and two-high stacking"
        self._implement(action)
        action.with_user(self.quality).action_verify_effective()
        return complaint, action

    def test_slip_dates_labels_and_stamps_in_each_language(self):
        complaint, action = self._slip_with_revised_action()
        action.invalidate_recordset()
        for lang in LANGS:
            html = self._html("qms_customer.report_qms_complaint", complaint, lang)
            self.assertIn(self._date(date(2030, 3, 5), lang), html, "close-by date in the reader's format")
            self.assertIn(self._date(complaint.received_date, lang), html, "stamp date in the same format")
            for field in ("state", "channel", "severity", "category", "reply_channel"):
                self.assertPrinted(html, complaint, field, lang)
            self.assertPrinted(html, action, "state", lang)
            # who carried out and who verified each attempt, and the earlier, ineffective one
            self.assertIn(self.production.name, html)
            self.assertIn(self.quality.name, html)
            self.assertIn("Foam corners and two-high stacking", html)
            self.assertIn("Stack cartons two high", html)
            self.assertIn("Damage again on the next delivery", html)
            self.assertIn("We replace the desks.", html)
            self.assertIn("qms-signatures", html)
        self.assertIn("Implemented by", self._html("qms_customer.report_qms_complaint", complaint, "en_US"))

    def test_corrective_action_in_each_language(self):
        _complaint, action = self._slip_with_revised_action()
        for lang in LANGS:
            html = self._html("qms_customer.report_qms_corrective_action", action, lang)
            self.assertIn(self._date(date(2030, 1, 31), lang), html, "due date in the reader's format")
            self.assertIn(self._date(action.verified_date, lang), html)
            self.assertPrinted(html, action, "state", lang)
            self.assertPrinted(html, action, "verification_result", lang)
            self.assertIn("Stack cartons two high", html, "the earlier attempt")

    # --- service acceptance sheet ----------------------------------------------------------------
    def test_service_request_in_each_language(self):
        machine = self.env["product.product"].create({
            "name": "Format Machine", "type": "consu", "qms_requires_installation": True})
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id,
            "order_line": [Command.create({"product_id": machine.id, "product_uom_qty": 1})]})
        order.action_confirm()
        request = order.qms_service_request_ids[:1]
        self.assertTrue(request)
        request.scheduled_date = datetime(2030, 4, 7, 9, 30)
        for lang in LANGS:
            html = self._html("qms_customer.report_qms_service_request", request, lang)
            self.assertIn(self._date(date(2030, 4, 7), lang), html)
            self.assertPrinted(html, request, "service_type", lang)
            self.assertPrinted(html, request, "state", lang)

    # --- visit record and communication plan -------------------------------------------------------
    def test_visit_record_in_each_language(self):
        visit = self.env["qms.customer.visit"].create({
            "partner_id": self.customer.id, "date_start": datetime(2030, 5, 6, 8, 0),
            "date_end": datetime(2030, 5, 6, 11, 0), "place": "Meeting room 2",
            "requirement_ids": [Command.create({"kind": "function", "description": "Quieter motor"})]})
        for lang in LANGS:
            html = self._html("qms_customer.action_report_qms_customer_visit", visit, lang)
            for text in ("QR-VISIT-T", "C/2", self._date(date(2030, 5, 6), lang), "Quieter motor",
                         "Meeting room 2"):
                self.assertIn(text, html)
            self.assertPrinted(html, visit, "state", lang)
            self.assertPrinted(html, visit.requirement_ids, "kind", lang)

    def test_column_words_read_right_in_chinese(self):
        """Column and signature words a Chinese quality engineer reads on the forms: a visitor's
        name is 姓名 (a person), not 名称 (a thing's name); a requirement's kind is 要求类别, not the
        yearly report's 报告类型; a visitor's phone or e-mail is 联系方式, not 联系人; the plan's
        date column is 计划时间, not the status 已计划; the action's boxes are signed by people
        (实施人, 验证人), not stamped with a state (已实施, 已验证)."""
        visit = self.env["qms.customer.visit"].create({
            "partner_id": self.customer.id, "date_start": datetime(2030, 5, 6, 8, 0),
            "visitor_ids": [Command.create({"name": "Mr Wang", "contact": "wang@example.com"})],
            "requirement_ids": [Command.create({"kind": "function", "description": "Quieter motor"})]})
        html = self._html("qms_customer.action_report_qms_customer_visit", visit, "zh_CN")
        for text in ("<th>姓名</th>", "<th>要求类别</th>", "<th>联系方式</th>"):
            self.assertIn(text, html)
        for text in ("<th>名称</th>", "<th>报告类型</th>", "<th>联系人</th>"):
            self.assertNotIn(text, html)
        plan = self.env["qms.communication.plan"].create({"year": 2030, "line_ids": [
            Command.create({"partner_id": self.customer.id, "method": "visit_phone", "month": "3"})]})
        html = self._html("qms_customer.action_report_qms_communication_plan", plan, "zh_CN")
        self.assertIn("<th>计划时间</th>", html)
        self.assertNotIn("<th>已计划</th>", html)
        _complaint, action = self._slip_with_revised_action()
        html = self._html("qms_customer.report_qms_corrective_action", action, "zh_CN")
        for text in ("已实施</div>", "已验证</div>"):
            self.assertNotIn(text, html)
        for text in ("实施人</div>", "验证人</div>"):
            self.assertIn(text, html)

    def test_plan_in_each_language(self):
        plan = self.env["qms.communication.plan"].create({"year": 2030, "line_ids": [
            Command.create({"partner_id": self.customer.id, "method": "visit_phone", "month": "3"}),
            Command.create({"partner_id": self.other_customer.id, "method": "visit_phone",
                            "date": date(2030, 9, 14)}),
        ]})
        for lang in LANGS:
            html = self._html("qms_customer.action_report_qms_communication_plan", plan, lang)
            for text in ("QR-PLAN-T", "C/2", self._date(date(2030, 9, 14), lang), "Test Customer Ltd",
                         "Other Customer"):
                self.assertIn(text, html)
            self.assertPrinted(html, plan, "state", lang)
            self.assertPrinted(html, plan.line_ids[:1], "method", lang)
            self.assertPrinted(html, plan.line_ids[:1], "month", lang)
            self.assertLess(html.index("Test Customer Ltd"), html.index("Other Customer"), "in planned order")

    # --- the yearly reports, both kinds ----------------------------------------------------------
    def test_annual_reports_in_each_language(self):
        for kind in ("complaint", "satisfaction"):
            report = self.env["qms.annual.report"].create({
                "kind": kind, "year": 2031, "tz": "UTC", "review_date": date(2032, 2, 15)})
            for lang in LANGS:
                html = self._html("qms_customer.action_report_qms_annual_report", report, lang)
                self.assertIn(self._date(date(2032, 2, 15), lang), html, f"{kind}: review date in {lang}")
                self.assertPrinted(html, report, "state", lang)
                self.assertIn("qms-signatures", html)
