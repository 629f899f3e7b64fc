"""Why two analyses disagree: Shapley attribution of a metric's difference, input by input.

Two scenarios A and B differ in a set of parameters (the *players*). The game is

    v(S) = metric(parameters in S taken from B, every other parameter from A),

so ``v(empty) = metric(A)`` and ``v(all) = metric(B)``. Each player's Shapley value is its
average marginal contribution over every order in which the parameters could be switched from
A to B; the values sum exactly to ``metric(B) - metric(A)`` (efficiency) and do not depend on
any chosen order. Swapping A and B negates every value (the swapped game is
``w(T) = v(N \\ T)`` and the Shapley weights are symmetric in coalition size).

Every coalition is one row of a single vectorized :func:`orbitaldc.compare.evaluate_values`
call: numeric parameters become arrays that pick A's or B's value row by row. String
parameters (model choices such as ``mass_model``) and optional parameters set on one side only
cannot be mixed inside an array, so rows are grouped by the switch state of those players and
each group is one call.

A **ratio** of the two sides (``cost_ratio``, ``lcoc_ratio``) is attributed through its two
totals: each side's metric gets its own Shapley values ``phi_i^O``, ``phi_i^T`` (finite for every
mix, where the ratio itself may not be: a mix can zero the ground's total), the log-ratio
change splits as ``l_i = phi_i^O / dO x d ln O - phi_i^T / dT x d ln T`` (summing to
``d ln R``), and ``c_i = dR x l_i / d ln R`` in ratio units (summing to ``dR`` exactly).

Two scenarios of different scope (:func:`orbitaldc.compare.scope_mismatch`: IT equipment in or
out, capital on a life cycle or charged to the window, dollars escalated or not) are flagged in
:attr:`Attribution.scope_mismatch`; ``normalize`` brings B to A's scope, power and years.

    >>> from orbitaldc.explain import explain
    >>> e = explain("seed-article-1gw", "mccalip-2025-12")
    >>> abs(sum(e.contributions.values()) - e.difference) < 1e-9 * abs(e.difference)
    True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping, NamedTuple, Sequence

import numpy as np

from orbitaldc.compare import METRIC_ALIASES, evaluate_values, get_metric, metric_reads, normalize_scope, scope_mismatch
from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import Scenario, load_scenario

#: Up to this many (active) players the attribution is exact: 2^k coalitions (65,536 at 16)
#: evaluated in one vectorized pass, well under a second.
EXACT_LIMIT = 16
#: Largest exact game a caller may ask for (2^20 rows is about a million scenarios).
MAX_EXACT = 20
#: Permutations sampled beyond the exact limit (antithetic pairs, so even).
DEFAULT_PERMUTATIONS = 2000
#: Parameters ``normalize`` copies from A into B (same power, same years; the scope comes too,
#: see :func:`orbitaldc.compare.normalize_scope`).
NORMALIZED = ("target_power_w", "analysis_years")
#: Ratio metrics attributed through their two sides' totals: name -> side field.
RATIO_SIDES = {"orbital_to_terrestrial_cost_ratio": "total_cost_usd",
               "orbital_to_terrestrial_lcoc_ratio": "lcoc_usd_per_gpu_hour"}


@dataclass
class Attribution:
    """Result of :func:`explain`.

    ``contributions`` maps every differing parameter to its Shapley value in metric units,
    largest magnitude first (parameters that cannot move the metric last, at exactly 0); they
    sum to ``difference = value_b - value_a``. ``standard_errors`` are zero when exact. For a
    ratio metric ``side_contributions`` holds each side's own attribution (see the module notes).
    ``scope_mismatch`` lists how the two scenarios as given differ in scope (``name -> (a, b)``);
    non-empty means the comparison is not like for like unless ``normalized``.
    ``decomposition`` is ``"shapley"`` or ``"through_totals"`` (ratios).
    """

    metric: str
    scenario_a: str
    scenario_b: str
    value_a: float
    value_b: float
    contributions: dict[str, float]
    standard_errors: dict[str, float]
    values_a: dict[str, Any]
    values_b: dict[str, Any]
    method: str
    inert: list[str] = field(default_factory=list)
    permutations: int | None = None
    seed: int | None = None
    normalized: bool = False
    scope_mismatch: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    side_contributions: dict[str, dict[str, float]] = field(default_factory=dict)
    decomposition: str = "shapley"

    @property
    def difference(self) -> float:
        """``value_b - value_a``."""
        return self.value_b - self.value_a

    @property
    def max_standard_error(self) -> float:
        return max(self.standard_errors.values(), default=0.0)

    def to_dict(self) -> dict[str, Any]:
        """JSON contract: ``metric``, ``value_a``, ``value_b``, ``difference``, ``contributions``."""
        return {
            "metric": self.metric, "scenario_a": self.scenario_a, "scenario_b": self.scenario_b,
            "value_a": self.value_a, "value_b": self.value_b, "difference": self.difference,
            "contributions": dict(self.contributions),
            "standard_errors": dict(self.standard_errors),
            "method": self.method, "permutations": self.permutations, "seed": self.seed,
            "inert": list(self.inert), "normalized": self.normalized,
            "scope_mismatch": {k: list(v) for k, v in self.scope_mismatch.items()},
            "like_for_like": self.normalized or not self.scope_mismatch,
            "side_contributions": {k: dict(v) for k, v in self.side_contributions.items()},
            "decomposition": self.decomposition,
            "values_a": dict(self.values_a), "values_b": dict(self.values_b),
        }


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)


def _same(a: Any, b: Any) -> bool:
    if _is_number(a) and _is_number(b):
        return float(a) == float(b)
    return type(a) is type(b) and a == b


def differing_parameters(values_a: Mapping[str, Any], values_b: Mapping[str, Any]) -> list[str]:
    """Parameters whose values differ between two point scenarios, in library order."""
    return [k for k in values_a if not _same(values_a[k], values_b.get(k))]


def coalition_values(values_a: Mapping[str, Any], values_b: Mapping[str, Any], players: Sequence[str],
                     masks: np.ndarray, metric: str) -> np.ndarray:
    """Metric of every coalition: row ``r`` takes player ``j`` from B where ``masks[r, j]``.

    Parameters
    ----------
    values_a, values_b : mapping
        Complete point scenarios (``Scenario.values``).
    players : sequence of str
        The parameters that may switch (column order of ``masks``).
    masks : ndarray of bool, shape (rows, len(players))
        Coalitions; all other parameters stay at A's values.
    metric : str
        Dotted metric name (see :func:`orbitaldc.compare.metric_names`).

    Returns
    -------
    ndarray, shape (rows,)
        The metric of each coalition; numeric players are vectorized, switch players (strings,
        one-sided optional values) group the rows into one call per switch state.
    """
    masks = np.asarray(masks, dtype=bool).reshape(-1, len(players))
    numeric = [j for j, p in enumerate(players) if _is_number(values_a[p]) and _is_number(values_b[p])]
    switch = [j for j in range(len(players)) if j not in numeric]
    out = np.empty(masks.shape[0])
    states = masks[:, switch] if switch else np.zeros((masks.shape[0], 0), dtype=bool)
    for state in np.unique(states, axis=0):
        rows = np.all(states == state, axis=1)
        vals = dict(values_a)
        for j, on in zip(switch, state):
            vals[players[j]] = values_b[players[j]] if on else values_a[players[j]]
        for j in numeric:
            p = players[j]
            vals[p] = np.where(masks[rows, j], float(values_b[p]), float(values_a[p]))
        try:
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                y = get_metric(evaluate_values(vals), metric)
        except OrbitaldcError as exc:
            mixed = ", ".join(f"{players[j]}={vals[players[j]]!r}" for j in switch) or "numeric mixes"
            raise OrbitaldcError(f"explain: mixing the two scenarios' parameters ({mixed}) is not a valid "
                                 f"scenario: {exc}") from None
        out[rows] = np.broadcast_to(np.asarray(y, dtype=float), (int(rows.sum()),))
    return out


def _require_finite(v: np.ndarray, masks: np.ndarray, players: Sequence[str], metric: str) -> None:
    """Raise naming one mix of the scenarios where the metric is not finite."""
    bad = np.flatnonzero(~np.isfinite(v))
    if bad.size:
        row = np.asarray(masks, dtype=bool).reshape(len(v), -1)[bad[0]]
        taken = [p for p, on in zip(players, row) if on]
        raise OrbitaldcError(
            f"explain: metric {metric} is {v[bad[0]]} when B's {', '.join(taken) or 'nothing'} "
            f"{'is' if len(taken) == 1 else 'are'} combined with A's other values, so its difference cannot be "
            f"attributed; choose a metric finite for every mix (e.g. orbital.total_cost_usd)")


def shapley_exact(v: np.ndarray, k: int) -> np.ndarray:
    """Exact Shapley values from the values of all ``2^k`` coalitions.

    Parameters
    ----------
    v : ndarray, shape (2**k,)
        ``v[s]`` is the worth of the coalition whose members are the set bits of ``s``.
    k : int
        Number of players.

    Returns
    -------
    ndarray, shape (k,)

    Notes
    -----
    ``phi_i = sum over S not containing i of |S|! (k - |S| - 1)! / k! x (v(S + i) - v(S))``;
    the weight is ``1 / (k C(k-1, |S|))``. The values sum to ``v(N) - v(empty)``.

    References
    ----------
    .. [1] L. S. Shapley, "A value for n-person games", in *Contributions to the Theory of
       Games II*, Annals of Mathematics Studies 28, Princeton (1953), pp. 307-317.
    """
    v = np.asarray(v, dtype=float)
    idx = np.arange(1 << k)
    size = np.zeros(1 << k, dtype=int)
    for i in range(k):
        size += (idx >> i) & 1
    weight = np.array([1.0 / (k * math.comb(k - 1, s)) for s in range(k)])
    phi = np.empty(k)
    for i in range(k):
        without = idx[((idx >> i) & 1) == 0]
        phi[i] = np.sum(weight[size[without]] * (v[without | (1 << i)] - v[without]))
    return phi


def _masks_from_bits(k: int) -> np.ndarray:
    idx = np.arange(1 << k)
    return ((idx[:, None] >> np.arange(k)) & 1).astype(bool)


def antithetic_permutations(k: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` (even) permutations of ``range(k)``: ``n/2`` random ones and their reverses.

    Closed under reversal, so the sampled attribution of B -> A is exactly the negative of
    A -> B with the same seed (a reversed order of switching is the same order seen from B).
    """
    half = np.array([rng.permutation(k) for _ in range(n // 2)], dtype=int).reshape(n // 2, k)
    return np.concatenate([half, half[:, ::-1]])


def shapley_sampled(values_a, values_b, players: Sequence[str], metric: str, n: int,
                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Shapley values by sampling orders of switching (antithetic pairs), with standard errors.

    Notes
    -----
    Along each order ``pi`` the marginal contributions ``v(P_j + pi_j) - v(P_j)`` telescope to
    ``v(N) - v(empty)``, so the estimate sums exactly to the difference. The standard error of
    player ``i`` is the standard deviation of its pair-averaged contributions over
    ``sqrt(n / 2)``.

    References
    ----------
    .. [1] J. Castro, D. Gomez, J. Tejada, "Polynomial calculation of the Shapley value based
       on sampling", *Computers & Operations Research* 36 (2009) 1726-1730.
    """
    k = len(players)
    perms = antithetic_permutations(k, n, rng)
    # rank[p, i] = position of player i in order p; coalition j holds players with rank < j
    rank = np.argsort(perms, axis=1)
    steps = np.arange(k + 1)
    masks = rank[:, None, :] < steps[None, :, None]  # (n, k+1, k)
    v = coalition_values(values_a, values_b, players, masks.reshape(-1, k), metric)
    _require_finite(v, masks.reshape(-1, k), players, metric)
    v = v.reshape(n, k + 1)
    step_gain = np.diff(v, axis=1)  # (n, k): gain of the player added at step j
    contrib = np.take_along_axis(step_gain, rank, axis=1)  # (n, k) by player
    pairs = 0.5 * (contrib[: n // 2] + contrib[n // 2:])
    se = pairs.std(axis=0, ddof=1) / math.sqrt(n // 2) if n >= 4 else np.full(k, np.nan)
    return contrib.mean(axis=0), se


def inert_players(values_a: Mapping[str, Any], values_b: Mapping[str, Any], players: Sequence[str],
                  metric: str) -> list[str]:
    """Players the metric cannot depend on, from the model's declarations (no evaluation).

    Parameters
    ----------
    values_a, values_b : mapping
        The two scenarios' values.
    players : sequence of str
        The differing parameters.
    metric : str
        Metric name (its sides decide which chains' declarations count).

    Returns
    -------
    list of str
        Players that no chain of the metric's sides reads under any combination of the two
        scenarios' model choices (:func:`orbitaldc.compare.metric_reads`). A null player has
        Shapley value exactly 0, and removing it leaves the others' values unchanged.
    """
    choices = [p for p in players if isinstance(values_a.get(p), str) or isinstance(values_b.get(p), str)]
    read: set[str] = set()
    for bits in range(2 ** len(choices)):
        mixed = dict(values_a)
        for j, name in enumerate(choices):
            if bits >> j & 1:
                mixed[name] = values_b[name]
        read |= metric_reads(mixed, metric)
    return [p for p in players if p not in read]


def _point(scenario: Scenario | str, role: str) -> Scenario:
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if sc.shape:
        arrays = [k for k, v in sc.values.items() if isinstance(v, np.ndarray)]
        raise OrbitaldcError(f"explain: scenario {role} ({sc.name}) has array parameters ({', '.join(arrays)}); "
                             f"give single-point scenarios")
    return sc


def normalized(a: Scenario, b: Scenario) -> Scenario:
    """B at A's target power and analysis years, in A's scope (``normalize=True``)."""
    return normalize_scope(a, b.with_overrides({k: a.values[k] for k in NORMALIZED}, where="normalize"),
                           where="normalize")


def _finite(x: Any, metric: str, name: str) -> float:
    y = float(np.asarray(x, dtype=float).ravel()[0])
    if not math.isfinite(y):
        raise OrbitaldcError(f"explain: metric {metric} of {name} is {y}; choose a metric defined for both "
                             f"scenarios (e.g. orbital.total_cost_usd)")
    return y


class _Game(NamedTuple):
    contributions: dict[str, float]
    errors: dict[str, float]
    method: str
    inert: list[str]
    permutations: int | None


def _shapley(va, vb, value_a: float, value_b: float, players: list[str], metric: str, exact_limit: int,
             permutations: int, seed: int, prune: bool) -> _Game:
    """Shapley values of ``metric`` over ``players`` (exact up to ``exact_limit``, else sampled)."""
    rng = np.random.default_rng(seed)
    inert = inert_players(va, vb, players, metric) if prune else []
    active = [p for p in players if p not in inert]
    if inert:
        # the reduced game keeps inert players at A's values; it must still reach metric(B)
        top = coalition_values(va, vb, active, np.ones((1, len(active)), bool), metric)[0] if active else value_a
        if not math.isclose(top, value_b, rel_tol=1e-12, abs_tol=0.0):
            inert, active = [], players
    k = len(active)
    n_perm = None
    if k == 0:
        phi, se, method = np.zeros(0), np.zeros(0), "exact"
    elif k <= exact_limit:
        masks = _masks_from_bits(k)
        v = coalition_values(va, vb, active, masks, metric)
        _require_finite(v, masks, active, metric)
        phi, se, method = shapley_exact(v, k), np.zeros(k), "exact"
    else:
        n_perm = permutations + (permutations % 2)
        phi, se = shapley_sampled(va, vb, active, metric, n_perm, rng)
        method = "sampled"
    contributions = {active[i]: float(phi[i]) for i in range(k)}
    errors = {active[i]: float(se[i]) for i in range(k)}
    for p in inert:
        contributions[p] = 0.0
        errors[p] = 0.0
    return _Game(contributions, errors, method, inert, n_perm)


def _through_totals(games: dict[str, _Game], ends: dict[str, tuple[float, float]], players: list[str],
                    value_a: float, value_b: float) -> tuple[dict[str, float], dict[str, float]]:
    """Ratio contributions from each side's attribution (module notes): they sum to ``value_b - value_a``."""
    d_ratio = value_b - value_a
    d_log = math.log(value_b / value_a)
    share, share_se = {}, {}
    for p in players:
        terms, var = 0.0, 0.0
        for sign, side in ((1.0, "orbital"), (-1.0, "terrestrial")):
            a, b = ends[side]
            d = b - a
            if d == 0:
                continue
            scale = math.log(b / a) / d
            terms += sign * games[side].contributions[p] * scale
            var += (games[side].errors[p] * scale) ** 2
        share[p], share_se[p] = terms, math.sqrt(var)
    factor = d_ratio / d_log if d_log != 0 else value_a
    return ({p: factor * share[p] for p in players}, {p: abs(factor) * share_se[p] for p in players})


def explain(a: Scenario | str, b: Scenario | str, metric: str = "orbital.total_cost_usd", *,
            normalize: bool = False, exact_limit: int = EXACT_LIMIT,
            permutations: int = DEFAULT_PERMUTATIONS, seed: int = 0, prune: bool = True) -> Attribution:
    """Attribute ``metric(B) - metric(A)`` to the parameters that differ (Shapley values).

    Parameters
    ----------
    a, b : Scenario or str
        Two single-point scenarios (objects, preset names or TOML paths).
    metric : str
        Dotted metric name, e.g. ``orbital.total_cost_usd``, or a ratio (``cost_ratio``,
        ``lcoc_ratio``; attributed through its two sides' totals, see the module notes).
    normalize : bool
        First bring B to A's ``target_power_w``, ``analysis_years`` and scope
        (:func:`orbitaldc.compare.normalize_scope`).
    exact_limit : int
        Exact Shapley values up to this many active players (at most :data:`MAX_EXACT`);
        beyond, ``permutations`` sampled orders with standard errors.
    permutations : int
        Sampled orders of switching (rounded up to an even number, at least 2).
    seed : int
        Seed of the ``numpy.random.Generator`` used for sampled permutations.
    prune : bool
        Drop players the metric cannot depend on (declared, see :func:`inert_players`) before solving.

    Returns
    -------
    Attribution
        Contributions sum to ``value_b - value_a`` (exactly up to rounding in both methods);
        ``scope_mismatch`` says whether A and B (as given) compare like with like.
    """
    sa, sb = _point(a, "A"), _point(b, "B")
    mismatch = scope_mismatch(sa.values, sb.values)
    if normalize:
        sb = normalized(sa, sb)
    if not 1 <= exact_limit <= MAX_EXACT:
        raise OrbitaldcError(f"explain: exact limit = {exact_limit}: expected 1 to {MAX_EXACT}")
    if not isinstance(permutations, (int, np.integer)) or not 2 <= permutations <= 1_000_000:
        raise OrbitaldcError(f"explain: permutations = {permutations!r}: expected a whole number in [2, 1000000]")
    va, vb = sa.values, sb.values
    ca, cb = evaluate_values(va), evaluate_values(vb)
    value_a = _finite(get_metric(ca, metric), metric, sa.name)
    value_b = _finite(get_metric(cb, metric), metric, sb.name)
    players = differing_parameters(va, vb)
    ratio_field = RATIO_SIDES.get(METRIC_ALIASES.get(metric, metric))
    sides: dict[str, dict[str, float]] = {}
    if ratio_field is None:
        game = _shapley(va, vb, value_a, value_b, players, metric, exact_limit, permutations, seed, prune)
        contributions, errors = game.contributions, game.errors
        method, inert, n_perm = game.method, game.inert, game.permutations
    else:
        if not (value_a > 0 and value_b > 0):
            raise OrbitaldcError(f"explain: {metric} must be positive in both scenarios to split its log change")
        games, ends = {}, {}
        for side in ("orbital", "terrestrial"):
            name = f"{side}.{ratio_field}"
            ends[side] = (_finite(get_metric(ca, name), name, sa.name), _finite(get_metric(cb, name), name, sb.name))
            games[side] = _shapley(va, vb, *ends[side], players, name, exact_limit, permutations, seed, prune)
        contributions, errors = _through_totals(games, ends, players, value_a, value_b)
        sides = {side: g.contributions for side, g in games.items()}
        inert = [p for p in players if all(p in g.inert for g in games.values())]
        sampled = [g for g in games.values() if g.method == "sampled"]
        method = "sampled" if sampled else "exact"
        n_perm = sampled[0].permutations if sampled else None
    order = sorted(contributions, key=lambda p: (p in inert, -abs(contributions[p])))
    return Attribution(
        metric=metric, scenario_a=sa.name, scenario_b=sb.name, value_a=value_a, value_b=value_b,
        contributions={p: contributions[p] for p in order}, standard_errors={p: errors[p] for p in order},
        values_a={p: va[p] for p in players}, values_b={p: vb[p] for p in players},
        method=method, inert=inert, permutations=n_perm, seed=seed if n_perm else None,
        normalized=normalize, scope_mismatch=mismatch, side_contributions=sides,
        decomposition="through_totals" if sides else "shapley",
    )
