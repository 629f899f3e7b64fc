"""Unit tests of the simulation's pieces: layout, propagation, power, thermal, faults, links."""

from __future__ import annotations

import math

import numpy as np
import pytest

from orbitaldc.constants import EARTH_RADIUS_M, SUN_MEAN_MOTION_RAD_PER_S
from orbitaldc.errors import ScenarioError
from orbitaldc.physics.orbit import nodal_precession_rad_per_s, sun_synchronous_inclination_rad
from orbitaldc.simulate import faults, layout, links, propagate

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


def test_circular_rates_are_sun_synchronous_and_refuse_eccentric_orbits():
    i_sso = float(sun_synchronous_inclination_rad(700e3))
    el = layout.walker_delta(1, 1, 0, i_sso, 700e3, JD)
    assert float(propagate.circular_rates(el)[0][0]) == pytest.approx(SUN_MEAN_MOTION_RAD_PER_S, rel=1e-9)
    with pytest.raises(ScenarioError, match="circular"):
        propagate.circular_rates(el._replace(eccentricity=np.array([0.01])))


def test_kepler_j2_circular_orbit_radius_speed_and_node_drift():
    el = layout.walker_delta(2, 2, 0, math.radians(53), 550e3, JD)
    t = np.linspace(0, 86400.0, 500)
    st = propagate.kepler_j2(el, t)
    assert st.position_m.shape == (2, 500, 3)
    assert np.allclose(np.linalg.norm(st.position_m, axis=-1), EARTH_RADIUS_M + 550e3, rtol=1e-12)
    v = np.linalg.norm(st.velocity_m_s, axis=-1)
    # vis-viva for a circular orbit; the along-track rate carries J2's ~1e-3 (Vallado eq. 9-41)
    assert np.allclose(v, math.sqrt(3.986004418e14 / (EARTH_RADIUS_M + 550e3)), rtol=2e-3)
    h = np.cross(st.position_m[0], st.velocity_m_s[0])
    node = np.arctan2(h[:, 0], -h[:, 1])
    drift = node[-1] - node[0]
    assert drift == pytest.approx(float(nodal_precession_rad_per_s(550e3, el.inclination_rad[0])) * 86400.0, rel=1e-6)


def test_gmst_vallado_example_3_5():
    # Vallado 4th ed. example 3-5: 1992 Aug 20 12:14 UT1 -> GMST 152.578787886 deg
    jd = 2448855.009722222
    assert math.degrees(float(propagate.gmst_rad(jd))) == pytest.approx(152.578787886, abs=2e-5)


def test_read_tle(iss_tle_file, tmp_path):
    tles = layout.read_tle(iss_tle_file)
    assert tles[0][0] == "ISS (ZARYA)" and tles[0][1].startswith("1 25544")
    recs = propagate.satrecs_from_tle(tles)
    st = propagate.sgp4(recs, JD + np.array([0.0, 0.5]))
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


def test_saa_rates_keep_the_orbit_average_and_restart_loss():
    rates = faults.saa_upset_rates(2.0e-5, 30.0, 0.1)
    assert rates.saa_per_gpu_s == pytest.approx(30.0 * rates.quiet_per_gpu_s)
    assert 0.9 * rates.quiet_per_gpu_s + 0.1 * rates.saa_per_gpu_s == pytest.approx(2.0e-5, rel=1e-12)
    loss = faults.restart_loss_s(np.array([0, 1, 3]), np.array([0.5, 0.25, 0.9]), 100.0, 600.0)
    assert np.allclose(loss, [0.0, 625.0, 1890.0])
    assert float(faults.restart_loss_s(2, 0.5, np.inf, 600.0)) == 1200.0  # no checkpoints: no rollback
    debt, productive = faults.restart_debt_step(np.array([0.0, 10.0, 0.0]), np.array([0.0, 15.0, 75.0]), 30.0)
    assert np.allclose(debt, [0.0, 0.0, 45.0]) and np.allclose(productive, [1.0, 1.0 / 6.0, 0.0])


def test_poisson_from_uniform_is_scipys_inverse_cdf():
    """Counts equal scipy.stats.poisson.ppf of the same uniforms (independent inverse CDF), and
    the in-bin fraction is uniform and independent of the count (KS test)."""
    from scipy import stats

    rng = np.random.default_rng(4)
    u = rng.random(200_000)
    lam = np.where(np.arange(u.size) % 2 == 0, 0.3, 2.5)
    count, fraction = faults.poisson_from_uniform(u, lam)
    assert np.array_equal(count, stats.poisson.ppf(u, lam).astype(int))
    assert stats.kstest(fraction, "uniform").pvalue > 1e-3
    assert stats.kstest(fraction[count == 1], "uniform").pvalue > 1e-3
    assert faults.poisson_from_uniform(np.array([0.7]), 0.0)[0].tolist() == [0]


def test_bus_failure_events_are_a_poisson_process():
    rng = np.random.default_rng(9)
    events = faults.bus_failure_events(rng, 1e-3, 10.0, 2000, 300)  # mean 3 per satellite
    per_sat = events.sum(axis=1)
    assert per_sat.mean() == pytest.approx(3.0, abs=4 * math.sqrt(3.0 / 2000))  # 4 standard errors
    assert per_sat.var() == pytest.approx(3.0, rel=0.1)  # Poisson: variance = mean
    steps = events.sum(axis=0)
    assert abs(steps[:150].sum() - steps[150:].sum()) < 4 * math.sqrt(events.sum())  # uniform in time


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
