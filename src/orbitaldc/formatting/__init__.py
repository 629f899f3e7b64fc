"""The presentation layer: numbers, sentences and table rows that every interface writes.

Every interface (CLI, HTML report, web API) writes a number through these functions, so one
quantity reads the same everywhere: ``$51.10B``, ``$1,167/MWh``, ``$2.063/GPU-h``, ``3.224x``,
``12.34 %``. The analyses return structured results; the words are written here. Nothing here
computes a model quantity. Non-finite and missing values are written ``n/a``.

Modules: :mod:`.numbers` (money, quantities, metrics, parameter values, safe text),
:mod:`.words` (break-even, attribution, headline, scope, launch learning), :mod:`.claims`
(claim verdicts), :mod:`.tables` (side-by-side, physics checks, simulation summary rows).
"""

from orbitaldc.formatting.numbers import (NOT_AVAILABLE, file_stem, first, metric, number, one_line, percent,
                                          quantity, ratio, usd, usd_per, value)
from orbitaldc.formatting.words import (breakeven_text, explain_summary, learning_text, like_for_like_text,
                                        scope_note, scope_text, verdict)
from orbitaldc.formatting.claims import CALIBRATED_NOTE, claim_dict, claim_labels, claim_reason
from orbitaldc.formatting.tables import (COST_GROUPS, RowGroup, design_check_rows, side_by_side, side_scope_mismatch,
                                         simulation_rows)

__all__ = ["CALIBRATED_NOTE", "COST_GROUPS", "NOT_AVAILABLE", "RowGroup", "breakeven_text", "claim_dict",
           "claim_labels", "claim_reason", "design_check_rows", "explain_summary", "file_stem", "first",
           "learning_text", "like_for_like_text", "metric", "number", "one_line", "percent", "quantity", "ratio",
           "scope_note", "scope_text", "side_by_side", "side_scope_mismatch", "simulation_rows", "usd", "usd_per",
           "value", "verdict"]
