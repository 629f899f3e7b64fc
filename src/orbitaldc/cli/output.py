"""What the commands write: JSON (whole, or streamed for large arrays) and Parquet tables of results.

The JSON conversion itself is :mod:`orbitaldc.serialization` (shared with the web API).

:func:`write_json` writes the same text as :func:`dumps` but never holds a large array as Python
objects or the whole document as one string: arrays are written in chunks of
:data:`JSON_CHUNK` elements, so memory stays bounded by the results themselves.
"""

from __future__ import annotations

import json
import math
from typing import Any, Callable, Mapping, TextIO

import numpy as np

from orbitaldc.serialization import dumps, jsonable  # noqa: F401  (the one JSON conversion; re-exported)


#: Array elements converted to text at a time by :func:`write_json`.
JSON_CHUNK = 65_536
#: Rows per Parquet row group written by :func:`write_parquet`.
PARQUET_ROWS = 262_144
#: Indentation of the JSON written (spaces per level).
INDENT = 2


def write_json(obj: Any, stream: TextIO, chunk: int = JSON_CHUNK) -> None:
    """Write ``obj`` as JSON to ``stream``, exactly the text of :func:`dumps`, arrays in chunks.

    Parameters
    ----------
    obj : Any
        As for :func:`dumps`.
    stream : text file
        Where to write (``sys.stdout``, an open file).
    chunk : int
        Array elements converted to text at a time (memory bound).

    Returns
    -------
    None
    """
    _write(obj, stream.write, 0, chunk)
    stream.write("\n")


def _write(obj: Any, write: Callable[[str], Any], level: int, chunk: int) -> None:
    pad, inner = " " * (INDENT * level), " " * (INDENT * (level + 1))
    if isinstance(obj, dict):
        if not obj:
            write("{}")
            return
        for i, (key, item) in enumerate(obj.items()):
            write(("{\n" if i == 0 else ",\n") + inner + json.dumps(str(key)) + ": ")
            _write(item, write, level + 1, chunk)
        write("\n" + pad + "}")
    elif isinstance(obj, (list, tuple)) or (isinstance(obj, np.ndarray) and obj.ndim > 1):
        if len(obj) == 0:
            write("[]")
            return
        for i, item in enumerate(obj):
            write(("[\n" if i == 0 else ",\n") + inner)
            _write(item, write, level + 1, chunk)
        write("\n" + pad + "]")
    elif isinstance(obj, np.ndarray) and obj.ndim == 1 and obj.dtype.kind in "biuf" and obj.size:
        sep = ",\n" + inner
        for start in range(0, obj.size, chunk):
            part = obj[start:start + chunk]
            items = part.tolist()
            if part.dtype.kind == "f":
                for j in np.flatnonzero(~np.isfinite(part)):
                    items[j] = None
            write(("[\n" + inner if start == 0 else sep) + json.dumps(items)[1:-1].replace(", ", sep))
        write("\n" + pad + "]")
    elif isinstance(obj, np.ndarray) and obj.ndim == 1:
        _write(jsonable(obj), write, level, chunk)
    else:
        write(json.dumps(jsonable(obj), allow_nan=False))


def write_parquet(columns: Mapping[str, np.ndarray], shape: tuple[int, ...], path: str,
                  rows_per_group: int = PARQUET_ROWS) -> int:
    """Write one row per scenario of a broadcast shape to a Parquet file, a row group at a time.

    Parameters
    ----------
    columns : mapping of str to array_like
        Column name -> values broadcastable to ``shape`` (scalars repeat on every row).
    shape : tuple of int
        The scenarios' broadcast shape (``()``: one row).
    path : str
        The file to write.
    rows_per_group : int
        Rows converted and written at a time (memory bound).

    Returns
    -------
    int
        Rows written (the product of ``shape``).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    full = {name: np.broadcast_to(np.asarray(v), shape) for name, v in columns.items()}
    rows = math.prod(shape)
    schema = pa.schema([(name, pa.from_numpy_dtype(v.dtype)) for name, v in full.items()])
    with pq.ParquetWriter(path, schema) as writer:
        for start in range(0, rows, rows_per_group):
            stop = min(rows, start + rows_per_group)
            batch = {name: v.reshape(-1)[start:stop] if v.flags.c_contiguous else v.flat[start:stop]
                     for name, v in full.items()}
            writer.write_table(pa.table(batch, schema=schema))
    return rows
