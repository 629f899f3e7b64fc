"""Monte Carlo, tornado and Sobol (orbitaldc.uncertainty): analytic answers, the scenario's values, CLI."""

from __future__ import annotations

from orbitaldc.cli.testing import invoke
import json
import math

import numpy as np
import pytest

from orbitaldc import uncertainty as unc
from orbitaldc.compare import breakeven, evaluate
from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import load_scenario
from orbitaldc.sampling import SOURCE_LIBRARY, SOURCE_RECENTRED, define_problem

PRESET = "mccalip-2025-12"
RATIO = "orbital_to_terrestrial_cost_ratio"
#: McCalip's launch price (500 $/kg) on the library's loguniform 100-3600 $/kg re-centred: the
#: median sqrt(100 x 3600) = 600 moves to 500, so the bounds scale by 500/600.
LOW, HIGH = 100.0 * 500.0 / 600.0, 3600.0 * 500.0 / 600.0


def _launch_case():
    """McCalip at $5/W hardware: orbit is cheaper below a launch price inside the sampled range."""
    return load_scenario(PRESET, {"satellite_cost_usd_per_w": 5.0})


def test_montecarlo_percentiles_and_probability_match_analytic_answer():
    """Only the launch price varies (loguniform LOW-HIGH $/kg): orbital total = a + m L is
    monotone in L, so its percentiles are a + m LOW 36^q, and P(orbit cheaper) = ln(L*/LOW)/ln 36
    with L* the break-even price from the independent bisection solver. Tolerances: 5 standard
    errors of the sample quantile / proportion at n = 200,000."""
    sc = _launch_case()
    n = 200_000
    r = unc.monte_carlo(sc, n, seed=7, params=["launch_cost_usd_per_kg"], chunk_size=60_000)
    assert r.parameters["launch_cost_usd_per_kg"]["low"] == pytest.approx(LOW, rel=1e-12)
    base = evaluate(sc)
    mass = float(base.orbital.mass_to_orbit_kg)
    a = float(base.orbital.total_cost_usd) - mass * 500.0
    for key, q in (("p5", 0.05), ("p50", 0.5), ("p95", 0.95)):
        price = LOW * 36.0 ** q
        # standard error of the q-quantile of L: sqrt(q(1-q)/n) / f(L_q), f(L) = 1 / (L ln 36)
        se = math.sqrt(q * (1 - q) / n) * price * math.log(36.0)
        got = r.percentiles["orbital.total_cost_usd"][key]
        assert got == pytest.approx(a + mass * price, abs=5 * mass * se)
    star = breakeven(sc).value
    p = math.log(star / LOW) / math.log(36.0)
    assert 0.2 < p < 0.8
    assert r.probability_orbital_cheaper == pytest.approx(p, abs=5 * math.sqrt(p * (1 - p) / n))
    terr = float(base.terrestrial.total_cost_usd)  # terrestrial side is not sampled here
    assert r.percentiles["terrestrial.total_cost_usd"]["p5"] == pytest.approx(terr, rel=1e-12)
    assert r.percentiles[RATIO]["p50"] == pytest.approx(r.percentiles["orbital.total_cost_usd"]["p50"] / terr, rel=1e-9)


def test_moving_a_value_moves_its_distribution():
    """Issue 14: at 200 and 2000 $/kg the library's launch spread is re-centred on each value.

    (a) The sampled launch price has its median at the scenario value (tolerance 5 standard
    errors of the median of a loguniform, 0.5/sqrt(n) x L x ln 36 / L relative);
    (b) with only the launch price sampled the cost ratio is increasing in it, so the ratio's
    P50 is the ratio at the scenario value (same tolerance through the linear map);
    (c) with every input sampled the two distributions are clearly apart (P50 ratio > 1.5x)."""
    n = 40_000
    for price in (200.0, 2000.0):
        sc = load_scenario(PRESET, {"launch_cost_usd_per_kg": price})
        drawn = define_problem(sc, [RATIO]).sample(n, np.random.default_rng(2))["launch_cost_usd_per_kg"]
        rel_se = 0.5 / math.sqrt(n) * math.log(36.0)
        assert np.median(drawn) == pytest.approx(price, rel=5 * rel_se)
        only = unc.monte_carlo(sc, n, seed=3, params=["launch_cost_usd_per_kg"])
        point = float(evaluate(sc).cost_ratio)
        assert only.percentiles[RATIO]["p50"] == pytest.approx(point, rel=5 * rel_se)
    low = unc.monte_carlo(load_scenario(PRESET, {"launch_cost_usd_per_kg": 200.0}), n, seed=1)
    high = unc.monte_carlo(load_scenario(PRESET, {"launch_cost_usd_per_kg": 2000.0}), n, seed=1)
    assert high.percentiles[RATIO]["p50"] > 1.5 * low.percentiles[RATIO]["p50"]
    assert high.percentiles[RATIO]["p5"] > low.percentiles[RATIO]["p5"]


def test_result_says_where_each_distribution_came_from():
    r = unc.monte_carlo(PRESET, 2000, seed=1)
    src = {k: v["source"] for k, v in r.parameters.items()}
    assert src["satellite_cost_usd_per_w"] == SOURCE_LIBRARY  # McCalip's 22 $/W is the library mode
    assert src["launch_cost_usd_per_kg"] == SOURCE_RECENTRED  # 500 $/kg vs the library median 600
    assert "not an input" in r.not_sampled["radiator_temperature_k"]
    d = r.to_dict()
    assert d["not_sampled"] == r.not_sampled and d["parameters"]["pue"]["source"] == SOURCE_LIBRARY
    stated = unc.monte_carlo(PRESET, 2000, seed=1, uncertainty={
        "launch_cost_usd_per_kg": {"distribution": "uniform", "low": 300.0, "high": 700.0},
        "pue": {"distribution": "fixed"}})
    assert stated.parameters["launch_cost_usd_per_kg"]["source"] == "scenario"
    assert stated.parameters["launch_cost_usd_per_kg"]["low"] == 300.0
    assert "pue" not in stated.parameters and "fixed by the scenario" in stated.not_sampled["pue"]


def test_montecarlo_reproducible_and_streaming_percentiles_agree_with_exact():
    sc = load_scenario(PRESET)
    a = unc.monte_carlo(sc, 30_000, seed=3, chunk_size=10_000)
    b = unc.monte_carlo(sc, 30_000, seed=3, chunk_size=10_000)
    c = unc.monte_carlo(sc, 30_000, seed=4, chunk_size=10_000)
    assert a.percentiles == b.percentiles and a.means == b.means and a.exact
    assert a.percentiles != c.percentiles
    s = unc.monte_carlo(sc, 30_000, seed=3, chunk_size=10_000, exact_limit=0)  # same samples, histogram
    assert not s.exact
    for metric, p in a.percentiles.items():
        for key, value in p.items():  # histogram resolution ~ ln(range)/65536 < 1e-3
            assert s.percentiles[metric][key] == pytest.approx(value, rel=1e-3), (metric, key)
        assert p["p5"] <= p["p50"] <= p["p95"]
    assert s.probability_orbital_cheaper == a.probability_orbital_cheaper
    kept = unc.monte_carlo(sc, 30_000, seed=3, chunk_size=10_000, keep_values=True)
    assert kept.percentiles == a.percentiles
    assert list(np.percentile(kept.values[RATIO], [5, 50, 95])) == list(a.percentiles[RATIO].values())


def test_invalid_requests_rejected():
    with pytest.raises(OrbitaldcError, match="samples"):
        unc.monte_carlo(PRESET, 0)
    with pytest.raises(OrbitaldcError, match="not uncertain"):
        unc.monte_carlo(PRESET, 10, params=["mass_model"])
    with pytest.raises(OrbitaldcError, match="not uncertain"):
        unc.tornado(PRESET, params=["target_power_w"])
    # uncertain, but McCalip's whole-satellite model never reads it: refused, not sampled for nothing
    with pytest.raises(OrbitaldcError, match="'radiator_temperature_k' cannot move the requested metrics.*specific_power"):
        unc.monte_carlo(PRESET, 10, params=["radiator_temperature_k"])
    with pytest.raises(OrbitaldcError, match="radiator_temperature_k' cannot move"):
        unc.tornado(PRESET, params=["radiator_temperature_k", "pue"])
    with pytest.raises(OrbitaldcError, match="metric"):
        unc.monte_carlo(PRESET, 10, metrics=["orbital.nope"])
    with pytest.raises(OrbitaldcError, match="single scenario"):
        unc.monte_carlo(load_scenario(PRESET, {"pue": [1.1, 1.2]}), 10)
    with pytest.raises(OrbitaldcError, match=r"uncertainty.pue.low = 0.5"):
        unc.monte_carlo(PRESET, 10, uncertainty={"pue": {"distribution": "uniform", "low": 0.5, "high": 1.5}})


# ----------------------------------------------------------------------------- sensitivity


def test_tornado_ordering_and_swings_match_hand_calculation():
    """Cost ratio is linear in launch price (mass x dL) and satellite $/W (installed W x dc x
    (1 + years x (ops + failure rate)) in McCalip's model), so those swings are exact."""
    sc = load_scenario(PRESET)
    t = unc.tornado(sc)
    base = evaluate(sc)
    terr = float(base.terrestrial.total_cost_usd)
    swings = [b.swing for b in t.bars]
    assert swings == sorted(swings, reverse=True)
    assert [b.parameter for b in t.bars[:2]] == ["launch_cost_usd_per_kg", "satellite_cost_usd_per_w"]
    mass = float(base.orbital.mass_to_orbit_kg)
    assert t.bars[0].swing == pytest.approx(mass * (HIGH - LOW) / terr, rel=1e-12)
    installed = float(base.orbital.installed_power_w)
    # library: satellite_cost_usd_per_w triangular 10-40 $/W (mode 22 = McCalip's value, so not re-centred)
    assert t.bars[1].swing == pytest.approx(installed * (40 - 10) * (1 + 5 * (0.01 + 0.09)) / terr, rel=1e-12)
    assert t.base == pytest.approx(float(base.cost_ratio))
    # a parameter the cost ratio declares but that has no effect here has zero swing (water use)
    water = next(b for b in t.bars if b.parameter == "water_l_per_kwh")
    assert water.swing == 0.0
    # parameters the cost ratio does not read are not varied, and the result says so
    assert "altitude_m" in t.not_varied and all(b.parameter != "altitude_m" for b in t.bars)


def test_sobol_on_model_ranks_like_tornado():
    r = unc.sobol(PRESET, n=512, seed=1)
    names = list(r.indices)
    assert names[0] == "launch_cost_usd_per_kg"
    assert r.indices["water_l_per_kwh"]["ST"] == pytest.approx(0.0, abs=1e-9)
    assert r.evaluations == 512 * (len(names) + 2)
    assert set(r.sources) == set(names) and "altitude_m" in r.not_sampled


# ----------------------------------------------------------------------------- CLI


def _cli(*args):
    return invoke(*args, columns=80)


def test_cli_montecarlo_json_contract():
    p = _cli("montecarlo", PRESET, "-n", "2e4", "--seed", "5", "--format", "json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["samples"] == 20_000 and out["seed"] == 5
    assert 0.0 <= out["probability_orbital_cheaper"] <= 1.0
    for metric in ("orbital.total_cost_usd", "terrestrial.total_cost_usd", "orbital.cost_per_watt_usd",
                   "orbital.lcoe_usd_per_mwh", "terrestrial.lcoc_usd_per_gpu_hour", RATIO):
        assert set(out["percentiles"][metric]) == {"p5", "p50", "p95"}
    assert out["parameters"]["launch_cost_usd_per_kg"]["source"] == SOURCE_RECENTRED
    assert "altitude_m" in out["not_sampled"]
    same = unc.monte_carlo(PRESET, 20_000, seed=5)
    assert out["percentiles"]["orbital.total_cost_usd"]["p50"] == pytest.approx(
        same.percentiles["orbital.total_cost_usd"]["p50"], rel=1e-12)


def test_cli_sensitivity_and_errors():
    p = _cli("sensitivity", PRESET, "--format", "json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["bars"][0]["parameter"] == "launch_cost_usd_per_kg"
    for bad in (["montecarlo", PRESET, "-n", "0"], ["montecarlo", PRESET, "-n", "many"],
                ["sensitivity", PRESET, "--metric", "nope"], ["sensitivity", PRESET, "--method", "sobol", "-n", "1"]):
        p = _cli(*bad)
        assert p.returncode == 2, (bad, p.stderr)
        assert "Traceback" not in p.stderr
