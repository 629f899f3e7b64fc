"""Write the numbers of docs/like-for-like.md from the model (``python docs/like_for_like.py``).

Everything between the ``<!-- numbers:begin -->`` and ``<!-- numbers:end -->`` markers of
``docs/like-for-like.md`` is produced here, and the tables of the README's "Like for like" section
(between ``<!-- like-for-like:begin -->`` and its end marker); ``tests/economics/test_like_for_like_doc.py`` fails
when the file and the model disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from markers import between, write_between  # noqa: E402,F401  (docs/markers.py; tests use between)
from orbitaldc.compare import evaluate, scope_mismatch
from orbitaldc.explain import explain
from orbitaldc.launch import launch_learning_fit
from orbitaldc.params import load_library, load_scenario

DOC = Path(__file__).with_name("like-for-like.md")
README = Path(__file__).resolve().parents[1] / "README.md"
BEGIN, END = "<!-- numbers:begin -->", "<!-- numbers:end -->"
README_BEGIN, README_END = "<!-- like-for-like:begin -->", "<!-- like-for-like:end -->"
REFERENCE = "reference-1gw-allin"
#: Published figures (REFERENCES.md sec. 1-2): orbital and ground totals [USD] as the authors state them.
PUBLISHED = {
    "mccalip-2025-12": (51.10e9, 15.85e9, "McCalip (Dec 2025): $51.10B vs $15.85B"),
    "seed-article-1gw": (80.6e9, 42.5e9, "seed article (BNP Paribas) at $1,500/kg: hardware $50B + launch ~$30B vs $35-50B"),
}
#: What each publication leaves out (its preset sets it to zero or to the publication's value);
#: re-run like for like, these take their cited library values. The seed article's lump capex
#: stands for the itemized ground buckets, so they stay zero.
LEFT_OUT = {
    "mccalip-2025-12": ("terrestrial_availability", "construction_years", "terrestrial_om_fraction_per_yr",
                        "terrestrial_staff_usd_per_kw_yr", "gas_plant_fixed_om_usd_per_kw_yr",
                        "gas_plant_variable_om_usd_per_mwh", "property_tax_fraction_per_yr",
                        "terrestrial_insurance_fraction_per_yr", "launch_insurance_fraction",
                        "in_orbit_insurance_fraction_per_yr", "ground_segment_capex_usd_per_w",
                        "licensing_cost_usd_per_yr"),
    "seed-article-1gw": ("terrestrial_availability", "construction_years", "terrestrial_om_fraction_per_yr",
                         "terrestrial_staff_usd_per_kw_yr", "property_tax_fraction_per_yr",
                         "terrestrial_insurance_fraction_per_yr", "launch_insurance_fraction",
                         "in_orbit_insurance_fraction_per_yr", "ground_segment_capex_usd_per_w",
                         "licensing_cost_usd_per_yr", "gas_price_usd_per_mmbtu", "sun_fraction",
                         "cell_degradation_per_yr", "gpu_failure_per_yr", "nre_cost_usd", "ops_cost_fraction_per_yr"),
}
#: Permutations for the sampled Shapley values (fixed seed: the file is reproducible).
PERMUTATIONS, SEED = 400, 12


def like_for_like(name: str):
    """The publication's preset in the reference's scope and clock, with what it leaves out priced."""
    ref = load_scenario(REFERENCE).values
    library = load_library()
    over = {k: ref[k] for k in ("cost_scope", "cost_basis", "dollar_escalation", "real_dollar_year",
                                "discount_rate_per_yr")}
    over.update({k: library[k].value for k in LEFT_OUT[name]})
    return load_scenario(name).with_overrides(over, where="like-for-like")


def _b(x) -> str:
    return f"${float(x) / 1e9:,.2f}B"


def _r(x) -> str:
    return f"{float(x):.2f}x"


def _top(attr, n: int = 6) -> str:
    rows = [f"| `{p}` | {attr.values_a[p]!s} | {attr.values_b[p]!s} | {c:+.3f}x |"
            for p, c in list(attr.contributions.items())[:n]]
    rest = attr.difference - sum(list(attr.contributions.values())[:n])
    return "\n".join(["| parameter | as published | like for like | moves the LCOC ratio by |", "|---|---|---|---|",
                      *rows, f"| all others | | | {rest:+.3f}x |"])


def _clock() -> list[str]:
    """McCalip's ground facility levelized two ways at 7 % (the issue's example), and the launch fit."""
    lives = {f"{k}_life_yr": 20 for k in ("civil", "electrical", "mechanical", "network", "gas_turbine")}
    window = evaluate("mccalip-2025-12", {"discount_rate_per_yr": 0.07}).terrestrial
    life = evaluate("mccalip-2025-12", {"cost_basis": "lifecycle", "discount_rate_per_yr": 0.07, **lives}).terrestrial
    fit = launch_learning_fit()
    return [f"- McCalip's ground facility at 7 %: ${float(window.lcoe_usd_per_mwh):,.0f}/MWh charged in full to his "
            f"5-year window (`cost_basis = \"capex\"`), ${float(life.lcoe_usd_per_mwh):,.0f}/MWh on 20-year lives "
            f"(`\"lifecycle\"`: CRF(0.07, 20) x capex / annual energy + fuel).",
            f"- Launch price history fitted to Wright's law ({fit.points} price points of the price-setting "
            f"family): {fit.learning_rate:.0%} lower per doubling of its cumulative launches, one standard error "
            f"{fit.learning_rate_low:.0%}-{fit.learning_rate_high:.0%} (Google Suncatcher assumes 20 %); "
            f"`orbitaldc trajectory` uses the fit and samples its error.", ""]


def _tables() -> tuple[list[str], list[str], list[tuple]]:
    """The cases table, the reference's side-by-side table, and the evaluated cases."""
    out: list[str] = []
    out.append("| case | published | reproduced (own scope) | like for like: cost ratio | like for like: LCOC ratio "
               "| scope as published |")
    out.append("|---|---|---|---|---|---|")
    cases = []
    for name, (po, pt, _) in PUBLISHED.items():
        own, like = evaluate(name), evaluate(like_for_like(name))
        mismatch = ", ".join(f"{k} {a}" for k, (a, _) in scope_mismatch(own.values, like.values).items())
        out.append(f"| `{name}` | {_b(po)} vs {_b(pt)} = {po / pt:.2f}x | {_b(own.orbital.total_cost_usd)} vs "
                   f"{_b(own.terrestrial.total_cost_usd)} = {_r(own.cost_ratio)} | {_r(like.cost_ratio)} | "
                   f"{_r(like.lcoc_ratio)} | {mismatch} |")
        cases.append((name, own, like))
    ref = evaluate(REFERENCE)
    out.append(f"| `{REFERENCE}` | (none: orbitaldc's own) | {_b(ref.orbital.total_cost_usd)} vs "
               f"{_b(ref.terrestrial.total_cost_usd)} = {_r(ref.cost_ratio)} | {_r(ref.cost_ratio)} | "
               f"{_r(ref.lcoc_ratio)} | all_in, lifecycle, cpi |")
    o, t = ref.orbital, ref.terrestrial
    out += ["", f"The reference, side by side (10 years, 1 GW of IT, {int(ref.scope['real_dollar_year'])} dollars, "
                f"{float(o.discount_rate_per_yr):.0%} real):", "",
            "| | orbital | terrestrial |", "|---|---|---|",
            f"| LCOC (discounted $ per delivered GPU-hour) | ${float(o.lcoc_usd_per_gpu_hour):.3f} | "
            f"${float(t.lcoc_usd_per_gpu_hour):.3f} |",
            f"| delivered GPU-hours (undiscounted) | {float(o.delivered_gpu_hours) / 1e9:,.1f}e9 | "
            f"{float(t.delivered_gpu_hours) / 1e9:,.1f}e9 |",
            f"| compute availability | {float(o.compute_availability):.4f} (radiation mitigation and the ground "
            f"links' delivered share; failures without repair on top) | {float(t.compute_availability):.5f} (Tier III) |",
            f"| IT equipment (first purchase) | {_b(o.it_equipment_cost_usd)} | {_b(t.it_equipment_cost_usd)} |",
            f"| renewals within 10 years | {_b(o.renewal_cost_usd)} (fleet relaunched after "
            f"{float(o.generation_years):.0f} years) | {_b(t.renewal_cost_usd)} (IT refreshed) |",
            f"| residual value at year 10 | {_b(o.residual_value_usd)} | {_b(t.residual_value_usd)} |",
            f"| total, undiscounted | {_b(o.total_cost_usd)} | {_b(t.total_cost_usd)} |",
            f"| lifecycle CO2 | {float(o.lifecycle_co2_kg) / 1e9:,.1f} Mt (launch and manufacture) | "
            f"{float(t.lifecycle_co2_kg) / 1e9:,.1f} Mt (gas burned, construction, IT) |"]
    split = out.index("")
    return out[:split], out[split + 1:], cases


def readme_block() -> str:
    """The README's "Like for like" tables: the published cases re-run, and the reference."""
    cases, reference, _ = _tables()
    return "\n".join([*cases, "", *reference])


def render() -> str:
    """The generated part of docs/like-for-like.md."""
    cases_table, reference, cases = _tables()
    out = [*_clock(), *cases_table, "", *reference]
    for name, own, like in cases:
        attr = explain(name, like_for_like(name), "lcoc_ratio", permutations=PERMUTATIONS, seed=SEED)
        out += ["", f"What moves `{name}` from its own scope ({_r(attr.value_a)} on LCOC) to like for like "
                    f"({_r(attr.value_b)}): `explain` on the LCOC ratio, through both sides' totals "
                    f"({attr.method}{'' if attr.method == 'exact' else f', {attr.permutations} orders, seed {SEED}'}; "
                    f"largest first):", "", _top(attr)]
    attr = explain("reference-1gw-terminator", REFERENCE, "lcoc_ratio", permutations=PERMUTATIONS, seed=SEED)
    out += ["", f"And from the physics baseline at McCalip's costs (`reference-1gw-terminator`, {_r(attr.value_a)}) "
                f"to the like-for-like reference ({_r(attr.value_b)}):", "", _top(attr, 8)]
    return "\n".join(out)


def main() -> None:
    write_between(DOC, BEGIN, END, render())
    write_between(README, README_BEGIN, README_END, readme_block())
    print(f"wrote {DOC} and the README's like-for-like tables", file=sys.stderr)


if __name__ == "__main__":
    np.set_printoptions(precision=4)
    main()
