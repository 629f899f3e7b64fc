"""The compiled chunk step (numba) against the NumPy reference: same results to 1e-9.

Both paths consume the same random draws, so any difference beyond rounding is a bug in one of
them. Cases cover both relays, the three array pointings, Kepler + J2 and SGP4 orbits, a TLE
sample, eclipses, every fault process switched on and several chunks.
"""

from __future__ import annotations

import numpy as np
import pytest

from orbitaldc.compare import evaluate
from orbitaldc.params import as_point
from orbitaldc.simulate import engine
from orbitaldc.simulate.io import SERIES_COLUMNS

#: Every fault process on, strongly: trapped-proton upsets 100x the default cross-section (met in
#: the SAA), a ground floor of 0.5 interruptions per GPU-day, GPUs lost without replacement.
FAULTS = {"proton_upset_cross_section_m2_per_bit": 1e-21, "ground_interruptions_per_gpu_day": 0.5,
          "gpu_failure_per_yr": 0.5, "replacement": "capacity_loss", "sim_bus_failure_per_yr": 10.0,
          "sim_satellite_weibull_scale_yr": 1.0}
CASES = {
    "walker_isl": {"orbit_type": "leo", "altitude_m": 550e3, "sim_planes": 4, "sim_satellites": 12, **FAULTS},
    "walker_direct_single_axis": {"orbit_type": "leo", "altitude_m": 700e3, "sim_planes": 3, "sim_satellites": 9,
                                  "sim_relay": "direct", "sim_array_pointing": "single_axis",
                                  "ground_network": "polar", "sim_die_limit_k": 345.0, **FAULTS},
    "solstice_sgp4_orbit_normal": {"orbit_type": "terminator", "ltan_h": 18.0, "altitude_m": 650e3,
                                   "sim_satellites": 5, "sim_start_day": 171.0, "sim_propagator": "sgp4",
                                   "sim_array_pointing": "orbit_normal", "sim_relay": "direct", **FAULTS},
    # a high shell in long steps: wide penumbrae and visibility circles for the pre-selections
    "high_shell_long_steps": {"orbit_type": "leo", "altitude_m": 1900e3, "sim_planes": 3, "sim_satellites": 9,
                              "sim_step_s": 300.0, "sim_days": 3.0, "ground_network": "polar", **FAULTS},
}


def _runs(over, tle_path=None, chunk=2000):
    sc = as_point("mccalip-2025-12", {"mass_model": "bottom_up", "sun_fraction_model": "orbit", "sim_days": 0.4,
                                      **over})
    design = evaluate(sc).orbital.design
    out = {}
    for kernel in engine.KERNELS:
        chunks = []
        setup = engine.build_setup(sc.values, design, tle_path)
        result = engine.run(setup, seed=5, chunk_sat_steps=chunk, on_chunk=lambda s: chunks.append(dict(s)),
                            kernel=kernel)
        out[kernel] = (result, chunks)
    return out


def _compare(out):
    (a, ca), (b, cb) = out["compiled"], out["numpy"]
    assert len(ca) == len(cb) > 2  # several chunks: the state is carried across
    for sa, sb in zip(ca, cb):
        for name in SERIES_COLUMNS[1:]:
            x, y = np.asarray(sa[name], dtype=float), np.asarray(sb[name], dtype=float)
            # rounding only: the sums run in a different order (tolerance 1e-9 relative)
            np.testing.assert_allclose(x, y, rtol=1e-9, atol=1e-9 * max(1.0, np.nanmax(np.abs(y))), err_msg=name)
    ta, tb = vars(a.totals), vars(b.totals)
    for key in ta:
        if isinstance(ta[key], dict):
            assert ta[key].keys() == tb[key].keys()
            assert np.allclose(list(ta[key].values()), list(tb[key].values()), rtol=1e-9)
        else:
            assert ta[key] == pytest.approx(tb[key], rel=1e-9, abs=1e-9), key
    return a.totals


@pytest.mark.parametrize("case", sorted(CASES))
def test_compiled_step_equals_numpy_reference(case):
    totals = _compare(_runs(CASES[case]))
    assert totals.interruptions > 0 and totals.compute_energy_j > 0  # the faults and the compute really ran


def test_compiled_step_equals_numpy_reference_for_a_tle_sample(iss_tle_file):
    totals = _compare(_runs({"mission_start_year": 2026, "sim_relay": "direct", **FAULTS}, iss_tle_file, chunk=300))
    assert 0 < totals.illumination < totals.sat_steps_alive  # the ISS orbit has eclipses


def test_unknown_kernel_is_refused():
    from orbitaldc.errors import ScenarioError
    from orbitaldc.simulate import simulate

    with pytest.raises(ScenarioError, match="kernel = 'fortran'"):
        simulate("mccalip-2025-12", {"mass_model": "bottom_up", "sim_days": 0.01, "sim_satellites": 1}, kernel="fortran")
