"""Suite-wide collection order: the longest modules first.

``make test`` spreads whole modules (and test classes) over one pytest-xdist worker per core
(``--dist loadscope --no-loadscope-reorder``: xdist's own reordering would put the modules with
the most tests first instead). Starting the longest ones first keeps one worker from running
them alone at the end: the few listed in :data:`LONGEST` (their durations measured on a 2-core
machine, 2026-11-27, in the order to start them), then every other module holding a test marked
``slow``, then the rest. Only the order changes: every test runs, and each module's tests keep
their own order.
"""

from __future__ import annotations

#: Module -> seconds it took (docs build with Sphinx -W, schema fuzzing of every API operation,
#: the physics validation script, the wheel in a fresh venv); an order, not a limit.
LONGEST = {
    "test_fuzz": 70.0,
    "test_docs_build": 51.0,
    "test_physics_page": 29.0,
    "test_wheel": 26.0,
}


def pytest_collection_modifyitems(config, items):
    slow_modules = {item.module.__name__ for item in items
                    if item.get_closest_marker("slow") is not None and getattr(item, "module", None)}

    def rank(item):
        module = getattr(item, "module", None)
        name = module.__name__ if module is not None else ""
        if name in LONGEST:
            return (0, -LONGEST[name])
        return (1 if name in slow_modules else 2, 0.0)

    items.sort(key=rank)
