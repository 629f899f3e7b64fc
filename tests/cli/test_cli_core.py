"""run, breakeven, presets, params, metrics in process: output contracts and one-line errors."""

from __future__ import annotations

import io
import json

import numpy as np
import pyarrow.parquet as pq
import pytest

from orbitaldc.cli.output import dumps, write_json

#: McCalip's published totals (REFERENCES.md sec. 2): orbit $51.10B, ground $15.85B over 5 years.
MCCALIP_ORBIT_USD, MCCALIP_GROUND_USD = 51.10e9, 15.85e9


def test_run_json_contract(cli):
    out = json.loads(cli("run", "mccalip-2025-12", "--format", "json").stdout)
    for key in ("total_cost_usd", "hardware_cost_usd", "launch_cost_usd", "ops_cost_usd", "replacement_cost_usd",
                "nre_cost_usd", "cost_per_watt_usd", "lcoe_usd_per_mwh", "mass_to_orbit_kg", "satellite_count",
                "launch_count"):
        assert key in out["orbital"], key
    for key in ("total_cost_usd", "capex_usd", "energy_cost_usd", "cost_per_watt_usd", "lcoe_usd_per_mwh"):
        assert key in out["terrestrial"], key
    assert out["orbital"]["total_cost_usd"] == pytest.approx(MCCALIP_ORBIT_USD, rel=1e-3)
    assert out["orbital_to_terrestrial_cost_ratio"] == pytest.approx(51.10 / 15.85, rel=2e-3)


def test_run_table_shows_side_by_side(cli):
    text = cli("run", "mccalip-2025-12").stdout
    assert "Orbital" in text and "Terrestrial" in text and "$51.10B" in text and "$15.85B" in text
    assert "Launch" in text and "$14.70B" in text  # McCalip: 29.39 Mkg at $500/kg
    assert "undiscounted total cost ratio 3.22x" in " ".join(text.split())


def test_run_bottom_up_prints_the_mass_budget(cli):
    text = cli("run", "reference-1gw-terminator").stdout
    assert "Mass budget (whole fleet)" in text
    for name in ("array", "battery", "radiator", "compute", "propellant", "total"):
        assert f"\n  {name} " in text, name


def test_run_array_set_gives_lists(cli):
    out = json.loads(cli("run", "mccalip-2025-12", "--set", "launch_cost_usd_per_kg=[100,500,3600]", "-f", "json").stdout)
    assert len(out["orbital"]["total_cost_usd"]) == 3
    assert len(out["terrestrial"]["total_cost_usd"]) == 3
    assert out["orbital"]["total_cost_usd"][1] == pytest.approx(MCCALIP_ORBIT_USD, rel=1e-3)


def test_run_array_table_shows_first_and_last_rows(cli):
    values = ",".join(str(100 + i) for i in range(250))
    text = cli("run", "mccalip-2025-12", "--set", f"launch_cost_usd_per_kg=[{values}]").stdout
    assert "250 scenarios" in text and "(showing 200 of 250 rows; --out FILE.parquet writes all of them)" in text
    first_column = [int(line.split()[0]) for line in text.splitlines() if line.strip()[:1].isdigit()]
    assert first_column == list(range(100, 200)) + list(range(250, 350))  # rows 0-99 and 150-249


def test_run_out_parquet_one_row_per_scenario(cli, tmp_path):
    out = tmp_path / "deep" / "r.parquet"
    result = cli("run", "mccalip-2025-12", "--set", "launch_cost_usd_per_kg=[100,500,3600]",
                 "--set", "pue=[[1.1],[1.3]]", "--out", out)
    assert "6 rows written to" in result.stdout
    table = pq.read_table(out).to_pandas()
    assert len(table) == 6 and set(table.columns[:2]) == {"pue", "launch_cost_usd_per_kg"}
    assert list(table["launch_cost_usd_per_kg"]) == [100, 500, 3600, 100, 500, 3600]
    assert list(table["pue"]) == [1.1, 1.1, 1.1, 1.3, 1.3, 1.3]
    at_500 = table[(table.launch_cost_usd_per_kg == 500)]["orbital.total_cost_usd"]
    assert np.allclose(at_500, MCCALIP_ORBIT_USD, rtol=1e-3)  # the orbital side does not depend on pue
    assert {"terrestrial.total_cost_usd", "orbital_to_terrestrial_cost_ratio"} <= set(table.columns)


def test_run_out_json_matches_stdout(cli, tmp_path):
    out = tmp_path / "r.json"
    cli("run", "jpl-1mw-2026", "--out", out)
    printed = cli("run", "jpl-1mw-2026", "-f", "json").stdout
    assert json.loads(out.read_text()) == json.loads(printed)


def test_streamed_json_is_the_same_text_as_whole_json():
    """write_json streams arrays in chunks; the text equals json.dumps of the whole document."""
    doc = {"a": np.array([1.5, np.nan, -np.inf, 2.0, 1e300, 5e-324, 3.0]), "b": {"c": np.arange(5), "d": []},
           "e": np.array([[1.0, 2.0], [3.0, 4.0]]), "f": np.float64(np.nan), "g": "x\u00e9\n", "h": np.array([]),
           "i": {}, "j": np.array(["per_kg", "per_launch"]), "k": np.array(7.0), "l": [True, None, 3]}
    for chunk in (1, 2, 3, 65536):
        buf = io.StringIO()
        write_json(doc, buf, chunk=chunk)
        assert buf.getvalue() == dumps(doc) + "\n"
    parsed = json.loads(dumps(doc))
    assert parsed["a"] == [1.5, None, None, 2.0, 1e300, 5e-324, 3.0] and parsed["e"] == [[1.0, 2.0], [3.0, 4.0]]


def test_breakeven_json(cli):
    # Turyshev (REFERENCES.md): the 1 MW case closes at L + B = $250/kg
    out = json.loads(cli("breakeven", "jpl-1mw-2026", "--format", "json").stdout)
    assert out["parameter"] == "launch_cost_usd_per_kg" and out["value"] == pytest.approx(250.0)
    none = json.loads(cli("breakeven", "mccalip-2025-12", "--format", "json").stdout)
    assert none["value"] is None and none["reason"] == "hardware_exceeds_ground" and "hardware alone" in none["text"]


def test_breakeven_table(cli):
    text = cli("breakeven", "jpl-1mw-2026").stdout
    assert "Break-even launch_cost_usd_per_kg = 250 USD/kg" in text
    assert "No break-even for launch_cost_usd_per_kg" in cli("breakeven", "mccalip-2025-12").stdout


def test_presets_params_metrics(cli):
    text = cli("presets").stdout
    for name in ("mccalip-2025-12", "seed-article-1gw", "starcloud-40mw-2024", "suncatcher-2025", "jpl-1mw-2026"):
        assert name in text
    params = json.loads(cli("params", "--format", "json").stdout)
    assert params["launch_cost_usd_per_kg"]["source"].startswith("McCalip")
    assert "McCalip" in cli("params").stdout
    mine = json.loads(cli("params", "--scenario", "jpl-1mw-2026", "--format", "json").stdout)
    assert mine["satellite_cost_usd_per_w"]["value"] == 0  # Turyshev prices the bus into B
    names = cli("metrics").stdout.split()
    assert "orbital.total_cost_usd" in names and "orbital_to_terrestrial_cost_ratio" in names


@pytest.mark.parametrize("args,needle", [
    (["run", "mccalip-2025-12", "--set", "bogus=1"], "unknown key 'bogus'"),
    (["run", "mccalip-2025-12", "--set", "pue=-1"], "pue = -1"),
    (["run", "mccalip-2025-12", "--set", "pue"], "KEY=VALUE"),
    (["run", "mccalip-2025-12", "--set", "pue=1.2\nlaunch_cost_usd_per_kg=5"], "no line breaks"),
    (["run", "nowhere.toml"], "no such file"),
    (["run", "not-a-preset"], "neither a scenario file nor a preset"),
    (["breakeven", "mccalip-2025-12", "--param", "nope"], "numeric parameter"),
    (["run", "mccalip-2025-12", "--format", "xml"], "Invalid value for '--format'"),
    (["run"], "Missing argument 'scenario'"),
    (["run", "mccalip-2025-12", "--bogus"], "No such option: --bogus"),
    (["nosuchcommand"], "No such command 'nosuchcommand'"),
    (["run", "mccalip-2025-12", "--out", "x.csv"], "expected a file name ending in .parquet or .json"),
    (["montecarlo", "mccalip-2025-12", "-n", "0"], "--samples = '0'"),
    (["montecarlo", "mccalip-2025-12", "--seed", "-1"], "--seed"),
])
def test_bad_input_exit_2_one_line(cli, args, needle):
    result = cli(*args, check=False)
    assert result.exit_code == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_malformed_scenario_file(cli, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('extends = "mccalip-2025-12"\nlaunch_cost_usd_per_kg = [1, \n')
    result = cli("run", path, check=False)
    assert result.exit_code == 2 and "malformed TOML" in result.stderr


def test_montecarlo_and_sensitivity_tables(cli):
    text = cli("montecarlo", "mccalip-2025-12", "-n", "2000", "--seed", "1").stdout
    assert "2,000 samples (seed 1)" in text and "Probability orbit is cheaper:" in text
    assert "/GPU-h" in text and "$" in text
    out = json.loads(cli("sensitivity", "mccalip-2025-12", "-f", "json").stdout)
    assert out["bars"] and all("parameter" in b for b in out["bars"])
    assert "tornado of cost_ratio" in cli("sensitivity", "mccalip-2025-12", "-p", "launch_cost_usd_per_kg").stdout


def test_montecarlo_says_what_an_infinite_percentile_means(cli):
    """A design that delivers no GPU-hours has an infinite cost per GPU-hour: when 5 % or more of
    the samples are such designs, P95 is infinite; the table writes n/a and says why and how many."""
    from orbitaldc.uncertainty import monte_carlo

    r = monte_carlo("jpl-1mw-2026-bottom-up", 2000, seed=1, keep_values=True)
    lcoc = r.values["orbital.lcoc_usd_per_gpu_hour"]
    share = float(np.mean(np.isinf(lcoc)))
    assert share >= 0.05 and r.percentiles["orbital.lcoc_usd_per_gpu_hour"]["p95"] == np.inf  # the premise
    text = " ".join(cli("montecarlo", "jpl-1mw-2026-bottom-up", "-n", "2000", "--seed", "1").stdout.split())
    assert "n/a above is infinite (P95 of orbital.lcoc_usd_per_gpu_hour" in text
    assert "at least 5 % of the samples deliver nothing" in text
    finite = " ".join(cli("montecarlo", "mccalip-2025-12", "-n", "2000", "--seed", "1").stdout.split())
    assert "n/a above" not in finite  # nothing infinite, nothing said


def test_trajectory_table(cli):
    text = cli("trajectory", "mccalip-2025-12", "--start", "2026", "--end", "2030", "-n", "0").stdout
    assert "trajectory 2026-2030 on lcoc_ratio" in text and "First parity year on lcoc_ratio:" in text
