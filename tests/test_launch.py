"""Launch pricing, counts and Wright's law."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate

from orbitaldc import launch
from orbitaldc.errors import OrbitaldcError


def test_wright_twenty_percent_per_doubling():
    # Wright (1936): each doubling of cumulative quantity multiplies the price by (1 - LR).
    assert launch.wright_exponent(0.2) == pytest.approx(-np.log2(0.8))
    p = launch.wright_price_usd_per_kg(1000.0, np.array([1.0, 2.0, 4.0]) * 1e6, 1e6, 0.2)
    np.testing.assert_allclose(p, [1000.0, 800.0, 640.0], rtol=1e-12)


def test_wright_floor():
    p = launch.wright_price_usd_per_kg(1000.0, 1e12, 1e6, 0.2, floor_usd_per_kg=100.0)
    assert float(p) == 100.0


@pytest.mark.parametrize("lr,floor", [(0.2, 0.0), (0.2, 700.0), (0.35, 300.0), (0.5, 0.0), (0.0, 0.0)])
def test_average_price_matches_numerical_integral(lr, floor):
    m0, m, p0 = 1e6, 5e6, 1000.0
    f = lambda x: float(launch.wright_price_usd_per_kg(p0, x, m0, lr, floor))  # noqa: E731
    expected = integrate.quad(f, m0, m0 + m, limit=200)[0] / m
    got = float(launch.average_wright_price_usd_per_kg(p0, m, m0, lr, floor))
    assert got == pytest.approx(expected, rel=1e-6)  # quad accuracy on the kinked integrand


def test_launch_count_exact_multiple_and_ceil():
    np.testing.assert_array_equal(launch.launch_count([200000.0, 200001.0, 1.0], 100000.0), [2, 3, 1])
    # McCalip: 29.39 Mkg in 100 t Starship launches -> 294
    assert float(launch.launch_count(29.39e6, 1e5)) == 294


def test_vehicle_catalog_and_errors():
    f9 = launch.vehicle("falcon9")
    # REFERENCES sec. 6: Falcon 9 about $74M for 22,000 kg (~$3,400/kg)
    assert f9.price_usd_per_kg == pytest.approx(3400, rel=0.02)
    with pytest.raises(OrbitaldcError, match="allowed"):
        launch.vehicle("saturn_v")


def test_deployment_years():
    assert float(launch.deployment_years(294, 134)) == pytest.approx(294 / 134)
