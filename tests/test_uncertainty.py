"""Monte Carlo, tornado and Sobol (orbitaldc.uncertainty) and their CLI commands."""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

from orbitaldc import uncertainty as unc
from orbitaldc.compare import breakeven, evaluate
from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import ParamSpec, load_library, load_scenario

PRESET = "mccalip-2025-12"


def spec(name="x", dist="uniform", value=1.0, low=0.0, high=2.0, vmin=None, vmax=None, typ="float", **kw):
    return ParamSpec(name=name, value=value, unit="1", type=typ, role="assumption", source="test",
                     min=vmin, max=vmax, low=low, high=high, distribution=dist, **kw)


# ----------------------------------------------------------------------------- marginals


def test_inverse_cdfs_match_scipy_distributions():
    """Each inverse CDF against scipy.stats (an independent implementation); float64 round-off."""
    u = np.array([0.0, 0.05, 0.3, 0.5, 0.77, 0.95, 1.0])
    m = unc.marginal(spec(dist="uniform", value=3.0, low=2.0, high=6.0), 3.0)
    np.testing.assert_allclose(m.ppf(u), stats.uniform(2.0, 4.0).ppf(u), rtol=1e-12)
    m = unc.marginal(spec(dist="triangular", value=3.0, low=2.0, high=6.0), 3.0)
    np.testing.assert_allclose(m.ppf(u), stats.triang(0.25, loc=2.0, scale=4.0).ppf(u), rtol=1e-12)
    m = unc.marginal(spec(dist="loguniform", value=500.0, low=100.0, high=3600.0), 500.0)
    np.testing.assert_allclose(m.ppf(u), stats.loguniform(100.0, 3600.0).ppf(u), rtol=1e-12)
    # normal/lognormal: low/high are P5/P95, the scenario value the median
    m = unc.marginal(spec(dist="normal", value=10.0, low=8.0, high=12.0), 10.0)
    inner = u[1:-1]
    np.testing.assert_allclose(m.ppf(inner), stats.norm(10.0, 2.0 / 1.6448536269514722).ppf(inner), rtol=1e-12)
    np.testing.assert_allclose(m.ppf([0.05, 0.95]), [8.0, 12.0], rtol=1e-12)
    m = unc.marginal(spec(dist="lognormal", value=4.0, low=2.0, high=8.0), 4.0)
    np.testing.assert_allclose(m.ppf([0.05, 0.5, 0.95]), [2.0, 4.0, 8.0], rtol=1e-12)


def test_truncation_to_allowed_range_is_exact():
    """Standard normal truncated at 0 is the half-normal: median = Phi^-1(0.75) = 0.67449."""
    m = unc.marginal(spec(dist="normal", value=0.0, low=-1.6448536269514722, high=1.6448536269514722, vmin=0.0), 0.0)
    assert m.ppf(0.5) == pytest.approx(stats.norm.ppf(0.75), rel=1e-9)
    x = m.ppf(np.random.default_rng(1).random(10_000))
    assert x.min() >= 0.0


def test_centering_rule_follows_the_scenario_value():
    lib = load_library()
    inside = unc.marginal(lib["satellite_cost_usd_per_w"], 30.0)  # triangular: mode = value
    assert (inside.low, inside.mode, inside.high) == (10.0, 30.0, 40.0)
    shifted = unc.marginal(lib["satellite_cost_usd_per_w"], 80.0)  # outside: shifted by 80 - 22
    assert (shifted.low, shifted.mode, shifted.high) == (68.0, 80.0, 98.0)
    scaled = unc.marginal(lib["launch_cost_usd_per_kg"], 10.0)  # loguniform: scaled by 10/500
    assert (scaled.low, scaled.high) == pytest.approx((2.0, 72.0))
    # truncation keeps shifted ranges inside the allowed range (sun fraction <= 1)
    sun = unc.marginal(lib["sun_fraction"], 0.5)
    assert sun.tornado_range[1] <= 1.0


# ----------------------------------------------------------------------------- Monte Carlo


def _launch_case():
    """McCalip at $5/W hardware: orbit is cheaper below a launch price inside the library range."""
    return load_scenario(PRESET, {"satellite_cost_usd_per_w": 5.0})


def test_montecarlo_percentiles_and_probability_match_analytic_answer():
    """Only the launch price varies (loguniform 100-3600 $/kg): orbital total = a + m L is
    monotone in L, so its percentiles are a + m 100 36^q, and P(orbit cheaper) = ln(L*/100)/ln 36
    with L* the break-even price from the independent bisection solver. Tolerances: 5 standard
    errors of the sample quantile / proportion at n = 200,000."""
    sc = _launch_case()
    n = 200_000
    r = unc.monte_carlo(sc, n, seed=7, params=["launch_cost_usd_per_kg"], chunk_size=60_000)
    base = evaluate(sc)
    mass = float(base.orbital.mass_to_orbit_kg)
    a = float(base.orbital.total_cost_usd) - mass * 500.0
    for key, q in (("p5", 0.05), ("p50", 0.5), ("p95", 0.95)):
        price = 100.0 * 36.0 ** q
        # standard error of the q-quantile of L: sqrt(q(1-q)/n) / f(L_q), f(L) = 1 / (L ln 36)
        se = math.sqrt(q * (1 - q) / n) * price * math.log(36.0)
        got = r.percentiles["orbital.total_cost_usd"][key]
        assert got == pytest.approx(a + mass * price, abs=5 * mass * se)
    star = breakeven(sc).value
    p = math.log(star / 100.0) / math.log(36.0)
    assert 0.2 < p < 0.8
    assert r.probability_orbital_cheaper == pytest.approx(p, abs=5 * math.sqrt(p * (1 - p) / n))
    terr = float(base.terrestrial.total_cost_usd)  # terrestrial side is not sampled here
    assert r.percentiles["terrestrial.total_cost_usd"]["p5"] == pytest.approx(terr, rel=1e-12)
    assert r.percentiles["orbital_to_terrestrial_cost_ratio"]["p50"] == pytest.approx(
        r.percentiles["orbital.total_cost_usd"]["p50"] / terr, rel=1e-9)


def test_montecarlo_reproducible_and_streaming_percentiles_agree_with_exact():
    sc = load_scenario(PRESET)
    a = unc.monte_carlo(sc, 30_000, seed=3, chunk_size=10_000)
    b = unc.monte_carlo(sc, 30_000, seed=3, chunk_size=10_000)
    c = unc.monte_carlo(sc, 30_000, seed=4, chunk_size=10_000)
    assert a.percentiles == b.percentiles and a.exact
    assert a.percentiles != c.percentiles
    s = unc.monte_carlo(sc, 30_000, seed=3, chunk_size=10_000, exact_limit=0)  # same samples, histogram
    assert not s.exact
    for metric, p in a.percentiles.items():
        for key, value in p.items():  # histogram resolution ~ ln(range)/65536 < 1e-3
            assert s.percentiles[metric][key] == pytest.approx(value, rel=1e-3), (metric, key)
        assert p["p5"] <= p["p50"] <= p["p95"]
    assert s.probability_orbital_cheaper == a.probability_orbital_cheaper


def test_streaming_percentiles_of_known_distribution():
    sp = unc.StreamingPercentiles()
    rng = np.random.default_rng(0)
    data = [rng.lognormal(0.0, 1.0, 50_000) for _ in range(4)]
    for d in data:
        sp.add(d)
    allx = np.concatenate(data)
    for q in (5, 50, 95):
        assert sp.percentile(q) == pytest.approx(np.percentile(allx, q), rel=1e-3)


def test_correlated_sampling_reproduces_rank_correlation():
    """Gaussian copula with r = 2 sin(pi rho_s / 6) gives Spearman rho_s (Nelsen 2006, 5.1.3);
    tolerance 0.01 ~ 4 standard errors of Spearman's rho at n = 100,000."""
    lib = dict(load_library())
    lib["pue"] = dataclasses.replace(lib["pue"], correlations={"capacity_factor": -0.6})
    sc = load_scenario(PRESET)
    margs = unc.uncertain_parameters(sc, ["pue", "capacity_factor", "gas_price_usd_per_mmbtu"], library=lib)
    corr = unc.correlation_matrix(list(margs), lib)
    x = unc.sample_values(margs, 100_000, np.random.default_rng(5), corr)
    rho = stats.spearmanr(x["pue"], x["capacity_factor"]).statistic
    assert rho == pytest.approx(-0.6, abs=0.01)
    assert abs(stats.spearmanr(x["pue"], x["gas_price_usd_per_mmbtu"]).statistic) < 0.01
    # marginals unchanged by the copula: triangular(1.09, 1.2, 1.4) median
    assert np.median(x["pue"]) == pytest.approx(float(margs["pue"].ppf(0.5)), rel=2e-3)


def test_inconsistent_correlations_rejected():
    lib = dict(load_library())
    lib["pue"] = dataclasses.replace(lib["pue"], correlations={"capacity_factor": 0.9, "gas_price_usd_per_mmbtu": 0.9})
    lib["capacity_factor"] = dataclasses.replace(lib["capacity_factor"], correlations={"gas_price_usd_per_mmbtu": -0.9})
    with pytest.raises(OrbitaldcError, match="positive definite"):
        unc.correlation_matrix(["pue", "capacity_factor", "gas_price_usd_per_mmbtu"], lib)
    lib["capacity_factor"] = dataclasses.replace(lib["capacity_factor"], correlations={"pue": 0.5})
    with pytest.raises(OrbitaldcError, match="different values"):
        unc.correlation_matrix(["pue", "capacity_factor"], lib)


@pytest.mark.parametrize("n", [0, -5, 1.5, float("nan"), True, "100", 1e11])
def test_invalid_sample_counts_rejected(n):
    with pytest.raises(OrbitaldcError, match="samples"):
        unc.monte_carlo(PRESET, n)


def test_invalid_requests_rejected():
    with pytest.raises(OrbitaldcError, match="not uncertain"):
        unc.monte_carlo(PRESET, 10, params=["mass_model"])
    with pytest.raises(OrbitaldcError, match="not uncertain"):
        unc.tornado(PRESET, params=["target_power_w"])
    with pytest.raises(OrbitaldcError, match="metric"):
        unc.monte_carlo(PRESET, 10, metrics=["orbital.nope"])
    with pytest.raises(OrbitaldcError, match="single point"):
        unc.monte_carlo(load_scenario(PRESET, {"pue": [1.1, 1.2]}), 10)
    with pytest.raises(OrbitaldcError, match="low"):
        unc.marginal(spec(low=3.0, high=1.0), 2.0)


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
    assert [b.parameter for b in t.bars[:3]] == ["launch_cost_usd_per_kg", "satellite_cost_usd_per_w", "sun_fraction"]
    mass = float(base.orbital.mass_to_orbit_kg)
    assert t.bars[0].swing == pytest.approx(mass * (3600 - 100) / terr, rel=1e-12)
    installed = float(base.orbital.installed_power_w)
    assert t.bars[1].swing == pytest.approx(installed * (40 - 10) * (1 + 5 * (0.01 + 0.09)) / terr, rel=1e-12)
    assert t.base == pytest.approx(float(base.cost_ratio))
    # a parameter the cost ratio ignores has zero swing (water use)
    water = next(b for b in t.bars if b.parameter == "water_l_per_kwh")
    assert water.swing == 0.0


def test_sobol_indices_of_ishigami_function():
    """Ishigami (a = 7, b = 0.1, inputs U(-pi, pi)): analytic S1 = (0.3139, 0.4424, 0),
    ST = (0.5576, 0.4424, 0.2437) (Ishigami & Homma 1990; Saltelli et al. 2010, sec. 4).
    Tolerance 0.03: about three times SALib's bootstrap half-width at N = 8192."""
    def ishigami(x):
        return np.sin(x[:, 0]) + 7.0 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])

    ppf = lambda u: -np.pi + 2 * np.pi * u  # noqa: E731
    idx = unc.sobol_indices(ishigami, ["x1", "x2", "x3"], [ppf] * 3, n=8192, seed=11)
    for name, s1, st in (("x1", 0.3139, 0.5576), ("x2", 0.4424, 0.4424), ("x3", 0.0, 0.2437)):
        assert idx[name]["S1"] == pytest.approx(s1, abs=0.03)
        assert idx[name]["ST"] == pytest.approx(st, abs=0.03)


def test_sobol_on_model_ranks_like_tornado():
    r = unc.sobol(PRESET, n=512, seed=1)
    names = list(r.indices)
    assert names[0] == "launch_cost_usd_per_kg"
    assert r.indices["water_l_per_kwh"]["ST"] == pytest.approx(0.0, abs=1e-9)
    assert r.evaluations == 512 * (len(names) + 2)


# ----------------------------------------------------------------------------- CLI


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "orbitaldc", *args], capture_output=True, text=True, timeout=120)


def test_cli_montecarlo_json_contract():
    p = _cli("montecarlo", PRESET, "-n", "2e4", "--seed", "5", "--format", "json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["samples"] == 20_000 and out["seed"] == 5
    assert 0.0 <= out["probability_orbital_cheaper"] <= 1.0
    for metric in ("orbital.total_cost_usd", "terrestrial.total_cost_usd", "orbital.cost_per_watt_usd",
                   "orbital.lcoe_usd_per_mwh", "terrestrial.lcoc_usd_per_gpu_hour", "orbital_to_terrestrial_cost_ratio"):
        assert set(out["percentiles"][metric]) == {"p5", "p50", "p95"}
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
