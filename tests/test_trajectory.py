"""Year-by-year trajectories (orbitaldc.trajectory)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from orbitaldc import trajectory as tj
from orbitaldc.compare import evaluate
from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import load_scenario

PRESET = "mccalip-2025-12"


def test_cumulative_upmass_geometric_series():
    # 2026-2028 from 1.9e6 kg in 2024 at 25 %/yr: U(2026) + U(2027) = 1.9e6 (1.25^2 + 1.25^3)
    got = tj.cumulative_upmass_kg(2028, 2026, 1.9e6, 2024, 0.25)
    assert got == pytest.approx(1.9e6 * (1.25**2 + 1.25**3), rel=1e-12)
    assert tj.cumulative_upmass_kg(2030, 2026, 1.0e6, 2024, 0.0) == pytest.approx(4.0e6)
    assert tj.cumulative_upmass_kg(2026, 2026, 1.0e6, 2024, 0.3) == 0.0
    # arrays broadcast
    out = tj.cumulative_upmass_kg(np.array([[2027], [2029]]), 2026, 1.0e6, 2026, np.array([0.0, 0.1]))
    np.testing.assert_allclose(out, [[1.0e6, 1.0e6], [3.0e6, 1.0e6 * (1 + 1.1 + 1.21)]], rtol=1e-12)


ASSUMED = {"trajectory_launch_learning": "assumed"}


def test_no_learning_no_trend_keeps_the_point_comparison():
    sc = load_scenario(PRESET, {**ASSUMED, "trajectory_learning_rate": 0.0})
    t = tj.trajectory(sc, samples=0)
    assert t.years == list(range(2026, 2041))
    assert t.metric == "lcoc_ratio"  # the headline by default
    assert t.ratio == pytest.approx([float(evaluate(sc).lcoc_ratio)] * 15, rel=1e-12)
    assert t.cost_ratio == pytest.approx([float(evaluate(sc).cost_ratio)] * 15, rel=1e-12)
    assert t.first_parity_year is None


def test_wright_law_price_halves_cost_per_doubling_step():
    """Upmass equal to the reference mass each year: cumulative mass 2x after one year, 3x after
    two, so with 20 % learning the price is p0 0.8^log2(k) (Wright 1936)."""
    m0 = load_scenario(PRESET).values["launch_reference_mass_kg"]
    sc = load_scenario(PRESET, {**ASSUMED, "upmass_kg_per_yr": m0, "upmass_growth_per_yr": 0.0, "upmass_base_year": 2026})
    t = tj.trajectory(sc, end_year=2029, samples=0)
    k = np.arange(1, 5)
    np.testing.assert_allclose(t.launch_cost_usd_per_kg, 500.0 * 0.8 ** np.log2(k), rtol=1e-12)
    assert t.launch_cost_usd_per_kg[1] == pytest.approx(400.0)


def test_first_parity_year_matches_year_by_year_evaluation():
    """Cheap satellites plus fast learning: parity is crossed inside the study. Check the year
    against independent evaluations of each year's launch price, satellite cost and W/kg."""
    sc = load_scenario(PRESET, {**ASSUMED, "satellite_cost_usd_per_w": 5.0, "launch_cost_usd_per_kg": 800.0,
                                "satellite_cost_trend_per_yr": -0.05, "specific_power_trend_per_yr": 0.02})
    t = tj.trajectory(sc, samples=0, metric="cost_ratio")
    assert t.first_parity_year is not None and 2026 < t.first_parity_year <= 2040
    values = sc.values
    ratios = []
    for i, year in enumerate(t.years):
        cum = tj.cumulative_upmass_kg(year, 2026, values["upmass_kg_per_yr"], values["upmass_base_year"],
                                      values["upmass_growth_per_yr"])
        m0 = values["launch_reference_mass_kg"]
        price = 800.0 * ((m0 + cum) / m0) ** np.log2(0.8)
        c = evaluate(sc, {"launch_cost_usd_per_kg": float(price),
                          "satellite_cost_usd_per_w": 5.0 * 0.95**i, "specific_power_w_per_kg": 36.5 * 1.02**i})
        ratios.append(float(c.cost_ratio))
    assert t.cost_ratio == pytest.approx(ratios, rel=1e-12) and t.ratio == t.cost_ratio
    expected = next(y for y, r in zip(t.years, ratios) if r <= 1.0)
    assert t.first_parity_year == expected
    assert t.cost_ratio[t.years.index(expected) - 1] > 1.0


def test_parity_on_lcoc_with_the_fitted_learning_rate():
    """Default: the headline LCOC ratio, launch learning fitted to the price history. Each year
    equals an independent evaluation at that year's Wright price with the fitted rate."""
    from orbitaldc.launch import launch_learning_fit

    over = {"satellite_cost_usd_per_w": 5.0, "launch_cost_usd_per_kg": 800.0, "discount_rate_per_yr": 0.07}
    sc = load_scenario(PRESET, over)
    t = tj.trajectory(sc, samples=0)
    rate = launch_learning_fit().learning_rate
    assert t.learning["source"] == "fitted" and t.learning["learning_rate"] == pytest.approx(rate, rel=1e-15)
    v = sc.values
    m0 = v["launch_reference_mass_kg"]
    expected = []
    for year in t.years:
        cum = tj.cumulative_upmass_kg(year, 2026, v["upmass_kg_per_yr"], v["upmass_base_year"], v["upmass_growth_per_yr"])
        price = 800.0 * ((m0 + cum) / m0) ** np.log2(1.0 - rate)
        expected.append(float(evaluate(sc, {"launch_cost_usd_per_kg": float(price)}).lcoc_ratio))
    assert t.ratio == pytest.approx(expected, rel=1e-12)
    hit = [y for y, r in zip(t.years, expected) if r <= 1.0]
    assert t.first_parity_year == (hit[0] if hit else None)


def test_monte_carlo_band_is_ordered_and_reproducible():
    sc = load_scenario(PRESET, {"satellite_cost_usd_per_w": 10.0})
    a = tj.trajectory(sc, samples=500, seed=2)
    b = tj.trajectory(sc, samples=500, seed=2)
    assert a.to_dict() == b.to_dict()
    p5, p50, p95 = (np.array(a.band[k]) for k in ("p5", "p50", "p95"))
    assert np.all(p5 <= p50) and np.all(p50 <= p95)
    prob = np.array(a.probability_orbital_cheaper)
    assert np.all((prob >= 0) & (prob <= 1))
    assert prob[-1] >= prob[0]  # launch only gets cheaper along the learning curve
    pct = a.parity_year_percentiles
    assert pct["p5"] is not None and 2026 <= pct["p5"] <= 2040
    if pct["p50"] is not None:
        assert pct["p5"] <= pct["p50"]
    # fraction reaching parity by the end equals P(cheaper) in at least one year, bounded by it
    assert a.probability_parity_by_end >= prob.max() - 1e-12


def test_invalid_trajectory_requests_rejected():
    with pytest.raises(OrbitaldcError, match="before start"):
        tj.trajectory(PRESET, start_year=2035, end_year=2030)
    with pytest.raises(OrbitaldcError, match="trajectory_end_year"):
        tj.trajectory(PRESET, end_year=3000)
    with pytest.raises(OrbitaldcError, match="samples"):
        tj.trajectory(PRESET, samples=-1)
    with pytest.raises(OrbitaldcError, match="single scenario, but pue is an array"):
        tj.trajectory(load_scenario(PRESET, {"pue": [1.1, 1.2]}))


def test_cli_trajectory_json():
    p = subprocess.run([sys.executable, "-m", "orbitaldc", "trajectory", PRESET, "--end", "2030", "-n", "200",
                        "--format", "json"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["years"] == [2026, 2027, 2028, 2029, 2030]
    assert len(out["band"]["p50"]) == 5 and out["samples"] == 200
    bad = subprocess.run([sys.executable, "-m", "orbitaldc", "trajectory", PRESET, "--start", "2040", "--end", "2030"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.startswith("error:")


def test_cli_trajectory_table_follows_the_metric_and_states_the_fit():
    """The table's ratio column is the followed metric (LCOC ratio by default), the undiscounted
    cost ratio beside it; the learning line carries the Wright's-law fit and its standard error.
    Expected numbers from the library results (rounded as printed: 3 decimals, 1 for percent)."""
    from typer.testing import CliRunner

    from orbitaldc.cli import app
    from orbitaldc.launch import launch_learning_fit

    sc = load_scenario("reference-1gw-allin")
    assert sc.values["trajectory_launch_learning"] == "fitted"
    lib = tj.trajectory(sc, end_year=2028, samples=0)
    assert lib.metric == "lcoc_ratio"
    out = CliRunner().invoke(app, ["trajectory", "reference-1gw-allin", "--end", "2028", "-n", "0"],
                             env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.stderr
    rows = [line.split() for line in out.stdout.splitlines() if line.strip()[:4].isdigit()]
    assert [int(r[0]) for r in rows] == [2026, 2027, 2028]
    for r, lcoc, cost in zip(rows, lib.ratio, lib.cost_ratio):
        assert float(r[4].rstrip("x")) == pytest.approx(lcoc, abs=5e-4)
        assert float(r[5].rstrip("x")) == pytest.approx(cost, abs=5e-4)
    assert lib.ratio[0] != pytest.approx(lib.cost_ratio[0], abs=1e-3)  # the two columns are different quantities
    fit = launch_learning_fit()
    assert f"b = {fit.b:.3f} ± {fit.b_se:.3f}" in out.stdout
    assert f"{100 * fit.learning_rate:.1f} % cheaper per doubling" in out.stdout
    assert "First parity year on lcoc_ratio" in out.stdout
