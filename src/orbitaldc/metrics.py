"""Metrics of a comparison by dotted name: the registry every analysis asks by name.

``orbital.*`` and ``terrestrial.*`` summary fields, the two ratios, their aliases, which sides a
metric depends on and which parameters can move it (from the models' declared inputs, no probing).
:mod:`orbitaldc.compare` re-exports everything here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

from orbitaldc.errors import OrbitaldcError
from orbitaldc.systems.inputs import field_reads, orbital_reads, terrestrial_reads
from orbitaldc.systems.orbital import OrbitalResult
from orbitaldc.systems.terrestrial import TerrestrialResult

if TYPE_CHECKING:
    from orbitaldc.compare import Comparison

__all__ = ["HEADLINE_METRIC", "METRIC_ALIASES", "get_metric", "metric_names", "metric_reads", "metric_sides"]

#: The headline result: discounted cost per delivered GPU-hour, orbit over ground.
HEADLINE_METRIC = "orbital_to_terrestrial_lcoc_ratio"

METRIC_ALIASES = {
    "cost_ratio": "orbital_to_terrestrial_cost_ratio",
    "lcoc_ratio": "orbital_to_terrestrial_lcoc_ratio",
    "headline": HEADLINE_METRIC,
}
_RATIOS = {"orbital_to_terrestrial_cost_ratio": "total_cost_usd",
           "orbital_to_terrestrial_lcoc_ratio": "lcoc_usd_per_gpu_hour"}


def metric_names() -> list[str]:
    """Every scalar result a caller may ask for by dotted name.

    Returns
    -------
    list of str
        ``orbital.*`` and ``terrestrial.*`` summary fields and the two ratios.
    """
    names = [f"orbital.{n}" for n in OrbitalResult.SUMMARY] + [f"terrestrial.{n}" for n in TerrestrialResult.SUMMARY]
    return names + list(_RATIOS)


def metric_sides(name: str) -> tuple[str, ...]:
    """The sides (``"orbital"``, ``"terrestrial"``) a metric depends on.

    Parameters
    ----------
    name : str
        A metric name or alias (:func:`metric_names`).

    Returns
    -------
    tuple of str
    """
    name = METRIC_ALIASES.get(name, name)
    if name in _RATIOS:
        return ("orbital", "terrestrial")
    side = name.partition(".")[0]
    if side not in ("orbital", "terrestrial") or name not in metric_names():
        raise _unknown_metric(name)
    return (side,)


def metric_reads(values: Mapping[str, Any], name: str) -> frozenset[str]:
    """Parameters that can move a metric under the scenario's model choices (from declarations).

    Parameters
    ----------
    values : mapping
        Scenario values (only the model choices are looked at).
    name : str
        Metric name or alias.

    Returns
    -------
    frozenset of str
    """
    reads = {"orbital": orbital_reads, "terrestrial": terrestrial_reads}
    name = METRIC_ALIASES.get(name, name)
    field = _RATIOS.get(name) or name.partition(".")[2]
    return frozenset().union(*(field_reads(reads[s](values), field) for s in metric_sides(name)))


def _unknown_metric(name: str) -> OrbitaldcError:
    return OrbitaldcError(f"metric {name!r}: unknown; allowed e.g. orbital.total_cost_usd, "
                          f"terrestrial.lcoe_usd_per_mwh, cost_ratio (`orbitaldc metrics` lists all)")


def get_metric(comparison: Comparison, name: str) -> np.ndarray:
    """Look up a metric by dotted name.

    Parameters
    ----------
    comparison : Comparison
    name : str
        E.g. ``orbital.total_cost_usd``, ``terrestrial.lcoe_usd_per_mwh``, ``cost_ratio``.

    Returns
    -------
    ndarray

    Raises
    ------
    OrbitaldcError
        Unknown name.
    """
    name = METRIC_ALIASES.get(name, name)
    if name == "orbital_to_terrestrial_cost_ratio":
        return comparison.cost_ratio
    if name == "orbital_to_terrestrial_lcoc_ratio":
        return comparison.lcoc_ratio
    side, _, field = name.partition(".")
    result = {"orbital": comparison.orbital, "terrestrial": comparison.terrestrial}.get(side)
    if result is None or field not in type(result).SUMMARY:
        raise _unknown_metric(name)
    return getattr(result, field)
