"""Year sunlight of circular orbits: sun fraction, eclipse season and battery cycles, exactly and
from precomputed surfaces (array speed).

:func:`year_sunlight` loops a beta angle over the days of a year for every orbit; a Monte Carlo over altitude, inclination or node time would repeat that per sample. Here the
same function is evaluated once per (orbit family, start epoch) on a grid -- altitude x inclination
(``"leo"``), altitude x local time of the ascending node (``"sso"``) or altitude x dawn/dusk
(``"terminator"``) -- and queries interpolate bilinearly in the fractions (sun fraction, share of
orbits with an eclipse, longest eclipse as a fraction of the period, smallest abs(beta)); durations
and counts are rebuilt with the exact period. ``tests/physics/test_sunlight_surfaces.py`` states
the agreement with the exact computation.

References
----------
.. [1] Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed. (2013), sec. 5.3 and 9.6;
   Gilmore (2002), ch. 2 (beta angle and eclipse fraction).
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from orbitaldc.constants import SECONDS_PER_DAY
from orbitaldc.physics import check_altitude, check_range
from orbitaldc.physics import eclipse as _eclipse
from orbitaldc.physics import orbit as _orbit

__all__ = ["ALTITUDE_GRID_M", "YearSunlight", "year_average_sun_fraction", "year_sunlight", "year_sunlight_fast"]

class YearSunlight(NamedTuple):
    """Sunlight statistics of an orbit over a span (default one year)."""

    sun_fraction: np.ndarray  #: time-average sunlit fraction (cylindrical shadow)
    eclipse_fraction: np.ndarray  #: time-average shadow fraction, ``1 - sun_fraction``
    eclipse_orbit_fraction: np.ndarray  #: share of orbits that have an eclipse
    max_eclipse_duration_s: np.ndarray  #: longest eclipse [s]
    eclipses_per_yr: np.ndarray  #: eclipses (battery cycles) per year
    min_abs_beta_rad: np.ndarray  #: smallest abs(beta) over the span [rad]
    inclination_rad: np.ndarray  #: the orbit's inclination (derived for sso/terminator) [rad]


def year_sunlight(altitude_m, orbit_type="leo", start_julian_date=None, inclination_rad=0.0,
                  ltan_h=18.0, days=365.25, samples=366):
    """Year-average sunlit fraction, eclipse season and battery cycles of a circular orbit.

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m].
    orbit_type : {"leo", "sso", "terminator"}
        Orbit family (:func:`orbit_geometry`).
    start_julian_date : float, optional
        Start of the span [days]; J2000.0 when omitted (the year average hardly depends on it).
    inclination_rad, ltan_h : array_like
        See :func:`orbit_geometry`.
    days : float
        Span [days].
    samples : int
        Beta-angle samples over the span (daily by default).

    Returns
    -------
    YearSunlight

    Notes
    -----
    ``sun_fraction = 1 - mean_t f_E(h, beta(t))`` with the beta angle of
    :func:`beta_angle_over_year_rad` (sun ephemeris plus J2 node drift) and the cylindrical
    eclipse fraction ``f_E`` of :func:`eclipse_fraction`. Eclipses per year
    ``= (orbits per year) x (share of samples with f_E > 0)``.

    References
    ----------
    .. [1] Gilmore (2002), ch. 2; Vallado (2013), sec. 5.3 and 9.6.
    """
    jd0 = _orbit.JD_J2000 if start_julian_date is None else float(start_julian_date)
    h = check_altitude(altitude_m)
    inc, raan = _orbit.orbit_geometry(orbit_type, h, jd0, inclination_rad, ltan_h)
    series = _orbit.beta_angle_over_year_rad(h, inc, raan, jd0, days, samples)
    hh = np.asarray(h)[..., None] if np.ndim(h) else h
    frac = _eclipse.eclipse_fraction(hh, series.beta_rad)
    mean_shadow = frac.mean(axis=-1)
    in_season = (frac > 0.0).mean(axis=-1)
    period = _orbit.orbital_period_s(h)
    orbits_per_yr = 365.25 * SECONDS_PER_DAY / period
    return YearSunlight(
        sun_fraction=1.0 - mean_shadow, eclipse_fraction=mean_shadow, eclipse_orbit_fraction=in_season,
        max_eclipse_duration_s=frac.max(axis=-1) * period, eclipses_per_yr=orbits_per_yr * in_season,
        min_abs_beta_rad=np.abs(series.beta_rad).min(axis=-1), inclination_rad=inc)


def year_average_sun_fraction(altitude_m, orbit_type="leo", start_julian_date=None, inclination_rad=0.0,
                              ltan_h=18.0):
    """Year-average sunlit fraction of a circular orbit.

    Parameters
    ----------
    altitude_m, orbit_type, start_julian_date, inclination_rad, ltan_h
        As in :func:`year_sunlight`.

    Returns
    -------
    ndarray
        ``year_sunlight(...).sun_fraction``.

    References
    ----------
    .. [1] Gilmore (2002), ch. 2; Vallado (2013), sec. 5.3 and 9.6.
    """
    return year_sunlight(altitude_m, orbit_type, start_julian_date, inclination_rad, ltan_h).sun_fraction


#: altitudes of the surfaces [m] (25 km steps to 2,000 km)
ALTITUDE_GRID_M = np.arange(150e3, 2000e3 + 1.0, 25e3)
_INCLINATION_GRID_RAD = np.radians(np.arange(0.0, 180.01, 1.0))
#: node local times [h]: 15 min steps; 6 min within 3 h of dawn-dusk and 3 min within 1.5 h, where
#: the eclipse season starts and ends steeply
_LTAN_GRID_H = np.unique(np.round(np.concatenate([np.arange(0.0, 24.01, 0.25), np.arange(3.0, 9.01, 0.1),
                                                  np.arange(15.0, 21.01, 0.1), np.arange(4.5, 7.51, 0.05),
                                                  np.arange(16.5, 19.51, 0.05)]), 4))


@lru_cache(maxsize=16)
def _surface(orbit_type: str, start_julian_date: float) -> tuple[np.ndarray, np.ndarray]:
    """(second-axis grid, stacked fractions (5, altitude, second axis)) of one family and epoch."""
    if orbit_type == "leo":
        axis = _INCLINATION_GRID_RAD
        h, x = np.meshgrid(ALTITUDE_GRID_M, axis, indexing="ij")
        ys = year_sunlight(h, "leo", start_julian_date, inclination_rad=x)
    else:
        axis = _LTAN_GRID_H if orbit_type == "sso" else np.array([6.0, 18.0])
        h, x = np.meshgrid(ALTITUDE_GRID_M, axis, indexing="ij")
        ys = year_sunlight(h, orbit_type, start_julian_date, ltan_h=x)
    period = _orbit.orbital_period_s(h)
    fields = np.stack([ys.sun_fraction, ys.eclipse_orbit_fraction, ys.max_eclipse_duration_s / period,
                       ys.min_abs_beta_rad, ys.inclination_rad])
    fields.setflags(write=False)
    return axis, fields


def _bilinear(axis, fields, h, x):
    ih = np.interp(h, ALTITUDE_GRID_M, np.arange(ALTITUDE_GRID_M.size))
    ix = np.interp(x, axis, np.arange(axis.size))
    i0 = np.clip(ih.astype(int), 0, ALTITUDE_GRID_M.size - 2)
    j0 = np.clip(ix.astype(int), 0, axis.size - 2)
    fh, fx = ih - i0, ix - j0
    return ((1 - fh) * (1 - fx) * fields[:, i0, j0] + fh * (1 - fx) * fields[:, i0 + 1, j0]
            + (1 - fh) * fx * fields[:, i0, j0 + 1] + fh * fx * fields[:, i0 + 1, j0 + 1])


def year_sunlight_fast(altitude_m, orbit_type="leo", start_julian_date=None, inclination_rad=0.0,
                       ltan_h=18.0) -> YearSunlight:
    """Year sunlight statistics of circular orbits from precomputed surfaces.

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m], 150-2,000 km.
    orbit_type : {"leo", "sso", "terminator"}
        Orbit family (:func:`orbitaldc.physics.orbit.orbit_geometry`).
    start_julian_date : float, optional
        Start of the year [days]; J2000.0 when omitted. One surface is built per epoch and cached.
    inclination_rad : array_like
        Inclination for ``"leo"`` [rad].
    ltan_h : array_like
        Node local time for ``"sso"`` (``"terminator"``: 6 or 18, else 18) [h].

    Returns
    -------
    YearSunlight
        Same fields as the exact computation, in the broadcast shape of the inputs.

    Notes
    -----
    The surfaces are :func:`year_sunlight` on a 25 km x 1 deg (``"leo"``) or
    25 km x 15 min (``"sso"``; 3-6 min near dawn-dusk) grid; the longest eclipse is interpolated as a fraction of the period
    and multiplied by the exact period; eclipses per year are the orbits per year times the
    interpolated share of orbits with an eclipse.

    References
    ----------
    .. [1] Vallado (2013), sec. 5.3 and 9.6; Gilmore (2002), ch. 2.
    """
    jd0 = _orbit.JD_J2000 if start_julian_date is None else float(start_julian_date)
    h = check_altitude(altitude_m)
    if orbit_type not in _orbit.ORBIT_TYPES:
        _orbit.orbit_geometry(orbit_type, h, jd0)  # raises the library's message
    axis, fields = _surface(orbit_type, jd0)
    if orbit_type == "leo":
        inc, _ = _orbit.orbit_geometry("leo", h, jd0, inclination_rad)
        x = inc
    elif orbit_type == "sso":
        x = check_range(ltan_h, "ltan_h", 0.0, 24.0, "h") + 0.0 * h
    else:
        x = np.where(np.isclose(np.asarray(ltan_h, dtype=float), 6.0), 6.0, 18.0) + 0.0 * h
    hb, xb = np.broadcast_arrays(h, x)
    sun, in_season, max_frac, min_beta, _ = _bilinear(axis, fields, hb, xb)
    period = _orbit.orbital_period_s(hb)
    inc = xb if orbit_type == "leo" else _orbit.sun_synchronous_inclination_rad(hb)
    orbits_per_yr = 365.25 * SECONDS_PER_DAY / period
    return YearSunlight(sun_fraction=sun, eclipse_fraction=1.0 - sun, eclipse_orbit_fraction=in_season,
                               max_eclipse_duration_s=max_frac * period, eclipses_per_yr=orbits_per_yr * in_season,
                               min_abs_beta_rad=min_beta, inclination_rad=inc)
