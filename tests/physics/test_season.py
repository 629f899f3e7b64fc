"""The day that sizes a worst-orbit array: the year's worst eclipse and sunlight together.

Against JPL DE421 through Skyfield for the sun's distance (an independent ephemeris), the June
solstice for the dawn-dusk eclipse season and aphelion for an orbit whose eclipse hardly changes
over the year; the array factor is bounded by SMAD eq. 11-5 on the longest eclipse in the
sunlight of those two days.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import skyfield.api as skyfield_api
import skyfield_data

from orbitaldc.constants import AU_M
from orbitaldc.physics import orbit, season, sunlight

YEAR = 2027
START_JD = float(orbit.julian_date(YEAR, 1, 1))
ETA = 0.9
#: The sun's distance from the low-precision series against DE421 (tests/physics/test_physics_orbit.py).
DISTANCE_TOLERANCE = 2e-4


@pytest.fixture(scope="module")
def de421_irradiance():
    """``(1 AU / r)^2`` from DE421 on each day of the year at 00:00 UTC (index 0 = 1 January)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # skyfield-data's bundled finals2000A is past its date; unused here
        load = skyfield_api.Loader(skyfield_data.get_skyfield_data_path(), expire=False, verbose=False)
        eph, ts = load("de421.bsp"), load.timescale(builtin=True)
    r = np.linalg.norm((eph["sun"] - eph["earth"]).at(ts.utc(YEAR, 1, np.arange(1, 366))).position.m, axis=0)
    return (AU_M / r) ** 2


def _smad(eclipse_s, period_s):
    return 1.0 + eclipse_s / ((period_s - eclipse_s) * ETA)


def test_dawn_dusk_array_is_sized_at_the_june_solstice(de421_irradiance):
    """650 km dawn-dusk: the longest eclipses come within days of 21 June (day index 171), 13 days
    before aphelion; the sizing day's sunlight is DE421's of that day, and the array factor lies
    between the longest eclipse in the solstice's sunlight and in aphelion's (both +- 3e-4: the
    distance tolerance and the eclipse of the sizing day within a second of the longest)."""
    h = 650e3
    day = season.worst_array_day(h, "terminator", START_JD, 0.0, 18.0, ETA)
    index = int(round(float(day.julian_date) - START_JD))
    assert 165 <= index <= 178
    assert float(day.irradiance_factor) == pytest.approx(de421_irradiance[index], rel=DISTANCE_TOLERANCE + 5e-5)
    longest = float(sunlight.year_sunlight(h, "terminator", START_JD, 0.0, 18.0).max_eclipse_duration_s)
    period = float(orbit.orbital_period_s(h))
    assert float(day.eclipse_s) == pytest.approx(longest, abs=1.0)
    g = _smad(longest, period)
    assert g / de421_irradiance[171] * (1 - 3e-4) <= float(day.array_factor) <= g / de421_irradiance.min() * (1 + 3e-4)


def test_orbit_with_a_steady_eclipse_is_sized_at_aphelion(de421_irradiance):
    """A noon-midnight sun-synchronous orbit is in shadow on every orbit all year, its eclipse
    within a few percent of the longest: the least sunlight (aphelion, DE421's date) decides,
    within a week (the slow change of the eclipse moves the worst day a little)."""
    day = season.worst_array_day(800e3, "sso", START_JD, 0.0, 12.0, ETA)
    index = int(round(float(day.julian_date) - START_JD))
    assert abs(index - int(np.argmin(de421_irradiance))) <= 7
    assert float(day.irradiance_factor) == pytest.approx(de421_irradiance.min(), rel=DISTANCE_TOLERANCE + 1e-4)


def test_worst_irradiance_factor_is_aphelions():
    """(1 / (1 + e))^2 with e = 0.0167: aphelion at 1.0167 AU (Astronomical Almanac); daily samples
    miss the exact instant by at most half a day (1e-7 in the factor)."""
    assert season.worst_irradiance_factor(START_JD) == pytest.approx((1.0 / 1.0167) ** 2, rel=DISTANCE_TOLERANCE)


def test_arrays_broadcast_and_chunk():
    """Many orbits at once (more than a chunk) give what each gives alone."""
    h = np.linspace(500e3, 1200e3, season.CHUNK_ORBITS + 3)
    many = season.worst_array_day(h, "terminator", START_JD, 0.0, 18.0, ETA)
    for k in (0, season.CHUNK_ORBITS + 1):
        one = season.worst_array_day(h[k], "terminator", START_JD, 0.0, 18.0, ETA)
        assert all(float(a[k]) == pytest.approx(float(b), rel=1e-12) for a, b in zip(many, one))


def _day_by_day(h, kind, jd0, inc, ltan, eta):
    """Every sampled day of the year evaluated (the definition the coarse-to-fine search must meet)."""
    from orbitaldc.physics import eclipse, orbit, solar

    i, raan = orbit.orbit_geometry(kind, h, jd0, inc, ltan)
    series = orbit.beta_angle_over_year_rad(h, i, raan, jd0)
    period = orbit.orbital_period_s(h)[:, None]
    t_e = eclipse.eclipse_fraction(h[:, None], series.beta_rad) * period
    m = solar.worst_orbit_array_power_w(1.0, t_e, period, eta[:, None]) / orbit.irradiance_factor(series.julian_date)
    return m.max(axis=-1)


@pytest.mark.parametrize("kind", ["sso", "terminator"])
def test_coarse_to_fine_search_is_the_day_by_day_maximum(kind):
    """400 random orbits of each fixed-node family (altitude 300-1,500 km, every local time): the
    searched sizing factor equals the day-by-day maximum. Tolerance 1e-12 relative where both find
    the same day; the rare orbit whose year has two humps of nearly equal height may settle on the
    other hump, which is then within 2e-4 of the top (the coarse pass sees every hump within a
    stride of 8 days)."""
    rng = np.random.default_rng(7)
    h = rng.uniform(300e3, 1500e3, 400)
    ltan = rng.uniform(0.0, 24.0, 400)
    eta = rng.uniform(0.8, 0.98, 400)
    jd0 = float(orbit.julian_date(2027, 1, 1))
    got = season.worst_array_day(h, kind, jd0, 0.0, ltan, eta).array_factor
    want = _day_by_day(h, kind, jd0, np.zeros_like(h), ltan, eta)
    assert np.all(got <= want * (1 + 1e-12))
    np.testing.assert_allclose(got, want, rtol=2e-4)
    assert np.mean(np.isclose(got, want, rtol=1e-12)) > 0.98


def test_leo_shell_sizing_day_is_its_worst_plane():
    """A LEO shell has planes at every node, so each day some plane is nearest the sun: its beta
    angle is max(0, |declination| - i). Checked against 720 explicit planes of the shell (node
    spacing 0.5 deg, so the explicit minimum |beta| is within sin(i) x 0.25 deg of the limit);
    above 23.44 deg the worst plane has beta = 0 every day and the sizing day is aphelion's."""
    from orbitaldc.physics import eclipse

    jd0 = float(orbit.julian_date(2027, 1, 1))
    for inc_deg in (10.0, 53.0, 97.8):
        h, inc = np.array([650e3]), np.radians(np.array([inc_deg]))
        got = season.worst_array_day(h, "leo", jd0, inc, 0.0, 0.9)
        nodes = np.linspace(0.0, 2 * np.pi, 720, endpoint=False)
        series = orbit.beta_angle_over_year_rad(np.full(720, 650e3), np.full(720, inc[0]), nodes, jd0)
        period = float(orbit.orbital_period_s(650e3))
        t_e = eclipse.eclipse_fraction(650e3, np.abs(series.beta_rad).min(axis=0)) * period
        m = (1 + t_e / ((period - t_e) * 0.9)) / orbit.irradiance_factor(series.julian_date)
        assert float(got.array_factor[0]) == pytest.approx(float(m.max()), rel=2e-4)
        if inc_deg > 23.44:
            assert float(got.eclipse_s[0]) == pytest.approx(float(eclipse.eclipse_fraction(650e3, 0.0)) * period,
                                                            rel=1e-12)
            assert float(got.irradiance_factor[0]) == pytest.approx(season.worst_irradiance_factor(jd0), rel=1e-3)
