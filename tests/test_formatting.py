"""The presentation layer's numbers and words (orbitaldc.formatting), against strings written by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from orbitaldc import formatting as f
from orbitaldc.compare import breakeven, evaluate


@pytest.mark.parametrize("x, text", [
    (51.0953e9, "$51.10B"), (15.85e9, "$15.85B"), (8.2e6, "$8.20M"), (12_300.0, "$12.30k"), (0.85, "$0.85"),
    (999.994, "$999.99"), (1_000.0, "$1.00k"), (2.5e12, "$2.50T"), (0.0, "$0.00"), (-713.75e6, "-$713.75M"),
    (float("nan"), "n/a"), (float("inf"), "n/a"), (None, "n/a"),
])
def test_usd(x, text):
    assert f.usd(x) == text


@pytest.mark.parametrize("x, unit, decimals, text", [
    (51.0953, "W", 2, "$51.10/W"), (1167.4, "MWh", 0, "$1,167/MWh"), (1.65349, "GPU-h", 3, "$1.653/GPU-h"),
    (-2.5, "W", 2, "-$2.50/W"), (float("nan"), "W", 2, "n/a"),
])
def test_usd_per(x, unit, decimals, text):
    assert f.usd_per(x, unit, decimals) == text


@pytest.mark.parametrize("args, text", [
    ((1000.0, "MW"), "1,000 MW"), ((1234.5, "kg"), "1,234.5 kg"), ((29_390_055.2, "kg"), "29,390,055 kg"),
    ((3.14159,), "3.142"), ((0.0234701,), "0.02347"), ((42.0,), "42"), ((5e12,), "5e+12"), ((-150.25,), "-150.2"),
    ((float("nan"), "kg"), "n/a"), ((None,), "n/a"),
])
def test_number(args, text):
    assert f.number(*args) == text


@pytest.mark.parametrize("name, x, text", [
    ("orbital.total_cost_usd", 51.0953e9, "$51.10B"),
    ("orbital.hardware_cost_usd", -2.0e9, "-$2.00B"),
    ("orbital.cost_per_watt_usd", 51.0953, "$51.10/W"),
    ("terrestrial.lcoe_usd_per_mwh", 426.2, "$426/MWh"),
    ("orbital.lcoc_usd_per_gpu_hour", 1.6534, "$1.653/GPU-h"),
    ("orbital.launch_price_usd_per_kg", 500.0, "$500/kg"),
    ("orbital_to_terrestrial_cost_ratio", 3.22376, "3.224x"),
    ("cost_ratio", 0.5, "0.500x"),
    ("orbital.mass_to_orbit_kg", 29_390_055.0, "29,390,055 kg"),
    ("orbital.specific_mass_kg_per_kw", 29.39, "29.39 kg/kW"),
    ("orbital.deployment_years", 2.1944, "2.194 yr"),
    ("orbital.irr_per_yr", 0.125, "12.50 %/yr"),
    ("terrestrial.water_l", 18.6e9, "18,600,000,000 L"),
    ("orbital.satellite_count", 39_731.0, "39,731"),
    ("orbital.sun_fraction", 0.99, "0.99"),
    ("orbital.total_cost_usd", float("nan"), "n/a"),
])
def test_metric(name, x, text):
    assert f.metric(name, x) == text


@pytest.mark.parametrize("x, unit, text", [
    (1.2e9, "USD", "$1.20B"), (2.06314, "USD/GPU-h", "$2.0631/GPU-h"), (12.5, "1", "12.5"),
    (7.3, "kg/kW", "7.3 kg/kW"), (3.0, "yr", "3 yr"),
])
def test_quantity(x, unit, text):
    assert f.quantity(x, unit) == text


def test_percent_ratio_value():
    assert f.percent(0.1234) == "12.34 %" and f.percent(1.0, 0) == "100 %" and f.percent(None) == "n/a"
    assert f.ratio(3.2238, 2) == "3.22x" and f.ratio(float("inf")) == "n/a"
    assert f.value(None) == "-" and f.value("per_kg") == "per_kg" and f.value(22.0) == "22"
    assert f.value(5e-4) == "0.0005" and f.value(1e9) == "1e+09"
    assert f.value(np.array([1.0, 2.5, 3.0])) == "[1, 2.5, 3]"
    assert f.value(np.arange(10.0)) == "[0, 1, 2, 3, 4, 5, ...]"


def test_one_line_and_file_stem():
    assert f.one_line("a\nb\r\n\tc") == "a b c"
    assert f.one_line("x\x1b[31mred\x07\x9b") == "x[31mred"  # ESC, BEL and CSI gone: nothing to drive a terminal
    assert f.file_stem("../../etc/passwd") == "_.._etc_passwd"  # no separator left, no leading dot
    assert f.file_stem("McCalip 2025/12") == "McCalip_2025_12"
    assert f.file_stem("...") == "scenario"


def test_breakeven_text_solved_and_unsolved():
    # Turyshev (REFERENCES.md): the 1 MW case closes at L + B = $250/kg; with B = 0 here, L = 250
    solved = f.breakeven_text(breakeven("jpl-1mw-2026", "launch_cost_usd_per_kg", metric="total_cost"))
    assert solved == ("at launch_cost_usd_per_kg = 250 USD/kg orbit costs $10.00M = terrestrial $10.00M "
                      "(now 500 USD/kg: orbit $20.00M vs $10.00M)")
    # McCalip: satellite hardware alone ($23.60B) exceeds the whole terrestrial total ($15.85B)
    none = f.breakeven_text(breakeven("mccalip-2025-12", "launch_cost_usd_per_kg", metric="total_cost"))
    assert none.startswith("no launch_cost_usd_per_kg in [0, 1e+06] makes orbit as cheap as the ground")
    assert none.endswith("satellite hardware alone is $23.60B, above the whole terrestrial total cost")


def test_side_by_side_mccalip():
    """McCalip's published totals (REFERENCES.md sec. 2): orbit $51.10B, ground $15.85B over 5 years."""
    groups = f.side_by_side(evaluate("mccalip-2025-12"))
    rows = {label: (o, t) for group in groups for label, o, t in group}
    assert rows["IT power"] == ("1,000 MW", "1,000 MW") and rows["Years"] == ("5", "5")
    assert rows["Total cost"] == ("$51.10B", "$15.85B")
    assert rows["Launch"] == ("$14.70B", "") and rows["Satellites (hardware)"] == ("$23.60B", "")
    assert "Shielding" not in rows  # zero in this scenario
    assert rows["Energy (fuel / grid)"][0] == ""
    without = [label for group in f.side_by_side(evaluate("mccalip-2025-12"), breakdown=False) for label, _, _ in group]
    assert "Launch" not in without and "Total cost" in without
    assert f.verdict(evaluate("mccalip-2025-12")).startswith("Orbit costs 3.22x the terrestrial total (more expensive)")


def test_simulation_rows_write_missing_values_as_na():
    summary = {"simulated": {"sunlit_fraction": 0.6234, "availability": 0.5, "delivered_gpu_hours": 1200.0,
                             "results_delivered_fraction": 1.0, "data_delivered_bytes": 2.5e12,
                             "max_die_temperature_k": 351.25},
               "averaged": {"sun_fraction": 0.62, "availability": 0.98, "delivered_gpu_hours": 1300.0},
               "lcoc": {"averaged_mission_gpu_hours": 1e9, "simulated_mission_gpu_hours": 9e8,
                        "averaged_lcoe_usd_per_mwh": 1167.0, "simulated_lcoe_usd_per_mwh": None,
                        "averaged_usd_per_gpu_hour": 1.653, "simulated_usd_per_gpu_hour": float("inf"),
                        "terrestrial_usd_per_gpu_hour": 0.603},
               "losses_wh": {"energy_shortfall": 2.0e6, "thermal_throttle": 0.0, "restarts": None, "checkpoints": 5e5}}
    rows = {label: (a, s) for group in f.simulation_rows(summary) for label, a, s in group}
    assert rows["Sun fraction"] == ("62.00 %", "62.34 %")
    assert rows["LCOE (IT energy)"] == ("$1,167/MWh", "n/a") and rows["LCOC"] == ("$1.653/GPU-h", "n/a")
    assert rows["Loss: energy shortfall"] == ("", "2 MWh") and rows["Loss: restarts"] == ("", "n/a")
    assert rows["Loss: checkpoints"] == ("", "0.5 MWh") and rows["Data delivered"] == ("", "2.5 TB")
    assert rows["Max die temperature"] == ("", "351.2 K")


def test_explain_summary_names_the_largest_parts():
    from orbitaldc.explain import Attribution

    attr = Attribution(metric="orbital.total_cost_usd", scenario_a="a", scenario_b="b", value_a=10e9, value_b=4e9,
                       contributions={"x": -5e9, "y": -1.5e9, "z": 0.5e9, "w": 0.0}, standard_errors={},
                       values_a={}, values_b={}, method="exact")
    assert f.explain_summary(attr) == ("orbital.total_cost_usd: $10.00B (a) → $4.00B (b), a difference of -$6.00B; "
                                       "largest: x -$5.00B, y -$1.50B, z +$500.00M (exact Shapley values).")
    assert math.isclose(sum(attr.contributions.values()), attr.difference)

