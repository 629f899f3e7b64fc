"""The sizing day of a solar array: the worst combination over the year of the eclipse of an
orbit and the sunlight the sun's distance gives that day.

A dawn-dusk orbit's longest eclipses come near the June solstice, two weeks from aphelion, when
the sunlight is 3.3 % below its value at 1 AU; a worst-orbit array sized at the mean solar
constant falls short then. :func:`worst_array_day` finds, day by day, the largest array power per
unit load, ``(1 + T_e / (T_d eta)) / f`` (SMAD eq. 11-5 over the irradiance factor ``f``).

References
----------
.. [1] Wertz & Larson, *SMAD*, 3rd ed. (1999), sec. 11.4, eq. 11-5.
.. [2] Montenbruck & Gill (2000), sec. 3.3.2 (the sun's distance).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from orbitaldc.physics import check_altitude
from orbitaldc.physics import eclipse as _eclipse
from orbitaldc.physics import orbit as _orbit
from orbitaldc.physics.solar import worst_orbit_array_power_w

__all__ = ["SizingDay", "worst_array_day", "worst_irradiance_factor"]

#: Orbits evaluated at once (bounds the ``orbits x samples`` arrays to a few MB each).
CHUNK_ORBITS = 2048


class SizingDay(NamedTuple):
    """The day of the year that sizes a worst-orbit array."""

    eclipse_s: np.ndarray  #: that day's eclipse per orbit (cylindrical shadow) [s]
    irradiance_factor: np.ndarray  #: that day's ``(1 AU / r)^2`` [-]
    array_factor: np.ndarray  #: array power over load power that day, the year's largest [-]
    julian_date: np.ndarray  #: the day [days]


def worst_array_day(altitude_m, orbit_type, start_julian_date, inclination_rad, ltan_h, round_trip_efficiency,
                    days=365.25, samples=366) -> SizingDay:
    """The day of the year on which a worst-orbit array needs the most rated power.

    Parameters
    ----------
    altitude_m : array_like
        Circular orbit altitude [m].
    orbit_type : {"leo", "sso", "terminator"}
        Orbit family (:func:`orbitaldc.physics.orbit.orbit_geometry`).
    start_julian_date : float
        Start of the year [days].
    inclination_rad, ltan_h : array_like
        Inclination [rad] (``"leo"``) and local time of the ascending node [h] (``"sso"``).
    round_trip_efficiency : array_like
        Battery round trip, in (0, 1].
    days : float
        Span [days].
    samples : int
        Days sampled over the span (the samples of :func:`orbitaldc.physics.sunlight.year_sunlight`,
        so that the longest eclipse is the same).

    Returns
    -------
    SizingDay
        In the broadcast shape of the inputs.

    Notes
    -----
    On each sampled day ``d``: the beta angle (sun ephemeris and J2 node drift,
    :func:`orbitaldc.physics.orbit.beta_angle_over_year_rad`), the eclipse ``T_e(d)``
    (:func:`orbitaldc.physics.eclipse.eclipse_duration_s`), the irradiance factor ``f(d)``
    (:func:`orbitaldc.physics.orbit.irradiance_factor`) and
    ``m(d) = (1 + T_e / ((T - T_e) eta)) / f`` (:func:`orbitaldc.physics.solar.worst_orbit_array_power_w`
    per watt of load, over ``f``): the array rated at 1 AU must deliver ``max_d m(d)`` times the
    load. The battery is still sized by the longest eclipse, whatever the day.

    References
    ----------
    .. [1] Wertz & Larson, *SMAD*, 3rd ed. (1999), sec. 11.4, eq. 11-5.
    .. [2] Gilmore (2002), ch. 2 (beta angle and eclipse); Montenbruck & Gill (2000), sec. 3.3.2.
    """
    h, inc, ltan, eta = np.broadcast_arrays(check_altitude(altitude_m), np.asarray(inclination_rad, dtype=float),
                                            np.asarray(ltan_h, dtype=float),
                                            np.asarray(round_trip_efficiency, dtype=float))
    flat = [np.ascontiguousarray(x, dtype=float).ravel() for x in (h, inc, ltan, eta)]
    out = np.empty((4, flat[0].size))
    jd0 = float(start_julian_date)
    for a in range(0, flat[0].size, CHUNK_ORBITS):
        hc, ic, lc, ec = (x[a:a + CHUNK_ORBITS] for x in flat)
        inc_c, raan = _orbit.orbit_geometry(orbit_type, hc, jd0, ic, lc)
        series = _orbit.beta_angle_over_year_rad(hc, inc_c, raan, jd0, days, samples)
        period = _orbit.orbital_period_s(hc)[:, None]
        t_e = _eclipse.eclipse_fraction(hc[:, None], series.beta_rad) * period
        f = _orbit.irradiance_factor(series.julian_date)[None, :]
        m = worst_orbit_array_power_w(1.0, t_e, period, ec[:, None]) / f
        k = np.argmax(m, axis=-1)[:, None]
        day = (np.take_along_axis(t_e, k, -1), np.broadcast_to(f, m.shape)[np.arange(k.size), k[:, 0]][:, None],
               np.take_along_axis(m, k, -1), series.julian_date[k])
        out[:, a:a + CHUNK_ORBITS] = np.concatenate(day, axis=-1).T
    return SizingDay(*(x.reshape(h.shape) for x in out))


def worst_irradiance_factor(start_julian_date, days=365.25, samples=366):
    """The least ``(1 AU / r)^2`` over a span (aphelion's, about 0.967), for an eclipse every orbit.

    Parameters
    ----------
    start_julian_date : float
        Start of the span [days].
    days : float
        Span [days].
    samples : int
        Days sampled.

    Returns
    -------
    float
        ``min_d f(d)`` (:func:`orbitaldc.physics.orbit.irradiance_factor`) [-].

    References
    ----------
    .. [1] Montenbruck & Gill (2000), sec. 3.3.2.
    """
    jd = float(start_julian_date) + np.linspace(0.0, float(days), int(samples))
    return float(np.min(_orbit.irradiance_factor(jd)))
