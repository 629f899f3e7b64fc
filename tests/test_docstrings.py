"""Every public function of the model layers documents itself in numpydoc (issue 11).

The modules below hold the physics, money and model chains; each public module-level function
(including one wrapped by a decorator such as ``functools.lru_cache``) must have ``Parameters``
(when it takes arguments), ``Returns`` and ``References`` sections, as pvlib's
``pvsystem.pvwatts_dc`` does; so must each public method of a public class defined there.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import orbitaldc.physics
import orbitaldc.systems

MODULES = sorted(
    {f"orbitaldc.physics.{m.name}" for m in pkgutil.iter_modules(orbitaldc.physics.__path__)}
    | {f"orbitaldc.systems.{m.name}" for m in pkgutil.iter_modules(orbitaldc.systems.__path__)}
    | {"orbitaldc.physics", "orbitaldc.systems", "orbitaldc.finance", "orbitaldc.launch"})


def _public_functions():
    for name in MODULES:
        module = importlib.import_module(name)
        for attr, obj in vars(module).items():
            if attr.startswith("_") or getattr(obj, "__module__", None) != name:
                continue
            # a decorated function (functools.lru_cache) is a public function too
            if inspect.isfunction(inspect.unwrap(obj)):
                yield f"{name}.{attr}", obj
            elif inspect.isclass(obj):  # and so is a public method of a public class
                for method, member in vars(obj).items():
                    func = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
                    if not method.startswith("_") and inspect.isfunction(inspect.unwrap(func)):
                        yield f"{name}.{attr}.{method}", func


FUNCTIONS = dict(_public_functions())


@pytest.mark.parametrize("qualname", sorted(FUNCTIONS))
def test_numpydoc_sections(qualname):
    func = FUNCTIONS[qualname]
    doc = inspect.getdoc(func) or ""
    params = [p for p in inspect.signature(func).parameters if p not in ("self", "cls")]
    missing = [s for s in (("Parameters",) if params else ()) + ("Returns", "References")
               if f"\n{s}\n{'-' * len(s)}" not in "\n" + doc]
    assert not missing, f"{qualname}: missing numpydoc section(s) {missing}"
