"""orbitaldc.sampling: inverse CDFs, truncation, the re-centring rule, copula correlations, percentiles, Sobol."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from scipy import stats

from orbitaldc import sampling
from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import ParamSpec, load_library, load_scenario

PRESET = "mccalip-2025-12"
Z95 = 1.6448536269514722  # standard-normal 95th percentile (Abramowitz & Stegun 26.2.23 tables)


def spec(name="x", dist="uniform", value=1.0, low=0.0, high=2.0, vmin=None, vmax=None, typ="float", **kw):
    return ParamSpec(name=name, value=value, unit="1", type=typ, role="assumption", source="test",
                     min=vmin, max=vmax, low=low, high=high, distribution=dist, **kw)


# ----------------------------------------------------------------------------- marginals


def test_inverse_cdfs_match_scipy_distributions():
    """Each inverse CDF against scipy.stats (an independent implementation); float64 round-off.
    The values sit at the library centre, so nothing is re-centred."""
    u = np.array([0.0, 0.05, 0.3, 0.5, 0.77, 0.95, 1.0])
    m = sampling.marginal(spec(dist="uniform", value=4.0, low=2.0, high=6.0), 4.0)
    np.testing.assert_allclose(m.ppf(u), stats.uniform(2.0, 4.0).ppf(u), rtol=1e-12)
    m = sampling.marginal(spec(dist="triangular", value=3.0, low=2.0, high=6.0), 3.0)
    np.testing.assert_allclose(m.ppf(u), stats.triang(0.25, loc=2.0, scale=4.0).ppf(u), rtol=1e-12)
    m = sampling.marginal(spec(dist="loguniform", value=600.0, low=100.0, high=3600.0), 600.0)
    np.testing.assert_allclose(m.ppf(u), stats.loguniform(100.0, 3600.0).ppf(u), rtol=1e-12)
    # normal/lognormal: low/high are P5/P95, the scenario value the median
    m = sampling.marginal(spec(dist="normal", value=10.0, low=8.0, high=12.0), 10.0)
    inner = u[1:-1]
    np.testing.assert_allclose(m.ppf(inner), stats.norm(10.0, 2.0 / Z95).ppf(inner), rtol=1e-12)
    np.testing.assert_allclose(m.ppf([0.05, 0.95]), [8.0, 12.0], rtol=1e-12)
    m = sampling.marginal(spec(dist="lognormal", value=4.0, low=2.0, high=8.0), 4.0)
    np.testing.assert_allclose(m.ppf([0.05, 0.5, 0.95]), [2.0, 4.0, 8.0], rtol=1e-12)


def test_truncation_to_allowed_range_is_exact():
    """Standard normal truncated at 0 is the half-normal: median = Phi^-1(0.75) = 0.67449.
    A uniform on [-1, 3] truncated at 0 is uniform on [0, 3] (median 1.5)."""
    m = sampling.marginal(spec(dist="normal", value=0.0, low=-Z95, high=Z95, vmin=0.0), 0.0)
    assert m.ppf(0.5) == pytest.approx(stats.norm.ppf(0.75), rel=1e-9)
    x = m.ppf(np.random.default_rng(1).random(10_000))
    assert x.min() >= 0.0
    m = sampling.marginal(spec(dist="uniform", value=1.0, low=-1.0, high=3.0, vmin=0.0), 1.0)
    np.testing.assert_allclose(m.ppf([0.0, 0.5, 1.0]), [0.0, 1.5, 3.0], rtol=1e-12)


def test_recentring_rule_scales_positive_ranges_and_shifts_the_others():
    """Hand-computed from the rule in orbitaldc.sampling: centre = mode (triangular) or median;
    positive ranges scale by value/centre, others shift by value - centre."""
    lib = load_library()
    m, src = sampling.recentred_marginal(lib["satellite_cost_usd_per_w"], 30.0)  # tri (10, 22, 40)
    assert (m.low, m.mode, m.high) == pytest.approx((10 * 30 / 22, 30.0, 40 * 30 / 22), rel=1e-12)
    assert src == sampling.SOURCE_RECENTRED
    m, _ = sampling.recentred_marginal(lib["launch_cost_usd_per_kg"], 10.0)  # loguniform 100-3600, median 600
    assert (m.low, m.high) == pytest.approx((100 / 60, 60.0), rel=1e-12)
    m, _ = sampling.recentred_marginal(lib["grid_connection_delay_yr"], 2.0)  # uniform 0-7 reaches 0: shifted
    assert (m.low, m.high) == pytest.approx((-1.5, 5.5), rel=1e-12)
    assert m.ppf(0.5) == pytest.approx(2.75, rel=1e-12)  # truncated at the allowed minimum 0
    # at the library centre nothing moves
    m, src = sampling.recentred_marginal(lib["satellite_cost_usd_per_w"], 22.0)
    assert (m.low, m.high, src) == (10.0, 40.0, sampling.SOURCE_LIBRARY)
    # the median of an untruncated marginal is the scenario value, for every shape
    for name, value in (("launch_cost_usd_per_kg", 250.0), ("earth_ir_w_per_m2", 230.0),
                        ("nre_cost_usd", 2e9), ("heat_rate_btu_per_kwh", 7000.0)):
        m, _ = sampling.recentred_marginal(lib[name], value)
        if m.distribution == "triangular":
            assert m.mode == value
        else:
            assert m.ppf(0.5) == pytest.approx(value, rel=1e-12)
    # truncation keeps moved ranges inside the allowed range (sun fraction <= 1)
    assert sampling.marginal(lib["sun_fraction"], 0.99).tornado_range[1] <= 1.0
    with pytest.raises(OrbitaldcError, match="positive value"):
        sampling.recentred_marginal(lib["launch_cost_usd_per_kg"], 0.0)
    with pytest.raises(OrbitaldcError, match="low 3 > high 1"):
        sampling.marginal(spec(low=3.0, high=1.0), 2.0)
    with pytest.raises(OrbitaldcError, match="not an uncertain parameter"):
        sampling.marginal(spec(dist="fixed"), 2.0)


# ----------------------------------------------------------------------------- correlations


def test_correlated_sampling_reproduces_rank_correlation():
    """Gaussian copula with r = 2 sin(pi rho_s / 6) gives Spearman rho_s (Nelsen 2006, 5.1.3);
    tolerance 0.01 ~ 4 standard errors of Spearman's rho at n = 100,000."""
    lib = dict(load_library())
    lib["pue"] = dataclasses.replace(lib["pue"], correlations={"capacity_factor": -0.6})
    sc = load_scenario(PRESET)
    margs = sampling.uncertain_parameters(sc, ["pue", "capacity_factor", "gas_price_usd_per_mmbtu"], library=lib)
    corr = sampling.correlation_matrix(list(margs), lib)
    x = sampling.sample_values(margs, 100_000, np.random.default_rng(5), corr)
    assert stats.spearmanr(x["pue"], x["capacity_factor"]).statistic == pytest.approx(-0.6, abs=0.01)
    assert abs(stats.spearmanr(x["pue"], x["gas_price_usd_per_mmbtu"]).statistic) < 0.01
    # marginals unchanged by the copula: triangular(1.09, 1.2, 1.4) median
    assert np.median(x["pue"]) == pytest.approx(float(margs["pue"].ppf(0.5)), rel=2e-3)


def test_inconsistent_correlations_rejected_and_perfect_correlation_sampled():
    lib = dict(load_library())
    lib["pue"] = dataclasses.replace(lib["pue"], correlations={"capacity_factor": 0.9, "gas_price_usd_per_mmbtu": 0.9})
    lib["capacity_factor"] = dataclasses.replace(lib["capacity_factor"], correlations={"gas_price_usd_per_mmbtu": -0.9})
    with pytest.raises(OrbitaldcError, match="not positive semi-definite"):
        sampling.correlation_matrix(["pue", "capacity_factor", "gas_price_usd_per_mmbtu"], lib)
    lib["capacity_factor"] = dataclasses.replace(lib["capacity_factor"], correlations={"pue": 0.5})
    with pytest.raises(OrbitaldcError, match="different values"):
        sampling.correlation_matrix(["pue", "capacity_factor"], lib)
    # rho = 1 is positive semi-definite but singular (no Cholesky): the ranks coincide exactly
    lib["capacity_factor"] = dataclasses.replace(lib["capacity_factor"], correlations={})
    lib["pue"] = dataclasses.replace(lib["pue"], correlations={"capacity_factor": 1.0})
    corr = sampling.correlation_matrix(["pue", "capacity_factor"], lib)
    margs = sampling.uncertain_parameters(load_scenario(PRESET), ["pue", "capacity_factor"], library=lib)
    x = sampling.sample_values(margs, 2000, np.random.default_rng(0), corr)
    assert stats.spearmanr(x["pue"], x["capacity_factor"]).statistic == pytest.approx(1.0, abs=1e-12)


# ----------------------------------------------------------------------------- problem


def test_problem_samples_only_declared_inputs_and_says_why_not():
    """McCalip's whole-satellite W/kg model (mass_model = "specific_power") reads no bottom-up
    physics: those stay out, each with a reason; the bottom-up reference samples them."""
    p = sampling.define_problem(PRESET, ["orbital_to_terrestrial_cost_ratio"])
    assert "launch_cost_usd_per_kg" in p.marginals and "altitude_m" not in p.marginals
    assert "not an input" in p.not_sampled["altitude_m"]
    assert "no distribution" in p.not_sampled["target_power_w"]
    assert "trajectory" in p.not_sampled["upmass_kg_per_yr"]
    assert set(p.sources) == set(p.marginals)
    q = sampling.define_problem("reference-1gw-terminator", ["orbital_to_terrestrial_cost_ratio"])
    assert "altitude_m" in q.marginals
    # only the inputs a metric declares: the terrestrial cost never reads the launch price
    t = sampling.define_problem(PRESET, ["terrestrial.total_cost_usd"])
    assert "launch_cost_usd_per_kg" not in t.marginals and "pue" in t.marginals
    with pytest.raises(OrbitaldcError, match="not uncertain"):
        sampling.define_problem(PRESET, None, params=["target_power_w"])
    with pytest.raises(OrbitaldcError, match="single scenario"):
        sampling.define_problem(load_scenario(PRESET, {"pue": [1.1, 1.2]}), None)


@pytest.mark.parametrize("n", [0, -5, 1.5, float("nan"), True, "100", 1e11])
def test_invalid_sample_counts_rejected(n):
    with pytest.raises(OrbitaldcError, match="samples"):
        sampling.check_samples(n)


def test_chunk_streams_are_reproducible_and_independent():
    a = [rng.random(3) for _, rng in sampling.chunk_rngs(7, 10, 4)]
    b = [rng.random(3) for _, rng in sampling.chunk_rngs(7, 10, 4)]
    assert [r for r, _ in sampling.chunk_rngs(7, 10, 4)] == [4, 4, 2]
    np.testing.assert_array_equal(np.array(a), np.array(b))
    assert not np.allclose(a[0], a[1])


# ----------------------------------------------------------------------------- analyze


def test_streaming_percentiles_of_known_distribution():
    """Histogram percentiles against NumPy's exact ones; resolution ln(range)/65536 < 1e-3."""
    sp = sampling.StreamingPercentiles()
    rng = np.random.default_rng(0)
    data = [rng.lognormal(0.0, 1.0, 50_000) for _ in range(4)]
    for d in data:
        sp.add(d)
    allx = np.concatenate(data)
    for q in (5, 50, 95):
        assert sp.percentile(q) == pytest.approx(np.percentile(allx, q), rel=1e-3)


def test_percentile_accumulator_exact_matches_numpy():
    rng = np.random.default_rng(3)
    parts = [rng.normal(size=1000) for _ in range(3)]
    acc = sampling.PercentileAccumulator(exact=True)
    for p in parts:
        acc.add(p)
    allx = np.concatenate(parts)
    assert acc.percentiles() == list(np.percentile(allx, [5, 50, 95]))
    assert acc.mean == pytest.approx(float(allx.mean()), rel=1e-12)


@pytest.mark.parametrize("case", ["normal", "lognormal", "ties", "sorted", "tiny", "nan", "odd", "adversarial"])
def test_exact_percentiles_identical_to_numpy(case):
    """The bracketed selection returns NumPy's linear percentiles bit for bit (same order
    statistics, same interpolation), for random, tied, sorted (pilot brackets miss: fallback)
    and small inputs, and an input built so that every bracket misses (fallback)."""
    rng = np.random.default_rng(8)
    x = {"normal": rng.normal(size=300_001), "lognormal": rng.lognormal(size=423_457),
         "ties": rng.integers(0, 7, 300_000).astype(float), "sorted": np.sort(rng.random(300_000))[::-1].copy(),
         "tiny": rng.random(17), "nan": np.r_[rng.random(300_000), np.nan], "odd": rng.random(299_999) ** 8,
         "adversarial": None}[case]
    if case == "adversarial":  # every pilot value is an outlier: the brackets miss, the fallback answers
        x = np.zeros(300_000)
        x[::16] = 1e9
    qs = (0.0, 5.0, 37.5, 50.0, 95.0, 100.0)
    got = sampling.exact_percentiles(x, qs)
    np.testing.assert_array_equal(got, np.percentile(x, qs))


def test_sobol_indices_of_ishigami_function():
    """Ishigami (a = 7, b = 0.1, inputs U(-pi, pi)): analytic S1 = (0.3139, 0.4424, 0),
    ST = (0.5576, 0.4424, 0.2437) (Ishigami & Homma 1990; Saltelli et al. 2010, sec. 4).
    Tolerance 0.03: about three times SALib's bootstrap half-width at N = 8192."""
    def ishigami(x):
        return np.sin(x[:, 0]) + 7.0 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])

    ppf = lambda u: -np.pi + 2 * np.pi * u  # noqa: E731
    idx = sampling.sobol_indices(ishigami, ["x1", "x2", "x3"], [ppf] * 3, n=8192, seed=11)
    for name, s1, st in (("x1", 0.3139, 0.5576), ("x2", 0.4424, 0.4424), ("x3", 0.0, 0.2437)):
        assert idx[name]["S1"] == pytest.approx(s1, abs=0.03)
        assert idx[name]["ST"] == pytest.approx(st, abs=0.03)
    assert math.isfinite(idx["x3"]["S1_conf"])
