"""Compiled day search of :func:`orbitaldc.physics.season.worst_array_day`, one pass per orbit.

The NumPy formulation evaluated a ``rows x days`` array of beta angles, eclipses and array needs
for the coarse days, then a second one for the days around two candidates. Here each orbit runs
its own loop over the same days (no ``rows x days`` temporaries) with the per-day formulas of the
public functions written out:

* the node's J2 drift ``Omega_0 + (dOmega/dt) t`` (the rate of
  :func:`orbitaldc.physics.orbit.nodal_precession_rad_per_s`) and the sine of beta from the sun
  vector (:func:`orbitaldc.physics.orbit.beta_from_sun_rad`), or for a ``"leo"`` shell the day's
  worst plane ``max(0, |delta_sun| - i)``;
* the eclipse of a cylindrical shadow (:func:`orbitaldc.physics.eclipse.eclipse_fraction` times
  the period);
* the array need per watt of load over the irradiance factor, SMAD eq. 11-5
  (:func:`orbitaldc.physics.solar.worst_orbit_array_power_w`).

The kernel only chooses the day, so it works with what orders the days, in fewer operations:
``|sin beta|`` for ``|beta|``, the shadow test on ``cos^2 beta``, the node's cosine and sine
carried by rotation. Its needs agree with the public functions' to ~1e-13 relative, which could
change the chosen day only where two days' needs agree to that; the caller computes the chosen
day's numbers with the public functions, so they are the NumPy path's.
``tests/physics/test_season_kernels.py`` checks each formula against its public function and the
chosen days against the NumPy search.

The module imports numba, so :mod:`orbitaldc.physics.season` imports it only when it first needs
it. Every compiled function calls only compiled functions of this module (numba's on-disk cache
does not notice edits to other modules).

References
----------
.. [1] Wertz & Larson, *SMAD*, 3rd ed. (1999), sec. 11.4, eq. 11-5.
.. [2] Gilmore (2002), ch. 2 (beta angle and eclipse fraction); Vallado (2013), sec. 9.6, eq. 9-41.
.. [3] S. K. Lam, A. Pitrou, S. Seibert, "Numba: a LLVM-based Python JIT compiler", LLVM-HPC
   (2015).
"""

from __future__ import annotations

import math

import numba
import numpy as np

__all__ = ["array_need", "beta_sine", "eclipse_s", "node_angle_rad", "sizing_day_index"]

#: numba options: cached on disk, NumPy's floating-point error model (no exceptions on 0/0)
_JIT = dict(cache=True, nogil=True, error_model="numpy")


@numba.njit(**_JIT)
def node_angle_rad(raan, rate, elapsed_day, seconds_per_day):  # pragma: no cover - compiled
    """Node of an orbit after some days of J2 drift [rad].

    Parameters
    ----------
    raan : float
        Node at the start [rad].
    rate : float
        Node drift (:func:`orbitaldc.physics.orbit.nodal_precession_rad_per_s`) [rad/s].
    elapsed_day : float
        Days since the start [days].
    seconds_per_day : float
        Seconds in a day [s].

    Returns
    -------
    float
        ``Omega_0 + (dOmega/dt) t`` [rad], in the order of the NumPy path.

    References
    ----------
    .. [1] Vallado (2013), sec. 9.6, eq. 9-41.
    """
    return raan + rate * elapsed_day * seconds_per_day


@numba.njit(**_JIT)
def beta_sine(s0, s1, s2, sin_i, cos_i, sin_node, cos_node):  # pragma: no cover - compiled
    """Sine of the beta angle from the sun's direction and the orbit's plane.

    Parameters
    ----------
    s0, s1, s2 : float
        Unit vector to the sun (:func:`orbitaldc.physics.orbit.sun_unit_vector`) [-].
    sin_i, cos_i : float
        Sine and cosine of the inclination [-].
    sin_node, cos_node : float
        Sine and cosine of the node [-].

    Returns
    -------
    float
        ``sin beta = clip(s . n, -1, 1)`` with ``n = (sin i sin Omega, -sin i cos Omega, cos i)``, in
        the order of :func:`orbitaldc.physics.orbit.beta_from_sun_rad` (which returns its arcsin) [-].

    References
    ----------
    .. [1] Gilmore (2002), ch. 2, "Beta angle"; Vallado (2013), sec. 5.3.
    """
    dot = s0 * sin_i * sin_node - s1 * sin_i * cos_node + s2 * cos_i
    return min(max(dot, -1.0), 1.0)


@numba.njit(**_JIT)
def eclipse_s(edge, period_over_pi, cos_beta):  # pragma: no cover - compiled
    """Eclipse per orbit in a cylindrical shadow [s].

    Parameters
    ----------
    edge : float
        ``sqrt(h^2 + 2 R h) / (R + h)``: the cosine of beta at the shadow's edge [-].
    period_over_pi : float
        Orbit period over pi [s].
    cos_beta : float
        Cosine of the beta angle [-].

    Returns
    -------
    float
        ``(T / pi) arccos(min(edge / cos beta, 1))``, 0 where ``cos beta <= edge`` (out of the
        shadow): :func:`orbitaldc.physics.eclipse.eclipse_fraction` (whose ``ratio`` is
        ``edge / cos beta``) times the period [s].

    References
    ----------
    .. [1] Gilmore (2002), ch. 2, eq. for the eclipse fraction ``f_E``.
    """
    if cos_beta <= edge:
        return 0.0
    return math.acos(min(edge / cos_beta, 1.0)) * period_over_pi


@numba.njit(**_JIT)
def array_need(eclipse_s, period_s, efficiency, inverse_irradiance):  # pragma: no cover - compiled
    """Array power per watt of load over the day's irradiance factor.

    Parameters
    ----------
    eclipse_s : float
        Eclipse per orbit [s].
    period_s : float
        Orbit period [s].
    efficiency : float
        Battery round trip, in (0, 1] [-].
    inverse_irradiance : float
        ``1 / f``, ``f = (1 AU / r)^2`` [-].

    Returns
    -------
    float
        ``(1 + T_e / ((T - T_e) eta)) / f`` [-]: SMAD eq. 11-5 as
        :func:`orbitaldc.physics.solar.worst_orbit_array_power_w` per watt of load.

    References
    ----------
    .. [1] Wertz & Larson, *SMAD*, 3rd ed. (1999), sec. 11.4, eq. 11-5.
    """
    return (1.0 + eclipse_s / ((period_s - eclipse_s) * efficiency)) * inverse_irradiance


@numba.njit(**_JIT)
def _better(value, best):  # pragma: no cover - compiled
    """Whether ``value`` replaces ``best`` in a first-occurrence argmax (a NaN wins, as ``np.argmax``)."""
    return not math.isnan(best) and (math.isnan(value) or value > best)


@numba.njit(**_JIT)
def _turn(c, s, step_c, step_s, excess):  # pragma: no cover - compiled
    """``(cos, sin)`` of an angle advanced by a step of known cosine and sine plus a small
    ``excess`` [rad] (to first order: the excess is the rounding of the day table, ~1e-11 rad)."""
    c2 = c * step_c - s * step_s
    s2 = s * step_c + c * step_s
    return c2 - excess * s2, s2 + excess * c2


@numba.njit(**_JIT)
def _need(leo, day, c, s, orbit):  # pragma: no cover - compiled
    """Array need and ``|sin beta|`` of an orbit on a day, its node at ``(cos, sin) = (c, s)``;
    ``day = (sun x, y, z, 1 / irradiance factor, |declination|, its cosine, its sine)``,
    ``orbit = (tilt, cos tilt, sin tilt, sin i, cos i, edge, edge^2, period / pi, period, efficiency,
    need times f at beta = 0)`` (``edge`` of :func:`eclipse_s`): scalars only, so that the call
    inlines without reference counting. Out of the shadow the need is ``1 / f``."""
    s0, s1, s2, inverse, declination, cos_decl, sin_decl = day
    tilt, cos_tilt, sin_tilt, sin_i, cos_i, edge, edge2, period_over_pi, period_s, efficiency, at_zero = orbit
    if leo:  # the shell's plane nearest the sun: beta = max(|delta| - i, 0), cos beta by angle difference
        sine = max(declination - tilt, 0.0)
        if sine == 0.0:  # beta = 0 on this day: the orbit's longest eclipse, need ``at_zero / f``
            return at_zero * inverse, 0.0
        cos_beta = cos_decl * cos_tilt + sin_decl * sin_tilt
        if cos_beta <= edge:
            return inverse, sine
    else:
        sine = beta_sine(s0, s1, s2, sin_i, cos_i, s, c)
        square = (1.0 - sine) * (1.0 + sine)  # cos^2 beta
        if square <= edge2:  # out of the shadow, without the square root
            return inverse, abs(sine)
        cos_beta = math.sqrt(square)
    return array_need(eclipse_s(edge, period_over_pi, cos_beta), period_s, efficiency, inverse), abs(sine)


@numba.njit(**_JIT)
def sizing_day_index(leo, coarse, stride, sun, irradiance, declination, elapsed_day, seconds_per_day,
                     tilt, sin_i, cos_i, raan, rate, shadow_m, radius_m, period_s,
                     efficiency):  # pragma: no cover - compiled
    """Day index of each orbit's sizing day (the largest array need), searched coarse to fine.

    Parameters
    ----------
    leo : bool
        A ``"leo"`` shell (beta of the day's worst plane, ``max(|delta| - tilt, 0)``) rather than one
        plane with a drifting node.
    coarse : ndarray of int64
        Coarse day indices, ascending (every ``stride``-th day and the last).
    stride : int
        Half width of the refinement windows [days].
    sun : ndarray, shape (days, 3)
        Unit vector to the sun on each day [-].
    irradiance : ndarray, shape (days,)
        ``(1 AU / r)^2`` on each day [-].
    declination : ndarray, shape (days,)
        ``|delta_sun|`` on each day [rad].
    elapsed_day : ndarray, shape (days,)
        Days since the first day [days].
    seconds_per_day : float
        Seconds in a day [s].
    tilt, sin_i, cos_i, raan, rate : ndarray, shape (rows,)
        Per orbit: ``min(i, pi - i)`` [rad], ``sin i``, ``cos i`` [-], the node at the first day
        [rad] and its drift [rad/s].
    shadow_m, radius_m, period_s, efficiency : ndarray, shape (rows,)
        Per orbit: ``sqrt(h^2 + 2 R h)`` [m], ``R + h`` [m], period [s], battery round trip [-].

    Returns
    -------
    ndarray of int64, shape (rows,)
        Index of each orbit's sizing day.

    Notes
    -----
    The first-occurrence argmax of the need and argmin of ``|beta|`` over the coarse days give two
    centres; the result is the first-occurrence argmax of the need over ``clip(centre + [-stride,
    stride])`` of the first centre then the second (the order of the NumPy search). ``|sin beta|``
    orders the days as ``|beta|`` does (arcsin is odd and increasing). A day evaluated once (a
    coarse day inside a window, a day of both windows) is not evaluated again. The node's cosine
    and sine are carried from day to day by rotation (one ``sincos`` per orbit for each step size,
    not one per day), with the day table's rounding added to first order: they agree with the
    direct ones to ~1e-14, which can only change the day where two days' needs agree to that; the
    caller computes the chosen day's numbers with the public functions.

    References
    ----------
    .. [1] Wertz & Larson, *SMAD*, 3rd ed. (1999), sec. 11.4, eq. 11-5.
    .. [2] Gilmore (2002), ch. 2 (beta angle and eclipse fraction).
    """
    rows = tilt.size
    days = irradiance.size
    inverse = 1.0 / irradiance
    cos_decl, sin_decl = np.cos(declination), np.sin(declination)
    cos_tilt, sin_tilt = np.cos(tilt), np.sin(tilt)
    index = np.empty(rows, dtype=np.int64)
    seen = np.full(days, -1, dtype=np.int64)  # the orbit whose need on that day is stored
    need_at, c_at, s_at = np.empty(days), np.empty(days), np.empty(days)
    big_at, small_at = min(stride, days - 1), min(1, days - 1)
    for k in range(rows):
        edge = shadow_m[k] / radius_m[k]
        period_over_pi = period_s[k] / math.pi
        at_zero = array_need(eclipse_s(edge, period_over_pi, 1.0), period_s[k], efficiency[k], 1.0)
        orbit = (tilt[k], cos_tilt[k], sin_tilt[k], sin_i[k], cos_i[k], edge, edge * edge, period_over_pi,
                 period_s[k], efficiency[k], at_zero)
        om, dr = raan[k], rate[k]
        big = node_angle_rad(0.0, dr, elapsed_day[big_at], seconds_per_day)
        small = node_angle_rad(0.0, dr, elapsed_day[small_at], seconds_per_day)
        big_c, big_s, small_c, small_s = math.cos(big), math.sin(big), math.cos(small), math.sin(small)
        c = s = x = 0.0
        at = -1  # the day of (c, s, x)
        best = best_sine = 0.0
        at_need = at_sine = 0
        for j in range(coarse.size):
            d = coarse[j]
            if not leo:
                y = node_angle_rad(om, dr, elapsed_day[d], seconds_per_day)
                if at >= 0 and d - at == stride:
                    c, s = _turn(c, s, big_c, big_s, (y - x) - big)
                else:
                    c, s = math.cos(y), math.sin(y)
                x, at = y, d
            m, b = _need(leo, (sun[d, 0], sun[d, 1], sun[d, 2], inverse[d], declination[d],
                               cos_decl[d], sin_decl[d]), c, s, orbit)
            seen[d], need_at[d], c_at[d], s_at[d] = k, m, c, s
            if j == 0 or _better(m, best):
                best, at_need = m, d
            if j == 0 or _better(-b, -best_sine):
                best_sine, at_sine = b, d
        first = True
        for centre in (at_need, at_sine):
            for step in range(-stride, stride + 1):
                d = min(max(centre + step, 0), days - 1)
                if seen[d] == k:
                    m = need_at[d]
                    c, s, at = c_at[d], s_at[d], d
                    x = node_angle_rad(om, dr, elapsed_day[d], seconds_per_day)
                else:
                    if not leo:
                        y = node_angle_rad(om, dr, elapsed_day[d], seconds_per_day)
                        if at >= 0 and d - at == 1:
                            c, s = _turn(c, s, small_c, small_s, (y - x) - small)
                        else:
                            c, s = math.cos(y), math.sin(y)
                        x, at = y, d
                    m = _need(leo, (sun[d, 0], sun[d, 1], sun[d, 2], inverse[d], declination[d],
                                    cos_decl[d], sin_decl[d]), c, s, orbit)[0]
                    seen[d], need_at[d], c_at[d], s_at[d] = k, m, c, s
                if first or _better(m, best):
                    best, index[k] = m, d
                    first = False
    return index
