"""Load test of qms_customer over Odoo 19's external API ``POST /json/2/<model>/<method>``.

Run through ``tools/loadtest`` (it builds the database, creates API keys and starts a multi-process
server on 127.0.0.1). Subcommands: ``keys`` (API keys of the demo users, as JSON), ``run`` (the
clients), ``capacity`` (clients raised step by step until the median latency doubles, for the
complaint workflow and for Odoo's own quotation -> confirmation -> delivery of ``sale.order``),
``check`` (every acknowledged complaint in the database exactly once, complete, and the integrity
check of the addon). ``tools/cluster.py`` imports this module to drive the same clients through a
load balancer.
"""
import argparse
import datetime
import itertools
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

LOGINS = ("sales", "sales_supervisor", "quality", "mgmt_rep", "gm", "production")
LIST_SPEC = {"name": {}, "received_date": {}, "partner_id": {"fields": {"display_name": {}}}, "state": {},
             "severity": {}, "category": {}, "received_by_id": {"fields": {"display_name": {}}},
             "date_deadline": {}}


def _env(conf, db):
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.tools import config
    config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    registry = Registry(db)
    cr = registry.cursor()
    return api.Environment(cr, SUPERUSER_ID, {})


def cmd_keys(args):
    env = _env(args.conf, args.db)
    keys = {}
    for login in LOGINS:
        user = env["res.users"].search([("login", "=", login)])
        keys[login] = env["res.users.apikeys"].with_user(user)._generate(
            None, "loadtest", datetime.datetime.now() + datetime.timedelta(days=1))
    partner = env.ref("base.res_partner_2").id
    product = env["product.product"].search([("sale_ok", "=", True)], limit=1).id
    # a second company, numbered apart: half of the clients record their slips there
    company_b = env["res.company"].create({"name": "Load Test Company B"})
    env["res.users"].search([("login", "in", LOGINS)]).write({"company_ids": [(4, company_b.id)]})
    # Odoo's own workflow for --capacity: a warehouse user who validates the deliveries of the
    # orders the salesman confirms, and goods that are delivered without stock on hand
    warehouse = env["res.users"].create({
        "name": "Load Test Warehouse", "login": "loadtest_warehouse",
        "group_ids": [(6, 0, [env.ref("base.group_user").id, env.ref("stock.group_stock_user").id])]})
    keys["warehouse"] = env["res.users.apikeys"].with_user(warehouse)._generate(
        None, "loadtest", datetime.datetime.now() + datetime.timedelta(days=1))
    # no text message (SMS through IAP, or e-mail) to the customer on delivery from a load test;
    # stock_sms's one-time question about it counts as answered, as a warehouse user answers it once
    companies = env["res.company"].search([])
    companies.write({"stock_text_confirmation": False})
    if "has_received_warning_stock_sms" in companies._fields:
        companies.write({"has_received_warning_stock_sms": True})
    goods = env["product.product"].create({"name": "Load Test Goods", "type": "consu", "is_storable": False,
                                           "sale_ok": True, "list_price": 10.0})
    env.cr.commit()
    env.cr.close()
    print(json.dumps({"keys": keys, "partner": partner, "product": product, "company_b": company_b.id,
                      "goods": goods.id}))


# --- the clients --------------------------------------------------------------------------------
class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies, self.errors, self.refusals, self.unavailable = [], [], 0, 0
        self.acknowledged = []   # (id, number of lines) of every create the server answered
        self.closed = 0


class Client(threading.Thread):
    def __init__(self, n, cfg, stats, deadline, server):
        super().__init__(daemon=True)
        self.n, self.cfg, self.stats, self.deadline, self.server = n, cfg, stats, deadline, server
        self.company = cfg.get("company_b") if n % 2 else None  # else the users' main company

    def call(self, login, model, method, **params):
        """One json/2 request; None when refused or the server is down (restarting)."""
        url = f"{self.cfg['url']}/json/2/{model}/{method}"
        if self.company:
            params = dict(params, context={"allowed_company_ids": [self.company]})
        req = urllib.request.Request(url, data=json.dumps(params).encode(), method="POST", headers={
            "Authorization": f"bearer {self.cfg['keys'][login]}", "Content-Type": "application/json"})
        t0 = time.perf_counter()
        self.outcome = "error"   # of the last call: ok, refused, down or error (read by tools/cluster.py)
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                body = json.loads(resp.read() or b"null")
            with self.stats.lock:
                self.stats.latencies.append((time.perf_counter() - t0) * 1000)
            self.outcome = "ok"
            return body
        except urllib.error.HTTPError as exc:
            text = exc.read().decode(errors="replace")
            with self.stats.lock:
                if exc.code in (400, 403, 404, 422) and "odoo.exceptions" in text:
                    self.stats.refusals += 1   # a clear UserError/AccessError: a concurrent step won
                    self.outcome = "refused"
                elif exc.code in (502, 503) or self.server.restarting:
                    self.stats.unavailable += 1
                    self.outcome = "down"
                else:
                    self.stats.errors.append(f"{model}.{method} HTTP {exc.code}: {text[:300]}")
            return None
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            with self.stats.lock:
                if self.server.restarting:
                    self.stats.unavailable += 1
                    self.outcome = "down"
                else:
                    self.stats.errors.append(f"{model}.{method}: {exc}")
            time.sleep(0.2)
            return None

    def run(self):
        cfg, C = self.cfg, "qms.complaint"
        creator = "production" if self.n % 3 == 0 else "sales"
        rounds = 0
        while time.time() < self.deadline:
            rounds += 1
            line = {"product_id": cfg["product"], "qty_complained": 2, "defect_description": f"client {self.n}"}
            company = {"company_id": self.company} if self.company else {}
            if rounds % 2 == 0:
                # refused by a constraint after the number was drawn: must leave no gap in the numbers
                self.call(creator, C, "create", vals_list=[{
                    **company, "partner_id": cfg["partner"], "line_ids": [[0, 0, dict(line, qty_complained=-1)]]}])
            ids = self.call(creator, C, "create", vals_list=[{
                **company, "partner_id": cfg["partner"], "category": "product", "severity": "minor",
                "description": f"<p>load test, client {self.n}</p>",
                "line_ids": [[0, 0, line], [0, 0, dict(line, qty_complained=1)]]}])
            if not ids:
                continue
            with self.stats.lock:
                self.stats.acknowledged.append((ids[0], 2))
            steps = [
                (creator, "action_submit", None),
                ("sales_supervisor", "action_supervisor_review", None),
                ("quality", "action_confirm_not_responsible", {"quality_disposition": "checked by load test",
                                                            "responsibility_finding": "application"}),
                ("sales", "action_investigation_done", {"investigation_cause": "handling at the customer"}),
                ("sales", "action_reply", {"reply_text": "<p>Answered</p>", "reply_channel": "phone"}),
                ("mgmt_rep", "action_close", {"verification_notes": "ok", "customer_satisfied": "yes"}),
            ]
            for login, button, vals in steps:
                if time.time() >= self.deadline:
                    break
                if vals and self.call(login, C, "write", ids=ids, vals=vals) is None:
                    break
                if self.call(login, C, button, ids=ids) is None:
                    break
                self.call("gm" if self.n % 2 else "production", C, "web_search_read", domain=[],
                          specification=LIST_SPEC, limit=80, count_limit=10001)
            else:
                with self.stats.lock:
                    self.stats.closed += 1


SALE_LIST_SPEC = {"name": {}, "date_order": {}, "partner_id": {"fields": {"display_name": {}}},
                  "user_id": {"fields": {"display_name": {}}}, "amount_total": {}, "state": {}}


class SalesClient(Client):
    """Odoo's own workflow through the same harness: the salesman records a quotation with two lines
    and confirms it, the warehouse validates its delivery; the salesman's order list is read after
    each step, as the complaint clients read the complaint list after each step."""

    def __init__(self, n, cfg, stats, deadline, server):
        super().__init__(n, cfg, stats, deadline, server)
        self.company = None   # the main company's warehouse delivers

    def run(self):
        cfg, S = self.cfg, "sale.order"
        while time.time() < self.deadline:
            line = {"product_id": cfg["goods"], "product_uom_qty": 2}
            ids = self.call("sales", S, "create", vals_list=[{
                "partner_id": cfg["partner"], "order_line": [[0, 0, line], [0, 0, dict(line, product_uom_qty=1)]]}])
            if not ids:
                continue
            self.call("sales", S, "web_search_read", domain=[], specification=SALE_LIST_SPEC, limit=80,
                      count_limit=10001)
            if self.call("sales", S, "action_confirm", ids=ids) is None:
                continue
            self.call("sales", S, "web_search_read", domain=[], specification=SALE_LIST_SPEC, limit=80,
                      count_limit=10001)
            pickings = self.call("warehouse", "stock.picking", "search", domain=[["sale_id", "in", ids]])
            if not pickings:
                continue
            done = self.call("warehouse", "stock.picking", "button_validate", ids=pickings)
            if done is not True and done is not None:
                with self.stats.lock:
                    self.stats.errors.append(f"stock.picking.button_validate returned a wizard: {str(done)[:200]}")
                continue
            self.call("sales", S, "web_search_read", domain=[], specification=SALE_LIST_SPEC, limit=80,
                      count_limit=10001)
            if done:
                with self.stats.lock:
                    self.stats.closed += 1


class Server:
    """The Odoo server tools/loadtest started (its process group id is given); used by --kill."""

    def __init__(self, args):
        self.pgid, self.restart_cmd, self.restarting = args.server_pgid, args.restart_cmd, False

    def kill_and_restart(self, url):
        self.restarting = True
        os.killpg(self.pgid, signal.SIGKILL)
        print(f"   SIGKILL sent to the server (process group {self.pgid}); restarting", flush=True)
        time.sleep(1)
        out = subprocess.run(self.restart_cmd, shell=True, capture_output=True, text=True, check=True)
        self.pgid = int(out.stdout.strip())
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{url}/web/login", timeout=5).close()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(1)
        self.restarting = False
        print(f"   server back (process group {self.pgid})", flush=True)
        return self.pgid


def phase(cfg, clients, seconds, server, kill=False, client_cls=Client):
    stats = Stats()
    deadline = time.time() + seconds
    threads = [client_cls(n, cfg, stats, deadline, server) for n in range(clients)]
    for t in threads:
        t.start()
    if kill:
        time.sleep(seconds / 2)
        cfg["pgid"] = server.kill_and_restart(cfg["url"])
    for t in threads:
        t.join(seconds + 120)
    return stats


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def cmd_run(args):
    cfg = json.load(open(args.cfg, encoding="utf-8"))  # noqa: SIM115
    cfg["url"] = f"http://127.0.0.1:{args.port}"
    server = Server(args)
    print(f"1 client for {args.base_seconds}s (unloaded baseline)", flush=True)
    base = phase(cfg, 1, args.base_seconds, server)
    print(f"{args.clients} clients for {args.seconds}s{' with a SIGKILL half-way' if args.kill else ''}", flush=True)
    load = phase(cfg, args.clients, args.seconds, server, kill=args.kill)
    acknowledged = base.acknowledged + load.acknowledged
    json.dump({"acknowledged": acknowledged, "pgid": server.pgid}, open(args.out, "w", encoding="utf-8"))  # noqa: SIM115
    p50b, p50l = statistics.median(base.latencies), statistics.median(load.latencies)
    print(f"\n{'':<22}{'requests':>9}{'errors':>8}{'refused':>9}{'down':>6}{'p50 ms':>9}{'p95 ms':>9}{'closed':>8}")
    for name, s in (("1 client", base), (f"{args.clients} clients", load)):
        print(f"{name:<22}{len(s.latencies):>9}{len(s.errors):>8}{s.refusals:>9}{s.unavailable:>6}"
              f"{statistics.median(s.latencies):>9.0f}{pct(s.latencies, 95):>9.0f}{s.closed:>8}")
    ratio = p50l / p50b
    print(f"median under load / unloaded = {ratio:.2f}x (target <= 2x): {'ok' if ratio <= 2 else 'MISSED'}")
    for err in (base.errors + load.errors)[:10]:
        print("ERROR", err)
    return 1 if base.errors or load.errors else 0


CAPACITY_STEPS = (2, 3, 4, 6, 8, 12, 16, 24, 32, 48)
WORKFLOWS = (("complaint", Client), ("sale.order", SalesClient))


def capacity_at(points, limit):
    """Clients at which the median latency reaches ``limit``, by linear interpolation between the
    last step below it and the first at or above it; ``(clients, reached)``. ``points``: (clients,
    median ms) in increasing clients, the first being the unloaded one (1 client)."""
    for (n0, m0), (n1, m1) in itertools.pairwise(points):
        if m1 >= limit:
            return (n0 + (limit - m0) / (m1 - m0) * (n1 - n0) if m1 > m0 else n1), True
    return points[-1][0], False


def cmd_capacity(args):
    """Odoo's load-test definition of capacity: the load at which the median latency reaches 2x its
    unloaded value. Both workflows run on the same server in the same run, alternating step by step
    so that a change in the machine's background load hits both alike."""
    cfg = json.load(open(args.cfg, encoding="utf-8"))  # noqa: SIM115
    cfg["url"] = f"http://127.0.0.1:{args.port}"
    server = argparse.Namespace(restarting=False)
    stats_all, points, done = [], {}, {}
    for _name, cls in WORKFLOWS:   # warm the workers (registry, caches) before the unloaded figure
        phase(cfg, 2, 5, server, client_cls=cls)
    for name, cls in WORKFLOWS:
        s = phase(cfg, 1, args.base_seconds, server, client_cls=cls)
        stats_all.append(s)
        points[name] = [(1, statistics.median(s.latencies) if s.latencies else float("nan"))]
        print(f"{name:<11} 1 client: p50 {points[name][0][1]:.0f} ms, {len(s.latencies)} requests (unloaded)",
              flush=True)
    deadline = time.time() + args.budget
    for n in [n for n in CAPACITY_STEPS if n <= args.clients]:
        for name, cls in WORKFLOWS:
            if name in done:
                continue
            s = phase(cfg, n, args.seconds, server, client_cls=cls)
            stats_all.append(s)
            med = statistics.median(s.latencies) if s.latencies else float("inf")
            points[name].append((n, med))
            ratio = med / points[name][0][1]
            print(f"{name:<11} {n:>2} clients: p50 {med:.0f} ms = {ratio:.2f}x unloaded, "
                  f"p95 {pct(s.latencies, 95):.0f} ms, {len(s.latencies)} requests, {len(s.errors)} errors, "
                  f"{s.closed} workflows done", flush=True)
            if ratio >= 2:
                done[name] = True
        if len(done) == len(WORKFLOWS) or time.time() > deadline:
            break
    caps = {}
    for name, _cls in WORKFLOWS:
        cap, reached = capacity_at(points[name], 2 * points[name][0][1])
        caps[name] = cap
        print(f"capacity {name:<11}: {'' if reached else '>= '}{cap:.1f} clients "
              f"(median 2x unloaded = {2 * points[name][0][1]:.0f} ms{'' if reached else ', not reached'})")
    ratio = caps["complaint"] / caps["sale.order"]
    print(f"capacity ratio complaint / sale.order = {ratio:.2f} (target >= 1.0): {'ok' if ratio >= 1 else 'MISSED'}")
    acknowledged = [a for s in stats_all for a in s.acknowledged]
    json.dump({"acknowledged": acknowledged, "pgid": args.server_pgid}, open(args.out, "w", encoding="utf-8"))  # noqa: SIM115
    errors = [e for s in stats_all for e in s.errors]
    for err in errors[:10]:
        print("ERROR", err)
    return 1 if errors else 0


def cmd_check(args):
    env = _env(args.conf, args.db)
    data = json.load(open(args.out, encoding="utf-8"))  # noqa: SIM115
    ids = [i for i, _n in data["acknowledged"]]
    problems = []
    if len(ids) != len(set(ids)):
        problems.append("the server acknowledged the same complaint id twice")
    env.cr.execute("""SELECT c.id, c.name, count(l.id), c.company_id FROM qms_complaint c
                      LEFT JOIN qms_complaint_line l ON l.complaint_id = c.id
                      WHERE c.id = ANY(%s) GROUP BY c.id, c.name""", (ids,))
    found = {row[0]: row for row in env.cr.fetchall()}
    missing = [i for i in ids if i not in found]
    if missing:
        problems.append(f"{len(missing)} acknowledged complaints are missing: {missing[:5]}")
    incomplete = [row[1] for i, n in data["acknowledged"] if (row := found.get(i)) and row[2] != n]
    if incomplete:
        problems.append(f"{len(incomplete)} complaints without all their lines: {incomplete[:5]}")
    names = [(row[3], row[1]) for row in found.values()]  # a number is unique within its company
    if len(names) != len(set(names)) or any(not n or n == "/" for _company, n in names):
        problems.append("complaint numbers missing or used twice")
    for label, examples in env["qms.complaint"]._qms_integrity_problems():
        problems.append(f"{label}: {examples}")
    for line, ok in number_report(env):
        print(line)
        if not ok:
            problems.append(line)
    env.cr.execute("SELECT state, count(*) FROM qms_complaint WHERE id = ANY(%s) GROUP BY state ORDER BY 1", (ids,))
    print(f"{len(ids)} acknowledged complaints: all present once, with their lines: "
          f"{'no' if problems else 'yes'}; by state: {dict(env.cr.fetchall())}")
    env.cr.close()
    for p in problems:
        print("INCONSISTENT", p)
    return 1 if problems else 0


NUMBER = re.compile(r"^(?P<prefix>.*?(?P<year>\d{4})/)(?P<number>\d+)$")


def number_report(env):
    """Slip numbers are gap-free per company and year (issue #11): for each company and year, the
    numbers are 1, 2, ... n, each used once. ``[(line to print, ok), ...]``."""
    env.cr.execute("""SELECT co.name, c.name FROM qms_complaint c JOIN res_company co ON co.id = c.company_id
                      ORDER BY co.id, c.name""")
    series, odd = {}, []
    for company, name in env.cr.fetchall():
        match = NUMBER.match(name or "")
        if not match:
            odd.append((company, name))
            continue
        series.setdefault((company, match["year"], match["prefix"]), []).append(int(match["number"]))
    report = [(f"company {company!r}: slip number {name!r} is not of the form PREFIX/YEAR/NUMBER", False)
              for company, name in odd]
    for (company, year, prefix), numbers in series.items():
        duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
        missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
        head = f"company {company!r}, year {year}: {len(numbers)} slips {prefix}{min(numbers):05d}..{max(numbers):05d}"
        if duplicates or missing:
            report.append((f"{head}: duplicated {duplicates[:10]}, missing {missing[:10]} (of {len(missing)})", False))
        else:
            report.append((f"{head}: no duplicate, no gap", True))
    if not series and not odd:
        report.append(("no slip in the database: nothing numbered", False))
    return report


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name in ("keys", "check"):
        p = sub.add_parser(name)
        p.add_argument("--conf", required=True)
        p.add_argument("--db", required=True)
        p.add_argument("--out", default="")
    p = sub.add_parser("run")
    p.add_argument("--cfg", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--port", type=int, default=8074)
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--seconds", type=int, default=60)
    p.add_argument("--base-seconds", type=int, default=15)
    p.add_argument("--kill", action="store_true")
    p.add_argument("--server-pgid", type=int, default=0)
    p.add_argument("--restart-cmd", default="")
    p = sub.add_parser("capacity")
    p.add_argument("--cfg", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--port", type=int, default=8074)
    p.add_argument("--clients", type=int, default=32, help="the largest step")
    p.add_argument("--seconds", type=int, default=10, help="length of each step")
    p.add_argument("--base-seconds", type=int, default=10)
    p.add_argument("--budget", type=int, default=240, help="no new step starts after this many seconds")
    p.add_argument("--server-pgid", type=int, default=0)
    args = parser.parse_args()
    sys.exit({"keys": cmd_keys, "run": cmd_run, "capacity": cmd_capacity, "check": cmd_check}[args.cmd](args) or 0)


if __name__ == "__main__":
    main()
