"""Output helpers shared by CLI commands: JSON conversion; money/number formatting re-exported."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from orbitaldc.formatting import number, usd  # noqa: F401  (re-exported for commands)


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
