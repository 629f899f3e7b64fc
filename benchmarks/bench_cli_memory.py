"""Peak memory of ``orbitaldc run`` on a large array scenario: streamed JSON and Parquet output.

Run: ``python benchmarks/bench_cli_memory.py [--scenarios 1e6] [--preset NAME] [--baseline] [--quick]``.

The scenario is a TOML file whose array parameters broadcast to ``--scenarios`` scenarios (a row
of launch prices times a column of satellite prices, so every result is a full array). Each
command runs as a real subprocess with stdout sent to /dev/null; its peak resident memory is read
from ``wait4``'s resource usage. Measured side by side in this one run:

* ``run --format json``: the JSON contract, arrays streamed in chunks (:func:`orbitaldc.cli.output.write_json`);
* ``run --out FILE.parquet``: one row per scenario, row group by row group;
* with ``--baseline``: the same JSON built as one document first (``json.dumps`` of the whole
  result, as ``run`` did before streaming) at a tenth of the scenarios (the full size would take
  about 7 GB).

Nothing is asserted; the bound it checks against (2 GB at 10^6 scenarios) is printed beside each number.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: The bound issue 16 sets for ``run --format json`` on 10^6 scenarios [bytes].
BOUND_BYTES = 2e9
BASELINE = """
import json, sys
from orbitaldc.cli.output import jsonable
from orbitaldc.compare import evaluate
from orbitaldc.params import load_scenario
sys.stdout.write(json.dumps(jsonable(evaluate(load_scenario(sys.argv[1])).to_dict()), indent=2))
"""


def scenario_file(folder: Path, preset: str, scenarios: int, name: str = "large") -> Path:
    """A scenario of ``scenarios`` points: launch prices (a row) times satellite prices (a column)."""
    rows = max(1, int(math.isqrt(scenarios)))
    cols = scenarios // rows
    launch = ", ".join(f"{100 + 3000 * i / max(cols - 1, 1):.6g}" for i in range(cols))
    satellite = ", ".join(f"[{5 + 25 * j / max(rows - 1, 1):.6g}]" for j in range(rows))
    path = folder / f"{name}.toml"
    path.write_text(f'extends = "{preset}"\nname = "{name}"\nlaunch_cost_usd_per_kg = [{launch}]\n'
                    f"satellite_cost_usd_per_w = [{satellite}]\n", encoding="utf-8")
    return path


def peak(argv: list[str]) -> tuple[float, float, int]:
    """Run ``argv`` with stdout to /dev/null; (peak resident memory [bytes], wall time [s], exit code)."""
    t0 = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen(argv, stdout=sink, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace").strip()
    if proc.returncode:
        print(f"  exit {proc.returncode}: {err}")
    return usage.ru_maxrss * 1024.0, time.perf_counter() - t0, proc.returncode


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=float, default=1e6)
    parser.add_argument("--preset", default="mccalip-2025-12")
    parser.add_argument("--baseline", action="store_true", help="also build the JSON whole (a tenth of the size)")
    parser.add_argument("--quick", action="store_true", help="10^5 scenarios")
    args = parser.parse_args(argv)
    n = int(1e5 if args.quick else args.scenarios)
    exe = [sys.executable, "-m", "orbitaldc"]
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-cli-memory-") as tmp:
        folder = Path(tmp)
        path = scenario_file(folder, args.preset, n)
        runs = [("run --format json (streamed)", exe + ["run", str(path), "--format", "json"], n),
                ("run --out FILE.parquet", exe + ["run", str(path), "--out", str(folder / "r.parquet")], n)]
        if args.baseline:
            small = scenario_file(folder, args.preset, n // 10, "small")
            runs.append(("JSON built whole (before)", [sys.executable, "-c", BASELINE, str(small)], n // 10))
        peak([sys.executable, "-c", "import orbitaldc.cli"])  # warm the file cache and bytecode
        print(f"{args.preset}: peak resident memory (bound {BOUND_BYTES / 1e9:g} GB at 10^6 scenarios)")
        for label, command, size in runs:
            rss, wall, code = peak(command)
            failed |= code != 0
            print(f"  {label:32s} {size:>10,} scenarios  peak {rss / 1e9:6.2f} GB  "
                  f"({rss / size:,.0f} B per scenario)  {wall:6.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
