"""Imported once by the worker fork server: load every preset and run each task's code path
once, so that workers forked from it answer their first request as fast as their next one."""

from __future__ import annotations

from orbitaldc.params import list_presets
from orbitaldc.web import services


def warm() -> None:
    """Evaluate every preset and run a tiny break-even, Monte Carlo, tornado and explain.

    Parameters
    ----------
    None

    Returns
    -------
    None

    References
    ----------
    .. [1] Python :mod:`multiprocessing` ``forkserver``: children inherit the server's memory.
    """
    names = list(list_presets())
    for name in names:
        services.run_task("evaluate", {"preset": name, "overrides": {}})
    base = {"preset": names[0], "overrides": {}}
    services.run_task("breakeven", {**base, "parameter": "launch_cost_usd_per_kg", "curve_points": 4})
    services.run_task("montecarlo", {**base, "samples": 8, "seed": 0, "params": None})
    services.run_task("sensitivity", {**base, "method": "tornado", "metric": "cost_ratio", "samples": 2, "seed": 0,
                                      "params": None})
    services.run_task("explain", {"a": base, "b": {"preset": names[-1], "overrides": {}},
                                  "metric": "orbital.total_cost_usd", "normalize": False, "permutations": 2,
                                  "seed": 0})
    services.run_task("toml", base)


warm()
