"""Evaluating samples: one vectorized :func:`orbitaldc.compare.evaluate_values` call per chunk.

Memory stays bounded for any sample count: a chunk's draws and results are dropped once its
summaries are taken.
"""

from __future__ import annotations

from typing import Iterator, Mapping, Sequence

import numpy as np

from orbitaldc.compare import Comparison, evaluate_values
from orbitaldc.sampling.problem import SamplingProblem
from orbitaldc.sampling.sample import chunk_rngs

__all__ = ["evaluate_chunks", "evaluate_columns"]


def evaluate_chunks(problem: SamplingProblem, n: int, seed: int,
                    chunk_size: int) -> Iterator[tuple[dict[str, np.ndarray], Comparison]]:
    """Draw and evaluate ``n`` samples of ``problem`` in chunks.

    Parameters
    ----------
    problem : SamplingProblem
        What to sample, around which scenario.
    n : int
        Total samples.
    seed : int
        Root seed (chunk ``i`` draws from child stream ``i``, :func:`~orbitaldc.sampling.sample.chunk_rngs`).
    chunk_size : int
        Rows per vectorized model call.

    Yields
    ------
    drawn : dict
        Sampled parameter -> values of this chunk.
    comparison : Comparison
        The model at those values (every other parameter at the scenario's value).
    """
    base = dict(problem.scenario.values)
    for rows, rng in chunk_rngs(seed, n, chunk_size):
        drawn = problem.sample(rows, rng)
        values = dict(base)
        values.update(drawn)
        yield drawn, evaluate_values(values)


def evaluate_columns(base: Mapping[str, object], names: Sequence[str], x: np.ndarray) -> Comparison:
    """The model with column ``i`` of ``x (rows, k)`` as parameter ``names[i]``, in one call.

    Parameters
    ----------
    base : mapping
        Scenario values.
    names : sequence of str
        The ``k`` varied parameters.
    x : ndarray
        Shape ``(rows, k)``.

    Returns
    -------
    Comparison
    """
    values = dict(base)
    for i, name in enumerate(names):
        values[name] = x[:, i]
    return evaluate_values(values)
