"""Atmospheric drag: density versus altitude, drag, delta-v per year, propellant, decay time.

References
----------
.. [Vallado] D. A. Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed. (2013),
   sec. 8.6.2, Table 8-4 (exponential atmosphere from CIRA-72: base altitude, nominal density,
   scale height) and the drag acceleration ``a = -1/2 rho C_D A / m v^2`` (sec. 8.6.2).
.. [SMAD] J. R. Wertz and W. J. Larson, *Space Mission Analysis and Design*, 3rd ed. (1999),
   sec. 8.1.4 (solar activity changes LEO density by about an order of magnitude; lifetime),
   Table 8-3 (delta-v to maintain altitude).
.. [KingHele] D. King-Hele, *Satellite Orbits in an Atmosphere: Theory and Applications*, Blackie
   (1987), ch. 4 (decay of a circular orbit ``da/dt = -rho sqrt(mu a) C_D A / m``).
.. [Cauchy] The mean projected area of a convex body over random orientations is a quarter of its
   surface area (Cauchy's surface-area formula; e.g. Santalo, *Integral Geometry and Geometric
   Probability*, 1976, ch. 13).
.. [FCC2022] FCC 22-74, "Space Innovation; Mitigation of Orbital Debris in the New Space Age",
   Second Report and Order (2022): LEO satellites dispose within 5 years of mission end.
.. [Tsiolkovsky] rocket equation ``m_p = m_dry (exp(dv / (Isp g0)) - 1)`` (SMAD sec. 17.1).
"""

from __future__ import annotations

import numpy as np

from orbitaldc.constants import (EARTH_MU_M3_PER_S2, EARTH_RADIUS_M, MIN_ORBIT_ALTITUDE_M,
                                 SECONDS_PER_JULIAN_YEAR, STANDARD_GRAVITY_M_PER_S2)
from orbitaldc.physics import check_above, check_altitude

__all__ = ["EXPONENTIAL_ATMOSPHERE", "decay_integral", "decay_time_s", "decay_time_from_integral_s",
           "delta_v_per_yr_m_per_s",
           "density_kg_per_m3", "disposal_altitude_m", "drag_acceleration_m_per_s2", "hohmann_delta_v_m_per_s",
           "make_up_delta_v_per_yr_m_per_s", "propellant_mass_kg", "tumbling_area_m2"]

#: Vallado (2013) Table 8-4: base altitude [km], nominal density [kg/m3], scale height [km]
#: (CIRA-72, mean solar activity), from 150 km up.
EXPONENTIAL_ATMOSPHERE = np.array([
    [150, 2.070e-9, 22.523], [180, 5.464e-10, 29.740], [200, 2.789e-10, 37.105],
    [250, 7.248e-11, 45.546], [300, 2.418e-11, 53.628], [350, 9.518e-12, 53.298],
    [400, 3.725e-12, 58.515], [450, 1.585e-12, 60.828], [500, 6.967e-13, 63.822],
    [600, 1.454e-13, 71.835], [700, 3.614e-14, 88.667], [800, 1.170e-14, 124.64],
    [900, 5.245e-15, 181.05], [1000, 3.019e-15, 268.00],
])


def density_kg_per_m3(altitude_m, solar_activity_factor=1.0):
    """Atmospheric density [kg/m3] from the exponential model of Vallado Table 8-4 (the fallback).

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m], >= 150 km.
    solar_activity_factor : array_like
        Multiplier on the mean-activity density (SMAD sec. 8.1.4: roughly 0.3 at solar minimum
        to 3-5 at solar maximum around 500 km).

    Returns
    -------
    ndarray
        ``rho = rho_0 exp(-(h - h_0) / H)`` with the band's base altitude ``h_0`` (above 1000 km
        the last band is extrapolated).

    References
    ----------
    .. [1] Vallado (2013), sec. 8.6.2, Table 8-4 (CIRA-72).
    """
    h_km = check_altitude(altitude_m) / 1e3
    base = EXPONENTIAL_ATMOSPHERE[:, 0]
    idx = np.clip(np.searchsorted(base, h_km, side="right") - 1, 0, len(base) - 1)
    h0, rho0, scale = (EXPONENTIAL_ATMOSPHERE[idx, j] for j in range(3))
    return rho0 * np.exp(-(h_km - h0) / scale) * np.asarray(solar_activity_factor, dtype=float)


def drag_acceleration_m_per_s2(altitude_m, drag_coefficient, area_m2, mass_kg, solar_activity_factor=1.0):
    """Drag deceleration of a circular orbit (exponential atmosphere) [m/s2].

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m].
    drag_coefficient : array_like
        ``C_D``.
    area_m2 : array_like
        Area facing the flow [m2].
    mass_kg : array_like
        Mass [kg], > 0.
    solar_activity_factor : array_like
        Multiplier on the mean-activity density.

    Returns
    -------
    ndarray
        ``a = rho v^2 C_D A / (2 m)`` [m/s2].

    References
    ----------
    .. [1] Vallado (2013), sec. 8.6.2.
    """
    h = check_altitude(altitude_m)
    m = check_above(mass_kg, "mass_kg", 0.0, "kg")
    v2 = EARTH_MU_M3_PER_S2 / (EARTH_RADIUS_M + h)
    return 0.5 * density_kg_per_m3(h, solar_activity_factor) * v2 * np.asarray(drag_coefficient, dtype=float) * np.asarray(area_m2, dtype=float) / m


def delta_v_per_yr_m_per_s(altitude_m, drag_coefficient, area_m2, mass_kg, solar_activity_factor=1.0):
    """Velocity increment per year to hold altitude against drag (exponential atmosphere) [m/s].

    Parameters
    ----------
    altitude_m, drag_coefficient, area_m2, mass_kg, solar_activity_factor : array_like
        As in :func:`drag_acceleration_m_per_s2`.

    Returns
    -------
    ndarray
        ``a_D x 1 yr`` [m/s].

    References
    ----------
    .. [1] SMAD (1999), Table 8-3.
    """
    return drag_acceleration_m_per_s2(altitude_m, drag_coefficient, area_m2, mass_kg,
                                      solar_activity_factor) * SECONDS_PER_JULIAN_YEAR


def propellant_mass_kg(dry_mass_kg, delta_v_m_per_s, specific_impulse_s):
    """Propellant for a velocity increment [kg].

    Parameters
    ----------
    dry_mass_kg : array_like
        Final (dry) mass [kg].
    delta_v_m_per_s : array_like
        Total velocity increment [m/s].
    specific_impulse_s : array_like
        Specific impulse [s], > 0.

    Returns
    -------
    ndarray
        ``m_p = m_dry (exp(dv / (Isp g0)) - 1)`` (rocket equation).

    References
    ----------
    .. [1] SMAD (1999), sec. 17.1.
    """
    isp = check_above(specific_impulse_s, "specific_impulse_s", 0.0, "s")
    return np.asarray(dry_mass_kg, dtype=float) * np.expm1(np.asarray(delta_v_m_per_s, dtype=float) / (isp * STANDARD_GRAVITY_M_PER_S2))


def decay_time_s(altitude_m, drag_coefficient, area_m2, mass_kg, solar_activity_factor=1.0, steps=400):
    """Time for a circular orbit to decay to 150 km without propulsion (exponential atmosphere) [s].

    Parameters
    ----------
    altitude_m : array_like
        Starting altitude [m].
    drag_coefficient, area_m2, mass_kg : array_like
        ``C_D``, area facing the flow [m2] and mass [kg].
    solar_activity_factor : array_like
        Multiplier on the mean-activity density.
    steps : int
        Trapezoid points.

    Returns
    -------
    ndarray
        ``t = integral from 150 km to h of dh / |da/dt|`` with ``da/dt = -rho sqrt(mu a) C_D A / m``.

    References
    ----------
    .. [1] Vallado (2013), sec. 8.6.2; King-Hele (1987), ch. 4.
    """
    h = check_altitude(altitude_m)
    m = check_above(mass_kg, "mass_kg", 0.0, "kg")
    ballistic = np.asarray(drag_coefficient, dtype=float) * np.asarray(area_m2, dtype=float) / m
    frac = np.linspace(0.0, 1.0, int(steps))
    grid = MIN_ORBIT_ALTITUDE_M + (h[..., None] - MIN_ORBIT_ALTITUDE_M) * frac
    rate = density_kg_per_m3(grid, np.asarray(solar_activity_factor, dtype=float)[..., None]) * np.sqrt(
        EARTH_MU_M3_PER_S2 * (EARTH_RADIUS_M + grid))
    integrand = 1.0 / rate
    dh = (h - MIN_ORBIT_ALTITUDE_M)[..., None] / (int(steps) - 1)
    return np.sum(0.5 * (integrand[..., 1:] + integrand[..., :-1]) * dh, axis=-1) / ballistic


def tumbling_area_m2(plate_area_m2):
    """Orientation-averaged projected area of thin flat plates (a tumbling satellite) [m2].

    Parameters
    ----------
    plate_area_m2 : array_like
        One-face area of the flat panels (arrays, radiators) [m2].

    Returns
    -------
    ndarray
        ``A / 2``: a plate's surface is ``2 A`` (two faces) and a convex body's mean projected
        area is a quarter of its surface (Cauchy).

    References
    ----------
    .. [1] Cauchy's surface-area formula (Santalo 1976, ch. 13).
    """
    return 0.5 * np.asarray(plate_area_m2, dtype=float)


def make_up_delta_v_per_yr_m_per_s(altitude_m, density_kg_per_m3_, drag_coefficient, area_m2, mass_kg):
    """Velocity increment per year that holds a circular orbit against drag [m/s].

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m].
    density_kg_per_m3_ : array_like
        Time-average density along the orbit [kg/m3] (e.g. NRLMSIS over the mission).
    drag_coefficient : array_like
        ``C_D`` (~2.2).
    area_m2 : array_like
        Projected area facing the flow [m2].
    mass_kg : array_like
        Satellite mass [kg], > 0.

    Returns
    -------
    ndarray
        ``dv = 1/2 rho v^2 C_D A / m x 1 yr`` [m/s] (linear in density, so a time-average density
        gives the exact yearly total).

    References
    ----------
    .. [1] Vallado (2013), sec. 8.6.2; SMAD (1999), Table 8-3.
    """
    h = check_altitude(altitude_m)
    m = check_above(mass_kg, "mass_kg", 0.0, "kg")
    v2 = EARTH_MU_M3_PER_S2 / (EARTH_RADIUS_M + h)
    return (0.5 * np.asarray(density_kg_per_m3_, dtype=float) * v2 * np.asarray(drag_coefficient, dtype=float)
            * np.asarray(area_m2, dtype=float) / m * SECONDS_PER_JULIAN_YEAR)


def decay_integral(profile_altitude_m, profile_density_kg_per_m3):
    """Decay integral of a density profile, ``I(h) = integral from h_0 to h of dh / (rho sqrt(mu r))``.

    Parameters
    ----------
    profile_altitude_m : array_like
        Altitudes, ascending, shape (n,) [m]; the first is the re-entry altitude ``h_0``.
    profile_density_kg_per_m3 : array_like
        Density on those altitudes, shape (..., n) [kg/m3] (e.g. a solar-cycle average).

    Returns
    -------
    ndarray
        ``I`` on the altitudes, shape (..., n) [s m2/kg] (trapezoid rule); a circular orbit at ``h``
        decays to ``h_0`` in ``I(h) / (C_D A / m)``.

    References
    ----------
    .. [1] King-Hele (1987), ch. 4 (``da/dt = -rho sqrt(mu a) C_D A / m``).
    """
    grid = np.asarray(profile_altitude_m, dtype=float)
    rate = np.asarray(profile_density_kg_per_m3, dtype=float) * np.sqrt(EARTH_MU_M3_PER_S2 * (EARTH_RADIUS_M + grid))
    inv = 1.0 / rate
    steps = 0.5 * (inv[..., 1:] + inv[..., :-1]) * np.diff(grid)
    return np.concatenate([np.zeros(inv.shape[:-1] + (1,)), np.cumsum(steps, axis=-1)], axis=-1)


def decay_time_from_integral_s(altitude_m, ballistic_m2_per_kg, profile_altitude_m, integral):
    """Natural decay time of a circular orbit to the re-entry altitude of a decay integral [s].

    Parameters
    ----------
    altitude_m : array_like
        Starting altitude [m].
    ballistic_m2_per_kg : array_like
        ``C_D A / m`` [m2/kg], > 0.
    profile_altitude_m : array_like
        Altitudes of the integral, shape (n,) [m].
    integral : array_like
        :func:`decay_integral` on those altitudes, shape (..., n) [s m2/kg].

    Returns
    -------
    ndarray
        ``t = I(h) / (C_D A / m)``, ``I`` interpolated linearly in altitude.

    References
    ----------
    .. [1] King-Hele (1987), ch. 4; Vallado (2013), sec. 8.6.2.
    """
    h = check_altitude(altitude_m)
    b = check_above(ballistic_m2_per_kg, "ballistic_m2_per_kg", 0.0, "m2/kg")
    grid = np.asarray(profile_altitude_m, dtype=float)
    pos = np.interp(h, grid, np.arange(grid.size))
    k = np.clip(np.asarray(pos).astype(int), 0, grid.size - 2)
    rows = np.asarray(integral, dtype=float)
    rows = np.broadcast_to(rows, np.broadcast_shapes(rows.shape, np.shape(k) + (1,)))
    k = np.broadcast_to(k, rows.shape[:-1])[..., None]
    frac = np.broadcast_to(pos - np.asarray(pos).astype(int).clip(0, grid.size - 2), rows.shape[:-1])
    lo = np.take_along_axis(rows, k, axis=-1)[..., 0]
    hi = np.take_along_axis(rows, k + 1, axis=-1)[..., 0]
    return (lo * (1.0 - frac) + hi * frac) / b


def disposal_altitude_m(disposal_s, ballistic_m2_per_kg, profile_altitude_m, integral):
    """Highest circular altitude from which natural decay takes at most ``disposal_s`` [m].

    Parameters
    ----------
    disposal_s : array_like
        Allowed decay time after mission end [s] (FCC 2022: 5 years).
    ballistic_m2_per_kg : array_like
        ``C_D A / m`` of the (tumbling) satellite [m2/kg].
    profile_altitude_m, integral : array_like
        Altitudes and :func:`decay_integral` as in :func:`decay_time_from_integral_s`.

    Returns
    -------
    ndarray
        Altitude [m] (the top of the profile if even it decays in time).

    References
    ----------
    .. [1] FCC 22-74 (2022); King-Hele (1987), ch. 4.
    """
    grid = np.asarray(profile_altitude_m, dtype=float)
    per_b = np.asarray(integral, dtype=float)
    target = np.asarray(disposal_s, dtype=float) * np.asarray(ballistic_m2_per_kg, dtype=float)
    shape = np.broadcast_shapes(target.shape, per_b.shape[:-1])
    rows = np.broadcast_to(per_b, shape + (grid.size,))
    t = np.broadcast_to(target, shape)[..., None]
    # rows rise monotonically from 0: the bracketing index of the target in each row
    k = np.clip(np.sum(rows <= t, axis=-1) - 1, 0, grid.size - 2)[..., None]
    lo = np.take_along_axis(rows, k, axis=-1)
    hi = np.take_along_axis(rows, k + 1, axis=-1)
    frac = np.clip((t - lo) / np.where(hi > lo, hi - lo, 1.0), 0.0, 1.0)
    return (grid[k] + frac * (grid[k + 1] - grid[k]))[..., 0]


def hohmann_delta_v_m_per_s(altitude_from_m, altitude_to_m):
    """Two-burn Hohmann transfer between circular orbits [m/s].

    Parameters
    ----------
    altitude_from_m, altitude_to_m : array_like
        Initial and final altitudes [m].

    Returns
    -------
    ndarray
        ``|sqrt(mu/r1)(sqrt(2 r2/(r1+r2)) - 1)| + |sqrt(mu/r2)(1 - sqrt(2 r1/(r1+r2)))|``; 0 when
        the altitudes are equal.

    References
    ----------
    .. [1] Vallado (2013), sec. 6.3.1, Algorithm 36 (Hohmann transfer).
    """
    r1 = EARTH_RADIUS_M + check_altitude(altitude_from_m, "altitude_from_m")
    r2 = EARTH_RADIUS_M + check_altitude(altitude_to_m, "altitude_to_m")
    a = 0.5 * (r1 + r2)
    dv1 = np.abs(np.sqrt(EARTH_MU_M3_PER_S2 / r1) * (np.sqrt(r2 / a) - 1.0))
    dv2 = np.abs(np.sqrt(EARTH_MU_M3_PER_S2 / r2) * (1.0 - np.sqrt(r1 / a)))
    return dv1 + dv2
