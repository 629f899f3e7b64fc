"""Radiation: total ionizing dose versus altitude and shielding, shielding mass, dose margin,
single-event upsets and silent data corruption, compute lost to mitigation.

The dose model is a documented one-anchor parametric fit, not a trapped-particle model: the dose
behind aluminium at a reference point (Suncatcher: ~150 rad(Si)/yr behind 10 mm Al at 650 km
dawn-dusk SSO) is scaled exponentially with altitude (trapped protons of the inner belt grow
roughly ten-fold from 650 to ~1,100 km in AP-8 based SPENVIS dose-depth curves) and as a power
of the shield thickness (dose-depth curves behind >3 mm Al flatten as trapped protons dominate).
The exponents are library parameters with ranges, so users can replace them with SPENVIS/OMERE
output for their own orbit. Inclination enters through the share of the orbit spent at the
latitudes of the South Atlantic Anomaly, where LEO trapped-proton dose is received
(:func:`saa_latitude_fraction`), relative to the anchor's polar orbit.

References
----------
.. [Suncatcher] Google, "Towards a future space-based, highly scalable AI infrastructure system
   design", arXiv:2511.19468 (2025): 750 rad(Si) over 5 years behind 10 mm Al at 650 km; HBM
   irregularities after 2 krad(Si).
.. [SPENVIS] ESA SPENVIS, AP-8/AE-8 trapped radiation and SHIELDOSE-2 dose-depth curves.
.. [Daly] J. T. Daly, "A higher order estimate of the optimum checkpoint interval for restart
   dumps", Future Gener. Comput. Syst. 22, 303-312 (2006); J. W. Young, Commun. ACM 17, 530 (1974).
"""

from __future__ import annotations

import numpy as np

from orbitaldc.physics import check_above, check_altitude, check_range

__all__ = ["saa_latitude_fraction", "checkpoint_overhead_fraction", "dose_margin", "mitigation_compute_loss", "shielding_mass_kg",
           "silent_data_corruption_per_yr", "total_ionizing_dose_rad_per_yr", "upsets_per_day",
           "years_to_dose_limit", "young_daly_interval_s"]


def saa_latitude_fraction(inclination_rad, latitude_min_rad, latitude_max_rad):
    """Share of a circular orbit's time spent between two latitudes (the SAA's band).

    Parameters
    ----------
    inclination_rad : array_like
        Orbit inclination [rad], 0 to pi.
    latitude_min_rad, latitude_max_rad : array_like
        Latitude band [rad], ``min < max``.

    Returns
    -------
    ndarray
        ``(arcsin(sin(b) / sin i) - arcsin(sin(a) / sin i)) / pi`` with both ratios clipped to
        [-1, 1]; for an equatorial orbit 1 if the band contains the equator, else 0.

    Notes
    -----
    On a circular orbit ``sin(lat) = sin(i) sin(u)`` with the argument of latitude ``u``
    uniform in time (Vallado 2013, sec. 2.5 spherical trigonometry of the ground track).
    """
    inc = check_range(inclination_rad, "inclination_rad", 0.0, np.pi, "rad")
    a = np.asarray(latitude_min_rad, dtype=float)
    b = np.asarray(latitude_max_rad, dtype=float)
    si = np.sin(inc)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = (np.arcsin(np.clip(np.sin(b) / si, -1.0, 1.0)) - np.arcsin(np.clip(np.sin(a) / si, -1.0, 1.0))) / np.pi
    equatorial = ((a <= 0.0) & (b >= 0.0)).astype(float)
    return np.where(si > 1e-12, frac, equatorial)


def total_ionizing_dose_rad_per_yr(altitude_m, shielding_thickness_m, reference_dose_rad_per_yr,
                                   reference_altitude_m, reference_thickness_m, altitude_scale_m,
                                   thickness_exponent, inclination_rad=None, reference_inclination_rad=None,
                                   saa_latitude_min_rad=None, saa_latitude_max_rad=None):
    """Total ionizing dose in silicon behind an aluminium shield [rad(Si)/yr].

    Parameters
    ----------
    altitude_m : array_like
        Circular orbit altitude [m].
    shielding_thickness_m : array_like
        Aluminium-equivalent shield thickness [m], > 0.
    reference_dose_rad_per_yr, reference_altitude_m, reference_thickness_m : array_like
        Anchor point of the fit (Suncatcher 2025: 150 rad(Si)/yr, 650 km, 10 mm).
    altitude_scale_m : array_like
        e-folding altitude of the dose [m].
    thickness_exponent : array_like
        Power-law slope of the dose-depth curve.
    inclination_rad, reference_inclination_rad : array_like, optional
        Orbit and anchor inclinations [rad]; with the SAA band they scale the dose by
        ``s(i) / s(i_ref)`` (:func:`saa_latitude_fraction`). Omitted: no inclination factor.
    saa_latitude_min_rad, saa_latitude_max_rad : array_like, optional
        Latitude band of the South Atlantic Anomaly [rad].

    Returns
    -------
    ndarray
        ``D = D_ref exp((h - h_ref) / H) (t / t_ref)^(-q) [s(i) / s(i_ref)]``.

    References
    ----------
    .. [1] Suncatcher (2025); SPENVIS AP-8/SHIELDOSE-2 dose-depth curves for the slopes.
    """
    h = check_altitude(altitude_m)
    t = check_above(shielding_thickness_m, "shielding_thickness_m", 0.0, "m")
    dose = (np.asarray(reference_dose_rad_per_yr, dtype=float) * np.exp((h - np.asarray(reference_altitude_m, dtype=float))
            / np.asarray(altitude_scale_m, dtype=float))
            * (t / np.asarray(reference_thickness_m, dtype=float)) ** (-np.asarray(thickness_exponent, dtype=float)))
    if inclination_rad is None:
        return dose
    return dose * (saa_latitude_fraction(inclination_rad, saa_latitude_min_rad, saa_latitude_max_rad)
                   / saa_latitude_fraction(reference_inclination_rad, saa_latitude_min_rad, saa_latitude_max_rad))


def shielding_mass_kg(area_m2, thickness_m, density_kg_per_m3):
    """Mass of a shield shell of ``area_m2`` and ``thickness_m``: ``m = A t rho`` [kg] (thin-shell)."""
    return (np.asarray(area_m2, dtype=float) * check_range(thickness_m, "thickness_m", 0.0, np.inf, "m")
            * np.asarray(density_kg_per_m3, dtype=float))


def years_to_dose_limit(tolerance_rad, dose_rad_per_yr):
    """Years until the part's tolerance is reached, ``TID_max / D`` [yr] (inf at zero dose)."""
    d = np.asarray(dose_rad_per_yr, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(d > 0, np.asarray(tolerance_rad, dtype=float) / np.where(d > 0, d, 1.0), np.inf)


def dose_margin(tolerance_rad, dose_rad_per_yr, years):
    """Radiation design margin, ``TID_max / (D T)`` (> 1 means the part survives the mission)."""
    return years_to_dose_limit(tolerance_rad, dose_rad_per_yr) / check_above(years, "years", 0.0, "yr")


def upsets_per_day(bits, upset_rate_per_bit_day):
    """Single-event upsets per day in a memory of ``bits`` (rate per bit-day from beam tests)."""
    return np.asarray(bits, dtype=float) * np.asarray(upset_rate_per_bit_day, dtype=float)


def silent_data_corruption_per_yr(upsets_per_day_, uncorrected_fraction):
    """Silent data corruptions per year: upsets that escape ECC (multi-bit, logic) x 365.25."""
    return np.asarray(upsets_per_day_, dtype=float) * np.asarray(uncorrected_fraction, dtype=float) * 365.25


def young_daly_interval_s(checkpoint_cost_s, mtbf_s):
    """Optimal checkpoint interval ``tau = sqrt(2 C M)`` [s] (Young 1974; Daly 2006 first order)."""
    c = check_above(checkpoint_cost_s, "checkpoint_cost_s", 0.0, "s")
    m = check_above(mtbf_s, "mtbf_s", 0.0, "s")
    return np.sqrt(2.0 * c * m)


def checkpoint_overhead_fraction(checkpoint_cost_s, mtbf_s, restart_s=0.0):
    """Fraction of machine time lost to checkpoints and rework at the Young/Daly interval.

    ``waste = C / tau + (tau / 2 + R) / M`` with ``tau = sqrt(2 C M)`` (Daly 2006, first order),
    capped at 1.
    """
    tau = young_daly_interval_s(checkpoint_cost_s, mtbf_s)
    waste = (np.asarray(checkpoint_cost_s, dtype=float) / tau
             + (tau / 2.0 + np.asarray(restart_s, dtype=float)) / np.asarray(mtbf_s, dtype=float))
    return np.minimum(waste, 1.0)


def mitigation_compute_loss(ecc_overhead_fraction, checkpoint_overhead, redundant_copies=1):
    """Compute fraction lost to radiation mitigation.

    ``1 - (1 - ecc) (1 - checkpoint) / n`` with ``n`` copies for redundant execution (n = 1: none;
    n = 2: dual modular redundancy halves the useful compute).
    """
    n = check_range(redundant_copies, "redundant_copies", 1.0, np.inf)
    return 1.0 - (1.0 - np.asarray(ecc_overhead_fraction, dtype=float)) * (
        1.0 - np.asarray(checkpoint_overhead, dtype=float)) / n
