"""Human-readable money and numbers, shared by analyses (claims) and interfaces (CLI, report, web)."""

from __future__ import annotations

import math


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
