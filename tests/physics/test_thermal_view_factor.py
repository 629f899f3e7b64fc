"""Radiator Earth view factor from geometry (checked by Monte Carlo ray tracing), one consistent
environment on every emitting face, and Starcloud's 633 W/m2 from Starcloud's own decomposition."""

from __future__ import annotations

import numpy as np
import pytest

from orbitaldc.constants import EARTH_RADIUS_M, SOLAR_CONSTANT_W_PER_M2, STEFAN_BOLTZMANN_W_PER_M2_K4
from orbitaldc.errors import PhysicsError
from orbitaldc.physics import thermal

from field_reference import ray_traced_view_factor


@pytest.mark.parametrize("altitude_km", [400.0, 650.0, 2000.0])
@pytest.mark.parametrize("angle_deg", [0.0, 30.0, 60.0, 90.0, 110.0, 150.0])
def test_earth_view_factor_matches_ray_tracing(altitude_km, angle_deg):
    # 400,000 rays: the binomial standard error of a fraction F is sqrt(F (1 - F) / N) <= 0.0008,
    # so 0.004 absolute is five standard errors (a fixed seed keeps the test deterministic)
    rng = np.random.default_rng(12)
    traced = ray_traced_view_factor(altitude_km * 1e3, np.radians(angle_deg), 400_000, rng)
    exact = float(thermal.earth_view_factor_plate(altitude_km * 1e3, np.radians(angle_deg)))
    assert exact == pytest.approx(traced, abs=0.004)


def test_earth_view_factor_limits_and_broadcast():
    # facing the Earth: (R / r)^2 (Howell B-12, fully visible sphere); facing zenith: 0
    h = np.array([500e3, 1000e3])
    np.testing.assert_allclose(thermal.earth_view_factor_plate(h, 0.0), (EARTH_RADIUS_M / (EARTH_RADIUS_M + h)) ** 2,
                               rtol=1e-12)
    assert np.all(thermal.earth_view_factor_plate(h, np.pi) == 0.0)
    f = thermal.earth_view_factor_plate(h[:, None], np.radians([0.0, 45.0, 90.0, 135.0])[None, :])
    assert f.shape == (2, 4) and np.all(np.diff(f, axis=1) < 0)  # turning away from the Earth
    assert np.all(np.diff(f, axis=0)[:, 2] < 0)  # an edge-on plate sees less Earth from higher up
    with pytest.raises(PhysicsError, match="nadir_angle_rad"):
        thermal.earth_view_factor_plate(650e3, 4.0)


def test_two_faces_count_the_earth_once_each():
    # a panel containing the local vertical: both faces edge-on, each sees F(pi/2); one face
    # towards the Earth and the other to zenith: F(0) + F(pi) = F(0)
    h = 650e3
    f90 = float(thermal.earth_view_factor_plate(h, np.pi / 2))
    two = thermal.radiator_absorbed_flux_w_per_m2(h, np.pi / 2, 2, 0.2, 0.9, 1361.0, 0.3, 239.0)
    assert float(two) == pytest.approx(2 * f90 * (0.2 * 0.3 * 1361.0 + 0.9 * 239.0), rel=1e-12)
    one = thermal.radiator_absorbed_flux_w_per_m2(h, np.pi, 1, 0.2, 0.9, 1361.0, 0.3, 239.0)
    assert float(one) == 0.0  # a zenith-facing single face sees no Earth


def test_starcloud_633_from_starcloud_decomposition():
    # Starcloud white paper v1.03 (2024), radiator section: a 1 m2 plate at 20 C radiating from
    # both faces emits ~770 W (emissivity 0.92: 2 x 0.92 x sigma x 293.15^4 = 770.5 W), absorbs
    # ~123 W of sunlight on its front (absorptivity 0.09 x 1361) and ~14 W from the Earth (view
    # factor 0.25, albedo 0.3: 0.09 x 0.3 x 1361 x 0.25 = 9.2 W of albedo plus 0.25 x 239 W/m2 of
    # Earth IR absorbed at their solar absorptivity 0.09 = 5.4 W), net ~633 W/m2. Reproduced term
    # by term with Starcloud's choices (one face sees the sun and the Earth; IR absorbed at 0.09).
    # 1 % covers the solar constant and OLR they do not state (1361 W/m2, CERES 239 W/m2).
    emitted = thermal.radiator_net_flux_w_per_m2(293.15, 0.92, 0.0, sides=2)
    assert float(emitted) == pytest.approx(770.0, rel=0.01)
    absorbed = thermal.absorbed_environment_flux_w_per_m2(0.09, 0.92, SOLAR_CONSTANT_W_PER_M2, 0.3, 239.0, 0.25,
                                                          sun_incidence=1.0, ir_absorptivity=0.09)
    assert float(absorbed) == pytest.approx(123.0 + 14.0, rel=0.02)
    net = thermal.radiator_net_flux_w_per_m2(293.15, 0.92, absorbed, sides=2)
    assert float(net) == pytest.approx(633.0, rel=0.01)
    # Kirchhoff: a grey surface absorbs Earth IR at its IR emissivity (0.92, not 0.09), which
    # Starcloud's decomposition leaves out: 0.92 x 0.25 x 239 = 55 W/m2 more, net ~583 W/m2
    consistent = thermal.radiator_net_flux_w_per_m2(
        293.15, 0.92, thermal.absorbed_environment_flux_w_per_m2(0.09, 0.92, SOLAR_CONSTANT_W_PER_M2, 0.3, 239.0, 0.25,
                                                                 sun_incidence=1.0), sides=2)
    expected = 2 * 0.92 * STEFAN_BOLTZMANN_W_PER_M2_K4 * 293.15 ** 4 - 0.09 * 1361.0 - 0.25 * (0.09 * 0.3 * 1361.0
                                                                                                 + 0.92 * 239.0)
    assert float(consistent) == pytest.approx(expected, rel=1e-12)
    assert float(consistent) < float(net) - 40.0
