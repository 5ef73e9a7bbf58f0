from odoo.tests import tagged

from .common import QmsHttpCommon


@tagged("post_install", "-at_install")
class TestComplaintAssessment(QmsHttpCommon):
    """Issue 13, items 2 and 3 over /json/2 as the demo roles: the supervisor's assessment of the
    complaint's nature, Quality's responsibility finding next to its decision, and the correction
    kept apart from the corrective actions. A refused call writes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.d_sales, cls.d_supervisor = ref("qms_customer.user_sales"), ref("qms_customer.user_sales_supervisor")
        cls.d_quality = ref("qms_customer.user_quality")
        cls.dep_prod = ref("qms_customer.dep_production")

    def _submitted(self):
        slip = self._complaint(user=self.d_sales)
        slip.with_user(self.d_sales).action_submit()
        return slip

    def _at_quality(self):
        slip = self._submitted()
        slip.with_user(self.d_supervisor).action_supervisor_review()
        return slip

    def test_nature_set_by_the_supervisor_at_the_review(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        slip = self._complaint(user=self.d_sales)
        self.assertEqual(slip.complaint_nature, "valid", "a complaint is taken as valid until assessed")
        # the wrong stage: not while the slip is still being recorded
        self.assertRefused(self.d_supervisor, "qms.complaint", "write", ids=slip.ids,
                           vals={"complaint_nature": "invalid", "nature_reason": "Duplicate"})
        slip.with_user(self.d_sales).action_submit()
        # the wrong role: the receiver does not assess their own slip
        self.assertRefused(self.d_sales, "qms.complaint", "write", "仅限", ids=slip.ids,
                           vals={"complaint_nature": "invalid"}, context={"lang": "zh_CN"})
        # not valid without a reason: the review is refused, in the user's language, nothing moves
        self.assertAccepted(self.d_supervisor, "qms.complaint", "write", ids=slip.ids,
                            vals={"complaint_nature": "suggestion"})
        self.assertRefused(self.d_supervisor, "qms.complaint", "action_supervisor_review", "原因",
                           ids=slip.ids, context={"lang": "zh_CN"})
        self.assertEqual((slip.state, slip.supervisor_id.id), ("supervisor_review", False))
        self.assertAccepted(self.d_supervisor, "qms.complaint", "write", ids=slip.ids,
                            vals={"complaint_nature": "invalid", "nature_reason": "Goods left us undamaged"})
        self.assertAccepted(self.d_supervisor, "qms.complaint", "action_supervisor_review", ids=slip.ids)
        self.assertEqual((slip.state, slip.complaint_nature, slip.supervisor_id),
                         ("quality_review", "invalid", self.d_supervisor))
        # after the gate: no longer changed, by the supervisor either
        self.assertRefused(self.d_supervisor, "qms.complaint", "write", ids=slip.ids,
                           vals={"complaint_nature": "valid"})
        self.assertEqual(slip.complaint_nature, "invalid")

    def test_finding_consistent_with_the_decision(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        slip = self._at_quality()
        # the wrong role: the supervisor does not make Quality's finding
        self.assertRefused(self.d_supervisor, "qms.complaint", "write", ids=slip.ids,
                           vals={"responsibility_finding": "normal_use"})
        self.assertAccepted(self.d_quality, "qms.complaint", "write", ids=slip.ids, vals={
            "quality_disposition": "Within specification", "responsibility_finding": "product_quality"})
        # a product quality problem with the company not responsible: refused, translated, nothing written
        self.assertRefused(self.d_quality, "qms.complaint", "action_confirm_not_responsible", "产品质量",
                           ids=slip.ids, context={"lang": "zh_CN"})
        self.assertEqual((slip.state, slip.quality_user_id.id), ("quality_review", False))
        self.assertAccepted(self.d_quality, "qms.complaint", "write", ids=slip.ids,
                            vals={"responsibility_finding": "normal_use",
                                  "responsible_department_id": self.dep_prod.id})
        self.assertRefused(self.d_quality, "qms.complaint", "action_confirm_responsible", ids=slip.ids)
        self.assertEqual(slip.state, "quality_review")
        self.assertAccepted(self.d_quality, "qms.complaint", "action_confirm_not_responsible", ids=slip.ids)
        self.assertEqual((slip.state, slip.company_responsible, slip.responsibility_finding),
                         ("investigation", False, "normal_use"))
        # after the decision the finding stays (the wrong stage)
        self.assertRefused(self.d_quality, "qms.complaint", "write", ids=slip.ids,
                           vals={"responsibility_finding": "transport"})

    def test_non_quality_finding_either_way(self):
        slip = self._at_quality()
        self.assertAccepted(self.d_quality, "qms.complaint", "write", ids=slip.ids, vals={
            "quality_disposition": "Our carrier dropped the pallet", "responsibility_finding": "transport",
            "responsible_department_id": self.dep_prod.id})
        self.assertAccepted(self.d_quality, "qms.complaint", "action_confirm_responsible", ids=slip.ids)
        self.assertEqual((slip.state, slip.company_responsible), ("action", True))

    def test_correction_recorded_by_quality_and_stamped_by_the_server(self):
        slip = self._submitted()
        # the wrong stage: not before Quality has the slip
        self.assertRefused(self.d_quality, "qms.complaint", "write", ids=slip.ids,
                           vals={"correction": "Hold shipments"})
        slip.with_user(self.d_supervisor).action_supervisor_review()
        # the wrong role, and a stamp from the client: refused
        self.assertRefused(self.d_sales, "qms.complaint", "write", ids=slip.ids,
                           vals={"correction": "Replaced"})
        self.assertRefused(self.d_quality, "qms.complaint", "write", ids=slip.ids,
                           vals={"correction": "Replaced", "correction_user_id": self.d_sales.id})
        self.assertFalse(slip.correction or slip.correction_user_id)
        self.assertAccepted(self.d_quality, "qms.complaint", "write", ids=slip.ids,
                            vals={"correction": "Stock sorted; two desks replaced"})
        self.assertEqual(slip.correction_user_id, self.d_quality)
        self.assertTrue(slip.correction_date)
        # independent of the corrective actions: still recorded while they are under way
        self.assertAccepted(self.d_quality, "qms.complaint", "write", ids=slip.ids, vals={
            "quality_disposition": "Scratched at packing", "responsibility_finding": "product_quality",
            "responsible_department_id": self.dep_prod.id})
        self.assertAccepted(self.d_quality, "qms.complaint", "action_confirm_responsible", ids=slip.ids)
        self.assertFalse(slip.corrective_action_ids)
        self.assertAccepted(self.d_quality, "qms.complaint", "write", ids=slip.ids,
                            vals={"correction": "Stock sorted; two desks replaced; shipments held"})
        self.assertEqual((slip.state, slip.correction_user_id), ("action", self.d_quality))
        # a correction cleared leaves no one credited with it
        self.assertAccepted(self.d_quality, "qms.complaint", "write", ids=slip.ids, vals={"correction": False})
        self.assertEqual((slip.correction_user_id, slip.correction_date), (self.env["res.users"], False))

    def test_demo_has_an_invalid_complaint_and_findings(self):
        invalid = self.env.ref("qms_customer.complaint_last_year_2")
        self.assertEqual(invalid.complaint_nature, "invalid")
        self.assertTrue(invalid.nature_reason)
        slip = self.env.ref("qms_customer.complaint_action")
        self.assertEqual((slip.responsibility_finding, slip.correction_user_id),
                         ("product_quality", self.d_quality))
