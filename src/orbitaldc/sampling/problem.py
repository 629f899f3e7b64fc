"""The sampling problem: which parameters are sampled, from which marginals, with which correlations.

:func:`define_problem` is the one place that decides what an analysis samples (Monte Carlo,
tornado, Sobol, robust design): the inputs the requested metrics declare under the scenario's
model choices (:func:`orbitaldc.compare.metric_reads`), each with the scenario's own distribution
or the library's re-centred on the scenario value; every other candidate is listed with the
reason it is not sampled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from orbitaldc.compare import metric_reads
from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import ParamSpec, Scenario, as_point, load_library
from orbitaldc.params.spec import copula_correlation, correlation_pairs
from orbitaldc.sampling.marginals import (LOG_DISTRIBUTIONS, SOURCE_SCENARIO, Marginal, recentred_marginal,
                                          stated_marginal)

__all__ = ["STUDY_GROUPS", "SamplingProblem", "copula_factor", "correlation_matrix", "define_problem",
           "uncertain_parameters"]

#: Library groups sampled only by the studies that use them (not by a Monte Carlo of one point).
STUDY_GROUPS = frozenset({"trajectory"})

_NOT_READ = "not an input of the requested metrics under this scenario's model choices (declared inputs)"
_NO_DISTRIBUTION = "no distribution in the library or the scenario (held at the scenario value)"
_FIXED_BY_SCENARIO = "fixed by the scenario (uncertainty distribution = \"fixed\")"
_NOT_REQUESTED = "not among the requested params"
_STUDY = "a {group} study parameter (sampled only by orbitaldc.{group})"
_UNSET = "not set in this scenario"


@dataclass
class SamplingProblem:
    """What to sample: marginals, where each came from, correlations, and what is left out.

    Attributes
    ----------
    scenario : Scenario
        The single point the samples vary around (with any stated uncertainty applied).
    marginals : dict
        Sampled parameter -> :class:`~orbitaldc.sampling.marginals.Marginal`, in library order.
    sources : dict
        Sampled parameter -> ``"scenario"``, ``"library (re-centred on the scenario value)"`` or
        ``"library"``.
    not_sampled : dict
        Parameter -> why it is held at the scenario value.
    correlation : ndarray or None
        Gaussian-copula (Pearson) matrix over :attr:`names`, None when independent.
    """

    scenario: Scenario
    marginals: dict[str, Marginal]
    sources: dict[str, str]
    not_sampled: dict[str, str] = field(default_factory=dict)
    correlation: np.ndarray | None = None

    @property
    def names(self) -> list[str]:
        """The sampled parameters, in sampling order."""
        return list(self.marginals)

    def sample(self, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """``n`` joint draws (see :func:`orbitaldc.sampling.sample.sample_values`).

        Parameters
        ----------
        n : int
            Number of draws.
        rng : numpy.random.Generator
            Random stream.

        Returns
        -------
        dict
            Parameter -> array of shape ``(n,)``.
        """
        from orbitaldc.sampling.sample import sample_values

        return sample_values(self.marginals, n, rng, self.correlation)

    def describe(self) -> dict[str, dict[str, Any]]:
        """Per sampled parameter: its marginal (:meth:`Marginal.to_dict`) and ``source``.

        Returns
        -------
        dict
        """
        return {k: {**m.to_dict(), "source": self.sources[k]} for k, m in self.marginals.items()}


def define_problem(scenario: Scenario | str | Path, metrics: Sequence[str] | None = None, *,
                   params: Sequence[str] | None = None, uncertainty: Mapping[str, Any] | None = None,
                   library: Mapping[str, ParamSpec] | None = None, groups: Iterable[str] = (),
                   exclude: Mapping[str, str] | None = None, roles: Iterable[str] | None = None,
                   inputs: Iterable[str] | None = None, correlated: bool = True,
                   what: str = "this analysis") -> SamplingProblem:
    """Decide what an analysis samples around a single-point scenario.

    Parameters
    ----------
    scenario : Scenario, str or Path
        A single point (preset name or file accepted, see :func:`orbitaldc.params.as_point`).
    metrics : sequence of str, optional
        Only parameters these metrics read (their declared inputs under the scenario's model
        choices) are sampled; None: every uncertain parameter.
    params : sequence of str, optional
        Sample only these (each must have a distribution in the library or the scenario); they
        are sampled even when the metrics do not read them.
    uncertainty : mapping, optional
        Parameter -> ``{distribution, low, high, mode, correlations}`` added to the scenario's
        own statements (:meth:`orbitaldc.params.Scenario.with_uncertainty`).
    library : mapping, optional
        Parameter library (default :func:`orbitaldc.params.load_library`).
    groups : iterable of str
        Study groups (:data:`STUDY_GROUPS`) to sample as well.
    exclude : mapping, optional
        Parameter -> reason: never sampled (e.g. the design variables a search moves).
    roles : iterable of str, optional
        Sample only parameters of these library roles (e.g. the assumptions, for robust design).
    inputs : iterable of str, optional
        Further declared inputs to sample (e.g. what the design checks read), besides the
        metrics' own.
    correlated : bool
        Build the copula correlation (False: independent inputs, as Sobol indices assume).
    what : str
        The analysis asking, for messages.

    Returns
    -------
    SamplingProblem

    Raises
    ------
    OrbitaldcError
        Array parameters, an unknown metric, a named parameter that is unknown or has no
        distribution, invalid stated uncertainty, correlations that cannot hold together.

    References
    ----------
    .. [1] J. Herman and W. Usher, "SALib: An open-source Python library for sensitivity
       analysis", JOSS 2(9), 97 (2017); T. Iwanaga, W. Usher and J. Herman, "Toward SALib 2.0",
       Socio-Environmental Systems Modelling 4, 18155 (2022) (the ProblemSpec pattern).
    """
    sc = as_point(scenario, what=what)
    if uncertainty:
        sc = sc.with_uncertainty(uncertainty)
    library = load_library() if library is None else library
    values = sc.values
    reads = None if metrics is None and inputs is None else \
        frozenset(inputs or ()).union(*(metric_reads(values, m) for m in metrics or ()))
    wanted = None if params is None else _check_params(params, sc, library)
    if wanted is not None and reads is not None and wanted - reads:
        inert = sorted(wanted - reads)
        choices = ", ".join(f"{k} = {values[k]!r}" for k in ("mass_model", "sun_fraction_model", "orbit_type")
                            if isinstance(values.get(k), str))
        movable = sorted(n for n in reads if n in library and library[n].is_numeric
                         and library[n].distribution != "fixed")
        raise OrbitaldcError(f"params: {', '.join(map(repr, inert))} cannot move the requested metrics under this "
                             f"scenario's model choices ({choices}); sampling it would change nothing. Uncertain "
                             f"inputs the metrics read: {', '.join(movable)}")
    include = set(groups)
    exclude = dict(exclude or {})
    roles = None if roles is None else set(roles)
    marginals: dict[str, Marginal] = {}
    sources: dict[str, str] = {}
    skipped: dict[str, str] = {}
    for name, spec in library.items():
        if not spec.is_numeric:
            continue
        stated = sc.uncertainty.get(name)
        distribution = stated.distribution if stated is not None and stated.distribution else spec.distribution
        relevant = reads is None or name in reads or (wanted is not None and name in wanted)
        if distribution == "fixed":
            if relevant and reads is not None:
                skipped[name] = _FIXED_BY_SCENARIO if stated is not None else _NO_DISTRIBUTION
            continue
        why = _why_not(name, spec, wanted, exclude, roles, include, relevant, values.get(name))
        if why:
            skipped[name] = why
            continue
        if stated is not None and stated.distribution:
            marginals[name], sources[name] = stated_marginal(spec, stated, values[name]), SOURCE_SCENARIO
        else:
            marginals[name], sources[name] = recentred_marginal(spec, values[name])
    corr = _scenario_correlation(list(marginals), sc, library) if correlated else None
    return SamplingProblem(sc, marginals, sources, skipped, corr)


def _check_params(params: Sequence[str], sc: Scenario, library: Mapping[str, ParamSpec]) -> set[str]:
    """Explicitly named parameters: each must be numeric and have a distribution."""
    def uncertain(name: str) -> bool:
        spec, stated = library.get(name), sc.uncertainty.get(name)
        if spec is None or not spec.is_numeric:
            return False
        if stated is not None and stated.distribution:
            return stated.distribution != "fixed"
        return spec.distribution != "fixed"

    for name in params:
        if not uncertain(name):
            allowed = [n for n in library if uncertain(n)]
            raise OrbitaldcError(f"params: {name!r} is not uncertain (no distribution in the library or the "
                                 f"scenario); allowed: {', '.join(allowed)}")
        value = sc.values.get(name)
        spec = library[name]
        if value is None:
            raise OrbitaldcError(f"params: {name!r} is not set in this scenario")
        if spec.distribution in LOG_DISTRIBUTIONS and name not in sc.uncertainty and float(value) <= 0:
            raise OrbitaldcError(f"params: {name} = {float(value):g}: a {spec.distribution} spread needs a "
                                 f"positive value")
    return set(params)


def _why_not(name: str, spec: ParamSpec, wanted: set[str] | None, exclude: Mapping[str, str],
             roles: set[str] | None, include: set[str], relevant: bool, value: Any) -> str | None:
    """Why an uncertain parameter is not sampled, or None when it is."""
    if name in exclude:
        return exclude[name]
    if wanted is not None:
        return None if name in wanted else _NOT_REQUESTED
    if roles is not None and spec.role not in roles:
        return f"a {spec.role} parameter (this study samples only: {', '.join(sorted(roles))})"
    if spec.group in STUDY_GROUPS and spec.group not in include:
        return _STUDY.format(group=spec.group)
    if not relevant:
        return _NOT_READ
    if value is None:
        return _UNSET
    if spec.distribution in LOG_DISTRIBUTIONS and float(value) <= 0:
        return f"value {float(value):g} cannot centre a {spec.distribution} spread (needs a positive value)"
    return None


def _pairs(names: Sequence[str], sc: Scenario | None, library: Mapping[str, ParamSpec]) -> dict[tuple[str, str], float]:
    """Spearman pairs among ``names``: the library's, replaced pair by pair by the scenario's."""
    for a in names:
        for b in (library[a].correlations or {}):
            if b not in library:
                raise OrbitaldcError(f"library {a}: correlations name unknown parameter {b!r}")
    pairs = correlation_pairs({a: library[a].correlations for a in names if library[a].correlations}, "library")
    if sc is not None:
        stated = {n: s.correlations for n, s in sc.uncertainty.items() if s.correlations}
        pairs.update(correlation_pairs(stated, f"scenario {sc.name}"))
    chosen = set(names)
    return {p: r for p, r in pairs.items() if p[0] in chosen and p[1] in chosen}


def _scenario_correlation(names: list[str], sc: Scenario | None,
                          library: Mapping[str, ParamSpec]) -> np.ndarray | None:
    pairs = _pairs(names, sc, library)
    if not any(pairs.values()):
        return None
    return copula_correlation(names, pairs, f"scenario {sc.name}" if sc is not None else "library")


def correlation_matrix(names: Sequence[str], library: Mapping[str, ParamSpec] | None = None) -> np.ndarray | None:
    """Gaussian-copula correlation matrix for ``names`` from the library's ``correlations``.

    Parameters
    ----------
    names : sequence of str
        Sampled parameters, in matrix order.
    library : mapping, optional
        Parameter library (default :func:`orbitaldc.params.load_library`).

    Returns
    -------
    ndarray or None
        Pearson matrix ``2 sin(pi rho_s / 6)`` (:func:`orbitaldc.params.spec.copula_correlation`),
        None when no pair among ``names`` is correlated.

    References
    ----------
    .. [1] R. B. Nelsen, *An Introduction to Copulas*, 2nd ed., Springer (2006), sec. 5.1.3.
    """
    library = load_library() if library is None else library
    return _scenario_correlation(list(names), None, library)


def copula_factor(corr: np.ndarray) -> np.ndarray:
    """A matrix ``L`` with ``L L^T = corr`` for a positive semi-definite correlation matrix.

    Parameters
    ----------
    corr : ndarray
        Correlation matrix (checked by :func:`orbitaldc.params.spec.copula_correlation`).

    Returns
    -------
    ndarray
        ``V diag(sqrt(max(w, 0)))`` from the eigen-decomposition ``corr = V diag(w) V^T`` (works
        for singular matrices, e.g. a correlation of exactly 1, where Cholesky fails).
    """
    w, v = np.linalg.eigh(corr)
    return v * np.sqrt(np.maximum(w, 0.0))


def uncertain_parameters(scenario: Scenario, params: Sequence[str] | None = None,
                         library: Mapping[str, ParamSpec] | None = None,
                         groups: Iterable[str] | None = None) -> dict[str, Marginal]:
    """Marginals of every uncertain parameter of a scenario (no metric filter).

    Parameters
    ----------
    scenario : Scenario
        A single point.
    params : sequence of str, optional
        Restrict to these names (each must be uncertain).
    library : mapping, optional
        Parameter library.
    groups : iterable of str, optional
        Study groups to include as well (e.g. ``{"trajectory"}``).

    Returns
    -------
    dict
        Parameter -> :class:`Marginal` (see :func:`define_problem` with ``metrics=None``).
    """
    return define_problem(scenario, None, params=params, library=library, groups=groups or (),
                          correlated=False).marginals
