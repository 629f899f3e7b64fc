"""The web page and its JSON API (FastAPI): ``orbitaldc serve`` or :func:`orbitaldc.web.app.create_app`.

An interface layer in six parts: :mod:`~orbitaldc.web.schemas` (request and response models,
the caps of the cost model), :mod:`~orbitaldc.web.services` (a validated request -> library
calls -> JSON), :mod:`~orbitaldc.web.pool` (worker processes with time, memory and CPU limits),
:mod:`~orbitaldc.web.middleware` (body bounds, security headers), :mod:`~orbitaldc.web.server`
(uvicorn with header timeouts) and :mod:`~orbitaldc.web.app` (routes, app factory). No model
arithmetic lives here, and nothing here imports :mod:`orbitaldc.cli`. FastAPI is imported only
when the app is created, so the CLI stays quick to start.
"""

from __future__ import annotations

__all__ = ["create_app"]


def create_app(**limits):
    """Build the ASGI app.

    Parameters
    ----------
    **limits
        See :func:`orbitaldc.web.app.create_app` (time bound, workers, memory and body limits).

    Returns
    -------
    fastapi.FastAPI

    References
    ----------
    .. [1] :func:`orbitaldc.web.app.create_app`.
    """
    from orbitaldc.web.app import create_app as _create

    return _create(**limits)
