"""The compiled table kernels (physics/_kernels.py) against independent reference implementations.

* The differential spectrum ``-dJ/dE`` against a scalar loop written here from the documented
  formula (power law between table energies, linear fall towards a zero end, 0 outside).
* The multilinear look-ups of the NRLMSIS tables against SciPy's ``RegularGridInterpolator``
  (an independent library) on clamped coordinates, both for the density table and for the decay
  integral table with its carried altitude axis.

Tolerance: 1e-12 relative. Both sides evaluate the same closed forms in double precision with
differently ordered operations (SciPy sums the corners in another order; ``pow`` against the
scalar ``**``), so they differ by a few ulps (~1e-15); 1e-12 leaves room for that and nothing else.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.interpolate import RegularGridInterpolator

from orbitaldc.physics import atmosphere, dose

#: relative agreement required (a few ulps of rounding, see the module docstring)
RTOL = 1e-12


def _reference_differential(energy, flux, query):
    """-dJ/dE at each query, one scalar at a time (the textbook piecewise power law)."""
    out = np.zeros(np.broadcast_shapes(flux.shape[:-1], query.shape[:-1]) + query.shape[-1:])
    flux = np.broadcast_to(flux, out.shape[:-1] + flux.shape[-1:])
    query = np.broadcast_to(query, out.shape)
    for index in np.ndindex(out.shape):
        e = query[index]
        if not energy[0] <= e <= energy[-1]:
            continue
        seg = max(0, min(len(energy) - 2, int(np.sum(energy <= e)) - 1))
        lo, hi = flux[index[:-1]][seg], flux[index[:-1]][seg + 1]
        e_lo, e_hi = energy[seg], energy[seg + 1]
        if lo > 0 and hi > 0:
            slope = math.log(lo / hi) / math.log(e_hi / e_lo)
            out[index] = slope * lo * (e / e_lo) ** -slope / e
        else:
            out[index] = (lo - hi) / (e_hi - e_lo)
    return out


def _random_spectra(rng, rows, n, dead_tail):
    """Descending integral spectra; the last ``dead_tail`` energies of some rows have zero flux."""
    steps = rng.uniform(0.05, 3.0, size=(rows, n))
    flux = np.exp(rng.uniform(0.0, 20.0, size=(rows, 1)) - np.cumsum(steps, axis=-1))
    flux[::2, n - dead_tail:] = 0.0
    return flux


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_differential_matches_scalar_reference(seed):
    rng = np.random.default_rng(seed)
    energy = np.sort(rng.uniform(0.04, 400.0, 19))
    flux = _random_spectra(rng, 6, energy.size, dead_tail=3)
    inside = np.exp(rng.uniform(np.log(energy[0]), np.log(energy[-1]), size=(6, 40)))
    # table energies (every segment edge, both ends), below and above the table
    edges = np.broadcast_to(energy, (6, energy.size))
    outside = np.broadcast_to([0.0, energy[0] * 0.999, energy[-1] * 1.001, 1e9], (6, 4))
    query = np.concatenate([inside, edges, outside], axis=-1)
    got = dose._differential(energy, flux, query)
    want = _reference_differential(energy, flux, query)
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=0.0)
    assert np.all(got[:, -4:] == 0.0)  # outside the table
    assert np.any(got[::2] < 0.0) or np.any(got[::2] > 0.0)  # the zero-flux rows take the linear branch


def test_differential_broadcasts_like_the_reference():
    rng = np.random.default_rng(7)
    energy = np.geomspace(0.1, 400.0, 24)
    flux = _random_spectra(rng, 1, energy.size, dead_tail=4)  # one spectrum, many query rows
    query = np.exp(rng.uniform(np.log(0.05), np.log(500.0), size=(3, 5, 64)))
    got = dose._differential(energy, flux, query)
    assert got.shape == (3, 5, 64)
    np.testing.assert_allclose(got, _reference_differential(energy, flux, query), rtol=RTOL, atol=0.0)
    assert dose._differential(energy, flux, np.zeros((0, 64))).shape == (0, 64)


def _scipy_lookup(table, axes, points):
    """SciPy's multilinear interpolation at coordinates clamped to each axis."""
    clamped = [np.clip(p, g[0], g[-1]) for p, g in zip(np.broadcast_arrays(*points), axes)]
    flat = np.stack([c.ravel() for c in clamped], axis=-1)
    out = RegularGridInterpolator(axes, table, method="linear")(flat)
    return out.reshape(clamped[0].shape + table.shape[len(axes):])


def test_density_matches_scipy_interpolation():
    rng = np.random.default_rng(3)
    t = atmosphere._table()
    axes = (t["altitude_m"], t["f107_sfu"], t["ap"], atmosphere.INCLINATION_GRID_RAD)
    n = 400
    h = rng.uniform(150e3, 2000e3, n)
    f = rng.uniform(60.0, 300.0, n)
    a = rng.uniform(2.0, 100.0, n)
    i = rng.uniform(0.0, np.pi / 2, n)
    # grid nodes and both ends of every axis
    h[:20], f[20:40], a[40:60], i[60:80] = (rng.choice(g, 20) for g in axes)
    h[80:82], f[82:84], a[84:86], i[86:88] = (150e3, 2000e3), (60.0, 300.0), (2.0, 100.0), (0.0, np.pi / 2)
    got = atmosphere.density_kg_per_m3(h, f, a, i)
    want = np.exp(_scipy_lookup(t["log_orbit"], axes, (h, f, a, i)))
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=0.0)
    # broadcast rows x time samples (the mission average's shape)
    got = atmosphere.density_kg_per_m3(h[:, None], f[:24], a[:, None], i[:, None])
    want = np.exp(_scipy_lookup(t["log_orbit"], axes, (h[:, None], f[:24], a[:, None], i[:, None])))
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=0.0)


def test_decay_integral_matches_scipy_interpolation_with_out_of_table_drivers():
    rng = np.random.default_rng(4)
    axes = (atmosphere._DECAY_F107_MIN, atmosphere._DECAY_F107_MAX, atmosphere._DECAY_AP,
            atmosphere.INCLINATION_GRID_RAD)
    n = 300
    fmin, fmax = rng.uniform(50.0, 90.0, n), rng.uniform(90.0, 320.0, n)  # beyond the table: clamped
    ap, inc = rng.uniform(1.0, 120.0, n), rng.uniform(0.0, np.pi, n)
    fmin[:3], fmax[3:6], ap[6:9] = axes[0], axes[1][:3], axes[2][:3]
    _, got = atmosphere.cycle_decay_integral(inc, fmin, fmax, ap)
    folded = np.minimum(inc, np.pi - inc)
    want = np.exp(_scipy_lookup(atmosphere._decay_table(), axes, (fmin, fmax, ap, folded)))
    assert got.shape == (n, want.shape[-1] + 1)
    assert np.all(got[:, 0] == 0.0)
    np.testing.assert_allclose(got[:, 1:], want, rtol=RTOL, atol=0.0)
    _, one = atmosphere.cycle_decay_integral(inc[0], fmin[0], fmax[0], ap[0])  # a scalar query
    np.testing.assert_allclose(one, got[0], rtol=RTOL, atol=0.0)
