"""Lumped radiator/payload thermal node of a satellite, stepped through sun and eclipse.

One node per satellite: heat capacity ``C`` (radiator, coolant loop, electronics), dissipated
electrical power, absorbed environmental flux on the radiator and infrared emission. The GPU
die sits a fixed temperature rise above the node; compute throttles above the die limit.
"""

from __future__ import annotations

import numpy as np

from orbitaldc.simulate._const import STEFAN_BOLTZMANN_W_PER_M2_K4


def radiator_area_m2(heat_w, temperature_k, emissivity, absorbed_w_m2):
    """Radiator area that rejects ``heat_w`` at ``temperature_k`` in steady state.

    Parameters
    ----------
    heat_w : array_like
        Dissipated power to reject [W].
    temperature_k : array_like
        Radiator temperature [K].
    emissivity : array_like
        Infrared emittance [-].
    absorbed_w_m2 : array_like
        Environmental flux absorbed per radiator area (sun, albedo, Earth IR) [W/m2].

    Returns
    -------
    ndarray
        Area [m2]; ``inf`` where the environment alone would hold the radiator above
        ``temperature_k``.

    Notes
    -----
    ``Q = A (eps sigma T^4 - q_abs)``.

    References
    ----------
    .. [1] D. G. Gilmore (ed.), *Spacecraft Thermal Control Handbook*, 2nd ed., ch. 6
       (radiator sizing).
    """
    net = np.asarray(emissivity, dtype=float) * STEFAN_BOLTZMANN_W_PER_M2_K4 * np.asarray(temperature_k, dtype=float) ** 4 \
        - np.asarray(absorbed_w_m2, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(net > 0, np.asarray(heat_w, dtype=float) / np.where(net > 0, net, 1.0), np.inf)


def lumped_node_step(temperature_k, heat_w, area_m2, emissivity, absorbed_w_m2, capacity_j_per_k, dt_s):
    """Advance a radiating lumped node by one step (linearized backward Euler).

    Parameters
    ----------
    temperature_k : array_like
        Node temperature at the start of the step [K].
    heat_w : array_like
        Internal dissipation during the step [W].
    area_m2 : array_like
        Radiator area [m2].
    emissivity : array_like
        Infrared emittance [-].
    absorbed_w_m2 : array_like
        Absorbed environmental flux [W/m2].
    capacity_j_per_k : array_like
        Heat capacity [J/K].
    dt_s : float
        Step [s].

    Returns
    -------
    ndarray
        Temperature at the end of the step [K].

    Notes
    -----
    ``C dT/dt = Q + A q_abs - eps sigma A T^4``. Linearizing the emission about ``T_k``:
    ``T_{k+1} = T_k + dt (Q + A q - eps sigma A T_k^4) / (C + 4 dt eps sigma A T_k^3)``, which
    is unconditionally stable (any step relative to the time constant ``C / (4 eps sigma A T^3)``).

    References
    ----------
    .. [1] Gilmore, *Spacecraft Thermal Control Handbook*, 2nd ed., ch. 15 (lumped-node
       transient analysis).
    .. [2] F. P. Incropera et al., *Fundamentals of Heat and Mass Transfer*, 7th ed., sec. 5.10
       (implicit finite-difference time stepping).
    """
    t = np.asarray(temperature_k, dtype=float)
    g = np.asarray(emissivity, dtype=float) * STEFAN_BOLTZMANN_W_PER_M2_K4 * np.asarray(area_m2, dtype=float)
    t3 = t * t * t
    balance = np.asarray(heat_w, dtype=float) + np.asarray(area_m2, dtype=float) * np.asarray(absorbed_w_m2, dtype=float) - g * t3 * t
    return t + dt_s * balance / (np.asarray(capacity_j_per_k, dtype=float) + 4.0 * dt_s * g * t3)


def throttle_factor(die_temperature_k, limit_k, band_k):
    """Fraction of full compute allowed at a die temperature (linear governor).

    Parameters
    ----------
    die_temperature_k : array_like
        GPU die temperature [K].
    limit_k : array_like
        Temperature where throttling starts [K].
    band_k : array_like
        Span above the limit over which compute falls to zero [K], > 0.

    Returns
    -------
    ndarray
        ``clip(1 - (T - T_lim) / band, 0, 1)``.

    References
    ----------
    .. [1] NVIDIA, *nvidia-smi* documentation: "GPU Slowdown Temp" / "GPU Shutdown Temp"
       (clocks reduced above a die threshold, stopped above a higher one).
    """
    return np.clip(1.0 - (np.asarray(die_temperature_k, dtype=float) - limit_k) / band_k, 0.0, 1.0)
