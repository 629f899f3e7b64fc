"""The parameter library and scenarios.

Every default number orbitaldc uses lives in ``params/data/*.toml`` with its unit, source,
allowed range (``min``/``max``, enforced) and plausible range (``low``/``high`` with a
``distribution``, used by the uncertainty tools). A *scenario* is a TOML file that names a preset
to start from (``extends = "mccalip-2025-12"``) and overrides parameters::

    extends = "mccalip-2025-12"
    name = "cheap-launch"
    description = "McCalip's case at Starship-era launch prices"
    launch_cost_usd_per_kg = 200.0
    analysis_years = 7

Presets are scenarios shipped in ``params/presets/``. Numeric parameters may be lists
(arrays); results then keep that shape. Every bad input raises :class:`ScenarioError` with one
message naming the file, the key, the value and what is allowed.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from orbitaldc.errors import ScenarioError

DATA_DIR = Path(__file__).parent / "data"
PRESET_DIR = Path(__file__).parent / "presets"

#: Scenario keys that are metadata, not parameters.
METADATA_KEYS = frozenset({"extends", "name", "title", "description", "source", "reference"})
#: Largest array a scenario may carry (elements); bigger studies belong in sweep/montecarlo.
MAX_ARRAY_ELEMENTS = 10_000_000
#: Largest scenario file accepted [bytes].
MAX_FILE_BYTES = 1_000_000
_SPEC_FIELDS = {
    "value", "unit", "type", "role", "min", "max", "low", "high", "distribution", "source",
    "note", "dollar_year", "choices", "optional", "correlations",
}
DISTRIBUTIONS = ("fixed", "uniform", "triangular", "normal", "lognormal", "loguniform")
ROLES = ("requirement", "design", "assumption", "model")


@dataclass(frozen=True)
class ParamSpec:
    """One entry of the parameter library.

    ``low``/``high`` are bounds for uniform, triangular and loguniform distributions and the
    5th/95th percentiles for normal and lognormal; ``value`` is the mode of a triangular.
    """

    name: str
    value: Any
    unit: str
    type: str
    role: str
    source: str
    min: float | None = None
    max: float | None = None
    low: float | None = None
    high: float | None = None
    distribution: str = "fixed"
    choices: tuple[str, ...] = ()
    note: str = ""
    dollar_year: int | None = None
    optional: bool = False
    group: str = ""
    correlations: Mapping[str, float] = field(default_factory=dict)

    @property
    def is_numeric(self) -> bool:
        return self.type in ("float", "int")

    def allowed(self) -> str:
        """Human-readable allowed values, for error messages."""
        if self.type == "str":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        kind = "a whole number" if self.type == "int" else "a finite number"
        lo = "-inf" if self.min is None else _fmt(self.min)
        hi = "inf" if self.max is None else _fmt(self.max)
        return f"{kind} in [{lo}, {hi}]" + (f" {self.unit}" if self.unit not in ("", "1") else "")


def _fmt(x: float) -> str:
    return f"{x:g}"


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
        name=name,
        value=raw.get("value"),
        unit=raw.get("unit", ""),
        type=raw["type"],
        role=raw["role"],
        source=raw["source"],
        min=raw.get("min"),
        max=raw.get("max"),
        low=raw.get("low"),
        high=raw.get("high"),
        distribution=dist,
        choices=tuple(raw.get("choices", ())),
        note=raw.get("note", ""),
        dollar_year=raw.get("dollar_year"),
        optional=bool(raw.get("optional", False)),
        group=group,
        correlations=dict(raw.get("correlations", {})),
    )


@lru_cache(maxsize=1)
def load_library() -> dict[str, ParamSpec]:
    """Read every ``params/data/*.toml`` parameter file (not the vehicle catalog).

    Returns
    -------
    dict
        Parameter name -> :class:`ParamSpec`, in file order.
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
    for spec in library.values():  # a default must satisfy its own range
        if spec.value is not None:
            check_value(spec, spec.value, where=f"library {spec.group}.toml")
    return library


@lru_cache(maxsize=1)
def load_vehicles() -> dict[str, dict[str, Any]]:
    """The launch vehicle catalog (``params/data/vehicles.toml``)."""
    with (DATA_DIR / "vehicles.toml").open("rb") as fh:
        return tomllib.load(fh)


def defaults() -> dict[str, Any]:
    """Library default of every parameter (``None`` for optional ones without a default)."""
    return {name: spec.value for name, spec in load_library().items()}


def check_value(spec: ParamSpec, value: Any, where: str) -> Any:
    """Validate one value against its spec; return it normalized (float, int, str or ndarray).

    Raises
    ------
    ScenarioError
        Naming ``where`` (the file or source), the key, the value and what is allowed.
    """
    def fail(shown: Any) -> ScenarioError:
        text = repr(shown)
        if len(text) > 80:
            text = text[:77] + "..."
        return ScenarioError(f"{where}: {spec.name} = {text}: expected {spec.allowed()}")

    if value is None and spec.optional:
        return None
    if spec.type == "str":
        if not isinstance(value, str) or value not in spec.choices:
            raise fail(value)
        return value
    # numeric (scalar or list/array)
    if isinstance(value, (list, tuple, np.ndarray)):
        try:
            arr = np.asarray(value)
        except (ValueError, TypeError):
            raise fail(value) from None
        if arr.size == 0 or arr.size > MAX_ARRAY_ELEMENTS:
            raise ScenarioError(
                f"{where}: {spec.name}: array of {arr.size} elements; allowed 1 to {MAX_ARRAY_ELEMENTS}")
        if arr.dtype == bool or arr.dtype.kind not in "iuf":
            raise fail(value)
        arr = arr.astype(float)
        bad = ~np.isfinite(arr)
        if spec.min is not None:
            bad |= arr < spec.min
        if spec.max is not None:
            bad |= arr > spec.max
        if spec.type == "int":
            bad |= arr != np.round(arr)
        if bad.any():
            raise fail(float(arr[bad][0]) if arr.ndim else float(arr))
        return arr
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise fail(value)
    x = float(value)
    if not math.isfinite(x):
        raise fail(value)
    if (spec.min is not None and x < spec.min) or (spec.max is not None and x > spec.max):
        raise fail(value)
    if spec.type == "int":
        if x != round(x):
            raise fail(value)
        return int(round(x))
    return x


@dataclass
class Scenario:
    """A complete set of parameter values with where they came from.

    Attributes
    ----------
    name : str
        The scenario's name (file stem or preset name unless set).
    values : dict
        Every library parameter -> value (scalars, strings or arrays).
    overrides : dict
        The parameters this scenario sets, relative to the library defaults.
    extends : str or None
        Preset it starts from.
    origin : str
        File path or ``preset:NAME``.
    """

    name: str
    values: dict[str, Any]
    overrides: dict[str, Any]
    extends: str | None = None
    origin: str = ""
    title: str = ""
    description: str = ""
    reference: str = ""
    own_overrides: dict[str, Any] = field(default_factory=dict)

    def with_overrides(self, overrides: Mapping[str, Any], where: str = "--set") -> "Scenario":
        """A copy with validated overrides applied (e.g. from ``--set`` or the web API)."""
        values = dict(self.values)
        own = dict(self.own_overrides)
        over = dict(self.overrides)
        for key, value in overrides.items():
            spec = _spec_or_error(key, where)
            values[key] = check_value(spec, value, where)
            own[key] = values[key]
            over[key] = values[key]
        _check_consistency(values, where)
        return Scenario(self.name, values, over, self.extends, self.origin, self.title,
                        self.description, self.reference, own)

    def to_toml(self) -> str:
        """TOML text that reproduces this scenario with ``orbitaldc run FILE``."""
        lines = []
        if self.extends or self.origin.startswith("preset:"):
            base = self.origin.split(":", 1)[1] if self.origin.startswith("preset:") else self.extends
            lines.append(f"extends = {_toml_value(base)}")
            changed = self.own_overrides
        else:
            changed = self.overrides
        lines.append(f"name = {_toml_value(self.name)}")
        if self.description:
            lines.append(f"description = {_toml_value(self.description)}")
        for key, value in changed.items():
            lines.append(f"{key} = {_toml_value(value)}")
        return "\n".join(lines) + "\n"

    @property
    def shape(self) -> tuple[int, ...]:
        """Broadcast shape of all array-valued parameters (``()`` for a point)."""
        arrays = [np.shape(v) for v in self.values.values() if isinstance(v, np.ndarray)]
        return np.broadcast_shapes(*arrays) if arrays else ()


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, np.ndarray):
        return "[" + ", ".join(_toml_value(float(v)) for v in value.ravel()) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    raise TypeError(f"cannot write {value!r} as TOML")


def _spec_or_error(key: str, where: str) -> ParamSpec:
    library = load_library()
    if key not in library:
        import difflib

        close = difflib.get_close_matches(key, list(library), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ScenarioError(f"{where}: unknown key {key!r}{hint}; run `orbitaldc params` for the list")
    return library[key]


def _check_consistency(values: Mapping[str, Any], where: str) -> None:
    """Array parameters must broadcast together, to at most ``MAX_ARRAY_ELEMENTS`` scenarios."""
    shapes = {k: np.shape(v) for k, v in values.items() if isinstance(v, np.ndarray)}
    if shapes:
        try:
            shape = np.broadcast_shapes(*shapes.values())
        except ValueError:
            desc = ", ".join(f"{k}{list(s)}" for k, s in shapes.items())
            raise ScenarioError(f"{where}: array parameters do not broadcast together: {desc}") from None
        if math.prod(shape) > MAX_ARRAY_ELEMENTS:
            raise ScenarioError(
                f"{where}: arrays broadcast to {math.prod(shape)} scenarios; allowed at most "
                f"{MAX_ARRAY_ELEMENTS} (use `orbitaldc sweep` for larger studies)")


def _preset_path(name: str) -> Path | None:
    """The shipped preset file called ``name``, or None (names never reach outside the folder)."""
    if not name or name != Path(name).name or name.startswith("."):
        return None
    path = PRESET_DIR / f"{name}.toml"
    return path if path.is_file() else None


def list_presets() -> dict[str, dict[str, str]]:
    """Preset name -> metadata (title, description, reference)."""
    out = {}
    for path in sorted(PRESET_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        out[path.stem] = {k: str(data.get(k, "")) for k in ("title", "description", "reference")}
    return out


def _read_toml(path: Path, label: str) -> dict[str, Any]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ScenarioError(f"{label}: cannot read file ({exc.strerror})") from None
    if size > MAX_FILE_BYTES:
        raise ScenarioError(f"{label}: file is {size} bytes; allowed at most {MAX_FILE_BYTES}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{label}: not UTF-8 text") from None
    except OSError as exc:
        raise ScenarioError(f"{label}: cannot read file ({exc.strerror})") from None
    return parse_toml_text(text, label)


def parse_toml_text(text: str, label: str) -> dict[str, Any]:
    """Parse scenario TOML text, turning syntax errors into :class:`ScenarioError`."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise ScenarioError(f"{label}: scenario text larger than {MAX_FILE_BYTES} bytes")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{label}: malformed TOML: {exc}") from None
    except (ValueError, RecursionError) as exc:  # e.g. huge nesting
        raise ScenarioError(f"{label}: malformed TOML: {exc}") from None


def _resolve(data: Mapping[str, Any], label: str, chain: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (values, overrides-vs-library) for parsed scenario data, following ``extends``."""
    if "extends" in data:
        base_name = data["extends"]
        if not isinstance(base_name, str):
            raise ScenarioError(f"{label}: extends = {base_name!r}: expected a preset name (a string)")
        if base_name in chain:
            raise ScenarioError(f"{label}: extends = {base_name!r}: circular ({' -> '.join(chain + (base_name,))})")
        base_path = _preset_path(base_name)
        if base_path is None:
            raise ScenarioError(
                f"{label}: extends = {base_name!r}: no such preset; allowed: {', '.join(list_presets())}")
        base_data = _read_toml(base_path, f"preset {base_name}")
        values, overrides = _resolve(base_data, f"preset {base_name}", chain + (base_name,))
    else:
        values, overrides = defaults(), {}
    for key, value in data.items():
        if key in METADATA_KEYS:
            if not isinstance(value, str):
                raise ScenarioError(f"{label}: {key} = {value!r}: expected a string")
            continue
        spec = _spec_or_error(key, label)
        if isinstance(value, dict):
            raise ScenarioError(f"{label}: {key}: expected {spec.allowed()}, got a table")
        values[key] = check_value(spec, value, label)
        overrides[key] = values[key]
    return values, overrides


def load_scenario(source: str | Path, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """Load a scenario from a preset name or a TOML file, with optional overrides.

    Parameters
    ----------
    source : str or Path
        A preset name (see :func:`list_presets`) or a path to a ``.toml`` file.
    overrides : mapping, optional
        Parameter -> value applied last (validated like file values).

    Returns
    -------
    Scenario
    """
    source_str = str(source)
    path = Path(source_str)
    preset = _preset_path(source_str)
    if preset is not None and not path.is_file():
        path = preset
        label, origin, default_name = f"preset {source_str}", f"preset:{source_str}", source_str
    elif path.is_file():
        label, origin, default_name = str(path), str(path), path.stem
    elif path.suffix == ".toml" or "/" in source_str:
        raise ScenarioError(f"{source_str}: no such file")
    else:
        raise ScenarioError(
            f"{source_str!r} is neither a scenario file nor a preset; presets: {', '.join(list_presets())}")
    chain = (default_name,) if origin.startswith("preset:") else ()
    return _scenario_from_data(_read_toml(path, label), label, origin, default_name, chain, overrides)


def scenario_from_text(text: str, label: str = "scenario", overrides: Mapping[str, Any] | None = None) -> Scenario:
    """Load a scenario from TOML text (web uploads); same rules as files."""
    return _scenario_from_data(parse_toml_text(text, label), label, label, label, (), overrides)


def _scenario_from_data(data: Mapping[str, Any], label: str, origin: str, default_name: str,
                        chain: tuple[str, ...], overrides: Mapping[str, Any] | None) -> Scenario:
    """Resolve parsed scenario TOML (``extends`` chain, validation) into a :class:`Scenario`."""
    values, over = _resolve(data, label, chain)
    _check_consistency(values, label)
    scenario = Scenario(
        name=str(data.get("name", default_name)),
        values=values,
        overrides=over,
        extends=data.get("extends"),
        origin=origin,
        title=str(data.get("title", "")),
        description=str(data.get("description", "")),
        reference=str(data.get("reference", "")),
        own_overrides={k: values[k] for k in data if k not in METADATA_KEYS},
    )
    return scenario.with_overrides(overrides) if overrides else scenario


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse a ``key=value`` override (CLI ``--set``); value is TOML (number, list) or a bare word.

    Examples: ``launch_cost_usd_per_kg=200``, ``launch_cost_usd_per_kg=[100,500,1500]``,
    ``mass_model=bottom_up``.
    """
    if "=" not in text:
        raise ScenarioError(f"--set {text!r}: expected KEY=VALUE")
    key, raw = (part.strip() for part in text.split("=", 1))
    if not key:
        raise ScenarioError(f"--set {text!r}: empty key")
    if raw == "":
        raise ScenarioError(f"--set {key}: empty value")
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw  # bare word, e.g. a model choice
    return key, value
