"""Build the trapped-particle and cosmic-ray-cutoff table that orbitaldc.physics.radiation interpolates.

Run from the repository root (radbelt and astropy come with ``pip install -e '.[test]'``)::

    python scripts/build_trapped_radiation_table.py

What it computes (NASA AP-8/AE-8 through the ``radbelt`` package, which bundles the NSSDC
AE-8/AP-8 maps and an IGRF field model):

1. McIlwain L and B/B0 from radbelt's IGRF/DGRF on a grid of altitude x geographic latitude
   (1 deg bins) x longitude (2 deg), at the epochs the models were built for (ECSS-E-ST-10-04C,
   sec. 9.2: use AP-8/AE-8 with the field models they were built with; 1964 for the MIN models,
   Jensen-Cain 1960 era, and 1970 for the MAX models, GSFC 12/66 extrapolated to 1970). A
   present-day field (``--epoch-min 2027 --epoch-max 2027``) deepens the South Atlantic Anomaly at
   fixed altitude and raises LEO proton doses (docs/physics.md gives the size of that effect);
2. AP-8 and AE-8 integral fluxes (solar minimum and maximum) on a grid of (L, log10 B/B0) nodes
   covering every visited cell, evaluated with radbelt (the model's own Fortran), then
   interpolated bilinearly in (L, log10 B/B0) on log10 flux (AP-8/AE-8 interpolate their maps the
   same way);
3. the longitude average at each (altitude, latitude bin): a circular orbit's time average is the
   latitude-weighted sum of these rows (the weights follow from the inclination in closed form,
   ``orbitaldc.physics.radiation.latitude_weights``);
4. the longitude-averaged galactic-cosmic-ray transmission ``J(>R_c) / J(>0)`` with the vertical
   Stormer cutoff ``R_c = 14.9 / L^2`` GV (Smart & Shea 2005) and the integral rigidity spectrum
   ``J(>R) ~ (R + R0)^-1.7`` (differential index 2.7, R0 = 1 GV), and the share of time in the
   polar caps open to solar-particle-event protons (``R_c`` below 0.3 GV, about 40 MeV protons).

The output ``src/orbitaldc/physics/data/trapped_radiation.npz`` records the radbelt, numpy and
Python versions, the field epoch and every grid. References: Sawyer & Vette, NSSDC/WDC-A-R&S
76-06 (1976) (AP-8); Vette, NSSDC/WDC-A-R&S 91-24 (1991) (AE-8); Smart & Shea, Adv. Space Res.
36, 2012 (2005) (cutoffs).
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "src" / "orbitaldc" / "physics" / "data" / "trapped_radiation.npz"
ALTITUDES_KM = np.array([200, 300, 400, 450, 500, 550, 600, 650, 700, 750, 800, 850, 900, 1000, 1100, 1200,
                         1300, 1400, 1600, 1800, 2000], dtype=float)
LAT_EDGES_DEG = np.linspace(-90.0, 90.0, 181)
LONS_DEG = np.arange(-180.0, 180.0, 2.0)
PROTON_MEV = np.array([0.1, 0.5, 1, 2, 3, 5, 7, 10, 15, 20, 25, 30, 40, 50, 60, 70, 80, 100, 120, 150, 200, 250,
                       300, 400], dtype=float)
ELECTRON_MEV = np.array([0.04, 0.1, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7],
                        dtype=float)
L_NODES = np.unique(np.round(np.concatenate([np.arange(1.0, 2.0, 0.02), np.arange(2.0, 4.0, 0.05),
                                             np.arange(4.0, 8.0, 0.1), np.arange(8.0, 12.01, 0.5)]), 4))
LOGB_NODES = np.linspace(0.0, 3.5, 71)
L_MAX = 12.0
STORMER_GV = 14.9
GCR_R0_GV = 1.0
GCR_INTEGRAL_INDEX = 1.7
SPE_CUTOFF_GV = 0.3
CUTOFF_EPOCH = 2027.0


def _field(args):
    import radbelt
    h_km, epoch = args
    lat_c = 0.5 * (LAT_EDGES_DEG[1:] + LAT_EDGES_DEG[:-1])
    lat, lon = np.meshgrid(lat_c, LONS_DEG, indexing="ij")
    lval, bb0 = radbelt.igrf(lon, lat, h_km, epoch)
    return np.asarray(lval, dtype=float), np.asarray(bb0, dtype=float)


def _fluxes(args):
    """Integral flux at a list of nodes for one model; energies ascending, stop at the first zero."""
    import radbelt
    nodes, energies, particle, solar = args
    out = np.zeros((len(nodes), len(energies)))
    for n, (lval, bb0) in enumerate(nodes):
        for k, e in enumerate(energies):
            f = float(radbelt.aep8(e, lval, bb0, particle, solar))
            if not f > 0.0:
                break
            out[n, k] = f
    return out


def _bilinear_log(grid_log, lval, logb):
    """Bilinear interpolation on (L_NODES, LOGB_NODES); outside the grid: no flux.

    Log10 flux where all four corners carry flux (the maps are near-exponential there); flux itself
    in cells with a zero corner, where the flux falls to zero at the loss cone inside the cell (log
    interpolation towards a zero corner would empty most of the cell and underestimate the South
    Atlantic Anomaly by ~20 %).
    """
    i = np.clip(np.searchsorted(L_NODES, lval) - 1, 0, len(L_NODES) - 2)
    j = np.clip(np.searchsorted(LOGB_NODES, logb) - 1, 0, len(LOGB_NODES) - 2)
    tx = np.clip((lval - L_NODES[i]) / (L_NODES[i + 1] - L_NODES[i]), 0.0, 1.0)
    ty = np.clip((logb - LOGB_NODES[j]) / (LOGB_NODES[j + 1] - LOGB_NODES[j]), 0.0, 1.0)
    corners = (grid_log[i, j], grid_log[i + 1, j], grid_log[i, j + 1], grid_log[i + 1, j + 1])
    weights = ((1 - tx) * (1 - ty), tx * (1 - ty), (1 - tx) * ty, tx * ty)
    log_val = sum(w[..., None] * c for w, c in zip(weights, corners))
    lin_val = sum(w[..., None] * np.where(c > -29.0, 10.0 ** c, 0.0) for w, c in zip(weights, corners))
    all_live = np.all(np.stack(corners) > -29.0, axis=0)
    flux = np.where(all_live, 10.0 ** log_val, lin_val)
    outside = (lval > L_NODES[-1]) | (logb > LOGB_NODES[-1])
    return np.where(outside[..., None], 0.0, flux)


def main(argv=None) -> int:
    import radbelt
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epoch-min", type=float, default=1964.0, help="field epoch of the MIN models")
    parser.add_argument("--epoch-max", type=float, default=1970.0, help="field epoch of the MAX models")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--reuse-nodes", type=Path, default=None,
                        help="take the (L, B/B0) node fluxes from an earlier table built on the same grids")
    args = parser.parse_args(argv)
    t0 = time.time()
    fields = {}
    for solar, epoch in (("min", args.epoch_min), ("max", args.epoch_max)):
        with Pool(args.processes) as pool:
            field = pool.map(_field, [(h, epoch) for h in ALTITUDES_KM])
        lval = np.stack([f[0] for f in field])  # (alt, lat, lon)
        lval = np.where(np.isfinite(lval), np.minimum(lval, 1e3), 1e3)
        logb = np.log10(np.clip(np.stack([f[1] for f in field]), 1.0, None))
        fields[solar] = (lval, logb)
        print(f"field {solar} ({epoch:g}): {lval.size} points in {time.time() - t0:.0f} s", flush=True)

    # nodes of every (L, log B) cell that an orbit point falls in
    need = np.zeros((len(L_NODES), len(LOGB_NODES)), dtype=bool)
    for lval, logb in fields.values():
        inside = lval <= L_MAX
        ii = np.clip(np.searchsorted(L_NODES, lval[inside]) - 1, 0, len(L_NODES) - 2)
        jj = np.clip(np.searchsorted(LOGB_NODES, logb[inside]) - 1, 0, len(LOGB_NODES) - 2)
        for di in (0, 1):
            for dj in (0, 1):
                need[ii + di, jj + dj] = True
    idx = np.argwhere(need)
    nodes = [(float(L_NODES[a]), float(10.0 ** LOGB_NODES[b])) for a, b in idx]
    print(f"nodes: {len(nodes)} of {need.size}", flush=True)

    tables = {}
    old = np.load(args.reuse_nodes) if args.reuse_nodes else None
    for particle, energies in (("p", PROTON_MEV), ("e", ELECTRON_MEV)):
        for solar in ("min", "max"):
            lval, logb = fields[solar]
            name = ("proton" if particle == "p" else "electron") + f"_{solar}_node_log10"
            if old is not None:
                grid = old[name]
            else:
                chunks = [nodes[k::args.processes * 4] for k in range(args.processes * 4)]
                with Pool(args.processes) as pool:
                    parts = pool.map(_fluxes, [(c, energies, particle, solar) for c in chunks])
                flux = np.zeros((len(nodes), len(energies)))
                for k, part in enumerate(parts):
                    flux[k::args.processes * 4] = part
                grid = np.full((len(L_NODES), len(LOGB_NODES), len(energies)), -30.0)
                grid[idx[:, 0], idx[:, 1]] = np.log10(np.clip(flux, 1e-30, None))
            at_points = _bilinear_log(grid, lval, logb)  # (alt, lat, lon, E)
            tables[f"{particle}_{solar}_cm2_s"] = at_points.mean(axis=2)
            tables[f"{particle}_{solar}_node_log10"] = grid
            print(f"{particle} {solar}: {time.time() - t0:.0f} s", flush=True)

    lval = _field_now(args.processes)
    cutoff = STORMER_GV / np.maximum(lval, 1.0) ** 2
    gcr = ((cutoff + GCR_R0_GV) / GCR_R0_GV) ** (-GCR_INTEGRAL_INDEX)
    np.savez_compressed(
        args.out,
        altitude_m=ALTITUDES_KM * 1e3, latitude_edges_rad=np.radians(LAT_EDGES_DEG),
        proton_energy_mev=PROTON_MEV, electron_energy_mev=ELECTRON_MEV,
        proton_min_per_cm2_s=tables["p_min_cm2_s"], proton_max_per_cm2_s=tables["p_max_cm2_s"],
        electron_min_per_cm2_s=tables["e_min_cm2_s"], electron_max_per_cm2_s=tables["e_max_cm2_s"],
        gcr_transmission=gcr.mean(axis=2), spe_polar_fraction=(cutoff < SPE_CUTOFF_GV).mean(axis=2),
        l_nodes=L_NODES, log10_bb0_nodes=LOGB_NODES,
        proton_min_node_log10=tables["p_min_node_log10"], proton_max_node_log10=tables["p_max_node_log10"],
        electron_min_node_log10=tables["e_min_node_log10"], electron_max_node_log10=tables["e_max_node_log10"],
        field_epoch_min_yr=args.epoch_min, field_epoch_max_yr=args.epoch_max,
        cutoff_field_epoch_yr=CUTOFF_EPOCH, stormer_coefficient_gv=STORMER_GV, gcr_r0_gv=GCR_R0_GV,
        gcr_integral_index=GCR_INTEGRAL_INDEX, spe_cutoff_gv=SPE_CUTOFF_GV,
        versions=np.array([f"radbelt {radbelt.__version__ if hasattr(radbelt, '__version__') else _version('radbelt')}",
                           f"numpy {np.__version__}", f"python {platform.python_version()}"]),
    )
    print(f"wrote {args.out} in {time.time() - t0:.0f} s")
    return 0


def _field_now(processes):
    """L on the grid with a present-day field, for the cosmic-ray cutoffs (they follow today's field)."""
    with Pool(processes) as pool:
        field = pool.map(_field, [(h, CUTOFF_EPOCH) for h in ALTITUDES_KM])
    lval = np.stack([f[0] for f in field])
    return np.where(np.isfinite(lval), np.minimum(lval, 1e3), 1e3)


def _version(name: str) -> str:
    from importlib.metadata import version
    return version(name)


if __name__ == "__main__":
    sys.exit(main())
