"""Reliability against real faults: concurrent scheduled actions, upgrade with data, uninstall.

Like ``test_install.py`` this drives the real Odoo command line against a database of its own,
a copy of the cached template without demo data (``QMS_TEST_TEMPLATE_NODEMO``, see
odoo_cli.py; skipped without it). The database is built once for the class: qms_customer
installed, then
1. two transactions run the communication-plan reminders at the same time (threads, each with
   its own connection, ordered by events and barriers: no sleeps, no time limits);
2. a few hundred slips with lines, corrective actions, plans and visits are added, the addon is
   upgraded, and every record must still be there unchanged; then it is uninstalled cleanly.
"""
import json
import os

from odoo.tests import BaseCase, tagged

from .odoo_cli import BAD_LOG_LINE, CONF, database_from_template, needs_template
from .odoo_cli import odoo as _odoo
from .odoo_cli import psql as _psql


class ShellFailed(AssertionError):
    pass


def _shell(db, script):
    """Run ``script`` in ``odoo shell`` on ``db``; return the JSON it printed on a ``RESULT`` line."""
    run = _odoo("shell", "-c", CONF, "-d", db, "--no-http", "--shell-interface=python", stdin=script)
    results = [line[len("RESULT "):] for line in run.stdout.splitlines() if line.startswith("RESULT ")]
    if run.returncode != 0 or not results:
        raise ShellFailed(run.stdout[-3000:], run.stderr[-5000:])
    return json.loads(results[-1]), run.stderr


# --- 1. two workers remind at once ----------------------------------------------------------------
CONCURRENT_REMINDERS = r'''
import json, threading, traceback
from datetime import date
from odoo import SUPERUSER_ID, api

registry = env.registry
YEAR, PER_MONTH, WAIT = 2031, 6, 60  # WAIT only guards against a hang; no assertion depends on it
with registry.cursor() as cr:
    e = api.Environment(cr, SUPERUSER_ID, {})
    user = e.ref("base.user_admin")
    partners = e["res.partner"].create([{"name": f"Concurrent Customer {i}", "is_company": True}
                                        for i in range(PER_MONTH)])
    plan = e["qms.communication.plan"].create({"year": YEAR, "user_id": user.id, "line_ids": [
        (0, 0, {"partner_id": p.id, "month": str(m), "user_id": user.id, "method": "visit_phone"})
        for m in range(1, 13) for p in partners]})
    plan.write({"state": "approved"})
    line_ids = plan.line_ids.ids

results, errors = {}, []

def remind(key, month, before=None, after=None):
    try:
        with registry.cursor() as cr:
            e = api.Environment(cr, SUPERUSER_ID, {})
            if before:
                before(e)
            results[key] = e["qms.communication.plan.line"]._cron_remind_due(today=date(YEAR, month, 10)).ids
            if after:
                after(e)
    except Exception:
        errors.append(traceback.format_exc())

def both(first, second):
    threads = [threading.Thread(target=remind, args=args, kwargs=kwargs) for args, kwargs in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT)

# A: the first worker has reminded and not committed yet when the second one runs
a_done, b_done = threading.Event(), threading.Event()
both(((("A1", 1)), {"after": lambda e: (a_done.set(), b_done.wait(WAIT))}),
     ((("A2", 1)), {"before": lambda e: a_done.wait(WAIT), "after": lambda e: b_done.set()}))

# B: the second worker's snapshot predates the first one's commit
snap, committed = threading.Event(), threading.Event()
def take_snapshot(e):
    e.cr.execute("SELECT count(*) FROM qms_communication_plan_line")
    snap.set()
    committed.wait(WAIT)
def first_b():
    snap.wait(WAIT)
    remind("B1", 2)
    committed.set()
threads = [threading.Thread(target=first_b),
           threading.Thread(target=remind, args=("B2", 2), kwargs={"before": take_snapshot})]
for t in threads:
    t.start()
for t in threads:
    t.join(WAIT)

# C: both start together, ten times (months 3 to 12)
for month in range(3, 13):
    barrier = threading.Barrier(2)
    both(((f"C{month}a", month), {"before": lambda e, b=barrier: b.wait(WAIT)}),
         ((f"C{month}b", month), {"before": lambda e, b=barrier: b.wait(WAIT)}))

with registry.cursor() as cr:
    cr.execute("""SELECT res_id, count(*) FROM mail_activity
                  WHERE res_model = 'qms.communication.plan.line' AND res_id = ANY(%s) GROUP BY res_id""",
               [line_ids])
    per_line = dict(cr.fetchall())
print("RESULT " + json.dumps({"results": results, "errors": errors, "lines": len(line_ids),
                              "per_line": {str(k): v for k, v in per_line.items()}}))
'''


# --- 1b. two workers escalate late slips at once (issue 13.1) --------------------------------------
CONCURRENT_ESCALATIONS = r'''
import json, threading, traceback
from datetime import date, timedelta
from odoo import SUPERUSER_ID, api
from odoo.tests import new_test_user

registry = env.registry
WAIT = 60  # only guards against a hang; no assertion depends on it
with registry.cursor() as cr:
    e = api.Environment(cr, SUPERUSER_ID, {})
    supervisor = new_test_user(e, login="esc_supervisor",
                               groups="base.group_user,qms_customer.group_qms_sales_supervisor")
    gm = new_test_user(e, login="esc_gm", groups="base.group_user,qms_customer.group_qms_general_manager")
    e.company.qms_supervisor_user_id = supervisor
    customer = e["res.partner"].create({"name": "Escalation Customer", "is_company": True})
    received = (date.today() - timedelta(days=60)).strftime("%Y-%m-%d 09:00:00")
    slips = e["qms.complaint"].create([{"partner_id": customer.id, "category": "service", "severity": severity,
                                        "received_date": received} for severity in ("minor", "major", "critical")])
    slip_ids, people = slips.ids, [supervisor.id, gm.id]

results, errors = {}, []

def escalate(key, barrier):
    try:
        with registry.cursor() as cr:
            e = api.Environment(cr, SUPERUSER_ID, {})
            barrier.wait(WAIT)
            made = e["qms.complaint"]._cron_escalate_late()
            results[key] = [[x.complaint_id.id, x.user_id.id, x.deadline] for x in made
                            if x.complaint_id.id in slip_ids and x.user_id.id in people]
    except Exception:
        errors.append(traceback.format_exc())

for round_ in ("first", "again"):
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=escalate, args=(f"{round_}_{n}", barrier)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT)

with registry.cursor() as cr:
    cr.execute("""SELECT res_id, user_id, summary, count(*) FROM mail_activity
                  WHERE res_model = 'qms.complaint' AND res_id = ANY(%s) AND user_id = ANY(%s)
                  GROUP BY res_id, user_id, summary""", [slip_ids, people])
    activities = [list(row) for row in cr.fetchall()]
    # the next test counts the slips it fills: these three go (slips are never deleted but by SQL)
    for table, column in (("mail_activity", "res_model"), ("mail_message", "model"),
                          ("mail_followers", "res_model")):
        cr.execute(f"DELETE FROM {table} WHERE {column} = 'qms.complaint' AND res_id = ANY(%s)", [slip_ids])
    cr.execute("DELETE FROM qms_complaint WHERE id = ANY(%s)", [slip_ids])
    cr.execute("UPDATE res_company SET qms_supervisor_user_id = NULL")
print("RESULT " + json.dumps({"results": results, "errors": errors, "activities": activities}))
'''


# --- 2. upgrade with data, then uninstall -----------------------------------------------------------
FILL = r'''
import json
from datetime import date, timedelta
from odoo import SUPERUSER_ID, api
from odoo.tests import new_test_user

SLIPS = 300
with env.registry.cursor() as cr:
    e = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": False, "mail_create_nosubscribe": True})
    Department = e["hr.department"]
    dep_sales, dep_quality, dep_prod = (Department.create({"name": n}) for n in ("Sales", "Quality", "Production"))
    def user(login, group, department):
        u = new_test_user(e, login=login, name=login.title(), groups=f"base.group_user,{group}")
        e["hr.employee"].create({"name": u.name, "user_id": u.id, "department_id": department.id})
        return u
    sales = user("f_sales", "qms_customer.group_qms_sales", dep_sales)
    supervisor = user("f_supervisor", "qms_customer.group_qms_sales_supervisor", dep_sales)
    quality = user("f_quality", "qms_customer.group_qms_quality", dep_quality)
    mgmt_rep = user("f_mgmt_rep", "qms_customer.group_qms_management_representative", dep_quality)
    production = user("f_production", "base.group_user", dep_prod)
    dep_prod.manager_id = production.employee_ids[:1]
    dep_quality.manager_id = quality.employee_ids[:1]
    customers = e["res.partner"].create([{"name": f"Upgrade Customer {i}", "is_company": True} for i in range(20)])
    products = e["product.product"].create([{"name": f"Upgrade Product {i}", "type": "consu"} for i in range(10)])
    slips = e["qms.complaint"].with_user(sales).create([{
        "partner_id": customers[i % 20].id, "channel": "phone", "category": "product",
        "severity": ("minor", "major", "critical")[i % 3], "description": f"<p>Complaint {i}</p>",
        "line_ids": [(0, 0, {"product_id": products[(i + k) % 10].id, "qty_complained": 1 + k,
                             "defect_description": f"defect {k}"}) for k in range(2)],
    } for i in range(SLIPS)])
    walked = slips[::5]
    for slip in walked:
        slip.with_user(sales).action_submit()
        slip.with_user(supervisor).action_supervisor_review()
    for slip in walked[::2]:
        slip.with_user(quality).write({"quality_disposition": "Confirmed", "responsibility_finding": "transport",
                                       "responsible_department_id": dep_prod.id})
        slip.with_user(quality).action_confirm_responsible()
        action = e["qms.corrective.action"].with_user(quality).create({
            "complaint_id": slip.id, "description": "Add foam corners", "root_cause": "No protection",
            "cause_category": "method", "why_1": "Why damaged?", "because_1": "Corners unprotected.",
            "responsible_department_id": dep_prod.id, "implementing_department_id": dep_prod.id,
            "verifying_department_id": dep_quality.id, "date_deadline": date.today() + timedelta(days=30)})
        action.with_user(mgmt_rep).action_approve()
    slips[1::7].with_user(supervisor)._do_cancel("Recorded twice")
    plan = e["qms.communication.plan"].with_user(sales).create({"year": 2032, "line_ids": [
        (0, 0, {"partner_id": c.id, "month": str(1 + i % 12)}) for i, c in enumerate(customers)]})
    plan.with_user(supervisor).action_approve()
    e["qms.customer.visit"].with_user(sales).create([{"partner_id": c.id} for c in customers])
print("RESULT " + json.dumps({"slips": SLIPS}))
'''


def _fingerprint(db):
    """Per table of the addon: row count and a checksum of ids, names and states."""
    tables = _psql(db, "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables "
                       "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name LIKE 'qms\\_%'")
    prints = {}
    for table in tables.split(","):
        cols = set(_psql(db, f"SELECT string_agg(column_name, ',') FROM information_schema.columns "
                             f"WHERE table_name = '{table}'").split(","))
        if "id" not in cols:  # many2many relation tables
            prints[table] = _psql(db, f"SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, '|' ORDER BY "
                                      f"t::text), '')) FROM {table} t")
            continue
        parts = ["id::text"] + [f"coalesce({c}::text, '')" for c in ("name", "state") if c in cols]
        prints[table] = _psql(db, f"SELECT count(*) || ' ' || md5(coalesce(string_agg({' || chr(31) || '.join(parts)}"
                                  f", '|' ORDER BY id), '')) FROM {table}")
    for table, column in (("mail_activity", "res_model"), ("mail_message", "model"), ("mail_followers", "res_model")):
        prints[table] = _psql(db, f"SELECT count(*) FROM {table} WHERE {column} LIKE 'qms.%'")
    return prints


@needs_template
@tagged("post_install", "-at_install")
class TestFaults(BaseCase):
    """No Odoo environment of its own: the command line does everything, in another database.
    The methods share one database and run in name order: the upgrade test uninstalls last."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.installed_db = cls.enterClassContext(database_from_template(f"qms_test_faults_{os.getpid()}"))
        run = _odoo("-c", CONF, "-d", cls.installed_db, "-i", "qms_customer", "--stop-after-init", "--no-http")
        if run.returncode != 0 or BAD_LOG_LINE.findall(run.stderr):
            raise AssertionError(f"installing qms_customer failed: {run.stderr[-3000:]}")

    def test_two_workers_remind_each_activity_once(self):
        out, log = _shell(self.installed_db, CONCURRENT_REMINDERS)
        self.assertEqual(out["errors"], [], out["errors"])
        results, per_line = out["results"], out["per_line"]
        # A: the second worker skips the lines the first one holds
        self.assertEqual((len(results["A1"]), results["A2"]), (6, []), results)
        # B: the second worker cannot see the first one's reminders but must not repeat them
        self.assertEqual((len(results["B1"]), results["B2"]), (6, []), results)
        # C: however they interleave, each line is reminded by exactly one of the two
        for month in range(3, 13):
            first, second = results[f"C{month}a"], results[f"C{month}b"]
            self.assertFalse(set(first) & set(second), (month, first, second))
            self.assertEqual(len(first) + len(second), 6, (month, first, second))
        self.assertEqual((len(per_line), out["lines"]), (72, 72))
        self.assertEqual(set(per_line.values()), {1}, per_line)
        self.assertFalse(BAD_LOG_LINE.findall(log), BAD_LOG_LINE.findall(log)[:10])

    def test_two_workers_escalate_each_late_slip_once(self):
        """Issue 13.1: two workers run the daily escalation at the same moment, twice: each (slip,
        person, deadline) gets one activity, from one of them (18: three slips, each late on its three
        deadlines, to the Sales Supervisor and the General Manager)."""
        out, log = _shell(self.installed_db, CONCURRENT_ESCALATIONS)
        self.assertEqual(out["errors"], [], out["errors"])
        results = {key: {tuple(row) for row in rows} for key, rows in out["results"].items()}
        self.assertFalse(results["first_1"] & results["first_2"], results)
        self.assertEqual(len(results["first_1"] | results["first_2"]), 18, results)
        self.assertEqual((results["again_1"], results["again_2"]), (set(), set()), "never twice")
        late = [row for row in out["activities"] if row[2].startswith("Late")]
        self.assertEqual(len(late), 18, out["activities"])
        self.assertEqual({row[3] for row in late}, {1}, late)
        self.assertFalse(BAD_LOG_LINE.findall(log), BAD_LOG_LINE.findall(log)[:10])

    def test_upgrade_keeps_every_record_then_uninstall_is_clean(self):
        installed_db = self.installed_db
        out, log = _shell(installed_db, FILL)
        self.assertFalse(BAD_LOG_LINE.findall(log), BAD_LOG_LINE.findall(log)[:10])
        self.assertEqual(_psql(installed_db, "SELECT count(*) FROM qms_complaint"), str(out["slips"]))
        self.assertEqual(int(_psql(installed_db, "SELECT count(*) FROM qms_corrective_action")), 30)
        self.assertGreaterEqual(int(_psql(installed_db, "SELECT count(DISTINCT state) FROM qms_complaint")), 4)
        before = _fingerprint(installed_db)
        self.assertEqual(int(before["qms_complaint_line"].split()[0]), 2 * out["slips"])

        run = _odoo("-c", CONF, "-d", installed_db, "-u", "qms_customer", "--stop-after-init", "--no-http")
        self.assertEqual(run.returncode, 0, run.stderr[-3000:])
        self.assertFalse(BAD_LOG_LINE.findall(run.stderr), BAD_LOG_LINE.findall(run.stderr)[:10])
        after = _fingerprint(installed_db)
        self.assertEqual(after, before, {k: (before.get(k), after.get(k)) for k in set(before) | set(after)
                                         if before.get(k) != after.get(k)})

        run = _odoo("module", "uninstall", "-c", CONF, "-d", installed_db, "qms_customer")
        self.assertEqual(run.returncode, 0, run.stderr[-3000:])
        self.assertFalse(BAD_LOG_LINE.findall(run.stderr), BAD_LOG_LINE.findall(run.stderr)[:10])
        self.assertEqual(_psql(installed_db, "SELECT state FROM ir_module_module WHERE name = 'qms_customer'"),
                         "uninstalled")
        self.assertEqual(_psql(installed_db, "SELECT count(*) FROM ir_model_data WHERE module = 'qms_customer'"), "0")
        self.assertEqual(_psql(installed_db, "SELECT count(*) FROM ir_model WHERE model LIKE 'qms.%'"), "0")
        self.assertEqual(_psql(installed_db, "SELECT string_agg(table_name, ',') FROM information_schema.tables "
                                             "WHERE table_schema = 'public' AND table_name LIKE 'qms\\_%'"), "")
        self.assertEqual(_psql(installed_db, "SELECT count(*) FROM mail_activity WHERE res_model LIKE 'qms.%'"), "0")
