"""``orbitaldc simulate`` in process (typer's CliRunner): outputs, JSON contract, clean errors."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from orbitaldc.cli.testing import invoke

TERMINATOR = "reference-1gw-terminator"
#: McCalip's scenario with a physical design: the twin steps the bottom-up design's battery and
#: radiator (the specific_power mass model has none and is refused).
MCCALIP = ("mccalip-2025-12", "--set", "mass_model=bottom_up")


def _cli(*args):
    return invoke("simulate", *args, columns=80)  # CliRunner's own default width


def test_simulate_terminator_30_days_writes_series_and_summary(tmp_path):
    out = tmp_path / "run"
    r = _cli("reference-1gw-terminator", "--days", "30", "--satellites", "10", "--step-s", "60", "--out", str(out),
             "--format", "json", "--no-progress")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert json.loads((out / "summary.json").read_text()) == summary
    table = pq.read_table(out / "series")
    assert table.num_rows == 30 * 1440
    assert {"time", "sunlit_fraction", "array_power_w", "battery_soc", "temperature_k", "active_gpus",
            "compute_power_w"} <= set(table.column_names)
    assert (out / "series.png").stat().st_size > 10_000
    sim, avg, lcoc = summary["simulated"], summary["averaged"], summary["lcoc"]
    assert sim["sunlit_fraction"] > 0.99  # dawn-dusk in January: (near) zero eclipse
    assert 0.0 < sim["availability"] <= 1.0
    assert avg["availability"] > 0.9
    assert lcoc["simulated_usd_per_gpu_hour"] > 0 and lcoc["averaged_usd_per_gpu_hour"] > 0


def test_simulate_table_output(tmp_path):
    r = _cli(*MCCALIP, "--days", "0.5", "--satellites", "10", "--out", str(tmp_path / "t"), "--no-plot")
    assert r.returncode == 0, r.stderr
    assert "Averaged model" in r.stdout and "LCOC" in r.stdout and "Simulated" in r.stdout
    assert not (tmp_path / "t" / "series.png").exists()
    r = _cli(*MCCALIP, "--days", "0.2", "--satellites", "4", "--set", "ground_network=none",
             "--out", str(tmp_path / "n"), "--no-plot")
    assert r.returncode == 0, r.stderr
    assert "n/a" in r.stdout and "inf" not in r.stdout  # nothing delivered: no LCOC


@pytest.mark.parametrize("args,needle", [
    (["--days", "0"], "--days: sim_days = 0"),
    (["--step-s", "-5"], "--step-s: sim_step_s"),
    (["--satellites", "0"], "--satellites: sim_satellites"),
    (["--seed", "-1"], "--seed"),
    (["--set", "orbit_type=ring"], "orbit_type"),
    (["--set", "sim_bogus=1"], "unknown key 'sim_bogus'"),
    (["--start", "2026-02-30"], "--start"),
    (["--start", "yesterday"], "--start"),
    (["--tle", "/nonexistent/x.tle"], "no such file"),
])
def test_bad_input_is_one_line_exit_2(args, needle, tmp_path):
    r = _cli(*MCCALIP, *args, "--out", str(tmp_path / "x"), "--no-progress")
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0]


def test_out_must_be_a_folder(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    r = _cli(*MCCALIP, "--days", "0.1", "--out", str(f))
    assert r.returncode == 2 and "not a folder" in r.stderr


def test_start_date_sets_year_and_day(tmp_path):
    out = tmp_path / "s"
    r = _cli(*MCCALIP, "--start", "2028-06-21T06:00", "--days", "0.1", "--satellites", "2", "--out", str(out),
             "--format", "json", "--no-plot")
    assert r.returncode == 0, r.stderr
    start_jd = json.loads(r.stdout)["run"]["start_jd"]
    assert start_jd == pytest.approx(2461943.75)  # 2028-06-21 06:00 UTC (Meeus ch. 7)
    r = _cli(*MCCALIP, "--start", "1800-01-01", "--days", "0.1", "--out", str(out))
    assert r.returncode == 2 and "mission_start_year" in r.stderr
