"""Suite-wide collection order: modules holding slow tests first.

``make test`` spreads whole modules over one pytest-xdist worker per core (``--dist loadscope``);
starting the longest modules (the wheel built and installed in a fresh venv, the Sphinx build,
the simulated year) first keeps one worker from running them alone at the end. Only the order
changes: every test runs, and each module's tests keep their own order.
"""

from __future__ import annotations


def pytest_collection_modifyitems(config, items):
    slow_modules = {item.module.__name__ for item in items
                    if item.get_closest_marker("slow") is not None and getattr(item, "module", None)}
    items.sort(key=lambda item: getattr(item, "module", None) is None or item.module.__name__ not in slow_modules)
