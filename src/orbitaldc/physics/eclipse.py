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

__all__ = ["ConicalEclipse", "eclipse_duration_s", "eclipse_fraction", "eclipse_fraction_conical",
           "mean_sunlit_fraction", "shadow_coordinate", "shadow_fraction"]


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


def _disc_angles(r_sat_eci_m, r_sun_eci_m):
    """Apparent radii of the sun and the Earth and their separation seen from the satellite [rad]."""
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
    return a, b, c


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
    a, b, c = _disc_angles(r_sat_eci_m, r_sun_eci_m)
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


#: Below this change of the shadow coordinate over a step the mean is taken at the midpoint: the
#: quotient of differences would lose ``eps / dx`` to cancellation, the midpoint errs by at most
#: ``dx^1.5`` (``h`` has a ``(1 - x^2)^(3/2)`` corner at the penumbra's edges).
SHADOW_COORDINATE_MIDPOINT_BELOW = 1e-6


def shadow_coordinate(r_sat_eci_m, r_sun_eci_m):
    """Where the satellite is across the penumbra: -1 at the umbra's edge, +1 at the sunlit edge.

    Parameters
    ----------
    r_sat_eci_m : array_like
        Satellite position(s), shape (..., 3) [m], outside the Earth.
    r_sun_eci_m : array_like
        Sun position(s), shape (..., 3) [m] (broadcasting with ``r_sat_eci_m``).

    Returns
    -------
    ndarray
        ``x = (c - b) / a`` [-]: ``x >= 1`` sunlit (``c >= a + b``), ``x <= -1`` umbra
        (``c <= b - a``), in between the penumbra; ``x = 0`` where the sun's centre is on the
        Earth's limb (the cylindrical/point-sun shadow boundary). Smooth in time along an orbit,
        so a step's crossing can be located by interpolating it (:func:`mean_sunlit_fraction`).

    Notes
    -----
    ``a``, ``b``, ``c`` as in :func:`shadow_fraction`. Valid where the Earth looks larger than
    the sun (``b > a``: every orbit within about 1.4 million km).

    References
    ----------
    .. [1] Montenbruck & Gill (2000), sec. 3.4.2, eq. 3.85-3.87 (the conical model's angles).
    """
    a, b, c = _disc_angles(r_sat_eci_m, r_sun_eci_m)
    return (c - b) / a


def mean_sunlit_fraction(x_start, x_end):
    """Mean unobscured share of the solar disc over a step whose shadow coordinate runs linearly.

    Parameters
    ----------
    x_start, x_end : array_like
        :func:`shadow_coordinate` at the step's start and end [-].

    Returns
    -------
    ndarray
        ``1 - (Phi(x1) - Phi(x0)) / (x1 - x0)`` in [0, 1]: exactly 1 when both ends are sunlit
        (``x >= 1``) and exactly 0 when both are in the umbra (``x <= -1``).

    Notes
    -----
    Across the penumbra the Earth's limb is taken as straight over the solar disc (its
    curvature over the disc, ``a / b`` < 0.5 % in LEO, moves the hidden share by about 0.1 % of
    the penumbra's depth): the hidden share is the circular-segment area
    ``h(x) = (arccos(u) - u sqrt(1 - u^2)) / pi``, ``u = clip(x, -1, 1)``, and its integral
    ``Phi(x) = (u arccos(u) - sqrt(1 - u^2) + (1 - u^2)^(3/2) / 3) / pi + min(x + 1, 0)``
    (``Phi = 0`` beyond the sunlit edge, ``Phi = x`` in the umbra). With ``x`` linear over the
    step the mean is exact; ``x`` is smooth along the orbit, so interpolating it between the
    step's ends locates the shadow's edges to ``O(dt^2)`` and the sunlit time of an orbit is
    right to ``O(dt^2)`` (sampling one end only, as a step that is wholly sunlit or wholly
    dark, errs by up to a step at each edge: ``O(dt)``). An eclipse shorter than a step with
    both ends sunlit is missed (only grazing ones, at the edge of an eclipse season). Since
    ``h(x) + h(-x) = 1``, a penumbra crossed within one step counts as the point-sun shadow
    boundary ``x = 0``. Under ``|x1 - x0| <=`` :data:`SHADOW_COORDINATE_MIDPOINT_BELOW` the
    midpoint ``h`` is used. Branch-free (ufuncs only), so ``numba.njit`` compiles it for the
    twin's scalar step.

    References
    ----------
    .. [1] Montenbruck & Gill (2000), sec. 3.4.2 (conical shadow, occulted area of the solar
       disc).
    .. [2] Abramowitz & Stegun, *Handbook of Mathematical Functions* (1964), 4.4.5 (integral
       ``x arccos x - sqrt(1 - x^2)``) and the elementary ``x sqrt(1 - x^2)``.
    """
    small = np.abs(x_end - x_start) <= SHADOW_COORDINATE_MIDPOINT_BELOW
    u0 = np.minimum(np.maximum(x_start, -1.0), 1.0)
    u1 = np.minimum(np.maximum(x_end, -1.0), 1.0)
    um = np.minimum(np.maximum(0.5 * (x_start + x_end), -1.0), 1.0)
    w0, w1, wm = 1.0 - u0 * u0, 1.0 - u1 * u1, 1.0 - um * um
    phi0 = (u0 * np.arccos(u0) - np.sqrt(w0) + w0 * np.sqrt(w0) / 3.0) / np.pi + np.minimum(x_start + 1.0, 0.0)
    phi1 = (u1 * np.arccos(u1) - np.sqrt(w1) + w1 * np.sqrt(w1) / 3.0) / np.pi + np.minimum(x_end + 1.0, 0.0)
    # the two cases blended by arithmetic (0 * finite = 0), not np.where: on the compiled step's
    # scalars np.where makes an array per call
    mid = (np.arccos(um) - um * np.sqrt(wm)) / np.pi
    hidden = small * mid + (1 - small) * ((phi1 - phi0) / (x_end - x_start + small))
    return np.minimum(np.maximum(1.0 - hidden, 0.0), 1.0)


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
