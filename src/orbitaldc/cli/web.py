"""Web command: ``orbitaldc serve`` runs the page and JSON API (FastAPI + uvicorn)."""

from __future__ import annotations

import ipaddress

import typer

from orbitaldc.cli import app

LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``.

    Parameters
    ----------
    host : str
        Host name or address given to ``--host``.

    Returns
    -------
    bool

    References
    ----------
    .. [1] RFC 1122 section 3.2.1.3 (127/8), RFC 4291 section 2.5.3 (::1).
    """
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to bind (loopback by default; 0.0.0.0 exposes it)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
) -> None:
    """Serve the interactive page and the JSON API (OpenAPI schema at /openapi.json)."""
    from orbitaldc.web.server import bind, serve as run_server

    sock = bind(host, port)  # a busy port or unknown host: one line, exit 2
    from orbitaldc.web.app import create_app

    if not is_loopback(host):
        typer.echo(f"note: binding {host}: the page and API are reachable from other machines "
                   "(requests are size-, sample-, time- and memory-bounded; no authentication)", err=True)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"orbitaldc: open http://{shown}:{sock.getsockname()[1]}/ (Ctrl-C to stop)", err=True)
    run_server(create_app(), sock)
