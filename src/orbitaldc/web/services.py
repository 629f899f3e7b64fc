"""Turn a validated request into library calls and JSON: what the worker processes run.

Every function takes plain data (the ``payload()`` of a request model from
:mod:`orbitaldc.web.schemas`: strings, numbers, lists, dicts), so requests cross the process
boundary as ordinary pickles, and returns what the route answers. No model arithmetic lives
here: :mod:`orbitaldc.compare`, :mod:`orbitaldc.uncertainty` and :mod:`orbitaldc.explain` do
the work; this module only chooses their arguments within the caps of the cost model
(:mod:`orbitaldc.web.schemas`) and shapes their results. FastAPI is not imported here, so a
worker process stays light.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from orbitaldc.compare import DEFAULT_BREAKEVEN_METRIC, breakeven, cost_curve, evaluate_values
from orbitaldc.formatting import breakeven_text
from orbitaldc.systems.breakdown import COST_PARTS, cost_breakdown
from orbitaldc.params import Scenario, list_presets, load_library, load_scenario, scenario_from_text
from orbitaldc.serialization import dumps, jsonable
from orbitaldc.web.schemas import (DEFAULT_PRESET, EXPLAIN_EXACT_LIMIT, HISTOGRAM_BINS, MAX_SEED, MC_CHUNK,
                                   explain_permutations)

@lru_cache(maxsize=64)
def _preset(name: str) -> Scenario:
    """A shipped preset, loaded once (``with_overrides`` returns copies, so sharing is safe)."""
    return load_scenario(name)


def scenario(preset: str, overrides: Mapping[str, Any]) -> Scenario:
    """The scenario of a request.

    Parameters
    ----------
    preset : str
        Shipped preset name.
    overrides : mapping
        Parameter -> value in the library's units (validated again by the library).

    Returns
    -------
    Scenario
        The preset with the overrides applied.

    References
    ----------
    .. [1] :meth:`orbitaldc.params.Scenario.with_overrides` (same rules as ``--set``).
    """
    return _preset(preset).with_overrides(overrides, where="overrides")


# ----------------------------------------------------------------------------- evaluate
def evaluate_json(preset: str, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Both sides of a scenario: the CLI's JSON contract plus the stacked breakdown.

    Parameters
    ----------
    preset, overrides
        The scenario (see :func:`scenario`).

    Returns
    -------
    dict
        ``orbitaldc run --format json`` output plus ``breakdown`` (label -> cost [USD] for each
        side; the parts of a side sum to its ``total_cost_usd``).

    References
    ----------
    .. [1] :func:`orbitaldc.compare.evaluate_values`.
    """
    sc = scenario(preset, overrides)
    c = evaluate_values(sc.values, sc)
    out = c.to_dict()
    out["breakdown"] = {side: cost_breakdown(side, getattr(c, side)) for side in COST_PARTS}
    return jsonable(out)


# ----------------------------------------------------------------------------- break-even
def breakeven_json(preset: str, overrides: Mapping[str, Any], parameter: str, low: float | None = None,
                   high: float | None = None, curve_points: int = 0, curve_low: float | None = None,
                   curve_high: float | None = None, metric: str = DEFAULT_BREAKEVEN_METRIC) -> dict[str, Any]:
    """Break-even of one parameter on the full model, plus the total-cost curve if asked.

    Parameters
    ----------
    preset, overrides
        The scenario (see :func:`scenario`).
    parameter : str
        Numeric parameter to solve for.
    low, high : float, optional
        Search range (default: the allowed range).
    curve_points : int
        Points of the curve (0: none); ``curve_low``/``curve_high`` as in
        :func:`orbitaldc.compare.curve_grid`.
    metric : str
        What is equated on both sides (:data:`orbitaldc.compare.BREAKEVEN_METRICS`; default LCOC).

    Returns
    -------
    dict
        :meth:`orbitaldc.compare.Breakeven.to_dict` (``current_value`` is None for an unset
        optional parameter), ``text`` (:func:`orbitaldc.formatting.breakeven_text`) and, with
        ``curve_points``, ``curve`` (``x`` and each side's ``total_cost_usd`` [USD]).

    References
    ----------
    .. [1] :func:`orbitaldc.compare.breakeven`.
    """
    sc = scenario(preset, overrides)
    result = breakeven(sc, parameter, low=low, high=high, metric=metric)
    out = result.to_dict()
    out["text"] = breakeven_text(result)
    if curve_points:
        curve = cost_curve(sc, parameter, points=curve_points, low=curve_low, high=curve_high,
                           include=(result.value,))
        out["curve"] = {"x": curve.x, "orbital_total_cost_usd": curve.orbital,
                        "terrestrial_total_cost_usd": curve.terrestrial}
    return jsonable(out)


# ----------------------------------------------------------------------------- uncertainty
def fresh_seed() -> int:
    """A seed from OS entropy, below 2^53 so that JSON clients read it back exactly.

    Returns
    -------
    int
        In ``[0, MAX_SEED]``.

    References
    ----------
    .. [1] NumPy ``SeedSequence`` (entropy from the operating system); ECMA-262
       ``Number.MAX_SAFE_INTEGER`` = 2^53 - 1.
    """
    return int(np.random.SeedSequence().entropy % (MAX_SEED + 1))


def montecarlo_json(preset: str, overrides: Mapping[str, Any], samples: int, seed: int | None,
                    params: Sequence[str] | None, uncertainty: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Monte Carlo summary plus a histogram of the cost ratio (orbital / terrestrial).

    Parameters
    ----------
    preset, overrides
        The scenario (see :func:`scenario`).
    samples : int
        Number of samples (evaluated in chunks of :data:`~orbitaldc.web.schemas.MC_CHUNK` rows).
    seed : int or None
        Seed (None: :func:`fresh_seed`, reported).
    params : sequence of str or None
        Uncertain parameters to sample (None: all outside study groups).
    uncertainty : mapping, optional
        Parameter -> ``[uncertainty.NAME]`` table stated by the request; replaces the library's
        distribution of that parameter (validated by the library).

    Returns
    -------
    dict
        :meth:`orbitaldc.uncertainty.MonteCarloResult.to_dict` plus ``cost_ratio_histogram``
        (``edges``, ``counts``; the 0.5-99.5 percentile range in
        :data:`~orbitaldc.web.schemas.HISTOGRAM_BINS` bins, outliers in the end bins).

    References
    ----------
    .. [1] :func:`orbitaldc.uncertainty.monte_carlo`.
    """
    from orbitaldc.uncertainty import monte_carlo

    seed = fresh_seed() if seed is None else seed
    result = monte_carlo(scenario(preset, overrides), samples, seed, params=params, keep_values=True,
                         chunk_size=MC_CHUNK, uncertainty=uncertainty or None)
    out = result.to_dict()
    ratio = np.asarray(result.values["orbital_to_terrestrial_cost_ratio"], dtype=float)
    ratio = ratio[np.isfinite(ratio)]
    if ratio.size:
        lo, hi = np.percentile(ratio, [0.5, 99.5])
        if hi <= lo:
            lo, hi = lo - 0.5, hi + 0.5
        counts, edges = np.histogram(np.clip(ratio, lo, hi), bins=HISTOGRAM_BINS, range=(lo, hi))
        out["cost_ratio_histogram"] = {"edges": edges, "counts": counts}
    return jsonable(out)


def sensitivity_json(preset: str, overrides: Mapping[str, Any], method: str, metric: str, samples: int,
                     seed: int, params: Sequence[str] | None) -> dict[str, Any]:
    """Tornado (one at a time) or Sobol indices of one metric.

    Parameters
    ----------
    preset, overrides
        The scenario (see :func:`scenario`).
    method : {"tornado", "sobol"}
    metric : str
        Dotted metric name or alias.
    samples, seed : int
        Sobol base sample size ``N`` and seed (unused by tornado).
    params : sequence of str or None
        Uncertain parameters to vary.

    Returns
    -------
    dict
        :meth:`orbitaldc.uncertainty.Tornado.to_dict` or :meth:`~orbitaldc.uncertainty.SobolResult.to_dict`.

    References
    ----------
    .. [1] :func:`orbitaldc.uncertainty.tornado`, :func:`orbitaldc.uncertainty.sobol`.
    """
    from orbitaldc.uncertainty import sobol, tornado

    sc = scenario(preset, overrides)
    if method == "tornado":
        return jsonable(tornado(sc, metric, params=params).to_dict())
    return jsonable(sobol(sc, metric, n=samples, seed=seed, params=params).to_dict())


def explain_json(a: Mapping[str, Any], b: Mapping[str, Any], metric: str, normalize: bool, permutations: int,
                 seed: int) -> dict[str, Any]:
    """Shapley attribution of ``metric(b) - metric(a)``, within the row budget.

    Parameters
    ----------
    a, b : mapping
        ``{"preset": ..., "overrides": ...}`` of each scenario.
    metric : str
        Dotted metric name or alias.
    normalize : bool
        Give B the power and years of A first.
    permutations : int
        Sampled orders asked for; at most
        :func:`~orbitaldc.web.schemas.explain_permutations` are used.
    seed : int
        Seed of the sampling and of the inertness test.

    Returns
    -------
    dict
        :meth:`orbitaldc.explain.Attribution.to_dict` plus ``permutations_requested``.

    References
    ----------
    .. [1] :func:`orbitaldc.explain.explain`.
    """
    from orbitaldc.explain import differing_parameters, explain, normalized

    sa, sb = scenario(a["preset"], a["overrides"]), scenario(b["preset"], b["overrides"])
    players = len(differing_parameters(sa.values, (normalized(sa, sb) if normalize else sb).values))
    used = explain_permutations(players, permutations)
    result = explain(sa, sb, metric, normalize=normalize, exact_limit=EXPLAIN_EXACT_LIMIT,
                     permutations=used, seed=seed)
    out = result.to_dict()
    out["permutations_requested"] = permutations
    return jsonable(out)


# ----------------------------------------------------------------------------- scenarios
def toml_text(preset: str, overrides: Mapping[str, Any], name: str | None = None,
              description: str | None = None, uncertainty: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """The scenario as TOML that ``orbitaldc run FILE`` accepts, checked by reading it back.

    Parameters
    ----------
    preset, overrides
        The scenario (see :func:`scenario`).
    name, description : str, optional
        Replace the scenario's name and description.
    uncertainty : mapping, optional
        Parameter -> ``[uncertainty.NAME]`` table, written into the file.

    Returns
    -------
    tuple of str
        The TOML text and the scenario's name (the file stem to suggest).

    Raises
    ------
    OrbitaldcError
        The model cannot evaluate the scenario (``orbitaldc run`` would refuse the file).

    References
    ----------
    .. [1] :func:`orbitaldc.params.scenario_from_text` (the loader of ``orbitaldc run``).
    """
    sc = scenario(preset, overrides)
    changes = {k: v for k, v in (("name", name), ("description", description)) if v is not None}
    if changes:
        sc = dataclasses.replace(sc, **changes)
    if uncertainty:
        sc = sc.with_uncertainty(uncertainty, where="uncertainty")
    text = sc.to_toml()
    back = scenario_from_text(text, label=f"{sc.name}.toml")
    evaluate_values(back.values, back)  # what `orbitaldc run FILE` does next
    if back.name != sc.name or back.values != sc.values or back.uncertainty != sc.uncertainty:
        raise RuntimeError(f"TOML of {sc.name} does not read back to the same scenario")
    return text, sc.name


@lru_cache(maxsize=1)
def presets_json() -> dict[str, Any]:
    """The shipped presets (name -> title, description, reference) and the default one.

    Returns
    -------
    dict
        ``{"default": name, "presets": {name: {title, description, reference}}, "version": ...}``.

    References
    ----------
    .. [1] :func:`orbitaldc.params.list_presets`.
    """
    from orbitaldc import __version__

    return {"default": DEFAULT_PRESET, "presets": list_presets(), "version": __version__}


@lru_cache(maxsize=16)
def params_json(preset: str) -> dict[str, Any]:
    """Every library parameter with the preset's value, unit, ranges and source.

    Parameters
    ----------
    preset : str
        Shipped preset name.

    Returns
    -------
    dict
        ``{"preset": ..., "params": {name: {value, default, unit, type, role, group, min, max,
        low, high, distribution, choices, optional, dollar_year, source, note}}}``.

    References
    ----------
    .. [1] ``src/orbitaldc/params/data/*.toml`` (the parameter library).
    """
    values = _preset(preset).values
    out = {}
    for name, spec in load_library().items():
        out[name] = {"value": values.get(name), "default": spec.value, "unit": spec.unit, "type": spec.type,
                     "role": spec.role, "group": spec.group, "min": spec.min, "max": spec.max,
                     "low": spec.low, "high": spec.high, "distribution": spec.distribution,
                     "choices": list(spec.choices), "optional": spec.optional, "dollar_year": spec.dollar_year,
                     "source": spec.source, "note": spec.note}
    return jsonable({"preset": preset, "params": out})


def scenario_text_json(toml: str) -> dict[str, Any]:
    """A scenario file's text as the page's state: a preset, overrides and stated uncertainty.

    Parameters
    ----------
    toml : str
        Scenario TOML (``extends`` names a shipped preset; no file is ever read).

    Returns
    -------
    dict
        ``preset`` (the file's ``extends``, else the default preset), ``overrides`` (every value
        that differs from that preset, so the page reproduces the file's values exactly),
        ``uncertainty`` (parameter -> table), ``name``, ``description`` and ``warnings``.

    Raises
    ------
    OrbitaldcError
        Malformed TOML, unknown keys, values out of range (the library's message, naming the
        key), array values (the page shows one scenario), or a scenario the model cannot evaluate.

    References
    ----------
    .. [1] :func:`orbitaldc.params.scenario_from_text` (the loader of ``orbitaldc run FILE``).
    """
    from orbitaldc.errors import ScenarioError

    sc = scenario_from_text(toml, label="uploaded-scenario")
    if sc.array_parameters:
        raise ScenarioError(f"uploaded-scenario: {', '.join(sc.array_parameters)}: arrays are not shown on the page "
                            "(it evaluates one scenario); run the file with `orbitaldc run FILE`")
    evaluate_values(sc.values, sc)
    preset = sc.extends if sc.extends in list_presets() else DEFAULT_PRESET
    base = _preset(preset).values
    overrides = {k: v for k, v in sc.values.items()
                 if v is not None and (base.get(k) is None or not np.array_equal(np.asarray(v), np.asarray(base[k])))}
    return jsonable({"preset": preset, "overrides": overrides, "name": sc.name, "description": sc.description,
                     "uncertainty": {k: v.to_table() for k, v in sc.uncertainty.items()}, "warnings": sc.warnings})


def _downsample(x: np.ndarray, points: int) -> np.ndarray:
    """Bucket means of a series, at most ``points`` of them (the series itself when shorter)."""
    x = np.asarray(x, dtype=float)
    if x.size <= points:
        return x
    edges = np.linspace(0, x.size, points + 1).astype(int)
    return np.add.reduceat(x, edges[:-1]) / np.diff(edges)


def twin_json(preset: str, overrides: Mapping[str, Any], satellites: int, days: float, step_s: float,
              seed: int) -> dict[str, Any]:
    """A short twin run of the scenario's bottom-up design: time series and the summary.

    Parameters
    ----------
    preset, overrides
        The scenario (see :func:`scenario`); its ``mass_model`` must be ``"bottom_up"``.
    satellites : int
        Satellites stepped (within :data:`~orbitaldc.web.page_schemas.MAX_SATELLITES`).
    days : float
        Simulated duration [days].
    step_s : float
        Time step [s].
    seed : int
        Seed of every random stream.

    Returns
    -------
    dict
        ``series`` (``time_h`` and :data:`~orbitaldc.web.page_schemas.SERIES`, bucket means of at
        most :data:`~orbitaldc.web.page_schemas.MAX_SERIES_POINTS` points) and ``summary``
        (:func:`orbitaldc.simulate.summary.summarize`: simulated against averaged).

    References
    ----------
    .. [1] :func:`orbitaldc.simulate.engine.run` (the NumPy reference kernel: nothing to compile
       in a worker).
    """
    from orbitaldc.compare import evaluate
    from orbitaldc.params import as_point
    from orbitaldc.simulate.engine import build_setup, run
    from orbitaldc.simulate.summary import summarize
    from orbitaldc.web.page_schemas import MAX_SERIES_POINTS, SERIES

    sc = as_point(scenario(preset, overrides),
                  {"sim_satellites": satellites, "sim_days": days, "sim_step_s": step_s}, what="the twin")
    comparison = evaluate(sc)
    setup = build_setup(sc.values, comparison.orbital.design, None)
    chunks: list[Mapping[str, np.ndarray]] = []
    result = run(setup, seed=seed, kernel="numpy", on_chunk=chunks.append)
    joined = {name: np.concatenate([np.asarray(c[name], dtype=float) for c in chunks]) for name in SERIES}
    steps = next(iter(joined.values())).size
    series = {"time_h": _downsample(np.arange(steps) * step_s / 3600.0, MAX_SERIES_POINTS)}
    series.update({name: _downsample(x, MAX_SERIES_POINTS) for name, x in joined.items()})
    return jsonable({"scenario": sc.name, "satellites": satellites, "days": days, "step_s": step_s, "seed": seed,
                     "series": series, "summary": summarize(result, comparison)})


# ----------------------------------------------------------------------------- worker entry
_JSON_TASKS: dict[str, Callable[..., dict[str, Any]]] = {
    "evaluate": evaluate_json, "breakeven": breakeven_json, "montecarlo": montecarlo_json,
    "sensitivity": sensitivity_json, "explain": explain_json, "scenario_text": scenario_text_json,
    "twin": twin_json,
}
#: Task names a worker accepts.
TASKS = (*_JSON_TASKS, "toml")


def run_task(name: str, payload: Mapping[str, Any]) -> tuple[bytes, str, dict[str, str]]:
    """Run one task in a worker and encode its answer.

    Parameters
    ----------
    name : str
        One of :data:`TASKS`.
    payload : mapping
        Keyword arguments of the task (a request model's ``payload()``).

    Returns
    -------
    tuple
        Body [bytes], media type and extra headers of the 200 answer.

    References
    ----------
    .. [1] RFC 8259 (strict JSON: :func:`orbitaldc.serialization.dumps`).
    """
    if name == "toml":
        text, stem = toml_text(**payload)
        return text.encode("utf-8"), "application/toml", {"content-disposition": f'attachment; filename="{stem}.toml"'}
    return dumps(_JSON_TASKS[name](**payload), indent=None).encode("utf-8"), "application/json", {}
