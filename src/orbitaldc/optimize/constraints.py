"""Design constraints: limits read from the one satellite design, as normalized margins.

Each :class:`Constraint` reads a quantity the model already computed - the orbital result or
the bottom-up :class:`~orbitaldc.systems.design.SatelliteDesign` (``comparison.orbital.design``)
and its :class:`~orbitaldc.systems.design.DesignChecks` - and compares it with a limit from the
scenario; no physics is recomputed here. A constraint the scenario's model does not compute
(``mass_model = "specific_power"`` has no design) is reported as not applicable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from orbitaldc.compare import Comparison
from orbitaldc.constants import SECONDS_PER_DAY

__all__ = ["ACTIVE_TOLERANCE", "CONSTRAINTS", "Constraint", "ConstraintStatus"]

#: A constraint counts as active when its normalized margin is within this of its limit.
ACTIVE_TOLERANCE = 1e-3


@dataclass(frozen=True)
class Constraint:
    """A design limit ``quantity <= limit`` (``sense = "<="``) or ``quantity >= limit``.

    ``quantity(comparison)`` returns ``(value, limit)`` arrays, or None when the scenario's model
    does not compute the quantity (then the constraint is reported as not applicable).
    """

    name: str
    description: str
    unit: str
    sense: str
    quantity: Callable[[Comparison], tuple[Any, Any] | None]
    origin: str

    def margin(self, value, limit) -> np.ndarray:
        """Normalized margin ``g`` (``g <= 0`` feasible): ``(value - limit) / |limit|`` for ``<=``.

        Parameters
        ----------
        value, limit : array_like
            The quantity and its limit (same unit).

        Returns
        -------
        ndarray
            ``g``; infinite where the quantity is not finite.

        Notes
        -----
        ``g = s (q - L) / max(|L|, 1e-300)`` with ``s = +1`` for ``q <= L`` and ``-1`` for
        ``q >= L``; a zero limit normalizes by 1. Non-finite quantities count as violated.
        """
        q = np.asarray(value, dtype=float)
        lim = np.asarray(limit, dtype=float)
        scale = np.where(lim != 0.0, np.abs(lim), 1.0)
        g = (q - lim) / scale if self.sense == "<=" else (lim - q) / scale
        return np.where(np.isfinite(g), g, np.inf)


def _deployment(c: Comparison):
    return c.orbital.deployment_years, np.asarray(c.values["max_deployment_years"], dtype=float)


def _check(c: Comparison, name: str):
    """A design check of the bottom-up :class:`~orbitaldc.systems.design.SatelliteDesign` (None without one)."""
    design = c.orbital.design
    return None if design is None else np.asarray(getattr(design.checks, name), dtype=float)


def _die_temperature(c: Comparison):
    got = _check(c, "die_temperature_k")
    return None if got is None else (got, np.asarray(c.values["sim_die_limit_k"], dtype=float))


def _dose_margin(c: Comparison):
    got = _check(c, "dose_margin")
    return None if got is None else (got, np.asarray(c.values["min_dose_margin"], dtype=float))


def _battery_cycle_life(c: Comparison):
    """Sized depth of discharge vs the cycle-life depth the design reports for the mission's eclipses.

    The bottom-up chain sizes the battery at the allowed depth, so wherever there are eclipses the
    limit binds (active); with no eclipse there is no discharge (value 0).
    """
    design = c.orbital.design
    if design is None:
        return None
    dod = np.where(design.battery_energy_j > 0, design.depth_of_discharge, 0.0)
    return dod, design.checks.allowed_depth_of_discharge


def _downlink(c: Comparison):
    """Fleet downlink per day vs the workload's output per day, ``Gamma P_IT 86400 s`` (Turyshev 2026)."""
    got = _check(c, "downlink_bits_per_day")
    if got is None:
        return None
    v = c.values
    demand = np.asarray(v["workload_bits_per_j"], dtype=float) * np.asarray(v["target_power_w"], dtype=float) \
        * SECONDS_PER_DAY
    return got * c.orbital.satellite_count, demand


def _propellant(c: Comparison):
    got = _check(c, "propellant_mass_fraction")
    return None if got is None else (got, np.asarray(c.values["max_propellant_mass_fraction"], dtype=float))


CONSTRAINTS: dict[str, Constraint] = {
    "deployment_cadence": Constraint(
        "deployment_cadence", "fleet deployed within max_deployment_years at the launch cadence", "yr", "<=",
        _deployment, "orbital.deployment_years (launches / launches_per_yr) vs max_deployment_years"),
    "die_temperature": Constraint(
        "die_temperature", "GPU die temperature (radiator + die-to-radiator rise) within its limit", "K", "<=",
        _die_temperature, "design.checks.die_temperature_k (bottom-up) vs sim_die_limit_k"),
    "dose_margin": Constraint(
        "dose_margin", "total-dose tolerance over mission dose behind the shielding", "1", ">=",
        _dose_margin, "design.checks.dose_margin (bottom-up) vs min_dose_margin"),
    "battery_cycle_life": Constraint(
        "battery_cycle_life", "battery depth of discharge within the cycle life for the mission's eclipses", "1",
        "<=", _battery_cycle_life,
        "design.depth_of_discharge vs design.checks.allowed_depth_of_discharge (bottom-up)"),
    "downlink": Constraint(
        "downlink", "fleet downlink carries the workload's output bits", "bit/day", ">=", _downlink,
        "design.checks.downlink_bits_per_day x satellites (bottom-up) vs workload_bits_per_j x P_IT x 86400 s"),
    "drag_propellant": Constraint(
        "drag_propellant", "drag make-up propellant within the propellant budget (fraction of launch mass)", "1",
        "<=", _propellant, "design.checks.propellant_mass_fraction (bottom-up) vs max_propellant_mass_fraction"),
}


@dataclass
class ConstraintStatus:
    """One constraint at a design: quantity, limit, normalized margin, active and satisfied flags."""

    name: str
    description: str
    unit: str
    sense: str
    value: float
    limit: float
    margin: float
    active: bool
    satisfied: bool
    origin: str

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("name", "description", "unit", "sense", "value", "limit",
                                              "margin", "active", "satisfied", "origin")}

    def text(self) -> str:
        """``name = value unit (limit <= L)``, for messages."""
        return f"{self.name} = {self.value:.4g} {self.unit} (limit {self.sense} {self.limit:.4g})"

