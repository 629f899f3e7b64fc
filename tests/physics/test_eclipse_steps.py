"""The share of a time step in sunlight (what the twin's array and battery see per step).

:func:`orbitaldc.physics.eclipse.mean_sunlit_fraction` of the conical shadow coordinate at a
step's two ends against the Montenbruck & Gill conical shadow (:func:`shadow_fraction`, the
overlap of two discs) integrated along the orbit by fine quadrature, an independent formula:
the steps converge to it as ``O(dt^2)`` down to the straight-limb approximation of the penumbra
(a few 1e-6 of the orbit), where sampling each step at one end errs by up to a step per eclipse
edge (``O(dt)``).
"""

from __future__ import annotations

import numpy as np
import pytest

from orbitaldc.constants import AU_M, EARTH_RADIUS_M
from orbitaldc.physics.eclipse import mean_sunlit_fraction, shadow_coordinate, shadow_fraction
from orbitaldc.physics.orbit import orbital_period_s

ALTITUDE_M = 550e3
#: Start phases of the steps along the orbit (the error depends on where the edges fall).
PHASES = np.linspace(0.0, 2.0 * np.pi, 13, endpoint=False)


def _orbit(u):
    """Circular orbit in the x-y plane, ``u`` from the anti-sun meridian (the sun at +x, tilted by beta)."""
    r = EARTH_RADIUS_M + ALTITUDE_M
    return np.stack([-r * np.cos(u), r * np.sin(u), np.zeros_like(u)], axis=-1)


def _sun(beta_deg):
    b = np.radians(beta_deg)
    return AU_M * np.array([np.cos(b), 0.0, np.sin(b)])


def _exact_sunlit(beta_deg):
    """Orbit-average unobscured disc share: midpoint rule on 200,000 points of one period. The
    integrand is periodic and smooth but for ``(1 - x^2)^(3/2)`` corners at the penumbra's edges,
    so the rule errs by ~(2 pi / 2e5)^2.5, far below the tolerances."""
    m = 200_000
    u = (np.arange(m) + 0.5) * 2.0 * np.pi / m
    return 1.0 - float(shadow_fraction(_orbit(u), _sun(beta_deg)).mean())


def _stepped_sunlit_error(beta_deg, step_s):
    """Largest error over the start phases of the orbit's mean sunlit share from steps of about
    ``step_s`` (a whole number of steps per period)."""
    period = float(orbital_period_s(ALTITUDE_M))
    steps = int(round(period / step_s))
    exact = _exact_sunlit(beta_deg)
    errors = []
    for phase in PHASES:
        x = shadow_coordinate(_orbit(phase + 2.0 * np.pi * np.arange(steps + 1) / steps), _sun(beta_deg))
        errors.append(abs(float(mean_sunlit_fraction(x[:-1], x[1:]).mean()) - exact))
    return max(errors)


@pytest.mark.parametrize("beta_deg", [0.0, 50.0, 60.0])
def test_stepped_sunlit_fraction_converges_to_the_conical_shadow(beta_deg):
    """Beta 0 (the longest eclipse, 37 % of the orbit), 50 and 60 deg (penumbrae 2-3 times longer
    as the orbit cuts the shadow's edge obliquely). Tolerances, fractions of the orbit:
    60 s 2e-4 (1.1 s per orbit), 30 s 5e-5 (0.3 s per orbit; measured 1e-6 to 4e-5),
    5 s 3e-6 (the floor: the penumbra's straight-limb approximation, measured 7e-7 to 1.3e-6).
    The old scheme, each step wholly as its start, errs by 1.9e-3 at 30 s and beta 0."""
    e60, e30, e10, e5 = (_stepped_sunlit_error(beta_deg, dt) for dt in (60.0, 30.0, 10.0, 5.0))
    assert e60 < 2e-4 and e30 < 5e-5 and e5 < 3e-6
    if beta_deg > 0.0:  # above the floor the error is second order: halving the step quarters it
        assert e30 < e60 / 3.0 and e10 < e30 / 3.0


def test_mean_sunlit_fraction_limits():
    """Both ends sunlit: 1 exactly; both in the umbra: 0 exactly; the penumbra crossed within a
    step: the share on the sunlit side of ``x = 0`` by linear interpolation (the hidden share
    ``h(x)`` has ``h(x) + h(-x) = 1``, so a whole penumbra counts as its midpoint); a step wholly
    in the penumbra at ``x`` = const: the circular-segment area, 1/2 at ``x = 0``."""
    x0 = np.array([1.0, 7.0, -1.0, -9.0, 3.0, -2.0, 0.0, 0.5])
    x1 = np.array([5.0, 1.0, -4.0, -1.0, -1.0, 6.0, 0.0, 0.5])
    got = mean_sunlit_fraction(x0, x1)
    segment = 1.0 - (np.arccos(0.5) - 0.5 * np.sqrt(0.75)) / np.pi  # unit disc's segment beyond a chord at 1/2
    np.testing.assert_allclose(got, [1.0, 1.0, 0.0, 0.0, 3.0 / 4.0, 6.0 / 8.0, 0.5, segment], rtol=0, atol=1e-15)
    # symmetry of the occulted disc: a step from x0 to x1 and its mirror image sum to 1
    rng = np.random.default_rng(1)
    a, b = rng.uniform(-2.0, 2.0, (2, 1000))
    np.testing.assert_allclose(mean_sunlit_fraction(a, b) + mean_sunlit_fraction(-a, -b), 1.0, atol=1e-12)
