"""Sweep plans: axes, validation, row numbering and the computation of one chunk (no I/O).

A sweep is the Cartesian product of *axes* (``launch_cost_usd_per_kg=100:3000:50`` or
``mass_model=specific_power,bottom_up``) applied to a scenario. Rows are numbered in C order
with the model-choice axes outermost (then the numeric axes in the order given, the last varying
fastest), so every chunk holds one combination of model choices and is **one vectorized**
:func:`orbitaldc.compare.evaluate_values` call.

:class:`SweepPlan` is the whole definition (it becomes the folder's manifest);
:class:`SweepWork` is the small picklable part a worker needs, sent once per worker, after
which a task is only a chunk number.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, NamedTuple, Sequence

import numpy as np

from orbitaldc.compare import METRIC_ALIASES, evaluate_values, get_metric
from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import Scenario, check_value, load_library, load_scenario
from orbitaldc.uncertainty import DEFAULT_METRICS

#: Rows per chunk (one vectorized evaluation, one Parquet part).
DEFAULT_CHUNK_ROWS = 100_000
#: Largest chunk accepted [rows] (bounds a worker's memory: about 1.5 kB of temporaries per row).
MAX_CHUNK_ROWS = 10_000_000
#: Largest sweep accepted [rows].
MAX_ROWS = 1_000_000_000
#: Largest number of points on one axis.
MAX_AXIS_POINTS = 10_000_000
#: Model-choice combinations checked one by one when planning (beyond, the first chunk of each
#: combination fails with the scenario's own message).
MAX_CHECKED_COMBINATIONS = 64
#: Version of the manifest layout (2: per-part receipts with row count and SHA-256).
MANIFEST_VERSION = 2
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


class SweepError(OrbitaldcError):
    """A sweep request, output folder or part is invalid.

    The message starts with the name of the argument at fault (``grid``, ``out``,
    ``chunk_rows``, ...), stored in :attr:`argument`, so an interface can name its own flag
    instead (:meth:`with_flag`).
    """

    def __init__(self, message: str, argument: str | None = None) -> None:
        super().__init__(message)
        self.argument = argument

    def __reduce__(self):  # keep ``argument`` when a worker's error crosses a process boundary
        return (type(self), (str(self), self.argument))

    def with_flag(self, flags: Mapping[str, str]) -> str:
        """The message with its leading argument name replaced by ``flags[argument]``.

        Parameters
        ----------
        flags : mapping of str to str
            Argument name -> the interface's name for it (e.g. ``{"grid": "--grid"}``).

        Returns
        -------
        str
            The message as the interface should show it.
        """
        text = str(self)
        flag = flags.get(self.argument or "")
        if flag and text.startswith(self.argument):
            return flag + text[len(self.argument):]
        return text


class SweepLockedError(SweepError):
    """Another process holds the output folder's lock (its holder is named in the message)."""


#: Axes up to this many points are listed value by value in the manifest; longer ones are
#: described by count, first, last and the SHA-256 of their float64 values (exact, and small).
MANIFEST_LISTED_POINTS = 1000


@dataclass(frozen=True)
class AxisRange:
    """The points of a range axis, ``start + step * k`` for k from 0 to count - 1, built on demand.

    Indexing gives, bit for bit, the elements of ``start + step * np.arange(count, dtype=float)``
    (the same float64 product and sum on the same operands), without the whole axis: a worker
    receives three numbers instead of every point of a long axis.
    """

    start: float
    step: float
    count: int

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, k):
        """The points at indices ``k`` (integers in ``[0, count)``)."""
        return self.start + self.step * np.asarray(k, dtype=float)


@dataclass(frozen=True, eq=False)
class Axis:
    """One swept parameter and its values.

    Attributes
    ----------
    name : str
        The parameter.
    values : numpy.ndarray or tuple of str
        A read-only float64 array for a numeric axis; a tuple of strings for a model choice.
    """

    name: str
    values: np.ndarray | tuple
    #: ``(START, STEP)`` of a ``START:STOP:STEP`` axis, whose values are ``START + STEP * k``
    #: (a worker rebuilds the points it needs from them instead of receiving every value).
    arange: tuple[float, float] | None = None

    def worker_values(self) -> np.ndarray | tuple | AxisRange:
        """The values as sent to a worker: a :class:`AxisRange` for a range axis, else the values."""
        if self.arange is None:
            return self.values
        return AxisRange(self.arange[0], self.arange[1], len(self.values))

    @property
    def is_choice(self) -> bool:
        """True for a model-choice axis (string values)."""
        return isinstance(self.values, tuple)

    def describe(self) -> list | dict[str, Any]:
        """The axis as the manifest states it: its values, or for a long numeric axis its point
        count, first and last value and the SHA-256 of its little-endian float64 values."""
        if self.is_choice or len(self.values) <= MANIFEST_LISTED_POINTS:
            return [v if isinstance(v, str) else float(v) for v in self.values]
        data = np.ascontiguousarray(self.values, dtype="<f8").tobytes()
        return {"points": len(self.values), "first": float(self.values[0]), "last": float(self.values[-1]),
                "sha256": hashlib.sha256(data).hexdigest()}


def _spec(name: str):
    library = load_library()
    if name not in library:
        close = difflib.get_close_matches(name, list(library), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise SweepError(f"grid {name!r}: unknown key{hint}; allowed: a parameter of the library "
                         f"(orbitaldc.params.load_library())", "grid")
    return library[name]


def _checked(spec, value: Any, where: str) -> Any:
    try:
        return check_value(spec, value, where)
    except OrbitaldcError as exc:
        raise SweepError(str(exc), "grid") from None


def parse_axis(text: str) -> Axis:
    """Parse one axis: ``NAME=START:STOP:STEP`` (STOP included when on the grid) or ``NAME=a,b,c``.

    Values are validated against the parameter library (allowed range, whole numbers for
    integer parameters, choices for model parameters). Grid points are computed as
    ``START + STEP * k``, never summed, so no rounding drift accumulates.

    Parameters
    ----------
    text : str
        The axis, e.g. ``"launch_cost_usd_per_kg=100:3000:50"``, ``"pue=1.1,1.2,1.4"`` or
        ``"mass_model=specific_power,bottom_up"``.

    Returns
    -------
    Axis
        The parameter name and its values (floats, or strings for a model choice).

    Raises
    ------
    SweepError
        With ``argument = "grid"``, naming the axis, the value and what is allowed.

    References
    ----------
    D. Goldberg, "What every computer scientist should know about floating-point arithmetic",
    ACM Computing Surveys 23(1), 1991, doi:10.1145/103162.103163 (why START + STEP * k).
    """
    if "=" not in text:
        raise SweepError(f"grid {text!r}: expected NAME=START:STOP:STEP or NAME=a,b,c", "grid")
    name, raw = (p.strip() for p in text.split("=", 1))
    where = f"grid {name}"
    spec = _spec(name)
    raw = raw.strip("[] ")
    if not raw:
        raise SweepError(f"{where}: no values; expected START:STOP:STEP or a,b,c", "grid")
    if spec.type == "str":
        vals = tuple(v.strip().strip("'\"") for v in raw.split(","))
        for v in vals:
            _checked(spec, v, where)
        if len(set(vals)) != len(vals):
            raise SweepError(f"{where}: repeated values {vals}", "grid")
        return Axis(name, vals)
    if ":" in raw:
        parts = raw.split(":")
        if len(parts) != 3 or not all(re.fullmatch(_NUMBER, p.strip()) for p in parts):
            raise SweepError(f"{where}={raw}: expected START:STOP:STEP with three numbers", "grid")
        start, stop, step = (float(p) for p in parts)
        if not (math.isfinite(start) and math.isfinite(stop) and math.isfinite(step)) or step <= 0:
            raise SweepError(f"{where}={raw}: STEP must be a finite number > 0", "grid")
        if stop < start:
            raise SweepError(f"{where}={raw}: STOP {stop:g} is below START {start:g}", "grid")
        count = math.floor((stop - start) / step * (1 + 1e-12) + 1e-9) + 1
        if count > MAX_AXIS_POINTS:
            raise SweepError(f"{where}={raw}: {count} points; allowed at most {MAX_AXIS_POINTS}", "grid")
        arr = start + step * np.arange(count, dtype=float)
        arange = (start, step)
        if count > 1 and not np.all(np.diff(arr) > 0):  # a step below the resolution of START
            raise SweepError(f"{where}={raw}: STEP {step:g} is too small to give distinct values from "
                             f"{start:g}", "grid")
    else:
        items = [p.strip() for p in raw.split(",")]
        if not all(re.fullmatch(_NUMBER, p) for p in items):
            raise SweepError(f"{where}={raw}: expected numbers separated by commas", "grid")
        if len(items) > MAX_AXIS_POINTS:
            raise SweepError(f"{where}: {len(items)} points; allowed at most {MAX_AXIS_POINTS}", "grid")
        arr = np.array([float(p) for p in items])
        arange = None
    checked = np.asarray(_checked(spec, arr, where), dtype=float).ravel()  # check_value returns a new array
    if ":" not in raw and np.unique(checked).size != checked.size:  # a range is strictly increasing
        raise SweepError(f"{where}: repeated values", "grid")
    checked.flags.writeable = False
    return Axis(name, checked, arange)


class Chunking(NamedTuple):
    """How rows map to chunks: ``blocks`` model-choice combinations of ``block_rows`` rows each,
    every block cut into chunks of ``chunk_rows`` rows (the last chunk of a block may be shorter)."""

    block_rows: int
    blocks: int
    chunk_rows: int

    @property
    def chunks_per_block(self) -> int:
        """Chunks in one model-choice block."""
        return -(-self.block_rows // self.chunk_rows)

    @property
    def chunks(self) -> int:
        """Chunks (and Parquet parts) in the sweep."""
        return self.chunks_per_block * self.blocks

    @property
    def rows(self) -> int:
        """Rows in the sweep."""
        return self.block_rows * self.blocks

    def bounds(self, chunk: int) -> tuple[int, int, int, int]:
        """``(block, first row of the block, start, stop)`` of a chunk (start/stop within the block)."""
        block, sub = divmod(chunk, self.chunks_per_block)
        start = sub * self.chunk_rows
        return block, block * self.block_rows, start, min(start + self.chunk_rows, self.block_rows)

    def rows_in(self, chunk: int) -> int:
        """Rows of one chunk."""
        _, _, start, stop = self.bounds(chunk)
        return stop - start


@dataclass(frozen=True)
class SweepWork:
    """What a worker needs to compute any chunk of one sweep (picklable; sent once per worker).

    Attributes
    ----------
    values : dict
        The base scenario's values (every library parameter).
    choice_axes : tuple
        ``(name, values)`` of each model-choice axis, outermost first.
    numeric_axes : tuple
        ``(name, values)`` of each numeric axis, the last varying fastest: an
        :class:`AxisRange` for a ``START:STOP:STEP`` axis, else a float64 array.
    metrics : tuple of str
        Result columns.
    chunking : Chunking
        Row numbering.
    """

    values: Mapping[str, Any]
    choice_axes: tuple
    numeric_axes: tuple
    metrics: tuple
    chunking: Chunking

    def table(self, chunk: int):
        """Evaluate one chunk.

        Parameters
        ----------
        chunk : int
            Chunk number, ``0 <= chunk < chunking.chunks``.

        Returns
        -------
        pyarrow.Table
            Columns ``row`` (int64, the sweep-wide row number), the swept parameters and the
            metrics (float64), in row order.

        References
        ----------
        NumPy, ``numpy.unravel_index`` (C order):
        https://numpy.org/doc/stable/reference/generated/numpy.unravel_index.html
        """
        import pyarrow as pa

        block, row0, start, stop = self.chunking.bounds(chunk)
        idx = np.arange(start, stop, dtype=np.int64)
        values = dict(self.values)
        choices = {}
        if self.choice_axes:
            combo = np.unravel_index(block, [len(v) for _, v in self.choice_axes])
            choices = {name: vals[int(i)] for (name, vals), i in zip(self.choice_axes, combo)}
        values.update(choices)
        if self.numeric_axes:
            coords = np.unravel_index(idx, [len(v) for _, v in self.numeric_axes])
            for (name, axis_values), coord in zip(self.numeric_axes, coords):
                values[name] = axis_values[coord]
        result = evaluate_values(values)
        n = idx.size
        columns: dict[str, Any] = {"row": idx + row0}
        for name, choice in choices.items():
            columns[name] = pa.array([choice] * n, type=pa.string())
        for name, _ in self.numeric_axes:
            columns[name] = np.asarray(values[name], dtype=float)
        for m in self.metrics:
            columns[m] = np.ascontiguousarray(np.broadcast_to(np.asarray(get_metric(result, m), dtype=float), (n,)))
        return pa.table(columns)


@dataclass
class SweepPlan:
    """Everything that defines a sweep's output (written to the folder's ``manifest.json``).

    Attributes
    ----------
    scenario : Scenario
        The base scenario (a single point).
    axes : list of Axis
        In row order: model-choice axes first, then numeric axes in the order given.
    metrics : list of str
        Result columns (canonical names).
    chunk_rows : int
        Rows per chunk and per Parquet part.
    """

    scenario: Scenario
    axes: list[Axis]
    metrics: list[str]
    chunk_rows: int
    _work: SweepWork | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def choice_axes(self) -> list[Axis]:
        """Model-choice axes (outermost)."""
        return [a for a in self.axes if a.is_choice]

    @property
    def numeric_axes(self) -> list[Axis]:
        """Numeric axes, in the order given."""
        return [a for a in self.axes if not a.is_choice]

    @property
    def chunking(self) -> Chunking:
        """Row numbering of this sweep."""
        return Chunking(math.prod(len(a.values) for a in self.numeric_axes),
                        math.prod(len(a.values) for a in self.choice_axes), self.chunk_rows)

    @property
    def rows(self) -> int:
        """Rows in the sweep."""
        return self.chunking.rows

    @property
    def chunks(self) -> int:
        """Chunks (Parquet parts) in the sweep."""
        return self.chunking.chunks

    def manifest(self) -> dict[str, Any]:
        """The sweep's definition as stored in ``manifest.json`` (without the part receipts)."""
        return {
            "orbitaldc_sweep": MANIFEST_VERSION,
            "scenario": self.scenario.name,
            "scenario_toml": self.scenario.to_toml(),
            "axes": {a.name: a.describe() for a in self.axes},
            "metrics": list(self.metrics),
            "chunk_rows": self.chunk_rows,
            "rows": self.rows,
            "chunks": self.chunks,
        }

    def work(self) -> SweepWork:
        """The picklable part a worker needs (built once)."""
        if self._work is None:
            self._work = SweepWork(
                dict(self.scenario.values),
                tuple((a.name, a.values) for a in self.choice_axes),
                tuple((a.name, a.worker_values()) for a in self.numeric_axes),
                tuple(self.metrics), self.chunking)
        return self._work


def plan_sweep(scenario: Scenario | str, grid: Sequence[str | Axis], metrics: Sequence[str] | None = None,
               chunk_rows: int = DEFAULT_CHUNK_ROWS) -> SweepPlan:
    """Validate a sweep: its axes, metrics, chunk size and total size.

    Parameters
    ----------
    scenario : Scenario or str
        Base scenario (a single point: no array parameters), or a preset name / TOML path.
    grid : sequence of str or Axis
        Axes, e.g. ``["launch_cost_usd_per_kg=100:3000:50", "pue=1.1,1.2,1.4"]``.
    metrics : sequence of str, optional
        Result columns (default :data:`orbitaldc.uncertainty.DEFAULT_METRICS`); aliases such
        as ``cost_ratio`` are accepted.
    chunk_rows : int
        Rows per chunk and Parquet part, ``1 <= chunk_rows <=`` :data:`MAX_CHUNK_ROWS`.

    Returns
    -------
    SweepPlan
        The validated plan, axes in row order.

    Raises
    ------
    SweepError
        Naming the argument at fault (``scenario``, ``grid``, ``metrics``, ``chunk_rows``).

    References
    ----------
    NumPy, ``numpy.unravel_index`` (C order):
    https://numpy.org/doc/stable/reference/generated/numpy.unravel_index.html
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if scenario.shape:
        raise SweepError("scenario: it has array parameters; give the arrays as grid axes instead", "scenario")
    if not grid:
        raise SweepError("grid: no axis given (e.g. launch_cost_usd_per_kg=100:3000:50)", "grid")
    axes = [a if isinstance(a, Axis) else parse_axis(a) for a in grid]
    names = [a.name for a in axes]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise SweepError(f"grid: axis {dup[0]!r} given more than once", "grid")
    if (isinstance(chunk_rows, bool) or not isinstance(chunk_rows, (int, np.integer))
            or not 1 <= chunk_rows <= MAX_CHUNK_ROWS):
        raise SweepError(f"chunk_rows = {chunk_rows!r}: expected a whole number in [1, {MAX_CHUNK_ROWS}]",
                         "chunk_rows")
    metrics = list(dict.fromkeys(METRIC_ALIASES.get(m, m) for m in (DEFAULT_METRICS if metrics is None else metrics)))
    if not metrics:
        raise SweepError("metrics: none requested", "metrics")
    base = evaluate_values(scenario.values)
    for m in metrics:
        try:
            get_metric(base, m)
        except OrbitaldcError as exc:
            raise SweepError(f"metrics: {exc}", "metrics") from None
    plan = SweepPlan(scenario, [a for a in axes if a.is_choice] + [a for a in axes if not a.is_choice],
                     metrics, int(chunk_rows))
    if plan.rows > MAX_ROWS:
        raise SweepError(f"grid: {plan.rows:,} rows; allowed at most {MAX_ROWS:,}", "grid")
    choice_axes = plan.choice_axes
    if choice_axes and plan.chunking.blocks <= MAX_CHECKED_COMBINATIONS:  # each combination must be valid
        for block in range(plan.chunking.blocks):
            combo = np.unravel_index(block, [len(a.values) for a in choice_axes])
            try:
                scenario.with_overrides({a.name: a.values[int(i)] for a, i in zip(choice_axes, combo)}, where="grid")
            except OrbitaldcError as exc:
                raise SweepError(str(exc), "grid") from None
    return plan
