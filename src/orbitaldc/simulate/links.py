"""Ground links: station visibility per step, downlink capacity, delivered results.

Stations are read from ``stations.toml`` (sources there). Visibility is geometric: the
satellite's elevation above the station's local horizon (WGS84 ellipsoid normal) must exceed
``sim_min_elevation_rad``. Each station serves at most ``sim_links_per_station`` satellites at
once; the simulated sample stands for the whole constellation, so its share of a station is
scaled by the sample fraction.
"""

from __future__ import annotations

import math
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from orbitaldc.constants import EARTH_FLATTENING, EARTH_RADIUS_M
from orbitaldc.errors import ScenarioError

STATIONS_FILE = Path(__file__).with_name("stations.toml")


class Stations(NamedTuple):
    """Ground stations: names, geodetic latitude/longitude [rad] and height [m]."""

    names: tuple[str, ...]
    lat_rad: np.ndarray
    lon_rad: np.ndarray
    height_m: np.ndarray


@lru_cache(maxsize=None)
def load_network(name: str) -> Stations:
    """The stations of a named network in ``stations.toml``.

    Parameters
    ----------
    name : str
        ``sim_ground_network`` (a table of ``stations.toml``).

    Returns
    -------
    Stations

    References
    ----------
    .. [1] KSAT, NASA Near Earth Network User's Guide (453-UG-002905), ESA ESTRACK site lists
       (the coordinates in ``stations.toml``).
    """
    with STATIONS_FILE.open("rb") as fh:
        data = tomllib.load(fh)
    if name not in data:
        raise ScenarioError(f"sim_ground_network = {name!r}: expected one of {', '.join(map(repr, data))}")
    rows = data[name]["stations"]
    return Stations(tuple(r["name"] for r in rows), np.radians([r["lat_deg"] for r in rows]),
                    np.radians([r["lon_deg"] for r in rows]), np.array([r["height_m"] for r in rows], dtype=float))


def geodetic_to_ecef_m(lat_rad, lon_rad, height_m):
    """Earth-fixed position [m] of geodetic coordinates on the WGS84 ellipsoid.

    Parameters
    ----------
    lat_rad, lon_rad : array_like
        Geodetic latitude and longitude [rad].
    height_m : array_like
        Height above the ellipsoid [m].

    Returns
    -------
    ndarray
        ``(..., 3)`` Earth-fixed position [m].

    Notes
    -----
    ``N = R / sqrt(1 - e^2 sin^2 phi)``, ``x = (N + h) cos phi cos lambda``,
    ``y = (N + h) cos phi sin lambda``, ``z = (N (1 - e^2) + h) sin phi``, ``e^2 = f (2 - f)``.

    References
    ----------
    .. [1] Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., sec. 3.2,
       eq. 3-14; NIMA TR8350.2 (WGS84).
    """
    lat = np.asarray(lat_rad, dtype=float)
    lon = np.asarray(lon_rad, dtype=float)
    h = np.asarray(height_m, dtype=float)
    e2 = EARTH_FLATTENING * (2.0 - EARTH_FLATTENING)
    n = EARTH_RADIUS_M / np.sqrt(1.0 - e2 * np.sin(lat) ** 2)
    return np.stack([(n + h) * np.cos(lat) * np.cos(lon), (n + h) * np.cos(lat) * np.sin(lon),
                     (n * (1.0 - e2) + h) * np.sin(lat)], axis=-1)


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


def downlink_capacity_bps(visible, rate_bps, links_per_station, sample_fraction, relay):
    """Downlink capacity available to each simulated satellite in one step.

    Parameters
    ----------
    visible : ndarray of bool
        ``(N, T, S)`` satellite sees station.
    rate_bps : float
        Rate of one station terminal [bit/s].
    links_per_station : int
        Simultaneous contacts per station.
    sample_fraction : float
        Simulated satellites / constellation satellites, in (0, 1].
    relay : {"direct", "isl"}
        ``direct``: a satellite downlinks only its own results, sharing each station it sees
        with the constellation's other satellites in view; ``isl``: results are pooled by
        inter-satellite links, so every station that sees any satellite works at full
        capacity and the sample gets its share of the total.

    Returns
    -------
    ndarray
        ``(N, T)`` capacity [bit/s] (with ``isl``, the pooled capacity split evenly).

    Notes
    -----
    ``direct``: a station seen by ``v`` sample satellites is seen by about ``v / f``
    constellation satellites and serves ``min(L, v / f)`` of them, so each sample satellite in
    view gets ``R min(L, v/f) / (v/f)``; a satellite seeing several stations adds them.
    ``isl``: total ``R L`` over stations in view of any satellite, times ``f``, over ``N``.

    References
    ----------
    .. [1] Wertz & Larson, *SMAD*, 3rd ed., sec. 13.1 (data volume = rate x contact time).
    """
    vis = np.asarray(visible, dtype=bool)
    n = vis.shape[0]
    if vis.shape[-1] == 0:
        return np.zeros(vis.shape[:2])
    if relay == "isl":
        stations_up = vis.any(axis=0)  # (T, S)
        total = rate_bps * links_per_station * stations_up.sum(axis=-1) * sample_fraction  # sample's share
        return np.broadcast_to(total / n, vis.shape[:2]).copy()
    v = vis.sum(axis=0)  # (T, S) sample satellites in view
    crowd = v / sample_fraction
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(crowd > 0, np.minimum(links_per_station, crowd) / crowd, 0.0)  # (T, S)
    return rate_bps * np.einsum("nts,ts->nt", vis.astype(float), share)


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
