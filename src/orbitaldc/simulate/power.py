"""Per-step power of a satellite: array output, design load and the battery.

Pure vectorized functions: every argument may be a scalar or an array and arrays broadcast
(satellites on one axis, time on another). SI units: W, J, K, s.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


def array_temperature_k(operating_temperature_k, cos_incidence):
    """Temperature of a thin sunlit array at an incidence angle, from its normal-incidence value.

    Parameters
    ----------
    operating_temperature_k : array_like
        Array temperature in full sun at normal incidence [K].
    cos_incidence : array_like
        Cosine of the sun's incidence angle [-], clipped at 0.

    Returns
    -------
    ndarray
        ``T = T_op cos(theta)^(1/4)`` [K] (0 K where the sun is behind the array; only sunlit
        values are used).

    Notes
    -----
    A thin plate in radiative equilibrium absorbs ``(alpha - eta) G cos(theta)`` and emits
    ``(eps_f + eps_b) sigma T^4``, so ``T`` scales with the fourth root of ``cos(theta)``.

    References
    ----------
    .. [1] D. G. Gilmore (ed.), *Spacecraft Thermal Control Handbook*, 2nd ed., ch. 2
       (equilibrium temperature of a flat plate).
    """
    return np.asarray(operating_temperature_k, dtype=float) * np.clip(np.asarray(cos_incidence, dtype=float), 0.0, None) ** 0.25


def array_power_w(rated_power_w, illumination, cos_incidence, degradation_per_yr, age_yr,
                  temperature_coefficient_per_k, temperature_k, reference_temperature_k, health=1.0):
    """Electrical output of a solar array in one time step.

    Parameters
    ----------
    rated_power_w : array_like
        Beginning-of-life output at normal incidence and the reference temperature [W].
    illumination : array_like
        Sunlit fraction of the solar disc seen by the satellite, ``1 - shadow`` [-].
    cos_incidence : array_like
        Cosine of the incidence angle [-] (negative values give zero).
    degradation_per_yr : array_like
        Compounded fractional loss per year [-/yr].
    age_yr : array_like
        Time since beginning of life [yr].
    temperature_coefficient_per_k : array_like
        Relative power loss per kelvin above the reference [1/K] (positive for solar cells).
    temperature_k, reference_temperature_k : array_like
        Cell temperature and rating temperature [K].
    health : array_like, optional
        Remaining fraction after power-subsystem failures [-].

    Returns
    -------
    ndarray
        Output [W], >= 0.

    Notes
    -----
    ``P = P_0 (1 - s) max(cos theta, 0) (1 - d)^t [1 - gamma (T - T_ref)] h``.

    References
    ----------
    .. [1] J. R. Wertz, W. J. Larson, *Space Mission Analysis and Design*, 3rd ed., sec. 11.4
       (inherent degradation, cosine loss, lifetime degradation ``L_d = (1 - d)^t``).
    """
    temp = 1.0 - np.asarray(temperature_coefficient_per_k, dtype=float) * (
        np.asarray(temperature_k, dtype=float) - np.asarray(reference_temperature_k, dtype=float))
    out = (np.asarray(rated_power_w, dtype=float) * np.asarray(illumination, dtype=float)
           * np.clip(np.asarray(cos_incidence, dtype=float), 0.0, None)
           * (1.0 - np.asarray(degradation_per_yr, dtype=float)) ** np.asarray(age_yr, dtype=float)
           * np.clip(temp, 0.0, None) * np.asarray(health, dtype=float))
    return out


def energy_balanced_load_w(array_power_w, sun_fraction, round_trip_efficiency):
    """Constant load an array can carry through the orbit, battery losses included.

    Parameters
    ----------
    array_power_w : array_like
        Array output in sunlight [W].
    sun_fraction : array_like
        Sunlit fraction of the orbit assumed at design [-], in (0, 1].
    round_trip_efficiency : array_like
        Battery charge x discharge efficiency [-].

    Returns
    -------
    ndarray
        Load [W].

    Notes
    -----
    Sunlight energy covers the load directly plus the eclipse energy through the battery:
    ``P_sa s T = L s T + L (1 - s) T / eta``, hence ``L = P_sa s / (s + (1 - s) / eta)``.

    References
    ----------
    .. [1] Wertz & Larson, *SMAD*, 3rd ed., eq. 11-5 (array power from daylight and eclipse
       loads with path efficiencies).
    """
    s = np.asarray(sun_fraction, dtype=float)
    eta = np.asarray(round_trip_efficiency, dtype=float)
    return np.asarray(array_power_w, dtype=float) * s / (s + (1.0 - s) / eta)


class BatteryStep(NamedTuple):
    """Result of :func:`battery_step`."""

    energy_j: np.ndarray
    shortfall_w: np.ndarray


def battery_step(energy_j, net_power_w, dt_s, capacity_j, minimum_j, charge_efficiency, discharge_efficiency):
    """Advance battery energy by one step of net power (array minus load).

    Parameters
    ----------
    energy_j : array_like
        Stored energy at the start of the step [J].
    net_power_w : array_like
        Array output minus load [W]; positive charges, negative discharges.
    dt_s : float
        Step [s].
    capacity_j, minimum_j : array_like
        Full energy and the depth-of-discharge floor ``(1 - DoD) C`` [J].
    charge_efficiency, discharge_efficiency : array_like
        Energy efficiencies [-].

    Returns
    -------
    BatteryStep
        New energy [J] and the load power that could not be served [W] (load to shed).

    Notes
    -----
    Charging: ``E' = min(E + eta_c P dt, C)`` (surplus beyond full is curtailed).
    Discharging: the battery delivers ``min(-P, eta_d (E - E_min) / dt)``; the rest is
    shortfall and ``E' = E - delivered dt / eta_d``.

    References
    ----------
    .. [1] M. R. Patel, *Spacecraft Power Systems*, CRC Press, 2005, ch. 10 (energy balance,
       charge efficiency, depth of discharge).
    """
    e = np.asarray(energy_j, dtype=float)
    p = np.asarray(net_power_w, dtype=float)
    charge = np.minimum(e + charge_efficiency * np.clip(p, 0.0, None) * dt_s, capacity_j)
    want = np.clip(-p, 0.0, None)
    can = discharge_efficiency * np.clip(e - minimum_j, 0.0, None) / dt_s
    delivered = np.minimum(want, can)
    discharged = e - delivered * dt_s / discharge_efficiency
    return BatteryStep(np.where(p >= 0.0, charge, discharged), want - delivered)
