"""Run the ``orbitaldc`` command in process, as a shell would, for tests and generated docs.

One place for what typer's ``CliRunner`` needs to look like a terminal of a given width: the
exit code and the two streams apart, as :class:`subprocess.CompletedProcess` gives them.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Finished", "invoke"]


class Finished(NamedTuple):
    """A finished command: exit code and the two streams (``subprocess.CompletedProcess`` names)."""

    returncode: int
    stdout: str
    stderr: str


def invoke(*args, columns: int = 160, color: bool = True) -> Finished:
    """``orbitaldc ARGS`` in this process at a terminal ``columns`` wide.

    Parameters
    ----------
    *args
        The command line after ``orbitaldc`` (each converted with ``str``).
    columns : int
        Terminal width Rich lays tables out for.
    color : bool
        False sets ``NO_COLOR`` (the docs' shown outputs).

    Returns
    -------
    Finished
        Exit code, stdout and stderr.

    References
    ----------
    .. [1] Typer, "Testing" (``typer.testing.CliRunner``), https://typer.tiangolo.com/tutorial/testing/.
    """
    from typer.testing import CliRunner

    from orbitaldc.cli import app

    env = {"COLUMNS": str(columns), **({} if color else {"NO_COLOR": "1"})}
    result = CliRunner().invoke(app, [str(a) for a in args], env=env)
    return Finished(result.exit_code, result.stdout, result.stderr)
