"""pytest plugin: import this checkout's tests as ``odoo.addons.qms_customer.*``.

pytest-odoo names an addon after its folder, but a clone's folder name is arbitrary; Odoo
itself reaches the checkout through the ``qms_customer`` link that tools/setup.sh makes.
"""
from pathlib import Path

import _pytest.pathlib

ADDON = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    original = _pytest.pathlib.resolve_pkg_root_and_module_name

    def resolve_pkg_root_and_module_name(path, *, consider_namespace_packages=False):
        real = Path(path).resolve()
        if real.is_relative_to(ADDON) and not {".odoo", ".venv"} & set(real.relative_to(ADDON).parts):
            parts = real.relative_to(ADDON).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            return ADDON.parent, ".".join(("odoo", "addons", "qms_customer", *parts))
        return original(path, consider_namespace_packages=consider_namespace_packages)

    _pytest.pathlib.resolve_pkg_root_and_module_name = resolve_pkg_root_and_module_name
