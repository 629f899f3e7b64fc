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

__all__ = ["DISTRIBUTIONS", "MAX_ARRAY_ELEMENTS", "PLAUSIBLE_FACTOR", "ROLES", "ParamSpec", "check_value",
           "plausibility_warning"]

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
