"""Trajectories over time: the comparison year by year as launch gets cheaper and technology moves.

In calendar year ``y`` of a study from ``Y0 = trajectory_start_year`` to ``trajectory_end_year``:

* world launched mass grows geometrically, ``U(j) = U_b (1 + g)^(j - Y_b)`` [kg/yr] from the
  base-year figure ``U_b = upmass_kg_per_yr`` in ``Y_b = upmass_base_year``;
* cumulative launched mass is ``M(y) = M_0 + sum_{j=Y0}^{y-1} U(j)`` with ``M_0 =
  launch_reference_mass_kg`` (the cumulative mass at which the scenario's launch price holds,
  in ``Y0``);
* the launch price follows Wright's law on cumulative mass,
  ``p(y) = max(p_0 (M(y) / M_0)^(-b), floor)`` (:func:`orbitaldc.launch.wright_price_usd_per_kg`),
  with ``b`` fitted to the cited launch price history (``trajectory_launch_learning = "fitted"``,
  :func:`orbitaldc.launch.launch_learning_fit`; the Monte Carlo band draws ``b`` from its
  standard error) or ``b = -log2(1 - trajectory_learning_rate)`` (``"assumed"``);
* satellite cost per watt and specific power follow stated trends,
  ``c(y) = c_0 (1 + s)^(y - Y0)``, ``w(y) = w_0 (1 + q)^(y - Y0)``;
* everything else stays at the scenario's value; a project decided in year ``y`` is evaluated
  with those values (the full model, :func:`orbitaldc.compare.evaluate_values`).

Parity is the first year with ``orbital / terrestrial <= 1`` on the headline metric, the
discounted cost per delivered GPU-hour (``metric = "lcoc_ratio"``; ``"cost_ratio"`` compares the
undiscounted totals). The Monte Carlo band samples every uncertain parameter (the scenario's and
the trends) and reports the distribution of each sample's parity year. All years and samples
are one vectorized evaluation (a ``samples x years`` grid).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from orbitaldc.compare import METRIC_ALIASES, evaluate_values, get_metric
from orbitaldc.errors import OrbitaldcError
from orbitaldc.launch import launch_learning_fit, wright_price_usd_per_kg
from orbitaldc.params import Scenario, as_point, load_library
from orbitaldc.sampling import (check_samples, correlation_matrix, resolve_seed, sample_values,
                               uncertain_parameters)

#: Percentiles of the Monte Carlo band.
BAND = (5.0, 50.0, 95.0)
#: Largest grid (samples x years) evaluated in one call.
MAX_CELLS = 5_000_000
#: Ratios a trajectory can follow (parity where the ratio reaches 1); the first is the default.
TRAJECTORY_METRICS = ("lcoc_ratio", "cost_ratio")


def learning_rate(values: Mapping[str, Any]):
    """The launch learning rate a trajectory uses: fitted to the price history, or the assumed one."""
    if values.get("trajectory_launch_learning", "assumed") == "fitted":
        return launch_learning_fit().learning_rate
    return values["trajectory_learning_rate"]


def cumulative_upmass_kg(year, start_year, upmass_kg_per_yr, upmass_base_year, growth_per_yr):
    """World mass launched from the start of ``start_year`` to the start of ``year`` [kg].

    Parameters
    ----------
    year, start_year : array_like
        Calendar years (``year >= start_year``).
    upmass_kg_per_yr : array_like
        Mass launched in ``upmass_base_year`` [kg/yr].
    upmass_base_year : array_like
        Calendar year of that figure.
    growth_per_yr : array_like
        Fractional growth of annual launched mass per year, > -1.

    Returns
    -------
    ndarray
        ``sum_{j=Y0}^{y-1} U_b (1+g)^(j - Y_b) = U_b (1+g)^(Y0 - Y_b) ((1+g)^(y - Y0) - 1) / g``
        (``U_b (y - Y0)`` at ``g = 0``) [kg].

    Notes
    -----
    Geometric series of a constant growth rate.
    """
    t = np.asarray(year, dtype=float) - np.asarray(start_year, dtype=float)
    g = np.asarray(growth_per_yr, dtype=float)
    first = np.asarray(upmass_kg_per_yr, dtype=float) * (1.0 + g) ** (np.asarray(start_year, dtype=float)
                                                                     - np.asarray(upmass_base_year, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        series = np.where(g == 0, t, np.expm1(t * np.log1p(g)) / np.where(g == 0, 1.0, g))
    return first * series


def year_values(values: Mapping[str, Any], years) -> dict[str, Any]:
    """Parameter values for projects decided in ``years`` (broadcasts with array values).

    Returns a copy of ``values`` with ``launch_cost_usd_per_kg``, ``satellite_cost_usd_per_w``
    and ``specific_power_w_per_kg`` replaced by their trended values (see module notes); an entry
    ``_learning_rate`` (e.g. Monte Carlo draws of the fitted rate) overrides :func:`learning_rate`.
    """
    v = dict(values)
    y = np.asarray(years, dtype=float)
    y0 = float(values["trajectory_start_year"])
    t = y - y0
    m0 = np.asarray(values["launch_reference_mass_kg"], dtype=float)
    cum = cumulative_upmass_kg(y, y0, values["upmass_kg_per_yr"], values["upmass_base_year"],
                               values["upmass_growth_per_yr"])
    rate = values["_learning_rate"] if "_learning_rate" in values else learning_rate(values)
    v.pop("_learning_rate", None)
    v["launch_cost_usd_per_kg"] = wright_price_usd_per_kg(
        values["launch_cost_usd_per_kg"], m0 + cum, m0, rate, values["launch_floor_usd_per_kg"])
    v["satellite_cost_usd_per_w"] = np.asarray(values["satellite_cost_usd_per_w"], dtype=float) \
        * (1.0 + np.asarray(values["satellite_cost_trend_per_yr"], dtype=float)) ** t
    v["specific_power_w_per_kg"] = np.asarray(values["specific_power_w_per_kg"], dtype=float) \
        * (1.0 + np.asarray(values["specific_power_trend_per_yr"], dtype=float)) ** t
    return v


def first_parity_index(ratio: np.ndarray) -> np.ndarray:
    """Index along the last axis of the first ``ratio <= 1`` (-1 where none)."""
    hit = np.asarray(ratio) <= 1.0
    return np.where(hit.any(axis=-1), np.argmax(hit, axis=-1), -1)


@dataclass
class Trajectory:
    """Result of :func:`trajectory`."""

    scenario: str
    metric: str
    years: list[int]
    launch_cost_usd_per_kg: list[float]
    ratio: list[float]
    cost_ratio: list[float]
    orbital_total_cost_usd: list[float]
    terrestrial_total_cost_usd: list[float]
    first_parity_year: int | None
    samples: int
    seed: int | None
    band: dict[str, list[float]]
    probability_orbital_cheaper: list[float]
    parity_year_percentiles: dict[str, int | None]
    probability_parity_by_end: float | None
    learning: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def trajectory(scenario: Scenario | str, start_year: int | None = None, end_year: int | None = None,
               samples: int = 2000, seed: int | None = 0, metric: str = TRAJECTORY_METRICS[0]) -> Trajectory:
    """Year-by-year comparison with Wright's-law launch prices and parameter trends.

    Parameters
    ----------
    scenario : Scenario or str
        A single-point scenario (its trend parameters come from the library unless it sets them).
    start_year, end_year : int, optional
        Override ``trajectory_start_year`` / ``trajectory_end_year``.
    samples : int
        Monte Carlo samples for the band (0 for the point trajectory only).
    seed : int, optional
        Seed of the ``numpy.random.Generator``.
    metric : {"lcoc_ratio", "cost_ratio"}
        The ratio followed: orbital / terrestrial cost per delivered GPU-hour (default, the
        headline) or undiscounted totals.

    Returns
    -------
    Trajectory
        Point trajectory (``ratio`` on ``metric``; ``cost_ratio`` always the undiscounted
        totals), first parity year (None if none), and per year the P5/P50/P95 of the ratio and
        the probability that orbit is cheaper; the parity-year percentiles over samples (None:
        not reached by the end year); ``learning`` the launch learning used (and the fit).

    References
    ----------
    .. [1] T. P. Wright (1936); Google Suncatcher, arXiv:2511.19468 (2025): 20 % learning per
       doubling of cumulative launched mass.
    """
    over = {}
    if start_year is not None:
        over["trajectory_start_year"] = start_year
    if end_year is not None:
        over["trajectory_end_year"] = end_year
    scenario = as_point(scenario, over or None, what="trajectory", where="trajectory")
    if metric not in TRAJECTORY_METRICS:
        raise OrbitaldcError(f"trajectory: metric {metric!r}: expected one of {', '.join(TRAJECTORY_METRICS)}")
    key = METRIC_ALIASES[metric]
    values = scenario.values
    fitted = values["trajectory_launch_learning"] == "fitted"
    y0, y1 = int(values["trajectory_start_year"]), int(values["trajectory_end_year"])
    if y1 < y0:
        raise OrbitaldcError(f"trajectory: end year {y1} is before start year {y0}")
    samples = check_samples(samples, "samples", maximum=1_000_000, minimum=0)
    years = np.arange(y0, y1 + 1)
    if samples * years.size > MAX_CELLS:
        raise OrbitaldcError(f"trajectory: {samples} samples x {years.size} years exceeds {MAX_CELLS:,} evaluations")

    point = evaluate_values(year_values(values, years))
    ratio = np.asarray(get_metric(point, key), dtype=float)
    i = int(first_parity_index(ratio))
    fit = launch_learning_fit()
    learning = {"source": values["trajectory_launch_learning"], "learning_rate": float(learning_rate(values))}
    if fitted:
        learning.update({"b": fit.b, "b_standard_error": fit.b_se, "points": fit.points,
                         "learning_rate_low": fit.learning_rate_low, "learning_rate_high": fit.learning_rate_high})
    launch_price = np.broadcast_to(year_values(values, years)["launch_cost_usd_per_kg"], years.shape)

    band: dict[str, list[float]] = {}
    prob: list[float] = []
    parity_pct: dict[str, int | None] = {}
    p_by_end = None
    used_seed = None
    if samples:
        used_seed = resolve_seed(seed)
        library = load_library()
        marginals = uncertain_parameters(scenario, library=library, groups={"trajectory"})
        if fitted:
            marginals.pop("trajectory_learning_rate", None)
        rng = np.random.default_rng(used_seed)
        drawn = sample_values(marginals, samples, rng, correlation_matrix(list(marginals), library))
        mc_values = dict(values)
        mc_values.update({k: v[:, None] for k, v in drawn.items()})
        if fitted:  # Wright's exponent from the fit: normal with its standard error, not below 0
            b = np.maximum(rng.normal(fit.b, fit.b_se, samples), 0.0)
            mc_values["_learning_rate"] = (1.0 - 2.0 ** -b)[:, None]
        r = np.asarray(get_metric(evaluate_values(year_values(mc_values, years[None, :])), key), dtype=float)
        for q, row in zip(BAND, np.percentile(r, BAND, axis=0)):
            band[f"p{int(q)}"] = [float(x) for x in row]
        prob = [float(x) for x in np.mean(r < 1.0, axis=0)]
        idx = first_parity_index(r)
        parity_year = np.where(idx >= 0, years[np.maximum(idx, 0)], np.inf)
        for q in BAND:
            yq = float(np.quantile(parity_year, q / 100.0, method="inverted_cdf"))
            parity_pct[f"p{int(q)}"] = int(yq) if np.isfinite(yq) else None
        p_by_end = float(np.mean(idx >= 0))
    return Trajectory(
        scenario=scenario.name, metric=metric, years=[int(y) for y in years],
        launch_cost_usd_per_kg=[float(x) for x in launch_price], ratio=[float(x) for x in ratio],
        cost_ratio=[float(x) for x in np.broadcast_to(point.cost_ratio, years.shape)],
        orbital_total_cost_usd=[float(x) for x in np.broadcast_to(point.orbital.total_cost_usd, years.shape)],
        terrestrial_total_cost_usd=[float(x) for x in np.broadcast_to(point.terrestrial.total_cost_usd, years.shape)],
        first_parity_year=int(years[i]) if i >= 0 else None, samples=samples, seed=used_seed,
        band=band, probability_orbital_cheaper=prob, parity_year_percentiles=parity_pct,
        probability_parity_by_end=p_by_end, learning=learning,
    )
