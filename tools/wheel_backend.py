"""PEP 517 build backend: OCA's whool, on the files an Odoo server needs (pyproject.toml names it).

whool packs every file git tracks, from a directory named like the addon. This repository also
tracks its developer tooling (tools/, docs/, ./dev, CI and lint settings) and may be checked out
under any name (a worktree, a CI workspace). So the addon's files are first copied to
<tmp>/qms_customer, without the developer files, and whool builds from there: the wheel is
``odoo_addon_qms_customer-<manifest version>-py3-none-any.whl`` holding ``odoo/addons/qms_customer``.

An sdist built here carries this file too, so a wheel can be built from the sdist.
"""

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from whool import buildapi

ADDON = "qms_customer"
BACKEND = "tools/wheel_backend.py"
# Developer files of the repository, not shipped in the wheel: a name ending in "/" is a folder.
EXCLUDED = ("tools/", "docs/", ".ci/", "dev", "BENCHMARKS.md", ".gitignore", ".pylintrc",
            ".pre-commit-config.yaml")


def _excluded(path):
    return any(path.startswith(name) if name.endswith("/") else path == name for name in EXCLUDED)


def _source_files(root):
    """The repository's files: git's list in a checkout, every file in an unpacked sdist."""
    if (root / ".git").exists():
        out = subprocess.run(["git", "ls-files", "-z"], cwd=root, check=True, capture_output=True).stdout
        return [name for name in out.decode().split("\0") if name and (root / name).is_file()]
    return [str(path.relative_to(root)) for path in sorted(root.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts]


def addon_files(root, sdist=False):
    """What goes into the distribution: the addon's files (and, in an sdist, this backend)."""
    return [name for name in _source_files(root)
            if not _excluded(name) or (sdist and name == BACKEND)]


@contextmanager
def _staged(sdist=False):
    """Change into <tmp>/qms_customer holding a copy of the files to ship; whool reads the cwd."""
    root = Path.cwd()
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="qms_wheel_") as tmp:
        stage = Path(tmp) / ADDON
        for name in addon_files(root, sdist=sdist):
            target = stage / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / name, target)
        # whool and manifestoo ask git about the cwd: a temporary folder inside some other checkout
        # must not count as part of it (the stage is no checkout: the version is the manifest's)
        ceiling = os.environ.get("GIT_CEILING_DIRECTORIES")
        os.environ["GIT_CEILING_DIRECTORIES"] = tmp
        os.chdir(stage)
        try:
            yield
        finally:
            os.chdir(cwd)
            if ceiling is None:
                os.environ.pop("GIT_CEILING_DIRECTORIES")
            else:
                os.environ["GIT_CEILING_DIRECTORIES"] = ceiling


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    wheel_directory = os.path.abspath(wheel_directory)
    with _staged():
        return buildapi.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_sdist(sdist_directory, config_settings=None):
    sdist_directory = os.path.abspath(sdist_directory)
    with _staged(sdist=True):
        return buildapi.build_sdist(sdist_directory, config_settings)


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    metadata_directory = os.path.abspath(metadata_directory)
    with _staged():
        return buildapi.prepare_metadata_for_build_wheel(metadata_directory, config_settings)
