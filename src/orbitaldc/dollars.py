"""One real-dollar year: CPI-U escalation of every money input.

Every money parameter in the library states its dollar year (``dollar_year``); the launch
catalog states one per vehicle. With ``dollar_escalation = "cpi"`` the chains express every
amount in dollars of ``real_dollar_year`` by the ratio of US CPI-U annual averages
(``params/data/datasets/cpi_u.toml``); with ``"none"`` figures are taken as typed (how the
published presets reproduce their publications).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from typing import Any, Mapping

import numpy as np

from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import DATA_DIR, load_library

__all__ = ["cpi_factor", "cpi_table", "escalated", "money_parameters"]

DATASETS = DATA_DIR / "datasets"


@lru_cache(maxsize=1)
def cpi_table() -> tuple[np.ndarray, np.ndarray]:
    """CPI-U annual averages: ``(years, index)`` as arrays, years ascending.

    References
    ----------
    .. [1] US Bureau of Labor Statistics, Consumer Price Index for All Urban Consumers,
       series CUUR0000SA0 (1982-84 = 100); see the table's own ``source``.
    """
    with (DATASETS / "cpi_u.toml").open("rb") as fh:
        raw = tomllib.load(fh)["index"]
    years = np.array(sorted(int(y) for y in raw), dtype=float)
    return years, np.array([float(raw[str(int(y))]) for y in years])


def cpi_factor(from_year, to_year):
    """Multiplier that turns dollars of ``from_year`` into dollars of ``to_year``.

    Parameters
    ----------
    from_year, to_year : array_like
        Calendar years inside the CPI table (whole numbers).

    Returns
    -------
    ndarray
        ``CPI(to) / CPI(from)``.

    Raises
    ------
    OrbitaldcError
        A year outside the table.

    References
    ----------
    .. [1] US Bureau of Labor Statistics, "CPI Inflation Calculator" method: dollars of year b =
       dollars of year a x CPI(b) / CPI(a), with CPI-U annual averages.
    """
    years, index = cpi_table()
    out = []
    for y in (from_year, to_year):
        a = np.asarray(y, dtype=float)
        if np.any((a < years[0]) | (a > years[-1])) or np.any(a != np.round(a)):
            raise OrbitaldcError(f"dollar year {a.ravel()[0]:g}: the CPI-U table covers whole years "
                                 f"{years[0]:.0f}-{years[-1]:.0f}")
        out.append(index[(np.round(a) - years[0]).astype(int)])
    return out[1] / out[0]


@lru_cache(maxsize=1)
def money_parameters() -> dict[str, int]:
    """Library money parameters (unit in USD) and their dollar years.

    Returns
    -------
    dict
        Parameter name -> dollar year (``params/data/*.toml``).
    """
    return {name: int(spec.dollar_year) for name, spec in load_library().items()
            if spec.unit.startswith("USD") and spec.dollar_year is not None}


def escalated(values: Mapping[str, Any]) -> dict[str, Any]:
    """Money inputs in dollars of ``real_dollar_year`` (a copy; unchanged unless ``dollar_escalation = "cpi"``).

    Parameters
    ----------
    values : mapping
        Parameter values (numbers as arrays or scalars).

    Returns
    -------
    dict
        Each money parameter multiplied by ``CPI(real_dollar_year) / CPI(its dollar year)``.

    References
    ----------
    .. [1] BLS CPI-U annual averages (``params/data/datasets/cpi_u.toml``), see :func:`cpi_factor`.
    """
    out = dict(values)
    if values.get("dollar_escalation") != "cpi":
        return out
    target = values["real_dollar_year"]
    for name, year in money_parameters().items():
        x = out.get(name)
        if x is None:
            continue
        factor = cpi_factor(year, target)
        if np.ndim(factor) == 0 and float(factor) == 1.0:
            continue
        out[name] = np.asarray(x, dtype=float) * factor
    return out
