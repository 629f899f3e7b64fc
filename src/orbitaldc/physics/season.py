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

from orbitaldc.constants import EARTH_RADIUS_M, SECONDS_PER_DAY
from orbitaldc.physics import PhysicsError, check_altitude
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

    Raises
    ------
    PhysicsError
        For an altitude, inclination, local time or round trip out of its range, or ``samples < 1``.

    Notes
    -----
    On each sampled day ``d``: the beta angle (sun ephemeris and J2 node drift, as
    :func:`orbitaldc.physics.orbit.beta_angle_over_year_rad`; for a ``"leo"`` shell, whose planes
    spread over every node, the day's worst plane: ``max(0, |delta_sun| - i)`` with ``i`` folded
    to [0, 90] deg, the plane nearest the sun), the eclipse ``T_e(d)``
    (:func:`orbitaldc.physics.eclipse.eclipse_duration_s`), the irradiance factor ``f(d)``
    (:func:`orbitaldc.physics.orbit.irradiance_factor`) and
    ``m(d) = (1 + T_e / ((T - T_e) eta)) / f`` (:func:`orbitaldc.physics.solar.worst_orbit_array_power_w`
    per watt of load, over ``f``): the array rated at 1 AU must deliver ``max_d m(d)`` times the
    load. The battery is still sized by the longest eclipse, whatever the day. The days are searched
    coarse to fine (:func:`_day_search`: every 8th day, then the days around the best), which is
    the day-by-day maximum wherever one hump of the year holds both (tests compare the two).

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
    if int(samples) < 1:
        raise PhysicsError(f"samples = {samples!r} days is too few; allowed: samples >= 1")
    jd0 = float(start_julian_date)
    jd = jd0 + np.linspace(0.0, float(days), int(samples))
    sun = _orbit.sun_unit_vector(jd)
    f_all = _orbit.irradiance_factor(jd)
    declination = np.arcsin(np.clip(np.abs(sun[:, 2]), 0.0, 1.0))
    elapsed_day = jd - jd[0]
    leo = orbit_type == "leo"
    for a in range(0, flat[0].size, CHUNK_ORBITS):
        hc, ic, lc, ec = (x[a:a + CHUNK_ORBITS] for x in flat)
        inc_c, raan = _orbit.orbit_geometry(orbit_type, hc, jd0, ic, lc)
        period = _orbit.orbital_period_s(hc)
        tilt = np.minimum(inc_c, np.pi - inc_c)  # a shell: the day's worst plane is the one nearest the sun
        rate = _orbit.nodal_precession_rad_per_s(hc, inc_c)
        idx = _day_search(leo, sun, f_all, declination, elapsed_day, hc, inc_c, raan, tilt, rate, period, ec)
        if leo:
            beta = np.maximum(declination[idx] - tilt, 0.0)
        else:
            beta = _orbit.beta_from_sun_rad(sun[idx], inc_c, raan + rate * elapsed_day[idx] * SECONDS_PER_DAY)
        t_e = _eclipse.eclipse_fraction(hc, beta) * period
        m = worst_orbit_array_power_w(1.0, t_e, period, ec) / f_all[idx]
        out[:, a:a + CHUNK_ORBITS] = np.stack([t_e, f_all[idx], m, jd[idx]])
    return SizingDay(*(x.reshape(h.shape) for x in out))


#: Day stride of the first pass of the day search (every 8th sampled day, then the 17 days around
#: each of two candidates): 80 days evaluated instead of 366.
COARSE_STRIDE = 8


def _day_search(leo, sun, f_all, declination, elapsed_day, h, inc, raan, tilt, rate, period, eta) -> np.ndarray:
    """Index of each orbit's largest array need over the sampled days, from a coarse pass and a refinement.

    Every :data:`COARSE_STRIDE`-th day (and the last) is evaluated, then every day within one
    stride of two candidates: the coarse maximum of the need, and the coarse minimum of ``|beta|``
    (the middle of the eclipse season, which a season shorter than a stride hides from the coarse
    need). The result is the day-by-day argmax whenever it lies within a stride of either
    candidate, which tests check over random orbits of every family. One compiled pass per orbit
    (:func:`orbitaldc.physics._season_kernels.sizing_day_index`); ties go to the first day
    evaluated, as ``np.argmax`` over the coarse days and then the two windows in turn.
    """
    from orbitaldc.physics import _season_kernels

    samples = f_all.size
    coarse = np.unique(np.r_[np.arange(0, samples, COARSE_STRIDE), samples - 1]).astype(np.int64)
    # fresh writeable C arrays (orbit_geometry's are broadcast views): one compiled signature
    row = [np.array(x, dtype=float, order="C") for x in (tilt, np.sin(inc), np.cos(inc), raan, rate,
                                                           np.sqrt(h * h + 2.0 * EARTH_RADIUS_M * h),
                                                           EARTH_RADIUS_M + h, period, eta)]
    return _season_kernels.sizing_day_index(bool(leo), coarse, COARSE_STRIDE, np.ascontiguousarray(sun), f_all,
                                            declination, elapsed_day, SECONDS_PER_DAY, *row)


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
