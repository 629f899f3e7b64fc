"""Model chains: orbital (specific-power or bottom-up sizing) and terrestrial.

Orchestration only; physics in ``orbitaldc.physics``, money in ``orbitaldc.finance``.
:mod:`~orbitaldc.systems.inputs` declares each chain's typed, grouped inputs and what each model
choice reads; :mod:`~orbitaldc.systems.design` holds the :class:`SatelliteDesign` every analysis
shares; :mod:`~orbitaldc.systems.breakdown` names the cost parts of each side.
"""

from __future__ import annotations

import numpy as np

from orbitaldc import finance
from orbitaldc.lifecycle import Ledger


def shaped(x, shape: tuple[int, ...]) -> np.ndarray:
    """``x`` as a read-only float array of the scenario's ``shape`` (a view, never a copy).

    Parameters
    ----------
    x : array_like
        A value that broadcasts to ``shape`` (a number or an array of a result field).
    shape : tuple of int
        The scenario's broadcast shape (``()`` for a point).

    Returns
    -------
    ndarray
        Read-only float64 view of ``x`` with shape ``shape`` (stride 0 along broadcast axes).

    References
    ----------
    .. [1] NumPy documentation, ``numpy.broadcast_to`` (read-only broadcast views) and
       "Broadcasting".
    """
    if isinstance(x, np.ndarray) and x.shape == shape and x.dtype == float:
        out = x.view()
    else:
        a = np.asarray(x, dtype=float)
        if a.size == 1 and a.ndim <= len(shape):  # one number: stride 0, as broadcast_to gives, without its overhead
            out = np.ndarray(shape, dtype=float, buffer=np.ascontiguousarray(a), strides=(0,) * len(shape))
        else:
            out = np.broadcast_to(a, shape)
    out.flags.writeable = False
    return out


class ByYear:
    """Year-by-year view shared by both sides' results (built on demand from the side's ``ledger``).

    Index 0 holds the first purchases and one-off amounts, then operating years 1..N
    (:meth:`orbitaldc.lifecycle.Ledger.by_year`); the summary metrics never need the year axis
    (closed-form present values). Present values of these flows at the side's discount rate
    equal the summary's.
    """

    ledger: Ledger | None

    def cash_flows(self) -> finance.CashFlows:
        """Year-by-year costs and IT energy (index 0 first, then operating years).

        Returns
        -------
        orbitaldc.finance.CashFlows
            Costs [USD] and IT energy [Wh] per year, the input of the levelized cost.

        References
        ----------
        .. [1] NREL, Annual Technology Baseline: levelized cost from annual cash flows and energy.
        """
        return self.ledger.by_year().cash_flows()

    @property
    def gpu_hours_by_year(self) -> np.ndarray:
        """Delivered GPU-hours by operating year (index 0 is 0)."""
        return self.ledger.by_year().gpu_hours

    @property
    def times_yr(self) -> np.ndarray:
        return self.cash_flows().times_yr

    @property
    def costs_by_year_usd(self) -> np.ndarray:
        return self.cash_flows().costs_usd

    @property
    def energy_by_year_mwh(self) -> np.ndarray:
        return self.cash_flows().energy_mwh
