"""The real Odoo command line against databases of their own, for the tests that install,
upgrade or uninstall the addon (test_install.py, test_faults.py). Not a test module.

Those tests copy a database that has qms_customer's dependencies installed without demo data,
named in ``QMS_TEST_TEMPLATE_NODEMO`` (``./dev test`` and ``./dev test-odoo`` pass the cached
template); without it they are skipped, and the runner's summary says why."""
import contextlib
import os
import re
import shutil
import subprocess
import sys
import unittest

TEMPLATE = os.environ.get("QMS_TEST_TEMPLATE_NODEMO")
CONF = os.path.join(os.environ.get("QMS_ODOO", ""), "odoo.conf")
DATA_DIR = os.environ.get("QMS_DATA_DIR", "")
BAD_LOG_LINE = re.compile(r"^\S+ \S+ \d+ (?:WARNING|ERROR|CRITICAL) .*$", re.M)

needs_template = unittest.skipUnless(TEMPLATE, "needs QMS_TEST_TEMPLATE_NODEMO, a database with the dependencies "
                                                "and no demo data (./dev test and ./dev test-odoo pass one)")


def psql(db, sql):
    out = subprocess.run(["psql", "-d", db, "-tAc", sql], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def odoo(*args, stdin=None):
    cmd = [sys.executable, "-c", "import odoo.cli; odoo.cli.main()", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False, input=stdin)


@contextlib.contextmanager
def database_from_template(name):
    """A copy of the no-demo template (database and filestore), dropped afterwards."""
    subprocess.run(["dropdb", "--if-exists", "--force", name], check=True)
    subprocess.run(["createdb", "-T", TEMPLATE, name], check=True)
    src = os.path.join(DATA_DIR, "filestore", TEMPLATE)
    dst = os.path.join(DATA_DIR, "filestore", name)
    shutil.rmtree(dst, ignore_errors=True)
    if os.path.isdir(src):
        shutil.copytree(src, dst, copy_function=os.link)
    try:
        yield name
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", name], check=True)
        shutil.rmtree(dst, ignore_errors=True)
