"""The cost breakdown of each side: one spec that the CLI, the report, the web API and the page use.

Each :class:`CostPart` names a result field; a side's parts (the residual value counted
negative) sum to its undiscounted total cost (``tests/test_compare.py`` checks this for every
preset). Parts a scenario does not price are zero (e.g. IT equipment in ``cost_scope =
"facility"``, renewals and residual value in ``cost_basis = "capex"``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

__all__ = ["COST_PARTS", "CostPart", "UPFRONT_EXCLUDED", "capex_total", "cost_breakdown"]


class CostPart(NamedTuple):
    """One stacked part of a side's total cost."""

    key: str  #: stable identifier (JSON key)
    label: str  #: human label
    field: str  #: result attribute holding the amount [USD]
    capex: bool  #: capital (bought up front or renewed) rather than a yearly cost
    sign: float = 1.0  #: -1 for a credit (the residual value at the end of the window)


#: Parts per side, in display order.
COST_PARTS: dict[str, tuple[CostPart, ...]] = {
    "orbital": (
        CostPart("hardware", "Satellites (hardware)", "hardware_cost_usd", True),
        CostPart("it_equipment", "IT equipment", "it_equipment_cost_usd", True),
        CostPart("launch", "Launch", "launch_cost_usd", True),
        CostPart("shielding", "Shielding", "shielding_cost_usd", True),
        CostPart("launch_insurance", "Launch insurance", "launch_insurance_cost_usd", True),
        CostPart("ground_segment", "Ground segment", "ground_segment_cost_usd", True),
        CostPart("carbon", "Carbon (launch, manufacture)", "carbon_cost_usd", True),
        CostPart("nre", "NRE", "nre_cost_usd", True),
        CostPart("renewals", "Fleet renewals", "renewal_cost_usd", True),
        CostPart("residual_value", "Residual value", "residual_value_usd", True, -1.0),
        CostPart("operations", "Operations", "ops_cost_usd", False),
        CostPart("gpu_replacement", "GPU replacement", "replacement_cost_usd", False),
        CostPart("insurance", "In-orbit insurance", "insurance_cost_usd", False),
        CostPart("ground_segment_ops", "Ground segment operations", "ground_segment_opex_usd", False),
        CostPart("licensing", "Spectrum and licensing", "licensing_cost_usd", False),
    ),
    "terrestrial": (
        CostPart("power_generation", "Power generation", "power_generation_capex_usd", True),
        CostPart("electrical", "Electrical", "electrical_capex_usd", True),
        CostPart("mechanical", "Mechanical (cooling)", "mechanical_capex_usd", True),
        CostPart("civil", "Civil", "civil_capex_usd", True),
        CostPart("network", "Network / fit-out", "network_capex_usd", True),
        CostPart("other_capex", "Other capex", "other_capex_usd", True),
        CostPart("it_equipment", "IT equipment", "it_equipment_cost_usd", True),
        CostPart("embodied_carbon", "Carbon (construction, IT)", "embodied_carbon_cost_usd", True),
        CostPart("renewals", "Renewals (IT refresh, plant)", "renewal_cost_usd", True),
        CostPart("residual_value", "Residual value", "residual_value_usd", True, -1.0),
        CostPart("energy", "Energy (fuel / grid)", "energy_cost_usd", False),
        CostPart("om", "O&M (plant, facility)", "om_cost_usd", False),
        CostPart("staff", "Staff", "staff_cost_usd", False),
        CostPart("property_tax", "Property tax", "property_tax_usd", False),
        CostPart("insurance", "Insurance", "insurance_cost_usd", False),
        CostPart("operation_carbon", "Carbon (operation)", "operation_carbon_cost_usd", False),
    ),
}

#: Parts that are capital spent up front (what a "CAPEX" claim counts): capex parts other than
#: renewals within the window and the residual credit.
UPFRONT_EXCLUDED = ("renewals", "residual_value")


def cost_breakdown(side: str, result: Any, capex_only: bool = False) -> dict[str, np.ndarray]:
    """Amount of each cost part of one side's result.

    Parameters
    ----------
    side : {"orbital", "terrestrial"}
        Which side's parts.
    result : OrbitalResult or TerrestrialResult
        The side's result.
    capex_only : bool
        Only the capital bought up front (no yearly costs, renewals or residual value): what a
        "CAPEX" figure counts.

    Returns
    -------
    dict
        Part key -> signed amount [USD] (arrays in the result's shape), in display order.

    References
    ----------
    .. [1] A. McCalip, "Economics of Orbital vs Terrestrial Data Centers" (Dec 2025): the
       orbital parts hardware, launch, operations, GPU replacement and NRE, and the
       terrestrial parts power generation, electrical, mechanical, civil and network.
    .. [2] NREL, Annual Technology Baseline (ATB), "Financial definitions": capital
       expenditure, replacements within the analysis period and fixed O&M as separate parts.
    """
    return {p.key: p.sign * getattr(result, p.field) for p in COST_PARTS[side]
            if not capex_only or (p.capex and p.key not in UPFRONT_EXCLUDED)}


def capex_total(side: str, result: Any) -> np.ndarray:
    """Capital bought up front on one side [USD] (the sum of :func:`cost_breakdown` with ``capex_only``).

    Parameters
    ----------
    side, result
        The side (``"orbital"`` or ``"terrestrial"``) and its result, as for
        :func:`cost_breakdown`.

    Returns
    -------
    ndarray
        Up-front capital [USD] in the result's shape: the capex parts without renewals within
        the window and the residual-value credit (:data:`UPFRONT_EXCLUDED`).

    References
    ----------
    .. [1] As :func:`cost_breakdown` (McCalip, Dec 2025; NREL ATB "Financial definitions"):
       the capital parts bought at the start.
    """
    return sum(cost_breakdown(side, result, capex_only=True).values())
