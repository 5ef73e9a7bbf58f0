"""Benchmark of qms_customer: ratios measured in one run against Odoo's own models.

Run through ``tools/bench`` (it builds the database and starts the HTTP server the PDF engine
needs). Everything here talks to the database through the ORM of one registry; the filling of
large sizes is plain SQL producing valid rows (stamps matching states, dates over five years).
"""
import argparse
import datetime
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

COMPLAINT_STATES = ["draft", "supervisor_review", "quality_review", "action", "investigation", "reply",
                    "verification", "done", "cancel"]


def measure(env, func, repeat=5):
    """Median (time in ms, queries) of ``repeat`` warm runs; the transaction is rolled back after each."""
    func()  # warm the caches of the registry (views, rules, translations)
    env.cr.rollback()
    times, queries = [], []
    for _ in range(repeat):
        env.invalidate_all()
        q0 = env.cr.sql_log_count
        t0 = time.perf_counter()
        func()
        env.flush_all()
        times.append((time.perf_counter() - t0) * 1000)
        queries.append(env.cr.sql_log_count - q0)
        env.cr.rollback()
    return statistics.median(times), int(statistics.median(queries))


def list_spec(env, model):
    """The field specification the web client sends for the default list view of ``model``."""
    views = env[model].get_views([(False, "list")])
    spec = {}
    for name, field in views["models"][model]["fields"].items():
        if field["type"] == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif field["type"] in ("one2many", "many2many"):
            spec[name] = {"fields": {}}
        else:
            spec[name] = {}
    return spec


# --- filling ------------------------------------------------------------------------------------
def fill(env, size, salesman):
    cr = env.cr
    cr.execute("SELECT count(*) FROM qms_complaint")
    have = cr.fetchone()[0]
    if have >= size:
        return
    company = env.ref("base.main_company").id
    cr.execute("SELECT array_agg(id) FROM res_partner WHERE is_company AND active AND company_id IS NULL")
    partners = cr.fetchone()[0]
    users = [env.ref(x).id for x in ("qms_customer.user_sales", "qms_customer.user_sales_supervisor",
                                     "qms_customer.user_quality", "base.user_admin")]
    production = env.ref("qms_customer.user_production").id
    cr.execute("SELECT array_agg(id) FROM product_product WHERE active LIMIT 1")
    products = cr.fetchone()[0][:20]
    dep_prod, dep_quality = env.ref("qms_customer.dep_production").id, env.ref("qms_customer.dep_quality").id
    cr.execute("SELECT coalesce(max(id), 0) FROM qms_complaint")
    last = cr.fetchone()[0]
    past = {
        "submitted_date": COMPLAINT_STATES[1:8], "supervisor_date": COMPLAINT_STATES[2:8],
        "quality_date": COMPLAINT_STATES[3:8], "investigation_date": ["reply", "verification", "done"],
        "reply_date": ["verification", "done"], "verified_date": ["done"], "cancelled_date": ["cancel"],
    }
    stamps = ", ".join(f"CASE WHEN st IN %s THEN rd + interval '{i + 1} hours' END"
                       for i, _name in enumerate(past))
    cr.execute(f"""
        INSERT INTO qms_complaint (name, company_id, state, partner_id, commercial_partner_id, channel,
            received_by_id, received_date, severity, category, customer_request, date_deadline, description,
            company_responsible, days_to_close, create_uid, create_date, write_uid, write_date,
            {", ".join(past)})
        SELECT 'BENCH/' || lpad(g::text, 7, '0'), %s, st, p, p,
               (ARRAY['visit','phone','letter','email','online'])[1 + g %% 5],
               CASE WHEN g %% 50 = 0 THEN %s ELSE (%s::int[])[1 + g %% %s] END, rd,
               (ARRAY['minor','major','critical'])[1 + g %% 3],
               (ARRAY['product','delivery','service','documentation'])[1 + g %% 4],
               (ARRAY['repair','replacement','refund','explanation'])[1 + g %% 4],
               (rd + interval '30 days')::date, '<p>Bench complaint ' || g || '</p>',
               st = 'action', 0, 1, rd, 1, rd, {stamps}
        FROM (SELECT g, (%s::text[])[1 + g %% 9] AS st, (%s::int[])[1 + g %% %s] AS p,
                     now() - make_interval(hours => (g * 7919) %% (5 * 365 * 24)) AS rd
              FROM generate_series(%s, %s) g) s
    """, (company, production, users, len(users), *[tuple(states) for states in past.values()],
          COMPLAINT_STATES, partners, len(partners), have + 1, size))
    # issue 13.1: the clocks of the open slips, as the ORM computes them (1 / 7 / 30 days here): the
    # receptions span five years, so most open slips are late, as they would be in a neglected database
    cr.execute("""
        UPDATE qms_complaint SET deadline_ack = (received_date + interval '1 day')::date,
               deadline_answer = (received_date + interval '9 days')::date,
               deadline_close = (received_date + interval '42 days')::date,
               ack_status = 'running', answer_status = 'running', close_status = 'running',
               next_deadline = CASE WHEN state NOT IN ('done', 'cancel')
                                    THEN (received_date + interval '1 day')::date END
        WHERE id > %s""", (last,))
    cr.execute("""
        INSERT INTO qms_complaint_line (complaint_id, company_id, sequence, product_id, qty_complained,
            qty_returned, uom_id, defect_description, create_uid, create_date, write_uid, write_date)
        SELECT c.id, c.company_id, 10 * k, pp.id, 1 + (c.id + k) %% 5, 0, pt.uom_id, 'defect ' || k,
               1, c.create_date, 1, c.create_date
        FROM qms_complaint c CROSS JOIN generate_series(1, 2) k
        JOIN product_product pp ON pp.id = (%s::int[])[1 + (c.id + k) %% %s]
        JOIN product_template pt ON pt.id = pp.product_tmpl_id
        WHERE c.id > %s
    """, (products, len(products), last))
    cr.execute("""
        INSERT INTO qms_corrective_action (name, complaint_id, company_id, partner_id, state, description,
            action_type, responsible_department_id, implementing_department_id, verifying_department_id, user_id,
            date_deadline, revision, create_uid, create_date, write_uid, write_date)
        SELECT 'BCA/' || c.id, c.id, c.company_id, c.partner_id, 'draft', 'Bench corrective action', 'corrective',
               %s, %s, %s, 1, (c.received_date + interval '20 days')::date, 1, 1, c.create_date, 1, c.create_date
        FROM qms_complaint c WHERE c.id > %s AND c.state = 'action'
    """, (dep_prod, dep_prod, dep_quality, last))
    # what the ORM stores for the employees' read rule: the departments of each slip's actions
    cr.execute("""
        INSERT INTO qms_complaint_action_department_rel (complaint_id, department_id)
        SELECT DISTINCT a.complaint_id, d.id
        FROM qms_corrective_action a, unnest(ARRAY[a.responsible_department_id, a.implementing_department_id,
                                                   a.verifying_department_id]) d(id)
        WHERE a.complaint_id > %s AND d.id IS NOT NULL
        ON CONFLICT DO NOTHING
    """, (last,))
    # as many sales orders as complaints, copies of a demo order with dates over the same years
    cr.execute("SELECT count(*) FROM sale_order")
    orders = cr.fetchone()[0]
    if orders < size:
        # one order in eight is the restricted salesman's own (the department employee may see ~13 %
        # of the slips): Odoo's "own documents only" rule then has as much to skip as the slips' rule
        cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'sale_order' "
                   "AND column_name NOT IN ('id', 'name', 'user_id', 'date_order', 'create_date', 'write_date')")
        cols = [row[0] for row in cr.fetchall()]
        tpl = env.ref("sale.sale_order_4").id
        quoted = ", ".join(f'"{c}"' for c in cols)
        cr.execute(f"""
            INSERT INTO sale_order ({quoted}, name, user_id, date_order, create_date, write_date)
            SELECT {", ".join(f't."{c}"' for c in cols)}, 'SB' || lpad(g::text, 7, '0'),
                   CASE WHEN g %% 8 = 0 THEN %s ELSE t.user_id END, d, d, d
            FROM sale_order t, generate_series(%s, %s) g,
                 LATERAL (SELECT now() - make_interval(hours => (g * 7919) %% (5 * 365 * 24)) AS d) x
            WHERE t.id = %s
        """, (salesman, orders + 1, size, tpl))
    cr.execute("ANALYZE qms_complaint; ANALYZE qms_complaint_line; ANALYZE qms_corrective_action; "
               "ANALYZE qms_complaint_action_department_rel; ANALYZE sale_order")
    cr.commit()


def restricted_salesman(env):
    """Odoo's own restricted salesman: only *Sales / User: Own Documents Only* (and what it implies)."""
    Users = env["res.users"].with_context(no_reset_password=True)
    user = Users.search([("login", "=", "bench_salesman")])
    return user or Users.create({
        "name": "Bench restricted salesman", "login": "bench_salesman",
        "group_ids": [(6, 0, [env.ref("sales_team.group_sale_salesman").id])]})


# --- the measurements ---------------------------------------------------------------------------
def run(args):
    config.parse_config(["-c", args.conf, "-d", args.db, "--log-level=warn"])
    registry = Registry(args.db)
    rows, notes = [], []

    def row(what, size, value, target, ok):
        rows.append((what, size, value, target, "yes" if ok else "**no**"))
        print(f"{what:<62} {size:>8} {value:>34} {target:>16} {'ok' if ok else 'MISSED'}", flush=True)

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        sales = env.ref("qms_customer.user_sales")
        gm = env.ref("qms_customer.user_gm")
        production = env.ref("qms_customer.user_production")
        partner = env.ref("base.res_partner_2")
        product = env["product.product"].search([], limit=1)
        line = {"product_id": product.id, "qty_complained": 2, "defect_description": "scratched"}

        def vals():  # fresh dicts: create() writes the slip number into them
            return {"partner_id": partner.id, "category": "product", "description": "<p>bench</p>",
                    "line_ids": [(0, 0, dict(line)), (0, 0, dict(line, qty_complained=1))]}
        Complaint = env["qms.complaint"]
        spec_c, spec_s = list_spec(env, "qms.complaint"), list_spec(env, "sale.order")
        salesman = restricted_salesman(env)
        cr.commit()
        first = args.sizes[0]

        fill(env, first, salesman.id)
        # 1. creating through the UI path, 1 and 50 in one call
        t1, q1 = measure(env, lambda: Complaint.with_user(sales).web_save(vals(), {"name": {}, "state": {}}))
        t50, q50 = measure(env, lambda: Complaint.with_user(sales).create([vals() for _i in range(50)]), repeat=3)
        per = (q50 - q1) / 49
        row("create 1 complaint + 2 lines (web_save, Sales)", first, f"{q1} queries, {t1:.0f} ms", "-", True)
        row("create 50 in one call: extra queries per record", first,
            f"{q50} q, {t50:.0f} ms ({per:.1f} q/rec)", "<= 2 q/rec", per <= 2)
        if per > 2:
            notes.append(f"create(50): {per:.1f} queries per extra record: mail.thread (creation message, "
                         "followers, tracking values) and the per-company sequence are per record.")

        if args.peers:
            peers(env, row, notes, first, vals, spec_c)

        # 2. the list, its rule overhead and the pivot, at each size
        pivot, recording, cost = {}, {}, {}
        cost_report = cost_year(env)
        for size in args.sizes:
            fill(env, size, salesman.id)
            cost[size] = cost_rollup(env, cost_report)
            tc, qc = measure(env, lambda: Complaint.with_user(admin).web_search_read(
                [], spec_c, limit=80, count_limit=10001))
            ts, qs = measure(env, lambda: env["sale.order"].with_user(admin).web_search_read(
                [], spec_s, limit=80, count_limit=10001))
            row("complaint list 80 rows / sale.order list (admin)", size,
                f"{tc:.0f}/{ts:.0f} ms = {tc / ts:.2f}x ({qc}/{qs} q)", "<= 1.0x", tc / ts <= 1.0)
            # issue 13.1: the late slips (the search view's "Late" filter) against the plain list, same run
            late = [("next_deadline", "<", datetime.date.today().isoformat())]
            tl, ql = measure(env, lambda late=late: Complaint.with_user(admin).web_search_read(
                late, spec_c, limit=80, count_limit=10001))
            tc2, qc2 = measure(env, lambda: Complaint.with_user(admin).web_search_read(
                [], spec_c, limit=80, count_limit=10001))
            row("late slips list 80 rows / complaint list (admin)", size,
                f"{tl:.0f}/{tc2:.0f} ms = {tl / tc2:.2f}x ({ql}/{qc2} q)", "<= 1.0x", tl / tc2 <= 1.0)
            tg, _qg = measure(env, lambda: Complaint.with_user(gm).web_search_read(
                [], spec_c, limit=80, count_limit=10001))
            te, qe = measure(env, lambda: Complaint.with_user(production).web_search_read(
                [], spec_c, limit=80, count_limit=10001))
            tr, qr = measure(env, lambda: env["sale.order"].with_user(salesman).web_search_read(
                [], spec_s, limit=80, count_limit=10001))
            row("complaint list: department employee / General Manager", size,
                f"{te:.0f}/{tg:.0f} ms = {te / tg:.2f}x", "<= 1.2x", te / tg <= 1.2)
            row("complaint list: department employee / restricted salesman (sale.order)", size,
                f"{te:.0f}/{tr:.0f} ms = {te / tr:.2f}x ({qe}/{qr} q)", "<= 1.0x", te / tr <= 1.0)
            if te / tr > 1.0 and size == args.sizes[-1]:
                notes.append("restricted salesman: Odoo's own-documents rule on sale.order is one indexed "
                             "condition on the order (`user_id` = me or empty), where the slips' rule for a "
                             "department employee is an OR of three: created by them, received by them, or an "
                             "action of their department (stored on the slip); both users see about one record "
                             "in eight here. Not worked on in this change (the measure only).")
            if te / tg > 1.2 and size == args.sizes[-1]:
                notes.append("department employee: the list's count (up to 10,001) tests slip after slip until it "
                             "has 10,001 the employee may see (13 % of the slips here: 2 % received by them, 11 % "
                             "with an action of their department) and so reads ~78 % of the table, where the "
                             "General Manager's count stops after the first 10,001 rows. The rule itself is one "
                             "hashed lookup in the stored action departments (no JIT compilation since). Tried: a "
                             "bitmap plan over indexes on the three conditions counts ~4 ms faster but needs SQL the "
                             "ORM does not write, and makes the page query ~9x slower.")
            pivot[size] = measure(env, lambda: Complaint.with_user(gm).formatted_read_group(
                [], ["received_date:month", "state"], ["__count"]))
            recording[size] = recurrence_matching(env, size, sales, vals)
        for size, (t_create, q_create, t_match, q_match, matched) in recording.items():
            t_first, q_first, _t, q_match_first, _found = recording[first]
            ok = q_create == q_first and q_match == q_match_first and t_create / t_first <= 1.2
            row("recurrence matching when recording a slip (create / matching)", size,
                f"{t_create:.0f} ms, {q_create} q / {t_match:.1f} ms, {q_match} q, {matched} flagged",
                f"same q, <= 1.2x of {first}", ok)
            if not ok and size == args.sizes[-1]:
                notes.append(f"recurrence matching: recording a slip at {size} costs {t_create / t_first:.2f}x "
                             f"the time at {first} ({q_create}/{q_first} queries; the matching itself "
                             f"{q_match} queries); the actions found grow with the slips of the look-back.")
        # issue 14: the yearly summary's cost of poor quality, for a year whose slips do not change
        # (COST_YEAR_SLIPS loaded once) while the database grows around it; and for the last full
        # year of the fill, which grows with the database (a fifth of the slips), for the record
        for size, (t_fixed, q_fixed, t_last, q_last, n_last) in cost.items():
            t_first, q_first, t_last_first, _q, _n = cost[first]
            ok = q_fixed == q_first and t_fixed / t_first <= 1.5
            row(f"cost roll-up of one year ({COST_YEAR_SLIPS} slips) / at {first}", size,
                f"{t_fixed:.1f}/{t_first:.1f} ms = {t_fixed / t_first:.2f}x ({q_fixed}/{q_first} q)",
                "same q, <= 1.5x", ok)
            row("cost roll-up of the last full year of the fill (grows with it)", size,
                f"{n_last} slips, {t_last:.1f} ms, {q_last} q = {t_last / t_last_first:.2f}x of {first}", "-", True)
            if not ok and size == args.sizes[-1]:
                notes.append(f"cost roll-up: one year of {COST_YEAR_SLIPS} slips costs {t_fixed / t_first:.2f}x at "
                             f"{size} the time at {first} ({q_fixed}/{q_first} queries).")
        small, big = pivot[args.sizes[0]], pivot[args.sizes[-1]]
        ok = big[1] == small[1] and big[0] / small[0] <= 1.5
        row(f"pivot month x state {args.sizes[-1]} / {args.sizes[0]}", args.sizes[-1],
            f"{big[0]:.0f}/{small[0]:.0f} ms = {big[0] / small[0]:.1f}x ({big[1]}/{small[1]} q)",
            "same q, <= 1.5x", ok)
        if not ok:
            notes.append("pivot: grouping reads every slip of the domain; its cost is linear in the number of "
                         "slips (Odoo's sale.order pivot grows the same way). An index cannot avoid reading "
                         "the rows; a yearly domain (the summary report) keeps it bounded.")

        # 3. import through load(): complaints vs partners
        n = args.import_rows
        cdata = [[str(partner.id), "phone", "service", "minor", "explanation",
                  f"2024-0{1 + i % 9}-1{i % 10} 10:00:00", f"imported {i}"] for i in range(n)]
        pdata = [[f"Imported partner {i}", f"p{i}@example.com", "+1 555 0100", "Springfield"] for i in range(n)]
        ctx = {"import_file": True, "tracking_disable": True}
        tci, _ = measure(env, lambda: _load(Complaint.with_user(admin).with_context(**ctx), [
            "partner_id/.id", "channel", "category", "severity", "customer_request", "received_date",
            "description"], cdata), repeat=1)
        tpi, _ = measure(env, lambda: _load(env["res.partner"].with_user(admin).with_context(**ctx), [
            "name", "email", "phone", "city"], pdata), repeat=1)
        row(f"import {n} complaints / {n} partners (load)", n, f"{tci / 1000:.1f}/{tpi / 1000:.1f} s = "
            f"{tci / tpi:.2f}x", "<= 2x", tci / tpi <= 2)

        # 4. printing: 100 slips in one PDF vs 1
        report = "qms_customer.action_report_qms_complaint"
        ids = Complaint.search([], limit=100).ids
        Report = env["ir.actions.report"].with_user(admin)
        tp1, _ = measure(env, lambda: Report._render_qweb_pdf(report, ids[:1]), repeat=2)
        tp100, _ = measure(env, lambda: Report._render_qweb_pdf(report, ids), repeat=1)
        row("PDF: 100 slips / 1 slip, time per slip", 100,
            f"{tp100 / 100:.0f} vs {tp1:.0f} ms per slip", "falls", tp100 / 100 < tp1)

        # 5. issue 15.6: the affected customers of a product across the delivered order lines
        notice_finding(env, row, args.sizes)
        cr.rollback()

        # 5. issue 14.6: the auditor's evidence pack of the period holding args.pack_slips slips
        if args.pack_slips:
            evidence_pack(env, row, args.pack_slips)
    return rows, notes


def evidence_pack(env, row, slips):
    """The evidence pack of a period of ``slips`` slips, run by its scheduled action's method as the
    cron worker does (committing after each batch): the job's wall time, the batches, and its peak
    memory (Python heap by tracemalloc; resident size of this process and of the PDF engine)."""
    cr = env.cr
    company = env.ref("base.main_company")
    cr.execute("SELECT received_date FROM qms_complaint WHERE company_id = %s ORDER BY received_date DESC "
               "OFFSET %s LIMIT 1", (company.id, slips - 1))
    first = cr.fetchone()
    if not first:
        row("evidence pack: job time / peak memory", slips, "not enough slips", "reported", False)
        return
    Pack = env["qms.evidence.pack"]
    Pack.search([("state", "in", ("queued", "running"))]).write({"state": "failed"})
    pack = Pack.create({"company_id": company.id, "date_from": first[0].date(), "date_to": datetime.date.today(),
                        "requester_id": env.ref("qms_customer.user_mgmt_rep").id})
    cr.commit()
    counted = len(pack._qms_slips())
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    t0 = time.perf_counter()
    runs = 0
    while pack.state in ("queued", "running") and runs < 10000:
        Pack._cron_generate()
        runs += 1
        pack.invalidate_recordset()
    elapsed = time.perf_counter() - t0
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    size = pack.attachment_id.file_size if pack.attachment_id else 0
    row("evidence pack: job time / peak memory (heap; RSS self, PDF engine)", counted,
        f"{elapsed:.0f} s in {runs} batches, {peak / 2**20:.0f} MiB heap; RSS {rss / 1024:.0f} MiB "
        f"(+{(rss - rss0) / 1024:.0f}), engine {child / 1024:.0f} MiB; {pack.file_count} files, "
        f"{size / 2**20:.0f} MiB ZIP, {pack.state}", "reported", pack.state == "done")


def recurrence_matching(env, size, sales, vals):
    """Recording one slip (create with 2 lines, as Sales) with its recurrence matching, and the
    matching query alone (issue 14): (create ms, create queries, matching ms, matching queries, found).
    Half of the filled corrective actions are judged effective first (plain SQL, valid stamps), so
    that the matching finds slips in the look-back."""
    cr = env.cr
    cr.execute("""
        UPDATE qms_corrective_action
           SET state = 'effective', verification_result = 'effective', revision = 1,
               approved_by_id = 1, approved_date = create_date + interval '1 day',
               implemented_by_id = 1, implemented_date = create_date + interval '5 days',
               verified_by_id = 1, verified_date = create_date + interval '40 days',
               effectiveness_evidence = 'bench', implementation_notes = 'bench'
         WHERE state = 'draft' AND name LIKE 'BCA/%' AND id % 2 = 0""")
    cr.execute("ANALYZE qms_corrective_action")
    cr.commit()
    Complaint = env["qms.complaint"]
    # the slip recorded repeats the most recent filled slip with an effective action: same product and
    # category, so that the matching finds it and the recording flags and notifies
    cr.execute("""SELECT c.id FROM qms_complaint c JOIN qms_corrective_action a ON a.complaint_id = c.id
                   WHERE c.name LIKE 'BENCH/%' AND a.state = 'effective'
                ORDER BY c.received_date DESC LIMIT 1""")
    slip = Complaint.sudo().browse(cr.fetchone()[0])
    line = {"product_id": slip.line_ids.product_id[:1].id, "qty_complained": 1, "defect_description": "bench"}
    t_create, q_create = measure(env, lambda: Complaint.with_user(sales).create(
        dict(vals(), category=slip.category, line_ids=[(0, 0, dict(line))])))
    # the matching alone, for that slip (its lines, products and the company's settings are read
    # again after each run's cache invalidation: those reads are counted too)
    found = len(Complaint.with_user(sales).create(
        dict(vals(), category=slip.category, line_ids=[(0, 0, dict(line))])).sudo()._qms_recurred_action_ids())
    cr.rollback()
    t_match, q_match = measure(env, slip._qms_recurred_action_ids, repeat=9)
    return t_create, q_create, t_match, q_match, found


COST_YEAR_SLIPS = 500  # slips of the fixed year whose cost roll-up is measured at every size


def cost_year(env):
    """A complaint summary for a year seven years back, with COST_YEAR_SLIPS closed slips carrying
    costs (plain SQL, valid stamps): the fill (the last five years) never adds to that year."""
    cr = env.cr
    year = datetime.date.today().year - 7
    company = env.ref("base.main_company")
    cr.execute("SELECT count(*) FROM qms_complaint WHERE name LIKE 'BCOST/%%'")
    if not cr.fetchone()[0]:
        cr.execute("SELECT array_agg(id) FROM res_partner WHERE is_company AND active AND company_id IS NULL")
        partners = cr.fetchone()[0]
        cr.execute("""
            INSERT INTO qms_complaint (name, company_id, state, partner_id, commercial_partner_id, channel,
                received_by_id, received_date, severity, category, customer_request, date_deadline, description,
                company_responsible, days_to_close, create_uid, create_date, write_uid, write_date,
                submitted_date, supervisor_date, quality_date, reply_date, verified_date,
                cost_credit_notes, cost_returns, cost_replacements, cost_repairs, cost_entered, cost_total)
            SELECT 'BCOST/' || lpad(g::text, 5, '0'), %s, 'done', p, p, 'phone', 1, rd, 'minor',
                   (ARRAY['product','delivery','service','documentation'])[1 + g %% 4], 'repair',
                   (rd + interval '30 days')::date, '<p>Cost year</p>', true, 20, 1, rd, 1, rd,
                   rd + interval '1 hour', rd + interval '2 hours', rd + interval '3 hours',
                   rd + interval '5 days', rd + interval '20 days',
                   g %% 7 * 10, g %% 5 * 20, g %% 3 * 30, g %% 2 * 40, 15,
                   g %% 7 * 10 + g %% 5 * 20 + g %% 3 * 30 + g %% 2 * 40 + 15
            FROM (SELECT g, (%s::int[])[1 + g %% %s] AS p,
                         make_timestamp(%s, 1, 1, 9, 0, 0) + make_interval(hours => (g * 7919) %% (360 * 24)) AS rd
                  FROM generate_series(1, %s) g) s
        """, (company.id, partners, len(partners), year, COST_YEAR_SLIPS))
        cr.execute("ANALYZE qms_complaint")
    report = env["qms.annual.report"].search([("kind", "=", "complaint"), ("year", "=", year),
                                              ("company_id", "=", company.id)])
    report = report or env["qms.annual.report"].create(
        {"kind": "complaint", "year": year, "company_id": company.id, "tz": "UTC"})
    cr.commit()
    return report


def cost_rollup(env, report):
    """The yearly summary's cost figure (qms.annual.report._cost_figures), as computed when the report
    is frozen: for the fixed year, and for the last full year of the fill. (fixed ms, fixed queries,
    last-year ms, last-year queries, slips of the last year)."""
    Complaint = env["qms.complaint"].sudo().with_context(active_test=False)

    def domain(year):
        start, end = report._year_bounds(year)
        return [("company_id", "=", report.company_id.id), ("received_date", ">=", start),
                ("received_date", "<", end), ("state", "!=", "cancel")]
    fixed, last = domain(report.year), domain(datetime.date.today().year - 1)
    total = report._cost_figures(Complaint, fixed)["total"]
    assert total > 0, "the fixed year carries costs"
    t_fixed, q_fixed = measure(env, lambda: report._cost_figures(Complaint, fixed), repeat=9)
    t_last, q_last = measure(env, lambda: report._cost_figures(Complaint, last), repeat=9)
    return t_fixed, q_fixed, t_last, q_last, Complaint.search_count(last)


# --- OCA peers (tools/bench --peers) ----------------------------------------------------------
def fill_deliveries(env, size):
    """``size`` delivered order lines: done stock moves (and their move lines) into the customers'
    location, over 20 products, the sale demo's customer companies and five years, copied in SQL
    from a delivery the bench validates once through the ORM."""
    cr = env.cr
    cr.execute("SELECT count(*) FROM stock_move WHERE origin LIKE 'NB%%'")
    have = cr.fetchone()[0]
    if have >= size:
        return
    customers = env.ref("stock.stock_location_customers").id
    cr.execute("SELECT id FROM stock_move_line WHERE state = 'done' AND location_dest_id = %s LIMIT 1", (customers,))
    if not cr.rowcount:
        picking_type = env.ref("stock.picking_type_out")
        source = picking_type.default_location_src_id
        product = env["product.product"].search([("type", "=", "consu")], limit=1)
        picking = env["stock.picking"].create({
            "partner_id": env.ref("base.res_partner_2").id, "picking_type_id": picking_type.id,
            "location_id": source.id, "location_dest_id": customers,
            "move_ids": [(0, 0, {"product_id": product.id, "product_uom_qty": 1, "location_id": source.id,
                                 "location_dest_id": customers})]})
        picking.action_confirm()
        picking.move_ids.write({"quantity": 1, "picked": True})
        picking.button_validate()
        env.flush_all()
        cr.execute("SELECT id FROM stock_move_line WHERE state = 'done' AND location_dest_id = %s LIMIT 1",
                   (customers,))
    line_tpl = cr.fetchone()[0]
    cr.execute("SELECT move_id FROM stock_move_line WHERE id = %s", (line_tpl,))
    move_tpl = cr.fetchone()[0]
    # every active partner (contacts count for their company), spread apart from the products
    cr.execute("SELECT array_agg(id) FROM res_partner WHERE active AND company_id IS NULL")
    partners = cr.fetchone()[0]
    cr.execute("SELECT array_agg(id ORDER BY id) FROM product_product WHERE active")
    products = cr.fetchone()[0][:20]

    def columns(table, own):
        cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                   "AND column_name != ALL(%s)", (table, ["id", *own]))
        return [row[0] for row in cr.fetchall()]
    own_move = ["origin", "partner_id", "product_id", "date", "picking_id", "state", "location_dest_id"]
    cols = columns("stock_move", own_move)
    quoted = ", ".join(f'"{c}"' for c in cols)
    cr.execute(f"""
        INSERT INTO stock_move ({quoted}, {", ".join(own_move)})
        SELECT {", ".join(f't."{c}"' for c in cols)}, 'NB' || g, (%s::int[])[1 + (g * 7919 / 20) %% %s],
               (%s::int[])[1 + g %% %s], now() - make_interval(hours => (g * 7919) %% (5 * 365 * 24)), NULL,
               'done', %s
        FROM stock_move t, generate_series(%s, %s) g WHERE t.id = %s
    """, (partners, len(partners), products, len(products), customers, have + 1, size, move_tpl))
    own_line = ["move_id", "product_id", "date", "picking_id", "state", "location_dest_id", "lot_id"]
    cols = columns("stock_move_line", own_line)
    quoted = ", ".join(f'"{c}"' for c in cols)
    cr.execute(f"""
        INSERT INTO stock_move_line ({quoted}, {", ".join(own_line)})
        SELECT {", ".join(f't."{c}"' for c in cols)}, m.id, m.product_id, m.date, NULL, 'done', %s, NULL
        FROM stock_move_line t, stock_move m
        WHERE t.id = %s AND m.origin LIKE 'NB%%' AND substr(m.origin, 3)::int BETWEEN %s AND %s
    """, (customers, line_tpl, have + 1, size))
    cr.execute("ANALYZE stock_move; ANALYZE stock_move_line")
    cr.commit()


def notice_finding(env, row, sizes):
    """Issue 15.6: Find Customers of a product improvement notice (one product of 20, a year of
    deliveries) at each size: the same queries, whatever the deliveries."""
    cr = env.cr
    action = env["qms.corrective.action"].search([("state", "=", "effective")], limit=1)
    cr.execute("SELECT array_agg(id ORDER BY id) FROM product_product WHERE active")
    product = cr.fetchone()[0][0]
    sales = env.ref("qms_customer.user_sales")
    Notice = env["qms.improvement.notice"].sudo()
    Notice.search([("action_id", "=", action.id), ("state", "!=", "sent")]).unlink()
    today = datetime.date.today()
    notice = Notice.create({"action_id": action.id, "product_ids": [(6, 0, [product])], "subject": "Bench",
                            "message": "<p>bench</p>", "date_from": today.replace(year=today.year - 1),
                            "date_to": today}).with_user(sales)
    cr.commit()
    results = {}
    for size in sizes:
        fill_deliveries(env, size)
        results[size] = (*measure(env, notice.action_find_customers, repeat=3), len(notice._affected_customers()))
    first = results[sizes[0]]
    for size, (elapsed, queries, found) in results.items():
        row("finding the affected customers of a product (Find Customers)", size,
            f"{queries} q, {elapsed:.0f} ms, {found} customers", f"same q as {sizes[0]}", queries == first[1])
    cr.rollback()


PEER_ROWS = 300  # records of each peer filled through the ORM for its list
PEER_NOTE = ("Whole flows: our procedure = register (Sales), submit, supervisor review, quality finds no internal "
             "responsibility, investigation, reply, close, each step by its role; an RMA = create, confirm (which "
             "creates the reception), validate the reception (a stock move done), up to 'received' (a refund or "
             "replacement would need invoices or deliveries); a nonconformity = create, then analysis, pending, "
             "open, done by its stage. Each step is flushed as its own request would be. Creation is measured "
             "against two RMAs because an RMA holds one product. All as the administrator.")


def complaint_procedure(env, vals):
    """The whole procedure by role, as tools/loadtest drives it: register, submit, supervisor review,
    quality finds no internal responsibility, investigation, reply to the customer, close."""
    ref = env.ref
    complaint = env["qms.complaint"].with_user(ref("qms_customer.user_sales")).create(vals())
    steps = [("user_sales", "action_submit", None),
             ("user_sales_supervisor", "action_supervisor_review", None),
             ("user_quality", "action_confirm_not_responsible", {"quality_disposition": "checked by bench",
                                                                 "responsibility_finding": "application"}),
             ("user_sales", "action_investigation_done", {"investigation_cause": "handling at the customer"}),
             ("user_sales", "action_reply", {"reply_text": "<p>Answered</p>", "reply_channel": "phone"}),
             ("user_mgmt_rep", "action_close", {"verification_notes": "ok", "customer_satisfied": "yes"})]
    for login, button, values in steps:
        env.flush_all()  # each step is a request of its own in the client
        record = complaint.with_user(ref(f"qms_customer.{login}"))
        if values:
            record.write(values)
        getattr(record, button)()
    assert complaint.state == "done", complaint.state


def peers(env, row, notes, size, vals, spec_c):
    """Our create, list and whole procedure next to OCA rma and mgmtsystem_nonconformity (19.0),
    all as the administrator (the peers' managers) in the same database and run."""
    admin = env.ref("base.user_admin")
    partner = env.ref("base.res_partner_2")
    product = env["product.product"].search([("type", "=", "consu")], limit=1)
    Rma, Nc = env["rma"].with_user(admin), env["mgmtsystem.nonconformity"].with_user(admin)
    origin = env.ref("mgmtsystem_nonconformity.nc_origin_external_client")
    operation = env.ref("rma.rma_operation_return")  # "Repair": receipt on confirmation, nothing automatic after

    def rma_vals(qty=2):
        return {"partner_id": partner.id, "product_id": product.id, "product_uom_qty": qty,
                "operation_id": operation.id, "description": "<p>bench</p>"}

    def nc_vals(i=0):
        return {"name": f"bench {i}", "partner_id": partner.id, "responsible_user_id": admin.id,
                "manager_user_id": admin.id, "origin_ids": [(6, 0, origin.ids)], "description": "bench"}

    # fill the peers' lists (ours is filled to `size` by SQL; a list page costs about the same)
    quiet = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
    have = Rma.search_count([])
    if have < PEER_ROWS:
        Rma.with_context(**quiet).create([rma_vals() for _i in range(PEER_ROWS - have)])
    have = Nc.search_count([])
    if have < PEER_ROWS:
        Nc.with_context(**quiet).create([nc_vals(i) for i in range(PEER_ROWS - have)])
    env.cr.commit()

    def fmt(t, q):
        return f"{q} q, {t:.0f} ms"

    # create: a slip of two products vs two RMAs (one product each) vs one nonconformity, as the form saves
    ours = measure(env, lambda: env["qms.complaint"].with_user(admin).web_save(vals(), {"name": {}, "state": {}}))
    rma = measure(env, lambda: [Rma.web_save(rma_vals(q), {"name": {}, "state": {}}) for q in (2, 1)])
    nc = measure(env, lambda: Nc.web_save(nc_vals(), {"name": {}, "state": {}}))
    row("peers: create 2-product complaint / 2 RMAs / 1 nonconformity", size,
        f"{fmt(*ours)} / {fmt(*rma)} / {fmt(*nc)}", "-", True)

    # an 80-row page of each default list view, counted like ours
    spec_r, spec_n = list_spec(env, "rma"), list_spec(env, "mgmtsystem.nonconformity")
    ours = measure(env, lambda: env["qms.complaint"].with_user(admin).web_search_read(
        [], spec_c, limit=80, count_limit=10001))
    rma = measure(env, lambda: Rma.web_search_read([], spec_r, limit=80, count_limit=10001))
    nc = measure(env, lambda: Nc.web_search_read([], spec_n, limit=80, count_limit=10001))
    row(f"peers: list 80 rows complaints ({size}) / RMAs / NCs ({PEER_ROWS})", size,
        f"{fmt(*ours)} / {fmt(*rma)} / {fmt(*nc)}", "-", True)

    # the whole workflow of one record
    def rma_flow():
        record = Rma.create(rma_vals())
        env.flush_all()  # each step is a request of its own in the client
        record.action_confirm()
        env.flush_all()
        move = record.reception_move_id
        if move and move.state != "done":
            move.quantity = move.product_uom_qty
            move.picked = True
            move.picking_id.button_validate()
        assert record.state == "received", record.state

    def nc_flow():
        record = Nc.create(nc_vals())
        for stage in ("analysis", "pending", "open", "done"):
            if stage == "open":
                record.action_comments = "<p>plan</p>"
            if stage == "done":
                record.evaluation_comments = "<p>effective</p>"
            env.flush_all()  # each stage change is a request of its own in the client
            record.stage_id = env.ref(f"mgmtsystem_nonconformity.stage_{stage}")
        assert record.state == "done", record.state

    ours = measure(env, lambda: complaint_procedure(env, vals), repeat=3)
    rma = measure(env, rma_flow, repeat=3)
    nc = measure(env, nc_flow, repeat=3)
    row("peers: whole flow complaint / RMA / NC", size, f"{fmt(*ours)} / {fmt(*rma)} / {fmt(*nc)}", "-", True)


def _load(model, fields, data):
    result = model.load(fields, data)
    errors = [m for m in result["messages"] if m.get("type") == "error"]
    if errors:
        raise RuntimeError(f"import failed: {errors[:3]}")
    return result


def run_notices(args):
    config.parse_config(["-c", args.conf, "-d", args.db, "--log-level=warn"])
    with Registry(args.db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})

        def row(what, size, value, target, ok):
            print(f"| {what} | {size} | {value} | {target} | {'yes' if ok else '**no**'} |", flush=True)
        notice_finding(env, row, args.sizes)


def write_markdown(path, rows, notes, args):
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Benchmarks\n\n")
        f.write(f"Run `tools/bench` ({' '.join(sys.argv[1:])}) on {datetime.date.today().isoformat()}, "
                f"{platform.node()}: {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
                f"Odoo {odoo.release.version}. Medians of warm runs; ratios are taken in the same run "
                "and database, so they hold across machines better than the times.\n\n")
        f.write("| measure | size | value | target | met |\n|---|---:|---|---|---|\n")
        for r in rows:
            f.write("| " + " | ".join(str(c) for c in r) + " |\n")
        if args.peers:
            f.write(f"\n{PEER_NOTE}\n")
        if notes:
            f.write("\n## Targets missed, and why\n\n")
            for note in notes:
                f.write(f"- {note}\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", default="qms_bench")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--import-rows", type=int, default=10000)
    parser.add_argument("--output", default="BENCHMARKS.md")
    parser.add_argument("--pack-slips", type=int, default=2000,
                        help="slips of the evidence pack measured (issue 14.6); 0 skips it")
    parser.add_argument("--peers", action="store_true", help="also measure OCA rma and mgmtsystem_nonconformity")
    parser.add_argument("--notices", action="store_true",
                        help="only the product improvement notices' Find Customers (issue 15.6); prints the rows")
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'measure':<62} {'size':>8} {'value':>34} {'target':>16}")
    if args.notices:
        run_notices(args)
        return
    rows, notes = run(args)
    write_markdown(args.output, rows, notes, args)
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
