import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import QmsCommon


@tagged("post_install", "-at_install")
class TestSatisfactionReport(QmsCommon):
    """The yearly customer satisfaction report (4.4.3) on a fixed data set whose figures were
    worked out by hand."""

    YEAR = 2032  # far from the demo data

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        Partner = cls.env["res.partner"]
        Category = cls.env["res.partner.category"]
        cls.dealers = Category.create({"name": "Sat Dealers"})
        cls.key = Category.create({"name": "Sat Key Accounts"})
        cls.cust_a = Partner.create({"name": "Sat Customer A", "is_company": True, "category_id": cls.dealers.ids})
        cls.contact_a = Partner.create({"name": "Sat Contact A", "parent_id": cls.cust_a.id})
        cls.cust_b = Partner.create({"name": "Sat Customer B", "is_company": True,
                                     "category_id": (cls.dealers | cls.key).ids})
        cls.cust_c = Partner.create({"name": "Sat Customer C", "is_company": True})
        Product = cls.env["product.product"]
        cls.p1 = Product.create({"name": "Sat Pump"})
        cls.p2 = Product.create({"name": "Sat Valve"})
        y, p = cls.YEAR, cls.YEAR - 1
        c = cls._communication
        cls.a1 = c(cls.cust_a, f"{y}-01-15", 5)
        c(cls.contact_a, f"{y}-02-10", 3)  # counts for A, its company
        c(cls.cust_a, f"{y}-05-05", 4)
        c(cls.cust_b, f"{y}-04-01", 2)
        cls.b2 = c(cls.cust_b, f"{y}-11-30", 3)
        c(cls.cust_c, f"{y}-08-08", 5)
        c(cls.cust_a, f"{y}-03-03", 0)  # not asked: does not count
        c(cls.cust_a, f"{p}-06-01", 4)
        c(cls.cust_b, f"{p}-07-01", 2)
        c(cls.cust_c, f"{y + 1}-01-02", 1)  # next year
        r = cls._requirement
        r(cls.cust_a, f"{y}-01-15", "function", cls.p1)
        r(cls.cust_b, f"{y}-04-01", "function", cls.p1)
        r(cls.cust_b, f"{y}-06-01", "packaging", cls.p2)
        r(cls.cust_c, f"{y}-08-08", "service", None)
        r(cls.cust_c, f"{p}-08-08", "function", cls.p2)
        # two evaluation surveys sent for this year's communications, one answered
        survey = cls.env.ref("qms_customer.survey_customer_evaluation").sudo()
        survey._create_answer(partner=cls.cust_a, check_attempts=False, qms_communication_id=cls.a1.id)._mark_done()
        survey._create_answer(partner=cls.cust_b, check_attempts=False, qms_communication_id=cls.b2.id)

    @classmethod
    def _communication(cls, partner, day, score):
        return cls.env["qms.communication"].sudo().create({
            "partner_id": partner.id, "communication_type": "evaluation", "date": f"{day} 12:00:00",
            "satisfaction_score": score, "company_id": cls.company.id})

    @classmethod
    def _requirement(cls, partner, day, kind, product):
        return cls.env["qms.customer.requirement"].sudo().create({
            "partner_id": partner.id, "date": day, "kind": kind, "company_id": cls.company.id,
            "product_id": product.id if product else False, "description": f"{kind} requirement"})

    def _report(self, user=None, year=None):
        return self.env["qms.annual.report"].with_user(user or self.mgmt_rep).create(
            {"kind": "satisfaction", "year": year or self.YEAR})

    # --- figures -----------------------------------------------------------------------------------
    def test_figures_by_hand(self):
        report = self._report()
        report.action_compute()
        f = report._get_figures()
        self.assertTrue(report.has_data)
        self.assertEqual(f["total"], 6)
        self.assertEqual(f["mean"], 3.67)  # 22 / 6
        self.assertEqual(f["by_quarter"], [[1, 2, 4.0], [2, 2, 3.0], [3, 1, 5.0], [4, 1, 3.0]])
        self.assertEqual(f["by_customer"], [
            ["Sat Customer A", 3, 4.0], ["Sat Customer B", 2, 2.5], ["Sat Customer C", 1, 5.0]])
        self.assertEqual(f["lowest_customers"], [
            ["Sat Customer B", 2, 2.5], ["Sat Customer A", 3, 4.0], ["Sat Customer C", 1, 5.0]])
        self.assertEqual(f["by_segment"], [
            ["No segment", 1, 5.0], ["Sat Dealers", 5, 3.4], ["Sat Key Accounts", 2, 2.5]])
        self.assertEqual(f["by_score"], {"2": 1, "3": 2, "4": 1, "5": 2})
        self.assertEqual(f["evaluations"], {"sent": 2, "answered": 1, "answered_pct": 50.0})
        self.assertEqual(f["requirements_by_kind"], {"function": 2, "packaging": 1, "service": 1})
        self.assertEqual(f["requirements_total"], 4)
        self.assertEqual(f["requirement_products"], [["Sat Pump", 2], ["Sat Valve", 1]])
        self.assertEqual(f["previous"]["total"], 2)
        self.assertEqual(f["previous"]["mean"], 3.0)
        self.assertEqual(f["previous"]["year"], self.YEAR - 1)

    def test_year_without_scores(self):
        report = self._report(year=2040)
        report.action_submit()
        self.assertFalse(report.has_data)
        f = report._get_figures()
        self.assertEqual((f["total"], f["mean"], f["by_customer"]), (0, None, []))
        self.assertTrue(any("No customer satisfaction score was recorded in 2040" in body
                            for body in report.message_ids.mapped("body")))
        html = self.env["ir.actions.report"]._render_qweb_html(
            "qms_customer.action_report_qms_annual_report", report.ids)[0].decode()
        self.assertIn("No customer satisfaction score was recorded in", html)

    # --- submission: frozen, and the general manager is told ----------------------------------------------
    def test_submission_freezes_and_notifies_the_general_manager(self):
        report = self._report()
        report.satisfaction_analysis = "Delivery is the weak point; B needs a visit."
        report.action_submit()
        self.assertEqual(report.state, "submitted")
        activity = self.env["mail.activity"].search([
            ("res_model", "=", report._name), ("res_id", "=", report.id), ("user_id", "=", self.gm.id)])
        self.assertEqual(len(activity), 1)
        self.assertIn(str(self.YEAR), activity.summary)
        notified = report.message_ids.filtered(lambda m: self.gm.partner_id in m.partner_ids)
        self.assertTrue(notified, "the general manager is notified")
        frozen, checksum = report.figures_json, report.pdf_attachment_id.checksum
        self._communication(self.cust_c, f"{self.YEAR}-09-09", 1)
        report.invalidate_recordset()
        self.assertEqual(report.figures_json, frozen)
        self.assertEqual(report.pdf_attachment_id.checksum, checksum)
        self.assertEqual(json.loads(report.figures_json)["total"], 6)
        with self.assertRaises(UserError):
            report.write({"satisfaction_analysis": "changed afterwards"})
        with self.assertRaises(UserError):
            report.action_compute()
        # the general manager reads it and its PDF
        self.assertEqual(report.with_user(self.gm).satisfaction_analysis,
                         "Delivery is the weak point; B needs a visit.")

    # --- access: only the management representative signs, the general manager reads ---------------------
    def test_access(self):
        with self.assertRaises(AccessError):
            self._report(user=self.supervisor)
        with self.assertRaises(AccessError):
            self._report(user=self.gm)
        report = self._report()
        with self.assertRaises(AccessError):
            report.with_user(self.gm).write({"satisfaction_analysis": "GM text"})
        with self.assertRaises(AccessError):
            report.with_user(self.gm).action_submit()
        report.action_submit()
        for user in (self.supervisor, self.quality, self.gm, self.sales):
            with self.assertRaises(AccessError):
                report.with_user(user).action_sign_mgmt_rep()
        with self.assertRaises(UserError):
            report.action_sign_supervisor()
        self.assertEqual(report.with_user(self.gm).state, "submitted")
        report.action_sign_mgmt_rep()
        self.assertEqual(report.state, "approved")
        self.assertEqual(report.mgmt_rep_sign_id, self.mgmt_rep)
        with self.assertRaises(AccessError):
            report.with_user(self.employee).read(["name"])

    # --- printing -------------------------------------------------------------------------------------
    def test_pdf_section(self):
        report = self._report()
        report.satisfaction_analysis = "Service verified: satisfactory."
        report.action_compute()
        html = self.env["ir.actions.report"]._render_qweb_html(
            "qms_customer.action_report_qms_annual_report", report.ids)[0].decode()
        for text in ("Customer Satisfaction Report", "Lowest-scoring Customers", "Sat Customer B", "Sat Dealers",
                     "Sat Pump", "Service verified: satisfactory.", "Comparison with the Previous Year", "3.67"):
            self.assertIn(text, html)
        self.assertIn("Lowest-scoring Customers", report.summary_html)

    # --- performance --------------------------------------------------------------------------------------
    def _grow(self, customers):
        """More customers, segments, communications and requirements in the report's year."""
        Partner = self.env["res.partner"]
        for i in range(customers):
            tag = self.env["res.partner.category"].create({"name": f"Sat Segment {i}"})
            partner = Partner.create({"name": f"Sat Bulk {i}", "is_company": True, "category_id": tag.ids})
            product = self.env["product.product"].create({"name": f"Sat Bulk Product {i}"})
            for month in (2, 6, 10):
                self._communication(partner, f"{self.YEAR}-{month:02d}-03", 1 + (i + month) % 5)
                self._communication(partner, f"{self.YEAR - 1}-{month:02d}-03", 1 + i % 5)
            self._requirement(partner, f"{self.YEAR}-03-03", "appearance", product)

    def _count_queries(self, report):
        # warm the registry caches (access rights, rules), then start from an empty record cache
        year = report.year
        report._compute_satisfaction_figures(year)
        self.env.invalidate_all()
        self.assertTrue(report.company_id)  # the report itself is read before counting
        before = self.env.cr.sql_log_count
        report._compute_satisfaction_figures(year)
        return self.env.cr.sql_log_count - before

    def test_query_count_constant(self):
        report = self._report()
        small = self._count_queries(report)
        self._grow(25)
        large = self._count_queries(report)
        self.assertEqual(small, large, "the figures are read by grouped queries only")
        self.assertLessEqual(small, 20)
        self.env.invalidate_all()
        self.assertTrue(report.company_id)
        with self.assertQueryCount(small):
            figures = report._compute_satisfaction_figures(self.YEAR)
        self.assertEqual(figures["total"], 6 + 25 * 3)
