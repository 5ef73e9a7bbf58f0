from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import QmsComplaintCommon, migration


@tagged("post_install", "-at_install")
class TestComplaintWorkflow(QmsComplaintCommon):

    def test_company_responsible_path(self):
        complaint = self._complaint()
        self.assertRegex(complaint.name, r"^CS/\d{4}/\d{5}$")
        self.assertEqual(complaint.state, "draft")

        complaint.with_user(self.sales).action_submit()
        self.assertEqual(complaint.state, "supervisor_review")
        self.assertEqual(complaint.submitted_by_id, self.sales)
        review = complaint.activity_ids.filtered(lambda a: a.user_id == self.supervisor)
        self.assertEqual(len(review), 1, "the sales supervisor is asked to review")

        complaint.with_user(self.supervisor).action_supervisor_review()
        self.assertEqual((complaint.state, complaint.supervisor_id), ("quality_review", self.supervisor))
        self.assertTrue(complaint.supervisor_date)
        self.assertFalse(complaint.activity_ids.filtered(lambda a: a.user_id == self.supervisor),
                         "the supervisor's activity is done")
        self.assertTrue(complaint.activity_ids.filtered(lambda a: a.user_id == self.quality))

        complaint.with_user(self.quality).write({
            "quality_disposition": "Transport damage confirmed", "responsibility_finding": "transport",
            "responsible_department_id": self.dep_production.id})
        complaint.with_user(self.quality).action_confirm_responsible()
        self.assertEqual(complaint.state, "action")
        self.assertTrue(complaint.company_responsible)
        self.assertEqual(complaint.quality_user_id, self.quality)
        self.assertTrue(complaint.activity_ids.filtered(lambda a: a.user_id == self.production),
                        "the responsible department's manager defines the actions")

        action = self._add_action(complaint)
        self.assertRegex(action.name, r"^CA/\d{4}/\d{5}$")
        action.with_user(self.mgmt_rep).action_approve()
        self.assertEqual((action.state, action.approved_by_id), ("approved", self.mgmt_rep))
        self.assertEqual(action.activity_ids.user_id, self.production, "implementing department is told")
        self.assertEqual(set(action.activity_ids.mapped("date_deadline")), {action.date_deadline})

        action.with_user(self.production).action_start()
        action.with_user(self.production).implementation_notes = "Done"
        action.with_user(self.production).action_implemented()
        self.assertEqual(action.state, "implemented")
        self.assertEqual(action.activity_ids.user_id, self.quality, "then the verifying department is told")
        self.assertEqual(complaint.state, "reply", "all actions implemented: Sales answers the customer")

        self._reply(complaint, channel="email")
        self.assertEqual((complaint.state, complaint.reply_user_id), ("verification", self.sales))
        sent = complaint.message_ids.filtered(lambda m: m.message_type == "comment" and "We replace" in (m.body or ""))
        self.assertTrue(sent, "the e-mail answer is posted from the template")
        self.assertIn(self.contact, sent.partner_ids)

        action.with_user(self.quality).effectiveness_evidence = "Ten deliveries checked."
        action.with_user(self.quality).action_verify_effective()
        self.assertEqual(action.state, "effective")
        complaint.with_user(self.mgmt_rep).write({
            "verification_notes": "Customer confirmed", "customer_satisfied": "yes"})
        complaint.with_user(self.mgmt_rep).action_close()
        self.assertEqual((complaint.state, complaint.verified_by_id), ("done", self.mgmt_rep))
        self.assertGreaterEqual(complaint.days_to_close, 0)

        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            complaint.with_user(self.mgmt_rep).write({"verification_notes": "changed"})
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            complaint.write({"severity": "minor"})

    def test_not_responsible_path(self):
        complaint = self._to_quality_review(self._complaint())
        complaint.with_user(self.quality).write({"quality_disposition": "Product within specification",
                                                 "responsibility_finding": "normal_use"})
        complaint.with_user(self.quality).action_confirm_not_responsible()
        self.assertEqual(complaint.state, "investigation")
        self.assertFalse(complaint.company_responsible)

        with self.assertRaisesRegex(UserError, "real cause"):
            complaint.with_user(self.sales).action_investigation_done()
        complaint.with_user(self.sales).investigation_cause = "Uneven floor at the customer's site"
        complaint.with_user(self.sales).action_investigation_done()
        self.assertEqual((complaint.state, complaint.investigation_user_id), ("reply", self.sales))

        self._reply(complaint)
        complaint.with_user(self.mgmt_rep).write({"verification_notes": "Explained", "customer_satisfied": "yes"})
        complaint.with_user(self.mgmt_rep).action_close()
        self.assertEqual(complaint.state, "done")

    def test_ineffective_action_is_revised(self):
        """4.3.2 as written: each action is verified on its own, whatever the answer; an ineffective
        one is revised while the other stays effective and the answer already given stays."""
        complaint = self._to_action(self._complaint())
        stacking = self._add_action(complaint, description="Stack cartons two high")
        corners = self._add_action(complaint, description="Foam corners")
        self._implement(stacking)
        self.assertEqual(complaint.state, "action", "one action is still being carried out")
        self._implement(corners)
        self.assertEqual(complaint.state, "reply")
        corners.with_user(self.quality).action_verify_effective()  # verified before the customer is answered
        self.assertEqual(corners.state, "effective")
        self._reply(complaint)
        first_answer = complaint.reply_date

        with self.assertRaisesRegex(UserError, "why"):
            stacking.with_user(self.quality).action_verify_ineffective()
        stacking.with_user(self.quality).verification_notes = "Damage again on the next delivery"
        stacking.with_user(self.quality).action_verify_ineffective()
        self.assertEqual(stacking.state, "ineffective")
        self.assertEqual(corners.state, "effective", "the other action stays effective")
        self.assertEqual((complaint.state, complaint.reply_date), ("verification", first_answer),
                         "the answer already given stays")
        complaint.with_user(self.mgmt_rep).write({"verification_notes": "Waiting", "customer_satisfied": "yes"})
        with self.assertRaisesRegex(UserError, "not verified as effective"):
            complaint.with_user(self.mgmt_rep).action_close()

        stacking.with_user(self.production).action_revise()
        self.assertEqual((stacking.state, stacking.revision), ("draft", 2))
        earlier = stacking.revision_ids
        self.assertEqual((earlier.revision, earlier.description, earlier.verification_result),
                         (1, "Stack cartons two high", "ineffective"))
        self.assertEqual(earlier.verification_notes, "Damage again on the next delivery")
        self.assertFalse(stacking.approved_by_id, "the new attempt needs a new approval")

        stacking.with_user(self.production).description = "Foam corners and two-high stacking"
        self._implement(stacking)
        self.assertEqual(complaint.state, "verification", "no second answer is needed")
        stacking.with_user(self.quality).action_verify_effective()
        complaint.with_user(self.mgmt_rep).action_close()
        self.assertEqual(complaint.state, "done")
        self.assertEqual(stacking.revision_ids.description, "Stack cartons two high", "history kept")
        self.assertEqual(complaint.reply_date, first_answer)

    def test_not_satisfied_is_reconsidered_before_closing(self):
        complaint = self._to_action(self._complaint())
        action = self._add_action(complaint)
        self._implement(action)
        action.with_user(self.quality).action_verify_effective()
        self._reply(complaint)
        first = complaint.message_ids.filtered(lambda m: "We replace the desks" in (m.body or ""))
        complaint.with_user(self.mgmt_rep).write({"verification_notes": "Still unhappy", "customer_satisfied": "no"})
        with self.assertRaisesRegex(UserError, "reconsider"):
            complaint.with_user(self.mgmt_rep).action_close()
        complaint.with_user(self.mgmt_rep).action_reconsider()
        self.assertEqual((complaint.state, complaint.reconsidered_by_id), ("action", self.mgmt_rep))
        second = self._add_action(complaint, description="Replace the carrier")
        self._implement(second)
        self.assertEqual(complaint.state, "reply")
        complaint.with_user(self.sales).write({"reply_text": "<p>New carrier from May.</p>", "reply_channel": "phone"})
        complaint.with_user(self.sales).action_reply()
        answers = complaint.message_ids.filtered(lambda m: "We replace the desks" in (m.body or "")
                                                 or "New carrier" in (m.body or ""))
        self.assertEqual(len(answers), 2, "the history keeps every answer")
        self.assertEqual([(a.channel, a.user_id) for a in complaint.answer_ids],
                         [("phone", self.sales), ("phone", self.sales)], "every answer given is on record")
        self.assertIn("We replace the desks", complaint.answer_ids[0].answer)
        self.assertIn("New carrier", complaint.answer_ids[1].answer)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "qms_customer.action_report_qms_complaint", complaint.ids)[0].decode()
        self.assertLess(html.index("We replace the desks"), html.index("New carrier from May"),
                        "the printed slip shows every answer, the first one first")
        self.assertTrue(first)
        second.with_user(self.quality).action_verify_effective()
        self.assertFalse(complaint.customer_satisfied, "the new answer is verified anew")
        self.assertTrue(complaint.message_ids.filtered(lambda m: "Still unhappy" in (m.body or "")),
                        "the first verification stays in the history")
        complaint.with_user(self.mgmt_rep).write({"verification_notes": "Accepts the carrier",
                                                  "customer_satisfied": "no"})
        complaint.with_user(self.mgmt_rep).action_close()  # still not satisfied, but reconsidered
        self.assertEqual(complaint.state, "done")

    def test_answers_given_before_the_history_existed(self):
        """A slip answered before 19.0.1.3.0 has only its newest answer: the migration records it,
        once, as the slip's first answer; a slip not answered gets none."""
        answered = self._to_action(self._complaint())
        self._implement(self._add_action(answered))
        answered.corrective_action_ids.with_user(self.quality).action_verify_effective()
        self._reply(answered)
        unanswered = self._to_action(self._complaint())
        self.env.flush_all()
        self.env.cr.execute("DELETE FROM qms_complaint_answer WHERE complaint_id = %s", answered.ids)
        self.env.invalidate_all()
        migrate = migration("19.0.1.3.0")
        migrate(self.env.cr, "19.0.1.2.0")
        migrate(self.env.cr, "19.0.1.2.0")
        self.env.invalidate_all()
        self.assertEqual([(a.date, a.user_id, a.channel) for a in answered.answer_ids],
                         [(answered.reply_date, self.sales, "phone")])
        self.assertIn("We replace the desks", answered.answer_ids.answer)
        self.assertFalse(unanswered.answer_ids)

    def test_cancel_with_reason(self):
        complaint = self._to_action(self._complaint())
        action = self._add_action(complaint)
        wizard_action = complaint.with_user(self.supervisor).action_cancel()
        wizard = self.env["qms.complaint.cancel"].with_user(self.supervisor).with_context(
            wizard_action["context"]).create({"reason": "Duplicate of another slip"})
        wizard.action_cancel()
        self.assertEqual(complaint.state, "cancel")
        self.assertEqual(complaint.cancel_reason, "Duplicate of another slip")
        self.assertEqual(complaint.cancelled_by_id, self.supervisor)
        self.assertEqual(action.state, "cancel")
        self.assertFalse(complaint.activity_ids)

    def test_cancel_refused_after_done_and_without_reason(self):
        complaint = self._complaint()
        with self.assertRaisesRegex(UserError, "reason"):
            complaint.with_user(self.supervisor)._do_cancel("  ")
        self.assertEqual(complaint.state, "draft")
        self._to_done(complaint)
        with self.assertRaisesRegex(UserError, "stage"):
            complaint.with_user(self.supervisor).action_cancel()

    def test_critical_complaint_informs_general_manager(self):
        complaint = self._complaint(severity="critical")
        complaint.with_user(self.sales).action_submit()
        self.assertIn(self.gm.partner_id, complaint.message_partner_ids)
        notified = self.env["mail.message"].search([
            ("model", "=", "qms.complaint"), ("res_id", "=", complaint.id),
            ("partner_ids", "in", self.gm.partner_id.id)])
        self.assertTrue(notified, "the general manager is notified")

        minor = self._complaint(severity="minor")
        minor.with_user(self.sales).action_submit()
        self.assertNotIn(self.gm.partner_id, minor.message_partner_ids)

    def test_buttons_out_of_order_change_nothing(self):
        complaint = self._complaint()
        for method, user in (("action_supervisor_review", self.supervisor),
                             ("action_confirm_responsible", self.quality),
                             ("action_reply", self.sales),
                             ("action_close", self.mgmt_rep), ("action_investigation_done", self.sales)):
            with self.assertRaisesRegex(UserError, "stage"):
                getattr(complaint.with_user(user), method)()
            self.assertEqual(complaint.state, "draft", method)
        complaint.with_user(self.sales).action_submit()
        with self.assertRaisesRegex(UserError, "stage"):
            complaint.with_user(self.sales).action_submit()

    def test_bad_input(self):
        complaint = self._to_action(self._complaint())
        with self.assertRaisesRegex(AccessError, "propose"), self.env.cr.savepoint():
            self.env["qms.corrective.action"].with_user(self.sales).create({
                "complaint_id": complaint.id, "description": "x", "date_deadline": "2030-01-31",
                "responsible_department_id": self.dep_production.id,
                "implementing_department_id": self.dep_production.id,
                "verifying_department_id": self.dep_quality.id})
        with self.assertRaisesRegex(ValidationError, "departments"), self.env.cr.savepoint():
            self._add_action(complaint, implementing_department_id=False)
        self.env.invalidate_all()
        self.assertFalse(complaint.corrective_action_ids, "nothing half-written")

        action = self._add_action(complaint)
        self._implement(action)
        self.assertEqual(complaint.state, "reply")
        with self.assertRaisesRegex(UserError, "answer"):
            complaint.with_user(self.sales).action_reply()
        complaint.with_user(self.sales).reply_text = "<p><br></p>"
        complaint.with_user(self.sales).reply_channel = "phone"
        with self.assertRaisesRegex(UserError, "answer"):
            complaint.with_user(self.sales).action_reply()
        self.assertEqual(complaint.state, "reply")

        self._reply(complaint)
        complaint.with_user(self.mgmt_rep).write({"verification_notes": "ok", "customer_satisfied": "yes"})
        with self.assertRaisesRegex(UserError, "not verified as effective"):
            complaint.with_user(self.mgmt_rep).action_close()
        self.assertEqual(complaint.state, "verification")

    def test_quality_needs_disposition_and_department(self):
        complaint = self._to_quality_review(self._complaint())
        with self.assertRaisesRegex(UserError, "disposition"):
            complaint.with_user(self.quality).action_confirm_responsible()
        complaint.with_user(self.quality).quality_disposition = "Confirmed"
        with self.assertRaisesRegex(UserError, "responsibility finding"):
            complaint.with_user(self.quality).action_confirm_responsible()
        complaint.with_user(self.quality).responsibility_finding = "product_quality"
        with self.assertRaisesRegex(UserError, "department"):
            complaint.with_user(self.quality).action_confirm_responsible()
        self.assertEqual(complaint.state, "quality_review")

    def test_sale_order_of_another_customer(self):
        with self.assertRaisesRegex(ValidationError, "belongs to"), self.env.cr.savepoint():
            self._complaint(sale_order_id=self.other_order.id, line_ids=[])
        self.env.invalidate_all()
        self.assertFalse(self.env["qms.complaint"].search([("partner_id", "=", self.customer.id)]))

    def test_quantities(self):
        line = self.order.order_line[0]  # 10 ordered, nothing delivered
        for qty, returned, message in ((0, 0, "greater than zero"), (-1, 0, "greater than zero"),
                                       (11, 0, "ordered"), (3, 4, "returned is more"),
                                       (2, -1, "negative")):
            with self.subTest(qty=qty, returned=returned), self.assertRaisesRegex(ValidationError, message):
                self._complaint(line_ids=[(0, 0, {
                    "sale_line_id": line.id, "qty_complained": qty, "qty_returned": returned})])
        line.qty_delivered = 5
        # once delivered, a customer complains about what was delivered (issue #11.8)
        with self.assertRaisesRegex(ValidationError, "8.0 complained about is more than the 5.0 delivered"):
            self._complaint(line_ids=[(0, 0, {"sale_line_id": line.id, "qty_complained": 8, "qty_returned": 5})])
        ok = self._complaint(line_ids=[(0, 0, {"sale_line_id": line.id, "qty_complained": 5, "qty_returned": 5})])
        self.assertEqual(ok.line_ids.product_id, self.product_a)
        # units missing from the delivery: bounded by what was ordered, returned by what was delivered
        with self.assertRaisesRegex(ValidationError, "6.0 returned is more than the 5.0 delivered"):
            self._complaint(category="delivery", line_ids=[
                (0, 0, {"sale_line_id": line.id, "qty_complained": 8, "qty_returned": 6})])
        self._complaint(category="delivery", line_ids=[(0, 0, {"sale_line_id": line.id, "qty_complained": 8})])

    def test_order_line_of_another_order(self):
        with self.assertRaisesRegex(ValidationError, "not on the sales order"):
            self._complaint(line_ids=[(0, 0, {"sale_line_id": self.other_order.order_line.id, "qty_complained": 1})])

    def test_lines_frozen_after_supervisor_review(self):
        complaint = self._to_quality_review(self._complaint())
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            complaint.line_ids.with_user(self.quality).qty_complained = 1
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            complaint.with_user(self.supervisor).write({"line_ids": [(0, 0, {
                "product_id": self.product_b.id, "qty_complained": 1})]})
        self.assertEqual(len(complaint.line_ids), 1)

    def test_record_complaint_from_sale_order(self):
        action = self.order.with_user(self.sales).action_record_qms_complaint()
        form = Form(self.env["qms.complaint"].with_user(self.sales).with_context(action["context"]))
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.sale_order_id, self.order)
        self.assertEqual(len(form.line_ids), 2)
        complaint = form.save()
        self.assertEqual(complaint.line_ids.product_id, self.product_a | self.product_b)
        self.assertEqual(complaint.line_ids.mapped("qty_complained"), [10, 4])
        self.assertEqual(self.order.qms_complaint_count, 1)
        self.assertEqual(self.customer.qms_complaint_count, 1)
        self.assertEqual(self.contact.qms_complaint_count, 1, "a contact counts its company's slips")
        self.assertEqual(self.order.action_view_qms_complaints()["domain"], [("sale_order_id", "=", self.order.id)])

    def test_never_deleted(self):
        """Numbers are gap-free: a slip recorded by mistake is cancelled, never deleted."""
        submitted = self._complaint()
        submitted.with_user(self.sales).action_submit()
        draft, cancelled = self._complaint(), self._complaint()
        cancelled.with_user(self.supervisor)._do_cancel("Recorded by mistake")
        for slip in (submitted, draft, cancelled):
            with self.assertRaisesRegex(UserError, "never deleted"):
                slip.with_user(self.supervisor).unlink()
            self.assertTrue(slip.exists())

    def test_numbers_per_company(self):
        other_company = self.env["res.company"].create({"name": "Second Co"})
        first = self._complaint()
        second = self.env["qms.complaint"].create({
            "partner_id": self.other_customer.id, "company_id": other_company.id, "category": "service"})
        self.assertNotEqual(first.name, second.name)
        self.assertTrue(second.name.endswith("00001"), "each company numbers its own slips")

    def test_gate_activities_do_not_write_the_customer(self):
        """Activity notices go to colleagues: they must not build the customer's signed portal link,
        whose auth_signup write on the customer serialised concurrent gates (BENCHMARKS.md)."""
        complaint = self._complaint()
        Partner = type(self.env["res.partner"])
        written = []
        original = Partner.write

        def spy(records, vals):
            written.append((records.ids, sorted(vals)))
            return original(records, vals)

        with patch.object(Partner, "write", spy):
            complaint.with_user(self.sales).action_submit()
            complaint.with_user(self.supervisor).action_supervisor_review()
        self.assertTrue(complaint.activity_ids, "the gates did schedule activities")
        customer_ids = {self.customer.id, self.contact.id}
        self.assertFalse([w for w in written if customer_ids & set(w[0])], written)

