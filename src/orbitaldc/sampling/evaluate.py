"""Evaluating samples: one vectorized :func:`orbitaldc.compare.evaluate_values` call per chunk.

Memory stays bounded for any sample count: a chunk's draws and results are dropped once its
summaries are taken.
"""

from __future__ import annotations

import ctypes
import os
import platform
from functools import lru_cache
from typing import Iterator, Mapping, Sequence

import numpy as np

from orbitaldc.compare import Comparison, evaluate_values
from orbitaldc.sampling.problem import SamplingProblem
from orbitaldc.sampling.sample import chunk_rngs

__all__ = ["evaluate_chunks", "evaluate_columns", "lift_malloc_thresholds", "reuse_freed_memory",
           "set_malloc_thresholds"]


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
    reuse_freed_memory()
    for rows, rng in chunk_rngs(seed, n, chunk_size):
        drawn = problem.sample(rows, rng)
        values = dict(base)
        values.update(drawn)
        yield drawn, evaluate_values(values)


#: glibc ``mallopt`` parameters (``<malloc.h>``) and the values :func:`reuse_freed_memory` sets:
#: the largest the dynamic mode would reach itself (``DEFAULT_MMAP_THRESHOLD_MAX``, 32 MiB on
#: 64-bit, and twice that for trimming).
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_MMAP_THRESHOLD_BYTES = 32 * 2**20
_TRIM_THRESHOLD_BYTES = 64 * 2**20
_TUNED: list[bool] = []


def reuse_freed_memory() -> None:
    """Let the C allocator keep a chunk's freed temporaries for the next chunk (once per process).

    Returns
    -------
    None

    Notes
    -----
    A chunk's evaluation allocates and frees hundreds of NumPy temporaries of ``8 x rows`` bytes.
    With glibc's starting thresholds (128 KiB) they are mapped and unmapped one by one, or the
    heap's free top is returned to the kernel after each chunk, and the next chunk's temporaries
    are zero-filled again page by page (measured on McCalip's model, 10^5 samples: 11,800 page
    faults and 80 ms a run, against 10-15 faults and 48 ms). The mmap threshold is set to 32 MiB
    and the trim threshold to 64 MiB, the values glibc's dynamic mode reaches by itself once a
    block of 32 MiB has been freed. (Freeing such a block to get there was tried first: in 3 of 8
    processes the thresholds did not move, and those ran 1.7x slower.) Where the environment set
    the allocator's thresholds (``MALLOC_*_`` variables, ``GLIBC_TUNABLES``) or the C library is
    not glibc, nothing is changed.

    References
    ----------
    mallopt(3), ``M_MMAP_THRESHOLD`` and ``M_TRIM_THRESHOLD``:
    https://man7.org/linux/man-pages/man3/mallopt.3.html
    """
    if _TUNED:
        return
    _TUNED.append(True)
    if any(k.startswith("MALLOC_") for k in os.environ) or "malloc" in os.environ.get("GLIBC_TUNABLES", ""):
        return
    lift_malloc_thresholds()


def lift_malloc_thresholds() -> bool:
    """Set glibc's mmap and trim thresholds to the ceilings of its dynamic mode (32 and 64 MiB).

    Returns
    -------
    bool
        False where the C library is not glibc (nothing changed).

    Notes
    -----
    Whatever the environment pinned: :func:`reuse_freed_memory` decides whether to call it once
    per process, the sweep's workers around their chunks (``orbitaldc.sweep.executors``).

    References
    ----------
    mallopt(3): https://man7.org/linux/man-pages/man3/mallopt.3.html
    """
    return set_malloc_thresholds(_MMAP_THRESHOLD_BYTES, _TRIM_THRESHOLD_BYTES)


def set_malloc_thresholds(mmap_bytes: int, trim_bytes: int) -> bool:
    """Set glibc's ``M_MMAP_THRESHOLD`` then ``M_TRIM_THRESHOLD``.

    Parameters
    ----------
    mmap_bytes, trim_bytes : int
        Thresholds [bytes].

    Returns
    -------
    bool
        False where the C library is not glibc (nothing changed).

    References
    ----------
    mallopt(3): https://man7.org/linux/man-pages/man3/mallopt.3.html
    """
    mallopt = _glibc_mallopt()
    if mallopt is None:
        return False
    mallopt(_M_MMAP_THRESHOLD, int(mmap_bytes))
    mallopt(_M_TRIM_THRESHOLD, int(trim_bytes))
    return True


@lru_cache(maxsize=1)
def _glibc_mallopt():
    """glibc's ``mallopt`` (typed), or None on another platform or C library."""
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return None
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return mallopt


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
