"""The documentation site builds offline with warnings as errors, and its generated pages cannot drift.

``sphinx -W`` over ``docs/`` (as ``make docs`` runs it) into a temporary folder: the build runs
``docs/generate.py``, so every worked output is produced by the code and a failing command
stops the build. The generated parameter and validation pages are then checked against their
sources: every library parameter appears with its unit and source, every published figure of
``tests/data/published.toml`` appears beside the value the model gives now.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from orbitaldc.compare import evaluate, get_metric
from orbitaldc.params import load_library

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                            "-d", str(out / "doctrees"), str(DOCS), str(out / "html")],
                           capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert build.returncode == 0, build.stderr[-5000:]
    return out / "html"


def test_every_page_is_built(site):
    for page in ("index", "getting-started", "guide/compare", "guide/breakeven", "guide/uncertainty",
                 "guide/sweeps", "guide/trajectory", "guide/explain-claims", "guide/optimize", "guide/simulate",
                 "guide/web", "model/orbital", "model/terrestrial", "model/physics-models", "model/finance",
                 "physics", "like-for-like", "reference/parameters", "reference/presets", "validation",
                 "reference/limits", "architecture", "benchmarks", "reference/api"):
        assert (site / f"{page}.html").exists(), page
    assert (site / "reference" / "generated" / "orbitaldc.physics.thermal.html").exists()  # API from docstrings
    assert (site / "_images" / "architecture.svg").exists() or list(site.rglob("architecture*.svg"))


def test_parameter_page_lists_every_library_parameter(site):
    text = (DOCS / "_generated" / "parameters.md").read_text()
    for name, spec in load_library().items():
        row = next((line for line in text.splitlines() if line.startswith(f"| `{name}` |")), None)
        assert row is not None, name
        unit = spec.unit.replace("|", "\\|")
        assert f"| {unit} |" in row, name
        assert " ".join(spec.source.replace("|", "\\|").split())[:60] in " ".join(row.split()), name


def test_validation_page_shows_each_published_figure_and_ours(site):
    text = (DOCS / "_generated" / "validation.md").read_text()
    published = tomllib.loads((ROOT / "tests" / "data" / "published.toml").read_text())
    for preset, spec in published.items():
        c = evaluate(preset)
        for metric in spec:
            if metric in ("source", "rel_tol"):
                continue
            row = next(line for line in text.splitlines() if line.startswith(f"| `{metric}` |") and
                       f"{float(get_metric(c, metric)):.6g}" in line)
            assert row.endswith("| yes |"), row


def test_worked_outputs_are_the_commands_output(site):
    sys.path.insert(0, str(DOCS))
    try:
        import generate
    finally:
        sys.path.remove(str(DOCS))
    shown = (DOCS / "_generated" / "out" / "run-mccalip.txt").read_text()
    assert shown == generate.cli_output("run mccalip-2025-12")
    html = (site / "getting-started.html").read_text()
    assert "orbitaldc run mccalip-2025-12" in html
