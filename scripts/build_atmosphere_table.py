"""Build the NRLMSIS 2.1 density table that orbitaldc.physics.atmosphere interpolates.

Run from the repository root (pymsis comes with ``pip install -e '.[test]'``)::

    python scripts/build_atmosphere_table.py

Total mass density from NRLMSIS 2.1 (Emmert et al. 2021, Earth and Space Science 8,
e2020EA001321) through ``pymsis``, on a grid of altitude x F10.7 (daily = 81-day mean) x Ap (all
seven Ap inputs equal) x latitude band (5 deg), averaged over longitude (all local times, 15 deg
steps) and over the year (the 15th of every month, so the seasonal and semiannual variations
average out). A circular orbit's average is the inclination-weighted sum over the latitude bands
(``orbitaldc.physics.radiation.latitude_weights``). The output
``src/orbitaldc/physics/data/atmosphere_nrlmsis21.npz`` records the pymsis, numpy and Python
versions and every grid.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "src" / "orbitaldc" / "physics" / "data" / "atmosphere_nrlmsis21.npz"
ALTITUDES_KM = np.unique(np.concatenate([np.arange(150, 500, 10), np.arange(500, 1000, 25),
                                         np.arange(1000, 2001, 50)])).astype(float)
F107_SFU = np.array([60, 65, 70, 75, 80, 90, 100, 110, 120, 140, 160, 180, 200, 230, 260, 300], dtype=float)
AP = np.array([2, 4, 7, 12, 20, 35, 60, 100], dtype=float)
LAT_EDGES_DEG = np.linspace(-90.0, 90.0, 37)
LONS_DEG = np.arange(0.0, 360.0, 15.0)
YEAR = 2019


def main(argv=None) -> int:
    from pymsis import msis
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    t0 = time.time()
    dates = np.array([np.datetime64(f"{YEAR}-{m:02d}-15T00:00") for m in range(1, 13)])
    lat_c = 0.5 * (LAT_EDGES_DEG[1:] + LAT_EDGES_DEG[:-1])
    rho = np.zeros((len(ALTITUDES_KM), len(F107_SFU), len(AP), len(lat_c)))
    for a, f107 in enumerate(F107_SFU):
        for b, ap in enumerate(AP):
            out = msis.calculate(dates, LONS_DEG, lat_c, ALTITUDES_KM, f107s=np.full(len(dates), f107),
                                 f107as=np.full(len(dates), f107), aps=np.full((len(dates), 7), ap), version=2.1)
            # (dates, lon, lat, alt, vars): mass density is variable 0 [kg/m3]
            rho[:, a, b, :] = out[..., 0].mean(axis=(0, 1)).T
        print(f"F10.7 {f107:g}: {time.time() - t0:.0f} s", flush=True)
    np.savez_compressed(
        args.out, altitude_m=ALTITUDES_KM * 1e3, f107_sfu=F107_SFU, ap=AP,
        latitude_edges_rad=np.radians(LAT_EDGES_DEG), density_kg_per_m3=rho, year=YEAR,
        versions=np.array([f"pymsis {version('pymsis')}", "NRLMSIS 2.1", f"numpy {np.__version__}",
                           f"python {platform.python_version()}"]),
    )
    print(f"wrote {args.out} in {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
