"""The compiled sampling paths give the very numbers of the NumPy code they replace.

* Independent draws: one ``rng.random((k, n))`` block mapped by
  :func:`orbitaldc.sampling.kernels.transform_rows` against NumPy's own samplers called one
  marginal after another (``Generator.uniform``, ``Generator.triangular``, and
  ``Marginal.ppf(rng.random(n))`` where truncation or rounding applies) - bit for bit, since both
  read the same doubles of the same stream and apply the same IEEE operations (``sqrt`` is
  correctly rounded; the loguniform's ``exp`` stays NumPy's).
* Inverse CDFs: :func:`orbitaldc.sampling.marginals.from_uniform` against :meth:`Marginal.ppf`.
* Percentiles: :func:`orbitaldc.sampling.exact_percentiles` (compiled bracket pass) against
  :func:`numpy.percentile`, including the fallbacks (ties wider than a bracket, a misleading
  pilot, NaN).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from orbitaldc import sampling
from orbitaldc.sampling.marginals import Marginal, from_uniform

INF = math.inf
#: one marginal of each mapping: direct samplers, truncated inverse CDFs, loguniform, whole
#: numbers, normal/lognormal (through Marginal.ppf), a degenerate range
MARGINALS = [
    Marginal("u", "uniform", 2.0, 6.0, 4.0, -INF, INF),
    Marginal("t", "triangular", 2.0, 6.0, 3.0, -INF, INF),
    Marginal("t_trunc", "triangular", 0.1, 1.3, 0.95, 0.0, 1.0),
    Marginal("t_left", "triangular", 2.0, 6.0, 2.0, -INF, INF),
    Marginal("u_trunc", "uniform", 0.5, 1.2, 0.85, 0.0, 1.0),
    Marginal("lu", "loguniform", 100.0, 3600.0, 600.0, 0.0, INF),
    Marginal("lu_trunc", "loguniform", 100.0, 3600.0, 600.0, 150.0, 1000.0),
    Marginal("t_int", "triangular", 1.0, 9.0, 2.0, 2.5, INF, integer=True),
    Marginal("u_int", "uniform", 1.0, 9.0, 5.0, -INF, INF, integer=True),
    Marginal("n", "normal", 8.0, 12.0, 10.0, 9.0, INF),
    Marginal("ln", "lognormal", 2.0, 8.0, 4.0, 0.0, INF),
    Marginal("point", "uniform", 3.0, 3.0, 3.0, -INF, INF),
]


def numpy_draw(m: Marginal, n: int, rng: np.random.Generator) -> np.ndarray:
    """The reference: NumPy's direct samplers where no truncation or rounding applies, else the
    NumPy inverse CDF of ``rng.random(n)``."""
    c_lo, c_hi = m._cdf_bounds
    if c_lo == 0.0 and c_hi == 1.0 and not m.integer and m.low < m.high:
        if m.distribution == "uniform":
            return rng.uniform(m.low, m.high, n)
        if m.distribution == "triangular":
            return rng.triangular(m.low, m.mode, m.high, n)
    return m.ppf(rng.random(n))


@pytest.mark.parametrize("m", MARGINALS, ids=[m.name for m in MARGINALS])
def test_draw_is_numpys_sampler_bit_for_bit(m):
    a, b = np.random.default_rng(7), np.random.default_rng(7)
    got, want = m.draw(50_001, a), numpy_draw(m, 50_001, b)
    assert np.array_equal(got, want)
    assert a.random() == b.random()  # the same number of doubles read


@pytest.mark.parametrize("m", MARGINALS, ids=[m.name for m in MARGINALS])
def test_inverse_cdf_is_marginal_ppf_bit_for_bit(m):
    u = np.random.default_rng(3).random(40_000)
    u[:3] = [0.0, 0.5, 1.0 - 2.0**-53]
    assert np.array_equal(from_uniform([m], u[None].copy(), direct=False)[0], m.ppf(u))


def test_joint_draw_reads_the_marginals_in_turn():
    """sample_values: one (k, n) block holds what k sequential draws of n read."""
    marginals = {m.name: m for m in MARGINALS}
    for n in (1, 2, 1000):
        a, b = np.random.default_rng(11), np.random.default_rng(11)
        got = sampling.sample_values(marginals, n, a)
        for name, m in marginals.items():
            assert np.array_equal(got[name], numpy_draw(m, n, b)), name
        assert a.random() == b.random()


def test_a_preset_problem_draws_as_before():
    problem = sampling.define_problem("reference-1gw-terminator", ["orbital_to_terrestrial_cost_ratio"])
    a, b = np.random.default_rng(5), np.random.default_rng(5)
    got = problem.sample(3000, a)
    for name, m in problem.marginals.items():
        assert np.array_equal(got[name], numpy_draw(m, 3000, b)), name


def test_correlated_draw_maps_each_row_through_its_ppf():
    marginals = {m.name: m for m in MARGINALS[:4]}
    corr = np.array([[1.0, 0.5, 0.0, 0.2], [0.5, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.2, 0.0, 0.0, 1.0]])
    got = sampling.sample_values(marginals, 2000, np.random.default_rng(2), corr)
    u = sampling.sample_uniform(2000, 4, np.random.default_rng(2), corr)
    for i, (name, m) in enumerate(marginals.items()):
        assert np.array_equal(got[name], m.ppf(u[i])), name


def _cases():
    rng = np.random.default_rng(0)
    n = 200_000
    pilot_trap = rng.random(n)
    pilot_trap[::16] = 1000.0 + np.arange(n // 16)  # every pilot value is an outlier: brackets miss
    ties = np.r_[np.full(n // 2, 1.0), rng.random(n // 2)]  # P50 and P5 inside one wide run of ties
    return {
        "uniform": rng.random(n), "lognormal": rng.lognormal(size=n), "constant": np.full(n, 3.0),
        "sorted": np.sort(rng.random(n)), "reversed": np.sort(rng.random(n))[::-1].copy(),
        "few values": np.round(rng.random(n) * 5), "ties": ties, "pilot trap": pilot_trap,
        "nan": np.r_[rng.random(n), np.nan], "small": rng.random(100), "one": np.array([2.5]),
        "negative": rng.normal(size=n),
    }


@pytest.mark.parametrize("name", list(_cases()))
def test_exact_percentiles_are_numpys(name):
    x = _cases()[name]
    qs = (0.0, 5.0, 50.0, 95.0, 100.0, 37.3, 99.9)  # two passes of three brackets and one of one
    got, want = sampling.exact_percentiles(x, qs), np.percentile(x, qs)
    assert np.array_equal(np.array(got), want, equal_nan=True)


def test_accumulator_with_capacity_keeps_order_and_overflows_to_parts():
    rng = np.random.default_rng(1)
    chunks = [rng.random(n) for n in (5, 7, 3)]
    full = sampling.PercentileAccumulator(True, 15)
    short = sampling.PercentileAccumulator(True, 9)  # told too few: keeps what it copied, then parts
    for c in chunks:
        full.add(c)
        short.add(c)
    for acc in (full, short):
        assert np.array_equal(acc.values(), np.concatenate(chunks))
        assert acc.mean == pytest.approx(np.concatenate(chunks).mean(), rel=1e-15)
        assert acc.percentiles() == list(np.percentile(np.concatenate(chunks), sampling.PERCENTILES))


def test_chunks_reuse_freed_memory_instead_of_faulting_it_in_again():
    """Once warm, a chunked Monte Carlo's temporaries come from freed memory, not from fresh
    zero-filled pages: minor page faults of the third 100,000-sample run of McCalip's model, counted
    by the kernel (getrusage) in a fresh process, no MALLOC_ variables set. Without
    ``reuse_freed_memory`` every run faulted about 10,700 pages (each chunk its temporaries again);
    with it the third run faults 13-16. The bound leaves room for the interpreter's own growth."""
    import os
    import platform
    import subprocess
    import sys

    code = ("import resource\n"
            "from orbitaldc.uncertainty import monte_carlo\n"
            "for seed in (0, 1):\n"
            "    monte_carlo('mccalip-2025-12', 100_000, seed=seed)\n"
            "before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt\n"
            "monte_carlo('mccalip-2025-12', 100_000, seed=2)\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    faults = int(done.stdout.split()[-1])
    if platform.libc_ver()[0] == "glibc":
        assert faults < 1_000, faults


@pytest.mark.parametrize("kind", ["lognormal", "normal", "wide"])
def test_streaming_histogram_bins_are_searchsorteds(kind):
    """The compiled bin search counts each value where ``numpy.searchsorted(edges, x, "right")``
    puts it, values exactly on edges, outside the range, zero and negative (log bins) and
    non-finite ones included."""
    rng = np.random.default_rng(1)
    draw = {"lognormal": lambda: rng.lognormal(size=20_000), "normal": lambda: rng.normal(size=20_000),
            "wide": lambda: rng.random(20_000) * 1e9}[kind]
    acc = sampling.StreamingPercentiles()
    acc.add(draw())
    counts, nan = acc.counts.copy(), acc.nan
    for _ in range(4):
        x = draw()
        x[:64] = acc.edges[rng.integers(0, acc.bins + 1, 64)]
        x[64:71] = [np.nan, np.inf, -np.inf, acc.edges[0] / 2 if acc.log else acc.edges[0] - 1.0,
                    acc.edges[-1] * 2, -1.0, 0.0]
        acc.add(x)
        finite = x[np.isfinite(x)]
        counts += np.bincount(np.searchsorted(acc.edges, finite, side="right"), minlength=acc.bins + 2)
        nan += x.size - finite.size
    assert np.array_equal(acc.counts, counts) and acc.nan == nan


@pytest.mark.parametrize("n", [40, 100_000])
def test_percentiles_through_infinities_are_infinite_not_nan(n):
    """A metric that is infinite for some samples (a cost per GPU-hour of a design that delivers
    none) has infinite upper percentiles. Definition 7 (Hyndman & Fan 1996) interpolates
    neighbouring order statistics: between two equal infinities, or towards +inf with a
    non-zero weight, that is +inf, where NumPy's lerp gives NaN (inf - inf). Below the
    infinities the percentiles are NumPy's, bit for bit (both paths: sorting and selection)."""
    rng = np.random.default_rng(3)
    x = rng.lognormal(0.0, 1.0, n)
    x[rng.permutation(n)[: n // 10]] = np.inf  # 10 % infinite: P95 and P90.5 sit among them
    qs = [5.0, 50.0, 89.0, 90.5, 95.0, 100.0]
    got = sampling.exact_percentiles(x, qs)
    finite = np.sort(x)[: n - n // 10]
    h = np.array(qs) / 100 * (n - 1)
    for q, v, hh in zip(qs, got, h):
        k = int(np.floor(hh))
        if k + 1 <= finite.size - 1 or (hh == k and k <= finite.size - 1):  # only finite ones enter
            assert v == np.percentile(x, q), q
        else:
            assert v == np.inf, (q, v)
    with np.errstate(invalid="ignore"):  # the case NumPy gets wrong (and warns about)
        assert got[-2] == np.inf and np.isnan(np.percentile(x, 95.0))
    assert sampling.exact_percentiles(np.array([1.0, 2.0, np.inf]), [0.0, 25.0, 50.0]) == [1.0, 1.5, 2.0]
