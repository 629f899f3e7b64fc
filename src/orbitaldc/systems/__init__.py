"""Model chains: orbital (specific-power or bottom-up sizing) and terrestrial.

Orchestration only; physics in ``orbitaldc.physics``, money in ``orbitaldc.finance``.
"""

from __future__ import annotations

import numpy as np

from orbitaldc import finance


def numeric_inputs(values):
    """Numeric parameters as float arrays (strings and unset optionals kept), and their shape.

    The shape is the broadcast of every parameter's shape - the scenario's - and each chain
    broadcasts its results to it, so outputs line up element by element across both sides.
    """
    f = {k: (np.asarray(x, dtype=float) if not isinstance(x, str) and x is not None else x)
         for k, x in values.items()}
    shape = np.broadcast_shapes(*(np.shape(x) for x in f.values() if isinstance(x, np.ndarray)))
    return f, shape


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
