"""Bad input: generated values and every button in every state, as the non-admin roles.

Each answer must be a success or a clear UserError / ValidationError / AccessError /
MissingError (an IntegrityError counts too: the RPC layer turns it into a ValidationError with the
constraint's message). Never a bare ValueError/TypeError/DataError (an "internal server error"),
never a stored ``<script>`` printed unescaped, and the records stay consistent afterwards.
Bounded and derandomized so that it runs in the normal suite.

The generated values come from ``hypothesis``, an optional test dependency (tools/requirements.txt):
without it the four ``test_fuzz_*`` tests are skipped, saying so in the runner's summary, and the
others run; the module still imports, so Odoo's runner loads the addon's tests either way.
"""
import unittest

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import tagged

from .common import QmsCommon

try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:
    HYPOTHESIS_MISSING = "hypothesis is not installed (pip install hypothesis): no generated values were tried"

    class _NoStrategies:
        """Stands in for hypothesis.strategies so that the module imports; the tests using it skip."""

        def __getattr__(self, name):
            return lambda *args, **kwargs: None

    st = _NoStrategies()
    HealthCheck = ()

    def settings(**_kwargs):
        return lambda test: test

    def given(**_strategies):
        return unittest.skip(HYPOTHESIS_MISSING)

REFUSALS = (UserError, ValidationError, AccessError, MissingError)
SCRIPT = "<script>alert('qms')</script>"
ROLES = ("employee", "production", "sales", "supervisor", "quality", "mgmt_rep", "gm")
FUZZ = settings(max_examples=120, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))

# Values a careless or hostile client may send; "@..." tokens become ids of records the user must
# not reach (another company's, a deleted one).
JUNK = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
    st.sampled_from([0, -1, 1, 2 ** 31, -(2 ** 31) - 1, 10 ** 20]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["x" * 100_000, SCRIPT, "<img src=x onerror=alert(1)>", "a\x00b", "2024-02-30",
                     "9999-12-31 23:59:59", "0000-00-00", "-1", "draft", "done", "' OR 1=1 --", "😀" * 50]),
    st.lists(st.integers(min_value=-5, max_value=5), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from(["@other_partner", "@other_complaint", "@other_department", "@other_product",
                     "@missing", "@other_user"]),
)
COMPLAINT_FIELDS = (
    "partner_id", "contact_id", "sale_order_id", "channel", "received_by_id", "received_date", "severity",
    "category", "description", "customer_request", "date_deadline", "company_id", "supervisor_comment",
    "quality_disposition", "company_responsible", "responsible_department_id", "investigation_cause",
    "reply_text", "reply_channel", "verification_notes", "customer_satisfied", "state", "name",
    "submitted_date", "line_ids",
)
LINE_FIELDS = ("product_id", "qty_complained", "qty_returned", "uom_id", "defect_description", "sequence",
               "sale_line_id", "complaint_id")
ACTION_FIELDS = ("description", "root_cause", "responsible_department_id", "implementing_department_id",
                 "verifying_department_id", "user_id", "date_deadline", "implementation_notes",
                 "verification_notes", "state", "revision", "complaint_id")
COMPLAINT_BUTTONS = (
    "action_submit", "action_supervisor_review", "action_return_to_draft", "action_confirm_responsible",
    "action_confirm_not_responsible", "action_investigation_done", "action_reply", "action_reconsider",
    "action_close", "action_cancel", "action_view_corrective_actions", "action_view_sale_order",
)
ACTION_BUTTONS = ("action_approve", "action_start", "action_implemented", "action_verify_effective",
                  "action_verify_ineffective", "action_revise")


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
class TestFuzz(QmsCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Fuzz Customer", "is_company": True})
        cls.product = cls.env["product.product"].create({"name": "Fuzz Widget"})
        other = cls.env["res.company"].create({"name": "Other Fuzz Company"})
        cls.other = {
            "@other_partner": cls.env["res.partner"].create(
                {"name": "Other Co Customer", "is_company": True, "company_id": other.id}).id,
            "@other_department": cls.env["hr.department"].create(
                {"name": "Other Co Dept", "company_id": other.id}).id,
            "@other_product": cls.env["product.product"].create(
                {"name": "Other Co Widget", "company_id": other.id}).id,
            "@other_user": cls.env["res.users"].create({
                "name": "Other Co User", "login": "t_other_co", "company_id": other.id,
                "company_ids": [(6, 0, other.ids)]}).id,
            "@missing": 2 ** 31 - 7,
        }
        cls.other["@other_complaint"] = cls.env["qms.complaint"].with_company(other).create({
            "partner_id": cls.other["@other_partner"], "company_id": other.id, "category": "service"}).id
        cls.slips = {state: cls._slip_at(state) for state in (
            "draft", "supervisor_review", "quality_review", "action", "investigation", "reply",
            "verification", "done", "cancel")}

    # --- building slips through the real workflow ------------------------------------------------
    @classmethod
    def _slip_at(cls, state):
        slip = cls.env["qms.complaint"].with_user(cls.employee).create({
            "partner_id": cls.customer.id, "category": "product", "description": "<p>broken</p>",
            "line_ids": [(0, 0, {"product_id": cls.product.id, "qty_complained": 2})],
        })
        path = {
            "draft": [], "supervisor_review": ["submit"], "quality_review": ["submit", "review"],
            "action": ["submit", "review", "responsible"], "investigation": ["submit", "review", "not_responsible"],
            "reply": ["submit", "review", "not_responsible", "cause"],
            "verification": ["submit", "review", "not_responsible", "cause", "reply"],
            "done": ["submit", "review", "not_responsible", "cause", "reply", "close"],
            "cancel": ["submit", "cancel"],
        }[state]
        for step in path:
            cls._step(slip, step)
        if state == "action":
            cls.env["qms.corrective.action"].with_user(cls.quality).create({
                "complaint_id": slip.id, "description": "Fix the jig", "date_deadline": "2030-01-01",
                "cause_category": "machine", "why_1": "Why misaligned?", "because_1": "The jig is worn.",
                "responsible_department_id": cls.dep_production.id,
                "implementing_department_id": cls.dep_production.id,
                "verifying_department_id": cls.dep_quality.id,
            })
        assert slip.state == state, (slip.state, state)
        # in the test's (administrator's) environment: bound to the warehouse employee who recorded
        # it, the slip shows no corrective action, and the loops over them would try nothing
        return slip.with_env(cls.env)

    @classmethod
    def _step(cls, slip, step):
        if step == "submit":
            slip.with_user(cls.employee).action_submit()
        elif step == "review":
            slip.with_user(cls.supervisor).action_supervisor_review()
        elif step in ("responsible", "not_responsible"):
            slip.with_user(cls.quality).write({
                "quality_disposition": "checked", "responsibility_finding": "transport",
                "responsible_department_id": cls.dep_production.id})
            getattr(slip.with_user(cls.quality), f"action_confirm_{step}")()
        elif step == "cause":
            slip.with_user(cls.sales).write({"investigation_cause": "misuse"})
            slip.with_user(cls.sales).action_investigation_done()
        elif step == "reply":
            slip.with_user(cls.sales).write({"reply_text": "<p>Sorry</p>", "reply_channel": "phone"})
            slip.with_user(cls.sales).action_reply()
        elif step == "close":
            slip.with_user(cls.mgmt_rep).write({"verification_notes": "fine", "customer_satisfied": "yes"})
            slip.with_user(cls.mgmt_rep).action_close()
        elif step == "cancel":
            slip.with_user(cls.supervisor)._do_cancel("duplicate")

    # --- the judge -------------------------------------------------------------------------------
    def _resolve(self, value):
        return self.other.get(value, value) if isinstance(value, str) else value

    def _attempt(self, func, keep=False):
        """Run func in a savepoint; return 'ok' (and the records are consistent) or 'refused' (with a
        message); fail on any other exception."""
        try:
            with self.env.cr.savepoint():
                func()
                self.env.flush_all()
                # accepted: then the records must still be consistent
                self.assertEqual(self.env["qms.complaint"]._qms_integrity_problems(), [], "accepted, inconsistent")
                if not keep:
                    raise _Rollback
        except _Rollback:
            return "ok"
        except REFUSALS as exc:
            message = exc.args[0] if exc.args else ""
            self.assertTrue(isinstance(message, str) and message.strip(), f"refusal without a message: {exc!r}")
            self.assertNotIn("Traceback", message)
            return "refused"
        except IntegrityError:
            # the RPC layer reports it as a ValidationError naming the broken constraint
            return "refused"
        finally:
            self.env.invalidate_all()
        return "ok"

    def _assert_new_slip(self, slip):
        """An accepted create: the slip starts at its first stage, unstamped, numbered by its
        company's sequence, whatever the client sent."""
        self.assertEqual(slip.state, "draft")
        self.assertFalse(slip.submitted_by_id or slip.submitted_date or slip.supervisor_id)
        self.assertRegex(slip.name, r"^CS/\d{4}/\d{5}$")
        self.assertIn(slip.company_id, slip.env.user.company_ids)

    def _assert_consistent(self):
        self.assertEqual(self.env["qms.complaint"]._qms_integrity_problems(), [])

    def _base_vals(self):
        return {"partner_id": self.customer.id, "category": "service", "description": "<p>late</p>",
                "line_ids": [(0, 0, {"product_id": self.product.id, "qty_complained": 1})]}

    # --- generated values ------------------------------------------------------------------------
    @FUZZ
    @given(field=st.sampled_from(COMPLAINT_FIELDS), value=JUNK, role=st.sampled_from(ROLES))
    def test_fuzz_create_complaint(self, field, value, role):
        user = getattr(self, role)
        vals = dict(self._base_vals(), **{field: self._resolve(value)})
        self._attempt(lambda: self._assert_new_slip(self.env["qms.complaint"].with_user(user).create(vals)))

    @FUZZ
    @given(field=st.sampled_from(LINE_FIELDS), value=JUNK, role=st.sampled_from(ROLES))
    def test_fuzz_create_line(self, field, value, role):
        user = getattr(self, role)
        line = {"product_id": self.product.id, "qty_complained": 3, field: self._resolve(value)}
        vals = dict(self._base_vals(), line_ids=[(0, 0, line)])
        self._attempt(lambda: self._assert_new_slip(self.env["qms.complaint"].with_user(user).create(vals)))

    @FUZZ
    @given(state=st.sampled_from(["draft", "supervisor_review", "quality_review", "action", "reply", "done"]),
           field=st.sampled_from(COMPLAINT_FIELDS), value=JUNK, role=st.sampled_from(ROLES))
    def test_fuzz_write_complaint(self, state, field, value, role):
        slip = self.slips[state].with_user(getattr(self, role))
        value = self._resolve(value)
        outcome = self._attempt(lambda: slip.write({field: value}))
        # the number, the company and a stamp never change by a write, whoever sends it
        current = {"name": slip.sudo().name, "company_id": slip.sudo().company_id.id,
                   "submitted_date": slip.sudo().submitted_date}
        if field in current and value and value != current[field]:
            self.assertEqual(outcome, "refused", (state, role, field, value))

    @FUZZ
    @given(field=st.sampled_from(ACTION_FIELDS), value=JUNK, role=st.sampled_from(ROLES))
    def test_fuzz_corrective_action(self, field, value, role):
        slip = self.slips["action"]
        vals = {"complaint_id": slip.id, "description": "Retrain", "date_deadline": "2030-06-01",
                "responsible_department_id": self.dep_production.id,
                "implementing_department_id": self.dep_production.id,
                "verifying_department_id": self.dep_quality.id, field: self._resolve(value)}
        Action = self.env["qms.corrective.action"].with_user(getattr(self, role))
        self._attempt(lambda: Action.create(vals))
        action = slip.corrective_action_ids.with_user(getattr(self, role))
        action.ensure_one()
        value = self._resolve(value)
        outcome = self._attempt(lambda: action.write({field: value}))
        # an action never leaves its slip, and its revision is counted by the server
        current = {"complaint_id": slip.id, "revision": action.sudo().revision}
        if field in current and value and value != current[field]:
            self.assertEqual(outcome, "refused", (role, field, value))

    # --- every button in every state, as every role -------------------------------------------
    def test_every_button_in_every_state(self):
        # the corrective action's buttons are tried on the slip at "action": it must have one
        # the slip at "action" has a corrective action whose buttons are tried below
        self.assertEqual(len(self.slips["action"].corrective_action_ids), 1)
        outcomes = {}
        for state, slip in self.slips.items():
            for role in ROLES:
                user = getattr(self, role)
                for button in COMPLAINT_BUTTONS:
                    outcomes[state, role, button] = self._attempt(getattr(slip.with_user(user), button))
                for action in slip.corrective_action_ids:
                    for button in ACTION_BUTTONS:
                        outcomes[state, role, button] = self._attempt(getattr(action.with_user(user), button))
                wizard = self.env["qms.complaint.cancel"].with_user(user)
                outcomes[state, role, "cancel wizard"] = self._attempt(lambda wizard=wizard, slip=slip: wizard.create(
                    {"complaint_ids": [(6, 0, slip.ids)], "reason": "fuzz"}).action_cancel())
        # the chain holds: only the right role at the right stage moves a slip on
        self.assertEqual(outcomes["supervisor_review", "supervisor", "action_supervisor_review"], "ok")
        self.assertEqual(outcomes["supervisor_review", "employee", "action_supervisor_review"], "refused")
        self.assertEqual(outcomes["draft", "supervisor", "action_supervisor_review"], "refused")
        self.assertEqual(outcomes["verification", "gm", "action_close"], "refused")
        self.assertEqual(outcomes["done", "mgmt_rep", "action_close"], "refused")
        for role in ROLES:
            self.assertEqual(outcomes["done", role, "action_submit"], "refused")
            self.assertEqual(outcomes["cancel", role, "action_cancel"], "refused")
            # the draft corrective action: only the Management Representative approves it, and no
            # later step can be taken before
            for button in ACTION_BUTTONS:
                expected = "ok" if (button, role) == ("action_approve", "mgmt_rep") else "refused"
                self.assertEqual(outcomes["action", role, button], expected, (role, button))
            # only the Sales Supervisor cancels, and only an open slip
            for state in self.slips:
                expected = "ok" if role == "supervisor" and state not in ("done", "cancel") else "refused"
                self.assertEqual(outcomes[state, role, "cancel wizard"], expected, (state, role))
        for state, slip in self.slips.items():
            self.assertEqual(slip.state, state)
        self._assert_consistent()

    def test_other_company_and_department_records_are_out_of_reach(self):
        mine = self.env["qms.complaint"].with_user(self.sales).create(self._base_vals())
        self.assertEqual(self._attempt(lambda: mine.write({"partner_id": self.other["@other_partner"]})), "refused")
        self.assertEqual(self._attempt(lambda: self.env["qms.complaint"].with_user(self.sales).browse(
            self.other["@other_complaint"]).read(["name"])), "refused")
        # the warehouse employee does not see a slip recorded by Sales
        self.assertEqual(self._attempt(lambda: mine.with_user(self.employee).read(["name"])), "refused")
        self.assertEqual(self._attempt(lambda: mine.with_user(self.employee).write({"severity": "major"})), "refused")

    def test_script_is_stored_harmless_and_printed_escaped(self):
        slip = self.env["qms.complaint"].with_user(self.sales).create(dict(
            self._base_vals(), description=f"<p>ok</p>{SCRIPT}",
            line_ids=[(0, 0, {"product_id": self.product.id, "qty_complained": 1, "defect_description": SCRIPT})]))
        self.assertNotIn("<script", slip.description)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "qms_customer.action_report_qms_complaint", slip.ids)[0].decode()
        self.assertNotIn(SCRIPT, html)
        self.assertIn("&lt;script&gt;", html)

    def test_records_stay_consistent_after_the_storm(self):
        for state in ("draft", "supervisor_review", "quality_review"):
            slip = self.slips[state]
            for role in ROLES:
                for field in ("state", "name", "company_id", "line_ids", "submitted_date"):
                    outcome = self._attempt(lambda slip=slip, role=role, field=field: slip.with_user(
                        getattr(self, role)).write({field: False}), keep=True)
                    # blanking the stage, the number, the company or a stamp is refused to everyone
                    if field != "line_ids":
                        self.assertEqual(outcome, "refused", (state, role, field))
        self._assert_consistent()
        slips = self.env["qms.complaint"].search([])
        self.assertEqual(len({(slip.company_id, slip.name) for slip in slips}), len(slips))
