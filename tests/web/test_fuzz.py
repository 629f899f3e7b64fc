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
