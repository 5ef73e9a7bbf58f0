"""The real Odoo command line against databases of their own, for the tests that install,
upgrade or uninstall the addon (test_install.py, test_faults.py). Not a test module: pytest
imports it, Odoo's runner never sees it."""
import contextlib
import os
import re
import shutil
import subprocess
import sys

import pytest

TEMPLATE = os.environ.get("QMS_TEST_TEMPLATE_NODEMO")
CONF = os.path.join(os.environ.get("QMS_ODOO", ""), "odoo.conf")
DATA_DIR = os.environ.get("QMS_DATA_DIR", "")
BAD_LOG_LINE = re.compile(r"^\S+ \S+ \d+ (?:WARNING|ERROR|CRITICAL) .*$", re.M)

needs_template = pytest.mark.skipif(not TEMPLATE, reason="run through ./dev test (needs the no-demo template)")


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
