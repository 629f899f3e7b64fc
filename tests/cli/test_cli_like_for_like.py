"""The like-for-like picture in the CLI: every cost part, scope, headline, availability, physics checks,
break-even metrics, explain's scope flags, the Monte Carlo's headline probability, claim labels.

Expected numbers come from the library's results (``orbitaldc.compare``, ``orbitaldc.explain``,
...), read back from the printed text by a parser written here (not the formatter that wrote it);
each tolerance is the rounding of the printed figure.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from orbitaldc.compare import BREAKEVEN_METRICS, HEADLINE_METRIC, breakeven, evaluate
from orbitaldc.explain import explain
from orbitaldc.params import load_scenario
from orbitaldc.systems.breakdown import COST_PARTS, cost_breakdown
from orbitaldc.uncertainty import monte_carlo

_SCALE = {"": 1.0, "k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


def money(text: str) -> tuple[float, float]:
    """``"-$8.65B"`` -> (-8.65e9, half a unit of the last printed digit)."""
    m = re.fullmatch(r"(-?)\$([\d,]+)\.(\d+)([kMBT]?)", text.strip())
    assert m, text
    sign, whole, frac, scale = m.groups()
    unit = _SCALE[scale]
    return float(f"{sign}{whole.replace(',', '')}.{frac}") * unit, 0.5 * 10.0 ** -len(frac) * unit


def plain(text: str) -> float:
    return float(re.match(r"-?[\d,]*\.?\d+", text.strip()).group(0).replace(",", ""))


def table_rows(text: str) -> dict[str, list[str]]:
    """Rows of a printed table: label -> cells (cells are separated by two spaces or more)."""
    out = {}
    for line in text.splitlines():
        cells = [c for c in re.split(r"\s{2,}", line.strip()) if c]
        if len(cells) >= 2 and not set(cells[0]) <= set("━─ "):
            out.setdefault(cells[0], cells[1:])
    return out


@pytest.fixture(scope="module")
def reference():
    from typer.testing import CliRunner

    from orbitaldc.cli import app

    result = CliRunner().invoke(app, ["run", "reference-1gw-allin"], env={"COLUMNS": "220"})
    assert result.exit_code == 0, result.stderr
    return result.stdout, evaluate("reference-1gw-allin")


def test_run_shows_every_non_zero_cost_part_with_its_sign(reference):
    text, c = reference
    rows = table_rows(text)
    shown = 0
    for col, side in ((0, "orbital"), (1, "terrestrial")):
        amounts = cost_breakdown(side, getattr(c, side))
        for part in COST_PARTS[side]:
            amount = float(np.asarray(amounts[part.key]))
            if amount == 0:
                continue
            cells = rows[part.label]
            cell = cells[col] if len(cells) == 2 else cells[0]  # a one-sided row shows one cell
            got, tol = money(cell)
            assert got == pytest.approx(amount, abs=tol), part.label
            shown += 1
    assert shown >= 20
    assert money(rows["Residual value"][-1])[0] < 0  # the residual value is a credit
    total = rows["Total cost (undiscounted)"]
    assert money(total[0])[0] == pytest.approx(float(c.orbital.total_cost_usd), abs=money(total[0])[1])
    assert money(total[1])[0] == pytest.approx(float(c.terrestrial.total_cost_usd), abs=money(total[1])[1])


def test_run_shows_scope_headline_availability_gpu_hours_and_co2(reference):
    text, c = reference
    rows = table_rows(text)
    assert rows["Counted"] == ["all-in, life cycle, 2025 $"] * 2
    flat = " ".join(text.split())
    headline = re.search(rf"Headline \({HEADLINE_METRIC}\): .*? orbit costs ([\d.]+)x the ground", flat)
    assert headline and float(headline.group(1)) == pytest.approx(float(c.headline_ratio), abs=0.005)
    total = re.search(r"undiscounted total cost ratio ([\d.]+)x", flat)
    assert total and float(total.group(1)) == pytest.approx(float(c.cost_ratio), abs=0.005)
    avail = rows["Availability"]
    assert plain(avail[0]) / 100 == pytest.approx(float(c.orbital.design.checks.availability), abs=5e-5)
    assert plain(avail[1]) / 100 == pytest.approx(float(c.values["terrestrial_availability"]), abs=5e-5)
    use = float(c.values["gpu_utilization"])
    both = rows["Availability x utilization"]
    assert plain(both[1]) / 100 == pytest.approx(float(c.values["terrestrial_availability"]) * use, abs=5e-5)
    hours = rows["Delivered GPU-hours"]
    assert plain(hours[0]) == pytest.approx(float(c.orbital.delivered_gpu_hours), abs=0.5)
    assert plain(hours[1]) == pytest.approx(float(c.terrestrial.delivered_gpu_hours), abs=0.5)
    co2 = rows["CO2 over the life cycle"]
    assert plain(co2[0]) * 1e9 == pytest.approx(float(c.orbital.lifecycle_co2_kg), abs=5e6)
    assert plain(co2[1]) * 1e9 == pytest.approx(float(c.terrestrial.lifecycle_co2_kg), abs=5e6)
    assert "Scope as published" not in text  # like for like: no note


def test_run_shows_the_physics_checks_of_a_bottom_up_design(reference):
    text, c = reference
    rows = table_rows(text.split("Physics checks (bottom-up design)", 1)[1])
    ch = c.orbital.design.checks
    assert plain(rows["Dose behind the shielding"][0]) == pytest.approx(float(ch.dose_rad_si_per_yr), abs=0.05)
    assert plain(rows["Dose margin"][0]) == pytest.approx(float(ch.dose_margin), abs=5e-4)
    assert plain(rows["Upsets per GPU"][0]) == pytest.approx(float(ch.upsets_per_gpu_day), rel=5e-4)
    assert plain(rows["Natural decay (tumbling)"][0]) == pytest.approx(float(ch.decay_time_yr), abs=5e-4)
    cap = rows["Network cap (stations in view x terminals x clear sky)"][0]
    assert plain(cap) * 1e12 == pytest.approx(float(ch.network_downlink_bits_per_day), rel=1e-4)


def test_run_published_scope_is_noted(cli):
    text = cli("run", "mccalip-2025-12").stdout
    flat = " ".join(text.split())
    assert "Scope as published (facility, capital, $ as typed)" in flat
    assert "undiscounted total cost ratio 3.22x" in flat  # McCalip: $51.10B / $15.85B


def test_run_json_reports_scope_it_gpu_hours_and_co2_per_side(cli):
    out = json.loads(cli("run", "reference-1gw-allin", "-f", "json").stdout)
    c = evaluate("reference-1gw-allin")
    assert out["cost_scope"] == "all_in" and out["cost_basis"] == "lifecycle" and out["real_dollar_year"] == 2025
    assert out["headline_metric"] == HEADLINE_METRIC
    for side in ("orbital", "terrestrial"):
        r = getattr(c, side)
        for key in ("it_equipment_cost_usd", "delivered_gpu_hours", "lifecycle_co2_kg", "compute_availability"):
            assert out[side][key] == pytest.approx(float(getattr(r, key)), rel=1e-12), (side, key)


@pytest.mark.parametrize("metric", list(BREAKEVEN_METRICS))
def test_breakeven_metric(cli, metric):
    out = json.loads(cli("breakeven", "jpl-1mw-2026", "--metric", metric, "-f", "json").stdout)
    lib = breakeven("jpl-1mw-2026", metric=metric)
    assert out["metric"] == metric and out["status"] == lib.status
    assert out["value"] == (pytest.approx(lib.value, rel=1e-12) if lib.value is not None else None)


def test_breakeven_defaults_to_lcoc_and_says_so(cli):
    assert json.loads(cli("breakeven", "jpl-1mw-2026", "-f", "json").stdout)["metric"] == "lcoc"
    assert "(on lcoc)" in cli("breakeven", "jpl-1mw-2026").stdout
    assert "(on total_cost)" in cli("breakeven", "mccalip-2025-12", "-m", "total_cost").stdout
    bad = cli("breakeven", "jpl-1mw-2026", "--metric", "irr", check=False)
    assert bad.exit_code == 2 and "--metric" in bad.stderr


def test_explain_flags_scope_and_says_the_library_normalizes(cli):
    a, b = "reference-1gw-allin", "mccalip-2025-12"
    lib = explain(a, b, "lcoc_ratio")
    assert lib.scope_mismatch  # all-in life cycle vs facility capital
    text = " ".join(cli("explain", a, b, "-m", "lcoc_ratio").stdout.split())
    assert f"NOT like for like: {a} and {b} differ in scope (cost_scope 'all_in' vs 'facility'" in text
    out = json.loads(cli("explain", a, b, "-m", "lcoc_ratio", "-f", "json").stdout)
    assert out["like_for_like"] is False and set(out["scope_mismatch"]) == set(lib.scope_mismatch)
    norm = " ".join(cli("explain", a, b, "-m", "lcoc_ratio", "--normalize").stdout.split())
    assert "B brought to A's scope, power and years" in norm
    assert "the library (orbitaldc.explain, normalize=True) brought mccalip-2025-12 to reference-1gw-allin's scope" in norm
    out = json.loads(cli("explain", a, b, "-m", "lcoc_ratio", "--normalize", "-f", "json").stdout)
    normalized = explain(a, b, "lcoc_ratio", normalize=True)
    assert out["like_for_like"] is True and out["normalized"] is True
    assert out["value_b"] == pytest.approx(normalized.value_b, rel=1e-12)
    assert out["value_b"] != pytest.approx(lib.value_b, rel=1e-3)  # normalizing changed what B counts


def test_montecarlo_probability_is_on_the_headline(cli):
    """McCalip at $5/W hardware and 7 %/yr: the discounted LCOC ratio and the undiscounted totals cross
    parity at different launch prices, so the two probabilities differ; each is the share of the
    library's own samples below 1 on its ratio."""
    sets = ["--set", "satellite_cost_usd_per_w=5", "--set", "discount_rate_per_yr=0.07"]
    out = json.loads(cli("montecarlo", "mccalip-2025-12", "-n", "3000", "--seed", "1", *sets, "-f", "json").stdout)
    lib = monte_carlo(load_scenario("mccalip-2025-12", {"satellite_cost_usd_per_w": 5.0, "discount_rate_per_yr": 0.07}),
                      3000, 1, keep_values=True)
    on_lcoc = float(np.mean(lib.values[HEADLINE_METRIC] < 1.0))
    on_total = float(np.mean(lib.values["orbital_to_terrestrial_cost_ratio"] < 1.0))
    assert out["probability_metric"] == HEADLINE_METRIC
    assert out["probability_orbital_cheaper"] == pytest.approx(on_lcoc, abs=1e-12)
    assert out["probability_orbital_cheaper_total_cost"] == pytest.approx(on_total, abs=1e-12)
    assert abs(on_lcoc - on_total) > 0.02
    text = " ".join(cli("montecarlo", "mccalip-2025-12", "-n", "3000", "--seed", "1", *sets).stdout.split())
    assert f"Probability orbit is cheaper: {100 * on_lcoc:.2f} % on {HEADLINE_METRIC}" in text
    assert f"{100 * on_total:.2f} % on the undiscounted total cost" in text


def test_check_shows_the_labels(cli):
    text = cli("check").stdout
    assert "holds [calibrated] under seed-article-1gw" in text
    assert "[necessary, not sufficient]" in text and "(in the article's scope)" in text


def test_array_run_table_shows_the_headline_beside_the_total_ratio(cli):
    text = cli("run", "reference-1gw-allin", "--set", "launch_cost_usd_per_kg=[100,500]").stdout
    c = evaluate(load_scenario("reference-1gw-allin", {"launch_cost_usd_per_kg": np.array([100.0, 500.0])}))
    rows = [line.split() for line in text.splitlines() if line.strip()[:3] in ("100", "500")]
    assert len(rows) == 2
    for row, head, total in zip(rows, c.headline_ratio, c.cost_ratio):
        assert float(row[3].rstrip("x")) == pytest.approx(float(head), abs=5e-4)
        assert float(row[4].rstrip("x")) == pytest.approx(float(total), abs=5e-4)
