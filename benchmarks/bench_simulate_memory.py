"""Peak memory of a 100,000-satellite twin, measured in a fresh subprocess (bound: 2 GB).

The run propagates, steps and links every satellite of the sample in chunks of
``CHUNK_SAT_STEPS`` satellite-steps, and calibrates the SAA interrupt split in blocks of the
same size, so its memory is bounded by the chunk size, not by the number of satellites. The child
process runs the library as ``orbitaldc simulate`` would (a 3 GW bottom-up constellation, so
that 100,000 satellites are a sample of it) and reports its own peak resident set size.

    python benchmarks/bench_simulate_memory.py
    python benchmarks/bench_simulate_memory.py --satellites 100000 --days 0.05 --kernel numpy
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap

#: The bound the issue states for a 100,000-satellite twin [bytes].
LIMIT_BYTES = 2 * 1024 ** 3

CHILD = textwrap.dedent("""
    import json, resource, sys, tempfile, time
    from orbitaldc.simulate import simulate
    args = json.loads(sys.argv[1])
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        sim = simulate("mccalip-2025-12", {"mass_model": "bottom_up", "target_power_w": 3.0e9,
                                           "sim_satellites": args["satellites"], "sim_days": args["days"]},
                       out_dir=out, kernel=args["kernel"])
    print(json.dumps({"peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                      "satellites": sim.result.setup.satellites, "steps": sim.result.setup.steps,
                      "seconds": time.perf_counter() - start}))
""")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--satellites", type=int, default=100_000)
    ap.add_argument("--days", type=float, default=0.01)
    ap.add_argument("--kernel", choices=("compiled", "numpy"), default="compiled")
    ap.add_argument("--quick", action="store_true", help="accepted for run_all.py (the default run is already short)")
    args = ap.parse_args(argv)
    del args.quick
    child = subprocess.run([sys.executable, "-c", CHILD, json.dumps(vars(args))], capture_output=True, text=True)
    if child.returncode != 0:
        print(child.stderr.strip().splitlines()[-1] if child.stderr.strip() else f"exit {child.returncode}")
        return 1
    r = json.loads(child.stdout.strip().splitlines()[-1])
    peak = r["peak_rss_bytes"]
    print(f"simulate ({args.kernel}): {r['satellites']:,} satellites x {r['steps']:,} steps in {r['seconds']:.1f} s; "
          f"peak RSS {peak / 1024 ** 2:,.0f} MB ({'within' if peak < LIMIT_BYTES else 'OVER'} the "
          f"{LIMIT_BYTES / 1024 ** 3:.0f} GB bound)")
    return 0 if peak < LIMIT_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
