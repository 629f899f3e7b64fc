"""One entry of the parameter library (:class:`ParamSpec`) and the validation of a value.

A spec carries a parameter's unit, source, allowed range (``min``/``max``, enforced: a value
outside is an error) and plausible range (``low``/``high`` with a ``distribution``, used by the
uncertainty tools; a value *far* outside it is a warning, see :func:`plausibility_warning`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from orbitaldc.errors import ScenarioError

__all__ = ["BOUNDED_DISTRIBUTIONS", "DISTRIBUTIONS", "MAX_ARRAY_ELEMENTS", "PLAUSIBLE_FACTOR", "ROLES", "ParamSpec",
           "StatedUncertainty", "UNCERTAINTY_KEYS", "check_uncertainty", "check_value", "copula_correlation",
           "correlation_pairs", "plausibility_warning"]

#: Largest array a scenario may carry (elements); bigger studies belong in sweep/montecarlo.
MAX_ARRAY_ELEMENTS = 10_000_000
DISTRIBUTIONS = ("fixed", "uniform", "triangular", "normal", "lognormal", "loguniform")
ROLES = ("requirement", "design", "assumption", "model")
#: A value is *far* outside its plausible range [low, high] when it lies beyond
#: ``high x F`` or ``low / F`` (positive ranges), or more than ``(F - 1)`` range widths beyond
#: either end (ranges that reach zero or below). F = 3 flags a unit slip (cents typed as dollars,
#: percent typed as a fraction, km as m) while leaving ordinary what-ifs silent.
PLAUSIBLE_FACTOR = 3.0


@dataclass(frozen=True)
class ParamSpec:
    """One entry of the parameter library.

    ``low``/``high`` are bounds for uniform, triangular and loguniform distributions and the
    5th/95th percentiles for normal and lognormal; ``value`` is the mode of a triangular.
    """

    name: str
    value: Any
    unit: str
    type: str
    role: str
    source: str
    min: float | None = None
    max: float | None = None
    low: float | None = None
    high: float | None = None
    distribution: str = "fixed"
    choices: tuple[str, ...] = ()
    note: str = ""
    dollar_year: int | None = None
    optional: bool = False
    group: str = ""
    correlations: Mapping[str, float] = field(default_factory=dict)

    @property
    def is_numeric(self) -> bool:
        """Whether the parameter takes numbers (``float`` or ``int``) rather than a choice."""
        return self.type in ("float", "int")

    @property
    def is_uncertain(self) -> bool:
        """Whether the library gives the parameter a distribution (``distribution != "fixed"``)."""
        return self.is_numeric and self.distribution != "fixed"

    def allowed(self) -> str:
        """Human-readable allowed values, for error messages."""
        if self.type == "str":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        kind = "a whole number" if self.type == "int" else "a finite number"
        lo = "-inf" if self.min is None else f"{self.min:g}"
        hi = "inf" if self.max is None else f"{self.max:g}"
        return f"{kind} in [{lo}, {hi}]" + self.unit_suffix()

    def plausible(self) -> str:
        """The plausible range as text (``[low, high] unit``), or ``""`` without one."""
        if self.low is None or self.high is None:
            return ""
        return f"[{self.low:g}, {self.high:g}]{self.unit_suffix()}"

    def unit_suffix(self) -> str:
        """``" unit"`` for dimensional parameters, ``""`` for dimensionless ones."""
        return f" {self.unit}" if self.unit not in ("", "1") else ""


def check_value(spec: ParamSpec, value: Any, where: str) -> Any:
    """Validate one value against its spec and return it normalized.

    Parameters
    ----------
    spec : ParamSpec
        The parameter's library entry.
    value : Any
        A number, a list/array of numbers, or a string for a model choice.
    where : str
        The file, preset or argument the value came from (named in the message).

    Returns
    -------
    float, int, str, ndarray or None
        ``int`` for whole-number parameters, ``float`` for other scalars, a float ndarray for
        lists, the string for a choice, ``None`` for an unset optional parameter.

    Raises
    ------
    ScenarioError
        Naming ``where``, the key, the value and what is allowed (wrong type, non-finite, out of
        the allowed range, not a whole number, an empty or oversized array, an integer too large
        for a float).
    """
    def fail(shown: Any) -> ScenarioError:
        text = repr(shown)
        if len(text) > 80:
            text = text[:77] + "..."
        return ScenarioError(f"{where}: {spec.name} = {text}: expected {spec.allowed()}")

    if value is None and spec.optional:
        return None
    if spec.type == "str":
        if not isinstance(value, str) or value not in spec.choices:
            raise fail(value)
        return value
    if isinstance(value, (list, tuple, np.ndarray)):
        try:
            arr = np.asarray(value)
            if arr.dtype == object:  # e.g. integers beyond int64, ragged lists
                arr = np.asarray(value, dtype=float)
        except (ValueError, TypeError, OverflowError):
            raise fail(value) from None
        if arr.size == 0 or arr.size > MAX_ARRAY_ELEMENTS:
            raise ScenarioError(
                f"{where}: {spec.name}: array of {arr.size} elements; allowed 1 to {MAX_ARRAY_ELEMENTS}")
        if arr.dtype == bool or arr.dtype.kind not in "iuf":
            raise fail(value)
        arr = arr.astype(float)
        bad = ~np.isfinite(arr)
        if spec.min is not None:
            bad |= arr < spec.min
        if spec.max is not None:
            bad |= arr > spec.max
        if spec.type == "int":
            bad |= arr != np.round(arr)
        if bad.any():
            raise fail(float(arr[bad][0]) if arr.ndim else float(arr))
        return arr
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise fail(value)
    try:
        x = float(value)
    except OverflowError:  # an integer beyond the float range
        raise fail(value) from None
    if not math.isfinite(x):
        raise fail(value)
    if (spec.min is not None and x < spec.min) or (spec.max is not None and x > spec.max):
        raise fail(value)
    if spec.type == "int":
        if x != round(x):
            raise fail(value)
        return int(round(x))
    return x


def plausibility_warning(spec: ParamSpec, value: Any, where: str) -> str | None:
    """One line when a value lies far outside the parameter's plausible range, else None.

    Parameters
    ----------
    spec : ParamSpec
        The parameter's library entry (``low``/``high`` give the plausible range).
    value : Any
        A validated value (scalar or array; strings and unset values never warn).
    where : str
        Where the value came from.

    Returns
    -------
    str or None
        ``"{where}: {key} = {value} is far outside the plausible range [low, high] unit (...)"``
        for the first offending element, or None.

    Notes
    -----
    "Far" uses :data:`PLAUSIBLE_FACTOR` ``F``: for a positive range beyond ``[low / F, high F]``;
    otherwise more than ``(F - 1) (high - low)`` beyond either end.
    """
    if not spec.is_numeric or value is None or spec.low is None or spec.high is None:
        return None
    x = np.asarray(value, dtype=float)
    low, high = float(spec.low), float(spec.high)
    if low > 0:
        lo, hi = low / PLAUSIBLE_FACTOR, high * PLAUSIBLE_FACTOR
    else:
        width = (high - low) * (PLAUSIBLE_FACTOR - 1.0)
        lo, hi = low - width, high + width
    bad = (x < lo) | (x > hi)
    if not np.any(bad):
        return None
    first = float(x[bad].flat[0]) if x.ndim else float(x)
    return (f"{where}: {spec.name} = {first:g} is far outside the plausible range {spec.plausible()} "
            f"(check the unit; allowed {spec.allowed()})")


# ----------------------------------------------------------------------------- stated uncertainty

#: Keys of one ``[uncertainty.NAME]`` table in a scenario.
UNCERTAINTY_KEYS = ("distribution", "low", "high", "mode", "correlations")
#: Distributions whose ``low``/``high`` are bounds (the others: P5/P95).
BOUNDED_DISTRIBUTIONS = ("uniform", "triangular", "loguniform")


@dataclass(frozen=True)
class StatedUncertainty:
    """A scenario's own statement of one parameter's uncertainty (``[uncertainty.NAME]``).

    ``low``/``high`` mean what they mean in the library: bounds for uniform, triangular and
    loguniform, the 5th/95th percentiles for normal and lognormal. ``mode`` (triangular only) is
    None when the scenario's value is the mode. ``distribution`` is None when the table states
    only ``correlations`` (the library's distribution is kept); ``"fixed"`` says "do not sample".
    ``correlations`` are Spearman rank correlations with other parameters.
    """

    name: str
    distribution: str | None = None
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    correlations: Mapping[str, float] = field(default_factory=dict)

    def to_table(self) -> dict[str, Any]:
        """The TOML table that states this uncertainty (keys in :data:`UNCERTAINTY_KEYS` order).

        Returns
        -------
        dict
        """
        out: dict[str, Any] = {}
        for key in UNCERTAINTY_KEYS[:-1]:
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.correlations:
            out["correlations"] = dict(self.correlations)
        return out


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        return None
    try:
        x = float(value)
    except OverflowError:
        return None
    return x if math.isfinite(x) else None


def check_uncertainty(spec: ParamSpec, table: Any, where: str,
                      library: Mapping[str, ParamSpec] | None = None) -> StatedUncertainty:
    """Validate one ``[uncertainty.NAME]`` table of a scenario.

    Parameters
    ----------
    spec : ParamSpec
        The parameter's library entry (must be numeric).
    table : mapping
        ``distribution`` (one of :data:`DISTRIBUTIONS`), ``low``/``high`` (bounds for uniform,
        triangular, loguniform; P5/P95 for normal, lognormal), optional ``mode`` (triangular) and
        optional ``correlations = {other = rho}`` (Spearman, in [-1, 1]). A table with only
        ``correlations`` keeps the library's distribution; ``distribution = "fixed"`` takes no
        bounds and means "not sampled".
    where : str
        The file or argument it came from (named in messages).
    library : mapping, optional
        Names the correlations may refer to (default: any name is checked by the caller).

    Returns
    -------
    StatedUncertainty

    Raises
    ------
    ScenarioError
        One message naming ``where``, the key (``uncertainty.NAME.KEY``), the value and what is
        allowed: a non-numeric parameter, unknown keys, an unknown distribution, missing or
        non-finite bounds, ``low >= high``, bounds outside the allowed range, non-positive bounds
        of a log distribution, a mode outside the bounds, a bad correlation.
    """
    key = f"uncertainty.{spec.name}"
    if not spec.is_numeric:
        raise ScenarioError(f"{where}: {key}: {spec.name} is a model choice ({spec.allowed()}); "
                            f"only numeric parameters take a distribution")
    if not isinstance(table, Mapping):
        raise ScenarioError(f"{where}: {key} = {table!r}: expected a table with distribution, low, high "
                            f"(and optionally mode, correlations)")
    unknown = sorted(set(table) - set(UNCERTAINTY_KEYS))
    if unknown:
        raise ScenarioError(f"{where}: {key}: unknown key {unknown[0]!r}; allowed: {', '.join(UNCERTAINTY_KEYS)}")
    dist = table.get("distribution")
    correlations = _check_correlations(spec, table.get("correlations", {}), where, library)
    if dist is None:
        extra = sorted(set(table) - {"correlations"})
        if extra or not correlations:
            raise ScenarioError(f"{where}: {key}: no distribution; expected distribution = one of "
                                f"{', '.join(repr(d) for d in DISTRIBUTIONS)} (a table without one may "
                                f"state only correlations)")
        return StatedUncertainty(spec.name, correlations=correlations)
    if dist not in DISTRIBUTIONS:
        raise ScenarioError(f"{where}: {key}.distribution = {dist!r}: expected one of "
                            f"{', '.join(repr(d) for d in DISTRIBUTIONS)}")
    if dist == "fixed":
        extra = sorted(set(table) - {"distribution"})
        if extra:
            raise ScenarioError(f"{where}: {key}.{extra[0]}: a fixed parameter takes no {extra[0]}")
        return StatedUncertainty(spec.name, "fixed")
    bounds = {}
    lo_allowed = -math.inf if spec.min is None else float(spec.min)
    hi_allowed = math.inf if spec.max is None else float(spec.max)
    meaning = "bound" if dist in BOUNDED_DISTRIBUTIONS else "percentile (P5/P95)"
    for end in ("low", "high"):
        if end not in table:
            raise ScenarioError(f"{where}: {key}: {dist} needs low and high ({meaning}s); {end} is missing")
        x = _number(table[end])
        if x is None:
            raise ScenarioError(f"{where}: {key}.{end} = {table[end]!r}: expected a finite number")
        if not lo_allowed <= x <= hi_allowed:
            raise ScenarioError(f"{where}: {key}.{end} = {x:g}: outside the allowed range of {spec.name}; "
                                f"expected {spec.allowed()}")
        if dist in ("loguniform", "lognormal") and x <= 0:
            raise ScenarioError(f"{where}: {key}.{end} = {x:g}: a {dist} needs positive low and high")
        bounds[end] = x
    if not bounds["low"] < bounds["high"]:
        raise ScenarioError(f"{where}: {key}: low = {bounds['low']:g} >= high = {bounds['high']:g}; "
                            f"expected low < high")
    mode = None
    if "mode" in table:
        if dist != "triangular":
            raise ScenarioError(f"{where}: {key}.mode: only a triangular takes a mode (this is {dist})")
        mode = _number(table["mode"])
        if mode is None or not bounds["low"] <= mode <= bounds["high"]:
            raise ScenarioError(f"{where}: {key}.mode = {table['mode']!r}: expected a number in "
                                f"[low, high] = [{bounds['low']:g}, {bounds['high']:g}]")
    return StatedUncertainty(spec.name, dist, bounds["low"], bounds["high"], mode, correlations)


def _check_correlations(spec: ParamSpec, raw: Any, where: str,
                        library: Mapping[str, ParamSpec] | None) -> dict[str, float]:
    key = f"uncertainty.{spec.name}.correlations"
    if not isinstance(raw, Mapping):
        raise ScenarioError(f"{where}: {key} = {raw!r}: expected a table {{other_parameter = rho}}")
    out = {}
    for other, rho in raw.items():
        if other == spec.name:
            raise ScenarioError(f"{where}: {key}.{other}: a parameter cannot be correlated with itself")
        if library is not None and (other not in library or not library[other].is_numeric):
            raise ScenarioError(f"{where}: {key}.{other}: unknown or non-numeric parameter {other!r}")
        r = _number(rho)
        if r is None or not -1.0 <= r <= 1.0:
            raise ScenarioError(f"{where}: {key}.{other} = {rho!r}: expected a Spearman rank correlation in [-1, 1]")
        out[str(other)] = r
    return out


def correlation_pairs(tables: Mapping[str, Mapping[str, float]], where: str) -> dict[tuple[str, str], float]:
    """Symmetric pairs from per-parameter ``correlations`` tables (``a: {b: rho}``).

    Parameters
    ----------
    tables : mapping
        Parameter -> {other parameter -> Spearman rho}.
    where : str
        Named in messages.

    Returns
    -------
    dict
        ``(a, b) -> rho`` with ``a < b``.

    Raises
    ------
    ScenarioError
        A pair stated twice with different values.
    """
    pairs: dict[tuple[str, str], float] = {}
    for a, table in tables.items():
        for b, rho in table.items():
            pair = (a, b) if a < b else (b, a)
            if pair in pairs and pairs[pair] != float(rho):
                raise ScenarioError(f"{where}: correlation {pair[0]}-{pair[1]} stated twice with different "
                                    f"values ({pairs[pair]:g}, {float(rho):g})")
            pairs[pair] = float(rho)
    return pairs


def copula_correlation(names: list[str], pairs: Mapping[tuple[str, str], float], where: str) -> np.ndarray:
    """Gaussian-copula (Pearson) correlation matrix of ``names`` from Spearman pairs, checked.

    Parameters
    ----------
    names : list of str
        The correlated parameters, in matrix order.
    pairs : mapping
        ``(a, b) -> rho_s`` (Spearman); pairs naming a parameter outside ``names`` are ignored.
    where : str
        Named in messages.

    Returns
    -------
    ndarray
        ``R`` with ``R_ij = 2 sin(pi rho_s / 6)`` (1 on the diagonal).

    Raises
    ------
    ScenarioError
        The matrix is not positive semi-definite (smallest eigenvalue below ``-1e-10``): the
        stated correlations cannot hold together.

    Notes
    -----
    The Gaussian copula with Pearson correlation ``r = 2 sin(pi rho_s / 6)`` has Spearman's rho
    exactly ``rho_s``.

    References
    ----------
    .. [1] R. B. Nelsen, *An Introduction to Copulas*, 2nd ed., Springer (2006), sec. 5.1.3.
    """
    index = {n: i for i, n in enumerate(names)}
    rho = np.eye(len(names))
    for (a, b), r in pairs.items():
        if a in index and b in index:
            rho[index[a], index[b]] = rho[index[b], index[a]] = r
    pearson = 2.0 * np.sin(np.pi * rho / 6.0)
    np.fill_diagonal(pearson, 1.0)
    smallest = float(np.linalg.eigvalsh(pearson).min()) if len(names) else 1.0
    if smallest < -1e-10:
        stated = ", ".join(f"{a}:{b} = {r:g}" for (a, b), r in pairs.items() if a in index and b in index)
        raise ScenarioError(f"{where}: the correlations {stated} cannot hold together (their matrix is not "
                            f"positive semi-definite; smallest eigenvalue {smallest:.3g}); weaken some of them")
    return pearson
