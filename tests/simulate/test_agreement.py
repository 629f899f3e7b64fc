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
    """Three days from 21 June, eight satellites, every process on. The step is 5 s: the design's
    battery holds exactly the longest (cylindrical) eclipse's energy, with no margin, and a step
    samples an eclipse's entry and exit to within one step; at 10 s and below no shortfall is
    left (the conical penumbra's partial sunlight is the margin), at the default 30 s the
    sampling error alone sheds ~0.03 % of the energy on the longest eclipses."""
    o = simulate(REFERENCE, {"sim_start_day": SOLSTICE_DAY, "sim_days": 3.0, "sim_satellites": 8, "sim_step_s": 5.0})
    s = o.summary
    env = o.comparison.orbital.design.environment
    # the run really is in the eclipse season: the twin's shadow share is the design's worst orbit
    worst = float(env.sizing_eclipse_s) / float(env.period_s)
    assert 1.0 - s["simulated"]["sunlit_fraction"] == pytest.approx(worst, rel=0.01)  # conical vs cylindrical
    assert s["losses_wh"]["energy_shortfall"] == 0.0
    assert s["simulated"]["compute_availability"] > 0.98  # what is lost is restarts and checkpoints only
    assert s["losses_wh"]["thermal_throttle"] == 0.0


@pytest.mark.slow
def test_twin_and_averaged_availability_agree_over_a_year():
    """A year from 1 January at 30 s, 16 satellites of the reference design (8.4 million
    satellite-steps, a few seconds compiled), every process both models share switched on
    (AP-8 upsets with node restarts and Young/Daly checkpoints, eclipses and the battery, the
    radiator and die governor, links); the twin-only satellite and bus failures off.

    The workload's output is set to a quarter of the default so that the links carry all of it
    in both models: the averaged model caps the network at stations x terminals x rate x clear
    sky with every station busy, while the twin's dawn-dusk plane is in view of about 4 of the 10
    stations at a time (test_links_of_a_dawn_dusk_plane_reach_fewer_stations, reported).

    Tolerance: the issue's 2 %, and a tighter bound derived beforehand. The twin's restart loss is
    a compound Poisson sum: a node interrupt rate lambda (11.5 per satellite-year here), each
    costing ``u tau + R`` (``E[(u tau + R)^2] = tau^2/3 + tau R + R^2``), so the per-satellite
    annual loss has a standard deviation ``sqrt(lambda T E[.]) / T`` ~ 0.12 %; over 16
    satellites 0.03 %, four standard deviations 0.12 %. Systematic allowance 0.1 %: sampling of
    eclipse boundaries against a zero-margin battery (~0.03 % of the energy on the season's
    longest eclipses) and the one-day SAA calibration of the proton term."""
    over = {"sim_days": 365.25, "sim_step_s": 30.0, "sim_satellites": 16, "workload_bits_per_j": 250.0,
            **TWIN_ONLY_OFF}
    o = simulate(REFERENCE, over, seed=7)
    s, d = o.summary, o.result.setup.design
    averaged, twin = s["averaged"]["availability"], s["simulated"]["availability"]
    checks = o.comparison.orbital.design.checks
    assert averaged == pytest.approx(float(checks.availability), rel=1e-12)  # charged: no survival loss
    assert s["simulated"]["results_delivered_fraction"] > 0.999
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
    """The twin's link capacity has the averaged model's cap (stations x terminals x rate x clear
    sky) but only for stations that see the constellation: a dawn-dusk plane is in view of the
    polar sites nearly always and of the low-latitude ones about a fifth of the time, so at the
    default output (1 Tb/s against a 2.4 Tb/s cap) the twin brings down less than the averaged
    model's 100 %, while a quarter of the output gets through."""
    base = {"sim_days": 2.0, "sim_step_s": 60.0, "sim_satellites": 8, **TWIN_ONLY_OFF}
    full = simulate(REFERENCE, base).summary
    light = simulate(REFERENCE, {**base, "workload_bits_per_j": 250.0}).summary
    assert full["averaged"]["results_delivered_fraction"] == 1.0
    assert 0.5 < full["simulated"]["results_delivered_fraction"] < 0.99
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
