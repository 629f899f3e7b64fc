"""Hostile text, unwritable outputs, implausible values and memory bounds (issue 16), in process."""

from __future__ import annotations

import pytest

import orbitaldc.cli.core
import orbitaldc.compare

#: A scenario whose name and title carry Rich markup, a hyperlink, an unbalanced closing tag,
#: an emoji code and terminal escape sequences (TOML \u escapes).
HOSTILE_TOML = ('extends = "jpl-1mw-2026"\n'
                'name = "[bold]n[/bold] [/] :rocket: \\u001b[31mred"\n'
                'title = "T [link=http://evil.example]click[/link] [/] \\u001b]8;;http://x\\u0007 \\u009b2J"\n')


@pytest.fixture
def hostile(tmp_path):
    path = tmp_path / "hostile.toml"
    path.write_text(HOSTILE_TOML)
    return path


def _plain(result) -> None:
    """Nothing that drives a terminal reached the output."""
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream and "\x07" not in stream and "\x9b" not in stream


@pytest.mark.parametrize("args", [
    ["run", "{f}"],
    ["run", "{f}", "--set", "launch_cost_usd_per_kg=[100,200]"],
    ["breakeven", "{f}"],
    ["montecarlo", "{f}", "-n", "200", "--seed", "1"],
    ["sensitivity", "{f}", "-p", "launch_cost_usd_per_kg"],
    ["trajectory", "{f}", "--start", "2026", "--end", "2027", "-n", "0"],
    ["explain", "{f}", "mccalip-2025-12"],
    ["params", "--scenario", "{f}"],
])
def test_markup_and_escapes_in_names_print_literally(cli, hostile, args):
    result = cli(*[a.replace("{f}", str(hostile)) for a in args])
    _plain(result)
    text = result.stdout.replace("\n", " ")
    if args[0] in ("run", "explain") and "--set" not in args:
        shown = "[link=http://evil.example]click[/link]" if args[0] == "run" else "[bold]n[/bold] [/] :rocket:"
        assert shown in text  # as typed: no hyperlink, no style, no emoji


def test_control_characters_in_error_messages_are_removed(cli, tmp_path):
    result = cli("run", str(tmp_path / "x\x1b[2Jy\x07.toml"), check=False)
    assert result.exit_code == 2 and "no such file" in result.stderr
    _plain(result)
    assert len(result.stderr.strip().splitlines()) == 1


# --------------------------------------------------------------------------- warnings and --strict


WILD = "grid_price_usd_per_kwh=8.1"  # cents typed as dollars: 32x the plausible high


@pytest.mark.parametrize("args", [
    ["run", "mccalip-2025-12", "--set", WILD],
    ["breakeven", "mccalip-2025-12", "--set", WILD],
    ["montecarlo", "mccalip-2025-12", "-n", "100", "--seed", "1", "--set", WILD],
    ["sensitivity", "mccalip-2025-12", "-p", "pue", "--set", WILD],
    ["trajectory", "mccalip-2025-12", "--start", "2026", "--end", "2027", "-n", "0", "--set", WILD],
])
def test_implausible_values_warn_and_strict_refuses(cli, args):
    result = cli(*args)
    lines = result.stderr.strip().splitlines()
    assert lines == ["warning: --set: grid_price_usd_per_kwh = 8.1 is far outside the plausible range "
                     "[0.04, 0.25] USD/kWh (check the unit; allowed a finite number in [0, 10] USD/kWh)"]
    strict = cli("--strict", *args, check=False)
    assert strict.exit_code == 2 and strict.stdout == ""
    assert strict.stderr.startswith("error: --set: grid_price_usd_per_kwh = 8.1 is far outside")
    assert strict.stderr.strip().endswith("--strict makes this an error")


def test_warnings_from_files_and_options(cli, tmp_path):
    path = tmp_path / "wild.toml"
    path.write_text('extends = "mccalip-2025-12"\npue = 4.5\nlaunch_cost_usd_per_kg = 1e5\n')
    lines = cli("run", path).stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith(f"warning: {path}: ") for line in lines)
    strict = cli("--strict", "run", path, check=False)
    assert strict.exit_code == 2 and "(and 1 more)" in strict.stderr


def test_presets_curated_values_do_not_warn(cli):
    """Published analyses set some costs to zero on purpose (out of their scope): no warning, --strict runs."""
    for preset in ("jpl-1mw-2026", "starcloud-40mw-2024", "mccalip-2025-12"):
        result = cli("--strict", "run", preset)
        assert result.stderr == ""


def test_a_file_repeating_its_presets_values_does_not_warn(cli, tmp_path):
    """Starcloud's 0.05 USD/W satellites are its published figure; copying it is not a typo, changing it warns."""
    same, changed = tmp_path / "same.toml", tmp_path / "changed.toml"
    same.write_text('extends = "starcloud-40mw-2024"\nsatellite_cost_usd_per_w = 0.05\nnre_cost_usd = 0\n')
    changed.write_text('extends = "starcloud-40mw-2024"\nsatellite_cost_usd_per_w = 0.04\n')
    assert cli("run", same).stderr == ""
    assert cli("run", changed).stderr.startswith(f"warning: {changed}: satellite_cost_usd_per_w = 0.04 is far outside")


# --------------------------------------------------------------------------- unwritable outputs


@pytest.fixture
def no_model(monkeypatch):
    """Fail loudly if a command computes anything: output paths must be refused before that."""
    def refuse(*args, **kwargs):
        raise AssertionError("the model ran before the output path was checked")

    monkeypatch.setattr(orbitaldc.cli.core, "evaluate", refuse)
    monkeypatch.setattr(orbitaldc.compare, "evaluate", refuse)


def _blocked(tmp_path):
    """Paths no command can write: below a file, a folder in the way, a device, /proc."""
    a_file = tmp_path / "file"
    a_file.write_text("x")
    (tmp_path / "folder.json").mkdir()
    return {"below a file": (a_file / "sub", "is not a folder"),
            "a folder": (tmp_path / "folder.json", "it is a folder"),
            "a device": ("/dev/null", "not a regular file"),
            "proc": ("/proc/orbitaldc-test/x", "cannot write")}


@pytest.mark.parametrize("case", ["below a file", "a folder", "a device", "proc"])
@pytest.mark.parametrize("command", [
    ["run", "mccalip-2025-12", "--out", "{p}.parquet"],
    ["report", "mccalip-2025-12", "--out", "{p}"],
    ["explain", "starcloud-40mw-2024", "mccalip-2025-12", "--plot", "{p}.png"],
    ["optimize", "mccalip-2025-12", "--pareto", "lcoc,mass", "--plot", "{p}.png"],
])
def test_unwritable_output_is_refused_before_any_work(cli, tmp_path, no_model, command, case):
    path, reason = _blocked(tmp_path)[case]
    args = [str(a).replace("{p}", str(path)) for a in command]
    if case in ("a folder", "a device"):  # the path itself, with the suffix the option wants
        args = [a.replace(f"{path}.parquet", str(path)).replace(f"{path}.png", str(path)) for a in args]
        if command[0] != "report":
            args[-1] = str(path)
    result = cli(*args, check=False)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {command[-2]} "), lines
    if "expected a file name ending in" not in lines[0]:
        assert str(path) in lines[0] and reason in lines[0], lines[0]


def test_simulate_out_below_a_file(cli, tmp_path):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    result = cli("simulate", "mccalip-2025-12", "--days", "0.1", "--out", a_file / "run", check=False)
    assert result.exit_code == 2 and f"--out '{a_file / 'run'}': cannot write ({a_file} is not a folder)" in result.stderr
    result = cli("simulate", "mccalip-2025-12", "--days", "0.1", "--out", "", check=False)
    assert result.exit_code == 2 and "--out '': expected a folder name" in result.stderr


# --------------------------------------------------------------------------- memory bounds


def test_montecarlo_chunk_size_is_capped_by_measured_memory(cli):
    result = cli("montecarlo", "mccalip-2025-12", "-n", "1000", "--chunk-size", "1e7", check=False)
    assert result.exit_code == 2
    assert "--chunk-size = 10,000,000: this scenario takes about" in result.stderr
    assert "per sample (measured)" in result.stderr and "keep a chunk within 1 GiB" in result.stderr
    cli("montecarlo", "mccalip-2025-12", "-n", "1000", "--chunk-size", "40000", "--seed", "2")  # above the default, fits


def test_chunk_limit_scales_with_the_model():
    """The sampling library measures a chunk's memory (the CLI's --chunk-size check calls it): the
    bottom-up sizing holds more arrays per sample than the specific-power model (its design, checks
    and environment; since its dose, season and decay terms run in compiled passes, no longer
    rows x energies temporaries: about 1.6x, no more 2x), and every sample holds at least its own
    results (one float64 per summary field of each side: a lower bound independent of the
    measurement)."""
    from orbitaldc.sampling import CHUNK_MEMORY_BYTES, chunk_limit, define_problem
    from orbitaldc.systems.orbital import OrbitalResult
    from orbitaldc.systems.terrestrial import TerrestrialResult
    from orbitaldc.uncertainty import DEFAULT_METRICS

    simple, per_simple = chunk_limit(define_problem("mccalip-2025-12", DEFAULT_METRICS), DEFAULT_METRICS)
    sized, per_sized = chunk_limit(define_problem("reference-1gw-terminator", DEFAULT_METRICS), DEFAULT_METRICS)
    assert per_sized > per_simple and sized < simple
    assert simple * per_simple <= CHUNK_MEMORY_BYTES < (simple + 1) * per_simple
    assert per_simple >= 8 * (len(OrbitalResult.SUMMARY) + len(TerrestrialResult.SUMMARY))
