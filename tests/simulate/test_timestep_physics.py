"""Time-step forms of the physics models (appended to physics/battery, thermal, solar, orbit).

Each is checked against its averaged counterpart or a cited closed form: the battery step
against the eclipse energy of the averaged sizing (SMAD eq. 11-13), the thermal node against the
radiator balance it must settle to, the throttle against its defining equation, the array's
temperature against the thin-plate fourth-root law, the rate of the argument of latitude
against Vallado's two published J2 rates.
"""

from __future__ import annotations

import math

import numba
import numpy as np
import pytest

from orbitaldc.constants import EARTH_J2, EARTH_MU_M3_PER_S2, EARTH_RADIUS_M, STEFAN_BOLTZMANN_W_PER_M2_K4
from orbitaldc.physics.battery import battery_step, eclipse_energy_j
from orbitaldc.physics.orbit import argument_of_latitude_rate_rad_per_s, orbital_period_s
from orbitaldc.physics.solar import array_temperature_k
from orbitaldc.physics.thermal import lumped_node_step, radiator_net_flux_w_per_m2, throttle_factor


def test_battery_step_charge_discharge_and_floor():
    cap, floor = 100.0, 70.0
    energy, short = battery_step(np.array([95.0, 90.0, 71.0, 80.0, 120.0]), np.array([10.0, -5.0, -5.0, 0.0, -1.0]),
                                 1.0, cap, floor, 0.9, 0.8)
    # charge curtailed at full; 5 W for 1 s costs 5/0.8 J; the floor stops the third; energy
    # above a (reduced) capacity counts as full
    assert np.allclose(energy, [100.0, 90.0 - 5.0 / 0.8, 70.0, 80.0, 100.0 - 1.0 / 0.8])
    # third: only (71 - 70) x 0.8 = 0.8 W can be delivered, 4.2 W are short
    assert np.allclose(short, [0.0, 0.0, 4.2, 0.0, 0.0])
    assert battery_step(0.0, -3.0, 1.0, 0.0, 0.0, 0.9, 0.9)[1] == 3.0


def test_battery_steps_through_an_eclipse_use_the_averaged_eclipse_energy():
    """A battery sized by the averaged model (E = P T / eta_d, SMAD eq. 11-13) carries the load
    through exactly that eclipse in steps: it ends at its floor with no shortfall, and one step
    more is short."""
    load, eclipse_s, eta, dt = 25e3, 2100.0, math.sqrt(0.9), 30.0
    usable = float(eclipse_energy_j(load, eclipse_s, eta))
    cap = usable / 0.4
    energy, total_short = cap, 0.0
    for _ in range(int(eclipse_s / dt)):
        energy, short = battery_step(energy, -load, dt, cap, cap - usable, eta, eta)
        total_short += short
    assert total_short == pytest.approx(0.0, abs=1e-6) and energy == pytest.approx(cap - usable, rel=1e-12)
    assert battery_step(energy, -load, dt, cap, cap - usable, eta, eta)[1] == pytest.approx(load)


def _area(heat_w, temperature_k, emittance, absorbed_w_m2):
    return heat_w / float(radiator_net_flux_w_per_m2(temperature_k, emittance, absorbed_w_m2))


def test_lumped_node_settles_at_the_radiator_balance():
    # a radiator sized by the averaged balance (physics.thermal) is a fixed point for any step
    area = _area(10e3, 320.0, 0.9, 93.0)
    for dt in (1.0, 30.0, 3600.0):
        assert float(lumped_node_step(320.0, 10e3, area, 0.9, 93.0, 1e5, dt)) == pytest.approx(320.0, abs=1e-9)


def test_lumped_node_cools_monotonically_without_overshoot():
    area = _area(10e3, 320.0, 0.9, 53.0)
    equilibrium = (53.0 / (0.9 * STEFAN_BOLTZMANN_W_PER_M2_K4)) ** 0.25  # no load: environment only
    tau = 1e5 / (4 * 0.9 * STEFAN_BOLTZMANN_W_PER_M2_K4 * area * equilibrium ** 3)  # ~4,000 s at the end
    for dt in (10.0, 600.0, 1e5):  # from far below to far beyond the time constant
        t = prev = np.float64(320.0)
        for _ in range(int(20 * tau / dt) + 20):
            t = lumped_node_step(t, 0.0, area, 0.9, 53.0, 1e5, dt)
            assert equilibrium - 1e-6 <= t <= prev + 1e-12
            prev = t
        assert float(t) == pytest.approx(equilibrium, rel=1e-3)


def test_throttle_factor():
    out = throttle_factor(np.array([350.0, 358.15, 363.15, 380.0]), 0.0, 358.15, 10.0)
    assert np.allclose(out, [1.0, 1.0, 0.5, 0.0])
    # with a die rise that scales with load the governor settles where x = 1 - (T + x dT - T_lim)/band
    x = float(throttle_factor(330.0, 50.0, 358.15, 10.0))
    assert 0.0 < x < 1.0 and x == pytest.approx(1.0 - (330.0 + x * 50.0 - 358.15) / 10.0)
    assert float(throttle_factor(300.0, 50.0, 358.15, 10.0)) == 1.0
    assert float(throttle_factor(308.15, 50.0, 358.15, 10.0)) == 1.0  # die exactly at the limit


def test_array_temperature_fourth_root_of_incidence():
    # equilibrium (alpha - eta) G cos = eps sigma T^4: at 60 deg incidence T falls by 0.5^(1/4)
    t = array_temperature_k(333.15, np.array([1.0, 0.5, 0.0, -0.2]))
    assert np.allclose(t, [333.15, 333.15 * 0.5 ** 0.25, 0.0, 0.0])


def test_argument_of_latitude_rate_is_vallados_perigee_plus_mean_anomaly_rates():
    """Vallado (2013) eq. 9-41 for e = 0: omega' = 3 n J2 R^2 / (4 a^2) (4 - 5 sin^2 i) and
    M' = n + 3 n J2 R^2 / (4 a^2) (2 - 3 sin^2 i); their sum is the rate of u."""
    for h, inc in ((550e3, math.radians(53.0)), (650e3, math.radians(97.98)), (1200e3, 0.0)):
        a = EARTH_RADIUS_M + h
        n = math.sqrt(EARTH_MU_M3_PER_S2 / a ** 3)
        s2 = math.sin(inc) ** 2
        argp = 3 * n * EARTH_J2 * EARTH_RADIUS_M ** 2 / (4 * a ** 2) * (4 - 5 * s2)
        mean = n + 3 * n * EARTH_J2 * EARTH_RADIUS_M ** 2 / (4 * a ** 2) * (2 - 3 * s2)
        assert float(argument_of_latitude_rate_rad_per_s(h, inc)) == pytest.approx(argp + mean, rel=1e-13)
    # J2 makes the nodal period of a 53-deg, 550 km orbit shorter than the Kepler period by
    # 3/2 J2 (R/a)^2 (3 - 4 sin^2 i) ~ 1e-3 of it (about 5 s of 95.6 min)
    ratio = 2 * math.pi / float(argument_of_latitude_rate_rad_per_s(550e3, math.radians(53.0))) / float(
        orbital_period_s(550e3))
    assert 1 - ratio == pytest.approx(1.5 * EARTH_J2 * (EARTH_RADIUS_M / (EARTH_RADIUS_M + 550e3)) ** 2
                                      * (3 - 4 * math.sin(math.radians(53.0)) ** 2), rel=2e-3)


@pytest.mark.parametrize("function, args", [
    (battery_step, (80.0, -7.5, 30.0, 100.0, 30.0, 0.95, 0.94)),
    (lumped_node_step, (315.0, 2e4, 60.0, 1.6, 120.0, 2e5, 30.0)),
    (throttle_factor, (352.0, 14.0, 358.15, 10.0)),
])
def test_time_step_functions_compile_with_numba_to_the_same_values(function, args):
    """The twin's compiled loop runs these very functions under numba.njit on scalars."""
    compiled = numba.njit(function)
    assert np.allclose(compiled(*args), function(*args), rtol=1e-15, atol=0.0)
