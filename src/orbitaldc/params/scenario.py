"""Scenarios: a preset or TOML file resolved against the library, with validated overrides.

A scenario file names a preset to start from and overrides parameters::

    extends = "mccalip-2025-12"
    name = "cheap-launch"
    description = "McCalip's case at Starship-era launch prices"
    launch_cost_usd_per_kg = 200.0

A scenario may also state its own uncertainty for any numeric parameter, with the library's
distributions and meanings (``low``/``high`` are bounds for uniform, triangular and loguniform,
P5/P95 for normal and lognormal; ``mode`` is optional for a triangular and defaults to the
scenario's value) and Spearman rank correlations given per parameter, as in the library::

    [uncertainty.launch_cost_usd_per_kg]
    distribution = "loguniform"
    low = 100.0
    high = 400.0
    correlations = { satellite_cost_usd_per_w = 0.5 }

    [uncertainty.nre_cost_usd]
    distribution = "fixed"            # held at the scenario value, never sampled

A table may state only ``correlations`` (the parameter keeps the library's distribution). The
tables are validated on load (:func:`orbitaldc.params.spec.check_uncertainty`; the stated
correlations together must form a positive semi-definite matrix), kept on
:attr:`Scenario.uncertainty`, inherited through ``extends`` (a scenario's own table for a
parameter replaces the inherited one) and written back by :meth:`Scenario.to_toml`.

Presets are scenarios shipped in ``params/presets/``. :func:`as_scenario` and :func:`as_point` are
the one way in for every analysis: they accept a :class:`Scenario`, a preset name or a file, apply
overrides and (``as_point``) require a single point.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from orbitaldc.errors import ScenarioError
from orbitaldc.params.library import defaults, load_library, spec_or_error
from orbitaldc.params.spec import (MAX_ARRAY_ELEMENTS, StatedUncertainty, check_uncertainty, check_value,
                                   copula_correlation, correlation_pairs, plausibility_warning)
from orbitaldc.params.toml import parse_toml_text, read_toml, toml_value

__all__ = ["METADATA_KEYS", "PRESET_DIR", "UNCERTAINTY_KEY", "Scenario", "as_point", "as_scenario", "list_presets",
           "load_scenario", "scenario_from_text"]

PRESET_DIR = Path(__file__).parent / "presets"
#: Scenario keys that are metadata, not parameters.
METADATA_KEYS = frozenset({"extends", "name", "title", "description", "source", "reference"})
#: The scenario key that holds ``[uncertainty.NAME]`` tables.
UNCERTAINTY_KEY = "uncertainty"
#: Longest metadata string kept [characters].
MAX_METADATA_CHARS = 2_000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


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
    title, description, reference : str
        Metadata (control characters removed).
    own_overrides : dict
        The parameters set by this scenario itself (not by the preset it extends).
    warnings : list of str
        One line per value far outside its plausible range
        (:func:`orbitaldc.params.spec.plausibility_warning`).
    uncertainty : dict
        Parameter -> :class:`~orbitaldc.params.spec.StatedUncertainty` the scenario states
        (inherited ones included).
    own_uncertainty : dict
        The statements made by this scenario itself (written by :meth:`to_toml` when it extends
        a preset).
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
    warnings: list[str] = field(default_factory=list)
    uncertainty: dict[str, StatedUncertainty] = field(default_factory=dict)
    own_uncertainty: dict[str, StatedUncertainty] = field(default_factory=dict)

    def with_overrides(self, overrides: Mapping[str, Any], where: str = "override") -> "Scenario":
        """A copy with validated overrides applied (from the command line or the web API).

        Parameters
        ----------
        overrides : mapping
            Parameter -> value (scalar, list or model choice).
        where : str
            Name of the source, for messages.

        Returns
        -------
        Scenario
        """
        values = dict(self.values)
        own = dict(self.own_overrides)
        over = dict(self.overrides)
        warnings = list(self.warnings)
        for key, value in overrides.items():
            spec = spec_or_error(key, where)
            values[key] = check_value(spec, value, where)
            own[key] = values[key]
            over[key] = values[key]
            note = plausibility_warning(spec, values[key], where)
            if note:
                warnings.append(note)
        _check_consistency(values, where)
        _check_stated_modes(values, self.uncertainty, where)
        return replace(self, values=values, overrides=over, own_overrides=own, warnings=warnings)

    def with_uncertainty(self, uncertainty: Mapping[str, Any], where: str = "uncertainty") -> "Scenario":
        """A copy with more stated uncertainty (from an argument or the web API), validated.

        Parameters
        ----------
        uncertainty : mapping
            Parameter -> table (``distribution``, ``low``, ``high``, ``mode``, ``correlations``)
            or :class:`~orbitaldc.params.spec.StatedUncertainty`; each replaces the scenario's
            statement for that parameter.
        where : str
            Name of the source, for messages.

        Returns
        -------
        Scenario

        Raises
        ------
        ScenarioError
            An invalid table (see :func:`~orbitaldc.params.spec.check_uncertainty`) or
            correlations that cannot hold together.
        """
        if not isinstance(uncertainty, Mapping):
            raise ScenarioError(f"{where} = {uncertainty!r}: expected a table parameter -> {{distribution, low, high}}")
        stated = dict(self.uncertainty)
        own = dict(self.own_uncertainty)
        for name, table in uncertainty.items():
            entry = table if isinstance(table, StatedUncertainty) else _stated(name, table, where)
            stated[name] = own[name] = entry
        _check_stated(self.values, stated, where)
        return replace(self, uncertainty=stated, own_uncertainty=own)

    def to_toml(self) -> str:
        """TOML text that reproduces this scenario when loaded (``orbitaldc run FILE``).

        Returns
        -------
        str
        """
        lines = []
        if self.extends or self.origin.startswith("preset:"):
            base = self.origin.split(":", 1)[1] if self.origin.startswith("preset:") else self.extends
            lines.append(f"extends = {toml_value(base)}")
            changed = self.own_overrides
        else:
            changed = self.overrides
        lines.append(f"name = {toml_value(self.name)}")
        if self.description:
            lines.append(f"description = {toml_value(self.description)}")
        for key, value in changed.items():
            if value is not None:
                lines.append(f"{key} = {toml_value(value)}")
        stated = self.own_uncertainty if (self.extends or self.origin.startswith("preset:")) else self.uncertainty
        for name, entry in stated.items():
            lines.append(f"\n[{UNCERTAINTY_KEY}.{name}]")
            for key, value in entry.to_table().items():
                if key == "correlations":
                    value = "{ " + ", ".join(f"{k} = {toml_value(float(r))}" for k, r in value.items()) + " }"
                    lines.append(f"correlations = {value}")
                else:
                    lines.append(f"{key} = {toml_value(value)}")
        return "\n".join(lines) + "\n"

    @property
    def shape(self) -> tuple[int, ...]:
        """Broadcast shape of all array-valued parameters (``()`` for a point)."""
        arrays = [np.shape(v) for v in self.values.values() if isinstance(v, np.ndarray)]
        return np.broadcast_shapes(*arrays) if arrays else ()

    @property
    def array_parameters(self) -> list[str]:
        """Names of the parameters given as arrays."""
        return [k for k, v in self.values.items() if isinstance(v, np.ndarray)]


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
                f"{MAX_ARRAY_ELEMENTS} (larger studies belong in a sweep)")


def _stated(name: Any, table: Any, where: str) -> StatedUncertainty:
    """One validated ``[uncertainty.NAME]`` table."""
    spec = spec_or_error(str(name), f"{where}: {UNCERTAINTY_KEY}")
    return check_uncertainty(spec, table, where, load_library())


def _check_stated(values: Mapping[str, Any], stated: Mapping[str, StatedUncertainty], where: str) -> None:
    """The stated correlations hold together and every triangular without a mode has its value inside."""
    pairs = correlation_pairs({n: s.correlations for n, s in stated.items() if s.correlations}, where)
    if pairs:
        copula_correlation(sorted({n for pair in pairs for n in pair}), pairs, where)
    _check_stated_modes(values, stated, where)


def _check_stated_modes(values: Mapping[str, Any], stated: Mapping[str, StatedUncertainty], where: str) -> None:
    for name, s in stated.items():
        x = values.get(name)
        if s.distribution == "triangular" and s.mode is None and isinstance(x, (int, float)) \
                and not s.low <= x <= s.high:
            raise ScenarioError(
                f"{where}: {UNCERTAINTY_KEY}.{name}: a triangular without a mode takes the scenario value "
                f"{name} = {x:g} as its mode, but it lies outside [low, high] = [{s.low:g}, {s.high:g}]; "
                f"give mode or widen the bounds")


def _preset_path(name: str) -> Path | None:
    """The shipped preset file called ``name``, or None (names never reach outside the folder)."""
    if not name or name != Path(name).name or name.startswith("."):
        return None
    path = PRESET_DIR / f"{name}.toml"
    try:
        return path if path.is_file() else None
    except OSError:  # e.g. a name too long for the file system is no preset
        return None


def list_presets() -> dict[str, dict[str, str]]:
    """The shipped presets and their metadata.

    Returns
    -------
    dict
        Preset name -> ``{"title", "description", "reference"}``.
    """
    out = {}
    for path in sorted(PRESET_DIR.glob("*.toml")):
        data = read_toml(path, f"preset {path.stem}")
        out[path.stem] = {k: _clean(str(data.get(k, ""))) for k in ("title", "description", "reference")}
    return out


def _clean(text: str) -> str:
    """Metadata text without control characters (they could drive a terminal), bounded in length."""
    return _CONTROL.sub("", text)[:MAX_METADATA_CHARS]


def _resolve(data: Mapping[str, Any], label: str, chain: tuple[str, ...],
             warnings: list[str]) -> tuple[dict[str, Any], dict[str, Any], dict[str, StatedUncertainty]]:
    """Return (values, overrides-vs-library, stated uncertainty) for parsed data, following ``extends``."""
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
        base_data = read_toml(base_path, f"preset {base_name}")
        values, overrides, stated = _resolve(base_data, f"preset {base_name}", chain + (base_name,), [])
    else:
        values, overrides, stated = defaults(), {}, {}
    for key, value in data.items():
        if key == UNCERTAINTY_KEY:
            if not isinstance(value, dict):
                raise ScenarioError(f"{label}: {UNCERTAINTY_KEY} = {value!r}: expected tables "
                                    f"[{UNCERTAINTY_KEY}.PARAMETER] with distribution, low, high")
            stated.update({name: _stated(name, table, label) for name, table in value.items()})
            continue
        if key in METADATA_KEYS:
            if not isinstance(value, str):
                raise ScenarioError(f"{label}: {key} = {value!r}: expected a string")
            continue
        spec = spec_or_error(key, label)
        if isinstance(value, dict):
            raise ScenarioError(f"{label}: {key}: expected {spec.allowed()}, got a table")
        inherited = values.get(key) if "extends" in data else None
        values[key] = check_value(spec, value, label)
        overrides[key] = values[key]
        # a value repeated unchanged from the preset it extends is the preset's, not the user's
        unchanged = inherited is not None and np.array_equal(np.asarray(inherited), np.asarray(values[key]))
        note = None if unchanged else plausibility_warning(spec, values[key], label)
        if note:
            warnings.append(note)
    return values, overrides, stated


def _exists(path: Path, label: str) -> bool:
    """``path.exists()``, with an OS refusal (a name too long, ...) as a ScenarioError."""
    try:
        return path.exists()
    except OSError as exc:
        raise ScenarioError(f"{label[:80]}: cannot use this as a file name ({exc.strerror})") from None


def _looks_like_path(source: str) -> bool:
    return source.endswith(".toml") or "/" in source or "\\" in source or source.startswith(".")


def load_scenario(source: str | Path, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """Load a scenario from a preset name or a TOML file, with optional overrides.

    Parameters
    ----------
    source : str or Path
        A preset name (see :func:`list_presets`) or a path to a scenario file. A bare name is a
        preset; a file shadows a preset only when written as a path (``./NAME`` or ``NAME.toml``);
        a bare name that is both a preset and a file in the current folder is an error.
    overrides : mapping, optional
        Parameter -> value applied last (validated like file values).

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Unknown source, ambiguous name, or any invalid value (named with its file and key).
    """
    source_str = str(source)
    if not source_str or "\x00" in source_str:
        raise ScenarioError(f"scenario {source_str!r}: expected a preset name or a file path")
    path = Path(source_str)
    preset = None if isinstance(source, Path) or _looks_like_path(source_str) else _preset_path(source_str)
    if preset is not None:
        if _exists(path, source_str):
            raise ScenarioError(f"{source_str!r} is both a preset and a file here; write ./{source_str} for the file")
        path = preset
        label, origin, default_name = f"preset {source_str}", f"preset:{source_str}", source_str
    elif _exists(path, source_str):
        label, origin, default_name = source_str, source_str, path.stem
    elif _looks_like_path(source_str):
        raise ScenarioError(f"{source_str}: no such file")
    else:
        raise ScenarioError(
            f"{source_str!r} is neither a scenario file nor a preset; presets: {', '.join(list_presets())}")
    chain = (default_name,) if origin.startswith("preset:") else ()
    scenario = _scenario_from_data(read_toml(path, label), label, origin, default_name, chain, None)
    if chain:  # a shipped preset's own values are curated to reproduce a publication: no warnings
        scenario.warnings.clear()
    return scenario.with_overrides(overrides) if overrides else scenario


def scenario_from_text(text: str, label: str = "scenario", overrides: Mapping[str, Any] | None = None) -> Scenario:
    """Load a scenario from TOML text (uploads); same rules as files.

    Parameters
    ----------
    text : str
        Scenario TOML.
    label : str
        Name used in messages.
    overrides : mapping, optional
        Applied last.

    Returns
    -------
    Scenario
    """
    return _scenario_from_data(parse_toml_text(text, label), label, label, label, (), overrides)


def _scenario_from_data(data: Mapping[str, Any], label: str, origin: str, default_name: str,
                        chain: tuple[str, ...], overrides: Mapping[str, Any] | None) -> Scenario:
    """Resolve parsed scenario TOML (``extends`` chain, validation) into a :class:`Scenario`."""
    warnings: list[str] = []
    values, over, stated = _resolve(data, label, chain, warnings)
    _check_consistency(values, label)
    _check_stated(values, stated, label)
    scenario = Scenario(
        name=_clean(str(data.get("name", default_name))),
        values=values,
        overrides=over,
        extends=data.get("extends"),
        origin=origin,
        title=_clean(str(data.get("title", ""))),
        description=_clean(str(data.get("description", ""))),
        reference=_clean(str(data.get("reference", ""))),
        own_overrides={k: values[k] for k in data if k not in METADATA_KEYS and k != UNCERTAINTY_KEY},
        warnings=warnings,
        uncertainty=stated,
        own_uncertainty={k: stated[k] for k in data.get(UNCERTAINTY_KEY, {})},
    )
    return scenario.with_overrides(overrides) if overrides else scenario


def as_scenario(scenario: Scenario | str | Path, overrides: Mapping[str, Any] | None = None,
                where: str = "override") -> Scenario:
    """The one way in: a :class:`Scenario`, preset name or file, with validated overrides.

    Parameters
    ----------
    scenario : Scenario, str or Path
        The scenario, a preset name or a scenario file.
    overrides : mapping, optional
        Parameter -> value, validated like file values.
    where : str
        Name of the overrides' source, for messages.

    Returns
    -------
    Scenario
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    return sc.with_overrides(overrides, where) if overrides else sc


def as_point(scenario: Scenario | str | Path, overrides: Mapping[str, Any] | None = None, *,
             what: str = "this analysis", where: str = "override") -> Scenario:
    """Like :func:`as_scenario`, and require a single point (no array parameters).

    Parameters
    ----------
    scenario : Scenario, str or Path
        The scenario, a preset name or a scenario file.
    overrides : mapping, optional
        Parameter -> value.
    what : str
        The analysis asking (named in the message).
    where : str
        Name of the overrides' source.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        The scenario has array parameters (named).
    """
    sc = as_scenario(scenario, overrides, where)
    if sc.shape:
        names = ", ".join(sc.array_parameters)
        raise ScenarioError(f"{what} needs a single scenario, but {names} "
                            f"{'is an array' if len(sc.array_parameters) == 1 else 'are arrays'}; "
                            f"give one value each")
    return sc
