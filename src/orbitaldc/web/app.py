"""FastAPI app: the JSON API under ``/api`` and the interactive page at ``/``.

Interface layer only: requests are validated here (pydantic models with ``extra="forbid"``,
finite numbers, the library's allowed ranges), then :mod:`orbitaldc.compare` and
:mod:`orbitaldc.uncertainty` and :mod:`orbitaldc.explain` do the work. Safe to expose:

* no file paths are accepted (a scenario is a shipped preset plus validated overrides);
* request bodies are capped (413), sample and point counts are capped (422);
* every computation runs in a small thread pool with a wall-clock bound (503 when exceeded);
* user errors (:class:`~orbitaldc.errors.OrbitaldcError`, bad JSON, wrong types, out-of-range or
  non-finite values) answer 422 with the offending field named; a 500 means a bug.

Routes
------
``GET /api/presets``, ``GET /api/params``, ``POST /api/evaluate``, ``POST /api/breakeven``,
``POST /api/montecarlo``, ``POST /api/sensitivity``, ``POST /api/explain``, ``POST /api/toml``; the OpenAPI schema is
at ``/openapi.json``. The page (``/``) and Plotly (``/vendor/plotly.min.js``, served from the
installed ``plotly`` package) need no internet.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, Union

import numpy as np
from fastapi import FastAPI, Query
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from orbitaldc.cli.output import jsonable
from orbitaldc.compare import METRIC_ALIASES, breakeven, cost_curve, evaluate_values, metric_names
from orbitaldc.formatting import breakeven_text
from orbitaldc.systems.breakdown import COST_PARTS, cost_breakdown
from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import Scenario, list_presets, load_library, load_scenario

STATIC_DIR = Path(__file__).parent / "static"

# ----------------------------------------------------------------------------- limits
#: Largest request body accepted [bytes]; larger answers 413.
MAX_BODY_BYTES = 64 * 1024
#: Most overrides one request may carry (the library has fewer parameters).
MAX_OVERRIDES = 200
#: Most Monte Carlo samples per request (about 0.5 s on one core).
MAX_MC_SAMPLES = 100_000
#: Largest Sobol base sample N per request (N (k + 2) evaluations).
MAX_SOBOL_SAMPLES = 1024
#: Most points of the cost-versus-parameter curve returned with a break-even.
MAX_CURVE_POINTS = 400
#: Most sampled permutations of an explain request (beyond its exact limit).
MAX_PERMUTATIONS = 10_000
#: Bins of the Monte Carlo cost-ratio histogram.
HISTOGRAM_BINS = 40
#: Wall-clock bound on one computation, queueing included [s]; beyond it the answer is 503.
TIME_LIMIT_S = 10.0
#: Threads computing at once (further requests queue inside the time bound).
WORKERS = 2
#: Largest integer accepted in an override (exactly representable as float64).
_MAX_INT = 2**53

_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", _CSP.encode()),
]

# ----------------------------------------------------------------------------- request models
_PRESETS = tuple(list_presets())
_LIBRARY = load_library()
DEFAULT_PRESET = "mccalip-2025-12" if "mccalip-2025-12" in _PRESETS else _PRESETS[0]
PresetName = Literal[_PRESETS]  # type: ignore[valid-type]
NumericParam = Literal[tuple(n for n, s in _LIBRARY.items() if s.is_numeric)]  # type: ignore[valid-type]
MetricName = Literal[tuple(metric_names() + list(METRIC_ALIASES))]  # type: ignore[valid-type]
FiniteFloat = Annotated[float, Field(strict=True, allow_inf_nan=False)]
OverrideValue = Union[
    Annotated[int, Field(strict=True, ge=-_MAX_INT, le=_MAX_INT)],
    FiniteFloat,
    Annotated[str, Field(strict=True, max_length=64)],
]


@lru_cache(maxsize=64)
def _preset(name: str) -> Scenario:
    """A shipped preset, loaded once (``with_overrides`` returns copies, so sharing is safe)."""
    return load_scenario(name)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScenarioRequest(_Strict):
    """A scenario: a shipped preset plus overrides (parameter -> value, in the library's units)."""

    preset: PresetName = Field(DEFAULT_PRESET, description="Preset to start from (GET /api/presets).")
    overrides: dict[Annotated[str, Field(max_length=100)], OverrideValue] = Field(
        default_factory=dict, max_length=MAX_OVERRIDES,
        description="Parameter -> value in the library's SI units (GET /api/params), "
                    "e.g. {\"launch_cost_usd_per_kg\": 200}. Checked against the allowed range.",
        json_schema_extra={"example": {"launch_cost_usd_per_kg": 200.0}})

    @field_validator("overrides")
    @classmethod
    def _valid_overrides(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        preset = info.data.get("preset")
        if preset is not None:  # the preset itself failed validation otherwise
            _preset(preset).with_overrides(value, where="overrides")  # ScenarioError is a ValueError
        return value

    def scenario(self) -> Scenario:
        return _preset(self.preset).with_overrides(self.overrides, where="overrides")


class BreakevenRequest(ScenarioRequest):
    """Solve ``parameter`` so that orbital total cost equals terrestrial; optionally a cost curve."""

    parameter: NumericParam = Field("launch_cost_usd_per_kg", description="Numeric parameter to solve for.")
    low: Optional[FiniteFloat] = Field(None, description="Lower end of the search (default: allowed minimum).")
    high: Optional[FiniteFloat] = Field(None, description="Upper end of the search (default: allowed maximum).")
    curve_points: int = Field(0, ge=0, le=MAX_CURVE_POINTS, strict=True,
                              description="Points of total cost versus the parameter to return (0: none).")
    curve_low: Optional[FiniteFloat] = Field(None, description="Curve start (default: plausible low).")
    curve_high: Optional[FiniteFloat] = Field(None, description="Curve end (default: plausible high).")

    @model_validator(mode="after")
    def _ranges(self) -> "BreakevenRequest":
        spec = _LIBRARY[self.parameter]
        for field in ("low", "high", "curve_low", "curve_high"):
            x = getattr(self, field)
            if x is not None and ((spec.min is not None and x < spec.min) or (spec.max is not None and x > spec.max)):
                raise ValueError(f"{field} = {x!r}: expected {spec.allowed()} (allowed range of {self.parameter})")
        for a, b in (("low", "high"), ("curve_low", "curve_high")):
            lo, hi = getattr(self, a), getattr(self, b)
            if lo is not None and hi is not None and not lo < hi:
                raise ValueError(f"{a} = {lo!r} must be below {b} = {hi!r}")
        return self


class MonteCarloRequest(ScenarioRequest):
    """Monte Carlo over the library's distributions around the scenario."""

    samples: int = Field(2000, ge=1, le=MAX_MC_SAMPLES, strict=True, description="Number of samples.")
    seed: Optional[int] = Field(0, ge=0, le=2**63 - 1, strict=True, description="Random seed (null: fresh, reported).")
    params: Optional[list[NumericParam]] = Field(None, max_length=len(_LIBRARY),
                                                 description="Sample only these parameters (default: all uncertain).")


class SensitivityRequest(ScenarioRequest):
    """Tornado (one at a time) or Sobol indices of one metric."""

    method: Literal["tornado", "sobol"] = "tornado"
    metric: MetricName = Field("cost_ratio", description="Result to analyse (dotted name or alias).")
    samples: int = Field(256, ge=2, le=MAX_SOBOL_SAMPLES, strict=True, description="Sobol base sample size N.")
    seed: int = Field(0, ge=0, le=2**63 - 1, strict=True)
    params: Optional[list[NumericParam]] = Field(None, max_length=len(_LIBRARY))


class TomlRequest(ScenarioRequest):
    """Write the scenario as a TOML file that ``orbitaldc run FILE`` accepts."""

    name: Optional[str] = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
                                description="Scenario name (default: the preset's).")
    description: Optional[str] = Field(None, max_length=500, pattern=r"^[^\x00-\x1f\x7f]*$")


class ExplainRequest(_Strict):
    """Attribute ``metric(b) - metric(a)`` to the parameters that differ (Shapley values)."""

    a: ScenarioRequest = Field(..., description="Scenario A (the reference).")
    b: ScenarioRequest = Field(..., description="Scenario B.")
    metric: MetricName = Field("orbital.total_cost_usd", description="Result to attribute.")
    normalize: bool = Field(False, strict=True, description="Give B the power and years of A first.")
    permutations: int = Field(2000, ge=2, le=MAX_PERMUTATIONS, strict=True,
                              description="Sampled orders when too many parameters differ for the exact method.")
    seed: int = Field(0, ge=0, le=2**63 - 1, strict=True)


class ErrorResponse(BaseModel):
    detail: Any = Field(..., description="A message, or a list of {loc, msg, type} naming the offending field.")


class EvaluateResponse(BaseModel):
    scenario: Optional[str]
    orbital: dict[str, Any]
    terrestrial: dict[str, Any]
    orbital_to_terrestrial_cost_ratio: Optional[float]
    orbital_to_terrestrial_lcoc_ratio: Optional[float]
    breakdown: dict[str, dict[str, Optional[float]]]


_ERRORS = {
    413: {"model": ErrorResponse, "description": "Request body too large."},
    422: {"model": ErrorResponse, "description": "Invalid request; the message names the field."},
    503: {"model": ErrorResponse, "description": "Computation exceeded the time bound or the server is busy."},
}

# ----------------------------------------------------------------------------- computations
def evaluate_json(scenario: Scenario) -> dict[str, Any]:
    """The CLI's JSON contract (``orbitaldc run --format json``) plus the stacked breakdown."""
    c = evaluate_values(scenario.values, scenario)
    out = c.to_dict()
    out["breakdown"] = {side: cost_breakdown(side, getattr(c, side)) for side in COST_PARTS}
    return jsonable(out)


def breakeven_json(req: BreakevenRequest) -> dict[str, Any]:
    """Break-even on the full model, plus the total-cost curve of both sides if asked."""
    scenario = req.scenario()
    result = breakeven(scenario, req.parameter, low=req.low, high=req.high)
    out = result.to_dict()
    out["text"] = breakeven_text(result)
    if req.curve_points:
        curve = cost_curve(scenario, req.parameter, points=req.curve_points, low=req.curve_low,
                           high=req.curve_high, include=(result.value,))
        out["curve"] = {"x": curve.x, "orbital_total_cost_usd": curve.orbital,
                        "terrestrial_total_cost_usd": curve.terrestrial}
    return jsonable(out)


def montecarlo_json(req: MonteCarloRequest) -> dict[str, Any]:
    """Monte Carlo summary plus a histogram of the cost ratio (orbital / terrestrial)."""
    from orbitaldc.uncertainty import monte_carlo

    result = monte_carlo(req.scenario(), req.samples, req.seed, params=req.params, keep_values=True)
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


def sensitivity_json(req: SensitivityRequest) -> dict[str, Any]:
    from orbitaldc.uncertainty import sobol, tornado

    if req.method == "tornado":
        return jsonable(tornado(req.scenario(), req.metric, params=req.params).to_dict())
    return jsonable(sobol(req.scenario(), req.metric, n=req.samples, seed=req.seed, params=req.params).to_dict())


def explain_json(req: ExplainRequest) -> dict[str, Any]:
    from orbitaldc.explain import explain

    result = explain(req.a.scenario(), req.b.scenario(), req.metric, normalize=req.normalize,
                     permutations=req.permutations, seed=req.seed)
    return jsonable(result.to_dict())


def params_json(preset: str) -> dict[str, Any]:
    values = _preset(preset).values
    out = {}
    for name, spec in _LIBRARY.items():
        out[name] = {"value": values.get(name), "default": spec.value, "unit": spec.unit, "type": spec.type,
                     "role": spec.role, "group": spec.group, "min": spec.min, "max": spec.max,
                     "low": spec.low, "high": spec.high, "distribution": spec.distribution,
                     "choices": list(spec.choices), "optional": spec.optional, "dollar_year": spec.dollar_year,
                     "source": spec.source, "note": spec.note}
    return jsonable({"preset": preset, "params": out})


def toml_text(req: TomlRequest) -> str:
    scenario = req.scenario()
    changes = {k: v for k, v in (("name", req.name), ("description", req.description)) if v is not None}
    return dataclasses.replace(scenario, **changes).to_toml() if changes else scenario.to_toml()


# ----------------------------------------------------------------------------- middleware
class GuardMiddleware:
    """Pure ASGI middleware: caps request bodies (413, also for chunked uploads) and adds
    security headers to every response."""

    def __init__(self, app, max_body_bytes: int = MAX_BODY_BYTES):
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def _reply(self, send, status: int, message: str) -> None:
        body = json.dumps({"detail": message}).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())] + _SECURITY_HEADERS})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body_bytes
        for key, value in scope.get("headers", ()):
            if key == b"content-length":
                if not value.isdigit():
                    await self._reply(send, 400, "content-length: not a number")
                    return
                if int(value) > limit:
                    await self._reply(send, 413, f"request body of {int(value)} bytes; allowed at most {limit}")
                    return
        received = 0
        too_large = False

        async def limited_receive():
            nonlocal received, too_large
            if too_large:  # stop reading; the app's answer is replaced below
                return {"type": "http.request", "body": b"", "more_body": False}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        replaced = False

        async def guarded_send(message):
            nonlocal replaced
            if too_large:  # whatever the app answered to the truncated body, the answer is 413
                if not replaced:
                    replaced = True
                    await self._reply(send, 413, f"request body larger than {limit} bytes")
                return
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", ())}
                message = dict(message)
                message["headers"] = list(message.get("headers", ())) + [h for h in _SECURITY_HEADERS if h[0] not in names]
            await send(message)

        await self.app(scope, limited_receive, guarded_send)


def _error_list(errors) -> list[dict[str, Any]]:
    """Validation errors without the echoed input (which may be huge or non-finite)."""
    out = []
    for e in errors:
        msg = str(e.get("msg", "invalid"))
        out.append({"loc": [str(x) if not isinstance(x, int) else x for x in e.get("loc", ())],
                    "msg": msg[:500], "type": str(e.get("type", "value_error"))})
    return out


# ----------------------------------------------------------------------------- the app
def create_app(*, time_limit_s: float = TIME_LIMIT_S, workers: int = WORKERS,
               max_body_bytes: int = MAX_BODY_BYTES) -> FastAPI:
    """Build the app.

    Parameters
    ----------
    time_limit_s : float
        Wall-clock bound on one computation, queueing included [s] (503 beyond).
    workers : int
        Threads computing at once.
    max_body_bytes : int
        Largest request body [bytes] (413 beyond).
    """
    pool: dict[str, ThreadPoolExecutor] = {}

    def executor() -> ThreadPoolExecutor:
        if "executor" not in pool:  # (re)created on first use, e.g. after a lifespan ended
            pool["executor"] = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="orbitaldc-web")
        return pool["executor"]

    @asynccontextmanager
    async def lifespan(app):
        yield
        if "executor" in pool:
            pool.pop("executor").shutdown(wait=False, cancel_futures=True)

    app = FastAPI(
        title="orbitaldc",
        version="0.1.0",
        description="Does AI compute in orbit cost less than on the ground? JSON API of the orbitaldc "
                    "model: evaluate a preset with overrides, solve break-even, Monte Carlo, sensitivity. "
                    "Values are in the parameter library's SI units (GET /api/params).",
        docs_url=None, redoc_url=None,  # the bundled doc pages load from a CDN; the page works offline
        lifespan=lifespan,
    )
    app.add_middleware(GuardMiddleware, max_body_bytes=max_body_bytes)

    async def compute(fn, *args):
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(executor(), fn, *args)
        try:
            result = await asyncio.wait_for(future, time_limit_s)
        except asyncio.TimeoutError:
            return JSONResponse({"detail": f"computation took longer than {time_limit_s:g} s (or the server is "
                                           "busy); ask for fewer samples or points"}, status_code=503)
        return JSONResponse(result) if isinstance(result, dict) else result

    @app.exception_handler(OrbitaldcError)
    async def _user_error(request, exc: OrbitaldcError):
        return JSONResponse({"detail": [{"loc": ["body"], "msg": str(exc)[:1000], "type": "value_error"}]},
                            status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request, exc: RequestValidationError):
        return JSONResponse({"detail": _error_list(exc.errors())}, status_code=422)

    @app.get("/api/presets", tags=["scenarios"], summary="List the presets (published analyses reproduced)")
    async def presets() -> dict[str, Any]:
        return {"default": DEFAULT_PRESET, "presets": list_presets()}

    @app.get("/api/params", tags=["scenarios"], responses=_ERRORS,
             summary="Every parameter: the preset's value, unit, allowed and plausible range, source")
    async def params(preset: PresetName = Query(DEFAULT_PRESET, description="Preset whose values to show.")):
        return JSONResponse(params_json(preset))

    @app.post("/api/evaluate", tags=["analyses"], responses={200: {"model": EvaluateResponse}, **_ERRORS},
              summary="Evaluate a scenario: both sides' totals, $/W, LCOE, LCOC and the cost breakdown")
    async def evaluate(req: ScenarioRequest):
        return await compute(lambda: evaluate_json(req.scenario()))

    @app.post("/api/breakeven", tags=["analyses"], responses=_ERRORS,
              summary="Solve one parameter for equal total cost (full model); optional cost curve")
    async def breakeven_route(req: BreakevenRequest):
        return await compute(breakeven_json, req)

    @app.post("/api/montecarlo", tags=["analyses"], responses=_ERRORS,
              summary=f"Monte Carlo (at most {MAX_MC_SAMPLES:,} samples): percentiles, P(orbit cheaper)")
    async def montecarlo(req: MonteCarloRequest):
        return await compute(montecarlo_json, req)

    @app.post("/api/sensitivity", tags=["analyses"], responses=_ERRORS,
              summary="Tornado or Sobol indices of one metric")
    async def sensitivity(req: SensitivityRequest):
        return await compute(sensitivity_json, req)

    @app.post("/api/explain", tags=["analyses"], responses=_ERRORS,
              summary="Why two scenarios differ: Shapley attribution of a metric, input by input")
    async def explain_route(req: ExplainRequest):
        return await compute(explain_json, req)

    @app.post("/api/toml", tags=["scenarios"], response_class=Response,
              responses={200: {"content": {"application/toml": {}}, "description": "Scenario TOML."}, **_ERRORS},
              summary="The scenario as a TOML file for `orbitaldc run FILE`")
    async def toml(req: TomlRequest):
        text = toml_text(req)
        filename = (req.name or req.scenario().name) + ".toml"
        return Response(text, media_type="application/toml",
                        headers={"content-disposition": f'attachment; filename="{filename}"'})

    @app.get("/", include_in_schema=False)
    async def index():
        return FileResponse(STATIC_DIR / "index.html", headers={"cache-control": "no-cache"})

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    async def plotly_js():
        path = plotly_path()
        if path is None:
            return JSONResponse({"detail": "plotly.min.js not found in the installed plotly package"}, status_code=404)
        return FileResponse(path, media_type="text/javascript", headers={"cache-control": "max-age=86400"})

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def plotly_path() -> Path | None:
    """``plotly.min.js`` of the installed ``plotly`` Python package (served, never committed)."""
    try:
        import plotly
    except ImportError:
        return None
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return path if path.is_file() else None
