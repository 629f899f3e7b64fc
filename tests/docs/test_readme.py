"""The README is a front door whose every shown output is the code's own output, now.

Each ``text`` block that starts with ``$ orbitaldc ...`` is compared line by line with that
command run in process (at the docs' terminal width); the Python example is run and its printout
compared with the block after it; the presets table is the list of shipped presets with their
titles; relative links point at files of the repository; the prose quotes no dollar figure
(figures belong in the blocks, where this test checks them). A stale number fails here.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest

from orbitaldc.params import list_presets

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
sys.path.insert(0, str(ROOT / "docs"))
import generate  # noqa: E402  (docs/generate.py: the same runner the documentation uses)

sys.path.remove(str(ROOT / "docs"))

FENCE = generate.FENCE
BLOCKS = [(m.group(1), m.group(2)) for m in FENCE.finditer(README)]
COMMANDS = [body for lang, body in BLOCKS if lang == "text" and body.startswith("$ orbitaldc ")]


def test_front_door_is_short():
    assert len(README.splitlines()) <= 250


@pytest.mark.parametrize("shown", COMMANDS, ids=[b.splitlines()[0][2:] for b in COMMANDS])
def test_shown_command_output_is_the_commands_output(shown):
    command = shown.splitlines()[0].removeprefix("$ orbitaldc ")
    assert shown.rstrip() == generate.cli_output(command).rstrip()


def test_there_are_shown_commands():
    assert len(COMMANDS) >= 2


def test_python_example_prints_what_is_shown():
    index = next(i for i, (lang, _) in enumerate(BLOCKS) if lang == "python")
    code, (lang, shown) = BLOCKS[index][1], BLOCKS[index + 1]
    assert lang == "text"
    assert code == generate.PYTHON_EXAMPLE  # the docs show the same example
    assert generate.python_output(code).rstrip() == shown.rstrip()


def test_presets_table_lists_every_preset_with_its_title():
    section = README.split("\n## Presets\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| (.*) \|$", section, re.M)
    assert dict(rows) == {name: meta.get("title", "") for name, meta in list_presets().items()}
    assert len(rows) == len(list_presets())


def test_relative_links_exist_and_nothing_points_outside_the_repository():
    for target in re.findall(r"\]\(([^)#\s]+)", README):
        if re.match(r"https?://", target):
            continue
        assert (ROOT / target).exists(), target
        assert not target.startswith(("shared/", "../", "/")), target


def test_prose_quotes_no_figures_and_the_tolerance_is_the_golden_files():
    prose = FENCE.sub("", README)
    prose = "\n".join(line for line in prose.splitlines() if not line.startswith("|"))  # tables are checked above
    assert not re.search(r"\$\d", prose), re.search(r".{30}\$\d.{30}", prose)
    tol = tomllib.loads((ROOT / "tests" / "data" / "published.toml").read_text())["mccalip-2025-12"]["rel_tol"]
    quoted = re.search(r"published figures to ([\d.]+) %", prose)
    assert quoted and float(quoted.group(1)) / 100 == pytest.approx(tol)


def test_speed_block_is_the_last_recorded_benchmark_run():
    """The README's ratios are the ``RATIO`` lines of ``docs/benchmarks/last-run.txt`` with its
    machine lines, as ``docs/record_benchmarks.py`` wrote them (a hand-edited or stale figure fails)."""
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import record_benchmarks
    finally:
        sys.path.remove(str(ROOT / "docs"))
    record = (ROOT / "docs" / "benchmarks" / "last-run.txt").read_text()
    block = record_benchmarks.between(README, record_benchmarks.SPEED_START, record_benchmarks.SPEED_END)
    assert block == record_benchmarks.speed_block(record)
    assert sum(line.startswith("RATIO ") for line in block.splitlines()) >= 6  # each targeted ratio, peers included
