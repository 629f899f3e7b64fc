"""Finance functions against textbook values."""

from __future__ import annotations

import numpy as np
import pytest

from orbitaldc import finance


def test_capital_recovery_factor_table_value():
    # Interest tables (e.g. Newnan, Engineering Economic Analysis, 7 % table, A/P n=20): 0.09439.
    # Tolerance 1e-4 relative: the table prints 5 significant digits.
    assert finance.capital_recovery_factor(0.07, 20) == pytest.approx(0.09439, rel=1e-4)


def test_capital_recovery_factor_zero_rate_and_broadcast():
    out = finance.capital_recovery_factor(np.array([0.0, 0.07])[:, None], np.array([10.0, 20.0]))
    assert out.shape == (2, 2)
    assert out[0, 0] == pytest.approx(0.1) and out[0, 1] == pytest.approx(0.05)
    assert out[1, 1] == pytest.approx(0.09439, rel=1e-4)


def test_present_value_of_annuity_table_value():
    # PVIFA(10 %, 10) = 6.1446 (standard present-value-of-annuity table); 5 significant digits.
    t = np.arange(1, 11)
    assert finance.present_value(np.full(10, 1000.0), 0.10, t) == pytest.approx(6144.6, rel=2e-5)


def test_irr_closed_form_two_period():
    # -100, +60, +60: 60x + 60x^2 = 100 with x = 1/(1+r) -> r = 2/(sqrt(1+4*100/60)-1) - 1
    expected = 2.0 / (np.sqrt(1.0 + 4.0 * 100.0 / 60.0) - 1.0) - 1.0
    r = finance.irr(np.array([-100.0, 60.0, 60.0]), np.array([0.0, 1.0, 2.0]))
    assert float(r) == pytest.approx(expected, rel=1e-12)
    assert float(finance.npv(np.array([-100.0, 60.0, 60.0]), r, np.array([0.0, 1.0, 2.0]))) == pytest.approx(0.0, abs=1e-9)


def test_irr_vectorized_and_nan_when_never_repaid():
    flows = np.array([[-100.0, 60.0, 60.0], [-100.0, 10.0, 10.0], [-100.0, 110.0, 0.0]])
    r = finance.irr(flows, np.array([0.0, 1.0, 2.0]))
    assert r[2] == pytest.approx(0.10, rel=1e-12)
    assert r[1] < 0  # repaid only partly: negative IRR, but a root exists
    assert np.isnan(finance.irr(np.array([-100.0, -1.0]), np.array([0.0, 1.0])))


def test_payback_years_interpolates():
    flows = np.array([-100.0, 30.0, 30.0, 30.0, 30.0])
    assert float(finance.payback_years(flows, np.arange(5.0))) == pytest.approx(3 + 10 / 30)
    assert np.isnan(finance.payback_years(np.array([-100.0, 1.0]), np.arange(2.0)))


def test_levelized_cost_undiscounted_equals_total_over_output():
    cost = np.array([100.0, 10.0, 10.0])
    energy = np.array([0.0, 5.0, 5.0])
    t = np.arange(3.0)
    pv_c = finance.present_value(cost, 0.0, t)
    pv_e = finance.present_value(energy, 0.0, t)
    assert finance.levelized_cost(pv_c, pv_e) == pytest.approx(12.0)
    # discounting raises the levelized cost of an up-front-heavy project
    assert finance.levelized_cost(finance.present_value(cost, 0.1, t), finance.present_value(energy, 0.1, t)) > 12.0


def test_gpu_hours():
    # 1 MWh at 1,000 W per GPU, fully utilized, is 1,000 GPU-hours
    assert finance.gpu_hours(1e6, 1000.0, 1.0) == pytest.approx(1000.0)


def test_project_finance_with_price_gives_npv_irr_payback():
    cost = np.array([1000.0, 0.0, 0.0, 0.0])
    energy = np.array([0.0, 1.0, 1.0, 1.0])  # MWh per year
    t = np.arange(4.0)
    pf = finance.project_finance(cost, energy, t, 0.0, 1000.0, 1.0, price_usd_per_gpu_hour=0.5)
    # 1 MWh / 1 kW = 1,000 GPU-h per year at $0.5 = $500/yr: payback 2 years, NPV(0) = $500
    assert float(pf.npv_usd) == pytest.approx(500.0)
    assert float(pf.payback_years) == pytest.approx(2.0)
    assert float(pf.lcoc_usd_per_gpu_hour) == pytest.approx(1000.0 / 3000.0)


def test_geometric_sum_precision_near_one():
    # (1 - x^n) / (1 - x) with x within rounding of 1 must stay n (expm1/log1p form)
    assert float(finance.geometric_sum(1.0 - 1e-13, 10)) == pytest.approx(10.0, rel=1e-11)
    assert float(finance.geometric_sum(1.0, 7)) == 7.0
    # the empty sum, also where x is too small to differ from 0 against 1 (log1p(-1) = -inf)
    assert float(finance.geometric_sum(1e-30, 0)) == 0.0 and float(finance.geometric_sum(1e-30, 3)) == 1.0
