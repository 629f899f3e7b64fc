"""Batteries: eclipse energy, depth of discharge from cycle life, mass.

References
----------
.. [SMAD] J. R. Wertz and W. J. Larson, *Space Mission Analysis and Design*, 3rd ed. (1999),
   sec. 11.4 (energy storage: ``C_r = P_e T_e / (DoD N n)``, eq. 11-13; DoD versus cycle life,
   Fig. 11-11).
.. [Turyshev] S. G. Turyshev, "Orbital Data Centers: Spacecraft Constraints and Economic
   Viability", arXiv:2604.27197 (2026): 150-265 Wh/kg, DoD 0.3-0.8.
"""

from __future__ import annotations

import numpy as np

from orbitaldc.physics import check_above, check_range

__all__ = ["battery_mass_kg", "depth_of_discharge_for_cycles", "eclipse_energy_j"]


def eclipse_energy_j(load_power_w, eclipse_duration_s, discharge_efficiency=1.0):
    """Energy the battery must deliver through the longest eclipse [J].

    Parameters
    ----------
    load_power_w : array_like
        Constant load [W].
    eclipse_duration_s : array_like
        Eclipse [s] (0 without eclipse).
    discharge_efficiency : array_like
        Battery-to-load efficiency, in (0, 1].

    Returns
    -------
    ndarray
        ``E = P_e T_e / eta_discharge`` [J].

    References
    ----------
    .. [1] SMAD (1999), eq. 11-13 (numerator).
    """
    eta = check_range(discharge_efficiency, "discharge_efficiency", 0.0, 1.0, low_inclusive=False)
    return np.asarray(load_power_w, dtype=float) * np.asarray(eclipse_duration_s, dtype=float) / eta


def depth_of_discharge_for_cycles(cycles, reference_cycles, reference_depth, exponent, max_depth=1.0):
    """Allowed depth of discharge for a required number of cycles.

    Parameters
    ----------
    cycles : array_like
        Charge/discharge cycles over the mission (eclipses per year x years).
    reference_cycles, reference_depth : array_like
        One point of the cell's cycle-life curve (cycles to end of life at that DoD).
    exponent : array_like
        Slope ``k`` of the cycle-life power law ``N = N_ref (DoD_ref / DoD)^k``.
    max_depth : array_like
        Upper limit on DoD (cells are not cycled beyond it even for few cycles).

    Returns
    -------
    ndarray
        ``DoD = min(max_depth, DoD_ref (N_ref / N)^(1/k))``; ``max_depth`` when ``N = 0``.

    References
    ----------
    .. [1] SMAD (1999), Fig. 11-11 (DoD versus cycle life: cycle life falls as a power of DoD).
    """
    n = check_range(cycles, "cycles", 0.0, np.inf)
    with np.errstate(divide="ignore"):
        dod = np.asarray(reference_depth, dtype=float) * (np.asarray(reference_cycles, dtype=float) / n) ** (
            1.0 / np.asarray(exponent, dtype=float))
    return np.minimum(np.asarray(max_depth, dtype=float), dod)


def battery_mass_kg(eclipse_energy_j, depth_of_discharge, specific_energy_j_per_kg):
    """Battery mass for an eclipse energy [kg].

    Parameters
    ----------
    eclipse_energy_j : array_like
        Energy drawn per eclipse [J] (0 where the orbit has no eclipse).
    depth_of_discharge : array_like
        Allowed depth of discharge, in (0, 1].
    specific_energy_j_per_kg : array_like
        Battery (pack) specific energy [J/kg].

    Returns
    -------
    ndarray
        ``m = E / (DoD e)`` [kg].

    References
    ----------
    .. [1] SMAD (1999), eq. 11-13 (capacity ``C = E / DoD``), divided by specific energy.
    """
    dod = check_range(depth_of_discharge, "depth_of_discharge", 0.0, 1.0, low_inclusive=False)
    e = check_above(specific_energy_j_per_kg, "specific_energy_j_per_kg", 0.0, "J/kg")
    energy = check_range(eclipse_energy_j, "eclipse_energy_j", 0.0, np.inf, "J")
    return energy / (dod * e)


# ---------------------------------------------------------------------------------------------
# Time-step form (the time-stepped twin, orbitaldc.simulate). Plain arithmetic and NumPy
# ufuncs only, so the same function serves arrays of satellites (NumPy) and scalars inside the
# twin's compiled loop (numba.njit of this very function).


def battery_step(energy_j, net_power_w, dt_s, capacity_j, minimum_j, charge_efficiency, discharge_efficiency):
    """Advance a battery's stored energy by one time step of net power (array minus load).

    Parameters
    ----------
    energy_j : array_like
        Stored energy at the start of the step [J]; energy above ``capacity_j`` (after a loss
        of capacity) is first reduced to it.
    net_power_w : array_like
        Array output minus load [W]; positive charges, negative discharges.
    dt_s : float
        Step [s], > 0.
    capacity_j, minimum_j : array_like
        Full energy and the depth-of-discharge floor ``(1 - DoD) C`` [J].
    charge_efficiency, discharge_efficiency : array_like
        Energy efficiencies [-], in (0, 1].

    Returns
    -------
    (energy_j, shortfall_w) : tuple of ndarray
        Energy at the end of the step [J] and the load power the battery could not serve [W]
        (the load to shed).

    Notes
    -----
    With ``E = min(E, C)``: charging, ``E' = min(E + eta_c max(P, 0) dt, C)`` (surplus beyond
    full is curtailed); discharging, the battery delivers ``D = min(max(-P, 0),
    eta_d max(E - E_min, 0) / dt)``, so ``E' = E - D dt / eta_d`` and the shortfall is
    ``max(-P, 0) - D``. Over a whole eclipse this is the averaged sizing's energy
    :func:`eclipse_energy_j` (``E = P T / eta_d``) in steps.

    References
    ----------
    .. [1] M. R. Patel, *Spacecraft Power Systems*, CRC Press (2005), ch. 10 (energy balance,
       charge efficiency, depth of discharge).
    .. [2] Wertz & Larson, *SMAD*, 3rd ed. (1999), sec. 11.4, eq. 11-13.
    """
    e = np.minimum(energy_j, capacity_j)
    charged = np.minimum(e + charge_efficiency * np.maximum(net_power_w, 0.0) * dt_s, capacity_j)
    want = np.maximum(-net_power_w, 0.0)
    delivered = np.minimum(want, discharge_efficiency * np.maximum(e - minimum_j, 0.0) / dt_s)
    return charged - delivered * dt_s / discharge_efficiency, want - delivered
