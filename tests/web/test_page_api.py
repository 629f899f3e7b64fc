"""The page's physics routes: scenario files in and out, stated uncertainty, the short twin run, /docs.

Expected values come from the library itself called directly (the API must add no arithmetic):
the uploaded file's values equal ``scenario_from_text`` of the same text, a Monte Carlo with a
stated distribution equals ``monte_carlo(..., uncertainty=...)``, the twin's summary equals the
library's ``summarize`` of the same run. Bad input is a 4xx naming the key.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from fastapi.testclient import TestClient

from orbitaldc.params import load_scenario, scenario_from_text
from orbitaldc.uncertainty import monte_carlo
from orbitaldc.web.app import create_app
from orbitaldc.web.page_schemas import MAX_DAYS, MAX_SATELLITES, MAX_SERIES_POINTS, MAX_TOML_CHARS, SERIES
from orbitaldc.web.schemas import MC_CHUNK

FILE = """\
extends = "starcloud-40mw-2024"
name = "my-case"
description = "Starcloud at a higher PUE"
pue = 1.3
launch_cost_usd_per_kg = 120.0

[uncertainty.launch_cost_usd_per_kg]
distribution = "loguniform"
low = 60.0
high = 300.0
"""


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(time_limit_s=60.0)) as c:
        yield c


def _detail(r) -> str:
    return json.dumps(r.json()["detail"])


def test_scenario_upload_gives_the_files_values_exactly(client):
    r = client.post("/api/scenario", json={"toml": FILE})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["preset"] == "starcloud-40mw-2024" and body["name"] == "my-case"
    assert body["uncertainty"] == {"launch_cost_usd_per_kg": {"distribution": "loguniform", "low": 60.0, "high": 300.0}}
    direct = scenario_from_text(FILE)
    rebuilt = load_scenario(body["preset"]).with_overrides(body["overrides"])
    assert set(body["overrides"]) == {"pue", "launch_cost_usd_per_kg"}
    assert all(np.array_equal(rebuilt.values[k], direct.values[k]) for k in direct.values if direct.values[k] is not None)


def test_scenario_without_extends_maps_onto_the_default_preset(client):
    r = client.post("/api/scenario", json={"toml": "pue = 1.25\n"})
    assert r.status_code == 200, r.text
    body = r.json()
    direct = scenario_from_text("pue = 1.25\n")
    rebuilt = load_scenario(body["preset"]).with_overrides(body["overrides"])
    assert all(np.array_equal(rebuilt.values[k], direct.values[k]) for k in direct.values if direct.values[k] is not None)


@pytest.mark.parametrize("text, named", [
    ("pue = 'high'\n", "pue"),
    ("launch_cost = 200\n", "unknown key 'launch_cost'"),
    ("pue = [1.1, 1.2]\n", "arrays"),
    ("extends = '/etc/passwd'\n", "no such preset"),
    ("pue = \n", "uploaded-scenario"),  # malformed TOML
    ("[uncertainty.pue]\ndistribution = 'uniform'\nlow = 2.0\nhigh = 1.0\n", "uncertainty.pue"),
])
def test_bad_scenario_file_is_422_with_the_message(client, text, named):
    r = client.post("/api/scenario", json={"toml": text})
    assert r.status_code == 422, r.text
    assert named in _detail(r)


def test_oversized_scenario_text_is_refused(client):
    r = client.post("/api/scenario", json={"toml": "#" * (MAX_TOML_CHARS + 1)})
    assert r.status_code in (413, 422)


def test_download_round_trips_the_stated_uncertainty(client):
    body = {"preset": "starcloud-40mw-2024", "overrides": {"pue": 1.3}, "name": "my-case",
            "uncertainty": {"launch_cost_usd_per_kg": {"distribution": "loguniform", "low": 60.0, "high": 300.0}}}
    r = client.post("/api/toml", json=body)
    assert r.status_code == 200, r.text
    back = scenario_from_text(r.text)
    assert back.values["pue"] == 1.3
    assert back.uncertainty["launch_cost_usd_per_kg"].to_table() == body["uncertainty"]["launch_cost_usd_per_kg"]
    again = client.post("/api/scenario", json={"toml": r.text}).json()
    assert again["uncertainty"] == body["uncertainty"]


def test_montecarlo_follows_the_stated_uncertainty(client):
    stated = {"launch_cost_usd_per_kg": {"distribution": "uniform", "low": 100.0, "high": 150.0}}
    r = client.post("/api/montecarlo", json={"preset": "mccalip-2025-12", "samples": 2000, "seed": 3,
                                             "uncertainty": stated})
    assert r.status_code == 200, r.text
    direct = monte_carlo("mccalip-2025-12", 2000, 3, chunk_size=MC_CHUNK, uncertainty=stated)
    ratio = "orbital_to_terrestrial_cost_ratio"
    assert r.json()["percentiles"][ratio]["p50"] == pytest.approx(float(direct.percentiles[ratio]["p50"]), rel=1e-12)
    plain = client.post("/api/montecarlo", json={"preset": "mccalip-2025-12", "samples": 2000, "seed": 3}).json()
    # the library's launch range (100 to 3,600 $/kg) is far wider than 100-150: the median ratio must fall
    assert r.json()["percentiles"][ratio]["p50"] < plain["percentiles"][ratio]["p50"]


def test_montecarlo_bad_uncertainty_names_the_key(client):
    r = client.post("/api/montecarlo", json={"samples": 100, "uncertainty": {
        "launch_cost_usd_per_kg": {"distribution": "uniform", "low": 300.0, "high": 100.0}}})
    assert r.status_code == 422 and "launch_cost_usd_per_kg" in _detail(r)
    r = client.post("/api/montecarlo", json={"samples": 100, "uncertainty": {"bogus": {"distribution": "uniform"}}})
    assert r.status_code == 422


def test_twin_run_gives_bounded_series_and_the_library_summary(client):
    r = client.post("/api/twin", json={"preset": "reference-1gw-terminator", "satellites": 4, "days": 0.5,
                                       "step_s": 60})
    assert r.status_code == 200, r.text
    body = r.json()
    series = body["series"]
    assert set(series) == {"time_h", *SERIES}
    assert len(series["time_h"]) == 720 <= MAX_SERIES_POINTS  # 0.5 day at 60 s: 720 steps, none merged
    assert series["time_h"][0] == 0 and series["time_h"][-1] == pytest.approx(719 / 60)
    assert all(0 <= x <= 1 for x in series["sunlit_fraction"])
    from orbitaldc.web.services import twin_json

    direct = twin_json("reference-1gw-terminator", {}, 4, 0.5, 60.0, 0)
    assert body["summary"] == json.loads(json.dumps(direct["summary"]))


def test_twin_needs_the_bottom_up_design_and_respects_caps(client):
    r = client.post("/api/twin", json={"preset": "mccalip-2025-12"})
    assert r.status_code == 422 and "bottom_up" in _detail(r)
    for field, value in (("satellites", MAX_SATELLITES + 1), ("days", MAX_DAYS * 2), ("step_s", 1.0)):
        r = client.post("/api/twin", json={"preset": "reference-1gw-terminator", field: value})
        assert r.status_code == 422 and field in _detail(r), (field, r.text)


def test_api_docs_are_served_locally(client):
    r = client.get("/docs")
    assert r.status_code == 200 and "/vendor/swagger-ui/swagger-ui-bundle.js" in r.text
    js = client.get("/vendor/swagger-ui/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 100_000
    assert client.get("/vendor/swagger-ui/swagger-ui.css").status_code == 200


def test_version_comes_from_the_package_metadata(client):
    from importlib.metadata import version

    assert client.get("/api/presets").json()["version"] == version("orbitaldc")
    assert client.get("/openapi.json").json()["info"]["version"] == version("orbitaldc")
