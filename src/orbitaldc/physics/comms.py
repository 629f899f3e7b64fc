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
from orbitaldc.errors import PhysicsError
from orbitaldc.physics import check_above, check_altitude, check_range

__all__ = ["VISIBILITY_GRID", "contact_time_s_per_day", "delivered_output_fraction", "downlink_bits_per_day",
           "earth_central_angle_rad", "gamma_fits", "network_downlink_bits_per_day", "optical_link_rate_bps",
           "station_visible_fraction"]

PLANCK_J_S = 6.62607015e-34  # exact (SI 2019)
#: points per period of the sidereal-angle grid for the union of several planes (error <= 2 / grid)
VISIBILITY_GRID = 2048


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


def station_visible_fraction(latitude_rad, inclination_rad, central_angle_rad, planes=1):
    """Share of the time a ground station sees at least one satellite of densely filled planes.

    Parameters
    ----------
    latitude_rad : array_like
        Geocentric latitude of the station [rad] (the direction of its position; spherical Earth).
    inclination_rad : array_like
        Inclination of the circular orbit planes [rad].
    central_angle_rad : array_like
        Earth central angle ``lambda`` of the station's visibility circle [rad], 0 to pi/2
        (:func:`earth_central_angle_rad` of the altitude and minimum elevation).
    planes : int or float, optional
        Planes, their ascending nodes evenly spread over 360 deg (a Walker shell); 1 for a
        sun-synchronous family whose planes share one node (the layout's coplanar rings);
        ``numpy.inf`` for nodes densely filling the circle.

    Returns
    -------
    ndarray
        Fraction of the time in [0, 1], averaged over the station's sidereal angle (whole days).

    Notes
    -----
    A plane densely filled with satellites is in view of a station when the station lies within
    ``lambda`` of the plane's great circle: ``|n . r| <= sin(lambda)``, with ``n`` the plane's unit
    normal and ``r`` the station's direction. In inertial axes
    ``n . r = a - b sin(x)``, ``a = cos(i) sin(phi)``, ``b = sin(i) cos(phi)``, ``x = theta - Omega``
    the station's sidereal angle from the node, uniform over a day (the node drifts slowly). One
    plane: ``sin(x)`` lies in ``[l, u] = [(a - s) / b, (a + s) / b]`` clipped to ``[-1, 1]``
    (``s = sin(lambda)``) for the fraction ``(arcsin(u) - arcsin(l)) / pi`` of the day; ``b = 0``
    (an equatorial plane or a polar station): 1 where ``|a| <= s``, else 0. Dense nodes: some
    plane is in view at every instant where ``|a| - b <= s``. ``P`` planes at nodes
    ``2 pi k / P``: the union is periodic in ``x`` with period ``2 pi / P`` and is averaged on
    :data:`VISIBILITY_GRID` midpoints of one period; a period holds at most 4 ends of visible
    arcs (each plane's visible set is at most two arcs over 360 deg), each misplaced by at most
    half a cell, so the error is at most ``2 / VISIBILITY_GRID`` (0.1 %). A plane counts as in
    view as soon as the station enters its band; a real ring of ``n`` satellites leaves the
    station unserved only where the visible arc ``2 arccos(cos(lambda) / cos(delta))`` is
    shorter than the spacing ``2 pi / n``.

    References
    ----------
    .. [1] SMAD (1999), sec. 5.1-5.2 (visibility circle, Earth central angle, ground track
       geometry).
    .. [2] J. G. Walker, "Satellite constellations", J. Br. Interplanet. Soc. 37 (1984) 559-572
       (planes evenly spread in right ascension).
    """
    phi = check_range(latitude_rad, "latitude_rad", -np.pi / 2, np.pi / 2, "rad")
    inc = check_range(inclination_rad, "inclination_rad", 0.0, np.pi, "rad")
    lam = check_range(central_angle_rad, "central_angle_rad", 0.0, np.pi / 2, "rad")
    p = float(planes)
    if not (p == np.inf or (p >= 1 and p == int(p))):
        raise PhysicsError(f"planes = {planes!r}: expected a whole number >= 1 or inf")
    a = np.cos(inc) * np.sin(phi)
    b = np.abs(np.sin(inc) * np.cos(phi))
    s = np.sin(lam)
    if p == np.inf:
        return (np.abs(a) - b <= s).astype(float)
    flat = b <= 1e-12
    safe = np.where(flat, 1.0, b)
    if p == 1:
        hi = np.clip((a + s) / safe, -1.0, 1.0)
        lo = np.clip((a - s) / safe, -1.0, 1.0)
        return np.where(flat, (np.abs(a) <= s).astype(float), (np.arcsin(hi) - np.arcsin(lo)) / np.pi)
    x = (np.arange(VISIBILITY_GRID) + 0.5) * (2.0 * np.pi / p / VISIBILITY_GRID)
    a_, b_, s_ = (np.asarray(v)[..., None] for v in np.broadcast_arrays(a, b, s))
    seen = np.zeros(np.broadcast(a, b, s).shape + (VISIBILITY_GRID,), dtype=bool)
    for k in range(int(p)):
        seen |= np.abs(a_ - b_ * np.sin(x + 2.0 * np.pi * k / p)) <= s_
    return seen.mean(axis=-1)


def network_downlink_bits_per_day(stations, terminals_per_station, link_rate_bps, clear_sky_fraction):
    """Most data a ground network can take in per day [bit].

    Parameters
    ----------
    stations : array_like
        Stations in view of the constellation, averaged over time: the sum over the network of
        :func:`station_visible_fraction` (the station count where every station always sees it).
    terminals_per_station : array_like
        Optical terminals per station (satellites served at once).
    link_rate_bps : array_like
        Rate of one terminal link [bit/s].
    clear_sky_fraction : array_like
        Share of time a station's line of sight is cloud-free, in [0, 1].

    Returns
    -------
    ndarray
        ``stations x terminals x rate x 86400 x p_clear``: every terminal of a station busy whenever
        the station sees the constellation under a clear sky (a dense constellation has a
        satellite for every terminal then; inter-satellite links bring the data to it).

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
