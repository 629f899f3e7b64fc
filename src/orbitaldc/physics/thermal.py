"""Radiators: net rejection per m2, environmental loads, area and mass for a heat load,
equilibrium temperature, die-to-radiator temperature drop, pumped-loop mass.

References
----------
.. [Gilmore] D. G. Gilmore (ed.), *Spacecraft Thermal Control Handbook*, vol. I, 2nd ed.
   (2002): ch. 2 (environment: solar, albedo 0.3, Earth IR ~237 W/m2, view factors),
   ch. 6 (radiators, ``q = eps sigma (T^4 - T_sink^4)``), ch. 12 (pumped loops).
.. [SMAD] J. R. Wertz and W. J. Larson, *Space Mission Analysis and Design*, 3rd ed. (1999),
   sec. 11.5 (thermal), eq. 11-19 to 11-22 (equilibrium temperature).
"""

from __future__ import annotations

import numpy as np

from orbitaldc.constants import EARTH_RADIUS_M, STEFAN_BOLTZMANN_W_PER_M2_K4
from orbitaldc.physics import check_above, check_altitude, check_range

__all__ = [
    "absorbed_environment_flux_w_per_m2", "die_temperature_k", "earth_view_factor_plate", "equilibrium_temperature_k",
    "radiator_absorbed_flux_w_per_m2",
    "pumped_loop_mass_kg", "radiator_area_m2", "solar_array_temperature_k", "radiator_mass_kg", "radiator_net_flux_w_per_m2",
]


def _emissivity(emissivity):
    return check_range(emissivity, "emissivity", 0.0, 1.0, low_inclusive=False)


def radiator_net_flux_w_per_m2(temperature_k, emissivity, absorbed_flux_w_per_m2=0.0, sides=1,
                               sink_temperature_k=0.0, view_factor_space=1.0):
    """Net heat rejected per m2 of radiator panel [W/m2].

    Parameters
    ----------
    temperature_k : array_like
        Radiator surface temperature [K], above ``sink_temperature_k``.
    emissivity : array_like
        Infrared emissivity, in (0, 1].
    absorbed_flux_w_per_m2 : array_like
        Environmental heat absorbed per m2 of panel, all faces together [W/m2]
        (:func:`absorbed_environment_flux_w_per_m2`).
    sides : array_like
        Radiating faces (1 or 2).
    sink_temperature_k : array_like
        Effective sink temperature [K] (0 for deep space; 3 K is negligible).
    view_factor_space : array_like
        View factor of each face to deep space, in (0, 1].

    Returns
    -------
    ndarray
        ``q = sides eps F sigma (T^4 - T_sink^4) - q_abs`` [W/m2]; negative when the panel
        absorbs more than it emits.

    Raises
    ------
    PhysicsError
        Emissivity outside (0, 1] or a temperature at or below the sink.

    References
    ----------
    .. [1] Gilmore (2002), ch. 6, eq. 6.1; SMAD (1999), sec. 11.5.
    """
    eps = _emissivity(emissivity)
    sink = check_range(sink_temperature_k, "sink_temperature_k", 0.0, np.inf, "K")
    t = check_above(temperature_k, "temperature_k", sink, "K", "the radiator must be warmer than its sink")
    f = check_range(view_factor_space, "view_factor_space", 0.0, 1.0, low_inclusive=False)
    n = check_range(sides, "sides", 1.0, 2.0)
    emitted = n * eps * f * STEFAN_BOLTZMANN_W_PER_M2_K4 * (t ** 4 - sink ** 4)
    return emitted - np.asarray(absorbed_flux_w_per_m2, dtype=float)


def absorbed_environment_flux_w_per_m2(absorptivity, emissivity, solar_flux_w_per_m2, albedo,
                                       earth_ir_w_per_m2, view_factor_earth, sun_incidence=0.0,
                                       sides_seeing_earth=1, ir_absorptivity=None):
    """Sun, albedo and Earth-IR heat absorbed per m2 of radiator panel [W/m2].

    Parameters
    ----------
    absorptivity, emissivity : array_like
        Solar absorptivity and infrared emissivity of the radiator coating.
    solar_flux_w_per_m2 : array_like
        Solar irradiance [W/m2].
    albedo : array_like
        Earth's Bond albedo (0.3 orbit average, Gilmore ch. 2).
    earth_ir_w_per_m2 : array_like
        Outgoing long-wave radiation at the top of the atmosphere [W/m2].
    view_factor_earth : array_like
        View factor from a face to the Earth (~0.25-0.3 for an edge-on panel in LEO).
    sun_incidence : array_like
        Cosine of the sun's angle on the panel (0 for an edge-on, sun-avoiding radiator).
    sides_seeing_earth : array_like
        Number of faces that see the Earth.
    ir_absorptivity : array_like, optional
        Absorptivity for Earth IR; the emissivity when omitted (Kirchhoff's law for a grey surface).

    Returns
    -------
    ndarray
        ``q_abs = alpha S cos(theta) + n_E F_E (alpha a S + alpha_IR q_IR)`` [W/m2].

    Notes
    -----
    The albedo term uses the orbit-average albedo flux ``a S F_E`` (Gilmore ch. 2 simplification;
    it is zero in eclipse and larger at the subsolar point).

    References
    ----------
    .. [1] Gilmore (2002), ch. 2 (environmental loads); SMAD (1999), eq. 11-19.
    """
    alpha = check_range(absorptivity, "absorptivity", 0.0, 1.0)
    eps = _emissivity(emissivity)
    s = np.asarray(solar_flux_w_per_m2, dtype=float)
    fe = check_range(view_factor_earth, "view_factor_earth", 0.0, 1.0)
    a_ir = eps if ir_absorptivity is None else check_range(ir_absorptivity, "ir_absorptivity", 0.0, 1.0)
    return (alpha * s * np.asarray(sun_incidence, dtype=float)
            + np.asarray(sides_seeing_earth, dtype=float) * fe
            * (alpha * np.asarray(albedo, dtype=float) * s + a_ir * np.asarray(earth_ir_w_per_m2, dtype=float)))


def earth_view_factor_plate(altitude_m, nadir_angle_rad):
    """View factor from one face of a flat plate to the Earth (a sphere), from its orientation.

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m].
    nadir_angle_rad : array_like
        Angle between the face's outward normal and the direction to the Earth's centre [rad]:
        0 faces the Earth, pi/2 is edge-on (a plate containing the local vertical), pi faces
        zenith.

    Returns
    -------
    ndarray
        ``F`` in [0, 1]. With ``H = (R + h) / R``: ``cos(theta) / H^2`` while the whole Earth disc
        is above the face's horizon (``theta <= pi/2 - arcsin(1/H)``); 0 when none is
        (``theta >= pi/2 + arcsin(1/H)``); otherwise
        ``1/2 - arcsin(sqrt(H^2 - 1) / (H sin theta)) / pi + [cos(theta) arccos(-sqrt(H^2 - 1)
        cot theta) - sqrt(H^2 - 1) sqrt(1 - H^2 cos^2 theta)] / (pi H^2)``.

    References
    ----------
    .. [1] J. R. Howell, *A Catalog of Radiation Heat Transfer Configuration Factors*, 3rd ed.,
       factor B-12 ("differential planar element to sphere, tilted"); Gilmore (2002), ch. 2
       (planetary view factors versus altitude and orientation).
    """
    h = check_altitude(altitude_m)
    theta = check_range(nadir_angle_rad, "nadir_angle_rad", 0.0, np.pi, "rad")
    big_h = (EARTH_RADIUS_M + h) / EARTH_RADIUS_M
    half = np.arcsin(1.0 / big_h)
    root = np.sqrt(big_h ** 2 - 1.0)
    full = np.cos(theta) / big_h ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        sin_t = np.where(np.sin(theta) > 0, np.sin(theta), 1.0)
        part = (0.5 - np.arcsin(np.clip(root / (big_h * sin_t), -1.0, 1.0)) / np.pi
                + (np.cos(theta) * np.arccos(np.clip(-root * np.cos(theta) / sin_t, -1.0, 1.0))
                   - root * np.sqrt(np.clip(1.0 - big_h ** 2 * np.cos(theta) ** 2, 0.0, None))) / (np.pi * big_h ** 2))
    out = np.where(theta <= np.pi / 2 - half, full, np.where(theta >= np.pi / 2 + half, 0.0, part))
    return np.clip(out, 0.0, 1.0)


def radiator_absorbed_flux_w_per_m2(altitude_m, nadir_angle_rad, sides, absorptivity, emissivity,
                                    solar_flux_w_per_m2, albedo, earth_ir_w_per_m2, sun_incidence=0.0,
                                    ir_absorptivity=None):
    """Environmental heat absorbed per m2 of radiator panel, all emitting faces together [W/m2].

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m].
    nadir_angle_rad : array_like
        Angle of the first face's normal from nadir [rad]; a second face (``sides = 2``) points the
        opposite way (``pi - angle``).
    sides : array_like
        Emitting faces, 1 or 2.
    absorptivity, emissivity : array_like
        Solar absorptivity and infrared emissivity of the coating.
    solar_flux_w_per_m2, albedo, earth_ir_w_per_m2 : array_like
        Solar irradiance [W/m2], Bond albedo, outgoing long-wave radiation [W/m2].
    sun_incidence : array_like
        Cosine of the sun angle on the sunlit face (at most one face sees the sun).
    ir_absorptivity : array_like, optional
        Earth-IR absorptivity (the emissivity when omitted, Kirchhoff).

    Returns
    -------
    ndarray
        ``alpha S cos(theta_s) + (F_1 + (sides - 1) F_2) (alpha a S + alpha_IR q_IR)`` with each
        face's Earth view factor from :func:`earth_view_factor_plate`.

    Notes
    -----
    One consistent environment: each face emits over its whole unblocked hemisphere (the Earth is
    part of it) and absorbs the Earth's IR and albedo in proportion to its own view factor to the
    Earth, so the Earth is counted once. Structure blocking part of a face's view is handled by
    the emitting view factor of :func:`radiator_net_flux_w_per_m2` (a blocking surface at the
    radiator's temperature exchanges no net heat).

    References
    ----------
    .. [1] Gilmore (2002), ch. 2 (orbit-average albedo ``a S F_E``; Earth IR ``q_IR F_E``), ch. 6.
    """
    n = check_range(sides, "sides", 1.0, 2.0)
    theta = check_range(nadir_angle_rad, "nadir_angle_rad", 0.0, np.pi, "rad")
    f_e = earth_view_factor_plate(altitude_m, theta) + (n - 1.0) * earth_view_factor_plate(altitude_m, np.pi - theta)
    alpha = check_range(absorptivity, "absorptivity", 0.0, 1.0)
    eps = _emissivity(emissivity)
    a_ir = eps if ir_absorptivity is None else check_range(ir_absorptivity, "ir_absorptivity", 0.0, 1.0)
    s = np.asarray(solar_flux_w_per_m2, dtype=float)
    return (alpha * s * np.asarray(sun_incidence, dtype=float)
            + f_e * (alpha * np.asarray(albedo, dtype=float) * s + a_ir * np.asarray(earth_ir_w_per_m2, dtype=float)))


def radiator_area_m2(heat_w, net_flux_w_per_m2):
    """Radiator panel area for a heat load [m2].

    Parameters
    ----------
    heat_w : array_like
        Heat to reject [W].
    net_flux_w_per_m2 : array_like
        Net rejection per m2 of panel [W/m2], > 0.

    Returns
    -------
    ndarray
        ``A = Q / q_net`` [m2].

    Raises
    ------
    PhysicsError
        Where the net flux is not positive (the panel cannot reject heat).

    References
    ----------
    .. [1] Gilmore (2002), ch. 6; SMAD (1999), sec. 11.5.
    """
    q = check_above(net_flux_w_per_m2, "net_flux_w_per_m2", 0.0, "W/m2",
                    "absorbed environment exceeds emission: raise the temperature or shade the radiator")
    return np.asarray(heat_w, dtype=float) / q


def radiator_mass_kg(area_m2, areal_density_kg_per_m2):
    """Radiator mass (panel, face sheets and embedded heat pipes/tubes) [kg].

    Parameters
    ----------
    area_m2 : array_like
        Panel area [m2].
    areal_density_kg_per_m2 : array_like
        Mass per area [kg/m2].

    Returns
    -------
    ndarray
        ``m = A x rho_A`` [kg].

    References
    ----------
    .. [1] Gilmore (2002), ch. 6; Turyshev (2026): 2-10 kg/m2.
    """
    return np.asarray(area_m2, dtype=float) * np.asarray(areal_density_kg_per_m2, dtype=float)


def equilibrium_temperature_k(heat_w, area_m2, emissivity, absorbed_flux_w_per_m2=0.0, sides=1,
                              view_factor_space=1.0):
    """Steady temperature of a radiator that rejects ``heat_w`` [K].

    Parameters
    ----------
    heat_w : array_like
        Heat load [W].
    area_m2 : array_like
        Panel area [m2], > 0.
    emissivity : array_like
        Infrared emissivity, in (0, 1].
    absorbed_flux_w_per_m2 : array_like
        Environmental load per m2 of panel [W/m2].
    sides : array_like
        Emitting faces.
    view_factor_space : array_like
        Emitting view factor of each face (1 - blockage).

    Returns
    -------
    ndarray
        ``T = ((Q / A + q_abs) / (n eps F sigma))^(1/4)`` [K].

    References
    ----------
    .. [1] SMAD (1999), eq. 11-20; Gilmore (2002), ch. 6.
    """
    eps = _emissivity(emissivity)
    area = check_above(area_m2, "area_m2", 0.0, "m2")
    load = np.asarray(heat_w, dtype=float) / area + np.asarray(absorbed_flux_w_per_m2, dtype=float)
    denom = np.asarray(sides, dtype=float) * eps * np.asarray(view_factor_space, dtype=float) * STEFAN_BOLTZMANN_W_PER_M2_K4
    return (np.clip(load, 0.0, None) / denom) ** 0.25


def die_temperature_k(radiator_temperature_k, heat_w, thermal_resistance_k_per_w):
    """Chip junction temperature above the radiator [K].

    Parameters
    ----------
    radiator_temperature_k : array_like
        Radiator temperature [K].
    heat_w : array_like
        Heat through the path (one device) [W].
    thermal_resistance_k_per_w : array_like
        Junction-to-radiator resistance (cold plate, loop, heat exchanger) [K/W].

    Returns
    -------
    ndarray
        ``T_die = T_rad + Q R_th`` [K].

    References
    ----------
    .. [1] Gilmore (2002), ch. 6 and 12 (series thermal resistances of a pumped loop).
    """
    return np.asarray(radiator_temperature_k, dtype=float) + np.asarray(heat_w, dtype=float) * np.asarray(
        thermal_resistance_k_per_w, dtype=float)


def pumped_loop_mass_kg(heat_w, loop_kg_per_w):
    """Pumped fluid loop mass (pumps, fluid, cold plates, lines), linear in heat load [kg].

    Parameters
    ----------
    heat_w : array_like
        Heat carried [W].
    loop_kg_per_w : array_like
        Loop mass per W [kg/W].

    Returns
    -------
    ndarray
        ``m = Q x k`` [kg].

    References
    ----------
    .. [1] Gilmore (2002), ch. 12 (mechanically pumped fluid loops; mass scales with heat load).
    """
    return np.asarray(heat_w, dtype=float) * np.asarray(loop_kg_per_w, dtype=float)


def solar_array_temperature_k(absorptivity, efficiency, solar_flux_w_per_m2, emissivity_front, emissivity_back,
                              back_absorbed_w_per_m2=0.0):
    """Equilibrium temperature of a sun-pointed solar array that rejects its own waste heat [K].

    The array's waste heat never reaches the payload radiator: each m2 absorbs ``alpha S``, turns
    ``eta S`` into electricity and radiates the rest from both faces.

    Parameters
    ----------
    absorptivity : array_like
        Solar absorptivity of the cell side (~0.9).
    efficiency : array_like
        Electrical output over incident flux (cell efficiency x packing).
    solar_flux_w_per_m2 : array_like
        Solar irradiance [W/m2].
    emissivity_front, emissivity_back : array_like
        Infrared emissivities of the two faces, in (0, 1].
    back_absorbed_w_per_m2 : array_like
        Earth IR and albedo absorbed by the back face [W/m2].

    Returns
    -------
    ndarray
        ``T = ((alpha - eta) S + q_back) / ((eps_f + eps_b) sigma))^(1/4)`` [K].

    References
    ----------
    .. [1] Gilmore (2002), ch. 2 and 6 (energy balance of a flat plate); SMAD (1999), sec. 11.4
       (array operating temperature).
    """
    ef = _emissivity(emissivity_front)
    eb = check_range(emissivity_back, "emissivity_back", 0.0, 1.0, low_inclusive=False)
    heat = ((np.asarray(absorptivity, dtype=float) - np.asarray(efficiency, dtype=float))
            * np.asarray(solar_flux_w_per_m2, dtype=float) + np.asarray(back_absorbed_w_per_m2, dtype=float))
    return (np.clip(heat, 0.0, None) / ((ef + eb) * STEFAN_BOLTZMANN_W_PER_M2_K4)) ** 0.25


# ---------------------------------------------------------------------------------------------
# Time-step forms (the time-stepped twin, orbitaldc.simulate). Plain arithmetic and NumPy
# ufuncs only, so the same functions serve arrays of satellites (NumPy) and scalars inside the
# twin's compiled loop (numba.njit of these very functions).


def lumped_node_step(temperature_k, heat_w, area_m2, emittance, absorbed_w_per_m2, capacity_j_per_k, dt_s):
    """Advance a radiating lumped thermal node by one time step (linearized backward Euler).

    Parameters
    ----------
    temperature_k : array_like
        Node temperature at the start of the step [K].
    heat_w : array_like
        Internal dissipation during the step [W].
    area_m2 : array_like
        Radiator panel area [m2].
    emittance : array_like
        Emission per panel area over ``sigma T^4``: ``sides x eps x F_space`` as in
        :func:`radiator_net_flux_w_per_m2` [-].
    absorbed_w_per_m2 : array_like
        Environmental heat absorbed per panel area during the step [W/m2]
        (:func:`absorbed_environment_flux_w_per_m2`).
    capacity_j_per_k : array_like
        Heat capacity of the node [J/K], > 0.
    dt_s : float
        Step [s].

    Returns
    -------
    ndarray
        Temperature at the end of the step [K].

    Notes
    -----
    ``C dT/dt = Q + A q_abs - e sigma A T^4``. Linearizing the emission about ``T_k``:
    ``T_{k+1} = T_k + dt (Q + A q - e sigma A T_k^4) / (C + 4 dt e sigma A T_k^3)``, stable for
    any step relative to the time constant ``C / (4 e sigma A T^3)``. Its fixed point is the
    radiator balance of :func:`radiator_net_flux_w_per_m2`: ``Q = A (e sigma T^4 - q_abs)``.

    References
    ----------
    .. [1] Gilmore (2002), ch. 15 (lumped-node transient analysis).
    .. [2] F. P. Incropera et al., *Fundamentals of Heat and Mass Transfer*, 7th ed., sec. 5.10
       (implicit finite-difference time stepping).
    """
    g = emittance * STEFAN_BOLTZMANN_W_PER_M2_K4 * area_m2
    t3 = temperature_k * temperature_k * temperature_k
    balance = heat_w + area_m2 * absorbed_w_per_m2 - g * t3 * temperature_k
    return temperature_k + dt_s * balance / (capacity_j_per_k + 4.0 * dt_s * g * t3)


def throttle_factor(node_temperature_k, full_load_rise_k, limit_k, band_k):
    """Fraction of full compute a linear die-temperature governor allows.

    Parameters
    ----------
    node_temperature_k : array_like
        Radiator/coolant node temperature [K].
    full_load_rise_k : array_like
        Die temperature rise above the node at full compute, ``R_th x P_gpu`` [K]
        (:func:`die_temperature_k`); it scales with the throttle.
    limit_k : array_like
        Die temperature where throttling starts [K].
    band_k : array_like
        Span above the limit over which compute falls to zero [K], > 0.

    Returns
    -------
    ndarray
        ``x`` in [0, 1] solving ``x = 1 - (T_node + x dT - T_lim) / band``.

    Notes
    -----
    ``x = clip((1 - (T_node - T_lim) / band) / (1 + dT / band), 0, 1)``; it is >= 1 (no
    throttling) exactly when the die at full load stays at or below the limit,
    ``T_node + dT <= T_lim``.

    References
    ----------
    .. [1] NVIDIA, *nvidia-smi* documentation: "GPU Slowdown Temp" / "GPU Shutdown Temp"
       (clocks reduced above a die threshold, stopped above a higher one).
    """
    x = (1.0 - (node_temperature_k - limit_k) / band_k) / (1.0 + full_load_rise_k / band_k)
    return np.minimum(np.maximum(x, 0.0), 1.0)
