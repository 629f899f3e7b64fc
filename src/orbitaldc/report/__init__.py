"""A self-contained HTML report of one scenario, and waterfall charts of :mod:`orbitaldc.explain`.

The report is one file that works offline: plotly.js is embedded inline (no CDN, no network
request), every chart is drawn from numbers computed by :mod:`orbitaldc.compare`,
:mod:`orbitaldc.uncertainty`, :mod:`orbitaldc.explain`, and optionally :mod:`orbitaldc.optimize`
(a Pareto front) and :mod:`orbitaldc.simulate` (a simulated run) (no model arithmetic here), and the
scenario's TOML is included so the run can be repeated::

    >>> from orbitaldc.report import render_report
    >>> html = render_report("mccalip-2025-12")
    >>> "Plotly.newPlot" in html
    True

Modules: :mod:`.figures` (plotly charts and the matplotlib waterfall), :mod:`.sections` (HTML
fragments), :mod:`.render` (the page). Numbers are written by :mod:`orbitaldc.formatting`; the
report never imports the command line or the web interface.
"""

from __future__ import annotations

from orbitaldc.report import figures, sections  # noqa: F401  (submodules, in import order)
from orbitaldc.report.figures import save_waterfall, waterfall_figure, waterfall_steps
from orbitaldc.report.render import default_path, render_report, write_report

__all__ = ["default_path", "render_report", "save_waterfall", "waterfall_figure", "waterfall_steps", "write_report"]
