"""Sweeps: grids or lists over any parameters, in chunks, locally or on a Dask cluster; Parquet out.

A sweep is the Cartesian product of *axes* (``launch_cost_usd_per_kg=100:3000:50`` or
``mass_model=specific_power,bottom_up``) applied to a scenario, evaluated chunk by chunk (one
vectorized :func:`orbitaldc.compare.evaluate_values` call each) and written as
``part-NNNNNN.parquet`` files in an output folder with a ``manifest.json``.

- :mod:`orbitaldc.sweep.plan`: axes, validation, row numbering, one chunk's computation.
- :mod:`orbitaldc.sweep.store`: atomic parts with receipts (rows, bytes, SHA-256) in the
  manifest, verification, :func:`read_sweep` and :func:`sweep_status`.
- :mod:`orbitaldc.sweep.folder`: output path checks and the lock admitting one writer.
- :mod:`orbitaldc.sweep.executors`: :func:`run_sweep` in this process, a local process pool or
  a Dask cluster; workers write their own parts and send back only receipts.

Running the same sweep again with the same folder **resumes**: verified parts are kept, any
part that is missing, truncated, corrupted, foreign or unrecorded is recomputed (and the
result says how many and why), so no row is lost, duplicated or wrong. A folder holding a
different sweep is refused, and a folder in use by another writer is locked.
"""

from orbitaldc.sweep.executors import CONNECT_TIMEOUT_S, SweepResult, compute_part, compute_parts, run_sweep
from orbitaldc.sweep.plan import (
    DEFAULT_CHUNK_ROWS,
    MAX_AXIS_POINTS,
    MAX_ROWS,
    Axis,
    SweepError,
    SweepLockedError,
    SweepPlan,
    SweepWork,
    parse_axis,
    plan_sweep,
)
from orbitaldc.sweep.store import MANIFEST, Receipt, part_name, read_sweep, sweep_status

__all__ = [
    "CONNECT_TIMEOUT_S", "DEFAULT_CHUNK_ROWS", "MANIFEST", "MAX_AXIS_POINTS", "MAX_ROWS", "Axis", "Receipt",
    "SweepError", "SweepLockedError", "SweepPlan", "SweepResult", "SweepWork", "compute_part", "compute_parts",
    "parse_axis",
    "part_name", "plan_sweep", "read_sweep", "run_sweep", "sweep_status",
]
