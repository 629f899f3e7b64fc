"""Thermospheric density from NRLMSIS 2.1 (tabulated) over a solar cycle.

``scripts/build_atmosphere_table.py`` runs NRLMSIS 2.1 (``pymsis``) over altitude x F10.7 x Ap x
latitude band, averaged over longitude (local time) and season (``data/atmosphere_nrlmsis21.npz``,
which records the versions). At load the bands are combined into orbit averages on an inclination
grid (:func:`orbitaldc.physics.trapped.latitude_weights`); queries interpolate multilinearly in
(altitude, F10.7, Ap, inclination) on log density. The solar cycle is a profile of F10.7 anchored
to a cited minimum, maximum, rise time and period (:func:`solar_activity_shape`).

References
----------
.. [MSIS] J. T. Emmert et al., "NRLMSIS 2.0: A whole-atmosphere empirical model of temperature and
   neutral species densities", Earth and Space Science 8, e2020EA001321 (2021); NRLMSIS 2.1
   (Emmert et al. 2022, nitric oxide update); Python: ``pymsis`` (G. Lucas, SWxTREC).
.. [Hathaway] D. H. Hathaway, "The solar cycle", Living Rev. Sol. Phys. 12, 4 (2015) (cycle
   period ~11 yr, rise faster than decline).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from orbitaldc.errors import PhysicsError
from orbitaldc.physics import check_above, check_altitude, check_range
from orbitaldc.physics.trapped import latitude_weights

__all__ = ["INCLINATION_GRID_RAD", "CycleDecay", "cycle_average_density_kg_per_m3", "cycle_decay",
           "cycle_decay_integral", "density_kg_per_m3", "f107_sfu",
           "mission_average_density_kg_per_m3", "solar_activity_shape", "solar_max_share", "table_info"]

_TABLE = Path(__file__).with_name("data") / "atmosphere_nrlmsis21.npz"
#: inclinations the latitude bands are pre-combined on [rad] (0-90 deg; retrograde maps to pi - i)
INCLINATION_GRID_RAD = np.radians(np.arange(0.0, 90.01, 5.0))
#: time samples of the solar cycle per mission average (midpoint rule)
_SAMPLES = 24
#: activity shapes of one whole cycle: s = (1 - cos theta) / 2 at 12 midpoints of theta in (0, pi)
_CYCLE_SHAPES = 0.5 * (1.0 - np.cos(np.pi * (np.arange(12) + 0.5) / 12))
#: drivers of the decay-integral table
_DECAY_F107_MIN = np.array([60.0, 70.0, 80.0])
_DECAY_F107_MAX = np.array([100.0, 140.0, 180.0, 230.0, 300.0])
_DECAY_AP = np.array([2.0, 6.0, 12.0, 25.0, 50.0, 100.0])


@lru_cache(maxsize=1)
def _table():
    with np.load(_TABLE) as data:
        t = {k: data[k] for k in data.files}
    w = latitude_weights(INCLINATION_GRID_RAD, t["latitude_edges_rad"])  # (inc, bands)
    orbit = np.einsum("ib,hfab->hfai", w, t["density_kg_per_m3"])  # (alt, f107, ap, inc)
    t["log_orbit"] = np.log(orbit)
    return t


def table_info() -> dict[str, object]:
    """Provenance of the NRLMSIS table (versions and grids).

    Parameters
    ----------
    None

    Returns
    -------
    dict
        ``versions``, ``altitude_m``, ``f107_sfu``, ``ap``.

    References
    ----------
    .. [1] ``scripts/build_atmosphere_table.py``.
    """
    t = _table()
    return {"versions": [str(v) for v in t["versions"]], "altitude_m": t["altitude_m"], "f107_sfu": t["f107_sfu"],
            "ap": t["ap"]}


def _multilinear(table, axes, points):
    """Multilinear interpolation of ``table`` on four rectilinear ``axes`` at broadcast ``points``;
    axes of ``table`` after the four are carried (shape ``points + table.shape[4:]``). One compiled
    pass (:func:`orbitaldc.physics._kernels.multilinear4`)."""
    from orbitaldc.physics import _kernels

    shape = np.broadcast_shapes(*(np.shape(p) for p in points))
    rest = table.shape[len(axes):]
    if 0 in shape:
        return np.zeros(shape + rest)
    cols = shape[-1] if shape else 1
    pts = [np.broadcast_to(np.asarray(p, dtype=float), shape).reshape(-1, cols) for p in points]
    for p in pts:  # views of the caller's arrays (inputs may be np.broadcast_arrays' views): read only
        p.flags.writeable = False
    flat = np.ascontiguousarray(table, dtype=float).reshape(table.shape[:len(axes)] + (-1,))
    out = _kernels.multilinear4(flat, *(np.ascontiguousarray(g, dtype=float) for g in axes), *pts)
    return out.reshape(shape + rest)


def density_kg_per_m3(altitude_m, f107_sfu_, ap, inclination_rad):
    """Orbit-averaged NRLMSIS 2.1 mass density of a circular orbit [kg/m3].

    Parameters
    ----------
    altitude_m : array_like
        Altitude [m], 150-2,000 km (the table's span).
    f107_sfu_ : array_like
        F10.7 solar radio flux (daily = 81-day mean) [sfu], 60-300.
    ap : array_like
        Geomagnetic Ap index (all seven NRLMSIS Ap inputs equal), 2-100.
    inclination_rad : array_like
        Inclination [rad] (weights the latitude bands).

    Returns
    -------
    ndarray
        Density averaged over longitude (all local times), season and the orbit's latitudes.

    Notes
    -----
    Interpolation is multilinear in (altitude, F10.7, Ap, inclination) on ``ln rho``; local time
    is averaged, so a dawn-dusk orbit (which samples 6 h and 18 h) is represented by the diurnal
    mean.

    References
    ----------
    .. [1] Emmert et al. (2021), NRLMSIS 2.0/2.1; pymsis.
    """
    t = _table()
    h = check_range(check_altitude(altitude_m), "altitude_m", 150e3, 2000e3, "m")
    f = check_range(f107_sfu_, "f107_sfu", 60.0, 300.0, "sfu")
    a = check_range(ap, "ap", 2.0, 100.0)
    inc = check_range(inclination_rad, "inclination_rad", 0.0, np.pi, "rad")
    inc = np.minimum(inc, np.pi - inc)
    axes = (t["altitude_m"], t["f107_sfu"], t["ap"], INCLINATION_GRID_RAD)
    return np.exp(_multilinear(t["log_orbit"], axes, np.broadcast_arrays(h, f, a, inc)))


def solar_activity_shape(year, minimum_year, period_yr, rise_yr):
    """Phase of the solar cycle as activity between 0 (minimum) and 1 (maximum).

    Parameters
    ----------
    year : array_like
        Decimal year.
    minimum_year : array_like
        A cited solar minimum (decimal year).
    period_yr : array_like
        Cycle length [yr].
    rise_yr : array_like
        Minimum-to-maximum time [yr], shorter than the period.

    Returns
    -------
    ndarray
        ``(1 - cos(pi tau / T_r)) / 2`` while rising (``tau`` = years since the last minimum),
        ``(1 + cos(pi (tau - T_r) / (P - T_r))) / 2`` while declining.

    References
    ----------
    .. [1] Hathaway (2015), sec. 4 (asymmetric cycle: fast rise, slow decline).
    """
    p = np.asarray(period_yr, dtype=float)
    r = np.asarray(rise_yr, dtype=float)
    tau = np.mod(np.asarray(year, dtype=float) - np.asarray(minimum_year, dtype=float), p)
    rising = tau < r
    # one cosine per time (of the half the time is in): half the work of evaluating both halves
    phase = np.where(rising, np.pi * tau / r, np.pi * (tau - r) / (p - r))
    return 0.5 * (1.0 + np.where(rising, -1.0, 1.0) * np.cos(phase))


def f107_sfu(year, minimum_year, period_yr, rise_yr, f107_min_sfu, f107_max_sfu):
    """F10.7 of the solar-cycle profile at a decimal year [sfu].

    Parameters
    ----------
    year, minimum_year, period_yr, rise_yr : array_like
        See :func:`solar_activity_shape`.
    f107_min_sfu, f107_max_sfu : array_like
        Smoothed F10.7 at solar minimum and maximum [sfu].

    Returns
    -------
    ndarray
        ``F_min + (F_max - F_min) x shape(year)``.

    References
    ----------
    .. [1] Hathaway (2015); NOAA SWPC solar-cycle progression (smoothed F10.7).
    """
    shape = solar_activity_shape(year, minimum_year, period_yr, rise_yr)
    lo = np.asarray(f107_min_sfu, dtype=float)
    return lo + (np.asarray(f107_max_sfu, dtype=float) - lo) * shape


def _rows(*arrays):
    """Broadcast shape of ``arrays`` and each as a contiguous 1-D float array of that many rows."""
    b = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in arrays))
    return b[0].shape, [np.ascontiguousarray(x).ravel() for x in b]


def solar_max_share(start_year, years, minimum_year, period_yr, rise_yr):
    """Time-average solar activity share over a span (weight of the solar-maximum belt models).

    Parameters
    ----------
    start_year : array_like
        Start of the span (decimal year).
    years : array_like
        Span [yr], > 0.
    minimum_year, period_yr, rise_yr : array_like
        Solar-cycle profile (:func:`solar_activity_shape`).

    Returns
    -------
    ndarray
        Mean of the activity shape, in [0, 1] (24-point midpoint rule; one compiled pass per row,
        :func:`orbitaldc.physics._kernels.cycle_share`).

    References
    ----------
    .. [1] Hathaway (2015).
    """
    from orbitaldc.physics import _kernels

    shape, rows = _rows(start_year, years, minimum_year, period_yr, rise_yr)
    return _kernels.cycle_share(*rows, _SAMPLES).reshape(shape)


def mission_average_density_kg_per_m3(altitude_m, inclination_rad, start_year, years, minimum_year, period_yr,
                                      rise_yr, f107_min_sfu, f107_max_sfu, ap):
    """Time-average orbit density over a mission through the solar cycle [kg/m3].

    Parameters
    ----------
    altitude_m, inclination_rad : array_like
        Circular orbit [m], [rad].
    start_year, years : array_like
        Mission start (decimal year) and length [yr].
    minimum_year, period_yr, rise_yr, f107_min_sfu, f107_max_sfu : array_like
        Solar-cycle profile (:func:`f107_sfu`).
    ap : array_like
        Geomagnetic Ap index.

    Returns
    -------
    ndarray
        ``mean_t rho(h, F10.7(t), Ap, i)`` (24-point midpoint rule over the mission); the drag
        make-up and its propellant are linear in density, so the time average is exact for them.

    Notes
    -----
    :func:`density_kg_per_m3` at each time of :func:`f107_sfu`, fused in one compiled pass per row
    (:func:`orbitaldc.physics._kernels.mission_mean_density`; ``tests/physics/test_physics_kernels.py``
    compares it with those two functions). F10.7 at solar minimum and maximum must each lie in the
    table's 60-300 sfu, so every F10.7 of the profile does.

    References
    ----------
    .. [1] Emmert et al. (2021); Hathaway (2015).
    """
    from orbitaldc.physics import _kernels

    t = _table()
    h = check_range(check_altitude(altitude_m), "altitude_m", 150e3, 2000e3, "m")
    lo = check_range(f107_min_sfu, "f107_min_sfu", 60.0, 300.0, "sfu")
    hi = check_range(f107_max_sfu, "f107_max_sfu", 60.0, 300.0, "sfu")
    a = check_range(ap, "ap", 2.0, 100.0)
    inc = check_range(inclination_rad, "inclination_rad", 0.0, np.pi, "rad")
    shape, rows = _rows(h, a, np.minimum(inc, np.pi - inc), start_year, years, minimum_year, period_yr, rise_yr,
                        lo, hi)
    axes = (t["altitude_m"], t["f107_sfu"], t["ap"], INCLINATION_GRID_RAD)
    table = np.ascontiguousarray(t["log_orbit"], dtype=float)
    rho = _kernels.mission_mean_density(table, *(np.ascontiguousarray(g, dtype=float) for g in axes), *rows,
                                        _SAMPLES)
    undefined = np.isnan(rho)  # every other input is checked finite: the cycle's times left F10.7 undefined
    if undefined.any():
        i = int(np.argmax(undefined))
        cycle = ", ".join(f"{name} = {row[i]:g}" for name, row in
                          zip(("start_year", "years", "minimum_year", "period_yr", "rise_yr"), rows[3:8]))
        raise PhysicsError(f"f107_sfu = nan sfu is not physical; allowed: [60, 300] sfu (the solar cycle at {cycle})")
    return rho.reshape(shape)


def cycle_average_density_kg_per_m3(altitude_m, inclination_rad, f107_min_sfu, f107_max_sfu, ap):
    """Density averaged over one whole solar cycle [kg/m3] (for decay times longer than a cycle).

    Parameters
    ----------
    altitude_m, inclination_rad : array_like
        Circular orbit [m], [rad].
    f107_min_sfu, f107_max_sfu, ap : array_like
        Solar-cycle extremes of F10.7 [sfu] and Ap.

    Returns
    -------
    ndarray
        ``mean over one cycle of rho(h, F10.7(t), Ap, i)``.

    Notes
    -----
    Each half of the profile (:func:`solar_activity_shape`) is a raised cosine, so over a whole
    cycle the activity ``s`` is arcsine-distributed whatever the period and rise time: the average
    is the midpoint rule in the phase ``theta`` of ``s = (1 - cos theta) / 2`` (12 points).

    References
    ----------
    .. [1] Emmert et al. (2021); Hathaway (2015).
    """
    lo = np.asarray(f107_min_sfu, dtype=float)[..., None]
    f = lo + (np.asarray(f107_max_sfu, dtype=float)[..., None] - lo) * _CYCLE_SHAPES
    return density_kg_per_m3(np.asarray(altitude_m, dtype=float)[..., None], f, np.asarray(ap, dtype=float)[..., None],
                             np.asarray(inclination_rad, dtype=float)[..., None]).mean(axis=-1)


@lru_cache(maxsize=1)
def _decay_table():
    """ln of the cycle-average decay integral on (altitude, F10.7 min, F10.7 max, Ap, inclination)."""
    from orbitaldc.physics.drag import decay_integral
    t = _table()
    grid = t["altitude_m"]
    rho = cycle_average_density_kg_per_m3(grid[:, None, None, None, None], INCLINATION_GRID_RAD,
                                          _DECAY_F107_MIN[:, None, None, None], _DECAY_F107_MAX[:, None, None],
                                          _DECAY_AP[:, None])
    integral = decay_integral(grid, np.moveaxis(rho, 0, -1))  # (fmin, fmax, ap, inc, alt)
    # the first altitude (re-entry) has I = 0; contiguous, as the compiled look-ups read it (once, not per call)
    return np.ascontiguousarray(np.log(integral[..., 1:]))


def cycle_decay_integral(inclination_rad, f107_min_sfu, f107_max_sfu, ap):
    """Decay integral of the cycle-average NRLMSIS profile, interpolated from a precomputed table.

    Parameters
    ----------
    inclination_rad : array_like
        Inclination [rad].
    f107_min_sfu, f107_max_sfu, ap : array_like
        Solar-cycle extremes [sfu] and Ap (table spans: 60-80, 100-300 sfu, Ap 2-100; clamped).

    Returns
    -------
    tuple
        ``(altitude_m, integral)``: the table's altitudes (n,) and
        :func:`orbitaldc.physics.drag.decay_integral` of the cycle-average density, shape (..., n)
        [s m2/kg] (decay time = integral / (C_D A / m)).

    Notes
    -----
    The table holds ``ln I`` on 3 x 5 x 6 driver values and 19 inclinations; queries interpolate
    multilinearly (``tests/physics/test_atmosphere.py`` states the agreement with the direct
    integral of :func:`cycle_average_density_kg_per_m3`).

    References
    ----------
    .. [1] King-Hele (1987), ch. 4; Emmert et al. (2021).
    """
    t = _table()
    table = _decay_table()
    inc = np.asarray(inclination_rad, dtype=float)
    inc = np.minimum(inc, np.pi - inc)
    axes = (_DECAY_F107_MIN, _DECAY_F107_MAX, _DECAY_AP, INCLINATION_GRID_RAD)
    pts = np.broadcast_arrays(np.asarray(f107_min_sfu, dtype=float), np.asarray(f107_max_sfu, dtype=float),
                              np.asarray(ap, dtype=float), inc)
    rows = np.exp(_multilinear(table, axes, pts))
    return t["altitude_m"], np.concatenate([np.zeros(rows.shape[:-1] + (1,)), rows], axis=-1)


class CycleDecay(NamedTuple):
    """Natural decay through the solar cycle of a circular orbit and the disposal altitude."""

    decay_time_s: np.ndarray  #: from the starting altitude to re-entry [s]
    disposal_altitude_m: np.ndarray  #: highest altitude that decays within the allowed time [m]


def cycle_decay(altitude_m, ballistic_m2_per_kg, disposal_s, inclination_rad, f107_min_sfu, f107_max_sfu, ap) \
        -> CycleDecay:
    """Decay time and disposal altitude on the cycle-average NRLMSIS profile, one pass per orbit.

    Parameters
    ----------
    altitude_m, ballistic_m2_per_kg : array_like
        The orbit [m] and the satellite's ``C_D A / m`` [m2/kg]
        (:func:`orbitaldc.physics.drag.decay_time_from_integral_s`).
    disposal_s : array_like
        Allowed decay time [s] (:func:`orbitaldc.physics.drag.disposal_altitude_m`).
    inclination_rad, f107_min_sfu, f107_max_sfu, ap : array_like
        As :func:`cycle_decay_integral`.

    Returns
    -------
    CycleDecay
        In the broadcast shape of the inputs.

    Notes
    -----
    The same numbers (to rounding) as :func:`orbitaldc.physics.drag.decay_time_from_integral_s`
    and :func:`orbitaldc.physics.drag.disposal_altitude_m` on the profile of
    :func:`cycle_decay_integral`, without building the whole profile of every orbit: each row
    interpolates the table only at the altitude nodes it needs
    (:func:`orbitaldc.physics._kernels.decay_queries`; ``tests/physics/test_physics_kernels.py``
    compares the two ways).

    References
    ----------
    .. [1] King-Hele (1987), ch. 4; Emmert et al. (2021); FCC 22-74 (2022).
    """
    from orbitaldc.physics import _kernels

    t = _table()
    h = check_altitude(altitude_m)
    b = check_above(ballistic_m2_per_kg, "ballistic_m2_per_kg", 0.0, "m2/kg")
    inc = np.asarray(inclination_rad, dtype=float)
    shape, rows = _rows(f107_min_sfu, f107_max_sfu, ap, np.minimum(inc, np.pi - inc), h, b,
                        np.asarray(disposal_s, dtype=float) * b)
    axes = (_DECAY_F107_MIN, _DECAY_F107_MAX, _DECAY_AP, INCLINATION_GRID_RAD)
    decay, disposal = _kernels.decay_queries(_decay_table(), *axes, *rows[:4],
                                             np.ascontiguousarray(t["altitude_m"], dtype=float), *rows[4:])
    return CycleDecay(decay.reshape(shape), disposal.reshape(shape))
