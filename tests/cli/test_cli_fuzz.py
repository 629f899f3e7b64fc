"""Fuzz the command line: hostile arguments and files never crash it (issue 16).

A few hundred curated cases and a bounded hypothesis search, run in process; a handful through a
real subprocess (files that block or never end, bytes that are not UTF-8). Every case must exit 0
or 2 with no traceback and no "internal error"; values that are valid but would start long work
(10^10 samples, a year of simulation) are left out on purpose: those are bounded by their own
limits, tested elsewhere.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


#: Values that break naive parsers: numbers out of range or not numbers, markup, control
#: characters, unicode, structure where a scalar belongs, very long text.
HOSTILE = [
    "", " ", "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e309", "-1e309", "1" + "0" * 400, "-" + "9" * 400,
    "-1", "0", "-0", "1e-400", "5e-324", "0x10", "1_000", "1e6", "1.5.2", "1,5", "١٢", "[]", "[[]]", "[1,", "[1,2]]",
    "[nan]", "[1e400]", "[1, \"a\"]", "[[1,2],[3]]", "{a = 1}", "true", "\"text\"", "'text'", "2026-01-01",
    "\x00", "\x1b[2J\x1b]8;;http://e\x07x", "[bold]x[/bold]", "[/]", "[link=http://e]x[/link]", ":rocket:",
    "é", "\U0001d518\U0001d52b", "\u202eevil", "a\nb", "1\n2", "%s%n%x", "$(touch /tmp/x)", "../../etc/passwd",
    "x" * 5000,
]
#: Keys of each kind: real numbers with ranges, a whole number, a model choice, an unknown key.
SET_KEYS = ["pue", "analysis_years", "launch_cost_usd_per_kg", "mass_model", "bogus_key"]
#: Assignments malformed as a whole.
BAD_ASSIGNMENTS = ["=", "=1", "==1", "pue==1", "pue=1=2", " pue = 1.2 ", "PUE=1.2", "pue", "pue=", "pue=1\npue=2",
                   "pue=[1.1]\n", "\x1b=1", "[bold]=1", "pue=" + "[" * 600 + "1" + "]" * 600]


def _ok(result) -> None:
    """Exit 0 or 2, and no traceback or internal error anywhere."""
    text = result.stdout + result.stderr
    assert result.exit_code in (0, 2), (result.exit_code, text[-2000:])
    assert "Traceback" not in text and "internal error" not in text, text[-2000:]
    if result.exit_code == 2 and result.stderr.startswith("error:"):
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


CASES = (
    [["run", "mccalip-2025-12", "--set", f"{key}={value}"] for key in SET_KEYS for value in HOSTILE]
    + [["run", "mccalip-2025-12", "--set", a] for a in BAD_ASSIGNMENTS]
    + [["run", value] for value in HOSTILE]
    + [["run", "mccalip-2025-12", "--format", value] for value in HOSTILE[:12]]
    + [["breakeven", "jpl-1mw-2026", "--param", value] for value in HOSTILE[::3]]
    + [["breakeven", "jpl-1mw-2026", "--low", value] for value in HOSTILE[:20]]
    + [["breakeven", "jpl-1mw-2026", "--high", value] for value in HOSTILE[:20]]
    + [["breakeven", "jpl-1mw-2026", "--param", "pue", "--low", "-10", "--high", "100"]]
    + [["montecarlo", "mccalip-2025-12", "-n", value] for value in HOSTILE[:24] if value not in ("1e6", "1_000")]
    + [["montecarlo", "mccalip-2025-12", "-n", "100", "--chunk-size", value] for value in HOSTILE[:24]]
    + [["montecarlo", "mccalip-2025-12", "-n", "100", "--seed", value] for value in HOSTILE[:12]]
    + [["montecarlo", "mccalip-2025-12", "-n", "100", "-p", value] for value in HOSTILE[::4]]
    + [["sensitivity", "mccalip-2025-12", "--metric", value] for value in HOSTILE[::4]]
    + [["sensitivity", "mccalip-2025-12", "-m", "sobol", "-n", value, "-p", "pue"] for value in HOSTILE[:14]]
    + [["trajectory", "mccalip-2025-12", "-n", "0", "--start", value] for value in HOSTILE[:14]]
    + [["trajectory", "mccalip-2025-12", "-n", "0", "--start", "2026", "--end", value] for value in HOSTILE[:14]]
    + [["explain", "jpl-1mw-2026", "mccalip-2025-12", "--metric", value] for value in HOSTILE[::4]]
    + [["explain", "jpl-1mw-2026", "mccalip-2025-12", "--exact-limit", value] for value in HOSTILE[:14]]
    + [["explain", "jpl-1mw-2026", "mccalip-2025-12", "--permutations", value] for value in HOSTILE[:14]]
    + [["report", "mccalip-2025-12", "--out", "r.html", "--montecarlo", value] for value in HOSTILE[:14]]
    + [["report", "mccalip-2025-12", "--out", "r.html", "--pareto", value] for value in HOSTILE[::4]]
    + [["optimize", "mccalip-2025-12", "--vary", value] for value in HOSTILE[::4]]
    + [["optimize", "mccalip-2025-12", "--objective", value] for value in HOSTILE[::4]]
    + [["simulate", "mccalip-2025-12", "--days", value, "--satellites", "2", "--no-plot"] for value in HOSTILE[:14]]
    + [["simulate", "mccalip-2025-12", "--days", "0.01", "--satellites", value, "--no-plot"] for value in HOSTILE[:14]]
    + [["simulate", "mccalip-2025-12", "--days", "0.01", "--satellites", "2", "--start", value, "--no-plot"]
       for value in HOSTILE[::3]]
    + [[*command, "--seed", value] for value in HOSTILE[:14] for command in (
        ["sensitivity", "mccalip-2025-12", "-m", "sobol", "-n", "8", "-p", "pue"],
        ["trajectory", "mccalip-2025-12", "-n", "10", "--start", "2026", "--end", "2027"],
        ["explain", "jpl-1mw-2026", "mccalip-2025-12"],
        ["simulate", "mccalip-2025-12", "--days", "0.01", "--satellites", "2", "--no-plot"])]
    + [["params", "--scenario", value] for value in HOSTILE[::3]]
    + [[value] for value in HOSTILE[::3]]
    + [["--strict", "run", "mccalip-2025-12", "--set", f"pue={value}"] for value in HOSTILE[:12]]
)


@pytest.mark.parametrize("args", CASES, ids=range(len(CASES)))
def test_hostile_arguments(cli, args):
    _ok(cli(*args, check=False))


#: Scenario files: (file name, bytes).
FILES = [
    ("empty.toml", b""),
    ("binary.toml", bytes(range(256)) * 4),
    ("latin1.toml", 'name = "caf\xe9"\n'.encode("latin-1")),
    ("bom.toml", b'\xef\xbb\xbfextends = "mccalip-2025-12"\n'),
    ("huge.toml", b"# " + b"x" * 1_100_000 + b"\n"),
    ("deep.toml", b"pue = " + b"[" * 2000 + b"1" + b"]" * 2000 + b"\n"),
    ("bigint.toml", b'extends = "mccalip-2025-12"\nanalysis_years = 1' + b"0" * 400 + b"\n"),
    ("nan.toml", b'extends = "mccalip-2025-12"\npue = nan\n'),
    ("inf.toml", b'extends = "mccalip-2025-12"\nlaunch_cost_usd_per_kg = -inf\n'),
    ("table.toml", b'extends = "mccalip-2025-12"\n[pue]\nx = 1\n'),
    ("date.toml", b'extends = "mccalip-2025-12"\npue = 2026-01-01\n'),
    ("strings.toml", b'extends = "mccalip-2025-12"\npue = ["a", "b"]\n'),
    ("mixed.toml", b'extends = "mccalip-2025-12"\npue = [1.2, [1.3]]\n'),
    ("ragged.toml", b'extends = "mccalip-2025-12"\npue = [[1.2, 1.3], [1.4]]\n'),
    ("self.toml", b'extends = "self"\n'),
    ("outside.toml", b'extends = "../../../etc/passwd"\n'),
    ("extends-num.toml", b"extends = 5\n"),
    ("unknown.toml", b'extends = "mccalip-2025-12"\n"\xc3\xa9t\xc3\xa9" = 1\n'),
    ("markup.toml", b'extends = "mccalip-2025-12"\nname = "[red]x[/]"\ntitle = "[/][link=x]"\n'
                    b'description = "\\u001b[2J"\nreference = "[b]"\n'),
    ("longname.toml", b'extends = "mccalip-2025-12"\nname = "' + b"n" * 100_000 + b'"\n'),
    ("choice.toml", b'extends = "mccalip-2025-12"\nmass_model = "[bold]x"\n'),
    ("broadcast.toml", b'extends = "mccalip-2025-12"\npue = [1.1, 1.2]\nlaunch_cost_usd_per_kg = [1, 2, 3]\n'),
    ("many.toml", b'extends = "mccalip-2025-12"\npue = [[1.1]]\nlaunch_cost_usd_per_kg = [' + b"1," * 9000 + b"2]\n"
                  b"target_power_w = [[[" + b"1e9," * 2000 + b"1e9]]]\n"),
]


@pytest.mark.parametrize("name, data", FILES, ids=[n for n, _ in FILES])
@pytest.mark.parametrize("command", [["run"], ["report", "--out", "r.html"], ["montecarlo", "-n", "50", "--seed", "1"]])
def test_hostile_scenario_files(cli, tmp_path, name, data, command):
    path = tmp_path / name
    path.write_bytes(data)
    _ok(cli(command[0], path, *command[1:], check=False))


@pytest.mark.parametrize("source", ["dir", "/dev/null", "/dev/zero", "/proc/self/mem", "/nonexistent/x.toml"])
def test_scenario_paths_that_are_not_files(cli, tmp_path, source):
    path = tmp_path if source == "dir" else source
    result = cli("run", path, check=False)
    _ok(result)
    assert result.exit_code == 2


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(SET_KEYS[:4]), value=st.one_of(
    st.text(max_size=40), st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-10**40, max_value=10**40).map(str),
    st.lists(st.floats(min_value=-1e12, max_value=1e12), min_size=1, max_size=5).map(repr)))
def test_set_values_search(cli, key, value):
    _ok(cli("run", "mccalip-2025-12", "--set", f"{key}={value}", "--format", "json", check=False))


# --------------------------------------------------------------------------- real processes


def _subprocess(*args: str | bytes, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orbitaldc", *args], capture_output=True, timeout=timeout)


def test_fifo_scenario_does_not_block(tmp_path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    proc = _subprocess("run", str(fifo), timeout=60)  # a blocking read would hit the timeout
    assert proc.returncode == 2 and b"regular file" in proc.stderr and b"Traceback" not in proc.stderr


def test_argument_bytes_that_are_not_utf8(tmp_path):
    proc = _subprocess("run", b"\xff\xfe.toml", "--set", b"pue=\xff")
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr and b"internal error" not in proc.stderr


def test_unwritable_out_through_a_real_process(tmp_path):
    proc = _subprocess("run", "jpl-1mw-2026", "--out", "/proc/orbitaldc/x.parquet")
    assert proc.returncode == 2
    assert proc.stderr.decode().startswith("error: --out '/proc/orbitaldc/x.parquet': cannot write (")
