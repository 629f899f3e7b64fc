"""Life-cycle cash flows in closed form: when capital is spent, asset renewals, residual value,
periodic output streams, and a side's present values at any discount rate.

Conventions (both sides, stated once here and in ``docs/like-for-like.md``):

* **Time** in years from the decision, ``t = 0``. Operating costs and output of operating year
  ``k`` are booked at the **end** of that year (``t = start + k``).
* **Capital** is booked when it is spent: ground construction evenly over ``construction_years``
  at the start of each construction year (:meth:`Timing.ramp_start`); a batch of satellites
  (with its IT and launch) when it enters service, its launches done (:meth:`Timing.ramp_end`);
  ground IT when the facility enters service (:meth:`Timing.at`).
* **Asset lives** (``cost_basis = "lifecycle"``): an asset of life ``L`` serving an ``N``-year
  window is bought ``G = ceil(N / L)`` times (at ``0, L, 2L, ...`` after it enters service);
  at the end of the window the last one is credited with the present value of its remaining
  capital-recovery payments, ``K CRF(r, L) a(r, G L - N)`` (NREL ATB / SAM). Then the capital's
  present value is exactly ``K CRF(r, L) a(r, N)`` and a levelized cost is
  ``CRF(r, L) K / annual output + O&M`` (tested). With ``cost_basis = "capex"`` the life is the
  window itself: one purchase, no residual (the published analyses' convention).
* **Renewed fleets restart**: output of an asset renewed every ``T`` years follows
  ``a_k = a_1 g^((k - 1) mod T)`` (degradation and failures reset with each new generation).

Everything is vectorized over leading axes and needs no year axis (a million scenarios are a
few array operations); :meth:`Ledger.by_year` builds the explicit year-by-year flows on demand.

References
----------
.. [1] W. Short, D. J. Packey, T. Holt, "A Manual for the Economic Evaluation of Energy
   Efficiency and Renewable Energy Technologies", NREL/TP-462-5173 (1995), sec. 4.
.. [2] NREL, Annual Technology Baseline (ATB), "Financial definitions": levelized cost of
   energy ``LCOE = (CRF x CAPEX + FOM) / (8760 x CF) + VOM + fuel``.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np

from orbitaldc.finance import CashFlows, ProjectFinance, capital_recovery_factor, geometric_sum, levelized_cost, payback_years

__all__ = ["Capital", "Ledger", "Lump", "Stream", "Timing", "annuity_factor", "generations", "ledger_finance",
           "periodic_stream", "renewal_present_value", "residual_fraction"]


def _f(x) -> np.ndarray:
    return np.asarray(x, dtype=float)


def _v(rate) -> np.ndarray:
    return 1.0 / (1.0 + _f(rate))


class Rate:
    """A discount rate with its log, so that ``v^t = exp(-t ln(1 + r))`` costs one ``exp``.

    Parameters
    ----------
    rate_per_yr : array_like or Rate
        Discount rate ``r`` (> -1).
    """

    def __init__(self, rate_per_yr):
        self.r = _f(rate_per_yr)
        self.log = np.log1p(self.r)
        # negated once here (negation is exact: -a x b = a x -b and -a / b = a / -b bit for bit)
        self._neg_log = -self.log
        self._neg_r = -self.r
        self._zero = self.r == 0
        self._any_zero = bool(np.any(self._zero))
        self._v = None

    @classmethod
    def of(cls, rate) -> "Rate":
        return rate if isinstance(rate, Rate) else cls(rate)

    @property
    def v(self) -> np.ndarray:
        """``v = 1 / (1 + r)`` (computed once)."""
        if self._v is None:
            self._v = 1.0 / (1.0 + self.r)
        return self._v

    def pow(self, t) -> np.ndarray:
        """``v^t``."""
        return np.asarray(np.exp(_f(t) * self._neg_log))

    def annuity(self, n) -> np.ndarray:
        """``a(r, n) = sum_{k=1}^n v^k = (1 - v^n) / r`` (``n`` at ``r = 0``)."""
        n = _f(n)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.expm1(n * self._neg_log) / self._neg_r
        return np.where(self._zero, n + 0.0 * self.r, out) if self._any_zero else np.asarray(out)


def annuity_factor(rate_per_yr, years):
    """Present value of 1 paid at the end of each of ``n`` years, ``a(r, n) = (1 - v^n) / r``.

    Parameters
    ----------
    rate_per_yr : array_like
        Discount rate ``r`` (> -1).
    years : array_like
        Number of payments ``n`` >= 0 (``n`` at ``r = 0``).

    Returns
    -------
    ndarray

    References
    ----------
    .. [1] Short, Packey & Holt, NREL/TP-462-5173 (1995), eq. 4-3 (uniform present-worth factor).
    """
    return Rate.of(rate_per_yr).annuity(years)


def generations(life_yr, horizon_yr):
    """How many times an asset of life ``L`` is bought to serve ``N`` years: ``ceil(N / L)``.

    Parameters
    ----------
    life_yr, horizon_yr : array_like
        Asset life ``L`` and window ``N`` [yr].

    Returns
    -------
    ndarray
        Whole purchases (float), at least 1.

    References
    ----------
    .. [1] NREL ATB, "Financial definitions" (asset replacement within the analysis period).
    """
    return np.ceil(_f(horizon_yr) / _f(life_yr) * (1.0 - 1e-12))


def residual_fraction(rate_per_yr, life_yr, horizon_yr):
    """Residual value at the end of the window, as a fraction of the asset's price.

    ``CRF(r, L) a(r, G L - N)``: the present value, at the end of the window, of the capital-
    recovery payments the last purchase still has to earn (straight line ``(G L - N) / L`` at
    ``r = 0``); 0 when the window ends with a life.

    Parameters
    ----------
    rate_per_yr : array_like
        The owner's discount rate (values the remaining payments).
    life_yr, horizon_yr : array_like
        Asset life ``L`` and window ``N`` [yr].

    Returns
    -------
    ndarray
        In [0, 1).

    References
    ----------
    .. [1] NREL System Advisor Model documentation, "Salvage value" and ATB capital recovery;
       Short, Packey & Holt (1995), eq. 4-4 (CRF).
    """
    life = _f(life_yr)
    remaining = generations(life, horizon_yr) * life - _f(horizon_yr)
    return capital_recovery_factor(rate_per_yr, life) * annuity_factor(rate_per_yr, remaining)


def renewal_present_value(rate_per_yr, life_yr, horizon_yr):
    """Present value (at service entry) of the renewals of a 1-dollar asset within the window.

    Parameters
    ----------
    rate_per_yr : array_like or Rate
        Discount rate.
    life_yr, horizon_yr : array_like
        Asset life ``L`` and window ``N`` [yr].

    Returns
    -------
    ndarray
        ``sum_{j=1}^{G-1} v^(j L) = x S(x, G - 1)`` with ``x = v^L``, ``G`` :func:`generations`.

    References
    ----------
    .. [1] Short, Packey & Holt, NREL/TP-462-5173 (1995), sec. 4 (single-payment present worth).
    """
    rate = Rate.of(rate_per_yr)
    x = rate.pow(life_yr)
    return x * geometric_sum(x, generations(life_yr, horizon_yr) - 1.0)


class StreamValue(NamedTuple):
    """Undiscounted total and present value (at the stream's start) of an output or cost stream."""

    total: np.ndarray
    present_value: np.ndarray


def periodic_stream(first_amount, growth, period_yr, horizon_yr, rate_per_yr) -> StreamValue:
    """Total and present value of ``a_k = a_1 g^((k-1) mod T)`` at ``t = k``, ``k = 1..N``.

    Parameters
    ----------
    first_amount : array_like
        ``a_1``.
    growth : array_like
        Year-on-year factor ``g`` within a generation.
    period_yr : array_like
        Generation length ``T`` [whole years]; the stream restarts at ``a_1`` every ``T`` years
        (``T >= N``: no restart).
    horizon_yr : array_like
        ``N`` [whole years].
    rate_per_yr : array_like
        Discount rate.

    Returns
    -------
    StreamValue

    Notes
    -----
    With ``m = floor(N / T)`` whole generations and ``n = N - m T`` years left, and
    ``S(x, n) = (1 - x^n) / (1 - x)``: ``total = a_1 (m S(g, T) + S(g, n))`` and
    ``PV = a_1 v (S(g v, T) S(v^T, m) + v^(m T) S(g v, n))``.

    References
    ----------
    .. [1] Short, Packey & Holt, NREL/TP-462-5173 (1995), sec. 4 (geometric-gradient present-worth
       factor), applied to each generation.
    """
    a, g, v = _f(first_amount), _f(growth), _v(Rate.of(rate_per_yr).r)
    period = np.minimum(_f(period_yr), _f(horizon_yr))
    m = np.floor(_f(horizon_yr) / period + 1e-9)
    rest = _f(horizon_yr) - m * period
    total = a * (m * geometric_sum(g, period) + geometric_sum(g, rest))
    vt = v ** period
    pv = a * v * (geometric_sum(g * v, period) * geometric_sum(vt, m) + vt ** m * geometric_sum(g * v, rest))
    return StreamValue(total, pv)


class Timing(NamedTuple):
    """When an amount (or the start of a stream) is booked.

    ``kind`` is ``"at"`` (at ``years``), ``"ramp_end"`` (spread over ``years`` in yearly
    batches, each booked at the end of its batch: a fleet entering service as its launches are
    done) or ``"ramp_start"`` (spread over ``years``, each yearly slice booked at its start:
    construction spending).
    """

    kind: str
    years: np.ndarray

    @classmethod
    def at(cls, t) -> "Timing":
        return cls("at", _f(t))

    @classmethod
    def ramp_end(cls, duration) -> "Timing":
        return cls("ramp_end", _f(duration))

    @classmethod
    def ramp_start(cls, duration) -> "Timing":
        return cls("ramp_start", _f(duration))

    def _batches(self):
        """``(D, J, f, D > 0, all D > 0)``: duration, whole batches, share of the last batch."""
        d = self.years
        whole = np.maximum(np.ceil(d * (1.0 - 1e-12)), 1.0)  # J batches
        positive = d > 0
        every = bool(np.all(positive))
        last = d - (whole - 1.0) if every else np.where(positive, d - (whole - 1.0), 1.0)  # share of the last
        return d, whole, last, positive, every

    def factor(self, rate_per_yr) -> np.ndarray:
        """Present-value factor of 1 spread (or booked) this way.

        Notes
        -----
        ``ramp_end`` over ``D`` years (``J = ceil(D)`` batches, the last ``f = D - J + 1`` of a
        year): batches at ``t = 1..J-1`` and ``t = D``, weights ``1/D`` and ``f/D``:
        ``(a(r, J-1) + f v^D) / D``. ``ramp_start``: slices at ``t = 0..J-1``:
        ``((1 + r) a(r, J-1) + f v^(J-1)) / D``. Both are 1 at ``D = 0`` and at ``r = 0``.
        """
        rate = Rate.of(rate_per_yr)
        if self.kind == "at":
            return rate.pow(self.years) if np.any(self.years != 0) else np.ones_like(rate.r)
        if not np.any(self.years > 0):
            return np.ones_like(rate.r)
        d, whole, last, positive, every = self._batches()
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.kind == "ramp_end":
                out = (rate.annuity(whole - 1.0) + last * rate.pow(d)) / d
            else:
                out = ((1.0 + rate.r) * rate.annuity(whole - 1.0) + last * rate.pow(whole - 1.0)) / d
        return np.asarray(out) if every else np.where(positive, out, 1.0)

    def mean_time(self) -> np.ndarray:
        """Amount-weighted mean booking time [yr] (the limit of the PV-equivalent time at ``r = 0``)."""
        if self.kind == "at":
            return self.years
        d, whole, last, _, _ = self._batches()
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.kind == "ramp_end":
                out = ((whole - 1.0) * whole / 2.0 + last * d) / d
            else:
                out = ((whole - 2.0) * (whole - 1.0) / 2.0 + last * (whole - 1.0)) / d
        return np.where(d > 0, out, 0.0)


class Lump(NamedTuple):
    """A one-off amount (NRE) booked at ``timing``."""

    amount: np.ndarray
    timing: Timing


class Capital(NamedTuple):
    """An asset of price ``amount`` first bought at ``first``; with a ``life`` it is renewed every
    ``life`` years after the ledger's anchor (service entry) and credited with its residual value
    at the window's end; ``life = None``: bought once for the whole window (``cost_basis = "capex"``)."""

    amount: np.ndarray
    life: np.ndarray | None
    first: Timing


class Stream(NamedTuple):
    """A yearly amount ``a_k = first g^((k-1) mod period)`` at ``anchor + k``, ``k = 1..N``
    (``period = None``: no restart within the window)."""

    first: np.ndarray
    growth: np.ndarray | float = 1.0
    period: np.ndarray | None = None


class PresentValues(NamedTuple):
    """A ledger's present values at one discount rate."""

    cost_usd: np.ndarray
    energy_mwh: np.ndarray
    gpu_hours: np.ndarray


class Ledger:
    """One side's life-cycle cash flows: capital, one-off amounts, yearly costs and output.

    Parameters
    ----------
    horizon : array_like
        The operating window ``N`` [whole years].
    anchor : Timing
        When the side enters service (yearly items are booked at ``anchor + k``).
    valuation_rate : array_like
        The rate residual values are computed at (the side's discount rate).
    capital, lumps : sequence
        :class:`Capital` and :class:`Lump` items.
    costs : Stream
        The yearly costs.
    energy : Stream
        IT energy delivered per year [MWh].
    hours_per_mwh : array_like
        GPU-hours delivered per MWh of IT energy (GPU-hours are this multiple of the energy stream).
    """

    def __init__(self, horizon, anchor: Timing, valuation_rate, capital: Sequence[Capital], lumps: Sequence[Lump],
                 costs: Stream, energy: Stream, hours_per_mwh):
        self.horizon, self.anchor, self.valuation_rate = _f(horizon), anchor, _f(valuation_rate)
        self.capital, self.lumps, self.costs, self.energy = list(capital), list(lumps), costs, energy
        self.hours_per_mwh = _f(hours_per_mwh)
        self._residual: dict[int, np.ndarray] = {}
        self._valuation = Rate(self.valuation_rate)
        self._factors: dict[int, np.ndarray] = {}  # timing factors at the valuation rate

    def residual(self, life) -> np.ndarray:
        """Residual fraction of an asset of ``life`` at the valuation rate (cached per life array)."""
        key = id(life)
        if key not in self._residual:
            self._residual[key] = residual_fraction(self.valuation_rate, life, self.horizon)
        return self._residual[key]

    def _rate(self, rate_per_yr) -> tuple[Rate, dict[int, np.ndarray]]:
        """The rate and its factor cache (shared across calls at the valuation rate)."""
        if rate_per_yr is None or rate_per_yr is self.valuation_rate:
            return self._valuation, self._factors
        return Rate.of(rate_per_yr), {}

    def _stream_pv(self, s: Stream, rate: Rate, level) -> np.ndarray:
        """Present value at the anchor of one stream (``level`` = ``a(rate, N)``, reused for level streams)."""
        if s.period is None:
            if np.ndim(s.growth) == 0 and float(s.growth) == 1.0:
                return _f(s.first) * level
            v = rate.v
            return _f(s.first) * v * geometric_sum(_f(s.growth) * v, self.horizon)
        return periodic_stream(s.first, s.growth, s.period, self.horizon, rate.r).present_value

    def stream_total(self, s: Stream) -> np.ndarray:
        """Undiscounted total of one yearly stream over the window."""
        if s.period is None:
            if np.ndim(s.growth) == 0 and float(s.growth) == 1.0:
                return _f(s.first) * self.horizon
            return _f(s.first) * geometric_sum(s.growth, self.horizon)
        return periodic_stream(s.first, s.growth, s.period, self.horizon, 0.0).total

    @staticmethod
    def _factor(timing: Timing, rate: Rate, factors: dict[int, np.ndarray]) -> np.ndarray:
        key = id(timing)
        if key not in factors:
            factors[key] = timing.factor(rate)
        return factors[key]

    def capital_present_value(self, c: Capital, rate_per_yr=None) -> np.ndarray:
        """Present value of one capital item with its renewals and residual value (default: at the valuation rate)."""
        return self._capital_pv_at(c, *self._rate(rate_per_yr))

    def present_values(self, rate_per_yr=None) -> PresentValues:
        """Present values at ``rate_per_yr`` (default: the valuation rate; residual values stay at it).

        Returns
        -------
        PresentValues
        """
        rate, factors = self._rate(rate_per_yr)
        anchor = self._factor(self.anchor, rate, factors)
        level = rate.annuity(self.horizon)
        cost = anchor * self._stream_pv(self.costs, rate, level)
        for c in self.capital:
            cost = cost + self._capital_pv_at(c, rate, factors)
        for lump in self.lumps:
            cost = cost + _f(lump.amount) * self._factor(lump.timing, rate, factors)
        energy = anchor * self._stream_pv(self.energy, rate, level)
        return PresentValues(cost, energy, energy * self.hours_per_mwh)

    def _capital_pv_at(self, c: Capital, rate: Rate, factors) -> np.ndarray:
        first = self._factor(c.first, rate, factors)
        if c.life is None:
            return _f(c.amount) * first
        later = renewal_present_value(rate, c.life, self.horizon) - self.residual(c.life) * rate.pow(self.horizon)
        return _f(c.amount) * (first + self._factor(self.anchor, rate, factors) * later)

    @property
    def renews(self) -> bool:
        """Whether any capital item has a life (renewals and residual values; else both are 0)."""
        return any(c.life is not None for c in self.capital)

    def capital_totals(self) -> tuple[np.ndarray, np.ndarray]:
        """Undiscounted renewals within the window and residual value at its end [USD]."""
        renew, resid = 0.0, 0.0
        for c in self.capital:
            if c.life is None:
                continue
            renew = renew + c.amount * (generations(c.life, self.horizon) - 1.0)
            resid = resid + c.amount * self.residual(c.life)
        return _f(renew), _f(resid)

    def irr(self, price_usd_per_gpu_hour, low: float = -0.99, high: float = 10.0, iterations: int = 64):
        """Internal rate of return of selling the GPU-hours at ``price`` (vectorized bisection).

        Returns
        -------
        ndarray
            Rate where ``price x PV(GPU-h) - PV(cost) = 0``; NaN where the NPV does not change
            sign on ``[low, high]``. 64 halvings shrink the bracket below 1e-18 of its width.
        """
        price = _f(price_usd_per_gpu_hour)

        def npv(r):
            pv = self.present_values(r)
            return price * pv.gpu_hours - pv.cost_usd

        shape = np.shape(npv(0.0))
        lo, hi = np.full(shape, low), np.full(shape, high)
        f_lo, f_hi = npv(lo), npv(hi)
        ok = np.sign(f_lo) * np.sign(f_hi) <= 0
        for _ in range(iterations):
            mid = 0.5 * (lo + hi)
            f_mid = npv(mid)
            left = np.sign(f_mid) == np.sign(f_lo)
            lo, f_lo = np.where(left, mid, lo), np.where(left, f_mid, f_lo)
            hi = np.where(left, hi, mid)
        return np.where(ok, 0.5 * (lo + hi), np.nan)

    def _equivalent_time(self, pv, total, mean) -> np.ndarray:
        """Time ``tau`` with ``total x v^tau = pv`` at the valuation rate (``mean`` at ``r = 0``)."""
        r = self.valuation_rate
        with np.errstate(divide="ignore", invalid="ignore"):
            tau = np.log(pv / total) / np.log(_v(r))
        return np.where((r > 0) & (total > 0), tau, mean)

    def by_year(self) -> "YearFlows":
        """Explicit flows: index 0 = first purchases and one-off amounts, then operating years.

        Index 0 is booked at the time that gives its present value at the valuation rate
        (the amount-weighted mean time at ``r = 0``); operating year ``k`` at ``anchor + k``
        (the anchor's equivalent time). Present values at the valuation rate equal
        :meth:`present_values` exactly; totals equal the closed-form totals.
        """
        n = self.horizon
        n_max = int(np.max(n))
        k = np.arange(1, n_max + 1, dtype=float)
        col = lambda x: _f(x)[..., None]  # noqa: E731
        mask = (k <= col(n)).astype(float)
        r = self.valuation_rate

        def yearly(s: Stream):
            period = col(n if s.period is None else np.minimum(s.period, n))
            age = np.mod(k - 1.0, period)
            return col(s.first) * col(s.growth) ** age * mask

        costs = yearly(self.costs)
        up_total = up_pv = up_mean = 0.0
        for c in self.capital:
            up_total = up_total + c.amount
            up_pv = up_pv + c.amount * c.first.factor(r)
            up_mean = up_mean + c.amount * c.first.mean_time()
            if c.life is None:
                continue
            renew = (np.mod(k, col(c.life)) < 0.5) & (k < col(n))
            costs = costs + col(c.amount) * renew - col(c.amount * self.residual(c.life)) * (k == col(n))
        for lump in self.lumps:
            up_total = up_total + lump.amount
            up_pv = up_pv + lump.amount * lump.timing.factor(r)
            up_mean = up_mean + lump.amount * lump.timing.mean_time()
        up_total, up_pv = _f(up_total), _f(up_pv)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean0 = np.where(up_total > 0, _f(up_mean) / up_total, 0.0)
        t0 = self._equivalent_time(up_pv, up_total, mean0)
        anchor_t = self._equivalent_time(self.anchor.factor(r), np.ones_like(r), self.anchor.mean_time())
        energy = yearly(self.energy)
        hours = energy * col(self.hours_per_mwh)
        shape = np.broadcast_shapes(np.shape(costs)[:-1], np.shape(hours)[:-1], np.shape(up_total), np.shape(t0),
                                    np.shape(anchor_t))
        full = lambda x: np.broadcast_to(x, shape + (n_max,))  # noqa: E731
        first = lambda x: np.broadcast_to(_f(x), shape)[..., None]  # noqa: E731
        zero = np.zeros(shape + (1,))
        times = np.concatenate([first(t0), full(col(anchor_t) + k)], axis=-1)
        return YearFlows(times, np.concatenate([first(up_total), full(costs)], axis=-1),
                         np.concatenate([zero, full(energy)], axis=-1), np.concatenate([zero, full(hours)], axis=-1))


class YearFlows(NamedTuple):
    """Explicit year-by-year flows of a :class:`Ledger` (last axis: index 0, then years 1..N_max)."""

    times_yr: np.ndarray
    costs_usd: np.ndarray
    energy_mwh: np.ndarray
    gpu_hours: np.ndarray

    def cash_flows(self) -> CashFlows:
        """As :class:`orbitaldc.finance.CashFlows` (costs and energy)."""
        return CashFlows(self.times_yr, self.costs_usd, self.energy_mwh)

    def payback_years(self, price_usd_per_gpu_hour) -> np.ndarray:
        """Years until the cumulative undiscounted net cash flow turns non-negative."""
        net = _f(price_usd_per_gpu_hour)[..., None] * self.gpu_hours - self.costs_usd
        times = np.broadcast_to(self.times_yr, np.broadcast_shapes(net.shape, self.times_yr.shape))
        net = np.broadcast_to(net, times.shape)
        order = np.argsort(times, axis=-1, kind="stable")
        return payback_years(np.take_along_axis(net, order, -1), np.take_along_axis(times, order, -1))


def ledger_finance(ledger: Ledger, price_usd_per_gpu_hour=None) -> ProjectFinance:
    """Levelized costs of a ledger at its discount rate and, given a compute price, its NPV, IRR and payback.

    Parameters
    ----------
    ledger : Ledger
        One side's cash flows (discounted at its valuation rate, the side's discount rate).
    price_usd_per_gpu_hour : array_like or None
        Price of compute sold; None leaves NPV, IRR and payback NaN.

    Returns
    -------
    orbitaldc.finance.ProjectFinance
        ``LCOE = PV(cost) / PV(IT energy)``, ``LCOC = PV(cost) / PV(GPU-hours)``.

    References
    ----------
    .. [1] Short, Packey & Holt, NREL/TP-462-5173 (1995), sec. 4.2 (levelized cost).
    """
    pv = ledger.present_values()
    lcoe = levelized_cost(pv.cost_usd, pv.energy_mwh)
    lcoc = levelized_cost(pv.cost_usd, pv.gpu_hours)
    shape = np.broadcast_shapes(np.shape(lcoe), np.shape(lcoc))
    if price_usd_per_gpu_hour is None:
        nan = np.full(shape, np.nan)
        return ProjectFinance(pv.cost_usd, pv.energy_mwh, pv.gpu_hours, lcoe, lcoc, nan, nan, nan)
    price = _f(price_usd_per_gpu_hour)
    return ProjectFinance(pv.cost_usd, pv.energy_mwh, pv.gpu_hours, lcoe, lcoc, price * pv.gpu_hours - pv.cost_usd,
                          ledger.irr(price), ledger.by_year().payback_years(price))
