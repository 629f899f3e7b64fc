"""The parameter library and scenarios.

Every default number orbitaldc uses lives in ``params/data/*.toml`` with its unit, source,
allowed range (``min``/``max``, enforced) and plausible range (``low``/``high`` with a
``distribution``, used by the uncertainty tools). A *scenario* is a TOML file that names a preset
to start from and overrides parameters. Every bad input raises :class:`ScenarioError` with one
message naming the file, the key, the value and what is allowed.

Modules: :mod:`~orbitaldc.params.spec` (one entry, validation), :mod:`~orbitaldc.params.library`
(the data files), :mod:`~orbitaldc.params.toml` (reading and writing TOML) and
:mod:`~orbitaldc.params.scenario` (scenarios, presets, the one way in).
"""

from orbitaldc.errors import ScenarioError
from orbitaldc.params.library import DATA_DIR, defaults, load_library, load_vehicles, spec_or_error
from orbitaldc.params.scenario import (METADATA_KEYS, PRESET_DIR, Scenario, as_point, as_scenario, list_presets,
                                       load_scenario, scenario_from_text)
from orbitaldc.params.spec import (DISTRIBUTIONS, MAX_ARRAY_ELEMENTS, ROLES, ParamSpec, check_value,
                                   plausibility_warning)
from orbitaldc.params.toml import MAX_FILE_BYTES, parse_assignment, parse_toml_text, read_toml, toml_value

__all__ = [
    "DATA_DIR", "DISTRIBUTIONS", "MAX_ARRAY_ELEMENTS", "MAX_FILE_BYTES", "METADATA_KEYS", "PRESET_DIR", "ROLES",
    "ParamSpec", "Scenario", "ScenarioError", "as_point", "as_scenario", "check_value", "defaults",
    "list_presets", "load_library", "load_scenario", "load_vehicles", "parse_assignment", "parse_toml_text",
    "plausibility_warning", "read_toml", "scenario_from_text", "spec_or_error", "toml_value",
]
