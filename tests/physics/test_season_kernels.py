"""The compiled sizing-day search (physics/_season_kernels.py) against the NumPy algorithm it replaces.

``_reference_worst_array_day`` below is the NumPy formulation of
:func:`orbitaldc.physics.season.worst_array_day` written plainly: ``rows x days`` arrays of beta
angles (:func:`orbitaldc.physics.orbit.beta_from_sun_rad`), eclipses
(:func:`orbitaldc.physics.eclipse.eclipse_fraction`) and array needs
(:func:`orbitaldc.physics.solar.worst_orbit_array_power_w`) over every 8th day, then over the days
within 8 of the two candidates, with ``np.argmax``/``np.argmin``. The kernel must choose the same
day for random orbits of every family over the allowed ranges of the parameter library
(altitude 150-2,000 km, inclination 0-180 deg, local time 0-24 h, round trip 0.5-1), and give that
day's numbers to 1e-12: the kernel only chooses the day and the public functions compute its
numbers, so they agree to the rounding of NumPy's vectorized loops at another array length (in
practice bit for bit). Each compiled formula is also checked against its public function.
"""

from __future__ import annotations

import numpy as np
import pytest

from orbitaldc.constants import EARTH_RADIUS_M, SECONDS_PER_DAY
from orbitaldc.physics import PhysicsError, eclipse, orbit, season, solar
from orbitaldc.physics import _season_kernels as kernels

START_JD = float(orbit.julian_date(2027, 1, 1))
#: The chosen day's numbers: the same public functions compute them on both sides (see module doc).
SAME_NUMBERS = 1e-12
#: The compiled formulas against the public functions: libm's scalar sin/cos/asin/acos against
#: NumPy's vectorized ones differ by an ulp or two, and an arcsine or arccosine near its ends
#: amplifies an ulp of its argument ~1e3 times at most over these ranges.
FORMULA_TOLERANCE = 1e-12


def _reference_coarse_to_fine(value, rows, samples):
    """Every 8th day (and the last), then the days within 8 of the coarse argmax of the need and the
    coarse argmin of |beta| (the NumPy search, as it was before the kernel)."""
    coarse = np.unique(np.r_[np.arange(0, samples, season.COARSE_STRIDE), samples - 1])
    need, beta = value(np.broadcast_to(coarse, (rows, coarse.size)))
    steps = np.arange(-season.COARSE_STRIDE, season.COARSE_STRIDE + 1)
    centres = (coarse[np.argmax(need, axis=-1)], coarse[np.argmin(np.abs(beta), axis=-1)])
    window = np.clip(np.concatenate([c[:, None] + steps for c in centres], axis=-1), 0, samples - 1)
    return window[np.arange(rows), np.argmax(value(window)[0], axis=-1)]


def _reference_worst_array_day(h, kind, jd0, inc, ltan, eta, days=365.25, samples=366):
    """The sizing day from ``rows x days`` NumPy arrays: (eclipse, irradiance factor, need, day)."""
    h, inc, ltan, eta = (np.ravel(x).astype(float) for x in np.broadcast_arrays(h, inc, ltan, eta))
    jd = jd0 + np.linspace(0.0, float(days), int(samples))
    sun, f = orbit.sun_unit_vector(jd), orbit.irradiance_factor(jd)
    declination = np.arcsin(np.clip(np.abs(sun[:, 2]), 0.0, 1.0))
    i, raan = orbit.orbit_geometry(kind, h, jd0, inc, ltan)
    period = orbit.orbital_period_s(h)[:, None]
    tilt = np.minimum(i, np.pi - i)[:, None]
    rate = orbit.nodal_precession_rad_per_s(h, i)[:, None]

    def need(idx):
        if kind == "leo":
            beta = np.maximum(declination[idx] - tilt, 0.0)
        else:
            beta = orbit.beta_from_sun_rad(sun[idx], i[:, None], raan[:, None] + rate * (jd[idx] - jd[0])
                                           * SECONDS_PER_DAY)
        t_e = eclipse.eclipse_fraction(h[:, None], beta) * period
        return t_e, solar.worst_orbit_array_power_w(1.0, t_e, period, eta[:, None]) / f[idx], beta

    idx = _reference_coarse_to_fine(lambda d: need(d)[1:], h.size, jd.size)
    t_e, m, _ = need(idx[:, None])
    return t_e[:, 0], f[idx], m[:, 0], jd[idx]


def _random_orbits(kind, n, seed):
    rng = np.random.default_rng(seed)
    h = rng.uniform(150e3, 2000e3, n)
    inc = rng.uniform(0.0, np.pi, n)
    ltan = rng.choice([6.0, 18.0, 12.0], n) if kind == "terminator" else rng.uniform(0.0, 24.0, n)
    eta = rng.uniform(0.5, 1.0, n)
    return h, inc, ltan, eta


def _assert_same(got, want):
    np.testing.assert_array_equal(got.julian_date.ravel(), want[3])  # the same day
    for g, w in zip(got[:3], want[:3]):
        np.testing.assert_allclose(np.ravel(g), w, rtol=SAME_NUMBERS, atol=0.0)


@pytest.mark.parametrize("kind", ["leo", "sso", "terminator"])
def test_kernel_chooses_the_numpy_searchs_day(kind):
    """5,000 random orbits of each family over the whole allowed range (more than two chunks)."""
    h, inc, ltan, eta = _random_orbits(kind, 5000, {"leo": 1, "sso": 2, "terminator": 3}[kind])
    got = season.worst_array_day(h, kind, START_JD, inc, ltan, eta)
    _assert_same(got, _reference_worst_array_day(h, kind, START_JD, inc, ltan, eta))


@pytest.mark.parametrize("days, samples", [(365.25, 366), (30.0, 31), (3.0, 4), (100.0, 1), (730.5, 731)])
def test_kernel_matches_on_other_spans(days, samples):
    """Spans shorter than a stride, a single sample, two years: same day as NumPy."""
    for kind in ("leo", "sso", "terminator"):
        h, inc, ltan, eta = _random_orbits(kind, 300, 11)
        got = season.worst_array_day(h, kind, START_JD + 17.3, inc, ltan, eta, days=days, samples=samples)
        _assert_same(got, _reference_worst_array_day(h, kind, START_JD + 17.3, inc, ltan, eta, days, samples))


def test_kernel_edge_orbits():
    """No eclipse all year (2,000 km dawn-dusk), an eclipse every day (noon-midnight SSO, a shell
    above the ecliptic's tilt, whose worst plane has beta = 0 daily so only the sunlight picks the
    day), an equatorial and a polar shell, round trip of exactly 1."""
    cases = [(2000e3, "terminator", 0.0, 18.0, 0.9), (150e3, "sso", 0.0, 12.0, 0.9),
             (550e3, "leo", np.radians(53.0), 0.0, 1.0), (550e3, "leo", 0.0, 0.0, 0.7),
             (550e3, "leo", np.pi / 2, 0.0, 0.7), (550e3, "leo", np.pi, 0.0, 0.7)]
    for h, kind, inc, ltan, eta in cases:
        got = season.worst_array_day(h, kind, START_JD, inc, ltan, eta)
        _assert_same(got, _reference_worst_array_day(h, kind, START_JD, inc, ltan, eta))
    no_eclipse = season.worst_array_day(2000e3, "terminator", START_JD, 0.0, 18.0, 0.9)
    assert float(no_eclipse.eclipse_s) == 0.0
    assert float(no_eclipse.array_factor) == pytest.approx(1.0 / season.worst_irradiance_factor(START_JD),
                                                           rel=SAME_NUMBERS)


def test_kernel_keeps_shapes_and_scalars():
    """A scalar gives 0-d results; inputs broadcast to (3, 4) give (3, 4) results equal to the flat
    reference."""
    one = season.worst_array_day(700e3, "sso", START_JD, 0.0, 10.5, 0.9)
    assert all(np.shape(x) == () for x in one)
    h = np.linspace(300e3, 1800e3, 4)[None, :]
    ltan = np.array([[3.0], [10.5], [22.0]])
    got = season.worst_array_day(h, "sso", START_JD, 0.0, ltan, 0.85)
    assert all(np.shape(x) == (3, 4) for x in got)
    _assert_same(got, _reference_worst_array_day(h, "sso", START_JD, 0.0, ltan, 0.85))
    empty = season.worst_array_day(np.empty(0), "leo", START_JD, 0.5, 0.0, 0.9)
    assert all(np.shape(x) == (0,) for x in empty)


def test_kernel_rejects_what_numpy_rejected():
    """Non-finite or out-of-range input raises the same PhysicsError as the NumPy path; an unused
    input (a NaN inclination for a sun-synchronous orbit) is ignored as before."""
    bad = [(np.nan, "sso", 0.0, 10.0, 0.9), (500e3, "leo", np.nan, 0.0, 0.9), (500e3, "sso", 0.0, 25.0, 0.9),
           (500e3, "terminator", 0.0, 18.0, 0.0), (500e3, "terminator", 0.0, 18.0, np.nan),
           (500e3, "terminator", 0.0, 18.0, 1.5), (500e3, "polar", 0.0, 18.0, 0.9)]
    for h, kind, inc, ltan, eta in bad:
        with pytest.raises(PhysicsError) as want:
            _reference_worst_array_day(h, kind, START_JD, inc, ltan, eta)
        with pytest.raises(PhysicsError) as got:
            season.worst_array_day(h, kind, START_JD, inc, ltan, eta)
        assert str(got.value) == str(want.value)
    with pytest.raises(PhysicsError, match="samples = 0 days is too few; allowed: samples >= 1"):
        season.worst_array_day(500e3, "sso", START_JD, 0.0, 10.0, 0.9, samples=0)  # was an IndexError
    got = season.worst_array_day(500e3, "sso", START_JD, np.nan, 10.0, 0.9)
    _assert_same(got, _reference_worst_array_day(500e3, "sso", START_JD, np.nan, 10.0, 0.9))


def test_compiled_beta_is_orbit_beta():
    """Node drift and beta (:func:`node_angle_rad`, :func:`beta_sine`) against
    :func:`orbitaldc.physics.orbit.beta_angle_over_year_rad` on random orbits and days."""
    rng = np.random.default_rng(5)
    h, inc, raan = rng.uniform(150e3, 2000e3, 50), rng.uniform(0, np.pi, 50), rng.uniform(0, 2 * np.pi, 50)
    series = orbit.beta_angle_over_year_rad(h, inc, raan, START_JD)
    sun = orbit.sun_unit_vector(series.julian_date)
    rate = orbit.nodal_precession_rad_per_s(h, inc)
    for k in range(h.size):
        for d in range(0, series.julian_date.size, 7):
            node = kernels.node_angle_rad(raan[k], rate[k], series.julian_date[d] - START_JD, SECONDS_PER_DAY)
            sine = kernels.beta_sine(*sun[d], np.sin(inc[k]), np.cos(inc[k]), np.sin(node), np.cos(node))
            assert np.arcsin(sine) == pytest.approx(series.beta_rad[k, d], abs=FORMULA_TOLERANCE)


def test_compiled_eclipse_and_need_are_the_public_ones():
    """:func:`eclipse_s` (in and out of the shadow) against
    :func:`orbitaldc.physics.eclipse.eclipse_fraction` times the period; :func:`array_need` against
    SMAD eq. 11-5 of :func:`orbitaldc.physics.solar.worst_orbit_array_power_w` over the irradiance
    factor."""
    rng = np.random.default_rng(6)
    h, beta = rng.uniform(150e3, 2000e3, 2000), rng.uniform(-np.pi / 2, np.pi / 2, 2000)
    period = orbit.orbital_period_s(h)
    want = eclipse.eclipse_fraction(h, beta) * period
    edge = np.sqrt(h * h + 2.0 * EARTH_RADIUS_M * h) / (EARTH_RADIUS_M + h)
    got = np.array([kernels.eclipse_s(e, p / np.pi, np.cos(b)) for e, p, b in zip(edge, period, beta)])
    np.testing.assert_allclose(got, want, rtol=FORMULA_TOLERANCE, atol=FORMULA_TOLERANCE * period.max())
    assert np.all((got == 0.0) == (want == 0.0)) and 0.1 < np.mean(want > 0) < 0.9
    assert kernels.eclipse_s(edge[0], period[0] / np.pi, edge[0]) == 0.0  # the shadow's edge itself
    t_e, eta, f = want, rng.uniform(0.5, 1.0, h.size), rng.uniform(0.96, 1.04, h.size)
    got = np.array([kernels.array_need(t, p, e, 1.0 / x) for t, p, e, x in zip(t_e, period, eta, f)])
    # times 1 / f where the public function divides by f: one more rounding, 2 ulp at most
    np.testing.assert_allclose(got, solar.worst_orbit_array_power_w(1.0, t_e, period, eta) / f, rtol=5e-16)
