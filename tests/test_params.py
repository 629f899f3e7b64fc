"""Parameter library and scenario validation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orbitaldc.errors import ScenarioError
from orbitaldc.params import load_library, load_scenario, parse_assignment, scenario_from_text

CONTRACT = [
    "target_power_w", "analysis_years", "discount_rate_per_yr", "launch_cost_usd_per_kg",
    "satellite_cost_usd_per_w", "specific_power_w_per_kg", "satellite_power_w", "sun_fraction",
    "cell_degradation_per_yr", "gpu_failure_per_yr", "nre_cost_usd", "ops_cost_fraction_per_yr", "pue",
    "gas_price_usd_per_mmbtu", "heat_rate_btu_per_kwh", "gas_turbine_capex_usd_per_kw",
    "electrical_capex_usd_per_w", "mechanical_capex_usd_per_w", "civil_capex_usd_per_w",
    "network_capex_usd_per_w", "capacity_factor",
]


def test_contract_names_exist():
    library = load_library()
    assert set(CONTRACT) <= set(library)


def test_every_parameter_has_source_unit_and_valid_default():
    for name, spec in load_library().items():
        assert spec.source.strip(), name
        if spec.is_numeric:
            assert spec.unit, name
            if spec.distribution != "fixed":
                assert spec.low is not None and spec.high is not None and spec.low <= spec.high, name
                assert spec.min is None or spec.low >= spec.min, name
                assert spec.max is None or spec.high <= spec.max, name
        if spec.unit.startswith("USD"):
            assert spec.dollar_year, f"{name}: money needs a dollar year"


def test_scenario_file_extends_and_overrides(tmp_path):
    path = tmp_path / "cheap.toml"
    path.write_text('extends = "mccalip-2025-12"\nname = "cheap"\nlaunch_cost_usd_per_kg = 200\n')
    sc = load_scenario(path)
    assert sc.name == "cheap" and sc.values["launch_cost_usd_per_kg"] == 200.0
    assert sc.values["satellite_cost_usd_per_w"] == 22.0
    # round trip through to_toml
    again = tmp_path / "again.toml"
    again.write_text(sc.to_toml())
    assert load_scenario(again).values == sc.values


@pytest.mark.parametrize("text,needle", [
    ('launch_cost_usd_per_kg = -5', "launch_cost_usd_per_kg = -5"),
    ('launch_cost_usd_per_kg = nan', "launch_cost_usd_per_kg = nan"),
    ('launch_cost_usd_per_kg = inf', "expected a finite number"),
    ('launch_cost_usd_per_kg = "cheap"', "launch_cost_usd_per_kg = 'cheap'"),
    ('analysis_years = 2.5', "whole number"),
    ('sun_fraction = 1.5', "[0.01, 1]"),
    ('launch_cost_usd_per_kg = true', "True"),
    ('mass_model = "magic"', "one of 'specific_power', 'bottom_up'"),
    ('launch_cost = 3', "unknown key 'launch_cost'"),
    ('extends = "nope"', "no such preset"),
    ('extends = 3', "expected a preset name"),
    ('launch_cost_usd_per_kg = [1, "a"]', "launch_cost_usd_per_kg"),
    ('launch_cost_usd_per_kg = []', "array of 0 elements"),
    ('[launch_cost_usd_per_kg]\nvalue = 3', "got a table"),
    ('launch_cost_usd_per_kg = = 3', "malformed TOML"),
    ('launch_cost_usd_per_kg = [1, 2]\npue = [1.1, 1.2, 1.3]', "do not broadcast"),
])
def test_bad_scenarios_give_one_clear_message(tmp_path, text, needle):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert needle in message
    assert str(path) in message or "preset" in message
    assert "\n" not in message


def test_missing_file_and_unknown_preset():
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario("does/not/exist.toml")
    with pytest.raises(ScenarioError, match="neither a scenario file nor a preset"):
        load_scenario("no-such-preset")


def test_arrays_and_parse_assignment():
    assert parse_assignment("launch_cost_usd_per_kg=[100, 200]") == ("launch_cost_usd_per_kg", [100, 200])
    assert parse_assignment("mass_model=bottom_up") == ("mass_model", "bottom_up")
    sc = load_scenario("mccalip-2025-12", {"launch_cost_usd_per_kg": [100, 200]})
    assert isinstance(sc.values["launch_cost_usd_per_kg"], np.ndarray) and sc.shape == (2,)
    with pytest.raises(ScenarioError, match="KEY=VALUE"):
        parse_assignment("novalue")


def test_oversized_file_rejected(tmp_path):
    path = tmp_path / "big.toml"
    path.write_text("# " + "x" * 1_100_000)
    with pytest.raises(ScenarioError, match="allowed at most"):
        load_scenario(path)


KEYS = st.sampled_from(list(load_library()) + ["extends", "name", "bogus_key", "pue ", ""])
VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**30, 10**30), st.booleans(),
    st.text(max_size=20), st.lists(st.floats(), max_size=4), st.just("bottom_up"), st.just("mccalip-2025-12"))


def _toml_literal(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v == math.inf else "-inf" if v == -math.inf else repr(v))
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_toml_literal(x) for x in v) + "]"
    return str(v)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, VALUES, max_size=6), st.binary(max_size=30))
def test_fuzzed_scenarios_only_raise_clean_errors(entries, junk):
    """Any scenario text loads or raises ScenarioError with a one-line message."""
    lines = []
    for k, v in entries.items():
        key = k if k and k.strip() == k else f'"{k}"'
        lines.append(f"{key} = {_toml_literal(v)}")
    for text in ("\n".join(lines), "\n".join(lines) + "\n" + junk.decode("latin-1")):
        try:
            scenario_from_text(text, "fuzz.toml")
        except ScenarioError as exc:
            assert "\n" not in str(exc).strip() or "malformed TOML" in str(exc)


def test_extends_cannot_leave_the_preset_folder():
    # a preset name is a file name in params/presets, never a path (web uploads use extends too)
    for name in ("../data/orbital", "../presets/mccalip-2025-12", ".hidden", "/etc/passwd"):
        with pytest.raises(ScenarioError, match="no such preset"):
            scenario_from_text(f'extends = "{name}"', "upload.toml")
