"""The wheel a user installs: built with ``python -m build``, installed with only the core.

A fresh virtual environment (no system site-packages) gets the wheel and nothing else; pip
resolves the core dependencies from the configured package index (the local mirror here).
Then, as a user would: ``orbitaldc run`` reproduces McCalip's published totals, ``--version``
matches the package metadata, and the commands that need an extra (``serve`` needs [web],
``report`` needs [report], ``sensitivity --method sobol`` needs [sobol]) print one line naming
the extra and exit 2. The optional packages must really be absent there, or the test proves
nothing.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

from orbitaldc.extras import PACKAGE_EXTRA

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _run(args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600, **kw)


@pytest.fixture(scope="module")
def core_env(tmp_path_factory) -> Path:
    """A fresh venv holding the built wheel and only its core dependencies; returns its bin/."""
    tmp = tmp_path_factory.mktemp("wheel")
    built = _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", tmp / "dist", ROOT])
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    wheels = list((tmp / "dist").glob("orbitaldc-*.whl"))
    assert len(wheels) == 1, wheels
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(tmp / "venv")
    bin_dir = tmp / "venv" / "bin"
    # --no-compile: byte-compiling every installed package doubles the install time and tests nothing
    installed = _run([bin_dir / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                      "--no-compile", wheels[0]])
    assert installed.returncode == 0, installed.stderr[-3000:]
    return bin_dir


def test_core_dependencies_only(core_env):
    """None of the optional packages came along with the core."""
    probe = ("import importlib.util, json, sys; "
             "print(json.dumps([m for m in sys.argv[1:] if importlib.util.find_spec(m) is not None]))")
    out = _run([core_env / "python", "-c", probe, *sorted(PACKAGE_EXTRA)])
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_core_runs_the_default_comparison(core_env, tmp_path):
    out = _run([core_env / "orbitaldc", "run", "mccalip-2025-12"], cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    # McCalip (Dec 2025) published $51.10B in orbit and $15.85B on the ground (tests/data/published.toml)
    assert "$51.10B" in out.stdout and "$15.85B" in out.stdout
    mc = _run([core_env / "orbitaldc", "montecarlo", "mccalip-2025-12", "-n", "2000", "--format", "json"], cwd=tmp_path)
    assert mc.returncode == 0, mc.stderr


def test_version_from_metadata(core_env):
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    out = _run([core_env / "orbitaldc", "--version"])
    assert out.returncode == 0 and out.stdout.strip() == f"orbitaldc {meta}"
    code = _run([core_env / "python", "-c", "import orbitaldc; print(orbitaldc.__version__)"])
    assert code.stdout.strip() == meta


@pytest.mark.parametrize("args, extra", [
    (["serve"], "web"),
    (["report", "mccalip-2025-12", "--out", "r.html"], "report"),
    (["sensitivity", "mccalip-2025-12", "--method", "sobol", "-n", "64"], "sobol"),
])
def test_missing_extra_is_one_line_and_exit_2(core_env, tmp_path, args, extra):
    out = _run([core_env / "orbitaldc", *args], cwd=tmp_path)
    assert out.returncode == 2, (out.returncode, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert f"install the [{extra}] extra" in lines[0] and f"orbitaldc[{extra}]" in lines[0]
    assert "Traceback" not in out.stderr and "internal error" not in out.stderr
