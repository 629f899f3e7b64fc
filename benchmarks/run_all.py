"""Run every ``benchmarks/bench_*.py`` in turn (``make bench``); extra arguments are passed on.

Example: ``python benchmarks/run_all.py --quick``. Each benchmark prints its own ratios,
measured in its one run; this script only reports which ones failed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    failed = []
    for path in sorted(here.glob("bench_*.py")):
        print(f"=== {path.name} {' '.join(argv)}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, str(path), *argv])
        print(f"=== {path.name}: {'ok' if rc == 0 else f'FAILED (exit {rc})'} in {time.perf_counter() - t0:.1f} s\n", flush=True)
        if rc:
            failed.append(path.name)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
