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


def test_saa_region_with_longitude_wrap():
    lat = np.radians([-25.0, 40.0, -25.0, -10.0])
    lon = np.radians([-25.0, -25.0, 179.0, 170.0])
    inside = faults.in_ellipse_region(lat, lon, math.radians(-25), math.radians(-25), math.radians(25), math.radians(65))
    assert inside.tolist() == [True, False, False, False]
    wrapped = faults.in_ellipse_region(math.radians(0.0), math.radians(-179.0), 0.0, math.radians(179.0),
                                       0.1, math.radians(5.0))
    assert bool(wrapped)


def test_interrupt_loss_and_restart_debt():
    """Each interruption costs its rollback ``u tau`` plus the restart; the debt carries over."""
    loss = faults.interrupt_loss_s(np.array([0.5, 0.25, 0.9]), 100.0, 600.0)
    assert np.allclose(loss, [650.0, 625.0, 690.0])
    assert float(faults.interrupt_loss_s(0.5, np.inf, 600.0)) == 600.0  # no checkpoints: no rollback
    debt, productive = faults.restart_debt_step(np.array([0.0, 10.0, 0.0]), np.array([0.0, 15.0, 75.0]), 30.0)
    assert np.allclose(debt, [0.0, 0.0, 45.0]) and np.allclose(productive, [1.0, 1.0 / 6.0, 0.0])


def test_poisson_events_are_a_poisson_process_sorted_by_step_then_satellite():
    """Counts per satellite: mean within 4 standard errors of ``rate dt steps`` and variance equal
    to the mean (Poisson, 10 % for 2,000 samples: the variance's relative standard error is
    ``sqrt(2 / n) ~ 3 %``); steps uniform (halves within 4 standard errors); uniforms on [0, 1)
    (Kolmogorov-Smirnov); order by step, then satellite (what the compiled loop walks)."""
    from scipy import stats

    rng = np.random.default_rng(9)
    ev = faults.poisson_events(rng, 1e-3, 10.0, 2000, 300)  # mean 3 per satellite
    per_sat = np.bincount(ev.satellite, minlength=2000)
    assert per_sat.mean() == pytest.approx(3.0, abs=4 * math.sqrt(3.0 / 2000))
    assert per_sat.var() == pytest.approx(3.0, rel=0.1)
    assert abs(int((ev.step < 150).sum()) - int((ev.step >= 150).sum())) < 4 * math.sqrt(ev.step.size)
    assert stats.kstest(ev.accept_u, "uniform").pvalue > 1e-3 and stats.kstest(ev.rollback_u, "uniform").pvalue > 1e-3
    key = ev.step * 2000 + ev.satellite
    assert np.all(np.diff(key) >= 0)
    assert faults.poisson_events(rng, 0.0, 10.0, 5, 7).step.size == 0
    counts = faults.event_counts(ev, 2000, 300)
    assert counts.sum() == ev.step.size and counts[ev.satellite[0], ev.step[0]] >= 1


def test_thinning_gives_the_steps_rate():
    """Candidates at the inside rate, thinned by ``rate x active / gpus``: the accepted events
    per step have the mean of a Poisson process at the step's own rate (4 standard errors)."""
    rng = np.random.default_rng(2)
    inside, outside, dt, n, t = 2e-3, 2e-4, 30.0, 4000, 200
    ev = faults.poisson_events(rng, inside, dt, n, t)
    saa = (ev.satellite % 2) == 0  # half the satellites inside the SAA throughout
    active = np.where(ev.satellite % 4 < 2, 10, 5)  # and half of each group with half their GPUs
    hit = faults.accepted(ev, inside, np.where(saa, inside, outside), active, 10)
    expected = n * t * dt * (0.25 * inside + 0.25 * inside / 2 + 0.25 * outside + 0.25 * outside / 2)
    assert hit.sum() == pytest.approx(expected, abs=4 * math.sqrt(expected))


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
    """Each station carries ``R c min(L, v)`` for ``v`` constellation satellites in view."""
    vis = np.zeros((2, 3, 1), dtype=bool)
    vis[0, 0, 0] = True
    vis[:, 1, 0] = True
    view = np.array([[10.0], [20.0], [0.0]])  # constellation satellites in view of the station
    # 4 terminals at 10 bit/s x 0.5 clear sky shared by 10 (step 0) or 20 (step 1) satellites in view
    cap = links.downlink_capacity_bps(vis, view, 10.0, 4.0, 0.5, 0.1, "direct")
    assert np.allclose(cap, [[2.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    pooled = links.downlink_capacity_bps(vis, view, 10.0, 4.0, 0.5, 0.1, "isl")
    assert np.allclose(pooled, [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0]])  # 20 bit/s x 0.1 shared by 2
    lone = links.downlink_capacity_bps(vis, np.full((3, 1), 0.3), 10.0, 4.0, 0.5, 0.1, "direct")
    assert np.allclose(lone[:, :2], [[5.0, 5.0], [0.0, 5.0]])  # a satellite in view has a terminal
    assert links.downlink_capacity_bps(np.zeros((2, 3, 0), bool), view[:, :0], 10.0, 4, 0.5, 0.1, "direct").shape == (2, 3)


def test_ring_in_view_counts_an_evenly_filled_plane():
    """Brute force: 36,000 satellites evenly spaced on one circular plane, counted inside the
    visibility circle (central angle <= lambda, SMAD eq. 5-15 to 5-17) of stations at several
    distances from the plane; the closed form agrees to the discreteness of the ring (+-1 satellite)."""
    from orbitaldc.physics.comms import earth_central_angle_rad

    lam = float(earth_central_angle_rad(550e3, math.radians(10.0)))
    u = np.linspace(0.0, 2 * np.pi, 36_000, endpoint=False)
    ring = np.stack([np.cos(u), np.sin(u), np.zeros_like(u)], axis=-1)  # plane normal +z
    delta = np.radians([0.0, 5.0, 10.0, 14.0, 30.0])
    dirs = np.stack([np.cos(delta), np.zeros_like(delta), np.sin(delta)], axis=-1)  # (S, 3)
    brute = ((ring @ dirs.T) >= math.cos(lam)).sum(axis=0)
    got = links.ring_in_view(np.array([[[0.0, 0.0, 1.0]]]), np.array([36_000.0]), np.array([math.cos(lam)]),
                             dirs[None, :, :])[0]
    assert np.all(np.abs(got - brute) <= 1.0) and brute[0] > 0 and brute[-1] == 0


def test_network_uses_the_first_ground_stations():
    assert links.network("global", 10.0).names == links.load_network("global").names
    assert links.network("global", 3.7).names == links.load_network("global").names[:3]
    assert links.network("polar", 10.0).names == links.load_network("polar").names  # all it has
    assert links.network("global", 0.0).names == ()


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
    with pytest.raises(ScenarioError, match="ground_network"):
        links.load_network("nowhere")
    # the parameter offers exactly the networks the data file holds
    import tomllib

    from orbitaldc.params import load_library
    from orbitaldc.physics.stations import STATIONS_FILE

    with STATIONS_FILE.open("rb") as fh:
        assert sorted(load_library()["ground_network"].choices) == sorted(tomllib.load(fh))
