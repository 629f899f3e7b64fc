"""Schema-driven fuzzing: schemathesis generates valid and invalid requests from the app's own
OpenAPI schema and sends them through the ASGI app. No answer may be a 5xx: bad input is a
4xx naming the field, and the caps keep every valid request quick.

Examples per operation are bounded (hypothesis ``max_examples``) so the whole file stays
within a few seconds per route; the generator is seeded through hypothesis' derandomize,
so a failure reproduces.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from orbitaldc.web.app import create_app  # noqa: E402


schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())


@schema.parametrize()
@settings(max_examples=50, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
    assert response.status_code < 500, (response.status_code, response.text[:500])


# The schema cannot list which override keys exist, so random keys mostly meet the 422 for an
# unknown key. Here the keys are the library's and the values anywhere in their allowed range
# (edges included): every answer must be a 200 with JSON numbers or null, or a 422 naming the key.
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from orbitaldc.params import list_presets, load_library  # noqa: E402

_LIB = load_library()


def _value(spec):
    if spec.type == "str":
        return st.sampled_from(spec.choices)
    lo = -1e12 if spec.min is None else spec.min
    hi = 1e12 if spec.max is None else spec.max
    if spec.type == "int":
        return st.integers(int(lo), int(hi))
    return st.one_of(st.sampled_from([float(lo), float(hi)]), st.floats(lo, hi, allow_nan=False))


_OVERRIDES = st.lists(st.sampled_from(sorted(_LIB)), min_size=1, max_size=6, unique=True).flatmap(
    lambda keys: st.fixed_dictionaries({k: _value(_LIB[k]) for k in keys}))


@pytest.fixture(scope="module")
def client():
    from fastapi.testclient import TestClient

    with TestClient(create_app()) as c:
        yield c


@given(preset=st.sampled_from(sorted(list_presets())), overrides=_OVERRIDES)
@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_library_overrides_never_500(client, preset, overrides):
    body = {"preset": preset, "overrides": overrides}
    r = client.post("/api/evaluate", json=body)
    assert r.status_code in (200, 422), (r.status_code, r.text[:500])
    if r.status_code == 422:
        assert any(k in r.text for k in overrides), r.text
        return
    for path, extra in (("/api/breakeven", {"curve_points": 12}), ("/api/montecarlo", {"samples": 64}),
                        ("/api/sensitivity", {"method": "tornado"})):
        r = client.post(path, json={**body, **extra})
        assert r.status_code in (200, 422), (path, r.status_code, r.text[:500])
        assert r.status_code == 200 or r.json()["detail"], r.text
