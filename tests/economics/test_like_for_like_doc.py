"""docs/like-for-like.md shows the model's own numbers (written by docs/like_for_like.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("like_for_like_doc", ROOT / "docs" / "like_for_like.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_doc_numbers_are_the_models():
    gen = _generator()
    text = (ROOT / "docs" / "like-for-like.md").read_text()
    block = gen.between(text, gen.BEGIN, gen.END)
    assert block == gen.render().strip(), "docs/like-for-like.md is stale: run `python docs/like_for_like.py`"


def test_like_for_like_keeps_the_publications_own_figures():
    """Re-running a publication like for like changes its scope, clock and left-out costs only."""
    gen = _generator()
    from orbitaldc.params import load_scenario

    for name in gen.PUBLISHED:
        own, like = load_scenario(name).values, gen.like_for_like(name).values
        changed = {k for k in own if own[k] != like[k]}
        allowed = {"cost_scope", "cost_basis", "dollar_escalation", "real_dollar_year", "discount_rate_per_yr",
                   *gen.LEFT_OUT[name]}
        assert changed <= allowed, changed - allowed


def test_readme_like_for_like_tables_are_the_models():
    """The README's "Like for like" section shows the same generated tables (a stale figure fails)."""
    gen = _generator()
    text = (ROOT / "README.md").read_text()
    block = gen.between(text, gen.README_BEGIN, gen.README_END)
    assert block == gen.readme_block().strip(), "README.md is stale: run `python docs/like_for_like.py`"
    assert "`reference-1gw-allin`" in block and "`mccalip-2025-12`" in block
