"""Solar arrays: power from area, efficiency, packing and temperature; degradation; specific
mass; area and mass for a required power.

References
----------
.. [SMAD] J. R. Wertz and W. J. Larson, *Space Mission Analysis and Design*, 3rd ed. (1999),
   sec. 11.4 (power subsystem: ``P_0 = S eta``, inherent degradation, ``L_d = (1 - d)^life``,
   Table 11-34 cell efficiencies and degradation, array sizing eq. 11-5 to 11-9).
.. [Patel] M. R. Patel, *Spacecraft Power Systems*, CRC (2005), ch. 4 (temperature coefficient
   of multi-junction cells).
"""

from __future__ import annotations

import numpy as np

from orbitaldc.physics import check_above, check_range

__all__ = ["array_area_m2", "array_mass_kg", "array_power_w", "array_specific_power_w_per_kg",
           "life_degradation", "temperature_factor", "worst_orbit_array_power_w"]


def temperature_factor(operating_temperature_k, reference_temperature_k, temperature_coefficient_per_k):
    """Cell output relative to its rating temperature.

    Parameters
    ----------
    operating_temperature_k, reference_temperature_k : array_like
        Operating and rating temperatures [K].
    temperature_coefficient_per_k : array_like
        Power temperature coefficient ``gamma`` [1/K].

    Returns
    -------
    ndarray
        ``1 - gamma (T - T_ref)``.

    References
    ----------
    .. [1] Patel, *Spacecraft Power Systems* (2005), ch. 4.
    """
    return 1.0 - np.asarray(temperature_coefficient_per_k, dtype=float) * (
        np.asarray(operating_temperature_k, dtype=float) - np.asarray(reference_temperature_k, dtype=float))


def array_power_w(area_m2, cell_efficiency, packing_factor, solar_flux_w_per_m2,
                  temperature_factor_=1.0, degradation=1.0, cos_incidence=1.0):
    """Electrical output of a solar array [W].

    Parameters
    ----------
    area_m2 : array_like
        Array (panel) area [m2].
    cell_efficiency : array_like
        Cell efficiency at the rating temperature, in (0, 1).
    packing_factor : array_like
        Fraction of the panel covered by active cells (inherent degradation), in (0, 1].
    solar_flux_w_per_m2 : array_like
        Solar irradiance [W/m2].
    temperature_factor_ : array_like
        :func:`temperature_factor`.
    degradation : array_like
        Remaining fraction after radiation/time (:func:`life_degradation`).
    cos_incidence : array_like
        Cosine of the sun angle (1 for a sun-tracking array).

    Returns
    -------
    ndarray
        ``P = A S eta I_d F_T L_d cos(theta)`` [W].

    References
    ----------
    .. [1] SMAD (1999), sec. 11.4, eq. 11-5 to 11-9.
    """
    eta = check_range(cell_efficiency, "cell_efficiency", 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    pack = check_range(packing_factor, "packing_factor", 0.0, 1.0, low_inclusive=False)
    return (np.asarray(area_m2, dtype=float) * np.asarray(solar_flux_w_per_m2, dtype=float) * eta * pack
            * np.asarray(temperature_factor_, dtype=float) * np.asarray(degradation, dtype=float)
            * np.asarray(cos_incidence, dtype=float))


def life_degradation(degradation_per_yr, years):
    """Remaining array output after ``years``.

    Parameters
    ----------
    degradation_per_yr : array_like
        Fractional loss per year, in [0, 1).
    years : array_like
        Elapsed years.

    Returns
    -------
    ndarray
        ``L_d = (1 - d)^years``.

    References
    ----------
    .. [1] SMAD (1999), eq. 11-8.
    """
    d = check_range(degradation_per_yr, "degradation_per_yr", 0.0, 1.0, high_inclusive=False)
    return (1.0 - d) ** np.asarray(years, dtype=float)


def array_area_m2(power_w, cell_efficiency, packing_factor, solar_flux_w_per_m2,
                  temperature_factor_=1.0, degradation=1.0, cos_incidence=1.0):
    """Array area that delivers ``power_w`` (inverse of :func:`array_power_w`) [m2].

    Parameters
    ----------
    power_w : array_like
        Required output [W].
    cell_efficiency, packing_factor, solar_flux_w_per_m2, temperature_factor_, degradation, cos_incidence : array_like
        As in :func:`array_power_w`.

    Returns
    -------
    ndarray
        ``A = P / (S eta I_d F_T L_d cos(theta))`` [m2].

    References
    ----------
    .. [1] SMAD (1999), sec. 11.4, eq. 11-5 to 11-9.
    """
    per_m2 = array_power_w(1.0, cell_efficiency, packing_factor, solar_flux_w_per_m2, temperature_factor_,
                           degradation, cos_incidence)
    per_m2 = check_above(per_m2, "array output per m2", 0.0, "W/m2", "check temperature and degradation")
    return np.asarray(power_w, dtype=float) / per_m2


def array_mass_kg(area_m2, areal_density_kg_per_m2):
    """Array mass (cells, substrate, deployment structure) [kg].

    Parameters
    ----------
    area_m2 : array_like
        Array area [m2].
    areal_density_kg_per_m2 : array_like
        Mass per area [kg/m2].

    Returns
    -------
    ndarray
        ``m = A rho_A`` [kg].

    References
    ----------
    .. [1] SMAD (1999), sec. 11.4 (array mass).
    """
    return np.asarray(area_m2, dtype=float) * np.asarray(areal_density_kg_per_m2, dtype=float)


def array_specific_power_w_per_kg(power_w, mass_kg):
    """Array specific power [W/kg].

    Parameters
    ----------
    power_w : array_like
        Array output [W].
    mass_kg : array_like
        Array mass [kg], > 0.

    Returns
    -------
    ndarray
        ``P / m`` [W/kg] (JPL/Turyshev 2026 range: 30-165 W/kg).

    References
    ----------
    .. [1] Turyshev (2026), arXiv:2604.27197.
    """
    return np.asarray(power_w, dtype=float) / check_above(mass_kg, "mass_kg", 0.0, "kg")


def worst_orbit_array_power_w(load_power_w, eclipse_s, period_s, round_trip_efficiency):
    """Array power that carries a constant load through the worst orbit and recharges the battery.

    Parameters
    ----------
    load_power_w : array_like
        Constant electrical load (IT plus bus) [W].
    eclipse_s : array_like
        Eclipse of the worst orbit (the longest of the year) [s], 0 <= eclipse < period.
    period_s : array_like
        Orbital period [s].
    round_trip_efficiency : array_like
        Battery charge-discharge round trip, in (0, 1].

    Returns
    -------
    ndarray
        ``P_sa = P_L (T_d + T_e / eta_rt) / T_d`` with ``T_d = T - T_e`` [W]: SMAD eq. 11-5
        (``P_sa = (P_e T_e / X_e + P_d T_d / X_d) / T_d``) with ``X_d = 1`` (conversion losses are
        in the bus load) and ``X_e = eta_rt``.

    References
    ----------
    .. [1] Wertz & Larson, SMAD 3rd ed. (1999), sec. 11.4, eq. 11-5 (worst-case orbit including
       battery recharge).
    """
    t_e = check_range(eclipse_s, "eclipse_s", 0.0, np.inf, "s")
    t_d = check_above(np.asarray(period_s, dtype=float) - t_e, "sunlit time per orbit", 0.0, "s")
    eta = check_range(round_trip_efficiency, "round_trip_efficiency", 0.0, 1.0, low_inclusive=False)
    return np.asarray(load_power_w, dtype=float) * (1.0 + t_e / (t_d * eta))
# Time-step form (the time-stepped twin, orbitaldc.simulate).


def array_temperature_k(operating_temperature_k, cos_incidence):
    """Temperature of a thin sunlit array at an incidence angle, from its normal-incidence value.

    Parameters
    ----------
    operating_temperature_k : array_like
        Array temperature in full sun at normal incidence [K].
    cos_incidence : array_like
        Cosine of the sun's incidence angle [-]; negative values count as 0.

    Returns
    -------
    ndarray
        ``T = T_op max(cos theta, 0)^(1/4)`` [K] (0 K where the sun is behind the array; only
        sunlit values are used).

    Notes
    -----
    A thin plate in radiative equilibrium absorbs ``(alpha - eta) G cos(theta)`` and emits
    ``(eps_f + eps_b) sigma T^4``, so ``T`` scales with the fourth root of ``cos(theta)``.

    References
    ----------
    .. [1] Gilmore (2002), ch. 2 (equilibrium temperature of a flat plate).
    """
    return np.asarray(operating_temperature_k, dtype=float) * np.maximum(
        np.asarray(cos_incidence, dtype=float), 0.0) ** 0.25
