"""The run's output on disk: one Parquet part per chunk under ``series/``, written atomically."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

import numpy as np

from orbitaldc.constants import SECONDS_PER_DAY

#: Columns of every series part, in order (constellation-sample sums or means per step).
SERIES_COLUMNS = (
    "time", "sunlit_fraction", "satellites_alive", "array_power_w", "load_power_w", "battery_soc",
    "temperature_k", "die_temperature_max_k", "active_gpus", "compute_power_w", "shortfall_w",
    "throttle_loss_w", "restart_loss_w", "interruptions", "in_contact", "downlink_bytes",
)
#: Julian date of the Unix epoch, 1970-01-01 00:00 UTC.
UNIX_EPOCH_JD = 2440587.5


def prepare_series_dir(out_dir: str | Path) -> Path:
    """``out_dir/series``, created, with the parts of an earlier run removed.

    Parameters
    ----------
    out_dir : str or Path
        The run's folder.

    Returns
    -------
    Path

    References
    ----------
    .. [1] Apache Parquet file format (one file per chunk, read back as one dataset).
    """
    series_dir = Path(out_dir) / "series"
    series_dir.mkdir(parents=True, exist_ok=True)
    for old in series_dir.glob("part-*.parquet"):
        old.unlink()
    return series_dir


def write_part(series: Mapping[str, np.ndarray], start_jd: float, path: Path) -> None:
    """Write one chunk's series as a Parquet part (through a temporary file, then renamed).

    Parameters
    ----------
    series : mapping
        Columns of :data:`SERIES_COLUMNS` (less ``time``) and ``_t_s`` (seconds since the start).
    start_jd : float
        Julian date (UTC) of the run's start.
    path : Path
        The part's file.

    Returns
    -------
    None

    Notes
    -----
    ``time`` is stored as integer nanoseconds since the Unix epoch (UTC), exact for whole-second
    steps.

    References
    ----------
    .. [1] Apache Parquet file format; ``pyarrow.parquet.write_table`` (zstd compression).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    ns = np.round((start_jd - UNIX_EPOCH_JD) * SECONDS_PER_DAY * 1e9).astype(np.int64) + np.round(
        series["_t_s"] * 1e9).astype(np.int64)
    cols = {"time": pa.array(ns, type=pa.timestamp("ns", tz="UTC"))}
    for name in SERIES_COLUMNS[1:]:
        cols[name] = pa.array(series[name])
    tmp = path.with_suffix(".parquet.tmp")
    pq.write_table(pa.table(cols), tmp, compression="zstd")
    os.replace(tmp, path)
