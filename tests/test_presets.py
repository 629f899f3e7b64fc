"""Golden tests: every preset reproduces its publication's own numbers (tests/data/published.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from orbitaldc.compare import breakeven, evaluate, get_metric
from orbitaldc.formatting import breakeven_text
from orbitaldc.params import list_presets, load_scenario

PUBLISHED = tomllib.loads((Path(__file__).parent / "data" / "published.toml").read_text())
CASES = [(preset, metric, expected, spec["rel_tol"])
         for preset, spec in PUBLISHED.items()
         for metric, expected in spec.items() if metric not in ("source", "rel_tol")]


@pytest.mark.parametrize("preset,metric,expected,rel_tol", CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_preset_reproduces_publication(preset, metric, expected, rel_tol):
    value = float(get_metric(evaluate(preset), metric))
    assert value == pytest.approx(expected, rel=rel_tol)


def test_every_preset_loads_and_evaluates():
    for name in list_presets():
        c = evaluate(name)
        assert np.isfinite(c.orbital.total_cost_usd) and np.isfinite(c.terrestrial.total_cost_usd), name


def test_mccalip_is_about_three_times_terrestrial():
    # McCalip: $51.10B vs $15.85B -> 3.22x
    assert float(evaluate("mccalip-2025-12").cost_ratio) == pytest.approx(51.10 / 15.85, rel=2e-3)


def test_mccalip_closed_form_breakeven_would_be_negative_and_full_model_has_none():
    # REFERENCES: his closed form (dropping ops, NRE, replacement) gives -$264/kg; on the full
    # model no launch price, not even $0/kg, closes the gap, and the solver says so.
    result = breakeven("mccalip-2025-12", metric="total_cost")
    assert result.value is None
    assert result.reason == "hardware_exceeds_ground" and "hardware alone" in breakeven_text(result)
    # on the headline (cost per delivered GPU-hour) too: equal GPU-hours on both sides here
    assert breakeven("mccalip-2025-12").reason == "hardware_exceeds_ground"


def test_seed_article_launch_range_and_ground_range():
    # Seed article (BNP Paribas): launch $30B at $1,500/kg and $75B at $3,600/kg for 1 GW.
    # Our mass is the midpoint of the two implied masses (20.0 and 20.83 Mkg), so each end is
    # within 2.1 % of the published figure (they are mutually inconsistent by 4 %).
    low = evaluate("seed-article-1gw")
    high = evaluate("seed-article-1gw", {"launch_cost_usd_per_kg": 3600.0})
    assert float(low.orbital.launch_cost_usd) == pytest.approx(30e9, rel=0.021)
    assert float(high.orbital.launch_cost_usd) == pytest.approx(75e9, rel=0.021)
    # "satellites and hardware about $50B": satellites plus IT equipment
    assert float(low.orbital.hardware_cost_usd + low.orbital.it_equipment_cost_usd) == pytest.approx(50e9, rel=1e-9)
    assert 35e9 <= float(low.terrestrial.total_cost_usd) <= 50e9
    # "more than twice as expensive" holds at $3,600/kg, not at $1,500/kg (80.6 / 42.5 = 1.9)
    assert float(high.cost_ratio) > 2 > float(low.cost_ratio)
    # hardware at $50/W alone exceeds the ground total: no launch price closes the gap
    be = breakeven("seed-article-1gw", metric="total_cost")
    assert be.value is None and be.reason == "hardware_exceeds_ground"


def test_starcloud_launch_price_assumption():
    # With McCalip's $500/kg instead of Starcloud's $50/kg the 100 t launch costs $50M.
    c = evaluate("starcloud-40mw-2024", {"launch_cost_usd_per_kg": 500.0})
    assert float(c.orbital.launch_cost_usd) == pytest.approx(50e6, rel=1e-12)
    assert float(c.orbital.total_cost_usd) == pytest.approx(53.2e6, rel=1e-12)


def test_starcloud_water_is_consistent_with_its_own_rate():
    # 40,000 kW x 87,600 h x 0.5 L/kWh = 1.752e9 L = 1.75 Mt: the paper's "1.7 Mt" is this figure
    # truncated to two digits (1.752 / 1.7 = 1.031, hence 3.5 %), consistent with its own 0.5 L/kWh
    c = evaluate("starcloud-40mw-2024")
    assert float(c.terrestrial.water_l) == pytest.approx(40e3 * 8760 * 10 * 0.5, rel=1e-12)
    assert float(c.terrestrial.water_l) / 1e9 == pytest.approx(1.7, rel=0.035)


@pytest.mark.parametrize("price,expected", [(200.0, 810.0), (3600.0, 14700.0)])
def test_suncatcher_launched_power_price(price, expected):
    # arXiv:2511.19468: ~$810/kW/yr at $200/kg, ~$14,700/kW/yr at $3,600/kg (575 kg / 28 kW,
    # 5 years). Our 575/28 proxy gives 821 and 14,786: within 1.5 % of the rounded figures.
    c = evaluate("suncatcher-2025", {"launch_cost_usd_per_kg": price})
    assert float(c.orbital.launched_power_price_usd_per_kw_yr) == pytest.approx(expected, rel=0.015)


def test_suncatcher_terrestrial_energy_range():
    # $0.25/kWh at PUE 1.4 -> 0.25 x 8760 x 1.4 = $3,066/kW/yr (paper: ~$3,000)
    c = evaluate("suncatcher-2025", {"grid_price_usd_per_kwh": 0.25, "pue": 1.4})
    assert float(c.terrestrial.energy_cost_usd_per_kw_yr) == pytest.approx(3000.0, rel=0.025)


@pytest.mark.parametrize("benchmark_usd_per_w,allowed", [(10.0, 250.0), (40.0, 1000.0)])
def test_jpl_cost_closure(benchmark_usd_per_w, allowed):
    # Turyshev (2026): at 40 kg/kW, a terrestrial $10-40k/kW allows L + B = $250-1,000/kg.
    sc = load_scenario("jpl-1mw-2026").with_overrides({"other_capex_usd_per_w": benchmark_usd_per_w})
    result = breakeven(sc, metric="total_cost")
    assert result.value == pytest.approx(allowed, rel=1e-9)
    assert float(evaluate(sc).orbital.specific_mass_kg_per_kw) == pytest.approx(40.0, rel=1e-12)
