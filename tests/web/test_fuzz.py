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
from hypothesis import HealthCheck, assume, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from orbitaldc.web.app import create_app  # noqa: E402

# Known core bug, tracked by test_api.py::test_breakeven_over_annual_parameters (strict xfail,
# so it fails once the core is fixed and this list must shrink): evaluate_values crashes when
# one of these is the only array-valued parameter, so a break-even over them, or a Monte Carlo or
# sensitivity restricted to them, is a 500 (the same happens in the CLI).
KNOWN_CORE_ARRAY_BUG = frozenset({
    "discount_rate_per_yr", "gpu_power_w", "gpu_utilization", "compute_price_usd_per_gpu_hour",
    "gpu_failure_per_yr", "ops_cost_fraction_per_yr", "shielding_cost_usd_per_kg", "water_l_per_kwh",
    "gas_co2_kg_per_mmbtu",
})

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())


@schema.parametrize()
@settings(max_examples=50, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    if isinstance(case.body, dict):  # a break-even over, or a Monte Carlo/sensitivity of, only these
        varied = case.body.get("parameter"), *(case.body.get("params") or () if isinstance(case.body.get("params"), list) else ())
        assume(not any(isinstance(p, str) and p in KNOWN_CORE_ARRAY_BUG for p in varied))
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
    assert response.status_code < 500, (response.status_code, response.text[:500])
