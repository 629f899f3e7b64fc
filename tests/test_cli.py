"""The `orbitaldc` command, run as a user runs it (subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXE = [sys.executable, "-m", "orbitaldc"]


def cli(*args, check=True):
    env = dict(os.environ, COLUMNS="160")
    proc = subprocess.run(EXE + list(args), capture_output=True, text=True, env=env, timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_run_json_contract():
    out = json.loads(cli("run", "mccalip-2025-12", "--format", "json").stdout)
    for key in ("total_cost_usd", "hardware_cost_usd", "launch_cost_usd", "ops_cost_usd", "replacement_cost_usd",
                "nre_cost_usd", "cost_per_watt_usd", "lcoe_usd_per_mwh", "mass_to_orbit_kg", "satellite_count",
                "launch_count"):
        assert key in out["orbital"], key
    for key in ("total_cost_usd", "capex_usd", "energy_cost_usd", "cost_per_watt_usd", "lcoe_usd_per_mwh"):
        assert key in out["terrestrial"], key
    assert out["orbital"]["total_cost_usd"] == pytest.approx(51.10e9, rel=1e-3)
    assert out["orbital_to_terrestrial_cost_ratio"] == pytest.approx(51.10 / 15.85, rel=2e-3)


def test_run_table_shows_side_by_side():
    text = cli("run", "mccalip-2025-12").stdout
    assert "Orbital" in text and "Terrestrial" in text and "$51.10B" in text and "$15.85B" in text


def test_run_array_set_gives_lists():
    out = json.loads(cli("run", "mccalip-2025-12", "--set", "launch_cost_usd_per_kg=[100,500,3600]", "-f", "json").stdout)
    assert len(out["orbital"]["total_cost_usd"]) == 3
    assert len(out["terrestrial"]["total_cost_usd"]) == 3
    assert out["orbital"]["total_cost_usd"][1] == pytest.approx(51.10e9, rel=1e-3)


def test_breakeven_json():
    out = json.loads(cli("breakeven", "jpl-1mw-2026", "--format", "json").stdout)
    assert out["parameter"] == "launch_cost_usd_per_kg" and out["value"] == pytest.approx(250.0)
    none = json.loads(cli("breakeven", "mccalip-2025-12", "--format", "json").stdout)
    assert none["value"] is None and none["reason"] == "hardware_exceeds_ground" and "hardware alone" in none["text"]


def test_presets_and_params_list():
    text = cli("presets").stdout
    for name in ("mccalip-2025-12", "seed-article-1gw", "starcloud-40mw-2024", "suncatcher-2025", "jpl-1mw-2026"):
        assert name in text
    params = json.loads(cli("params", "--format", "json").stdout)
    assert params["launch_cost_usd_per_kg"]["source"].startswith("McCalip")
    assert "McCalip" in cli("params").stdout


@pytest.mark.parametrize("args,needle", [
    (["run", "mccalip-2025-12", "--set", "bogus=1"], "unknown key 'bogus'"),
    (["run", "mccalip-2025-12", "--set", "pue=-1"], "pue = -1"),
    (["run", "mccalip-2025-12", "--set", "pue"], "KEY=VALUE"),
    (["run", "nowhere.toml"], "no such file"),
    (["run", "not-a-preset"], "neither a scenario file nor a preset"),
    (["breakeven", "mccalip-2025-12", "--param", "nope"], "numeric parameter"),
    (["run", "mccalip-2025-12", "--format", "xml"], "Invalid value for '--format'"),
    (["run"], "Missing argument 'scenario'"),
    (["run", "mccalip-2025-12", "--bogus"], "No such option: --bogus"),
    (["nosuchcommand"], "No such command 'nosuchcommand'"),
])
def test_bad_input_exit_2_one_line_no_traceback(args, needle):
    proc = cli(*args, check=False)
    assert proc.returncode == 2
    assert needle in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_malformed_scenario_file(tmp_path: Path):
    path = tmp_path / "bad.toml"
    path.write_text('extends = "mccalip-2025-12"\nlaunch_cost_usd_per_kg = [1, \n')
    proc = cli("run", str(path), check=False)
    assert proc.returncode == 2 and "malformed TOML" in proc.stderr and "Traceback" not in proc.stderr
