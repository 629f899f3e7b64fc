"""Vectorized search: differential evolution with a compass polish, and Pareto fronts.

Generic over any problem given as ``evaluate(X (S, N)) -> (F (S, M), G (S, C))`` (objectives
minimized, constraints feasible at ``G <= 0``), one vectorized call per population.

References
----------
.. [1] R. Storn and K. Price, "Differential Evolution - A Simple and Efficient Heuristic for
   Global Optimization over Continuous Spaces", J. Global Optimization 11, 341-359 (1997).
.. [2] J. Lampinen, "A constraint handling approach for the differential evolution
   algorithm", Proc. IEEE CEC 2002, 1468-1473.
.. [3] K. Deb, *Multi-Objective Optimization using Evolutionary Algorithms*, Wiley (2001),
   sec. 2.4 (non-dominated sets) and sec. 2.4.2 (efficient filtering).
.. [4] I. M. Sobol', "On the distribution of points in a cube and the approximate evaluation of
   integrals", USSR Comput. Math. Math. Phys. 7, 86-112 (1967).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from scipy import optimize as sopt
from scipy.stats import qmc

from orbitaldc.optimize.constraints import ACTIVE_TOLERANCE

__all__ = ["MAXITER", "PARETO_REFINE_ROUNDS", "PARETO_SAMPLES", "POPSIZE", "SearchResult", "minimize_population",
           "non_dominated", "pareto_search"]

#: Differential-evolution defaults (population = POPSIZE x number of variables).
POPSIZE = 15
MAXITER = 200
#: Compass-search polish after the evolution: first and last step as fractions of the box width.
POLISH_STEP = 0.05
POLISH_MIN_STEP = 1e-7
#: Pareto search defaults.
PARETO_SAMPLES = 4096
PARETO_REFINE_ROUNDS = 4
PARETO_POLISH_POINTS = 16
PARETO_POLISH_MIN_STEP = 1e-4

@dataclass
class SearchResult:
    """Outcome of :func:`minimize_population` (search coordinates)."""

    x: np.ndarray
    f: float
    g: np.ndarray
    feasible: bool
    generations: int
    model_calls: int
    message: str


def _memo(evaluate, objective_index: int = 0):
    """``run(points)`` evaluates the points not yet in ``cache`` (point bytes -> (f, g)) in one call."""
    cache: dict[bytes, tuple[float, np.ndarray]] = {}
    calls = [0]

    def run(points: np.ndarray) -> None:
        missing = [p for p in points if p.tobytes() not in cache]
        if missing:
            P = np.array(missing)
            F, G = evaluate(P)
            calls[0] += 1
            for p, f, g in zip(P, F[:, objective_index], G):
                cache[p.tobytes()] = (float(f), g)

    return run, cache, calls


def minimize_population(evaluate: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
                        bounds: Sequence[tuple[float, float]], integrality: np.ndarray | None = None,
                        x0: np.ndarray | None = None, seed: int = 0, popsize: int = POPSIZE,
                        maxiter: int = MAXITER, tol: float = 1e-6, n_constraints: int = 0,
                        objective_index: int = 0) -> SearchResult:
    """Minimize ``F[:, objective_index]`` subject to ``G <= 0`` by vectorized differential evolution.

    Parameters
    ----------
    evaluate : callable
        ``X (S, N) -> (F (S, M), G (S, C))``, one vectorized call per population.
    bounds : sequence of (low, high)
        Search box.
    integrality : array of bool, optional
        Integer coordinates (rounded by SciPy before ``evaluate`` sees them).
    x0 : array, optional
        A point placed in the initial population (e.g. the preset's design).
    n_constraints : int
        ``C``; zero for an unconstrained problem.

    Returns
    -------
    SearchResult

    Notes
    -----
    SciPy asks for constraint violations of a whole population first, then objectives of its
    feasible members; both come from one model evaluation through a cache keyed by the point.
    """
    run, cache, calls = _memo(evaluate, objective_index)

    def fun(x):  # x: (N, S) or (N,)
        P = np.ascontiguousarray(np.atleast_2d(np.asarray(x, dtype=float).T))
        run(P)
        return np.array([cache[p.tobytes()][0] for p in P])

    def con(x):
        P = np.ascontiguousarray(np.atleast_2d(np.asarray(x, dtype=float).T))
        run(P)
        out = np.array([cache[p.tobytes()][1] for p in P]).T  # (C, S)
        return out if np.ndim(x) > 1 else out[:, 0]

    constraints = ()
    if n_constraints:
        constraints = (sopt.NonlinearConstraint(con, -np.inf, 0.0),)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        res = sopt.differential_evolution(
            fun, bounds, vectorized=True, updating="deferred", integrality=integrality, x0=x0,
            rng=np.random.default_rng(seed), popsize=popsize, maxiter=maxiter, tol=tol, polish=False,
            constraints=constraints, init="sobol")
    x = _compass_polish(run, cache, np.asarray(res.x, dtype=float), bounds, integrality)
    # coordinates within ACTIVE_TOLERANCE of a bound are tried on the bound itself (DE's mutation
    # approaches a bound but rarely lands on it); kept only when no worse and no less feasible
    lo, hi = np.array(bounds, dtype=float).T
    near_lo = x - lo <= ACTIVE_TOLERANCE * (hi - lo)
    near_hi = hi - x <= ACTIVE_TOLERANCE * (hi - lo)
    snapped = np.where(near_lo, lo, np.where(near_hi, hi, x))
    run(np.ascontiguousarray(np.vstack([x, snapped])))
    f, g = cache[np.ascontiguousarray(x).tobytes()]
    fs, gs = cache[np.ascontiguousarray(snapped).tobytes()]
    if fs <= f and np.sum(np.maximum(gs, 0)) <= np.sum(np.maximum(g, 0)):
        x, f, g = snapped, fs, gs
    feasible = bool(np.all(g <= 0)) if n_constraints else True
    return SearchResult(x, f, g, feasible, int(res.nit), calls[0], str(res.message))


def _violation(g: np.ndarray) -> float:
    return float(np.sum(np.maximum(g, 0.0)))


def _compass_polish(run, cache, x, bounds, integrality, step: float = POLISH_STEP,
                    min_step: float = POLISH_MIN_STEP) -> np.ndarray:
    """Vectorized compass search from the evolution's best point (one model call per iteration).

    Each iteration evaluates ``x +- h_j e_j`` for every coordinate (clipped to the box, integers
    rounded) and moves to the best candidate by Lampinen's rules (feasible and lower objective,
    or less violation); otherwise the step halves, from ``step`` to ``min_step`` of the box width.
    It lands on active constraints and bounds that differential evolution only approaches.

    References
    ----------
    .. [1] T. G. Kolda, R. M. Lewis and V. Torczon, "Optimization by direct search: new
       perspectives on some classical and modern methods", SIAM Review 45, 385-482 (2003),
       sec. 3 (compass search).
    """
    lo, hi = np.array(bounds, dtype=float).T
    ints = np.zeros(lo.size, bool) if integrality is None else np.asarray(integrality, bool)
    width = hi - lo
    key = lambda p: np.ascontiguousarray(p).tobytes()  # noqa: E731
    run(np.ascontiguousarray(x[None, :]))
    f, g = cache[key(x)]
    h = step
    while h >= min_step:
        eye = np.eye(lo.size) * np.maximum(h * width, np.where(ints, 1.0, 0.0))
        P = np.clip(np.vstack([x + eye, x - eye]), lo, hi)
        P[:, ints] = np.round(P[:, ints])
        P = np.ascontiguousarray(P)
        run(P)
        best = None
        for p in P:
            fp, gp = cache[key(p)]
            vp, vb = _violation(gp), _violation(g if best is None else best[2])
            fb = f if best is None else best[1]
            if (vp == 0 and vb == 0 and fp < fb) or vp < vb:
                best = (p, fp, gp)
        if best is None:
            h /= 2.0
        else:
            x, f, g = best
    return x


def non_dominated(F: np.ndarray, chunk: int = 512) -> np.ndarray:
    """Mask of the non-dominated rows of ``F (S, M)`` (all objectives minimized).

    Parameters
    ----------
    F : ndarray
        Objective values ``(S, M)``; rows with a non-finite value are never kept.
    chunk : int
        Rows compared at once (memory bound).

    Returns
    -------
    ndarray of bool
        ``(S,)``, True for the non-dominated rows.

    Row ``i`` is dominated when some row ``j`` has ``F_j <= F_i`` in every objective and
    ``F_j < F_i`` in at least one (Deb 2001, sec. 2.4). Exact duplicates keep only their first.

    Notes
    -----
    Pairwise comparison in chunks of ``chunk`` rows: ``O(S^2 M)`` work, ``O(chunk S M)`` memory.
    """
    F = np.asarray(F, dtype=float)
    S = F.shape[0]
    keep = np.isfinite(F).all(axis=1)
    _, first = np.unique(F, axis=0, return_index=True)
    unique = np.zeros(S, dtype=bool)
    unique[first] = True
    keep &= unique
    idx = np.nonzero(keep)[0]
    Fk = F[idx]
    dominated = np.zeros(idx.size, dtype=bool)
    for s in range(0, idx.size, chunk):
        block = Fk[s:s + chunk, None, :]
        le = (Fk[None, :, :] <= block).all(axis=2)
        lt = (Fk[None, :, :] < block).any(axis=2)
        dominated[s:s + chunk] = (le & lt).any(axis=1)
    mask = np.zeros(S, dtype=bool)
    mask[idx[~dominated]] = True
    return mask


def pareto_search(evaluate: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
                  bounds: Sequence[tuple[float, float]], integrality: np.ndarray | None = None,
                  samples: int = PARETO_SAMPLES, rounds: int = PARETO_REFINE_ROUNDS, seed: int = 0,
                  anchors: Sequence[np.ndarray] = (), polish: int = PARETO_POLISH_POINTS
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Feasible non-dominated points of a vectorized problem.

    A scrambled Sobol sample of ``samples`` points (Sobol' 1967) plus ``anchors`` (e.g. the
    single-objective optima) is evaluated in one call; each refinement round perturbs the current
    front (at most ``samples`` parents, ``samples`` children in all) with Gaussian steps of
    ``0.1 / 2^r`` of the box width, evaluates them in one call, and filters again.
    Finally up to ``polish`` front designs are polished by the epsilon-constraint method
    (:func:`_epsilon_polish`) and the front is filtered once more.

    Parameters
    ----------
    evaluate : callable
        ``X (S, N) -> (F (S, M), G (S, C))``, vectorized.
    bounds : sequence of (low, high)
        Search box.
    integrality : array of bool, optional
        Integer coordinates (rounded).
    samples : int
        Size of the Sobol' sample and of each refinement round.
    rounds : int
        Refinement rounds.
    seed : int
        Seed of the scrambling and the perturbations.
    anchors : sequence of ndarray
        Points added to the first evaluation (e.g. single-objective optima).
    polish : int
        Front designs polished at the end.

    Returns
    -------
    X, F, G : ndarray
        Front points (search coordinates), objectives and constraint margins.
    evaluated : int
        Points evaluated in all.
    """
    lo, hi = np.array(bounds, dtype=float).T
    width = hi - lo
    rng = np.random.default_rng(seed)
    ints = np.zeros(lo.size, dtype=bool) if integrality is None else np.asarray(integrality, dtype=bool)

    def snap(X):
        X = np.clip(X, lo, hi)
        X[:, ints] = np.round(X[:, ints])
        return X

    m = max(1, int(math.ceil(math.log2(max(samples, 2)))))
    X = qmc.Sobol(lo.size, scramble=True, rng=rng).random_base2(m)[:samples]
    X = snap(lo + X * width)
    if len(anchors):
        X = np.vstack([X, snap(np.array(anchors, dtype=float))])
    evaluated = 0

    def add_to_front(Y, front=None):
        """Evaluate ``Y``; return the non-dominated points of ``front`` and ``Y``'s feasible rows."""
        nonlocal evaluated
        Fy, Gy = evaluate(Y)
        evaluated += Y.shape[0]
        ok = np.all(Gy <= 0, axis=1) if Gy.size else np.ones(Y.shape[0], bool)
        parts = ([front] if front is not None else []) + [(Y[ok], Fy[ok], Gy[ok])]
        X, F, G = (np.vstack(column) for column in zip(*parts))
        keep = non_dominated(F)
        return X[keep], F[keep], G[keep]

    X, F, G = add_to_front(X)
    for r in range(rounds):
        if X.shape[0] == 0:
            break
        sigma = 0.1 / 2 ** r * width
        parents = X if X.shape[0] <= samples else X[rng.choice(X.shape[0], samples, replace=False)]
        per_point = max(1, samples // parents.shape[0])
        Y = snap(np.repeat(parents, per_point, axis=0)
                 + rng.standard_normal((parents.shape[0] * per_point, lo.size)) * sigma)
        X, F, G = add_to_front(Y, (X, F, G))
    if polish and X.shape[0]:
        X, F, G = add_to_front(_epsilon_polish(evaluate, X, F, bounds, ints, polish), (X, F, G))
    order = np.lexsort(F.T[::-1])
    return X[order], F[order], G[order], evaluated


def _epsilon_polish(evaluate, X, F, bounds, integrality, points: int) -> np.ndarray:
    """Improve up to ``points`` front designs by the epsilon-constraint method.

    Each chosen design ``i`` is polished by compass search on the first objective subject to the
    constraints and to every other objective staying at or below its value ``F_i`` (Haimes,
    Lasdon and Wismer 1971; Deb 2001, sec. 3.2), so a polished design dominates or equals the
    one it started from.
    """
    idx = np.unique(np.linspace(0, X.shape[0] - 1, min(points, X.shape[0])).round().astype(int))
    out = []
    for i in idx:
        fi = F[i, 1:]
        scale = np.where(fi != 0, np.abs(fi), 1.0)

        def scalarized(P, fi=fi, scale=scale):
            Fp, Gp = evaluate(P)
            return Fp[:, :1], np.hstack([Gp, (Fp[:, 1:] - fi) / scale])

        run, cache, _ = _memo(scalarized)
        out.append(_compass_polish(run, cache, X[i].copy(), bounds, integrality,
                                   min_step=PARETO_POLISH_MIN_STEP))
    return np.array(out)
