"""Precomputed year-sunlight surfaces (orbitaldc.physics.sunlight) against the exact computation.

The surfaces interpolate orbitaldc.physics.orbit.year_sunlight (itself checked against Skyfield
and DE421 in test_physics_orbit.py) on a 25 km x 2 deg (LEO shell) / 15 min grid. Tolerances are stated per
quantity over random orbits, as the 99th percentile and the maximum of the absolute error, because
the exact year statistics have kinks (an eclipse season that starts or ends inside a grid cell)
that bilinear interpolation rounds off.
"""

from __future__ import annotations

import numpy as np
import pytest

from orbitaldc.physics import orbit, sunlight
from orbitaldc.systems import bottom_up
from orbitaldc.compare import evaluate
from orbitaldc.systems.inputs import Orbit

JD0 = float(orbit.julian_date(2027, 1, 1))


def _errors(fast, exact):
    return (np.abs(fast.sun_fraction - exact.sun_fraction), np.abs(fast.max_eclipse_duration_s - exact.max_eclipse_duration_s),
            np.abs(fast.eclipses_per_yr - exact.eclipses_per_yr) / np.maximum(exact.eclipses_per_yr, 500.0))


def test_leo_shell_surface_at_every_inclination_including_the_sun_synchronous_band():
    # A "leo" shell (nodes spread over 360 deg) is rotation-invariant, so its year statistics are
    # smooth in altitude and inclination, the sun-synchronous band included (a single plane's
    # resonance is gone). Over the allowed altitudes, all inclinations and half the orbits within
    # 12 deg of i_sso the 25 km x 2 deg surface gives the sun fraction within 0.001 (measured 3.4e-4
    # max: bilinear curvature error), the worst longest eclipse within 1 s (measured 0.003 s: it is
    # f_E(h, ~0) x period at every inclination) and eclipses per year within 1 % (p99) and 2 % (max)
    # of max(count, 500) (measured 0.4 % and 1 %: the share of eclipsed orbits has a kink where it
    # reaches one).
    rng = np.random.default_rng(3)
    h = rng.uniform(150e3, 2000e3, 3000)
    inc = np.concatenate([np.radians(rng.uniform(0.0, 180.0, 1500)),
                          orbit.sun_synchronous_inclination_rad(h[1500:]) + np.radians(rng.uniform(-12.0, 12.0, 1500))])
    sun_err, ecl_err, n_err = _errors(sunlight.year_sunlight_fast(h, "leo", JD0, inc),
                                      sunlight.year_sunlight(h, "leo", JD0, inc))
    assert sun_err.max() < 0.001
    assert ecl_err.max() < 1.0
    assert np.percentile(n_err, 99) < 0.01 and n_err.max() < 0.02


def test_sso_and_terminator_surfaces():
    # sun-synchronous by node local time: sun fraction within 0.002 (p99) and 0.004 (max), longest
    # eclipse within 3 s (p99); eclipses per year within 3 % of max(count, 500) at p95 and 6 % at p99
    # (the season boundary moves steeply with the node time near 4 h and 8 h). Dawn-dusk: sun
    # fraction within 5e-4, longest eclipse within 10 s (p99; the eclipse season shrinks to nothing
    # near 1,400 km, a kink inside one 25 km cell).
    rng = np.random.default_rng(4)
    h = rng.uniform(300e3, 1900e3, 1500)
    ltan = rng.uniform(0.0, 24.0, 1500)
    sun_err, ecl_err, n_err = _errors(sunlight.year_sunlight_fast(h, "sso", JD0, ltan_h=ltan),
                                      sunlight.year_sunlight(h, "sso", JD0, ltan_h=ltan))
    assert np.percentile(sun_err, 99) < 0.002 and sun_err.max() < 0.004
    assert np.percentile(ecl_err, 99) < 3.0
    assert np.percentile(n_err, 95) < 0.03 and np.percentile(n_err, 99) < 0.06
    sun_err, ecl_err, _ = _errors(sunlight.year_sunlight_fast(h, "terminator", JD0),
                                  sunlight.year_sunlight(h, "terminator", JD0))
    assert sun_err.max() < 5e-4 and np.percentile(ecl_err, 99) < 10.0


def test_surfaces_at_array_speed_and_used_for_many_orbits():
    # the chain switches to the surfaces above EXACT_SUNLIGHT_LIMIT distinct orbits; the result
    # keeps the input's shape and agrees with the exact value within the stated tolerance
    h = np.linspace(500e3, 1200e3, bottom_up.EXACT_SUNLIGHT_LIMIT + 36)
    o = Orbit(orbit_type="terminator", altitude_m=h, inclination_rad=0.0, ltan_h=18.0, mission_start_year=2027)
    ys = bottom_up.sunlight(o)
    exact = sunlight.year_sunlight(h, "terminator", JD0)
    assert ys.sun_fraction.shape == h.shape
    np.testing.assert_allclose(ys.sun_fraction, exact.sun_fraction, atol=5e-4)


def test_unknown_family_is_the_orbit_modules_error():
    from orbitaldc.errors import PhysicsError
    with pytest.raises(PhysicsError, match="orbit_type"):
        sunlight.year_sunlight_fast(650e3, "molniya", JD0)


def _dense_orbits(family):
    """(altitudes, inclinations or node times) at altitude cell midpoints, where interpolation errs most."""
    mid = sunlight.ALTITUDE_GRID_M[:-1:2] + 12.5e3
    if family == "terminator":
        return np.meshgrid(mid, [6.0, 18.0], indexing="ij")
    if family == "sso":
        return np.meshgrid(mid, np.arange(0.013, 24.0, 0.61), indexing="ij")
    h, x = np.meshgrid(mid, np.arange(-12.3, 12.3, 0.37), indexing="ij")
    band = orbit.sun_synchronous_inclination_rad(h) + np.radians(x)
    h2, wide = np.meshgrid(mid, np.radians(np.arange(0.3, 180.0, 5.1)), indexing="ij")
    return np.concatenate([h.ravel(), h2.ravel()]), np.concatenate([band.ravel(), wide.ravel()])


@pytest.mark.parametrize("family", ["leo", "sso", "terminator"])
def test_batch_and_one_by_one_agree_for_every_orbit(family):
    # A batch of more than EXACT_SUNLIGHT_LIMIT distinct orbits is read from the surfaces; one orbit
    # alone is computed exactly. For every orbit of a dense grid (altitude cell midpoints; every
    # inclination incl. the sun-synchronous band, node time or dawn/dusk) the two agree within the
    # surfaces' largest errors: sun fraction 0.006, longest eclipse 30 s, eclipses per year 25 % of
    # max(count, 500) (the share of eclipsed orbits jumps where a season boundary crosses a 25 km
    # altitude cell; 5 % at p99 above).
    h, x = (np.ravel(a) for a in _dense_orbits(family))
    assert np.unique(np.stack([h, x]), axis=1).shape[1] > bottom_up.EXACT_SUNLIGHT_LIMIT
    key = "inclination_rad" if family == "leo" else "ltan_h"
    base = {"orbit_type": family, "inclination_rad": 0.0, "ltan_h": 18.0, "mission_start_year": 2027}
    batch = bottom_up.sunlight(Orbit(**{**base, "altitude_m": h, key: x}))
    singles = [bottom_up.sunlight(Orbit(**{**base, "altitude_m": float(a), key: float(b)})) for a, b in zip(h, x)]
    one = sunlight.YearSunlight(*(np.array([float(s[k]) for s in singles]) for k in range(len(singles[0]))))
    sun_err, ecl_err, n_err = _errors(batch, one)
    assert sun_err.max() < 0.006 and ecl_err.max() < 30.0 and n_err.max() < 0.25


def test_evaluate_batch_and_single_agree_near_sun_synchronous():
    # the reported case: 100 LEO orbits at 600-700 km and 92-104 deg in one batch against each alone;
    # sun fraction within 0.006, longest eclipse within 30 s (the surfaces' largest errors) and the
    # cost per GPU-hour within 1 % (array and battery scale about as 1/sun fraction: 0.006/0.7)
    over = {"orbit_type": "leo", "mass_model": "bottom_up", "sun_fraction_model": "orbit",
            "altitude_m": np.linspace(600e3, 700e3, 100), "inclination_rad": np.radians(np.linspace(92.0, 104.0, 100))}
    b = evaluate("reference-1gw-terminator", over).orbital
    for i in range(100):
        s = evaluate("reference-1gw-terminator", {**over, "altitude_m": float(over["altitude_m"][i]),
                                                  "inclination_rad": float(over["inclination_rad"][i])}).orbital
        assert abs(b.sun_fraction[i] - float(s.sun_fraction)) < 0.006, i
        eclipse = b.design.environment.max_eclipse_duration_s[i], float(s.design.environment.max_eclipse_duration_s)
        assert abs(eclipse[0] - eclipse[1]) < 30.0, i
        assert abs(b.lcoc_usd_per_gpu_hour[i] / float(s.lcoc_usd_per_gpu_hour) - 1.0) < 0.01, i
