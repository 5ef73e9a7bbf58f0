"""Who may read, write, create and delete what: the access control lists and the record rules
taken together, for each role of the procedure and each model of the addon, on representative
records. The expected matrix below is the access as it stood before ``security/ir_rule.xml`` was
rewritten in one style: a refactoring of the rules must leave it unchanged.

The README's access tables are checked against the same matrix, so that a reader who trusts the
README is not misled (``test_readme_access_tables``)."""

import re
from pathlib import Path

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import QmsComplaintCommon

OPERATIONS = (("read", "r"), ("write", "w"), ("create", "c"), ("unlink", "u"))

# role attribute of the test → README column header
ROLES = {
    "employee": "Employee",
    "production": "Acting department",
    "sales": "Sales",
    "supervisor": "Sales Supervisor",
    "quality": "Quality",
    "mgmt_rep": "Management Representative",
    "gm": "General Manager",
    "portal": "Portal customer",
}

# model → README row header
MODELS = {
    "qms.complaint": "Complaint slip",
    "qms.complaint.line": "Slip line",
    "qms.complaint.cost": "Complaint cost",
    "qms.corrective.action": "Corrective action",
    "qms.corrective.action.revision": "Corrective action history",
    "qms.root.cause": "Root cause",
    "qms.complaint.answer": "Answer to the customer",
    "qms.complaint.verdict": "Customer's verdict",
    "qms.complaint.pause": "Waiting for the customer",
    "qms.complaint.escalation": "Escalation of a late slip",
    "qms.annual.report": "Annual report",
    "qms.warranty.policy": "Three guarantees policy",
    "qms.service.request": "Service request",
    "qms.customer.visit": "Customer visit",
    "qms.customer.visit.visitor": "Visitor",
    "qms.customer.requirement": "Customer requirement",
    "qms.communication.plan": "Communication plan",
    "qms.communication.plan.line": "Planned communication",
    "qms.communication": "Customer communication",
    "qms.improvement.notice": "Product improvement notice",
    "qms.improvement.notice.recipient": "Product improvement notice recipient",
    "qms.complaint.cancel": "Wizard: cancel a slip",
    "qms.communication.plan.fill": "Wizard: fill a plan",
    "qms.communication.plan.fill.activity": "Wizard: fill a plan (activity)",
    "qms.remedy.override": "Wizard: override a remedy window",
    "qms.service.acceptance": "Wizard: customer acceptance",
    "qms.evidence.pack": "Evidence pack",
}

# For each model, one line per representative record, one column per role (in the order of
# ROLES): the operations the role may perform on it (r read, w write, c create, u unlink).
# Wizards (transient models) have one line, "model": what the access list allows (the ORM keeps
# each wizard record to the user who made it).
EXPECTED = """
qms.complaint
  by_employee    rwc- ---- rwc- rwcu ---- rwc- r--- r---
  by_sales       ---- ---- rwc- rwcu ---- rwc- r--- r---
  at_action      ---- r--- rwc- rwcu rwc- rwc- r--- r---
  other_customer ---- ---- rwc- rwcu ---- rwc- r--- ----
qms.complaint.line
  by_employee    rwcu ---- rwcu rwcu ---- rwcu r--- r---
  by_sales       ---- ---- rwcu rwcu ---- rwcu r--- r---
  at_action      ---- r--- rwcu rwcu rwcu rwcu r--- r---
  other_customer ---- ---- rwcu rwcu ---- rwcu r--- ----
qms.complaint.cost
  by_employee    r--- ---- rwcu rwcu ---- r--- r--- ----
  by_sales       ---- ---- rwcu rwcu ---- r--- r--- ----
  at_action      ---- r--- rwcu rwcu rwcu r--- r--- ----
  other_customer ---- ---- rwcu rwcu ---- r--- r--- ----
qms.corrective.action
  production     ---- rwc- r--- r--- rwcu rwc- r--- ----
  sales_dept     ---- ---- rwc- rwc- rwcu rwc- r--- ----
qms.corrective.action.revision
  production     ---- r--- r--- r--- r--- r--- r--- ----
  sales_dept     ---- ---- r--- r--- r--- r--- r--- ----
qms.root.cause
  cause          r--- r--- r--- r--- rwcu rwcu r--- ----
qms.complaint.answer
  by_employee    r--- ---- r--- r--- r--- r--- r--- ----
  by_sales       ---- ---- r--- r--- r--- r--- r--- ----
  at_action      ---- r--- r--- r--- r--- r--- r--- ----
  other_customer ---- ---- r--- r--- r--- r--- r--- ----
qms.complaint.verdict
  by_employee    r--- ---- r--- r--- r--- r--- r--- ----
  by_sales       ---- ---- r--- r--- r--- r--- r--- ----
  at_action      ---- r--- r--- r--- r--- r--- r--- ----
  other_customer ---- ---- r--- r--- r--- r--- r--- ----
qms.complaint.pause
  by_employee    r--- ---- r--- r--- r--- r--- r--- ----
  by_sales       ---- ---- r--- r--- r--- r--- r--- ----
  at_action      ---- r--- r--- r--- r--- r--- r--- ----
  other_customer ---- ---- r--- r--- r--- r--- r--- ----
qms.complaint.escalation
  by_employee    r--- ---- r--- r--- r--- r--- r--- ----
  by_sales       ---- ---- r--- r--- r--- r--- r--- ----
  at_action      ---- r--- r--- r--- r--- r--- r--- ----
  other_customer ---- ---- r--- r--- r--- r--- r--- ----
qms.annual.report
  complaint      ---- ---- ---- rwcu rwcu r--- r--- ----
  approved       ---- ---- ---- rwcu rwcu rw-- r--- ----
  satisfaction   ---- ---- ---- ---- ---- rwcu r--- ----
qms.warranty.policy
  policy         r--- r--- r--- rwcu rwcu r--- r--- ----
qms.service.request
  own            rw-- ---- rwcu rwcu r--- r--- r--- ----
  other          ---- ---- rwcu rwcu r--- r--- r--- ----
qms.customer.visit
  received       r--- ---- rwcu rwcu r--- r--- r--- ----
  other          ---- ---- rwcu rwcu r--- r--- r--- ----
qms.customer.visit.visitor
  received       r--- ---- rwcu rwcu r--- r--- r--- ----
  other          ---- ---- rwcu rwcu r--- r--- r--- ----
qms.customer.requirement
  received       r--- ---- rwcu rwcu r--- r--- r--- ----
  other          ---- ---- rwcu rwcu r--- r--- r--- ----
qms.communication.plan
  with_employee  r--- ---- rwcu rwcu r--- r--- r--- ----
  other          ---- ---- rwcu rwcu r--- r--- r--- ----
qms.communication.plan.line
  employee       r--- ---- rwcu rwcu r--- r--- r--- ----
  other          ---- ---- rwcu rwcu r--- r--- r--- ----
qms.communication
  participant    r--- ---- rwcu rwcu r--- r--- r--- ----
  other          ---- ---- rwcu rwcu r--- r--- r--- ----
qms.improvement.notice
  notice         ---- ---- rwc- rwcu rwc- r--- r--- ----
qms.improvement.notice.recipient
  sent_own       ---- ---- rw-- rw-- rw-- r--- r--- r---
  other          ---- ---- rw-- rw-- rw-- r--- r--- ----
qms.complaint.cancel
  model          ---- ---- ---- rwc- ---- ---- ---- ----
qms.communication.plan.fill
  model          ---- ---- rwc- rwc- ---- ---- ---- ----
qms.communication.plan.fill.activity
  model          ---- ---- rwcu rwcu ---- ---- ---- ----
qms.remedy.override
  model          ---- ---- ---- ---- rwc- ---- ---- ----
qms.service.acceptance
  model          rwc- rwc- rwc- rwc- rwc- rwc- rwc- ----
qms.evidence.pack
  by_quality     ---- ---- ---- ---- rwcu r-c- r-c- ----
  by_mgmt_rep    ---- ---- ---- ---- r-c- rwcu r-c- ----
  by_gm          ---- ---- ---- ---- r-c- r-c- rwcu ----
"""

README = Path(__file__).resolve().parent.parent / "README.md"


@tagged("post_install", "-at_install")
class TestAccessMatrix(QmsComplaintCommon):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.portal_contact = env["res.partner"].create({"name": "Pat Portal", "parent_id": cls.customer.id,
                                                        "email": "pat@example.com"})
        cls.portal = new_test_user(env, login="t_portal_matrix", groups="base.group_portal",
                                   partner_id=cls.portal_contact.id)
        # a second company every user may switch to: with only it active, the company rules hide all
        cls.company_2 = env["res.company"].create({"name": "Test Second Company"})
        for role in ROLES:
            getattr(cls, role).company_ids = [Command.link(cls.company_2.id)]
        cls.records = cls._representative_records()

    @classmethod
    def _representative_records(cls):
        env = cls.env
        su = env["qms.complaint"].sudo()
        line = cls.order.order_line[0]

        def slip(user, partner=None, order=None):
            return su.with_user(user).sudo().create({
                "partner_id": (partner or cls.customer).id, "sale_order_id": (order or cls.order).id,
                "category": "product",
                "line_ids": [(0, 0, {"sale_line_id": (order.order_line[0] if order else line).id,
                                     "qty_complained": 1})]})

        by_employee = slip(cls.employee)
        by_sales = slip(cls.sales)
        at_action = slip(cls.sales)
        other_customer = slip(cls.sales, cls.other_customer, cls.other_order)
        # the slip stands at corrective actions, with Production responsible and one action
        cls.env.cr.execute("UPDATE qms_complaint SET state = 'action', responsible_department_id = %s WHERE id = %s",
                           (cls.dep_production.id, at_action.id))
        at_action.invalidate_recordset()
        Action = env["qms.corrective.action"].sudo()
        action_values = {"complaint_id": at_action.id, "description": "Foam corners", "root_cause": "No foam",
                         "date_deadline": "2030-01-31"}
        production = Action.create({**action_values, "responsible_department_id": cls.dep_production.id,
                                    "implementing_department_id": cls.dep_production.id,
                                    "verifying_department_id": cls.dep_production.id})
        sales_dept = Action.create({**action_values, "responsible_department_id": cls.dep_sales.id,
                                    "implementing_department_id": cls.dep_sales.id,
                                    "verifying_department_id": cls.dep_quality.id})
        Revision = env["qms.corrective.action.revision"].sudo()
        Answer = env["qms.complaint.answer"].sudo()
        answers = {
            name: Answer.create({"complaint_id": slip.id, "date": "2030-05-02 10:00:00", "user_id": cls.sales.id,
                                 "channel": "phone", "answer": "<p>Replaced.</p>"})
            for name, slip in (("by_employee", by_employee), ("by_sales", by_sales), ("at_action", at_action),
                               ("other_customer", other_customer))}

        Report = env["qms.annual.report"].sudo()
        approved = Report.create({"kind": "complaint", "year": 2031})
        cls.env.cr.execute("UPDATE qms_annual_report SET state = 'approved' WHERE id = %s", (approved.id,))
        approved.invalidate_recordset()

        Visit = env["qms.customer.visit"].sudo()
        visit_values = {"partner_id": cls.customer.id, "date_start": "2030-04-14 09:00:00",
                        "date_end": "2030-04-14 10:00:00", "user_id": cls.sales.id}
        received = Visit.create({**visit_values, "receptionist_ids": [Command.set(cls.employee.ids)]})
        other_visit = Visit.create({**visit_values, "receptionist_ids": [Command.set(cls.sales.ids)]})
        Visitor = env["qms.customer.visit.visitor"].sudo()
        Requirement = env["qms.customer.requirement"].sudo()

        Plan = env["qms.communication.plan"].sudo()
        with_employee = Plan.create({"year": 2030, "user_id": cls.sales.id})
        other_plan = Plan.create({"year": 2031, "user_id": cls.sales.id})
        PlanLine = env["qms.communication.plan.line"].sudo()
        line_values = {"plan_id": with_employee.id, "partner_id": cls.customer.id, "month": "3"}
        employee_line = PlanLine.create({**line_values, "user_id": cls.employee.id})
        other_line = PlanLine.create({**line_values, "plan_id": other_plan.id, "user_id": cls.sales.id})
        Communication = env["qms.communication"].sudo()
        communication_values = {"partner_id": cls.customer.id, "communication_type": "visit", "channel": "phone",
                                "date": "2030-03-10 09:00:00", "user_id": cls.sales.id}
        # a product improvement notice (4.4.2) of an action judged effective, sent to the customer
        notice_action = Action.create({**action_values, "responsible_department_id": cls.dep_sales.id,
                                       "implementing_department_id": cls.dep_sales.id,
                                       "verifying_department_id": cls.dep_quality.id})
        cls.env.cr.execute("UPDATE qms_corrective_action SET state = 'effective' WHERE id = %s", (notice_action.id,))
        notice_action.invalidate_recordset()
        notice = env["qms.improvement.notice"].sudo().create({
            "action_id": notice_action.id, "product_ids": [Command.set(cls.product_a.ids)], "date_from": "2030-01-01",
            "date_to": "2030-12-31", "subject": "Better desks", "message": "<p>Foam corners</p>"})
        NoticeRecipient = env["qms.improvement.notice.recipient"].sudo()
        notice_sent_own = NoticeRecipient.create({"notice_id": notice.id, "partner_id": cls.customer.id, "sent": True})
        notice_other = NoticeRecipient.create({"notice_id": notice.id, "partner_id": cls.other_customer.id})
        return {
            "qms.complaint": {"by_employee": by_employee, "by_sales": by_sales, "at_action": at_action,
                              "other_customer": other_customer},
            "qms.complaint.line": {"by_employee": by_employee.line_ids, "by_sales": by_sales.line_ids,
                                   "at_action": at_action.line_ids, "other_customer": other_customer.line_ids},
            "qms.complaint.cost": {
                name: env["qms.complaint.cost"].sudo().create({
                    "complaint_id": slip.id, "kind": "freight", "amount": 25.0})
                for name, slip in (("by_employee", by_employee), ("by_sales", by_sales), ("at_action", at_action),
                                   ("other_customer", other_customer))},
            "qms.corrective.action": {"production": production, "sales_dept": sales_dept},
            "qms.corrective.action.revision": {
                "production": Revision.create({"action_id": production.id, "revision": 1}),
                "sales_dept": Revision.create({"action_id": sales_dept.id, "revision": 1})},
            "qms.root.cause": {"cause": env["qms.root.cause"].sudo().create({"name": "Packing", "category": "method"})},
            "qms.complaint.answer": answers,
            "qms.complaint.verdict": {
                name: env["qms.complaint.verdict"].sudo().create({
                    "complaint_id": answer.complaint_id.id, "answer_id": answer.id, "partner_id": cls.customer.id,
                    "date": "2030-05-03 10:00:00", "verdict": "accepted", "handling_score": 4})
                for name, answer in answers.items()},
            "qms.complaint.pause": {
                name: env["qms.complaint.pause"].sudo().create({
                    "complaint_id": slip.id, "reason": "Sample", "date_start": "2030-05-02 10:00:00"})
                for name, slip in (("by_employee", by_employee), ("by_sales", by_sales), ("at_action", at_action),
                                   ("other_customer", other_customer))},
            "qms.complaint.escalation": {
                name: env["qms.complaint.escalation"].sudo().create({
                    "complaint_id": slip.id, "user_id": cls.supervisor.id, "deadline": "ack"})
                for name, slip in (("by_employee", by_employee), ("by_sales", by_sales), ("at_action", at_action),
                                   ("other_customer", other_customer))},
            "qms.annual.report": {"complaint": Report.create({"kind": "complaint", "year": 2030}),
                                  "approved": approved,
                                  "satisfaction": Report.create({"kind": "satisfaction", "year": 2030})},
            "qms.warranty.policy": {"policy": env["qms.warranty.policy"].sudo().create({"name": "Desks"})},
            "qms.service.request": {
                "own": env["qms.service.request"].sudo().create({"partner_id": cls.customer.id,
                                                                 "technician_id": cls.employee.id}),
                "other": env["qms.service.request"].sudo().create({"partner_id": cls.customer.id,
                                                                   "technician_id": cls.sales.id})},
            "qms.customer.visit": {"received": received, "other": other_visit},
            "qms.customer.visit.visitor": {"received": Visitor.create({"visit_id": received.id, "name": "Ann"}),
                                           "other": Visitor.create({"visit_id": other_visit.id, "name": "Bob"})},
            "qms.customer.requirement": {
                "received": Requirement.create({"visit_id": received.id, "description": "Blue"}),
                "other": Requirement.create({"visit_id": other_visit.id, "description": "Red"})},
            "qms.communication.plan": {"with_employee": with_employee, "other": other_plan},
            "qms.communication.plan.line": {"employee": employee_line, "other": other_line},
            "qms.communication": {
                "participant": Communication.create({**communication_values,
                                                     "participant_ids": [Command.set(cls.employee.ids)]}),
                "other": Communication.create({**communication_values,
                                               "participant_ids": [Command.set(cls.sales.ids)]})},
            "qms.improvement.notice": {"notice": notice},
            "qms.improvement.notice.recipient": {"sent_own": notice_sent_own, "other": notice_other},
            # issue 14.6: each pack role's own request
            "qms.evidence.pack": {
                name: env["qms.evidence.pack"].create({"date_from": "2030-01-01", "date_to": "2030-12-31",
                                                       "requester_id": user.id})
                for name, user in (("by_quality", cls.quality), ("by_mgmt_rep", cls.mgmt_rep), ("by_gm", cls.gm))},
        }

    # --- the matrix ---------------------------------------------------------------------------

    def _cell(self, user, model, record, company=None):
        env = self.env(user=user)
        if company:
            env = env(context=dict(env.context, allowed_company_ids=[company.id]))
        records = env[model].browse(record.ids) if record is not None else env[model]
        return "".join(letter if records.has_access(operation) else "-" for operation, letter in OPERATIONS)

    def _matrix(self, company=None):
        """{model: {record label: [cell per role]}}, transient models on their access list."""
        matrix = {}
        for model in MODELS:
            rows = self.records.get(model) or {"model": None}
            matrix[model] = {label: [self._cell(getattr(self, role), model, record, company) for role in ROLES]
                             for label, record in rows.items()}
        return matrix

    @staticmethod
    def _format(matrix):
        lines = [""]
        for model, rows in matrix.items():
            lines.append(model)
            lines.extend(f"  {label:<14} {' '.join(cells)}" for label, cells in rows.items())
        return "\n".join(lines) + "\n"

    def test_access_matrix(self):
        """Each role's access to each model, record by record, is the one recorded above."""
        actual = self._format(self._matrix())
        self.assertEqual(actual, EXPECTED, f"the access is now:{actual}")

    def test_company_rules_hide_other_companies(self):
        """With only another company active, no role reaches any record of this one."""
        for model, rows in self._matrix(self.company_2).items():
            if model in self.records:
                for label, cells in rows.items():
                    self.assertEqual(set(cells), {"----"}, f"{model} {label} reached from another company")

    def test_representative_records_differ(self):
        """Each record of the matrix is there for a reason: the rows of a model are not all alike
        (else a rule that hides some records would go unnoticed)."""
        for model, rows in self._matrix().items():
            if len(rows) > 1:
                self.assertGreater(len({tuple(cells) for cells in rows.values()}), 1, model)

    def test_rules_grant_only_what_the_access_lists_give(self):
        """A rule switches on only operations that a group it applies to (or a group implying
        one of them) may perform by the access lists: no permission that can never be used."""
        rules = self.env["ir.rule"].search([("model_id.model", "in", list(MODELS)), ("global", "=", False)])
        self.assertTrue(rules)
        for rule in rules:
            holders = rule.groups | rule.groups.all_implied_by_ids
            acls = self.env["ir.model.access"].search([("model_id", "=", rule.model_id.id)])
            for operation, _letter in OPERATIONS:
                if not rule[f"perm_{operation}"]:
                    continue
                self.assertTrue(
                    any(acl[f"perm_{operation}"] and (not acl.group_id or acl.group_id in holder.all_implied_ids)
                        for acl in acls for holder in holders),
                    f"{rule.name}: grants {operation}, which no group it applies to has")

    # --- the README ---------------------------------------------------------------------------

    @staticmethod
    def _summary(cells):
        """One README cell from the cells of a model's representative records for one role:
        an operation in capitals when allowed on every record, in small letters when on some."""
        out = ""
        for index, (_operation, letter) in enumerate(OPERATIONS):
            allowed = [cell[index] != "-" for cell in cells]
            code = "D" if letter == "u" else letter.upper()
            out += code if all(allowed) else code.lower() if any(allowed) else ""
        return out or "-"

    def _readme_tables(self):
        """The README's access tables: those whose header starts with "record"."""
        tables, current = [], None
        for line in README.read_text(encoding="utf-8").splitlines():
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")] if line.startswith("|") else None
            if cells and cells[0] == "record":
                current = {"roles": cells[1:], "rows": {}}
                tables.append(current)
            elif cells and current is not None:
                if not re.fullmatch(r"[-: ]+", "".join(cells)):
                    current["rows"][cells[0]] = cells[1:]
            else:
                current = None
        return tables

    def test_readme_access_tables(self):
        """Every access table of the README (header "record | <role> | ...") says what the access
        lists and rules allow: a role written as reading only cannot write, and so on. The whole
        table lists every model and every role."""
        matrix = self._matrix()
        role_by_header = {header: index for index, header in enumerate(ROLES.values())}
        model_by_header = {header: model for model, header in MODELS.items()}
        tables = self._readme_tables()
        self.assertTrue(tables, "README.md has no access table")
        expected_lines = []
        for model, header in MODELS.items():
            row = [self._summary([cells[index] for cells in matrix[model].values()]) for index in range(len(ROLES))]
            expected_lines.append(f"| {header} | " + " | ".join(row) + " |")
        full = "\n".join(expected_lines)
        self.assertTrue(any(set(table["rows"]) == set(MODELS.values()) and table["roles"] == list(ROLES.values())
                            for table in tables), f"README.md has no full access table; it reads:\n{full}")
        for table in tables:
            for role in table["roles"]:
                self.assertIn(role, role_by_header, f"README access table: unknown role {role!r}")
            for header, cells in table["rows"].items():
                self.assertIn(header, model_by_header, f"README access table: unknown record {header!r}")
                model = model_by_header[header]
                for role, cell in zip(table["roles"], cells, strict=True):
                    index = role_by_header[role]
                    actual = self._summary([row[index] for row in matrix[model].values()])
                    self.assertEqual(cell, actual, f"README: {header} / {role}; the access lists and rules "
                                                   f"allow {actual!r}. The full table reads:\n{full}")

    def test_readme_roles_table(self):
        """The README's "Roles" table describes roles of the access table, and what it says of
        their reach over records holds: each claim below must stay in the table and be true."""
        text = README.read_text(encoding="utf-8")
        section = text.split("## Roles", 1)[1].split("\n## ", 1)[0]
        rows = {m.group(1).split(" (")[0]: m.group(2)
                for m in re.finditer(r"^\| ([^|]+?) \| ([^|]+?) \|$", section, re.M)}
        rows.pop("role", None)
        self.assertLessEqual(set(rows), set(ROLES.values()))
        self.assertEqual(len(rows), 6, rows)
        matrix = self._matrix()
        index = {header: i for i, header in enumerate(ROLES.values())}

        def summary(role, model):
            return self._summary([cells[index[role]] for cells in matrix[model].values()])

        claims = [  # (role, words of its row, model, letters its access must show)
            ("Employee", "record a complaint, follow what they recorded", "qms.complaint", "rwc"),
            ("Employee", "work on corrective actions of their departments", "qms.corrective.action", ""),
            ("Acting department", "the department named responsible for a slip reads it", "qms.complaint", "r"),
            ("Acting department", "proposes its corrective actions", "qms.corrective.action", "rwc"),
            ("Sales", "see all slips", "qms.complaint", "RWC"),
            ("Quality", "(from the quality review on)", "qms.complaint", "rwc"),
            ("Quality", "propose corrective actions", "qms.corrective.action", "RWC"),
            ("Management Representative", "approve each corrective action", "qms.corrective.action", "RW"),
            ("Management Representative", "close slips", "qms.complaint", "RW"),
        ]
        for role, words, model, letters in claims:
            row_role = "Employee" if role == "Acting department" else role
            self.assertIn(words, rows[row_role], f"README Roles table, {row_role}: the words {words!r} are gone")
            for letter in letters:
                self.assertIn(letter, summary(role, model), f"README Roles: {role} {words!r} on {model}")
        # "read everything": the General Manager reads every record of every model with records
        for model in self.records:
            self.assertTrue(summary("General Manager", model).startswith("R"), model)
        self.assertIn("read everything", rows["General Manager"])
