"""The layer order of shared DESIGN.md, enforced on the source: every ``import`` of every module under
``src/orbitaldc`` is read with :mod:`ast` (top-level and inside functions) and checked.

Layers, left to right (a module imports only its own layer or layers to its left):
constants/params -> physics -> launch/finance -> systems -> compare -> analyses -> presentation
-> interfaces. Interfaces (cli, report, web) never import one another, except the commands that
launch another interface lazily (inside the command): ``cli/report.py`` the report package,
``cli/web.py`` the web server.

Library messages name arguments, not command-line flags: no string in a raised error (or a
default ``where`` naming one) of a module outside the interfaces holds a ``--flag``.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

import orbitaldc

SRC = Path(orbitaldc.__file__).parent

#: Layer of each top-level module or package of orbitaldc (0 = leftmost).
LAYERS = {
    "errors": 0, "constants": 0, "params": 0, "extras": 0,
    "physics": 1,
    "launch": 2, "finance": 2, "dollars": 2, "lifecycle": 2,
    "systems": 3,
    "compare": 4, "metrics": 4,
    "sampling": 5, "uncertainty": 5, "sweep": 5, "trajectory": 5, "explain": 5, "claims": 5, "optimize": 5,
    "simulate": 5,
    "formatting": 6, "serialization": 6,
    "cli": 7, "report": 7, "web": 7,
}
INTERFACE = 7
#: Lazy imports of one interface by another that are allowed: (importing module, imported package).
LAUNCHERS = {("cli/report.py", "report"), ("cli/web.py", "web")}
#: Entry points above every layer.
ENTRY = {"__init__.py", "__main__.py"}


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path):
    """(imported top-level orbitaldc part, line, inside a function) of every import in ``path``."""
    rel = path.relative_to(SRC)
    package = list(rel.parts[:-1]) if rel.name != "__init__.py" else list(rel.parts[:-1])
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lazy = set()
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lazy.update(id(n) for n in ast.walk(fn) if isinstance(n, (ast.Import, ast.ImportFrom)))
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name.split(".") for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = ["orbitaldc", *package[:len(package) - node.level + 1]]
                mod = base + (node.module.split(".") if node.module else [])
            else:
                mod = (node.module or "").split(".")
            # ``from orbitaldc import launch``: the names are modules
            targets = [mod + [a.name] for a in node.names] if mod == ["orbitaldc"] else [mod]
        for parts in targets:
            if parts[0] == "orbitaldc" and len(parts) > 1 and parts[1] != "__version__":
                yield parts[1], node.lineno, id(node) in lazy


def test_every_module_has_a_layer():
    tops = {p.relative_to(SRC).parts[0].removesuffix(".py") for p in _modules()} - {"__init__", "__main__"}
    assert tops <= set(LAYERS), f"modules without a layer (add them to LAYERS): {sorted(tops - set(LAYERS))}"


def test_imports_follow_the_layer_order():
    wrong = []
    for path in _modules():
        rel = path.relative_to(SRC)
        if str(rel) in ENTRY:
            continue
        top = rel.parts[0].removesuffix(".py")
        mine = LAYERS[top]
        for target, line, lazy in _imports(path):
            if target == top:
                continue
            theirs = LAYERS.get(target)
            assert theirs is not None, f"{rel}:{line} imports unknown orbitaldc.{target}"
            if theirs > mine:
                wrong.append(f"{rel}:{line}: {top} (layer {mine}) imports {target} (layer {theirs})")
            elif mine == theirs == INTERFACE and not (lazy and (rel.as_posix(), target) in LAUNCHERS):
                wrong.append(f"{rel}:{line}: interface {top} imports interface {target}")
    assert not wrong, "\n".join(wrong)


def test_the_checker_sees_a_violation(tmp_path, monkeypatch):
    """The rules fire: an analysis importing the presentation layer is reported (a test that can fail)."""
    fake = tmp_path / "orbitaldc"
    (fake / "cli").mkdir(parents=True)
    (fake / "claims.py").write_text("from orbitaldc.formatting import usd\n")
    (fake / "cli" / "core.py").write_text("def f():\n    from orbitaldc.report import x\n")
    (fake / "cli" / "report.py").write_text("def f():\n    import orbitaldc.report\n")
    monkeypatch.setattr(sys.modules[__name__], "SRC", fake)
    with pytest.raises(AssertionError) as err:
        test_imports_follow_the_layer_order()
    text = str(err.value)
    assert "claims.py:1: claims (layer 5) imports formatting (layer 6)" in text
    assert "cli/core.py:2: interface cli imports interface report" in text
    assert "cli/report.py" not in text  # the allowed launcher


# --------------------------------------------------------------------------- library messages

#: A command-line flag: two dashes and a lower-case word, not inside a longer token.
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def _library_modules() -> list[Path]:
    return [p for p in _modules() if p.relative_to(SRC).parts[0] not in ("cli", "report", "web")]


def _flag_strings(path: Path) -> list[str]:
    """Strings naming a flag in raised errors, and defaults of ``where`` arguments (named in messages)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def strings(node):
        return [n for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]

    for node in ast.walk(tree):
        hits = []
        if isinstance(node, ast.Raise) and node.exc is not None:
            hits = strings(node.exc)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            named = args.args[len(args.args) - len(args.defaults):] + args.kwonlyargs
            defaults = list(args.defaults) + list(args.kw_defaults)
            hits = [d for a, d in zip(named, defaults) if a.arg == "where" and d is not None]
        elif isinstance(node, ast.keyword) and node.arg == "where":
            hits = strings(node.value)
        found += [f"{path.relative_to(SRC)}:{n.lineno}: {n.value!r}" for n in hits
                  if isinstance(n, ast.Constant) and isinstance(n.value, str) and FLAG.search(n.value)]
    return found


def test_library_errors_name_arguments_not_flags():
    found = [hit for path in _library_modules() for hit in _flag_strings(path)]
    assert not found, "\n".join(found)


def test_the_flag_check_fires(tmp_path, monkeypatch):
    bad = tmp_path / "m.py"
    bad.write_text('def f(x, where="--normalize"):\n    raise ValueError(f"--vary {x}: bad")\n'
                   'def g(s):\n    return s.with_overrides({}, where="--set")\n')
    monkeypatch.setattr(sys.modules[__name__], "SRC", tmp_path)
    hits = _flag_strings(bad)
    assert len(hits) == 3 and any("--vary" in h for h in hits) and any("'--set'" in h for h in hits)
