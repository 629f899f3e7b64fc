"""Ground-station networks: the sites both models downlink to.

The networks are tables of ``physics/data/ground_stations.toml`` (sites and sources there),
named by the parameter ``ground_network``; a design uses the first ``ground_stations`` of its
network. The averaged model (:func:`orbitaldc.physics.comms.network_downlink_bits_per_day`) and
the twin (:mod:`orbitaldc.simulate.links`) read the same sites through this module.
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

__all__ = ["STATIONS_FILE", "Stations", "geocentric_latitude_rad", "geodetic_to_ecef_m", "load_network", "network"]

STATIONS_FILE = Path(__file__).parent / "data" / "ground_stations.toml"


class Stations(NamedTuple):
    """Ground stations: names, geodetic latitude/longitude [rad] and height [m]."""

    names: tuple[str, ...]
    lat_rad: np.ndarray
    lon_rad: np.ndarray
    height_m: np.ndarray


@lru_cache(maxsize=None)
def load_network(name: str) -> Stations:
    """The stations of a named network in ``ground_stations.toml``.

    Parameters
    ----------
    name : str
        ``ground_network`` (a table of ``ground_stations.toml``).

    Returns
    -------
    Stations

    Raises
    ------
    ScenarioError
        An unknown network, naming the ones there are.

    References
    ----------
    .. [1] KSAT, NASA Near Earth Network User's Guide (453-UG-002905), ESA ESTRACK site lists
       (the coordinates in ``ground_stations.toml``).
    """
    with STATIONS_FILE.open("rb") as fh:
        data = tomllib.load(fh)
    if name not in data:
        raise ScenarioError(f"ground_network = {name!r}: expected one of {', '.join(map(repr, data))}")
    rows = data[name]["stations"]
    return Stations(tuple(r["name"] for r in rows), np.radians([r["lat_deg"] for r in rows]),
                    np.radians([r["lon_deg"] for r in rows]), np.array([r["height_m"] for r in rows], dtype=float))


def network(name: str, count) -> Stations:
    """The first ``count`` stations of a named network (``ground_stations`` of ``ground_network``).

    Parameters
    ----------
    name : str
        ``ground_network``.
    count : float
        ``ground_stations``; its whole part, at most the network's size, is used.

    Returns
    -------
    Stations

    References
    ----------
    .. [1] :func:`load_network` (the sites and their sources).
    """
    full = load_network(name)
    k = max(0, min(len(full.names), int(math.floor(float(count) + 1e-9))))
    return Stations(full.names[:k], full.lat_rad[:k], full.lon_rad[:k], full.height_m[:k])


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


def geocentric_latitude_rad(stations: Stations) -> np.ndarray:
    """Geocentric latitude [rad] of each station (the direction of its WGS84 position).

    Parameters
    ----------
    stations : Stations
        Ground stations.

    Returns
    -------
    ndarray
        ``(S,)`` ``arctan2(z, sqrt(x^2 + y^2))`` of :func:`geodetic_to_ecef_m`: the latitude of
        the station's direction from the Earth's centre, the one the spherical visibility geometry
        of both models uses.

    References
    ----------
    .. [1] Vallado, 4th ed., sec. 3.2 (geocentric and geodetic latitude).
    """
    r = geodetic_to_ecef_m(stations.lat_rad, stations.lon_rad, stations.height_m).reshape(-1, 3)
    return np.arctan2(r[:, 2], np.hypot(r[:, 0], r[:, 1]))
