"""What a run simulates: its times, its satellite sample (layout or TLE file) and its design."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from orbitaldc.constants import SECONDS_PER_DAY
from orbitaldc.errors import ScenarioError
from orbitaldc.simulate import propagate
from orbitaldc.simulate.design import TwinDesign, twin_design, values_float
from orbitaldc.simulate.faults import InterruptRates
from orbitaldc.simulate.layout import Elements, walker_delta


@dataclass
class Setup:
    """Everything a run needs, validated: values, layout, design, counts and times.

    Attributes
    ----------
    values : mapping
        Scenario values (single point).
    satellites : int
        Satellites simulated (the sample).
    constellation_satellites : float
        Satellites of the design's constellation (at least the sample).
    step_s : float
        Time step [s].
    steps : int
        Steps of the run.
    start_jd : float
        Julian date (UTC) of the first step.
    design : TwinDesign
        One satellite of the shared design.
    elements, satrecs : Elements or list, optional
        Circular mean elements (Kepler + J2) and/or SGP4 records (then SGP4 is used).
    names : tuple of str
        Satellite names (TLE) for messages.
    source : str
        Where the orbits came from, for messages (``"TLE file x.tle"``, ``"Walker layout"``).
    layout : str
        ``walker``, ``sun_synchronous`` or ``tle``.
    planes : int
        Orbital planes of the layout (0 for TLE).
    interrupts : InterruptRates, optional
        Node interrupt rates outside/inside the SAA (set by :func:`orbitaldc.simulate.engine.run`).
    """

    values: Mapping[str, Any]
    satellites: int
    constellation_satellites: float
    step_s: float
    steps: int
    start_jd: float
    design: TwinDesign
    elements: Elements | None = None
    satrecs: list | None = None
    names: tuple[str, ...] = ()
    source: str = ""
    layout: str = ""
    planes: int = 1
    interrupts: InterruptRates | None = None

    @property
    def sample_fraction(self) -> float:
        """Simulated over constellation satellites, in (0, 1]."""
        return self.satellites / self.constellation_satellites

    @property
    def duration_s(self) -> float:
        """Simulated time [s]."""
        return self.steps * self.step_s


def start_julian_date(values: Mapping[str, Any]) -> float:
    """Julian date of the run's start: 1 January of ``mission_start_year`` + ``sim_start_day``.

    Parameters
    ----------
    values : mapping
        Scenario values.

    Returns
    -------
    float
        Julian date (UTC) [d].

    References
    ----------
    .. [1] Vallado, 4th ed., sec. 3.5, algorithm 14 (:func:`orbitaldc.physics.orbit.julian_date`).
    """
    from orbitaldc.physics.orbit import julian_date

    return float(julian_date(int(values_float(values, "mission_start_year")), 1, 1)) + values_float(values, "sim_start_day")


def check_sgp4_window(satrecs, names, source: str, start_jd: float, end_jd: float, max_age_days: float) -> None:
    """Refuse element sets whose epoch is far from the run, and SGP4 failures at its ends.

    Parameters
    ----------
    satrecs : list of sgp4.api.Satrec
        Records.
    names : sequence of str
        Their names.
    source : str
        Where they came from (``"TLE file x.tle"``).
    start_jd, end_jd : float
        First and last step of the run [Julian date, UTC].
    max_age_days : float
        Largest distance of the run's start from an element set's epoch (``sim_tle_max_age_days``).

    Returns
    -------
    None

    Raises
    ------
    ScenarioError
        Naming the source, the satellite and the reason.

    References
    ----------
    .. [1] T. S. Kelso, "Validation of SGP4 and IS-GPS-200D against GPS precision ephemerides",
       AAS 07-127 (2007) (accuracy near the epoch, growth with the elements' age).
    """
    for rec, name in zip(satrecs, names):
        epoch = rec.jdsatepoch + rec.jdsatepochF
        if abs(start_jd - epoch) > max_age_days:
            date = np.datetime64("1970-01-01T00:00:00") + np.timedelta64(int(round((epoch - 2440587.5) * 86400)), "s")
            raise ScenarioError(f"{source}: satellite {name!r}: element set epoch {str(date)[:16]} UTC is "
                                f"{start_jd - epoch:+,.1f} days from the run's start, beyond sim_tle_max_age_days = "
                                f"{max_age_days:g}; start the run near the epoch ({str(date)[:10]}: set "
                                "mission_start_year and sim_start_day) or use current elements")
    propagate.sgp4(satrecs, np.array([start_jd, end_jd]), names, source)


def build_setup(values: Mapping[str, Any], design, tle_path: str | Path | None = None) -> Setup:
    """Validate the run's settings and lay out the simulated sample of the shared design.

    Parameters
    ----------
    values : mapping
        Complete scenario values (``Scenario.values``), single point.
    design : orbitaldc.systems.design.SatelliteDesign or None
        The averaged model's design of the same scenario (``evaluate(...).orbital.design``);
        the sample is at most its ``satellite_count`` and its results are scaled up by the ratio.
    tle_path : str or Path, optional
        Two-line element file; then the sample is its first satellites, propagated with SGP4.

    Returns
    -------
    Setup

    Raises
    ------
    ScenarioError
        No design (:func:`~orbitaldc.simulate.design.twin_design`), a run shorter than one
        step, a bad layout or TLE file, elements far from the run's epoch, SGP4 failures.

    Notes
    -----
    ``orbit_type = "leo"``: a Walker-delta shell ``inclination_rad: n/sim_planes/sim_phasing``;
    ``"sso"`` and ``"terminator"``: one sun-synchronous plane at the node of
    :func:`orbitaldc.physics.orbit.orbit_geometry`, satellites evenly spaced.

    References
    ----------
    .. [1] J. G. Walker, "Satellite constellations", J. Br. Interplanet. Soc. 37 (1984).
    """
    from orbitaldc.physics.orbit import orbit_geometry

    f = lambda k: values_float(values, k)  # noqa: E731
    twin = twin_design(design, values)
    step = f("sim_step_s")
    steps = int(math.floor(f("sim_days") * SECONDS_PER_DAY / step + 1e-9))
    if steps < 1:
        raise ScenarioError(f"sim_days = {f('sim_days'):g} is shorter than one step of sim_step_s = {step:g} s")
    total = float(np.asarray(design.satellite_count, dtype=float).reshape(-1)[0])
    n = int(min(int(f("sim_satellites")), max(1, int(total))))
    start = start_julian_date(values)
    end = start + (steps - 1) * step / SECONDS_PER_DAY
    if tle_path is not None:
        from orbitaldc.simulate.layout import read_tle

        source = f"TLE file {tle_path}"
        tles = read_tle(tle_path, limit=n)
        names = tuple(t[0] for t in tles)
        recs = propagate.satrecs_from_tle(tles, source)
        check_sgp4_window(recs, names, source, start, end, f("sim_tle_max_age_days"))
        return Setup(values, len(tles), max(total, len(tles)), step, steps, start, twin, satrecs=recs, names=names,
                     source=source, layout="tle", planes=0)
    orbit_type = str(values["orbit_type"])
    inc, raan = (float(x) for x in orbit_geometry(orbit_type, f("altitude_m"), start, f("inclination_rad"),
                                                   f("ltan_h")))
    if orbit_type == "leo":
        planes = min(int(f("sim_planes")), n)
        n = (n // planes) * planes
        el = walker_delta(n, planes, min(int(f("sim_phasing")), planes - 1), inc, f("altitude_m"), start, raan)
        layout = "walker"
    else:
        planes = 1
        el = walker_delta(n, 1, 0, inc, f("altitude_m"), start, raan)
        layout = "sun_synchronous"
    setup = Setup(values, n, max(total, n), step, steps, start, twin, elements=el, names=tuple(map(str, range(1, n + 1))),
                  source=f"{layout} layout", layout=layout, planes=planes)
    if values["sim_propagator"] == "sgp4":
        setup.satrecs = propagate.satrecs_from_elements(el)
        propagate.sgp4(setup.satrecs, np.array([start, end]), setup.names, setup.source)
    return setup
