"""Launch: price per kg, vehicles, launch count, cadence, combustion CO2, Wright's-law learning
and its fit to the launch price history.

All model functions are pure and vectorized: scalars or NumPy arrays in, arrays out.
"""

from __future__ import annotations

import math
import tomllib
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from orbitaldc.dollars import DATASETS, cpi_factor
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
    fuel_kg: float = 0.0
    fuel: str = "kerosene"

    @property
    def price_usd_per_kg(self) -> float:
        return self.price_usd / self.payload_kg

    @property
    def co2_kg_per_kg(self) -> float:
        """Combustion CO2 per kg of payload to orbit, ``fuel_kg x CO2 per kg of fuel / payload_kg``."""
        return self.fuel_kg * fuel_co2_kg_per_kg(self.fuel) / self.payload_kg


@lru_cache(maxsize=1)
def _fuels() -> dict[str, float]:
    with (DATASETS / "fuels.toml").open("rb") as fh:
        return {k: float(v) for k, v in tomllib.load(fh)["co2_kg_per_kg"].items()}


def fuel_co2_kg_per_kg(fuel: str) -> float:
    """CO2 released by burning 1 kg of a rocket fuel (``params/data/datasets/fuels.toml``).

    Parameters
    ----------
    fuel : str
        Fuel name, a key of the table (``"kerosene"`` for RP-1, ``"methane"``).

    Returns
    -------
    float
        Combustion CO2 per kg of fuel burnt [kg/kg] (propellant production, soot and
        upper-atmosphere effects not included).

    Raises
    ------
    OrbitaldcError
        If ``fuel`` is not in the table (the message lists the allowed names).

    References
    ----------
    .. [1] US EPA, GHG Emission Factors Hub (2024), Table 1 (kerosene-type jet fuel);
       methane by stoichiometry (44.01 / 16.04).
    """
    table = _fuels()
    if fuel not in table:
        raise OrbitaldcError(f"fuel {fuel!r}: allowed {', '.join(sorted(table))}")
    return table[fuel]


def vehicle(key: str) -> Vehicle:
    """Look a vehicle up in the catalog.

    Parameters
    ----------
    key : str
        Catalog key (``params/data/vehicles.toml``), e.g. ``"falcon9"`` or ``"starship"``.

    Returns
    -------
    Vehicle
        Name, payload to LEO [kg], price per launch [USD of ``dollar_year``], source, and the
        fuel load [kg] and fuel burnt.

    Raises
    ------
    OrbitaldcError
        If ``key`` is not in the catalog.

    References
    ----------
    .. [1] Each entry's ``source`` and ``fuel_source`` in ``params/data/vehicles.toml`` (e.g.
       SpaceX Falcon User's Guide and Capabilities & Services page; Blue Origin New Glenn
       Payload User's Guide; the Starship 100 t design point counted by McCalip, Dec 2025).
    """
    catalog = load_vehicles()
    if key not in catalog:
        raise OrbitaldcError(f"launch_vehicle = {key!r}: allowed {', '.join(sorted(catalog))}")
    raw = catalog[key]
    return Vehicle(key, raw["name"], float(raw["payload_kg"]), float(raw["price_usd"]),
                   int(raw["dollar_year"]), raw["source"], float(raw.get("fuel_kg", 0.0)), raw.get("fuel", "kerosene"))


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

    References
    ----------
    .. [1] A. McCalip, "Economics of Orbital vs Terrestrial Data Centers" (Dec 2025): 29.39M kg
       in 100 t Starship launches is 294 launches.
    """
    ratio = np.asarray(mass_kg, dtype=float) / np.asarray(payload_kg, dtype=float)
    return np.ceil(ratio * (1.0 - 1e-12))


def deployment_years(n_launches, launches_per_yr):
    """Years to fly ``n_launches`` at a cadence of ``launches_per_yr`` [yr].

    Parameters
    ----------
    n_launches : array_like
        Number of launches (:func:`launch_count`).
    launches_per_yr : array_like
        Launch cadence [1/yr], > 0.

    Returns
    -------
    ndarray
        Deployment time ``n_launches / launches_per_yr`` [yr], in the broadcast shape.

    References
    ----------
    .. [1] Constant cadence. Default cadence: SpaceX flew 134 Falcon launches in 2024 (FAA
       launch licensing records, public launch logs), the source of ``launches_per_yr`` in
       ``params/data/launch.toml``.
    """
    return np.asarray(n_launches, dtype=float) / np.asarray(launches_per_yr, dtype=float)


def wright_exponent(learning_rate):
    """Wright's-law exponent ``b`` for a price drop of ``learning_rate`` per doubling.

    Price after cumulative quantity ``Q`` is ``p0 (Q / Q0)^-b`` with
    ``b = -log2(1 - learning_rate)``; a 20 % learning rate gives b = 0.3219.

    Parameters
    ----------
    learning_rate : array_like
        Fractional price drop per doubling of cumulative quantity, in [0, 1).

    Returns
    -------
    ndarray
        Exponent ``b`` (dimensionless), >= 0; 0 for no learning.

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

    References
    ----------
    .. [1] T. P. Wright, "Factors affecting the cost of airplanes", J. Aeronautical Sciences
       3(4), 122-128 (1936) (the unit-price curve integrated here over the program's mass).
    .. [2] Google, "Towards a future space-based, highly scalable AI infrastructure system
       design", arXiv:2511.19468 (2025): a 20 % learning rate on cumulative mass to orbit.
    """
    p0 = np.asarray(price_usd_per_kg, dtype=float)
    m = np.asarray(program_mass_kg, dtype=float)
    m0 = np.asarray(reference_mass_kg, dtype=float)
    floor = np.asarray(floor_usd_per_kg, dtype=float)
    b = wright_exponent(learning_rate)
    u1 = 1.0 + m / m0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if floor.ndim == 0 and floor == 0.0:  # no floor: the curve runs to the program's end
            cost = p0 * m0 * _wright_integral(u1, b)
        else:
            # where the floor starts binding (inf when no floor or no learning)
            uf = np.where((floor > 0) & (b > 0) & (p0 > floor), (p0 / np.where(floor > 0, floor, 1.0)) ** (1.0 / np.where(b > 0, b, 1.0)), np.inf)
            uf = np.where(p0 <= floor, 1.0, uf)
            ue = np.minimum(u1, uf)
            cost = p0 * m0 * _wright_integral(ue, b) + floor * m0 * np.maximum(u1 - ue, 0.0)
        avg = cost / m
    no_learning = b == 0
    return np.where(no_learning, np.maximum(p0, floor), avg) if np.any(no_learning) else np.asarray(avg)


def _wright_integral(u, b):
    """``int_1^u x^-b dx = (u^(1-b) - 1) / (1 - b)``, ``ln u`` at ``b = 1`` (within 1e-12)."""
    near_one = np.abs(1.0 - b) < 1e-12
    if not np.any(near_one):
        safe = 1.0 - b
        return (u ** safe - 1.0) / safe
    safe = np.where(near_one, 0.5, 1.0 - b)
    return np.where(near_one, np.log(u), (u ** safe - 1.0) / safe)


# ----------------------------------------------------------------------------- price history


class LaunchPrice(NamedTuple):
    """One row of the launch price history (``params/data/datasets/launch_prices.toml``)."""

    vehicle: str
    year: int
    price_usd_per_kg: float  #: in dollars of the history's ``dollar_year``
    family: str
    fit: bool
    source: str


def launch_price_history(dollar_year: int = 2025) -> list[LaunchPrice]:
    """The cited launch price history, each price escalated to ``dollar_year`` by CPI-U.

    Parameters
    ----------
    dollar_year : int
        Dollar year of the returned prices.

    Returns
    -------
    list of LaunchPrice
        Rows in file order; a row's price per kg is its launch price over its LEO payload, or
        the per-kg figure its source publishes.

    References
    ----------
    .. [1] CSIS Aerospace Security Project, "Space Launch to Low Earth Orbit: How Much Does It
       Cost?" (FY2021 dollars); H. W. Jones, "The Recent Large Reduction in Space Launch Cost",
       ICES-2018-81 (2018); SpaceX price lists (see each row's source).
    """
    rows = []
    for r in _history()["price"]:
        per_kg = r["price_usd_per_kg"] if "price_usd_per_kg" in r else r["price_usd"] / r["payload_kg"]
        rows.append(LaunchPrice(r["vehicle"], int(r["year"]), float(per_kg * cpi_factor(r["dollar_year"], dollar_year)),
                                r["family"], bool(r["fit"]), r["source"]))
    return rows


@lru_cache(maxsize=1)
def _history() -> dict:
    with (DATASETS / "launch_prices.toml").open("rb") as fh:
        return tomllib.load(fh)


def cumulative_family_launches(year: int) -> float:
    """Falcon-family launches flown before 1 January of ``year`` (the fit's experience variable).

    Parameters
    ----------
    year : int
        Calendar year; launches of earlier years are counted.

    Returns
    -------
    float
        Cumulative Falcon 9 and Falcon Heavy launches before ``year`` (pad losses excluded).

    References
    ----------
    .. [1] ``falcon_launches`` in ``params/data/datasets/launch_prices.toml``: J. McDowell,
       General Catalog of Artificial Space Objects (planet4589.org), and SpaceX mission records.
    """
    by_year = _history()["falcon_launches"]["by_year"]
    return float(sum(n for y, n in by_year.items() if int(y) < year))


class WrightFit(NamedTuple):
    """Wright's law fitted to a price history: ``ln p = a - b ln Q`` by least squares.

    ``b`` and its standard error ``b_se`` (``dof`` residual degrees of freedom); the learning
    rate (price drop per doubling) ``1 - 2^-b`` and its one-standard-error band.
    """

    b: float
    b_se: float
    intercept: float
    points: int
    dof: int
    learning_rate: float
    learning_rate_low: float
    learning_rate_high: float


def wright_fit(prices_usd_per_kg, experience) -> WrightFit:
    """Fit Wright's law ``p = p_1 Q^-b`` by ordinary least squares on logs.

    Parameters
    ----------
    prices_usd_per_kg : array_like
        Prices (> 0), one per point.
    experience : array_like
        Cumulative quantity at each point (> 0).

    Returns
    -------
    WrightFit

    Raises
    ------
    OrbitaldcError
        Fewer than three points, or non-positive values.

    Notes
    -----
    ``b = -S_xy / S_xx`` with ``x = ln Q``, ``y = ln p``; ``se(b) = sqrt(s^2 / S_xx)``, ``s^2``
    the residual variance on ``n - 2`` degrees of freedom.

    References
    ----------
    .. [1] T. P. Wright (1936), see :func:`wright_exponent`; B. Nagy, J. D. Farmer, Q. M. Bui,
       J. E. Trancik, "Statistical basis for predicting technological progress", PLoS ONE 8(2)
       e52669 (2013) (Wright's law fitted by regression on logs).
    """
    p = np.asarray(prices_usd_per_kg, dtype=float)
    q = np.asarray(experience, dtype=float)
    if p.size < 3 or p.shape != q.shape or np.any(p <= 0) or np.any(q <= 0):
        raise OrbitaldcError("wright_fit: need at least three points with positive prices and experience")
    x, y = np.log(q), np.log(p)
    sxx = float(np.sum((x - x.mean()) ** 2))
    slope = float(np.sum((x - x.mean()) * (y - y.mean())) / sxx)
    intercept = float(y.mean() - slope * x.mean())
    dof = p.size - 2
    s2 = float(np.sum((y - intercept - slope * x) ** 2)) / dof
    b, se = -slope, math.sqrt(s2 / sxx)
    rate = lambda e: 1.0 - 2.0 ** (-e)  # noqa: E731
    return WrightFit(b, se, intercept, int(p.size), dof, rate(b), rate(max(b - se, 0.0)), rate(b + se))


@lru_cache(maxsize=4)
def launch_learning_fit(dollar_year: int = 2025) -> WrightFit:
    """Wright's law fitted to the cheapest Falcon-family price per kg against the family's launches.

    The rows marked ``fit = true`` in the history (each the cheapest Falcon price per kg to LEO
    when it changed), in real dollars of ``dollar_year``, against
    :func:`cumulative_family_launches` in their year.

    Parameters
    ----------
    dollar_year : int
        Dollar year the prices are escalated to by CPI-U before the fit.

    Returns
    -------
    WrightFit
        Wright exponent, its standard error and the learning rate with its one-standard-error
        band.

    References
    ----------
    .. [1] Rows and sources in ``params/data/datasets/launch_prices.toml`` (see
       :func:`launch_price_history`); the method of :func:`wright_fit` (Wright 1936; Nagy et
       al. 2013).
    """
    rows = [r for r in launch_price_history(dollar_year) if r.fit]
    return wright_fit([r.price_usd_per_kg for r in rows], [cumulative_family_launches(r.year) for r in rows])
