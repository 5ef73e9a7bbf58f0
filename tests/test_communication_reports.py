from odoo.tests import tagged

from .common import QmsCommunicationCommon


@tagged("post_install", "-at_install")
class TestCommunicationReports(QmsCommunicationCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.visit = cls._visit_record()
        cls.plan = cls.env["qms.communication.plan"].create({"year": cls.YEAR, "user_id": cls.sales.id})
        Line = cls.env["qms.communication.plan.line"]
        cls.line = Line.create({"plan_id": cls.plan.id, "partner_id": cls.customer_a.id, "month": "3",
                                "method": "trade_show", "user_id": cls.sales.id})
        Line.create({"plan_id": cls.plan.id, "partner_id": cls.customer_b.id, "month": "9",
                     "method": "evaluation", "user_id": cls.sales.id})
        cls.plan.with_user(cls.supervisor).action_approve()

    @classmethod
    def _visit_record(cls):
        return cls.env["qms.customer.visit"].create({
            "partner_id": cls.customer_a.id, "date_start": f"{cls.YEAR}-04-14 01:00:00",
            "date_end": f"{cls.YEAR}-04-14 03:00:00", "place": "Meeting room 2", "purpose": "Desk range",
            "receptionist_ids": [(6, 0, cls.sales.ids)],
            "visitor_ids": [(0, 0, {"name": "Edwin Hansen", "title": "Purchasing Manager", "contact": "+1 555"})],
            "requirement_ids": [(0, 0, {"kind": "packaging", "product_id": cls.product.id,
                                        "description": "Corner protectors"})],
        })

    def _html(self, xmlid, records, lang="en_US"):
        html, _ = self.env["ir.actions.report"].with_context(lang=lang)._render_qweb_html(xmlid, records.ids)
        return html.decode()

    def _translate(self, template_xmlid, translations):
        """Give the template zh_CN terms (the real ones come from i18n/zh_CN.po)."""
        view = self.env.ref(template_xmlid)
        terms = {}
        for term in view.get_field_translations("arch_db")[0]:
            for en, zh in translations.items():
                if en in term["source"]:
                    terms[term["source"]] = term["source"].replace(en, zh)
        self.assertTrue(terms, f"{translations} are translatable terms of {template_xmlid}")
        view.update_field_translations("arch_db", {"zh_CN": terms})

    def test_visit_record_english(self):
        html = self._html("qms_customer.action_report_qms_customer_visit", self.visit)
        for text in ("Customer Visit Record", self.visit.name, "Test Customer A", "Meeting room 2", "Edwin Hansen",
                     "Purchasing Manager", "Protection / Packaging", "Corner protectors", "Receptionist",
                     self.sales.name):
            self.assertIn(text, html)

    def test_visit_record_chinese(self):
        self._translate("qms_customer.report_qms_customer_visit_document",
                        {"Customer Visit Record": "顾客来访记录", "Place of Reception": "接待地点"})
        html = self._html("qms_customer.action_report_qms_customer_visit", self.visit, lang="zh_CN")
        self.assertIn("顾客来访记录", html)
        self.assertIn("接待地点", html)
        self.assertNotIn("Customer Visit Record", html)
        self.assertIn("Corner protectors", html)
        self.assertIn("Customer Visit Record", self._html("qms_customer.action_report_qms_customer_visit", self.visit))

    def test_plan_english(self):
        html = self._html("qms_customer.action_report_qms_communication_plan", self.plan)
        for text in ("Customer Communication Plan", str(self.YEAR), "Test Customer A", "Test Customer B", "Trade Show",
                     "Customer Evaluation (Survey)", "March", "September", "Approved by (Sales Supervisor)",
                     self.supervisor.name):
            self.assertIn(text, html)

    def test_plan_chinese(self):
        self._translate("qms_customer.report_qms_communication_plan_document",
                        {"Customer Communication Plan": "顾客沟通活动计划", "Responsible": "负责人"})
        html = self._html("qms_customer.action_report_qms_communication_plan", self.plan, lang="zh_CN")
        self.assertIn("顾客沟通活动计划", html)
        self.assertIn("负责人", html)
        self.assertIn("Test Customer A", html)

    def test_prints_read_the_records(self):
        html = self._html("qms_customer.action_report_qms_communication_plan", self.plan)
        self.assertLess(html.index("Test Customer A"), html.index("Test Customer B"), "in planned order")
        self.assertIn("QR-8.2-06", html, "the plan carries its form code like the slip")
        visit_html = self._html("qms_customer.action_report_qms_customer_visit", self.visit)
        self.assertIn("Purchasing Manager", visit_html)
        self.assertIn("QR-8.2-05", visit_html, "the visit record carries its form code like the slip")
        self.visit.requirement_ids = [(0, 0, {"kind": "function", "description": "Heard second"})]
        visit_html = self._html("qms_customer.action_report_qms_customer_visit", self.visit)
        self.assertLess(visit_html.index("Protection / Packaging"), visit_html.index("Function"),
                        "printed in the order they were heard")

    def test_reports_render_empty_records(self):
        plan = self.env["qms.communication.plan"].create({"year": self.YEAR + 1})
        visit = self.env["qms.customer.visit"].create({"partner_id": self.customer_b.id})
        html = self._html("qms_customer.action_report_qms_communication_plan", plan)
        self.assertIn("Customer Communication Plan", html)
        self.assertIn("Customer Visit Record", self._html("qms_customer.action_report_qms_customer_visit", visit))
