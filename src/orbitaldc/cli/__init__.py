"""The ``orbitaldc`` command.

Thin interface: parses arguments, calls ``compare``/``uncertainty``/``sweep``/..., formats
output through :mod:`orbitaldc.formatting`. No model arithmetic here. Each group of commands lives
in its own module and registers itself on :data:`app`.

Exit codes: 0 success; 2 bad input (one line on stderr naming the argument, the value and what is
allowed); 1 a bug (one line, ``ORBITALDC_DEBUG=1`` for the traceback); 130 interrupted. The same
handling runs whether the app is called by :func:`main`, ``python -m orbitaldc`` or
:class:`typer.testing.CliRunner`.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from orbitaldc.cli.common import OPTIONS
from orbitaldc.extras import missing_extra_message
from orbitaldc.formatting import one_line

try:  # typer >= 0.2x vendors its own click; older typer uses click itself
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - depends on the installed typer
    from click import exceptions as click_errors


def _error(message: str) -> None:
    typer.echo(f"error: {one_line(message)}", err=True)


class OrbitaldcGroup(TyperGroup):
    """The command group: turns every failure into one line on stderr and an exit code."""

    def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        code = self._run(args, prog_name, complete_var, **extra)
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(self, args: Any, prog_name: Any, complete_var: Any, **extra: Any) -> int:
        from orbitaldc.errors import OrbitaldcError

        OPTIONS["strict"] = False
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            return code if isinstance(code, int) else 0
        except click_errors.NoArgsIsHelpError as exc:  # bare `orbitaldc CMD`: show its help
            typer.echo(exc.ctx.get_help() if exc.ctx else str(exc))
            return 2
        except click_errors.UsageError as exc:  # typer/click argument errors: one line, exit 2
            command = exc.ctx.command_path if exc.ctx else "orbitaldc"
            _error(f"{command}: {exc.format_message()} (see `{command} --help`)")
            return 2
        except typer.Abort:
            typer.echo("aborted", err=True)
            return 1
        except OrbitaldcError as exc:
            _error(str(exc))
            return 2
        except ModuleNotFoundError as exc:  # an optional package: name the extra that installs it
            hint = missing_extra_message(exc.name, _command_name(args))
            if hint is None:
                return _internal(exc)
            _error(hint)
            return 2
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            return 130
        except BrokenPipeError:  # `orbitaldc run ... | head`: the reader left; nothing more to say
            _silence_stdout()
            return 1
        except MemoryError:
            _error("out of memory; use fewer scenarios or samples (or a smaller --chunk-size)")
            return 2
        except OSError as exc:
            if exc.errno == errno.ENOSPC:  # stdout or a file on a full disk
                _error(f"cannot write output: {exc.strerror}")
                return 2
            return _internal(exc)
        except Exception as exc:  # a bug: say so briefly unless debugging
            return _internal(exc)


def _command_name(args: Any) -> str:
    """``orbitaldc CMD`` for a message: the first argument that is not an option."""
    words = list(sys.argv[1:] if args is None else args)
    command = next((w for w in words if isinstance(w, str) and not w.startswith("-")), "")
    return f"orbitaldc {command}".strip()


def _show_version(value: bool) -> None:
    if value:
        from orbitaldc import __version__

        typer.echo(f"orbitaldc {__version__}")
        raise typer.Exit()


def _internal(exc: Exception) -> int:
    if os.environ.get("ORBITALDC_DEBUG"):
        raise exc
    typer.echo(f"internal error: {type(exc).__name__}: {one_line(exc)} (set ORBITALDC_DEBUG=1 for a traceback)",
               err=True)
    return 1


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - stdout without a file descriptor
        pass


app = typer.Typer(
    name="orbitaldc",
    help="Does AI compute in orbit cost less than on the ground? Size, price and compare.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=OrbitaldcGroup,
)


@app.callback()
def _options(
    strict: bool = typer.Option(False, "--strict", help="Treat values far outside their plausible range as "
                                                        "errors (exit 2) instead of warnings."),
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                 help="Print the installed version and exit."),
) -> None:
    """Does AI compute in orbit cost less than on the ground? Size, price and compare."""
    OPTIONS["strict"] = strict


# command modules register themselves on `app` when imported (keep this list explicit)
from orbitaldc.cli import core  # noqa: E402,F401
from orbitaldc.cli import uncertainty  # noqa: E402,F401
from orbitaldc.cli import report  # noqa: E402,F401
from orbitaldc.cli import optimize  # noqa: E402,F401
from orbitaldc.cli import web  # noqa: E402,F401
from orbitaldc.cli import simulate  # noqa: E402,F401


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``orbitaldc`` command.

    Parameters
    ----------
    argv : list of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    None
        Exits with the command's code (see the module's docstring).
    """
    app(args=argv, prog_name="orbitaldc")
