"""JSON API through the app's test client: published values, identity with the library, bounds, errors.

Reference values: McCalip (Dec 2025) default outputs (tests/data/published.toml), reproduced
by the mccalip-2025-12 preset to 0.1 % (published figures are rounded to 4 significant
digits). Everything else is checked against the library's own functions to 1e-12: the API
must add no arithmetic of its own.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from orbitaldc.cli import app as cli_app
from orbitaldc.cli.web import is_loopback
from orbitaldc.compare import breakeven, evaluate
from orbitaldc.params import list_presets, load_library, load_scenario, scenario_from_text
from orbitaldc.systems.breakdown import COST_PARTS
from orbitaldc.uncertainty import monte_carlo, tornado
from orbitaldc.web.app import STATIC_DIR, create_app
from orbitaldc.web.schemas import MAX_BODY_BYTES, MAX_CURVE_POINTS, MAX_MC_SAMPLES, MAX_SEED

PUBLISHED = tomllib.loads((Path(__file__).parents[1] / "data" / "published.toml").read_text())
EXACT = 1e-12  # same code path, same float operations: only summation order may differ


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def _detail(r) -> str:
    return json.dumps(r.json()["detail"])


# ----------------------------------------------------------------------------- presets, params
def test_presets_lists_every_shipped_preset(client):
    r = client.get("/api/presets")
    assert r.status_code == 200
    body = r.json()
    assert set(body["presets"]) == set(list_presets())
    assert body["default"] == "mccalip-2025-12"


def test_params_carry_units_ranges_sources_and_preset_values(client):
    r = client.get("/api/params", params={"preset": "starcloud-40mw-2024"})
    assert r.status_code == 200
    params = r.json()["params"]
    library = load_library()
    assert set(params) == set(library)
    sc = load_scenario("starcloud-40mw-2024")
    for name, p in params.items():
        spec = library[name]
        assert p["source"] == spec.source and p["unit"] == spec.unit
        assert p["min"] == spec.min and p["max"] == spec.max and p["default"] == spec.value
        if isinstance(sc.values[name], float):
            assert p["value"] == pytest.approx(sc.values[name], rel=EXACT)
    assert params["target_power_w"]["value"] == 40e6  # Starcloud's 40 MW cluster


def test_params_unknown_preset_is_422_naming_it(client):
    r = client.get("/api/params", params={"preset": "../../etc/passwd"})
    assert r.status_code == 422
    assert "preset" in _detail(r)


# ----------------------------------------------------------------------------- evaluate
def test_evaluate_default_reproduces_mccalip(client):
    r = client.post("/api/evaluate", json={})
    assert r.status_code == 200
    body = r.json()
    spec = PUBLISHED["mccalip-2025-12"]
    for key, expected in spec.items():
        if key in ("source", "rel_tol"):
            continue
        side, field = key.split(".")
        assert body[side][field] == pytest.approx(expected, rel=spec["rel_tol"]), key


@pytest.mark.parametrize("preset", sorted(list_presets()))
def test_evaluate_is_the_library_and_breakdown_sums_to_totals(client, preset):
    overrides = {"launch_cost_usd_per_kg": 321.0, "pue": 1.3}
    body = client.post("/api/evaluate", json={"preset": preset, "overrides": overrides}).json()
    lib = evaluate(preset, overrides)
    assert body["orbital"]["total_cost_usd"] == pytest.approx(float(lib.orbital.total_cost_usd), rel=EXACT)
    assert body["terrestrial"]["total_cost_usd"] == pytest.approx(float(lib.terrestrial.total_cost_usd), rel=EXACT)
    assert body["orbital_to_terrestrial_cost_ratio"] == pytest.approx(float(lib.cost_ratio), rel=EXACT)
    for side, parts in COST_PARTS.items():
        assert list(body["breakdown"][side]) == [p.key for p in parts]
    for side in ("orbital", "terrestrial"):
        parts = sum(body["breakdown"][side].values())
        assert parts == pytest.approx(body[side]["total_cost_usd"], rel=1e-9), side


def test_evaluate_override_scales_launch_cost(client):
    # per-kg pricing, no learning: launch cost is linear in $/kg; McCalip $14.70B at $500/kg
    body = client.post("/api/evaluate", json={"overrides": {"launch_cost_usd_per_kg": 200}}).json()
    assert body["orbital"]["launch_cost_usd"] == pytest.approx(14.70e9 * 200 / 500, rel=1e-3)


def test_evaluate_int_and_string_overrides(client):
    body = client.post("/api/evaluate", json={"overrides": {"analysis_years": 7, "terrestrial_power_source": "grid"}}).json()
    lib = evaluate("mccalip-2025-12", {"analysis_years": 7, "terrestrial_power_source": "grid"})
    assert body["terrestrial"]["energy_cost_usd"] == pytest.approx(float(lib.terrestrial.energy_cost_usd), rel=EXACT)


# ----------------------------------------------------------------------------- errors
BAD_REQUESTS = [
    ({"bogus": 1}, "bogus"),
    ({"preset": "no-such-preset"}, "preset"),
    ({"preset": 3}, "preset"),
    ({"overrides": {"launch_cost_usd_per_kgx": 1}}, "launch_cost_usd_per_kgx"),
    ({"overrides": {"launch_cost_usd_per_kg": -1}}, "launch_cost_usd_per_kg"),
    ({"overrides": {"sun_fraction": 1.5}}, "sun_fraction"),
    ({"overrides": {"analysis_years": 2.5}}, "analysis_years"),
    ({"overrides": {"pue": "high"}}, "pue"),
    ({"overrides": {"pue": True}}, "pue"),
    ({"overrides": {"pue": [1.1, 1.2]}}, "pue"),
    ({"overrides": {"pue": 10**30}}, "pue"),
    ({"overrides": {"terrestrial_power_source": "coal"}}, "terrestrial_power_source"),
    ({"overrides": {"launch_vehicle": "custom", "launch_pricing": None}}, "launch_pricing"),
    ({"overrides": "pue=1.2"}, "overrides"),
]


@pytest.mark.parametrize("body,field", BAD_REQUESTS, ids=[f for _, f in BAD_REQUESTS])
def test_evaluate_rejects_bad_input_naming_the_field(client, body, field):
    r = client.post("/api/evaluate", json=body)
    assert r.status_code == 422, r.text
    assert field in _detail(r)


@pytest.mark.parametrize("raw", [b'{"overrides": {"pue": NaN}}', b'{"overrides": {"pue": Infinity}}',
                                 b'{"overrides": {"pue": -Infinity}}'])
def test_non_finite_numbers_are_422(client, raw):
    r = client.post("/api/evaluate", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert "pue" in _detail(r) and "finite" in _detail(r)


@pytest.mark.parametrize("raw", [b"{", b"[]", b'"x"', b"null", "{\"overrides\": {\"p\u00e9\": 1}}".encode()])
def test_malformed_bodies_are_4xx(client, raw):
    r = client.post("/api/evaluate", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422


def test_oversized_body_is_413(client):
    big = json.dumps({"overrides": {"pue": 1.2}, "pad": "x" * MAX_BODY_BYTES})
    r = client.post("/api/evaluate", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_oversized_chunked_body_is_413(client):
    def chunks():  # no content-length: the streamed size is counted
        yield b'{"overrides": {"pue": 1.2}, "pad": "'
        for _ in range(MAX_BODY_BYTES // 1024 + 2):
            yield b"x" * 1024
        yield b'"}'

    r = client.post("/api/evaluate", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_bad_content_length_is_400(client):
    r = client.post("/api/evaluate", content=b"{}", headers={"content-type": "application/json", "content-length": "abc"})
    assert r.status_code == 400


# ----------------------------------------------------------------------------- break-even
def test_breakeven_no_solution_explains_why(client):
    r = client.post("/api/breakeven", json={})
    assert r.status_code == 200
    body = r.json()
    lib = breakeven("mccalip-2025-12")
    assert body["value"] is None and body["reason"] == lib.reason == "hardware_exceeds_ground"
    assert "hardware alone" in body["text"]


def test_breakeven_solution_and_curve(client):
    overrides = {"satellite_cost_usd_per_w": 5.0}  # cheap satellites: a launch price closes the gap
    r = client.post("/api/breakeven", json={"overrides": overrides, "curve_points": 50})
    assert r.status_code == 200
    body = r.json()
    lib = breakeven(load_scenario("mccalip-2025-12").with_overrides(overrides))
    assert body["value"] == pytest.approx(lib.value, rel=EXACT)
    at = evaluate("mccalip-2025-12", {**overrides, "launch_cost_usd_per_kg": body["value"]})
    assert float(at.orbital.total_cost_usd) == pytest.approx(float(at.terrestrial.total_cost_usd), rel=1e-6)
    curve = body["curve"]
    x = np.array(curve["x"])
    assert len(x) == 50 and np.all(np.diff(x) > 0)
    assert x[0] <= body["value"] <= x[-1] and x[0] <= body["current_value"] <= x[-1]
    i = 17
    point = evaluate("mccalip-2025-12", {**overrides, "launch_cost_usd_per_kg": float(x[i])})
    assert curve["orbital_total_cost_usd"][i] == pytest.approx(float(point.orbital.total_cost_usd), rel=EXACT)
    assert curve["terrestrial_total_cost_usd"][i] == pytest.approx(float(point.terrestrial.total_cost_usd), rel=EXACT)


@pytest.mark.parametrize("metric", ["total_cost", "lcoc"])
def test_breakeven_metric_is_the_librarys(client, metric):
    """The API equates what it is asked to, as the library does (the CLI's --metric): on a discounted
    life-cycle preset the two metrics give different break-even values."""
    body = {"preset": "reference-1gw-allin", "parameter": "gas_price_usd_per_mmbtu", "metric": metric}
    r = client.post("/api/breakeven", json=body)
    assert r.status_code == 200, r.text
    lib = breakeven("reference-1gw-allin", "gas_price_usd_per_mmbtu", metric=metric)
    other = breakeven("reference-1gw-allin", "gas_price_usd_per_mmbtu", metric={"lcoc": "total_cost"}.get(metric, "lcoc"))
    got = r.json()
    assert got["metric"] == lib.metric and got["status"] == lib.status == "solved"
    assert got["value"] == pytest.approx(lib.value, rel=EXACT)
    assert abs(got["value"] - other.value) > 0.1 * other.value  # the metric changed the answer


@pytest.mark.parametrize("body,field", [
    ({"parameter": "launch_vehicle"}, "parameter"),
    ({"parameter": "nonsense"}, "parameter"),
    ({"curve_points": MAX_CURVE_POINTS + 1}, "curve_points"),
    ({"curve_points": -1}, "curve_points"),
    ({"low": 500.0, "high": 100.0}, "low"),
    ({"low": -5.0}, "low"),
    ({"curve_low": 10.0, "curve_high": 10.0}, "curve_low"),
    ({"metric": "nonsense"}, "metric"),
])
def test_breakeven_rejects_bad_input(client, body, field):
    r = client.post("/api/breakeven", json=body)
    assert r.status_code == 422, r.text
    assert field in _detail(r)


# ----------------------------------------------------------------------------- Monte Carlo, sensitivity
def test_montecarlo_matches_library_and_is_reproducible(client):
    req = {"preset": "suncatcher-2025", "samples": 3000, "seed": 7}
    a = client.post("/api/montecarlo", json=req).json()
    b = client.post("/api/montecarlo", json=req).json()
    assert a == b
    lib = monte_carlo("suncatcher-2025", 3000, 7)
    assert a["probability_orbital_cheaper"] == lib.probability_orbital_cheaper
    p = a["percentiles"]["orbital_to_terrestrial_cost_ratio"]
    assert p["p50"] == pytest.approx(lib.percentiles["orbital_to_terrestrial_cost_ratio"]["p50"], rel=EXACT)
    assert sum(a["cost_ratio_histogram"]["counts"]) == 3000
    assert len(a["cost_ratio_histogram"]["edges"]) == len(a["cost_ratio_histogram"]["counts"]) + 1


@pytest.mark.parametrize("body,field", [
    ({"samples": MAX_MC_SAMPLES + 1}, "samples"),
    ({"samples": 0}, "samples"),
    ({"samples": 10.5}, "samples"),
    ({"seed": -1}, "seed"),
    ({"params": ["launch_vehicle"]}, "params"),
    ({"params": ["target_power_w"]}, "target_power_w"),  # numeric but fixed: not uncertain
    ({"params": ["radiator_temperature_k"]}, "radiator_temperature_k"),  # uncertain, not read by the preset's model
])
def test_montecarlo_bounds(client, body, field):
    r = client.post("/api/montecarlo", json=body)
    assert r.status_code == 422, r.text
    assert field in _detail(r)


def test_tornado_matches_library(client):
    body = client.post("/api/sensitivity", json={"method": "tornado", "metric": "cost_ratio"}).json()
    lib = tornado("mccalip-2025-12", "cost_ratio")
    assert [b["parameter"] for b in body["bars"]] == [b.parameter for b in lib.bars]
    assert body["base"] == pytest.approx(lib.base, rel=EXACT)


def test_sobol_small_and_bounded(client):
    r = client.post("/api/sensitivity", json={"method": "sobol", "samples": 32,
                                              "params": ["launch_cost_usd_per_kg", "satellite_cost_usd_per_w"]})
    assert r.status_code == 200
    assert set(r.json()["indices"]) == {"launch_cost_usd_per_kg", "satellite_cost_usd_per_w"}
    r = client.post("/api/sensitivity", json={"method": "sobol", "samples": 10**6})
    assert r.status_code == 422 and "samples" in _detail(r)
    r = client.post("/api/sensitivity", json={"metric": "orbital.nonsense"})
    assert r.status_code == 422 and "metric" in _detail(r)


def test_explain_matches_library_and_sums_to_the_difference(client):
    from orbitaldc.explain import explain

    req = {"a": {"preset": "seed-article-1gw"}, "b": {"preset": "mccalip-2025-12", "overrides": {"pue": 1.3}}}
    r = client.post("/api/explain", json=req)
    assert r.status_code == 200
    body = r.json()
    lib = explain("seed-article-1gw", load_scenario("mccalip-2025-12").with_overrides({"pue": 1.3}))
    assert body["difference"] == pytest.approx(lib.difference, rel=EXACT)
    assert sum(body["contributions"].values()) == pytest.approx(body["difference"], rel=1e-9)  # efficiency
    assert list(body["contributions"]) == list(lib.contributions)


@pytest.mark.parametrize("body,field", [
    ({"a": {"preset": "mccalip-2025-12", "x": 1}, "b": {}}, "x"),
    ({"a": {}}, "b"),
    ({"a": {}, "b": {"overrides": {"pue": 0.5}}}, "pue"),
    ({"a": {}, "b": {}, "permutations": 10**9}, "permutations"),
    # a metric undefined for the scenarios (no compute price: no IRR); cost_ratio between any two
    # presets is attributable since issue 12 (through both sides' totals)
    ({"a": {"preset": "mccalip-2025-12"}, "b": {"preset": "jpl-1mw-2026"}, "metric": "orbital.irr_per_yr"},
     "irr_per_yr"),
])
def test_explain_rejects_bad_input(client, body, field):
    r = client.post("/api/explain", json=body)
    assert r.status_code == 422, r.text
    assert field in _detail(r)


def test_time_bound_answers_503():
    with TestClient(create_app(time_limit_s=1e-6)) as c:
        r = c.post("/api/montecarlo", json={"samples": MAX_MC_SAMPLES})
    assert r.status_code == 503
    assert "longer than" in r.json()["detail"]


# ----------------------------------------------------------------------------- TOML
def test_toml_round_trips_and_the_cli_accepts_it(client, tmp_path):
    req = {"preset": "starcloud-40mw-2024", "overrides": {"launch_cost_usd_per_kg": 250.0, "analysis_years": 8},
           "name": "my-case", "description": 'Starcloud at "$250/kg"'}
    r = client.post("/api/toml", json=req)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/toml")
    assert 'filename="my-case.toml"' in r.headers["content-disposition"]
    sc = scenario_from_text(r.text)
    assert sc.name == "my-case"
    api = client.post("/api/evaluate", json={"preset": req["preset"], "overrides": req["overrides"]}).json()
    assert float(evaluate(sc).orbital.total_cost_usd) == pytest.approx(api["orbital"]["total_cost_usd"], rel=EXACT)
    path = tmp_path / "my-case.toml"
    path.write_text(r.text)
    out = CliRunner().invoke(cli_app, ["run", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["orbital"]["total_cost_usd"] == pytest.approx(api["orbital"]["total_cost_usd"], rel=EXACT)


@pytest.mark.parametrize("body,field", [({"name": "../etc/x"}, "name"), ({"description": "a\nb = 1"}, "description")])
def test_toml_rejects_names_that_would_break_the_file(client, body, field):
    r = client.post("/api/toml", json=body)
    assert r.status_code == 422 and field in _detail(r)


# ----------------------------------------------------------------------------- page, schema, headers
def test_page_and_local_plotly_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and "<title>" in page.text
    js = client.get("/vendor/plotly.min.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert len(js.content) > 1_000_000
    for name in ("app.js", "style.css"):
        assert client.get(f"/static/{name}").status_code == 200


def test_page_needs_no_internet():
    for path in STATIC_DIR.iterdir():
        text = path.read_text()
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), path.name
        assert "fetch(\"http" not in text and "cdn" not in text.lower(), path.name


def test_security_headers(client):
    r = client.get("/")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in r.headers["content-security-policy"]
    r = client.post("/api/evaluate", json={"bogus": 1})
    assert r.headers["x-frame-options"] == "DENY"


def test_openapi_documents_every_route_and_forbids_extra_fields(client):
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/presets", "/api/params", "/api/evaluate", "/api/breakeven", "/api/montecarlo",
            "/api/sensitivity", "/api/explain", "/api/toml", "/api/scenario", "/api/twin"} <= paths
    components = schema["components"]["schemas"]
    for name in ("ScenarioRequest", "UncertainMonteCarloRequest", "SensitivityRequest", "UncertainTomlRequest",
                 "ExplainRequest", "Overrides", "TwinRequest", "ScenarioTextRequest", "UncertaintyEntry"):
        assert components[name]["additionalProperties"] is False, name
    mc = components["UncertainMonteCarloRequest"]["properties"]["samples"]
    assert mc["maximum"] == MAX_MC_SAMPLES


def test_openapi_types_every_override_from_the_library(client):
    # the schema states each override's type and allowed range, so "any key" and "any value" are gone
    overrides = client.get("/openapi.json").json()["components"]["schemas"]["Overrides"]
    library = load_library()
    assert set(overrides["properties"]) == set(library)
    for name, spec in library.items():
        prop = overrides["properties"][name]
        if spec.type == "str":
            assert prop["enum"] == list(spec.choices), name
        else:
            assert prop["type"] == ("integer" if spec.type == "int" else "number"), name
            assert (prop["minimum"], prop["maximum"]) == (spec.min, spec.max), name


def test_openapi_breakeven_bounds_follow_the_parameter(client):
    # one variant per numeric parameter: low/high within that parameter's allowed range
    body = client.get("/openapi.json").json()["paths"]["/api/breakeven"]["post"]["requestBody"]
    variants = body["content"]["application/json"]["schema"]["oneOf"]
    components = client.get("/openapi.json").json()["components"]["schemas"]
    library = load_library()
    by_parameter = {}
    for ref in variants:
        v = components[ref["$ref"].rsplit("/", 1)[1]]
        assert v["additionalProperties"] is False
        by_parameter[v["properties"]["parameter"]["const"]] = v["properties"]
    assert set(by_parameter) == {n for n, s in library.items() if s.is_numeric}
    pue = by_parameter["pue"]
    assert (pue["high"]["exclusiveMinimum"], pue["high"]["maximum"]) == (library["pue"].min, library["pue"].max)
    assert (pue["low"]["minimum"], pue["low"]["exclusiveMaximum"]) == (library["pue"].min, library["pue"].max)


# ----------------------------------------------------------------------------- CLI
@pytest.mark.parametrize("host,expected", [("127.0.0.1", True), ("127.1.2.3", True), ("::1", True),
                                           ("localhost", True), ("0.0.0.0", False), ("192.168.1.5", False),
                                           ("example.org", False)])
def test_is_loopback(host, expected):
    assert is_loopback(host) is expected


def test_serve_rejects_bad_port():
    out = CliRunner().invoke(cli_app, ["serve", "--port", "70000"])
    assert out.exit_code == 2
    assert "port" in out.output.lower()


ANNUAL_ONLY_PARAMETERS = ("discount_rate_per_yr", "gpu_power_w", "gpu_utilization", "gpu_failure_per_yr",
                        "ops_cost_fraction_per_yr", "shielding_cost_usd_per_kg", "water_l_per_kwh",
                        "gas_co2_kg_per_mmbtu")


@pytest.mark.parametrize("parameter", ANNUAL_ONLY_PARAMETERS)
def test_breakeven_over_annual_parameters(parameter):
    # regression: these enter only the yearly streams; an array of them alone once crashed
    result = breakeven("mccalip-2025-12", parameter)
    assert result.parameter == parameter


def test_serve_starts_on_loopback_and_answers():
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "orbitaldc", "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/presets", timeout=2) as r:
                    body = json.loads(r.read())
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail(f"serve did not answer: {proc.stderr.read() if proc.poll() is not None else ''}")
                time.sleep(0.1)
        assert body["default"] == "mccalip-2025-12"
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/" in err


# ----------------------------------------------------------------------------- regressions (issue 16)
def test_breakeven_curve_over_an_unset_optional_parameter(client):
    # regression: compute_price_usd_per_gpu_hour has no value in the preset; the curve once did
    # float(None) and answered 500. Without a value or a plausible range the curve spans the
    # allowed range, and the answer says the scenario has no current value.
    r = client.post("/api/breakeven", json={"parameter": "compute_price_usd_per_gpu_hour", "curve_points": 10})
    assert r.status_code == 200, r.text
    body = r.json()
    spec = load_library()["compute_price_usd_per_gpu_hour"]
    assert body["current_value"] is None
    x = np.array(body["curve"]["x"])
    assert len(x) == 10 and x[0] == spec.min and x[-1] == spec.max and np.all(np.diff(x) > 0)
    i = 4
    point = evaluate("mccalip-2025-12", {"compute_price_usd_per_gpu_hour": float(x[i])})
    assert body["curve"]["orbital_total_cost_usd"][i] == pytest.approx(float(point.orbital.total_cost_usd), rel=EXACT)


@pytest.mark.parametrize("body,field", [
    ({"high": 0}, "high"),  # launch price: the search's upper end must lie above the allowed minimum
    ({"parameter": "pue", "low": 9.0}, "low"),  # outside pue's own allowed range
    ({"parameter": "pue", "curve_high": 0.5}, "curve_high"),
    ({"parameter": "sun_fraction", "high": 100}, "high"),
])
def test_breakeven_bounds_outside_the_parameter_range_are_422(client, body, field):
    r = client.post("/api/breakeven", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["body", field]


def test_breakeven_unordered_bounds_name_both_ends(client):
    r = client.post("/api/breakeven", json={"low": 500.0, "high": 100.0})
    assert r.status_code == 422
    item = r.json()["detail"][0]
    assert item["type"] == "range_order" and "low = 500.0" in item["msg"] and "high = 100.0" in item["msg"]


def test_breakeven_curve_with_one_given_end_keeps_the_other_valid(client):
    # curve_low above the plausible high: the curve runs from it to the allowed maximum
    spec = load_library()["launch_cost_usd_per_kg"]
    r = client.post("/api/breakeven", json={"curve_points": 5, "curve_low": 50_000.0})
    assert r.status_code == 200, r.text
    x = r.json()["curve"]["x"]
    assert x[0] == pytest.approx(50_000.0, rel=EXACT) and x[-1] == pytest.approx(spec.max, rel=EXACT)


@pytest.mark.parametrize("path,body", [
    ("/api/montecarlo", {"samples": 64, "params": ["upmass_base_year"]}),  # numeric, not uncertain
    ("/api/sensitivity", {"params": ["target_power_w"]}),
    ("/api/montecarlo", {"samples": 64, "params": []}),
])
def test_params_must_be_uncertain(client, path, body):
    r = client.post(path, json=body)
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"][:2] == ["body", "params"]


def test_integral_floats_are_integers_and_strings_are_not(client):
    # JSON Schema counts 64.0 as an integer (schemathesis sent it and got 422 before)
    assert client.post("/api/montecarlo", json={"samples": 64.0, "seed": 3.0}).status_code == 200
    for bad in ("64", True, 64.5):
        r = client.post("/api/montecarlo", json={"samples": bad})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "samples"], bad


def test_seed_bound_is_exact_in_json(client):
    # 2^63 - 1 was the old bound: as a float it equals 2^63, so JSON validators accepted 2^63 + 191
    r = client.post("/api/montecarlo", json={"samples": 8, "seed": MAX_SEED})
    assert r.status_code == 200 and r.json()["seed"] == MAX_SEED
    r = client.post("/api/montecarlo", json={"samples": 8, "seed": MAX_SEED + 1})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "seed"]
    r = client.post("/api/montecarlo", json={"samples": 8, "seed": None})
    assert r.status_code == 200 and 0 <= r.json()["seed"] <= MAX_SEED  # a fresh seed JSON clients read exactly


def test_unknown_override_suggests_the_parameter(client):
    r = client.post("/api/evaluate", json={"overrides": {"launch_cost_usd_per_kgx": 1}})
    item = r.json()["detail"][0]
    assert r.status_code == 422 and item["loc"] == ["body", "overrides", "launch_cost_usd_per_kgx"]
    assert "did you mean 'launch_cost_usd_per_kg'" in item["msg"]


def test_out_of_range_override_names_key_value_and_allowed_range(client):
    r = client.post("/api/evaluate", json={"overrides": {"pue": 9}})
    spec = load_library()["pue"]
    assert r.json()["detail"][0]["msg"] == f"overrides.pue = 9: expected {spec.allowed()}"


INFEASIBLE = {"preset": "reference-1gw-terminator", "overrides": {"radiator_temperature_k": 150.0}}


def test_model_error_is_422_naming_the_inputs(client):
    # each value is in its allowed range, but the radiator cannot reject heat at 150 K there
    r = client.post("/api/evaluate", json=INFEASIBLE)
    assert r.status_code == 422
    item = r.json()["detail"][0]
    assert item["type"] == "model_error" and "net_flux" in item["msg"]
    assert "reference-1gw-terminator with radiator_temperature_k set" in item["msg"]


def test_toml_refuses_a_scenario_that_orbitaldc_run_would_refuse(client, tmp_path):
    # regression: /api/toml wrote this file, and `orbitaldc run FILE` then exited 2 on it
    r = client.post("/api/toml", json=INFEASIBLE)
    assert r.status_code == 422 and r.json()["detail"][0]["type"] == "model_error"


@pytest.mark.parametrize("preset", sorted(list_presets()))
def test_toml_round_trips_through_the_cli_loader(client, tmp_path, preset):
    # every written value reads back identically through the loader `orbitaldc run` uses
    library = load_library()
    overrides = {"launch_cost_usd_per_kg": 123.456789012345, "analysis_years": 9.0,  # 9.0: an integer in JSON
                 "terrestrial_power_source": "grid", "pue": library["pue"].max}
    r = client.post("/api/toml", json={"preset": preset, "overrides": overrides, "description": 'a "quoted" é'})
    assert r.status_code == 200, r.text
    path = tmp_path / "case.toml"
    path.write_bytes(r.content)
    loaded = load_scenario(path)
    expected = load_scenario(preset).with_overrides({**overrides, "analysis_years": 9})
    assert loaded.values == expected.values
    assert loaded.description == 'a "quoted" é'


def test_toml_refuses_lone_surrogates(client):
    r = client.post("/api/toml", content=b'{"description": "\\ud800"}', headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "description"]


def test_breakeven_against_a_free_ground_side_answers_not_500(client):
    # found by test_fuzz: jpl-1mw-2026's terrestrial side is all "other capex"; at 0 $/W it costs
    # nothing and the old compare.breakeven divided by that zero total (ZeroDivisionError, a 500).
    # JPL's orbital cost is (L + B) x mass with B = 0 here, so both sides cost $0 at L = 0.
    r = client.post("/api/breakeven", json={"preset": "jpl-1mw-2026", "overrides": {"other_capex_usd_per_w": 0.0}})
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "solved" and body["value"] == 0.0 and body["terrestrial_at"] == body["orbital_at"] == 0.0
    assert body["residual_gap"] == 0.0


def test_malformed_bodies_answer_a_documented_400(client):
    # regression: schemathesis found 400 "error parsing the body" undocumented on every POST route
    r = client.post("/api/evaluate", content=b"\xff\xfe{", headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["detail"]
    paths = client.get("/openapi.json").json()["paths"]
    for path, methods in paths.items():
        for method, op in methods.items():
            assert "400" in op["responses"], (method, path)
