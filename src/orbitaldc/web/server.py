"""Run the app under uvicorn with bounded connections: ``orbitaldc serve`` and the benchmark.

uvicorn bounds an idle kept-alive connection (``timeout_keep_alive``) but not a client that
opens a connection and sends its request line or headers slowly. :class:`GuardedH11Protocol`
adds that bound (:data:`HEADER_TIMEOUT_S`: the request line and headers must arrive within it,
else the connection is answered 408 and closed), caps the open connections
(:data:`MAX_CONNECTIONS`: 503 beyond) and puts the security headers on the answers uvicorn
writes itself (400 for malformed HTTP). The body is bounded by
:class:`~orbitaldc.web.middleware.GuardMiddleware`.
"""

from __future__ import annotations

import socket
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from orbitaldc.errors import OrbitaldcError
from orbitaldc.web.middleware import json_error

#: Seconds a client has to send its request line and headers (from connecting, or from its
#: first byte of a further request on a kept-alive connection).
HEADER_TIMEOUT_S = 5.0
#: Seconds an idle kept-alive connection stays open (uvicorn's ``timeout_keep_alive``).
KEEP_ALIVE_S = 5
#: Open connections at most; a further one is answered 503 and closed.
MAX_CONNECTIONS = 256
#: Seconds to finish running requests on shutdown (Ctrl-C).
GRACEFUL_SHUTDOWN_S = 5


def _raw_response(status: int, reason: str, detail: str) -> bytes:
    headers, body = json_error(detail, close=True)
    head = f"HTTP/1.1 {status} {reason}\r\n".encode() + b"".join(k + b": " + v + b"\r\n" for k, v in headers)
    return head + b"\r\n" + body


class GuardedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a header-read time bound and a connection cap."""

    header_timeout_s = HEADER_TIMEOUT_S
    max_connections = MAX_CONNECTIONS

    def connection_made(self, transport: Any) -> None:
        """asyncio callback: refuse beyond :data:`MAX_CONNECTIONS`, else start the header clock."""
        super().connection_made(transport)
        self._header_timer = None
        if len(self.connections) > self.max_connections:
            transport.write(_raw_response(503, "Service Unavailable",
                                          f"more than {self.max_connections} open connections; retry later"))
            transport.close()
            return
        self._watch_headers()

    def data_received(self, data: bytes) -> None:
        """asyncio callback: parse, then start or stop the header clock."""
        super().data_received(data)
        self._watch_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        """asyncio callback: stop the header clock."""
        self._stop_header_timer()
        super().connection_lost(exc)

    def _stop_header_timer(self) -> None:
        if getattr(self, "_header_timer", None) is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _watch_headers(self) -> None:
        """Bound the time to a complete request head while one is awaited and bytes of it came
        in (or the connection is new); idle kept-alive connections are uvicorn's to close."""
        awaiting = (self.conn.their_state is h11.IDLE and not self.transport.is_closing()
                    and (self.conn.trailing_data[0] or self.cycle is None))
        if awaiting and self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout_s, self._header_timeout)
        elif not awaiting:
            self._stop_header_timer()

    def _header_timeout(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.write(_raw_response(408, "Request Timeout",
                                               f"request headers not received within {self.header_timeout_s:g} s"))
            self.transport.close()

    def send_400_response(self, msg: str) -> None:
        """Malformed HTTP (uvicorn answers itself): a JSON 400 with the security headers."""
        self.transport.write(_raw_response(400, "Bad Request", msg))
        self.transport.close()


def bind(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` (listening starts when the server runs).

    Parameters
    ----------
    host : str
        Interface name or address (IPv4, IPv6 or a resolvable name).
    port : int
        TCP port (0: any free one).

    Returns
    -------
    socket.socket

    Raises
    ------
    OrbitaldcError
        One line naming ``host:port`` and the operating system's reason (port in use,
        permission denied, unknown host).

    References
    ----------
    .. [1] POSIX ``bind(2)``; Python :func:`socket.getaddrinfo`.
    """
    shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise OrbitaldcError(f"serve: cannot listen on {shown}: {getattr(exc, 'strerror', None) or exc}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restart at once after a stop
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise OrbitaldcError(f"serve: cannot listen on {shown}: {exc.strerror or exc}") from None
    return sock


def config(app: Any, **options: Any) -> Any:
    """uvicorn configuration of the guarded server.

    Parameters
    ----------
    app : ASGI application
        Usually :func:`orbitaldc.web.app.create_app`'s.
    **options
        Further :class:`uvicorn.Config` options (they win over the defaults here).

    Returns
    -------
    uvicorn.Config

    References
    ----------
    .. [1] uvicorn settings: ``timeout_keep_alive``, ``http`` (protocol class), ``lifespan``.
    """
    import uvicorn

    settings = dict(http=GuardedH11Protocol, ws="none", lifespan="on", log_level="warning", server_header=False,
                    proxy_headers=False, timeout_keep_alive=KEEP_ALIVE_S,
                    timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S)
    settings.update(options)
    return uvicorn.Config(app, **settings)


def serve(app: Any, sock: socket.socket, **options: Any) -> None:
    """Serve ``app`` on a bound socket until interrupted.

    Parameters
    ----------
    app : ASGI application
    sock : socket.socket
        From :func:`bind`.
    **options
        Passed to :func:`config`.

    Returns
    -------
    None

    References
    ----------
    .. [1] :meth:`uvicorn.Server.run`.
    """
    import uvicorn

    uvicorn.Server(config(app, **options)).run(sockets=[sock])
