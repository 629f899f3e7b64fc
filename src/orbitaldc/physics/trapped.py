"""Orbit-averaged trapped-particle spectra (NASA AP-8/AE-8) and cosmic-ray access, from tables.

``scripts/build_trapped_radiation_table.py`` evaluates AP-8 and AE-8 (solar minimum and maximum)
with the ``radbelt`` package over altitude x latitude x longitude (B and L from radbelt's IGRF)
and stores the longitude average per 1-degree latitude band (``data/trapped_radiation.npz``,
which records the library versions). A circular orbit spends a closed-form share of its time in
each band (:func:`latitude_weights`), so the orbit average for any inclination is a weighted sum
of table rows, interpolated log-linearly in altitude: vectorized, no field-model call at run time.
The same table holds the longitude-averaged galactic-cosmic-ray transmission through the
geomagnetic cutoff and the share of time in the polar caps open to solar-particle-event protons.

References
----------
.. [AP8] D. M. Sawyer and J. I. Vette, "AP-8 trapped proton environment for solar maximum and
   solar minimum", NSSDC/WDC-A-R&S 76-06 (1976).
.. [AE8] J. I. Vette, "The AE-8 trapped electron model environment", NSSDC/WDC-A-R&S 91-24 (1991).
.. [radbelt] L. Singer et al., ``radbelt``: Python wrapper of the NASA AE-8/AP-8 Fortran code and
   IGRF (https://github.com/nasa/radbelt).
.. [SmartShea] D. F. Smart and M. A. Shea, "A review of geomagnetic cutoff rigidities for
   earth-orbiting spacecraft", Adv. Space Res. 36, 2012-2020 (2005) (``R_c ~ 14.9 / L^2`` GV).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from orbitaldc.constants import EARTH_RADIUS_M
from orbitaldc.physics import check_altitude, check_range

__all__ = ["INCLINATION_GRID_RAD", "Spectrum", "cosmic_ray_access", "earth_shadow_factor", "latitude_weights", "orbit_spectrum",
           "table_info"]

_TABLE = Path(__file__).with_name("data") / "trapped_radiation.npz"


class Spectrum(NamedTuple):
    """Omnidirectional integral spectrum of one particle species."""

    energy_mev: np.ndarray  #: energies, ascending, shape (n,) [MeV]
    integral_flux_per_cm2_s: np.ndarray  #: flux above each energy, shape (..., n) [cm-2 s-1]


#: inclinations the latitude bands are pre-combined on [rad] (1 deg steps, 0-90; retrograde i -> pi - i)
INCLINATION_GRID_RAD = np.radians(np.arange(0.0, 90.01, 1.0))
#: offset added before the log of the orbit tables, and the flux at or below which none is left
#: after the interpolation (below the offset's resolution) [cm-2 s-1]
_LOG_OFFSET = 1e-12
_NO_FLUX = 1e-10
_KEYS = ("proton_min_per_cm2_s", "proton_max_per_cm2_s", "electron_min_per_cm2_s", "electron_max_per_cm2_s",
         "gcr_transmission", "spe_polar_fraction")


@lru_cache(maxsize=1)
def _table() -> dict[str, np.ndarray]:
    with np.load(_TABLE) as data:
        t = {k: data[k] for k in data.files}
    w = latitude_weights(INCLINATION_GRID_RAD, t["latitude_edges_rad"])  # (inc, bands)
    for key in _KEYS:
        rows = t[key] if t[key].ndim == 3 else t[key][..., None]
        # orbit averages on (altitude, inclination, energy), stored as log for the interpolation
        t["orbit_log_" + key] = np.log(np.einsum("ib,hbe->hie", w, rows) + _LOG_OFFSET)
    return t


def table_info() -> dict[str, object]:
    """Provenance of the trapped-particle table (versions, field epoch, grids).

    Parameters
    ----------
    None

    Returns
    -------
    dict
        ``versions`` (radbelt, numpy, Python), the field epochs of the MIN and MAX models and of the
        cosmic-ray cutoffs, altitude and energy grids.

    References
    ----------
    .. [1] ``scripts/build_trapped_radiation_table.py``.
    """
    t = _table()
    return {"versions": [str(v) for v in t["versions"]],
            **{k: float(t[k]) for k in ("field_epoch_min_yr", "field_epoch_max_yr", "cutoff_field_epoch_yr")},
            "altitude_m": t["altitude_m"], "proton_energy_mev": t["proton_energy_mev"],
            "electron_energy_mev": t["electron_energy_mev"]}


def latitude_weights(inclination_rad, latitude_edges_rad):
    """Share of a circular orbit's time spent in each latitude band.

    Parameters
    ----------
    inclination_rad : array_like
        Inclination [rad], 0 to pi (retrograde orbits see the same latitudes as ``pi - i``).
    latitude_edges_rad : array_like
        Band edges, ascending, shape (m + 1,) [rad].

    Returns
    -------
    ndarray
        Shape inclination + (m,); each row sums to 1.

    Notes
    -----
    On a circular orbit ``sin(lat) = sin(i) sin(u)`` with the argument of latitude ``u`` uniform
    in time, so the time below latitude ``b`` is ``(arcsin(sin b / sin i) + pi/2) / pi`` (ratios
    clipped to [-1, 1]); an equatorial orbit stays in the band(s) at the equator.

    References
    ----------
    .. [1] Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed. (2013), sec. 2.5
       (spherical trigonometry of the ground track).
    """
    inc = check_range(inclination_rad, "inclination_rad", 0.0, np.pi, "rad")
    edges = np.asarray(latitude_edges_rad, dtype=float)
    si = np.sin(inc)[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        cdf = (np.arcsin(np.clip(np.sin(edges) / si, -1.0, 1.0)) + np.pi / 2.0) / np.pi
    step = np.where(edges > 0.0, 1.0, np.where(edges < 0.0, 0.0, 0.5))
    cdf = np.where(si > 1e-9, cdf, step)
    return np.diff(cdf, axis=-1)


def _orbit_interp(key, h, inc):
    """Bilinear interpolation of a pre-combined orbit table in (altitude, inclination), on log values."""
    t = _table()
    table = t["orbit_log_" + key]
    alt = t["altitude_m"]
    inc = np.minimum(inc, np.pi - inc)
    ph = np.interp(h, alt, np.arange(alt.size))
    pi_ = np.interp(inc, INCLINATION_GRID_RAD, np.arange(INCLINATION_GRID_RAD.size))
    i0 = np.clip(ph.astype(int), 0, alt.size - 2)
    j0 = np.clip(pi_.astype(int), 0, INCLINATION_GRID_RAD.size - 2)
    fh, fi = (ph - i0)[..., None], (pi_ - j0)[..., None]
    val = ((1 - fh) * (1 - fi) * table[i0, j0] + fh * (1 - fi) * table[i0 + 1, j0]
           + (1 - fh) * fi * table[i0, j0 + 1] + fh * fi * table[i0 + 1, j0 + 1])
    out = np.exp(val) - _LOG_OFFSET
    return np.where(out > _NO_FLUX, out, 0.0)  # below the table's log offset: no flux


def _orbit_flux(name, h, inc, s):
    """``(1 - s) J_min + s J_max`` of a pre-combined orbit table, bilinear in (altitude, inclination)
    on log values, in one compiled pass per row (:func:`orbitaldc.physics._dose_kernels.orbit_flux`)."""
    from orbitaldc.physics import _dose_kernels

    t = _table()
    shape = h.shape
    flat = [np.ascontiguousarray(v, dtype=float).reshape(-1) for v in (h, np.minimum(inc, np.pi - inc), s)]
    out = _dose_kernels.orbit_flux(t["altitude_m"].astype(float), INCLINATION_GRID_RAD,
                                   t[f"orbit_log_{name}_min_per_cm2_s"], t[f"orbit_log_{name}_max_per_cm2_s"], *flat,
                                   _LOG_OFFSET, _NO_FLUX)
    return out.reshape(shape + out.shape[-1:])


def orbit_spectrum(particle, altitude_m, inclination_rad, solar_max_share=0.5) -> Spectrum:
    """Orbit-averaged AP-8 (protons) or AE-8 (electrons) integral spectrum of a circular orbit.

    Parameters
    ----------
    particle : {"p", "e"}
        Protons (AP-8) or electrons (AE-8).
    altitude_m : array_like
        Altitude [m] (the table spans 200-2,000 km and is clamped outside).
    inclination_rad : array_like
        Inclination [rad].
    solar_max_share : array_like
        Weight of the solar-maximum model, 0 (solar minimum) to 1 (maximum); the mission's
        time-average share comes from :func:`orbitaldc.physics.atmosphere.solar_max_share`.

    Returns
    -------
    Spectrum
        Integral flux with shape broadcast(altitude, inclination, share) + (energies,).

    Notes
    -----
    ``J(E) = sum_b w_b(i) [(1 - s) J_min(h, b, E) + s J_max(h, b, E)]`` with the band weights of
    :func:`latitude_weights` and each band's longitude average from the table; the band sums are
    formed once on a 1-degree inclination grid (:data:`INCLINATION_GRID_RAD`) and interpolated
    log-bilinearly in altitude and inclination.

    References
    ----------
    .. [1] Sawyer & Vette (1976); Vette (1991); radbelt.
    """
    if particle not in ("p", "e"):
        raise ValueError(f"particle = {particle!r}; allowed: 'p', 'e'")
    t = _table()
    name = "proton" if particle == "p" else "electron"
    h = check_altitude(altitude_m)
    s = check_range(solar_max_share, "solar_max_share", 0.0, 1.0)
    inc = check_range(inclination_rad, "inclination_rad", 0.0, np.pi, "rad")
    h, inc, s = np.broadcast_arrays(h, inc, s)
    return Spectrum(t[f"{name}_energy_mev"], _orbit_flux(name, h, inc, s))


def earth_shadow_factor(altitude_m):
    """Share of the sky not hidden by the solid Earth, ``(1 + cos eta) / 2``, ``sin eta = R / r``.

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m].

    Returns
    -------
    ndarray
        Fraction of an isotropic external flux (cosmic rays, solar protons) that reaches the orbit
        before geomagnetic filtering.

    References
    ----------
    .. [1] Wertz & Larson, SMAD 3rd ed. (1999), sec. 5.1 (Earth angular radius ``sin rho = R/(R+h)``).
    """
    h = check_altitude(altitude_m)
    sin_eta = EARTH_RADIUS_M / (EARTH_RADIUS_M + h)
    return 0.5 * (1.0 + np.sqrt(1.0 - sin_eta ** 2))


class CosmicRayAccess(NamedTuple):
    """Orbit-average access of external particles through the geomagnetic field."""

    gcr_transmission: np.ndarray  #: orbit-average ``J(>R_c) / J(>0)`` of galactic cosmic rays
    spe_polar_fraction: np.ndarray  #: share of time where solar-event protons reach the orbit


def cosmic_ray_access(altitude_m, inclination_rad) -> CosmicRayAccess:
    """Orbit-averaged geomagnetic transmission of cosmic rays and solar-event protons.

    Parameters
    ----------
    altitude_m, inclination_rad : array_like
        Circular orbit [m], [rad].

    Returns
    -------
    CosmicRayAccess
        Both fractions in [0, 1], without the Earth's shadow (:func:`earth_shadow_factor`).

    Notes
    -----
    Vertical Stormer cutoff ``R_c = 14.9 / L^2`` GV with L from IGRF (Smart & Shea 2005); GCR
    integral rigidity spectrum ``J(>R) ~ (R + 1 GV)^-1.7`` (differential index 2.7); solar-event
    protons reach the orbit where ``R_c < 0.3 GV`` (about 40 MeV). The table stores the longitude
    averages per latitude band (``scripts/build_trapped_radiation_table.py``).

    References
    ----------
    .. [1] Smart & Shea (2005); T. K. Gaisser, *Cosmic Rays and Particle Physics*, 2nd ed. (2016),
       ch. 2 (spectral index ~2.7).
    """
    h = check_altitude(altitude_m)
    inc = check_range(inclination_rad, "inclination_rad", 0.0, np.pi, "rad")
    h, inc = np.broadcast_arrays(h, inc)
    return CosmicRayAccess(*(_orbit_interp(key, h, inc)[..., 0] for key in ("gcr_transmission",
                                                                               "spe_polar_fraction")))
