"""Precomputed year-sunlight surfaces (orbitaldc.physics.sunlight) against the exact computation.

The surfaces interpolate orbitaldc.physics.orbit.year_sunlight (itself checked against Skyfield
and DE421 in test_physics_orbit.py) on a 25 km x 1 deg / 15 min grid. Tolerances are stated per
quantity over random orbits, as the 99th percentile and the maximum of the absolute error, because
the exact year statistics have kinks (an eclipse season that starts or ends inside a grid cell)
that bilinear interpolation rounds off.
"""

from __future__ import annotations

import numpy as np
import pytest

from orbitaldc.physics import orbit, sunlight
from orbitaldc.systems import bottom_up
from orbitaldc.systems.inputs import Orbit

JD0 = float(orbit.julian_date(2027, 1, 1))


def _errors(fast, exact):
    return (np.abs(fast.sun_fraction - exact.sun_fraction), np.abs(fast.max_eclipse_duration_s - exact.max_eclipse_duration_s),
            np.abs(fast.eclipses_per_yr - exact.eclipses_per_yr) / np.maximum(exact.eclipses_per_yr, 500.0))


def test_leo_surface_away_from_sun_synchronous_resonance():
    # Away from the sun-synchronous inclination (+-12 deg) the node sweeps all beta angles within
    # the year and the statistics are smooth in inclination: sun fraction within 0.003 (p99) and
    # 0.006 (max), the longest eclipse within 3 s (p99) and 30 s (max), eclipses per year within 5 %
    # of max(count, 500) (p99).
    rng = np.random.default_rng(3)
    h = rng.uniform(300e3, 1900e3, 1500)
    inc = np.radians(rng.uniform(0.0, 180.0, 1500))
    keep = np.abs(inc - orbit.sun_synchronous_inclination_rad(h)) > np.radians(12.0)
    h, inc = h[keep], inc[keep]
    sun_err, ecl_err, n_err = _errors(sunlight.year_sunlight_fast(h, "leo", JD0, inc), sunlight.year_sunlight(h, "leo", JD0, inc))
    assert np.percentile(sun_err, 99) < 0.003 and sun_err.max() < 0.006
    assert np.percentile(ecl_err, 99) < 3.0 and ecl_err.max() < 30.0
    assert np.percentile(n_err, 99) < 0.05


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
