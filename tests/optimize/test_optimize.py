"""Design optimization: known optima, constraints, held-fixed parameters, Pareto fronts, errors, CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest

from orbitaldc.cli.testing import invoke
from orbitaldc.compare import evaluate
from orbitaldc.errors import OrbitaldcError
from orbitaldc.optimize import (
    CONSTRAINTS,
    Constraint,
    minimize_population,
    non_dominated,
    optimize,
    pareto,
    pareto_search,
    parse_vary,
)
from orbitaldc.params import load_scenario

def cli(*args):
    return invoke(*args, columns=200)


# ----------------------------------------------------------------------------- generic search

def test_known_optimum_with_integer_and_active_constraint():
    """min (x-1)^2 + (y-2.3)^2 + (n-3.4)^2, n integer, s.t. x + y <= 2.

    The continuous part is the projection of (1, 2.3) on x + y = 2: (0.35, 1.65); the integer
    part is n = 3; f* = 2 * 0.65^2 + 0.4^2 = 1.005. Tolerance 2e-3 on x, y: differential
    evolution's population converges to ~1e-6 relative spread with tol=1e-8; 2e-3 leaves
    room for the stochastic search while still excluding the unconstrained optimum (1, 2.3).
    """
    def evaluate_xyz(X):
        x, y, n = X.T
        assert np.all(n == np.round(n)), "integer variable must be rounded before the model sees it"
        f = (x - 1) ** 2 + (y - 2.3) ** 2 + (n - 3.4) ** 2
        return f[:, None], (x + y - 2.0)[:, None]

    res = minimize_population(evaluate_xyz, [(-5, 5), (-5, 5), (0, 10)], np.array([False, False, True]),
                              seed=1, popsize=20, maxiter=400, tol=1e-8, n_constraints=1)
    assert res.feasible
    assert res.x[0] == pytest.approx(0.35, abs=2e-3)
    assert res.x[1] == pytest.approx(1.65, abs=2e-3)
    assert res.x[2] == 3.0
    assert res.f == pytest.approx(1.005, abs=1e-4)
    assert res.g[0] == pytest.approx(0.0, abs=1e-3)  # the constraint is active


def test_minimize_population_reports_infeasible():
    """x >= 3 cannot hold on [0, 1]: the least-violating point x = 1 is returned, flagged infeasible."""
    res = minimize_population(lambda X: (X[:, :1] ** 2, 3.0 - X[:, :1]), [(0.0, 1.0)], seed=0, maxiter=30,
                              n_constraints=1)
    assert not res.feasible
    assert res.x[0] == pytest.approx(1.0, abs=1e-3)


def test_non_dominated_hand_example():
    F = np.array([[1, 5], [2, 3], [3, 4], [4, 1], [2, 3], [5, 5], [np.inf, 0]], dtype=float)
    # (3,4) is dominated by (2,3); (5,5) by everything; the duplicate (2,3) keeps one copy; inf is dropped
    assert non_dominated(F).tolist() == [True, True, False, True, False, False, False]


def test_pareto_search_schaffer_front():
    """Schaffer's problem N.1: f1 = x^2, f2 = (x-2)^2; the Pareto set is 0 <= x <= 2 (Deb 2001, sec. 2.2)."""
    def schaffer(X):
        x = X[:, 0]
        return np.stack([x ** 2, (x - 2) ** 2], axis=1), np.zeros((X.shape[0], 0))

    X, F, _, n = pareto_search(schaffer, [(-10.0, 10.0)], samples=256, rounds=3, seed=3)
    assert n >= 256 and len(X) > 20
    # a finite sample may keep a point just outside [0, 2] when no sampled point dominates it;
    # after 3 refinement rounds (thousands of samples near the front) that is < 1e-3
    assert X[:, 0].min() >= -1e-3 and X[:, 0].max() <= 2 + 1e-3
    assert X[:, 0].min() < 1e-2 and X[:, 0].max() > 2 - 1e-2
    assert F[:, 0].min() < 1e-3 and F[:, 1].min() < 1e-3  # both ends reached
    assert np.all(np.diff(F[:, 0]) > 0) and np.all(np.diff(F[:, 1]) < 0)  # sorted, strictly trading


# ----------------------------------------------------------------------------- the model

def test_model_optimum_known_at_bound_and_no_worse_than_preset():
    """LCOC falls monotonically with W/kg (less mass to launch), so the optimum is the top of the range."""
    r = optimize("mccalip-2025-12", "lcoc", seed=0, maxiter=60)
    assert [v.name for v in r.variables] == ["specific_power_w_per_kg"]
    assert r.design["specific_power_w_per_kg"] == 60.0  # snapped onto the bound it converged to
    exact = float(evaluate("mccalip-2025-12", {"specific_power_w_per_kg": 60.0}).orbital.lcoc_usd_per_gpu_hour)
    assert r.value == pytest.approx(exact, rel=1e-12)
    assert r.value <= r.preset_value
    assert r.feasible and all(c.satisfied for c in r.constraints)
    assert "specific_power_w_per_kg@high" in r.active_constraints


def test_active_constraint_is_found_and_reported():
    """With kg/kW >= 25 (a stand-in lower bound on mass) the optimum sits on it: known kg/kW = 25."""
    floor = Constraint("mass_floor", "kg/kW at least 25", "kg/kW", ">=",
                       lambda c: (c.orbital.specific_mass_kg_per_kw, 25.0), "test")
    r = optimize("mccalip-2025-12", "lcoc", constraints=[floor, CONSTRAINTS["deployment_cadence"]], seed=2,
                 maxiter=120)
    kg_kw = float(r.comparison.orbital.specific_mass_kg_per_kw)
    assert kg_kw == pytest.approx(25.0, rel=2e-3) and kg_kw >= 25.0
    assert r.active_constraints == ["mass_floor"]
    base = float(evaluate("mccalip-2025-12").orbital.specific_mass_kg_per_kw)  # 29.39 kg/kW at 36.5 W/kg
    assert r.design["specific_power_w_per_kg"] == pytest.approx(36.5 * base / 25.0, rel=2e-3)


def test_constraints_hold_when_re_evaluated():
    r = optimize("seed-article-1gw", "total_cost", seed=0, maxiter=60)
    sc = load_scenario("seed-article-1gw").with_overrides(r.design)
    c = evaluate(sc)
    assert float(c.orbital.deployment_years) <= float(sc.values["max_deployment_years"])
    assert float(c.orbital.total_cost_usd) == pytest.approx(r.value, rel=1e-12)
    assert r.value <= r.preset_value


def test_held_fixed_lists_assumptions_and_no_effect_parameters():
    r = optimize("mccalip-2025-12", seed=0, maxiter=20)
    held = r.held_fixed
    for name in ("launch_cost_usd_per_kg", "satellite_cost_usd_per_w", "gpu_failure_per_yr",
                 "discount_rate_per_yr", "gpu_utilization"):
        assert held[name].startswith("assumption")
    assert "without a design range" in held["satellite_power_w"]
    # McCalip's whole-satellite W/kg model never reads the bottom-up physics design variables
    for name in ("altitude_m", "radiator_temperature_k", "shielding_thickness_m"):
        assert "no effect" in held[name] and "specific_power" in held[name]
    assert r.warnings == []
    assert "deployment_cadence" in [c.name for c in r.constraints]


def test_varying_an_assumption_warns_loudly():
    r = optimize("mccalip-2025-12", vary={"launch_cost_usd_per_kg": (30.0, 3600.0)}, seed=0, maxiter=40)
    assert any("launch_cost_usd_per_kg is an assumption" in w for w in r.warnings)
    var = {v.name: v for v in r.variables}["launch_cost_usd_per_kg"]
    assert var.explicit and var.log  # 120x span: searched on a log scale
    assert r.design["launch_cost_usd_per_kg"] == pytest.approx(30.0, rel=1e-3)


def test_integer_variable_rounded_inside_the_model():
    r = optimize("mccalip-2025-12", "lcoc", vary={"analysis_years": (3, 12)}, seed=0, maxiter=40)
    years = r.design["analysis_years"]
    assert isinstance(years, int)
    exact = evaluate("mccalip-2025-12", {"analysis_years": years, "specific_power_w_per_kg":
                                         r.design["specific_power_w_per_kg"]})
    assert r.value == pytest.approx(float(exact.orbital.lcoc_usd_per_gpu_hour), rel=1e-12)


def test_infeasible_problem_reported():
    sc = load_scenario("mccalip-2025-12", {"max_deployment_years": 0.5})
    r = optimize(sc, seed=0, maxiter=20)
    assert not r.feasible
    assert "infeasible" in r.message and "deployment_cadence" in r.message
    assert r.violations()


@pytest.mark.parametrize("vary, match", [
    ({"specific_power_w_per_kg": (60.0, 20.0)}, "LOW must be below HIGH"),
    ({"specific_power_w_per_kg": (0.0, 20.0)}, "outside the allowed range"),
    ({"specific_power_w_per_kg": (float("nan"), 20.0)}, "finite"),
    ({"specific_pwr": (1.0, 2.0)}, "unknown parameter"),
    ({"mass_model": (1.0, 2.0)}, "model choice"),
    ({"analysis_years": (3.2, 3.8)}, "no two whole numbers"),
])
def test_bad_bounds_rejected(vary, match):
    with pytest.raises(OrbitaldcError, match=match):
        optimize("mccalip-2025-12", vary=vary, maxiter=5)


def test_bad_requests_rejected():
    with pytest.raises(OrbitaldcError, match="objective 'cheap'"):
        optimize("mccalip-2025-12", "cheap")
    with pytest.raises(OrbitaldcError, match="expected NAME=LOW:HIGH"):
        parse_vary(["specific_power_w_per_kg=20"])
    with pytest.raises(OrbitaldcError, match="must be numbers"):
        parse_vary(["specific_power_w_per_kg=a:b"])
    with pytest.raises(OrbitaldcError, match="two or three"):
        pareto("mccalip-2025-12", ["lcoc"])
    with pytest.raises(OrbitaldcError, match="needs a single scenario"):
        optimize(load_scenario("mccalip-2025-12", {"launch_cost_usd_per_kg": [100.0, 200.0]}))


def test_robust_design_common_random_numbers():
    """P90 >= P50 of the same sample; the same seed reproduces the result exactly."""
    kw = dict(samples=32, seed=5, maxiter=15, popsize=8)
    sc = load_scenario("mccalip-2025-12", {"max_deployment_years": 12.0})
    p50 = optimize(sc, robust="p50", **kw)
    p90 = optimize(sc, robust="p90", **kw)
    again = optimize(sc, robust="p90", **kw)
    assert p50.feasible and p90.feasible
    assert p90.value >= p50.value
    # constraint quantities are reported at the same quantile: P90 deployment > nominal 1.34 yr
    dep = {c.name: c for c in p90.constraints}["deployment_cadence"]
    assert dep.value > float(p90.comparison.orbital.deployment_years)
    # at the default 3-year limit the P90 cadence (launches_per_yr down to 20/yr) cannot deploy in time
    tight = optimize("mccalip-2025-12", robust="p90", **kw)
    assert not tight.feasible and "P90 over the assumptions" in tight.message
    assert again.value == p90.value and again.design == p90.design
    assert p90.robust["common_random_numbers"] and "launch_cost_usd_per_kg" in p90.robust["sampled"]
    assert "specific_power_w_per_kg" not in p90.robust["sampled"]  # design variables are not sampled
    # only the assumptions the objective and constraints read are sampled (declared inputs)
    assert "earth_albedo" not in p90.robust["sampled"] and "not an input" in p90.robust["not_sampled"]["earth_albedo"]
    assert p90.robust["not_sampled"]["specific_power_w_per_kg"] == "a searched design variable"
    with pytest.raises(OrbitaldcError, match="robust = .p99."):
        optimize("mccalip-2025-12", robust="p99", maxiter=5)


def test_model_pareto_front_years_trade_total_cost_for_lcoc():
    """Longer operation raises the total bill but spreads fixed costs: a genuine two-objective trade."""
    r = pareto("mccalip-2025-12", ["lcoc", "total_cost"], vary={"analysis_years": (3, 10)}, points=128,
               rounds=2, seed=0, anchor_maxiter=20)
    F = r.values
    assert len(r.designs) >= 3
    assert np.all(non_dominated(F))
    assert np.all(np.diff(F[:, 0]) > 0) and np.all(np.diff(F[:, 1]) < 0)
    years = [d["analysis_years"] for d in r.designs]
    assert years == sorted(years, reverse=True)
    assert all(np.all(r.margins <= 0, axis=1))


# ----------------------------------------------------------------------------- physics constraints

def test_physics_constraints_not_applicable_without_bottom_up():
    r = optimize("mccalip-2025-12", maxiter=10)
    for name in ("die_temperature", "dose_margin", "battery_cycle_life", "downlink", "drag_propellant"):
        assert name in r.not_applicable and "specific_power" in r.not_applicable[name]


def test_bottom_up_optimum_meets_every_physics_limit():
    """Die temperature = radiator temperature + TDP x R (bottom-up thermal chain); with the die
    limit binding, the optimum radiator temperature is known: 358.15 K - 700 W x 0.04 K/W = 330.15 K
    (sim_die_limit_k, gpu_tdp_w, die_to_radiator_k_per_w library defaults). Tolerance 1e-3 K:
    the compass polish halves its step to 1e-7 of the 300-360 K range."""
    sc = load_scenario("mccalip-2025-12", {"mass_model": "bottom_up"})
    r = optimize(sc, seed=0, maxiter=60)
    assert r.feasible
    names = {c.name for c in r.constraints}
    assert {"die_temperature", "dose_margin", "battery_cycle_life", "downlink", "drag_propellant",
            "deployment_cadence"} <= names and not r.not_applicable
    v = sc.values
    expected_k = v["sim_die_limit_k"] - v["gpu_tdp_w"] * v["die_to_radiator_k_per_w"]
    assert r.design["radiator_temperature_k"] == pytest.approx(expected_k, abs=1e-3)
    assert "die_temperature" in r.active_constraints
    # re-evaluate through the validating path: every constraint holds
    c = evaluate(sc.with_overrides(r.design))
    for con in r.constraints:
        value, limit = CONSTRAINTS[con.name].quantity(c)
        assert CONSTRAINTS[con.name].margin(value, limit) <= 0, con.name
    assert float(c.orbital.lcoc_usd_per_gpu_hour) == pytest.approx(r.value, rel=1e-12)


# ----------------------------------------------------------------------------- reference design

def test_reference_terminator_optimum_feasible_and_no_worse():
    r = optimize("reference-1gw-terminator", seed=0, maxiter=40)
    assert r.feasible and r.value <= r.preset_value
    # as given, the 330 K radiator puts the die at 330 + 700 W x 0.04 K/W = 358 K, just inside the
    # 358.15 K limit; the preset's fleet takes 3.98 yr to launch at 134 a year, over the 3-year limit
    assert not r.preset_feasible and not any(v.startswith("die_temperature") for v in r.preset_violations)
    assert any(v.startswith("deployment_cadence") for v in r.preset_violations)
    sc = load_scenario("reference-1gw-terminator").with_overrides(r.design)
    c = evaluate(sc)
    for con in r.constraints:
        value, limit = CONSTRAINTS[con.name].quantity(c)
        assert CONSTRAINTS[con.name].margin(value, limit) <= 0, con.name


# ----------------------------------------------------------------------------- CLI

def test_cli_json_lists_active_and_fixed():
    proc = cli("optimize", "mccalip-2025-12", "--format", "json", "--maxiter", "40")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["feasible"] and out["objective"]["value"] <= out["objective"]["scenario_value"]
    assert out["active_constraints"] == ["specific_power_w_per_kg@high"]
    assert out["held_fixed"]["launch_cost_usd_per_kg"].startswith("assumption")
    assert out["evaluations_per_second"] > 0


def test_cli_table_and_warning():
    proc = cli("optimize", "mccalip-2025-12", "--vary", "launch_cost_usd_per_kg=100:3600", "--maxiter", "30")
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" in proc.stdout and "assumption" in proc.stdout
    assert "Active constraints:" in proc.stdout and "Held fixed" in proc.stdout


def test_cli_errors_exit_2():
    bad = cli("optimize", "mccalip-2025-12", "--vary", "specific_power_w_per_kg=60:20")
    assert bad.returncode == 2 and bad.stderr.startswith("error:") and "LOW must be below HIGH" in bad.stderr
    assert "Traceback" not in bad.stderr
    inf = cli("optimize", "mccalip-2025-12", "--set", "max_deployment_years=0.5", "--maxiter", "10")
    assert inf.returncode == 2 and "infeasible" in inf.stderr and "deployment_cadence" in inf.stderr
    assert len(inf.stderr.strip().splitlines()) == 1


def test_cli_pareto_plot(tmp_path):
    png = tmp_path / "front.png"
    proc = cli("optimize", "mccalip-2025-12", "--pareto", "lcoc,total_cost", "--vary", "analysis_years=3:10",
               "--plot", str(png))
    assert proc.returncode == 0, proc.stderr
    assert "Pareto front" in proc.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = cli("optimize", "mccalip-2025-12", "--plot", str(tmp_path / "x.png"))
    assert bad.returncode == 2 and "--pareto" in bad.stderr


def test_cli_robust_and_pareto_json():
    proc = cli("optimize", "mccalip-2025-12", "--robust", "p90", "-n", "16", "--set", "max_deployment_years=12",
               "--maxiter", "15", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["robust"]["quantile"] == "p90" and out["robust"]["samples"] == 16
    assert out["objective"]["value"] > out["objective"]["nominal_value"]  # P90 LCOC above the nominal
    proc = cli("optimize", "mccalip-2025-12", "--pareto", "lcoc,total_cost", "--vary", "analysis_years=3:6",
               "--format", "json")
    assert proc.returncode == 0, proc.stderr
    pts = json.loads(proc.stdout)["points"]
    assert [p["design"]["analysis_years"] for p in pts] == [6, 5, 4, 3]
    bad = cli("optimize", "mccalip-2025-12", "--pareto", "lcoc,cheap")
    assert bad.returncode == 2 and "objective 'cheap'" in bad.stderr
