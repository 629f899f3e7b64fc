"""The bottom-up mass model (orbitaldc.systems.bottom_up) and its presets.

Golden: JPL/Turyshev (arXiv:2604.27197, 2026) base case, 1 MW IT in a high-sunlight orbit:
PV area 5.64e3 m2, radiator area 2.50e3 m2, PV + storage + radiator 29.4 kg/kW. Worst-season power
sizing: SMAD eq. 11-5.
"""

from __future__ import annotations


from orbitaldc.cli.testing import invoke
import json

import numpy as np
import pytest

from orbitaldc.compare import evaluate
from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import load_scenario
from orbitaldc.systems import bottom_up
from orbitaldc.systems.inputs import Orbit

#: Sunlight at aphelion relative to 1 AU, (1 / (1 + e))^2 with e = 0.0167 (aphelion 1.0167 AU, the
#: Astronomical Almanac): what an array without eclipses must be sized for (tolerance 2e-4: the
#: low-precision sun's distance against DE421, tests/physics/test_physics_orbit.py).
APHELION_IRRADIANCE = (1.0 / 1.0167) ** 2

BUDGET = ("array", "battery", "radiator", "pumped_loop", "compute", "shielding", "structure_bus", "propellant")


@pytest.fixture(scope="module")
def jpl():
    return evaluate("jpl-1mw-2026-bottom-up").orbital.design


@pytest.fixture(scope="module")
def ref():
    return evaluate("reference-1gw-terminator")


def test_jpl_pv_area(jpl):
    # JPL: 5.64e3 m2. The paper's ranges do not pin the cell efficiency; its PV area implies about
    # 1.25 MW / 5,640 m2 = 222 W per m2 of panel, which 20 % cells x 0.85 packing x 0.93 (60 C)
    # at 1361 W/m2 give (215 W/m2): 5.81e3 m2 at 1 AU. The base case types a sun fraction of 1 (a
    # high-sunlight orbit), so the array carries the 1.25 MW load with no eclipse to recharge for,
    # in the sunlight of aphelion (0.9674 of 1 AU's): 5.81e3 / 0.9674 = 6.01e3 m2, +6.5 %.
    assert float(jpl.array.area_m2) == pytest.approx(5.64e3, rel=0.15)
    assert float(jpl.array.area_m2) == pytest.approx(6.01e3, rel=0.01)  # our number, pinned
    assert float(jpl.array_rated_power_w) * APHELION_IRRADIANCE == pytest.approx(float(jpl.load_power_w), rel=2e-4)


def test_jpl_radiator_area(jpl):
    # JPL: 2.50e3 m2 for 1.25 MW of heat (1 MW IT x overhead 1.25), i.e. 500 W/m2. One-sided panel
    # facing zenith (no Earth in view, so no Earth load), emissivity 0.9, view factor 0.8 (a
    # blockage of 0.2; ranges 0.8-0.95 and 0.7-0.9) at 330 K (inside 300-400 K):
    # 0.9 x 0.8 x sigma x 330^4 = 484.2 W/m2 -> 2.58e3 m2, +3 %.
    assert float(jpl.radiator.area_m2) == pytest.approx(2.50e3, rel=0.15)
    assert float(jpl.radiator_net_flux_w_per_m2) == pytest.approx(484.2, rel=1e-3)
    assert float(jpl.environment.radiator_absorbed_w_per_m2) == 0.0


def test_jpl_pv_storage_radiator_mass(jpl):
    # JPL: 29.4 kg/kW. Ours: PV 1.25 MW / 0.9674 (aphelion) at 100 W/kg = 12.9 kg/kW; no battery (a
    # typed sun fraction of 1 has no eclipse); radiator 2.58e3 m2 x 6 kg/m2 = 15.5 kg/kW; sum 28.4
    # kg/kW, -3 %. 15 % is the tolerance for re-deriving a published point design from ranges.
    total = sum(float(jpl.kg_per_kw(k)) for k in ("array", "battery", "radiator"))
    assert total == pytest.approx(29.4, rel=0.15)
    assert total == pytest.approx(28.41, rel=0.01)
    assert float(jpl.battery.mass_kg) == 0.0


def test_jpl_whole_spacecraft_in_published_range(jpl):
    # JPL: 34-59 kg/kW with a fixed spacecraft mass. Our bottom-up total (board-level compute,
    # structure and bus at SMAD's ~30 % of dry mass, deorbit propellant from 1,000 km) is 60.2, 2 %
    # above the top of the band: structure and bus scale with dry mass here, where JPL fixes them.
    # Allowance: 5 % above JPL's top for that accounting difference (the published band otherwise).
    assert 34.0 <= float(jpl.kg_per_kw("total")) <= 59.0 * 1.05


def test_worst_season_array_smad_eq_11_5(ref):
    # SMAD eq. 11-5 for the worst orbit of the year at 650 km dawn-dusk: the longest eclipse is
    # 1,184 s of a 5,864 s orbit, so P_sa = P_L (1 + 1184 / (4680 x 0.90)) = 1.281 P_L (issue 13:
    # 1.28x) at 1 AU, divided by the chain's capacity factor (McCalip's average sizing basis). The
    # longest eclipses come at the June solstice, two weeks from aphelion: the array is rated for the
    # year's worst day of eclipse and sunlight together, between the longest eclipse in the
    # solstice's sunlight and in aphelion's (DE421 through Skyfield; the eclipse of the sizing day is
    # within a second of the longest, 1e-4 of the factor, and the sun's distance within 2e-4)
    import warnings

    from skyfield import api as skyfield_api
    from skyfield_data import get_skyfield_data_path

    from orbitaldc.constants import AU_M

    d = ref.orbital.design
    env = d.environment
    assert float(env.sizing_eclipse_s) == pytest.approx(1184.0, rel=0.002)
    t_d = float(env.period_s - env.sizing_eclipse_s)
    factor = 1 + float(env.sizing_eclipse_s) / (t_d * 0.90)
    assert factor == pytest.approx(1.28, abs=0.005)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # skyfield-data's bundled finals2000A is past its date; unused here
        load = skyfield_api.Loader(get_skyfield_data_path(), expire=False, verbose=False)
        eph, ts = load("de421.bsp"), load.timescale(builtin=True)
    year = int(load_scenario("reference-1gw-terminator").values["mission_start_year"])
    r_au = np.linalg.norm((eph["sun"] - eph["earth"]).at(ts.utc(year, 1, np.arange(1, 366))).position.m, axis=0) / AU_M
    solstice, aphelion = r_au[171] ** -2, r_au.max() ** -2  # 21 June (day 172) and the year's least sunlight
    cf = float(ref.orbital.average_capacity_factor)
    rated = float(d.array_rated_power_w) * cf / float(d.load_power_w)
    assert factor / solstice * (1 - 3e-4) <= rated <= factor / aphelion * (1 + 3e-4)
    # the battery carries the same eclipse and keeps its floor: capacity - energy
    np.testing.assert_allclose(d.battery_minimum_j, d.battery_capacity_j * (1 - d.depth_of_discharge), rtol=1e-12)


def test_typed_sun_fraction_of_one_carries_no_battery():
    c = evaluate("reference-1gw-terminator", {"sun_fraction_model": "typed", "sun_fraction": 1.0})
    d = c.orbital.design
    assert float(d.battery.mass_kg) == 0.0 and float(d.battery_capacity_j) == 0.0
    cf = float(c.orbital.average_capacity_factor)
    assert float(d.array_rated_power_w) * cf * APHELION_IRRADIANCE == pytest.approx(float(d.load_power_w), rel=2e-4)
    # a typed 0.98 means every orbit is 2 % in shadow: the battery carries 0.02 of a period
    d98 = evaluate("reference-1gw-terminator", {"sun_fraction_model": "typed", "sun_fraction": 0.98}).orbital.design
    assert float(d98.environment.sizing_eclipse_s) == pytest.approx(0.02 * float(d98.environment.period_s), rel=1e-12)
    np.testing.assert_allclose(d98.battery_energy_j, d98.load_power_w * d98.environment.sizing_eclipse_s / np.sqrt(0.9),
                               rtol=1e-12)


def test_budget_adds_up_and_energy_balances(ref):
    o = ref.orbital
    d = o.design
    assert d.SUBSYSTEMS == BUDGET
    parts = sum(np.asarray(d.subsystem(k).mass_kg) for k in BUDGET)
    np.testing.assert_allclose(parts, o.satellite_mass_kg, rtol=1e-12)
    np.testing.assert_allclose(d.total_mass_kg, o.satellite_mass_kg, rtol=1e-12)
    # all electrical power becomes heat and leaves through the radiator
    np.testing.assert_allclose(d.radiator.area_m2 * d.radiator_net_flux_w_per_m2, d.heat_load_w, rtol=1e-12)
    # the constant load is IT plus bus (bus_power_fraction of IT)
    v = ref.values
    np.testing.assert_allclose(d.load_power_w, v["target_power_w"] * (1 + v["bus_power_fraction"]), rtol=1e-15)
    # compute at board level (library 5 kg/kW), structure and bus 30 % of the dry mass (SMAD)
    np.testing.assert_allclose(d.kg_per_kw("compute"), 5.0, rtol=1e-12)
    dry = d.total_mass_kg - d.propellant.mass_kg
    np.testing.assert_allclose(d.structure_bus.mass_kg / dry, 0.30, rtol=1e-12)
    assert float(o.installed_power_w) == float(d.array_rated_power_w)
    # battery nameplate = delivered eclipse energy / depth of discharge
    np.testing.assert_allclose(d.battery_capacity_j * d.depth_of_discharge, d.battery_energy_j, rtol=1e-12)


def test_chassis_packaging_option():
    d = evaluate("reference-1gw-terminator", {"compute_packaging": "chassis"}).orbital.design
    np.testing.assert_allclose(d.kg_per_kw("compute"), 12.8, rtol=1e-12)  # DGX H100 datasheet


def test_radiator_environment_counts_the_earth_once(ref):
    # both faces edge-on to the Earth at 650 km: each sees F = (arcsin(1/H) - sqrt(H^2-1)/H^2)/pi
    # = 0.2407 (Howell B-12); emission is cut only by the 10 % blockage
    d = ref.orbital.design
    v = ref.values
    f = 0.24069
    assert float(d.environment.radiator_earth_view_factor) == pytest.approx(2 * f, rel=1e-4)
    load = 2 * f * (v["radiator_absorptivity"] * v["earth_albedo"] * 1361.0 + v["radiator_emissivity"] * v["earth_ir_w_per_m2"])
    assert float(d.environment.radiator_absorbed_w_per_m2) == pytest.approx(load, rel=1e-4)
    emitted = 2 * 0.9 * 0.9 * 5.670374419e-8 * v["radiator_temperature_k"] ** 4
    assert float(d.radiator_net_flux_w_per_m2) == pytest.approx(emitted - load, rel=1e-4)


def test_availability_and_link_cap(ref):
    """The network cap counts each station of ``ground_network`` for the share of the day it sees
    the dawn-dusk plane. That share is checked here by plain vector geometry, independent of the
    closed form: the station's direction turned through 7,200 sidereal angles about the pole,
    the plane's normal from its inclination, in view where ``|n . r| <= sin(lambda)`` with
    ``lambda`` from SMAD eq. 5-15 to 5-17 written out. Tolerance 1e-3 of a station: the grid's
    step (at most 4 boundary crossings a day, each within half a 0.05 deg cell)."""
    from orbitaldc.physics.stations import geodetic_to_ecef_m, load_network

    ch = ref.orbital.design.checks
    assert 0.9 < float(ch.availability) <= 1.0
    assert float(ch.availability) == pytest.approx((1 - float(ch.radiation_compute_loss))
                                                   * float(ch.link_delivered_fraction), rel=1e-12)
    v = ref.values
    net = load_network(v["ground_network"])
    g = geodetic_to_ecef_m(net.lat_rad, net.lon_rad, net.height_m)
    g = g / np.linalg.norm(g, axis=-1, keepdims=True)
    theta = (np.arange(7200) + 0.5) * 2 * np.pi / 7200
    inc = float(ref.orbital.design.environment.inclination_rad)
    normal = np.array([0.0, -np.sin(inc), np.cos(inc)])  # node at x = 0; the station turns instead
    rho = np.hypot(g[:, 0], g[:, 1])
    dirs = np.stack([rho[:, None] * np.cos(theta), rho[:, None] * np.sin(theta),
                     np.broadcast_to(g[:, 2:], (len(rho), theta.size))], axis=-1)
    eta = np.arcsin(6378137.0 * np.cos(v["min_elevation_rad"]) / (6378137.0 + v["altitude_m"]))
    lam = np.pi / 2 - v["min_elevation_rad"] - eta
    seen = (np.abs(dirs @ normal) <= np.sin(lam)).mean(axis=-1)[: int(v["ground_stations"])]
    assert float(ch.stations_in_view) == pytest.approx(seen.sum(), abs=1e-3)
    assert 3.0 < seen.sum() < 5.0  # the polar sites nearly always, the low-latitude ones a fifth of the time
    cap = seen.sum() * v["terminals_per_station"] * v["downlink_rate_bps"] * 86400 * v["clear_sky_fraction"]
    assert float(ch.network_downlink_bits_per_day) == pytest.approx(cap, rel=1e-3)
    # results come from the compute not lost to upsets; what the links cannot carry is not delivered
    demand = v["workload_bits_per_j"] * v["target_power_w"] * 86400 * (1 - float(ch.radiation_compute_loss))
    assert float(ch.link_delivered_fraction) == pytest.approx(cap / demand, rel=1e-3)
    # a workload whose output exceeds the network more: the Gamma test fails, delivery capped
    big = evaluate("reference-1gw-terminator", {"workload_bits_per_j": 1e5}).orbital.design.checks
    assert not bool(big.gamma_fits)
    assert float(big.link_delivered_fraction) == pytest.approx(cap / demand / 100, rel=1e-3)
    light = evaluate("reference-1gw-terminator", {"workload_bits_per_j": 250.0}).orbital.design.checks
    assert bool(light.gamma_fits) and float(light.link_delivered_fraction) == 1.0


def test_disposal_rule_adds_deorbit_propellant():
    # 1,000 km: a tumbling satellite takes centuries to decay, far beyond FCC's 5 years, so a burn
    # lowers it; at 450 km it decays within 5 years and needs none
    high = evaluate("reference-1gw-terminator", {"altitude_m": 1000e3}).orbital.design.checks
    low = evaluate("reference-1gw-terminator", {"altitude_m": 450e3}).orbital.design.checks
    assert float(high.decay_time_yr) > 5 and float(high.deorbit_delta_v_m_per_s) > 50.0
    assert float(low.decay_time_yr) < 5 and float(low.deorbit_delta_v_m_per_s) == 0.0


def test_reference_orbit_supplies_sun_fraction(ref):
    env = ref.orbital.design.environment
    # 650 km dawn-dusk: eclipses only in a season around the June solstice; year-average ~0.96
    assert 0.94 < float(env.sun_fraction) < 0.99
    assert float(env.sun_fraction) == float(env.orbit_sun_fraction) == float(ref.orbital.sun_fraction)
    typed = evaluate("reference-1gw-terminator", {"sun_fraction_model": "typed"})
    assert float(typed.orbital.design.environment.sun_fraction) == 0.98  # McCalip's typed value
    assert float(typed.orbital.required_power_w) < float(ref.orbital.required_power_w)


def test_vectorized_over_altitude_and_broadcast():
    h = np.array([550e3, 650e3, 1000e3])
    t = np.array([[300.0], [350.0]])
    c = evaluate("reference-1gw-terminator", {"altitude_m": h, "radiator_temperature_k": t})
    d = c.orbital.design
    assert np.shape(c.orbital.total_cost_usd) == (2, 3)
    sf = np.broadcast_to(d.environment.sun_fraction, (2, 3))
    assert np.all(np.diff(sf[0]) > 0)  # higher dawn-dusk orbit, more sun
    dose = np.broadcast_to(d.checks.dose_rad_si_per_yr, (2, 3))
    assert np.all(np.diff(dose[0]) > 0)
    rad = np.broadcast_to(d.radiator.area_m2, (2, 3))
    assert np.all(rad[1] < rad[0])  # hotter radiator, smaller
    # each element equals the scalar run
    one = evaluate("reference-1gw-terminator", {"altitude_m": 1000e3, "radiator_temperature_k": 350.0})
    assert float(one.orbital.total_cost_usd) == pytest.approx(float(c.orbital.total_cost_usd[1, 2]), rel=1e-12)


def test_sunlight_unique_orbits():
    v = dict(load_scenario("reference-1gw-terminator").values)
    v["altitude_m"] = np.array([650e3, 650e3, 700e3, 650e3])
    ys = bottom_up.sunlight(Orbit.take(v))
    assert ys.sun_fraction.shape == (4,)
    assert ys.sun_fraction[0] == ys.sun_fraction[1] == ys.sun_fraction[3] != ys.sun_fraction[2]


def test_impossible_design_is_a_clear_error():
    # a cold radiator facing the Earth absorbs more than it emits
    with pytest.raises(OrbitaldcError, match="absorbed environment exceeds emission"):
        evaluate("reference-1gw-terminator", {"radiator_temperature_k": 160.0, "radiator_nadir_angle_rad": 0.0})
    with pytest.raises(OrbitaldcError, match="altitude_m"):
        evaluate("reference-1gw-terminator", {"altitude_m": 100e3})
    with pytest.raises(OrbitaldcError, match="radiator_emissivity"):
        evaluate("reference-1gw-terminator", {"radiator_emissivity": 1.5})


def test_leo_orbit_needs_bigger_battery_than_terminator():
    term = evaluate("reference-1gw-terminator").orbital.design
    leo = evaluate("reference-1gw-terminator", {"orbit_type": "leo", "altitude_m": 550e3}).orbital.design
    assert float(leo.environment.sun_fraction) < 0.75
    assert float(leo.kg_per_kw("battery")) > float(term.kg_per_kw("battery"))
    assert float(leo.environment.eclipses_per_yr) > 5000


def _cli(*args):
    r = invoke(*args, columns=160)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_cli_shows_mass_budget_and_json_design():
    text = _cli("run", "reference-1gw-terminator")
    assert "Mass budget" in text
    for name in BUDGET:
        assert name in text
    data = json.loads(_cli("run", "reference-1gw-terminator", "--format", "json"))
    design = data["orbital"]["design"]
    assert 0.9 < design["environment"]["sun_fraction"] < 1.0
    assert design["subsystems"]["radiator"]["area_m2"] > 1e5
    assert 50.0 < design["checks"]["dose_rad_si_per_yr"] < 500.0  # AP-8/AE-8 behind 10 mm at 650 km SSO
    assert set(BUDGET) == set(design["subsystems"])


def test_orbit_sun_fraction_with_whole_satellite_mass_model():
    # sun_fraction_model = "orbit" works for McCalip's specific-power model too: his typed 0.98
    # for a dawn-dusk orbit against the 650 km orbit's own year average (0.960, eclipse season)
    base = evaluate("mccalip-2025-12")
    derived = evaluate("mccalip-2025-12", {"sun_fraction_model": "orbit", "orbit_type": "terminator",
                                           "altitude_m": 650e3})
    ratio = float(derived.orbital.required_power_w) / float(base.orbital.required_power_w)
    assert ratio == pytest.approx(0.98 / 0.9600373593477566, rel=1e-9)
    assert derived.orbital.design is None  # the whole-satellite model sizes no subsystems


def test_no_eclipse_no_battery():
    # A dawn-dusk orbit at 1,500 km keeps |beta| >= 90 - (i - 90) - 23.44 = 54.6 deg above the
    # critical beta* = arcsin(R / (R + h)) = 54.0 deg (Gilmore ch. 2): never in shadow, so the
    # battery (and its mass) is zero and the orbit's sun fraction is exactly 1.
    d = evaluate("reference-1gw-terminator", {"altitude_m": 1.5e6}).orbital.design
    assert float(d.environment.sun_fraction) == 1.0
    assert float(d.environment.max_eclipse_duration_s) == 0.0
    assert float(d.battery.mass_kg) == 0.0 and float(d.battery_capacity_j) == 0.0


def test_distinct_rows_skip_the_row_sort_with_the_same_design(monkeypatch):
    """A Monte Carlo over altitude has a distinct orbit in every row: the physics terms then run on
    the rows as they are instead of on np.unique's sorted rows. Both evaluate the same element-wise
    functions of the same numbers, so the designs agree exactly (measured bit for bit; 1e-14 allows
    only a different SIMD grouping of the same operations)."""
    from orbitaldc.compare import evaluate_values
    from orbitaldc.sampling import define_problem

    sc = load_scenario("reference-1gw-terminator")
    problem = define_problem(sc, ["orbital_to_terrestrial_cost_ratio"])
    values = dict(sc.values)
    values.update(problem.sample(600, np.random.default_rng(4)))
    values["shielding_thickness_m"] = np.repeat(values["shielding_thickness_m"][:300], 2)  # repeats in one input
    assert bottom_up._all_rows_distinct((values["altitude_m"],), 600)
    assert not bottom_up._all_rows_distinct((values["shielding_thickness_m"], 5.0), 600)
    fast = evaluate_values(values).orbital
    monkeypatch.setattr(bottom_up, "_DISTINCT_CHECK_MIN", 10**9)  # always deduplicate
    slow = evaluate_values(values).orbital
    for name in ("total_cost_usd", "lcoc_usd_per_gpu_hour", "satellite_mass_kg", "sun_fraction"):
        np.testing.assert_allclose(getattr(fast, name), getattr(slow, name), rtol=1e-14, atol=0, err_msg=name)
    for name in ("dose_rad_si_per_yr", "availability", "propellant_mass_fraction"):
        np.testing.assert_allclose(getattr(fast.design.checks, name), getattr(slow.design.checks, name), rtol=1e-14,
                                   atol=0, err_msg=name)
