"""Year sunlight of circular orbits: sun fraction, eclipse season and battery cycles, exactly and
from precomputed surfaces (array speed).

:func:`year_sunlight` loops a beta angle over the days of a year for every orbit; a Monte Carlo
over altitude, inclination or node time would repeat that per sample. Here the same function is
evaluated once per (orbit family, start epoch) on a grid -- altitude x inclination (``"leo"``, a
shell with nodes spread over 360 deg), altitude x local time of the ascending node (``"sso"``) or
altitude x dawn/dusk (``"terminator"``) -- and queries interpolate bilinearly in the sun fraction,
the share of orbits with an eclipse and the smallest abs(beta); the longest eclipse, durations and
counts are rebuilt with the exact period and eclipse geometry.
``tests/physics/test_sunlight_surfaces.py`` states the agreement with the exact computation,
``tests/physics/test_sunlight_shell.py`` the shell's against a time-stepped Walker shell.

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
from orbitaldc.errors import PhysicsError
from orbitaldc.physics import check_altitude, check_range
from orbitaldc.physics import eclipse as _eclipse
from orbitaldc.physics import orbit as _orbit

__all__ = ["ALTITUDE_GRID_M", "LEO_SHELL_NODES", "YearSunlight", "year_average_sun_fraction", "year_sunlight",
           "year_sunlight_fast"]

class YearSunlight(NamedTuple):
    """Sunlight statistics of an orbit over a span (default one year)."""

    sun_fraction: np.ndarray  #: time-average sunlit fraction (cylindrical shadow)
    eclipse_fraction: np.ndarray  #: time-average shadow fraction, ``1 - sun_fraction``
    eclipse_orbit_fraction: np.ndarray  #: share of orbits that have an eclipse
    max_eclipse_duration_s: np.ndarray  #: longest eclipse [s]
    eclipses_per_yr: np.ndarray  #: eclipses (battery cycles) per year
    min_abs_beta_rad: np.ndarray  #: smallest abs(beta) over the span [rad]
    inclination_rad: np.ndarray  #: the orbit's inclination (derived for sso/terminator) [rad]


#: initial nodes of a ``"leo"`` shell, evenly spread over 360 deg: the mean sun fraction over 64 and
#: 128 nodes differs by 1.3e-4 at most (tests/physics/test_sunlight_shell.py)
LEO_SHELL_NODES = 64
#: most nodes a caller may ask for (memory: chunk orbits x nodes x samples)
_MAX_SHELL_NODES = 4096
#: orbits evaluated at once by :func:`year_sunlight` (memory: orbits x nodes x samples)
_ORBIT_CHUNK = 256


def year_sunlight(altitude_m, orbit_type="leo", start_julian_date=None, inclination_rad=0.0,
                  ltan_h=18.0, days=365.25, samples=366, nodes=LEO_SHELL_NODES):
    """Year-average sunlit fraction, eclipse season and battery cycles of a circular orbit or LEO shell.

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m].
    orbit_type : {"leo", "sso", "terminator"}
        Orbit family (:func:`orbit_geometry`). ``"leo"`` is a shell: planes at the given altitude
        and inclination with nodes spread evenly over 360 deg (a Walker shell,
        :func:`orbitaldc.simulate.layout.walker_delta`); ``"sso"`` and ``"terminator"`` are one
        plane at a fixed node local time.
    start_julian_date : float, optional
        Start of the span [days]; J2000.0 when omitted (the year average hardly depends on it).
    inclination_rad, ltan_h : array_like
        See :func:`orbit_geometry`.
    days : float
        Span [days].
    samples : int
        Beta-angle samples over the span (daily by default).
    nodes : int
        Initial nodes of a ``"leo"`` shell, ``2 pi k / nodes`` (:data:`LEO_SHELL_NODES`; 1 is the
        single plane with node 0 at the epoch), 1-4,096.

    Returns
    -------
    YearSunlight
        For ``"leo"`` the fleet's mean sun fraction, eclipse fraction and share of eclipsed orbits
        (eclipses per year: the mean battery cycles of a satellite), and the longest eclipse and
        smallest abs(beta) of the worst plane (every satellite's battery carries its own plane's
        longest eclipse, so the design sizes for the worst one).

    Notes
    -----
    ``sun_fraction = 1 - mean_(k,t) f_E(h, beta_k(t))`` with the beta angle of
    :func:`beta_angle_over_year_rad` (sun ephemeris plus J2 node drift) for every initial node
    ``Omega_k`` and the cylindrical eclipse fraction ``f_E`` of :func:`eclipse_fraction`; longest
    eclipse ``max_(k,t) f_E x period``; eclipses per year ``= (orbits per year) x (share of
    (k, t) with f_E > 0)``. A shell is unchanged by a rotation about the pole, so its nodes stay
    evenly spread while they drift and the shell's means depend on the sun's declination only:
    near the sun-synchronous inclination, where one plane keeps its node local time all year, the
    shell holds every local time (a single plane would depend on the arbitrary node chosen at the
    epoch). Some plane holds the Sun in its plane at the equinoxes, so the worst longest eclipse is
    ``f_E(h, 0) x period`` for every inclination.

    References
    ----------
    .. [1] Gilmore (2002), ch. 2; Vallado (2013), sec. 5.3 and 9.6.
    .. [2] J. G. Walker, "Satellite constellations", J. Br. Interplanet. Soc. 37 (1984) 559-572.
    """
    jd0 = _orbit.JD_J2000 if start_julian_date is None else float(start_julian_date)
    h = check_altitude(altitude_m)
    inc, raan = _orbit.orbit_geometry(orbit_type, h, jd0, inclination_rad, ltan_h)
    hb = np.asarray(h + 0.0 * inc, dtype=float)
    k = int(check_range(nodes, "nodes", 1.0, _MAX_SHELL_NODES))
    if k != nodes:
        raise PhysicsError(f"nodes = {nodes!r} is not a whole number; allowed: 1-{_MAX_SHELL_NODES}")
    offsets = 2.0 * np.pi * np.arange(k) / k if orbit_type == "leo" else np.zeros(1)
    flat = [np.ravel(x) for x in (hb, inc, raan)]
    parts = [_shell_statistics(*(x[k:k + _ORBIT_CHUNK] for x in flat), offsets, jd0, days, samples)
             for k in range(0, max(flat[0].size, 1), _ORBIT_CHUNK)]
    mean_shadow, in_season, worst, min_beta = (np.concatenate(x).reshape(hb.shape)[()] for x in zip(*parts))
    period = _orbit.orbital_period_s(hb)
    orbits_per_yr = 365.25 * SECONDS_PER_DAY / period
    return YearSunlight(
        sun_fraction=1.0 - mean_shadow, eclipse_fraction=mean_shadow, eclipse_orbit_fraction=in_season,
        max_eclipse_duration_s=worst * period, eclipses_per_yr=orbits_per_yr * in_season,
        min_abs_beta_rad=min_beta, inclination_rad=inc)


def _shell_statistics(h, inc, raan, offsets, jd0, days, samples):
    """(mean shadow, share eclipsed, largest f_E, smallest abs(beta)) over nodes and samples, flat orbits."""
    series = _orbit.beta_angle_over_year_rad(h[:, None], inc[:, None], raan[:, None] + offsets, jd0, days, samples)
    frac = _eclipse.eclipse_fraction(h[:, None, None], series.beta_rad)
    return (frac.mean(axis=(1, 2)), (frac > 0.0).mean(axis=(1, 2)), frac.max(axis=(1, 2)),
            np.abs(series.beta_rad).min(axis=(1, 2)))


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
#: ``"leo"`` surface axis [rad]: 0-90 deg in 2 deg steps; a shell at ``180 deg - i`` is the shell at
#: ``i`` mirrored (each plane's normal reversed, ``beta -> -beta``), read from the same column
_INCLINATION_GRID_RAD = np.radians(np.arange(0.0, 90.01, 2.0))
#: node local times [h]: 15 min steps; 6 min within 3 h of dawn-dusk and 3 min within 1.5 h, where
#: the eclipse season starts and ends steeply
_LTAN_GRID_H = np.unique(np.round(np.concatenate([np.arange(0.0, 24.01, 0.25), np.arange(3.0, 9.01, 0.1),
                                                  np.arange(15.0, 21.01, 0.1), np.arange(4.5, 7.51, 0.05),
                                                  np.arange(16.5, 19.51, 0.05)]), 4))


@lru_cache(maxsize=16)
def _surface(family: str, start_julian_date: float) -> tuple[np.ndarray, np.ndarray]:
    """(second-axis grid, stacked fractions (3, altitude, second axis)) of one family and epoch."""
    axis = {"leo": _INCLINATION_GRID_RAD, "sso": _LTAN_GRID_H}.get(family, np.array([6.0, 18.0]))
    h, x = np.meshgrid(ALTITUDE_GRID_M, axis, indexing="ij")
    ys = year_sunlight(h, family, start_julian_date, **({"inclination_rad": x} if family == "leo" else {"ltan_h": x}))
    fields = np.stack([ys.sun_fraction, ys.eclipse_orbit_fraction, ys.min_abs_beta_rad])
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
    """Year sunlight statistics of circular orbits and LEO shells from precomputed surfaces.

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m], 150-2,000 km.
    orbit_type : {"leo", "sso", "terminator"}
        Orbit family (:func:`orbitaldc.physics.orbit.orbit_geometry`).
    start_julian_date : float, optional
        Start of the year [days]; J2000.0 when omitted. One surface is built per epoch and cached.
    inclination_rad : array_like
        Inclination of a ``"leo"`` shell [rad] (:func:`year_sunlight`).
    ltan_h : array_like
        Node local time for ``"sso"`` (``"terminator"``: 6 or 18, else 18) [h].

    Returns
    -------
    YearSunlight
        Same fields as the exact computation, in the broadcast shape of the inputs.

    Notes
    -----
    The surfaces are :func:`year_sunlight` on a 25 km x 2 deg (``"leo"``) or 25 km x 15 min
    (``"sso"``; 3-6 min near dawn-dusk) grid. A ``"leo"`` shell is rotation-invariant about the
    pole, so its statistics are smooth in inclination, the sun-synchronous inclination included
    (no single plane's node resonance), and a shell at ``180 deg - i`` is the shell at ``i``
    mirrored (``beta -> -beta``), read from the same 0-90 deg column. The longest eclipse is the
    exact eclipse fraction at the interpolated smallest abs(beta) (``f_E`` falls monotonically with
    abs(beta)) times the exact period; eclipses per year are the orbits per year times the
    interpolated share of orbits with an eclipse.

    References
    ----------
    .. [1] Vallado (2013), sec. 5.3 and 9.6; Gilmore (2002), ch. 2.
    .. [2] J. G. Walker, "Satellite constellations", J. Br. Interplanet. Soc. 37 (1984) 559-572.
    """
    jd0 = _orbit.JD_J2000 if start_julian_date is None else float(start_julian_date)
    h = check_altitude(altitude_m)
    if orbit_type not in _orbit.ORBIT_TYPES:
        _orbit.orbit_geometry(orbit_type, h, jd0)  # raises the library's message
    if orbit_type == "leo":
        inc, _ = _orbit.orbit_geometry("leo", h, jd0, inclination_rad)
        hb, inc = np.broadcast_arrays(h, inc)
        sun, in_season, min_beta = _bilinear(*_surface("leo", jd0), hb, np.minimum(inc, np.pi - inc))
    else:
        if orbit_type == "sso":
            x = check_range(ltan_h, "ltan_h", 0.0, 24.0, "h") + 0.0 * h
        else:
            x = np.where(np.isclose(np.asarray(ltan_h, dtype=float), 6.0), 6.0, 18.0) + 0.0 * h
        hb, xb = np.broadcast_arrays(h, x)
        sun, in_season, min_beta = _bilinear(*_surface(orbit_type, jd0), hb, xb)
        inc = _orbit.sun_synchronous_inclination_rad(hb)
    period = _orbit.orbital_period_s(hb)
    orbits_per_yr = 365.25 * SECONDS_PER_DAY / period
    return YearSunlight(sun_fraction=sun, eclipse_fraction=1.0 - sun, eclipse_orbit_fraction=in_season,
                        max_eclipse_duration_s=_eclipse.eclipse_fraction(hb, min_beta) * period,
                        eclipses_per_yr=orbits_per_yr * in_season, min_abs_beta_rad=min_beta, inclination_rad=inc)
