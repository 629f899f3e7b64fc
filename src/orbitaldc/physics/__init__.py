"""Physics: pure vectorized functions, one module per discipline.

``orbit`` (and ``sunlight``, its precomputed year surfaces), ``solar``, ``battery``, ``thermal``,
``radiation`` (with ``trapped``: AP-8/AE-8 tables, and ``dose``: dose behind aluminium),
``atmosphere`` (NRLMSIS 2.1 tables and the solar cycle), ``drag``, ``comms`` (with ``stations``:
the ground-station networks) and ``reliability``.
Field libraries (radbelt, pymsis) are used only by the table-building scripts in ``scripts/`` and
by the tests; the run time interpolates the tables in ``physics/data``. Every function takes scalars or NumPy arrays (broadcasting) in SI units and
returns arrays; impossible physical input raises :class:`orbitaldc.errors.PhysicsError` with one
clear message naming the argument, the offending value and what is allowed.

This package imports nothing from ``systems``, ``compare`` or the interfaces.
"""

from __future__ import annotations

import numpy as np

from orbitaldc.constants import MIN_ORBIT_ALTITUDE_M
from orbitaldc.errors import PhysicsError

__all__ = ["check_altitude", "check_range", "check_above"]


def _first_bad(x: np.ndarray, bad: np.ndarray) -> float:
    return float(np.broadcast_to(x, bad.shape)[bad].flat[0])


def check_range(value, name: str, low: float, high: float, unit: str = "",
                low_inclusive: bool = True, high_inclusive: bool = True) -> np.ndarray:
    """Return ``value`` as a float array, or raise PhysicsError naming the first value outside.

    Parameters
    ----------
    value : array_like
        Value(s) to check.
    name : str
        Argument name shown in the message.
    low, high : float
        Allowed interval (``-inf``/``inf`` for open ends).
    unit : str
        Unit shown in the message.
    low_inclusive, high_inclusive : bool
        Whether the bounds themselves are allowed.

    Returns
    -------
    ndarray
        ``value`` as floats.

    Raises
    ------
    PhysicsError
        Naming the first value outside (or non-finite) and the allowed interval.

    References
    ----------
    .. [1] DESIGN.md, conventions (one clear message naming the key, the value and what is allowed).
    """
    x = np.asarray(value, dtype=float)
    too_low = x < low if low_inclusive else x <= low
    too_high = x > high if high_inclusive else x >= high
    bad = too_low | too_high | ~np.isfinite(x)
    if np.any(bad):
        lo = "[" if low_inclusive else "("
        hi = "]" if high_inclusive else ")"
        u = f" {unit}" if unit else ""
        raise PhysicsError(
            f"{name} = {_first_bad(x, bad):g}{u} is not physical; allowed: {lo}{low:g}, {high:g}{hi}{u}")
    return x


def check_above(value, name: str, floor, unit: str = "", what: str = "") -> np.ndarray:
    """Return ``value`` as a float array, or raise PhysicsError where ``value <= floor``.

    Parameters
    ----------
    value : array_like
        Value(s) to check.
    name : str
        Argument name shown in the message.
    floor : array_like
        Exclusive lower bound (broadcasts with ``value``).
    unit : str
        Unit shown in the message.
    what : str
        Reason shown in the message.

    Returns
    -------
    ndarray
        ``value`` as floats.

    References
    ----------
    .. [1] DESIGN.md, conventions (one clear message naming the key, the value and what is allowed).
    """
    x = np.asarray(value, dtype=float)
    fl = np.asarray(floor, dtype=float)
    bad = ~(x > fl) | ~np.isfinite(x)
    if np.any(bad):
        shape = np.broadcast_shapes(x.shape, fl.shape)
        first = np.argwhere(np.broadcast_to(bad, shape))[0]
        xv = float(np.broadcast_to(x, shape)[tuple(first)])
        fv = float(np.broadcast_to(fl, shape)[tuple(first)])
        u = f" {unit}" if unit else ""
        reason = f" ({what})" if what else ""
        raise PhysicsError(f"{name} = {xv:g}{u} must be above {fv:g}{u}{reason}")
    return x


def check_altitude(altitude_m, name: str = "altitude_m") -> np.ndarray:
    """Return ``altitude_m`` as a float array; raise PhysicsError below 150 km or inside the Earth.

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m].
    name : str
        Argument name shown in the message.

    Returns
    -------
    ndarray
        ``altitude_m`` as floats.

    Notes
    -----
    Below ~150 km a satellite decays within hours to days, so the orbit models refuse it
    (``constants.MIN_ORBIT_ALTITUDE_M``).

    References
    ----------
    .. [1] Wertz & Larson, SMAD 3rd ed. (1999), sec. 8.1.4.
    """
    h = np.asarray(altitude_m, dtype=float)
    bad = ~(h >= MIN_ORBIT_ALTITUDE_M) | ~np.isfinite(h)
    if np.any(bad):
        v = _first_bad(h, bad)
        where = "inside the Earth" if v < 0 else "below the lowest orbit altitude"
        raise PhysicsError(
            f"{name} = {v:g} m is {where}; allowed: {name} >= {MIN_ORBIT_ALTITUDE_M:g} m (150 km)")
    return h
