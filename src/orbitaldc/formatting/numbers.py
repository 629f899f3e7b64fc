"""Numbers and short values: money, quantities, percentages, ratios, metrics, parameter values.

Every interface (CLI, HTML report, web API) writes a number through these functions, so one
quantity reads the same everywhere: ``$51.10B``, ``$1,167/MWh``, ``$2.063/GPU-h``, ``3.224x``,
``12.34 %``. Nothing here computes a model quantity; the functions only turn values into text.
Non-finite and missing values are written ``n/a``.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

__all__ = ["NOT_AVAILABLE", "file_stem", "first", "metric", "number", "one_line", "percent", "quantity", "ratio",
           "usd", "usd_per", "value"]

#: How a missing or non-finite number is written.
NOT_AVAILABLE = "n/a"
#: Control characters (C0 but tab and newline, DEL, C1): they can drive a terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Money scales, largest first: (threshold, suffix).
_MONEY_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def _missing(x: Any) -> bool:
    return x is None or not math.isfinite(x)


def first(x: Any) -> float:
    """The first element of a result as a float (a point comparison holds size-1 arrays).

    Parameters
    ----------
    x : float or array_like
        A scalar or an array result.

    Returns
    -------
    float
    """
    return float(np.asarray(x, dtype=float).ravel()[0])


def usd(x: float | None) -> str:
    """An amount of money with a scale suffix.

    Parameters
    ----------
    x : float or None
        Amount [USD].

    Returns
    -------
    str
        Two decimals after scaling to thousands (``k``), millions (``M``), billions (``B``) or
        trillions (``T``): ``$51.10B``, ``$8.20M``, ``$12.30k``, ``$0.85``; negative amounts
        ``-$713.75M``; ``n/a`` for None, NaN or infinity.
    """
    if _missing(x):
        return NOT_AVAILABLE
    if x < 0:
        return "-" + usd(-x)
    for scale, suffix in _MONEY_SCALES:
        if x >= scale:
            return f"${x / scale:,.2f}{suffix}"
    return f"${x:,.2f}"


def usd_per(x: float | None, unit: str, decimals: int) -> str:
    """A price per unit, e.g. ``$2.50/W``, ``$1,167/MWh``, ``$2.063/GPU-h``.

    Parameters
    ----------
    x : float or None
        Price [USD per ``unit``].
    unit : str
        The unit after the slash.
    decimals : int
        Digits after the decimal point.

    Returns
    -------
    str
        ``$`` amount with thousands separators, ``/unit``; a minus sign before the ``$``;
        ``n/a`` for None, NaN or infinity.
    """
    if _missing(x):
        return NOT_AVAILABLE
    sign = "-" if x < 0 else ""
    return f"{sign}${abs(x):,.{decimals}f}/{unit}"


def number(x: float | None, unit: str = "", digits: int = 4) -> str:
    """A plain quantity with an optional unit.

    Parameters
    ----------
    x : float or None
        The value.
    unit : str
        Appended after a space (omitted when empty).
    digits : int
        Significant digits for values below 100 that are not whole numbers.

    Returns
    -------
    str
        Whole numbers and values of 100 or more with thousands separators (one decimal if not
        whole): ``1,234.5 kg``; below 100, ``digits`` significant digits: ``3.142``; from 10^12 on,
        four significant digits in exponent form: ``5e+12``; ``n/a`` for None, NaN or infinity.
    """
    if _missing(x):
        return NOT_AVAILABLE
    a = abs(x)
    if a >= 1e6:
        text = f"{x:,.0f}" if a < 1e12 else f"{x:.4g}"
    elif a >= 100 or x == round(x):
        text = f"{x:,.{0 if x == round(x) else 1}f}"
    else:
        text = f"{x:.{digits}g}"
    return f"{text} {unit}".strip()


def percent(x: float | None, decimals: int = 2) -> str:
    """A fraction written as a percentage, e.g. ``0.1234`` -> ``12.34 %``.

    Parameters
    ----------
    x : float or None
        Fraction [1].
    decimals : int
        Digits after the decimal point.

    Returns
    -------
    str
        ``100 x`` with ``decimals`` decimals and `` %``; ``n/a`` for None, NaN or infinity.
    """
    if _missing(x):
        return NOT_AVAILABLE
    return f"{100.0 * x:.{decimals}f} %"


def ratio(x: float | None, decimals: int = 3) -> str:
    """A ratio of two like quantities, e.g. ``3.224x``.

    Parameters
    ----------
    x : float or None
        The ratio [1].
    decimals : int
        Digits after the decimal point.

    Returns
    -------
    str
        ``x`` with ``decimals`` decimals and an ``x``; ``n/a`` for None, NaN or infinity.
    """
    if _missing(x):
        return NOT_AVAILABLE
    return f"{x:.{decimals}f}x"


#: How a result is written, by the end of its name (first match wins; see :func:`metric`).
_METRIC_SUFFIXES: tuple[tuple[str, Any], ...] = (
    ("ratio", ratio),
    ("_usd_per_mwh", lambda x: usd_per(x, "MWh", 0)),
    ("_usd_per_gpu_hour", lambda x: usd_per(x, "GPU-h", 3)),
    ("_usd_per_kg", lambda x: usd_per(x, "kg", 0)),
    ("_usd_per_kw_yr", lambda x: usd_per(x, "kW-yr", 0)),
    ("cost_per_watt_usd", lambda x: usd_per(x, "W", 2)),
    ("_usd", usd),
    ("_per_yr", lambda x: percent(x) + "/yr" if not _missing(x) else NOT_AVAILABLE),
    ("_kg_per_kw", lambda x: number(x, "kg/kW")),
    ("_kg", lambda x: number(x, "kg")),
    ("_mwh", lambda x: number(x, "MWh")),
    ("_gpu_hours", lambda x: number(x, "GPU-h")),
    ("_years", lambda x: number(x, "yr")),
    ("_w", lambda x: number(x, "W")),
    ("_l", lambda x: number(x, "L")),
)


def metric(name: str, x: float | None) -> str:
    """A result value written with the unit its name carries.

    Parameters
    ----------
    name : str
        A result name (``orbital.total_cost_usd``, ``cost_ratio``, ``terrestrial.lcoe_usd_per_mwh``,
        see :func:`orbitaldc.compare.metric_names`).
    x : float or None
        The value in the unit of the name (SI, USD, fractions).

    Returns
    -------
    str
        Ratios ``3.224x``; money :func:`usd`; prices per unit :func:`usd_per` (``$2.50/W``,
        ``$1,167/MWh``, ``$2.063/GPU-h``); rates per year ``12.00 %/yr``; masses, energies,
        durations with their unit; anything else :func:`number`.
    """
    for suffix, write in _METRIC_SUFFIXES:
        if name.endswith(suffix):
            return write(x)
    return number(x)


#: Units written as money by :func:`quantity`: unit -> (unit after the slash, decimals); None: :func:`usd`.
_MONEY_UNITS = {"USD": None, "USD/GPU-h": ("GPU-h", 4), "USD/W": ("W", 2), "USD/MWh": ("MWh", 0),
                "USD/kg": ("kg", 0)}


def quantity(x: float | None, unit: str) -> str:
    """A value written with a unit string from the parameter library or an objective.

    Parameters
    ----------
    x : float or None
        The value in ``unit``.
    unit : str
        ``"USD"``, ``"USD/GPU-h"``, ``"USD/W"``, ... (money), ``"1"`` (dimensionless) or any other
        unit (appended).

    Returns
    -------
    str
        ``$1.20B``, ``$2.0631/GPU-h``, ``12.5``, ``7.3 kg/kW``; ``n/a`` for None, NaN or infinity.
    """
    if unit in _MONEY_UNITS:
        per = _MONEY_UNITS[unit]
        return usd(x) if per is None else usd_per(x, *per)
    return number(x, "" if unit == "1" else unit)


def value(x: Any) -> str:
    """A parameter value as written in a scenario.

    Parameters
    ----------
    x : float, int, str, ndarray or None
        A scenario value.

    Returns
    -------
    str
        ``-`` for unset, strings as they are, numbers in ``%g`` form (``22``, ``0.0005``,
        ``1e+09``), arrays as ``[a, b, ...]`` with at most six elements shown.
    """
    if x is None:
        return "-"
    if isinstance(x, str):
        return x
    if isinstance(x, np.ndarray):
        return "[" + ", ".join(f"{v:g}" for v in x.ravel()[:6]) + (", ...]" if x.size > 6 else "]")
    return f"{x:g}"


def one_line(text: Any) -> str:
    """User-supplied text made safe for one line of a terminal or a log.

    Parameters
    ----------
    text : Any
        Text from a user (a scenario name, a title, an error message quoting a value).

    Returns
    -------
    str
        ``str(text)`` with line breaks and tabs as spaces and control characters (escape sequences
        among them) removed.
    """
    return _CONTROL.sub("", re.sub(r"[\r\n\t]+", " ", str(text)))


def file_stem(name: str) -> str:
    """A scenario name made safe as a file or folder name.

    Parameters
    ----------
    name : str
        A scenario name (from a file, possibly hostile: ``../../x``, separators, control characters).

    Returns
    -------
    str
        Runs of characters other than letters, digits, ``.``, ``_`` and ``-`` replaced by ``_``,
        leading dots removed; ``scenario`` when nothing is left.
    """
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).lstrip(".") or "scenario"
