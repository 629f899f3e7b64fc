"""Request and response models of the JSON API, and the caps that bound each request's work.

The request models are the contract: the OpenAPI schema generated from them says exactly which
bodies are accepted. Every override is typed from the parameter library (number or integer
within the allowed ``[min, max]``, or one of the choices), ``params`` lists only uncertain
parameters, and break-even bounds are checked per parameter (one schema variant per numeric
parameter, chosen by ``parameter``). What JSON Schema cannot state is said in the descriptions:
both ``low`` and ``high`` given must satisfy ``low < high``, and a combination of valid inputs
may still be physically impossible; both answer 422 with ``detail[].type`` ``range_order`` or
``model_error`` (see :data:`SEMANTIC_ERRORS`).

Cost model
----------
A request's memory is the largest vectorized evaluation it causes: ``rows`` scenarios at
:data:`ROW_BYTES` each (the bottom-up chain, the heaviest, measured). Every cap below keeps
``rows <= ROW_BUDGET`` for any accepted request:

* Monte Carlo: chunks of :data:`MC_CHUNK` rows; ``samples`` bounds only the time.
* Sobol: ``N (k + 2)`` rows in one call, ``k`` at most every uncertain parameter, so
  ``N <= ROW_BUDGET / (k_max + 2)`` (rounded down to a power of two: a balanced Sobol' design).
* Explain: ``2^k`` coalitions (exact up to :data:`EXPLAIN_EXACT_LIMIT` players) or
  ``permutations (k + 1)`` rows when sampled; the permutations used are at most
  ``ROW_BUDGET / (k + 1)`` (:func:`explain_permutations`; the answer reports the number used).
* Break-even: a 2,049-point scan plus :data:`MAX_CURVE_POINTS` curve points.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional, Union

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag, create_model,
                      field_validator, model_validator)

from orbitaldc import __version__
from orbitaldc.compare import BREAKEVEN_METRICS, DEFAULT_BREAKEVEN_METRIC, METRIC_ALIASES, metric_names
from orbitaldc.explain import DEFAULT_PERMUTATIONS as _LIBRARY_PERMUTATIONS
from orbitaldc.params import ParamSpec, list_presets, load_library

#: Package version (from the installed distribution's metadata, never written twice).
VERSION = __version__

# ----------------------------------------------------------------------------- cost model, caps
#: Most scenario rows one request may evaluate in a single vectorized call.
ROW_BUDGET = 2**16
#: Peak memory per evaluated row of the bottom-up chain [bytes]: 550 MB peak for a 32,768-row
#: Monte Carlo chunk and 956 MB for a 58,368-row Sobol design (jpl-1mw-2026-bottom-up), i.e.
#: 15-17 kB per row; the whole-satellite chain needs about a tenth of that.
ROW_BYTES = 16 * 1024
#: Address space of an interpreter with the model imported [bytes] (VmSize 470-550 MB measured).
BASE_BYTES = 600 * 1024**2
#: Address-space limit of each worker process [bytes]: the base plus a full row budget, rounded up
#: to whole GiB (2 GiB; a 63,488-row Sobol request peaked at 1.44 GB of address space, measured).
WORKER_MEMORY_BYTES = -(-(BASE_BYTES + ROW_BUDGET * ROW_BYTES) // 2**30) * 2**30
#: Largest request body [bytes]; larger answers 413.
MAX_BODY_BYTES = 64 * 1024
#: Most Monte Carlo samples per request (about 3.5 s on one core for the bottom-up chain).
MAX_MC_SAMPLES = 100_000
#: Rows per vectorized Monte Carlo chunk.
MC_CHUNK = 2**15
#: Most points of the cost-versus-parameter curve returned with a break-even.
MAX_CURVE_POINTS = 400
#: Bins of the Monte Carlo cost-ratio histogram.
HISTOGRAM_BINS = 40
#: Largest seed: every integer up to it is exact in a float64 (JSON numbers in JavaScript).
MAX_SEED = 2**53 - 1
#: Largest integer accepted for a numeric override (exact in float64).
_MAX_INT = 2**53

_LIBRARY = load_library()
_PRESETS = tuple(list_presets())
#: Parameters with a distribution (the only ones Monte Carlo and sensitivity may sample).
UNCERTAIN = tuple(n for n, s in _LIBRARY.items() if s.is_numeric and s.distribution != "fixed")
NUMERIC = tuple(n for n, s in _LIBRARY.items() if s.is_numeric)
DEFAULT_PRESET = "mccalip-2025-12" if "mccalip-2025-12" in _PRESETS else _PRESETS[0]
#: Players up to which explain computes all ``2^k`` coalitions (``2^16 = ROW_BUDGET``).
EXPLAIN_EXACT_LIMIT = ROW_BUDGET.bit_length() - 1


def sobol_rows(n: int, k: int) -> int:
    """Rows of a Sobol analysis (Saltelli design without second order).

    Parameters
    ----------
    n : int
        Base sample size ``N``.
    k : int
        Number of inputs.

    Returns
    -------
    int
        ``N (k + 2)``.

    References
    ----------
    .. [1] A. Saltelli et al., Comput. Phys. Commun. 181, 259-270 (2010), section 3.
    """
    return n * (k + 2)


def explain_rows(players: int, permutations: int) -> int:
    """Rows of the largest evaluation of an explain request.

    Parameters
    ----------
    players : int
        Parameters that differ between the two scenarios.
    permutations : int
        Sampled orders (used only above :data:`EXPLAIN_EXACT_LIMIT` players).

    Returns
    -------
    int
        ``2^k`` coalitions when exact, else ``permutations (k + 1)``; at least the inertness
        test's ``132 k`` rows (2 x (2 + 2 x 32) coalitions per player).

    References
    ----------
    .. [1] J. Castro, D. Gomez, J. Tejada, Computers & Operations Research 36, 1726-1730 (2009).
    """
    solve = 2**players if players <= EXPLAIN_EXACT_LIMIT else permutations * (players + 1)
    return max(solve, 132 * players)


def explain_permutations(players: int, requested: int) -> int:
    """Permutations an explain request may use within :data:`ROW_BUDGET`.

    Parameters
    ----------
    players : int
        Parameters that differ between the two scenarios.
    requested : int
        Permutations asked for.

    Returns
    -------
    int
        ``min(requested, ROW_BUDGET // (players + 1))`` rounded down to an even number (the
        sampler draws antithetic pairs), at least 2.

    References
    ----------
    .. [1] Castro et al. (2009), see :func:`explain_rows`.
    """
    cap = ROW_BUDGET // (players + 1)
    return max(2, min(requested, cap) // 2 * 2)


def _pow2_floor(x: int) -> int:
    return 1 << (x.bit_length() - 1)


#: Largest Sobol base sample: a power of two with ``N (k_max + 2) <= ROW_BUDGET``.
MAX_SOBOL_SAMPLES = _pow2_floor(ROW_BUDGET // (len(UNCERTAIN) + 2))
#: Most permutations an explain request may ask for: sampling starts above the exact limit,
#: where ``k + 1 >= EXPLAIN_EXACT_LIMIT + 2``.
MAX_PERMUTATIONS = ROW_BUDGET // (EXPLAIN_EXACT_LIMIT + 2)
#: Default permutations (the library's default, within the cap).
DEFAULT_PERMUTATIONS = min(_LIBRARY_PERMUTATIONS, MAX_PERMUTATIONS)

#: ``detail[].type`` of the 422 answers given to schema-valid requests: ``model_error`` (the
#: model cannot evaluate this combination of valid inputs) and ``range_order`` (both ends of a
#: range given, the low one not below the high one).
SEMANTIC_ERRORS = ("model_error", "range_order")

# ----------------------------------------------------------------------------- field types
def _integral(value: Any) -> Any:
    """JSON Schema counts 7.0 as an integer; pass it on as 7 (strict int refuses floats)."""
    if isinstance(value, float) and value.is_integer() and abs(value) <= _MAX_INT:
        return int(value)
    return value


def Integer(ge: float | None = None, le: float | None = None, **bounds: Any) -> Any:  # noqa: N802 (a type)
    """A JSON integer (7 or 7.0, never "7" or true) within the given bounds.

    Parameters
    ----------
    ge, le : float, optional
        Inclusive bounds.
    **bounds
        Other pydantic bounds (``gt``, ``lt``).

    Returns
    -------
    type
        An annotated ``int`` for a pydantic field.

    References
    ----------
    .. [1] JSON Schema Validation, section 6.1.1: "integer" matches any number with a zero
       fractional part.
    """
    return Annotated[int, Field(strict=True, ge=ge, le=le, **bounds), BeforeValidator(_integral)]


PresetName = Literal[_PRESETS]  # type: ignore[valid-type]
UncertainParam = Literal[UNCERTAIN]  # type: ignore[valid-type]
MetricName = Literal[tuple(metric_names() + list(METRIC_ALIASES))]  # type: ignore[valid-type]
Seed = Integer(0, MAX_SEED)


def _no_default(schema: dict[str, Any]) -> None:
    """Drop ``default: null`` from an optional, non-nullable property (absent means unset)."""
    schema.pop("default", None)


def _number(spec: ParamSpec, *, lower: str = "ge", upper: str = "le") -> Any:
    """The JSON type of one numeric parameter: finite, within its allowed range."""
    bounds = {lower: spec.min, upper: spec.max}
    if spec.type == "int":
        return Integer(**bounds)
    return Annotated[float, Field(strict=True, allow_inf_nan=False, **bounds)]


def _describe(spec: ParamSpec) -> str:
    unit = f" [{spec.unit}]" if spec.unit not in ("", "1") else ""
    return f"{spec.allowed()}{unit}; library default {spec.value!r}"


def _override_field(spec: ParamSpec) -> tuple[Any, Any]:
    kind = Literal[spec.choices] if spec.type == "str" else _number(spec)  # type: ignore[valid-type]
    return kind, Field(None, description=_describe(spec), json_schema_extra=_no_default)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _OverridesBase(_Strict):
    def values(self) -> dict[str, Any]:
        """The overrides given (parameter -> value), in library order."""
        return self.model_dump(exclude_unset=True)


#: Parameter -> value in the library's units; one optional property per library parameter.
Overrides = create_model(
    "Overrides", __base__=_OverridesBase, __module__=__name__,
    **{name: _override_field(spec) for name, spec in _LIBRARY.items()})
Overrides.__doc__ = ("Parameter -> value in the library's SI units (GET /api/params), each checked against "
                     "its allowed range; e.g. {\"launch_cost_usd_per_kg\": 200}.")


class ScenarioRequest(_Strict):
    """A scenario: a shipped preset plus overrides (parameter -> value, in the library's units)."""

    preset: PresetName = Field(DEFAULT_PRESET, description="Preset to start from (GET /api/presets).")
    overrides: Overrides = Field(default_factory=Overrides,  # type: ignore[valid-type]
                                 json_schema_extra={"example": {"launch_cost_usd_per_kg": 200.0}})

    def payload(self) -> dict[str, Any]:
        """Plain data for :mod:`orbitaldc.web.services` (picklable, no pydantic types).

        Returns
        -------
        dict
            The fields, with ``overrides`` as the dict of the overrides given.

        References
        ----------
        .. [1] :func:`orbitaldc.web.services.run_task`.
        """
        out = self.model_dump(exclude={"overrides"})
        out["overrides"] = self.overrides.values()
        return out


# ----------------------------------------------------------------------------- break-even
def _compact(schema: dict[str, Any]) -> None:
    """Keep the 129 break-even variants small: fields are described once, in the route's description."""
    for prop in schema.get("properties", {}).values():
        for key in ("title", "description", "example"):
            prop.pop(key, None)


class _BreakevenBase(ScenarioRequest):
    """Fields every break-even variant shares."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_compact)

    curve_points: Integer(0, MAX_CURVE_POINTS) = Field(  # type: ignore[valid-type]
        0, description="Points of total cost versus the parameter to return (0: none).")
    metric: Literal[tuple(BREAKEVEN_METRICS)] = Field(  # type: ignore[valid-type]
        DEFAULT_BREAKEVEN_METRIC, description="What is equated on both sides (default the headline, LCOC).")

    @model_validator(mode="after")
    def _ordered(self) -> "_BreakevenBase":
        for a, b in (("low", "high"), ("curve_low", "curve_high")):
            lo, hi = getattr(self, a), getattr(self, b)
            if lo is not None and hi is not None and not lo < hi:
                from pydantic_core import PydanticCustomError

                raise PydanticCustomError("range_order", f"{a} = {lo!r} must be below {b} = {hi!r}")
        return self


#: What every break-even variant accepts (the route's description; JSON Schema cannot say ``low < high``).
BREAKEVEN_FIELDS = (
    "Fields: `parameter` (numeric parameter to solve for, default launch_cost_usd_per_kg), `metric` (what is "
    "equated: total_cost, cost_per_watt, lcoe or lcoc, the default), `low`/`high` "
    "(search range, default the allowed range), `curve_points` (points of total cost versus the parameter, "
    "0: none), `curve_low`/`curve_high` (curve range, default the plausible range widened to show the "
    "scenario's value and the break-even). Each bound lies in the parameter's allowed range; when both ends "
    "of a range are given the low one must be below the high one (else 422 `range_order`).")


def _breakeven_variant(name: str, spec: ParamSpec) -> type[BaseModel]:
    optional = {"default": None, "json_schema_extra": _no_default}
    default = name if name == "launch_cost_usd_per_kg" else ...  # the default variant needs no tag
    tag = (Literal[name], Field(default, description="Numeric parameter to solve for."))
    return create_model(
        f"Breakeven_{name}", __base__=_BreakevenBase, __module__=__name__,
        __doc__=f"Break-even of {name}.",
        parameter=tag,
        low=(_number(spec, upper="lt"), Field(description="Lower end of the search (default: allowed minimum).",
                                              **optional)),
        high=(_number(spec, lower="gt"), Field(description="Upper end of the search (default: allowed maximum).",
                                               **optional)),
        curve_low=(_number(spec, upper="lt"), Field(description="Curve start (default: plausible low).", **optional)),
        curve_high=(_number(spec, lower="gt"), Field(description="Curve end (default: plausible high).", **optional)),
    )


_BREAKEVEN_VARIANTS = {name: _breakeven_variant(name, _LIBRARY[name]) for name in NUMERIC}


def _breakeven_tag(value: Any) -> Any:
    if isinstance(value, dict):
        return value.get("parameter", "launch_cost_usd_per_kg")
    return getattr(value, "parameter", None)


#: Break-even request: one variant per numeric parameter (its own allowed range for the bounds).
BreakevenRequest = Annotated[
    Union[tuple(Annotated[model, Tag(name)] for name, model in _BREAKEVEN_VARIANTS.items())],  # type: ignore[misc]
    Discriminator(_breakeven_tag, custom_error_type="parameter_invalid",
                  custom_error_message="expected a numeric library parameter (GET /api/params)"),
]


# ----------------------------------------------------------------------------- analyses
class MonteCarloRequest(ScenarioRequest):
    """Monte Carlo over the library's distributions around the scenario."""

    samples: Integer(1, MAX_MC_SAMPLES) = Field(2000, description="Number of samples.")  # type: ignore[valid-type]
    seed: Optional[Seed] = Field(0, description="Random seed (null: a fresh one, reported in the answer).")
    params: Optional[list[UncertainParam]] = Field(  # type: ignore[valid-type]
        None, min_length=1, max_length=len(UNCERTAIN),
        description="Sample only these uncertain parameters (default: all outside study groups).")


class SensitivityRequest(ScenarioRequest):
    """Tornado (one at a time) or Sobol indices of one metric."""

    method: Literal["tornado", "sobol"] = "tornado"
    metric: MetricName = Field("cost_ratio", description="Result to analyse (dotted name or alias).")
    samples: Integer(2, MAX_SOBOL_SAMPLES) = Field(  # type: ignore[valid-type]
        256, description="Sobol base sample size N (N (k + 2) evaluations); unused by tornado.")
    seed: Seed = Field(0, description="Seed of the Sobol design; unused by tornado.")
    params: Optional[list[UncertainParam]] = Field(  # type: ignore[valid-type]
        None, min_length=1, max_length=len(UNCERTAIN), description="Vary only these uncertain parameters.")


def _utf8(value: Optional[str]) -> Optional[str]:
    """Refuse lone surrogates (JSON escapes such as \\ud800): not Unicode text, not writable as TOML."""
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("not valid Unicode text (a lone surrogate escape)") from None
    return value


class TomlRequest(ScenarioRequest):
    """Write the scenario as a TOML file that ``orbitaldc run FILE`` accepts."""

    name: Optional[str] = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
                                description="Scenario name (default: the preset's).")
    description: Optional[str] = Field(None, max_length=500, pattern=r"^[^\x00-\x1f\x7f]*$",
                                       description="One line of text (no control characters).")

    _valid_text = field_validator("description")(_utf8)


class ExplainRequest(_Strict):
    """Attribute ``metric(b) - metric(a)`` to the parameters that differ (Shapley values)."""

    a: ScenarioRequest = Field(..., description="Scenario A (the reference).")
    b: ScenarioRequest = Field(..., description="Scenario B.")
    metric: MetricName = Field("orbital.total_cost_usd", description="Result to attribute.")
    normalize: bool = Field(False, strict=True, description="Give B the power and years of A first.")
    permutations: Integer(2, MAX_PERMUTATIONS) = Field(  # type: ignore[valid-type]
        DEFAULT_PERMUTATIONS,
        description=f"Sampled orders when more than {EXPLAIN_EXACT_LIMIT} parameters differ; at most "
                    f"{ROW_BUDGET} / (players + 1) are used (memory bound), reported as `permutations`.")
    seed: Seed = 0

    def payload(self) -> dict[str, Any]:
        """Plain data for :func:`orbitaldc.web.services.explain_json` (see :meth:`ScenarioRequest.payload`).

        Returns
        -------
        dict

        References
        ----------
        .. [1] :func:`orbitaldc.web.services.run_task`.
        """
        out = self.model_dump(exclude={"a", "b"})
        out["a"], out["b"] = self.a.payload(), self.b.payload()
        return out


# ----------------------------------------------------------------------------- responses
Number = Optional[float]  # NaN and infinities are answered as null


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorItem(BaseModel):
    loc: list[Union[str, int]] = Field(..., description="Where: body, then the field path.")
    msg: str
    type: str = Field(..., description=f"Error code; {', '.join(SEMANTIC_ERRORS)} for schema-valid requests.")


class ErrorResponse(BaseModel):
    detail: Union[str, list[ErrorItem]] = Field(..., description="A message, or items naming the field.")


class PresetInfo(BaseModel):
    title: str
    description: str
    reference: str


class PresetsResponse(BaseModel):
    default: str
    presets: dict[str, PresetInfo]
    version: str = Field(..., description="orbitaldc's version (the installed package's metadata).")


class ParamInfo(_Open):
    value: Any
    default: Any
    unit: str
    type: Literal["float", "int", "str"]
    min: Number
    max: Number
    low: Number
    high: Number
    distribution: str
    choices: list[str]
    optional: bool
    source: str


class ParamsResponse(BaseModel):
    preset: str
    params: dict[str, ParamInfo]


class EvaluateResponse(_Open):
    scenario: Optional[str]
    orbital: dict[str, Any]
    terrestrial: dict[str, Any]
    orbital_to_terrestrial_cost_ratio: Number
    orbital_to_terrestrial_lcoc_ratio: Number
    breakdown: dict[str, dict[str, Number]]


class Curve(BaseModel):
    x: list[float]
    orbital_total_cost_usd: list[Number]
    terrestrial_total_cost_usd: list[Number]


class BreakevenResponse(_Open):
    parameter: str
    unit: str
    metric: str = Field(..., description="What is equated on both sides (total_cost, cost_per_watt, lcoe, lcoc).")
    status: Literal["solved", "orbit_dearer", "orbit_cheaper"]
    value: Number = Field(..., description="null when no value in the range closes the gap (see status, text).")
    bracket: list[float] = Field(..., description="The searched range [low, high].")
    current_value: Number = Field(..., description="The scenario's value (null for an unset optional one).")
    orbital_now: Number
    terrestrial_now: Number
    at_value: Number = Field(..., description="Where orbital_at/terrestrial_at were evaluated.")
    orbital_at: Number
    terrestrial_at: Number
    hardware_at: Number
    residual_gap: Number
    crossings: int
    reason: Literal["solved", "no_crossing", "hardware_exceeds_ground", "cheaper_everywhere"]
    text: str = Field(..., description="The result in words.")
    curve: Optional[Curve] = None


class Histogram(BaseModel):
    edges: list[float]
    counts: list[int]


class MonteCarloResponse(_Open):
    scenario: str
    samples: int
    seed: int
    probability_orbital_cheaper: float
    probability_orbital_cheaper_lcoc: float
    percentiles: dict[str, dict[str, Number]]
    means: dict[str, Number]
    cost_ratio_histogram: Optional[Histogram] = None


class TornadoBarResponse(_Open):
    parameter: str
    low: Number
    high: Number
    metric_at_low: Number
    metric_at_high: Number


class TornadoResponse(_Open):
    method: Literal["tornado"]
    metric: str
    base: Number
    bars: list[TornadoBarResponse]


class SobolResponse(_Open):
    method: Literal["sobol"]
    metric: str
    samples: int
    evaluations: int
    seed: int
    indices: dict[str, dict[str, Number]]


SensitivityResponse = Annotated[Union[TornadoResponse, SobolResponse], Field(discriminator="method")]


class ExplainResponse(_Open):
    metric: str
    scenario_a: str
    scenario_b: str
    value_a: float
    value_b: float
    difference: float
    contributions: dict[str, float]
    standard_errors: dict[str, Number]
    method: Literal["exact", "sampled"]
    permutations: Optional[int] = Field(..., description="Orders sampled (null when exact).")
    permutations_requested: int
    inert: list[str]
