"""The ``orbitaldc`` command as a user runs it (a few subprocess smoke tests; the rest is in tests/cli/, in process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

EXE = [sys.executable, "-m", "orbitaldc"]


def cli(*args, check=True):
    env = dict(os.environ, COLUMNS="160")
    proc = subprocess.run(EXE + [str(a) for a in args], capture_output=True, text=True, env=env, timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_python_m_orbitaldc_run_json():
    proc = cli("run", "mccalip-2025-12", "--format", "json")
    out = json.loads(proc.stdout)
    # McCalip's published totals (REFERENCES.md sec. 2)
    assert out["orbital"]["total_cost_usd"] == pytest.approx(51.10e9, rel=1e-3)
    assert out["terrestrial"]["total_cost_usd"] == pytest.approx(15.85e9, rel=1e-3)
    assert proc.stderr == ""


@pytest.mark.parametrize("args, code, needle", [
    (["run", "mccalip-2025-12", "--set", "pue=-1"], 2, "error: --set: pue = -1"),
    (["run"], 2, "Missing argument 'scenario'"),
    (["--strict", "run", "mccalip-2025-12", "--set", "grid_price_usd_per_kwh=8.1"], 2, "--strict makes this an error"),
    ([], 2, "Usage"),
])
def test_exit_codes(args, code, needle):
    proc = cli(*args, check=False)
    assert proc.returncode == code
    assert needle in proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr


def test_closed_pipe_is_quiet():
    """`orbitaldc run ... -f json | head`: the reader leaves early; no traceback, no internal error."""
    values = ",".join(str(100 + i) for i in range(5000))
    proc = subprocess.Popen(EXE + ["run", "mccalip-2025-12", "--set", f"launch_cost_usd_per_kg=[{values}]", "-f", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "internal error" not in err, err


def test_interfaces_do_not_import_each_other():
    """report and the CLI are both interfaces: importing the report loads no CLI module, and the
    CLI loads the report and the web app only when a command launches them."""
    checks = {
        "orbitaldc.report": ("orbitaldc.cli", "orbitaldc.web"),
        "orbitaldc.cli": ("orbitaldc.report", "orbitaldc.web"),
        "orbitaldc.formatting": ("orbitaldc.cli", "orbitaldc.report", "orbitaldc.web"),
    }
    for module, banned in checks.items():
        code = (f"import sys, {module}; bad = [m for m in sys.modules if m.startswith({banned!r})]; "
                f"assert not bad, bad")
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, (module, proc.stderr)
