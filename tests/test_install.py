"""`kg` works from any directory and from an installed package, not only from the checkout."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _env():
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env


def test_python_m_kg_from_a_temporary_directory(tmp_path):
    out = subprocess.run([sys.executable, "-m", "kg", "parse", "--format", "csv"], cwd=tmp_path, env=_env(),
                         capture_output=True, text=True, check=True)
    assert len(out.stdout.splitlines()) == 174
    assert not list(tmp_path.iterdir())


def test_console_script_from_a_temporary_directory(tmp_path):
    kg = shutil.which("kg")
    assert kg, "the kg console script is not on PATH: install the package (see the README)"
    out = subprocess.run([kg, "run"], cwd=tmp_path, env=_env(), capture_output=True, text=True, check=True)
    assert "Parsed 173 tasks" in out.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    # built from a copy: setuptools leaves build/ behind and never clears it, so a module
    # moved or deleted in the checkout would live on in the next wheel built there
    src = tmp_path_factory.mktemp("src") / "respkg"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", "build", "*.egg-info", ".respkg", "__pycache__",
                                                             ".pytest_cache", ".hypothesis"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(dist)], check=True, capture_output=True, env=_env())
    [whl] = dist.glob("respkg-*.whl")
    return whl


def test_wheel_bundles_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "kg/_bundled/data/raw/004_89d412a27e51e6a9.txt" in names
    assert "kg/_bundled/data/jinjiang.toml" in names
    assert "kg/parse/grid.py" in names and "kg/cli.py" in names


def _running_site_dirs() -> list[str]:
    """The directories the running interpreter imports installed packages from.

    Inside a virtual environment these are the environment's own, not the base interpreter's
    (which `system_site_packages` would give, and which need not hold rdflib and the rest)."""
    dirs = [*site.getsitepackages(), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    if site.ENABLE_USER_SITE:
        dirs.append(site.getusersitepackages())
    return [d for d in dict.fromkeys(dirs) if d in sys.path and Path(d).is_dir()]


def _fresh_venv(env_dir: Path) -> Path:
    """A virtual environment that sees the running interpreter's installed dependencies; its python.

    A `.pth` file lists them as plain paths: they come after the environment's own site-packages
    (so the wheel installed there wins), and `.pth` files in them are not run (so the checkout's
    editable install stays out)."""
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(env_dir)
    py = env_dir / "bin" / "python"
    own = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         env=_env(), capture_output=True, text=True, check=True).stdout.strip()
    Path(own, "_running_site_packages.pth").write_text("\n".join(_running_site_dirs()) + "\n", encoding="utf-8")
    return py


def test_installed_wheel_runs_from_elsewhere(wheel, tmp_path):
    """A non-editable install in a fresh virtual environment finds its bundled table."""
    env_dir = tmp_path / "venv"
    py = _fresh_venv(env_dir)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheel)],
                   check=True, capture_output=True, env=_env())
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = subprocess.run([str(py), "-c", "import kg.resources as r; print(r.default_source())"], cwd=work,
                           env=_env(), capture_output=True, text=True, check=True).stdout.strip()
    assert str(env_dir) in where and "_bundled" in where
    out = subprocess.run([str(env_dir / "bin" / "kg"), "run"], cwd=work, env=_env(), capture_output=True,
                         text=True, check=True)
    assert "Parsed 173 tasks" in out.stdout
