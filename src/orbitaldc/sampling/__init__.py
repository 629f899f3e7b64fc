"""Sampling shared by every analysis that samples: problem -> sample -> evaluate -> analyze.

Following SALib's ProblemSpec pattern:

1. **problem** (:func:`define_problem`): which parameters are sampled, their marginals, their
   correlations, and the ones left out with the reason. Only the declared inputs of the requested
   metrics under the scenario's model choices (:func:`orbitaldc.compare.metric_reads`) are
   sampled; model choices (strings) never are.
2. **sample** (:mod:`~orbitaldc.sampling.sample`): uniform variates from a seeded
   :class:`numpy.random.Generator`, joined by a Gaussian copula when correlated, mapped through
   each marginal's inverse CDF (which makes truncation to the allowed range exact and lets Sobol
   designs on the unit hypercube use the same maps).
3. **evaluate** (:mod:`~orbitaldc.sampling.evaluate`): one vectorized
   :func:`orbitaldc.compare.evaluate_values` call per chunk; how large a chunk fits a memory
   budget is measured (:func:`~orbitaldc.sampling.memory.chunk_limit`).
4. **analyze** (:mod:`~orbitaldc.sampling.analyze`): percentiles (exact, or a streaming
   histogram in bounded memory), Sobol indices; :mod:`orbitaldc.uncertainty` adds the
   probabilities and the tornado.

Where each distribution comes from
----------------------------------
* **The scenario's own** (``[uncertainty.NAME]`` in its TOML, or the ``uncertainty`` argument of
  the analyses): sampled exactly as stated (``low``/``high`` are bounds for uniform, triangular
  and loguniform, P5/P95 for normal and lognormal; a triangular without ``mode`` takes the
  scenario value as its mode), truncated to the allowed range. Source ``"scenario"``.
* **The library's, re-centred on the scenario value** (source
  ``"library (re-centred on the scenario value)"``, or ``"library"`` when the scenario value is
  the library's own centre so nothing moved). The rule:

  1. The *centre* of the library distribution is its mode for a triangular (the library value)
     and its median otherwise: ``(low + high) / 2`` for uniform and normal, ``sqrt(low high)`` for
     loguniform and lognormal.
  2. The distribution keeps its shape and is moved so that its centre is the scenario value
     ``x``: when the library range and ``x`` are positive it is **scaled** by ``x / centre``
     (``low`` and ``high`` times ``x / centre``: the same relative spread, e.g. launch price
     100-3600 $/kg around a 600 $/kg centre becomes 33-1200 $/kg around 200 $/kg); when the range
     reaches zero or below, or ``x <= 0``, it is **shifted** by ``x - centre`` (the same width).
     A loguniform or lognormal around ``x <= 0`` cannot be formed: that parameter is not sampled
     and the result says why.
  3. Samples are truncated to the parameter's allowed range ``[min, max]`` (the variate is
     confined to ``[F(min), F(max)]`` before the inverse CDF, so the truncated distribution is
     exact). Near an allowed limit this cuts one side off, so the median moves inward: a
     scenario at ``sun_fraction = 0.98`` samples a uniform 0.735-1.0 (median 0.87).

  The median (or mode) of every untruncated marginal is therefore the scenario's value: moving a
  value moves its distribution.

Correlations are Spearman rank correlations, from the library (``correlations = {other = rho}``)
and the scenario's ``[uncertainty.NAME] correlations`` (a scenario pair replaces the library's),
applied through a Gaussian copula with Pearson ``r = 2 sin(pi rho / 6)`` (Nelsen 2006, 5.1.3); the
matrix must be positive semi-definite.
"""

from orbitaldc.sampling.analyze import (PERCENTILES, PercentileAccumulator, StreamingPercentiles, exact_percentiles,
                                        sobol_indices)
from orbitaldc.sampling.evaluate import evaluate_chunks, evaluate_columns
from orbitaldc.sampling.memory import CHUNK_MEMORY_BYTES, PROBE_SAMPLES, chunk_limit, memory_per_sample
from orbitaldc.sampling.marginals import (SOURCE_LIBRARY, SOURCE_RECENTRED, SOURCE_SCENARIO, Marginal,
                                          library_centre, marginal, recentred_marginal, stated_marginal)
from orbitaldc.sampling.problem import (STUDY_GROUPS, SamplingProblem, copula_factor, correlation_matrix,
                                        define_problem, uncertain_parameters)
from orbitaldc.sampling.sample import (MAX_SAMPLES, check_samples, chunk_rngs, one_at_a_time, resolve_seed,
                                       sample_uniform, sample_values)

__all__ = [
    "CHUNK_MEMORY_BYTES", "PROBE_SAMPLES", "chunk_limit", "memory_per_sample",
    "MAX_SAMPLES", "PERCENTILES", "SOURCE_LIBRARY", "SOURCE_RECENTRED", "SOURCE_SCENARIO", "STUDY_GROUPS",
    "Marginal", "PercentileAccumulator", "SamplingProblem", "StreamingPercentiles", "check_samples", "chunk_rngs",
    "copula_factor", "correlation_matrix", "define_problem", "evaluate_chunks", "evaluate_columns",
    "exact_percentiles",
    "library_centre", "marginal", "one_at_a_time", "recentred_marginal", "resolve_seed", "sample_uniform",
    "sample_values", "sobol_indices", "stated_marginal", "uncertain_parameters",
]
