"""The twin against the averaged model on the same design (issue 13, done-when).

1. Started on 21 June in the worst-season-sized dawn-dusk design (``reference-1gw-terminator``:
   array for the worst orbit of the year, battery for its longest eclipse), the twin loses no
   compute to energy shortfall.
2. Over a simulated year the twin's availability (delivered compute over the design's IT
   load, results brought down) equals the averaged model's (the design's ``checks.availability``
   times survival, the factors the economics puts on its GPU-hours) within 2 %.
3. The simulated LCOC is computed the way the averaged one is: the orbital side's by-year
   GPU-hours and cash flows at its own discount rate.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from orbitaldc.simulate import simulate

REFERENCE = "reference-1gw-terminator"
#: 21 June 2027 (mission_start_year 2027, sim_start_day counted from 1 January): the longest
#: eclipses of a dawn-dusk orbit.
SOLSTICE_DAY = 171.0
#: Processes of the twin that the averaged model does not carry: whole-satellite infant
#: mortality (Castet & Saleh: 2.8 % fail in the first year) and non-fatal bus failures.
TWIN_ONLY_OFF = {"sim_satellite_weibull_scale_yr": 1e9, "sim_bus_failure_per_yr": 0.0}


def test_worst_season_design_loses_no_compute_to_energy_shortfall_from_21_june():
    """Three days from 21 June, eight satellites, every process on, at the default 30 s step. The
    design's battery holds exactly the longest (cylindrical) eclipse's energy, with no margin; the
    twin gives each step its share of sunlight (the shadow's edges located within the step to
    ``O(dt^2)``, :func:`test_twin_sunlit_fraction_converges_to_the_conical_shadow`), so no step
    adds shadow to an eclipse. (Taking each step wholly as sunlit or dark, as the twin did,
    shed 2.1e7 Wh here at 30 s and 1.0e8 Wh at 60 s.)"""
    o = simulate(REFERENCE, {"sim_start_day": SOLSTICE_DAY, "sim_days": 3.0, "sim_satellites": 8})
    assert o.result.setup.step_s == 30.0  # the default step
    s = o.summary
    env = o.comparison.orbital.design.environment
    # the run really is in the eclipse season: the twin's shadow share is the design's worst orbit
    worst = float(env.sizing_eclipse_s) / float(env.period_s)
    assert 1.0 - s["simulated"]["sunlit_fraction"] == pytest.approx(worst, rel=0.01)  # conical vs cylindrical
    assert s["losses_wh"]["energy_shortfall"] == 0.0
    assert s["simulated"]["compute_availability"] > 0.98  # what is lost is restarts and checkpoints only
    assert s["losses_wh"]["thermal_throttle"] == 0.0



def _twin_sunlit(step_s, days):
    """The compiled twin's sunlit share, one satellite of the reference design from 21 June, and
    the Montenbruck & Gill conical shadow (disc overlap) integrated along its very orbit and sun
    by the midpoint rule at 0.1 s."""
    from orbitaldc.physics.eclipse import shadow_fraction
    from orbitaldc.physics.orbit import sun_position_eci_m
    from orbitaldc.simulate import engine, propagate

    over = {"sim_start_day": SOLSTICE_DAY, "sim_days": days, "sim_satellites": 1, "sim_step_s": step_s,
            **TWIN_ONLY_OFF}
    o = simulate(REFERENCE, over)
    setup = o.result.setup
    fine = 0.1
    t = (np.arange(round(days * 86400.0 / fine)) + 0.5) * fine
    pos = propagate.kepler_j2(setup.elements, t).position_m[0]
    exact = 1.0 - float(shadow_fraction(pos, sun_position_eci_m(setup.start_jd + t / 86400.0, of_date=True)).mean())
    assert engine.KERNELS[0] == "compiled"  # simulate's default kernel is the one measured
    return o.summary["simulated"]["sunlit_fraction"], exact


def test_twin_sunlit_fraction_converges_to_the_conical_shadow():
    """A quarter day (about four orbits) of the dawn-dusk reference orbit in its deepest eclipse
    season (beta about 60 deg: the shadow's edge is cut obliquely, the hardest case for the
    interpolation). Tolerances on the sunlit share, fractions of the time (the orbit is 0.83
    sunlit): 60 s 2e-4 (measured 1.1e-4), 30 s 5e-5 (measured 3.0e-5: 0.17 s an orbit), 5 s
    3e-6 (the floor of the penumbra's straight-limb approximation, measured 1.2e-6); above the
    floor the error falls as the step squared. The same bounds as the fixed-orbit test of
    tests/physics/test_eclipse_steps.py."""
    errors = {}
    for step_s in (60.0, 30.0, 10.0, 5.0):
        twin, exact = _twin_sunlit(step_s, 0.25)
        errors[step_s] = abs(twin - exact)
    assert errors[60.0] < 2e-4 and errors[30.0] < 5e-5 and errors[5.0] < 3e-6
    assert errors[30.0] < errors[60.0] / 3.0

@pytest.mark.slow
def test_twin_and_averaged_availability_agree_over_a_year():
    """A year from 1 January at 30 s, 16 satellites of the reference design (8.4 million
    satellite-steps, a few seconds compiled), every process both models share switched on
    (AP-8 upsets with node restarts and Young/Daly checkpoints, eclipses and the battery, the
    radiator and die governor, links); the twin-only satellite and bus failures off.

    The workload is the default: its output (1 Tb/s) is more than the links carry, so both
    availabilities include the share of results delivered. The averaged model counts each ground
    station for the share of the day it sees the dawn-dusk plane (closed form), the twin steps the
    stations' view of the plane; the link-limited delivery is then the network capacity over the
    output of the compute not lost, in both.

    Tolerance: the issue's 2 %, and a tighter bound derived beforehand. The twin's restart loss is
    a compound Poisson sum: a node interrupt rate lambda (11.5 per satellite-year here), each
    costing ``u tau + R`` (``E[(u tau + R)^2] = tau^2/3 + tau R + R^2``), so the per-satellite
    annual loss has a standard deviation ``sqrt(lambda T E[.]) / T`` ~ 0.12 %; over 16
    satellites 0.03 %, four standard deviations 0.12 %. Systematic allowance 0.1 %: the eclipse
    edges located within each step to O(dt^2) (3e-5 of the time at 30 s, against a zero-margin
    battery) and the one-day SAA calibration of the proton term. The links add no random
    term (clear sky is a constant share); their systematic part is the 30 s sampling of the
    stations' view (two band crossings a pass, each within half a step: ~1e-4 of a ~10 min
    pass a day at the low-latitude sites), the store-and-forward queue's start from empty (the
    capacity it wastes before a backlog builds, under a day in a year: < 0.3 %) and the ring's
    finite satellites per plane where a station grazes the plane's band (the averaged model
    counts the plane in view as soon as the station is inside the band); the delivered share is
    compared on its own to 0.5 %."""
    over = {"sim_days": 365.25, "sim_step_s": 30.0, "sim_satellites": 16, **TWIN_ONLY_OFF}
    o = simulate(REFERENCE, over, seed=7)
    s, d = o.summary, o.result.setup.design
    averaged, twin = s["averaged"]["availability"], s["simulated"]["availability"]
    checks = o.comparison.orbital.design.checks
    assert averaged == pytest.approx(float(checks.availability), rel=1e-12)  # charged: no survival loss
    delivered = float(checks.link_delivered_fraction)
    assert delivered < 0.97  # the links bind at the default output
    assert s["averaged"]["results_delivered_fraction"] == pytest.approx(delivered, rel=1e-12)
    assert s["simulated"]["results_delivered_fraction"] == pytest.approx(delivered, abs=0.005)
    assert twin == pytest.approx(averaged, rel=0.02)
    lam = d.interrupts_per_s
    tau, restart = d.checkpoint_interval_s, d.restart_s
    year = 365.25 * 86400.0
    sd = math.sqrt(lam * year * (tau ** 2 / 3 + tau * restart + restart ** 2)) / year / math.sqrt(16)
    assert abs(twin - averaged) <= 4 * sd + 0.001
    # the loss the twin measured is the upset/restart model's, not something else
    lost = 1.0 - s["simulated"]["compute_availability"]
    assert lost == pytest.approx(float(checks.radiation_compute_loss), abs=4 * sd + 0.001)


def test_links_of_a_dawn_dusk_plane_reach_fewer_stations():
    """Both models count a ground station's terminals only while it sees the constellation: a
    dawn-dusk plane is in view of the polar sites most of the day and of the low-latitude ones
    about a fifth of it, so at the default output (1 Tb/s against ~0.9 Tb/s the stations in view
    carry) both bring down less than all of it and agree, while a quarter of the output gets
    through in both. Ten days at 60 s of 8 satellites; tolerance 1 % for the twin's delivered
    share: the store-and-forward queue starts empty (capacity before a backlog builds is lost,
    ~0.4 % of ten days) and ten days sample the stations' sidereal angle relative to the plane's
    node (the year test compares them over a year at 0.5 %)."""
    base = {"sim_days": 10.0, "sim_step_s": 60.0, "sim_satellites": 8, **TWIN_ONLY_OFF}
    full = simulate(REFERENCE, base).summary
    light = simulate(REFERENCE, {**base, "sim_days": 2.0, "workload_bits_per_j": 250.0}).summary
    averaged = full["averaged"]["results_delivered_fraction"]
    assert 0.5 < averaged < 0.99
    assert full["simulated"]["results_delivered_fraction"] == pytest.approx(averaged, abs=0.01)
    assert light["averaged"]["results_delivered_fraction"] == 1.0
    assert light["simulated"]["results_delivered_fraction"] > 0.99


def test_simulated_lcoc_uses_the_orbital_sides_by_year_hours_and_discount_rate():
    """With the simulated availability equal to the averaged one in every year, the twin's LCOC
    is the averaged LCOC (closed-form present values) to rounding, at an orbital discount rate
    different from the terrestrial one; halving the availability doubles it."""
    from orbitaldc.compare import evaluate
    from orbitaldc.simulate.summary import simulated_lcoc

    c = evaluate(REFERENCE, {"discount_rate_per_yr": 0.08, "orbital_discount_rate_per_yr": 0.12})
    assert float(c.orbital.discount_rate_per_yr) == 0.12
    years = np.asarray(c.orbital.gpu_hours_by_year).size - 1
    same = simulated_lcoc(c, np.ones(years))
    assert same["lcoc_usd_per_gpu_hour"] == pytest.approx(float(c.orbital.lcoc_usd_per_gpu_hour), rel=1e-9)
    assert same["lcoe_usd_per_mwh"] == pytest.approx(float(c.orbital.lcoe_usd_per_mwh), rel=1e-9)
    assert same["delivered_gpu_hours"] == pytest.approx(float(c.orbital.delivered_gpu_hours), rel=1e-12)
    half = simulated_lcoc(c, np.full(years, 0.5))
    assert half["lcoc_usd_per_gpu_hour"] == pytest.approx(2 * same["lcoc_usd_per_gpu_hour"], rel=1e-12)


def test_twin_realizes_the_physics_restart_model():
    """The twin's node interruptions, drawn as events (rollback ``u tau`` plus the restart each,
    checkpoint writes ``C / tau``), cost on average what the physics' restart model says,
    :func:`orbitaldc.physics.radiation.restart_compute_loss` of the node rate. A rate 600x the
    default (0.05 ground interruptions per GPU-day, ~0.7 per satellite-day) so that 20 days of 20
    satellites see ~280 of them; continuous sun (dawn-dusk in January) isolates them. Tolerance:
    4 standard deviations of the compound Poisson loss (``sqrt(lambda T E[(u tau + R)^2]) / T``
    per satellite, over 20) plus the product of the two loss terms (0.03 %), which the twin
    applies multiplicatively and Daly's first-order form adds."""
    from orbitaldc.physics import radiation

    days, n = 20.0, 20
    over = {"ground_interruptions_per_gpu_day": 0.05, "sim_days": days, "sim_step_s": 60.0, "sim_satellites": n,
            "gpu_failure_per_yr": 0.0, **TWIN_ONLY_OFF}
    o = simulate(REFERENCE, over, seed=3)
    s, d = o.summary, o.result.setup.design
    assert s["simulated"]["sunlit_fraction"] == 1.0 and s["losses_wh"]["energy_shortfall"] == 0.0
    lam, tau, restart = d.interrupts_per_s, d.checkpoint_interval_s, d.restart_s
    expected = float(radiation.restart_compute_loss(lam, 60.0, restart))
    assert expected == pytest.approx(float(o.comparison.orbital.design.checks.restart_compute_loss), rel=1e-12)
    t = days * 86400.0
    sd = math.sqrt(lam * t * (tau ** 2 / 3 + tau * restart + restart ** 2)) / t / math.sqrt(n)
    lost = 1.0 - s["simulated"]["compute_availability"]
    assert s["simulated"]["interruptions"] > 0
    assert lost == pytest.approx(expected, abs=4 * sd + 3e-4)
