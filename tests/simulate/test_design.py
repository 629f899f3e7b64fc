"""One satellite design: the twin steps exactly the averaged model's SatelliteDesign.

Issue 11: the simulator must not size a second satellite. The averaged evaluation and the
twin's setup of the same scenario agree exactly (==) on load, battery energy and capacity,
depth-of-discharge floor, radiator area and array rating, per satellite; and the twin's own
time steps reproduce the design's balances: its radiator node, at full load in full sun,
stays at the design temperature; its array, at beginning of life in full sun at normal
incidence, gives the design's rating.
"""

from __future__ import annotations

import numpy as np
import pytest

from orbitaldc.compare import evaluate
from orbitaldc.constants import SOLAR_CONSTANT_W_PER_M2
from orbitaldc.params import as_point
from orbitaldc.physics.solar import array_power_w, temperature_factor
from orbitaldc.physics.thermal import lumped_node_step
from orbitaldc.simulate import engine

SCENARIOS = {
    "reference-1gw-terminator": {},
    "jpl-1mw-2026-bottom-up": {},
    "mccalip-2025-12": {"mass_model": "bottom_up", "sun_fraction_model": "orbit", "orbit_type": "leo",
                        "altitude_m": 550e3},
}


def _both(name):
    sc = as_point(name, {"sim_satellites": 4, **SCENARIOS[name]})
    design = evaluate(sc).orbital.design
    return sc, design.per_satellite(), engine.build_setup(sc.values, design)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_twin_steps_the_averaged_models_own_design_exactly(name):
    sc, per, setup = _both(name)
    twin = setup.design
    one = lambda x: float(np.asarray(x).reshape(-1)[0])  # noqa: E731
    assert twin.load_w == one(per.load_power_w)
    assert twin.compute_w == one(per.it_power_w) and twin.bus_w == one(per.bus_power_w)
    assert twin.battery_energy_j == one(per.battery_energy_j)
    assert twin.battery_capacity_j == one(per.battery_capacity_j)
    assert twin.battery_minimum_j == (1.0 - one(per.depth_of_discharge)) * one(per.battery_capacity_j)
    assert twin.radiator_area_m2 == one(per.radiator.area_m2)
    assert twin.radiator_net_flux_w_per_m2 == one(per.radiator_net_flux_w_per_m2)
    assert twin.rated_power_w == one(per.array_rated_power_w)
    assert twin.array_area_m2 == one(per.array.area_m2)
    assert setup.constellation_satellites == one(evaluate(sc).orbital.satellite_count)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_twin_radiator_balances_the_design_load_at_the_design_temperature(name):
    """The node's fixed point at full load in full sun is radiator_temperature_k (1e-9 K: the
    balance is exact by construction, rounding only)."""
    sc, _, setup = _both(name)
    d = setup.design
    t_design = float(sc.values["radiator_temperature_k"])
    after = lumped_node_step(t_design, d.load_w, d.radiator_area_m2, d.emittance, d.absorbed_sun_w_per_m2,
                             d.heat_capacity_j_per_k, 30.0)
    assert after == pytest.approx(t_design, abs=1e-9)
    assert d.absorbed_eclipse_w_per_m2 <= d.absorbed_sun_w_per_m2  # eclipse removes sun and albedo


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_twin_array_gives_the_design_rating_at_beginning_of_life(name):
    """physics.solar.array_power_w on the design's area at its operating temperature in full
    sun returns the design's array rating (rounding only: the area was sized from it)."""
    sc, _, setup = _both(name)
    v = sc.values
    f = lambda k: float(v[k])  # noqa: E731
    factor = temperature_factor(f("solar_operating_temperature_k"), f("solar_reference_temperature_k"),
                                f("solar_temperature_coefficient_per_k"))
    p = array_power_w(setup.design.array_area_m2, f("solar_cell_efficiency"), f("solar_packing_factor"),
                      SOLAR_CONSTANT_W_PER_M2, factor)
    assert float(p) == pytest.approx(setup.design.rated_power_w, rel=1e-12)


def test_full_sun_beginning_of_life_twin_serves_the_design_load():
    """A dawn-dusk twin in January (no eclipse) with nothing random serves exactly the design's
    load: the array (sized with the degradation margin) covers it, nothing is shed."""
    sc = as_point("reference-1gw-terminator", {"sim_days": 0.5, "sim_step_s": 120.0, "sim_satellites": 2,
                                               "gpu_failure_per_yr": 0.0, "sim_satellite_weibull_scale_yr": 1e9,
                                               "sim_bus_failure_per_yr": 0.0, "uncorrected_upset_fraction": 0.0,
                                               "ground_interruptions_per_gpu_day": 0.0,
                                               "sim_die_limit_k": 400.0})
    setup = engine.build_setup(sc.values, evaluate(sc).orbital.design)
    series = []
    engine.run(setup, on_chunk=series.append)
    load = np.concatenate([s["load_power_w"] for s in series])
    assert np.allclose(load, 2 * setup.design.load_w, rtol=1e-12)
    assert all(float(s["shortfall_w"].sum()) == 0.0 for s in series)
