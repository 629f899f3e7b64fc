"""Monte Carlo end to end, side by side with peers' own models, and where our time goes.

Run::

    python benchmarks/bench_montecarlo.py [--samples 1e6] [--mccalip PATH] [--spacedc PATH]
                                          [--big 1e8] [--quick]

All ratios come from this one run on this machine, every side warmed up first, one core (NumPy's
element-wise kernels are single-threaded; BLAS threads are pinned to 1 below). Nothing is asserted.

* **McCalip** (``--mccalip PATH``, a local checkout of andrewmccalip/thoughts; read, never
  vendored): his economics model ``static/js/math.js`` looping under ``node`` over the same number
  of random draws (a driver written here at run time sets his sixteen slider inputs from uniform
  draws over our sampled ranges, runs ``calculateOrbital`` and ``calculateTerrestrial``, keeps each
  cost ratio and takes P5/P50/P95 at the end), against :func:`orbitaldc.uncertainty.monte_carlo`
  on ``mccalip-2025-12`` end to end: (a) by default, every input the scenario's metrics declare,
  (b) only the sixteen inputs his sliders carry (like for like). Without ``--mccalip`` the line
  says it was skipped.
* **spacedc-mdao** (``--spacedc PATH``, a local checkout of jman4162/spacedc-mdao): installed from
  that source into this benchmark's own virtual environment under the system temp folder, its
  ``monte_carlo`` on its five default drivers and its 1 MW example, against ours on
  ``reference-1gw-terminator`` (every uncertain input the metrics read, orbit included).
* **Where our time goes**: drawing (and, within it, the uniform variates alone), the model (one
  :func:`~orbitaldc.compare.evaluate_values` per chunk) and the summaries, timed apart on the same
  draws; the every-input draw for contrast; and the ceiling that the uniform variates and the
  summaries set on the ratio to the peer however fast the model gets. For the bottom-up reference
  also the model with the inputs of its per-orbit physics held (:data:`PHYSICS_INPUTS`: each
  physics term then runs once per chunk), and the ceiling with physics of zero cost.
* **big run**: 10^8 samples in chunks with a progress bar, peak resident memory reported.

The ``RATIO`` lines come last, each peer's ratio with the ceiling its breakdown measured (the
rate the same run would reach if the model, or its physics, cost nothing).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402


from orbitaldc.compare import evaluate_values  # noqa: E402
from orbitaldc.params import load_scenario  # noqa: E402
from orbitaldc.sampling import chunk_rngs, define_problem, uncertain_parameters  # noqa: E402
from orbitaldc.uncertainty import DEFAULT_CHUNK, DEFAULT_METRICS, monte_carlo  # noqa: E402

PRESET = "mccalip-2025-12"
REFERENCE = "reference-1gw-terminator"
#: The inputs of the bottom-up chain's per-orbit physics terms (sun and sizing day, NRLMSIS density
#: and decay, AP-8/AE-8 dose and upset flux: the terms ``systems/bottom_up.py`` evaluates once per
#: distinct input combination). Held at the scenario's values, those terms run once per chunk and
#: the rest of the model still runs on every row: the model's cost without its physics.
PHYSICS_INPUTS = ("altitude_m", "inclination_rad", "ltan_h", "mission_start_year", "analysis_years",
                  "battery_round_trip_efficiency", "solar_cycle_minimum_year", "solar_cycle_period_yr",
                  "solar_cycle_rise_yr", "f107_solar_min_sfu", "f107_solar_max_sfu", "geomagnetic_ap",
                  "shielding_thickness_m", "aluminium_density_kg_per_m3", "gcr_free_space_rad_per_yr",
                  "spe_free_space_rad_per_yr", "proton_upset_threshold_mev")
#: McCalip's slider (state key) for each of our parameters, and the factor from our unit to his.
MCCALIP_STATE = {
    "launch_cost_usd_per_kg": ("launchCostPerKg", 1.0), "satellite_cost_usd_per_w": ("satelliteCostPerW", 1.0),
    "specific_power_w_per_kg": ("specificPowerWPerKg", 1.0), "sun_fraction": ("sunFraction", 1.0),
    "cell_degradation_per_yr": ("cellDegradation", 100.0), "gpu_failure_per_yr": ("gpuFailureRate", 100.0),
    "nre_cost_usd": ("nreCost", 1e-6), "gas_turbine_capex_usd_per_kw": ("gasTurbineCapexPerKW", 1.0),
    "electrical_capex_usd_per_w": ("electricalCostPerW", 1.0), "mechanical_capex_usd_per_w": ("mechanicalCostPerW", 1.0),
    "civil_capex_usd_per_w": ("civilCostPerW", 1.0), "network_capex_usd_per_w": ("networkCostPerW", 1.0),
    "pue": ("pue", 1.0), "gas_price_usd_per_mmbtu": ("gasPricePerMMBtu", 1.0),
    "heat_rate_btu_per_kwh": ("heatRateBtuKwh", 1.0), "capacity_factor": ("capacityFactor", 1.0),
}
#: The node driver (ours): uniform draws over the given ranges into his state, his two models per draw.
NODE_DRIVER = r"""
const M = require(process.argv[2]);
const spec = JSON.parse(process.argv[3]);
const keys = Object.keys(spec.ranges), lo = keys.map(k => spec.ranges[k][0]), hi = keys.map(k => spec.ranges[k][1]);
function run(n) {
  const ratio = new Float64Array(n); let cheaper = 0;
  for (let i = 0; i < n; i++) {
    const s = {};
    for (let j = 0; j < keys.length; j++) s[keys[j]] = lo[j] + (hi[j] - lo[j]) * Math.random();
    M.setState(s);
    const r = M.calculateOrbital().totalCost / M.calculateTerrestrial().totalCost;
    ratio[i] = r; if (r < 1) cheaper++;
  }
  ratio.sort();
  return [ratio[Math.floor(0.05 * (n - 1))], ratio[Math.floor(0.5 * (n - 1))], ratio[Math.floor(0.95 * (n - 1))], cheaper / n];
}
const base = M.getState();
const point = M.calculateOrbital().totalCost / M.calculateTerrestrial().totalCost;
run(spec.warm); M.setState(base);
const best = [];
for (let r = 0; r < spec.repeat; r++) {
  const t0 = process.hrtime.bigint(); const p = run(spec.n); M.setState(base);
  best.push([Number(process.hrtime.bigint() - t0) / 1e9, p]);
}
best.sort((a, b) => a[0] - b[0]);
console.log(JSON.stringify({seconds: best[0][0], summary: best[0][1], point_ratio: point}));
"""
#: The spacedc-mdao harness (ours), run in its own virtual environment.
SPACEDC_DRIVER = r"""
import json, sys, time
from pathlib import Path
import orbitdc as odc
from orbitdc.optimize import monte_carlo
root, n, warm = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
space = odc.load_scenario(root / "examples/scenarios/orbital_1mw_inference.yaml")
earth = odc.load_scenario(root / "examples/scenarios/earth_hyperscale_baseline.yaml")
earth_lcoc = odc.compare(space, earth).earth.lcoc_per_pflop_day
monte_carlo(space, earth_lcoc, n=warm, seed=0)
t0 = time.perf_counter(); r = monte_carlo(space, earth_lcoc, n=n, seed=1); dt = time.perf_counter() - t0
print(json.dumps({"seconds": dt, "p_space_wins": r.p_space_wins, "lcoc_p50": r.lcoc_p50}))
"""


def best_of(fn, repeat: int = 3) -> float:
    """Shortest wall time of ``repeat`` calls (seconds)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def machine_load() -> str:
    """CPU count and 1-minute load average (the benchmark's neighbours)."""
    return f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (1 min)"


def ours(preset: str, n: int, params=None, repeat: int = 2) -> tuple[float, object]:
    """``monte_carlo`` end to end, warmed up; (best seconds, last result)."""
    monte_carlo(preset, min(n, 20_000), seed=0, params=params)
    out = {}
    t = best_of(lambda: out.__setitem__("r", monte_carlo(preset, n, seed=1, params=params)), repeat)
    return t, out["r"]


def mccalip_line(path: str | None, n: int) -> tuple[float, float, float] | None:
    """His model under node vs ours, same number of draws: his seconds per sample and the ratios
    (every declared input, his sixteen); None when skipped."""
    if not path:
        print("McCalip (node): SKIPPED - give --mccalip PATH (a local checkout of andrewmccalip/thoughts)")
        return None
    model = Path(path) / "static" / "js" / "math.js"
    if not model.is_file() or not shutil.which("node"):
        print(f"McCalip (node): SKIPPED - {model} not found or node not on PATH")
        return None
    problem = define_problem(PRESET, DEFAULT_METRICS)
    ranges = {MCCALIP_STATE[k][0]: [m.low * MCCALIP_STATE[k][1], m.high * MCCALIP_STATE[k][1]]
              for k, m in problem.marginals.items() if k in MCCALIP_STATE}
    with tempfile.TemporaryDirectory() as tmp:
        driver = Path(tmp) / "driver.js"
        driver.write_text(NODE_DRIVER)
        spec = json.dumps({"ranges": ranges, "n": n, "warm": min(n, 50_000), "repeat": 2})
        done = subprocess.run(["node", str(driver), str(model.resolve()), spec], capture_output=True, text=True,
                              check=True)
    js = json.loads(done.stdout)
    t_all, r_all = ours(PRESET, n)
    t_like, _ = ours(PRESET, n, params=list(MCCALIP_STATE))
    point = float(evaluate_values(load_scenario(PRESET).values).cost_ratio)
    print(f"McCalip's model at his defaults: cost ratio {js['point_ratio']:.6f} (node) vs {point:.6f} (ours, "
          f"{PRESET})")
    print(f"  node, his math.js in a loop ({len(ranges)} inputs drawn): {n / js['seconds']:12,.0f} samples/s "
          f"(cost ratio P50 {js['summary'][1]:.3f})")
    print(f"  monte_carlo() end to end, {len(r_all.parameters)} declared inputs: {n / t_all:12,.0f} samples/s "
          f"(cost ratio P50 {r_all.percentiles['orbital_to_terrestrial_cost_ratio']['p50']:.3f})")
    print(f"  monte_carlo() end to end, his {len(MCCALIP_STATE)} inputs:      {n / t_like:12,.0f} samples/s")
    return js["seconds"] / n, js["seconds"] / t_all, js["seconds"] / t_like


def spacedc_line(path: str | None, n_ours: int, n_theirs: int) -> tuple[float, float] | None:
    """spacedc-mdao's own Monte Carlo (its venv) vs ours on the bottom-up reference: its seconds per
    draw and the ratio; None when skipped."""
    t, r = ours(REFERENCE, n_ours, repeat=1)
    print(f"  ours: monte_carlo({REFERENCE}) end to end, {len(r.parameters)} inputs sampled: "
          f"{n_ours / t:12,.0f} samples/s")
    if not path:
        print("spacedc-mdao: SKIPPED - give --spacedc PATH (a local checkout of jman4162/spacedc-mdao)")
        return None
    venv = Path(tempfile.gettempdir()) / "orbitaldc-bench-spacedc"
    py = venv / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if subprocess.run([str(py), "-c", "import orbitdc"], capture_output=True).returncode:
        subprocess.run([str(py), "-m", "pip", "install", "-q", str(Path(path).resolve())], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        driver = Path(tmp) / "driver.py"
        driver.write_text(SPACEDC_DRIVER)
        done = subprocess.run([str(py), str(driver), str(Path(path).resolve()), str(n_theirs), "200"],
                              capture_output=True, text=True, check=True)
    theirs = json.loads(done.stdout)
    rate = n_theirs / theirs["seconds"]
    print(f"  spacedc-mdao monte_carlo (5 default drivers, its 1 MW example): {rate:12,.0f} draws/s")
    return 1.0 / rate, n_ours / t / rate


def breakdown(preset: str, n: int, peer_s_per_sample: float | None = None) -> dict[str, float]:
    """Drawing, model and summaries timed apart on the same draws (one core), and the floor they set.

    The floor of drawing is ``Generator.random((k, rows))`` alone (the uniform variates every
    marginal is mapped from); with the percentiles and means of the summarized metrics it bounds the
    end-to-end rate however fast the model gets. Given the peer's seconds per sample, the ratio a
    model of zero cost would reach is printed.
    """
    sc = load_scenario(preset)
    problem = define_problem(sc, DEFAULT_METRICS)
    k = len(problem.marginals)
    chunks = [problem.sample(rows, rng) for rows, rng in chunk_rngs(1, n, DEFAULT_CHUNK)]

    def uniforms():
        for rows, rng in chunk_rngs(1, n, DEFAULT_CHUNK):
            rng.random((k, rows))

    def draw():
        for rows, rng in chunk_rngs(1, n, DEFAULT_CHUNK):
            problem.sample(rows, rng)

    def model():
        for drawn in chunks:
            v = dict(sc.values)
            v.update(drawn)
            evaluate_values(v)

    held = [k for k in PHYSICS_INPUTS if k in problem.marginals]

    def model_without_physics():
        for drawn in chunks:
            v = dict(sc.values)
            v.update(drawn)
            v.update({k: sc.values[k] for k in held})
            evaluate_values(v)

    every = uncertain_parameters(sc)  # what was drawn before declarations decided (all uncertain inputs)

    def draw_all():
        for rows, rng in chunk_rngs(1, n, DEFAULT_CHUNK):
            for m in every.values():
                m.draw(rows, rng)

    t_uniform, t_draw, t_model, t_all = best_of(uniforms, 3), best_of(draw, 3), best_of(model, 2), best_of(draw_all, 1)
    t_mc, _ = ours(preset, n, repeat=2)
    t_rest = max(t_mc - t_draw - t_model, 0.0)
    t_bare = best_of(model_without_physics, 2) if held else None
    per = 1e9 / n
    print(f"Where the time goes, {preset}, {n:,} samples ({k} inputs drawn):")
    print(f"  drawing the declared inputs: {t_draw * per:8.0f} ns/sample, of which the uniform variates alone "
          f"(Generator.random((k, rows)), the floor) {t_uniform * per:.0f}; all {len(every)} uncertain inputs one "
          f"by one: {t_all * per:.0f}")
    print(f"  model (evaluate_values per chunk of {DEFAULT_CHUNK:,}): {t_model * per:8.0f} ns/sample")
    if t_bare is not None:
        print(f"  model with the {len(held)} sampled inputs of its per-orbit physics held at the scenario's values "
              f"(physics once per chunk, the rest per row): {t_bare * per:8.0f} ns/sample")
    print(f"  summaries ({len(DEFAULT_METRICS)} metrics: exact percentiles, means) and bookkeeping: "
          f"{t_rest * per:8.0f} ns/sample")
    print(f"  monte_carlo() end to end: {t_mc * per:8.0f} ns/sample")
    ceilings = {}
    if peer_s_per_sample:
        floor = t_uniform + t_rest
        ceilings["a model of zero cost"] = peer_s_per_sample * n / floor
        print(f"  CEILING with a model of zero cost and free mapping of the variates: "
              f"{ceilings['a model of zero cost']:6.1f}x the peer (uniform variates + summaries = "
              f"{floor * per:.0f} ns/sample); with today's drawing: {peer_s_per_sample * n / (t_draw + t_rest):6.1f}x")
        if t_bare is not None:
            ceilings["physics of zero cost"] = peer_s_per_sample * n / (t_draw + t_bare + t_rest)
            print(f"  CEILING with physics of zero cost (drawing + the model without its physics + summaries = "
                  f"{(t_draw + t_bare + t_rest) * per:.0f} ns/sample): "
                  f"{ceilings['physics of zero cost']:6.1f}x the peer")
    return ceilings


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=float, default=1e6)
    ap.add_argument("--mccalip", help="local checkout of andrewmccalip/thoughts (his static/js/math.js)")
    ap.add_argument("--spacedc", help="local checkout of jman4162/spacedc-mdao")
    ap.add_argument("--spacedc-draws", type=int, default=2000, help="draws of spacedc-mdao's own Monte Carlo")
    ap.add_argument("--big", type=float, default=1e8, help="samples of the chunked big run (0: skip)")
    ap.add_argument("--quick", action="store_true", help="1e5 samples per line and a big run of 1e7")
    ap.add_argument("--big-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    n = int(1e5 if args.quick and args.samples == 1e6 else args.samples)
    big = int(1e7 if args.quick and args.big == 1e8 else args.big)
    if args.big_only:
        big_run(big)
        return
    print(f"Monte Carlo benchmark, one core; machine: {machine_load()}")
    mccalip = mccalip_line(args.mccalip, n)
    print(f"Bottom-up reference, {REFERENCE}:")
    spacedc = spacedc_line(args.spacedc, max(n // 10, 10_000), args.spacedc_draws)
    top_mccalip = breakdown(PRESET, n, mccalip[0] if mccalip else None)
    top_spacedc = breakdown(REFERENCE, max(n // 10, 10_000), spacedc[0] if spacedc else None)
    # the ratios, each with the ceiling its breakdown measured
    if mccalip:
        print(f"RATIO monte_carlo (declared inputs) / McCalip under node: {mccalip[1]:6.2f}x  (target >= 10x; "
              f"ceiling with a model of zero cost {top_mccalip['a model of zero cost']:.1f}x)")
        print(f"RATIO monte_carlo (his 16 inputs)   / McCalip under node: {mccalip[2]:6.2f}x")
    if spacedc:
        print(f"RATIO ours / spacedc-mdao: {spacedc[1]:8.1f}x  (target >= 100x; ceiling with physics of zero cost "
              f"{top_spacedc['physics of zero cost']:.0f}x)")
    print(f"machine after: {machine_load()}")
    if big:  # in a fresh process, so that its peak memory is its own
        subprocess.run([sys.executable, __file__, "--big-only", "--big", str(big)], check=True)


def peak_rss_mb() -> float:
    """This process's peak resident memory [MB]: ``VmHWM`` (Linux; the high-water mark of this
    program's own memory), else ``ru_maxrss``, which Linux carries over from the parent through
    ``fork`` and ``exec`` (a child started by a large benchmark would report the parent's peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def big_run(big: int) -> None:
    """The chunked big run with a progress bar; peak resident memory of this process."""
    if big:
        t0 = time.perf_counter()
        r = monte_carlo(PRESET, big, seed=2, progress=True)
        dt = time.perf_counter() - t0
        rss_mb = peak_rss_mb()
        p = r.percentiles["orbital_to_terrestrial_cost_ratio"]
        print(f"BIG {big:,} samples chunked: {dt:.1f} s = {big / dt:,.0f} samples/s; peak RSS {rss_mb:,.0f} MB "
              f"(percentiles: {'exact' if r.exact else 'streaming histogram'}); "
              f"P(orbit cheaper) = {r.probability_orbital_cheaper:.6f}; "
              f"cost ratio P5/P50/P95 = {p['p5']:.3f}/{p['p50']:.3f}/{p['p95']:.3f}")


if __name__ == "__main__":
    main()
