"""qms_customer on Odoo's own scale-out engines, on one machine (issue 16): a PostgreSQL 15 primary
and a streaming hot standby, two Odoo servers in prefork mode reading from the standby
(``db_replica_host``/``db_replica_port``) and sharing one data directory (sessions and filestore),
HAProxy in front of both (``/websocket`` to the gevent ports). Then the load of ``tools/loadtest``
through the balancer, the standby's share of the statements, a SIGKILL of one Odoo server and a stop
of the standby in the middle of the load, and the consistency check.

Run through ``tools/cluster`` (it checks the installation and picks the template database). Loopback
only; bounded by ``--timeout``; ends only the processes it started (by their pid or process group)
and removes only its own temporary directory. ``--print-config`` writes the generated configuration
and starts nothing.
"""
import argparse
import contextlib
import http.client
import importlib.util
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

# the clients of tools/loadtest.py, loaded by path (this file is also loaded by a test)
_SPEC = importlib.util.spec_from_file_location(
    "qms_loadtest", os.path.join(os.path.dirname(os.path.abspath(__file__)), "loadtest.py"))
loadtest = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(loadtest)

PG_BIN = "/usr/lib/postgresql/15/bin"
PG_USER = "qms"          # the clusters' superuser; Odoo refuses to connect as "postgres"
HOST = "127.0.0.1"


class Ports:
    """Every port the cluster listens on, derived from ``--base-port`` (all on 127.0.0.1)."""

    def __init__(self, base):
        self.balancer, self.stats = base, base + 1
        self.odoo = {"a": base + 2, "b": base + 3}
        self.gevent = {"a": base + 4, "b": base + 5}
        self.primary, self.standby = base + 10, base + 11

    def all(self):
        return [self.balancer, self.stats, *self.odoo.values(), *self.gevent.values(), self.primary, self.standby]


# --- configuration ---------------------------------------------------------------------------------
def odoo_conf(name, ports, data_dir, db, addons_path, workers=2):
    """odoo.conf of one host: writes go to the primary, read-only requests to the standby, the data
    directory (sessions, filestore) is the one every host shares."""
    return "\n".join([
        "[options]",
        f"addons_path = {addons_path}",
        f"data_dir = {data_dir}",
        f"db_host = {HOST}",
        f"db_port = {ports.primary}",
        f"db_user = {PG_USER}",
        f"db_replica_host = {HOST}",
        f"db_replica_port = {ports.standby}",
        f"db_name = {db}",
        f"dbfilter = ^{db}$",
        "list_db = False",
        "admin_passwd = admin",
        "proxy_mode = True",
        f"http_interface = {HOST}",
        f"http_port = {ports.odoo[name]}",
        f"gevent_port = {ports.gevent[name]}",
        f"workers = {workers}",
        # one host runs the scheduled actions; ir.cron locks its jobs, so both may, but on one
        # machine a second cron process only takes a core from the load
        f"max_cron_threads = {1 if name == 'a' else 0}",
        "limit_time_real = 120",
        "log_level = warn",
        "",
    ])


def haproxy_conf(ports, workdir):
    """Round robin over the two hosts with health checks on Odoo's /web/health; a request whose
    connection fails is retried on the other host (``option redispatch``); only connection
    failures are retried, never a request a host may have executed (a POST is not idempotent).
    /websocket goes to the hosts' gevent ports."""
    servers = "\n".join(f"    server {n} {HOST}:{p}" for n, p in ports.odoo.items())
    ws_servers = "\n".join(f"    server {n} {HOST}:{ports.gevent[n]}" for n in ports.odoo)
    return f"""global
    maxconn 1000
    pidfile {workdir}/haproxy.pid

defaults
    mode http
    timeout connect 2s
    timeout client 130s
    timeout server 130s
    timeout tunnel 1h
    # a busy host answers its health check late, not never: it is DOWN only after 3 checks of
    # 10 s each failed; a killed host refuses connections at once, and those requests go to the other
    timeout check 10s
    retries 3
    retry-on conn-failure
    option redispatch 1
    default-server inter 2s fall 3 rise 2 check

frontend odoo
    bind {HOST}:{ports.balancer}
    option forwardfor
    use_backend odoo_websocket if {{ path_beg /websocket }}
    default_backend odoo_http

backend odoo_http
    balance roundrobin
    option httpchk
    http-check send meth GET uri /web/health ver HTTP/1.1 hdr Host {HOST}
    http-check expect status 200
{servers}

backend odoo_websocket
    balance source
    option httpchk
    http-check send meth GET uri /web/health ver HTTP/1.1 hdr Host {HOST}
    http-check expect status 200
{ws_servers}

listen stats
    bind {HOST}:{ports.stats}
    stats enable
    stats uri /stats
"""


def postgresql_conf(port, sockdir):
    return "\n".join([
        f"port = {port}",
        f"listen_addresses = '{HOST}'",
        f"unix_socket_directories = '{sockdir}'",
        "wal_level = replica",
        "max_wal_senders = 4",
        "hot_standby = on",
        "shared_preload_libraries = 'pg_stat_statements'",
        "pg_stat_statements.track = all",
        "max_connections = 200",
        "shared_buffers = 64MB",
        "",
    ])


# --- processes -------------------------------------------------------------------------------------
class Cluster:
    """Starts and stops what it started: two PostgreSQL clusters (pg_ctl on their data
    directories), two Odoo process groups, one HAProxy process."""

    def __init__(self, args, workdir):
        self.args, self.w = args, workdir
        self.ports = Ports(args.base_port)
        self.as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.pgdata = {"primary": f"{workdir}/pg/primary", "standby": f"{workdir}/pg/standby"}
        self.sock = f"{workdir}/pg-sock"
        self.data_dir = f"{workdir}/data"        # the shared data directory: sessions + filestore
        self.odoo_pgid, self.haproxy, self.pg_running = {}, None, set()

    def log(self, name):
        return f"{self.w}/log/{name}.log"

    def pg(self, *cmd, **kw):
        return subprocess.run([*self.as_pg, *cmd], check=True, capture_output=True, text=True, **kw)

    def psql(self, port, sql, db="postgres"):
        out = subprocess.run([f"{PG_BIN}/psql", "-h", HOST, "-p", str(port), "-U", PG_USER, "-d", db,
                              "-XtAqc", sql], check=True, capture_output=True, text=True)
        return out.stdout.strip()

    # PostgreSQL
    def start_primary(self):
        for d in (self.w + "/pg", self.sock):
            os.makedirs(d, exist_ok=True)
        if self.as_pg:   # initdb refuses to run as root: the clusters belong to postgres
            for d in (self.w + "/pg", self.sock, self.w + "/log"):
                shutil.chown(d, "postgres")
        self.pg(f"{PG_BIN}/initdb", "-D", self.pgdata["primary"], "-U", PG_USER, "--auth=trust", "-E", "UTF8",
                "--locale=C.UTF-8")
        with open(f"{self.pgdata['primary']}/postgresql.conf", "a", encoding="utf-8") as f:
            f.write(postgresql_conf(self.ports.primary, self.sock))
        self.pg_start("primary")
        self.psql(self.ports.primary, "CREATE EXTENSION pg_stat_statements")

    def pg_start(self, which):
        self.pg(f"{PG_BIN}/pg_ctl", "-D", self.pgdata[which], "-l", self.log(f"pg-{which}"), "-w", "-t", "60", "start")
        self.pg_running.add(which)

    def pg_stop(self, which, mode="fast"):
        if which in self.pg_running:
            subprocess.run([*self.as_pg, f"{PG_BIN}/pg_ctl", "-D", self.pgdata[which], "-m", mode, "-w", "-t", "30",
                            "stop"], capture_output=True, check=False)
            self.pg_running.discard(which)

    def start_standby(self):
        """pg_basebackup -R: a copy of the primary that streams its WAL and answers reads."""
        self.pg(f"{PG_BIN}/pg_basebackup", "-h", HOST, "-p", str(self.ports.primary), "-U", PG_USER,
                "-D", self.pgdata["standby"], "-R", "-X", "stream", "-c", "fast")
        with open(f"{self.pgdata['standby']}/postgresql.auto.conf", "a", encoding="utf-8") as f:
            f.write(f"port = {self.ports.standby}\n")
        self.pg_start("standby")
        for _ in range(60):
            state = self.psql(self.ports.primary, "SELECT state FROM pg_stat_replication")
            if state == "streaming" and self.psql(self.ports.standby, "SELECT pg_is_in_recovery()") == "t":
                return
            time.sleep(1)
        raise RuntimeError("the standby did not start streaming within 60 s")

    # Odoo
    def start_odoo(self, name):
        log = open(self.log(f"odoo-{name}"), "a", encoding="utf-8")  # noqa: SIM115
        proc = subprocess.Popen([self.args.odoo, "-c", f"{self.w}/odoo-{name}.conf"], stdout=log, stderr=log,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        self.odoo_pgid[name] = proc.pid
        return proc

    def kill_odoo(self, name, sig=signal.SIGKILL):
        pgid = self.odoo_pgid.pop(name, None)
        if pgid:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, sig)
            if sig != signal.SIGKILL:
                time.sleep(2)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pgid, signal.SIGKILL)

    # HAProxy
    def start_haproxy(self):
        cfg = f"{self.w}/haproxy.cfg"
        subprocess.run([self.args.haproxy, "-c", "-q", "-f", cfg], check=True, capture_output=True, text=True)
        log = open(self.log("haproxy"), "a", encoding="utf-8")  # noqa: SIM115
        self.haproxy = subprocess.Popen([self.args.haproxy, "-db", "-f", cfg], stdout=log, stderr=log,
                                        stdin=subprocess.DEVNULL, start_new_session=True)

    def _stats_rows(self):
        with urllib.request.urlopen(f"http://{HOST}:{self.ports.stats}/stats;csv", timeout=5) as resp:
            lines = resp.read().decode().splitlines()
        head = lines[0].lstrip("# ").split(",")
        return [dict(zip(head, line.split(","), strict=False)) for line in lines[1:] if line]

    def haproxy_stats(self):
        """{server name: (status, sessions served, retries, redispatches)} of the http backend."""
        return {r["svname"]: (r["status"], int(r["stot"] or 0), int(r["wretr"] or 0), int(r["wredis"] or 0))
                for r in self._stats_rows() if r["pxname"] == "odoo_http" and r["svname"] in ("a", "b")}

    def all_up(self):
        return all(r["status"] == "UP" for r in self._stats_rows()
                   if r["pxname"].startswith("odoo_") and r["svname"] in ("a", "b"))

    def stop_all(self):
        if self.haproxy and self.haproxy.poll() is None:
            self.haproxy.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.haproxy.wait(5)
            if self.haproxy.poll() is None:
                self.haproxy.kill()
        for name in list(self.odoo_pgid):
            self.kill_odoo(name, signal.SIGTERM)
        for which in ("standby", "primary"):
            self.pg_stop(which)


# --- measurements ----------------------------------------------------------------------------------
def pg_counters(cluster, port, db):
    """(statements, transactions) of the database ``db`` on one server, from pg_stat_statements
    and pg_stat_database; None when the server is down."""
    try:
        out = cluster.psql(port, f"""
            SELECT (SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
                     WHERE d.datname = '{db}'),
                   (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '{db}')""")
    except subprocess.CalledProcessError:
        return None
    statements, xacts = out.split("|")
    return int(statements), int(xacts or 0)


def snapshot(cluster, db):
    return {"primary": pg_counters(cluster, cluster.ports.primary, db),
            "standby": pg_counters(cluster, cluster.ports.standby, db),
            "lb": cluster.haproxy_stats(), "t": time.time()}


def share_line(label, before, after):
    p0, p1, s0, s1 = before["primary"], after["primary"], before["standby"], after["standby"]
    prim = (p1[0] - p0[0], p1[1] - p0[1])
    if s0 is None or s1 is None:
        return f"{label:<34} primary {prim[0]:>7} statements {prim[1]:>6} transactions; standby down"
    stby = (s1[0] - s0[0], s1[1] - s0[1])
    share = stby[0] / max(1, prim[0] + stby[0])
    xshare = stby[1] / max(1, prim[1] + stby[1])
    return (f"{label:<34} primary {prim[0]:>7} / standby {stby[0]:>7} statements: {share:6.1%} on the standby "
            f"(transactions {prim[1]} / {stby[1]}: {xshare:.1%})")


class Calls:
    """Every answered or failed call of the clients, timed, by kind (read-only list or write)."""

    def __init__(self):
        self.lock, self.rows = threading.Lock(), []   # (time, readonly, outcome)

    def between(self, t0, t1):
        out = {}
        for t, readonly, outcome in self.rows:
            if t0 <= t < t1:
                key = ("reads" if readonly else "writes", outcome)
                out[key] = out.get(key, 0) + 1
        return out


def client_class(calls):
    class ClusterClient(loadtest.Client):
        def call(self, login, model, method, **params):
            result = super().call(login, model, method, **params)
            with calls.lock:
                calls.rows.append((time.time(), method == "web_search_read", self.outcome))
            return result
    return ClusterClient


def wait_http(url, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(1)
    return False


def session_shared(ports, db):
    """A session opened on host a is honoured by host b: the hosts share the session store."""
    body = json.dumps({"jsonrpc": "2.0", "method": "call",
                       "params": {"db": db, "login": "sales", "password": "sales"}}).encode()
    req = urllib.request.Request(f"http://{HOST}:{ports.odoo['a']}/web/session/authenticate", data=body,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        cookie = resp.headers["Set-Cookie"].split(";")[0]
        uid_a = json.loads(resp.read())["result"]["uid"]
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}}).encode()
    req = urllib.request.Request(f"http://{HOST}:{ports.odoo['b']}/web/session/get_session_info", data=body,
                                 headers={"Content-Type": "application/json", "Cookie": cookie})
    with urllib.request.urlopen(req, timeout=30) as resp:
        uid_b = json.loads(resp.read()).get("result", {}).get("uid")
    return uid_a, uid_b


def websocket_status(ports):
    """The status of a websocket upgrade through the balancer (101 when /websocket reaches a
    gevent port)."""
    conn = http.client.HTTPConnection(HOST, ports.balancer, timeout=10)
    conn.request("GET", "/websocket", headers={
        "Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Origin": f"http://{HOST}:{ports.balancer}"})
    status = conn.getresponse().status
    conn.close()
    return status


def pct(values, p):
    return loadtest.pct(values, p) if values else float("nan")


def stats_line(label, s):
    med = statistics.median(s.latencies) if s.latencies else float("nan")
    return (f"{label:<34}{len(s.latencies):>9}{len(s.errors):>8}{s.refusals:>9}{s.unavailable:>6}"
            f"{med:>9.0f}{pct(s.latencies, 95):>9.0f}{s.closed:>8}")


# --- the run ---------------------------------------------------------------------------------------
def step(text):
    print(f"\033[1m==> {text}\033[0m", flush=True)


def build(cl, args):
    ports, w = cl.ports, cl.w
    step(f"PostgreSQL 15 primary on {HOST}:{ports.primary} ({w}/pg/primary)")
    cl.start_primary()
    step(f"database {args.db} from the template {args.template} (pg_dump | pg_restore), filestore copied")
    cl.psql(ports.primary, f'CREATE DATABASE "{args.db}"')
    dump = subprocess.Popen(["pg_dump", "-Fc", "-d", args.template], stdout=subprocess.PIPE)
    subprocess.run([f"{PG_BIN}/pg_restore", "--no-owner", "--no-acl", "-h", HOST, "-p", str(ports.primary),
                    "-U", PG_USER, "-d", args.db], stdin=dump.stdout, check=True, capture_output=True)
    dump.wait()
    src = os.path.join(args.template_data_dir, "filestore", args.template)
    if os.path.isdir(src):
        shutil.copytree(src, f"{cl.data_dir}/filestore/{args.db}")
    step("installing qms_customer with its demo data on the primary")
    with open(cl.log("install"), "w", encoding="utf-8") as log:
        subprocess.run([args.odoo, "-c", f"{w}/odoo-a.conf", "-i", "qms_customer", "--stop-after-init", "--no-http",
                        "--log-level=warn"], stdout=log, stderr=log, check=True)
    cfg = subprocess.run([sys.executable, loadtest.__file__, "keys", "--conf", f"{w}/odoo-a.conf", "--db", args.db],
                         check=True, capture_output=True, text=True).stdout
    with open(f"{w}/cfg.json", "w", encoding="utf-8") as f:
        f.write(cfg)
    step(f"streaming hot standby on {HOST}:{ports.standby} (pg_basebackup -R)")
    cl.start_standby()
    step(f"two Odoo servers, {args.workers} workers each: a on {ports.odoo['a']} (gevent {ports.gevent['a']}), "
         f"b on {ports.odoo['b']} (gevent {ports.gevent['b']}), replica {HOST}:{ports.standby}, one data directory")
    for name in ("a", "b"):
        cl.start_odoo(name)
    for name in ("a", "b"):
        for port in (ports.odoo[name], ports.gevent[name]):
            if not wait_http(f"http://{HOST}:{port}/web/health"):
                raise RuntimeError(f"Odoo server {name} did not answer on {port} within 120 s "
                                   f"(see {cl.log('odoo-' + name)})")
    step(f"HAProxy on {HOST}:{ports.balancer} (stats {HOST}:{ports.stats}/stats)")
    cl.start_haproxy()
    if not wait_http(f"http://{HOST}:{ports.balancer}/web/health", 30):
        raise RuntimeError("the balancer does not answer")
    for _ in range(30):   # the balancer's health checks see every server UP
        if cl.all_up():
            break
        time.sleep(1)
    else:
        raise RuntimeError("the balancer's health checks do not see both hosts up")
    return json.loads(cfg)


def run_load(cl, args, cfg):
    ports, db = cl.ports, args.db
    cfg["url"] = f"http://{HOST}:{ports.balancer}"
    server = argparse.Namespace(restarting=False)
    calls = Calls()
    cls = client_class(calls)
    uid_a, uid_b = session_shared(ports, db)
    print(f"session opened on a (uid {uid_a}) is valid on b: uid {uid_b} -> "
          f"{'shared' if uid_a == uid_b else 'NOT SHARED'}")
    print(f"websocket upgrade through the balancer: HTTP {websocket_status(ports)} (101 = reached a gevent port)")

    step(f"load through the balancer: 1 client {args.base_seconds}s, then {args.clients} clients {args.seconds}s")
    loadtest.phase(cfg, 2, 5, server, client_cls=cls)           # warm both hosts' workers
    base = loadtest.phase(cfg, 1, args.base_seconds, server, client_cls=cls)
    s0 = snapshot(cl, db)
    load = loadtest.phase(cfg, args.clients, args.seconds, server, client_cls=cls)
    s1 = snapshot(cl, db)
    capacity_acks, capacity_failed = [], False
    if args.capacity:
        step("capacity through the balancer (tools/loadtest.py capacity): complaint and sale.order workflows")
        capacity_failed = bool(loadtest.cmd_capacity(argparse.Namespace(
            cfg=f"{cl.w}/cfg.json", out=f"{cl.w}/capacity.json", port=ports.balancer, clients=args.capacity,
            seconds=10, base_seconds=10, budget=240, server_pgid=0)))
        with open(f"{cl.w}/capacity.json", encoding="utf-8") as f:
            capacity_acks = json.load(f)["acknowledged"]
    s2 = snapshot(cl, db)

    step(f"fail-over: {args.clients} clients {args.seconds}s; SIGKILL Odoo server a at 1/3, "
         f"stop the standby at 2/3")
    events = {}

    def chaos():
        time.sleep(args.seconds / 3)
        events["s_before_kill"] = snapshot(cl, db)
        events["kill"] = time.time()
        pgid = cl.odoo_pgid["a"]
        cl.kill_odoo("a")
        print(f"   {time.strftime('%H:%M:%S')} SIGKILL to Odoo server a (process group {pgid})", flush=True)
        time.sleep(args.seconds / 3)
        events["s_before_standby"] = snapshot(cl, db)
        events["standby"] = time.time()
        cl.pg_stop("standby", "fast")
        print(f"   {time.strftime('%H:%M:%S')} standby stopped (pg_ctl stop -m fast)", flush=True)
    t_start = time.time()
    chaos_thread = threading.Thread(target=chaos, daemon=True)
    chaos_thread.start()
    fail = loadtest.phase(cfg, args.clients, args.seconds, server, client_cls=cls)
    chaos_thread.join(30)
    s3 = snapshot(cl, db)
    t_end = time.time()

    print(f"\n{'':<34}{'requests':>9}{'errors':>8}{'refused':>9}{'down':>6}{'p50 ms':>9}{'p95 ms':>9}{'closed':>8}")
    print(stats_line("1 client (unloaded)", base))
    print(stats_line(f"{args.clients} clients, all up", load))
    print(stats_line(f"{args.clients} clients, fail-over", fail))
    print("\nshare of the SQL statements of the database run on the standby (pg_stat_statements, "
          "pg_stat_database):")
    print(share_line(f"{args.clients} clients, all up", s0, s1))
    if args.capacity:
        print(share_line("capacity steps (both workflows)", s1, s2))
    print(share_line("fail-over: before the SIGKILL", s2, events["s_before_kill"]))
    print(share_line("fail-over: one Odoo host left", events["s_before_kill"], events["s_before_standby"]))
    after = dict(s3, standby=None)
    print(share_line("fail-over: standby stopped", events["s_before_standby"], after))

    print("\nclients' calls through the balancer in each interval (reads = web_search_read, a readonly method):")
    for label, t0, t1 in (("before the SIGKILL", t_start, events["kill"]),
                          ("one Odoo host left", events["kill"], events["standby"]),
                          ("standby stopped", events["standby"], t_end)):
        row = calls.between(t0, t1)
        parts = ", ".join(f"{kind} {outcome} {n}" for (kind, outcome), n in sorted(row.items()))
        print(f"   {label:<22} {parts}")
    print("\nbalancer (HAProxy) per host: status, requests served, retries, redispatched to the other host")
    for phase_label, snap in (("after the load", s1), ("before the SIGKILL", events["s_before_kill"]),
                              ("at the end", s3)):
        print(f"   {phase_label:<20} " + "; ".join(
            f"{n}: {st} {tot} served, {retr} retries, {redis} redispatched" for n, (st, tot, retr, redis) in
            sorted(snap["lb"].items())))
    served_b = s3["lb"]["b"][1] - events["s_before_kill"]["lb"]["b"][1]
    moved = served_b > 0 and s3["lb"]["a"][0].startswith("DOWN")
    print(f"   after the SIGKILL: host a {s3['lb']['a'][0]}, host b took {served_b} requests "
          f"-> {'clients carried on on the surviving host' if moved else 'clients NOT moved'}")
    fallbacks = sum(read_log(cl, n).count("Failed to open a readonly cursor") for n in ("a", "b"))
    print(f"   Odoo logs: {fallbacks} 'Failed to open a readonly cursor, falling back to read-write cursor'")
    reads_after = calls.between(events["standby"], t_end).get(("reads", "ok"), 0)
    print(f"   reads answered after the standby stopped: {reads_after} "
          f"-> {'reads fell back to the primary' if reads_after else 'NO READ ANSWERED'}")

    out = f"{cl.w}/out.json"
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"acknowledged": base.acknowledged + load.acknowledged + capacity_acks + fail.acknowledged,
                   "pgid": 0}, f)
    # a failure of a request that was in flight when a host or the standby went down is expected;
    # any other failure is not
    stray = [t for t, _ro, outcome in calls.rows if outcome in ("error", "down") and t >= t_start
             and not any(0 <= t - events[e] <= 5 for e in ("kill", "standby"))]
    print(f"   fail-over: {len(fail.errors)} errors and {fail.unavailable} 502/503 answers, "
          f"{len(stray)} of them more than 5 s after the SIGKILL or the standby stop")
    bad_errors = base.errors + load.errors
    for err in (bad_errors + fail.errors)[:10]:
        print("ERROR", err)
    return out, bool(bad_errors) or capacity_failed or bool(stray) or not reads_after or not moved


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=45, help="length of the loaded and fail-over phases")
    parser.add_argument("--base-seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="prefork workers of each Odoo server")
    parser.add_argument("--base-port", type=int, default=18070)
    parser.add_argument("--timeout", type=int, default=1200, help="the whole run stops after this many seconds")
    parser.add_argument("--db", default="qms_cluster")
    parser.add_argument("--template", default="")
    parser.add_argument("--template-data-dir", default=os.path.expanduser("~/.local/share/qms_customer"))
    parser.add_argument("--addons-path", default="")
    parser.add_argument("--odoo", default="odoo")
    parser.add_argument("--haproxy", default="haproxy")
    parser.add_argument("--capacity", type=int, default=0, metavar="MAX_CLIENTS",
                        help="also measure both capacities through the balancer, up to this many clients")
    parser.add_argument("--keep-dir", action="store_true", help="keep the temporary directory (logs)")
    parser.add_argument("--print-config", metavar="DIR", help="write the configuration into DIR and start nothing")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 50:
        parser.error("--clients must be 1..50")
    if not 10 <= args.seconds <= 600 or not 5 <= args.base_seconds <= 120:
        parser.error("--seconds must be 10..600 and --base-seconds 5..120")
    if not 0 <= args.capacity <= 50:
        parser.error("--capacity must be 0..50")
    if not 1024 <= args.base_port <= 65500:
        parser.error("--base-port must be 1024..65500")
    if args.print_config:
        write_config(args, args.print_config)
        return 0
    if not args.template:
        parser.error("--template is required (tools/cluster gives ./dev's template)")
    return run(args)


def write_config(args, workdir):
    ports = Ports(args.base_port)
    os.makedirs(workdir, exist_ok=True)
    for name in ("a", "b"):
        with open(f"{workdir}/odoo-{name}.conf", "w", encoding="utf-8") as f:
            f.write(odoo_conf(name, ports, f"{workdir}/data", args.db, args.addons_path, args.workers))
    with open(f"{workdir}/haproxy.cfg", "w", encoding="utf-8") as f:
        f.write(haproxy_conf(ports, workdir))
    with open(f"{workdir}/postgresql-primary.conf", "w", encoding="utf-8") as f:
        f.write(postgresql_conf(ports.primary, f"{workdir}/pg-sock"))
    return ports


def run(args):
    workdir = os.path.realpath(tempfile.mkdtemp(prefix="qms-cluster-"))
    os.chmod(workdir, 0o755)
    os.makedirs(f"{workdir}/log")
    os.makedirs(f"{workdir}/data")
    write_config(args, workdir)
    cl = Cluster(args, workdir)
    busy = [p for p in cl.ports.all() if port_in_use(p)]
    if busy:
        print(f"ports already in use on {HOST}: {busy}; choose another --base-port", file=sys.stderr)
        shutil.rmtree(workdir)
        return 2

    def on_timeout(_sig, _frame):
        raise TimeoutError(f"tools/cluster stopped after --timeout {args.timeout}s")
    signal.signal(signal.SIGALRM, on_timeout)
    signal.signal(signal.SIGTERM, on_timeout)
    signal.alarm(args.timeout)
    rc = 1
    try:
        cfg = build(cl, args)
        out, failed = run_load(cl, args, cfg)
        cl.kill_odoo("b", signal.SIGTERM)
        step("consistency: every acknowledged slip in the database exactly once, numbers, integrity check")
        check = subprocess.run([sys.executable, loadtest.__file__, "check", "--conf", f"{workdir}/odoo-a.conf",
                                "--db", args.db, "--out", out], capture_output=True, text=True, check=False)
        print(check.stdout + check.stderr[-2000:], end="")
        # "ERROR: ..." alone on a line is PostgreSQL's message under an Odoo "bad query" line
        errors = [line for n in ("a", "b") for line in read_log(cl, n).splitlines()
                  if " ERROR " in line or " CRITICAL " in line or line.startswith("ERROR:")]
        print(f"Odoo logs: {len(errors)} ERROR/CRITICAL lines")
        for line in errors[:5]:
            line = line.rstrip()
            print("   ", line if len(line) < 400 else f"{line[:200]} [...] {line[-200:]}")
        rc = 1 if failed or check.returncode else 0
    except (subprocess.CalledProcessError, RuntimeError, TimeoutError, OSError) as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        if isinstance(exc, subprocess.CalledProcessError):
            print((exc.stdout or "")[-1500:], (exc.stderr or "")[-1500:], file=sys.stderr)
    finally:
        signal.alarm(0)
        step("stopping what this run started and removing its directory")
        cl.stop_all()
        if args.keep_dir:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"tools/cluster: {'ok' if rc == 0 else 'FAILED'}")
    return rc


def read_log(cl, name):
    with open(cl.log(f"odoo-{name}"), encoding="utf-8", errors="replace") as f:
        return f.read()


def port_in_use(port):
    with socket.socket() as s:
        return s.connect_ex((HOST, port)) == 0


if __name__ == "__main__":
    sys.exit(main())
