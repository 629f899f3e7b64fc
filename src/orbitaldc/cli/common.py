"""What every command shares: loading a scenario (warnings, ``--strict``), output paths checked up
front, and a console that prints user text literally.

User text (scenario names, titles, parameter values, messages quoting input) never reaches Rich as
markup: :func:`console` returns a console that renders every string literally, without control
characters, so ``[link=...]``, ``[/]`` or escape sequences in a title print as typed and harmlessly.
"""

from __future__ import annotations

import math
import os
import tempfile
from enum import Enum
from pathlib import Path
from typing import Any, Mapping

from rich.console import Console
from rich.text import Text

from orbitaldc.errors import OrbitaldcError
from orbitaldc.formatting import RowGroup, one_line
from orbitaldc.params import Scenario, load_scenario, parse_assignment

SCENARIO_HELP = "A preset name (see `orbitaldc presets`) or a scenario TOML file."
SET_HELP = "Override a parameter: KEY=VALUE, or KEY=[a,b,c] for an array. Repeatable."
#: Largest seed a command accepts (every random stream takes it; legacy NumPy seeding stops at 2^32 - 1).
SEED_MAX = 2**32 - 1
#: Keyword arguments of every ``--seed`` option: a whole number in [0, SEED_MAX].
SEED = {"min": 0, "max": SEED_MAX}
#: Options that apply to the whole invocation (set by the ``orbitaldc`` callback before a command runs).
OPTIONS: dict[str, Any] = {"strict": False}


class Format(str, Enum):
    table = "table"
    json = "json"


# --------------------------------------------------------------------------- console


class _LiteralConsole(Console):
    """A console that renders every string literally (no markup, no emoji codes, no control characters)."""

    def render_str(self, text: str, **kwargs: Any) -> Text:  # noqa: D401 - Rich's hook for every str printed
        kwargs["markup"] = False
        kwargs["emoji"] = False
        return super().render_str(printable(text), **kwargs)


def console(width: int | None = None) -> Console:
    """The console commands print to (stdout).

    Parameters
    ----------
    width : int, optional
        At least this many columns (wider tables fold less); default: the terminal's width.

    Returns
    -------
    rich.console.Console
        Strings printed, in tables or not, are shown literally: markup, emoji codes and control
        characters have no effect. Styled text is passed as :class:`rich.text.Text` (see :func:`styled`).
    """
    con = _LiteralConsole(markup=False, emoji=False)
    if width is not None and con.width < width:
        con = _LiteralConsole(markup=False, emoji=False, width=width)
    return con


def printable(text: Any) -> str:
    """User text for a terminal: control characters (escape sequences among them) removed, lines kept.

    Parameters
    ----------
    text : Any

    Returns
    -------
    str
    """
    return "\n".join(one_line(line) for line in str(text).split("\n"))


def styled(*parts: str | tuple[str, str]) -> Text:
    """A line with some parts emphasized: ``styled("Orbit costs ", ("3.22x", "bold"), " ...")``.

    Parameters
    ----------
    *parts : str or (str, style)
        Plain text or (text, Rich style); text is shown literally (control characters removed).

    Returns
    -------
    rich.text.Text
    """
    return Text.assemble(*(printable(p) if isinstance(p, str) else (printable(p[0]), p[1]) for p in parts))


def grouped_table(groups, columns: tuple[str, ...], title: str | None = None, bold: str | None = None,
                  justify: tuple[str, ...] | None = None):
    """A table of label rows in titled groups (a rule between groups, the group's title in bold).

    Parameters
    ----------
    groups : list of RowGroup or list of list of tuple of str
        Rows ``(label, value, ...)`` in groups (:func:`orbitaldc.formatting.side_by_side`,
        :func:`orbitaldc.formatting.design_check_rows`, ...); a
        :class:`orbitaldc.formatting.RowGroup`'s title is a row of its own.
    columns : tuple of str
        Titles of the value columns.
    title : str, optional
        The table's title (user text: shown literally).
    bold : str, optional
        The label of a row to emphasize.
    justify : tuple of str, optional
        Alignment of each value column (default: all right-aligned).

    Returns
    -------
    rich.table.Table
    """
    from rich import box
    from rich.table import Table

    tbl = Table(title=title, box=box.SIMPLE_HEAVY)
    tbl.add_column("")
    for col, how in zip(columns, justify or ("right",) * len(columns)):
        tbl.add_column(col, justify=how)
    for i, group in enumerate(groups):
        if i:
            tbl.add_section()
        rows = group
        if isinstance(group, RowGroup):
            tbl.add_row(group.title, *("",) * len(columns), style="bold")
            rows = group.rows
        for row in rows:
            tbl.add_row(*row, style="bold" if row[0] == bold else None)
    return tbl


def with_flag(exc: Exception, flags: Mapping[str, str]) -> OrbitaldcError:
    """A library error whose message starts with an argument name, re-worded with the CLI's flag for it.

    Parameters
    ----------
    exc : Exception
        The library's error (its message names the argument first: ``"vary 'x': ..."``).
    flags : mapping of str to str
        Message start -> its CLI form (``{"vary ": "--vary "}``).

    Returns
    -------
    OrbitaldcError
        ``"--vary 'x': ..."``; the message unchanged when it starts with none of ``flags``.
    """
    text = str(exc)
    for start, flag in flags.items():
        if text.startswith(start):
            return OrbitaldcError(flag + text[len(start):])
    return OrbitaldcError(text)


# --------------------------------------------------------------------------- scenarios


def check_warnings(scenario: Scenario) -> Scenario:
    """Print each plausibility warning on stderr (``warning: ...``), or refuse them under ``--strict``.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    Scenario
        ``scenario``, unchanged.

    Raises
    ------
    OrbitaldcError
        Under ``--strict``, when a value lies far outside its plausible range.
    """
    import typer

    warnings = list(scenario.warnings)
    if warnings and OPTIONS["strict"]:
        more = f" (and {len(warnings) - 1} more)" if len(warnings) > 1 else ""
        raise OrbitaldcError(f"{warnings[0]}{more}; --strict makes this an error")
    for w in warnings:
        typer.echo(f"warning: {one_line(w)}", err=True)
    return scenario


def load_with_sets(source: str, sets: list[str] | None, extra: Mapping[str, Mapping[str, Any]] | None = None,
                   quiet: bool = False) -> Scenario:
    """Load a scenario, apply ``--set`` overrides and other options' overrides, and report warnings.

    Parameters
    ----------
    source : str
        Preset name or scenario file.
    sets : list of str, optional
        ``KEY=VALUE`` assignments (validated; the last of a key wins).
    extra : mapping, optional
        Option name -> overrides it sets (applied after ``--set``, named in messages).
    quiet : bool
        Leave the warnings to the caller (:func:`check_warnings`).

    Returns
    -------
    Scenario
    """
    overrides: dict[str, Any] = {}
    for item in sets or []:
        key, value = parse_assignment(item, "--set")
        overrides[key] = value
    try:
        scenario = load_scenario(source)
    except OSError as exc:  # a name the file system refuses (too long, ...): bad input, not a bug
        raise OrbitaldcError(f"scenario {one_line(source)[:200]!r}: cannot read ({exc.strerror or exc})") from None
    if overrides:
        scenario = scenario.with_overrides(overrides, where="--set")
    for option, more in (extra or {}).items():
        if more:
            scenario = scenario.with_overrides(more, where=option)
    return scenario if quiet else check_warnings(scenario)


def count(text: str, what: str, minimum: int = 1, maximum: float = 1e10) -> int:
    """Parse a count given as 1000000, 1e6 or 1_000_000.

    Parameters
    ----------
    text : str
        The option's text.
    what : str
        The option, for messages.
    minimum, maximum : number
        Allowed range.

    Returns
    -------
    int
    """
    try:
        x = float(text.replace("_", ""))
    except (ValueError, OverflowError):
        raise OrbitaldcError(f"{what} = {one_line(text)!r}: expected a whole number (e.g. 100000 or 1e6)") from None
    if not math.isfinite(x) or x != round(x) or not minimum <= x <= maximum:
        raise OrbitaldcError(f"{what} = {one_line(text)!r}: expected a whole number in [{minimum}, {maximum:g}]")
    return int(x)


def objective_keys(text: str, option: str = "--pareto") -> list[str]:
    """Two or three different objective keys from ``A,B[,C]``, each checked against the optimizer's registry.

    Parameters
    ----------
    text : str
        The option's text.
    option : str
        The option, for messages.

    Returns
    -------
    list of str
    """
    from orbitaldc.optimize import OBJECTIVES, objective

    keys = [k.strip() for k in text.split(",") if k.strip()]
    if not 2 <= len(keys) <= 3 or len(set(keys)) != len(keys):
        raise OrbitaldcError(f"{option} {one_line(text)}: expected two or three different objectives from "
                             f"{', '.join(OBJECTIVES)}")
    for key in keys:
        objective(key)
    return keys


# --------------------------------------------------------------------------- output paths


def _cannot(option: str, path: Any, reason: Any) -> OrbitaldcError:
    return OrbitaldcError(f"{option} {one_line(path)!r}: cannot write ({one_line(reason)})")


def _probe_folder(option: str, path: Path, folder: Path) -> None:
    """Create and remove a temporary file in ``folder`` (the one test that answers for every file system)."""
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".orbitaldc-probe-"):
            pass
    except OSError as exc:
        raise _cannot(option, path, exc.strerror or exc) from None


def _existing_ancestor(option: str, path: Path) -> Path:
    """The nearest folder above ``path`` that exists (refusing a file on the way)."""
    parent = path.absolute().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise _cannot(option, path, f"{parent} is not a folder")
    return parent


def output_file(path: str | Path, option: str, suffixes: tuple[str, ...] = ()) -> Path:
    """Check, before any computation, that a command can write a file at ``path``.

    Parameters
    ----------
    path : str or Path
        The file named by the user (missing folders above it will be created).
    option : str
        The option that named it (``--out``, ``--plot``), for messages.
    suffixes : tuple of str
        Allowed file name endings (lower case, with the dot); empty: any.

    Returns
    -------
    Path

    Raises
    ------
    OrbitaldcError
        ``OPTION 'PATH': cannot write (REASON)`` with the operating system's reason (permission
        denied, read-only file system, not a folder, a folder or device in the way, ...).
    """
    text = str(path)
    if not text.strip():
        raise OrbitaldcError(f"{option} {text!r}: expected a file name")
    p = Path(text)
    if suffixes and p.suffix.lower() not in suffixes:
        allowed = " or ".join(filter(None, (", ".join(suffixes[:-1]), suffixes[-1])))
        raise OrbitaldcError(f"{option} {one_line(text)!r}: expected a file name ending in {allowed}")
    try:
        exists = p.exists() or p.is_symlink()
        if exists:
            if p.is_dir():
                raise _cannot(option, p, "it is a folder")
            if not p.is_file():
                raise _cannot(option, p, "not a regular file")
            os.close(os.open(p, os.O_WRONLY | os.O_APPEND))
            return p
        _probe_folder(option, p, _existing_ancestor(option, p))
    except OrbitaldcError:
        raise
    except (OSError, ValueError) as exc:
        raise _cannot(option, p, getattr(exc, "strerror", None) or exc) from None
    return p


def output_folder(path: str | Path, option: str) -> Path:
    """Check, before any computation, that a command can write files in the folder ``path``.

    Parameters
    ----------
    path : str or Path
        The folder (created by the command when missing).
    option : str
        The option that named it, for messages.

    Returns
    -------
    Path

    Raises
    ------
    OrbitaldcError
        As :func:`output_file`; also when ``path`` exists and is not a folder.
    """
    text = str(path)
    if not text.strip():
        raise OrbitaldcError(f"{option} {text!r}: expected a folder name")
    p = Path(text)
    try:
        if p.exists():
            if not p.is_dir():
                raise OrbitaldcError(f"{option} {one_line(text)!r}: exists and is not a folder")
            _probe_folder(option, p, p)
        else:
            _probe_folder(option, p, _existing_ancestor(option, p))
    except OrbitaldcError:
        raise
    except (OSError, ValueError) as exc:
        raise _cannot(option, p, getattr(exc, "strerror", None) or exc) from None
    return p
