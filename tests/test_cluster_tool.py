import importlib.util
import shutil
import subprocess
import tempfile
from pathlib import Path

from odoo.tests import BaseCase, tagged

# the repository's tools/ (the wheel ships no tools/)
TOOL = Path(__file__).resolve().parent.parent / "tools" / "cluster.py"


@tagged("post_install", "-at_install")
class TestClusterTool(BaseCase):
    """tools/cluster's arguments and generated configuration, without starting anything: loopback
    only, writes to the primary and reads to the standby, one data directory for both hosts, the
    balancer's health checks, retries and websocket route (issue #16)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not TOOL.is_file():
            cls.skipTest(cls, "tools/cluster.py is not shipped with the addon (wheel): checked in its repository")
        spec = importlib.util.spec_from_file_location("qms_cluster_tool", TOOL)
        cls.tool = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(cls.tool)

    def write(self, *argv):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        self.assertEqual(self.tool.main(["--print-config", tmp, *argv]), 0)
        return Path(tmp), {f.name: f.read_text(encoding="utf-8") for f in Path(tmp).iterdir() if f.is_file()}

    def test_config(self):
        tmp, files = self.write("--base-port", "20000", "--addons-path", "/a,/b", "--workers", "3")
        a, b, lb = files["odoo-a.conf"], files["odoo-b.conf"], files["haproxy.cfg"]
        for conf, http, gevent in ((a, 20002, 20004), (b, 20003, 20005)):
            self.assertIn("db_host = 127.0.0.1\ndb_port = 20010\n", conf)
            self.assertIn("db_replica_host = 127.0.0.1\ndb_replica_port = 20011\n", conf)
            self.assertIn(f"http_interface = 127.0.0.1\nhttp_port = {http}\ngevent_port = {gevent}\n", conf)
            self.assertIn("workers = 3\n", conf)
            self.assertIn("proxy_mode = True\n", conf)
            self.assertIn(f"data_dir = {tmp}/data\n", conf)   # the same data directory: sessions, filestore
        # the balancer: loopback, both hosts checked, /websocket to the gevent ports, only
        # connection failures retried (a POST that reached a host is never sent twice)
        self.assertIn("bind 127.0.0.1:20000\n", lb)
        self.assertNotIn("0.0.0.0", lb + a + b + files["postgresql-primary.conf"])
        self.assertIn("use_backend odoo_websocket if { path_beg /websocket }", lb)
        ws = lb.split("\nbackend odoo_websocket\n")[1]
        self.assertIn("server a 127.0.0.1:20004", ws)
        self.assertIn("server b 127.0.0.1:20005", ws)
        http_backend = lb.split("\nbackend odoo_http\n")[1].split("\nbackend odoo_websocket\n")[0]
        self.assertIn("server a 127.0.0.1:20002", http_backend)
        self.assertIn("server b 127.0.0.1:20003", http_backend)
        self.assertIn("http-check send meth GET uri /web/health ver HTTP/1.1 hdr Host 127.0.0.1", http_backend)
        self.assertIn("retry-on conn-failure\n", lb)
        self.assertIn("option redispatch", lb)
        self.assertIn("timeout check 10s\n", lb)   # a busy host is slow, not down
        self.assertIn("listen_addresses = '127.0.0.1'", files["postgresql-primary.conf"])
        self.assertIn("port = 20010\n", files["postgresql-primary.conf"])
        haproxy = shutil.which("haproxy")
        if haproxy:   # HAProxy itself accepts it (tools/cluster installs it; the test does not)
            check = subprocess.run([haproxy, "-c", "-f", str(tmp / "haproxy.cfg")], capture_output=True, text=True,
                                   check=False)
            self.assertEqual(check.returncode, 0, check.stdout + check.stderr)

    def test_arguments_refused(self):
        for argv in (["--clients", "0"], ["--clients", "51"], ["--seconds", "5"], ["--base-port", "80"],
                     ["--base-port", "65530"], ["--capacity", "51"], []):   # [] : no --template and no --print-config
            with self.subTest(argv=argv), self.assertRaises(SystemExit):
                self.tool.main(argv)

    def test_capacity_interpolation(self):
        capacity_at = self.tool.loadtest.capacity_at
        self.assertEqual(capacity_at([(1, 100), (2, 150), (4, 250)], 200), (3.0, True))
        self.assertEqual(capacity_at([(1, 100), (2, 150)], 200), (2, False))
        capacity, reached = capacity_at([(1, 100), (2, 220)], 200)
        self.assertAlmostEqual(capacity, 1 + 100 / 120)
        self.assertTrue(reached)
