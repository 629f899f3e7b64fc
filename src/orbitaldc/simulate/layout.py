"""Constellation layouts: Walker-delta shells, sun-synchronous planes, and TLE files.

A layout is a set of mean orbital elements at an epoch (:class:`Elements`, one entry per
satellite), or a list of two-line element sets read from a file (:func:`read_tle`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import NamedTuple

import numpy as np

from orbitaldc.constants import EARTH_RADIUS_M
from orbitaldc.errors import ScenarioError

#: Largest TLE file accepted [bytes] (about 70,000 satellites).
MAX_TLE_BYTES = 20_000_000


class Elements(NamedTuple):
    """Mean Keplerian elements at ``epoch_jd`` (arrays of one entry per satellite).

    Attributes
    ----------
    semi_major_axis_m, eccentricity, inclination_rad, raan_rad, arg_perigee_rad,
    mean_anomaly_rad : ndarray
        Classical elements [m, -, rad, rad, rad, rad].
    epoch_jd : float
        Julian date (UTC) of the elements.
    """

    semi_major_axis_m: np.ndarray
    eccentricity: np.ndarray
    inclination_rad: np.ndarray
    raan_rad: np.ndarray
    arg_perigee_rad: np.ndarray
    mean_anomaly_rad: np.ndarray
    epoch_jd: float

    @property
    def count(self) -> int:
        return int(np.size(self.semi_major_axis_m))


def walker_delta(total, planes, phasing, inclination_rad, altitude_m, epoch_jd, raan0_rad=0.0):
    """Walker-delta constellation ``i: T/P/F`` on circular orbits.

    Parameters
    ----------
    total : int
        Satellites ``T``; must be a multiple of ``planes``.
    planes : int
        Planes ``P``, equally spaced in right ascension over 360 deg.
    phasing : int
        Phasing factor ``F`` in ``0 .. P-1``.
    inclination_rad : float
        Inclination [rad].
    altitude_m : float
        Altitude above the equatorial radius [m].
    epoch_jd : float
        Epoch [Julian date, UTC].
    raan0_rad : float, optional
        Right ascension of the first plane [rad].

    Returns
    -------
    Elements

    Notes
    -----
    Plane ``p`` has ``RAAN = RAAN0 + 2 pi p / P``; satellite ``s`` of ``S = T/P`` in that plane has
    mean anomaly ``2 pi s / S + 2 pi F p / T``.

    References
    ----------
    .. [1] J. G. Walker, "Satellite constellations", J. Br. Interplanet. Soc. 37 (1984) 559-572.
    """
    total, planes, phasing = int(total), int(planes), int(phasing)
    if total < 1 or planes < 1 or total % planes:
        raise ScenarioError(f"Walker layout: sim_satellites = {total} must be a positive multiple of "
                            f"sim_planes = {planes}")
    if not 0 <= phasing < planes:
        raise ScenarioError(f"Walker layout: sim_phasing = {phasing}: expected 0 <= F < sim_planes = {planes}")
    per_plane = total // planes
    p = np.repeat(np.arange(planes), per_plane).astype(float)
    s = np.tile(np.arange(per_plane), planes).astype(float)
    raan = np.mod(raan0_rad + 2.0 * math.pi * p / planes, 2.0 * math.pi)
    mean_anomaly = np.mod(2.0 * math.pi * s / per_plane + 2.0 * math.pi * phasing * p / total, 2.0 * math.pi)
    n = total
    return Elements(np.full(n, EARTH_RADIUS_M + altitude_m), np.zeros(n), np.full(n, float(inclination_rad)),
                    raan, np.zeros(n), mean_anomaly, float(epoch_jd))


def sun_synchronous(total, planes, ltan_h, altitude_m, epoch_jd):
    """Circular sun-synchronous satellites sharing one local time of the ascending node.

    Satellites are spread evenly in mean anomaly over ``planes`` coplanar rings (a dawn-dusk
    constellation keeps all planes at the terminator).

    Parameters
    ----------
    total, planes : int
        Satellites and rings (``total`` a multiple of ``planes``).
    ltan_h : float
        Local time of the ascending node [h] (6 or 18 = dawn-dusk).
    altitude_m : float
        Altitude [m].
    epoch_jd : float
        Epoch [Julian date, UTC].

    Returns
    -------
    Elements

    References
    ----------
    .. [1] Vallado, 4th ed., sec. 11.4 (sun-synchronous inclination and node placement).
    """
    from orbitaldc.physics.orbit import raan_for_ltan_rad, sun_synchronous_inclination_rad

    raan = float(raan_for_ltan_rad(epoch_jd, ltan_h))
    incl = float(sun_synchronous_inclination_rad(altitude_m))
    base = walker_delta(total, planes, 0, incl, altitude_m, epoch_jd, raan0_rad=raan)
    return base._replace(raan_rad=np.full(base.count, raan),
                         mean_anomaly_rad=np.mod(2.0 * math.pi * np.arange(base.count) / base.count, 2.0 * math.pi))


def _tle_checksum(line: str) -> int:
    return sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line[:68]) % 10


def _read_bounded_text(path: Path, label: str) -> str:
    """A regular file's ASCII text, at most :data:`MAX_TLE_BYTES`, without blocking.

    The file is opened non-blocking (a FIFO with no writer does not hang the open), refused
    unless ``fstat`` of the opened descriptor says it is a regular file (devices such as
    ``/dev/zero``, FIFOs, sockets, folders), and read to at most one byte past the limit
    whatever its reported size (a file that grows while being read).
    """
    import os
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ScenarioError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise ScenarioError(f"{label}: is a folder, expected a regular file") from None
    except OSError as exc:
        raise ScenarioError(f"{label}: cannot open ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = ("a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO" if stat.S_ISFIFO(info.st_mode)
                    else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                    else "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
            raise ScenarioError(f"{label}: is {kind}; expected a regular file")
        if info.st_size > MAX_TLE_BYTES:
            raise ScenarioError(f"{label}: {info.st_size:,} bytes, larger than the {MAX_TLE_BYTES:,} allowed")
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            data = fh.read(MAX_TLE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(f"{label}: cannot read ({exc.strerror})") from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > MAX_TLE_BYTES:
        raise ScenarioError(f"{label}: larger than the {MAX_TLE_BYTES:,} bytes allowed")
    try:
        return data.decode("ascii")
    except UnicodeDecodeError:
        raise ScenarioError(f"{label}: not ASCII text") from None


def read_tle(path: str | Path, limit: int | None = None) -> list[tuple[str, str, str]]:
    """Read two-line element sets (optionally preceded by a name line) from a text file.

    Parameters
    ----------
    path : str or Path
        The file.
    limit : int, optional
        Keep the first ``limit`` satellites.

    Returns
    -------
    list of (name, line1, line2)

    Raises
    ------
    ScenarioError
        Naming the file and line for a missing, unreadable or malformed file (line numbers,
        length, checksum per the NORAD format); for anything but a regular file (device, FIFO,
        folder) and for files over :data:`MAX_TLE_BYTES`.

    References
    ----------
    .. [1] CelesTrak, "NORAD Two-Line Element Set Format" (T. S. Kelso); Vallado et al.,
       "Revisiting Spacetrack Report #3", AIAA 2006-6753.
    """
    path = Path(path)
    label = f"TLE file {path}"
    text = _read_bounded_text(path, label)
    lines = [(i + 1, ln.rstrip()) for i, ln in enumerate(text.splitlines()) if ln.strip()]
    out: list[tuple[str, str, str]] = []
    k = 0
    while k < len(lines):
        name = ""
        if not lines[k][1].startswith("1 "):
            name = lines[k][1].lstrip("0 ").strip()
            k += 1
        if k + 1 >= len(lines):
            raise ScenarioError(f"{label}: line {lines[min(k, len(lines) - 1)][0]}: expected a pair of lines "
                                "starting with '1 ' and '2 '")
        (n1, l1), (n2, l2) = lines[k], lines[k + 1]
        for num, line, first in ((n1, l1, "1 "), (n2, l2, "2 ")):
            if not line.startswith(first) or len(line) < 69:
                raise ScenarioError(f"{label}: line {num}: expected a 69-character TLE line starting with {first!r}")
            if not line[68].isdigit() or int(line[68]) != _tle_checksum(line):
                raise ScenarioError(f"{label}: line {num}: checksum {line[68]!r} does not match "
                                    f"{_tle_checksum(line)}")
        if l1[2:7] != l2[2:7]:
            raise ScenarioError(f"{label}: lines {n1}-{n2}: satellite numbers differ ({l1[2:7]!r}, {l2[2:7]!r})")
        out.append((name or l1[2:7].strip(), l1, l2))
        k += 2
        if limit is not None and len(out) >= limit:
            break
    if not out:
        raise ScenarioError(f"{label}: no element sets found")
    return out
