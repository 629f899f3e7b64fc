"""Compiled pieces of the chunk step (:mod:`orbitaldc.simulate.kernel`): the orbits, the conical
shadow coordinate and its pre-selection, the SAA ellipse, the stations' reach, the
constellation's planes in view of the stations and the direct-downlink capacity.

Each follows its NumPy counterpart's formula term for term (:func:`orbitaldc.physics.eclipse.
shadow_coordinate`, :func:`orbitaldc.simulate.steps.in_saa`, :func:`orbitaldc.simulate.links.
ring_in_view`, :func:`orbitaldc.simulate.links.downlink_capacity_bps`); the cheap pre-selections
only decide where the exact formulas run.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from orbitaldc.constants import AU_M, EARTH_RADIUS_M, SUN_RADIUS_M
from orbitaldc.simulate.steps import ChunkInputs, Constants

#: numba options of every compiled function of the twin (cached on disk; NumPy's floating-point
#: error model: no exceptions on division by zero).
JIT = dict(cache=True, error_model="numpy")
_JIT = JIT

#: Upper bound of the sun's angular radius seen from near the Earth, ``R_sun / (0.983 AU - r)``
#: rounded up (perihelion 0.9833 AU) [rad].
SUN_ANGULAR_RADIUS_BOUND = 0.00475
#: Extra width of the shadow and station pre-selections beyond their geometric bounds [m] and
#: [rad] (the exact tests decide every case inside them; the shadow's covers rounding many times).
SHADOW_MARGIN_M = 1.0e3
STATION_MARGIN_RAD = 0.01


@numba.njit(**_JIT)
def _shadow_coordinate(rx, ry, rz, sx, sy, sz):
    """:func:`orbitaldc.physics.eclipse.shadow_coordinate` of one position, term for term."""
    rr = rx * rx + ry * ry + rz * rz
    rn = math.sqrt(rr)
    dx, dy, dz = sx - rx, sy - ry, sz - rz
    dn = math.sqrt(dx * dx + dy * dy + dz * dz)
    a = math.asin(min(max(SUN_RADIUS_M / dn, 0.0), 1.0))
    b = math.asin(min(max(EARTH_RADIUS_M / rn, 0.0), 1.0))
    c = math.acos(min(max(-(rx * dx + ry * dy + rz * dz) / (rn * dn), -1.0), 1.0))
    return (c - b) / a


@numba.njit(**_JIT)
def _place(kepler, k, a, inv_a, cos_inc, sin_inc, cos_u0, sin_u0, rate_group, cos_theta, sin_theta, plane, cos_raan,
           sin_raan, pos, vel, px, py, pz, nx, ny, nz, rinv):
    """Inertial positions, orbit normals and ``1 / |r|`` of every satellite at time index ``k``
    (:func:`orbitaldc.simulate.propagate.kepler_j2` by angle addition, or the SGP4 states)."""
    if kepler:
        for i in range(px.shape[0]):
            ci, si = cos_inc[i], sin_inc[i]
            q, j = rate_group[i], plane[i]
            ct, st = cos_theta[q, k], sin_theta[q, k]
            cu, su = cos_u0[i] * ct - sin_u0[i] * st, sin_u0[i] * ct + cos_u0[i] * st
            co, so = cos_raan[j, k], sin_raan[j, k]
            px[i] = a[i] * (co * cu - so * ci * su)
            py[i] = a[i] * (so * cu + co * ci * su)
            pz[i] = a[i] * (si * su)
            nx[i], ny[i], nz[i] = so * si, -co * si, ci
            rinv[i] = inv_a[i]
    else:
        for i in range(px.shape[0]):
            rx, ry, rz = pos[i, k, 0], pos[i, k, 1], pos[i, k, 2]
            vx, vy, vz = vel[i, k, 0], vel[i, k, 1], vel[i, k, 2]
            hx, hy, hz = ry * vz - rz * vy, rz * vx - rx * vz, rx * vy - ry * vx
            hn = math.sqrt(hx * hx + hy * hy + hz * hz)
            px[i], py[i], pz[i] = rx, ry, rz
            nx[i], ny[i], nz[i] = hx / hn, hy / hn, hz / hn
            rinv[i] = 1.0 / math.sqrt(rx * rx + ry * ry + rz * rz)


def shadow_bounds(r_max_m: float) -> tuple[float, float]:
    """Squared radii of the shadow pre-selection cylinders around the Earth-sun axis [m2].

    Parameters
    ----------
    r_max_m : float
        Largest distance of a satellite from the Earth's centre in the chunk [m].

    Returns
    -------
    (sunlit_r2, umbra_r2) : tuple of float
        A satellite farther than ``R + w`` from the axis is fully sunlit; one behind the Earth
        nearer than ``R - w`` is in the umbra. The penumbra lies between the cones tangent to
        the Earth and the sun, of half-angles ``arcsin((R_sun +- R) / D) <= alpha = a_max +
        r_max / 0.983 AU``: at ``L`` behind the Earth's centre their radii are within
        ``R / cos(alpha) +- L tan(alpha)`` of the axis, so ``w = L_max tan(alpha) + R (1 / cos(alpha)
        - 1) + margin``. ``L = sqrt(r^2 - d^2)``, at most ``L_max = sqrt(r_max^2 - (R - w_0)^2)``
        over the band, ``w_0 = r_max alpha + margin`` (the bound with ``L <= r_max``, wider).

    References
    ----------
    .. [1] O. Montenbruck and E. Gill, *Satellite Orbits*, Springer (2000), sec. 3.4.2.
    """
    alpha = SUN_ANGULAR_RADIUS_BOUND + r_max_m / (0.983 * AU_M)
    w0 = r_max_m * alpha + SHADOW_MARGIN_M
    behind = math.sqrt(max(r_max_m * r_max_m - max(EARTH_RADIUS_M - w0, 0.0) ** 2, 0.0))
    w = behind * math.tan(alpha) + EARTH_RADIUS_M * (1.0 / math.cos(alpha) - 1.0) + SHADOW_MARGIN_M
    return (EARTH_RADIUS_M + w) ** 2, max(EARTH_RADIUS_M - w, 0.0) ** 2


def view_angle(st_ecef, lat_rad, r_max_m: float, min_elevation_rad: float) -> float:
    """Earth central angle between a station and a satellite beyond which none sees the other [rad].

    Parameters
    ----------
    st_ecef : ndarray
        ``(S, 3)`` station positions [m].
    lat_rad : ndarray
        ``(S,)`` geodetic latitudes (the local vertical's tilt from the radial).
    r_max_m : float
        Largest satellite radius [m].
    min_elevation_rad : float
        Lowest usable elevation [rad].

    Returns
    -------
    float
        ``lambda(r, g, e) = arccos(g cos(e) / r) - e`` is the central angle at which a satellite
        at radius ``r`` stands ``e`` above the horizon of a station at radius ``g`` (spherical);
        it grows with ``r`` and falls with ``g`` and ``e``. The geodetic vertical tilts by at most
        ``t`` from the radial, so ``lambda(r_max, g_min, el - t - m)`` with the margin ``m``
        (:data:`STATION_MARGIN_RAD`) bounds every station's circle: the exact elevation test runs
        only inside it.

    References
    ----------
    .. [1] Wertz & Larson, *SMAD*, 3rd ed. (1999), eq. 5-15 to 5-17 (Earth central angle).
    """
    g = np.linalg.norm(st_ecef, axis=-1)
    tilt = float(np.max(np.abs(np.asarray(lat_rad, dtype=float) - np.arcsin(st_ecef[:, 2] / g))))
    low = min_elevation_rad - tilt - STATION_MARGIN_RAD
    return math.acos(min(float(g.min()) * math.cos(low) / r_max_m, 1.0)) - low


@numba.njit(**_JIT)
def _in_saa(x, y, z, r_inv, lat_lo, lat_hi, cos_lon0, sin_lon0, cos_half_lon, lat0, lon0, half_lat, half_lon):
    """SAA ellipse test of an Earth-fixed position (:func:`steps.in_saa`).

    Outside the latitude band (``sin(lat) = z / r``) or the longitude wedge (``cos(dlon)`` from
    a dot product, compared squared) the answer is False without the arc tangents; the bounds
    carry a margin, so the exact test decides every case near an edge.
    """
    if z * r_inv < lat_lo or z * r_inv > lat_hi:  # r_inv: 1 / |r| to ~1e-15, well inside the margin
        return False
    if half_lon < math.pi:
        dot = x * cos_lon0 + y * sin_lon0
        c = cos_half_lon - 1e-12
        rho2 = x * x + y * y
        # dot < c |rho| (outside the wedge), without the square root
        if c >= 0.0:
            if dot < 0.0 or dot * dot < c * c * rho2:
                return False
        elif dot < 0.0 and dot * dot > c * c * rho2:
            return False
    dlat = math.atan2(z, math.hypot(x, y)) - lat0
    dlon = (math.atan2(y, x) - lon0 + math.pi) % (2.0 * math.pi) - math.pi
    r2 = (dlat / half_lat) ** 2 + (dlon / half_lon) ** 2
    return r2 <= 1.0  # nan (zero extents) compares False


@numba.njit(**_JIT)
def _ring_in_view(cos_raan, sin_raan, sin_i, cos_i, per_plane, cos_lambda, saturate_cos, g, cos_gmst, sin_gmst, need,
                  cap):
    """:func:`links.ring_in_view` step by step, ``(T, S)``; only where ``need`` (all if empty).

    With ``cap`` finite, a station that one plane alone fills beyond ``cap`` satellites gets
    ``cap`` without the arc cosine (``n_p psi / pi >= cap`` <=> ``cos(lambda) <= cos(delta)
    cos(pi cap / n_p)``, ``saturate_cos`` per plane): what ``min(cap, count)`` needs.
    """
    steps = cos_gmst.shape[0]
    n_st = g.shape[0]
    n_p = per_plane.shape[0]
    out = np.zeros((steps, n_st))
    every = need.shape[0] == 0
    for k in range(steps):
        c, s_ = cos_gmst[k], sin_gmst[k]
        for s in range(n_st):
            if not every and not need[k, s]:
                continue
            dx, dy, dz = c * g[s, 0] - s_ * g[s, 1], s_ * g[s, 0] + c * g[s, 1], g[s, 2]
            acc = 0.0
            for q in range(n_p):
                sd = sin_raan[q, k] * sin_i[q] * dx - cos_raan[q, k] * sin_i[q] * dy + cos_i[q] * dz
                c2 = 1.0 - sd * sd
                cl = cos_lambda[q]
                if c2 <= cl * cl:
                    continue
                cd = math.sqrt(c2)
                if cl <= cd * saturate_cos[q]:
                    acc = cap
                    break
                acc += per_plane[q] * math.acos(min(cl / cd, 1.0)) / math.pi
            out[k, s] = acc
    return out


def angle_trig(start_rad, rate_rad_s, t_s) -> tuple[np.ndarray, np.ndarray]:
    """``cos`` and ``sin`` of ``start + rate t``, ``(P, T)``, with one pair of series per rate.

    Parameters
    ----------
    start_rad, rate_rad_s : ndarray
        ``(P,)`` angles at ``t = 0`` [rad] and their rates [rad/s].
    t_s : ndarray
        ``(T,)`` times [s].

    Returns
    -------
    (cos, sin) : tuple of ndarray
        By the angle-addition formulas from ``cos(rate t)`` and ``sin(rate t)`` of each distinct
        rate (planes of a shell share one), to rounding.

    References
    ----------
    .. [1] Abramowitz & Stegun, *Handbook of Mathematical Functions* (1964), 4.3.16-17.
    """
    rates, group = np.unique(np.asarray(rate_rad_s, dtype=float), return_inverse=True)
    turn = rates[:, None] * np.asarray(t_s, dtype=float)[None, :]
    ct, st = np.cos(turn)[group.reshape(-1)], np.sin(turn)[group.reshape(-1)]
    c0, s0 = np.cos(start_rad)[:, None], np.sin(start_rad)[:, None]
    return c0 * ct - s0 * st, s0 * ct + c0 * st


def ring_view(ring, const: Constants, ci: ChunkInputs, need, cap: float, trig=None) -> np.ndarray:
    """:func:`_ring_in_view` of :func:`steps.rings` (``cap = inf``: exact counts).

    Parameters
    ----------
    ring : steps.Rings
        The constellation's planes.
    const : Constants
        Station positions.
    ci : ChunkInputs
        The chunk's times.
    need : ndarray of bool
        ``(T, S)`` where the count is wanted, or an empty array for everywhere.
    cap : float
        Count beyond which only ``cap`` matters (the terminals of a station), or ``inf``.
    trig : tuple of ndarray, optional
        ``cos`` and ``sin`` of the planes' nodes over the chunk, when already computed.

    Returns
    -------
    ndarray
        ``(T, S)`` constellation satellites in view (0 where not wanted).

    References
    ----------
    .. [1] Wertz & Larson, *SMAD*, 3rd ed. (1999), sec. 5.1 (visibility circle).
    """
    from orbitaldc.simulate.steps import station_directions

    with np.errstate(divide="ignore"):
        angle = np.pi * cap / ring.per_plane
    saturate = np.where(angle < np.pi, np.cos(np.minimum(angle, np.pi)), -2.0)
    cos_raan, sin_raan = trig if trig is not None else angle_trig(ring.raan_start_rad, ring.raan_rate_rad_s, ci.t_s)
    return _ring_in_view(cos_raan, sin_raan, np.sin(ring.inclination_rad),
                         np.cos(ring.inclination_rad), np.asarray(ring.per_plane, dtype=float), ring.cos_lambda,
                         saturate, station_directions(const), np.cos(ci.gmst_rad), np.sin(ci.gmst_rad), need,
                         float(cap))


@numba.njit(**_JIT)
def _direct_capacity(vismask, in_view, per_terminal_bps, terminals, dt):
    """Per-satellite link bytes ``(T, N)`` for direct downlink (:func:`links.downlink_capacity_bps`)."""
    steps, n = vismask.shape
    n_st = in_view.shape[1]
    out = np.zeros((steps, n))
    for k in range(steps):
        for i in range(n):
            m = vismask[k, i]
            if m == 0:
                continue
            total = 0.0
            for s in range(n_st):
                if m >> s & 1:
                    crowd = max(in_view[k, s], 1.0)
                    total += min(terminals, crowd) / crowd
            out[k, i] = per_terminal_bps * total * dt / 8.0
    return out
