"""Eclipses of a circular orbit: cylindrical and conical (umbra/penumbra) shadow fractions and
durations, and the shadow factor of a satellite at a position.

References
----------
.. [MG] O. Montenbruck and E. Gill, *Satellite Orbits*, Springer (2000): sec. 3.4.2 (conical
   shadow model, eq. 3.85-3.87).
.. [Gilmore] D. G. Gilmore (ed.), *Spacecraft Thermal Control Handbook*, vol. I, 2nd ed. (2002),
   ch. 2 (beta angle; eclipse fraction of a circular orbit).
.. [SMAD] J. R. Wertz and W. J. Larson, *Space Mission Analysis and Design*, 3rd ed. (1999),
   sec. 5.1 and Table 5-4 (eclipse geometry).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from orbitaldc.constants import AU_M, EARTH_RADIUS_M, SUN_RADIUS_M
from orbitaldc.errors import PhysicsError
from orbitaldc.physics import check_altitude
from orbitaldc.physics.orbit import orbital_period_s

__all__ = ["ConicalEclipse", "eclipse_duration_s", "eclipse_fraction", "eclipse_fraction_conical", "shadow_fraction"]


def eclipse_fraction(altitude_m, beta_rad):
    """Fraction of a circular orbit spent in the Earth's shadow (cylindrical shadow).

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m].
    beta_rad : array_like
        Beta angle [rad].

    Returns
    -------
    ndarray
        Fraction of the period in shadow, in [0, 0.5).

    Notes
    -----
    ``f = arccos( sqrt(h^2 + 2 R h) / ((R + h) cos beta) ) / pi`` when
    ``|beta| < beta* = arcsin(R / (R + h))``, else 0. The cylindrical shadow ignores the
    penumbra (a few seconds per pass in LEO, see :func:`eclipse_fraction_conical`).

    References
    ----------
    .. [1] Gilmore (2002), ch. 2, eq. for the eclipse fraction ``f_E``; Wertz & Larson, SMAD
       (1999), sec. 5.1 (maximum eclipse at beta = 0: about 36 min at 400 km).
    """
    h = check_altitude(altitude_m)
    beta = np.asarray(beta_rad, dtype=float)
    r = EARTH_RADIUS_M + h
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.sqrt(h * h + 2.0 * EARTH_RADIUS_M * h) / (r * np.cos(beta))
        f = np.arccos(np.clip(ratio, -1.0, 1.0)) / np.pi
    return np.where(ratio < 1.0, f, 0.0)


def eclipse_duration_s(altitude_m, beta_rad):
    """Eclipse duration per orbit (cylindrical shadow) [s].

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m].
    beta_rad : array_like
        Beta angle [rad].

    Returns
    -------
    ndarray
        ``eclipse_fraction(h, beta) x period(h)`` [s].

    References
    ----------
    .. [1] Gilmore (2002), ch. 2; Vallado (2013), sec. 5.3.
    """
    return eclipse_fraction(altitude_m, beta_rad) * orbital_period_s(altitude_m)


def shadow_fraction(r_sat_eci_m, r_sun_eci_m):
    """Fraction of the solar disc hidden by the Earth (conical umbra/penumbra model).

    Parameters
    ----------
    r_sat_eci_m : array_like
        Satellite position(s), shape (..., 3) [m], outside the Earth.
    r_sun_eci_m : array_like
        Sun position(s), shape (..., 3) [m] (broadcasting with ``r_sat_eci_m``).

    Returns
    -------
    ndarray
        0 fully sunlit, 1 in umbra, in between in penumbra (or annular eclipse).

    Notes
    -----
    Apparent radii ``a = arcsin(R_sun / |s - r|)`` (sun) and ``b = arcsin(R_E / |r|)`` (Earth),
    separation ``c = arccos(-r . (s - r) / (|r| |s - r|))``. Sunlit if ``c >= a + b``; umbra if
    ``c <= b - a``; annular ``b^2 / a^2`` if ``c <= a - b``; otherwise the overlap area of two
    discs, ``A = a^2 arccos(x / a) + b^2 arccos((c - x) / b) - c y`` with
    ``x = (c^2 + a^2 - b^2) / (2c)``, ``y = sqrt(a^2 - x^2)``, divided by ``pi a^2``.

    References
    ----------
    .. [1] Montenbruck & Gill (2000), sec. 3.4.2, eq. 3.85-3.87.
    """
    r = np.asarray(r_sat_eci_m, dtype=float)
    s = np.asarray(r_sun_eci_m, dtype=float)
    rn = np.linalg.norm(r, axis=-1)
    if np.any(~(rn > EARTH_RADIUS_M)):
        bad = float(np.asarray(rn)[~(rn > EARTH_RADIUS_M)].flat[0])
        raise PhysicsError(f"r_sat_eci_m has |r| = {bad:g} m, inside the Earth; allowed: |r| > {EARTH_RADIUS_M:g} m")
    d = s - r
    dn = np.linalg.norm(d, axis=-1)
    a = np.arcsin(np.clip(SUN_RADIUS_M / dn, 0.0, 1.0))
    b = np.arcsin(np.clip(EARTH_RADIUS_M / rn, 0.0, 1.0))
    c = np.arccos(np.clip(-np.sum(r * d, axis=-1) / (rn * dn), -1.0, 1.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        x = (c * c + a * a - b * b) / (2.0 * c)
        y = np.sqrt(np.clip(a * a - x * x, 0.0, None))
        area = (a * a * np.arccos(np.clip(x / a, -1.0, 1.0))
                + b * b * np.arccos(np.clip((c - x) / b, -1.0, 1.0)) - c * y)
        partial = area / (np.pi * a * a)
    out = np.where(c >= a + b, 0.0,
                   np.where(c <= b - a, 1.0,
                            np.where(c <= a - b, (b * b) / (a * a), partial)))
    return np.clip(out, 0.0, 1.0)


class ConicalEclipse(NamedTuple):
    """Umbra and penumbra shares of a circular orbit."""

    umbra_fraction: np.ndarray  #: fraction of the period in full shadow
    penumbra_fraction: np.ndarray  #: fraction of the period in partial shadow (both passes)


def eclipse_fraction_conical(altitude_m, beta_rad, sun_distance_m=None, iterations=48):
    """Umbra and penumbra fractions of a circular orbit (conical shadow of :func:`shadow_fraction`).

    Parameters
    ----------
    altitude_m, beta_rad : array_like
        Orbit altitude [m] and beta angle [rad].
    sun_distance_m : array_like, optional
        Earth-sun distance [m]; one astronomical unit when omitted.
    iterations : int
        Bisection steps for the shadow boundaries (48 resolves ~1e-14 of the orbit).

    Returns
    -------
    ConicalEclipse

    Notes
    -----
    The orbit is placed in the x-y plane with the sun at ``d (cos beta, 0, sin beta)``; the
    in-plane angle ``u`` from the anti-sun meridian at which the umbra (shadow = 1) and the
    penumbra (shadow > 0) end is found by bisection on ``[0, pi/2]``, where the shadow decreases
    monotonically. Umbra fraction ``u_umbra / pi``; penumbra ``(u_pen - u_umbra) / pi``.

    References
    ----------
    .. [1] Montenbruck & Gill (2000), sec. 3.4.2; Vallado (2013), sec. 5.3.
    """

    h = check_altitude(altitude_m)
    beta = np.asarray(beta_rad, dtype=float)
    dist = np.asarray(AU_M if sun_distance_m is None else sun_distance_m, dtype=float)
    shape = np.broadcast_shapes(h.shape, beta.shape, dist.shape)
    r = np.broadcast_to(EARTH_RADIUS_M + h, shape)
    sun = np.stack(np.broadcast_arrays(dist * np.cos(beta), np.zeros(shape), dist * np.sin(beta)), axis=-1)

    def shade(u):
        # u measured from the anti-sun direction projected into the orbit plane (-x axis)
        sat = np.stack([-r * np.cos(u), r * np.sin(u), np.zeros(shape)], axis=-1)
        return shadow_fraction(sat, sun)

    def boundary(inside):
        lo = np.zeros(shape)
        hi = np.full(shape, np.pi / 2.0)
        some = inside(shade(lo))
        for _ in range(int(iterations)):
            mid = 0.5 * (lo + hi)
            ok = inside(shade(mid))
            lo = np.where(ok, mid, lo)
            hi = np.where(ok, hi, mid)
        return np.where(some, lo, 0.0)

    u_umbra = boundary(lambda s: s >= 1.0 - 1e-12)
    u_pen = boundary(lambda s: s > 0.0)
    return ConicalEclipse(u_umbra / np.pi, (u_pen - u_umbra) / np.pi)
