"""Ground links: station visibility per step, downlink capacity, delivered results.

Stations are the averaged model's (:mod:`orbitaldc.physics.stations`, sources in
``physics/data/ground_stations.toml``): the first ``ground_stations`` of ``ground_network``.
Visibility is geometric: the satellite's elevation above the station's local horizon (WGS84
ellipsoid normal) must exceed ``min_elevation_rad``. Each station has ``terminals_per_station``
terminals, each serving one satellite at a time, at ``downlink_rate_bps`` times the
``clear_sky_fraction`` while it sees the constellation (the averaged model's cap weighs each
station by the closed-form share of time it does,
:func:`orbitaldc.physics.comms.station_visible_fraction`). The simulated sample stands for the whole
constellation: how many of its satellites a station sees comes from the layout's evenly filled
planes (:func:`ring_in_view`), or for a TLE sample from the sample scaled by its fraction.
"""

from __future__ import annotations

import math

import numpy as np

from orbitaldc.physics.stations import Stations, geodetic_to_ecef_m, load_network, network

__all__ = ["Stations", "deliver_results", "downlink_capacity_bps", "elevation_sine", "geodetic_to_ecef_m",
           "load_network", "network", "ring_in_view", "visibility"]


def elevation_sine(sat_ecef_m, station_ecef_m, lat_rad, lon_rad):
    """Sine of the elevation of satellites above stations' horizons.

    Parameters
    ----------
    sat_ecef_m : ndarray
        ``(..., 3)`` Earth-fixed satellite positions [m].
    station_ecef_m : ndarray
        ``(S, 3)`` station positions [m].
    lat_rad, lon_rad : ndarray
        ``(S,)`` geodetic coordinates (the local vertical is the ellipsoid normal).

    Returns
    -------
    ndarray
        ``(..., S)`` ``sin(el) = (rho . u) / |rho|``, ``rho = r - g`` the station-to-satellite
        vector, evaluated with matrix products: ``rho . u = r . u - g . u`` and
        ``|rho|^2 = |r|^2 - 2 r . g + |g|^2``.

    References
    ----------
    .. [1] Vallado, 4th ed., sec. 4.4 (SEZ frame, elevation).
    """
    along, dist2 = _along_and_distance2(sat_ecef_m, station_ecef_m, lat_rad, lon_rad)
    return along / np.sqrt(np.clip(dist2, 1e-6, None))


def _along_and_distance2(sat_ecef_m, station_ecef_m, lat_rad, lon_rad):
    """``(rho . u, |rho|^2)`` for every satellite and station, by one 2-D matrix product."""
    g = np.asarray(station_ecef_m, dtype=float)
    up = np.stack([np.cos(lat_rad) * np.cos(lon_rad), np.cos(lat_rad) * np.sin(lon_rad), np.sin(lat_rad)], axis=-1)
    r = np.asarray(sat_ecef_m, dtype=float)
    flat = r.reshape(-1, 3)
    prod = flat @ np.concatenate([up, g], axis=0).T  # (M, 2S)
    s = g.shape[0]
    along = prod[:, :s] - np.sum(g * up, axis=-1)
    dist2 = np.einsum("ij,ij->i", flat, flat)[:, None] - 2.0 * prod[:, s:] + np.sum(g * g, axis=-1)
    shape = r.shape[:-1] + (s,)
    return along.reshape(shape), dist2.reshape(shape)


def ring_in_view(normals, per_plane, cos_lambda, station_dirs):
    """Satellites of evenly filled orbit planes in view of each station, ``(T, S)``.

    Parameters
    ----------
    normals : ndarray
        ``(P, T, 3)`` unit normals of the planes (inertial).
    per_plane : ndarray
        ``(P,)`` satellites of the constellation in each plane, evenly spaced.
    cos_lambda : ndarray
        ``(P,)`` cosine of the Earth central angle of a station's visibility circle at each
        plane's altitude (:func:`orbitaldc.physics.comms.earth_central_angle_rad`).
    station_dirs : ndarray
        ``(T, S, 3)`` geocentric unit vectors of the stations (inertial).

    Returns
    -------
    ndarray
        ``sum_p n_p psi_p / pi`` [satellites]: a plane whose normal makes ``pi/2 - delta`` with
        the station's direction passes within the central angle ``lambda`` of the station over
        the arc ``|u| <= psi = arccos(cos(lambda) / cos(delta))`` (zero where ``cos(delta) <=
        cos(lambda)``), and holds ``n_p psi / pi`` of its satellites there.

    Notes
    -----
    Spherical Earth; the cosine of the central angle between the station and the point of the
    ring at angle ``u`` from the station's projection on the plane is ``cos(delta) cos(u)``.

    References
    ----------
    .. [1] Wertz & Larson, *SMAD*, 3rd ed. (1999), sec. 5.1 and eq. 5-15 to 5-17 (visibility
       circle, Earth central angle).
    """
    sin_d = np.einsum("ptk,tsk->pts", np.asarray(normals, dtype=float), np.asarray(station_dirs, dtype=float))
    cos_d = np.sqrt(np.clip(1.0 - sin_d * sin_d, 0.0, 1.0))
    cl = np.asarray(cos_lambda, dtype=float)[:, None, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        psi = np.where(cos_d > cl, np.arccos(np.clip(cl / np.where(cos_d > 0, cos_d, 1.0), -1.0, 1.0)), 0.0)
    return np.einsum("p,pts->ts", np.asarray(per_plane, dtype=float), psi) / np.pi


def downlink_capacity_bps(visible, in_view, rate_bps, terminals_per_station, clear_sky_fraction, sample_fraction,
                          relay):
    """Downlink capacity available to each simulated satellite in one step.

    Parameters
    ----------
    visible : ndarray of bool
        ``(N, T, S)`` simulated satellite sees station.
    in_view : ndarray
        ``(T, S)`` satellites of the whole constellation in view of each station
        (:func:`ring_in_view`, or the sample's count over the sample fraction).
    rate_bps : float
        Rate of one station terminal [bit/s].
    terminals_per_station : float
        Terminals per station, each serving one satellite at a time (``terminals_per_station``).
    clear_sky_fraction : float
        Share of time a station has a cloud-free line of sight (``clear_sky_fraction``).
    sample_fraction : float
        Simulated satellites / constellation satellites, in (0, 1].
    relay : {"direct", "isl"}
        ``direct``: a satellite downlinks only its own results, sharing each station it sees
        with the constellation's other satellites in view; ``isl``: results are pooled by
        inter-satellite links, so every terminal of a station in view of the constellation
        works and the sample gets its share of the total.

    Returns
    -------
    ndarray
        ``(N, T)`` capacity [bit/s] (with ``isl``, the pooled capacity split evenly).

    Notes
    -----
    Station ``s`` carries ``R c min(L, v_s)`` with ``v_s`` the constellation's satellites in
    view, ``L`` its terminals and ``c`` the clear-sky fraction; averaged over time, with a dense
    constellation (``v_s >= L`` whenever ``v_s > 0``), this is the averaged model's network cap
    ``sum_s L R c f_s`` with ``f_s`` the share of time station ``s`` sees the constellation
    (:func:`orbitaldc.physics.comms.network_downlink_bits_per_day`). ``direct``: each sample
    satellite in view gets ``R c min(L, v) / v`` (``v >= 1`` where it sees the station) and a
    satellite seeing several stations adds them; ``isl``: the sample's share ``f sum_s R c
    min(L, v_s)`` over ``N``.

    References
    ----------
    .. [1] Wertz & Larson, *SMAD*, 3rd ed., sec. 13.1 (data volume = rate x contact time).
    .. [2] D. Fuchs and F. Moll, "Ground station network optimization for space-to-ground
       optical communication links", J. Opt. Commun. Netw. 7(12), 1148 (2015) (cloud-free
       line-of-sight probability).
    """
    vis = np.asarray(visible, dtype=bool)
    n = vis.shape[0]
    if vis.shape[-1] == 0:
        return np.zeros(vis.shape[:2])
    per_terminal = rate_bps * clear_sky_fraction
    crowd = np.asarray(in_view, dtype=float)
    if relay == "isl":
        total = per_terminal * np.minimum(terminals_per_station, crowd).sum(axis=-1) * sample_fraction
        return np.broadcast_to(total / n, vis.shape[:2]).copy()
    crowd = np.maximum(crowd, 1.0)
    share = np.minimum(terminals_per_station, crowd) / crowd  # (T, S)
    return per_terminal * np.einsum("nts,ts->nt", vis.astype(float), share)


def deliver_results(generated_b, capacity_b, backlog_b):
    """Send results down through a store-and-forward buffer, step by step.

    Parameters
    ----------
    generated_b : ndarray
        ``(N, T)`` result bytes produced per step.
    capacity_b : ndarray
        ``(N, T)`` bytes the links can carry per step.
    backlog_b : ndarray
        ``(N,)`` bytes waiting at the start.

    Returns
    -------
    (sent_b, backlog_b) : (ndarray (N, T), ndarray (N,))

    Notes
    -----
    ``B_k = B_{k-1} + g_k``; ``sent_k = min(B_k, c_k)``; ``B_k -= sent_k``. Evaluated without a
    Python loop through the queue's departure process (Lindley's recursion): with prefix sums
    ``G_j = b + g_1 + ... + g_j`` and ``C_j = c_1 + ... + c_j``, the cumulative volume sent is
    ``S_k = C_k + min(0, min_{1 <= j <= k} (G_j - C_j))`` (the ``0`` term: the queue never emptied).

    References
    ----------
    .. [1] D. V. Lindley, "The theory of queues with a single server", Proc. Camb. Phil. Soc.
       48 (1952); L. Kleinrock, *Queueing Systems* vol. 1, sec. 8.1.
    """
    g = np.cumsum(generated_b, axis=1) + backlog_b[:, None]
    c = np.cumsum(capacity_b, axis=1)
    sent_cum = c + np.minimum(np.minimum.accumulate(g - c, axis=1), 0.0)
    sent = np.diff(sent_cum, axis=1, prepend=np.zeros((g.shape[0], 1)))
    return sent, g[:, -1] - sent_cum[:, -1] if g.shape[1] else backlog_b


def visibility(sat_eci_m, gmst, stations: Stations, min_elevation_rad):
    """Whether each satellite sees each station: ``(N, T, S)`` booleans.

    Parameters
    ----------
    sat_eci_m : ndarray
        ``(N, T, 3)`` inertial positions [m].
    gmst : ndarray
        ``(T,)`` Greenwich sidereal angle [rad].
    stations : Stations
        Ground stations.
    min_elevation_rad : float
        Lowest usable elevation [rad], >= 0.

    Returns
    -------
    ndarray of bool
        ``(N, T, S)``: ``sin(el) >= sin(el_min)`` (:func:`elevation_sine`).

    References
    ----------
    .. [1] Vallado, 4th ed., sec. 4.4 (SEZ frame, elevation).
    """
    from orbitaldc.simulate.propagate import eci_to_ecef

    if not stations.names:
        return np.zeros(sat_eci_m.shape[:2] + (0,), dtype=bool)
    ecef = eci_to_ecef(sat_eci_m, gmst)
    st = geodetic_to_ecef_m(stations.lat_rad, stations.lon_rad, stations.height_m)
    along, dist2 = _along_and_distance2(ecef, st, stations.lat_rad, stations.lon_rad)
    # sin(el) >= sin(el_min)  <=>  along >= 0 and along^2 >= sin^2(el_min) |rho|^2  (el_min >= 0)
    return (along >= 0.0) & (along * along >= math.sin(min_elevation_rad) ** 2 * dist2)
