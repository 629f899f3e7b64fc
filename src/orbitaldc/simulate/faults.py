"""Faults without repair: failure times, radiation upsets (more in the SAA), checkpoints.

Failure times of GPUs and whole satellites are drawn once, at the start of a run, from Weibull
distributions (shape 1 = constant rate), so a component's fate does not depend on how the run
is split into chunks. Non-fatal bus failures and radiation upsets are Poisson events drawn per
step. Randomness always comes from a :class:`numpy.random.Generator`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from orbitaldc.constants import SECONDS_PER_JULIAN_YEAR


def weibull_scale_for_annual_failure_yr(failure_per_yr, shape):
    """Weibull scale whose one-year failure probability equals ``failure_per_yr``.

    Parameters
    ----------
    failure_per_yr : array_like
        Probability of failing within the first year [-], in [0, 1).
    shape : array_like
        Weibull shape ``k`` [-], > 0.

    Returns
    -------
    ndarray
        Scale ``eta`` [yr]; ``inf`` where the probability is 0.

    Notes
    -----
    ``F(1) = 1 - exp(-(1/eta)^k) = p``, hence ``eta = (-ln(1 - p))^(-1/k)``. With ``k = 1`` the
    constant hazard is ``-ln(1 - p)`` per year, the rate whose survival ``(1 - p)^t`` the
    averaged model uses.

    References
    ----------
    .. [1] W. Weibull, "A statistical distribution function of wide applicability",
       J. Appl. Mech. 18 (1951); P. D. T. O'Connor, *Practical Reliability Engineering*,
       5th ed., sec. 2.6.
    """
    p = np.asarray(failure_per_yr, dtype=float)
    hazard = -np.log1p(-p)
    with np.errstate(divide="ignore"):
        return np.where(hazard > 0, np.where(hazard > 0, hazard, 1.0) ** (-1.0 / np.asarray(shape, dtype=float)), np.inf)


def weibull_failure_times_yr(rng: np.random.Generator, shape, scale_yr, size):
    """Draw failure times [yr] from a Weibull distribution (``inf`` scale: never fails).

    ``t = eta (-ln U)^(1/k)`` by inverse transform (O'Connor, sec. 2.6).

    Parameters
    ----------
    rng : numpy.random.Generator
        Stream.
    shape : array_like
        Weibull shape ``k`` [-], > 0.
    scale_yr : array_like
        Weibull scale ``eta`` [yr] (``inf``: never fails).
    size : int or tuple of int
        Output shape.

    Returns
    -------
    ndarray
        Failure times [yr].

    References
    ----------
    .. [1] P. D. T. O'Connor, *Practical Reliability Engineering*, 5th ed., sec. 2.6.
    """
    u = rng.random(size)
    scale = np.asarray(scale_yr, dtype=float)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        t = scale * (-np.log1p(-u)) ** (1.0 / np.asarray(shape, dtype=float))
    return np.where(np.isinf(scale), np.inf, t)


def checkpoint_write_fraction(checkpoint_cost_s, interval_s):
    """Share of compute time spent writing checkpoints, ``C / (tau + C)`` (0 for no checkpoints).

    Only the writing: the rework after an interruption is simulated event by event
    (:func:`restart_loss_s`), unlike :func:`orbitaldc.physics.radiation.checkpoint_overhead_fraction`,
    which adds its expectation.

    Parameters
    ----------
    checkpoint_cost_s : array_like
        Time to write one checkpoint ``C`` [s].
    interval_s : array_like
        Checkpoint interval ``tau`` [s] (``inf``: no checkpoints).

    Returns
    -------
    ndarray
        Share of compute time [-].

    References
    ----------
    .. [1] Daly (2006), eq. 1 (wall time = solve time + dumps).
    """
    c = np.asarray(checkpoint_cost_s, dtype=float)
    tau = np.asarray(interval_s, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(tau) & (tau + c > 0), c / np.where(np.isfinite(tau), tau + c, 1.0), 0.0)


def in_ellipse_region(lat_rad, lon_rad, center_lat_rad, center_lon_rad, half_lat_rad, half_lon_rad):
    """Whether points lie inside an ellipse in latitude/longitude (used for the SAA).

    ``((phi - phi0) / a)^2 + (wrap(lambda - lambda0) / b)^2 <= 1`` with the longitude
    difference wrapped to [-pi, pi).

    Parameters
    ----------
    lat_rad, lon_rad : array_like
        Points [rad].
    center_lat_rad, center_lon_rad : float
        Centre of the ellipse [rad].
    half_lat_rad, half_lon_rad : float
        Half-extents [rad] (0: an empty region).

    Returns
    -------
    ndarray of bool

    References
    ----------
    .. [1] J. R. Heirtzler, "The future of the South Atlantic anomaly and implications for
       radiation damage in space", J. Atmos. Sol.-Terr. Phys. 64 (2002), fig. 1 (extent).
    """
    dlon = np.mod(np.asarray(lon_rad, dtype=float) - center_lon_rad + np.pi, 2.0 * np.pi) - np.pi
    dlat = np.asarray(lat_rad, dtype=float) - center_lat_rad
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = (dlat / half_lat_rad) ** 2 + (dlon / half_lon_rad) ** 2
    return np.nan_to_num(r2, nan=np.inf) <= 1.0


# ---------------------------------------------------------------------------------------------
# Radiation upsets. Everything the twin assumes about upsets is in this section (the rate comes
# from the shared design's checks, the SAA split and the per-step draws are here), so that the
# shared upset/restart model of the physics library can replace it in one place.


class UpsetRates(NamedTuple):
    """Job-interrupting upsets per GPU per second: orbit average, outside and inside the SAA."""

    average_per_gpu_s: float
    quiet_per_gpu_s: float
    saa_per_gpu_s: float


def orbit_average_upsets_per_gpu_s(checks) -> float:
    """Orbit-average job-interrupting upsets per GPU per second of the shared design.

    Parameters
    ----------
    checks : orbitaldc.systems.design.DesignChecks
        The design's checks; ``sdc_per_gpu_yr`` are the upsets that escape ECC per GPU-year
        (:func:`orbitaldc.physics.radiation.silent_data_corruption_per_yr`).

    Returns
    -------
    float
        ``sdc_per_gpu_yr / (365.25 x 86400 s)`` [1/s].

    References
    ----------
    .. [1] The averaged model's rate: :mod:`orbitaldc.physics.radiation` (upsets per bit-day
       from beam tests x memory x uncorrected fraction).
    """
    return float(np.asarray(checks.sdc_per_gpu_yr, dtype=float).reshape(-1)[0]) / SECONDS_PER_JULIAN_YEAR


def saa_upset_rates(average_per_gpu_s, saa_factor, saa_time_fraction) -> UpsetRates:
    """Split an orbit-average upset rate into rates outside and inside the SAA.

    Parameters
    ----------
    average_per_gpu_s : float
        Orbit-average rate [1/s].
    saa_factor : float
        Inside/outside rate ratio ``F`` (``sim_saa_upset_factor``), >= 1.
    saa_time_fraction : float
        Share of satellite time inside the SAA, ``p`` (:func:`orbitaldc.simulate.engine.saa_time_fraction`).

    Returns
    -------
    UpsetRates
        ``r_out = r_avg / (1 + (F - 1) p)`` and ``r_in = F r_out``, so that their time average
        is ``r_avg``.

    References
    ----------
    .. [1] C. I. Underwood et al., "Observations of single-event upsets in non-hardened
       high-density SRAMs in sun-synchronous orbit", IEEE Trans. Nucl. Sci. 39(6), 1992.
    """
    quiet = float(average_per_gpu_s) / (1.0 + (float(saa_factor) - 1.0) * float(saa_time_fraction))
    return UpsetRates(float(average_per_gpu_s), quiet, quiet * float(saa_factor))


def poisson_from_uniform(u, mean):
    """Poisson counts by inverse transform of one uniform, and the uniform's place in its bin.

    Parameters
    ----------
    u : array_like
        Uniform variates in [0, 1).
    mean : array_like
        Poisson means ``lambda`` >= 0 (small: upsets per step).

    Returns
    -------
    (count, fraction) : tuple of ndarray
        ``count = k`` with ``F(k - 1) <= u < F(k)`` (``F`` the Poisson CDF) and
        ``fraction = (u - F(k - 1)) / p(k)``, uniform on [0, 1) and independent of ``k`` (it
        places the rollback inside the checkpoint interval without a second draw).

    Notes
    -----
    ``p(0) = exp(-lambda)``, ``p(k) = p(k - 1) lambda / k``; the search stops after at most as
    many terms as the largest count.

    References
    ----------
    .. [1] L. Devroye, *Non-Uniform Random Variate Generation*, Springer (1986), sec. X.3.3
       (Poisson by sequential search).
    """
    u = np.asarray(u, dtype=float)
    lam = np.broadcast_to(np.asarray(mean, dtype=float), u.shape)
    p = np.exp(-lam)
    below = np.zeros(u.shape)
    count = np.zeros(u.shape, dtype=np.int64)
    more = u >= p
    while np.any(more):
        count += more
        below = np.where(more, below + p, below)
        p = np.where(more, p * lam / np.maximum(count, 1), p)
        more = more & (u >= below + p) & (p > 0.0)
    fraction = np.where(p > 0.0, (u - below) / np.where(p > 0.0, p, 1.0), 0.0)
    return count, np.minimum(np.maximum(fraction, 0.0), 1.0)


def restart_loss_s(interruptions, rollback_fraction, checkpoint_interval_s, restart_s):
    """Compute time lost to interruptions in each step [s of the satellite's job].

    Parameters
    ----------
    interruptions : array_like
        Interruptions in the step (upsets and GPU failures).
    rollback_fraction : array_like
        Where in its checkpoint interval the job was, uniform on [0, 1).
    checkpoint_interval_s : float
        Checkpoint interval [s] (``inf``: no checkpoints).
    restart_s : float
        Time to detect an interruption and restart [s].

    Returns
    -------
    ndarray
        ``n > 0``: ``fraction x tau + n x restart_s``; else 0. The first interruption in a step
        rolls the job back to its last checkpoint; later ones in the same step roll back to the
        same checkpoint. Infinite intervals roll back nothing extra (the job restarts from its
        inputs at no loss beyond ``restart_s``).

    References
    ----------
    .. [1] Daly (2006), sec. 2 (expected rework of half an interval per failure).
    """
    n = np.asarray(interruptions)
    tau = checkpoint_interval_s if np.isfinite(checkpoint_interval_s) else 0.0
    return np.where(n > 0, np.asarray(rollback_fraction, dtype=float) * tau + n * restart_s, 0.0)


def restart_debt_step(debt_s, lost_s, dt_s):
    """Advance the job's outstanding restart time by one step.

    Parameters
    ----------
    debt_s : array_like
        Restart/rework time still owed at the start of the step [s].
    lost_s : array_like
        Time lost to interruptions in this step (:func:`restart_loss_s`) [s].
    dt_s : float
        Step [s].

    Returns
    -------
    (debt_s, productive) : tuple of ndarray
        Debt left after the step and the productive share of the step,
        ``clip(1 - (D + L) / dt, 0, 1)``, with ``D' = max(D + L - dt, 0)``.

    References
    ----------
    .. [1] Daly (2006), sec. 2 (restart and rework time).
    """
    owed = debt_s + lost_s
    return np.maximum(owed - dt_s, 0.0), np.minimum(np.maximum(1.0 - owed / dt_s, 0.0), 1.0)


def bus_failure_events(rng: np.random.Generator, rate_per_s, dt_s, satellites, steps):
    """Non-fatal bus failures per satellite and step, ``(satellites, steps)`` counts.

    Parameters
    ----------
    rng : numpy.random.Generator
        Stream.
    rate_per_s : float
        Failures per satellite-second.
    dt_s : float
        Step [s].
    satellites, steps : int
        Shape.

    Returns
    -------
    ndarray of int
        A homogeneous Poisson process per satellite: the count over the ``steps`` is Poisson
        with mean ``rate x dt x steps`` and each event falls in a uniformly drawn step (the
        same distribution as a Poisson draw per step, at the cost of the events only).

    References
    ----------
    .. [1] S. M. Ross, *Introduction to Probability Models*, 10th ed., sec. 5.3.5 (given their
       number, the events of a Poisson process are uniform over the interval).
    """
    counts = rng.poisson(float(rate_per_s) * dt_s * steps, satellites)
    events = np.zeros((satellites, steps), dtype=np.int64)
    if counts.sum():
        np.add.at(events, (np.repeat(np.arange(satellites), counts), rng.integers(0, steps, int(counts.sum()))), 1)
    return events
