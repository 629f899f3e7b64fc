"""Schema-driven fuzzing: the OpenAPI schema says exactly what the API accepts.

schemathesis generates requests from the app's own schema, valid ones and invalid ones, sends
them through the ASGI app (middleware, worker processes and all) and runs every check it has:
no 5xx, documented status codes, content types and headers, responses that match their
schemas, invalid data rejected (4xx) and valid data accepted (2xx). The one refinement: a
schema-valid request may be refused with 422 when the *model* cannot evaluate the combination
(detail type ``model_error``, e.g. a radiator colder than its environment) or when both ends
of a range are given in the wrong order (``range_order``); JSON Schema cannot express either,
the 422 description documents both, and :func:`positive_data_accepted` allows exactly those.
A request refused by request validation still fails the check.

Examples per operation are bounded (``max-examples``) and the seed is fixed, so a failure
reproduces. An invalid body too large to read is refused with 413 (documented on every route), which
the negative-data check counts as a rejection. The coverage phase (boundary values of every field) runs for the routes whose
bodies hold every override: the other routes share those models.
"""

from __future__ import annotations

import json

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import Failure
from schemathesis.specs.openapi.checks import positive_data_acceptance

from orbitaldc.params import list_presets, load_library
from orbitaldc.web.app import create_app
from orbitaldc.web.schemas import SEMANTIC_ERRORS

#: Generous time bound: this test checks the schema, not speed; a loaded machine must not turn
#: a valid request into a 503 (bounded work is tested in test_limits.py).
APP = create_app(time_limit_s=120.0)
CONFIG = SchemathesisConfig.from_dict({
    "seed": 16,
    # schemathesis stops waiting for an ASGI answer after 10 s by default: on a loaded machine a
    # valid explain or sensitivity request can take longer; the app's own bound above decides
    "request-timeout": 120.0,
    "generation": {"max-examples": 25},
    # an invalid body too large to read (a string far over its maxLength) is refused with 413, documented
    "checks": {"negative_data_rejection": {"expected-statuses": [400, 401, 403, 404, 405, 406, 409, 413, 415, 422,
                                                                 428, 429, "5XX"]}},
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    "operations": [{"include-path-regex": "^/api/(evaluate|toml|params|presets)$",
                    "phases": {"coverage": {"enabled": True}}}],
})
# The schema the app serves at /openapi.json (the same dict), read without starting the app at
# collection (which every xdist worker does); requests still go through the whole ASGI app.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(APP.openapi())), config=CONFIG)
schema.app, schema.location = APP, "/openapi.json"


def positive_data_accepted(ctx, response, case):
    """schemathesis' positive_data_acceptance, except the two documented semantic 422s."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except Failure:
        if response.status_code == 422:
            detail = response.json().get("detail")
            if isinstance(detail, list) and detail and all(d.get("type") in SEMANTIC_ERRORS for d in detail):
                return None
        raise


def _conformance_test():
    @settings(deadline=None, suppress_health_check=list(HealthCheck))
    def test_conforms_to_its_schema(self, case):
        case.call_and_validate(excluded_checks=[positive_data_acceptance],
                               additional_checks=[positive_data_accepted])
    return test_conforms_to_its_schema


# One test class per operation. schemathesis names every operation's item after its one test
# function, and pytest-xdist, which tells items apart by node id, would run only the first of
# them; a class each also lets ``--dist loadscope`` spread the operations over the workers.
# (``exclude`` narrows a schema whose config already holds include filters; ``include`` would widen it.)
OPERATIONS = sorted(f"{method.upper()} {path}" for path, item in APP.openapi()["paths"].items() for method in item)
for _label in OPERATIONS:
    _name = "Test" + "".join(w.capitalize() for w in _label.lower().replace("/", " ").split())
    _only = schema.exclude(func=lambda ctx, label=_label: ctx.operation.label != label)
    globals()[_name] = type(_name, (), {"test_conforms_to_its_schema": _only.parametrize()(_conformance_test()),
                                        "__doc__": f"{_label} against its OpenAPI description."})


def test_every_operation_has_its_own_conformance_test():
    classes = [n for n, v in globals().items() if n.startswith("Test") and isinstance(v, type)]
    assert len(classes) == len(set(classes)) == len(OPERATIONS) >= 10


# The library's own keys with values anywhere in their allowed range (edges included): every
# answer must be a 200 with JSON numbers or null, or a 422 naming an input the request set.
_LIB = load_library()


def _value(spec):
    if spec.type == "str":
        return st.sampled_from(spec.choices)
    if spec.type == "int":
        return st.integers(int(spec.min), int(spec.max))
    return st.one_of(st.sampled_from([float(spec.min), float(spec.max)]),
                     st.floats(spec.min, spec.max, allow_nan=False))


_OVERRIDES = st.lists(st.sampled_from(sorted(_LIB)), min_size=1, max_size=6, unique=True).flatmap(
    lambda keys: st.fixed_dictionaries({k: _value(_LIB[k]) for k in keys}))


def test_library_overrides_never_500():
    from fastapi.testclient import TestClient

    with TestClient(create_app()) as client:
        @given(preset=st.sampled_from(sorted(list_presets())), overrides=_OVERRIDES)
        @settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
        def check(preset, overrides):
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

        check()
