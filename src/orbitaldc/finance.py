"""Finance: discounting, capital recovery, NPV, IRR, payback, LCOE, LCOC of explicit cash flows.

Cash flows are arrays whose **last axis is time**; their times are given in years from the
decision (``times_yr``, same last axis, may be fractional so that a deployment or grid
delay shifts operation). Costs are positive numbers in cost streams; in a *net* cash flow,
outflows are negative. All functions broadcast over leading axes. The model chains' closed-form
life-cycle flows (asset lives, renewals, residual value) are in :mod:`orbitaldc.lifecycle`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

HOURS_PER_YEAR = 8760.0  # 365 d x 24 h, the convention of McCalip (2025) and LCOE practice


def geometric_sum(ratio, n_terms):
    """``sum_{j=0}^{n-1} x^j = (1 - x^n) / (1 - x)``, and ``n`` at ``x = 1``.

    Computed with ``expm1``/``log1p`` so that ratios within rounding of 1 keep full precision;
    ``n = 0`` is the empty sum, 0.

    Parameters
    ----------
    ratio : array_like
        Common ratio ``x`` of the series (e.g. a discount factor per year ``1 / (1 + r)``,
        or a growth factor times it), >= 0.
    n_terms : array_like
        Number of terms ``n`` (a count of years), >= 0.

    Returns
    -------
    ndarray
        The finite sum ``sum_{j=0}^{n-1} x^j`` (dimensionless), in the broadcast shape.

    References
    ----------
    .. [1] W. Short, D. J. Packey, T. Holt, "A Manual for the Economic Evaluation of Energy
       Efficiency and Renewable Energy Technologies", NREL/TP-462-5173 (1995), sec. 4: the
       uniform and geometric-gradient present-worth factors are finite geometric sums of
       this form.
    """
    x = np.asarray(ratio, dtype=float)
    n = np.asarray(n_terms, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        step = x - 1.0
        lead = np.asarray(np.expm1(n * np.log1p(step)) / step)  # = -expm1(.) / (1 - x), bit for bit
    # n = 0 is an empty sum (0 x log(0) would be NaN where x underflows against 1); the fix-ups
    # run only where they apply
    empty = n == 0
    if np.any(empty):
        lead = np.where(empty, 0.0, lead)
    one = x == 1.0
    return np.where(one, n, lead) if np.any(one) else lead


def discount_factor(rate_per_yr, times_yr):
    """Present-value factor ``(1 + r)^-t``.

    Parameters
    ----------
    rate_per_yr : array_like
        Discount rate per year (fraction), > -1.
    times_yr : array_like
        Time of each cash flow [yr].

    Returns
    -------
    ndarray
        Present value of 1 USD paid at ``times_yr`` (dimensionless), in the broadcast shape.

    References
    ----------
    .. [1] R. A. Brealey, S. C. Myers, F. Allen, *Principles of Corporate Finance*, 13th ed.,
       ch. 2 (present value).
    """
    r = np.asarray(rate_per_yr, dtype=float)
    return (1.0 + r) ** (-np.asarray(times_yr, dtype=float))


def present_value(amounts, rate_per_yr, times_yr):
    """Sum over the last axis of ``amounts x (1 + r)^-t``.

    ``rate_per_yr`` broadcasts against the leading axes (append an axis internally).

    Parameters
    ----------
    amounts : array_like
        Amount in each period, last axis time (e.g. cost [USD], energy [MWh] or GPU-hours).
    rate_per_yr : array_like
        Discount rate per year (fraction), > -1; shape of the leading axes of ``amounts``.
    times_yr : array_like
        Time of each period's amount from the decision [yr], broadcasting with ``amounts``.

    Returns
    -------
    ndarray
        Present value in the unit of ``amounts``, with the time axis summed away.

    References
    ----------
    .. [1] R. A. Brealey, S. C. Myers, F. Allen, *Principles of Corporate Finance*, 13th ed.,
       ch. 2 (present value of a stream of cash flows).
    """
    r = np.asarray(rate_per_yr, dtype=float)[..., None]
    return np.sum(np.asarray(amounts, dtype=float) * discount_factor(r, times_yr), axis=-1)


def npv(net_cash_flows, rate_per_yr, times_yr):
    """Net present value of net cash flows (inflows positive) [USD].

    Parameters
    ----------
    net_cash_flows : array_like
        Net cash flow in each period, inflows positive and outflows negative [USD]; last
        axis time.
    rate_per_yr : array_like
        Discount rate per year (fraction), > -1; shape of the leading axes.
    times_yr : array_like
        Time of each flow from the decision [yr].

    Returns
    -------
    ndarray
        ``sum_t CF_t (1 + r)^-t`` [USD], with the time axis summed away.

    References
    ----------
    .. [1] R. A. Brealey, S. C. Myers, F. Allen, *Principles of Corporate Finance*, 13th ed.,
       ch. 2 and sec. 5-1 (net present value).
    """
    return present_value(net_cash_flows, rate_per_yr, times_yr)


def capital_recovery_factor(rate_per_yr, years):
    """Capital recovery factor: the level annual payment per dollar of capital.

    ``CRF = r (1 + r)^n / ((1 + r)^n - 1)``, and ``1 / n`` at ``r = 0`` (computed as
    ``-r / expm1(-n log1p(r))``, which keeps full precision for rates near 0).

    Parameters
    ----------
    rate_per_yr : array_like
        Discount rate (fraction per year), >= 0.
    years : array_like
        Recovery period [yr], > 0.

    Returns
    -------
    ndarray
        Level annual payment per USD of capital [1/yr], in the broadcast shape.

    References
    ----------
    .. [1] W. Short, D. J. Packey, T. Holt, "A Manual for the Economic Evaluation of Energy
       Efficiency and Renewable Energy Technologies", NREL/TP-462-5173 (1995), eq. 4-4.
       Example: r = 0.07, n = 20 gives CRF = 0.09439.
    """
    r = np.asarray(rate_per_yr, dtype=float)
    n = np.asarray(years, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # 1 / a(r, n) with a = (1 - (1+r)^-n) / r in expm1/log1p form: exact for rates near 0
        crf = -r / np.expm1(-n * np.log1p(r))
    return np.where(r == 0, 1.0 / n, crf)


def levelized_cost(pv_cost, pv_output):
    """Levelized cost: present value of costs over present value of output.

    Used for LCOE ($/MWh of IT energy) and LCOC ($/GPU-hour). With a zero discount rate it is
    total cost over total output, as in McCalip (2025).

    Parameters
    ----------
    pv_cost : array_like
        Present value of the costs [USD].
    pv_output : array_like
        Present value of the output, discounted at the same rate (e.g. IT energy [MWh] or
        GPU-hours [h]).

    Returns
    -------
    ndarray
        Cost per unit of output (e.g. [USD/MWh] or [USD/GPU-h]); inf or NaN where the output
        is 0.

    References
    ----------
    .. [1] Short, Packey & Holt, NREL/TP-462-5173 (1995), sec. 4.2 (levelized cost of energy).
    .. [2] A. McCalip, "Economics of Orbital vs Terrestrial Data Centers" (Dec 2025): total
       cost over total energy, undiscounted.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(pv_cost, dtype=float) / np.asarray(pv_output, dtype=float)


def gpu_hours(energy_wh, gpu_power_w, utilization):
    """GPU-hours delivered by ``energy_wh`` of IT energy at ``gpu_power_w`` per GPU.

    ``GPU-h = E / P_gpu x utilization``: IT energy buys GPU-hours of powered hardware, of
    which the utilized fraction does useful work.

    Parameters
    ----------
    energy_wh : array_like
        IT energy delivered [Wh].
    gpu_power_w : array_like
        IT power per GPU including its share of the server [W], > 0.
    utilization : array_like
        Fraction of powered GPU time doing useful work, in [0, 1].

    Returns
    -------
    ndarray
        Utilized GPU-hours [h], in the broadcast shape.

    References
    ----------
    .. [1] Definition (energy over power is time). Default inputs: NVIDIA DGX H100 datasheet
       (10.2 kW for 8 GPUs, ``gpu_power_w``); A. Grattafiori et al. (Meta), "The Llama 3
       Herd of Models", arXiv:2407.21783 (2024), sec. 3.3.4 (over 90 % effective training
       time, ``gpu_utilization``); see ``params/data/finance.toml``.
    """
    return np.asarray(energy_wh, dtype=float) / np.asarray(gpu_power_w, dtype=float) * np.asarray(utilization, dtype=float)


def irr(net_cash_flows, times_yr, low=-0.99, high=10.0, iterations=200):
    """Internal rate of return, vectorized by bisection over leading axes.

    Parameters
    ----------
    net_cash_flows : array_like
        Net cash flows (outflows negative), last axis time.
    times_yr : array_like
        Times of the flows [yr].
    low, high : float
        Bracket searched for the rate.
    iterations : int
        Bisection steps (200 halves the bracket to below float64 resolution).

    Returns
    -------
    ndarray
        Rate per year where NPV = 0; NaN where NPV does not change sign on the bracket
        (e.g. a project that never recovers its outlay).

    Notes
    -----
    For conventional flows (outflows then inflows) NPV falls monotonically with the rate, so
    the root is unique and bisection is exact to the bracket resolution.

    References
    ----------
    .. [1] Brealey, Myers & Allen, *Principles of Corporate Finance*, 13th ed., sec. 5-3.
    """
    cf = np.asarray(net_cash_flows, dtype=float)
    t = np.asarray(times_yr, dtype=float)
    lead = np.broadcast_shapes(cf.shape, t.shape)[:-1]
    lo = np.full(lead, float(low))
    hi = np.full(lead, float(high))
    f_lo = npv(cf, lo, t)
    f_hi = npv(cf, hi, t)
    ok = np.sign(f_lo) * np.sign(f_hi) <= 0
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        f_mid = npv(cf, mid, t)
        left = np.sign(f_mid) == np.sign(f_lo)
        lo = np.where(left, mid, lo)
        f_lo = np.where(left, f_mid, f_lo)
        hi = np.where(left, hi, mid)
    return np.where(ok, 0.5 * (lo + hi), np.nan)


def payback_years(net_cash_flows, times_yr):
    """Years until cumulative (undiscounted) net cash flow turns non-negative.

    Linear interpolation between flow times; NaN if it never does.

    Parameters
    ----------
    net_cash_flows : array_like
        Net cash flow in each period, outflows negative [USD]; last axis time.
    times_yr : array_like
        Time of each flow from the decision [yr], increasing along the last axis.

    Returns
    -------
    ndarray
        Payback time [yr] from the decision, with the time axis removed; NaN where the
        cumulative flow stays negative.

    References
    ----------
    .. [1] R. A. Brealey, S. C. Myers, F. Allen, *Principles of Corporate Finance*, 13th ed.,
       sec. 5-2 (the payback rule: undiscounted).
    """
    cf = np.asarray(net_cash_flows, dtype=float)
    t = np.broadcast_to(np.asarray(times_yr, dtype=float), np.broadcast_shapes(cf.shape, np.shape(times_yr)))
    cf = np.broadcast_to(cf, t.shape)
    cum = np.cumsum(cf, axis=-1)
    nonneg = cum >= 0
    first = np.argmax(nonneg, axis=-1)
    never = ~nonneg.any(axis=-1)
    idx = first[..., None]
    c1 = np.take_along_axis(cum, idx, -1)[..., 0]
    t1 = np.take_along_axis(t, idx, -1)[..., 0]
    prev = np.maximum(idx - 1, 0)
    c0 = np.take_along_axis(cum, prev, -1)[..., 0]
    t0 = np.take_along_axis(t, prev, -1)[..., 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(first > 0, -c0 / (c1 - c0), 0.0)
    out = np.where(first > 0, t0 + frac * (t1 - t0), t1)
    return np.where(never, np.nan, out)


class ProjectFinance(NamedTuple):
    """Discounted view of one side's cash flows."""

    pv_cost_usd: np.ndarray
    pv_energy_mwh: np.ndarray
    pv_gpu_hours: np.ndarray
    lcoe_usd_per_mwh: np.ndarray
    lcoc_usd_per_gpu_hour: np.ndarray
    npv_usd: np.ndarray
    irr_per_yr: np.ndarray
    payback_years: np.ndarray


def project_finance(cost_usd, energy_mwh, times_yr, rate_per_yr, gpu_power_w, utilization,
                    price_usd_per_gpu_hour=None):
    """Levelized costs and, given a compute price, NPV / IRR / payback of one project.

    Parameters
    ----------
    cost_usd : array_like
        Cost in each period (last axis), positive [USD].
    energy_mwh : array_like
        IT energy delivered in each period [MWh].
    times_yr : array_like
        Period times [yr].
    rate_per_yr : array_like
        Discount rate per year (fraction), > -1.
    gpu_power_w, utilization : array_like
        IT power per GPU [W] and utilized fraction, for GPU-hours.
    price_usd_per_gpu_hour : array_like or None
        Price of compute sold [USD/GPU-h]; None leaves NPV, IRR and payback as NaN.

    Returns
    -------
    ProjectFinance
        Present values of cost [USD], IT energy [MWh] and GPU-hours [h]; LCOE [USD/MWh] and
        LCOC [USD/GPU-h]; NPV [USD], IRR [1/yr] and payback [yr] of selling the GPU-hours at
        ``price_usd_per_gpu_hour``.

    References
    ----------
    .. [1] Short, Packey & Holt, NREL/TP-462-5173 (1995), sec. 4 (present value, levelized cost).
    .. [2] R. A. Brealey, S. C. Myers, F. Allen, *Principles of Corporate Finance*, 13th ed.,
       ch. 5 (NPV, IRR and payback).
    """
    pv_cost = present_value(cost_usd, rate_per_yr, times_yr)
    pv_energy = present_value(energy_mwh, rate_per_yr, times_yr)
    hours = gpu_hours(np.asarray(energy_mwh, dtype=float) * 1e6, np.asarray(gpu_power_w, dtype=float)[..., None],
                      np.asarray(utilization, dtype=float)[..., None])
    pv_hours = present_value(hours, rate_per_yr, times_yr)
    lcoe = levelized_cost(pv_cost, pv_energy)
    lcoc = levelized_cost(pv_cost, pv_hours)
    shape = np.shape(pv_cost)
    if price_usd_per_gpu_hour is None:
        nan = np.full(shape, np.nan)
        return ProjectFinance(pv_cost, pv_energy, pv_hours, lcoe, lcoc, nan, nan, nan)
    net = np.asarray(price_usd_per_gpu_hour, dtype=float)[..., None] * hours - np.asarray(cost_usd, dtype=float)
    return ProjectFinance(pv_cost, pv_energy, pv_hours, lcoe, lcoc,
                          npv(net, rate_per_yr, times_yr), irr(net, times_yr), payback_years(net, times_yr))


class CashFlows(NamedTuple):
    """Year-by-year view of a project: index 0 at t = 0, then operating years at delay + k."""

    times_yr: np.ndarray
    costs_usd: np.ndarray
    energy_mwh: np.ndarray
