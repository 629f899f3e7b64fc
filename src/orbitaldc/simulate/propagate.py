"""Orbit propagation vectorized over satellites and time: Kepler + J2, or SGP4.

Positions are in an Earth-centred inertial frame (mean equator and equinox for Kepler + J2,
TEME for SGP4; the two differ by precession/nutation of well under a degree, which moves an
eclipse boundary by under a second at LEO speeds). Arrays are shaped ``(satellites, times, 3)``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from orbitaldc.constants import (
    DAYS_PER_JULIAN_CENTURY,
    EARTH_J2,
    EARTH_MU_M3_PER_S2,
    EARTH_RADIUS_M,
    JD_J2000,
    SECONDS_PER_DAY,
)
from orbitaldc.errors import ScenarioError
from orbitaldc.simulate.layout import Elements

#: Newton iterations for Kepler's equation (quadratic convergence: 8 reach 1e-15 for e < 0.9).
KEPLER_ITERATIONS = 8


class State(NamedTuple):
    """Positions and velocities ``(satellites, times, 3)`` [m, m/s]; ``ok`` False after decay."""

    position_m: np.ndarray
    velocity_m_s: np.ndarray
    ok: np.ndarray


def j2_secular_rates(semi_major_axis_m, eccentricity, inclination_rad):
    """Secular rates of node, perigee and mean anomaly under J2 [rad/s].

    Returns
    -------
    (raan_dot, argp_dot, mean_anomaly_dot) : tuple of ndarray

    Notes
    -----
    With ``n = sqrt(mu / a^3)``, ``p = a (1 - e^2)``, ``k = 3/2 J2 (R/p)^2 n``:
    ``Omega' = -k cos i``, ``omega' = k/2 (4 - 5 sin^2 i)``,
    ``M' = n + k/2 sqrt(1 - e^2) (2 - 3 sin^2 i)``.

    References
    ----------
    .. [1] Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., sec. 9.6,
       eqs. 9-41 (secular J2 effects).
    """
    a = np.asarray(semi_major_axis_m, dtype=float)
    e = np.asarray(eccentricity, dtype=float)
    i = np.asarray(inclination_rad, dtype=float)
    n = np.sqrt(EARTH_MU_M3_PER_S2 / a ** 3)
    p = a * (1.0 - e * e)
    k = 1.5 * EARTH_J2 * (EARTH_RADIUS_M / p) ** 2 * n
    s2 = np.sin(i) ** 2
    return -k * np.cos(i), 0.5 * k * (4.0 - 5.0 * s2), n + 0.5 * k * np.sqrt(1.0 - e * e) * (2.0 - 3.0 * s2)


def solve_kepler(mean_anomaly_rad, eccentricity):
    """Eccentric anomaly from Kepler's equation ``M = E - e sin E`` (Newton's method).

    References
    ----------
    .. [1] Vallado, 4th ed., sec. 2.2, algorithm 2.
    """
    m = np.asarray(mean_anomaly_rad, dtype=float)
    e = np.asarray(eccentricity, dtype=float)
    if not np.any(e):
        return m + 0.0 * e  # circular orbits: E = M
    big_e = m + e * np.sin(m)
    for _ in range(KEPLER_ITERATIONS):
        big_e = big_e - (big_e - e * np.sin(big_e) - m) / (1.0 - e * np.cos(big_e))
    return big_e


def kepler_j2(elements: Elements, t_s) -> State:
    """Propagate mean elements with two-body motion plus secular J2 drift.

    Parameters
    ----------
    elements : Elements
        ``N`` satellites at ``elements.epoch_jd``.
    t_s : array_like
        ``T`` times since the epoch [s].

    Returns
    -------
    State
        ``(N, T, 3)`` position [m] and velocity [m/s]; ``ok`` all True.

    Notes
    -----
    Elements ``Omega(t) = Omega_0 + Omega' t`` etc. (:func:`j2_secular_rates`); the position
    follows from the perifocal vector rotated by ``R3(-Omega) R1(-i) R3(-omega)``.

    References
    ----------
    .. [1] Vallado, 4th ed., sec. 2.6 (COE2RV) and sec. 9.6 (secular J2).
    """
    t = np.asarray(t_s, dtype=float)[None, :]
    a = elements.semi_major_axis_m[:, None]
    e = elements.eccentricity[:, None]
    inc = elements.inclination_rad[:, None]
    raan_dot, argp_dot, m_dot = j2_secular_rates(a, e, inc)
    raan = elements.raan_rad[:, None] + raan_dot * t
    argp = elements.arg_perigee_rad[:, None] + argp_dot * t
    m = np.mod(elements.mean_anomaly_rad[:, None] + m_dot * t, 2.0 * math.pi)
    big_e = solve_kepler(m, e)
    cos_e, sin_e = np.cos(big_e), np.sin(big_e)
    root = np.sqrt(1.0 - e * e)
    # perifocal position and velocity from the eccentric anomaly (Vallado sec. 2.3)
    x_p = a * (cos_e - e)
    y_p = a * root * sin_e
    n = np.sqrt(EARTH_MU_M3_PER_S2 / a ** 3)
    rdot = n * a / (1.0 - e * cos_e)
    vx_p = -rdot * sin_e
    vy_p = rdot * root * cos_e
    co, so = np.cos(raan), np.sin(raan)
    cw, sw = np.cos(argp), np.sin(argp)
    ci, si = np.cos(inc), np.sin(inc)
    # columns P and Q of the perifocal-to-inertial rotation
    px, py, pz = co * cw - so * sw * ci, so * cw + co * sw * ci, sw * si
    qx, qy, qz = -co * sw - so * cw * ci, -so * sw + co * cw * ci, cw * si
    pos = np.stack([px * x_p + qx * y_p, py * x_p + qy * y_p, pz * x_p + qz * y_p], axis=-1)
    vel = np.stack([px * vx_p + qx * vy_p, py * vx_p + qy * vy_p, pz * vx_p + qz * vy_p], axis=-1)
    return State(pos, vel, np.ones(pos.shape[:2], dtype=bool))


def satrecs_from_elements(elements: Elements):
    """SGP4 records (WGS72 model, no drag) initialised from mean elements.

    The mean motion passed to SGP4 is the Keplerian ``sqrt(mu / a^3)`` (SGP4 reads it as a
    Kozai mean motion; the difference is of order J2, a few seconds per day along track).

    References
    ----------
    .. [1] Vallado, Crawford, Hujsak, Kelso, "Revisiting Spacetrack Report #3", AIAA 2006-6753
       (``sgp4init``).
    """
    from sgp4.api import WGS72, Satrec

    epoch_1949 = elements.epoch_jd - 2433281.5  # days since 1949 December 31 00:00 UT
    sats = []
    n = np.sqrt(EARTH_MU_M3_PER_S2 / elements.semi_major_axis_m ** 3) * 60.0  # rad/min
    for k in range(elements.count):
        sat = Satrec()
        sat.sgp4init(WGS72, "i", k + 1, epoch_1949, 0.0, 0.0, 0.0, float(elements.eccentricity[k]),
                     float(elements.arg_perigee_rad[k]), float(elements.inclination_rad[k]),
                     float(elements.mean_anomaly_rad[k]), float(n[k]), float(elements.raan_rad[k]))
        sats.append(sat)
    return sats


def satrecs_from_tle(tles) -> list:
    """SGP4 records from ``(name, line1, line2)`` tuples (see :func:`layout.read_tle`)."""
    from sgp4.api import Satrec

    out = []
    for name, l1, l2 in tles:
        sat = Satrec.twoline2rv(l1, l2)
        if sat.error:
            raise ScenarioError(f"TLE {name!r}: SGP4 rejects the element set (error code {sat.error})")
        out.append(sat)
    return out


def sgp4(satrecs, jd_utc) -> State:
    """Propagate SGP4 records to Julian dates, vectorized over satellites and times.

    Parameters
    ----------
    satrecs : list of sgp4.api.Satrec
        ``N`` records.
    jd_utc : array_like
        ``T`` Julian dates (UTC).

    Returns
    -------
    State
        TEME position [m] and velocity [m/s], ``(N, T, 3)``; ``ok`` False where SGP4 reports an
        error (decay), with zeros there.

    References
    ----------
    .. [1] Vallado et al., AIAA 2006-6753; B. Rhodes, *sgp4* package (``SatrecArray``).
    """
    from sgp4.api import SatrecArray

    jd = np.asarray(jd_utc, dtype=float)
    whole = np.floor(jd - 0.5) + 0.5
    err, r, v = SatrecArray(satrecs).sgp4(whole, jd - whole)
    ok = err == 0
    r = np.where(ok[..., None], r, 0.0) * 1e3
    v = np.where(ok[..., None], v, 0.0) * 1e3
    return State(r, v, ok)


def gmst_rad(jd_ut1):
    """Greenwich mean sidereal time [rad] (IAU-82 expression).

    Notes
    -----
    ``theta = 67310.54841 s + (876600 h + 8640184.812866 s) T + 0.093104 T^2 - 6.2e-6 T^3``,
    ``T`` in Julian centuries of UT1 since J2000; UTC is used for UT1 (|UT1 - UTC| < 0.9 s).

    References
    ----------
    .. [1] Vallado, 4th ed., sec. 3.5.1, eq. 3-47.
    """
    t = (np.asarray(jd_ut1, dtype=float) - JD_J2000) / DAYS_PER_JULIAN_CENTURY
    seconds = 67310.54841 + (876600.0 * 3600.0 + 8640184.812866) * t + 0.093104 * t * t - 6.2e-6 * t ** 3
    return np.mod(seconds, SECONDS_PER_DAY) * (2.0 * math.pi / SECONDS_PER_DAY)


def eci_to_ecef(position_m, gmst):
    """Rotate inertial positions ``(..., T, 3)`` into the Earth-fixed frame at ``gmst`` ``(T,)``.

    ``r_ecef = R3(theta) r_eci`` (polar motion neglected; Vallado sec. 3.7).
    """
    c, s = np.cos(gmst), np.sin(gmst)
    x, y, z = position_m[..., 0], position_m[..., 1], position_m[..., 2]
    return np.stack([c * x + s * y, -s * x + c * y, z], axis=-1)


def geocentric_lat_lon(position_ecef_m):
    """Geocentric latitude and longitude [rad] of Earth-fixed positions ``(..., 3)``."""
    x, y, z = position_ecef_m[..., 0], position_ecef_m[..., 1], position_ecef_m[..., 2]
    return np.arctan2(z, np.hypot(x, y)), np.arctan2(y, x)


def beta_sine(position_m, velocity_m_s, sun_unit):
    """Sine of the sun's elevation above the orbit plane, ``s . h/|h|`` (beta angle).

    References
    ----------
    .. [1] Vallado, 4th ed., sec. 5.3 (beta angle).
    """
    h = np.cross(position_m, velocity_m_s)
    return np.einsum("...k,...k->...", h, sun_unit) / np.linalg.norm(h, axis=-1)
