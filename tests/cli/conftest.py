"""The ``orbitaldc`` command run in process (typer's CliRunner): same exit codes and streams as a shell."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from orbitaldc.cli import app


def run_cli(*args: str, check: bool = True):
    """Invoke ``orbitaldc ARGS`` in process; stdout and stderr apart, 160 columns."""
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "160"})
    if check:
        assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


@pytest.fixture
def cli(tmp_path_factory, monkeypatch):
    """``run_cli``, from an empty working folder (a command that writes beside it cannot touch the checkout)."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
    return run_cli
