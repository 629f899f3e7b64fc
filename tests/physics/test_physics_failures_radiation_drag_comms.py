"""Reliability, radiation, drag and comms sub-models against cited values (JPL/Turyshev 2026,
Google Suncatcher 2025, Young 1974, Vallado 2013 Table 8-4, SMAD 3rd ed.)."""

from __future__ import annotations

import numpy as np
import pytest

from orbitaldc.constants import EARTH_RADIUS_M, STANDARD_GRAVITY_M_PER_S2
from orbitaldc.errors import PhysicsError
from orbitaldc.physics import comms, drag, radiation, reliability


def test_jpl_lifetime_penalty():
    # Turyshev (2026): lambda T / (1 - exp(-lambda T)); at 9 %/yr over 5 yr: 0.45 / 0.3624 = 1.2418
    assert reliability.lifetime_penalty(0.09, 5) == pytest.approx(1.24182, rel=1e-5)
    p = reliability.lifetime_penalty(np.array([0.0, 1e-6, 0.2]), np.array([[5.0], [10.0]]))
    assert p.shape == (2, 3)
    assert np.all(p[:, 0] == 1.0)
    assert p[0, 1] == pytest.approx(1 + 5e-6 / 2, rel=1e-9)  # small-x limit 1 + lambda T / 2
    with pytest.raises(PhysicsError, match="failure_rate_per_yr"):
        reliability.lifetime_penalty(-0.1, 5)


def test_survival_models():
    # O'Connor & Kleyner ch. 2: Weibull with shape 1 is the exponential with rate 1 / eta
    t = np.linspace(0, 10, 11)
    np.testing.assert_allclose(reliability.survival_weibull(t, 8.0, 1.0), reliability.survival_exponential(1 / 8, t))
    assert reliability.survival_weibull(8.0, 8.0, 3.0) == pytest.approx(np.exp(-1))
    assert reliability.spares_factor(0.1, 5) == pytest.approx(np.exp(0.5))
    assert reliability.spares_factor(0.1, 5, "average") == pytest.approx(reliability.lifetime_penalty(0.1, 5))
    # delivered compute-years x lifetime penalty = installed x years (definition of the penalty)
    assert reliability.delivered_compute_years(100.0, 0.09, 5) * reliability.lifetime_penalty(0.09, 5) == pytest.approx(500.0)




def test_shielding_mass():
    # 1 m2 of 10 mm aluminium (2,700 kg/m3, CRC Handbook) weighs 27 kg
    assert radiation.shielding_mass_kg(1.0, 0.01, 2700.0) == pytest.approx(27.0)


def test_young_daly_checkpointing():
    # Young (1974): tau = sqrt(2 C M); C = 60 s, M = 1 day -> 3,220 s; first-order waste ~ 2 sqrt(C / 2M)
    assert radiation.young_daly_interval_s(60.0, 86400.0) == pytest.approx(3219.9, rel=1e-4)
    w = radiation.checkpoint_overhead_fraction(60.0, 86400.0)
    assert w == pytest.approx(2 * np.sqrt(60 / (2 * 86400)), rel=1e-9)
    assert radiation.checkpoint_overhead_fraction(60.0, 1.0) == 1.0  # capped


def test_dose_margin_suncatcher_hbm():
    # Suncatcher (arXiv:2511.19468): 750 rad(Si) in 5 years; HBM irregularities after 2 krad(Si)
    # -> margin 2000 / 750 = 2.67 and 13.3 years to the limit (exact arithmetic)
    assert radiation.dose_margin(2000.0, 150.0, 5) == pytest.approx(2.6667, rel=1e-4)
    assert radiation.years_to_dose_limit(2000.0, 150.0) == pytest.approx(13.333, rel=1e-4)
    assert radiation.years_to_dose_limit(2000.0, 0.0) == np.inf


def test_exponential_atmosphere_table():
    # Vallado (2013) Table 8-4 (CIRA-72): 400 km 3.725e-12 kg/m3 (base value, exact); 450 km via
    # the 400 km band: 3.725e-12 exp(-50/58.515) = 1.585e-12 within the table's 4 digits.
    assert drag.density_kg_per_m3(400e3) == pytest.approx(3.725e-12)
    assert drag.density_kg_per_m3(450e3) == pytest.approx(1.585e-12, rel=2e-3)
    rho = drag.density_kg_per_m3(np.linspace(150e3, 1000e3, 50), solar_activity_factor=np.array([[1.0], [3.0]]))
    assert rho.shape == (2, 50) and np.all(np.diff(rho, axis=1) < 0)
    np.testing.assert_allclose(rho[1], 3 * rho[0])


def test_rocket_equation_and_drag_scaling():
    # Tsiolkovsky: dv = Isp g0 ln 2 doubles the mass -> propellant = dry mass
    assert drag.propellant_mass_kg(1000.0, 1500.0 * STANDARD_GRAVITY_M_PER_S2 * np.log(2), 1500.0) == pytest.approx(1000.0)
    a1 = drag.delta_v_per_yr_m_per_s(400e3, 2.2, 10.0, 1000.0)
    assert drag.delta_v_per_yr_m_per_s(400e3, 2.2, 20.0, 1000.0) == pytest.approx(2 * a1)
    # SMAD Table 8-3 order of magnitude: tens of m/s per year at 400 km for ~50-100 kg/m2 ballistic coefficient
    assert 5 < a1 < 100
    t = drag.decay_time_s(np.array([300e3, 400e3, 500e3]), 2.2, 10.0, 1000.0)
    assert np.all(np.diff(t) > 0)
    np.testing.assert_allclose(drag.decay_time_s(400e3, 2.2, 10.0, 2000.0), 2 * t[1], rtol=1e-12)
    with pytest.raises(PhysicsError, match="mass_kg"):
        drag.drag_acceleration_m_per_s2(400e3, 2.2, 10.0, 0.0)


def test_contact_time_and_gamma():
    # SMAD sec. 5.2: at 0 deg elevation the Earth central angle is arccos(R / (R + h))
    lam = comms.earth_central_angle_rad(1000e3, 0.0)
    assert lam == pytest.approx(np.arccos(EARTH_RADIUS_M / (EARTH_RADIUS_M + 1000e3)))
    c1 = comms.contact_time_s_per_day(650e3, np.radians(10), 1)
    assert comms.contact_time_s_per_day(650e3, np.radians(10), 10) == pytest.approx(10 * c1)
    assert 0 < c1 < 86400 * 0.05
    bits = comms.downlink_bits_per_day(1e11, c1)
    assert comms.gamma_fits(np.array([1e-3, 1e9]), 1e6, bits).tolist() == [True, False]


def test_optical_link_inverse_square():
    r1 = comms.optical_link_rate_bps(1.0, 0.1, 0.1, 1e5, 1.55e-6, 10)
    r2 = comms.optical_link_rate_bps(1.0, 0.1, 0.1, 2e5, 1.55e-6, 10)
    assert r1 == pytest.approx(4 * r2)
    assert r1 > 1e11  # 100 km, 10 cm apertures, 1 W: >100 Gb/s photon budget (Suncatcher's 1.6 Tb/s at ~km with more power)

