"""Reference computations straight from the field libraries and by ray tracing (no orbitaldc tables).

Shared by the physics tests and ``scripts/physics_validation.py`` (which writes docs/physics.md).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from orbitaldc.constants import EARTH_MU_M3_PER_S2, EARTH_RADIUS_M
from orbitaldc.physics.trapped import latitude_weights


@lru_cache(maxsize=None)  # radbelt evaluates point by point (~1 ms each); a repeated case is read back
def radbelt_orbit_average(altitude_km, inclination_rad, energy_mev, particle, solar, epoch, n=60):
    """Orbit-average AP-8/AE-8 integral flux from radbelt on an n x n (argument of latitude x
    longitude) grid of the ground track (stratified, so the SAA is sampled evenly) [cm-2 s-1]."""
    import radbelt
    u = (np.arange(n) + 0.5) / n * 2 * np.pi
    lat = np.degrees(np.arcsin(np.sin(inclination_rad) * np.sin(u)))
    lon = (np.arange(n) + 0.5) / n * 360.0 - 180.0
    la, lo = np.meshgrid(lat, lon, indexing="ij")
    lval, bb0 = radbelt.igrf(lo, la, altitude_km, epoch)
    with np.errstate(invalid="ignore"):
        flux = radbelt.aep8(energy_mev, lval, bb0, particle, solar)
    return float(np.mean(np.where(np.isfinite(flux), flux, 0.0)))


def pymsis_orbit_average(altitude_km, f107, ap, inclination_rad):
    """Orbit-average NRLMSIS 2.1 density from pymsis: 12 months x 24 local times x the orbit's
    latitude bands (5 deg) [kg/m3]."""
    from pymsis import msis
    dates = np.array([np.datetime64(f"2019-{m:02d}-15T00:00") for m in range(1, 13)])
    edges = np.radians(np.linspace(-90, 90, 37))
    lats = np.degrees(0.5 * (edges[1:] + edges[:-1]))
    out = msis.calculate(dates, np.arange(0.0, 360.0, 15.0), lats, [altitude_km], f107s=np.full(12, f107),
                         f107as=np.full(12, f107), aps=np.full((12, 7), ap), version=2.1)
    return float(latitude_weights(inclination_rad, edges) @ out[..., 0, 0].mean(axis=(0, 1)))


def ray_traced_view_factor(altitude_m, nadir_angle_rad, rays, rng):
    """Fraction of cosine-weighted rays from a plate element that hit the Earth sphere."""
    r = EARTH_RADIUS_M + altitude_m
    u1, u2 = rng.random(rays), rng.random(rays)
    sin_t = np.sqrt(u1)  # cosine-weighted hemisphere (Malley's method); z = the plate normal
    phi = 2 * np.pi * u2
    d = np.stack([sin_t * np.cos(phi), sin_t * np.sin(phi), np.sqrt(1 - u1)], axis=-1)
    centre = r * np.array([np.sin(nadir_angle_rad), 0.0, np.cos(nadir_angle_rad)])
    # the ray t d meets the sphere |p - c| = R when (d.c)^2 >= |c|^2 - R^2 with d.c > 0
    b = d @ centre
    return float(np.mean((b ** 2 - (r ** 2 - EARTH_RADIUS_M ** 2) >= 0) & (b > 0)))


def skyfield_ring_visible_fraction(altitude_m, inclination_rad, planes, per_plane, net, days, step_s,
                                   min_elevation_rad=math.radians(10.0)):
    """Share of sampled times each station sees at least one satellite ``min_elevation_rad`` or more above
    its WGS84 horizon, for ``planes`` rings of ``per_plane`` SGP4 satellites (nodes evenly spread),
    sampled every ``step_s`` for ``days`` from 1 January 2027; ``net`` holds the stations."""
    from sgp4.api import WGS72, Satrec
    from skyfield.api import EarthSatellite, load, wgs84

    ts = load.timescale(builtin=True)
    epoch = ts.utc(2027, 1, 1)
    n_rad_per_min = math.sqrt(EARTH_MU_M3_PER_S2 / (EARTH_RADIUS_M + altitude_m) ** 3) * 60.0
    t = ts.tt_jd(epoch.tt + np.arange(0.0, days * 86400.0, step_s) / 86400.0)
    tops = [wgs84.latlon(math.degrees(la), math.degrees(lo), hh)
            for la, lo, hh in zip(net.lat_rad, net.lon_rad, net.height_m)]
    seen = np.zeros((len(tops), len(t)), dtype=bool)
    for p in range(planes):
        for k in range(per_plane):
            rec = Satrec()
            rec.sgp4init(WGS72, "i", 1000 * p + k, epoch.tt - 2433281.5, 0.0, 0.0, 0.0, 1e-7, 0.0, inclination_rad,
                         2.0 * math.pi * k / per_plane, n_rad_per_min, 2.0 * math.pi * p / planes)
            sat = EarthSatellite.from_satrec(rec, ts)
            for j, top in enumerate(tops):
                alt, _, _ = (sat - top).at(t).altaz()
                seen[j] |= alt.radians >= min_elevation_rad
    return seen.mean(axis=-1)
