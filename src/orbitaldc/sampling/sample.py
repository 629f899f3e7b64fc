"""Drawing samples: seeded uniform variates, a Gaussian copula, inverse CDFs, and chunked streams.

Randomness always comes from a seeded :class:`numpy.random.Generator` (PCG64). A run in chunks
draws chunk ``i`` from child ``i`` of ``SeedSequence(seed)``, so results are reproducible for a
given seed and chunk size and chunks are independent streams.
"""

from __future__ import annotations

import math
from typing import Any, Iterator, Mapping

import numpy as np
from scipy import special

from orbitaldc.errors import OrbitaldcError
from orbitaldc.sampling.marginals import Marginal, from_uniform

__all__ = ["MAX_SAMPLES", "check_samples", "chunk_rngs", "one_at_a_time", "resolve_seed", "sample_uniform",
           "sample_values"]

#: Largest Monte Carlo accepted (a 10^9 run takes about an hour per core).
MAX_SAMPLES = 10_000_000_000


def check_samples(n: Any, what: str = "samples", maximum: int = MAX_SAMPLES, minimum: int = 1) -> int:
    """Validate a count (a whole number in ``[minimum, maximum]``).

    Parameters
    ----------
    n : Any
        The count as given.
    what : str
        Argument name, for the message.
    maximum, minimum : int
        Allowed range.

    Returns
    -------
    int

    Raises
    ------
    OrbitaldcError
        Not a whole number in range (booleans, strings and non-finite numbers included).
    """
    if isinstance(n, bool) or not isinstance(n, (int, float, np.integer, np.floating)) \
            or not math.isfinite(float(n)) or float(n) != round(float(n)) \
            or not minimum <= float(n) <= maximum:
        raise OrbitaldcError(f"{what} = {n!r}: expected a whole number in [{minimum}, {maximum:g}]")
    return int(n)


def resolve_seed(seed: int | None) -> int:
    """The seed to use: ``seed`` itself, or fresh OS entropy (reported so a run can be repeated).

    Parameters
    ----------
    seed : int or None
        A whole number in ``[0, 2^63 - 1]``, or None.

    Returns
    -------
    int
    """
    if seed is None:
        return int(np.random.SeedSequence().entropy % (2**63))
    return check_samples(seed, "seed", maximum=2**63 - 1, minimum=0)


def chunk_rngs(seed: int, n: int, chunk_size: int) -> Iterator[tuple[int, np.random.Generator]]:
    """``(rows, generator)`` for each chunk of an ``n``-sample run (child streams of ``seed``).

    Parameters
    ----------
    seed : int
        Root seed.
    n : int
        Total samples.
    chunk_size : int
        Rows per chunk (the last may be shorter).

    Yields
    ------
    rows : int
    rng : numpy.random.Generator
    """
    n_chunks = -(-n // chunk_size)
    for i, child in enumerate(np.random.SeedSequence(seed).spawn(n_chunks)):
        yield min(chunk_size, n - i * chunk_size), np.random.default_rng(child)


def sample_uniform(n: int, k: int, rng: np.random.Generator, corr: np.ndarray | None = None) -> np.ndarray:
    """``k x n`` uniform variates (one contiguous row per input), independent or via a Gaussian copula.

    Parameters
    ----------
    n, k : int
        Samples and inputs.
    rng : numpy.random.Generator
        Random stream.
    corr : ndarray, optional
        Copula (Pearson) correlation matrix ``(k, k)``, positive semi-definite.

    Returns
    -------
    ndarray
        Shape ``(k, n)``.

    Notes
    -----
    ``u = Phi(L z)`` with ``z`` standard normal and ``L L^T = corr``
    (:func:`~orbitaldc.sampling.problem.copula_factor`).
    """
    if corr is None:
        return rng.random((k, n))
    from orbitaldc.sampling.problem import copula_factor

    z = copula_factor(corr) @ rng.standard_normal((k, n))
    return special.ndtr(z)


def sample_values(marginals: Mapping[str, Marginal], n: int, rng: np.random.Generator,
                  corr: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Draw ``n`` joint samples of the marginals.

    Parameters
    ----------
    marginals : mapping
        Parameter -> :class:`~orbitaldc.sampling.marginals.Marginal`.
    n : int
        Number of samples.
    rng : numpy.random.Generator
        Random stream.
    corr : ndarray, optional
        Copula correlation matrix in the order of ``marginals``.

    Returns
    -------
    dict
        Parameter -> array of shape ``(n,)``.

    Notes
    -----
    Independent inputs: one ``rng.random((k, n))`` block, mapped row by row with each marginal's
    direct sampler's formula (:meth:`Marginal.draw`: the same numbers as drawing the marginals one
    after another); correlated ones: the Gaussian copula and the inverse CDFs
    (:func:`~orbitaldc.sampling.marginals.from_uniform`, one compiled pass).
    """
    ms = list(marginals.values())
    u = rng.random((len(ms), n)) if corr is None else np.ascontiguousarray(sample_uniform(n, len(ms), rng, corr))
    u = from_uniform(ms, u, direct=corr is None)
    return {name: u[i] for i, name in enumerate(marginals)}


def one_at_a_time(base: Mapping[str, Any], ranges: Mapping[str, tuple[float, float]]) -> dict[str, Any]:
    """The ``2k`` rows of a one-at-a-time study: each parameter at its low then its high, others at base.

    Parameters
    ----------
    base : mapping
        Scenario values (scalars).
    ranges : mapping
        Parameter -> (low, high).

    Returns
    -------
    dict
        ``base`` with each varied parameter replaced by an array of ``2k`` rows: row ``2i`` is
        parameter ``i`` at its low, row ``2i + 1`` at its high.
    """
    values = dict(base)
    k = len(ranges)
    for i, (name, (lo, hi)) in enumerate(ranges.items()):
        col = np.full(2 * k, float(base[name]))
        col[2 * i], col[2 * i + 1] = lo, hi
        values[name] = col
    return values
