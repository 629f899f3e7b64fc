"""Orbit geometry: period, J2 precession, sun-synchronous orbits, sun ephemeris, beta angle,
eclipses (cylindrical and conical shadow). The year statistics (sun fraction, eclipse season) built
on these live in :mod:`orbitaldc.physics.sunlight`.

All functions are vectorized (scalars or arrays, broadcasting) and use SI units: metres,
seconds, radians. Positions are (..., 3) arrays in an Earth-centred inertial frame (mean
equator and equinox of J2000; the low-precision sun ephemeris is good to ~0.1 %, far below the
difference to the frame of date, ~0.36 deg in 2026).

References
----------
.. [Vallado] D. A. Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed. (2013):
   sec. 1.3 (two-body period), sec. 3.5 (Julian date, Algorithm 14), sec. 5.3 (sight and light,
   shadow), sec. 9.6 (J2 secular rates, sun-synchronous orbits, eq. 9-41).
.. [MG] O. Montenbruck and E. Gill, *Satellite Orbits*, Springer (2000): sec. 3.3.2 (low-precision
   solar coordinates, eq. 3.43-3.45), sec. 3.4.2 (conical shadow model, eq. 3.85-3.87).
.. [Gilmore] D. G. Gilmore (ed.), *Spacecraft Thermal Control Handbook*, vol. I, 2nd ed. (2002),
   ch. 2 (beta angle; eclipse fraction of a circular orbit).
.. [SMAD] J. R. Wertz and W. J. Larson, *Space Mission Analysis and Design*, 3rd ed. (1999),
   sec. 5.1 and Table 5-4 (eclipse geometry).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from orbitaldc.constants import (
    AU_M, DAYS_PER_JULIAN_CENTURY, EARTH_J2, EARTH_MU_M3_PER_S2, EARTH_RADIUS_M, JD_J2000,
    OBLIQUITY_J2000_RAD, SECONDS_PER_DAY, SUN_MEAN_MOTION_RAD_PER_S,
)
from orbitaldc.errors import PhysicsError
from orbitaldc.physics import check_altitude, check_range

__all__ = [
    "ORBIT_TYPES", "argument_of_latitude_rate_rad_per_s", "beta_angle_over_year_rad", "beta_angle_rad", "beta_from_sun_rad",
    "julian_date",
    "irradiance_factor", "julian_date_from_datetime64", "nodal_precession_rad_per_s", "orbit_geometry",
    "orbital_period_s", "orbital_speed_m_per_s", "raan_for_ltan_rad", "semi_major_axis_m",
    "sun_position_eci_m", "sun_synchronous_inclination_rad", "sun_unit_vector",
]

#: Orbit families understood by :func:`orbit_geometry` (and the year statistics of :mod:`orbitaldc.physics.sunlight`).
ORBIT_TYPES = ("leo", "sso", "terminator")


# --------------------------------------------------------------------------- two-body, J2
def semi_major_axis_m(altitude_m):
    """Semi-major axis of a circular orbit [m].

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m], >= 150 km.

    Returns
    -------
    ndarray
        ``a = R_E + h`` with the WGS84 equatorial radius.

    References
    ----------
    .. [1] NIMA TR8350.2 (WGS84); Vallado (2013), sec. 1.3.
    """
    return EARTH_RADIUS_M + check_altitude(altitude_m)


def orbital_period_s(altitude_m):
    """Period of a circular orbit [s].

    Parameters
    ----------
    altitude_m : array_like
        Altitude above the equatorial radius [m], >= 150 km.

    Returns
    -------
    ndarray
        ``T = 2 pi sqrt(a^3 / mu)`` [s].

    Notes
    -----
    Two-body Keplerian period with ``a = R_E + h`` and ``mu = GM_Earth`` (WGS84).

    References
    ----------
    .. [1] Vallado (2013), sec. 1.3, eq. 1-26.
    """
    a = semi_major_axis_m(altitude_m)
    return 2.0 * np.pi * np.sqrt(a ** 3 / EARTH_MU_M3_PER_S2)


def orbital_speed_m_per_s(altitude_m):
    """Circular orbital speed [m/s].

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m].

    Returns
    -------
    ndarray
        ``v = sqrt(mu / a)``.

    References
    ----------
    .. [1] Vallado (2013), sec. 1.3 (two-body motion).
    """
    return np.sqrt(EARTH_MU_M3_PER_S2 / semi_major_axis_m(altitude_m))


def nodal_precession_rad_per_s(altitude_m, inclination_rad):
    """Secular J2 drift of the right ascension of the ascending node of a circular orbit [rad/s].

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m].
    inclination_rad : array_like
        Inclination [rad].

    Returns
    -------
    ndarray
        ``dOmega/dt`` [rad/s]; negative (westward) for prograde orbits.

    Notes
    -----
    ``dOmega/dt = -3/2 n J2 (R_E / a)^2 cos i`` with ``n = sqrt(mu / a^3)`` (``e = 0``).

    References
    ----------
    .. [1] Vallado (2013), sec. 9.6, eq. 9-41.
    """
    a = semi_major_axis_m(altitude_m)
    n = np.sqrt(EARTH_MU_M3_PER_S2 / a ** 3)
    return -1.5 * n * EARTH_J2 * (EARTH_RADIUS_M / a) ** 2 * np.cos(np.asarray(inclination_rad, dtype=float))


def argument_of_latitude_rate_rad_per_s(altitude_m, inclination_rad):
    """Secular J2 rate of the argument of latitude ``u = omega + M`` of a circular orbit [rad/s].

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m].
    inclination_rad : array_like
        Inclination [rad].

    Returns
    -------
    ndarray
        ``du/dt`` [rad/s] (the satellite's angular rate from the ascending node; ``2 pi`` over
        it is the nodal period).

    Notes
    -----
    With ``e = 0``, ``n = sqrt(mu / a^3)`` and ``k = 3/4 n J2 (R_E / a)^2``, the sum of
    ``domega/dt = k (4 - 5 sin^2 i)`` and ``dM/dt = n + k (2 - 3 sin^2 i)`` is
    ``du/dt = n + k (6 - 8 sin^2 i)``. Used with :func:`nodal_precession_rad_per_s`.

    References
    ----------
    .. [1] Vallado (2013), sec. 9.6, eq. 9-41.
    """
    a = semi_major_axis_m(altitude_m)
    n = np.sqrt(EARTH_MU_M3_PER_S2 / a ** 3)
    s2 = np.sin(np.asarray(inclination_rad, dtype=float)) ** 2
    return n + 0.75 * n * EARTH_J2 * (EARTH_RADIUS_M / a) ** 2 * (6.0 - 8.0 * s2)


def sun_synchronous_inclination_rad(altitude_m):
    """Inclination that makes a circular orbit's node follow the mean sun [rad].

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m]; sun-synchronous circular orbits exist up to about 5,970 km.

    Returns
    -------
    ndarray
        Inclination [rad] (retrograde, > pi/2).

    Raises
    ------
    PhysicsError
        Above the highest sun-synchronous altitude (``|cos i| > 1``).

    Notes
    -----
    Setting the J2 nodal rate equal to the mean motion of the sun,
    ``cos i = -(2 pi / year_tropical) / (3/2 n J2 (R_E / a)^2)``.

    References
    ----------
    .. [1] Vallado (2013), sec. 9.6 (sun-synchronous orbits, eq. 9-41 with
       ``dOmega/dt = 1.991e-7 rad/s``); Wertz & Larson, SMAD (1999), sec. 6.1 (800 km: 98.6 deg).
    """
    a = semi_major_axis_m(altitude_m)
    n = np.sqrt(EARTH_MU_M3_PER_S2 / a ** 3)
    cos_i = -SUN_MEAN_MOTION_RAD_PER_S / (1.5 * n * EARTH_J2 * (EARTH_RADIUS_M / a) ** 2)
    if np.any(cos_i < -1.0):
        h = np.broadcast_to(np.asarray(altitude_m, dtype=float), cos_i.shape)[cos_i < -1.0].flat[0]
        raise PhysicsError(f"altitude_m = {h:g} m is too high for a sun-synchronous circular orbit; "
                           "allowed: altitude_m <= about 5.97e6 m")
    return np.arccos(cos_i)


# --------------------------------------------------------------------------- time and sun
def julian_date(year, month, day, hour=0.0, minute=0.0, second=0.0):
    """Julian date of a UTC calendar date and time (valid 1900-2100).

    Parameters
    ----------
    year, month, day : array_like
        Calendar date (Gregorian).
    hour, minute, second : array_like, optional
        Time of day (UTC; the ~69 s TT-UTC difference is below the sun ephemeris' precision).

    Returns
    -------
    ndarray
        Julian date [days].

    Notes
    -----
    ``JD = 367 y - floor(7 (y + floor((m + 9) / 12)) / 4) + floor(275 m / 9) + d + 1721013.5
    + ((s / 60 + min) / 60 + h) / 24``.

    References
    ----------
    .. [1] Vallado (2013), sec. 3.5, Algorithm 14.
    """
    y = np.asarray(year, dtype=float)
    m = np.asarray(month, dtype=float)
    d = np.asarray(day, dtype=float)
    frac = ((np.asarray(second, dtype=float) / 60.0 + np.asarray(minute, dtype=float)) / 60.0
            + np.asarray(hour, dtype=float)) / 24.0
    return (367.0 * y - np.floor(7.0 * (y + np.floor((m + 9.0) / 12.0)) / 4.0)
            + np.floor(275.0 * m / 9.0) + d + 1721013.5 + frac)


def julian_date_from_datetime64(time):
    """Julian date of NumPy ``datetime64`` values (or ISO strings) taken as UTC [days].

    Parameters
    ----------
    time : array_like
        ``datetime64`` values or ISO 8601 strings.

    Returns
    -------
    ndarray
        Julian date ``2440587.5 + seconds since 1970-01-01 / 86400`` [days].

    References
    ----------
    .. [1] Vallado (2013), sec. 3.5 (Julian date; JD 2440587.5 is 1970-01-01 00:00 UTC).
    """
    t = np.asarray(time, dtype="datetime64[ns]")
    seconds = (t - np.datetime64("1970-01-01T00:00:00", "ns")) / np.timedelta64(1, "s")
    return 2440587.5 + seconds / SECONDS_PER_DAY


def _sun_ecliptic(julian_date, of_date=False):
    """Mean anomaly, ecliptic longitude [rad] and distance [m] of the sun (M&G 3.3.2).

    The longitude refers to the equinox of J2000, or of date with ``of_date`` (general
    precession ``1.3972 deg T``, M&G eq. 3.44).
    """
    t = (np.asarray(julian_date, dtype=float) - JD_J2000) / DAYS_PER_JULIAN_CENTURY
    mean_anomaly = np.radians(357.5256 + 35999.049 * t)
    longitude = (np.radians(282.9400) + mean_anomaly + np.radians(6892.0 / 3600.0) * np.sin(mean_anomaly)
                 + np.radians(72.0 / 3600.0) * np.sin(2.0 * mean_anomaly))
    if of_date:
        longitude = longitude + np.radians(1.3972) * t
    distance = (149.619 - 2.499 * np.cos(mean_anomaly) - 0.021 * np.cos(2.0 * mean_anomaly)) * 1e9
    return mean_anomaly, longitude, distance


def sun_position_eci_m(julian_date, of_date=False):
    """Geocentric position of the sun, low-precision analytic ephemeris [m].

    Parameters
    ----------
    julian_date : array_like
        Julian date(s) [days], shape ``S``.
    of_date : bool
        False: mean equator and equinox of J2000 (default); True: mean equinox of date
        (precession of the longitude only, enough for TEME-like frames at this precision).

    Returns
    -------
    ndarray
        Shape ``S + (3,)``: x, y, z [m].

    Notes
    -----
    With ``T`` Julian centuries from J2000 and ``M = 357.5256 deg + 35999.049 deg T``:
    ``lambda = 282.9400 deg + M + 6892" sin M + 72" sin 2M``,
    ``r = (149.619 - 2.499 cos M - 0.021 cos 2M) 10^9 m``, then rotation from the ecliptic by the
    obliquity ``eps = 23.43929111 deg``. Accuracy about 0.1-1 arcmin and 0.1 % in distance.

    References
    ----------
    .. [1] Montenbruck & Gill (2000), sec. 3.3.2, eq. 3.43-3.45.
    """
    _, lam, r = _sun_ecliptic(julian_date, of_date)
    ce, se = np.cos(OBLIQUITY_J2000_RAD), np.sin(OBLIQUITY_J2000_RAD)
    return np.stack([r * np.cos(lam), r * np.sin(lam) * ce, r * np.sin(lam) * se], axis=-1)


def sun_unit_vector(julian_date, of_date=False):
    """Unit vector from the Earth's centre to the sun.

    Parameters
    ----------
    julian_date : array_like
        Epoch(s) [days], shape ``S``.
    of_date : bool
        Equator and equinox of date instead of J2000.

    Returns
    -------
    ndarray
        Shape ``S + (3,)`` (see :func:`sun_position_eci_m`).

    References
    ----------
    .. [1] Montenbruck & Gill (2000), sec. 3.3.2.
    """
    r = sun_position_eci_m(julian_date, of_date)
    return r / np.linalg.norm(r, axis=-1, keepdims=True)


def irradiance_factor(julian_date):
    """Solar irradiance at the Earth relative to its value at one astronomical unit, ``(1 AU / r)^2``.

    Parameters
    ----------
    julian_date : array_like
        Julian date(s) [days].

    Returns
    -------
    ndarray
        ``(AU / r)^2`` [-]: about 1.034 at perihelion (early January) and 0.967 at aphelion
        (early July); its year average is ``1 / sqrt(1 - e^2)`` = 1.00014.

    Notes
    -----
    ``r = (149.619 - 2.499 cos M - 0.021 cos 2M) 10^9 m`` with the sun's mean anomaly ``M``
    (:func:`sun_position_eci_m`): the Earth-orbit eccentricity series of the low-precision sun,
    ``r = 1.00014 - 0.01671 cos g - 0.00014 cos 2g`` AU in the Astronomical Almanac; the
    irradiance falls as ``1 / r^2`` (Spencer 1971 gives the same factor as a Fourier series in
    the day of the year). Agrees with JPL DE421 to about 2e-4 (tests/physics).

    References
    ----------
    .. [1] Montenbruck & Gill (2000), sec. 3.3.2, eq. 3.45.
    .. [2] *The Astronomical Almanac* (U.S. Naval Observatory / HM Nautical Almanac Office),
       sec. C, "Low precision formulas for the Sun".
    .. [3] J. W. Spencer, "Fourier series representation of the position of the sun", *Search*
       2 (5), 172 (1971).
    """
    _, _, r = _sun_ecliptic(julian_date)
    return (AU_M / r) ** 2


def raan_for_ltan_rad(julian_date, ltan_h):
    """Right ascension of the ascending node for a local time of the ascending node [rad].

    Parameters
    ----------
    julian_date : array_like
        Epoch [days].
    ltan_h : array_like
        Local (mean solar) time of the ascending node [h]; 6 or 18 for a dawn-dusk orbit.

    Returns
    -------
    ndarray
        Node in [0, 2 pi).

    Notes
    -----
    ``Omega = alpha_mean_sun + (LTAN - 12 h) x 15 deg/h``, with the mean sun's right ascension
    taken as its mean longitude ``282.9400 deg + M`` (Montenbruck & Gill 2000, eq. 3.43).

    References
    ----------
    .. [1] Vallado (2013), sec. 9.6 (local time of the node of sun-synchronous orbits).
    """
    mean_anomaly, _, _ = _sun_ecliptic(julian_date)
    mean_longitude = np.radians(282.9400) + mean_anomaly
    return np.mod(mean_longitude + (np.asarray(ltan_h, dtype=float) - 12.0) * np.pi / 12.0, 2.0 * np.pi)


def beta_angle_rad(julian_date, inclination_rad, raan_rad):
    """Solar beta angle: elevation of the sun above the orbit plane [rad].

    Parameters
    ----------
    julian_date : array_like
        Time(s) [days].
    inclination_rad, raan_rad : array_like
        Orbit inclination and right ascension of the ascending node [rad] (J2000 frame).

    Returns
    -------
    ndarray
        ``beta`` in [-pi/2, pi/2], broadcast over the inputs.

    Notes
    -----
    ``beta = arcsin(s . h)`` with the orbit normal ``h = (sin i sin Omega, -sin i cos Omega,
    cos i)`` and ``s`` the sun unit vector.

    References
    ----------
    .. [1] Gilmore (2002), ch. 2, "Beta angle"; Vallado (2013), sec. 5.3.
    """
    return beta_from_sun_rad(sun_unit_vector(julian_date), inclination_rad, raan_rad)


def beta_from_sun_rad(sun_unit, inclination_rad, raan_rad):
    """Beta angle from a sun direction already computed (:func:`beta_angle_rad` without the ephemeris).

    Parameters
    ----------
    sun_unit : array_like
        Unit vector(s) to the sun, shape (..., 3) (:func:`sun_unit_vector`).
    inclination_rad, raan_rad : array_like
        Orbit inclination and node [rad] (J2000 frame), broadcasting with ``sun_unit[..., 0]``.

    Returns
    -------
    ndarray
        ``arcsin(s . n)`` with the orbit normal ``n = (sin i sin Omega, -sin i cos Omega, cos i)`` [rad].

    References
    ----------
    .. [1] Gilmore (2002), ch. 2, "Beta angle"; Vallado (2013), sec. 5.3.
    """
    s = np.asarray(sun_unit, dtype=float)
    i = np.asarray(inclination_rad, dtype=float)
    raan = np.asarray(raan_rad, dtype=float)
    dot = (s[..., 0] * np.sin(i) * np.sin(raan) - s[..., 1] * np.sin(i) * np.cos(raan)
           + s[..., 2] * np.cos(i))
    return np.arcsin(np.clip(dot, -1.0, 1.0))


class BetaSeries(NamedTuple):
    """Beta angle sampled over a time span."""

    julian_date: np.ndarray  #: sample times, shape (samples,) [days]
    beta_rad: np.ndarray  #: beta angle, shape inputs + (samples,) [rad]


def beta_angle_over_year_rad(altitude_m, inclination_rad, raan_rad, start_julian_date,
                             days=365.25, samples=366):
    """Beta angle over a span (default one year) with the node drifting by J2.

    Parameters
    ----------
    altitude_m, inclination_rad : array_like
        Circular orbit [m], [rad].
    raan_rad : array_like
        Node at ``start_julian_date`` [rad].
    start_julian_date : float
        Start [days].
    days : float
        Span [days].
    samples : int
        Number of samples (last axis of the result).

    Returns
    -------
    BetaSeries
        ``julian_date`` (samples,) and ``beta_rad`` (broadcast inputs + (samples,)).

    Notes
    -----
    ``Omega(t) = Omega_0 + dOmega/dt (t - t_0)`` (:func:`nodal_precession_rad_per_s`), then
    :func:`beta_angle_rad` against the sun of :func:`sun_position_eci_m`.

    References
    ----------
    .. [1] Vallado (2013), sec. 9.6 (J2 node drift); Gilmore (2002), ch. 2 (beta angle).
    """
    jd = float(start_julian_date) + np.linspace(0.0, float(days), int(samples))
    rate = nodal_precession_rad_per_s(altitude_m, inclination_rad)
    raan = np.asarray(raan_rad, dtype=float)[..., None] + rate[..., None] * (jd - jd[0]) * SECONDS_PER_DAY
    beta = beta_angle_rad(jd, np.asarray(inclination_rad, dtype=float)[..., None], raan)
    return BetaSeries(jd, beta)


# --------------------------------------------------------------------------- orbit families
def orbit_geometry(orbit_type, altitude_m, start_julian_date, inclination_rad=0.0, ltan_h=18.0):
    """Inclination and initial node of an orbit family [rad].

    Parameters
    ----------
    orbit_type : {"leo", "sso", "terminator"}
        ``"leo"``: the given inclination, reference node 0 (the first plane of a shell;
        :func:`orbitaldc.physics.sunlight.year_sunlight` spreads the shell's nodes over 360 deg
        from it); ``"sso"``: sun-synchronous at ``ltan_h``;
        ``"terminator"``: dawn-dusk sun-synchronous (node at 18 h local time when ``ltan_h`` is
        not 6 or 18, which are the two dawn-dusk options).
    altitude_m : array_like
        Altitude [m].
    start_julian_date : float
        Epoch of the node [days].
    inclination_rad : array_like
        Inclination for ``"leo"`` [rad].
    ltan_h : array_like
        Local time of the ascending node for ``"sso"`` [h].

    Returns
    -------
    tuple of ndarray
        ``(inclination_rad, raan_rad)``.

    References
    ----------
    .. [1] Vallado (2013), sec. 9.6 (sun-synchronous inclination, eq. 9-41; node from local time).
    """
    if orbit_type not in ORBIT_TYPES:
        raise PhysicsError(f"orbit_type = {orbit_type!r} is unknown; allowed: {', '.join(ORBIT_TYPES)}")
    h = check_altitude(altitude_m)
    if orbit_type == "leo":
        inc = check_range(inclination_rad, "inclination_rad", 0.0, np.pi, "rad")
        return inc + 0.0 * h, np.zeros(np.broadcast_shapes(inc.shape, h.shape))
    inc = sun_synchronous_inclination_rad(h)
    ltan = np.asarray(ltan_h, dtype=float)
    if orbit_type == "terminator":
        ltan = np.where(np.isclose(ltan, 6.0), 6.0, 18.0)
    else:
        ltan = check_range(ltan, "ltan_h", 0.0, 24.0, "h")
    raan = raan_for_ltan_rad(start_julian_date, ltan)
    return np.broadcast_arrays(inc, raan + 0.0 * inc)
