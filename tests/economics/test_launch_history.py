"""The cited launch price history and its Wright's-law fit (orbitaldc.launch)."""

from __future__ import annotations

import numpy as np
import pytest

from orbitaldc.dollars import cpi_factor
from orbitaldc.errors import OrbitaldcError
from orbitaldc.launch import (cumulative_family_launches, fuel_co2_kg_per_kg, launch_learning_fit, launch_price_history,
                              vehicle, wright_fit)


def test_history_rows_are_cited_and_escalated():
    rows = launch_price_history(2025)
    assert len(rows) >= 10 and all(r.source.strip() for r in rows)
    fh = next(r for r in rows if r.vehicle == "Falcon Heavy" and r.year == 2018 and r.fit)
    # Jones (2018): $90M / 63,800 kg in 2018 dollars, to 2025 dollars by CPI-U
    assert fh.price_usd_per_kg == pytest.approx(90e6 / 63800 * 320.229 / 251.107, rel=1e-12)
    assert launch_price_history(2018)[1].price_usd_per_kg == pytest.approx(90e6 / 63800, rel=1e-12)
    with pytest.raises(OrbitaldcError, match="CPI-U table"):
        cpi_factor(1990, 2025)


def test_wright_fit_matches_numpy_least_squares():
    """Our closed-form OLS on logs against numpy.polyfit (an independent implementation); the
    standard error against polyfit's covariance, which scales by chi2 / (n - 2) as ours does."""
    rows = [r for r in launch_price_history(2025) if r.fit]
    q = np.array([cumulative_family_launches(r.year) for r in rows])
    p = np.array([r.price_usd_per_kg for r in rows])
    fit = launch_learning_fit()
    (slope, intercept), cov = np.polyfit(np.log(q), np.log(p), 1, cov=True)
    assert fit.b == pytest.approx(-slope, rel=1e-12) and fit.intercept == pytest.approx(intercept, rel=1e-12)
    assert fit.b_se == pytest.approx(np.sqrt(cov[0, 0]), rel=1e-9)
    assert fit.learning_rate == pytest.approx(1 - 2 ** -fit.b, rel=1e-15)
    # experience: Falcon launches before 2013, 2018, 2022 (public launch logs)
    assert list(q) == [4.0, 46.0, 137.0]
    # the finding, stated: ~23 % per doubling, and Suncatcher's assumed 20 % lies inside one standard error
    assert 0.18 < fit.learning_rate < 0.28 and fit.learning_rate_low < 0.20 < fit.learning_rate_high


def test_wright_fit_recovers_an_exact_law_and_rejects_too_few_points():
    q = np.array([1.0, 2.0, 4.0, 8.0])
    fit = wright_fit(1000.0 * 0.8 ** np.log2(q), q)  # 20 % per doubling exactly
    assert fit.learning_rate == pytest.approx(0.2, rel=1e-12) and fit.b_se == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(OrbitaldcError, match="three points"):
        wright_fit([1.0, 2.0], [1.0, 2.0])


def test_vehicle_combustion_co2_per_kg():
    # Falcon 9: 123.5 t of RP-1 x 3.18 kg CO2/kg (EPA) / 22 t to LEO
    assert vehicle("falcon9").co2_kg_per_kg == pytest.approx(123500 * 3.18 / 22000, rel=1e-12)
    # methane burns to 44.01 / 16.04 of its mass in CO2
    assert fuel_co2_kg_per_kg("methane") == pytest.approx(44.01 / 16.04, rel=1e-3)
    with pytest.raises(OrbitaldcError, match="fuel"):
        fuel_co2_kg_per_kg("hydrazine")
