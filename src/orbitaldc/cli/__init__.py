"""The ``orbitaldc`` command.

Thin interface: parses arguments, calls ``compare``/``uncertainty``/``sweep``/..., formats
output. No model arithmetic here. Each group of commands lives in its own module and
registers itself on :data:`app`; bad input exits with code 2 and one line on stderr.
"""

from __future__ import annotations

import os
import sys

import typer

app = typer.Typer(
    name="orbitaldc",
    help="Does AI compute in orbit cost less than on the ground? Size, price and compare.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# command modules register themselves on `app` when imported (keep this list explicit)
from orbitaldc.cli import core  # noqa: E402,F401
from orbitaldc.cli import uncertainty  # noqa: E402,F401
from orbitaldc.cli import report  # noqa: E402,F401
from orbitaldc.cli import optimize  # noqa: E402,F401
from orbitaldc.cli import web  # noqa: E402,F401
from orbitaldc.cli import simulate  # noqa: E402,F401


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning user errors into one line and exit code 2."""
    from orbitaldc.errors import OrbitaldcError

    try:  # typer >= 0.2x vendors its own click; older typer uses click itself
        from typer._click import exceptions as click_errors
    except ImportError:  # pragma: no cover - depends on the installed typer
        from click import exceptions as click_errors

    try:
        code = app(args=argv, standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except click_errors.NoArgsIsHelpError as exc:  # bare `orbitaldc CMD`: show its help
        typer.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        sys.exit(2)
    except click_errors.UsageError as exc:  # typer/click argument errors: one line, exit 2
        command = exc.ctx.command_path if exc.ctx else "orbitaldc"
        typer.echo(f"error: {command}: {exc.format_message()} (see `{command} --help`)", err=True)
        sys.exit(2)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(1)
    except OrbitaldcError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: say so briefly unless debugging
        if os.environ.get("ORBITALDC_DEBUG"):
            raise
        typer.echo(f"internal error: {type(exc).__name__}: {exc} (set ORBITALDC_DEBUG=1 for a traceback)", err=True)
        sys.exit(1)
