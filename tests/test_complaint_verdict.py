import re

from odoo import SUPERUSER_ID
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import QmsHttpCommon


@tagged("post_install", "-at_install")
class TestComplaintVerdict(QmsHttpCommon):
    """The customer's verdict on the answer and on the handling (issue 13.5), over HTTP: the portal
    form of the slip's page, the link of the answer e-mail, and /json/2 as every role would try."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(cls.env, login="t_verdict_buyer", groups="base.group_portal",
                                   partner_id=cls.contact.id)
        cls.other_contact = cls.env["res.partner"].create(
            {"name": "Other Buyer", "parent_id": cls.other_customer.id, "email": "other@example.com"})
        cls.other_portal = new_test_user(cls.env, login="t_verdict_other", groups="base.group_portal",
                                         partner_id=cls.other_contact.id)

    def _answered(self):
        """A slip the company is responsible for, its corrective action carried out, answered."""
        slip = self._to_action(self._complaint())
        self._implement(self._add_action(slip))
        self._reply(slip)
        self.assertEqual(slip.state, "verification")
        return slip

    def _post_verdict(self, slip, token=None, **form):
        """The verdict form of the slip's page, posted as the browser would (its CSRF token)."""
        query = f"?access_token={token}" if token else ""
        csrf = None
        # the slip's page shows the form only to whom may give the verdict: the session's token is
        # read from another form for the others (the account page, or the login page)
        for url in (f"/my/complaints/{slip.id}{query}", "/my/account", "/web/login"):
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', self.url_open(url).text)
            if csrf:
                break
        data = {"csrf_token": csrf.group(1), **form}
        if token:
            data["access_token"] = token
        response = self.url_open(f"/my/complaints/{slip.id}/verdict", data=data)
        self.env.invalidate_all()
        return response

    def assertVerdictRefused(self, slip, message, token=None, **form):
        count = self.env["qms.complaint.verdict"].search_count([])
        state = slip.state
        response = self._post_verdict(slip, token=token, **form)
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_qms_verdict_error", response.text)
        self.assertIn(message, response.text)
        self.assertEqual(self.env["qms.complaint.verdict"].search_count([]), count, "nothing written")
        self.assertEqual(slip.state, state)

    # --- the whole loop, through the portal -----------------------------------------------------
    def test_rejected_then_accepted_then_closed(self):
        slip = self._answered()
        first_answer = slip.answer_ids
        self.authenticate("t_verdict_buyer", "t_verdict_buyer")
        page = self.url_open(f"/my/complaints/{slip.id}").text
        self.assertIn("o_qms_verdict_form", page, "an answered slip asks for the customer's verdict")

        response = self._post_verdict(slip, verdict="rejected", handling_score="2",
                                      comment="The new desks are scratched too.")
        self.assertIn("o_qms_verdict_given", response.text)
        verdict = slip.verdict_ids
        self.assertEqual((verdict.verdict, verdict.handling_score, verdict.partner_id, verdict.answer_id),
                         ("rejected", 2, self.contact, first_answer))
        # 4.3.2: back to the corrective actions, taken by the system on the customer's word
        self.assertEqual(slip.state, "action")
        self.assertTrue(slip.awaiting_revised_actions)
        self.assertEqual(slip.reconsidered_by_id.id, SUPERUSER_ID)
        self.assertFalse(slip.customer_satisfied, "the reconsideration starts a new verification")
        self.assertIn("The new desks are scratched too.", "".join(slip.message_ids.mapped("body")))
        self.assertTrue(slip.activity_ids.filtered(
            lambda a: a.user_id == self.supervisor and "did not accept" in a.summary),
            "the Sales Supervisor is told")
        self.assertVerdictRefused(slip, "already gave your verdict", verdict="accepted", handling_score="5")

        # the departments reconsider, Sales answers again
        second = self._add_action(slip, description="Replace the carrier")
        self._implement(second)
        self.assertEqual(slip.state, "reply")
        slip.with_user(self.sales).write({"reply_text": "<p>New carrier from May.</p>", "reply_channel": "email"})
        slip.with_user(self.sales).action_reply()
        self.assertEqual(slip.state, "verification")
        mail = slip.message_ids.filtered(lambda m: "New carrier" in (m.body or ""))[:1]
        link = re.search(rf'href="[^"]*(/my/complaints/{slip.id}\?access_token=[^"#]+)#verdict"', mail.body)
        self.assertTrue(link, "the answer e-mail links to the verdict form with the slip's token")

        # the customer follows the e-mail's link, not logged in
        self.authenticate(None, None)
        token = slip.access_token
        self.assertIn(token, link.group(1))
        response = self._post_verdict(slip, token=token, verdict="accepted", handling_score="5",
                                      comment="Fine now.")
        self.assertIn("o_qms_verdict_given", response.text)
        self.assertEqual(slip.verdict_ids.mapped("verdict"), ["rejected", "accepted"], "the history keeps both")
        self.assertEqual(slip.verdict_ids.answer_id, slip.answer_ids, "each verdict tied to the answer it judged")
        self.assertEqual((slip.customer_verdict, slip.customer_handling_score), ("accepted", 5))
        self.assertEqual(slip.customer_satisfied, "yes", "the accepted verdict informs the verification")
        self.assertEqual(slip.state, "verification", "the management representative verifies and closes")

        slip.corrective_action_ids.with_user(self.quality).action_verify_effective()
        slip.with_user(self.mgmt_rep).write({"verification_notes": "Customer accepted; carrier changed"})
        slip.with_user(self.mgmt_rep).action_close()
        self.assertEqual(slip.state, "done")
        html = self.env["ir.actions.report"]._render_qweb_html(
            "qms_customer.action_report_qms_complaint", slip.ids)[0].decode()
        self.assertIn("The new desks are scratched too.", html, "the printed slip carries the verdicts")
        self.assertIn("Fine now.", html)

    def test_not_responsible_goes_back_to_the_investigation(self):
        slip = self._to_done(self._complaint(), close=False)
        slip.with_user(self.mgmt_rep).write({"customer_satisfied": False, "verification_notes": False})
        self.authenticate("t_verdict_buyer", "t_verdict_buyer")
        self._post_verdict(slip, verdict="rejected", handling_score="1", comment="Not used outdoors.")
        self.assertEqual((slip.state, slip.investigation_date), ("investigation", False))

    # --- bad input: translated errors, nothing written ---------------------------------------------
    def test_bad_input_on_the_portal(self):
        draft = self._complaint()
        self.authenticate("t_verdict_buyer", "t_verdict_buyer")
        self.assertVerdictRefused(draft, "has not been answered yet", verdict="accepted", handling_score="4")
        slip = self._answered()
        for score in ("0", "6", "", "4.5", "-1", "99999999999"):
            self.assertVerdictRefused(slip, "from 1 to 5", verdict="accepted", handling_score=score)
        self.assertVerdictRefused(slip, "accept our answer", verdict="maybe", handling_score="3")
        self.assertVerdictRefused(slip, "not satisfactory", verdict="rejected", handling_score="3", comment="  ")

    def test_others_cannot_give_the_verdict(self):
        slip = self._answered()
        token = slip._portal_ensure_token()
        # another customer holding the link
        self.authenticate("t_verdict_other", "t_verdict_other")
        self.assertVerdictRefused(slip, "not one of yours", token=token, verdict="accepted", handling_score="5")
        # an internal user (Sales reads every slip)
        self.authenticate("t_sales", "t_sales")
        self.assertVerdictRefused(slip, "Only the customer", verdict="accepted", handling_score="5")
        # not logged in, a wrong token: back to /my, nothing written
        self.authenticate(None, None)
        response = self.url_open(f"/my/complaints/{slip.id}/verdict", data={
            "verdict": "accepted", "handling_score": "5", "access_token": "wrong", "csrf_token": "x"},
            allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)
        self.assertFalse(slip.verdict_ids)

    def test_no_verdict_through_rpc(self):
        slip = self._answered()
        answer = slip.answer_ids
        values = {"complaint_id": slip.id, "answer_id": answer.id, "partner_id": self.contact.id,
                  "date": "2030-05-03 10:00:00", "verdict": "accepted", "handling_score": 5}
        admin = self.env.ref("base.user_admin")
        for user in (admin, self.sales, self.supervisor, self.mgmt_rep, self.portal):
            self.assertRefused(user, "qms.complaint.verdict", "create", vals_list=[values])
            # a one2many command from the parent slip
            self.assertRefused(user, "qms.complaint", "write", ids=slip.ids,
                               vals={"verdict_ids": [Command.create(values)]})
        self.assertRefused(self.portal, "qms.complaint", "_portal_give_verdict", ids=slip.ids,
                           verdict="accepted", handling_score=5)
        self.assertFalse(slip.verdict_ids)
        # the server's own verdict cannot be changed or removed either
        verdict = slip.with_user(self.portal)._portal_give_verdict("accepted", 4)
        for user in (admin, self.mgmt_rep):
            self.assertRefused(user, "qms.complaint.verdict", "write", ids=verdict.ids, vals={"handling_score": 1})
            self.assertRefused(user, "qms.complaint.verdict", "unlink", ids=verdict.ids)
            self.assertRefused(user, "qms.complaint.verdict", "copy", ids=verdict.ids)
        self.assertEqual((verdict.handling_score, len(slip.verdict_ids)), (4, 1))
        self.assertAccepted(self.mgmt_rep, "qms.complaint.verdict", "read", ids=verdict.ids, fields=["verdict"])

    def test_management_representative_may_overrule(self):
        """The accepted verdict pre-fills the verification; the management representative, who owns
        4.4.3, may find otherwise (the cause was not removed) and reconsider: the verdict stays."""
        slip = self._answered()
        slip.with_user(self.portal)._portal_give_verdict("accepted", 4)
        self.assertEqual(slip.customer_satisfied, "yes")
        slip.with_user(self.mgmt_rep).write({"customer_satisfied": "no", "verification_notes": "Recurs"})
        slip.with_user(self.mgmt_rep).action_reconsider()
        self.assertEqual((slip.state, slip.verdict_ids.verdict), ("action", "accepted"))

    def test_accepted_verdict_does_not_overwrite_the_verification(self):
        slip = self._answered()
        slip.with_user(self.mgmt_rep).write({"customer_satisfied": "no", "verification_notes": "Cause not removed"})
        slip.with_user(self.portal)._portal_give_verdict("accepted", 5)
        self.assertEqual((slip.customer_satisfied, slip.customer_verdict), ("no", "accepted"))


@tagged("post_install", "-at_install")
class TestVerdictFigures(QmsHttpCommon):
    """The verdicts feed the yearly customer satisfaction report (4.4.3), frozen with it."""

    YEAR = 2033  # far from the demo data and the other reports of the tests

    def test_figures_frozen_with_the_report(self):
        Verdict = self.env["qms.complaint.verdict"].sudo()
        slips = [self._to_done(self._complaint(), close=False) for _i in range(3)]

        def verdict(slip, day, outcome, score):
            return Verdict.create({"complaint_id": slip.id, "answer_id": slip.answer_ids[-1].id,
                                   "partner_id": self.contact.id, "date": f"{day} 12:00:00",
                                   "verdict": outcome, "handling_score": score})

        verdict(slips[0], f"{self.YEAR}-02-01", "accepted", 5)
        verdict(slips[1], f"{self.YEAR}-06-01", "rejected", 2)
        verdict(slips[2], f"{self.YEAR - 1}-06-01", "accepted", 3)  # the previous year
        report = self.env["qms.annual.report"].with_user(self.mgmt_rep).create(
            {"kind": "satisfaction", "year": self.YEAR, "tz": "UTC"})
        report.action_compute()
        handling = report._get_figures()["handling"]
        self.assertEqual(handling, {"verdicts": 2, "accepted": 1, "rejected": 1, "accepted_pct": 50.0,
                                    "mean": 3.5, "by_score": {"2": 1, "5": 1}})
        self.assertEqual(report._get_figures()["previous"]["handling"]["mean"], 3.0)
        report.action_submit()
        # a verdict given later (dated in the year) does not change the submitted report
        second = self._to_done(self._complaint(), close=False)
        verdict(second, f"{self.YEAR}-07-01", "accepted", 1)
        self.assertEqual(report._get_figures()["handling"]["verdicts"], 2)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "qms_customer.action_report_qms_annual_report", report.ids)[0].decode()
        self.assertIn("Satisfaction with Complaint Handling", html)
        self.assertIn("50.0", html)
