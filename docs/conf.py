"""Sphinx configuration of the orbitaldc documentation (``make docs``; offline, warnings as errors).

Before the build, :mod:`generate` (beside this file) runs the code and writes ``_generated/``:
the parameter reference from ``params/data/*.toml``, the validation page from the golden files,
the limits from the code's own constants, the architecture picture and every worked output.
Nothing shown in the docs is typed in by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (docs/generate.py)

from orbitaldc import __version__  # noqa: E402

project = "orbitaldc"
author = "orbitaldc contributors"
copyright = "orbitaldc contributors, MIT licence"
version = release = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "_generated", "benchmarks", "README.md"]
# numpydoc References sections list sources a docstring need not cite inline
suppress_warnings = ["ref.citation"]

myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": False}
autodoc_typehints = "none"  # numpydoc's Parameters sections carry the types and units
autodoc_mock_imports: list[str] = []
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

html_theme = "pydata_sphinx_theme"
html_title = f"orbitaldc {release}"
html_static_path: list[str] = []
html_theme_options = {
    "navigation_with_keys": True,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_sidebars = {"index": []}
html_last_updated_fmt = None



def _numpydoc_template_once() -> None:
    """numpydoc builds a new Jinja environment, and compiles its one docstring template, for every
    docstring it renders (a quarter of this build's time); compile it once instead. The pages are
    the same: the template and its loader do not change during a build."""
    from numpydoc import docscrape_sphinx

    base = docscrape_sphinx.SandboxedEnvironment
    compiled: dict[str, object] = {}

    class OnceEnvironment(base):
        def get_template(self, name, *args, **kwargs):
            if name not in compiled:
                compiled[name] = super().get_template(name, *args, **kwargs)
            return compiled[name]

    docscrape_sphinx.SandboxedEnvironment = OnceEnvironment


_numpydoc_template_once()

# Everything the pages include is written before Sphinx reads a page.
generate.main(HERE / "_generated")
