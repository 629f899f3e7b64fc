"""Closed-form station visibility of densely filled orbit planes
(:func:`orbitaldc.physics.comms.station_visible_fraction`) against rings of SGP4-propagated
satellites seen from WGS84 stations by Skyfield, and its limiting cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from field_reference import skyfield_ring_visible_fraction as _skyfield_fraction

from orbitaldc.errors import PhysicsError
from orbitaldc.physics import comms, orbit, stations

R_EQ = 6378137.0  # WGS84 equatorial radius, m
MIN_EL = math.radians(10.0)


def _station_lambda(net, altitude_m):
    """Earth central angle of each station's visibility circle with the station at its own
    geocentric radius (SMAD eq. 5-15 to 5-17 with ``R`` the station's distance from the centre)."""
    r = np.linalg.norm(stations.geodetic_to_ecef_m(net.lat_rad, net.lon_rad, net.height_m), axis=-1)
    return math.pi / 2 - MIN_EL - np.arcsin(r * math.cos(MIN_EL) / (R_EQ + altitude_m))


def _subset(net, idx):
    return stations.Stations(tuple(net.names[i] for i in idx), net.lat_rad[idx], net.lon_rad[idx], net.height_m[idx])


def test_one_dawn_dusk_plane_against_skyfield_and_sgp4():
    """A dawn-dusk ring at 650 km (90 SGP4 satellites, 4 deg apart) over two days at 120 s, seen
    from five sites of the global network from 19 to 78 deg latitude.

    Tolerances. With the central angle taken at each station's own radius, 0.01 of the day: the
    remaining differences are the tilt of the ellipsoid's normal from the radial (up to 0.19 deg
    of elevation), SGP4's short-period J2 oscillation of the radius (about +-10 km, +-0.25 deg of
    lambda), the ring's 4 deg spacing, and 1,440 samples of the sidereal angle. With the
    equatorial radius both models use (a spherical Earth), 0.02: a station 6,357-6,365 km from the
    centre sees the satellite from 13-21 km lower, lambda up to 0.35 deg larger, which at the
    polar sites (where the band's edge sweeps slowly) is up to 2 % of the day."""
    h = 650e3
    inc = float(orbit.sun_synchronous_inclination_rad(h))
    net = _subset(stations.load_network("global"), [0, 3, 4, 6, 7])
    sky = _skyfield_fraction(h, inc, 1, 90, net, 2.0, 120.0)
    lat = stations.geocentric_latitude_rad(net)
    own = comms.station_visible_fraction(lat, inc, _station_lambda(net, h))
    np.testing.assert_allclose(own, sky, atol=0.01)
    model = comms.station_visible_fraction(lat, inc, comms.earth_central_angle_rad(h, MIN_EL))
    np.testing.assert_allclose(model, sky, atol=0.02)
    assert sky[0] > 0.7 and sky[2] < 0.25  # Svalbard mostly, South Point a fifth of the day


def test_walker_planes_against_skyfield_and_sgp4():
    """Three planes at 53 deg and 550 km, nodes 120 deg apart (48 satellites each, 7.5 deg
    apart), one day at 120 s, three stations: the union over planes on the grid of
    :data:`~orbitaldc.physics.comms.VISIBILITY_GRID` points (error <= 0.1 %). Tolerance 0.02 as
    for one plane (each union ends on some plane's band edge), with the station's own radius."""
    h, inc = 550e3, math.radians(53.0)
    net = _subset(stations.load_network("global"), [4, 5, 7])
    sky = _skyfield_fraction(h, inc, 3, 48, net, 1.0, 120.0)
    got = comms.station_visible_fraction(stations.geocentric_latitude_rad(net), inc, _station_lambda(net, h), 3)
    np.testing.assert_allclose(got, sky, atol=0.02)
    one = comms.station_visible_fraction(stations.geocentric_latitude_rad(net), inc, _station_lambda(net, h))
    assert np.all(got > one)


def test_limiting_cases():
    lam = float(comms.earth_central_angle_rad(650e3, MIN_EL))
    polar = math.pi / 2
    # an equatorial station under a polar plane: in view while within lambda of its meridian, twice a day
    assert float(comms.station_visible_fraction(0.0, polar, lam)) == pytest.approx(2 * lam / math.pi, rel=1e-12)
    # a station at the pole always sees a polar plane; one at 80 deg never sees an equatorial one
    assert float(comms.station_visible_fraction(math.pi / 2, polar, lam)) == 1.0
    assert float(comms.station_visible_fraction(math.radians(80), 0.0, lam)) == 0.0
    assert float(comms.station_visible_fraction(math.radians(5), 0.0, lam)) == 1.0
    # lambda -> 0: a station off the equator never sees a ring; lambda = pi/2: always
    assert float(comms.station_visible_fraction(0.3, 1.0, 0.0)) == 0.0
    assert float(comms.station_visible_fraction(0.3, 1.0, math.pi / 2)) == 1.0
    # nodes filling the circle: the station sees the shell while its latitude is within i + lambda
    inc = math.radians(53.0)
    dense = comms.station_visible_fraction(np.radians([0.0, 60.0, 70.0, 75.0]), inc, lam, np.inf)
    assert dense.tolist() == [1.0, 1.0, 1.0 if math.radians(70) <= inc + lam else 0.0, 0.0]
    # a Walker shell of many planes approaches the dense limit
    assert float(comms.station_visible_fraction(math.radians(40), inc, lam, 72)) == pytest.approx(1.0, abs=1e-12)
    # the share is symmetric in the hemisphere and between prograde and retrograde planes
    f = comms.station_visible_fraction(np.radians([30.0, -30.0]), np.array([[0.6], [math.pi - 0.6]]), lam)
    assert np.ptp(f) < 1e-12


def test_bad_input_names_the_argument():
    with pytest.raises(PhysicsError, match="planes"):
        comms.station_visible_fraction(0.0, 1.0, 0.3, 2.5)
    with pytest.raises(PhysicsError, match="latitude_rad"):
        comms.station_visible_fraction(2.0, 1.0, 0.3)
    with pytest.raises(PhysicsError, match="central_angle_rad"):
        comms.station_visible_fraction(0.0, 1.0, -0.1)
