"""Launch: price per kg, vehicles, launch count, cadence and Wright's-law learning.

All functions are pure and vectorized: scalars or NumPy arrays in, arrays out.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import load_vehicles


class Vehicle(NamedTuple):
    """A launch vehicle from the catalog (``params/data/vehicles.toml``)."""

    key: str
    name: str
    payload_kg: float
    price_usd: float
    dollar_year: int
    source: str

    @property
    def price_usd_per_kg(self) -> float:
        return self.price_usd / self.payload_kg


def vehicle(key: str) -> Vehicle:
    """Look a vehicle up in the catalog.

    Raises
    ------
    OrbitaldcError
        If ``key`` is not in the catalog.
    """
    catalog = load_vehicles()
    if key not in catalog:
        raise OrbitaldcError(f"launch_vehicle = {key!r}: allowed {', '.join(sorted(catalog))}")
    raw = catalog[key]
    return Vehicle(key, raw["name"], float(raw["payload_kg"]), float(raw["price_usd"]),
                   int(raw["dollar_year"]), raw["source"])


def launch_count(mass_kg, payload_kg):
    """Whole launches needed to lift ``mass_kg`` at ``payload_kg`` per launch.

    Parameters
    ----------
    mass_kg : array_like
        Total mass to orbit [kg].
    payload_kg : array_like
        Payload per launch [kg], > 0.

    Returns
    -------
    ndarray
        ``ceil(mass / payload)`` as float (NaN-free for valid input).

    Notes
    -----
    A relative tolerance of 1e-12 keeps exact multiples (294 x 100 t) from rounding up
    through floating-point noise.
    """
    ratio = np.asarray(mass_kg, dtype=float) / np.asarray(payload_kg, dtype=float)
    return np.ceil(ratio * (1.0 - 1e-12))


def deployment_years(n_launches, launches_per_yr):
    """Years to fly ``n_launches`` at a cadence of ``launches_per_yr`` [yr]."""
    return np.asarray(n_launches, dtype=float) / np.asarray(launches_per_yr, dtype=float)


def wright_exponent(learning_rate):
    """Wright's-law exponent ``b`` for a price drop of ``learning_rate`` per doubling.

    Price after cumulative quantity ``Q`` is ``p0 (Q / Q0)^-b`` with
    ``b = -log2(1 - learning_rate)``; a 20 % learning rate gives b = 0.3219.

    References
    ----------
    .. [1] T. P. Wright, "Factors affecting the cost of airplanes", J. Aeronautical Sciences
       3(4), 122-128 (1936).
    """
    return -np.log2(1.0 - np.asarray(learning_rate, dtype=float))


def wright_price_usd_per_kg(price_usd_per_kg, cumulative_mass_kg, reference_mass_kg,
                            learning_rate, floor_usd_per_kg=0.0):
    """Launch price per kg after ``cumulative_mass_kg`` has flown (Wright's law with a floor).

    Parameters
    ----------
    price_usd_per_kg : array_like
        Price at the reference cumulative mass [USD/kg].
    cumulative_mass_kg : array_like
        Cumulative launched mass at which the price is wanted [kg].
    reference_mass_kg : array_like
        Cumulative mass at which ``price_usd_per_kg`` holds [kg].
    learning_rate : array_like
        Fractional price drop per doubling of cumulative mass, in [0, 1).
    floor_usd_per_kg : array_like, optional
        Price never falls below this [USD/kg].

    Returns
    -------
    ndarray
        Price [USD/kg].

    References
    ----------
    .. [1] Wright (1936), see :func:`wright_exponent`. Google, "Towards a future space-based,
       highly scalable AI infrastructure system design", arXiv:2511.19468 (2025), applies a
       20 % learning rate to cumulative mass to orbit.
    """
    b = wright_exponent(learning_rate)
    ratio = np.asarray(cumulative_mass_kg, dtype=float) / np.asarray(reference_mass_kg, dtype=float)
    price = np.asarray(price_usd_per_kg, dtype=float) * ratio ** (-b)
    return np.maximum(price, floor_usd_per_kg)


def average_wright_price_usd_per_kg(price_usd_per_kg, program_mass_kg, reference_mass_kg,
                                    learning_rate, floor_usd_per_kg=0.0):
    """Mass-weighted average price of a program that launches ``program_mass_kg`` on the curve.

    The program starts at cumulative mass ``M0 = reference_mass_kg`` (price ``p0``) and ends
    at ``M0 + m``. With ``u = M / M0`` and ``b`` the Wright exponent, the unfloored cost is
    ``p0 M0 (u1^(1-b) - 1) / (1 - b)`` (``p0 M0 ln u1`` at ``b = 1``); the floor ``f`` binds
    beyond ``uf = (p0 / f)^(1/b)``, after which mass costs ``f`` per kg.

    Parameters
    ----------
    price_usd_per_kg, program_mass_kg, reference_mass_kg, learning_rate, floor_usd_per_kg
        As in :func:`wright_price_usd_per_kg`; ``program_mass_kg`` > 0 [kg].

    Returns
    -------
    ndarray
        Average price over the program's mass [USD/kg]; equals ``price_usd_per_kg`` when the
        learning rate is 0.
    """
    p0 = np.asarray(price_usd_per_kg, dtype=float)
    m = np.asarray(program_mass_kg, dtype=float)
    m0 = np.asarray(reference_mass_kg, dtype=float)
    floor = np.asarray(floor_usd_per_kg, dtype=float)
    b = wright_exponent(learning_rate)
    u1 = 1.0 + m / m0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # where the floor starts binding (inf when no floor or no learning)
        uf = np.where((floor > 0) & (b > 0) & (p0 > floor), (p0 / np.where(floor > 0, floor, 1.0)) ** (1.0 / np.where(b > 0, b, 1.0)), np.inf)
        uf = np.where(p0 <= floor, 1.0, uf)
        ue = np.minimum(u1, uf)

        def integral(u):  # integral of u^-b from 1 to u
            near_one = np.abs(1.0 - b) < 1e-12
            safe = np.where(near_one, 0.5, 1.0 - b)
            return np.where(near_one, np.log(u), (u ** safe - 1.0) / safe)

        cost = p0 * m0 * integral(ue) + floor * m0 * np.maximum(u1 - ue, 0.0)
        avg = cost / m
    return np.where(b == 0, np.maximum(p0, floor), avg)
