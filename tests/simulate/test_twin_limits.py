"""Hostile and limit inputs of the twin: bounded TLE reads, SGP4 failures, bounded calibration.

Each case is checked through the library (a ScenarioError naming the file, the satellite and
the reason) and, for the reproductions of issue 16, through the CLI's entry point in process
(exit 2 and one line on stderr).
"""

from __future__ import annotations

import os
import threading

import numpy as np
import pytest

from conftest import _fix_checksum
from orbitaldc.cli import main
from orbitaldc.compare import evaluate
from orbitaldc.errors import ScenarioError
from orbitaldc.params import as_point
from orbitaldc.simulate import engine, layout, simulate

PHYSICAL = {"mass_model": "bottom_up", "sun_fraction_model": "orbit"}
#: A Sputnik-era element set (epoch 1957-10-04), valid NORAD format.
OLD_TLE = ("OLD", _fix_checksum("1 00002U 57001B   57277.00000000  .00000000  00000-0  00000-0 0  9990"),
           _fix_checksum("2 00002  65.1000 120.0000 0500000  90.0000 270.0000 14.90000000    10"))
#: An element set with a drag term that makes SGP4 fail within a day of its epoch (2026-01-01).
DECAYING_TLE = ("DECAYER", _fix_checksum("1 99999U 26001A   26001.00000000  .00100000  00000-0  50000-1 0  9990"),
                _fix_checksum("2 99999  51.6400 120.0000 0005000  90.0000 270.0000 16.30000000    10"))


def _write(tmp_path, name, tle):
    path = tmp_path / name
    path.write_text("\n".join(tle) + "\n", encoding="ascii")
    return path


def _cli(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        main(["simulate", "mccalip-2025-12", "--set", "mass_model=bottom_up", "--days", "0.05", "--satellites", "2",
              "--no-plot", "--no-progress", *args])
    err = capsys.readouterr().err.strip().splitlines()
    return exc.value.code, err


@pytest.mark.parametrize("path, kind", [("/dev/zero", "a device"), ("/", "a folder")])
def test_tle_that_is_not_a_regular_file_is_refused(path, kind):
    with pytest.raises(ScenarioError, match=f"TLE file {path}: is {kind}; expected a regular file"):
        layout.read_tle(path)


def test_tle_fifo_is_refused_without_blocking(tmp_path):
    """No writer is ever attached: a blocking open would hang; the read runs in a thread so that
    a regression fails this test after 10 s instead of hanging the suite."""
    fifo = _fifo(tmp_path)
    outcome = []

    def read():
        try:
            layout.read_tle(fifo)
        except ScenarioError as exc:
            outcome.append(str(exc))

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(timeout=10.0)
    assert not worker.is_alive(), "reading a FIFO blocked"
    assert outcome and "is a FIFO; expected a regular file" in outcome[0]


def test_tle_larger_than_the_limit_is_refused(tmp_path):
    big = tmp_path / "big.tle"
    with big.open("wb") as fh:  # sparse: no disk used, st_size past the limit
        fh.truncate(layout.MAX_TLE_BYTES + 1)
    with pytest.raises(ScenarioError, match="larger than the"):
        layout.read_tle(big)


def test_out_of_epoch_tle_names_file_satellite_and_reason(tmp_path):
    path = _write(tmp_path, "old.tle", OLD_TLE)
    with pytest.raises(ScenarioError) as exc:
        simulate("mccalip-2025-12", {**PHYSICAL, "sim_days": 0.1}, tle_path=path)
    message = str(exc.value)
    assert f"TLE file {path}" in message and "'OLD'" in message and "1957-10-04" in message
    assert "sim_tle_max_age_days = 30" in message
    assert "near the epoch (1957-10-04: set mission_start_year and sim_start_day)" in message  # arguments, not flags


def test_sgp4_failure_during_the_run_names_file_satellite_and_reason(tmp_path):
    path = _write(tmp_path, "decay.tle", DECAYING_TLE)
    with pytest.raises(ScenarioError) as exc:
        simulate("mccalip-2025-12", {**PHYSICAL, "sim_days": 2.0, "mission_start_year": 2026}, tle_path=path)
    message = str(exc.value)
    assert f"TLE file {path}" in message and "'DECAYER'" in message and "SGP4 fails" in message
    assert "error 1: mean eccentricity is outside the range" in message


def test_specific_power_scenario_has_no_design_to_step():
    with pytest.raises(ScenarioError, match="mass_model = 'specific_power'.*set mass_model = 'bottom_up'"):
        simulate("mccalip-2025-12", {"sim_days": 0.01})


@pytest.mark.parametrize("make, needle", [
    (lambda tmp: "/dev/zero", "is a device"),
    (lambda tmp: _fifo(tmp), "is a FIFO"),
    (lambda tmp: _write(tmp, "old.tle", OLD_TLE), "element set epoch 1957-10-04"),
    (lambda tmp: _write(tmp, "decay.tle", DECAYING_TLE), "SGP4 fails"),
])
def test_cli_hostile_tle_is_exit_2_with_one_line(make, needle, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    extra = ["--start", "2026-01-01"] if needle == "SGP4 fails" else []
    code, err = _cli(capsys, "--tle", str(make(tmp_path)), *extra)
    assert code == 2 and len(err) == 1 and err[0].startswith("error: TLE file") and needle in err[0]


def test_cli_specific_power_is_exit_2(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(["simulate", "mccalip-2025-12", "--days", "0.01", "--no-plot", "--no-progress"])
    err = capsys.readouterr().err.strip().splitlines()
    assert exc.value.code == 2 and len(err) == 1 and "mass_model = 'bottom_up'" in err[0]


def _fifo(tmp_path):
    path = tmp_path / "in.fifo"
    os.mkfifo(path)
    return path


def test_saa_calibration_is_bounded_by_the_chunk_and_the_sample():
    """Blocks of satellites give the same count as one block, and a large sample is calibrated
    on at most SAA_CALIBRATION_SATELLITES evenly spread satellites (so its cost is bounded)."""
    sc = as_point("mccalip-2025-12", {**PHYSICAL, "orbit_type": "leo", "altitude_m": 550e3, "sim_satellites": 60,
                                      "sim_planes": 6})
    setup = engine.build_setup(sc.values, evaluate(sc).orbital.design)
    whole = engine.saa_time_fraction(setup, chunk_sat_steps=10**9)
    assert 0.05 < whole < 0.3  # a 53-deg shell spends a tenth or so of its time in the SAA box
    assert engine.saa_time_fraction(setup, chunk_sat_steps=1440 * 7) == whole  # blocks of 7 satellites
    subsample = engine.saa_time_fraction(setup, satellites=12)
    assert subsample == pytest.approx(whole, abs=0.02)  # 12 of 60 evenly spread orbits: same statistics


def test_hundred_thousand_satellites_fit_in_bounded_memory():
    """The chunk and calibration arrays of a 100,000-satellite twin stay small: peak traced
    allocation (NumPy included) of setting up and running a few steps is under 400 MB."""
    import tracemalloc

    sc = as_point("mccalip-2025-12", {**PHYSICAL, "target_power_w": 3.0e9, "sim_satellites": 100_000,
                                      "sim_days": 0.002})
    setup = engine.build_setup(sc.values, evaluate(sc).orbital.design)
    assert setup.satellites == 100_000
    tracemalloc.start()
    try:
        engine.run(setup)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 400 * 1024 ** 2, f"{peak / 1024 ** 2:.0f} MB"
    assert np.isfinite(setup.interrupts.outside_per_s)
