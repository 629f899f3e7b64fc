"""Faults: failure times, node interruptions (more in the SAA) and their lost time.

Failure times of GPUs and whole satellites are drawn once, at the start of a run, from Weibull
distributions (shape 1 = constant rate), so a component's fate does not depend on how the run
is split into chunks. Non-fatal bus failures and node interruptions (radiation upsets and the
ground floor of :mod:`orbitaldc.physics.radiation`) are Poisson processes drawn as events per
chunk; interruptions are thinned from the inside-SAA rate. Randomness always comes from a
:class:`numpy.random.Generator`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


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
# Node interruptions: the rates come from the upset/restart model of orbitaldc.physics.radiation
# (through the shared design); here they are drawn as events and turned into lost time.


class InterruptRates(NamedTuple):
    """Node (whole-satellite) interrupts per second at full health, outside and inside the SAA."""

    outside_per_s: float
    inside_per_s: float
    saa_time_fraction: float


class Events(NamedTuple):
    """Events of a chunk sorted by step then satellite, each with two uniforms."""

    step: np.ndarray  #: ``(E,)`` step index within the chunk
    satellite: np.ndarray  #: ``(E,)``
    accept_u: np.ndarray  #: ``(E,)`` uniform deciding the thinning (:func:`accepted`)
    rollback_u: np.ndarray  #: ``(E,)`` where in its checkpoint interval the job was


def poisson_events(rng: np.random.Generator, rate_per_s, dt_s, satellites, steps) -> Events:
    """Events of a homogeneous Poisson process per satellite over ``steps`` steps.

    Parameters
    ----------
    rng : numpy.random.Generator
        Stream.
    rate_per_s : float
        Events per satellite-second (the largest rate, for thinning).
    dt_s : float
        Step [s].
    satellites, steps : int
        Shape.

    Returns
    -------
    Events
        The count per satellite is Poisson with mean ``rate x dt x steps`` and each event falls
        in a uniformly drawn step: the same distribution as a Poisson draw per satellite-step,
        at the cost of the events only.

    References
    ----------
    .. [1] S. M. Ross, *Introduction to Probability Models*, 10th ed., sec. 5.3.5 (given their
       number, the events of a Poisson process are uniform over the interval).
    """
    mean = float(rate_per_s) * float(dt_s) * int(steps)
    counts = rng.poisson(mean, int(satellites)) if mean > 0 else np.zeros(int(satellites), dtype=np.int64)
    total = int(counts.sum())
    sat = np.repeat(np.arange(int(satellites), dtype=np.int64), counts)
    step = rng.integers(0, max(int(steps), 1), total).astype(np.int64)
    order = np.lexsort((sat, step))
    u = rng.random((2, total))
    return Events(step[order], sat[order], u[0], u[1])


def accepted(events: Events, rate_max_per_s: float, rate_per_s, active, gpus: int):
    """Which candidate events are real interruptions (thinning of a Poisson process).

    Parameters
    ----------
    events : Events
        Candidates drawn at ``rate_max_per_s``.
    rate_max_per_s : float
        The candidates' rate [1/s] (the inside-SAA node rate).
    rate_per_s : array_like
        ``(E,)`` node rate at full health at each candidate's satellite and step [1/s].
    active : array_like
        ``(E,)`` active GPUs there.
    gpus : int
        GPUs of the node.

    Returns
    -------
    ndarray of bool
        ``u r_max < r active / gpus``: accepted with probability ``r active / (gpus r_max)``,
        so the interruptions are Poisson with the step's rate.

    References
    ----------
    .. [1] P. A. W. Lewis and G. S. Shedler, "Simulation of nonhomogeneous Poisson processes by
       thinning", Nav. Res. Logist. Q. 26(3), 403-413 (1979).
    """
    return events.accept_u * rate_max_per_s < np.asarray(rate_per_s, dtype=float) * np.asarray(active) / gpus


def interrupt_loss_s(rollback_fraction, checkpoint_interval_s, restart_s):
    """Compute time one interruption costs the node's job [s].

    Parameters
    ----------
    rollback_fraction : array_like
        Where in its checkpoint interval the job was, uniform on [0, 1).
    checkpoint_interval_s : float
        Checkpoint interval [s] (``inf``: no checkpoints).
    restart_s : float
        Time to detect the interruption and restart the node (``node_restart_s``) [s].

    Returns
    -------
    ndarray
        ``u tau + R``: the work since the last checkpoint and the restart; its mean ``tau / 2 +
        R`` per interruption, with the checkpoint writes ``C / tau``, is the expectation
        :func:`orbitaldc.physics.radiation.restart_loss_rate`. Infinite intervals roll back
        nothing extra.

    References
    ----------
    .. [1] Daly (2006), sec. 2 (expected rework of half an interval per failure).
    """
    tau = checkpoint_interval_s if np.isfinite(checkpoint_interval_s) else 0.0
    return np.asarray(rollback_fraction, dtype=float) * tau + restart_s


def event_counts(events: Events, satellites: int, steps: int, weights=None) -> np.ndarray:
    """Events (or summed weights) per satellite and step, ``(satellites, steps)``.

    Parameters
    ----------
    events : Events
        Events of a chunk.
    satellites, steps : int
        Shape.
    weights : array_like, optional
        ``(E,)`` weight of each event (1 when omitted).

    Returns
    -------
    ndarray
        Integer counts, or float sums with ``weights``.

    References
    ----------
    .. [1] NumPy ``add.at`` (unbuffered accumulation of repeated indices).
    """
    out = np.zeros((satellites, steps), dtype=np.int64 if weights is None else float)
    np.add.at(out, (events.satellite, events.step), 1 if weights is None else np.asarray(weights, dtype=float))
    return out


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
