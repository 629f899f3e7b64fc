"""Atmospheric drag: density versus altitude, drag, delta-v per year, propellant, decay time.

References
----------
.. [Vallado] D. A. Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed. (2013),
   sec. 8.6.2, Table 8-4 (exponential atmosphere from CIRA-72: base altitude, nominal density,
   scale height) and the drag acceleration ``a = -1/2 rho C_D A / m v^2`` (sec. 8.6.2).
.. [SMAD] J. R. Wertz and W. J. Larson, *Space Mission Analysis and Design*, 3rd ed. (1999),
   sec. 8.1.4 (solar activity changes LEO density by about an order of magnitude; lifetime),
   Table 8-3 (delta-v to maintain altitude).
.. [Tsiolkovsky] rocket equation ``m_p = m_dry (exp(dv / (Isp g0)) - 1)`` (SMAD sec. 17.1).
"""

from __future__ import annotations

import numpy as np

from orbitaldc.constants import (EARTH_MU_M3_PER_S2, EARTH_RADIUS_M, MIN_ORBIT_ALTITUDE_M,
                                 SECONDS_PER_JULIAN_YEAR, STANDARD_GRAVITY_M_PER_S2)
from orbitaldc.physics import check_above, check_altitude

__all__ = ["EXPONENTIAL_ATMOSPHERE", "decay_time_s", "delta_v_per_yr_m_per_s", "density_kg_per_m3",
           "drag_acceleration_m_per_s2", "propellant_mass_kg"]

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
    """Atmospheric density [kg/m3] from the exponential model of Vallado Table 8-4.

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
    """
    h_km = check_altitude(altitude_m) / 1e3
    base = EXPONENTIAL_ATMOSPHERE[:, 0]
    idx = np.clip(np.searchsorted(base, h_km, side="right") - 1, 0, len(base) - 1)
    h0, rho0, scale = (EXPONENTIAL_ATMOSPHERE[idx, j] for j in range(3))
    return rho0 * np.exp(-(h_km - h0) / scale) * np.asarray(solar_activity_factor, dtype=float)


def drag_acceleration_m_per_s2(altitude_m, drag_coefficient, area_m2, mass_kg, solar_activity_factor=1.0):
    """Drag deceleration of a circular orbit, ``a = rho v^2 C_D A / (2 m)`` [m/s2] (Vallado sec. 8.6)."""
    h = check_altitude(altitude_m)
    m = check_above(mass_kg, "mass_kg", 0.0, "kg")
    v2 = EARTH_MU_M3_PER_S2 / (EARTH_RADIUS_M + h)
    return 0.5 * density_kg_per_m3(h, solar_activity_factor) * v2 * np.asarray(drag_coefficient, dtype=float) * np.asarray(area_m2, dtype=float) / m


def delta_v_per_yr_m_per_s(altitude_m, drag_coefficient, area_m2, mass_kg, solar_activity_factor=1.0):
    """Velocity increment per year to hold altitude against drag, ``a_D x 1 yr`` [m/s] (SMAD Table 8-3)."""
    return drag_acceleration_m_per_s2(altitude_m, drag_coefficient, area_m2, mass_kg,
                                      solar_activity_factor) * SECONDS_PER_JULIAN_YEAR


def propellant_mass_kg(dry_mass_kg, delta_v_m_per_s, specific_impulse_s):
    """Propellant for a velocity increment, ``m_p = m_dry (exp(dv / (Isp g0)) - 1)`` [kg] (rocket equation)."""
    isp = check_above(specific_impulse_s, "specific_impulse_s", 0.0, "s")
    return np.asarray(dry_mass_kg, dtype=float) * np.expm1(np.asarray(delta_v_m_per_s, dtype=float) / (isp * STANDARD_GRAVITY_M_PER_S2))


def decay_time_s(altitude_m, drag_coefficient, area_m2, mass_kg, solar_activity_factor=1.0, steps=400):
    """Time for a circular orbit to decay to 150 km without propulsion [s].

    Notes
    -----
    ``da/dt = -rho(a) sqrt(mu a) C_D A / m`` for a circular orbit (Vallado sec. 8.6.2; King-Hele, *Satellite Orbits in an Atmosphere*, 1987);
    ``t = integral from 150 km to h of dh / |da/dt|``, by the trapezoid rule on ``steps`` points.
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
