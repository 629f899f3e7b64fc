"""A scenario states its own uncertainty: TOML tables, validation, inheritance, exact sampling."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from orbitaldc import uncertainty as unc
from orbitaldc.errors import ScenarioError
from orbitaldc.params import load_scenario, scenario_from_text
from orbitaldc.params import scenario as scenario_module
from orbitaldc.sampling import define_problem

PRESET = "mccalip-2025-12"
Z95 = 1.6448536269514722  # standard-normal 95th percentile

STATED = '''extends = "mccalip-2025-12"
name = "stated"
launch_cost_usd_per_kg = 200.0

[uncertainty.launch_cost_usd_per_kg]
distribution = "loguniform"
low = 100
high = 400
correlations = { satellite_cost_usd_per_w = 0.5 }

[uncertainty.nre_cost_usd]
distribution = "fixed"
'''


def _with(table: str, base: str = PRESET):
    return scenario_from_text(f'extends = "{base}"\n' + table, "bad.toml")


def test_stated_uncertainty_is_kept_and_written_back():
    sc = scenario_from_text(STATED, "stated.toml")
    launch = sc.uncertainty["launch_cost_usd_per_kg"]
    assert (launch.distribution, launch.low, launch.high) == ("loguniform", 100.0, 400.0)
    assert launch.correlations == {"satellite_cost_usd_per_w": 0.5}
    assert sc.uncertainty["nre_cost_usd"].distribution == "fixed"
    again = scenario_from_text(sc.to_toml(), "again.toml")
    assert again.uncertainty == sc.uncertainty and again.values == sc.values
    # overrides keep the statements; a statement added by argument is written back too
    more = sc.with_uncertainty({"pue": {"distribution": "triangular", "low": 1.1, "high": 1.5, "mode": 1.3}})
    assert scenario_from_text(more.to_toml(), "more.toml").uncertainty["pue"].mode == 1.3


def test_stated_uncertainty_is_inherited_through_extends(tmp_path, monkeypatch):
    """A preset's statements reach the scenarios that extend it; an own table replaces one."""
    (tmp_path / "base.toml").write_text(STATED.replace('extends = "mccalip-2025-12"\n', ""))
    monkeypatch.setattr(scenario_module, "PRESET_DIR", tmp_path)
    child = scenario_from_text('extends = "base"\n[uncertainty.launch_cost_usd_per_kg]\n'
                               'distribution = "uniform"\nlow = 150\nhigh = 250\n', "child.toml")
    assert child.uncertainty["nre_cost_usd"].distribution == "fixed"  # inherited
    assert child.uncertainty["launch_cost_usd_per_kg"].distribution == "uniform"  # replaced
    assert list(child.own_uncertainty) == ["launch_cost_usd_per_kg"]
    assert "[uncertainty.nre_cost_usd]" not in child.to_toml()  # the preset carries it


@pytest.mark.parametrize("table, words", [
    ('[uncertainty.launch_cost_usd_pr_kg]\ndistribution = "uniform"\nlow = 1\nhigh = 2',
     ["bad.toml", "launch_cost_usd_pr_kg", "did you mean"]),
    ('[uncertainty.mass_model]\ndistribution = "uniform"\nlow = 1\nhigh = 2', ["mass_model", "model choice"]),
    ('[uncertainty.pue]\ndistribution = "uniform"\nlow = 1.5\nhigh = 1.5', ["uncertainty.pue", "low = 1.5 >= high"]),
    ('[uncertainty.pue]\ndistribution = "uniform"\nlow = 0.5\nhigh = 1.5', ["uncertainty.pue.low = 0.5", "[1, 5]"]),
    ('[uncertainty.pue]\ndistribution = "beta"\nlow = 1.1\nhigh = 1.5', ["uncertainty.pue.distribution = 'beta'",
                                                                       "loguniform"]),
    ('[uncertainty.pue]\ndistribution = "uniform"\nlow = "a"\nhigh = 1.5', ["uncertainty.pue.low = 'a'", "finite"]),
    ('[uncertainty.pue]\ndistribution = "uniform"\nhigh = 1.5', ["uncertainty.pue", "low is missing"]),
    ('[uncertainty.pue]\ndistribution = "uniform"\nlow = 1.1\nhigh = 1.5\nsize = 3', ["unknown key 'size'"]),
    ('[uncertainty.pue]\ndistribution = "uniform"\nlow = 1.1\nhigh = 1.5\nmode = 1.2', ["only a triangular"]),
    ('[uncertainty.pue]\ndistribution = "triangular"\nlow = 1.3\nhigh = 1.5', ["pue = 1.2", "outside", "mode"]),
    ('[uncertainty.radiator_blockage_fraction]\ndistribution = "loguniform"\nlow = 0\nhigh = 0.3',
     ["low = 0", "positive"]),
    ('[uncertainty.pue]\ncorrelations = { pue = 0.5 }', ["itself"]),
    ('[uncertainty.pue]\ncorrelations = { capacity_factor = 1.5 }', ["capacity_factor = 1.5", "[-1, 1]"]),
    ('[uncertainty.pue]\ncorrelations = { capacity_factor = 0.9, gas_price_usd_per_mmbtu = 0.9 }\n'
     '[uncertainty.capacity_factor]\ncorrelations = { gas_price_usd_per_mmbtu = -0.9 }',
     ["bad.toml", "positive semi-definite", "capacity_factor:pue = 0.9"]),
    ('uncertainty = 3', ["uncertainty = 3", "tables"]),
])
def test_invalid_statements_rejected_with_one_clear_message(table, words):
    with pytest.raises(ScenarioError) as err:
        _with(table)
    for word in words:
        assert word in str(err.value), (word, str(err.value))


def _draw(table: str, name: str, n: int = 20_000) -> np.ndarray:
    sc = _with(table)
    p = define_problem(sc, None, params=[name])
    assert p.sources[name] == "scenario"
    return p.sample(n, np.random.default_rng(11))[name]


@pytest.mark.parametrize("name, table, dist", [
    ("launch_cost_usd_per_kg", 'distribution = "uniform"\nlow = 100\nhigh = 400', stats.uniform(100, 300)),
    ("launch_cost_usd_per_kg", 'distribution = "loguniform"\nlow = 100\nhigh = 400', stats.loguniform(100, 400)),
    ("satellite_cost_usd_per_w", 'distribution = "triangular"\nlow = 5\nhigh = 40\nmode = 12',
     stats.triang((12 - 5) / 35, loc=5, scale=35)),
    # normal P5/P95 = 3/7: median 5, sigma 2/Z95 = 1.216; truncated at the allowed minimum 0 (4.1 sigma)
    ("gas_price_usd_per_mmbtu", 'distribution = "normal"\nlow = 3\nhigh = 7',
     stats.truncnorm(-5 / (2 / Z95), np.inf, loc=5, scale=2 / Z95)),
    # lognormal P5/P95 = 5e8/3e9: median sqrt(1.5e18), sigma ln(6)/(2 Z95); the allowed maximum 1e12 is 12 sigma out
    ("nre_cost_usd", 'distribution = "lognormal"\nlow = 5e8\nhigh = 3e9',
     stats.lognorm(math.log(6.0) / (2 * Z95), scale=math.sqrt(1.5e18))),
])
def test_stated_distribution_is_sampled_exactly(name, table, dist):
    """Kolmogorov-Smirnov against the stated distribution from scipy.stats (independent code):
    at n = 20,000 a wrong shape, bound or spread of 1 % would give p << 1e-3; the draw is seeded,
    so the test is deterministic."""
    x = _draw(f"[uncertainty.{name}]\n{table}", name)
    assert stats.kstest(x, dist.cdf).pvalue > 1e-3


def test_stated_distribution_does_not_move_with_the_value():
    """The scenario said exactly what it believes: the stated bounds hold at any value."""
    table = '[uncertainty.launch_cost_usd_per_kg]\ndistribution = "uniform"\nlow = 100\nhigh = 400\n'
    a = define_problem(_with(table), None).marginals["launch_cost_usd_per_kg"]
    b = define_problem(_with(table).with_overrides({"launch_cost_usd_per_kg": 350.0}), None)
    assert (b.marginals["launch_cost_usd_per_kg"].low, b.marginals["launch_cost_usd_per_kg"].high) == (a.low, a.high)


def test_stated_correlations_reproduced():
    """Spearman of the draws equals the stated rho (Gaussian copula, Nelsen 2006 5.1.3);
    tolerance 0.01 ~ 4 standard errors at n = 100,000."""
    sc = _with('[uncertainty.pue]\ncorrelations = { capacity_factor = -0.6 }\n'
               '[uncertainty.gas_price_usd_per_mmbtu]\ndistribution = "uniform"\nlow = 3\nhigh = 6\n'
               'correlations = { pue = 0.4 }')
    p = define_problem(sc, ["terrestrial.total_cost_usd"])
    assert p.sources["pue"] != "scenario"  # correlations only: the library's distribution is kept
    x = p.sample(100_000, np.random.default_rng(4))
    assert stats.spearmanr(x["pue"], x["capacity_factor"]).statistic == pytest.approx(-0.6, abs=0.01)
    assert stats.spearmanr(x["pue"], x["gas_price_usd_per_mmbtu"]).statistic == pytest.approx(0.4, abs=0.01)
    assert abs(stats.spearmanr(x["capacity_factor"], x["heat_rate_btu_per_kwh"]).statistic) < 0.015


def test_seeded_runs_with_stated_uncertainty_are_reproducible():
    sc = scenario_from_text(STATED, "stated.toml")
    a = unc.monte_carlo(sc, 5000, seed=9)
    b = unc.monte_carlo(sc, 5000, seed=9)
    assert a.percentiles == b.percentiles and a.probability_orbital_cheaper == b.probability_orbital_cheaper
    assert a.parameters["launch_cost_usd_per_kg"]["source"] == "scenario"
    assert "fixed by the scenario" in a.not_sampled["nre_cost_usd"]
    assert load_scenario(PRESET).uncertainty == {}
