"""Load test of qms_customer over Odoo 19's external API ``POST /json/2/<model>/<method>``.

Run through ``tools/loadtest`` (it builds the database, creates API keys and starts a multi-process
server on 127.0.0.1). Subcommands: ``keys`` (API keys of the demo users, as JSON), ``run`` (the
clients), ``check`` (every acknowledged complaint in the database exactly once, complete, and the
integrity check of the addon).
"""
import argparse
import datetime
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
    env.cr.commit()
    env.cr.close()
    print(json.dumps({"keys": keys, "partner": partner, "product": product, "company_b": company_b.id}))


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
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                body = json.loads(resp.read() or b"null")
            with self.stats.lock:
                self.stats.latencies.append((time.perf_counter() - t0) * 1000)
            return body
        except urllib.error.HTTPError as exc:
            text = exc.read().decode(errors="replace")
            with self.stats.lock:
                if exc.code in (400, 403, 404, 422) and "odoo.exceptions" in text:
                    self.stats.refusals += 1   # a clear UserError/AccessError: a concurrent step won
                elif exc.code in (502, 503) or self.server.restarting:
                    self.stats.unavailable += 1
                else:
                    self.stats.errors.append(f"{model}.{method} HTTP {exc.code}: {text[:300]}")
            return None
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            with self.stats.lock:
                if self.server.restarting:
                    self.stats.unavailable += 1
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


def phase(cfg, clients, seconds, server, kill=False):
    stats = Stats()
    deadline = time.time() + seconds
    threads = [Client(n, cfg, stats, deadline, server) for n in range(clients)]
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
    args = parser.parse_args()
    sys.exit({"keys": cmd_keys, "run": cmd_run, "check": cmd_check}[args.cmd](args) or 0)


if __name__ == "__main__":
    main()
