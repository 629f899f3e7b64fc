"""docs/physics.md and the README's physics table show what ``scripts/physics_validation.py``
computes now (a model change that moves a figure fails here until the script is rerun)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_physics_table_in_docs_and_readme_is_the_scripts_output():
    spec = importlib.util.spec_from_file_location("physics_validation", ROOT / "scripts" / "physics_validation.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    table = "\n".join(script.table_lines(script.rows()))
    page = (ROOT / "docs" / "physics.md").read_text()
    assert table in page, "docs/physics.md is stale: run `python scripts/physics_validation.py`"
    readme = (ROOT / "README.md").read_text()
    block = script.between(readme, script.README_BEGIN, script.README_END)
    assert block == table, "README's physics table is stale: run `python scripts/physics_validation.py`"
