"""The parameter library: ``params/data/*.toml`` read into :class:`~orbitaldc.params.spec.ParamSpec`.

Every default number orbitaldc uses lives in one of these files with its unit, source, allowed
range and plausible range; the vehicle catalog (``vehicles.toml``) is read separately.
"""

from __future__ import annotations

import difflib
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from orbitaldc.errors import ScenarioError
from orbitaldc.params.spec import DISTRIBUTIONS, ROLES, ParamSpec, check_value

__all__ = ["DATA_DIR", "defaults", "load_library", "load_vehicles", "spec_or_error"]

DATA_DIR = Path(__file__).parent / "data"
_SPEC_FIELDS = {
    "value", "unit", "type", "role", "min", "max", "low", "high", "distribution", "source",
    "note", "dollar_year", "choices", "optional", "correlations",
}


def _load_spec(name: str, raw: Mapping[str, Any], group: str, path: Path) -> ParamSpec:
    unknown = set(raw) - _SPEC_FIELDS
    if unknown:
        raise ScenarioError(f"{path}: parameter {name!r} has unknown fields {sorted(unknown)}")
    for required in ("type", "role", "source"):
        if required not in raw:
            raise ScenarioError(f"{path}: parameter {name!r} lacks {required!r}")
    if raw["role"] not in ROLES:
        raise ScenarioError(f"{path}: parameter {name!r} role {raw['role']!r} not in {ROLES}")
    dist = raw.get("distribution", "fixed")
    if dist not in DISTRIBUTIONS:
        raise ScenarioError(f"{path}: parameter {name!r} distribution {dist!r} not in {DISTRIBUTIONS}")
    if "value" not in raw and not raw.get("optional", False):
        raise ScenarioError(f"{path}: parameter {name!r} has no value and is not optional")
    if raw["type"] in ("float", "int") and dist != "fixed" and ("low" not in raw or "high" not in raw):
        raise ScenarioError(f"{path}: parameter {name!r} has a distribution but no low/high")
    return ParamSpec(
        name=name, value=raw.get("value"), unit=raw.get("unit", ""), type=raw["type"], role=raw["role"],
        source=raw["source"], min=raw.get("min"), max=raw.get("max"), low=raw.get("low"), high=raw.get("high"),
        distribution=dist, choices=tuple(raw.get("choices", ())), note=raw.get("note", ""),
        dollar_year=raw.get("dollar_year"), optional=bool(raw.get("optional", False)), group=group,
        correlations=dict(raw.get("correlations", {})),
    )


@lru_cache(maxsize=1)
def load_library() -> dict[str, ParamSpec]:
    """Read every ``params/data/*.toml`` parameter file (not the vehicle catalog).

    Returns
    -------
    dict
        Parameter name -> :class:`ParamSpec`, in file order; each default satisfies its own
        allowed range.

    Raises
    ------
    ScenarioError
        A malformed library entry (unknown field, missing source, a default out of range).
    """
    library: dict[str, ParamSpec] = {}
    for path in sorted(DATA_DIR.glob("*.toml")):
        if path.stem == "vehicles":
            continue
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        for name, raw in data.items():
            if name in library:
                raise ScenarioError(f"{path}: parameter {name!r} defined twice")
            library[name] = _load_spec(name, raw, path.stem, path)
    for spec in library.values():
        if spec.value is not None:
            check_value(spec, spec.value, where=f"library {spec.group}.toml")
    return library


@lru_cache(maxsize=1)
def load_vehicles() -> dict[str, dict[str, Any]]:
    """The launch vehicle catalog (``params/data/vehicles.toml``).

    Returns
    -------
    dict
        Vehicle key -> its fields (payload, price, sources).
    """
    with (DATA_DIR / "vehicles.toml").open("rb") as fh:
        return tomllib.load(fh)


def defaults() -> dict[str, Any]:
    """Library default of every parameter (``None`` for optional ones without a default).

    Returns
    -------
    dict
        Parameter name -> default value.
    """
    return {name: spec.value for name, spec in load_library().items()}


def spec_or_error(key: str, where: str) -> ParamSpec:
    """The library entry of ``key``, or a :class:`ScenarioError` that suggests the closest key.

    Parameters
    ----------
    key : str
        Parameter name.
    where : str
        Where the key came from (a file, a preset, an argument), named in the message.

    Returns
    -------
    ParamSpec
    """
    library = load_library()
    if key not in library:
        close = difflib.get_close_matches(key, list(library), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ScenarioError(f"{where}: unknown key {key!r}{hint}; `orbitaldc params` lists the library's keys")
    return library[key]
