"""report, explain and check in process: files written, errors before any long computation."""

from __future__ import annotations

import json

import pytest


def test_report_prints_path(cli, tmp_path):
    out = tmp_path / "sub" / "r.html"
    result = cli("report", "seed-article-1gw", "--out", out)
    assert result.stdout.strip() == str(out) and out.stat().st_size > 3_000_000
    bad = cli("report", "no-such-preset", check=False)
    assert bad.exit_code == 2 and bad.stderr.startswith("error:")


def test_report_default_path_is_a_safe_file_name(cli, tmp_path, monkeypatch):
    scenario = tmp_path / "s.toml"
    scenario.write_text('extends = "jpl-1mw-2026"\nname = "../../outside"\n')
    monkeypatch.chdir(tmp_path)
    result = cli("report", scenario)
    assert result.stdout.strip() == "reports/_.._outside.html" and (tmp_path / "reports" / "_.._outside.html").exists()


@pytest.mark.parametrize("args, message", [
    (["--pareto", "lcoc,nope"], "objective 'nope': unknown"),
    (["--pareto", "lcoc"], "lcoc: expected two or three"),
    (["--simulate", "0"], "--simulate: sim_days = 0"),
    (["--simulate", "40000"], "--simulate: sim_days = 40000"),
    (["--montecarlo", "3000000"], "--montecarlo 3000000: expected 0 (none) to 2,000,000"),
    (["--seed", "-2"], "--seed"),
    (["--compare", "jpl-1mw-2026", "--metric", "nope"], "--metric 'nope': unknown"),
])
def test_report_bad_options(cli, args, message, tmp_path):
    out = tmp_path / "r.html"
    result = cli("report", "mccalip-2025-12", "--out", out, *args, check=False)
    assert result.exit_code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], result.stderr
    assert not out.exists()


def test_explain_table_json_and_plot(cli, tmp_path):
    text = cli("explain", "starcloud-40mw-2024", "mccalip-2025-12").stdout
    assert "orbital.total_cost_usd: starcloud-40mw-2024 -> mccalip-2025-12" in text
    assert "$51.10B" in text  # McCalip's published orbital total, the B end of the waterfall
    out = json.loads(cli("explain", "starcloud-40mw-2024", "mccalip-2025-12", "-f", "json").stdout)
    assert sum(out["contributions"].values()) == pytest.approx(out["difference"], rel=1e-9)
    plot = tmp_path / "w.svg"
    result = cli("explain", "starcloud-40mw-2024", "mccalip-2025-12", "--plot", plot)
    assert f"waterfall written to {plot}" in result.stdout and plot.read_text().lstrip().startswith("<?xml")
    bad = cli("explain", "starcloud-40mw-2024", "mccalip-2025-12", "--plot", tmp_path / "w.jpg", check=False)
    assert bad.exit_code == 2 and "--plot" in bad.stderr and ".png or .svg" in bad.stderr


def test_check_prints_each_claim(cli):
    text = cli("check").stdout
    assert "under seed-article-1gw (the article's inputs)" in text and "under mccalip-2025-12" in text
    claims = json.loads(cli("check", "-f", "json").stdout)["claims"]
    assert claims and all(c["article"]["status"] in ("holds", "holds in part", "does not hold") for c in claims)
