"""The missing-extra hints cannot lie: each optional package's extra declares it in pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from orbitaldc.extras import EXTRA_PURPOSE, PACKAGE_EXTRA, missing_extra_message

PYPROJECT = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
EXTRAS = PYPROJECT["project"]["optional-dependencies"]
CORE = PYPROJECT["project"]["dependencies"]
#: Import name -> distribution name where they differ, or where a package comes with another.
DISTRIBUTION = {"starlette": "fastapi", "distributed": "dask", "swagger_ui_bundle": "swagger-ui-bundle-v2"}


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0].lower() for r in requirements}


def test_every_optional_package_is_declared_in_its_extra():
    for module, extra in PACKAGE_EXTRA.items():
        assert extra in EXTRAS and extra in EXTRA_PURPOSE
        assert DISTRIBUTION.get(module, module).lower() in _names(EXTRAS[extra]), (module, extra)


def test_no_optional_package_in_the_core():
    core = _names(CORE)
    assert not core & {DISTRIBUTION.get(m, m).lower() for m in PACKAGE_EXTRA}


def test_all_brings_every_extra_but_test():
    (everything,) = EXTRAS["all"]
    named = set(everything.split("[", 1)[1].rstrip("]").split(","))
    assert named == set(EXTRAS) - {"all", "test"}


def test_message_names_the_extra_and_only_for_optional_modules():
    msg = missing_extra_message("fastapi.responses", "orbitaldc serve")
    assert msg == ("orbitaldc serve needs the optional package 'fastapi': install the [web] extra for the web page "
                   "and JSON API (pip install 'orbitaldc[web]')")
    assert missing_extra_message("numpy", "x") is None  # a core module missing is a broken install, not a hint
    assert missing_extra_message(None, "x") is None
