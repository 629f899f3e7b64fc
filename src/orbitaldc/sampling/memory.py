"""Memory of a chunk: how many samples of a problem one vectorized evaluation can take in a budget.

A chunk's memory is the model's temporaries for its rows; it depends on the scenario's model
choices (about 1 kB per sample for the specific-power mass model, about 15 kB for the bottom-up
sizing), so it is measured rather than assumed: a short run of :data:`PROBE_SAMPLES` samples is
traced with :mod:`tracemalloc` (peak over the run, fixed overheads included, so the estimate errs
high) and the budget divided by the memory per sample.
"""

from __future__ import annotations

import tracemalloc
from typing import Sequence

import numpy as np

from orbitaldc.compare import get_metric
from orbitaldc.sampling.evaluate import evaluate_chunks
from orbitaldc.sampling.problem import SamplingProblem

__all__ = ["CHUNK_MEMORY_BYTES", "PROBE_SAMPLES", "chunk_limit", "memory_per_sample"]

#: Memory one chunk may take [bytes] unless told (a caller refuses a larger chunk).
CHUNK_MEMORY_BYTES = 2**30
#: Samples of the run that measures the memory per sample.
PROBE_SAMPLES = 4096


def memory_per_sample(problem: SamplingProblem, metrics: Sequence[str] = (), samples: int = PROBE_SAMPLES,
                      seed: int = 0) -> float:
    """Peak traced memory per sample of one chunk of ``problem`` [bytes].

    Parameters
    ----------
    problem : SamplingProblem
        What is sampled, around which scenario (:func:`orbitaldc.sampling.define_problem`).
    metrics : sequence of str
        Metrics taken from each chunk (dotted names), as the analysis would.
    samples : int
        Rows of the measured chunk.
    seed : int
        Seed of the measured draws.

    Returns
    -------
    float
        ``(peak - start) / samples`` of :mod:`tracemalloc`'s traced memory over drawing,
        evaluating and reading the metrics of one chunk; at least 1.

    Notes
    -----
    Only allocations Python's allocator sees are traced (NumPy registers its buffers with
    :mod:`tracemalloc`); the figure includes fixed overheads of the run, so dividing by
    ``samples`` over-estimates the per-sample memory of a larger chunk.
    """
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        for _, c in evaluate_chunks(problem, samples, seed, samples):
            for m in metrics:
                np.asarray(get_metric(c, m), dtype=float)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return max(1.0, (peak - base) / samples)


def chunk_limit(problem: SamplingProblem, metrics: Sequence[str] = (), memory_bytes: float = CHUNK_MEMORY_BYTES,
                samples: int = PROBE_SAMPLES) -> tuple[int, float]:
    """Largest chunk of ``problem`` whose evaluation fits ``memory_bytes``.

    Parameters
    ----------
    problem : SamplingProblem
        What is sampled.
    metrics : sequence of str
        Metrics taken from each chunk.
    memory_bytes : float
        Memory budget of one chunk [bytes].
    samples : int
        Rows of the measuring run (:func:`memory_per_sample`).

    Returns
    -------
    (int, float)
        The largest chunk [samples] and the measured memory per sample [bytes].
    """
    per_sample = memory_per_sample(problem, metrics, samples)
    return int(memory_bytes // per_sample), per_sample
