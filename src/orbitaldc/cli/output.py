"""Formatting helpers shared by CLI commands (JSON conversion, human-readable units)."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np


def jsonable(obj: Any) -> Any:
    """Convert NumPy scalars/arrays (recursively) to JSON types; NaN and inf become None."""
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


def dumps(obj: Any) -> str:
    return json.dumps(jsonable(obj), indent=2, allow_nan=False)


def usd(x: float) -> str:
    """$51.10B, $8.20M, $12.3k, $0.85."""
    if x is None or not math.isfinite(x):
        return "n/a"
    a = abs(x)
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= scale:
            return f"${x / scale:,.2f}{suffix}"
    return f"${x:,.2f}"


def number(x: float, unit: str = "", digits: int = 4) -> str:
    if x is None or not math.isfinite(x):
        return "n/a"
    a = abs(x)
    if a >= 1e6:
        text = f"{x:,.0f}" if a < 1e12 else f"{x:.4g}"
    elif a >= 100 or x == round(x):
        text = f"{x:,.{0 if x == round(x) else 1}f}"
    else:
        text = f"{x:.{digits}g}"
    return f"{text} {unit}".strip()
