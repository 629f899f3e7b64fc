"""The self-contained HTML report (orbitaldc.report) and its rendering in a real headless Chromium."""

from __future__ import annotations

import html
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from orbitaldc.compare import evaluate
from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import load_library, load_scenario, scenario_from_text
from orbitaldc.report import render_report, waterfall_steps, write_report
from orbitaldc.explain import explain

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def full_report(tmp_path_factory) -> Path:
    """Report with every optional section: Monte Carlo, tornado and a comparison waterfall."""
    path = tmp_path_factory.mktemp("report") / "mccalip.html"
    return write_report("mccalip-2025-12", path, montecarlo=2000, seed=3, compare="starcloud-40mw-2024", normalize=False)


@pytest.fixture(scope="module")
def physics_report(tmp_path_factory) -> Path:
    """Bottom-up preset: adds the mass budget and areas to every other section."""
    path = tmp_path_factory.mktemp("report") / "terminator.html"
    return write_report("reference-1gw-terminator", path, montecarlo=1000, seed=5, compare="mccalip-2025-12")


def test_self_contained(full_report):
    text = full_report.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    # plotly.js inline, nothing loaded from elsewhere
    assert "Plotly.newPlot" in text and len(text) > 3_000_000
    assert not re.search(r"<script[^>]+\bsrc=", text)
    assert not re.search(r"<link[^>]+\bhref=", text)
    assert "cdn.plot.ly" not in text.split("</script>", 1)[1]  # nothing after the embedded library


def test_sections_and_numbers(full_report):
    text = html.unescape(full_report.read_text(encoding="utf-8"))
    for heading in ("Side by side", "Cost breakdown", "Cost versus launch price", "Uncertainty",
                    "Why starcloud-40mw-2024 differs", "Parameters and sources", "Scenario file"):
        assert f"<h2>{heading}" in text, heading
    # McCalip's published totals (REFERENCES.md sec. 2)
    assert "$51.10B" in text and "$15.85B" in text and "3.22x" in text
    # no launch price closes McCalip's gap: the reason is printed instead of a number
    assert "no launch_cost_usd_per_kg in" in text
    assert "P(orbit cheaper)" in text and "seed 3" in text


def test_parameter_table_cites_every_value(full_report):
    text = full_report.read_text(encoding="utf-8")
    table = text.split("<h2>Parameters and sources</h2>", 1)[1].split("</table>", 1)[0]
    cells = r"<td>([^<]*)</td>"
    rows = [tuple(html.unescape(c) for c in row)
            for row in re.findall(rf"<tr>{cells}{cells}<td>[^<]*</td><td>[^<]*</td>{cells}</tr>", table)]
    library = load_library()
    assert [r[0] for r in rows] == list(library)
    by_name = {r[0]: r for r in rows}
    assert by_name["satellite_cost_usd_per_w"][1] == "22"
    assert by_name["satellite_cost_usd_per_w"][2].startswith("scenario mccalip-2025-12: A. McCalip")
    assert all(r[2] for r in rows)  # every value has a source


def test_scenario_file_repeats_the_run(full_report):
    text = full_report.read_text(encoding="utf-8")
    toml = html.unescape(re.search(r"<pre>(.*?)</pre>", text, re.S).group(1))
    again = scenario_from_text(toml)
    original = load_scenario("mccalip-2025-12")
    assert again.values == original.values


def test_mass_budget_and_areas(physics_report):
    text = html.unescape(physics_report.read_text(encoding="utf-8"))
    assert "<h2>Mass budget and areas" in text
    budget = evaluate("reference-1gw-terminator").orbital.subsystems["budget"]
    table = text.split("<h2>Mass budget and areas</h2>", 1)[1].split("</table>", 1)[0]
    for name, item in budget.items():
        row = re.search(rf"<tr><td>{name}</td><td>([\d,.]+) kg</td>", table)
        assert row, name
        assert float(row.group(1).replace(",", "")) == pytest.approx(float(item["mass_kg"]), rel=1e-6)
    assert "<h2>Mass budget" not in html.unescape(render_report("mccalip-2025-12"))  # no budget, no section


def test_breakeven_marked_when_it_exists():
    # Turyshev: at 40 kg/kW (here 25 W/kg) and $10k/kW, L + B = $250/kg
    text = render_report("jpl-1mw-2026")
    marker = re.search(r'"name":"Break-even","text":\["break-even 250 USD\\u002fkg"\][^}]*"x":\[([\d.e+]+)\]', text)
    assert marker and float(marker.group(1)) == pytest.approx(250.0, rel=1e-9)
    assert "at launch_cost_usd_per_kg = 250" in text


def test_waterfall_steps_sum_to_the_difference():
    attr = explain("starcloud-40mw-2024", "mccalip-2025-12")
    for bars in (3, 5, 12, 40):
        steps = waterfall_steps(attr, bars)
        assert len(steps) <= bars + 1
        assert sum(a for _, a in steps) == pytest.approx(attr.difference, rel=1e-12)
    assert waterfall_steps(attr, 3)[-1][0].endswith("other parameters")


def test_errors():
    with pytest.raises(OrbitaldcError, match="array parameters"):
        render_report(load_scenario("mccalip-2025-12", {"launch_cost_usd_per_kg": [100.0, 200.0]}))
    with pytest.raises(OrbitaldcError, match="--montecarlo"):
        render_report("mccalip-2025-12", montecarlo=10**9)


def test_cli_report_prints_path(tmp_path):
    out = tmp_path / "sub" / "r.html"
    proc = subprocess.run([sys.executable, "-m", "orbitaldc", "report", "seed-article-1gw", "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(out) and out.stat().st_size > 3_000_000
    bad = subprocess.run([sys.executable, "-m", "orbitaldc", "report", "no-such-preset"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stderr.startswith("error:")


# --------------------------------------------------------------------------- real browser


@pytest.mark.browser
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian chromium (make chromium)")
def test_report_renders_offline_in_chromium(physics_report, tmp_path):
    from matplotlib import image
    from playwright.sync_api import sync_playwright

    errors, requests = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(physics_report.as_uri(), wait_until="load")
            page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 6", timeout=30_000)
            charts = page.locator(".js-plotly-plot")
            n = charts.count()
            assert n == 6  # breakdown, launch curve, mass budget, histogram, tornado, waterfall
            for i in range(n):
                chart = charts.nth(i)
                # drawn marks: the traces' SVG paths (bars, lines, waterfall boxes) with real geometry
                marks = chart.evaluate("""d => Array.from(d.querySelectorAll('svg.main-svg g.trace path'))
                    .filter(p => (p.getAttribute('d') || '').length > 8 && p.getBBox().width + p.getBBox().height > 0).length""")
                assert marks > 0, f"chart {i} drew nothing"
                shot = chart.screenshot()
                pixels = image.imread(io.BytesIO(shot), format="png")
                assert pixels.shape[0] > 100 and np.std(pixels[..., :3]) > 0.02, f"chart {i} is blank"
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert requests and all(u.startswith(("file:", "data:", "blob:")) for u in requests), requests
    assert (tmp_path / "report.png").stat().st_size > 50_000


def test_sampled_attribution_shows_standard_errors(monkeypatch):
    import functools

    import orbitaldc.explain

    monkeypatch.setattr(orbitaldc.explain, "explain", functools.partial(orbitaldc.explain.explain, exact_limit=3))
    text = html.unescape(render_report("mccalip-2025-12", compare="seed-article-1gw"))
    assert "<th>Std. error</th>" in text and "sampled over 2000 orders" in text
