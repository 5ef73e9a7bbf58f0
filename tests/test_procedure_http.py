from odoo.tests import tagged

from .common import QmsHttpCommon


@tagged("post_install", "-at_install")
class TestProcedureOverHttp(QmsHttpCommon):
    """The whole procedure of clause 4.3 walked over /json/2 as the demo roles, both branches,
    checking who each gate credits: what an auditor reads on the printed slip."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.d_sales, cls.d_supervisor = ref("qms_customer.user_sales"), ref("qms_customer.user_sales_supervisor")
        cls.d_quality, cls.d_mgmt_rep = ref("qms_customer.user_quality"), ref("qms_customer.user_mgmt_rep")
        cls.d_production = ref("qms_customer.user_production")
        cls.dep_prod, cls.dep_qual = ref("qms_customer.dep_production"), ref("qms_customer.dep_quality")
        cls.env.company.write({"qms_supervisor_user_id": cls.d_supervisor.id, "qms_quality_user_id": cls.d_quality.id,
                               "qms_mgmt_rep_user_id": cls.d_mgmt_rep.id})

    def call(self, user, method, record, **params):
        return self.assertAccepted(user, record._name, method, ids=record.ids, **params)

    def _recorded(self):
        [slip_id] = self.assertAccepted(self.d_sales, "qms.complaint", "create", vals_list=[{
            "partner_id": self.customer.id, "contact_id": self.contact.id, "sale_order_id": self.order.id,
            "category": "product", "severity": "major", "description": "<p>Tops scratched</p>",
            "line_ids": [[0, 0, {"sale_line_id": self.order.order_line[0].id, "qty_complained": 2}]]}])
        slip = self.env["qms.complaint"].browse(slip_id)
        self.call(self.d_sales, "action_submit", slip)
        self.call(self.d_supervisor, "write", slip, vals={"supervisor_comment": "Complete"})
        self.call(self.d_supervisor, "action_supervisor_review", slip)
        return slip

    def _action(self, slip, description):
        [action_id] = self.assertAccepted(self.d_production, "qms.corrective.action", "create", vals_list=[{
            "complaint_id": slip.id, "description": description, "root_cause": "Packing",
            "cause_category": "method", "why_1": "Why damaged?", "because_1": "Unprotected corners",
            "responsible_department_id": self.dep_prod.id, "implementing_department_id": self.dep_prod.id,
            "verifying_department_id": self.dep_qual.id, "date_deadline": "2030-06-30"}])
        return self.env["qms.corrective.action"].browse(action_id)

    def _carry_out(self, action):
        self.call(self.d_mgmt_rep, "action_approve", action)
        self.call(self.d_production, "write", action, vals={"implementation_notes": f"{action.description}: done"})
        self.call(self.d_production, "action_implemented", action)
        self.call(self.d_quality, "write", action, vals={"effectiveness_evidence": "Ten deliveries checked."})

    def test_company_responsible_with_an_ineffective_action_revised(self):
        slip = self._recorded()
        self.call(self.d_quality, "write", slip, vals={
            "quality_disposition": "Our packing", "responsibility_finding": "transport",
            "responsible_department_id": self.dep_prod.id})
        self.call(self.d_quality, "action_confirm_responsible", slip)
        corners, stacking = self._action(slip, "Foam corners"), self._action(slip, "Two-high stacking")
        self._carry_out(corners)
        self.assertEqual(slip.state, "action", "one action is still to be carried out")
        self._carry_out(stacking)
        self.assertEqual(slip.state, "reply")
        self.call(self.d_quality, "action_verify_effective", corners)
        self.call(self.d_sales, "write", slip, vals={"reply_text": "<p>New packing from May</p>",
                                                     "reply_channel": "phone"})
        self.call(self.d_sales, "action_reply", slip)
        self.call(self.d_quality, "write", stacking, vals={"verification_notes": "Damaged again"})
        self.call(self.d_quality, "action_verify_ineffective", stacking)
        self.assertEqual((slip.state, corners.state, stacking.state), ("verification", "effective", "ineffective"))
        self.assertRefused(self.d_mgmt_rep, "qms.complaint", "action_close", ids=slip.ids)
        self.call(self.d_production, "action_revise", stacking)
        self.call(self.d_production, "write", stacking, vals={"description": "Stacking with spacers"})
        self.call(self.d_mgmt_rep, "action_approve", stacking)
        self.call(self.d_production, "write", stacking, vals={"implementation_notes": "Spacers in use"})
        self.call(self.d_production, "action_implemented", stacking)
        self.call(self.d_quality, "write", stacking, vals={"effectiveness_evidence": "Spacers checked."})
        self.call(self.d_quality, "action_verify_effective", stacking)
        self.call(self.d_mgmt_rep, "write", slip, vals={"verification_notes": "Checked", "customer_satisfied": "yes"})
        self.call(self.d_mgmt_rep, "action_close", slip)
        self.assertEqual(slip.state, "done")
        credited = (slip.submitted_by_id, slip.supervisor_id, slip.quality_user_id, slip.reply_user_id,
                    slip.verified_by_id)
        self.assertEqual(credited, (self.d_sales, self.d_supervisor, self.d_quality, self.d_sales, self.d_mgmt_rep))
        self.assertEqual((stacking.revision, stacking.approved_by_id, stacking.implemented_by_id,
                          stacking.verified_by_id), (2, self.d_mgmt_rep, self.d_production, self.d_quality))
        self.assertEqual(stacking.revision_ids.verification_notes, "Damaged again")
        self.assertEqual(corners.revision, 1, "the effective action was not touched")

    def test_company_not_responsible(self):
        slip = self._recorded()
        self.call(self.d_quality, "write", slip, vals={"quality_disposition": "Within specification",
                                                       "responsibility_finding": "normal_use"})
        self.call(self.d_quality, "action_confirm_not_responsible", slip)
        self.call(self.d_sales, "write", slip, vals={"investigation_cause": "Stored outdoors"})
        self.call(self.d_sales, "action_investigation_done", slip)
        self.call(self.d_sales, "write", slip, vals={"reply_text": "<p>Store indoors</p>", "reply_channel": "visit"})
        self.call(self.d_sales, "action_reply", slip)
        self.call(self.d_mgmt_rep, "write", slip, vals={"verification_notes": "Explained", "customer_satisfied": "yes"})
        self.call(self.d_mgmt_rep, "action_close", slip)
        self.assertEqual((slip.state, slip.company_responsible, slip.investigation_user_id, slip.verified_by_id),
                         ("done", False, self.d_sales, self.d_mgmt_rep))
        self.assertFalse(slip.corrective_action_ids)
