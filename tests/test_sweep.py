"""Sweeps (orbitaldc.sweep): grids, chunked Parquet, local processes, Dask, resume after a kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from orbitaldc import sweep
from orbitaldc.compare import evaluate
from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import load_scenario

PRESET = "mccalip-2025-12"
GRID = ["launch_cost_usd_per_kg=100:3000:100", "terrestrial_power_source=gas,grid", "pue=1.1,1.2,1.4"]


def _parts(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.name.startswith("part-") and p.name.endswith(".parquet"))


# ----------------------------------------------------------------------------- axes


def test_parse_axis_ranges_and_lists():
    a = sweep.parse_axis("launch_cost_usd_per_kg=100:3000:50")
    assert len(a.values) == 59 and a.values[0] == 100.0 and a.values[-1] == 3000.0  # stop inclusive
    assert sweep.parse_axis("launch_cost_usd_per_kg=100:3020:50").values[-1] == 3000.0
    assert sweep.parse_axis("pue=0.1e1, 1.2,1.4").values == (1.0, 1.2, 1.4)
    assert sweep.parse_axis("pue=[1.1,1.3]").values == (1.1, 1.3)
    assert sweep.parse_axis("analysis_years=1:10:3").values == (1.0, 4.0, 7.0, 10.0)
    assert sweep.parse_axis("mass_model=specific_power").values == ("specific_power",)
    # 0.1 steps accumulate no drift: 0.1 x k computed, not summed
    assert sweep.parse_axis("sun_fraction=0.1:1.0:0.1").values[-1] == pytest.approx(1.0, abs=1e-15)


@pytest.mark.parametrize("text, match", [
    ("launch_cost_usd_per_kg", "NAME="),
    ("launch_cost_usd_per_kg=", "no values"),
    ("launch_cost_usd_per_kg=100:3000:0", "STEP"),
    ("launch_cost_usd_per_kg=100:3000:-5", "STEP"),
    ("launch_cost_usd_per_kg=3000:100:5", "below START"),
    ("launch_cost_usd_per_kg=1:2", "START:STOP:STEP"),
    ("launch_cost_usd_per_kg=a,b", "numbers"),
    ("launch_cost_usd_per_kg=-5:30:5", r"\[0, 1e\+06\]"),
    ("launch_cost_usd_per_kg=nan,1", "numbers"),
    ("analysis_years=1.5,2", "whole number"),
    ("pue=1.1,1.1", "repeated"),
    ("mass_model=tiny", "specific_power"),
    ("launch_cost_usd_per_kg=0:1e9:1", "allowed at most"),
    ("lunch_cost=1,2", "unknown key"),
])
def test_invalid_grids_rejected(text, match):
    with pytest.raises(OrbitaldcError, match=match):
        sweep.parse_axis(text)


def test_invalid_sweeps_rejected(tmp_path):
    with pytest.raises(OrbitaldcError, match="no --grid"):
        sweep.plan_sweep(PRESET, [])
    with pytest.raises(OrbitaldcError, match="more than once"):
        sweep.plan_sweep(PRESET, ["pue=1.1", "pue=1.2"])
    with pytest.raises(OrbitaldcError, match="chunk_rows"):
        sweep.plan_sweep(PRESET, ["pue=1.1"], chunk_rows=0)
    with pytest.raises(OrbitaldcError, match="metric"):
        sweep.plan_sweep(PRESET, ["pue=1.1"], metrics=["nope"])
    with pytest.raises(OrbitaldcError, match="rows"):
        sweep.plan_sweep(PRESET, ["launch_cost_usd_per_kg=1:100000:1", "pue=1:5:0.0001"])
    with pytest.raises(OrbitaldcError, match="scheduler"):
        sweep.run_sweep(PRESET, ["pue=1.1"], tmp_path / "s", scheduler="localhost:8786")
    with pytest.raises(OrbitaldcError, match="workers"):
        sweep.run_sweep(PRESET, ["pue=1.1"], tmp_path / "w", workers=0)


# ----------------------------------------------------------------------------- results


def test_sweep_rows_match_point_evaluations(tmp_path):
    out = tmp_path / "s"
    r = sweep.run_sweep(PRESET, GRID, out, chunk_rows=37, workers=1)
    assert (r.rows, r.chunks) == (30 * 2 * 3, 3 * 2)  # 90 rows per model-choice block: 37 + 37 + 16
    df = sweep.read_sweep(out)
    assert list(df["row"]) == list(range(180))
    # C order with the model choice outermost: row 90 + 3 * i + j = grid / launch i / pue j
    row = df.iloc[90 + 3 * 7 + 2]
    assert (row["terrestrial_power_source"], row["launch_cost_usd_per_kg"], row["pue"]) == ("grid", 800.0, 1.4)
    point = evaluate(PRESET, {"terrestrial_power_source": "grid", "launch_cost_usd_per_kg": 800.0, "pue": 1.4})
    assert row["orbital.total_cost_usd"] == pytest.approx(float(point.orbital.total_cost_usd), rel=1e-12)
    assert row["terrestrial.total_cost_usd"] == pytest.approx(float(point.terrestrial.total_cost_usd), rel=1e-12)
    assert row["orbital_to_terrestrial_cost_ratio"] == pytest.approx(float(point.cost_ratio), rel=1e-12)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["rows"] == 180 and manifest["chunk_rows"] == 37
    assert not [p for p in out.iterdir() if ".tmp-" in p.name]


def test_local_processes_identical_to_in_process(tmp_path):
    sweep.run_sweep(PRESET, GRID, tmp_path / "one", chunk_rows=40, workers=1)
    r = sweep.run_sweep(PRESET, GRID, tmp_path / "two", chunk_rows=40, workers=2)
    assert r.executor == "local x2"
    pd.testing.assert_frame_equal(sweep.read_sweep(tmp_path / "one"), sweep.read_sweep(tmp_path / "two"))


def test_dask_localcluster_identical_to_local(tmp_path):
    """A real distributed cluster on loopback TCP (2 in-process workers), same Parquet contents."""
    from distributed import LocalCluster

    sweep.run_sweep(PRESET, GRID, tmp_path / "local", chunk_rows=40, workers=1)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", host="127.0.0.1",
                      dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        r = sweep.run_sweep(PRESET, GRID, tmp_path / "dask", chunk_rows=40, scheduler=address)
    assert r.executor.startswith("dask tcp://127.0.0.1")
    names = sorted(p.name for p in _parts(tmp_path / "local"))
    assert names == sorted(p.name for p in _parts(tmp_path / "dask"))
    for name in names:  # part by part, not only the concatenation
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "local" / name), pd.read_parquet(tmp_path / "dask" / name))


def test_unreachable_scheduler_is_a_clean_error(tmp_path, monkeypatch):
    monkeypatch.setattr(sweep, "CONNECT_TIMEOUT_S", 1)
    with pytest.raises(OrbitaldcError, match="cannot connect"):
        sweep.run_sweep(PRESET, ["pue=1.1"], tmp_path / "x", scheduler="tcp://127.0.0.1:9")


# ----------------------------------------------------------------------------- resume


def test_resume_recomputes_only_missing_chunks(tmp_path):
    out = tmp_path / "s"
    sweep.run_sweep(PRESET, GRID, out, chunk_rows=40, workers=1)
    full = sweep.read_sweep(out)
    parts = _parts(out)
    parts[3].unlink()
    parts[5].unlink()
    (out / ".part-000009.parquet.tmp-12345").write_bytes(b"half a file")  # a killed writer's leftover
    r = sweep.run_sweep(PRESET, GRID, out, chunk_rows=40, workers=1)
    assert (r.computed_chunks, r.skipped_chunks) == (2, r.chunks - 2)
    pd.testing.assert_frame_equal(sweep.read_sweep(out), full)
    assert not [p for p in out.iterdir() if ".tmp-" in p.name]


def test_different_sweep_in_folder_refused_unless_overwrite(tmp_path):
    out = tmp_path / "s"
    sweep.run_sweep(PRESET, ["pue=1.1,1.2"], out, workers=1)
    with pytest.raises(OrbitaldcError, match="different sweep"):
        sweep.run_sweep(PRESET, ["pue=1.1,1.3"], out, workers=1)
    with pytest.raises(OrbitaldcError, match="different sweep"):  # same grid, other chunking
        sweep.run_sweep(PRESET, ["pue=1.1,1.2"], out, workers=1, chunk_rows=1)
    sweep.run_sweep(PRESET, ["pue=1.1,1.3"], out, workers=1, overwrite=True)
    assert list(sweep.read_sweep(out)["pue"]) == [1.1, 1.3]


def test_killed_sweep_process_resumes_with_exactly_the_expected_rows(tmp_path):
    """SIGKILL a real `python -m orbitaldc sweep` mid-way, start it again: every row once."""
    out = tmp_path / "s"
    grid = ["--grid", "launch_cost_usd_per_kg=100:3000:0.5", "--grid", "pue=1.1,1.2"]
    cmd = [sys.executable, "-m", "orbitaldc", "sweep", PRESET, *grid, "-o", str(out),
           "--chunk-rows", "10", "--workers", "1", "--metric", "cost_ratio", "--no-progress"]
    total_rows, total_chunks = 5801 * 2, 1161
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if out.is_dir() and len(_parts(out)) >= 40:
            break
        if proc.poll() is not None:
            pytest.fail(f"sweep ended before it could be killed: {proc.stderr.read().decode()}")
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    killed_at = len(_parts(out))
    assert 0 < killed_at < total_chunks, killed_at  # really killed mid-way
    again = subprocess.run(cmd + ["--format", "json"], capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    result = json.loads(again.stdout)
    assert result["skipped_chunks"] >= killed_at and result["skipped_chunks"] + result["computed_chunks"] == total_chunks
    df = sweep.read_sweep(out)
    assert len(df) == total_rows
    assert df["row"].tolist() == list(range(total_rows))  # none lost, none duplicated
    expected_price = 100.0 + 0.5 * (np.arange(total_rows) // 2)
    np.testing.assert_array_equal(df["launch_cost_usd_per_kg"].to_numpy(), expected_price)
    np.testing.assert_array_equal(df["pue"].to_numpy(), np.tile([1.1, 1.2], 5801))
    # spot check values against the model
    sc = load_scenario(PRESET)
    i = 4321
    point = evaluate(sc, {"launch_cost_usd_per_kg": float(expected_price[i]), "pue": 1.1 if i % 2 == 0 else 1.2})
    assert df["orbital_to_terrestrial_cost_ratio"].iloc[i] == pytest.approx(float(point.cost_ratio), rel=1e-12)
    assert not [p for p in out.iterdir() if ".tmp-" in p.name]


def test_cli_sweep_errors_exit_2(tmp_path):
    for args in (["--grid", "pue=1.1:1.0:0.1"], ["--grid", "nope=1"], []):
        p = subprocess.run([sys.executable, "-m", "orbitaldc", "sweep", PRESET, *args, "-o", str(tmp_path / "x")],
                           capture_output=True, text=True, timeout=60)
        assert p.returncode == 2, (args, p.stderr)
        assert p.stderr.startswith("error:") and "Traceback" not in p.stderr
