"""The seed article's quantitative claims checked against the model (orbitaldc.claims).

Expected turning points are derived by hand from the article's own figures (REFERENCES.md sec. 1):
hardware $50/W, 48.98 W/kg (the midpoint of $30B/$1,500 and $75B/$3,600 per kg), ground
$42.5/W; and from McCalip's published outputs (REFERENCES.md sec. 2). The launch-price grid
has $1/kg steps, so a turning price is exact to $1.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from orbitaldc.claims import FAILS, HOLDS, PARTLY, check_claims
from orbitaldc.errors import OrbitaldcError


@pytest.fixture(scope="module")
def checks():
    return {c.key: c for c in check_claims("seed-article-1gw", "mccalip-2025-12")}


def _turn(reason: str) -> float:
    return float(re.search(r"(?:above|below) about \$([\d,]+)/kg", reason).group(1).replace(",", ""))


def test_every_claim_is_checked_twice(checks):
    assert list(checks) == ["launch_cost", "orbital_total", "ground_capex", "more_than_twice", "launch_threshold"]
    for c in checks.values():
        for v in (c.article, c.reference):
            assert v.status in (HOLDS, PARTLY, FAILS) and len(v.reason) > 40


def test_launch_cost(checks):
    c = checks["launch_cost"]
    # 1 GW / 48.98 W/kg = 20.42 Mkg: $30.62B at $1,500/kg, $73.50B at $3,600/kg
    assert c.article.status == HOLDS and "$30.62B-$73.50B" in c.article.reason
    # McCalip: 29.39 Mkg -> $44.09B-$105.80B, above the claim
    assert c.reference.status == FAILS and "$44.09B-$105.80B" in c.reference.reason and "29.39 Mkg" in c.reference.reason


def test_total_above_100b_only_at_high_launch_prices(checks):
    c = checks["orbital_total"]
    # article: $50B + 20.42 Mkg x p > $100B  <=>  p > $50B x 48.98 W/kg / 1 GW = $2,449/kg
    assert c.article.status == PARTLY and _turn(c.article.reason) == pytest.approx(2449, abs=1.5)
    # McCalip: $23.60B + $10.62B + $1.18B + $1B = $36.40B + 29.39 Mkg x p > $100B  <=>  p > ~$2,164/kg
    assert c.reference.status == PARTLY and _turn(c.reference.reason) == pytest.approx(63.6e9 / 29.39e6, rel=2e-3)


def test_ground_capex(checks):
    c = checks["ground_capex"]
    assert c.article.status == HOLDS and "$42.50B" in c.article.reason
    # McCalip: turbine $1,800/kW x PUE 1.2 + $5.25 + $3.00 + $2.50 + $1.75 per W = $14.66/W
    assert c.reference.status == FAILS and "$14.66B" in c.reference.reason


def test_more_than_twice(checks):
    c = checks["more_than_twice"]
    # article: ($50B + 20.42 Mkg x p) / $42.5B > 2  <=>  p > $35B / 20.42 Mkg = $1,714.3/kg
    assert c.article.status == PARTLY and _turn(c.article.reason) == pytest.approx(1714.3, abs=1.5)
    # McCalip: ($23.60B + $1B + 29.39 Mkg x $1,500) / $14.66B = 4.69x already at the low end
    assert c.reference.status == HOLDS and "4.69x" in c.reference.reason
    assert "3.22x" in c.reference.reason  # published $51.10B / $15.85B


def test_launch_threshold(checks):
    c = checks["launch_threshold"]
    # hardware alone ($50B) is above the whole ground total ($42.5B): no launch price closes the gap;
    # at $300/kg hardware would need ($42.5B - 20.42 Mkg x $300) / 1 GW = $36.38/W
    assert c.article.status == FAILS and "$36.38/W" in c.article.reason
    assert c.reference.status == FAILS and "not even $0/kg" in c.reference.reason


def test_errors():
    with pytest.raises(OrbitaldcError, match="no claims recorded for 'mccalip-2025-12'.*seed-article-1gw"):
        check_claims("mccalip-2025-12")


def test_cli_check():
    env = dict(os.environ, COLUMNS="160")
    run = lambda *a: subprocess.run([sys.executable, "-m", "orbitaldc", *a], capture_output=True, text=True,  # noqa: E731
                                    env=env, timeout=120)
    proc = run("check", "seed-article-1gw", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["reference"] == "mccalip-2025-12" and len(out["claims"]) == 5
    assert {"key", "claim", "article", "reference"} <= set(out["claims"][0])
    text = run("check", "seed-article-1gw").stdout
    assert "more than twice" in text and "holds in part" in text and "does not hold" in text
    bad = run("check", "starcloud-40mw-2024")
    assert bad.returncode == 2 and bad.stderr.startswith("error: check: no claims")
