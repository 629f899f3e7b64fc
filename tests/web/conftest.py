"""Fixtures of the browser tests: a uvicorn server on a free loopback port and Debian's headless chromium.

Playwright drives ``/usr/bin/chromium`` through ``executable_path`` (never ``playwright install``).
Both are declared dependencies (``[test]`` extra; ``make test`` installs Debian's chromium):
a missing one fails the tests, it does not skip them.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn
from playwright import sync_api

from orbitaldc.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="package")
def server():
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(time_limit_s=60.0), host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="package")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _page(browser, viewport):
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    pg = context.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(f"pageerror: {e}"))
    pg.set_default_timeout(30_000)
    return context, pg


@pytest.fixture
def page(browser):
    context, pg = _page(browser, {"width": 1400, "height": 1000})
    yield pg
    context.close()


@pytest.fixture
def narrow_page(browser):
    context, pg = _page(browser, {"width": 390, "height": 844})
    yield pg
    context.close()


def wait_ready(pg, after: int = 0) -> int:
    """Wait until the page has rendered a result newer than ``after``; return its number."""
    pg.wait_for_function("(n) => Number(document.body.dataset.ready || 0) > n && "
                         "document.body.dataset.state === location.search", arg=after)
    return int(pg.evaluate("() => Number(document.body.dataset.ready)"))


@pytest.fixture
def ready():
    """:func:`wait_ready`, for the tests of this folder."""
    return wait_ready
