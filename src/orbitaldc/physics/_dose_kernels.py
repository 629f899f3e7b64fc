"""Compiled dose integrals: the trapped-particle dose behind aluminium, one fused pass per row.

numba-compiled versions of the NumPy formulation of :mod:`orbitaldc.physics.dose` (the exit-energy
integral of :func:`orbitaldc.physics.dose.dose_rad_per_yr_from_spectrum`, its bremsstrahlung term
and the slab's direction average). Per row they form the spectral index of each table segment
once, then walk the exit energies without broadcast temporaries. They follow NumPy's arithmetic
step by step (``np.interp`` as ``compiled_base.c`` computes it, ``np.trapezoid`` with the pairwise
summation of ``np.add.reduce``) except for three rewrites of products of powers into one
exponential, each exact in real arithmetic:

* the incident energy enters the spectrum and the stopping-power look-up through its logarithm
  ``y`` (NumPy takes ``log(exp(y))``);
* ``gamma J_k (E/E_k)^-gamma / E x S_Al(E)`` is ``gamma J_k exp(z - gamma (y - ln E_k) - y)`` with
  ``z = ln S_Al(E)`` (NumPy: ``pow``, ``exp``, a division);
* for electrons below the Katz-Penfold switch, ``(E/E_k)^-gamma / E / (dR/dE)`` is one
  exponential with the power of the range relation folded in, and at the fixed bremsstrahlung
  energies ``(E/E_k)^-gamma`` is ``exp(-gamma ln(E/E_k))``.

:func:`orbit_flux` is the orbit-averaged AP-8/AE-8 spectrum of :mod:`orbitaldc.physics.trapped`
(bilinear on log tables, solar minimum and maximum mixed) in the same one-pass form.

These change the rounding of each integrand by a few ulps times the size of the exponent
(<~1e-14 relative); ``tests/physics/test_dose_kernels.py`` checks the kernels against a plain
NumPy implementation of the integrals at 1e-12. Decisions (which table segment, inside or outside
the spectrum) are taken in log space only away from table energies; within ``_NODE_TOL`` of one
the energy itself is formed and compared, as NumPy does.

The module imports numba, so :mod:`orbitaldc.physics.dose` imports it only when it first needs it.
Every compiled function here calls only compiled functions of this module (numba's on-disk cache
does not notice edits to other modules).

References
----------
.. [1] NumPy, ``numpy/_core/src/multiarray/compiled_base.c`` (``arr_interp``) and
   ``numpy/_core/src/umath/loops_utils.h.src`` (pairwise summation).
.. [2] S. K. Lam, A. Pitrou, S. Seibert, "Numba: a LLVM-based Python JIT compiler", LLVM-HPC
   (2015).
.. [3] S. M. Seltzer, "Updated calculations for routine space-shielding radiation dose estimates:
   SHIELDOSE-2", NIST IR 5477 (1994).
"""

from __future__ import annotations

import math

import numba
import numpy as np

__all__ = ["electron_dose", "orbit_flux", "proton_dose"]

#: numba options: cached on disk, NumPy's floating-point error model (no exceptions on 0/0)
_JIT = dict(cache=True, nogil=True, error_model="numpy")
#: log-energy distance to a table energy below which the energy itself decides the segment
#: (rounding of ``exp``/``log`` is ~1e-15 there; anything larger is a genuine difference)
_NODE_TOL = 1e-12
#: block and unroll of NumPy's pairwise summation (``PW_BLOCKSIZE``, 8 accumulators)
_PW_BLOCK = 128
_PW_LANES = 8


@numba.njit(**_JIT)
def _upper(x, grid):  # pragma: no cover - compiled
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
def _walk(x, grid, j):  # pragma: no cover - compiled
    """``_upper(x, grid)`` for an ``x`` not below ``grid[j]`` (queries ascending): walk up from ``j``."""
    n = grid.size
    while j + 1 < n and grid[j + 1] <= x:
        j += 1
    return j


@numba.njit(**_JIT)
def _slopes(xp, fp):  # pragma: no cover - compiled
    """``(fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])``, as ``np.interp`` forms them."""
    out = np.empty(xp.size - 1)
    for j in range(xp.size - 1):
        out[j] = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
    return out


@numba.njit(**_JIT)
def _interp_at(x, xp, fp, slopes, j):  # pragma: no cover - compiled
    """``np.interp(x, xp, fp)`` given ``j = _upper(x, xp)`` and :func:`_slopes`, finite ``x``."""
    n = xp.size
    if x > xp[n - 1]:
        return fp[n - 1]
    if j < 0:
        return fp[0]
    if j >= n - 1 or xp[j] == x:
        return fp[j]
    return slopes[j] * (x - xp[j]) + fp[j]


@numba.njit(**_JIT)
def _position(x, grid, j):  # pragma: no cover - compiled
    """``_upper(x, grid)``: a binary search for the first query (``j < 0``), then a walk up."""
    return _walk(x, grid, j) if j >= 0 else _upper(x, grid)


@numba.njit(**_JIT)
def _steps(energy, grid):  # pragma: no cover - compiled
    """``ln`` of the spectrum energies, ``ln`` of their ratios, and ``np.diff`` of a grid."""
    log_energy = np.log(energy)
    log_step = np.empty(energy.size - 1)
    for k in range(energy.size - 1):
        log_step[k] = math.log(energy[k + 1] / energy[k])
    step = np.empty(grid.size - 1)
    for i in range(grid.size - 1):
        step[i] = grid[i + 1] - grid[i]
    return log_energy, log_step, step


@numba.njit(**_JIT)
def _pairwise(a, n):  # pragma: no cover - compiled
    """``np.add.reduce(a[:n])`` for n <= 128 (NumPy's 8-lane unrolled block)."""
    if n < _PW_LANES:
        res = 0.0
        for i in range(n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[0], a[1], a[2], a[3]
    r4, r5, r6, r7 = a[4], a[5], a[6], a[7]
    stop = n - n % _PW_LANES
    for i in range(_PW_LANES, stop, _PW_LANES):
        r0 += a[i]
        r1 += a[i + 1]
        r2 += a[i + 2]
        r3 += a[i + 3]
        r4 += a[i + 4]
        r5 += a[i + 5]
        r6 += a[i + 6]
        r7 += a[i + 7]
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    for i in range(stop, n):
        res += a[i]
    return res


@numba.njit(**_JIT)
def _trapezoid(f, step, scratch, n):  # pragma: no cover - compiled
    """``np.trapezoid(f[:n], x)`` with ``step = np.diff(x)``: ``sum(step (f[1:] + f[:-1]) / 2)``."""
    for i in range(n - 1):
        scratch[i] = step[i] * (f[i + 1] + f[i]) / 2.0
    return _pairwise(scratch, n - 1)


@numba.njit(**_JIT)
def _indices(flux, row, log_step, gamma):  # pragma: no cover - compiled
    """Spectral index ``ln(J_k / J_k+1) / ln(E_k+1 / E_k)`` of each segment of a row (0 unless
    both ends are > 0)."""
    for k in range(log_step.size):
        j0, j1 = flux[row, k], flux[row, k + 1]
        gamma[k] = math.log(j0 / j1) / log_step[k] if j0 > 0.0 and j1 > 0.0 else 0.0


@numba.njit(**_JIT)
def _segment_of(q, energy):  # pragma: no cover - compiled
    """Table segment of energy ``q`` (``-1`` outside ``[energy[0], energy[-1]]``)."""
    n = energy.size
    if not (q >= energy[0] and q <= energy[n - 1]):
        return -1
    return min(max(_upper(q, energy), 0), n - 2)


@numba.njit(**_JIT)
def _proton_sphere(x, energy, log_energy, flux, gamma, log_step, exit_step, exit_range, exit_al_log, exit_si,
                   range_over, range_lo, range_hi, pstar, pstar_slopes, f, scratch):  # pragma: no cover - compiled
    """Energy deposition [MeV/g/s] of protons at the centre of a sphere of areal density ``x``.

    The exit energies ascend, so the residual range, the incident energy and every table position
    ascend with them: each look-up walks up from the previous one, and once the incident energy
    is beyond the spectrum (or the range table) the remaining integrand is zero.
    """
    m = exit_range.size
    n = energy.size
    log_e, s_al, log_range = pstar[0], pstar[1], pstar[2]
    jr, je, ks = -1, -1, 0  # positions on the range column, the energy column, the spectrum
    i = 0
    while i < m:
        r = exit_range[i] + x
        if r > range_over:
            break  # beyond the range table: incident energy 1e4 MeV, past every spectrum
        lr = math.log(min(max(r, range_lo), range_hi))
        jr = _position(lr, log_range, jr)
        y = _interp_at(lr, log_range, log_e, pstar_slopes[0], jr)  # ln E
        # the spectrum's ends tested as the node test below forms its distances (a sum ``ln E_k + tol``
        # rounds differently): within the tolerance of an end, the energy itself decides
        if y - log_energy[n - 1] > _NODE_TOL:
            break
        f[i] = 0.0
        if y - log_energy[0] >= -_NODE_TOL:
            ks = _walk(y, log_energy, ks)
            k = min(ks, n - 2)
            if abs(y - log_energy[k]) <= _NODE_TOL or abs(y - log_energy[k + 1]) <= _NODE_TOL:
                k = _segment_of(math.exp(y), energy)  # at a table energy: decide on the energy itself
            if k >= 0:
                je = _position(y, log_e, je)
                z = _interp_at(y, log_e, s_al, pstar_slopes[1], je) - exit_al_log[i]  # ln S_Al(E)/S_Al(E')
                j0, j1 = flux[k], flux[k + 1]
                if j0 > 0.0 and j1 > 0.0:
                    g = gamma[k]  # index 0 (equal ends, or E_k = 0 where ln E_k = -inf): NumPy's 0 x (...) = 0
                    f[i] = g * j0 * math.exp(z - g * (y - log_energy[k]) - y) * exit_si[i] if g != 0.0 else 0.0
                else:
                    f[i] = (j0 - j1) / (energy[k + 1] - energy[k]) * math.exp(z) * exit_si[i]
        i += 1
    for rest in range(i, m):
        f[rest] = 0.0
    return _trapezoid(f, exit_step, scratch, m)


@numba.njit(**_JIT)
def proton_dose(energy, flux, x, mu, mu_weight, slab, exit_mev, exit_range, exit_al_log, exit_si,
                range_over, range_lo, range_hi, pstar):  # pragma: no cover - compiled
    """Proton energy deposition behind aluminium, one row at a time [MeV/g/s].

    Parameters
    ----------
    energy : ndarray
        Spectrum energies, ascending, shape (n,) [MeV].
    flux : ndarray
        Integral flux above each energy, shape (R, n) [cm-2 s-1].
    x : ndarray
        Aluminium areal density per row, shape (R,) [g/cm2].
    mu, mu_weight : ndarray
        Gauss-Legendre nodes and weights on (0, 1) of the slab's direction average.
    slab : bool
        Slab (direction average) or sphere (``x`` in every direction).
    exit_mev : ndarray
        Exit energies ``E'`` of the integral, ascending, shape (m,), m <= 128 [MeV].
    exit_range, exit_al_log, exit_si : ndarray
        At each exit energy: CSDA range in aluminium [g/cm2], ``ln`` of the aluminium stopping
        power, stopping power of silicon [MeV cm2/g] (as :mod:`orbitaldc.physics.dose` forms them).
    range_over : float
        Range above which the incident energy counts as beyond the table (``R(1000 MeV)``) [g/cm2];
        such an energy lies beyond the spectrum (the caller checks it), so it adds nothing.
    range_lo, range_hi : float
        Span of the PSTAR ranges the look-up clamps to [g/cm2].
    pstar : ndarray
        ``ln`` of the PSTAR table, shape (k, 3+): energy, S_Al, range in Al columns.

    Returns
    -------
    ndarray
        Shape (R,): ``integral f(E(E')) dE/dE' S_Si(E') dE'`` (sphere) or
        ``1/2 sum_k w_k D_sphere(x / mu_k)`` (slab) [MeV g-1 s-1].

    References
    ----------
    .. [1] Seltzer (1994), SHIELDOSE-2; NIST PSTAR.
    """
    rows, n = flux.shape
    m = exit_mev.size
    log_energy, log_step, exit_step = _steps(energy, exit_mev)
    table = np.empty((3, pstar.shape[0]))  # ln E, ln S_Al, ln R as contiguous rows
    for c in range(3):
        table[c] = pstar[:, c]
    slopes = np.empty((2, pstar.shape[0] - 1))
    slopes[0] = _slopes(table[2], table[0])  # ln R -> ln E
    slopes[1] = _slopes(table[0], table[1])  # ln E -> ln S_Al
    gamma = np.empty(n - 1)
    f = np.empty(m)
    scratch = np.empty(m)
    out = np.empty(rows)
    for row in range(rows):
        spec = flux[row]
        _indices(flux, row, log_step, gamma)
        if not slab:
            out[row] = _proton_sphere(x[row], energy, log_energy, spec, gamma, log_step, exit_step, exit_range,
                                      exit_al_log, exit_si, range_over, range_lo, range_hi, table, slopes, f, scratch)
            continue
        total = 0.0
        for d in range(mu.size):
            total = total + mu_weight[d] * _proton_sphere(
                x[row] / mu[d], energy, log_energy, spec, gamma, log_step, exit_step, exit_range, exit_al_log,
                exit_si, range_over, range_lo, range_hi, table, slopes, f, scratch)
        out[row] = 0.5 * total
    return out


@numba.njit(**_JIT)
def _electron_direct(x, energy, log_energy, flux, gamma, log_step, exit_step, exit_range, exit_slope, exit_si,
                     range_grid, energy_grid, grid_slopes, kp, f, scratch):  # pragma: no cover - compiled
    """Electron energy deposition [MeV/g/s] through a sphere of areal density ``x`` (no photons);
    the incident energies ascend with the exit energies, so the look-ups walk up."""
    c0, c1, c2, switch, high_slope, floor = kp[0], kp[1], kp[2], kp[3], kp[4], kp[5]
    m = exit_range.size
    n = energy.size
    jg, ks = -1, 0
    i = 0
    while i < m:
        r = exit_range[i] + x
        jg = _position(r, range_grid, jg)
        q = _interp_at(r, range_grid, energy_grid, grid_slopes, jg)
        if q > energy[n - 1]:
            break
        f[i] = 0.0
        i += 1
        if not q >= energy[0]:
            continue
        ks = _walk(q, energy, ks)
        k = min(ks, n - 2)
        e = max(q, floor)
        j0, j1 = flux[k], flux[k + 1]
        power = j0 > 0.0 and j1 > 0.0
        if e <= switch:
            lg = math.log(e)
            shape = c1 - 2 * c2 * lg
            if power and e == q:  # (E/E_k)^-g / E / (R(E)/E shape) with R = c0 E^(c1 - c2 ln E)
                g = gamma[k]
                if g != 0.0:  # index 0 (E_k may be 0, ln E_k = -inf): NumPy's 0 x (...) = 0
                    f[i - 1] = (g * j0 * exit_slope[i - 1]
                                * math.exp(-g * (lg - log_energy[k]) - (c1 - c2 * lg) * lg) / (c0 * shape)
                                * exit_si[i - 1])
                continue
            slope_in = c0 * e ** (c1 - c2 * lg) / e * shape
        else:
            slope_in = high_slope
        if power:
            g = gamma[k]
            d = g * j0 * (q / energy[k]) ** (-g) / q
        else:
            d = (j0 - j1) / (energy[k + 1] - energy[k])
        f[i - 1] = d * (exit_slope[i - 1] / slope_in) * exit_si[i - 1]
    for rest in range(i, m):
        f[rest] = 0.0
    return _trapezoid(f, exit_step, scratch, m)


@numba.njit(**_JIT)
def _photons(energy, flux, gamma, log_step, brems_mev, brems_seg, brems_log, brems_step, brems_yield, f,
             scratch):  # pragma: no cover - compiled
    """``integral f(E) E Y(E) / 2 dE`` [MeV/cm2/s] at the fixed bremsstrahlung energies."""
    for i in range(brems_mev.size):
        k = brems_seg[i]
        f[i] = 0.0
        if k < 0:
            continue
        q = brems_mev[i]
        j0, j1 = flux[k], flux[k + 1]
        if j0 > 0.0 and j1 > 0.0:
            g = gamma[k]  # index 0 (E_k may be 0, ln(E / E_k) = inf): NumPy's 0 x (...) = 0
            d = g * j0 * math.exp(-g * brems_log[i]) / q if g != 0.0 else 0.0
        else:
            d = (j0 - j1) / (energy[k + 1] - energy[k])
        f[i] = d * 0.5 * q * brems_yield[i]
    return _trapezoid(f, brems_step, scratch, brems_mev.size)


@numba.njit(**_JIT)
def electron_dose(energy, flux, x, mu, mu_weight, slab, exit_mev, exit_range, exit_slope, exit_si, range_grid,
                  energy_grid, kp, brems_mev, brems_yield, neg_attenuation, absorption):  # pragma: no cover
    """Electron energy deposition behind aluminium with its bremsstrahlung, one row at a time [MeV/g/s].

    Parameters
    ----------
    energy, flux, x, mu, mu_weight, slab
        As :func:`proton_dose`.
    exit_mev : ndarray
        Exit energies ``E'``, ascending, shape (m,), m <= 128 [MeV].
    exit_range, exit_slope, exit_si : ndarray
        At each exit energy: Katz-Penfold range [g/cm2], its slope dR/dE [g/cm2/MeV], Bethe
        stopping power of silicon [MeV cm2/g].
    range_grid, energy_grid : ndarray
        The range relation tabulated for its inverse (``np.interp(R, range_grid, energy_grid)``).
    kp : ndarray
        Katz-Penfold constants: ``a, b, c`` of ``R = a E^(b - c ln E)``, the switch energy [MeV],
        the slope above it [g/cm2/MeV], the energy floor [MeV].
    brems_mev, brems_yield : ndarray
        Incident energies of the bremsstrahlung integral (shape (b,), b <= 128) [MeV] and the
        radiation yield there.
    neg_attenuation : float
        Minus the photon mass attenuation coefficient of aluminium [cm2/g].
    absorption : float
        Photon mass energy-absorption coefficient of silicon [cm2/g].

    Returns
    -------
    ndarray
        Shape (R,) [MeV g-1 s-1]: sphere
        ``integral f S_Si dE' + integral f E Y / 2 dE exp(-mu x) mu_en``, or the slab's
        ``1/2 sum_k w_k D_sphere(x / mu_k)``.

    References
    ----------
    .. [1] Seltzer (1994), SHIELDOSE-2; Katz & Penfold (1952); ICRU 37; Attix (1986), ch. 8.
    """
    rows, n = flux.shape
    nb = brems_mev.size
    log_energy, log_step, exit_step = _steps(energy, exit_mev)
    brems_step = _steps(energy, brems_mev)[2]
    grid_slopes = _slopes(range_grid, energy_grid)
    brems_seg = np.empty(nb, dtype=np.int64)
    brems_log = np.zeros(nb)  # ln(E / E_k) on its segment
    for i in range(nb):
        brems_seg[i] = _segment_of(brems_mev[i], energy)
        if brems_seg[i] >= 0:
            brems_log[i] = math.log(brems_mev[i] / energy[brems_seg[i]])
    gamma = np.empty(n - 1)
    size = max(exit_mev.size, nb)
    f = np.empty(size)
    scratch = np.empty(size)
    out = np.empty(rows)
    for row in range(rows):
        spec = flux[row]
        _indices(flux, row, log_step, gamma)
        photons = _photons(energy, spec, gamma, log_step, brems_mev, brems_seg, brems_log, brems_step, brems_yield,
                           f, scratch)
        total = 0.0
        for d in range(mu.size if slab else 1):
            xr = x[row] / mu[d] if slab else x[row]
            direct = _electron_direct(xr, energy, log_energy, spec, gamma, log_step, exit_step, exit_range,
                                      exit_slope, exit_si, range_grid, energy_grid, grid_slopes, kp, f, scratch)
            sphere = direct + photons * math.exp(neg_attenuation * xr) * absorption
            if not slab:
                total = sphere
                break
            total = total + mu_weight[d] * sphere
        out[row] = 0.5 * total if slab else total
    return out


@numba.njit(**_JIT)
def _index_position(x, grid):  # pragma: no cover - compiled
    """Cell and fraction of ``np.interp(x, grid, arange(n))``, cell clipped to ``[0, n - 2]``."""
    n = grid.size
    j = _upper(x, grid)
    if x > grid[n - 1]:
        pos = float(n - 1)
    elif j < 0:
        pos = 0.0
    elif j >= n - 1 or grid[j] == x:
        pos = float(j)
    else:
        pos = (float(j + 1) - float(j)) / (grid[j + 1] - grid[j]) * (x - grid[j]) + float(j)
    cell = min(max(int(pos), 0), n - 2)
    return cell, pos - cell


@numba.njit(**_JIT)
def orbit_flux(altitude_grid, inclination_grid, log_min, log_max, altitude, inclination, share, offset,
               floor):  # pragma: no cover - compiled
    """Orbit-averaged integral spectrum, bilinear in (altitude, inclination) on log tables.

    Parameters
    ----------
    altitude_grid, inclination_grid : ndarray
        Table axes, ascending [m], [rad].
    log_min, log_max : ndarray
        ``ln(J + offset)`` of the solar-minimum and -maximum models, shape (a, i, n).
    altitude, inclination, share : ndarray
        Per row (R,): altitude [m], inclination folded to 0-pi/2 [rad], solar-maximum weight.
    offset : float
        The table's log offset [cm-2 s-1].
    floor : float
        Fluxes at or below this count as none [cm-2 s-1].

    Returns
    -------
    ndarray
        Shape (R, n): ``(1 - s) J_min + s J_max`` with ``J = exp(bilinear) - offset`` (0 at or
        below ``floor``) [cm-2 s-1].

    References
    ----------
    .. [1] Sawyer & Vette (1976); Vette (1991) (AP-8/AE-8, as :mod:`orbitaldc.physics.trapped`).
    """
    rows = altitude.size
    n = log_min.shape[2]
    out = np.empty((rows, n))
    for r in range(rows):
        i0, fh = _index_position(altitude[r], altitude_grid)
        j0, fi = _index_position(inclination[r], inclination_grid)
        w00, w10 = (1 - fh) * (1 - fi), fh * (1 - fi)
        w01, w11 = (1 - fh) * fi, fh * fi
        s = share[r]
        for e in range(n):
            lo = math.exp(w00 * log_min[i0, j0, e] + w10 * log_min[i0 + 1, j0, e] + w01 * log_min[i0, j0 + 1, e]
                          + w11 * log_min[i0 + 1, j0 + 1, e]) - offset
            hi = math.exp(w00 * log_max[i0, j0, e] + w10 * log_max[i0 + 1, j0, e] + w01 * log_max[i0, j0 + 1, e]
                          + w11 * log_max[i0 + 1, j0 + 1, e]) - offset
            out[r, e] = (1.0 - s) * (lo if lo > floor else 0.0) + s * (hi if hi > floor else 0.0)
    return out
