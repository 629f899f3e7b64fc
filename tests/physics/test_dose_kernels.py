"""The compiled dose integrals (physics/_dose_kernels.py) against the plain NumPy formulation.

The reference below is the NumPy algorithm the kernels replace, written out with broadcast
temporaries: exit-energy grid, inverse range relations by ``np.interp``, ``-dJ/dE`` as a power law
between table energies (vectorized here, independent of the compiled ``differential_flux``), the
Jacobian ``S(E) / S(E')``, ``np.trapezoid``, the bremsstrahlung term and the slab's 8-point
direction average. It is compared with :func:`orbitaldc.physics.dose.dose_rad_per_yr_from_spectrum`
on random orbits over the whole table (altitude 200-2,000 km, every inclination, both solar
extremes), on synthetic spectra with dead tails, at zero and at very thick shielding, for both
geometries and for scalar and broadcast shapes.

Tolerance: 1e-12 relative. The kernels fold ``pow``, ``exp`` and a division into one ``exp`` and
reuse ``y`` for ``log(exp(y))`` (see the kernel module's docstring): each integrand moves by a few
ulps times the size of its exponent (<~30), i.e. <~1e-14, and the sums of non-negative terms keep
that relative size. 1e-12 leaves room for that and for nothing else (a wrong segment, a lost term
or a changed grid moves the result by 1e-4 or more).
"""

from __future__ import annotations

import numpy as np
import pytest

from orbitaldc.constants import ALUMINIUM_PHOTON_ATTENUATION_CM2_PER_G, SILICON_PHOTON_ENERGY_ABSORPTION_CM2_PER_G
from orbitaldc.physics import dose, trapped

#: relative agreement required (a few ulps per integrand, see the module docstring)
RTOL = 1e-12
#: Gauss-Legendre nodes of the reference slab, mapped to (0, 1)
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(8)
EXIT_MEV = np.geomspace(0.01, 400.0, 64)
BREMS_MEV = np.geomspace(0.04, 7.0, 48)


def _differential(energy, flux, query):
    """-dJ/dE (..., m): piecewise power law of the integral spectrum, linear towards a zero end."""
    flux = np.broadcast_to(flux, query.shape[:-1] + energy.shape)
    seg = np.clip(np.searchsorted(energy, query, side="right") - 1, 0, energy.size - 2)
    j0 = np.take_along_axis(flux, seg, axis=-1)
    j1 = np.take_along_axis(flux, seg + 1, axis=-1)
    e0, e1 = energy[seg], energy[seg + 1]
    power = (j0 > 0) & (j1 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        gamma = np.where(power, np.log(j0 / j1) / np.log(e1 / e0), 0.0)
        value = np.where(power, gamma * j0 * (query / e0) ** -gamma / query, (j0 - j1) / (e1 - e0))
    return np.where((query >= energy[0]) & (query <= energy[-1]), value, 0.0)


def _loglog(x, table, col_x, col_y):
    return np.exp(np.interp(np.log(x), table[:, col_x], table[:, col_y]))


def _reference_sphere(particle, energy, flux, x):
    """Energy deposition [MeV/g/s] at the centre of a sphere of areal density x (...,)."""
    t = dose._pstar()
    xs = np.asarray(x, dtype=float)[..., None]
    ep = EXIT_MEV
    if particle == "p":
        r_exit = _loglog(ep, t, 0, 2)
        rest = r_exit + xs
        e_in = _loglog(np.clip(rest, np.exp(t[0, 2]), np.exp(t[-1, 2])), t, 2, 0)
        e_in = np.where(rest > _loglog(1000.0, t, 0, 2), 1e4, e_in)
        jacobian = _loglog(e_in, t, 0, 1) / _loglog(ep, t, 0, 1)
        integrand = _differential(energy, flux, e_in) * jacobian * _loglog(ep, t, 0, 3)
        return np.trapezoid(integrand, ep, axis=-1)
    epe = ep[ep <= 7.0]

    def katz_penfold(e):
        e = np.clip(e, 1e-3, None)
        return np.where(e <= 2.5, 0.412 * e ** (1.265 - 0.0954 * np.log(e)), 0.530 * e - 0.106)

    def slope(e):
        e = np.clip(e, 1e-3, None)
        return np.where(e <= 2.5, katz_penfold(e) / e * (1.265 - 2 * 0.0954 * np.log(e)), 0.530)

    grid = np.geomspace(1e-3, 20.0, 400)
    e_in = np.interp(katz_penfold(epe) + xs, katz_penfold(grid), grid)
    integrand = (_differential(energy, flux, e_in) * (slope(epe) / slope(e_in))
                 * dose.electron_stopping_power_si_mev_cm2_per_g(epe))
    direct = np.trapezoid(integrand, epe, axis=-1)
    eb = BREMS_MEV
    photons = (_differential(energy, flux, np.broadcast_to(eb, xs.shape[:-1] + eb.shape))
               * 0.5 * eb * dose.bremsstrahlung_yield(eb))
    return direct + (np.trapezoid(photons, eb, axis=-1) * np.exp(-ALUMINIUM_PHOTON_ATTENUATION_CM2_PER_G * xs[..., 0])
                     * SILICON_PHOTON_ENERGY_ABSORPTION_CM2_PER_G)


def _reference(particle, energy, flux, x, geometry):
    """Dose rate [rad/yr] the plain way: sphere, or the slab's direction average of spheres."""
    flux = np.asarray(flux, dtype=float)
    x = np.broadcast_to(np.asarray(x, dtype=float), np.broadcast_shapes(np.shape(x), flux.shape[:-1]))
    if geometry == "sphere":
        return dose.rad_per_yr(_reference_sphere(particle, energy, flux, x))
    total = 0.0
    for mu, w in zip(0.5 * (_NODES + 1.0), 0.5 * _WEIGHTS):
        total = total + w * _reference_sphere(particle, energy, flux, x / mu)
    return dose.rad_per_yr(0.5 * total)


def _random_orbits(rng, rows):
    """Orbit spectra over the whole table: altitude 200-2,000 km, inclination 0-pi, share 0-1."""
    h = rng.uniform(2e5, 2e6, rows)
    inc = rng.uniform(0.0, np.pi, rows)
    share = rng.uniform(0.0, 1.0, rows)
    share[:4] = [0.0, 1.0, 0.0, 1.0]
    return {p: trapped.orbit_spectrum(p, h, inc, share) for p in "pe"}


@pytest.mark.parametrize("geometry", dose.GEOMETRIES)
@pytest.mark.parametrize("particle", ["p", "e"])
def test_kernel_matches_numpy_on_random_orbits(particle, geometry):
    rng = np.random.default_rng(7)
    spec = _random_orbits(rng, 300)[particle]
    x = rng.uniform(0.0, 10.0, 300)
    x[:5] = [0.0, 0.0, 1e-9, 40.0, 300.0]  # no shield, hair-thin, thick, beyond the ranges
    got = dose.dose_rad_per_yr_from_spectrum(particle, spec.energy_mev, spec.integral_flux_per_cm2_s, x, geometry)
    want = _reference(particle, spec.energy_mev, spec.integral_flux_per_cm2_s, x, geometry)
    assert got.shape == (300,)
    assert np.all(want[x < 40.0] > 0.0)  # the comparison is not between zeros
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=0.0)


@pytest.mark.parametrize("geometry", dose.GEOMETRIES)
@pytest.mark.parametrize("particle", ["p", "e"])
def test_kernel_matches_numpy_on_synthetic_spectra(particle, geometry):
    """Random descending spectra with zero tails and flat segments (linear and power-law branches)."""
    rng = np.random.default_rng(11)
    energy = trapped.orbit_spectrum(particle, 5e5, 0.9).energy_mev
    steps = rng.uniform(0.0, 3.0, size=(200, energy.size))
    steps[::5, 3] = 0.0  # flat segment: gamma = 0
    flux = np.exp(rng.uniform(0.0, 20.0, size=(200, 1)) - np.cumsum(steps, axis=-1))
    flux[::2, -4:] = 0.0
    flux[::7, 2:] = 0.0
    x = np.concatenate([[0.0], rng.uniform(0.0, 3.0, 199)])
    got = dose.dose_rad_per_yr_from_spectrum(particle, energy, flux, x, geometry)
    want = _reference(particle, energy, flux, x, geometry)
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=0.0)


def test_kernel_broadcasts_scalars_and_shapes_like_numpy():
    spec = trapped.orbit_spectrum("p", np.array([[4e5], [1.2e6]]), np.array([0.3, 1.0, 1.7]), 0.5)  # (2, 3, n)
    for x in (0.3, np.array([0.0, 0.5, 2.0]), np.full((2, 1), 1.1)):
        for geometry in dose.GEOMETRIES:
            got = dose.dose_rad_per_yr_from_spectrum("p", spec.energy_mev, spec.integral_flux_per_cm2_s, x, geometry)
            assert got.shape == (2, 3)
            want = _reference("p", spec.energy_mev, spec.integral_flux_per_cm2_s, x, geometry)
            np.testing.assert_allclose(got, want, rtol=RTOL, atol=0.0)
    one = trapped.orbit_spectrum("e", 8e5, 1.5)
    got = dose.dose_rad_per_yr_from_spectrum("e", one.energy_mev, one.integral_flux_per_cm2_s, 0.27)
    assert np.shape(got) == ()
    np.testing.assert_allclose(got, _reference("e", one.energy_mev, one.integral_flux_per_cm2_s, 0.27, "sphere"),
                               rtol=RTOL, atol=0.0)
    many = dose.dose_rad_per_yr_from_spectrum("e", one.energy_mev, one.integral_flux_per_cm2_s, np.array([0.1, 1.0]))
    assert many.shape == (2,)
    empty = dose.dose_rad_per_yr_from_spectrum("p", spec.energy_mev, spec.integral_flux_per_cm2_s[:0], 1.0)
    assert empty.shape == (0, 3)


@pytest.mark.parametrize("particle", ["p", "e"])
@pytest.mark.parametrize("geometry", ["sphere", "slab"])
def test_kernel_matches_numpy_on_a_spectrum_from_zero_energy(particle, geometry):
    """An integral spectrum may start at 0 MeV (the total flux): its first segment has spectral index 0
    (``ln(E_1 / 0)`` is infinite) and adds nothing, as in NumPy, instead of ``0 x inf`` = NaN."""
    energy = np.array([0.0, 0.05, 0.5, 2.0, 10.0, 100.0])
    flux = np.array([[9e5, 5e5, 2e5, 4e4, 3e3, 10.0], [6e5, 6e5, 1e5, 1e5, 0.0, 0.0]])
    x = np.array([[0.0], [1e-3], [0.4]])
    got = dose.dose_rad_per_yr_from_spectrum(particle, energy, flux, x, geometry)
    with np.errstate(divide="ignore", invalid="ignore"):
        want = _reference(particle, energy, flux, x, geometry)
    assert np.isfinite(want).all() and (want > 0.0).any()
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=0.0)


@pytest.mark.parametrize("geometry", ["sphere", "slab"])
@pytest.mark.parametrize("offset", [-1e-12, 1e-12, -1.0001e-12, 1.0001e-12, -0.9999e-12, 0.9999e-12])
def test_proton_kernel_matches_numpy_at_the_node_tolerance(offset, geometry):
    """Spectrum energies about ``_NODE_TOL`` (1e-12) in log from the exit energies, which are the incident
    energies without shielding: the segment (and inside/outside the spectrum) is NumPy's at both ends
    of the spectrum, where the log-space and the energy comparisons meet."""
    energy = EXIT_MEV[3::6] * (1.0 + offset)
    flux = np.geomspace(1e7, 1.0, energy.size)
    x = np.array([0.0, 1e-14])
    got = dose.dose_rad_per_yr_from_spectrum("p", energy, flux, x, geometry)
    np.testing.assert_allclose(got, _reference("p", energy, flux, x, geometry), rtol=RTOL, atol=0.0)


@pytest.mark.parametrize("energy", [[[0.1, 1.0, 10.0]], [], 1.0])
def test_spectrum_energies_that_are_not_one_axis_are_a_physics_error(energy):
    """Energies of another shape are a PhysicsError naming energy_mev, not a numba typing error or a
    NumPy reshape error from inside the compiled pass."""
    from orbitaldc.errors import PhysicsError

    for particle in ("p", "e"):
        with pytest.raises(PhysicsError, match="energy_mev"):
            dose.dose_rad_per_yr_from_spectrum(particle, energy, [3.0, 2.0, 1.0], 0.5)


def test_kernel_carries_nan_flux_like_numpy():
    spec = trapped.orbit_spectrum("e", np.array([5e5, 7e5]), 1.0)
    flux = spec.integral_flux_per_cm2_s.copy()
    flux[0, 5] = np.nan
    got = dose.dose_rad_per_yr_from_spectrum("e", spec.energy_mev, flux, 0.5)
    want = _reference("e", spec.energy_mev, flux, 0.5, "sphere")
    assert np.isnan(got[0]) and np.isnan(want[0])
    np.testing.assert_allclose(got[1], want[1], rtol=RTOL, atol=0.0)


def _reference_orbit_flux(particle, h, inc, share):
    """(1 - s) J_min + s J_max, bilinear on the log tables the plain way (broadcast temporaries)."""
    t = trapped._table()
    name = "proton" if particle == "p" else "electron"
    h, inc, share = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (h, inc, share)))
    inc = np.minimum(inc, np.pi - inc)
    alt, grid = t["altitude_m"], trapped.INCLINATION_GRID_RAD
    ph = np.interp(h, alt, np.arange(alt.size))
    pi_ = np.interp(inc, grid, np.arange(grid.size))
    i0 = np.clip(ph.astype(int), 0, alt.size - 2)
    j0 = np.clip(pi_.astype(int), 0, grid.size - 2)
    fh, fi = (ph - i0)[..., None], (pi_ - j0)[..., None]
    parts = []
    for model in ("min", "max"):
        table = t[f"orbit_log_{name}_{model}_per_cm2_s"]
        val = ((1 - fh) * (1 - fi) * table[i0, j0] + fh * (1 - fi) * table[i0 + 1, j0]
               + (1 - fh) * fi * table[i0, j0 + 1] + fh * fi * table[i0 + 1, j0 + 1])
        out = np.exp(val) - 1e-12
        parts.append(np.where(out > 1e-10, out, 0.0))
    return (1.0 - share)[..., None] * parts[0] + share[..., None] * parts[1]


@pytest.mark.parametrize("particle", ["p", "e"])
def test_orbit_spectrum_kernel_matches_numpy(particle):
    """Same interpolation weights and sums; only ``exp`` may differ by an ulp between NumPy's and
    libm's implementations, hence 1e-12 (rows beyond the table are clamped like np.interp)."""
    rng = np.random.default_rng(3)
    h = np.concatenate([[1.5e5, 2e5, 2e6, 2.5e6], rng.uniform(2e5, 2e6, 400)])  # below, at, beyond the table
    inc = np.concatenate([[0.0, np.pi / 2, np.pi, 0.1], rng.uniform(0.0, np.pi, 400)])
    share = rng.uniform(0.0, 1.0, h.size)
    got = trapped.orbit_spectrum(particle, h, inc, share).integral_flux_per_cm2_s
    want = _reference_orbit_flux(particle, h, inc, share)
    assert np.any(want == 0.0) or particle == "p"  # electrons: the AE-8 tail reaches zero flux
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=0.0)
    grid = trapped.orbit_spectrum(particle, np.array([[4e5], [9e5]]), np.array([0.2, 1.7]), 0.25)
    assert grid.integral_flux_per_cm2_s.shape == (2, 2, grid.energy_mev.size)
    np.testing.assert_allclose(grid.integral_flux_per_cm2_s,
                               _reference_orbit_flux(particle, np.array([[4e5], [9e5]]), np.array([0.2, 1.7]), 0.25),
                               rtol=RTOL, atol=0.0)
    assert trapped.orbit_spectrum(particle, 5e5, 0.9).integral_flux_per_cm2_s.ndim == 1
