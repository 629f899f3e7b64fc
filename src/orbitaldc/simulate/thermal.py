"""Lumped radiator/payload thermal node of a satellite, stepped through sun and eclipse.

One node per satellite: heat capacity ``C`` (radiator, coolant loop, electronics), dissipated
electrical power, absorbed environmental flux on the radiator and infrared emission (radiator
sizing and environment fluxes from :mod:`orbitaldc.physics.thermal`). The GPU die sits
``R_th x P_gpu`` above the node; compute throttles above the die limit.
"""

from __future__ import annotations

import numpy as np

from orbitaldc.constants import STEFAN_BOLTZMANN_W_PER_M2_K4


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
        Effective emittance of the panel to space, ``sides x eps x F_space`` [-].
    absorbed_w_m2 : array_like
        Absorbed environmental flux per panel area [W/m2]
        (:func:`orbitaldc.physics.thermal.absorbed_environment_flux_w_per_m2`).
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


def throttle_factor(node_temperature_k, full_load_rise_k, limit_k, band_k):
    """Fraction of full compute a linear die-temperature governor allows.

    Parameters
    ----------
    node_temperature_k : array_like
        Radiator/coolant node temperature [K].
    full_load_rise_k : array_like
        Die temperature rise above the node at full compute, ``R_th x P_gpu`` [K]
        (:func:`orbitaldc.physics.thermal.die_temperature_k`); it scales with the throttle.
    limit_k : array_like
        Die temperature where throttling starts [K].
    band_k : array_like
        Span above the limit over which compute falls to zero [K], > 0.

    Returns
    -------
    ndarray
        ``x`` in [0, 1] solving ``x = 1 - (T_node + x dT - T_lim) / band``, i.e.
        ``x = clip((1 - (T_node - T_lim) / band) / (1 + dT / band), 0, 1)``; 1 while the die at
        full load stays below the limit.

    References
    ----------
    .. [1] NVIDIA, *nvidia-smi* documentation: "GPU Slowdown Temp" / "GPU Shutdown Temp"
       (clocks reduced above a die threshold, stopped above a higher one).
    """
    node = np.asarray(node_temperature_k, dtype=float)
    rise = np.asarray(full_load_rise_k, dtype=float)
    free = node + rise <= limit_k
    x = (1.0 - (node - limit_k) / band_k) / (1.0 + rise / band_k)
    return np.where(free, 1.0, np.clip(x, 0.0, 1.0))
