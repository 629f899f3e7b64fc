"""Sweep plans (orbitaldc.sweep.plan): axes, validation, row numbering, one chunk's values."""

from __future__ import annotations

import hashlib
import pickle

import numpy as np
import pytest

from orbitaldc import sweep
from orbitaldc.compare import evaluate
from orbitaldc.errors import OrbitaldcError
from orbitaldc.sweep.plan import Chunking

PRESET = "mccalip-2025-12"


def test_parse_axis_ranges_and_lists():
    a = sweep.parse_axis("launch_cost_usd_per_kg=100:3000:50")
    assert len(a.values) == 59 and a.values[0] == 100.0 and a.values[-1] == 3000.0  # stop inclusive
    assert a.values.dtype == np.float64 and not a.values.flags.writeable and not a.is_choice
    assert sweep.parse_axis("launch_cost_usd_per_kg=100:3020:50").values[-1] == 3000.0
    assert sweep.parse_axis("pue=0.1e1, 1.2,1.4").values.tolist() == [1.0, 1.2, 1.4]
    assert sweep.parse_axis("pue=[1.1,1.3]").values.tolist() == [1.1, 1.3]
    assert sweep.parse_axis("analysis_years=1:10:3").values.tolist() == [1.0, 4.0, 7.0, 10.0]
    choice = sweep.parse_axis("mass_model=specific_power")
    assert choice.values == ("specific_power",) and choice.is_choice
    # 0.1 steps accumulate no drift: 0.1 x k computed, not summed
    assert sweep.parse_axis("sun_fraction=0.1:1.0:0.1").values[-1] == pytest.approx(1.0, abs=1e-15)


def test_manifest_lists_short_axes_and_fingerprints_long_ones():
    plan = sweep.plan_sweep(PRESET, ["launch_cost_usd_per_kg=100:3000:0.5", "pue=1.1,1.2",
                                     "terrestrial_power_source=gas,grid"], metrics=["cost_ratio"])
    axes = plan.manifest()["axes"]
    assert list(axes) == ["terrestrial_power_source", "launch_cost_usd_per_kg", "pue"]
    assert axes["terrestrial_power_source"] == ["gas", "grid"] and axes["pue"] == [1.1, 1.2]
    values = 100.0 + 0.5 * np.arange(5801)  # the grid computed independently, as the parser documents
    assert axes["launch_cost_usd_per_kg"] == {"points": 5801, "first": 100.0, "last": 3000.0,
                                              "sha256": hashlib.sha256(values.astype("<f8").tobytes()).hexdigest()}
    other = sweep.plan_sweep(PRESET, ["launch_cost_usd_per_kg=100:3000.5:0.5", "pue=1.1,1.2",
                                      "terrestrial_power_source=gas,grid"], metrics=["cost_ratio"])
    assert other.manifest()["axes"]["launch_cost_usd_per_kg"] != axes["launch_cost_usd_per_kg"]


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
    ("launch_cost_usd_per_kg=1000:1000.000001:1e-13", "too small to give distinct values"),
    ("lunch_cost=1,2", "unknown key"),
])
def test_invalid_grids_rejected_naming_the_argument_not_a_flag(text, match):
    with pytest.raises(sweep.SweepError, match=match) as info:
        sweep.parse_axis(text)
    assert info.value.argument == "grid"
    assert str(info.value).startswith("grid") and "--" not in str(info.value)  # a library names arguments


def test_invalid_sweeps_rejected():
    cases = [
        (dict(grid=[]), "grid", "no axis"),
        (dict(grid=["pue=1.1", "pue=1.2"]), "grid", "more than once"),
        (dict(grid=["pue=1.1"], chunk_rows=0), "chunk_rows", "chunk_rows"),
        (dict(grid=["pue=1.1"], chunk_rows=True), "chunk_rows", "chunk_rows"),
        (dict(grid=["pue=1.1"], metrics=["nope"]), "metrics", "metric"),
        (dict(grid=["pue=1.1"], metrics=[]), "metrics", "none requested"),
        (dict(grid=["launch_cost_usd_per_kg=1:100000:1", "pue=1:5:0.0001"]), "grid", "rows"),
    ]
    for kwargs, argument, match in cases:
        with pytest.raises(sweep.SweepError, match=match) as info:
            sweep.plan_sweep(PRESET, **kwargs)
        assert info.value.argument == argument, kwargs
    with pytest.raises(sweep.SweepError, match="array parameters"):
        sweep.plan_sweep(evaluate(PRESET, {"pue": [1.1, 1.2]}).scenario, ["pue=1.1"])


def test_error_names_the_interface_flag_and_survives_pickling():
    err = sweep.SweepError("grid 'x': no values", "grid")
    assert err.with_flag({"grid": "--grid"}) == "--grid 'x': no values"
    assert err.with_flag({}) == "grid 'x': no values"
    back = pickle.loads(pickle.dumps(err))  # a worker's error reaches the coordinator intact
    assert type(back) is sweep.SweepError and back.argument == "grid" and str(back) == str(err)
    assert isinstance(back, OrbitaldcError)


def test_chunks_never_cross_a_model_choice_block():
    ch = Chunking(block_rows=90, blocks=2, chunk_rows=37)
    assert (ch.chunks_per_block, ch.chunks, ch.rows) == (3, 6, 180)
    assert [ch.rows_in(c) for c in range(ch.chunks)] == [37, 37, 16, 37, 37, 16]
    assert ch.bounds(4) == (1, 90, 37, 74)


def test_chunk_table_rows_in_c_order_match_point_evaluations():
    grid = ["launch_cost_usd_per_kg=100:3000:100", "terrestrial_power_source=gas,grid", "pue=1.1,1.2,1.4"]
    plan = sweep.plan_sweep(PRESET, grid, chunk_rows=37)
    assert [a.name for a in plan.axes] == ["terrestrial_power_source", "launch_cost_usd_per_kg", "pue"]
    work = pickle.loads(pickle.dumps(plan.work()))  # what a worker receives
    table = work.table(4).to_pandas()  # block 1 (grid), rows 37..73 of the block
    assert table["row"].tolist() == list(range(90 + 37, 90 + 74))
    # C order, model choice outermost: block row 3 * i + j = launch price i, pue j
    row = table.set_index("row").loc[90 + 3 * 12 + 2]
    assert (row["terrestrial_power_source"], row["launch_cost_usd_per_kg"], row["pue"]) == ("grid", 1300.0, 1.4)
    point = evaluate(PRESET, {"terrestrial_power_source": "grid", "launch_cost_usd_per_kg": 1300.0, "pue": 1.4})
    # both are the same float64 arithmetic on the same inputs, vectorized or not: 1e-12 allows
    # for a different summation order in NumPy reductions only
    assert row["orbital.total_cost_usd"] == pytest.approx(float(point.orbital.total_cost_usd), rel=1e-12)
    assert row["orbital_to_terrestrial_cost_ratio"] == pytest.approx(float(point.cost_ratio), rel=1e-12)
    assert table.columns.tolist()[:4] == ["row", "terrestrial_power_source", "launch_cost_usd_per_kg", "pue"]
    assert np.all(np.isfinite(table.drop(columns="terrestrial_power_source").to_numpy(dtype=float)))


def test_workers_rebuild_range_axes_bit_for_bit_from_start_and_step():
    """A range axis travels as (start, step, count); the points a worker rebuilds must be the
    plan's points exactly (same float64 product and sum), including an inexact step."""
    plan = sweep.plan_sweep(PRESET, ["launch_cost_usd_per_kg=100:3000:0.0029", "pue=1.1,1.2,1.4"])
    axis = plan.numeric_axes[0]
    assert len(axis.values) == 1_000_001
    work = pickle.loads(pickle.dumps(plan.work()))
    (name, sent), (_, listed) = work.numeric_axes
    assert name == axis.name and isinstance(sent, sweep.plan.AxisRange) and len(sent) == len(axis.values)
    k = np.arange(len(axis.values))
    assert np.array_equal(sent[k], axis.values) and sent[k].dtype == np.float64
    assert np.array_equal(listed, plan.numeric_axes[1].values)  # a listed axis travels as its values
    # the whole axis would pickle to 8 MB; what a worker receives stays small
    assert len(pickle.dumps(work)) < 100_000
    # chunk tables from the compact plan equal the points of the materialised axis
    table = work.table(7).to_pandas()
    rows = table["row"].to_numpy()
    assert np.array_equal(table["launch_cost_usd_per_kg"].to_numpy(), axis.values[rows // 3])
