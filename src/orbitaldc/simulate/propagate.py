"""Orbit propagation vectorized over satellites and time: circular Kepler + J2, or SGP4.

Positions are in an Earth-centred inertial frame (mean equator and equinox for Kepler + J2,
TEME for SGP4; the two differ by precession/nutation of well under a degree, which moves an
eclipse boundary by under a second at LEO speeds). Arrays are shaped ``(satellites, times, 3)``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from orbitaldc.constants import DAYS_PER_JULIAN_CENTURY, EARTH_MU_M3_PER_S2, EARTH_RADIUS_M, JD_J2000, SECONDS_PER_DAY
from orbitaldc.errors import ScenarioError
from orbitaldc.simulate.layout import Elements

class State(NamedTuple):
    """Positions and velocities ``(satellites, times, 3)`` [m, m/s]."""

    position_m: np.ndarray
    velocity_m_s: np.ndarray


def circular_rates(elements: Elements) -> tuple[np.ndarray, np.ndarray]:
    """Secular J2 rates of node and argument of latitude of circular elements [rad/s].

    Parameters
    ----------
    elements : Elements
        Circular (``e = 0``) mean elements.

    Returns
    -------
    (raan_dot, u_dot) : tuple of ndarray
        :func:`orbitaldc.physics.orbit.nodal_precession_rad_per_s` and
        :func:`orbitaldc.physics.orbit.argument_of_latitude_rate_rad_per_s` per satellite.

    Raises
    ------
    ScenarioError
        For eccentric elements (the layouts are circular; eccentric orbits use SGP4).

    References
    ----------
    .. [1] Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., sec. 9.6,
       eq. 9-41 (secular J2 effects).
    """
    from orbitaldc.physics.orbit import argument_of_latitude_rate_rad_per_s, nodal_precession_rad_per_s

    if np.any(elements.eccentricity != 0.0):
        raise ScenarioError("Kepler + J2 propagation takes circular elements; use sim_propagator = 'sgp4' "
                            "for eccentric orbits")
    altitude = elements.semi_major_axis_m - EARTH_RADIUS_M
    return (np.asarray(nodal_precession_rad_per_s(altitude, elements.inclination_rad), dtype=float),
            np.asarray(argument_of_latitude_rate_rad_per_s(altitude, elements.inclination_rad), dtype=float))


def kepler_j2(elements: Elements, t_s) -> State:
    """Propagate circular mean elements with two-body motion plus secular J2 drift.

    Parameters
    ----------
    elements : Elements
        ``N`` circular orbits at ``elements.epoch_jd``.
    t_s : array_like
        ``T`` times since the epoch [s].

    Returns
    -------
    State
        ``(N, T, 3)`` position [m] and velocity [m/s].

    Notes
    -----
    ``Omega(t) = Omega_0 + Omega' t`` and ``u(t) = u_0 + theta(t)`` with ``u_0 = omega_0 + M_0``
    and ``theta = u' t`` (:func:`circular_rates`), ``cos u`` and ``sin u`` by angle addition (the
    trigonometry of ``theta`` is shared by satellites of one altitude and inclination, and a
    large ``u`` is never rounded as a whole); ``r = a (cos u P + sin u Q)`` and ``v = a u' (-sin u P + cos u Q)``
    with ``P = (cos Omega, sin Omega, 0)`` and ``Q = (-sin Omega cos i, cos Omega cos i, sin i)``,
    the node and its normal in the orbit plane (the velocity omits the slow node drift).

    References
    ----------
    .. [1] Vallado, 4th ed., sec. 2.6 (COE2RV, circular inclined orbit) and sec. 9.6.
    """
    t = np.asarray(t_s, dtype=float)[None, :]
    raan_dot, u_dot = circular_rates(elements)
    a = elements.semi_major_axis_m[:, None]
    inc = elements.inclination_rad[:, None]
    raan = elements.raan_rad[:, None] + raan_dot[:, None] * t
    u0 = (elements.arg_perigee_rad + elements.mean_anomaly_rad)[:, None]
    theta = u_dot[:, None] * t
    c0, s0, ct, st = np.cos(u0), np.sin(u0), np.cos(theta), np.sin(theta)
    cu, su = c0 * ct - s0 * st, s0 * ct + c0 * st
    co, so = np.cos(raan), np.sin(raan)
    ci, si = np.cos(inc), np.sin(inc)
    pos = a[..., None] * np.stack([co * cu - so * ci * su, so * cu + co * ci * su, si * su], axis=-1)
    speed = (a * u_dot[:, None])[..., None]
    vel = speed * np.stack([-co * su - so * ci * cu, -so * su + co * ci * cu, si * cu], axis=-1)
    return State(pos, vel)


def satrecs_from_elements(elements: Elements):
    """SGP4 records (WGS72 model, no drag) initialised from mean elements.

    The mean motion passed to SGP4 is the Keplerian ``sqrt(mu / a^3)`` (SGP4 reads it as a
    Kozai mean motion; the difference is of order J2, a few seconds per day along track).

    Parameters
    ----------
    elements : Elements
        Mean elements at ``elements.epoch_jd``.

    Returns
    -------
    list of sgp4.api.Satrec

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


def satrecs_from_tle(tles, label: str = "TLE") -> list:
    """SGP4 records from ``(name, line1, line2)`` tuples (see :func:`layout.read_tle`).

    Parameters
    ----------
    tles : sequence of (str, str, str)
        Name and the two element lines.
    label : str
        Where they came from (``"TLE file x.tle"``), for error messages.

    Returns
    -------
    list of sgp4.api.Satrec

    Raises
    ------
    ScenarioError
        An element set SGP4 cannot read or initialise, naming ``label``, the satellite and
        SGP4's reason.

    References
    ----------
    .. [1] Vallado et al., AIAA 2006-6753 (``twoline2rv``, ``sgp4init`` error codes).
    """
    from sgp4.api import SGP4_ERRORS, Satrec

    out = []
    for name, l1, l2 in tles:
        try:
            sat = Satrec.twoline2rv(l1, l2)
        except ValueError as exc:  # malformed fields the checksum did not catch
            raise ScenarioError(f"{label}: satellite {name!r}: SGP4 cannot read the element set ({exc})") from None
        if sat.error:
            raise ScenarioError(f"{label}: satellite {name!r}: SGP4 rejects the element set (error {sat.error}: "
                                f"{SGP4_ERRORS.get(sat.error, 'unknown')})")
        out.append(sat)
    return out


def sgp4(satrecs, jd_utc, names=None, label: str = "SGP4") -> State:
    """Propagate SGP4 records to Julian dates, vectorized over satellites and times.

    Parameters
    ----------
    satrecs : list of sgp4.api.Satrec
        ``N`` records.
    jd_utc : array_like
        ``T`` Julian dates (UTC).
    names : sequence of str, optional
        Satellite names for error messages (default: catalogue numbers).
    label : str
        Where the elements came from (e.g. ``"TLE file x.tle"``), for error messages.

    Returns
    -------
    State
        TEME position [m] and velocity [m/s], ``(N, T, 3)``.

    Raises
    ------
    ScenarioError
        Where SGP4 reports an error (e.g. decay), naming ``label``, the satellite, the date and
        SGP4's reason.

    References
    ----------
    .. [1] Vallado et al., AIAA 2006-6753; B. Rhodes, *sgp4* package (``SatrecArray``,
       ``SGP4_ERRORS``).
    """
    from sgp4.api import SGP4_ERRORS, SatrecArray

    jd = np.asarray(jd_utc, dtype=float)
    whole = np.floor(jd - 0.5) + 0.5
    err, r, v = SatrecArray(satrecs).sgp4(whole, jd - whole)
    if np.any(err):
        i, k = (int(x[0]) for x in np.nonzero(err))
        code = int(err[i, k])
        name = names[i] if names is not None else str(satrecs[i].satnum)
        epoch = satrecs[i].jdsatepoch + satrecs[i].jdsatepochF
        raise ScenarioError(f"{label}: satellite {name!r}: SGP4 fails {jd[k] - epoch:+.1f} days from the element "
                            f"set's epoch (error {code}: {SGP4_ERRORS.get(code, 'unknown')}); use elements "
                            "nearer the run or a shorter sim_days")
    return State(r * 1e3, v * 1e3)


def gmst_rad(jd_ut1):
    """Greenwich mean sidereal time [rad] (IAU-82 expression).

    Parameters
    ----------
    jd_ut1 : array_like
        Julian date(s), UT1 (UTC used) [d].

    Returns
    -------
    ndarray
        Sidereal angle in [0, 2 pi) [rad].

    Notes
    -----
    ``theta = 67310.54841 s + (876600 h + 8640184.812866 s) T + 0.093104 T^2 - 6.2e-6 T^3``,
    ``T`` in Julian centuries of UT1 since J2000; UTC is used for UT1 (abs(UT1 - UTC) < 0.9 s).

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

    Parameters
    ----------
    position_m : ndarray
        ``(..., T, 3)`` inertial positions [m].
    gmst : ndarray
        ``(T,)`` Greenwich sidereal angle [rad].

    Returns
    -------
    ndarray
        Earth-fixed positions, same shape [m].

    References
    ----------
    .. [1] Vallado, 4th ed., sec. 3.7.
    """
    c, s = np.cos(gmst), np.sin(gmst)
    x, y, z = position_m[..., 0], position_m[..., 1], position_m[..., 2]
    return np.stack([c * x + s * y, -s * x + c * y, z], axis=-1)


def geocentric_lat_lon(position_ecef_m):
    """Geocentric latitude and longitude [rad] of Earth-fixed positions ``(..., 3)``.

    Parameters
    ----------
    position_ecef_m : ndarray
        ``(..., 3)`` Earth-fixed positions [m].

    Returns
    -------
    (lat_rad, lon_rad) : tuple of ndarray
        ``atan2(z, hypot(x, y))`` and ``atan2(y, x)``.

    References
    ----------
    .. [1] Vallado, 4th ed., sec. 3.2 (geocentric latitude).
    """
    x, y, z = position_ecef_m[..., 0], position_ecef_m[..., 1], position_ecef_m[..., 2]
    return np.arctan2(z, np.hypot(x, y)), np.arctan2(y, x)


def beta_sine(position_m, velocity_m_s, sun_unit):
    """Sine of the sun's elevation above the orbit plane, ``dot(s, h) / |h|`` (beta angle).

    Parameters
    ----------
    position_m, velocity_m_s : ndarray
        ``(..., 3)`` inertial state [m, m/s].
    sun_unit : ndarray
        ``(..., 3)`` unit vector to the sun.

    Returns
    -------
    ndarray
        ``sin(beta)`` [-].

    References
    ----------
    .. [1] Vallado, 4th ed., sec. 5.3 (beta angle).
    """
    h = np.cross(position_m, velocity_m_s)
    return np.einsum("...k,...k->...", h, sun_unit) / np.linalg.norm(h, axis=-1)
