"""The chunked runner and its summary: physics sanity, convergence, reproducibility, chunking."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from orbitaldc.cli.output import dumps
from orbitaldc.errors import OrbitaldcError, ScenarioError
from orbitaldc.physics.eclipse import eclipse_fraction
from orbitaldc.physics.orbit import beta_angle_rad
from orbitaldc.simulate import engine, steps
from orbitaldc.simulate import simulate as _simulate
from orbitaldc.simulate.plots import read_series
from orbitaldc.systems.orbital import year_average_survival

BASE = "mccalip-2025-12"
#: McCalip's scenario with a physical design (the twin steps its battery and radiator) sized for
#: the orbit's own sun fraction.
PHYSICAL = {"mass_model": "bottom_up", "sun_fraction_model": "orbit"}
EQUINOX_DAY = 78.0  # days after 2027-01-01 (mission_start_year): March equinox 2027-03-20 20:25 UTC
#: No node interruptions: no upset escapes ECC and no ground-floor interruption (the upset/restart
#: model of physics.radiation that the design and the twin share).
NO_INTERRUPTS = {"uncorrected_upset_fraction": 0.0, "ground_interruptions_per_gpu_day": 0.0}
QUIET = {  # switch off every random process (for deterministic comparisons)
    "gpu_failure_per_yr": 0.0, "sim_satellite_weibull_scale_yr": 1e9, "sim_bus_failure_per_yr": 0.0, **NO_INTERRUPTS,
}
IDEAL = {"sim_die_limit_k": 400.0, "solar_temperature_coefficient_per_k": 0.0}  # no throttling, no hot-array loss
SHELL = {"orbit_type": "leo", "altitude_m": 550e3}  # a 53-deg Walker shell (inclination_rad default)


def simulate(scenario, overrides, **kw):
    """The twin of ``scenario`` with a physical design (:data:`PHYSICAL`) under ``overrides``."""
    return _simulate(scenario, {**PHYSICAL, **overrides}, **kw)


def test_walker_shell_eclipse_fraction_matches_beta_angle_geometry():
    """53-deg shell: the simulated eclipse fraction equals the cylindrical-shadow expectation
    ``eclipse_fraction(h, beta)`` (Vallado sec. 5.3) averaged over the planes' beta angles."""
    days = 2.0
    o = simulate(BASE, {"sim_days": days, "sim_step_s": 30.0, "sim_satellites": 40, "sim_planes": 8, **SHELL, **QUIET})
    el = o.result.setup.elements
    from orbitaldc.physics.orbit import nodal_precession_rad_per_s

    t = np.linspace(0.0, days * 86400.0, 49)
    raan_dot = float(nodal_precession_rad_per_s(550e3, el.inclination_rad[0]))
    raan = el.raan_rad[:, None] + raan_dot * t[None, :]
    beta = beta_angle_rad(el.epoch_jd + t / 86400.0, el.inclination_rad[0], raan)
    expected = float(np.mean(eclipse_fraction(550e3, beta)))
    simulated = 1.0 - o.summary["simulated"]["sunlit_fraction"]
    assert 0.25 < expected < 0.45
    # tolerance: conical vs cylindrical shadow (penumbra counted half) and 30 s sampling, ~0.5 %
    assert simulated == pytest.approx(expected, abs=0.01)


def test_dawn_dusk_has_no_eclipse_at_equinox_but_some_at_solstice():
    over = {"orbit_type": "terminator", "ltan_h": 18.0, "altitude_m": 650e3, "sim_days": 2.0,
            "sim_step_s": 60.0, "sim_satellites": 4, "sim_die_limit_k": 400.0, "solar_temperature_coefficient_per_k": 0.0,
            **QUIET}
    equinox = simulate(BASE, {**over, "sim_start_day": EQUINOX_DAY}).summary["simulated"]
    solstice = simulate(BASE, {**over, "sim_start_day": EQUINOX_DAY + 92.75}).summary["simulated"]  # ~June 21
    assert equinox["sunlit_fraction"] == 1.0
    assert 0.0 < 1.0 - solstice["sunlit_fraction"] < 0.25
    assert equinox["compute_availability"] == pytest.approx(1.0, abs=0.002)


@pytest.mark.slow
def test_availability_converges_to_averaged_model_with_same_rates():
    """No repair, GPU failures at the scenario's 9 %/yr, no eclipse (1,500 km dawn-dusk),
    nothing else random: over 5 years the simulated availability equals the averaged model's
    mean survival ``(1 - f)^(k-1) f / -ln(1 - f)`` per year. Tolerance: 4 binomial standard
    errors of the surviving fraction of 50 x 255 GPUs (the time average is no noisier)."""
    over = {"replacement": "capacity_loss", "cell_degradation_per_yr": 0.0, "sun_fraction_model": "typed",
            "sun_fraction": 1.0,
            "orbit_type": "sso", "ltan_h": 6.0, "altitude_m": 1500e3, "bus_power_fraction": 0.0,
            "sim_days": 5 * 365.25, "sim_step_s": 3600.0, "sim_satellites": 50,
            "gpu_power_w": 100.0, "gpu_tdp_w": 55.0, "sim_satellite_weibull_scale_yr": 1e9, "sim_bus_failure_per_yr": 0.0,
            **NO_INTERRUPTS}
    o = simulate(BASE, over, seed=3)
    s = o.summary
    assert s["simulated"]["sunlit_fraction"] == 1.0
    f = 0.09
    expected = float(np.mean(year_average_survival(f, np.arange(1, 6))))
    gpus = 50 * o.result.setup.design.gpus
    tol = 4 * math.sqrt(0.7 * 0.3 / gpus)
    assert s["averaged"]["availability"] == pytest.approx(expected, rel=1e-3)
    assert s["simulated"]["availability"] == pytest.approx(expected, abs=tol)
    # so the simulated LCOC is the averaged one within the same relative tolerance
    assert s["lcoc"]["simulated_usd_per_gpu_hour"] == pytest.approx(s["lcoc"]["averaged_usd_per_gpu_hour"], rel=2 * tol)


def test_seeded_runs_are_bit_identical(tmp_path):
    over = {"sim_days": 0.5, "sim_satellites": 20, "sim_planes": 4, "ground_interruptions_per_gpu_day": 0.5, **SHELL,
            "gpu_failure_per_yr": 0.5, "sim_bus_failure_per_yr": 5.0, "replacement": "capacity_loss"}
    a = simulate(BASE, over, seed=11, out_dir=tmp_path / "a", chunk_sat_steps=5000)
    b = simulate(BASE, over, seed=11, out_dir=tmp_path / "b", chunk_sat_steps=5000)
    simulate(BASE, over, seed=12, out_dir=tmp_path / "c", chunk_sat_steps=5000)
    assert a.result.parts == b.result.parts > 1
    for pa_, pb_ in zip(sorted((tmp_path / "a" / "series").iterdir()), sorted((tmp_path / "b" / "series").iterdir())):
        assert pa_.read_bytes() == pb_.read_bytes()
    assert dumps(a.summary) == dumps(b.summary)
    sa, sc_ = read_series(tmp_path / "a" / "series"), read_series(tmp_path / "c" / "series")
    assert not sa["interruptions"].equals(sc_["interruptions"])


def test_chunking_does_not_change_a_deterministic_run():
    over = {"sim_days": 0.5, "sim_satellites": 10, "sim_planes": 2, **SHELL, **QUIET}
    one = simulate(BASE, over, chunk_sat_steps=10**7)
    many = simulate(BASE, over, chunk_sat_steps=700)
    assert many.result.totals.compute_energy_j > 0
    a, b = one.summary["simulated"], many.summary["simulated"]
    for key in ("sunlit_fraction", "availability", "energy_shortfall_wh", "min_battery_soc", "data_delivered_bytes"):
        assert a[key] == pytest.approx(b[key], rel=1e-9, abs=1e-9)


def test_series_columns_units_and_energy_balance(tmp_path):
    o = simulate(BASE, {"sim_days": 1.0, "sim_satellites": 10, "sim_planes": 2, **SHELL}, out_dir=tmp_path)
    df = read_series(tmp_path / "series")
    assert list(df.columns) == list(engine.SERIES_COLUMNS)
    assert len(df) == o.result.setup.steps == 2880
    assert str(df["time"].dt.tz) == "UTC" and df["time"].iloc[0] == pd.Timestamp("2027-01-01", tz="UTC")  # mission_start_year
    assert df["time"].diff().iloc[1:].eq(pd.Timedelta(seconds=30)).all()
    d = o.result.setup.design
    floor = d.battery_minimum_j / d.battery_capacity_j  # 1 - the design's depth of discharge
    assert df["sunlit_fraction"].between(0, 1).all() and df["battery_soc"].between(floor - 1e-9, 1).all()
    assert (df["compute_power_w"] <= 10 * d.compute_w * (1 + 1e-12)).all()
    # energy conservation: load served <= array energy + what the battery could release
    served = df["load_power_w"].sum() * 30.0
    released = 10 * (d.battery_capacity_j - d.battery_minimum_j) * math.sqrt(0.9)
    assert served <= df["array_power_w"].sum() * 30.0 + released
    # and little is wasted: the load is served unless the array (sized for the year-average sun
    # fraction, here in a high-beta week) has less to give
    needed = 10 * d.load_w * 86400.0
    assert served > 0.95 * min(df["array_power_w"].sum() * 30.0, needed)
    s = o.summary["simulated"]
    assert 0 < s["availability"] <= 1 and 0 <= s["results_delivered_fraction"] <= 1


def test_eclipse_without_battery_sheds_compute():
    """The same design with its battery taken out computes only in sunlight."""
    import dataclasses

    from orbitaldc.compare import evaluate
    from orbitaldc.params import as_point

    sc = as_point(BASE, {**PHYSICAL, "sim_days": 1.0, "sim_satellites": 10, "sim_planes": 2, **SHELL, **QUIET,
                         **IDEAL})
    setup = engine.build_setup(sc.values, evaluate(sc).orbital.design)
    setup.design = dataclasses.replace(setup.design, battery_capacity_j=0.0, battery_minimum_j=0.0)
    t = engine.run(setup).totals
    sunlit = t.illumination / t.sat_steps_alive
    availability = t.compute_energy_j / (setup.satellites * setup.design.compute_w * setup.duration_s)
    assert availability == pytest.approx(sunlit, abs=0.01)
    assert t.shortfall_energy_j > 0


def test_die_limit_throttles_compute():
    over = {"sim_days": 0.25, "sim_satellites": 4, "die_to_radiator_k_per_w": 0.02, **QUIET}
    cool = simulate(BASE, {**over, "sim_die_limit_k": 400.0}).summary
    # die rise at full load: 0.02 K/W x 700 W (the GPU's TDP share) = 14 K above a ~330 K node
    hot = simulate(BASE, {**over, "sim_die_limit_k": 335.0}).summary
    assert cool["losses_wh"]["thermal_throttle"] == 0.0
    assert hot["losses_wh"]["thermal_throttle"] > 0.0
    assert hot["simulated"]["availability"] < cool["simulated"]["availability"]
    assert 335.0 < hot["simulated"]["max_die_temperature_k"] < 335.0 + 10.0  # held inside the governor band


def test_tle_sample_and_bad_inputs(iss_tle_file, tmp_path):
    o = simulate(BASE, {"sim_days": 0.2, "mission_start_year": 2026}, tle_path=iss_tle_file)  # the TLE's epoch
    assert o.result.setup.satellites == 1 and o.summary["run"]["propagator"] == "sgp4"
    with pytest.raises(ScenarioError, match="sim_step_s"):
        simulate(BASE, {"sim_step_s": 0.0})
    with pytest.raises(ScenarioError, match="sim_days"):
        simulate(BASE, {"sim_days": 0.0001, "sim_step_s": 3600.0})
    with pytest.raises(ScenarioError, match="seed"):
        engine.run(engine.build_setup(o.comparison.values, o.comparison.orbital.design), seed=-1)
    with pytest.raises(ScenarioError, match="array"):
        simulate(BASE, {"sim_days": [1.0, 2.0]})
    with pytest.raises(OrbitaldcError, match="net_flux"):
        simulate(BASE, {"radiator_temperature_k": 160.0, "earth_ir_w_per_m2": 400.0})


def test_failed_count_matches_brute_force():
    rng = np.random.default_rng(5)
    fails = np.sort(np.minimum(rng.exponential(3.0, (50, 21)), steps.NEVER_YR), axis=1)
    fails[3] = steps.NEVER_YR  # a satellite whose GPUs never fail
    t = np.linspace(0.0, 10.0, 37)
    brute = (fails[:, :, None] <= t[None, None, :]).sum(axis=1)
    assert np.array_equal(steps.failed_count(fails, t), brute)


def test_simulated_lcoc_equals_averaged_when_delivery_matches():
    from orbitaldc.compare import evaluate
    from orbitaldc.simulate.summary import simulated_lcoc

    c = evaluate(BASE)
    years = int(c.values["analysis_years"])
    same = simulated_lcoc(c, np.ones(years))
    assert same["lcoc_usd_per_gpu_hour"] == pytest.approx(float(c.orbital.lcoc_usd_per_gpu_hour), rel=1e-12)
    half = simulated_lcoc(c, np.full(years, 0.5))
    assert half["lcoc_usd_per_gpu_hour"] == pytest.approx(2 * same["lcoc_usd_per_gpu_hour"], rel=1e-12)


@pytest.mark.parametrize("network,relay", [("polar", "direct"), ("global", "isl"), ("none", "isl")])
def test_links_deliver_results(network, relay):
    over = {"sim_days": 1.0, "sim_satellites": 10, "sim_planes": 2, "ground_network": network, "sim_relay": relay,
            **SHELL, **QUIET}
    s = simulate(BASE, over).summary
    frac = s["simulated"]["results_delivered_fraction"]
    if network == "none":
        assert frac == 0.0 and s["simulated"]["data_delivered_bytes"] == 0.0
        assert not np.isfinite(s["lcoc"]["simulated_usd_per_gpu_hour"])  # nothing delivered: no finite LCOC
    else:
        assert 0.0 < frac <= 1.0 and s["simulated"]["contact_fraction"] > 0.0
        assert s["simulated"]["data_delivered_bytes"] == pytest.approx(frac * s["simulated"]["data_generated_bytes"])


def test_full_sun_array_carries_its_load_at_the_design_temperature():
    """Regression: satellite_power_w is the array's output at its operating temperature (the
    bottom-up chain sizes the area with that temperature factor), so a satellite in continuous
    sun must carry its energy-balanced load with no shortfall - the temperature coefficient must
    not derate it a second time from the cells' 25 C rating."""
    over = {"sim_days": 2.0, "sim_step_s": 120.0, "sim_satellites": 2, "sim_die_limit_k": 400.0, **QUIET}
    # two days: longer than the battery reserve that would hide a deficit for about one day
    s = simulate("reference-1gw-terminator", over).summary
    assert s["simulated"]["sunlit_fraction"] == 1.0  # dawn-dusk orbit in January
    assert s["losses_wh"]["energy_shortfall"] == 0.0
