"""The page in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

Loads the page from a uvicorn server on a free loopback port, moves a slider with the
keyboard, checks that the totals and the charts change, reloads from the shared URL and
gets the same view, with no console errors (the page runs under its own Content Security
Policy, so an inline script or eval would show up here as an error).

Set ``ORBITALDC_SCREENSHOT=path.png`` to save the README screenshot.
"""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.browser


def _view(pg) -> dict:
    return pg.evaluate("""() => ({
        orbital: document.getElementById('orbital-total').textContent,
        terrestrial: document.getElementById('terrestrial-total').textContent,
        lcoe: document.getElementById('orbital-lcoe').textContent,
        verdict: document.getElementById('verdict').textContent,
        slider: document.getElementById('slider-launch_cost_usd_per_kg').value,
        box: document.getElementById('in-launch_cost_usd_per_kg').value,
        bars: document.getElementById('chart-breakdown').data.map(t => [t.name, t.y[0]]),
        curve: document.getElementById('chart-curve').data[2].x[0],
    })""")


def test_slider_updates_totals_and_charts_and_url_reproduces_view(server, page, ready):
    _ready = ready
    page.goto(server + "/")
    n = _ready(page)
    before = _view(page)
    assert before["orbital"] == "$51.10B" and before["terrestrial"] == "$15.85B"  # McCalip (Dec 2025)
    slider = page.locator("#slider-launch_cost_usd_per_kg")
    slider.focus()
    for _ in range(60):  # a real user's keyboard moves, each an input event
        page.keyboard.press("ArrowLeft")
    n = _ready(page, n)  # the view computed for the final URL
    after = _view(page)
    assert after["orbital"] != before["orbital"]
    assert after["terrestrial"] == before["terrestrial"]  # launch price is an orbital input only
    assert after["bars"] != before["bars"]  # the stacked breakdown changed
    assert after["curve"] != before["curve"]  # the scenario marker moved on the cost curve
    url = page.url
    assert "launch_cost_usd_per_kg=" in url and "preset=mccalip-2025-12" in url

    shared = page.context.new_page()
    shared.on("pageerror", lambda e: page.errors.append(f"pageerror (shared): {e}"))
    shared.on("console", lambda m: page.errors.append(f"console.{m.type} (shared): {m.text}") if m.type == "error" else None)
    shared.goto(url)
    _ready(shared)
    assert _view(shared) == after
    page.reload()
    _ready(page)
    assert _view(page) == after
    assert page.errors == []


def test_preset_montecarlo_and_download(server, page, tmp_path, ready):
    _ready = ready
    page.goto(server + "/?preset=starcloud-40mw-2024&pue=1.3")
    _ready(page)
    assert page.locator("#preset").input_value() == "starcloud-40mw-2024"
    assert page.locator("#in-pue").input_value() == "1.3"
    page.select_option("#mc-samples", "1000")
    page.click("#mc-run")
    page.wait_for_function("() => document.getElementById('chart-mc').dataset.rev")
    text = page.locator("#mc-result").text_content()
    assert "P(orbit cheaper)" in text and "1,000 samples" in text
    assert "mc_samples=1000" in page.url
    with page.expect_download() as dl:
        page.click("#download-toml")
    path = tmp_path / "scenario.toml"
    dl.value.save_as(path)
    from orbitaldc.compare import evaluate
    from orbitaldc.params import load_scenario

    sc = load_scenario(path)
    assert sc.values["pue"] == 1.3
    assert float(evaluate(sc).orbital.total_cost_usd) == float(evaluate("starcloud-40mw-2024", {"pue": 1.3}).orbital.total_cost_usd)
    page.click("#tornado-run")
    page.wait_for_function("() => document.getElementById('chart-tornado').dataset.rev")
    page.select_option("#explain-against", "mccalip-2025-12")
    page.click("#explain-run")
    page.wait_for_function("() => document.getElementById('chart-explain').dataset.rev")
    assert "mccalip-2025-12" in page.locator("#explain-result").text_content()
    assert "explain=mccalip-2025-12" in page.url
    shot = os.environ.get("ORBITALDC_SCREENSHOT")
    if shot:
        page.goto(server + "/?preset=mccalip-2025-12&launch_cost_usd_per_kg=200&mc_samples=10000&mc_seed=0"
                           "&tornado=1&explain=seed-article-1gw")
        _ready(page)
        page.wait_for_function("() => document.getElementById('chart-mc').dataset.rev && "
                               "document.getElementById('chart-tornado').dataset.rev && "
                               "document.getElementById('chart-explain').dataset.rev")
        page.wait_for_timeout(300)
        page.screenshot(path=shot, full_page=True)
    assert page.errors == []


def test_bad_link_value_is_reported_not_thrown(server, page, ready):
    _ready = ready
    page.goto(server + "/?preset=mccalip-2025-12&launch_cost_usd_per_kg=abc&nonsense=1")
    _ready(page)
    status = page.locator("#status").text_content()
    assert "launch_cost_usd_per_kg" in status and "nonsense" in status
    assert page.errors == []
