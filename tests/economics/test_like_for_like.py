"""Like-for-like comparison: scope, clock, output, costs and carbon of both chains (issue 12)."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orbitaldc.compare import (HEADLINE_METRIC, breakeven, evaluate, get_metric, normalize_scope, scope_mismatch)
from orbitaldc.dollars import cpi_factor, cpi_table
from orbitaldc.explain import explain
from orbitaldc.params import list_presets, load_scenario
from orbitaldc.systems.breakdown import COST_PARTS, cost_breakdown

REFERENCE = "reference-1gw-allin"
LIFECYCLE = {"cost_scope": "all_in", "cost_basis": "lifecycle"}


# ----------------------------------------------------------------------------- the clock


def test_fleet_relaunched_when_satellites_die_before_the_window_ends():
    """10 years with 4-year satellites: fleets bought at 0, 4 and 8; the last has 2 of 4 years left
    at the end, credited at 7 % with its two remaining capital-recovery payments; output restarts
    with each new fleet (array degradation and no-repair failures reset)."""
    over = {**LIFECYCLE, "analysis_years": 10, "satellite_life_yr": 4, "it_life_yr": 6, "discount_rate_per_yr": 0.07,
            "replacement": "capacity_loss", "sizing_basis": "end_of_life"}
    c = evaluate("mccalip-2025-12", over)
    o = c.orbital
    k_gen = float(o.hardware_cost_usd + o.it_equipment_cost_usd + o.launch_cost_usd + o.shielding_cost_usd
                  + o.launch_insurance_cost_usd + o.carbon_cost_usd)
    assert float(o.satellite_generations) == 3 and float(o.generation_years) == 4
    assert float(o.renewal_cost_usd) == pytest.approx(2 * k_gen, rel=1e-12)
    crf4 = 1 / sum(1.07 ** -t for t in range(1, 5))
    assert float(o.residual_value_usd) == pytest.approx(k_gen * crf4 * (1 / 1.07 + 1 / 1.07 ** 2), rel=1e-12)
    # output: (1 - f)^(age) mean survival each generation, restarting at age 0 in years 5 and 9
    f = 0.09
    mean_year = f / -math.log1p(-f)
    energy = [1e9 * 8760 / 1e6 * mean_year * (1 - f) ** ((k - 1) % 4) for k in range(1, 11)]
    assert float(o.delivered_energy_mwh) == pytest.approx(sum(energy), rel=1e-12)
    np.testing.assert_allclose(o.cash_flows().energy_mwh[1:], energy, rtol=1e-12)
    # the published clock charges one fleet to the whole window: no renewal, no residual
    capex = evaluate("mccalip-2025-12", {**over, "cost_basis": "capex"})
    assert float(capex.orbital.renewal_cost_usd) == 0 and float(capex.orbital.residual_value_usd) == 0


def test_it_refresh_on_the_ground():
    """IT equipment with a 2-year life over 5 years: bought at 0, 2, 4 (two refreshes), half of the
    last one's life left at the end (straight line at r = 0: $28/W x 1 GW x 1/2)."""
    over = {**LIFECYCLE, "it_life_yr": 2, "discount_rate_per_yr": 0.0, "construction_years": 1.0}
    t = evaluate("mccalip-2025-12", over).terrestrial
    it = 28.0 * 1e9
    assert float(t.it_equipment_cost_usd) == it
    # the facility buckets outlive the 5 years: their renewals are 0, their residual straight-line
    lives = {"power_generation_capex_usd": 25, "electrical_capex_usd": 20, "mechanical_capex_usd": 15,
             "civil_capex_usd": 30, "network_capex_usd": 10}
    facility_residual = sum(float(getattr(t, k)) * (life - 5) / life for k, life in lives.items())
    assert float(t.renewal_cost_usd) == pytest.approx(2 * it, rel=1e-12)
    assert float(t.residual_value_usd) == pytest.approx(it / 2 + facility_residual, rel=1e-12)
    # the IT is bought when the facility enters service (after construction), the year flows say so
    flows = t.cash_flows()
    assert float(flows.costs_usd[..., 2] - flows.costs_usd[..., 1]) == pytest.approx(it, rel=1e-9)


def test_per_side_discount_rates_default_to_the_shared_one():
    base = evaluate(REFERENCE)
    assert float(base.orbital.discount_rate_per_yr) == float(base.terrestrial.discount_rate_per_yr) == 0.07
    risky = evaluate(REFERENCE, {"orbital_discount_rate_per_yr": 0.12})
    assert float(risky.orbital.discount_rate_per_yr) == 0.12
    assert float(risky.terrestrial.lcoc_usd_per_gpu_hour) == float(base.terrestrial.lcoc_usd_per_gpu_hour)
    assert float(risky.orbital.lcoc_usd_per_gpu_hour) > float(base.orbital.lcoc_usd_per_gpu_hour)


def test_construction_delays_the_ground_and_the_launch_ramp_starts_orbit_early():
    """Ground operation starts after construction plus the grid delay; the fleet enters service
    batch by batch, so a slower launch cadence raises LCOC less than waiting for the last launch."""
    sc = load_scenario("mccalip-2025-12", {"discount_rate_per_yr": 0.07})
    t0 = evaluate(sc).terrestrial
    t2 = evaluate(sc, {"construction_years": 2.0, "grid_connection_delay_yr": 1.0}).terrestrial
    assert float(t2.operation_start_years) == 3.0
    assert float(t2.total_cost_usd) == float(t0.total_cost_usd)
    # pure capex spent at t = 0 and 1 (half each), output from t = 3: LCOE scales by 1.07^3 x mean v^s
    pure = sc.with_overrides({"gas_price_usd_per_mmbtu": 0.0})
    ratio = float(evaluate(pure, {"construction_years": 2.0, "grid_connection_delay_yr": 1.0}).terrestrial.lcoe_usd_per_mwh
                  / evaluate(pure).terrestrial.lcoe_usd_per_mwh)
    assert ratio == pytest.approx(1.07 ** 3 * (1 + 1 / 1.07) / 2, rel=1e-12)
    o = evaluate(sc, {"launches_per_yr": 50.0}).orbital  # 294 launches: 5.88 years
    d = float(o.deployment_years)
    j = math.ceil(d)
    batches = [(1 / d, y) for y in range(1, j)] + [((d - j + 1) / d, d)]
    ramp = sum(w / 1.07 ** s for w, s in batches)
    # against a fleet launched at once (1e5 launches a year: in service at t = 294/1e5 as one batch)
    fast = float(evaluate(sc, {"launches_per_yr": 1e5}).orbital.pv_gpu_hours) * 1.07 ** (294 / 1e5)
    assert float(o.pv_gpu_hours) == pytest.approx(ramp * fast, rel=1e-12)


# ----------------------------------------------------------------------------- symmetry


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 0.15), st.integers(1, 8), st.integers(1, 20), st.floats(5.0, 60.0), st.floats(0.3, 1.0),
       st.floats(1e6, 1e9))
def test_identical_inputs_on_both_sides_give_a_ratio_of_exactly_one(rate, life, years, it_usd_per_w, util, power):
    """The same IT equipment, bought at the same time, with the same life, delivering the same
    GPU-hours on both sides, and nothing else: the two chains price it identically (LCOC ratio 1
    and cost ratio 1 to rounding, 1e-12)."""
    orbit = {"mass_model": "specific_power", "sun_fraction_model": "typed", "sun_fraction": 1.0,
             "cell_degradation_per_yr": 0.0, "gpu_failure_per_yr": 0.0, "satellite_power_w": power,
             "satellite_cost_usd_per_w": 0.0, "launch_cost_usd_per_kg": 0.0, "nre_cost_usd": 0.0,
             "ops_cost_fraction_per_yr": 0.0, "launch_insurance_fraction": 0.0, "in_orbit_insurance_fraction_per_yr": 0.0,
             "ground_segment_capex_usd_per_w": 0.0, "licensing_cost_usd_per_yr": 0.0, "it_space_premium": 1.0,
             "satellite_life_yr": life, "launches_per_yr": 1e5}
    ground = {"terrestrial_power_source": "grid", "grid_price_usd_per_kwh": 0.0, "gas_turbine_capex_usd_per_kw": 0.0,
              "electrical_capex_usd_per_w": 0.0, "mechanical_capex_usd_per_w": 0.0, "civil_capex_usd_per_w": 0.0,
              "network_capex_usd_per_w": 0.0, "other_capex_usd_per_w": 0.0, "terrestrial_availability": 1.0,
              "terrestrial_om_fraction_per_yr": 0.0, "terrestrial_staff_usd_per_kw_yr": 0.0,
              "property_tax_fraction_per_yr": 0.0, "terrestrial_insurance_fraction_per_yr": 0.0,
              "grid_connection_delay_yr": 0.0}
    common = {**LIFECYCLE, "dollar_escalation": "none", "discount_rate_per_yr": rate, "it_life_yr": life,
              "analysis_years": years, "it_capex_usd_per_w": it_usd_per_w, "gpu_utilization": util,
              "target_power_w": power, "carbon_price_usd_per_t_co2": 0.0}
    sc = load_scenario("mccalip-2025-12", {**orbit, **ground, **common})
    # the fleet enters service when its launch is done; the ground IT when construction is done
    sc = sc.with_overrides({"construction_years": float(evaluate(sc).orbital.deployment_years)})
    c = evaluate(sc)
    assert float(c.lcoc_ratio) == pytest.approx(1.0, rel=1e-12)
    assert float(c.cost_ratio) == pytest.approx(1.0, rel=1e-12)
    assert float(c.orbital.delivered_gpu_hours) == pytest.approx(float(c.terrestrial.delivered_gpu_hours), rel=1e-12)


def test_scope_mismatch_is_flagged_and_normalize_brings_one_scope():
    mc, ref = load_scenario("mccalip-2025-12"), load_scenario(REFERENCE)
    assert scope_mismatch(mc.values, ref.values) == {"cost_scope": ("facility", "all_in"),
                                                      "cost_basis": ("capex", "lifecycle"),
                                                      "dollar_escalation": ("none", "cpi")}
    assert scope_mismatch(mc.values, load_scenario("seed-article-1gw").values) == {
        "cost_scope": ("facility", "all_in")}
    assert scope_mismatch(mc.values, mc.values) == {}
    assert evaluate(mc).scope_mismatch(evaluate(ref)) == scope_mismatch(mc.values, ref.values)
    brought = normalize_scope(ref, mc)
    assert scope_mismatch(ref.values, brought.values) == {}
    attr = explain("mccalip-2025-12", "seed-article-1gw", "orbital.total_cost_usd")
    assert attr.scope_mismatch == {"cost_scope": ("facility", "all_in")} and not attr.to_dict()["like_for_like"]
    normed = explain("mccalip-2025-12", "seed-article-1gw", "orbital.total_cost_usd", normalize=True)
    assert normed.to_dict()["like_for_like"] and normed.values_b.get("cost_scope") is None  # no longer differs


def test_published_presets_keep_their_own_scope():
    scopes = {name: (load_scenario(name).values["cost_scope"], load_scenario(name).values["cost_basis"])
              for name in list_presets()}
    assert scopes["mccalip-2025-12"] == ("facility", "capex")
    assert scopes["seed-article-1gw"] == ("all_in", "capex")
    assert scopes[REFERENCE] == ("all_in", "lifecycle")


# ----------------------------------------------------------------------------- output and costs


def test_orbital_availability_from_the_design_cuts_delivered_gpu_hours():
    """The bottom-up design's compute loss (ECC overhead, checkpoints, redundancy) reduces the
    GPU-hours the same energy buys. Availability is (1 - ECC)(1 - checkpoint)/copies, so a 10 % ECC
    overhead delivers exactly 0.9x the GPU-hours of none, from the same energy, for a workload
    whose output the ground links carry (a quarter of the default). At the default output the
    links bind: what is delivered is the network's capacity, min(1 - loss, capacity / output
    at full compute), and the ECC overhead costs only what falls below it."""
    light = {"workload_bits_per_j": 250.0}
    a = evaluate(REFERENCE, {**light, "ecc_overhead_fraction": 0.0}).orbital
    b = evaluate(REFERENCE, {**light, "ecc_overhead_fraction": 0.1}).orbital
    assert float(a.design.checks.link_delivered_fraction) == 1.0
    assert float(b.compute_availability) == float(b.design.checks.availability)
    assert float(b.compute_availability / a.compute_availability) == pytest.approx(0.9, rel=1e-12)
    assert float(b.delivered_energy_mwh) == float(a.delivered_energy_mwh)
    assert float(b.delivered_gpu_hours / a.delivered_gpu_hours) == pytest.approx(0.9, rel=1e-12)
    for ecc in (0.0, 0.1):
        c = evaluate(REFERENCE, {"ecc_overhead_fraction": ecc}).orbital
        ch, v = c.design.checks, evaluate(REFERENCE).values
        share = float(ch.network_downlink_bits_per_day) / (v["workload_bits_per_j"] * float(c.design.it_power_w) * 86400)
        assert float(c.compute_availability) == pytest.approx(min(1 - float(ch.radiation_compute_loss), share),
                                                              rel=1e-12)
    # ground: GPU-hours at Tier III availability x utilization, not the capacity factor
    t = evaluate(REFERENCE).terrestrial
    assert float(t.delivered_gpu_hours) == pytest.approx(1e9 / 1275 * 8760 * 0.99982 * 0.9 * 10, rel=1e-12)


def test_operating_costs_are_counted_on_both_sides():
    """Each cited item of the reference, recomputed from its definition."""
    c = evaluate(REFERENCE)
    o, t = c.orbital, c.terrestrial
    insured = float(o.hardware_cost_usd + o.it_equipment_cost_usd + o.shielding_cost_usd + o.launch_cost_usd)
    assert float(o.launch_insurance_cost_usd) == pytest.approx(0.05 * insured, rel=1e-12)
    assert float(o.insurance_cost_usd) == pytest.approx(0.01 * insured * 10, rel=1e-12)
    assert float(o.ground_segment_cost_usd) == pytest.approx(0.10 * 1e9 * cpi_factor(2025, 2025), rel=1e-12)
    assert float(o.licensing_cost_usd) == pytest.approx(1e6 * 10, rel=1e-12)
    capex = float(t.capex_usd)
    assert float(t.property_tax_usd) == pytest.approx(0.01 * (capex + 28e9) * 10, rel=1e-12)
    assert float(t.insurance_cost_usd) == pytest.approx(0.005 * (capex + 28e9) * 10, rel=1e-12)
    assert float(t.staff_cost_usd) == pytest.approx(60.0 * 1e6 * 10, rel=1e-12)
    # gas plant O&M is in 2023 dollars: escalated to 2025 by CPI-U
    years, index = cpi_table()
    esc = index[years == 2025][0] / index[years == 2023][0]
    it_mwh = 1e9 / 1e6 * 8760 * 0.99982 * 0.85
    plant = (20.0 * 1e6 * 1.2 + 3.0 * it_mwh * 1.2) * esc + 0.02 * float(t.capex_usd - t.power_generation_capex_usd)
    assert float(t.om_cost_usd) == pytest.approx(plant * 10, rel=1e-12)


def test_breakdown_parts_sum_to_totals_for_every_preset_and_clock():
    for name in list_presets():
        for over in ({}, LIFECYCLE):
            c = evaluate(name, over)
            for side, parts in COST_PARTS.items():
                got = sum(float(x) for x in cost_breakdown(side, getattr(c, side)).values())
                assert got == pytest.approx(float(getattr(c, side).total_cost_usd), rel=1e-12), (name, over, side)


def test_lifecycle_carbon_on_both_sides():
    c = evaluate(REFERENCE, {"carbon_price_usd_per_t_co2": 100.0})
    o, t = c.orbital, c.terrestrial
    # orbit: Starship combustion CO2 (1,056 t CH4 x 2.743 / 100 t) per kg, two fleets in 10 years
    per_kg = 1056000.0 * 2.743 / 100000.0
    assert float(o.launch_co2_kg) == pytest.approx(float(o.mass_to_orbit_kg) * per_kg * 2, rel=1e-12)
    assert float(o.embodied_co2_kg) == pytest.approx((4000 * float(o.installed_power_w) + 1000 * 1e9) / 1e3 * 2,
                                                     rel=1e-12)
    assert float(o.carbon_cost_usd) == pytest.approx(100 * (float(o.launch_co2_kg + o.embodied_co2_kg) / 2) / 1e3,
                                                     rel=1e-12)
    # ground: gas burned (6,200 BTU/kWh x 53.06 kg/MMBtu) plus construction and IT (allocated by life)
    assert float(t.co2_kg) == pytest.approx(1e9 / 1e6 * 8760 * 0.99982 * 0.85 * 1.2 * 6.2 * 53.06 * 10, rel=1e-12)
    assert float(t.embodied_co2_kg) == pytest.approx(500 * 1e6 * 10 / 30 + 1000 * 1e6 * 10 / 5, rel=1e-12)
    assert float(t.operation_carbon_cost_usd) == pytest.approx(100 * float(t.co2_kg) / 1e3, rel=1e-12)
    assert float(t.lifecycle_co2_kg) == pytest.approx(float(t.co2_kg + t.embodied_co2_kg), rel=1e-12)


def test_cpi_escalation_puts_money_in_one_dollar_year():
    """The grid price is in 2024 dollars (EIA): in 2025 dollars it is x CPI(2025)/CPI(2024)."""
    years, index = cpi_table()
    assert float(cpi_factor(2024, 2025)) == pytest.approx(320.229 / 313.689, rel=1e-12)
    assert float(cpi_factor(2025, 2025)) == 1.0
    sc = {"terrestrial_power_source": "grid", "dollar_escalation": "cpi"}
    cpi = evaluate("mccalip-2025-12", sc).terrestrial
    raw = evaluate("mccalip-2025-12", {**sc, "dollar_escalation": "none"}).terrestrial
    assert float(cpi.energy_cost_usd / raw.energy_cost_usd) == pytest.approx(320.229 / 313.689, rel=1e-12)
    assert float(cpi.capex_usd) == float(raw.capex_usd)  # McCalip's buckets are 2025 dollars
    back = evaluate("mccalip-2025-12", {**sc, "real_dollar_year": 2020}).terrestrial
    assert float(back.capex_usd / raw.capex_usd) == pytest.approx(258.811 / 320.229, rel=1e-12)


# ----------------------------------------------------------------------------- headline


def test_headline_is_lcoc_and_breakeven_defaults_to_it():
    c = evaluate(REFERENCE)
    assert HEADLINE_METRIC == "orbital_to_terrestrial_lcoc_ratio"
    assert float(get_metric(c, "headline")) == float(c.lcoc_ratio) == float(c.headline_ratio)
    be = breakeven(REFERENCE)
    assert be.metric == "lcoc"
    if be.value is not None:
        at = evaluate(REFERENCE, {"launch_cost_usd_per_kg": be.value})
        assert float(at.lcoc_ratio) == pytest.approx(1.0, rel=1e-6)


def test_run_json_reports_scope_it_compute_and_carbon():
    proc = subprocess.run([sys.executable, "-m", "orbitaldc", "run", REFERENCE, "--format", "json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["cost_scope"] == "all_in" and out["cost_basis"] == "lifecycle"
    for side in ("orbital", "terrestrial"):
        for key in ("it_equipment_cost_usd", "delivered_gpu_hours", "lifecycle_co2_kg", "lcoc_usd_per_gpu_hour"):
            assert isinstance(out[side][key], float) and out[side][key] > 0, (side, key)
        assert out[side]["cost_scope"] == "all_in"
    assert out["orbital"]["it_equipment_cost_usd"] == out["terrestrial"]["it_equipment_cost_usd"] == 28e9


def test_irr_and_payback_agree_with_the_explicit_year_flows():
    """With every amount on whole years (no construction, no delay) the explicit year-by-year flows
    are exact at any rate, so finance.irr on them (bisection on explicit flows) must equal the
    closed-form IRR, with renewals and the residual credit in the flows."""
    from orbitaldc import finance

    c = evaluate(REFERENCE, {"construction_years": 0.0, "compute_price_usd_per_gpu_hour": 3.0})
    t = c.terrestrial
    flows = t.cash_flows()
    net = 3.0 * t.gpu_hours_by_year - flows.costs_usd
    assert float(finance.irr(net, flows.times_yr)) == pytest.approx(float(t.irr_per_yr), abs=1e-9)
    assert float(finance.payback_years(net, flows.times_yr)) == pytest.approx(float(t.payback_years), rel=1e-12)
    assert float(finance.npv(net, 0.07, flows.times_yr)) == pytest.approx(float(t.npv_usd), rel=1e-9)


@pytest.mark.parametrize("preset", ["mccalip-2025-12", REFERENCE])
def test_every_parameter_that_moves_a_headline_is_declared(preset):
    """Probe each numeric library parameter (a 10 % nudge inside its allowed range): whatever moves
    a side's total or LCOC must be in the declared reads (explain, optimize and the Monte Carlo
    rely on them), so no new economics parameter is read undeclared."""
    from orbitaldc.compare import metric_reads
    from orbitaldc.params import load_library

    sc = load_scenario(preset)
    base = evaluate(sc)
    metrics = ("orbital.total_cost_usd", "terrestrial.total_cost_usd", "orbital.lcoc_usd_per_gpu_hour",
               "terrestrial.lcoc_usd_per_gpu_hour")
    declared = {m: metric_reads(sc.values, m) for m in metrics}
    for name, spec in load_library().items():
        x = sc.values.get(name)
        if not spec.is_numeric or x is None or spec.group in ("trajectory", "simulation", "design_limits"):
            continue
        y = float(x) * 1.1 if x else 1.0
        y = min(max(y, spec.min if spec.min is not None else y), spec.max if spec.max is not None else y)
        if spec.type == "int":
            y = float(round(y) if round(y) != x else x + 1)
        if y == x or (spec.max is not None and y > spec.max):
            continue
        try:
            moved = evaluate(sc, {name: y})
        except Exception:  # a nudge the physics rejects tells nothing about declarations
            continue
        for m in metrics:
            if not math.isclose(float(get_metric(moved, m)), float(get_metric(base, m)), rel_tol=1e-13):
                assert name in declared[m], (preset, name, m)
