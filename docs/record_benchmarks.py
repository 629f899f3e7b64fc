"""Record the benchmarks' own output with the machine and date: ``python docs/record_benchmarks.py``.

Runs every ``benchmarks/bench_*.py`` (with ``--quick`` where the script offers it, unless
``--full`` is given; ``--mccalip PATH`` and ``--spacedc PATH`` go to the Monte Carlo benchmark,
local checkouts of the peers' public repositories, never vendored) and writes ``docs/benchmarks/last-run.txt``: a header naming the machine (CPU model, cores usable, memory,
OS, Python, NumPy) and the date, then the scripts' output exactly as printed. The
documentation's benchmarks page includes that file, and the README's speed block is rewritten from
its ``RATIO`` lines; nothing in either is typed by hand. Timings are
only comparable within one run (each script reports ratios measured side by side).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from markers import between, write_between  # noqa: E402,F401  (docs/markers.py; tests use between)

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent / "benchmarks" / "last-run.txt"


def machine() -> list[str]:
    """One line per fact about this machine, read from the operating system."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines()
                      if x.startswith("MemTotal"))
        memory = f"{mem_kb / 1024**2:.1f} GiB"
    except (OSError, StopIteration):
        memory = "unknown"
    import numpy

    return [f"date (UTC): {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M}",
            f"CPU: {cpu}; cores usable: {len(os.sched_getaffinity(0))}; memory: {memory}",
            f"OS: {platform.platform()}; Python {platform.python_version()}; NumPy {numpy.__version__}",
            "command: python docs/record_benchmarks.py " + " ".join(sys.argv[1:])]


README = ROOT / "README.md"
#: The README's speed block sits between these two lines (rewritten by :func:`speed_block`).
SPEED_START, SPEED_END = "<!-- speed: written by docs/record_benchmarks.py -->", "<!-- speed: end -->"


def speed_block(record: str) -> str:
    """The README's speed block from a recorded run: the machine, then every targeted ``RATIO`` line.

    Parameters
    ----------
    record : str
        The text of ``docs/benchmarks/last-run.txt``.

    Returns
    -------
    str
        A fenced text block: the record's date and machine on one line, then each benchmark's
        ``RATIO ...`` line that states its target, as printed.
    """
    lines = record.splitlines()
    head = ["; ".join(lines[:2])]
    ratios = [line for line in lines if line.startswith("RATIO ") and "target" in line]
    return "```text\n" + "\n".join([*head, *ratios]) + "\n```"


def write_readme_speed(record: str, readme: Path = README) -> None:
    """Replace the README's speed block (between the markers) with :func:`speed_block`."""
    write_between(readme, SPEED_START, SPEED_END, speed_block(record))


def _option(argv: list[str], name: str) -> list[str]:
    """``[name, value]`` when ``name value`` is in argv (forwarded to the benchmark that takes it)."""
    if name in argv:
        i = argv.index(name)
        return [name, argv[i + 1]]
    return []


def main(argv: list[str]) -> int:
    full = "--full" in argv
    peers = {"bench_montecarlo.py": _option(argv, "--mccalip") + _option(argv, "--spacedc")}
    text, failed = "\n".join(machine()) + "\n", 0
    for path in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        args = [] if full or "--quick" not in path.read_text() else ["--quick"]
        args += peers.get(path.name, [])
        run = subprocess.run([sys.executable, str(path), *args], cwd=ROOT, capture_output=True, text=True)
        failed += run.returncode != 0
        text += f"\n=== python benchmarks/{path.name} {' '.join(args)}".rstrip() + f" (exit {run.returncode})\n"
        text += run.stdout + (f"[stderr]\n{run.stderr}" if run.returncode else "")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    write_readme_speed(text)
    print(OUT)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
