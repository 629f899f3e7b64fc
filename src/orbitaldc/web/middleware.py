"""Guards around every request: body size and read time, security headers on every answer.

:class:`GuardMiddleware` is the outermost layer of the app (outside Starlette's error handler),
so its headers are on every response, 4xx and 500 included. It reads the whole request body
before the app sees it: at most ``max_body_bytes`` (413 beyond, also for chunked uploads) within
``body_timeout_s`` seconds (408 and the connection closed beyond: a client that sends half a
body and stalls holds nothing for long). The request line and headers are bounded by the
server (:mod:`orbitaldc.web.server`).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Awaitable, Callable

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

#: Seconds a client has to send the whole request body once its headers are in.
BODY_TIMEOUT_S = 5.0

_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
#: Headers added to every response (an app-set header of the same name is replaced).
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", _CSP.encode()),
    (b"cross-origin-resource-policy", b"same-origin"),
)
_SECURITY_NAMES = {name for name, _ in SECURITY_HEADERS}


def with_security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Response headers with :data:`SECURITY_HEADERS` set.

    Parameters
    ----------
    headers : list of (bytes, bytes)
        ASGI response headers (lower-case names).

    Returns
    -------
    list of (bytes, bytes)
        ``headers`` without any of the security header names, then the security headers.

    References
    ----------
    .. [1] OWASP Secure Headers Project, "Best practices"; W3C Content Security Policy Level 3.
    """
    return [(k, v) for k, v in headers if k.lower() not in _SECURITY_NAMES] + list(SECURITY_HEADERS)


def json_error(detail: Any, *, close: bool = False,
               extra: tuple[tuple[bytes, bytes], ...] = ()) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """Headers and body of a JSON error answer ``{"detail": ...}`` with the security headers.

    Parameters
    ----------
    detail : object
        The message or list of error items.
    close : bool
        Ask the client to close the connection (``connection: close``).
    extra : tuple
        Further headers.

    Returns
    -------
    tuple
        ASGI headers and body bytes.

    References
    ----------
    .. [1] RFC 9110, sections 15.5 (4xx) and 15.6 (5xx).
    """
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    return with_security_headers(headers + list(extra)), body


class _TooLarge(Exception):
    pass


class _Disconnected(Exception):
    pass


class GuardMiddleware:
    """Pure ASGI middleware: bounded body reading and security headers on every response.

    Parameters
    ----------
    app : ASGI application
        The wrapped application.
    max_body_bytes : int
        Largest request body [bytes] (413 beyond).
    body_timeout_s : float
        Seconds to receive the whole body (408 beyond, connection closed).
    """

    def __init__(self, app: Any, max_body_bytes: int, body_timeout_s: float = BODY_TIMEOUT_S):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_timeout_s = body_timeout_s

    async def _reply(self, send: Send, status: int, detail: str, close: bool = False) -> None:
        headers, body = json_error(detail, close=close)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _read_body(self, receive: Receive) -> bytes:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Disconnected
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body_bytes
        for key, value in scope.get("headers", ()):
            if key == b"content-length":
                if not value.isdigit():
                    await self._reply(send, 400, "content-length: not a number", close=True)
                    return
                if int(value) > limit:
                    await self._reply(send, 413, f"request body of {int(value)} bytes; allowed at most {limit}",
                                      close=True)
                    return
        try:
            body = await asyncio.wait_for(self._read_body(receive), self.body_timeout_s)
        except _TooLarge:
            await self._reply(send, 413, f"request body larger than {limit} bytes", close=True)
            return
        except asyncio.TimeoutError:
            await self._reply(send, 408, f"request body not received within {self.body_timeout_s:g} s", close=True)
            return
        except _Disconnected:
            return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: only http.disconnect comes

        started = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = dict(message)
                message["headers"] = with_security_headers(list(message.get("headers", ())))
            await send(message)

        try:
            await self.app(scope, replay, guarded_send)
        except Exception:
            if not started:  # nothing answered yet: a JSON 500 with the headers, then let the server log it
                await self._reply(send, 500, "internal error (a bug in orbitaldc; the server log has the details)")
            raise
