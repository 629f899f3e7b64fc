"""Compiled inner loops of the physics tables: multilinear look-up and the differential spectrum.

Both are numba-compiled, fused versions of NumPy formulations (one pass over the queries, no
broadcast temporaries) and follow the same arithmetic step by step, so they give the same numbers
to rounding (``tests/physics/test_physics_kernels.py`` checks them against independent NumPy
implementations):

* :func:`multilinear4` interpolates a table on four rectilinear axes (``np.interp`` of the grid
  index along each axis, as ``numpy/core/src/multiarray/compiled_base.c`` computes it, then the 16
  corners in binary order), optionally carrying a trailing axis that is not interpolated.
* :func:`differential_flux` turns an integral spectrum into ``-dJ/dE`` (power law between table
  energies, linear fall on a segment that ends at zero flux, zero outside the table).
* :func:`cycle_share` and :func:`mission_mean_density` average the solar-cycle activity and the
  orbit density over a mission's time samples, one row at a time (the fixed coordinates of a row
  located once; the activity and F10.7 computed at each time as
  :func:`orbitaldc.physics.atmosphere.f107_sfu` does).

The module imports numba, so the physics modules import it only when they first need it. Each
kernel is self-contained here: numba's on-disk cache does not notice edits to functions of other
modules that a compiled function calls.

References
----------
.. [1] NumPy, ``numpy/core/src/multiarray/compiled_base.c`` (``arr_interp``).
.. [2] S. K. Lam, A. Pitrou, S. Seibert, "Numba: a LLVM-based Python JIT compiler", LLVM-HPC
   (2015).
"""

from __future__ import annotations

import math

import numba
import numpy as np

__all__ = ["cycle_share", "decay_queries", "differential_flux", "mission_mean_density", "multilinear4"]

#: numba options: cached on disk, NumPy's floating-point error model (no exceptions on 0/0)
_JIT = dict(cache=True, nogil=True, error_model="numpy")
#: interpolated axes of :func:`multilinear4` and its corners (2 ** axes)
_AXES = 4
_CORNERS = 1 << _AXES


@numba.njit(**_JIT)
def _upper_segment(x, grid):  # pragma: no cover - compiled
    """Number of grid values <= x, minus one (``searchsorted(grid, x, "right") - 1``)."""
    lo, hi = 0, grid.size
    while lo < hi:
        mid = (lo + hi) // 2
        if grid[mid] <= x:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


@numba.njit(**_JIT)
def _grid_position(x, grid):  # pragma: no cover - compiled
    """Cell ``k`` and fraction ``f`` of ``x`` on ``grid``: ``pos = np.interp(x, grid, arange(n))``,
    ``k = clip(int(pos), 0, n - 2)``, ``f = pos - k`` (clamped outside the grid; NaN stays NaN)."""
    n = grid.size
    if math.isnan(x):
        return 0, x
    if x >= grid[n - 1]:
        pos = float(n - 1)
    elif x < grid[0]:
        pos = 0.0
    else:
        j = _upper_segment(x, grid)
        if grid[j] == x:
            pos = float(j)
        else:
            slope = (float(j + 1) - float(j)) / (grid[j + 1] - grid[j])
            pos = slope * (x - grid[j]) + float(j)
    k = min(max(int(pos), 0), n - 2)
    return k, pos - k


@numba.njit(**_JIT)
def _locate(x, last, cell, frac, grid):  # pragma: no cover - compiled
    """``(x, k, f)`` of :func:`_grid_position`, reusing ``(cell, frac)`` when ``x`` is the
    coordinate ``last`` located on that axis (NaN never compares equal, so it recomputes)."""
    if x == last:
        return last, cell, frac
    k, f = _grid_position(x, grid)
    return x, k, f


@numba.njit(**_JIT)
def _corner_offsets(table):  # pragma: no cover - compiled
    """Flat strides of the four interpolated axes of a C-ordered table ``(n0, n1, n2, n3, m)`` and the
    offset of each of the 16 corners from the lower one (binary order, bit ``d`` = axis ``d``)."""
    s3 = table.shape[4]
    s2 = table.shape[3] * s3
    s1 = table.shape[2] * s2
    s0 = table.shape[1] * s1
    offset = np.empty(_CORNERS, dtype=np.int64)
    for corner in range(_CORNERS):
        offset[corner] = ((corner & 1) * s0 + ((corner >> 1) & 1) * s1 + ((corner >> 2) & 1) * s2
                          + ((corner >> 3) & 1) * s3)
    return s0, s1, s2, s3, offset


@numba.njit(**_JIT)
def _corner_weights(f0, f1, f2, f3, w01, w012, weight):  # pragma: no cover - compiled
    """Weights of the 16 corners in binary order into ``weight``, each the product
    (((1 w0) w1) w2) w3 taken left to right (``w_d = f_d`` upper, ``1 - f_d`` lower);
    ``w01`` (4) and ``w012`` (8) are scratch."""
    for u1 in range(2):
        for u0 in range(2):
            w01[u0 + 2 * u1] = (1.0 * (f0 if u0 else 1.0 - f0)) * (f1 if u1 else 1.0 - f1)
    for u2 in range(2):
        for low in range(4):
            w012[low + 4 * u2] = w01[low] * (f2 if u2 else 1.0 - f2)
    for u3 in range(2):
        for low in range(8):
            weight[low + 8 * u3] = w012[low] * (f3 if u3 else 1.0 - f3)


@numba.njit(**_JIT)
def multilinear4(table, g0, g1, g2, g3, p0, p1, p2, p3):  # pragma: no cover - compiled
    """Multilinear interpolation of ``table`` (n0, n1, n2, n3, m) at points ``(p0[r, c], ..., p3[r, c])``.

    Parameters
    ----------
    table : ndarray
        Values on the grid, shape (n0, n1, n2, n3, m); the last axis is carried, not interpolated.
    g0, g1, g2, g3 : ndarray
        Ascending grids of the four interpolated axes, shapes (n0,), ..., (n3,).
    p0, p1, p2, p3 : ndarray
        Query coordinates, 2-D of equal shape (R, C), any strides (broadcast views welcome: a
        coordinate equal to the previous query's reuses its grid position).

    Returns
    -------
    ndarray
        Interpolated values, shape (R, C, m).

    Notes
    -----
    ``out = sum over corners c of prod_d w_d(c) table[k + c]`` with ``w_d = f_d`` on the upper
    side and ``1 - f_d`` on the lower one, corners in binary order (bit ``d`` = axis ``d``).

    References
    ----------
    .. [1] NumPy ``np.interp`` (``compiled_base.c``) for the grid positions.
    """
    rows, cols = p0.shape
    m = table.shape[4]
    flat = table.ravel()
    s0, s1, s2, s3, offset = _corner_offsets(table)
    w01, w012, weight = np.empty(4), np.empty(8), np.empty(_CORNERS)
    out = np.zeros((rows, cols, m))
    x0 = x1 = x2 = x3 = f0 = f1 = f2 = f3 = np.nan
    k0 = k1 = k2 = k3 = 0
    for r in range(rows):
        for c in range(cols):
            x0, k0, f0 = _locate(p0[r, c], x0, k0, f0, g0)
            x1, k1, f1 = _locate(p1[r, c], x1, k1, f1, g1)
            x2, k2, f2 = _locate(p2[r, c], x2, k2, f2, g2)
            x3, k3, f3 = _locate(p3[r, c], x3, k3, f3, g3)
            _corner_weights(f0, f1, f2, f3, w01, w012, weight)
            base = k0 * s0 + k1 * s1 + k2 * s2 + k3 * s3
            if m == 1:  # a scalar table: sum in a register
                total = 0.0
                for corner in range(_CORNERS):
                    total += weight[corner] * flat[base + offset[corner]]
                out[r, c, 0] = total
                continue
            for corner in range(_CORNERS):  # carried axis innermost (contiguous in the table)
                w, start = weight[corner], base + offset[corner]
                for i in range(m):
                    out[r, c, i] += w * flat[start + i]
    return out


@numba.njit(**_JIT)
def differential_flux(energy, log_step, flux, query):  # pragma: no cover - compiled
    """Differential flux ``-dJ/dE`` at ``query`` (R, m) from integral spectra ``flux`` (R, n).

    Parameters
    ----------
    energy : ndarray
        Table energies, ascending, shape (n,), n >= 2 [MeV].
    log_step : ndarray
        ``ln(energy[k + 1] / energy[k])``, shape (n - 1,).
    flux : ndarray
        Integral flux above each energy, shape (R, n) [cm-2 s-1].
    query : ndarray
        Energies to evaluate, shape (R, m) [MeV].

    Returns
    -------
    ndarray
        ``-dJ/dE`` [cm-2 s-1 MeV-1], shape (R, m); 0 outside ``[energy[0], energy[-1]]``.

    Notes
    -----
    On segment ``k`` (``E_k <= E < E_k+1``, the last segment closed): ``gamma = ln(J_k / J_k+1) /
    ln(E_k+1 / E_k)`` and ``-dJ/dE = gamma J_k (E / E_k)^-gamma / E`` when both ends are positive,
    else ``(J_k - J_k+1) / (E_k+1 - E_k)``.

    References
    ----------
    .. [1] Power-law interpolation of integral spectra, as in AE-8/AP-8 practice (Vette 1991).
    """
    n = energy.size
    rows, m = query.shape
    out = np.zeros((rows, m))
    gamma = np.empty(n - 1)
    for r in range(rows):
        for k in range(n - 1):  # spectral index of each segment, once per row (0 where not a power law)
            j0, j1 = flux[r, k], flux[r, k + 1]
            gamma[k] = math.log(j0 / j1) / log_step[k] if j0 > 0.0 and j1 > 0.0 else 0.0
        for c in range(m):
            q = query[r, c]
            if not (q >= energy[0] and q <= energy[n - 1]):
                continue
            k = min(max(_upper_segment(q, energy), 0), n - 2)
            j0, j1 = flux[r, k], flux[r, k + 1]
            e0, e1 = energy[k], energy[k + 1]
            if j0 > 0.0 and j1 > 0.0:
                out[r, c] = gamma[k] * j0 * (q / e0) ** (-gamma[k]) / q
            else:
                out[r, c] = (j0 - j1) / (e1 - e0)
    return out


@numba.njit(**_JIT)
def _activity(year, minimum_year, period_yr, rise_yr):  # pragma: no cover - compiled
    """Solar-cycle activity in [0, 1] (:func:`orbitaldc.physics.atmosphere.solar_activity_shape`)."""
    # numba's float ``%`` is CPython's (fmod moved to the period's sign; NaN for a zero period under
    # the NumPy error model): the same remainder as np.mod, for periods of either sign
    tau = (year - minimum_year) % period_yr
    if tau < rise_yr:
        return 0.5 * (1.0 - math.cos(math.pi * tau / rise_yr))
    return 0.5 * (1.0 + math.cos(math.pi * (tau - rise_yr) / (period_yr - rise_yr)))


@numba.njit(**_JIT)
def cycle_share(start_year, years, minimum_year, period_yr, rise_yr, samples):  # pragma: no cover - compiled
    """Mean activity over each row's span at ``samples`` midpoints (1-D arrays of equal length).

    Parameters
    ----------
    start_year, years, minimum_year, period_yr, rise_yr : ndarray
        Per row: span start (decimal year) and length [yr]; the cycle's minimum, period and rise.
    samples : int
        Midpoints of the span.

    Returns
    -------
    ndarray
        Mean of :func:`_activity` at ``start + years (i + 0.5) / samples``.

    References
    ----------
    .. [1] Hathaway (2015), sec. 4.
    """
    n = start_year.size
    out = np.empty(n)
    for r in range(n):
        total = 0.0
        for i in range(samples):
            t = start_year[r] + years[r] * ((i + 0.5) / samples)
            total += _activity(t, minimum_year[r], period_yr[r], rise_yr[r])
        out[r] = total / samples
    return out


@numba.njit(**_JIT)
def mission_mean_density(log_table, g0, g1, g2, g3, altitude, ap, inclination, start_year, years, minimum_year,
                         period_yr, rise_yr, f107_min, f107_max, samples):  # pragma: no cover - compiled
    """Mean over a mission's time samples of ``exp`` of the multilinear log-density table.

    Parameters
    ----------
    log_table : ndarray
        ``ln rho`` on (altitude, F10.7, Ap, inclination), shape (n0, n1, n2, n3).
    g0, g1, g2, g3 : ndarray
        The table's ascending axes.
    altitude, ap, inclination : ndarray
        Per row (1-D, equal length): the fixed coordinates (inclination folded to [0, pi/2]).
    start_year, years, minimum_year, period_yr, rise_yr, f107_min, f107_max : ndarray
        Per row: the span and the solar-cycle profile of F10.7.
    samples : int
        Midpoints of the span.

    Returns
    -------
    ndarray
        ``mean_i exp(interp(h, F(t_i), Ap, i))`` with ``F(t) = F_min + (F_max - F_min) s(t)``.

    Notes
    -----
    Multilinear interpolation taken in two steps: once per row, the three fixed coordinates
    (8 corners) at each F10.7 node the row's cycle reaches; at each time, linear along F10.7 between the two
    nodes around ``F(t)``. The same multilinear value as :func:`multilinear4`, summed in another
    order (agreement to rounding).

    References
    ----------
    .. [1] Emmert et al. (2021), NRLMSIS 2.0; Hathaway (2015).
    """
    n = altitude.size
    n1 = log_table.shape[1]
    s2 = log_table.shape[3]
    s1 = log_table.shape[2] * s2
    s0 = n1 * s1
    flat = log_table.ravel()
    out = np.empty(n)
    line = np.empty(n1)
    for r in range(n):
        k0, f0 = _grid_position(altitude[r], g0)
        k2, f2 = _grid_position(ap[r], g2)
        k3, f3 = _grid_position(inclination[r], g3)
        lo, span = f107_min[r], f107_max[r] - f107_min[r]
        # the row's fixed coordinates interpolated at the F10.7 nodes its cycle reaches (one node
        # of margin each side for rounding): ln rho along F10.7
        first = max(_grid_position(min(lo, lo + span), g1)[0] - 1, 0)
        last = min(_grid_position(max(lo, lo + span), g1)[0] + 2, n1 - 1)
        for j in range(first, last + 1):
            value = 0.0
            for corner in range(8):
                u0, u2, u3 = corner & 1, (corner >> 1) & 1, corner >> 2
                w = ((f0 if u0 else 1.0 - f0) * (f2 if u2 else 1.0 - f2)) * (f3 if u3 else 1.0 - f3)
                value += w * flat[(k0 + u0) * s0 + j * s1 + (k2 + u2) * s2 + k3 + u3]
            line[j] = value
        total = 0.0
        for i in range(samples):
            t = start_year[r] + years[r] * ((i + 0.5) / samples)
            k1, f1 = _grid_position(lo + span * _activity(t, minimum_year[r], period_yr[r], rise_yr[r]), g1)
            total += math.exp(line[k1] * (1.0 - f1) + line[k1 + 1] * f1)
        out[r] = total / samples
    return out


@numba.njit(**_JIT)
def _profile_value(flat, base, offset, weight, j):  # pragma: no cover - compiled
    """Node ``j`` of an interpolated cumulative profile whose first node is 0 and whose table holds
    the logarithm of nodes ``1 ..`` on its carried axis (corners summed as :func:`multilinear4`)."""
    if j == 0:
        return 0.0
    total = 0.0
    for corner in range(_CORNERS):
        total += weight[corner] * flat[base + offset[corner] + j - 1]
    return math.exp(total)


@numba.njit(**_JIT)
def decay_queries(log_table, g0, g1, g2, g3, p0, p1, p2, p3, grid, altitude, ballistic, target):  # pragma: no cover
    """Decay time and disposal altitude of each row from an interpolated decay-integral profile.

    Parameters
    ----------
    log_table : ndarray
        ``ln I`` at altitudes ``grid[1:]`` on four driver axes, shape (n0, n1, n2, n3, n - 1)
        (``I = 0`` at ``grid[0]``, the re-entry altitude).
    g0, g1, g2, g3 : ndarray
        The drivers' ascending axes.
    p0, p1, p2, p3 : ndarray
        Per row (1-D, equal length): the driver coordinates.
    grid : ndarray
        Profile altitudes, ascending, shape (n,) [m].
    altitude : ndarray
        Per row: starting altitude [m].
    ballistic : ndarray
        Per row: ``C_D A / m`` [m2/kg].
    target : ndarray
        Per row: allowed decay time x ballistic coefficient [s m2/kg].

    Returns
    -------
    decay : ndarray
        ``I(h) / B``, ``I`` linear in altitude between nodes [s].
    disposal : ndarray
        The altitude where ``I`` reaches ``target``, linear between the bracketing nodes (the top
        of the profile when it never does) [m].

    Notes
    -----
    Per row the profile is interpolated only at the nodes it needs: the two around ``h`` and those a
    binary search for ``target`` visits (``I`` rises with altitude, so the bracketing node is
    ``#{j: I_j <= target} - 1``), each as :func:`multilinear4` computes it on the carried axis.

    References
    ----------
    .. [1] King-Hele (1987), ch. 4; FCC 22-74 (2022).
    """
    n = grid.size
    flat = log_table.ravel()
    s0, s1, s2, s3, offset = _corner_offsets(log_table)
    w01, w012, weight = np.empty(4), np.empty(8), np.empty(_CORNERS)
    rows = altitude.size
    decay, disposal = np.empty(rows), np.empty(rows)
    for r in range(rows):
        k0, f0 = _grid_position(p0[r], g0)
        k1, f1 = _grid_position(p1[r], g1)
        k2, f2 = _grid_position(p2[r], g2)
        k3, f3 = _grid_position(p3[r], g3)
        _corner_weights(f0, f1, f2, f3, w01, w012, weight)
        base = k0 * s0 + k1 * s1 + k2 * s2 + k3 * s3
        k, f = _grid_position(altitude[r], grid)
        lo = _profile_value(flat, base, offset, weight, k)
        hi = _profile_value(flat, base, offset, weight, k + 1)
        decay[r] = (lo * (1.0 - f) + hi * f) / ballistic[r]
        t = target[r]
        below, top = 0, n  # nodes [0, below) hold I <= t; [top, n) hold I > t
        while below < top:
            mid = (below + top) // 2
            if _profile_value(flat, base, offset, weight, mid) <= t:
                below = mid + 1
            else:
                top = mid
        k = min(max(below - 1, 0), n - 2)
        lo = _profile_value(flat, base, offset, weight, k)
        hi = _profile_value(flat, base, offset, weight, k + 1)
        frac = min(max((t - lo) / (hi - lo if hi > lo else 1.0), 0.0), 1.0)
        if math.isnan(t):
            frac = t
        disposal[r] = grid[k] + frac * (grid[k + 1] - grid[k])
    return decay, disposal
