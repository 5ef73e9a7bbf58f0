from odoo.tests import tagged

from .common import QmsHttpCommon


@tagged("post_install", "-at_install")
class TestAttackComplaint(QmsHttpCommon):
    """Issue #11 tried over /json/2 as the demo roles would, on slips, lines and corrective
    actions: every call below must be refused with a business error and leave the records as
    they were. Each class of hole of the issue has its test here (named after it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")

    def _slip_at_action(self):
        return self._to_action(self._complaint())

    # --- a stage changes only by a step, stamped by the server ------------------------------------
    def test_stage_and_stamps_only_by_steps(self):
        complaint = self._complaint()
        for user in (self.sales, self.supervisor, self.mgmt_rep, self.admin):
            with self.subTest(user=user.login):
                self.assertRefused(user, "qms.complaint", "write", ids=complaint.ids, vals={"state": "done"})
                self.assertRefused(user, "qms.complaint", "write", ids=complaint.ids,
                                   vals={"supervisor_id": self.supervisor.id, "supervisor_date": "2026-01-01 10:00:00"})
                self.assertRefused(user, "qms.complaint", "write", ids=complaint.ids,
                                   vals={"state": "supervisor_review", "submitted_by_id": self.gm.id})
        self.assertEqual((complaint.state, complaint.submitted_by_id.id), ("draft", False))
        # a step written directly is the step: checked and stamped by the server, not the client
        self.assertAccepted(self.sales, "qms.complaint", "write", ids=complaint.ids,
                            vals={"state": "supervisor_review"})
        self.assertEqual((complaint.state, complaint.submitted_by_id), ("supervisor_review", self.sales))
        self.assertRefused(self.sales, "qms.complaint", "write", ids=complaint.ids, vals={"state": "quality_review"},
                           message="Sales Supervisor")
        self.assertEqual(complaint.state, "supervisor_review")

    def test_administrator_cannot_skip_a_gate(self):
        complaint = self._to_done(self._complaint())
        self.assertRefused(self.admin, "qms.complaint", "write", ids=complaint.ids, vals={"verified_date": False})
        self.assertRefused(self.admin, "qms.complaint", "write", ids=complaint.ids, vals={"state": "verification"})
        draft = self._complaint()
        self.assertRefused(self.admin, "qms.complaint", "write", ids=draft.ids, vals={"state": "verification"})
        self.assertEqual((complaint.state, draft.state), ("done", "draft"))
        self.assertTrue(complaint.verified_date)
        # what no path can do any more, the diagnosis of old data still names (stamps from the table)
        self.assertEqual(self.env["qms.complaint"]._qms_integrity_problems(), [])
        self.env.cr.execute("UPDATE qms_complaint SET verified_date = NULL WHERE id = %s", [complaint.id])
        [(problem, names)] = self.env["qms.complaint"]._qms_integrity_problems()
        self.assertEqual((problem, names), ("slip at done without verified_date", [complaint.name]))

    def test_create_is_write(self):
        values = {"partner_id": self.customer.id, "category": "service", "description": "<p>x</p>"}
        for forged in ({"state": "done"}, {"verified_by_id": self.mgmt_rep.id}, {"supervisor_date": "2026-01-01"},
                       {"company_responsible": True}, {"cancel_reason": "x"}, {"name": "CS/2026/00041"}):
            with self.subTest(forged=forged):
                self.assertRefused(self.sales, "qms.complaint", "create", vals_list=[dict(values, **forged)])
        self.assertFalse(self.env["qms.complaint"].search([("partner_id", "=", self.customer.id)]))
        created = self.assertAccepted(self.sales, "qms.complaint", "create", vals_list=[values])
        self.assertEqual(self.env["qms.complaint"].browse(created).state, "draft")

    def test_import_and_copy(self):
        ok, result = self.json2(self.sales, "qms.complaint", "load", fields=["partner_id/.id", "category", "state"],
                                data=[[str(self.customer.id), "service", "done"]])
        self.assertTrue(not ok or not result["ids"], result)
        self.assertFalse(self.env["qms.complaint"].search([("partner_id", "=", self.customer.id)]))
        done = self._to_done(self._complaint())
        [copy_id] = self.assertAccepted(self.sales, "qms.complaint", "copy", ids=done.ids)
        copy = self.env["qms.complaint"].browse(copy_id)
        self.assertEqual((copy.state, copy.verified_by_id.id, copy.reply_date), ("draft", False, False))
        self.assertNotEqual(copy.name, done.name)

    # --- each gate's fields belong to its role -----------------------------------------------
    def test_gate_fields_belong_to_their_role(self):
        complaint = self._to_quality_review(self._complaint())
        for user in (self.sales, self.supervisor, self.mgmt_rep):
            self.assertRefused(user, "qms.complaint", "write", ids=complaint.ids, vals={"quality_disposition": "x"})
        self.assertAccepted(self.quality, "qms.complaint", "write", ids=complaint.ids,
                            vals={"quality_disposition": "Ours", "responsibility_finding": "transport",
                                  "responsible_department_id": self.dep_production.id})
        self.assertAccepted(self.quality, "qms.complaint", "action_confirm_responsible", ids=complaint.ids)
        self.assertEqual(complaint.quality_user_id, self.quality, "the stamp credits who wrote the disposition")
        self.assertRefused(self.quality, "qms.complaint", "write", ids=complaint.ids, vals={"reply_text": "<p>x</p>"})
        self.assertRefused(self.sales, "qms.complaint", "write", ids=complaint.ids,
                           vals={"verification_notes": "x", "customer_satisfied": "yes"})
        action = self._add_action(complaint, implementing_department_id=self.dep_warehouse.id)
        self._implement_as(action, self.employee)
        self.assertRefused(self.employee, "qms.corrective.action", "write", ids=action.ids,
                           vals={"verification_notes": "fine"})
        self.assertRefused(self.employee, "qms.corrective.action", "action_verify_effective", ids=action.ids)
        self.assertEqual((action.state, action.verification_notes), ("implemented", False))

    def _implement_as(self, action, implementer):
        action.with_user(self.mgmt_rep).action_approve()
        action.with_user(implementer).write({"implementation_notes": "Done"})
        action.with_user(implementer).action_implemented()

    # --- corrective actions: who proposes, what approval names -----------------------------------
    def test_only_quality_and_responsible_department_propose(self):
        complaint = self._slip_at_action()
        values = {"complaint_id": complaint.id, "description": "Stray", "date_deadline": "2030-01-31",
                  "responsible_department_id": self.dep_production.id,
                  "implementing_department_id": self.dep_production.id,
                  "verifying_department_id": self.dep_quality.id}
        for user in (self.sales, self.gm, self.supervisor, self.employee):
            with self.subTest(user=user.login):
                self.assertRefused(user, "qms.corrective.action", "create", vals_list=[values])
                self.assertRefused(user, "qms.complaint", "write", ids=complaint.ids,
                                   vals={"corrective_action_ids": [[0, 0, values]]})
        self.assertFalse(complaint.corrective_action_ids)
        # the responsible department's manager opens the slip it must act on, before any action exists
        rows = self.assertAccepted(self.production, "qms.complaint", "read", ids=complaint.ids, fields=["name"])
        self.assertEqual(rows[0]["name"], complaint.name)
        self.assertAccepted(self.production, "qms.corrective.action", "create", vals_list=[values])
        self.assertEqual(len(complaint.corrective_action_ids), 1)

    def test_approval_names_its_actions(self):
        complaint = self._slip_at_action()
        first, second = self._add_action(complaint), self._add_action(complaint, description="Other")
        self.assertAccepted(self.mgmt_rep, "qms.corrective.action", "action_approve", ids=first.ids)
        self.assertEqual((first.state, second.state), ("approved", "draft"))
        self.assertRefused(self.quality, "qms.corrective.action", "action_approve", ids=second.ids)
        self.assertRefused(self.quality, "qms.corrective.action", "write", ids=second.ids,
                           vals={"state": "approved"})
        self.assertEqual(second.state, "draft")

    # --- reparenting ----------------------------------------------------------------------------
    def test_children_stay_with_their_parent(self):
        first, second = self._slip_at_action(), self._slip_at_action()
        action = self._add_action(first)
        line = first.line_ids
        for user in (self.quality, self.admin):
            with self.subTest(user=user.login):
                self.assertRefused(user, "qms.corrective.action", "write", ids=action.ids,
                                   vals={"complaint_id": second.id})
                self.assertRefused(user, "qms.complaint", "write", ids=second.ids,
                                   vals={"corrective_action_ids": [[4, action.id]]})
                self.assertRefused(user, "qms.complaint.line", "write", ids=line.ids, vals={"complaint_id": second.id})
                self.assertRefused(user, "qms.complaint", "write", ids=second.ids, vals={"line_ids": [[4, line.id]]})
        draft = self._complaint()
        self.assertRefused(self.sales, "qms.complaint", "write", ids=draft.ids, vals={"line_ids": [[4, line.id]]})
        self.assertEqual((action.complaint_id, line.complaint_id), (first, first))

    # --- lines: remedies and the override are steps -----------------------------------------------
    def test_line_step_fields_refused_on_create_and_write(self):
        complaint = self._to_quality_review(self._complaint())
        line = complaint.line_ids
        invoice = self.env["account.move"].create({"move_type": "out_refund", "partner_id": self.customer.id})
        for vals in ({"remedy": "refund"}, {"refund_move_id": invoice.id},
                     {"remedy": "refund", "refund_move_id": invoice.id, "remedy_by_id": self.sales.id},
                     {"remedy_override_by_id": self.quality.id}, {"remedy_override_date": "2026-01-01 00:00:00"}):
            with self.subTest(vals=vals):
                self.assertRefused(self.quality, "qms.complaint.line", "write", ids=line.ids, vals=vals)
                self.assertRefused(self.sales, "qms.complaint", "create", vals_list=[{
                    "partner_id": self.customer.id, "sale_order_id": self.order.id,
                    "line_ids": [[0, 0, dict(vals, sale_line_id=self.order.order_line[0].id, qty_complained=1)]]}])
        self.assertFalse(line.remedy or line.refund_move_id or line.remedy_override_by_id)
        # the document itself cannot be pointed at the slip by a client
        self.assertRefused(self.admin, "account.move", "write", ids=invoice.ids,
                           vals={"qms_complaint_id": complaint.id})
        self.assertFalse(invoice.qms_complaint_id)

    # --- company -------------------------------------------------------------------------------
    def test_slip_stays_in_its_company(self):
        other = self.env["res.company"].create({"name": "Elsewhere Ltd"})
        complaint = self._complaint()
        self.assertRefused(self.sales, "qms.complaint", "write", ids=complaint.ids, vals={"company_id": other.id})
        self.assertRefused(self.sales, "qms.complaint", "create", vals_list=[{
            "partner_id": self.customer.id, "category": "service", "company_id": other.id}])
        self.sales.company_ids |= other
        self.assertRefused(self.sales, "qms.complaint", "write", ids=complaint.ids, vals={"company_id": other.id},
                           message="cannot be changed")
        self.assertEqual(complaint.company_id, self.env.company)

    # --- closed means closed -------------------------------------------------------------------
    def test_closed_slip_keeps_its_content(self):
        complaint = self._to_done(self._complaint(), close=False)
        # closed over HTTP: the request's commit writes the tracking of the stage
        self.assertAccepted(self.mgmt_rep, "qms.complaint", "action_close", ids=complaint.ids)
        for user, vals in ((self.mgmt_rep, {"verification_notes": "later"}), (self.sales, {"description": "<p>x</p>"}),
                           (self.admin, {"severity": "critical"}), (self.sales, {"date_deadline": "2099-01-01"})):
            with self.subTest(vals=vals):
                self.assertRefused(user, "qms.complaint", "write", ids=complaint.ids, vals=vals)
        self.assertRefused(self.admin, "qms.complaint.line", "write", ids=complaint.line_ids.ids,
                           vals={"defect_description": "changed"})
        self.assertRefused(self.admin, "qms.complaint.line", "unlink", ids=complaint.line_ids.ids)
        # what its chatter says was changed is evidence too
        tracking = complaint.sudo().message_ids.tracking_value_ids[:1]
        self.assertTrue(tracking)
        self.assertRefused(self.admin, "mail.tracking.value", "write", ids=tracking.ids,
                           vals={"old_value_char": "forged"})
        self.assertRefused(self.admin, "mail.tracking.value", "unlink", ids=tracking.ids)
        # the conversation with the customer goes on: a message and the portal link
        self.assertAccepted(self.sales, "qms.complaint", "message_post", ids=complaint.ids,
                            body="We will visit you next week.", message_type="comment",
                            subtype_xmlid="mail.mt_comment")
        complaint.with_user(self.sales)._portal_ensure_token()
        self.assertTrue(complaint.access_token)


@tagged("post_install", "-at_install")
class TestAttackReview(QmsHttpCommon):
    """Holes an adversarial review found after the transition table landed, each refused now."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")

    def test_computed_fields_are_the_servers(self):
        complaint = self._complaint()
        self.assertRefused(self.sales, "qms.complaint", "write", ids=complaint.ids,
                           vals={"commercial_partner_id": self.other_customer.id})
        self.assertRefused(self.sales, "qms.complaint", "write", ids=complaint.ids,
                           vals={"action_department_ids": [[6, 0, self.dep_warehouse.ids]]})
        other = self.env["res.company"].create({"name": "Line Elsewhere"})
        self.assertRefused(self.sales, "qms.complaint.line", "write", ids=complaint.line_ids.ids,
                           vals={"company_id": other.id})
        self.assertEqual((complaint.commercial_partner_id, complaint.action_department_ids.ids),
                         (self.customer, []))
        self.assertEqual(complaint.line_ids.company_id, complaint.company_id)

    def test_create_and_copy_carry_no_other_roles_part(self):
        values = {"partner_id": self.customer.id, "category": "service"}
        for forged in ({"supervisor_comment": "Fine"}, {"quality_disposition": "Not our fault"},
                       {"responsible_department_id": self.dep_warehouse.id}, {"customer_satisfied": "yes"},
                       {"reply_text": "<p>Done</p>"}, {"investigation_cause": "Misuse"}):
            with self.subTest(forged=forged):
                self.assertRefused(self.sales, "qms.complaint", "create", vals_list=[dict(values, **forged)])
        complaint = self._complaint()
        self.assertRefused(self.sales, "qms.complaint", "copy", ids=complaint.ids,
                           default={"quality_disposition": "Not our fault"})
        slip = self._to_action(self._complaint())
        self.assertRefused(self.quality, "qms.corrective.action", "create", vals_list=[{
            "complaint_id": slip.id, "description": "x", "date_deadline": "2030-01-31",
            "responsible_department_id": self.dep_production.id, "implementing_department_id": self.dep_production.id,
            "verifying_department_id": self.dep_quality.id, "implementation_notes": "Already done"}])
        self.assertFalse(slip.corrective_action_ids)

    def test_remedy_documents_come_from_the_remedy_buttons_only(self):
        complaint = self._to_quality_review(self._complaint())
        line = complaint.line_ids
        for user in (self.sales, self.admin):
            self.assertRefused(user, "repair.order", "create", vals_list=[{
                "product_id": line.product_id.id, "partner_id": self.customer.id, "qms_complaint_id": complaint.id}])
        repair = self.env["repair.order"].create({"product_id": line.product_id.id, "partner_id": self.customer.id})
        self.assertRefused(self.sales, "qms.complaint.line", "write", ids=line.ids,
                           vals={"remedy_by_id": self.sales.id, "remedy": "repair", "repair_id": repair.id},
                           message="not created for")
        self.assertFalse(line.remedy)

    def test_messages_and_files_of_a_slip_are_not_forged(self):
        done = self._to_done(self._complaint())
        for user in (self.sales, self.gm):
            self.assertRefused(user, "mail.message", "create", vals_list=[{
                "model": "qms.complaint", "res_id": done.id, "author_id": self.contact.id,
                "date": "2020-01-01 10:00:00", "message_type": "email", "body": "I accept, no claim"}])
        draft = self._complaint()
        photo = self.env["ir.attachment"].create({
            "name": "photo.png", "raw": b"\x89PNG\r\n", "res_model": "qms.complaint", "res_id": draft.id})
        self.assertRefused(self.sales, "ir.attachment", "write", ids=photo.ids, vals={"res_id": done.id})
        self.assertEqual(photo.res_id, draft.id)
        cancelled = self._complaint()
        cancelled.with_user(self.supervisor)._do_cancel("Twice")
        self.assertRefused(self.sales, "qms.complaint", "write", ids=cancelled.ids, vals={"portal_share_actions": True})

    def test_reconsidering_is_not_a_formality(self):
        complaint = self._to_action(self._complaint())
        action = self._add_action(complaint)
        self._implement(action)
        action.with_user(self.quality).action_verify_effective()
        self._reply(complaint)
        complaint.with_user(self.mgmt_rep).write({"verification_notes": "Unhappy", "customer_satisfied": "no"})
        self.assertAccepted(self.mgmt_rep, "qms.complaint", "action_reconsider", ids=complaint.ids)
        self.assertEqual((complaint.state, complaint.customer_satisfied), ("action", False))
        # nothing reconsidered yet: the slip cannot move on to the answer
        self.assertRefused(self.sales, "qms.complaint", "write", ids=complaint.ids, vals={"state": "reply"},
                           message="reconsidered")
        self.assertEqual(complaint.state, "action")

    def test_answers_given_are_the_servers_record(self):
        """Every answer given is kept by the reply step; no role writes, adds or removes one, on its
        own model or through the slip."""
        complaint = self._to_action(self._complaint())
        self._implement(self._add_action(complaint))
        complaint.corrective_action_ids.with_user(self.quality).action_verify_effective()
        self._reply(complaint)
        answer = complaint.answer_ids
        self.assertEqual(len(answer), 1)
        for user in (self.sales, self.supervisor, self.mgmt_rep, self.quality):
            self.assertRefused(user, "qms.complaint.answer", "write", ids=answer.ids, vals={"answer": "<p>Other</p>"})
            self.assertRefused(user, "qms.complaint.answer", "unlink", ids=answer.ids)
            self.assertRefused(user, "qms.complaint.answer", "create", vals_list=[{
                "complaint_id": complaint.id, "date": "2020-01-01 10:00:00", "user_id": user.id,
                "answer": "<p>Forged</p>"}])
            self.assertRefused(user, "qms.complaint", "write", ids=complaint.ids,
                               vals={"answer_ids": [(2, answer.id), (0, 0, {"answer": "<p>Forged</p>"})]})
        self.assertEqual((complaint.answer_ids, answer.user_id), (answer, self.sales))
        self.assertNotIn("Forged", answer.answer)
        self.assertNotIn("answer_ids", complaint.copy_data()[0])

    def test_answers_given_cannot_be_imported_copied_reattached_or_read_by_others(self):
        """The other ways in: every one2many command from the slip, copy(), import (load), a file
        attached to an answer, the administrator; and an employee outside the slip reads none."""
        complaint = self._to_action(self._complaint())
        self._implement(self._add_action(complaint))
        complaint.corrective_action_ids.with_user(self.quality).action_verify_effective()
        self._reply(complaint)
        answer = complaint.answer_ids
        other = self._to_action(self._complaint())
        for user in (self.sales, self.supervisor, self.quality, self.mgmt_rep, self.gm, self.admin):
            with self.subTest(user=user.login):
                for command in ([(1, answer.id, {"answer": "<p>Forged</p>"})], [(3, answer.id)], [(5, 0, 0)],
                                [(6, 0, [])], [(4, answer.id)]):
                    self.assertRefused(user, "qms.complaint", "write", ids=other.ids, vals={"answer_ids": command})
                    self.assertRefused(user, "qms.complaint", "write", ids=complaint.ids, vals={"answer_ids": command})
                self.assertRefused(user, "qms.complaint.answer", "copy", ids=answer.ids,
                                   default={"complaint_id": other.id})
                ok, result = self.json2(user, "qms.complaint.answer", "load",
                                        fields=["complaint_id/.id", "date", "user_id/.id", "answer"],
                                        data=[[str(other.id), "2020-01-01 10:00:00", str(user.id), "<p>Forged</p>"]])
                self.assertFalse(ok and not result.get("messages"), result)
                ok, result = self.json2(user, "qms.complaint", "load", fields=[".id", "answer_ids/answer"],
                                        data=[[str(complaint.id), "<p>Forged</p>"]])
                self.assertFalse(ok and not result.get("messages"), result)
                self.assertRefused(user, "ir.attachment", "create", vals_list=[{
                    "name": "forged answer.pdf", "res_model": answer._name, "res_id": answer.id,
                    "raw": "forged"}])
        self.env.invalidate_all()
        self.assertEqual(complaint.answer_ids, answer)
        self.assertFalse(other.answer_ids)
        self.assertNotIn("Forged", answer.answer)
        self.assertEqual(answer.complaint_id, complaint)
        # an employee who neither recorded the slip nor acts on it reads none of its answers
        outsider = self._user("t_outsider_answer", "base.group_user", self.dep_warehouse)
        ok, result = self.json2(outsider, "qms.complaint.answer", "search_read", domain=[], fields=["answer"])
        self.assertEqual(result if ok else [], [])
        # an answer removed behind the ORM's back is named by the integrity check
        self.assertEqual(self.env["qms.complaint"]._qms_integrity_problems(), [])
        self.env.cr.execute("DELETE FROM qms_complaint_answer WHERE id = %s", answer.ids)
        self.env.invalidate_all()
        self.assertIn(("answered slip without the answer given in its history (qms.complaint.answer)",
                       [complaint.name]), self.env["qms.complaint"]._qms_integrity_problems())

    def test_visit_children_stay_with_their_visit(self):
        Visit = self.env["qms.customer.visit"]
        values = {"partner_id": self.customer.id, "date_start": "2030-04-14 09:00:00",
                  "date_end": "2030-04-14 10:00:00", "place": "Room 1", "user_id": self.sales.id,
                  "visitor_ids": [(0, 0, {"name": "Ms Li"})]}
        first, second = Visit.with_user(self.sales).create(values), Visit.with_user(self.sales).create(values)
        visitor = first.visitor_ids
        self.assertRefused(self.sales, "qms.customer.visit.visitor", "write", ids=visitor.ids,
                           vals={"visit_id": second.id})
        first.with_user(self.sales).action_done()
        self.assertRefused(self.sales, "qms.customer.visit.visitor", "write", ids=visitor.ids,
                           vals={"name": "Mr Wang"})
        self.assertEqual((visitor.visit_id, visitor.name), (first, "Ms Li"))

    def test_role_refusals_speak_the_users_language(self):
        """Every step's role goes through one helper (qms.workflow.mixin._qms_lacks_role): its
        refusals, for a role and for a department, read in the client's language."""
        self.env["res.lang"]._activate_lang("zh_CN")
        zh = {"lang": "zh_CN"}
        slip = self._complaint()
        slip.with_user(self.sales).action_submit()
        self.assertRefused(self.sales, "qms.complaint", "action_supervisor_review", "仅限", ids=slip.ids, context=zh)
        self.assertRefused(self.sales, "qms.complaint", "write", "仅限", ids=slip.ids,
                           vals={"supervisor_comment": "ok"}, context=zh)
        action = self._add_action(self._to_action(self._complaint()))
        action.with_user(self.mgmt_rep).action_approve()
        self.assertRefused(self.gm, "qms.corrective.action", "action_start", "部门的成员", ids=action.ids,
                           context=zh)
        self.assertEqual(action.state, "approved")

    def test_form_codes_are_the_administrators(self):
        """The form codes printed in the headers of the visit record and the plan (new company
        fields) are set in the settings by the administrator only, not by a QMS role."""
        company = self.env.company
        before = (company.qms_visit_doc_code, company.qms_plan_doc_code)
        for user in (self.sales, self.supervisor, self.quality, self.mgmt_rep, self.gm):
            with self.subTest(user=user.login):
                self.assertRefused(user, "res.company", "write", ids=company.ids,
                                   vals={"qms_visit_doc_code": "FORGED", "qms_plan_doc_code": "FORGED"})
                self.assertRefused(user, "res.config.settings", "create",
                                   vals_list=[{"qms_visit_doc_code": "FORGED"}])
        self.assertEqual((company.qms_visit_doc_code, company.qms_plan_doc_code), before)

    def test_landing_action_runs_no_input(self):
        """The root menu's server action picks the landing by role only: what a client puts in
        the context (a record, an action, code) changes nothing, and a user without a QMS role
        cannot run it."""
        action = self.env.ref("qms_customer.qms_home_action")
        expected = {self.supervisor: "qms_customer.qms_complaint_action",
                    self.gm: "qms_customer.qms_annual_report_action",
                    self.sales: "qms_customer.qms_complaint_action_my"}
        for user, xmlid in expected.items():
            with self.subTest(user=user.login):
                result = self.assertAccepted(user, "ir.actions.server", "run", ids=action.ids, context={
                    "active_model": "res.users", "active_id": self.admin.id, "active_ids": self.admin.ids,
                    "lang": "en_US"})
                self.assertEqual(result["id"], self.env.ref(xmlid).id)
                self.assertNotIn("active_id", result["context"])
