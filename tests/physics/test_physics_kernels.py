"""The compiled table kernels (physics/_kernels.py) against independent reference implementations.

* The differential spectrum ``-dJ/dE`` against a scalar loop written here from the documented
  formula (power law between table energies, linear fall towards a zero end, 0 outside).
* The multilinear look-ups of the NRLMSIS tables against SciPy's ``RegularGridInterpolator``
  (an independent library) on clamped coordinates, both for the density table and for the decay
  integral table with its carried altitude axis.
* The mission averages (solar-cycle share, mission-average density) against the documented
  midpoint rule written here in NumPy: the activity profile of Hathaway (2015) at the 24 midpoints
  of the span, F10.7 between its extremes, the density from SciPy's interpolation of the table.

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


def _reference_activity(year, minimum_year, period_yr, rise_yr):
    """Raised-cosine rise and decline of the solar cycle (Hathaway 2015, sec. 4), in NumPy."""
    tau = np.mod(year - minimum_year, period_yr)
    rising = 0.5 * (1.0 - np.cos(np.pi * tau / rise_yr))
    falling = 0.5 * (1.0 + np.cos(np.pi * (tau - rise_yr) / (period_yr - rise_yr)))
    return np.where(tau < rise_yr, rising, falling)


def _cycle_rows(rng, n):
    start, years = rng.uniform(2024.0, 2045.0, n), rng.uniform(0.5, 25.0, n)
    minimum, period = rng.uniform(2018.0, 2021.0, n), rng.uniform(9.0, 14.0, n)
    rise = period * rng.uniform(0.3, 0.6, n)
    start[:4] = minimum[:4] + np.array([0.0, 1.0, 2.0, 3.0]) * period[:4]  # spans that start at a minimum
    return start, years, minimum, period, rise


def test_cycle_share_matches_midpoint_rule():
    rng = np.random.default_rng(5)
    start, years, minimum, period, rise = _cycle_rows(rng, 500)
    t = start[:, None] + years[:, None] * (np.arange(24) + 0.5) / 24
    want = _reference_activity(t, minimum[:, None], period[:, None], rise[:, None]).mean(axis=-1)
    got = atmosphere.solar_max_share(start, years, minimum, period, rise)
    # the activity is O(1) and may be 0 at a minimum: an absolute bound of a few ulps of 1
    np.testing.assert_allclose(got, want, rtol=0.0, atol=1e-13)
    # broadcasting: one span against many cycles, and a scalar
    got = atmosphere.solar_max_share(2027.0, 5.0, minimum[:, None], period[:, None], rise[:, None])
    assert got.shape == (500, 1)
    one = atmosphere.solar_max_share(start[7], years[7], minimum[7], period[7], rise[7])
    assert np.ndim(one) == 0 and float(one) == pytest.approx(want[7], abs=1e-13)


def test_cycle_share_is_numpy_mod_arithmetic_for_any_period():
    """Non-positive periods are not physical (the library allows 8-15 yr), but the public function
    accepts them: its share must still be NumPy's ``np.mod`` arithmetic (the remainder takes the
    period's sign; a zero period gives NaN), as the NumPy code it replaced computed."""
    rng = np.random.default_rng(9)
    start, years, minimum, period, rise = _cycle_rows(rng, 300)
    period = np.concatenate([-period[:200], np.zeros(100)])
    t = start[:, None] + years[:, None] * (np.arange(24) + 0.5) / 24
    with np.errstate(invalid="ignore", divide="ignore"):
        want = _reference_activity(t, minimum[:, None], period[:, None], rise[:, None]).mean(axis=-1)
    got = atmosphere.solar_max_share(start, years, minimum, period, rise)
    assert np.isnan(want[200:]).all() and np.isfinite(want[:200]).all()
    # as test_cycle_share_matches_midpoint_rule: O(1) values, a few ulps of 1 (NaN only where NumPy's is)
    np.testing.assert_allclose(got, want, rtol=0.0, atol=1e-13)


def test_mission_average_density_matches_midpoint_rule_over_the_table():
    rng = np.random.default_rng(6)
    n = 400
    t = atmosphere._table()
    axes = (t["altitude_m"], t["f107_sfu"], t["ap"], atmosphere.INCLINATION_GRID_RAD)
    start, years, minimum, period, rise = _cycle_rows(rng, n)
    h, inc, ap = rng.uniform(150e3, 2000e3, n), rng.uniform(0.0, np.pi, n), rng.uniform(2.0, 100.0, n)
    fmin, fmax = rng.uniform(60.0, 80.0, n), rng.uniform(100.0, 300.0, n)
    h[:10], ap[10:20] = rng.choice(axes[0], 10), rng.choice(axes[2], 10)  # on grid nodes
    fmin[20:30] = fmax[20:30]  # a flat cycle
    fmin[30:40], fmax[30:40] = fmax[30:40], fmin[30:40].copy()  # minimum above maximum: allowed, inverted
    times = start[:, None] + years[:, None] * (np.arange(24) + 0.5) / 24
    f = fmin[:, None] + (fmax - fmin)[:, None] * _reference_activity(times, minimum[:, None], period[:, None],
                                                                     rise[:, None])
    folded = np.minimum(inc, np.pi - inc)[:, None]
    want = np.exp(_scipy_lookup(t["log_orbit"], axes, (h[:, None], f, ap[:, None], folded))).mean(axis=-1)
    got = atmosphere.mission_average_density_kg_per_m3(h, inc, start, years, minimum, period, rise, fmin, fmax, ap)
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=0.0)
    # broadcast shapes come back, and the scalar call is the row's value
    grid = atmosphere.mission_average_density_kg_per_m3(h[:3, None], inc[:4], 2027.0, 5.0, 2019.96, 11.0, 4.8,
                                                        70.0, 180.0, 12.0)
    assert grid.shape == (3, 4)
    one = atmosphere.mission_average_density_kg_per_m3(h[5], inc[5], start[5], years[5], minimum[5], period[5],
                                                       rise[5], fmin[5], fmax[5], ap[5])
    assert np.ndim(one) == 0 and float(one) == pytest.approx(want[5], rel=RTOL)


@pytest.mark.parametrize("bad, name", [(dict(fmin=50.0), "f107_min_sfu"), (dict(fmax=320.0), "f107_max_sfu"),
                                       (dict(ap=0.5), "ap"), (dict(h=100e3), "altitude_m")])
def test_mission_average_density_names_the_bad_input(bad, name):
    from orbitaldc.errors import PhysicsError

    v = dict(h=550e3, fmin=70.0, fmax=180.0, ap=12.0) | bad
    with pytest.raises(PhysicsError, match=name):
        atmosphere.mission_average_density_kg_per_m3(v["h"], 0.9, 2027.0, 5.0, 2019.96, 11.0, 4.8, v["fmin"],
                                                     v["fmax"], v["ap"])


@pytest.mark.parametrize("key, value", [("start_year", np.nan), ("start_year", np.inf), ("years", np.nan),
                                        ("years", np.inf), ("minimum_year", np.nan), ("period_yr", 0.0),
                                        ("period_yr", np.nan), ("rise_yr", np.nan)])
def test_mission_average_density_refuses_an_undefined_solar_cycle(key, value):
    """A solar-cycle time input that leaves F10.7 undefined is a PhysicsError naming F10.7 and the
    inputs (the NumPy code raised on ``f107_sfu = nan``), never a silent NaN density."""
    from orbitaldc.errors import PhysicsError

    v = dict(start_year=2027.0, years=5.0, minimum_year=2019.96, period_yr=11.0, rise_yr=4.8) | {key: value}
    with pytest.raises(PhysicsError, match=rf"f107_sfu = nan sfu .*{key} = "):
        atmosphere.mission_average_density_kg_per_m3(np.array([550e3, 600e3]), 0.9, **v, f107_min_sfu=70.0,
                                                     f107_max_sfu=180.0, ap=12.0)


def test_cycle_decay_matches_the_profile_and_drag_functions():
    from orbitaldc.physics import drag

    rng = np.random.default_rng(7)
    n = 600
    h = rng.uniform(150e3, 2000e3, n)
    b = 10 ** rng.uniform(-3.5, -1.0, n)
    allowed = rng.uniform(0.1, 30.0, n) * 3.15576e7
    inc, fmin, fmax, ap = rng.uniform(0.0, np.pi, n), rng.uniform(55.0, 85.0, n), rng.uniform(95.0, 310.0, n), \
        rng.uniform(1.0, 110.0, n)
    grid = atmosphere._table()["altitude_m"]
    h[:10] = rng.choice(grid, 10)  # on nodes, both ends
    h[10:12] = grid[0], grid[-1]
    allowed[12:15] = 0.0, 1e-6, 1e30  # nothing allowed, and more time than the top of the profile needs
    g, integral = atmosphere.cycle_decay_integral(inc, fmin, fmax, ap)
    want_decay = drag.decay_time_from_integral_s(h, b, g, integral)
    want_alt = drag.disposal_altitude_m(allowed, b, g, integral)
    got = atmosphere.cycle_decay(h, b, allowed, inc, fmin, fmax, ap)
    # same interpolation and search; exp of the same sums (libm vs NumPy: an ulp or two)
    np.testing.assert_allclose(got.decay_time_s, want_decay, rtol=RTOL, atol=0.0)
    np.testing.assert_allclose(got.disposal_altitude_m, want_alt, rtol=RTOL, atol=0.0)
    assert got.disposal_altitude_m[14] == grid[-1] and got.disposal_altitude_m[12] == grid[0]
    # broadcasting and a scalar call
    both = atmosphere.cycle_decay(h[:3, None], b[:3, None], allowed[:4], 0.9, 70.0, 180.0, 12.0)
    assert both.decay_time_s.shape == both.disposal_altitude_m.shape == (3, 4)
    one = atmosphere.cycle_decay(h[20], b[20], allowed[20], inc[20], fmin[20], fmax[20], ap[20])
    assert np.ndim(one.decay_time_s) == 0 and float(one.decay_time_s) == pytest.approx(want_decay[20], rel=RTOL)


def test_cycle_decay_refuses_a_non_positive_ballistic_coefficient():
    from orbitaldc.errors import PhysicsError

    with pytest.raises(PhysicsError, match="ballistic_m2_per_kg"):
        atmosphere.cycle_decay(550e3, 0.0, 1e8, 0.9, 70.0, 180.0, 12.0)
