import importlib.util
import json
from datetime import datetime, timedelta
from pathlib import Path

from odoo.tests import HttpCase, TransactionCase, new_test_user

EFFECTIVENESS_WINDOW_FIELDS = (
    "qms_effectiveness_days_minor", "qms_effectiveness_days_major", "qms_effectiveness_days_critical")


class QmsCommon(TransactionCase):
    """Users for each role of the procedure, in their departments."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_create_nosubscribe=True))
        Department = cls.env["hr.department"]
        cls.dep_sales = Department.create({"name": "Test Sales"})
        cls.dep_quality = Department.create({"name": "Test Quality"})
        cls.dep_production = Department.create({"name": "Test Production"})
        cls.dep_warehouse = Department.create({"name": "Test Warehouse"})
        cls.employee = cls._user("t_employee", "base.group_user", cls.dep_warehouse)
        cls.production = cls._user("t_production", "base.group_user", cls.dep_production)
        cls.sales = cls._user("t_sales", "qms_customer.group_qms_sales", cls.dep_sales)
        cls.supervisor = cls._user("t_supervisor", "qms_customer.group_qms_sales_supervisor", cls.dep_sales)
        cls.quality = cls._user("t_quality", "qms_customer.group_qms_quality", cls.dep_quality)
        cls.mgmt_rep = cls._user("t_mgmt_rep", "qms_customer.group_qms_management_representative", cls.dep_quality)
        cls.gm = cls._user("t_gm", "qms_customer.group_qms_general_manager", None)
        cls.dep_production.manager_id = cls.production.employee_ids[:1]
        cls.dep_quality.manager_id = cls.quality.employee_ids[:1]
        # one accountable person per gate (Settings); without it the demo users would be the first
        cls.env.company.write({"qms_supervisor_user_id": cls.supervisor.id, "qms_quality_user_id": cls.quality.id,
                               "qms_mgmt_rep_user_id": cls.mgmt_rep.id})
        # the procedure's tests judge an action right after it is implemented: no effectiveness window
        # here (tests/test_corrective_action_effectiveness.py sets one)
        cls.env.company.write(dict.fromkeys(EFFECTIVENESS_WINDOW_FIELDS, 0))

    @classmethod
    def _confirmed_order(cls, partner, lines, **vals):
        order = cls.env["sale.order"].create({
            "partner_id": partner.id,
            "order_line": [(0, 0, {"product_id": p.id, "product_uom_qty": q}) for p, q in lines],
            **vals,
        })
        order.action_confirm()
        return order

    @classmethod
    def _statutory_guarantees(cls):
        """The company counts the three guarantees from the delivery, 7 / 15 / 365 days (the
        statutory periods the hand-computed cases of the tests use)."""
        cls.company = cls.env.company
        cls.company.write({"qms_warranty_start": "delivery", "qms_refund_days": 7,
                           "qms_replacement_days": 15, "qms_repair_days": 365})

    @classmethod
    def _user(cls, login, groups, department):
        groups = "base.group_user" if groups == "base.group_user" else f"base.group_user,{groups}"
        user = new_test_user(cls.env, login=login, groups=groups, name=login.replace("t_", "").title())
        cls.env["hr.employee"].create({
            "name": user.name, "user_id": user.id,
            "department_id": department.id if department else False,
        })
        return user


class QmsComplaintCommon(QmsCommon):
    """A customer with a confirmed two-line sales order, and helpers that walk a slip."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Test Customer Ltd", "is_company": True})
        cls.contact = cls.env["res.partner"].create({
            "name": "Ms Buyer", "parent_id": cls.customer.id, "email": "buyer@example.com"})
        cls.other_customer = cls.env["res.partner"].create({"name": "Other Customer", "is_company": True})
        Product = cls.env["product.product"]
        cls.product_a = Product.create({"name": "Desk", "type": "consu", "list_price": 100})
        cls.product_b = Product.create({"name": "Chair", "type": "consu", "list_price": 40})
        cls.order = cls._confirmed_order(cls.customer, [(cls.product_a, 10), (cls.product_b, 4)])
        cls.other_order = cls._confirmed_order(cls.other_customer, [(cls.product_a, 1)])


    def _complaint(self, user=None, **vals):
        values = {
            "partner_id": self.customer.id,
            "contact_id": self.contact.id,
            "sale_order_id": self.order.id,
            "channel": "phone",
            "severity": "major",
            "category": "product",
            "description": "<p>Scratched tops</p>",
            "line_ids": [(0, 0, {
                "sale_line_id": self.order.order_line[0].id, "qty_complained": 2, "qty_returned": 1,
                "defect_description": "Scratched"})],
        }
        values.update(vals)
        return self.env["qms.complaint"].with_user(user or self.sales).create(values)

    def _to_quality_review(self, complaint):
        complaint.with_user(complaint.received_by_id).action_submit()
        complaint.with_user(self.supervisor).action_supervisor_review()
        return complaint

    def _to_action(self, complaint):
        self._to_quality_review(complaint)
        complaint.with_user(self.quality).write({
            "quality_disposition": "Confirmed: transport damage", "responsibility_finding": "transport",
            "responsible_department_id": self.dep_production.id})
        complaint.with_user(self.quality).action_confirm_responsible()
        return complaint

    def _add_action(self, complaint, **vals):
        values = {
            "complaint_id": complaint.id,
            "description": "Add foam corners",
            "root_cause": "No protection",
            "cause_category": "method",
            "why_1": "Why were the desks damaged?",
            "because_1": "Their corners were unprotected in the carton.",
            "responsible_department_id": self.dep_production.id,
            "implementing_department_id": self.dep_production.id,
            "verifying_department_id": self.dep_quality.id,
            "date_deadline": "2030-01-31",
        }
        values.update(vals)
        return self.env["qms.corrective.action"].with_user(self.quality).create(values)

    def _implement(self, action):
        action.with_user(self.mgmt_rep).action_approve()
        action.with_user(self.production).action_start()
        action.with_user(self.production).implementation_notes = "Foam corners in the packing instruction"
        action.with_user(self.production).action_implemented()
        # the verifying department's evidence (ISO 9001 §10.2), which judging it effective needs
        action.with_user(self.quality).effectiveness_evidence = "No damage in the next ten deliveries"

    def _reply(self, complaint, channel="phone"):
        complaint.with_user(self.sales).write({"reply_text": "<p>We replace the desks.</p>", "reply_channel": channel})
        complaint.with_user(self.sales).action_reply()

    def _to_done(self, complaint, close=True):
        """The shortest way to a closed slip: Quality finds the company not responsible."""
        self._to_quality_review(complaint)
        complaint.with_user(self.quality).write({"quality_disposition": "Within specification",
                                                 "responsibility_finding": "normal_use"})
        complaint.with_user(self.quality).action_confirm_not_responsible()
        complaint.with_user(self.sales).investigation_cause = "Used outdoors"
        complaint.with_user(self.sales).action_investigation_done()
        self._reply(complaint)
        complaint.with_user(self.mgmt_rep).write({"verification_notes": "Explained", "customer_satisfied": "yes"})
        if close:
            complaint.with_user(self.mgmt_rep).action_close()
        return complaint


class QmsCommunicationCommon(QmsCommon):
    """Customers, a product and last year's orders for visits, plans and communications."""

    YEAR = 2030  # far from the demo plan of the current year

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer_a = Partner.create({"name": "Test Customer A", "is_company": True, "user_id": cls.sales.id})
        cls.customer_b = Partner.create({"name": "Test Customer B", "is_company": True})
        cls.contact_a = Partner.create({"name": "Contact of A", "parent_id": cls.customer_a.id})
        cls.customer_new = Partner.create({"name": "Test New Customer", "is_company": True})
        cls.customer_archived = Partner.create({"name": "Test Archived Customer", "is_company": True})
        cls.product = cls.env["product.product"].create({"name": "Test Desk", "list_price": 100.0})
        # confirmed orders last year (A through a contact, and the archived one), a quotation
        # last year (B) and a confirmed order this year (B): only A qualifies by default
        cls._order(cls.contact_a, f"{cls.YEAR - 1}-05-10 10:00:00", confirm=True)
        cls._order(cls.customer_archived, f"{cls.YEAR - 1}-06-10 10:00:00", confirm=True)
        cls._order(cls.customer_b, f"{cls.YEAR - 1}-07-10 10:00:00", confirm=False)
        cls._order(cls.customer_b, f"{cls.YEAR}-01-20 10:00:00", confirm=True)
        cls.customer_archived.active = False

    @classmethod
    def _order(cls, partner, date_order, confirm):
        order = cls.env["sale.order"].create({
            "partner_id": partner.id,
            "order_line": [(0, 0, {"product_id": cls.product.id, "product_uom_qty": 1})],
        })
        if confirm:
            order.action_confirm()
        order.date_order = date_order  # confirming stamps "now"; put it back in its year
        return order

    def _plan(self, year=None, **vals):
        return self.env["qms.communication.plan"].create({"year": year or self.YEAR, "user_id": self.sales.id, **vals})

    def _line(self, plan, partner=None, method="visit_phone", month="3", **vals):
        return self.env["qms.communication.plan.line"].create({
            "plan_id": plan.id, "partner_id": (partner or self.customer_a).id, "method": method, "month": month,
            "user_id": self.sales.id, **vals,
        })

    def _communication(self, partner=None, **vals):
        values = {
            "partner_id": (partner or self.customer_a).id, "communication_type": "visit", "channel": "phone",
            "date": f"{self.YEAR}-03-10 09:00:00", "user_id": self.sales.id,
            "participant_ids": [(6, 0, [self.sales.id])],
        }
        values.update(vals)
        return self.env["qms.communication"].create(values)

    def _visit(self, partner=None, **vals):
        values = {
            "partner_id": (partner or self.customer_a).id, "date_start": f"{self.YEAR}-04-14 09:00:00",
            "date_end": f"{self.YEAR}-04-14 11:30:00", "place": "Meeting room 2",
            "user_id": self.sales.id, "receptionist_ids": [(6, 0, [self.sales.id])],
        }
        values.update(vals)
        return self.env["qms.customer.visit"].create(values)


class QmsHttpCommon(HttpCase, QmsComplaintCommon):
    """The addon as an attacker meets it: each role calls ``/json/2/<model>/<method>`` with its own
    API key, as any external client does. The server runs in the test's transaction, so a refused
    call leaves nothing behind and a test can look at the records afterwards."""

    def setUp(self):
        super().setUp()
        self._api_keys = {}  # a key lives in the test's transaction

    def _api_key(self, user):
        if user.id not in self._api_keys:
            self._api_keys[user.id] = self.env["res.users.apikeys"].with_user(user).sudo(False)._generate(
                scope="rpc", name="attack suite", expiration_date=datetime.now() + timedelta(days=1))
        return self._api_keys[user.id]

    def json2(self, user, model, method, **params):
        """Call ``method`` of ``model`` over /json/2 as ``user``: ``(True, result)`` or
        ``(False, error)`` where error is the server's JSON error (name, message, ...)."""
        self.env.flush_all()
        response = self.url_open(
            f"/json/2/{model}/{method}", data=json.dumps(params),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self._api_key(user)}"})
        self.env.invalidate_all()
        body = response.json()
        if response.status_code == 200:
            return True, body
        return False, body

    def assertRefused(self, user, model, method, message=None, **params):
        """The call is refused with a business error (never an internal error), whose message
        contains ``message`` when given."""
        ok, result = self.json2(user, model, method, **params)
        self.assertFalse(ok, f"{user.login} {model}.{method}({params}) was accepted: {result}")
        self.assertIn(result["name"], REFUSALS, (result["name"], result["message"]))
        if message:
            self.assertIn(message, result["message"])
        return result

    def assertAccepted(self, user, model, method, **params):
        ok, result = self.json2(user, model, method, **params)
        self.assertTrue(ok, not ok and f"{user.login} {model}.{method}({params}) was refused: {result['message']}")
        return result


# What a refusal may be: a message the user can act on, never an internal error.
REFUSALS = (
    "odoo.exceptions.UserError", "odoo.exceptions.ValidationError", "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
)


def migration(version):
    """The ``migrate`` function of the addon's post-migration script for ``version``."""
    path = Path(__file__).resolve().parent.parent / "migrations" / version / "post-migration.py"
    spec = importlib.util.spec_from_file_location(f"qms_customer_migration_{version.replace('.', '_')}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.migrate
