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


def _rows(groups):
    return {row[0]: row[1:] for g in groups for row in g.rows}


def test_side_by_side_mccalip():
    """McCalip's published totals (REFERENCES.md sec. 2): orbit $51.10B, ground $15.85B over 5 years."""
    c = evaluate("mccalip-2025-12")
    groups = f.side_by_side(c)
    assert [g.title for g in groups] == ["Scope", "Capital (up front)", "Yearly costs (over the window)", "Totals",
                                         "Delivered compute", "Physical"]  # no renewals or residual in capex scope
    rows = _rows(groups)
    assert rows["Counted"] == ("facility, capital, $ as typed",) * 2
    assert rows["IT power"] == ("1,000 MW", "1,000 MW") and rows["Years"] == ("5", "5")
    assert rows["Total cost (undiscounted)"] == ("$51.10B", "$15.85B")
    assert rows["Launch"] == ("$14.70B", "") and rows["Satellites (hardware)"] == ("$23.60B", "")
    assert "Shielding" not in rows and "IT equipment" not in rows  # zero in this scenario
    assert rows["Energy (fuel / grid)"][0] == ""
    # McCalip states no availability; 90 % utilization; the same GPU-hours on both sides
    assert rows["Availability"] == ("100.00 % (none modelled)", "100.00 % (facility)")
    assert rows["Availability x utilization"] == ("90.00 %", "90.00 %")
    without = _rows(f.side_by_side(c, breakdown=False))
    assert "Launch" not in without and "Total cost (undiscounted)" in without
    assert f.verdict(c) == ("Headline (orbital_to_terrestrial_lcoc_ratio): per delivered GPU-hour, discounted, orbit "
                            "costs 3.22x the ground (more expensive); undiscounted total cost ratio 3.22x.")


def test_side_by_side_like_for_like_reference():
    """Every non-zero part of reference-1gw-allin, grouped; the residual value is a credit, written negative."""
    c = evaluate("reference-1gw-allin")
    rows = _rows(f.side_by_side(c))
    assert rows["Counted"] == ("all-in, life cycle, 2025 $",) * 2
    assert rows["IT equipment"] == ("$28.00B", "$28.00B")  # $28/W on 1 GW on both sides (economics.toml)
    assert rows["Residual value"][1].startswith("-$")
    assert -float(rows["Residual value"][1].strip("-$B")) * 1e9 == pytest.approx(-c.terrestrial.residual_value_usd,
                                                                                 abs=5e6)
    for label in ("Fleet renewals", "Launch insurance", "In-orbit insurance", "Property tax", "Staff"):
        assert label in rows, label
    assert rows["Availability"][0] == f"{100 * float(c.orbital.design.checks.availability):.2f} %"
    assert rows["  compute lost to radiation"][0] == f"{100 * float(c.orbital.design.checks.radiation_compute_loss):.2f} %"
    co2 = rows["CO2 over the life cycle"]
    assert co2 == (f"{float(c.orbital.lifecycle_co2_kg) / 1e9:,.2f} Mt", f"{float(c.terrestrial.lifecycle_co2_kg) / 1e9:,.2f} Mt")
    assert f.scope_note(c.scope) is None


def test_scope_words():
    allin = {"cost_scope": "all_in", "cost_basis": "lifecycle", "dollar_escalation": "cpi", "real_dollar_year": 2025}
    facility = {"cost_scope": "facility", "cost_basis": "capex", "dollar_escalation": "none", "real_dollar_year": None}
    assert f.scope_text(allin, short=True) == "all-in, life cycle, 2025 $"
    assert f.scope_text(allin) == ("all-in (IT equipment counted), life cycle (renewals and residual value over the "
                                   "window), 2025 dollars (CPI-U)")
    assert f.scope_note(facility).startswith("Scope as published (facility, capital, $ as typed): IT equipment, "
                                             "renewals and residual value not counted on either side")
    assert f.scope_note(allin, {"cost_scope": ("all_in", "facility")}) == (
        "NOTE: the two sides differ in scope (cost_scope 'all_in' vs 'facility'): the ratios do not compare like "
        "with like.")


def test_learning_text():
    fitted = {"source": "fitted", "learning_rate": 0.2, "b": 0.321928, "b_standard_error": 0.05, "points": 6,
              "learning_rate_low": 0.17, "learning_rate_high": 0.23}
    assert f.learning_text(fitted) == (
        "Launch learning: Wright's law fitted to 6 cited prices: exponent b = 0.322 ± 0.050 (standard error), "
        "20.0 % cheaper per doubling of launches (one standard error: 17.0 %-23.0 %); the band samples b from its "
        "standard error")
    assert f.learning_text({"source": "assumed", "learning_rate": 0.2}) == (
        "Launch learning: assumed 20.0 % cheaper per doubling of cumulative launched mass (trajectory_learning_rate)")


def test_design_check_rows_carry_the_design_and_its_limits():
    c = evaluate("reference-1gw-allin")
    ch, v = c.orbital.design.checks, c.values
    rows = _rows(f.design_check_rows(c))
    dose, tolerance = rows["Dose behind the shielding"]
    assert float(dose.split()[0]) == pytest.approx(float(ch.dose_rad_si_per_yr), abs=0.05)
    assert tolerance == f"tolerance {v['tid_tolerance_rad']:g} rad(Si) (tid_tolerance_rad)"
    assert rows["Dose margin"][1] == f"at least {v['min_dose_margin']:g} (min_dose_margin)"
    assert rows["Die temperature"][1] == f"at most {v['sim_die_limit_k']:g} K (sim_die_limit_k)"
    decay = float(ch.decay_time_yr)
    assert rows["Natural decay (tumbling)"][1].endswith("deorbit burn needed") == (decay > v["disposal_years"])
    assert f.design_check_rows(evaluate("mccalip-2025-12")) == []  # no design, no checks


def test_simulation_rows_write_missing_values_as_na():
    summary = {"simulated": {"sunlit_fraction": 0.6234, "availability": 0.5, "delivered_gpu_hours": 1200.0,
                             "results_delivered_fraction": 1.0, "data_delivered_bytes": 2.5e12,
                             "max_die_temperature_k": 351.25},
               "averaged": {"sun_fraction": 0.62, "availability": 0.98, "delivered_gpu_hours": 1300.0,
                            "results_delivered_fraction": 0.9359},
               "lcoc": {"averaged_mission_gpu_hours": 1e9, "simulated_mission_gpu_hours": 9e8,
                        "averaged_lcoe_usd_per_mwh": 1167.0, "simulated_lcoe_usd_per_mwh": None,
                        "averaged_usd_per_gpu_hour": 1.653, "simulated_usd_per_gpu_hour": float("inf"),
                        "terrestrial_usd_per_gpu_hour": 0.603},
               "losses_wh": {"energy_shortfall": 2.0e6, "thermal_throttle": 0.0, "restarts": None, "checkpoints": 5e5}}
    groups = f.simulation_rows(summary)
    assert [g.title for g in groups] == ["Availability", "Costs", "Losses"]
    rows = {label: (a, s) for group in groups for label, a, s in group.rows}
    assert rows["Sun fraction"] == ("62.00 %", "62.34 %")
    assert rows["Results delivered"] == ("93.59 %", "100.00 %")  # the averaged model's share, not an assumption
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

