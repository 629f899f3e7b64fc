"""Sweeps: grids or lists over any parameters, in chunks, locally or on a Dask cluster; Parquet out.

A sweep is the Cartesian product of *axes* (``launch_cost_usd_per_kg=100:3000:50`` or
``mass_model=specific_power,bottom_up``) applied to a scenario. Rows are numbered in C order
(the last axis varies fastest; model-choice axes are outermost so that every chunk has one
combination of model choices and is **one vectorized**
:func:`orbitaldc.compare.evaluate_values` call). Chunks are written as
``part-NNNNNN.parquet`` in the output folder, each atomically (written to a temporary name,
flushed, then ``os.replace``), by the single coordinating process; workers only compute.

The folder also holds ``manifest.json`` (scenario, axes, metrics, chunking). Running the same
sweep again with the same folder **resumes**: parts already present are complete by
construction and kept, temporary leftovers of a killed run are removed, and only missing chunks
are computed, so no row is lost or duplicated. A folder holding a different sweep is refused.

Execution: ``workers=1`` runs in this process; more workers use a local process pool; a
``scheduler="tcp://HOST:PORT"`` runs the same chunks on a Dask distributed cluster and gives the
same files.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import numpy as np

from orbitaldc.compare import METRIC_ALIASES, evaluate_values, get_metric
from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import Scenario, check_value, load_scenario, spec_or_error
from orbitaldc.uncertainty import DEFAULT_METRICS

#: Rows per chunk (one vectorized evaluation, one Parquet part).
DEFAULT_CHUNK_ROWS = 100_000
#: Largest sweep accepted [rows].
MAX_ROWS = 1_000_000_000
#: Largest number of points on one axis.
MAX_AXIS_POINTS = 10_000_000
#: Seconds to wait for a Dask scheduler to answer.
CONNECT_TIMEOUT_S = 10
MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
_PART = re.compile(r"^part-(\d{6,})\.parquet$")
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


@dataclass(frozen=True)
class Axis:
    """One swept parameter and its values (floats, or strings for model choices)."""

    name: str
    values: tuple

    @property
    def is_choice(self) -> bool:
        return bool(self.values) and isinstance(self.values[0], str)


def parse_axis(text: str) -> Axis:
    """Parse ``NAME=START:STOP:STEP`` (inclusive of STOP when on the grid) or ``NAME=a,b,c``.

    Values are validated against the parameter library (allowed range, whole numbers for
    integer parameters, choices for model parameters).

    Raises
    ------
    OrbitaldcError
        Naming the axis, the value and what is allowed.
    """
    if "=" not in text:
        raise OrbitaldcError(f"--grid {text!r}: expected NAME=START:STOP:STEP or NAME=a,b,c")
    name, raw = (p.strip() for p in text.split("=", 1))
    where = f"--grid {name}"
    spec = spec_or_error(name, "--grid")
    raw = raw.strip("[] ")
    if not raw:
        raise OrbitaldcError(f"{where}: no values; expected START:STOP:STEP or a,b,c")
    if spec.type == "str":
        vals = tuple(v.strip().strip("'\"") for v in raw.split(","))
        for v in vals:
            check_value(spec, v, where)
        if len(set(vals)) != len(vals):
            raise OrbitaldcError(f"{where}: repeated values {vals}")
        return Axis(name, vals)
    if ":" in raw:
        parts = raw.split(":")
        if len(parts) != 3 or not all(re.fullmatch(_NUMBER, p.strip()) for p in parts):
            raise OrbitaldcError(f"{where}={raw}: expected START:STOP:STEP with three numbers")
        start, stop, step = (float(p) for p in parts)
        if not (math.isfinite(start) and math.isfinite(stop) and math.isfinite(step)) or step <= 0:
            raise OrbitaldcError(f"{where}={raw}: STEP must be a finite number > 0")
        if stop < start:
            raise OrbitaldcError(f"{where}={raw}: STOP {stop:g} is below START {start:g}")
        count = math.floor((stop - start) / step * (1 + 1e-12) + 1e-9) + 1
        if count > MAX_AXIS_POINTS:
            raise OrbitaldcError(f"{where}={raw}: {count} points; allowed at most {MAX_AXIS_POINTS}")
        arr = start + step * np.arange(count, dtype=float)
    else:
        items = [p.strip() for p in raw.split(",")]
        if not all(re.fullmatch(_NUMBER, p) for p in items):
            raise OrbitaldcError(f"{where}={raw}: expected numbers separated by commas")
        arr = np.array([float(p) for p in items])
        if arr.size > MAX_AXIS_POINTS:
            raise OrbitaldcError(f"{where}: {arr.size} points; allowed at most {MAX_AXIS_POINTS}")
    checked = check_value(spec, arr, where)
    if np.unique(checked).size != checked.size:
        raise OrbitaldcError(f"{where}: repeated values")
    return Axis(name, tuple(float(x) for x in np.asarray(checked).ravel()))


@dataclass
class SweepPlan:
    """Everything that defines a sweep's output (stored in ``manifest.json``)."""

    scenario: Scenario
    axes: list[Axis]
    metrics: list[str]
    chunk_rows: int

    @property
    def choice_axes(self) -> list[Axis]:
        return [a for a in self.axes if a.is_choice]

    @property
    def numeric_axes(self) -> list[Axis]:
        return [a for a in self.axes if not a.is_choice]

    @property
    def ordered_axes(self) -> list[Axis]:
        """Model-choice axes outermost, then numeric axes, in the order given."""
        return self.choice_axes + self.numeric_axes

    @property
    def block_rows(self) -> int:
        return math.prod(len(a.values) for a in self.numeric_axes)

    @property
    def blocks(self) -> int:
        return math.prod(len(a.values) for a in self.choice_axes)

    @property
    def chunks_per_block(self) -> int:
        return -(-self.block_rows // self.chunk_rows)

    @property
    def rows(self) -> int:
        return self.block_rows * self.blocks

    @property
    def chunks(self) -> int:
        return self.chunks_per_block * self.blocks

    def manifest(self) -> dict[str, Any]:
        return {
            "orbitaldc_sweep": MANIFEST_VERSION,
            "scenario": self.scenario.name,
            "scenario_toml": self.scenario.to_toml(),
            "axes": {a.name: list(a.values) for a in self.ordered_axes},
            "metrics": list(self.metrics),
            "chunk_rows": self.chunk_rows,
            "rows": self.rows,
            "chunks": self.chunks,
        }

    def task(self, chunk: int) -> dict[str, Any]:
        """Picklable description of one chunk (sent to a worker)."""
        block, sub = divmod(chunk, self.chunks_per_block)
        choice_combo = list(product(*[a.values for a in self.choice_axes]))[block] if self.choice_axes else ()
        start = sub * self.chunk_rows
        stop = min(start + self.chunk_rows, self.block_rows)
        values = {k: v for k, v in self.scenario.values.items()}
        return {
            "chunk": chunk, "values": values,
            "choices": dict(zip([a.name for a in self.choice_axes], choice_combo)),
            "numeric": [(a.name, np.asarray(a.values, dtype=float)) for a in self.numeric_axes],
            "row0": block * self.block_rows, "start": start, "stop": stop, "metrics": list(self.metrics),
        }


def plan_sweep(scenario: Scenario | str, grid: Sequence[str | Axis], metrics: Sequence[str] | None = None,
               chunk_rows: int = DEFAULT_CHUNK_ROWS) -> SweepPlan:
    """Validate a sweep: axes, metrics, chunk size and total size."""
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if scenario.shape:
        raise OrbitaldcError("sweep: the scenario has array parameters; give the arrays as --grid axes instead")
    if not grid:
        raise OrbitaldcError("sweep: no --grid axis given (e.g. --grid launch_cost_usd_per_kg=100:3000:50)")
    axes = [a if isinstance(a, Axis) else parse_axis(a) for a in grid]
    names = [a.name for a in axes]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise OrbitaldcError(f"sweep: axis {dup[0]!r} given more than once")
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, (int, np.integer)) or not 1 <= chunk_rows <= 10_000_000:
        raise OrbitaldcError(f"sweep: chunk_rows = {chunk_rows!r}: expected a whole number in [1, 10000000]")
    metrics = list(dict.fromkeys(METRIC_ALIASES.get(m, m) for m in (DEFAULT_METRICS if metrics is None else metrics)))
    if not metrics:
        raise OrbitaldcError("sweep: no metrics requested")
    base = evaluate_values(scenario.values)
    for m in metrics:
        get_metric(base, m)
    plan = SweepPlan(scenario, axes, metrics, int(chunk_rows))
    if plan.rows > MAX_ROWS:
        raise OrbitaldcError(f"sweep: {plan.rows:,} rows; allowed at most {MAX_ROWS:,}")
    choice_axes = plan.choice_axes
    if choice_axes and plan.blocks <= 64:  # each model-choice combination must be valid
        for combo in product(*[a.values for a in choice_axes]):
            scenario.with_overrides(dict(zip([a.name for a in choice_axes], combo)), where="--grid")
    return plan


def run_chunk(task: Mapping[str, Any]):
    """Evaluate one chunk; returns a ``pyarrow.Table`` (row, swept parameters, metrics).

    Pure computation (no I/O): runs in a worker process or on a Dask worker.
    """
    import pyarrow as pa

    idx = np.arange(task["start"], task["stop"], dtype=np.int64)
    values = dict(task["values"])
    values.update(task["choices"])
    numeric = task["numeric"]
    columns: dict[str, Any] = {"row": idx + task["row0"]}
    if numeric:
        shape = tuple(len(v) for _, v in numeric)
        coords = np.unravel_index(idx, shape)
        for (name, axis_values), coord in zip(numeric, coords):
            values[name] = axis_values[coord]
    c = evaluate_values(values)
    n = idx.size
    for name, choice in task["choices"].items():
        columns[name] = pa.array([choice] * n, type=pa.string())
    for name, _ in numeric:
        columns[name] = np.asarray(values[name], dtype=float)
    for m in task["metrics"]:
        columns[m] = np.ascontiguousarray(np.broadcast_to(np.asarray(get_metric(c, m), dtype=float), (n,)))
    return pa.table(columns)


def part_path(out: Path, chunk: int) -> Path:
    return out / f"part-{chunk:06d}.parquet"


def write_part_atomic(table, path: Path) -> None:
    """Write a Parquet file so that ``path`` either does not exist or is complete."""
    import pyarrow.parquet as pq

    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            pq.write_table(table, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _prepare_folder(out: Path, plan: SweepPlan, overwrite: bool) -> set[int]:
    """Create or check the output folder; return the chunks already done."""
    manifest = plan.manifest()
    mpath = out / MANIFEST
    if out.exists() and not out.is_dir():
        raise OrbitaldcError(f"sweep: output {str(out)!r} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    if mpath.exists():
        try:
            old = json.loads(mpath.read_text())
        except (OSError, ValueError):
            old = None
        if old != manifest:
            if not overwrite:
                raise OrbitaldcError(
                    f"sweep: {str(out)!r} holds a different sweep (its manifest.json differs); "
                    f"use a new folder, or --overwrite to discard it")
            for p in out.iterdir():
                if _PART.match(p.name) or p.name == MANIFEST:
                    p.unlink()
    elif any(_PART.match(p.name) for p in out.iterdir()):
        raise OrbitaldcError(f"sweep: {str(out)!r} has Parquet parts but no manifest.json; use a new folder")
    for p in out.iterdir():  # leftovers of a killed writer
        if p.name.startswith(".part-") and ".tmp-" in p.name:
            p.unlink()
    if not mpath.exists():
        tmp = out / f".{MANIFEST}.tmp-{os.getpid()}"
        tmp.write_text(json.dumps(manifest, indent=1))
        os.replace(tmp, mpath)
    done = set()
    for p in out.iterdir():
        m = _PART.match(p.name)
        if m and int(m.group(1)) < plan.chunks:
            done.add(int(m.group(1)))
    return done


@dataclass
class SweepResult:
    """Outcome of :func:`run_sweep`."""

    out: Path
    rows: int
    chunks: int
    computed_chunks: int
    skipped_chunks: int
    executor: str

    def to_dict(self) -> dict[str, Any]:
        return {"out": str(self.out), "rows": self.rows, "chunks": self.chunks,
                "computed_chunks": self.computed_chunks, "skipped_chunks": self.skipped_chunks,
                "executor": self.executor}


def _windowed(submit, pending: list[int], window: int) -> Iterator[tuple[int, Any]]:
    """Submit chunks keeping at most ``window`` in flight; yield (chunk, table) as they finish."""
    queue = list(reversed(pending))
    inflight: dict[Any, int] = {}
    while queue or inflight:
        while queue and len(inflight) < window:
            chunk = queue.pop()
            inflight[submit(chunk)] = chunk
        done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
        for fut in done:
            yield inflight.pop(fut), fut.result()


def run_sweep(scenario: Scenario | str, grid: Sequence[str | Axis], out: str | os.PathLike,
              metrics: Sequence[str] | None = None, chunk_rows: int = DEFAULT_CHUNK_ROWS,
              workers: int | None = None, scheduler: str | None = None, progress: bool | None = False,
              overwrite: bool = False) -> SweepResult:
    """Run (or resume) a sweep and write its Parquet parts into ``out``.

    Parameters
    ----------
    scenario : Scenario or str
        Base scenario (a single point).
    grid : sequence of str or Axis
        Axes, e.g. ``["launch_cost_usd_per_kg=100:3000:50", "pue=1.1,1.2,1.4"]``.
    out : path
        Output folder (created; an existing folder of the same sweep is resumed).
    metrics : sequence of str, optional
        Result columns (default: the Monte Carlo metrics).
    chunk_rows : int
        Rows per chunk and per Parquet part.
    workers : int, optional
        Local worker processes (default: CPU count, at most the number of chunks); 1 runs here.
    scheduler : str, optional
        Address of a Dask distributed scheduler (``tcp://HOST:PORT``); workers need orbitaldc.
    progress : bool or None
        Progress bar on stderr (None: when stderr is a terminal).
    overwrite : bool
        Discard a different sweep found in ``out``.

    Returns
    -------
    SweepResult
    """
    from tqdm import tqdm

    plan = plan_sweep(scenario, grid, metrics, chunk_rows)
    out = Path(out)
    done = _prepare_folder(out, plan, overwrite)
    pending = [c for c in range(plan.chunks) if c not in done]
    if progress is None:
        progress = sys.stderr.isatty()
    rows_done = sum(plan.task(c)["stop"] - plan.task(c)["start"] for c in done) if done else 0
    bar = tqdm(total=plan.rows, initial=rows_done, disable=not progress, desc="sweep", unit="row",
               unit_scale=True, file=sys.stderr, dynamic_ncols=True)

    def finish(chunk: int, table) -> None:
        write_part_atomic(table, part_path(out, chunk))
        bar.update(table.num_rows)

    try:
        if scheduler:
            executor = f"dask {scheduler}"
            _run_dask(plan, pending, scheduler, finish)
        else:
            n_workers = _check_workers(workers, len(pending))
            executor = f"local x{n_workers}"
            if n_workers <= 1:
                for chunk in pending:
                    finish(chunk, run_chunk(plan.task(chunk)))
            else:
                with ProcessPoolExecutor(max_workers=n_workers) as pool:
                    for chunk, table in _windowed(lambda c: pool.submit(run_chunk, plan.task(c)), pending, 2 * n_workers):
                        finish(chunk, table)
    finally:
        bar.close()
    return SweepResult(out, plan.rows, plan.chunks, len(pending), len(done), executor)


def _check_workers(workers: int | None, pending: int) -> int:
    if workers is None:
        return max(1, min(os.cpu_count() or 1, pending))
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or not 1 <= workers <= 1024:
        raise OrbitaldcError(f"sweep: workers = {workers!r}: expected a whole number in [1, 1024]")
    return int(min(workers, max(pending, 1)))


def _run_dask(plan: SweepPlan, pending: list[int], scheduler: str, finish) -> None:
    """The same chunks on a Dask distributed cluster; results come back and are written here."""
    if not re.fullmatch(r"(tcp|tls|inproc|ucx)://\S+", scheduler):
        raise OrbitaldcError(f"--scheduler {scheduler!r}: expected an address like tcp://HOST:8786")
    from distributed import Client, as_completed

    try:
        client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s")
    except (OSError, TimeoutError) as exc:
        raise OrbitaldcError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        window = 2 * n_workers
        queue = list(reversed(pending))
        ac = as_completed()
        chunk_of = {}
        for _ in range(min(window, len(queue))):
            c = queue.pop()
            fut = client.submit(run_chunk, plan.task(c), pure=False)
            chunk_of[fut.key] = c
            ac.add(fut)
        for fut in ac:
            table = fut.result()
            finish(chunk_of.pop(fut.key), table)
            fut.release()
            if queue:
                c = queue.pop()
                nxt = client.submit(run_chunk, plan.task(c), pure=False)
                chunk_of[nxt.key] = c
                ac.add(nxt)
    finally:
        client.close()


def read_sweep(out: str | os.PathLike):
    """All rows of a sweep folder as a pandas DataFrame sorted by ``row``.

    Raises
    ------
    OrbitaldcError
        If the folder has no manifest.
    """
    import pandas as pd
    import pyarrow.parquet as pq

    out = Path(out)
    if not (out / MANIFEST).is_file():
        raise OrbitaldcError(f"{str(out)!r}: not a sweep folder (no manifest.json)")
    parts = sorted(p for p in out.iterdir() if _PART.match(p.name))
    if not parts:
        return pd.DataFrame()
    frames = [pq.read_table(p).to_pandas() for p in parts]
    return pd.concat(frames, ignore_index=True).sort_values("row", kind="stable").reset_index(drop=True)


def sweep_status(out: str | os.PathLike) -> dict[str, Any]:
    """Manifest plus how many chunks are present."""
    out = Path(out)
    manifest = json.loads((out / MANIFEST).read_text())
    present = sum(1 for p in out.iterdir() if _PART.match(p.name))
    return {"rows": manifest["rows"], "chunks": manifest["chunks"], "chunks_present": present,
            "complete": present == manifest["chunks"]}
