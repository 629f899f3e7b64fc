"""The cost breakdown of each side: one spec that the CLI, the report, the web API and the page use.

Each :class:`CostPart` names a result field; a side's parts sum to its undiscounted total cost
(``tests/test_compare.py`` checks this for every preset).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

__all__ = ["COST_PARTS", "CostPart", "cost_breakdown"]


class CostPart(NamedTuple):
    """One stacked part of a side's total cost."""

    key: str  #: stable identifier (JSON key)
    label: str  #: human label
    field: str  #: result attribute holding the amount [USD]
    capex: bool  #: spent up front (construction, hardware, launch) rather than over the years


#: Parts per side, in display order.
COST_PARTS: dict[str, tuple[CostPart, ...]] = {
    "orbital": (
        CostPart("hardware", "Satellites (hardware)", "hardware_cost_usd", True),
        CostPart("launch", "Launch", "launch_cost_usd", True),
        CostPart("shielding", "Shielding", "shielding_cost_usd", True),
        CostPart("nre", "NRE", "nre_cost_usd", True),
        CostPart("operations", "Operations", "ops_cost_usd", False),
        CostPart("gpu_replacement", "GPU replacement", "replacement_cost_usd", False),
    ),
    "terrestrial": (
        CostPart("power_generation", "Power generation", "power_generation_capex_usd", True),
        CostPart("electrical", "Electrical", "electrical_capex_usd", True),
        CostPart("mechanical", "Mechanical (cooling)", "mechanical_capex_usd", True),
        CostPart("civil", "Civil", "civil_capex_usd", True),
        CostPart("network", "Network / fit-out", "network_capex_usd", True),
        CostPart("other_capex", "Other capex", "other_capex_usd", True),
        CostPart("energy", "Energy (fuel / grid)", "energy_cost_usd", False),
    ),
}


def cost_breakdown(side: str, result: Any, capex_only: bool = False) -> dict[str, np.ndarray]:
    """Amount of each cost part of one side's result.

    Parameters
    ----------
    side : {"orbital", "terrestrial"}
        Which side's parts.
    result : OrbitalResult or TerrestrialResult
        The side's result.
    capex_only : bool
        Only the up-front parts.

    Returns
    -------
    dict
        Part key -> amount [USD] (arrays in the result's shape), in display order.
    """
    return {p.key: getattr(result, p.field) for p in COST_PARTS[side] if p.capex or not capex_only}
