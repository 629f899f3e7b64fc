"""Communications: ground contact time, downlink volume, JPL's bits-per-joule test, optical
inter-satellite link rate.

References
----------
.. [SMAD] J. R. Wertz and W. J. Larson, *Space Mission Analysis and Design*, 3rd ed. (1999),
   sec. 5.2 (Earth angular radius, maximum Earth central angle ``lambda_max`` for a minimum
   elevation, eq. 5-15 to 5-17), sec. 13.3 (link equation).
.. [Turyshev] S. G. Turyshev, arXiv:2604.27197 (2026): optical downlink 100-200 Gb/s; a workload
   fits in orbit only if its output bits per joule (Gamma) stay below what the links can carry.
.. [Fuchs] C. Fuchs and F. Moll, "Ground station network optimization for space-to-ground optical
   communication links", J. Opt. Commun. Netw. 7(12), 1148-1159 (2015) (cloud-free
   line-of-sight probabilities of single sites and networks).
.. [Hemmati] H. Hemmati (ed.), *Deep Space Optical Communications*, Wiley (2006), ch. 1 (optical
   link budget, ``G = (pi D / lambda)^2``, photons per bit).
"""

from __future__ import annotations

import numpy as np

from orbitaldc.constants import EARTH_RADIUS_M, SECONDS_PER_DAY, SPEED_OF_LIGHT_M_PER_S
from orbitaldc.physics import check_above, check_altitude, check_range

__all__ = ["contact_time_s_per_day", "delivered_output_fraction", "downlink_bits_per_day", "earth_central_angle_rad",
           "gamma_fits", "network_downlink_bits_per_day", "optical_link_rate_bps"]

PLANCK_J_S = 6.62607015e-34  # exact (SI 2019)


def earth_central_angle_rad(altitude_m, min_elevation_rad):
    """Earth central angle of a station's visibility circle [rad].

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m].
    min_elevation_rad : array_like
        Minimum elevation [rad], 0 to pi/2.

    Returns
    -------
    ndarray
        ``lambda = pi/2 - eps - eta`` with ``sin eta = R cos(eps) / (R + h)``.

    References
    ----------
    .. [1] SMAD (1999), eq. 5-15 to 5-17.
    """
    h = check_altitude(altitude_m)
    eps = check_range(min_elevation_rad, "min_elevation_rad", 0.0, np.pi / 2, "rad")
    eta = np.arcsin(EARTH_RADIUS_M * np.cos(eps) / (EARTH_RADIUS_M + h))
    return np.pi / 2.0 - eps - eta


def contact_time_s_per_day(altitude_m, min_elevation_rad, stations=1):
    """Average ground contact per day with ``stations`` non-overlapping stations [s].

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m].
    min_elevation_rad : array_like
        Minimum elevation [rad].
    stations : array_like
        Number of stations.

    Returns
    -------
    ndarray
        ``n (1 - cos lambda) / 2 x 86400`` [s]: a ground track covering the globe uniformly spends
        the cap fraction ``(1 - cos lambda) / 2`` inside one station's circle; stations assumed far
        enough apart not to overlap (high-latitude stations see polar orbits more often).

    References
    ----------
    .. [1] SMAD (1999), sec. 5.2.
    """
    lam = earth_central_angle_rad(altitude_m, min_elevation_rad)
    return np.asarray(stations, dtype=float) * 0.5 * (1.0 - np.cos(lam)) * SECONDS_PER_DAY


def downlink_bits_per_day(link_rate_bps, contact_s_per_day):
    """Data volume per day [bit].

    Parameters
    ----------
    link_rate_bps : array_like
        Link rate [bit/s].
    contact_s_per_day : array_like
        Contact time per day [s].

    Returns
    -------
    ndarray
        ``rate x contact`` [bit].

    References
    ----------
    .. [1] SMAD (1999), sec. 13.3 (data volume).
    """
    return np.asarray(link_rate_bps, dtype=float) * np.asarray(contact_s_per_day, dtype=float)


def gamma_fits(workload_bits_per_j, it_power_w, downlink_bits_per_day_):
    """Whether a workload's output (bits per joule of IT energy, JPL's Gamma) fits the downlink.

    Parameters
    ----------
    workload_bits_per_j : array_like
        Output per joule of IT energy [bit/J].
    it_power_w : array_like
        IT power [W].
    downlink_bits_per_day_ : array_like
        Deliverable downlink [bit/day].

    Returns
    -------
    ndarray of bool
        ``Gamma P 86400 <= bits_per_day``.

    References
    ----------
    .. [1] Turyshev (2026), arXiv:2604.27197.
    """
    return (np.asarray(workload_bits_per_j, dtype=float) * np.asarray(it_power_w, dtype=float) * SECONDS_PER_DAY
            <= np.asarray(downlink_bits_per_day_, dtype=float))


def optical_link_rate_bps(transmit_power_w, aperture_tx_m, aperture_rx_m, distance_m, wavelength_m,
                          photons_per_bit, system_efficiency=1.0):
    """Data rate of a free-space optical link limited by received photons [bit/s].

    Parameters
    ----------
    transmit_power_w : array_like
        Transmit power [W].
    aperture_tx_m, aperture_rx_m : array_like
        Aperture diameters [m].
    distance_m : array_like
        Range [m], > 0.
    wavelength_m : array_like
        Wavelength [m], > 0.
    photons_per_bit : array_like
        Receiver sensitivity [photons/bit].
    system_efficiency : array_like
        End-to-end optical efficiency.

    Returns
    -------
    ndarray
        ``P_r / (h c / lambda) / n_ppb`` with ``P_r = P_t G_t G_r (lambda / (4 pi d))^2 eta`` and
        ``G = (pi D / lambda)^2``.

    References
    ----------
    .. [1] Hemmati (2006), ch. 1.
    """
    lam = check_above(wavelength_m, "wavelength_m", 0.0, "m")
    d = check_above(distance_m, "distance_m", 0.0, "m")
    g_t = (np.pi * np.asarray(aperture_tx_m, dtype=float) / lam) ** 2
    g_r = (np.pi * np.asarray(aperture_rx_m, dtype=float) / lam) ** 2
    p_r = np.asarray(transmit_power_w, dtype=float) * g_t * g_r * (lam / (4 * np.pi * d)) ** 2 * np.asarray(
        system_efficiency, dtype=float)
    return p_r / (PLANCK_J_S * SPEED_OF_LIGHT_M_PER_S / lam) / np.asarray(photons_per_bit, dtype=float)


def network_downlink_bits_per_day(stations, terminals_per_station, link_rate_bps, clear_sky_fraction):
    """Most data a ground network can take in per day [bit].

    Parameters
    ----------
    stations : array_like
        Ground stations.
    terminals_per_station : array_like
        Optical terminals per station (satellites served at once).
    link_rate_bps : array_like
        Rate of one terminal link [bit/s].
    clear_sky_fraction : array_like
        Share of time a station's line of sight is cloud-free, in [0, 1].

    Returns
    -------
    ndarray
        ``stations x terminals x rate x 86400 x p_clear``: every terminal busy whenever its sky is
        clear (a dense constellation always has a satellite in view; inter-satellite links bring
        the data to it).

    References
    ----------
    .. [1] Fuchs & Moll (2015) (cloud-free line-of-sight statistics); Turyshev (2026) (optical
       downlink rates).
    """
    p = check_range(clear_sky_fraction, "clear_sky_fraction", 0.0, 1.0)
    return (np.asarray(stations, dtype=float) * np.asarray(terminals_per_station, dtype=float)
            * np.asarray(link_rate_bps, dtype=float) * SECONDS_PER_DAY * p)


def delivered_output_fraction(workload_bits_per_j, it_power_w, capacity_bits_per_day):
    """Share of the compute's output the links can carry, ``min(1, capacity / output)``.

    Parameters
    ----------
    workload_bits_per_j : array_like
        Output bits per joule of IT energy (JPL's Gamma) [bit/J].
    it_power_w : array_like
        IT power [W].
    capacity_bits_per_day : array_like
        Downlink capacity [bit/day].

    Returns
    -------
    ndarray
        In [0, 1]; 1 when the Gamma test passes (:func:`gamma_fits`).

    References
    ----------
    .. [1] Turyshev (2026) (Gamma test).
    """
    demand = np.asarray(workload_bits_per_j, dtype=float) * np.asarray(it_power_w, dtype=float) * SECONDS_PER_DAY
    cap = np.asarray(capacity_bits_per_day, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(demand > 0, np.minimum(1.0, cap / np.where(demand > 0, demand, 1.0)), 1.0)
