"""JSON serialization shared by every interface (CLI ``--format json``, report data, web API).

Presentation layer: turns analysis results (NumPy scalars and arrays, nested dicts and lists)
into plain JSON types. Non-finite floats (NaN, +-inf) have no JSON spelling; they become
``null`` so every document this module writes is strict JSON (RFC 8259) that any parser reads.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

__all__ = ["jsonable", "dumps"]


def jsonable(obj: Any) -> Any:
    """Convert a result to JSON types, recursively.

    Parameters
    ----------
    obj : object
        A dict, list, tuple, NumPy array or scalar, Python number, string, bool or None,
        nested to any depth.

    Returns
    -------
    object
        The same structure built from dict (string keys), list, float, int, str, bool and
        None only. Arrays become (nested) lists; NaN and infinities become None.

    References
    ----------
    .. [1] T. Bray (ed.), "The JavaScript Object Notation (JSON) Data Interchange Format",
       RFC 8259, section 6 (numbers: "Infinity and NaN are not permitted").
    """
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        if obj.ndim == 0:
            return jsonable(obj.item())
        return [jsonable(v) for v in obj.tolist()]
    if isinstance(obj, np.generic):
        return jsonable(obj.item())
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    return obj


def dumps(obj: Any, indent: int | None = 2) -> str:
    """Strict JSON text of a result (see :func:`jsonable`).

    Parameters
    ----------
    obj : object
        Anything :func:`jsonable` accepts.
    indent : int or None
        Indentation of the text (None: one line, no spaces after separators).

    Returns
    -------
    str
        JSON text; ``allow_nan=False`` guarantees no ``NaN``/``Infinity`` tokens.

    References
    ----------
    .. [1] RFC 8259 (see :func:`jsonable`).
    """
    separators = None if indent is not None else (",", ":")
    return json.dumps(jsonable(obj), indent=indent, allow_nan=False, separators=separators)
