"""Unit tests of the simulation's pieces: layout, propagation, power, thermal, faults, links."""

from __future__ import annotations

import math

import numpy as np
import pytest

from orbitaldc.constants import EARTH_RADIUS_M, SUN_MEAN_MOTION_RAD_PER_S
from orbitaldc.errors import ScenarioError
from orbitaldc.physics.orbit import nodal_precession_rad_per_s, sun_synchronous_inclination_rad
from orbitaldc.simulate import faults, layout, links, power, propagate, thermal
from orbitaldc.constants import STEFAN_BOLTZMANN_W_PER_M2_K4

JD = 2461041.5


# ------------------------------------------------------------------ layout and propagation
def test_walker_delta_geometry():
    el = layout.walker_delta(24, 6, 2, math.radians(53), 550e3, JD)
    assert el.count == 24
    assert np.allclose(np.unique(np.round(el.raan_rad, 12)), np.arange(6) * 2 * math.pi / 6)
    # Walker phasing: plane p's first satellite leads plane 0's by 2 pi F p / T
    first = el.mean_anomaly_rad[::4]
    assert np.allclose(np.mod(first, 2 * math.pi), np.mod(2 * math.pi * 2 * np.arange(6) / 24, 2 * math.pi))
    assert np.allclose(el.semi_major_axis_m, EARTH_RADIUS_M + 550e3)


@pytest.mark.parametrize("total,planes,phasing", [(10, 3, 0), (12, 4, 4), (0, 1, 0)])
def test_walker_rejects_bad_layout(total, planes, phasing):
    with pytest.raises(ScenarioError, match="sim_"):
        layout.walker_delta(total, planes, phasing, 0.9, 550e3, JD)


def test_solve_kepler_vallado_example_2_1():
    # Vallado 4th ed. example 2-1: M = 235.4 deg, e = 0.4 -> E = 220.512074767522 deg
    e_anom = propagate.solve_kepler(math.radians(235.4), 0.4)
    assert math.degrees(float(e_anom)) == pytest.approx(220.512074767522, abs=1e-9)
    # broadcasting over an array of eccentricities
    out = propagate.solve_kepler(np.array([[0.1], [1.0]]), np.array([0.0, 0.2, 0.7]))
    assert out.shape == (2, 3)
    assert np.allclose(out - np.array([0.0, 0.2, 0.7]) * np.sin(out), [[0.1], [1.0]])


def test_j2_node_rate_matches_physics_and_sun_synchronism():
    a = EARTH_RADIUS_M + 700e3
    inc = math.radians(53.0)
    raan_dot, _, _ = propagate.j2_secular_rates(a, 0.0, inc)
    assert float(raan_dot) == pytest.approx(float(nodal_precession_rad_per_s(700e3, inc)), rel=1e-9)
    i_sso = float(sun_synchronous_inclination_rad(700e3))
    assert float(propagate.j2_secular_rates(a, 0.0, i_sso)[0]) == pytest.approx(SUN_MEAN_MOTION_RAD_PER_S, rel=1e-9)


def test_kepler_j2_circular_orbit_radius_speed_and_node_drift():
    el = layout.walker_delta(2, 2, 0, math.radians(53), 550e3, JD)
    t = np.linspace(0, 86400.0, 500)
    st = propagate.kepler_j2(el, t)
    assert st.position_m.shape == (2, 500, 3)
    assert np.allclose(np.linalg.norm(st.position_m, axis=-1), EARTH_RADIUS_M + 550e3, rtol=1e-12)
    v = np.linalg.norm(st.velocity_m_s, axis=-1)
    assert np.allclose(v, math.sqrt(3.986004418e14 / (EARTH_RADIUS_M + 550e3)), rtol=1e-12)  # vis-viva, circular
    h = np.cross(st.position_m[0], st.velocity_m_s[0])
    node = np.arctan2(h[:, 0], -h[:, 1])
    drift = node[-1] - node[0]
    assert drift == pytest.approx(float(propagate.j2_secular_rates(el.semi_major_axis_m[0], 0, el.inclination_rad[0])[0])
                                  * 86400.0, rel=1e-6)


def test_gmst_vallado_example_3_5():
    # Vallado 4th ed. example 3-5: 1992 Aug 20 12:14 UT1 -> GMST 152.578787886 deg
    jd = 2448855.009722222
    assert math.degrees(float(propagate.gmst_rad(jd))) == pytest.approx(152.578787886, abs=2e-5)


def test_read_tle(iss_tle_file, tmp_path):
    tles = layout.read_tle(iss_tle_file)
    assert tles[0][0] == "ISS (ZARYA)" and tles[0][1].startswith("1 25544")
    recs = propagate.satrecs_from_tle(tles)
    st = propagate.sgp4(recs, JD + np.array([0.0, 0.5]))
    assert np.all(st.ok)
    assert np.allclose(np.linalg.norm(st.position_m, axis=-1) - EARTH_RADIUS_M, 420e3, atol=30e3)
    bad = tmp_path / "bad.tle"
    lines = iss_tle_file.read_text().splitlines()
    bad.write_text("\n".join([lines[0], lines[1][:-1] + str((int(lines[1][-1]) + 1) % 10), lines[2]]))
    with pytest.raises(ScenarioError, match="line 2: checksum"):
        layout.read_tle(bad)
    with pytest.raises(ScenarioError, match="no such file"):
        layout.read_tle(tmp_path / "missing.tle")
    (tmp_path / "short.tle").write_text(lines[1] + "\n")
    with pytest.raises(ScenarioError, match="pair of lines"):
        layout.read_tle(tmp_path / "short.tle")


# ------------------------------------------------------------------ power
def test_energy_balanced_load_limits():
    assert float(power.energy_balanced_load_w(27e3, 1.0, 0.9)) == pytest.approx(27e3)
    assert float(power.energy_balanced_load_w(27e3, 0.6, 1.0)) == pytest.approx(0.6 * 27e3)
    # SMAD eq. 11-5 with X_e = eta, X_d = 1: P_sa T_d = L T_d + L T_e / eta
    s, eta = 0.64, 0.9
    load = power.energy_balanced_load_w(np.array([1e3, 2e3]), s, eta)
    assert np.allclose(np.array([1e3, 2e3]) * s, load * s + load * (1 - s) / eta)


def test_array_power_terms():
    p = power.array_power_w(1000.0, np.array([1.0, 0.5, 0.0]), 1.0, 0.025, 2.0, 0.002, 311.15, 301.15)
    assert np.allclose(p, 1000.0 * np.array([1.0, 0.5, 0.0]) * 0.975 ** 2 * (1 - 0.02))
    assert float(power.array_power_w(1000.0, 1.0, -0.3, 0.0, 0.0, 0.0, 300.0, 300.0)) == 0.0
    grid = power.array_power_w(np.array([[1.0], [2.0]]), np.ones(3), 1.0, 0.0, 0.0, 0.0, 300.0, 300.0, 0.75)
    assert grid.shape == (2, 3) and np.allclose(grid[:, 0], [0.75, 1.5])


def test_array_temperature_fourth_root_of_incidence():
    # equilibrium (alpha - eta) G cos = eps sigma T^4: at 60 deg incidence T falls by 0.5^(1/4)
    t = power.array_temperature_k(333.15, np.array([1.0, 0.5, 0.0, -0.2]))
    assert np.allclose(t, [333.15, 333.15 * 0.5 ** 0.25, 0.0, 0.0])


def test_battery_step_charge_discharge_and_floor():
    cap, floor = 100.0, 70.0
    step = power.battery_step(np.array([95.0, 90.0, 71.0, 80.0]), np.array([10.0, -5.0, -5.0, 0.0]), 1.0,
                              cap, floor, 0.9, 0.8)
    assert np.allclose(step.energy_j, [100.0, 90.0 - 5.0 / 0.8, 70.0, 80.0])
    # third cell: only (71 - 70) x 0.8 = 0.8 W can be delivered, 4.2 W are short
    assert np.allclose(step.shortfall_w, [0.0, 0.0, 4.2, 0.0])
    empty = power.battery_step(0.0, -3.0, 1.0, 0.0, 0.0, 0.9, 0.9)
    assert float(empty.shortfall_w) == 3.0


# ------------------------------------------------------------------ thermal
def _area(heat_w, temperature_k, emissivity, absorbed_w_m2):
    return heat_w / (emissivity * STEFAN_BOLTZMANN_W_PER_M2_K4 * temperature_k ** 4 - absorbed_w_m2)


def test_lumped_node_steady_state():
    area = _area(10e3, 320.0, 0.9, 93.0)
    # at steady state the node stays put, for any step length
    for dt in (1.0, 30.0, 3600.0):
        t = thermal.lumped_node_step(320.0, 10e3, area, 0.9, 93.0, 1e5, dt)
        assert float(t) == pytest.approx(320.0, abs=1e-9)


def test_lumped_node_cools_monotonically_without_overshoot():
    area = _area(10e3, 320.0, 0.9, 53.0)
    equilibrium = (53.0 / (0.9 * STEFAN_BOLTZMANN_W_PER_M2_K4)) ** 0.25  # no load: environment only
    tau = 1e5 / (4 * 0.9 * STEFAN_BOLTZMANN_W_PER_M2_K4 * area * equilibrium ** 3)  # ~4,000 s at the end
    for dt in (10.0, 600.0, 1e5):  # from far below to far beyond the time constant
        t = np.float64(320.0)
        prev = t
        for _ in range(int(20 * tau / dt) + 20):
            t = thermal.lumped_node_step(t, 0.0, area, 0.9, 53.0, 1e5, dt)
            assert equilibrium - 1e-6 <= t <= prev + 1e-12
            prev = t
        assert float(t) == pytest.approx(equilibrium, rel=1e-3)


def test_throttle_factor():
    out = thermal.throttle_factor(np.array([350.0, 358.15, 363.15, 380.0]), 0.0, 358.15, 10.0)
    assert np.allclose(out, [1.0, 1.0, 0.5, 0.0])
    # with a die rise that scales with load the governor settles where x = 1 - (T + x dT - T_lim)/band
    x = thermal.throttle_factor(330.0, 50.0, 358.15, 10.0)
    assert float(x) == pytest.approx(1.0 - (330.0 + float(x) * 50.0 - 358.15) / 10.0)
    assert float(thermal.throttle_factor(300.0, 50.0, 358.15, 10.0)) == 1.0


# ------------------------------------------------------------------ faults
def test_weibull_scale_matches_annual_probability():
    scale = faults.weibull_scale_for_annual_failure_yr(np.array([0.09, 0.0]), np.array([1.0, 2.0]))
    assert float(scale[0]) == pytest.approx(1.0 / -math.log(0.91))
    assert np.isinf(scale[1])
    k = 0.4521  # Castet & Saleh (2009) shape with their scale of 2607 yr: 2.8 % in year one
    p = 1.0 - math.exp(-(1.0 / 2607.0) ** k)
    assert float(faults.weibull_scale_for_annual_failure_yr(p, k)) == pytest.approx(2607.0, rel=1e-9)


def test_weibull_failure_times_statistics():
    rng = np.random.default_rng(7)
    t = faults.weibull_failure_times_yr(rng, 1.5, 4.0, 200_000)
    mean = 4.0 * math.gamma(1 + 1 / 1.5)
    sd = 4.0 * math.sqrt(math.gamma(1 + 2 / 1.5) - math.gamma(1 + 1 / 1.5) ** 2)
    assert abs(t.mean() - mean) < 4 * sd / math.sqrt(t.size)  # 4 standard errors
    assert np.all(np.isinf(faults.weibull_failure_times_yr(rng, 1.0, np.inf, 5)))


def test_checkpoint_write_fraction():
    assert float(faults.checkpoint_write_fraction(60.0, 3540.0)) == pytest.approx(60.0 / 3600.0)
    assert float(faults.checkpoint_write_fraction(60.0, np.inf)) == 0.0


def test_saa_region_with_longitude_wrap():
    lat = np.radians([-25.0, 40.0, -25.0, -10.0])
    lon = np.radians([-25.0, -25.0, 179.0, 170.0])
    inside = faults.in_ellipse_region(lat, lon, math.radians(-25), math.radians(-25), math.radians(25), math.radians(65))
    assert inside.tolist() == [True, False, False, False]
    wrapped = faults.in_ellipse_region(math.radians(0.0), math.radians(-179.0), 0.0, math.radians(179.0),
                                       0.1, math.radians(5.0))
    assert bool(wrapped)


def test_upset_rate_and_restart_loss():
    rate = faults.upset_rate_per_s(3.15576e7, 30.0, np.array([False, True]), 3.15576e7)
    assert np.allclose(rate, [1.0, 30.0])
    rng = np.random.default_rng(0)
    loss = faults.restart_loss_s(rng, np.array([0, 1, 3]), 100.0, 600.0)
    assert loss[0] == 0.0 and 600.0 <= loss[1] <= 700.0 and 1800.0 <= loss[2] <= 1900.0


# ------------------------------------------------------------------ links
def test_geodetic_to_ecef_wgs84():
    r = links.geodetic_to_ecef_m(np.array([0.0, math.pi / 2]), 0.0, 0.0)
    assert np.allclose(r[0], [EARTH_RADIUS_M, 0, 0])
    assert r[1][2] == pytest.approx(EARTH_RADIUS_M * (1 - 1 / 298.257223563))  # polar radius b = a (1 - f)


def test_elevation_zenith_and_horizon():
    st = links.geodetic_to_ecef_m(0.0, 0.0, 0.0)[None, :]
    sats = np.array([[EARTH_RADIUS_M + 500e3, 0.0, 0.0], [EARTH_RADIUS_M, 1000e3, 0.0]])
    el = links.elevation_sine(sats, st, np.array([0.0]), np.array([0.0]))
    assert el[0, 0] == pytest.approx(1.0)
    assert el[1, 0] == pytest.approx(0.0, abs=1e-12)


def test_downlink_capacity_direct_and_isl():
    vis = np.zeros((2, 3, 1), dtype=bool)
    vis[0, 0, 0] = True
    vis[:, 1, 0] = True
    # sample of 2 out of 20 satellites: a station seen by 1 sample satellite is seen by ~10;
    # 4 links serve 4 of them -> each gets 0.4 x rate
    cap = links.downlink_capacity_bps(vis, 10.0, 4, 0.1, "direct")
    assert np.allclose(cap, [[4.0, 2.0, 0.0], [0.0, 2.0, 0.0]])
    pooled = links.downlink_capacity_bps(vis, 10.0, 4, 0.1, "isl")
    assert np.allclose(pooled, [[2.0, 2.0, 0.0], [2.0, 2.0, 0.0]])  # 40 bit/s x 0.1 shared by 2
    assert links.downlink_capacity_bps(np.zeros((2, 3, 0), bool), 10.0, 4, 0.1, "direct").shape == (2, 3)


def test_deliver_results_matches_queue_recursion():
    rng = np.random.default_rng(1)
    g = rng.random((3, 60)) * 5
    c = rng.random((3, 60)) * 4 * (rng.random((3, 60)) < 0.4)
    b0 = np.array([0.0, 3.0, 10.0])
    sent, left = links.deliver_results(g, c, b0)
    queue, ref = b0.copy(), np.zeros_like(g)
    for k in range(g.shape[1]):
        queue = queue + g[:, k]
        ref[:, k] = np.minimum(queue, c[:, k])
        queue -= ref[:, k]
    assert np.allclose(sent, ref, atol=1e-9) and np.allclose(left, queue, atol=1e-9)


def test_station_networks():
    assert len(links.load_network("polar").names) == 3
    assert len(links.load_network("none").names) == 0
    with pytest.raises(ScenarioError, match="sim_ground_network"):
        links.load_network("nowhere")
