"""Compiled inner loops of sampling: uniform variates to marginal samples, and order statistics.

Both are numba-compiled versions of NumPy code kept beside them as the reference, and give the
same numbers (tests compare them bit for bit):

* :func:`transform_rows` turns a ``(k, n)`` block of uniform variates into samples, row by row,
  with the formulas of NumPy's own samplers (``Generator.uniform`` ``low + (high - low) u``,
  ``Generator.triangular`` ``numpy/random/src/distributions/distributions.c``) or of
  :meth:`orbitaldc.sampling.marginals.Marginal.ppf` (affine for uniform and loguniform before the
  exponential, the triangular's inverse CDF, truncation, the clip to the allowed range). Since each
  of those samplers reads exactly one double per sample, one ``Generator.random((k, n))`` call
  holds the very variates the per-marginal calls would read, in the same order.
* :func:`bracket_select` does in one pass what :func:`orbitaldc.sampling.analyze.exact_percentiles`
  did in three NumPy passes per percentile: count the values below each bracket and gather those
  inside it.

References
----------
.. [1] NumPy, ``numpy/random/src/distributions/distributions.c`` (``random_uniform``,
   ``random_triangular``) and ``numpy/random/_generator.pyx`` (``Generator.uniform``).
.. [2] S. K. Lam, A. Pitrou, S. Seibert, "Numba: a LLVM-based Python JIT compiler", LLVM-HPC
   (2015).
"""

from __future__ import annotations

import functools
import math

__all__ = ["AFFINE", "DIRECT_TRIANGULAR", "DIRECT_UNIFORM", "PLAN_WIDTH", "TRIANGULAR", "UNTOUCHED",
           "bracket_select", "transform_rows"]

_JIT = dict(cache=True, nogil=True, error_model="numpy")


def _compiled_on_first_call(fn):
    """``fn`` compiled with ``numba.njit`` when first called (cached on disk), so that importing
    the sampling package costs neither numba's import (~0.2 s, ~100 MB resident) nor a compile."""
    compiled = []

    @functools.wraps(fn)
    def call(*args):
        if not compiled:
            import numba

            compiled.append(numba.njit(**_JIT)(fn))
        return compiled[0](*args)

    call.py_func = fn
    return call

#: How :func:`transform_rows` maps a row (the code in column 0 of its plan).
UNTOUCHED, DIRECT_UNIFORM, DIRECT_TRIANGULAR, AFFINE, TRIANGULAR = range(5)
#: Columns of a row's plan: the code, eight parameters, then the clip range ``min, max``.
PLAN_WIDTH = 11


@_compiled_on_first_call
def transform_rows(u, plan):  # pragma: no cover - compiled; tests compare it with the NumPy samplers
    """Map each row of uniform variates ``u`` (``k x n``, in place) by its plan row.

    Parameters
    ----------
    u : ndarray
        ``(k, n)`` uniform variates in [0, 1); overwritten with the samples.
    plan : ndarray
        ``(k, PLAN_WIDTH)``, row ``[code, p0, ..., p7, min, max]``:

        * ``DIRECT_UNIFORM`` (``Generator.uniform(low, high)``): ``p0 + p1 u``, ``p0 = low``,
          ``p1 = high - low``;
        * ``DIRECT_TRIANGULAR`` (``Generator.triangular(left, mode, right)``): ``p0`` left,
          ``p1`` right, ``p2 = (mode - left) / (right - left)``, ``p3 = (mode - left)(right - left)``,
          ``p4 = (right - mode)(right - left)``; ``left + sqrt(u p3)`` if ``u <= p2``, else
          ``right - sqrt((1 - u) p4)``;
        * ``AFFINE`` (:meth:`Marginal.ppf` of a uniform, or a loguniform's exponent): ``u p1 + p0``,
          clipped to ``[min, max]``;
        * ``TRIANGULAR`` (:meth:`Marginal.ppf`): ``u' = p0 + u p1`` when ``p2`` is 1 (truncation);
          ``p4 + sqrt(u' p6)`` if ``u' < p3``, else ``p5 - sqrt((1 - u') p7)``; clipped;
        * ``UNTOUCHED``: left as is (the caller maps it).

    Returns
    -------
    ndarray
        ``u``.
    """
    k, n = u.shape
    for i in range(k):
        code = int(plan[i, 0])
        p0, p1, p2, p3, p4 = plan[i, 1], plan[i, 2], plan[i, 3], plan[i, 4], plan[i, 5]
        p5, p6, p7, lo, hi = plan[i, 6], plan[i, 7], plan[i, 8], plan[i, 9], plan[i, 10]
        row = u[i]
        if code == DIRECT_UNIFORM:
            for j in range(n):
                row[j] = p0 + p1 * row[j]
        elif code == DIRECT_TRIANGULAR:
            for j in range(n):
                x = row[j]
                left = x <= p2
                s = math.sqrt(x * p3 if left else (1.0 - x) * p4)  # one root: its argument is chosen first
                row[j] = p0 + s if left else p1 - s
        elif code == AFFINE:
            for j in range(n):
                row[j] = min(max(row[j] * p1 + p0, lo), hi)
        elif code == TRIANGULAR:
            truncated = p2 == 1.0
            for j in range(n):
                x = row[j]
                if truncated:
                    x = p0 + x * p1
                left = x < p3
                s = math.sqrt(x * p6 if left else (1.0 - x) * p7)
                row[j] = min(max(p4 + s if left else p5 - s, lo), hi)
    return u


@_compiled_on_first_call
def bracket_select(x, low, high, kept):  # pragma: no cover - compiled; tests compare it with NumPy
    """For three brackets ``[low_q, high_q]`` at once: the values below each, and those inside it.

    Parameters
    ----------
    x : ndarray
        Values (1-D).
    low, high : ndarray
        The three brackets' ends (``-inf``/``inf`` when open; ``low > high`` for an unused one).
    kept : ndarray
        ``(3, capacity)``: row ``q`` receives the first ``min(inside_q, capacity)`` values inside
        bracket ``q``, in input order.

    Returns
    -------
    below : tuple of int
        ``count(x < low_q)``.
    inside : tuple of int
        ``count(low_q <= x <= high_q)``.
    nan : bool
        Whether ``x`` holds a NaN (then the counts are not meaningful).

    Notes
    -----
    The counts are branch-free; the one branch, taken only by a value inside some bracket (a few
    per cent of them), is predictable, so a pass costs about as much as one bracket's.
    """
    cap = kept.shape[1]
    a0, a1, a2 = low[0], low[1], low[2]
    b0, b1, b2 = high[0], high[1], high[2]
    w0 = w1 = w2 = 0
    i0 = i1 = i2 = 0
    nan = False
    for j in range(x.size):
        v = x[j]
        nan |= v != v
        w0 += v < a0
        w1 += v < a1
        w2 += v < a2
        h0 = (v >= a0) & (v <= b0)
        h1 = (v >= a1) & (v <= b1)
        h2 = (v >= a2) & (v <= b2)
        if h0 | h1 | h2:
            if h0:
                if i0 < cap:
                    kept[0, i0] = v
                i0 += 1
            if h1:
                if i1 < cap:
                    kept[1, i1] = v
                i1 += 1
            if h2:
                if i2 < cap:
                    kept[2, i2] = v
                i2 += 1
    return (w0, w1, w2), (i0, i1, i2), nan


@_compiled_on_first_call
def histogram_add(x, t, t0, scale, edges, counts):  # pragma: no cover - compiled; tests compare it with NumPy
    """Count each finite ``x`` in bin ``searchsorted(edges, x, side="right")`` (0: below, ``bins + 1``: above).

    Parameters
    ----------
    x : ndarray
        Values (1-D).
    t : ndarray
        ``x`` on the axis the edges are evenly spaced on (``log x`` for logarithmic edges, else ``x``).
    t0, scale : float
        That axis at the first edge, and bins per unit of it: the estimate ``(t - t0) scale + 1``
        lands within one bin of the answer, which the edges themselves then settle exactly.
    edges : ndarray
        Ascending bin edges (``bins + 1``).
    counts : ndarray of int64
        ``bins + 2`` counts, incremented in place.

    Returns
    -------
    int
        How many values were not finite (not counted in ``counts``).
    """
    bins = edges.size - 1
    lo, hi = edges[0], edges[bins]
    bad = 0
    for i in range(x.size):
        v = x[i]
        if not v - v == 0.0:  # NaN or infinite
            bad += 1
            continue
        if v < lo:
            j = 0
        elif v >= hi:
            j = bins + 1
        else:
            j = min(max(int((t[i] - t0) * scale) + 1, 1), bins)
            while edges[j - 1] > v:
                j -= 1
            while edges[j] <= v:
                j += 1
        counts[j] += 1
    return bad
