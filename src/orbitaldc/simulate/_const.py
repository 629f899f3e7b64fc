"""Constants of the simulation: the project's cited constants, plus the few it lacks."""

from __future__ import annotations

from orbitaldc.constants import (  # noqa: F401  (re-exported)
    EARTH_J2,
    EARTH_MU_M3_PER_S2,
    EARTH_RADIUS_M,
    EARTH_ROTATION_RAD_PER_S,
    JD_J2000,
    SECONDS_PER_DAY,
    SECONDS_PER_JULIAN_YEAR,
    SOLAR_CONSTANT_W_PER_M2,
    STEFAN_BOLTZMANN_W_PER_M2_K4,
    DAYS_PER_JULIAN_CENTURY,
)

#: Earth flattening [-] (WGS84, NIMA TR8350.2, 3rd ed., table 3.1), for geodetic stations.
EARTH_FLATTENING = 1.0 / 298.257223563
