"""Radiation: total ionizing dose behind aluminium (AP-8/AE-8, cosmic rays, solar events),
shielding mass and dose margin, single-event upsets scaled with the shielded proton flux and the
cosmic-ray access, and one upset/restart model (orbit-average and time-step forms) giving the
compute lost to restarts and checkpoints.

The trapped dose integrates the orbit-averaged AP-8/AE-8 spectra of
:mod:`orbitaldc.physics.trapped` through the shield (:mod:`orbitaldc.physics.dose`); galactic
cosmic rays and solar particle events are stated terms: a free-space dose times the orbit's
geomagnetic access and the Earth's shadow. Upsets per bit are a proton term
(cross-section x proton flux above a threshold energy behind the shield) plus a cosmic-ray term
(free-space rate x access); job-interrupting events (uncorrected upsets plus a ground floor)
restart a whole node (all GPUs of a satellite) from its last checkpoint.

References
----------
.. [Zeitlin] C. Zeitlin et al., "Measurements of energetic particle radiation in transit to Mars
   on the Mars Science Laboratory", Science 340, 1080-1084 (2013): GCR dose rate 0.481 mGy/day
   in silicon during cruise.
.. [Petersen] E. L. Petersen, *Single Event Effects in Aerospace*, Wiley-IEEE (2011), ch. 7-8
   (proton upset rates from the proton flux above the threshold energy; heavy-ion rates).
.. [Llama3] A. Grattafiori et al. (Meta), "The Llama 3 Herd of Models", arXiv:2407.21783 (2024),
   Table 5: 466 job interruptions in 54 days on 16,384 H100 GPUs, 72 of them HBM3.
.. [Young] J. W. Young, "A first order approximation to the optimum checkpoint interval",
   Commun. ACM 17, 530 (1974).
.. [Daly] J. T. Daly, "A higher order estimate of the optimum checkpoint interval for restart
   dumps", Future Gener. Comput. Syst. 22, 303-312 (2006).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from orbitaldc.physics import check_above, check_range
from orbitaldc.physics import dose as _dose
from orbitaldc.physics import trapped

__all__ = ["DoseBreakdown", "checkpoint_overhead_fraction", "dose_margin", "interrupt_probability",
           "node_interrupt_rate_per_s", "restart_compute_loss", "restart_loss_rate", "shielded_proton_flux_per_cm2_s",
           "saa_interrupt_rates_per_s", "shielding_mass_kg", "total_ionizing_dose", "upset_rate_per_bit_s", "upsets_per_day",
           "years_to_dose_limit", "young_daly_interval_s"]


class DoseBreakdown(NamedTuple):
    """Dose rate in silicon behind the shield by source [rad(Si)/yr]."""

    trapped_protons: np.ndarray
    trapped_electrons: np.ndarray
    cosmic_rays: np.ndarray
    solar_events: np.ndarray
    total: np.ndarray


def total_ionizing_dose(altitude_m, inclination_rad, shielding_thickness_m, aluminium_density_kg_per_m3,
                        solar_max_share, gcr_free_space_rad_per_yr, spe_free_space_rad_per_yr,
                        geometry="sphere") -> DoseBreakdown:
    """Total ionizing dose rate in silicon behind aluminium on a circular orbit [rad(Si)/yr].

    Parameters
    ----------
    altitude_m, inclination_rad : array_like
        Circular orbit [m], [rad].
    shielding_thickness_m : array_like
        Aluminium thickness [m], >= 0.
    aluminium_density_kg_per_m3 : array_like
        Shield density [kg/m3] (2,700).
    solar_max_share : array_like
        Weight of the solar-maximum belt models, 0-1 (mission average of the solar cycle).
    gcr_free_space_rad_per_yr : array_like
        Galactic-cosmic-ray dose rate outside the magnetosphere [rad(Si)/yr] (MSL cruise: 17.6).
    spe_free_space_rad_per_yr : array_like
        Solar-particle-event dose rate outside the magnetosphere behind the shield, averaged
        over years [rad(Si)/yr] (a stated term).
    geometry : {"sphere", "slab"}
        Shield geometry (:func:`orbitaldc.physics.dose.dose_rad_per_yr_from_spectrum`).

    Returns
    -------
    DoseBreakdown

    Notes
    -----
    Trapped: orbit-averaged AP-8/AE-8 spectra (:func:`orbitaldc.physics.trapped.orbit_spectrum`)
    integrated through the shield. External: ``D_free x access x (1 + cos eta) / 2`` with the
    GCR transmission or the polar-cap share (:func:`orbitaldc.physics.trapped.cosmic_ray_access`).

    References
    ----------
    .. [1] Sawyer & Vette (1976); Vette (1991); Seltzer (1994) SHIELDOSE-2; Zeitlin et al. (2013).
    """
    t = check_range(shielding_thickness_m, "shielding_thickness_m", 0.0, np.inf, "m")
    x = t * np.asarray(aluminium_density_kg_per_m3, dtype=float) / 10.0  # kg/m2 -> g/cm2
    parts = []
    for particle in ("p", "e"):
        spec = trapped.orbit_spectrum(particle, altitude_m, inclination_rad, solar_max_share)
        parts.append(_dose.dose_rad_per_yr_from_spectrum(particle, spec.energy_mev, spec.integral_flux_per_cm2_s,
                                                         x, geometry))
    access = trapped.cosmic_ray_access(altitude_m, inclination_rad)
    shadow = trapped.earth_shadow_factor(altitude_m)
    gcr = np.asarray(gcr_free_space_rad_per_yr, dtype=float) * access.gcr_transmission * shadow
    spe = np.asarray(spe_free_space_rad_per_yr, dtype=float) * access.spe_polar_fraction * shadow
    total = parts[0] + parts[1] + gcr + spe
    shape = np.shape(total)
    return DoseBreakdown(*(np.broadcast_to(v, shape) for v in (parts[0], parts[1], gcr, spe, total)))


def shielded_proton_flux_per_cm2_s(altitude_m, inclination_rad, threshold_mev, shielding_thickness_m,
                                   aluminium_density_kg_per_m3, solar_max_share):
    """Orbit-average trapped-proton flux above an energy behind the shield [cm-2 s-1].

    Parameters
    ----------
    altitude_m, inclination_rad : array_like
        Circular orbit [m], [rad].
    threshold_mev : array_like
        Energy inside the shield above which protons count (e.g. 30 MeV for upsets) [MeV].
    shielding_thickness_m, aluminium_density_kg_per_m3 : array_like
        Aluminium shield [m], [kg/m3].
    solar_max_share : array_like
        Weight of AP-8 MAX, 0-1.

    Returns
    -------
    ndarray
        ``J(E_in)`` with ``R(E_in) = R(E_th) + rho t`` (protons that still carry ``E_th`` after the
        shield), log-log interpolated on the AP-8 integral spectrum.

    References
    ----------
    .. [1] Sawyer & Vette (1976); NIST PSTAR ranges; Petersen (2011), ch. 7.
    """
    x = check_range(shielding_thickness_m, "shielding_thickness_m", 0.0, np.inf, "m") * np.asarray(
        aluminium_density_kg_per_m3, dtype=float) / 10.0
    e_in = _dose.proton_energy_from_range_mev(_dose.proton_csda_range_g_per_cm2(threshold_mev) + x)
    spec = trapped.orbit_spectrum("p", altitude_m, inclination_rad, solar_max_share)
    logj = np.log(np.clip(spec.integral_flux_per_cm2_s, 1e-30, None))
    loge = np.log(spec.energy_mev)
    pos = np.interp(np.log(e_in), loge, np.arange(loge.size))
    pos = np.broadcast_to(pos, logj.shape[:-1])
    k = np.clip(pos.astype(int), 0, loge.size - 2)
    frac = pos - k
    lo = np.take_along_axis(logj, k[..., None], axis=-1)[..., 0]
    hi = np.take_along_axis(logj, k[..., None] + 1, axis=-1)[..., 0]
    flux = np.exp(lo * (1.0 - frac) + hi * frac)
    return np.where(flux < 1e-20, 0.0, flux)


def upset_rate_per_bit_s(proton_flux_per_cm2_s, proton_cross_section_m2_per_bit, gcr_transmission,
                         gcr_free_space_upsets_per_bit_s):
    """Single-event upsets per bit per second on orbit.

    Parameters
    ----------
    proton_flux_per_cm2_s : array_like
        Trapped-proton flux above the upset threshold behind the shield
        (:func:`shielded_proton_flux_per_cm2_s`) [cm-2 s-1].
    proton_cross_section_m2_per_bit : array_like
        Saturated proton upset cross-section per bit [m2] (beam tests).
    gcr_transmission : array_like
        Orbit-average cosmic-ray access (transmission x Earth shadow).
    gcr_free_space_upsets_per_bit_s : array_like
        Cosmic-ray (heavy-ion and proton) upset rate per bit outside the magnetosphere [1/s].

    Returns
    -------
    ndarray
        ``sigma_p x phi_p(>E_th) + r_GCR x T`` [1/(bit s)] (Petersen 2011: proton rate =
        saturated cross-section x flux above the threshold energy).

    References
    ----------
    .. [1] Petersen (2011), ch. 7 (proton upsets), ch. 8 (cosmic-ray upsets).
    """
    phi_m2 = np.asarray(proton_flux_per_cm2_s, dtype=float) * 1e4
    return (phi_m2 * np.asarray(proton_cross_section_m2_per_bit, dtype=float)
            + np.asarray(gcr_transmission, dtype=float) * np.asarray(gcr_free_space_upsets_per_bit_s, dtype=float))


def upsets_per_day(bits, upset_rate_per_bit_day):
    """Upsets per day in a memory of ``bits``: ``bits x rate`` (rate per bit-day).

    Parameters
    ----------
    bits : array_like
        Memory bits.
    upset_rate_per_bit_day : array_like
        Upsets per bit per day.

    Returns
    -------
    ndarray
        Upsets per day.

    References
    ----------
    .. [1] Petersen (2011), ch. 1 (rates per bit-day).
    """
    return np.asarray(bits, dtype=float) * np.asarray(upset_rate_per_bit_day, dtype=float)


def node_interrupt_rate_per_s(upsets_per_bit_s, bits_per_gpu, uncorrected_fraction, ground_interrupts_per_gpu_s,
                              gpus_per_node):
    """Job-interrupting events per second of one node (all GPUs of a satellite restart together).

    Parameters
    ----------
    upsets_per_bit_s : array_like
        Upsets per bit per second (:func:`upset_rate_per_bit_s`).
    bits_per_gpu : array_like
        Memory bits per GPU.
    uncorrected_fraction : array_like
        Share of upsets that escape ECC and interrupt the job.
    ground_interrupts_per_gpu_s : array_like
        Interruptions per GPU per second that also happen on the ground (the floor).
    gpus_per_node : array_like
        GPUs that restart together.

    Returns
    -------
    ndarray
        ``n (bits x rate x f_unc + lambda_ground)`` [1/s].

    References
    ----------
    .. [1] Grattafiori et al. (2024) (ground interruptions); Petersen (2011).
    """
    per_gpu = (np.asarray(upsets_per_bit_s, dtype=float) * np.asarray(bits_per_gpu, dtype=float)
               * np.asarray(uncorrected_fraction, dtype=float) + np.asarray(ground_interrupts_per_gpu_s, dtype=float))
    return per_gpu * check_range(gpus_per_node, "gpus_per_node", 1.0, np.inf)


def young_daly_interval_s(checkpoint_cost_s, mtbf_s):
    """Optimal checkpoint interval, ``tau = sqrt(2 C M)`` [s].

    Parameters
    ----------
    checkpoint_cost_s : array_like
        Time to write one checkpoint [s], > 0.
    mtbf_s : array_like
        Mean time between interruptions [s], > 0.

    Returns
    -------
    ndarray
        Interval [s].

    References
    ----------
    .. [1] Young (1974); Daly (2006), first order.
    """
    c = check_above(checkpoint_cost_s, "checkpoint_cost_s", 0.0, "s")
    m = check_above(mtbf_s, "mtbf_s", 0.0, "s")
    return np.sqrt(2.0 * c * m)


def restart_loss_rate(interrupts_per_s, interval_s, checkpoint_cost_s, restart_s):
    """Fraction of compute lost during a time step (the time-step form of the restart model).

    Parameters
    ----------
    interrupts_per_s : array_like
        Node interrupt rate during the step [1/s] (may vary along the orbit).
    interval_s : array_like
        Checkpoint interval [s], > 0.
    checkpoint_cost_s : array_like
        Checkpoint write time [s].
    restart_s : array_like
        Time to restart the node after an interruption [s].

    Returns
    -------
    ndarray
        ``min(1, C / tau + lambda (tau / 2 + R))``: checkpoint writes plus, per interruption, half an
        interval of lost work and the restart.

    References
    ----------
    .. [1] Daly (2006), eq. 1 (first-order waste).
    """
    tau = check_above(interval_s, "interval_s", 0.0, "s")
    waste = (np.asarray(checkpoint_cost_s, dtype=float) / tau
             + np.asarray(interrupts_per_s, dtype=float) * (tau / 2.0 + np.asarray(restart_s, dtype=float)))
    return np.minimum(waste, 1.0)


def restart_compute_loss(interrupts_per_s, checkpoint_cost_s, restart_s):
    """Orbit-average compute lost to checkpoints and restarts at the Young/Daly interval.

    Parameters
    ----------
    interrupts_per_s : array_like
        Orbit-average node interrupt rate [1/s] (:func:`node_interrupt_rate_per_s`).
    checkpoint_cost_s, restart_s : array_like
        Checkpoint write and restart times [s].

    Returns
    -------
    ndarray
        :func:`restart_loss_rate` at ``tau = sqrt(2 C / lambda)``: ``sqrt(2 C lambda) + lambda R``
        (0 without interruptions), capped at 1.

    Notes
    -----
    The twin applies :func:`restart_loss_rate` step by step with the same interval; its time
    average equals this value when the rate is the orbit average.

    References
    ----------
    .. [1] Young (1974); Daly (2006).
    """
    lam = check_range(interrupts_per_s, "interrupts_per_s", 0.0, np.inf, "1/s")
    c = np.asarray(checkpoint_cost_s, dtype=float)
    tau = np.sqrt(2.0 * c / np.where(lam > 0, lam, 1.0))
    return np.where(lam > 0, restart_loss_rate(lam, tau, c, restart_s), 0.0)


def interrupt_probability(interrupts_per_s, step_s):
    """Probability of at least one interruption in a time step, ``1 - exp(-lambda dt)``.

    Parameters
    ----------
    interrupts_per_s : array_like
        Interrupt rate [1/s].
    step_s : array_like
        Step length [s].

    Returns
    -------
    ndarray
        Probability in [0, 1] (Poisson arrivals).

    References
    ----------
    .. [1] Petersen (2011), ch. 1 (upsets as a Poisson process).
    """
    return -np.expm1(-np.asarray(interrupts_per_s, dtype=float) * np.asarray(step_s, dtype=float))


def checkpoint_overhead_fraction(checkpoint_cost_s, mtbf_s, restart_s=0.0):
    """Fraction of machine time lost to checkpoints and rework at the Young/Daly interval.

    Parameters
    ----------
    checkpoint_cost_s, mtbf_s : array_like
        Checkpoint write time and mean time between interruptions [s].
    restart_s : array_like
        Restart time [s].

    Returns
    -------
    ndarray
        ``C / tau + (tau / 2 + R) / M`` at ``tau = sqrt(2 C M)``, capped at 1.

    References
    ----------
    .. [1] Daly (2006), first order.
    """
    tau = young_daly_interval_s(checkpoint_cost_s, mtbf_s)
    return restart_loss_rate(1.0 / np.asarray(mtbf_s, dtype=float), tau, checkpoint_cost_s, restart_s)


def shielding_mass_kg(area_m2, thickness_m, density_kg_per_m3):
    """Mass of a thin aluminium shell, ``m = A t rho`` [kg].

    Parameters
    ----------
    area_m2 : array_like
        Shell area [m2].
    thickness_m : array_like
        Thickness [m], >= 0.
    density_kg_per_m3 : array_like
        Density [kg/m3].

    Returns
    -------
    ndarray
        Mass [kg].

    References
    ----------
    .. [1] Thin-shell volume ``A t`` (SMAD 1999, sec. 8.2 shielding mass).
    """
    return (np.asarray(area_m2, dtype=float) * check_range(thickness_m, "thickness_m", 0.0, np.inf, "m")
            * np.asarray(density_kg_per_m3, dtype=float))


def years_to_dose_limit(tolerance_rad, dose_rad_per_yr):
    """Years until a part's total-dose tolerance is reached, ``TID_max / D`` [yr].

    Parameters
    ----------
    tolerance_rad : array_like
        Part tolerance [rad(Si)].
    dose_rad_per_yr : array_like
        Dose rate [rad(Si)/yr].

    Returns
    -------
    ndarray
        Years (inf at zero dose).

    References
    ----------
    .. [1] ECSS-E-ST-10-12C (2008), sec. 5 (radiation design margin).
    """
    d = np.asarray(dose_rad_per_yr, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(d > 0, np.asarray(tolerance_rad, dtype=float) / np.where(d > 0, d, 1.0), np.inf)


def dose_margin(tolerance_rad, dose_rad_per_yr, years):
    """Radiation design margin ``TID_max / (D T)`` (> 1: the part survives the mission).

    Parameters
    ----------
    tolerance_rad, dose_rad_per_yr : array_like
        Part tolerance [rad] and dose rate [rad/yr].
    years : array_like
        Mission length [yr], > 0.

    Returns
    -------
    ndarray
        Margin.

    References
    ----------
    .. [1] ECSS-E-ST-10-12C (2008), sec. 5 (radiation design margin).
    """
    return years_to_dose_limit(tolerance_rad, dose_rad_per_yr) / check_above(years, "years", 0.0, "yr")



def saa_interrupt_rates_per_s(interrupts_per_s, proton_interrupts_per_s, saa_time_fraction):
    """Node interrupt rates outside and inside the South Atlantic Anomaly (time-step form).

    Parameters
    ----------
    interrupts_per_s : array_like
        Orbit-average node interrupt rate [1/s] (:func:`node_interrupt_rate_per_s`).
    proton_interrupts_per_s : array_like
        Its trapped-proton part [1/s]: the same function with the proton term of
        :func:`upset_rate_per_bit_s` only (no cosmic rays, no ground floor); at most
        ``interrupts_per_s``.
    saa_time_fraction : array_like
        Share of the orbit's time inside the SAA region, in [0, 1].

    Returns
    -------
    (outside, inside) : tuple of ndarray
        ``outside = lambda - lambda_p`` and ``inside = outside + lambda_p / p`` [1/s]; where
        ``p = 0`` (an orbit that never crosses the region) both are ``lambda``.

    Notes
    -----
    In low orbits the trapped protons energetic enough to upset memory behind a shield are met
    where the inner belt dips to low altitude over the South Atlantic, while cosmic rays and the
    ground floor act along the whole orbit: at 400-650 km, 96-99 % of AP-8's orbit-average flux
    above 30-100 MeV lies inside a 25 x 65 deg ellipse centred at (-25 deg, -25 deg), about
    75 % at 1,000 km and 60 % at 1,200 km, where the belt spreads beyond it (radbelt, tested).
    Putting the whole orbit-average proton term inside the region keeps the time average exactly:
    ``(1 - p) outside + p inside = lambda`` for any region size, so a time-stepped model that
    applies these rates reproduces :func:`restart_compute_loss` of the orbit average to first
    order (:func:`restart_loss_rate` is linear in the rate below its cap).

    References
    ----------
    .. [1] J. R. Heirtzler, "The future of the South Atlantic anomaly and implications for
       radiation damage in space", J. Atmos. Sol.-Terr. Phys. 64, 1701-1708 (2002) (the AP-8
       proton flux at LEO altitudes confined to the anomaly).
    .. [2] C. I. Underwood et al., "Observations of single-event upsets in non-hardened
       high-density SRAMs in sun-synchronous orbit", IEEE Trans. Nucl. Sci. 39(6), 1817-1827
       (1992) (most LEO upsets inside the anomaly).
    """
    lam = check_range(interrupts_per_s, "interrupts_per_s", 0.0, np.inf, "1/s")
    lam_p = np.minimum(check_range(proton_interrupts_per_s, "proton_interrupts_per_s", 0.0, np.inf, "1/s"), lam)
    p = check_range(saa_time_fraction, "saa_time_fraction", 0.0, 1.0)
    outside = np.where(p > 0.0, lam - lam_p, lam)
    inside = outside + np.where(p > 0.0, lam_p / np.where(p > 0.0, p, 1.0), 0.0)
    return outside, inside
