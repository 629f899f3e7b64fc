"""FastAPI app: the JSON API under ``/api`` and the interactive page at ``/``.

Interface layer only. Requests are validated by the models of :mod:`orbitaldc.web.schemas`
(their OpenAPI schema says exactly what is accepted), :mod:`orbitaldc.web.services` turns them
into library calls in worker processes (:mod:`orbitaldc.web.pool`), and
:mod:`orbitaldc.web.middleware` guards every request. Safe to expose:

* no file paths are accepted (a scenario is a shipped preset plus validated overrides);
* request bodies are capped (413) and must arrive within seconds (408); counts are capped so
  that no accepted request evaluates more than :data:`~orbitaldc.web.schemas.ROW_BUDGET` rows
  at once (the cost model in :mod:`orbitaldc.web.schemas`);
* every computation runs in a worker process with memory and CPU-time limits and a wall-clock
  bound (queueing included); past it the worker is killed and replaced, then the answer is 503;
* cheap routes (evaluate, TOML; presets and params are served from memory) have their own
  workers, so they never queue behind heavy ones;
* user errors answer 4xx naming the field; a 500 means a bug. Every answer carries the
  security headers.

Routes
------
``GET /api/presets``, ``GET /api/params``, ``POST /api/evaluate``, ``POST /api/breakeven``,
``POST /api/montecarlo``, ``POST /api/sensitivity``, ``POST /api/explain``, ``POST /api/toml``,
``POST /api/scenario`` (read a scenario file), ``POST /api/twin`` (a short bounded twin run);
the OpenAPI schema is at ``/openapi.json`` and browsable at ``/docs``. The page (``/``), Plotly
(``/vendor/plotly.min.js``, from the installed ``plotly`` package) and Swagger UI
(``/vendor/swagger-ui/``, from the installed ``swagger-ui-bundle`` package) need no internet.
"""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import logging
import os
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Body, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from orbitaldc.params import load_library
from orbitaldc.web import services
from orbitaldc.web.middleware import BODY_TIMEOUT_S, GuardMiddleware
from orbitaldc.web.page_schemas import (MAX_DAYS, MAX_SATELLITES, ScenarioTextRequest, ScenarioTextResponse,
                                        TwinRequest, TwinResponse, UncertainMonteCarloRequest, UncertainTomlRequest)
from orbitaldc.web.pool import Busy, Lane, LaneError, Limits, TimeBoundExceeded
from orbitaldc.web.schemas import (BREAKEVEN_FIELDS, DEFAULT_PRESET, MAX_BODY_BYTES, MAX_MC_SAMPLES, NUMERIC,
                                   VERSION, WORKER_MEMORY_BYTES, BreakevenRequest, BreakevenResponse,
                                   ErrorResponse, EvaluateResponse, ExplainRequest, ExplainResponse,
                                   MonteCarloResponse, ParamsResponse, PresetName,
                                   PresetsResponse, ScenarioRequest, SensitivityRequest, SensitivityResponse)

log = logging.getLogger("orbitaldc.web")

STATIC_DIR = Path(__file__).parent / "static"
#: Wall-clock bound on one computation, queueing included [s]; beyond it the work is stopped, 503.
TIME_LIMIT_S = 10.0
#: Niceness of heavy workers: on a busy machine the scheduler serves cheap work first.
HEAVY_NICE = 10
#: Requests that may wait for a worker, per worker; more answer 503 at once.
QUEUE_PER_WORKER = {"cheap": 64, "heavy": 4}
#: Seconds a client is asked to wait before retrying a 503.
RETRY_AFTER_S = 5
#: Seconds a computation whose client left may still finish (then its worker is kept, not
#: replaced: the page aborts superseded requests as a slider moves); longer, it is stopped.
DISCONNECT_GRACE_S = 0.5


def default_heavy_workers() -> int:
    """Heavy workers: one per CPU this process may use, less one for the server and cheap work.

    Returns
    -------
    int
        ``max(1, cpus - 1)`` with ``cpus`` from the process's CPU affinity.

    References
    ----------
    .. [1] Linux ``sched_getaffinity(2)`` (containers and taskset limit the usable CPUs).
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 2
    return max(1, cpus - 1)


_ERRORS = {
    400: {"model": ErrorResponse, "description": "Malformed request (body not UTF-8 JSON, bad Content-Length)."},
    408: {"model": ErrorResponse, "description": "Request body not received in time."},
    413: {"model": ErrorResponse, "description": "Request body too large."},
    422: {"model": ErrorResponse,
          "description": "Invalid request; the message names the field. A schema-valid request may still get "
                         "422 with detail[].type `model_error` (the model cannot evaluate this combination of "
                         "inputs) or `range_order` (both ends of a range given, low not below high)."},
}
_BUSY = {503: {"model": ErrorResponse,
               "description": "The computation exceeded the time bound (it was stopped) or the server is busy.",
               "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}}}


def _loc_text(loc: list[Any]) -> str:
    return ".".join(str(x) for x in loc[1:]) if len(loc) > 1 else str(loc[0]) if loc else "body"


def _error_items(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Validation errors as ``{loc, msg, type}``: the message names the field, the value (shortened)
    and what is allowed; library parameters are described by the library's own words."""
    library = load_library()
    out = []
    for e in errors:
        loc = [str(x) if not isinstance(x, int) else x for x in e.get("loc", ())]
        if len(loc) >= 2 and loc[0] == "body" and loc[1] in NUMERIC:  # the break-even variant tag
            loc = [loc[0]] + loc[2:]
        kind = str(e.get("type", "value_error"))
        msg = str(e.get("msg", "invalid"))
        if kind == "parameter_invalid":  # the break-even discriminator
            loc = ["body", "parameter"]
            e = {"input": e["input"].get("parameter") if isinstance(e.get("input"), dict) else e.get("input")}
        elif kind == "range_order":
            e = {}
        key = loc[-1] if loc else ""
        if len(loc) >= 2 and loc[-2] == "overrides" and isinstance(key, str):
            if key in library and kind != "extra_forbidden":
                msg = f"expected {library[key].allowed()}"
            elif kind == "extra_forbidden":
                close = difflib.get_close_matches(key, list(library), n=1)
                msg = "unknown parameter" + (f" (did you mean {close[0]!r}?)" if close else "") + \
                    "; GET /api/params lists them"
        if "input" in e and kind not in ("missing", "json_invalid"):
            shown = repr(e["input"])
            shown = shown if len(shown) <= 80 else shown[:77] + "..."
            msg = f"{_loc_text(loc)} = {shown}: {msg}"
        elif kind != "json_invalid":
            msg = f"{_loc_text(loc)}: {msg}"
        out.append({"loc": loc, "msg": msg[:1000], "type": kind})
    return out


class _App(FastAPI):
    """FastAPI with :class:`GuardMiddleware` outside Starlette's error handler (headers on 500s too)."""

    def build_middleware_stack(self):  # noqa: D102
        guard = self.state.guard
        return GuardMiddleware(super().build_middleware_stack(), **guard)


def create_app(*, time_limit_s: float = TIME_LIMIT_S, heavy_workers: int | None = None, cheap_workers: int = 1,
               memory_limit_bytes: int | None = WORKER_MEMORY_BYTES, max_body_bytes: int = MAX_BODY_BYTES,
               body_timeout_s: float = BODY_TIMEOUT_S) -> FastAPI:
    """Build the app.

    Parameters
    ----------
    time_limit_s : float
        Wall-clock bound on one computation, queueing included [s]; beyond it the worker is
        killed and the answer is 503.
    heavy_workers : int, optional
        Worker processes for break-even, Monte Carlo, sensitivity and explain (default:
        :func:`default_heavy_workers`).
    cheap_workers : int
        Worker processes for evaluate and TOML.
    memory_limit_bytes : int or None
        Address-space limit of each worker [bytes] (None: none).
    max_body_bytes : int
        Largest request body [bytes] (413 beyond).
    body_timeout_s : float
        Seconds to receive a request body (408 beyond).

    Returns
    -------
    FastAPI
        The ASGI app; its lanes are in ``app.state.lanes`` (``"cheap"``, ``"heavy"``).

    References
    ----------
    .. [1] FastAPI, https://fastapi.tiangolo.com (OpenAPI 3.1 from the pydantic models).
    """
    heavy_workers = default_heavy_workers() if heavy_workers is None else heavy_workers
    lanes = {
        "cheap": Lane("cheap", cheap_workers, Limits(memory_limit_bytes), QUEUE_PER_WORKER["cheap"] * cheap_workers),
        "heavy": Lane("heavy", heavy_workers, Limits(memory_limit_bytes, nice=HEAVY_NICE),
                      QUEUE_PER_WORKER["heavy"] * heavy_workers),
    }

    @asynccontextmanager
    async def lifespan(app):
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(None, lane.start) for lane in lanes.values()))
        try:
            yield
        finally:
            for lane in lanes.values():
                lane.close()

    app = _App(
        title="orbitaldc",
        version=VERSION,
        description="Does AI compute in orbit cost less than on the ground? JSON API of the orbitaldc "
                    "model: evaluate a preset with overrides, solve break-even, Monte Carlo, sensitivity, read scenario files, "
                    "run a short twin, explain. Values are in the parameter library's SI units (GET /api/params).",
        docs_url=None, redoc_url=None,  # the bundled doc pages load from a CDN; the page works offline
        lifespan=lifespan,
    )
    app.state.guard = {"max_body_bytes": max_body_bytes, "body_timeout_s": body_timeout_s}
    app.state.lanes = lanes

    def unavailable(message: str) -> JSONResponse:
        return JSONResponse({"detail": message}, status_code=503, headers={"retry-after": str(RETRY_AFTER_S)})

    async def compute(request: Request, lane: str, task: str, payload: dict[str, Any]) -> Response:
        """Run ``task`` on a worker of ``lane``; the work stops when the client goes away."""
        job = asyncio.ensure_future(lanes[lane].run(task, payload, time_limit_s))
        watch = asyncio.ensure_future(_disconnected(request))
        try:
            await asyncio.wait({job, watch}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            watch.cancel()
        if not job.done():  # the client left: let a short task finish, else stop it (the worker is killed)
            await asyncio.wait({job}, timeout=DISCONNECT_GRACE_S)
            job.cancel()
            with contextlib.suppress(asyncio.CancelledError, LaneError):
                await job
            return unavailable("client disconnected")
        try:
            kind, value = job.result()
        except TimeBoundExceeded as exc:
            return unavailable(f"computation took longer than {time_limit_s:g} s ({exc}; the server may be busy) "
                               "and was stopped; ask for fewer samples or points, or retry")
        except Busy as exc:
            return unavailable(str(exc))
        except LaneError as exc:
            return unavailable(f"{exc}; ask for fewer samples or points")
        if kind == "error":
            where = _inputs(payload)
            msg = f"{value} [{where}]" if where else str(value)
            return JSONResponse({"detail": [{"loc": ["body"], "msg": msg[:1000], "type": "model_error"}]},
                                status_code=422)
        if kind == "bug":
            raise RuntimeError(f"{task} failed in a worker:\n{value}")
        body, media_type, headers = value
        return Response(body, media_type=media_type, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request, exc: RequestValidationError):
        return JSONResponse({"detail": _error_items(list(exc.errors()))}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request, exc: StarletteHTTPException):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _bug(request, exc: Exception):  # Starlette's error handler logs the traceback
        return JSONResponse({"detail": "internal error (a bug in orbitaldc; the server log has the details)"},
                            status_code=500)

    @app.get("/api/presets", tags=["scenarios"], response_model=PresetsResponse,
             responses={400: _ERRORS[400]}, summary="List the presets (published analyses reproduced)")
    async def presets():
        return JSONResponse(services.presets_json())

    @app.get("/api/params", tags=["scenarios"], response_model=ParamsResponse,
             responses={400: _ERRORS[400], 422: _ERRORS[422]},
             summary="Every parameter: the preset's value, unit, allowed and plausible range, source")
    async def params(preset: PresetName = Query(DEFAULT_PRESET,  # type: ignore[valid-type]
                                                description="Preset whose values to show.")):
        return JSONResponse(services.params_json(preset))

    @app.post("/api/evaluate", tags=["analyses"], response_model=EvaluateResponse, responses={**_ERRORS, **_BUSY},
              summary="Evaluate a scenario: both sides' totals, $/W, LCOE, LCOC and the cost breakdown")
    async def evaluate(req: ScenarioRequest, request: Request):
        return await compute(request, "cheap", "evaluate", req.payload())

    @app.post("/api/breakeven", tags=["analyses"], response_model=BreakevenResponse, responses={**_ERRORS, **_BUSY},
              summary="Solve one parameter for equal total cost (full model); optional cost curve",
              description=BREAKEVEN_FIELDS)
    async def breakeven_route(request: Request, req: Annotated[BreakevenRequest, Body()]):  # type: ignore[valid-type]
        return await compute(request, "heavy", "breakeven", req.payload())

    @app.post("/api/montecarlo", tags=["analyses"], response_model=MonteCarloResponse,
              responses={**_ERRORS, **_BUSY},
              summary=f"Monte Carlo (at most {MAX_MC_SAMPLES:,} samples): percentiles, P(orbit cheaper)")
    async def montecarlo(req: UncertainMonteCarloRequest, request: Request):
        return await compute(request, "heavy", "montecarlo", req.payload())

    @app.post("/api/sensitivity", tags=["analyses"], response_model=SensitivityResponse,
              responses={**_ERRORS, **_BUSY}, summary="Tornado or Sobol indices of one metric")
    async def sensitivity(req: SensitivityRequest, request: Request):
        return await compute(request, "heavy", "sensitivity", req.payload())

    @app.post("/api/explain", tags=["analyses"], response_model=ExplainResponse, responses={**_ERRORS, **_BUSY},
              summary="Why two scenarios differ: Shapley attribution of a metric, input by input")
    async def explain_route(req: ExplainRequest, request: Request):
        return await compute(request, "heavy", "explain", req.payload())

    @app.post("/api/toml", tags=["scenarios"], response_class=Response,
              responses={200: {"content": {"application/toml": {"schema": {"type": "string"}}},
                               "description": "Scenario TOML (read back and evaluated before it is sent)."},
                         **_ERRORS, **_BUSY},
              summary="The scenario as a TOML file for `orbitaldc run FILE`")
    async def toml(req: UncertainTomlRequest, request: Request):
        return await compute(request, "cheap", "toml", req.payload())

    @app.post("/api/scenario", tags=["scenarios"], response_model=ScenarioTextResponse,
              responses={**_ERRORS, **_BUSY},
              summary="Read a scenario TOML (validated by the library) into a preset, overrides and uncertainty")
    async def scenario_text(req: ScenarioTextRequest, request: Request):
        return await compute(request, "cheap", "scenario_text", req.payload())

    @app.post("/api/twin", tags=["analyses"], response_model=TwinResponse, responses={**_ERRORS, **_BUSY},
              summary=f"Short twin run (at most {MAX_SATELLITES} satellites, {MAX_DAYS:g} days) of the bottom-up design")
    async def twin(req: TwinRequest, request: Request):
        return await compute(request, "heavy", "twin", req.payload())

    @app.get("/", include_in_schema=False)
    async def index():
        return FileResponse(STATIC_DIR / "index.html", headers={"cache-control": "no-cache"})

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    async def plotly_js():
        path = plotly_path()
        if path is None:
            return JSONResponse({"detail": "plotly.min.js not found in the installed plotly package"}, status_code=404)
        return FileResponse(path, media_type="text/javascript", headers={"cache-control": "max-age=86400"})

    @app.get("/docs", include_in_schema=False)
    async def api_docs():
        return FileResponse(STATIC_DIR / "docs.html", headers={"cache-control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    swagger = swagger_ui_path()
    if swagger is not None:
        app.mount("/vendor/swagger-ui", StaticFiles(directory=swagger), name="swagger-ui")
    return app


def _inputs(payload: dict[str, Any]) -> str:
    """The request's scenario(s) in a few words, for a model error: which inputs the user set."""
    def one(p: dict[str, Any]) -> str:
        keys = list(p.get("overrides", {}))
        shown = ", ".join(keys[:8]) + (f" and {len(keys) - 8} more" if len(keys) > 8 else "")
        return f"preset {p['preset']}" + (f" with {shown} set" if keys else "")

    if "a" in payload and "b" in payload:
        return f"A: {one(payload['a'])}; B: {one(payload['b'])}"
    if "preset" not in payload:  # an uploaded scenario file: the library's message names file and key
        return ""
    return one(payload)


async def _disconnected(request: Request) -> None:
    """Return when the client has gone away (the body was already read by the middleware)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


def swagger_ui_path() -> Path | None:
    """Swagger UI's files from the installed ``swagger-ui-bundle`` package (served at ``/vendor/swagger-ui``).

    Parameters
    ----------
    None

    Returns
    -------
    Path or None
        The folder holding ``swagger-ui-bundle.js`` and ``swagger-ui.css``, or None when the
        package is not installed (``/docs`` then says so).

    References
    ----------
    .. [1] Swagger UI, https://swagger.io/tools/swagger-ui/ (bundled in ``swagger-ui-bundle``).
    """
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    path = Path(swagger_ui_bundle.swagger_ui_path)
    return path if (path / "swagger-ui-bundle.js").exists() else None


def plotly_path() -> Path | None:
    """``plotly.min.js`` of the installed ``plotly`` Python package (served, never committed).

    Parameters
    ----------
    None

    Returns
    -------
    Path or None
        The file, or None when plotly is not installed.

    References
    ----------
    .. [1] Plotly.js, https://plotly.com/javascript/ (bundled in the ``plotly`` wheel).
    """
    try:
        import plotly
    except ImportError:
        return None
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return path if path.is_file() else None
