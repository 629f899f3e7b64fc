"""Write every generated part of the documentation into ``docs/_generated/`` by running the code.

Called by ``docs/conf.py`` before Sphinx reads a page (``make docs``), and usable alone:
``python docs/generate.py [OUT_DIR]``. It writes

* ``parameters.md``: the parameter reference, one table per ``params/data/*.toml`` file;
* ``validation.md``: each published figure of ``tests/data/published.toml`` beside ours, with
  the tolerance and its reason;
* ``limits.md``: every bound from the constants in the code;
* ``presets.md``: the presets table;
* ``architecture.svg``: the layers and the data flow;
* ``out/*.txt``: the worked outputs (``orbitaldc`` commands run in process, and the Python
  example), which the pages include verbatim.

A command that fails (or succeeds where an error is shown) stops the build: the docs never show
an output the code did not produce. :func:`cli_output` is also what the README test uses;
``python docs/generate.py --readme`` rewrites the README's shown outputs (:func:`refresh_readme`).
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
import shlex
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parents[1]
#: A fenced Markdown block: its language and its body (the README's shown outputs).
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)
#: Terminal width of every shown command output (README and docs).
COLUMNS = 100

#: Worked outputs: file stem -> (command line after ``orbitaldc``, expected exit code).
EXAMPLES: dict[str, tuple[str, int]] = {
    "run-mccalip": ("run mccalip-2025-12", 0),
    "run-reference": ("run reference-1gw-terminator", 0),
    "run-json": ("run jpl-1mw-2026 --set 'launch_cost_usd_per_kg=[100,1000]' --format json", 0),
    "breakeven-mccalip": ("breakeven mccalip-2025-12", 0),
    "breakeven-jpl": ("breakeven jpl-1mw-2026", 0),
    "bad-value": ("run mccalip-2025-12 --set sun_fraction=1.5", 2),
    "bad-key": ("run mccalip-2025-12 --set launch_cost=200", 2),
    "montecarlo": ("montecarlo mccalip-2025-12 -n 100000 --seed 42", 0),
    "montecarlo-stated": ("montecarlo cheap-launch.toml -n 100000 --seed 42", 0),
    "tornado": ("sensitivity mccalip-2025-12", 0),
    "sobol": ("sensitivity mccalip-2025-12 --method sobol -n 256 --seed 1", 0),
    "sweep": ("sweep mccalip-2025-12 --grid launch_cost_usd_per_kg=100:3000:50 --grid pue=1.1,1.2,1.4 "
              "-o launch-sweep", 0),
    "trajectory": ("trajectory mccalip-2025-12 --set satellite_cost_usd_per_w=10 -n 500", 0),
    "explain": ("explain starcloud-40mw-2024 mccalip-2025-12 --normalize", 0),
    "check": ("check seed-article-1gw", 0),
    "optimize": ("optimize reference-1gw-terminator", 0),
    "simulate": ("simulate reference-1gw-terminator --days 1 --satellites 10 --no-plot --no-progress "
                 "--out twin", 0),
}

#: The scenario file the stated-uncertainty example runs (written beside the outputs).
SCENARIO_FILE = """\
extends = "mccalip-2025-12"
name = "cheap-launch"
description = "McCalip's case with a launch price the analyst is unsure about"
launch_cost_usd_per_kg = 200.0

[uncertainty.launch_cost_usd_per_kg]
distribution = "loguniform"
low = 100.0
high = 400.0
"""

#: The Python example (README and getting started): run as written, its printout shown.
PYTHON_EXAMPLE = """\
from orbitaldc.compare import breakeven, evaluate

c = evaluate("mccalip-2025-12", {"launch_cost_usd_per_kg": [100, 500]})
print(c.orbital.total_cost_usd / 1e9)   # USD billion, one per launch price
print(c.cost_ratio)                      # orbital / terrestrial total cost
b = breakeven("jpl-1mw-2026")            # the launch price at which LCOC is equal
print(b.status, round(float(b.value), 1), b.unit)
"""


# ----------------------------------------------------------------------------- running the code
def cli_output(command: str, expect: int = 0, cwd: Path | None = None) -> str:
    """Run ``orbitaldc COMMAND`` in process, as a user at a :data:`COLUMNS`-wide terminal would.

    Parameters
    ----------
    command : str
        The arguments after ``orbitaldc``, shell-quoted.
    expect : int
        The exit code the example must give (0, or 2 for a bad-input example).
    cwd : Path, optional
        Working folder (files the command writes go there).

    Returns
    -------
    str
        ``$ orbitaldc COMMAND`` then stdout and stderr, each line without trailing blanks.

    Raises
    ------
    RuntimeError
        The command gave another exit code (the example would show something untrue).
    """
    from orbitaldc.cli.testing import invoke

    here = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = invoke(*shlex.split(command), columns=COLUMNS, color=False)
    finally:
        os.chdir(here)
    if result.returncode != expect:
        raise RuntimeError(f"orbitaldc {command}: exit {result.returncode} (expected {expect})\n"
                           f"{result.stdout}{result.stderr}")
    text = result.stdout + result.stderr
    lines = [line.rstrip() for line in text.rstrip().splitlines()]
    return "\n".join([f"$ orbitaldc {command}", *lines]) + "\n"


def python_output(code: str) -> str:
    """Run a Python example and return what it prints.

    Parameters
    ----------
    code : str
        Source of the example.

    Returns
    -------
    str
        Its standard output.
    """
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(code, "<example>", "exec"), {"__name__": "__example__"})  # noqa: S102 (our own example)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- pages
def _cell(x: Any) -> str:
    """A Markdown table cell: pipes escaped, no line breaks."""
    return str(x).replace("|", "\\|").replace("\n", " ").strip()


def _num(x: Any) -> str:
    if x is None:
        return ""
    if isinstance(x, bool) or isinstance(x, str):
        return str(x)
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) < 1e15):
        return f"{int(x):,}" if abs(x) >= 10_000 else str(int(x))
    if isinstance(x, float) and (abs(x) >= 1e6 or abs(x) < 1e-3):
        return f"{x:.4g}"
    return f"{x:.6g}" if isinstance(x, float) else str(x)


def parameters_page() -> str:
    """The parameter reference, generated from the library (one table per data file)."""
    from orbitaldc.params import load_library

    library = load_library()
    groups: dict[str, list] = {}
    for spec in library.values():
        groups.setdefault(spec.group, []).append(spec)
    out = ["Every default number of orbitaldc, read from `src/orbitaldc/params/data/*.toml` when these pages "
           f"were built ({len(library)} parameters). *Allowed* is enforced on every input (exit 2 or 422 "
           "outside it); *plausible* is the range Monte Carlo and sensitivity sample, with its distribution "
           "(`low`/`high` are bounds for uniform, triangular and log-uniform, P5/P95 for normal and "
           "log-normal). Money is US dollars of the stated dollar year.", ""]
    for group, specs in groups.items():
        out += [f"## {group}", "", f"`params/data/{group}.toml`, {len(specs)} parameters.", "",
                "| name | unit | value | allowed | plausible | distribution | role | $ year | source |",
                "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for s in specs:
            if s.type == "str":
                value, allowed, plausible = s.value, " / ".join(s.choices), ""
            else:
                value = _num(s.value) if s.value is not None else "unset"
                allowed = f"{_num(s.min) or '-inf'} to {_num(s.max) or 'inf'}"
                plausible = f"{_num(s.low)} to {_num(s.high)}" if s.low is not None and s.high is not None else ""
            source = s.source + (f" ({s.note})" if s.note else "")
            out.append("| " + " | ".join(_cell(c) for c in (
                f"`{s.name}`", s.unit, value, allowed, plausible,
                s.distribution if s.type != "str" else "choice", s.role, s.dollar_year or "", source)) + " |")
        out.append("")
    return "\n".join(out)


def _tolerance_reasons(text: str) -> dict[str, str]:
    """``rel_tol`` comment of each section of published.toml (the reason for the tolerance)."""
    reasons, section = {}, None
    for line in text.splitlines():
        head = re.match(r"^\[([^\]]+)\]", line)
        if head:
            section = head.group(1)
        elif section and line.startswith("rel_tol") and "#" in line:
            reasons[section] = line.split("#", 1)[1].strip()
    return reasons


def validation_page() -> str:
    """Published figures beside ours, evaluated now, with each tolerance and its reason."""
    from orbitaldc.compare import evaluate, get_metric

    path = ROOT / "tests" / "data" / "published.toml"
    text = path.read_text()
    published, reasons = tomllib.loads(text), _tolerance_reasons(text)
    out = ["Every preset reproduces its publication's own figures from its own inputs. The table is written "
           "from `tests/data/published.toml` (the golden file `tests/test_presets.py` asserts) by evaluating "
           "each preset when these pages were built.", ""]
    failures = []
    for preset, spec in published.items():
        tol = spec["rel_tol"]
        c = evaluate(preset)
        out += [f"## {preset}", "", f"Source: {spec['source']}.", "",
                f"Tolerance: {tol:.3g} relative ({reasons.get(preset, 'no reason written')}).", "",
                "| metric | published | orbitaldc | difference | within tolerance |", "| --- | --- | --- | --- | --- |"]
        for metric, expected in spec.items():
            if metric in ("source", "rel_tol"):
                continue
            ours = float(get_metric(c, metric))
            diff = (ours - expected) / expected if expected else ours
            ok = math.isclose(ours, expected, rel_tol=tol)
            if not ok:
                failures.append(f"{preset} {metric}")
            out.append(f"| `{metric}` | {_num(float(expected))} | {ours:.6g} | {diff:+.3%} | {'yes' if ok else 'NO'} |")
        out.append("")
    if failures:
        raise RuntimeError("published figures not reproduced: " + ", ".join(failures))
    return "\n".join(out)


def presets_page() -> str:
    """The presets: name, title and what each reproduces (from the preset files)."""
    from orbitaldc.params import list_presets

    out = ["| preset | title | reference |", "| --- | --- | --- |"]
    for name, meta in list_presets().items():
        out.append(f"| `{name}` | {_cell(meta.get('title', ''))} | {_cell(meta.get('reference', ''))} |")
    return "\n".join(out) + "\n"


def limits_page() -> str:
    """Every bound of the inputs, the server, sweeps, the twin and the CLI, from the code's constants."""
    from orbitaldc import uncertainty
    from orbitaldc.sampling import CHUNK_MEMORY_BYTES
    from orbitaldc.explain import EXACT_LIMIT, MAX_EXACT
    from orbitaldc.optimize.problem import MAX_ROWS_PER_CALL
    from orbitaldc.params.scenario import MAX_METADATA_CHARS
    from orbitaldc.params.spec import MAX_ARRAY_ELEMENTS, PLAUSIBLE_FACTOR
    from orbitaldc.params.toml import MAX_FILE_BYTES
    from orbitaldc.simulate.engine import CHUNK_SAT_STEPS, SAA_CALIBRATION_SATELLITES
    from orbitaldc.simulate.layout import MAX_TLE_BYTES
    from orbitaldc.sweep import plan as sweep_plan
    from orbitaldc.sweep.folder import LOCK
    from orbitaldc.trajectory import MAX_CELLS
    from orbitaldc.web import app as web_app
    from orbitaldc.web import middleware, page_schemas as twin, schemas, server

    mib = 1024**2
    rows = [
        ("Inputs", "scenario file size", f"{MAX_FILE_BYTES:,} bytes", "exit 2 naming the file"),
        ("Inputs", "array parameter", f"{MAX_ARRAY_ELEMENTS:,} elements", "exit 2 / 422 naming the key"),
        ("Inputs", "name, title, description", f"{MAX_METADATA_CHARS:,} characters, control characters removed",
         "cut to the limit"),
        ("Inputs", "value outside the allowed range, unknown key, wrong type, non-finite", "the library's min/max",
         "exit 2 / 422 naming the key, the value and what is allowed"),
        ("Inputs", "value far outside the plausible range", f"beyond high x {PLAUSIBLE_FACTOR:g} or low / "
         f"{PLAUSIBLE_FACTOR:g}", "one warning line naming key, value and plausible range; `--strict` "
         "makes it exit 2"),
        ("CLI", "Monte Carlo chunk", f"{uncertainty.DEFAULT_CHUNK:,} samples (default); a `--chunk-size` whose "
         f"measured memory exceeds {CHUNK_MEMORY_BYTES / 2**30:g} GiB is refused", "exit 2"),
        ("CLI", "exact percentiles", f"up to {uncertainty.EXACT_LIMIT:,} samples", "streaming histogram beyond "
         "(relative resolution about 1e-4)"),
        ("CLI", "explain, exact Shapley values", f"up to {EXACT_LIMIT} players that matter by default, "
         f"`--exact-limit` at most {MAX_EXACT}", "sampled permutations with standard errors; a larger limit exits 2"),
        ("CLI", "optimizer evaluations per vectorized call", f"{MAX_ROWS_PER_CALL:,} rows", "split into calls"),
        ("CLI", "trajectory cells (samples x years)", f"{MAX_CELLS:,} evaluations", "exit 2 naming samples and years"),
        ("CLI", "large `run` output", "JSON is streamed in bounded memory; `--out FILE.parquet` for big arrays",
         ""),
        ("Sweeps", "rows", f"{sweep_plan.MAX_ROWS:,} per sweep, {sweep_plan.MAX_AXIS_POINTS:,} per axis, "
         f"{sweep_plan.MAX_CHUNK_ROWS:,} per part", "exit 2 naming the axis"),
        ("Sweeps", "one writer", f"exclusive `flock` on `OUT/{LOCK}`", "a second writer exits 2 naming the holder"),
        ("Sweeps", "parts", "row count and checksum of each part in the manifest, verified on resume",
         "a bad part is recomputed and reported; `read_sweep` refuses an incomplete sweep unless asked for "
         "partial results"),
        ("Twin", "TLE file", f"{MAX_TLE_BYTES:,} bytes, regular files only", "exit 2 naming the file"),
        ("Twin", "chunk", f"{CHUNK_SAT_STEPS:,} satellite-steps; SAA calibration over at most "
         f"{SAA_CALIBRATION_SATELLITES:,} satellites", "memory does not grow with the duration"),
        ("Web", "request body", f"{schemas.MAX_BODY_BYTES // 1024} KiB, received within "
         f"{middleware.BODY_TIMEOUT_S:g} s", "413 / 408"),
        ("Web", "request headers", f"within {server.HEADER_TIMEOUT_S:g} s; at most {server.MAX_CONNECTIONS} "
         "connections", "connection closed"),
        ("Web", "one computation", f"{web_app.TIME_LIMIT_S:g} s wall clock (queueing included), CPU time "
         f"limit, {schemas.WORKER_MEMORY_BYTES // mib:,} MiB address space per worker",
         "the worker is killed and replaced; 503 with Retry-After"),
        ("Web", "rows per evaluation", f"{schemas.ROW_BUDGET:,} (about {schemas.ROW_BYTES // 1024} kB each)",
         "every cap below derives from it"),
        ("Web", "Monte Carlo", f"{schemas.MAX_MC_SAMPLES:,} samples, chunks of {schemas.MC_CHUNK:,}", "422"),
        ("Web", "Sobol", f"N <= {schemas.MAX_SOBOL_SAMPLES:,}", "422"),
        ("Web", "explain", f"exact up to {schemas.EXPLAIN_EXACT_LIMIT} players; at most "
         f"{schemas.MAX_PERMUTATIONS:,} permutations", "fewer used and reported"),
        ("Web", "break-even curve", f"{schemas.MAX_CURVE_POINTS} points", "422"),
        ("Web", "twin run", f"{twin.MAX_SATELLITES} satellites, {twin.MAX_DAYS:g} days, {twin.MAX_STEPS:,} "
         "steps per satellite", "422"),
        ("Web", "scenario upload", f"{twin.MAX_TOML_CHARS:,} characters of TOML", "413 / 422 with the message"),
        ("Web", "queue", f"{web_app.QUEUE_PER_WORKER['cheap']} waiting per cheap worker, "
         f"{web_app.QUEUE_PER_WORKER['heavy']} per heavy worker", "503 at once"),
    ]
    out = ["| area | what | bound | past it |", "| --- | --- | --- | --- |"]
    out += [f"| {a} | {_cell(w)} | {_cell(b)} | {_cell(p)} |" for a, w, b, p in rows]
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- the picture
LAYERS: Sequence[tuple[str, str]] = (
    ("params", "library, presets,\nscenarios"),
    ("physics", "orbit, solar, thermal,\nradiation, drag, ..."),
    ("launch / finance", "launch, finance,\nlifecycle, dollars"),
    ("systems", "orbital, terrestrial,\nbottom-up design"),
    ("compare", "evaluate, metrics,\nbreak-even, curves"),
    ("analyses", "sampling, uncertainty, sweep,\ntrajectory, explain, claims,\noptimize, simulate"),
    ("presentation", "formatting,\nserialization"),
    ("interfaces", "cli, report, web"),
)


def architecture_svg(path: Path) -> None:
    """Draw the layers left to right with the data flow between them (matplotlib, no date stamp)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    fig, ax = plt.subplots(figsize=(12, 3.2))
    ax.set_xlim(0, len(LAYERS) * 1.5)
    ax.set_ylim(0, 3.2)
    ax.axis("off")
    for i, (name, what) in enumerate(LAYERS):
        x = 0.1 + i * 1.5
        ax.add_patch(FancyBboxPatch((x, 0.7), 1.2, 1.9, boxstyle="round,pad=0.03", fc="#eef2fb", ec="#3b6fd8"))
        ax.text(x + 0.6, 2.35, name, ha="center", va="center", fontsize=10, weight="bold")
        ax.text(x + 0.6, 1.5, what, ha="center", va="center", fontsize=7.5)
        if i:
            ax.add_patch(FancyArrowPatch((x - 0.2, 1.65), (x, 1.65), arrowstyle="-|>", mutation_scale=12,
                                         color="#334"))
    ax.text(len(LAYERS) * 0.75, 0.3, "each layer imports only from layers to its left; cli, report and web never "
            "import one another", ha="center", fontsize=8, style="italic")
    fig.savefig(path, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)


def waterfall_png(path: Path) -> None:
    """The explain guide's waterfall: Starcloud against McCalip at the same power and years."""
    from orbitaldc.explain import explain
    from orbitaldc.report import save_waterfall

    save_waterfall(explain("starcloud-40mw-2024", "mccalip-2025-12", normalize=True), path)


# ----------------------------------------------------------------------------- main
def _write(path: Path, text: str) -> None:
    """Write only when the text changed (Sphinx then rebuilds only what changed)."""
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def main(out_dir: Path | str = Path(__file__).resolve().parent / "_generated") -> None:
    """Write every generated file.

    Parameters
    ----------
    out_dir : Path or str
        Folder to write (created).

    Returns
    -------
    None
    """
    out_dir = Path(out_dir)
    outputs = out_dir / "out"
    outputs.mkdir(parents=True, exist_ok=True)
    _write(out_dir / "parameters.md", parameters_page())
    _write(out_dir / "validation.md", validation_page())
    _write(out_dir / "presets.md", presets_page())
    _write(out_dir / "limits.md", limits_page())
    architecture_svg(out_dir / "architecture.svg")
    waterfall_png(out_dir / "explain-starcloud-mccalip.png")
    _write(outputs / "cheap-launch.toml", SCENARIO_FILE)
    _write(outputs / "python-example.py", PYTHON_EXAMPLE)
    _write(outputs / "python-example.txt", python_output(PYTHON_EXAMPLE))
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "cheap-launch.toml").write_text(SCENARIO_FILE)
        for stem, (command, expect) in EXAMPLES.items():
            _write(outputs / f"{stem}.txt", cli_output(command, expect, cwd=Path(tmp)))


def refresh_readme(path: Path | str = ROOT / "README.md") -> int:
    """Rewrite each shown output of the README by running its command (and the Python example).

    ``python docs/generate.py --readme`` after a change that moves a shown figure; the README
    test (``tests/docs/test_readme.py``) fails until it is run.

    Parameters
    ----------
    path : Path or str
        The README to rewrite in place.

    Returns
    -------
    int
        How many blocks changed.
    """
    path = Path(path)
    text = path.read_text()
    blocks = list(FENCE.finditer(text))
    changed, pieces, last = 0, [], 0
    for i, m in enumerate(blocks):
        lang, body = m.group(1), m.group(2)
        new = body
        if lang == "text" and body.startswith("$ orbitaldc "):
            new = cli_output(body.splitlines()[0].removeprefix("$ orbitaldc "))
        elif lang == "text" and i > 0 and blocks[i - 1].group(1) == "python":
            new = python_output(blocks[i - 1].group(2))
        new = new.rstrip("\n") + "\n"
        changed += new != body
        pieces += [text[last:m.start(2)], new]
        last = m.end(2)
    pieces.append(text[last:])
    path.write_text("".join(pieces))
    return changed


if __name__ == "__main__":
    if sys.argv[1:] == ["--readme"]:
        print(f"README: {refresh_readme()} block(s) rewritten")
    else:
        main(*sys.argv[1:])
