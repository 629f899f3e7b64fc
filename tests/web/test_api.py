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
from orbitaldc.web.app import (MAX_BODY_BYTES, MAX_CURVE_POINTS, MAX_MC_SAMPLES,
                               STATIC_DIR, create_app)

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


@pytest.mark.parametrize("body,field", [
    ({"parameter": "launch_vehicle"}, "parameter"),
    ({"parameter": "nonsense"}, "parameter"),
    ({"curve_points": MAX_CURVE_POINTS + 1}, "curve_points"),
    ({"curve_points": -1}, "curve_points"),
    ({"low": 500.0, "high": 100.0}, "low"),
    ({"low": -5.0}, "low"),
    ({"curve_low": 10.0, "curve_high": 10.0}, "curve_low"),
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
            "/api/sensitivity", "/api/explain", "/api/toml"} <= paths
    for name in ("ScenarioRequest", "BreakevenRequest", "MonteCarloRequest", "SensitivityRequest", "TomlRequest",
                 "ExplainRequest"):
        assert schema["components"]["schemas"][name]["additionalProperties"] is False, name
    mc = schema["components"]["schemas"]["MonteCarloRequest"]["properties"]["samples"]
    assert mc["maximum"] == MAX_MC_SAMPLES


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
