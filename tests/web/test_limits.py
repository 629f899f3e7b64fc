"""Bounded work in the server: stopped computations, worker limits, separate lanes, read timeouts.

Each bound is checked by what it must guarantee, not by speed: a request past its time bound
gets its 503 only after its worker process is gone (process liveness and CPU time from
/proc, never a wall-clock assertion on how fast something ran); a client that stalls is
disconnected; a cheap request completes while heavy ones are still running. Servers are real
uvicorn instances on 127.0.0.1 (free ports) or the FastAPI test client.
"""

from __future__ import annotations

import contextlib
import http.client
import importlib.metadata
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from orbitaldc.cli import main as cli_main
from orbitaldc.params import load_library
from orbitaldc.web import server as web_server
from orbitaldc.web.app import create_app
from orbitaldc.web.middleware import SECURITY_HEADERS
from orbitaldc.web.schemas import (EXPLAIN_EXACT_LIMIT, MAX_MC_SAMPLES, MAX_PERMUTATIONS, MAX_SOBOL_SAMPLES,
                                   MC_CHUNK, ROW_BUDGET, UNCERTAIN, WORKER_MEMORY_BYTES, explain_permutations,
                                   explain_rows, sobol_rows)

#: A heavy request that runs for seconds on any machine (Monte Carlo of the bottom-up chain,
#: about 3.5 s on one idle core), far past the small time bounds used below.
HEAVY = {"preset": "jpl-1mw-2026-bottom-up", "samples": MAX_MC_SAMPLES, "seed": 1}
#: How soon after its 503 a stopped computation must have stopped using the CPU [s] (issue 16).
STOP_WITHIN_S = 1.0


def _alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def _cpu_ticks(pid: int) -> int | None:
    """User + system CPU time of ``pid`` [clock ticks], None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None
    return int(fields[11]) + int(fields[12])


def _stopped_within(pid: int, seconds: float) -> bool:
    """The process is gone, or its CPU time no longer grows, within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.02)
    before = _cpu_ticks(pid)
    time.sleep(0.3)
    return before is None or _cpu_ticks(pid) == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served(app, **options):
    """A real uvicorn server for ``app`` on a free loopback port, in a thread."""
    sock = web_server.bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    import uvicorn

    srv = uvicorn.Server(web_server.config(app, **options))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield port
    finally:
        srv.should_exit = True
        thread.join(timeout=30)
        sock.close()


def _post(port: int, path: str, body: dict, timeout: float = 120) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", path, json.dumps(body), {"content-type": "application/json"})
        r = conn.getresponse()
        return r.status, json.loads(r.read() or b"{}")
    finally:
        conn.close()


def _read_all(sock: socket.socket, timeout: float) -> bytes:
    """Everything the server sends until it closes the connection (or ``timeout`` passes)."""
    sock.settimeout(timeout)
    data = b""
    with contextlib.suppress(socket.timeout, ConnectionResetError):
        while chunk := sock.recv(65536):
            data += chunk
    return data


# ----------------------------------------------------------------------------- stopped work
def test_heavy_request_past_its_bound_is_stopped_before_the_503():
    app = create_app(time_limit_s=0.5, heavy_workers=1)
    with TestClient(app) as client:
        (before,) = app.state.lanes["heavy"].pids()
        assert _alive(before)
        r = client.post("/api/montecarlo", json=HEAVY)
        assert r.status_code == 503 and "stopped" in r.json()["detail"]
        assert r.headers["retry-after"].isdigit()
        assert _stopped_within(before, STOP_WITHIN_S), "the computation went on after its 503"
        # a fresh worker took its place and answers
        assert client.post("/api/montecarlo", json={"samples": 16}).status_code == 200
        assert before not in app.state.lanes["heavy"].pids()


def test_client_that_goes_away_stops_its_computation():
    app = create_app(time_limit_s=60, heavy_workers=1)
    with served(app) as port:
        (worker,) = app.state.lanes["heavy"].pids()
        body = json.dumps(HEAVY).encode()
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(b"POST /api/montecarlo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                      b"content-length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            deadline = time.monotonic() + 30  # until the worker is busy with it
            while _cpu_ticks(worker) is not None and _cpu_ticks(worker) < 20:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        # the socket is closed: the server sees the disconnect and kills the worker
        assert _stopped_within(worker, 2 * STOP_WITHIN_S)


def test_cpu_time_limit_ends_a_runaway_worker():
    # the kernel's backstop under the wall-clock bound: RLIMIT_CPU ends a process that keeps
    # computing (SIGXCPU) even if the server did not stop it
    code = "from orbitaldc.web.pool import _set_cpu_limit\n_set_cpu_limit(0.2)\nwhile True: pass\n"
    proc = subprocess.run([sys.executable, "-c", code], timeout=60)
    assert proc.returncode == -signal.SIGXCPU


def test_memory_limit_fails_the_request_not_the_server():
    # an idle worker maps ~0.6 GB (interpreter, NumPy, SciPy, the model's tables); a 32,768-row
    # chunk of the bottom-up Monte Carlo adds ~0.3 GB at its peak (measured from /proc VmPeak).
    # At 750 MiB the chunk cannot fit: MemoryError inside the worker, 503 outside, server fine
    app = create_app(memory_limit_bytes=750 * 2**20, heavy_workers=1, time_limit_s=60)
    with TestClient(app) as client:
        r = client.post("/api/montecarlo", json=HEAVY)
        assert r.status_code == 503 and "memory bound" in r.json()["detail"]
        assert client.post("/api/evaluate", json={}).status_code == 200
        assert client.post("/api/montecarlo", json={"samples": 16}).status_code == 200


def test_workers_run_with_memory_cpu_and_priority_limits():
    app = create_app()
    with TestClient(app) as client:
        assert client.post("/api/montecarlo", json={"samples": 16}).status_code == 200
        for lane, nice in (("heavy", 10), ("cheap", 0)):
            for pid in app.state.lanes[lane].pids():
                limits = Path(f"/proc/{pid}/limits").read_text()
                address = re.search(r"Max address space\s+(\S+)\s+(\S+)", limits).groups()
                assert address == (str(WORKER_MEMORY_BYTES),) * 2, lane
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                assert int(stat[16]) - os.nice(0) == nice, lane
        (heavy,) = app.state.lanes["heavy"].pids()[:1]
        cpu = re.search(r"Max cpu time\s+(\S+)", Path(f"/proc/{heavy}/limits").read_text()).group(1)
        assert cpu != "unlimited"  # set for the task it ran


# ----------------------------------------------------------------------------- lanes
def test_cheap_requests_never_wait_for_heavy_ones():
    app = create_app(time_limit_s=120, heavy_workers=1)
    with served(app) as port:
        heavy = [threading.Thread(target=_post, args=(port, "/api/montecarlo", HEAVY)) for _ in range(2)]
        for t in heavy:
            t.start()
        (worker,) = app.state.lanes["heavy"].pids()
        deadline = time.monotonic() + 30
        while _cpu_ticks(worker) < 20:  # the heavy worker is computing, the second request queued
            assert time.monotonic() < deadline
            time.sleep(0.05)
        answers = [_post(port, "/api/evaluate", {"overrides": {"pue": 1.1 + i / 100}})[0] for i in range(5)]
        still_running = sum(t.is_alive() for t in heavy)
        for t in heavy:
            t.join(timeout=120)
    assert answers == [200] * 5
    assert still_running >= 1, "the cheap requests should have been answered while heavy ones ran"


def test_a_full_queue_answers_busy_at_once():
    app = create_app(time_limit_s=120, heavy_workers=1)
    lane = app.state.lanes["heavy"]
    with served(app) as port:
        threads = [threading.Thread(target=_post, args=(port, "/api/montecarlo", HEAVY))
                   for _ in range(lane.max_waiting + 1)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        while len(lane._waiters) < lane.max_waiting:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        status, body = _post(port, "/api/montecarlo", HEAVY)
        lane.close()  # end the queued work (each waiting request gets 503)
        for t in threads:
            t.join(timeout=60)
    assert status == 503 and "busy" in body["detail"]


def test_workers_that_cannot_start_answer_503_at_once_not_at_the_time_bound(monkeypatch):
    # regression: a worker start that failed (e.g. a fork-server preload raising) left every request
    # waiting for the whole time bound, which stalled a full test run for hours
    from orbitaldc.web import pool

    def broken(self, ctx, limits, name):
        raise RuntimeError(f"worker {name} did not start (exit code 1)")

    monkeypatch.setattr(pool._Worker, "__init__", broken)
    app = create_app(time_limit_s=60, heavy_workers=1)
    with TestClient(app) as client:
        start = time.monotonic()
        answers = [client.post("/api/evaluate", json={}) for _ in range(2)]
        elapsed = time.monotonic() - start
    assert [a.status_code for a in answers] == [503, 503]
    assert "could be started" in answers[1].json()["detail"] and "did not start" in answers[1].json()["detail"]
    assert elapsed < 30  # far inside the 60 s bound: nobody waits for a worker that cannot come


# ----------------------------------------------------------------------------- read timeouts
def test_half_sent_body_is_dropped():
    app = create_app(body_timeout_s=0.5)
    with served(app) as port, socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(b"POST /api/evaluate HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                  b"content-length: 100\r\n\r\n{\"overrides\"")
        reply = _read_all(s, timeout=10)  # returns once the server closes the connection
    assert reply.startswith(b"HTTP/1.1 408")
    assert b"x-content-type-options: nosniff" in reply.lower()


def test_stalled_headers_are_dropped():
    protocol = type("Quick", (web_server.GuardedH11Protocol,), {"header_timeout_s": 0.5})
    with served(create_app(), http=protocol) as port, socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(b"GET /api/presets HTTP/1.1\r\nhost: x\r\n")  # the blank line never comes
        reply = _read_all(s, timeout=10)
    assert reply.startswith(b"HTTP/1.1 408") and b"connection: close" in reply.lower()


def test_idle_connection_is_dropped():
    protocol = type("Quick", (web_server.GuardedH11Protocol,), {"header_timeout_s": 0.5})
    with served(create_app(), http=protocol) as port, socket.create_connection(("127.0.0.1", port)) as s:
        assert _read_all(s, timeout=10).startswith(b"HTTP/1.1 408")  # connected, sent nothing


def test_malformed_http_gets_security_headers():
    with served(create_app()) as port, socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        reply = _read_all(s, timeout=10).lower()
    assert reply.startswith(b"http/1.1 400")
    for name, value in SECURITY_HEADERS:
        assert name + b": " + value.lower() in reply


def test_security_headers_on_every_kind_of_answer():
    app = create_app()

    @app.get("/boom")
    async def boom():
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        answers = [client.get("/boom"), client.get("/nowhere"), client.put("/api/evaluate"),
                   client.post("/api/evaluate", json={"bogus": 1}), client.get("/api/presets"),
                   client.post("/api/evaluate", content=b"x" * 70_000, headers={"content-type": "application/json"})]
        assert [r.status_code for r in answers] == [500, 404, 405, 422, 200, 413]
        assert answers[0].json()["detail"].startswith("internal error")
        for r in answers:
            for name, value in SECURITY_HEADERS:
                assert r.headers[name.decode()] == value.decode(), (r.status_code, name)


# ----------------------------------------------------------------------------- cost model
def test_cost_model_keeps_every_accepted_request_within_the_row_budget():
    players = len(load_library())
    assert all(explain_rows(k, explain_permutations(k, MAX_PERMUTATIONS)) <= ROW_BUDGET for k in range(players + 1))
    assert explain_rows(EXPLAIN_EXACT_LIMIT, MAX_PERMUTATIONS) == ROW_BUDGET  # the exact game fills it
    assert sobol_rows(MAX_SOBOL_SAMPLES, len(UNCERTAIN)) <= ROW_BUDGET < sobol_rows(2 * MAX_SOBOL_SAMPLES,
                                                                                  len(UNCERTAIN))
    assert MC_CHUNK <= ROW_BUDGET


@pytest.mark.slow
def test_worst_case_requests_fit_the_worker_memory_bound():
    # the largest accepted request of each heavy route, on the heaviest chain, completes under
    # the default per-worker address-space limit (the bound the cost model was derived for)
    library = load_library()
    overrides = {}
    base = "jpl-1mw-2026-bottom-up"
    from orbitaldc.params import load_scenario

    values = load_scenario(base).values
    for name in UNCERTAIN:  # move every uncertain input: as many explain players as possible
        spec = library[name]
        if spec.low is not None and spec.high is not None and values[name] != spec.high:
            overrides[name] = float(values[name] + 0.5 * (spec.high - values[name])) if spec.type == "float" \
                else int(round(values[name] + 0.5 * (spec.high - values[name])))
    # every uncertain input the metric can read (naming one it cannot is refused with a 422)
    from orbitaldc.compare import metric_reads

    sobol_params = [n for n in UNCERTAIN if n in metric_reads(values, "cost_ratio")]
    app = create_app(time_limit_s=300, heavy_workers=1)
    with TestClient(app) as client:
        cases = [("/api/montecarlo", {"preset": base, "samples": MAX_MC_SAMPLES}),
                 ("/api/sensitivity", {"preset": base, "method": "sobol", "samples": MAX_SOBOL_SAMPLES,
                                       "params": sobol_params}),
                 ("/api/explain", {"a": {"preset": base}, "b": {"preset": base, "overrides": overrides},
                                   "permutations": MAX_PERMUTATIONS})]
        answers = [client.post(path, json=body) for path, body in cases]
        assert [r.status_code for r in answers] == [200, 200, 200], [r.text[:300] for r in answers]
    sobol = answers[1].json()
    assert sobol["evaluations"] == sobol_rows(MAX_SOBOL_SAMPLES, len(sobol_params)) and len(sobol_params) > 40
    explained = answers[2].json()  # more players than the exact limit: sampled, permutations capped
    players = len(explained["contributions"])
    assert explained["method"] == "sampled" and players > EXPLAIN_EXACT_LIMIT
    assert explained["permutations"] == explain_permutations(players, MAX_PERMUTATIONS) < MAX_PERMUTATIONS
    assert explained["permutations_requested"] == MAX_PERMUTATIONS


# ----------------------------------------------------------------------------- serve, imports, version
def test_serve_on_a_busy_port_exits_2_naming_it(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(SystemExit) as exit_info:
            cli_main(["serve", "--port", str(port)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"127.0.0.1:{port}" in err[0] and "in use" in err[0], err


def test_serve_on_an_unknown_host_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli_main(["serve", "--host", "no-such-host.invalid", "--port", str(_free_port())])
    assert exit_info.value.code == 2
    assert "no-such-host.invalid" in capsys.readouterr().err


def test_web_never_imports_the_cli():
    code = ("import orbitaldc.web.app, sys\n"
            "bad = sorted(m for m in sys.modules if m.startswith('orbitaldc.cli'))\n"
            "assert not bad, bad\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_version_comes_from_package_metadata():
    with TestClient(create_app()) as client:
        assert client.get("/openapi.json").json()["info"]["version"] == importlib.metadata.version("orbitaldc")
    web = Path(create_app.__code__.co_filename).parent
    version = importlib.metadata.version("orbitaldc")
    for path in [*web.glob("*.py"), *(web / "static").iterdir()]:
        assert version not in path.read_text(), f"{path.name} writes the version {version} itself"
