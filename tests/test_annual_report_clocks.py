import json

from odoo.tests import tagged
from odoo.tools import SQL

from .common import QmsCommon

CLOCK_COLUMNS = ("ack_status", "ack_working_days", "answer_status", "answer_working_days",
                 "close_status", "close_working_days")


@tagged("post_install", "-at_install")
class TestAnnualReportClocks(QmsCommon):
    """The deadlines of the complaint handling in the yearly complaint summary (issue 13.6): on-time
    rates and mean working days per deadline, by month, category and responsible department, on a
    fixed data set worked out by hand. The clocks themselves are tested in test_complaint_clocks;
    here their stored results are set as they stand, so that each figure below is a hand count."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["qms.annual.report"].search([("state", "=", "draft")]).unlink()  # demo drafts
        cls.customer = cls.env["res.partner"].create({"name": "Clock Customer", "is_company": True})
        prod, qual = cls.dep_production, cls.dep_quality
        slip = cls._slip
        # received, category, department, (ack status, days), (answer ...), (close ...)
        slip("2024-01-10", "product", prod, ("on_time", 1), ("on_time", 4), ("on_time", 20))
        slip("2024-01-25", "delivery", None, ("late", 3), ("late", 12), ("running", 0))
        slip("2024-03-05", "product", prod, ("on_time", 0), ("running", 0), ("running", 0))
        slip("2024-06-01", "service", qual, ("late", 2), ("on_time", 6), ("late", 40))
        # not counted: cancelled, or received in another year
        slip("2024-06-02", "product", prod, ("late", 9), ("late", 9), ("late", 9), state="cancel")
        slip("2025-01-05", "product", prod, ("late", 9), ("late", 9), ("late", 9))
        # the previous year
        slip("2023-05-05", "product", prod, ("on_time", 1), ("late", 10), ("on_time", 30))

    @classmethod
    def _slip(cls, received, category, department, ack, answer, close, state=None):
        complaint = cls.env["qms.complaint"].create({
            "partner_id": cls.customer.id, "received_date": f"{received} 09:00:00", "category": category})
        # the clocks' stored results as they stand (and the stage and department the figures read)
        values = dict(zip(CLOCK_COLUMNS, (*ack, *answer, *close), strict=True))
        values.update(responsible_department_id=department.id if department else None,
                      state=state or "action")
        cls.env.flush_all()
        cls.env.cr.execute(SQL("UPDATE qms_complaint SET %s WHERE id = %s", SQL(", ").join(
            SQL("%s = %s", SQL.identifier(column), value) for column, value in values.items()), complaint.id))
        cls.env.invalidate_all()
        return complaint

    def _report(self):
        report = self.env["qms.annual.report"].with_user(self.quality).create(
            {"kind": "complaint", "year": 2024, "close_target_days": 30, "tz": "UTC"})
        report.action_compute()
        return report

    @staticmethod
    def _stats(met, on_time, pct, mean):
        return {"met": met, "on_time": on_time, "on_time_pct": pct, "days_mean": mean}

    def test_figures_match_hand_computation(self):
        s, none = self._stats, self._stats(0, 0, None, None)
        figures = json.loads(self._report().figures_json)
        clocks = figures["clocks"]
        # acknowledged: 1 on time, 3 late, 0 on time, 2 late; answered: 4 on time, 12 late, 6 on time;
        # closed: 20 on time, 40 late
        self.assertEqual(clocks["total"], {"ack": s(4, 2, 50.0, 1.5), "answer": s(3, 2, 66.7, 7.3),
                                           "close": s(2, 1, 50.0, 30.0)})
        self.assertEqual(len(clocks["by_month"]), 12)
        self.assertEqual(clocks["by_month"][0], {"ack": s(2, 1, 50.0, 2.0), "answer": s(2, 1, 50.0, 8.0),
                                                 "close": s(1, 1, 100.0, 20.0)})
        self.assertEqual(clocks["by_month"][1], {"ack": none, "answer": none, "close": none})
        self.assertEqual(clocks["by_month"][2], {"ack": s(1, 1, 100.0, 0.0), "answer": none, "close": none})
        self.assertEqual(clocks["by_month"][5], {"ack": s(1, 0, 0.0, 2.0), "answer": s(1, 1, 100.0, 6.0),
                                                 "close": s(1, 0, 0.0, 40.0)})
        product = {"ack": s(2, 2, 100.0, 0.5), "answer": s(1, 1, 100.0, 4.0), "close": s(1, 1, 100.0, 20.0)}
        delivery = {"ack": s(1, 0, 0.0, 3.0), "answer": s(1, 0, 0.0, 12.0), "close": none}
        service = {"ack": s(1, 0, 0.0, 2.0), "answer": s(1, 1, 100.0, 6.0), "close": s(1, 0, 0.0, 40.0)}
        self.assertEqual(clocks["by_category"], {"product": product, "delivery": delivery, "service": service})
        self.assertEqual(clocks["by_department"], [
            [self.dep_production.display_name, product], [self.dep_quality.display_name, service],
            [None, delivery]])
        previous = figures["previous"]["clocks"]
        self.assertEqual(previous, {"total": {"ack": s(1, 1, 100.0, 1.0), "answer": s(1, 0, 0.0, 10.0),
                                              "close": s(1, 1, 100.0, 30.0)}})

    def test_printed_in_english_and_chinese_with_the_comparison(self):
        report = self._report()
        values = report._prepare_figures_print_data()
        rows = {row[0]: row[1:] for row in values["comparison"]}
        self.assertEqual(rows["Acknowledged on time (%)"], [100.0, 50.0])
        self.assertEqual(rows["Mean working days to answer"], [10.0, 7.3])
        self.assertEqual(values["clocks"]["by_department"][-1][0], "No responsible department")
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html("qms_customer.action_report_qms_annual_report", report.ids)[0].decode()
        for text in ("o_qms_clock_figures", "Deadlines of the Complaint Handling (Working Days)",
                     "2/4", "(50.0 %)", "66.7", "No responsible department", "Mean working days to close"):
            self.assertIn(text, html)
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"], overwrite=True)
        html_zh = Report.with_context(lang="zh_CN")._render_qweb_html(
            "qms_customer.action_report_qms_annual_report", report.ids)[0].decode()
        for text in ("投诉处理时限", "无责任部门", "平均投诉确认工作日数", "2/4"):
            self.assertIn(text, html_zh)

    def test_reports_frozen_before_print_none(self):
        report = self._report()
        report.action_submit()
        figures = json.loads(report.figures_json)
        self.assertIn("clocks", figures, "frozen with the other figures")
        # a report frozen before the deadlines were counted has none of them
        for key in ("clocks",):
            figures.pop(key)
            figures["previous"].pop(key)
        report.env.cr.execute("UPDATE qms_annual_report SET figures_json = %s, translated_figures_json = NULL "
                              "WHERE id = %s", (json.dumps(figures), report.id))
        report.invalidate_recordset()
        values = report._prepare_figures_print_data()
        self.assertIsNone(values["clocks"])
        self.assertNotIn("Mean working days to answer", [row[0] for row in values["comparison"]])
        self.assertNotIn("o_qms_clock_figures", report.summary_html)
        self.assertIn("Comparison with the Previous Year", report.summary_html)
