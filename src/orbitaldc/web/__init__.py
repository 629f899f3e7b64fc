"""The web page and its JSON API (FastAPI): ``orbitaldc serve`` or :func:`orbitaldc.web.app.create_app`.

An interface layer: it validates requests, calls :mod:`orbitaldc.compare` and
:mod:`orbitaldc.uncertainty`, and formats JSON. No model arithmetic lives here. FastAPI is
imported only when the app is created, so the CLI stays quick to start.
"""

from __future__ import annotations

__all__ = ["create_app"]


def create_app(**limits):
    """Build the ASGI app (see :func:`orbitaldc.web.app.create_app` for ``limits``)."""
    from orbitaldc.web.app import create_app as _create

    return _create(**limits)
