"""Model chains: orbital (specific-power or bottom-up sizing) and terrestrial.

Orchestration only; physics in ``orbitaldc.physics``, money in ``orbitaldc.finance``.
:mod:`~orbitaldc.systems.inputs` declares each chain's typed, grouped inputs and what each model
choice reads; :mod:`~orbitaldc.systems.design` holds the :class:`SatelliteDesign` every analysis
shares; :mod:`~orbitaldc.systems.breakdown` names the cost parts of each side.
"""

from __future__ import annotations

import numpy as np

from orbitaldc import finance


class ByYear:
    """Year-by-year view shared by both sides' results (built on demand from ``flow_inputs``).

    ``flow_inputs`` holds the arguments of :func:`orbitaldc.finance.stream_cash_flows`; the
    summary metrics never need the year axis (closed-form present values).
    """

    flow_inputs: tuple

    def cash_flows(self) -> finance.CashFlows:
        """Year-by-year costs and IT energy (index 0 at t = 0)."""
        return finance.stream_cash_flows(*self.flow_inputs)

    @property
    def times_yr(self) -> np.ndarray:
        return self.cash_flows().times_yr

    @property
    def costs_by_year_usd(self) -> np.ndarray:
        return self.cash_flows().costs_usd

    @property
    def energy_by_year_mwh(self) -> np.ndarray:
        return self.cash_flows().energy_mwh
