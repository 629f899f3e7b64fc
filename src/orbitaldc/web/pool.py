"""Worker processes that can be stopped: where every computation of the server runs.

A :class:`Lane` is a fixed set of worker processes with its own queue. The server keeps two:
a *cheap* lane (evaluate, TOML) and a *heavy* lane (break-even, Monte Carlo, sensitivity,
explain), so a cheap request never waits behind a heavy one. Each worker

* has an address-space limit (``RLIMIT_AS``): an allocation beyond it fails inside the worker
  (``MemoryError``), never in the server;
* gets a CPU-time limit (``RLIMIT_CPU``) for each task: the time bound plus one second, after
  which the kernel ends it (``SIGXCPU``) even if the server did not;
* runs heavy work at a lower scheduling priority (``nice``), so cheap work and the server's
  event loop are served first on a busy machine;
* is killed (``SIGKILL``) and replaced when its request runs past the time bound, when the
  client goes away, or after a memory error: the answer (503) is sent only once the work has
  been stopped.

Workers are forked from a ``forkserver`` that has imported the model once, so a replacement
starts in milliseconds. A worker exits when the server closes its pipe, and with the fork
server (``PR_SET_PDEATHSIG``), so none outlives the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
import traceback
import types
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("orbitaldc.web")

#: Modules the fork server imports once, so that every worker starts with the model loaded and
#: each task's code path run once (:mod:`orbitaldc.web.warmup`).
PRELOAD = ["orbitaldc.web.services", "orbitaldc.uncertainty", "orbitaldc.explain", "SALib.sample.sobol",
           "SALib.analyze.sobol", "orbitaldc.web.warmup"]
#: Thread pools of numerical libraries: one thread per worker (the lanes give the parallelism,
#: and each thread's stack and buffers would count against the address-space limit).
_THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")
#: Seconds to wait for a killed worker to be reaped.
_JOIN_S = 5.0
#: Seconds a new worker has to report that its limits are in force.
_READY_S = 60.0
_PR_SET_PDEATHSIG = 1


class LaneError(Exception):
    """A request the lane could not complete; the message is the answer to send (503)."""


class TimeBoundExceeded(LaneError):
    """The request waited and ran past its time bound; its work was stopped."""


class Busy(LaneError):
    """Too many requests already wait for this lane."""


class WorkerLost(LaneError):
    """The worker ended during the task (CPU-time or memory limit, or killed)."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of one worker process.

    Attributes
    ----------
    memory_bytes : int or None
        Address-space limit [bytes] (``RLIMIT_AS``); None for none.
    nice : int
        Scheduling niceness added to the worker (0: same priority as the server).
    """

    memory_bytes: int | None
    nice: int = 0


def _die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent (the fork server) exits (Linux)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _set_cpu_limit(seconds: float) -> None:
    """Soft CPU-time limit of this process: its CPU time so far plus ``seconds`` (rounded up)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime + seconds) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _worker_main(conn: Any, limits: Limits) -> None:
    """Loop of a worker process: receive ``(task, payload, cpu_s)``, send ``(kind, value)``.

    ``kind`` is ``"ok"`` (value: body, media type, headers), ``"error"`` (an
    :class:`~orbitaldc.errors.OrbitaldcError` message: the model refused the input),
    ``"memory"`` (the address-space limit was reached; the worker exits after answering) or
    ``"bug"`` (a traceback).
    """
    import resource

    from orbitaldc.errors import OrbitaldcError
    from orbitaldc.web.services import run_task

    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    if limits.nice:
        os.nice(limits.nice)
    if limits.memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    conn.send("ready")  # limits in force: the lane may hand this worker a task
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        task, payload, cpu_s = message
        _set_cpu_limit(cpu_s)
        try:
            reply: tuple[str, Any] = ("ok", run_task(task, payload))
        except OrbitaldcError as exc:
            reply = ("error", str(exc))
        except MemoryError:
            reply = ("memory", "")
        except Exception:  # a bug: the server answers 500 and logs it
            reply = ("bug", traceback.format_exc(limit=30))
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return
        if reply[0] == "memory":
            return


@contextlib.contextmanager
def _single_threaded_env():
    """Environment of the fork server: numerical libraries with one thread each."""
    saved = {k: os.environ.get(k) for k in _THREAD_ENV}
    for k in _THREAD_ENV:
        os.environ.setdefault(k, "1")
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _context() -> multiprocessing.context.BaseContext:
    """The fork server context, started once per process with the model preloaded."""
    try:
        ctx = multiprocessing.get_context("forkserver")
    except ValueError:  # pragma: no cover - platforms without fork (the server needs Linux limits anyway)
        return multiprocessing.get_context("spawn")
    ctx.set_forkserver_preload(PRELOAD)
    from multiprocessing import forkserver

    with _single_threaded_env():
        forkserver.ensure_running()
    return ctx


_MAIN_LOCK = threading.Lock()


@contextlib.contextmanager
def _without_main():
    """Start processes without the server's ``__main__``: multiprocessing would import the main
    script again in each worker (0.3-0.8 s for an entry script, and a script without a
    ``__name__`` guard would run again). Workers need only :mod:`orbitaldc.web`."""
    with _MAIN_LOCK:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")  # no __file__, no __spec__: nothing to import
        try:
            yield
        finally:
            if main is not None:
                sys.modules["__main__"] = main


class _Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, ctx: Any, limits: Limits, name: str):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, limits), name=name, daemon=True)
        with _without_main():
            self.process.start()
        child.close()
        try:
            ready = self.conn.poll(_READY_S) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            code = self.process.exitcode
            self.reap()
            raise RuntimeError(f"worker {name} did not start (exit code {code})")

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def kill(self) -> None:
        """SIGKILL now (the work stops at once); reaping happens in :meth:`reap`."""
        with contextlib.suppress(Exception):
            self.process.kill()

    def reap(self) -> None:
        self.kill()
        with contextlib.suppress(Exception):
            self.process.join(_JOIN_S)
        with contextlib.suppress(Exception):
            self.conn.close()
        with contextlib.suppress(Exception):
            self.process.close()


def _hand_over(lane: "Lane", waiter: asyncio.Future, worker: _Worker) -> None:
    """On the waiter's event loop: give it the worker, or put the worker back if it gave up."""
    if waiter.done():
        lane._release(worker)
    else:
        waiter.set_result(worker)


class Lane:
    """A set of worker processes with one queue, each request bounded in time, memory and CPU.

    Parameters
    ----------
    name : str
        Lane name (in messages and process names).
    workers : int
        Worker processes (each runs one task at a time).
    limits : Limits
        Resource limits of each worker.
    max_waiting : int
        Requests that may wait for a worker; more answer "busy" at once.

    Notes
    -----
    Thread-safe: workers are handed to waiting requests on each request's own event loop, so
    one lane serves any number of event loops (test clients start their own).
    """

    def __init__(self, name: str, workers: int, limits: Limits, max_waiting: int):
        if workers < 1:
            raise ValueError(f"lane {name}: workers = {workers}: expected at least 1")
        self.name, self.size, self.limits, self.max_waiting = name, workers, limits, max_waiting
        self._lock = threading.Lock()
        self._idle: deque[_Worker] = deque()
        self._waiters: deque[asyncio.Future] = deque()
        self._all: set[_Worker] = set()
        self._ctx: Any = None
        self._started = False  # False before start() and after close(): the next request starts it again
        self._serial = 0
        self._startup_error: str | None = None  # why the last worker start failed (None once one starts)
        self._io = ThreadPoolExecutor(max_workers=workers + 1, thread_name_prefix=f"orbitaldc-{name}-io")
        self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"orbitaldc-{name}-spawn")

    # ------------------------------------------------------------------ life cycle
    def start(self) -> None:
        """Start the workers (blocking; idempotent). Called from a thread by the app.

        Returns
        -------
        None
            Each worker is forked from the fork server (started once per process, about 1-5 s
            for its imports); a worker that cannot start is logged and the lane runs without it.

        References
        ----------
        .. [1] Python :mod:`multiprocessing`, "Contexts and start methods" (``forkserver``).
        """
        with self._lock:
            if self._started:
                return
            self._started = True
        for _ in range(self.size):
            self._spawn()

    def start_soon(self) -> None:
        """Start the workers in the background (first request, or app start-up).

        Returns
        -------
        None

        References
        ----------
        .. [1] :meth:`start`.
        """
        if not self._started:
            self._spawner.submit(self.start)

    def _spawn(self) -> None:
        try:
            if self._ctx is None:
                self._ctx = _context()
            with self._lock:
                self._serial += 1
                name = f"orbitaldc-{self.name}-{self._serial}"
            worker = _Worker(self._ctx, self.limits, name)
        except Exception as exc:  # the lane runs with one worker fewer; the rest still answer
            log.exception("lane %s: could not start a worker", self.name)
            with self._lock:
                self._startup_error = f"{type(exc).__name__}: {exc}"
                waiters = list(self._waiters) if not self._all else []
                if waiters:
                    self._waiters.clear()
            for waiter in waiters:  # nobody left to serve them: answer now, not at the time bound
                with contextlib.suppress(RuntimeError):
                    waiter.get_loop().call_soon_threadsafe(_fail, waiter, self._unavailable())
            return
        with self._lock:
            self._startup_error = None
            self._all.add(worker)
        if not self._started:  # closed meanwhile
            self._discard(worker)
            return
        self._release(worker)

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.reap()

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` now; reap it and start its replacement in the background."""
        worker.kill()

        def replace() -> None:
            self._discard(worker)
            if self._started:
                self._spawn()

        with contextlib.suppress(RuntimeError):  # interpreter shutting down
            self._spawner.submit(replace)

    def close(self) -> None:
        """Stop every worker; requests waiting get 503. A later request starts the lane again
        (a test client may run the app's lifespan more than once).

        Returns
        -------
        None

        References
        ----------
        .. [1] ASGI lifespan protocol, ``lifespan.shutdown``.
        """
        with self._lock:
            self._started = False
            workers = list(self._all)
            waiters = list(self._waiters)
            self._idle.clear()
            self._waiters.clear()
        for waiter in waiters:
            with contextlib.suppress(RuntimeError):
                waiter.get_loop().call_soon_threadsafe(_fail, waiter, Busy(f"{self.name} lane: server shutting down"))
        for worker in workers:
            worker.kill()
        for worker in workers:
            self._discard(worker)

    def pids(self) -> list[int]:
        """Process ids of the live workers (for tests and monitoring).

        Returns
        -------
        list of int

        References
        ----------
        .. [1] ``/proc/<pid>/limits`` and ``/proc/<pid>/stat`` show each worker's limits and CPU time.
        """
        with self._lock:
            return [w.pid for w in self._all if w.pid is not None]

    # ------------------------------------------------------------------ queue
    def _release(self, worker: _Worker) -> None:
        """Give an idle worker to the oldest waiting request, or keep it idle."""
        while True:
            with self._lock:
                if not self._started or worker not in self._all:
                    break
                waiter = None
                while self._waiters:
                    candidate = self._waiters.popleft()
                    if not candidate.done():
                        waiter = candidate
                        break
                if waiter is None:
                    self._idle.append(worker)
                    return
            try:
                waiter.get_loop().call_soon_threadsafe(_hand_over, self, waiter, worker)
                return
            except RuntimeError:  # that request's event loop is gone: try the next waiter
                continue
        self._discard(worker)

    def _unavailable(self) -> "WorkerLost":
        return WorkerLost(f"no {self.name} worker could be started ({self._startup_error}); the server's log "
                          "has the details")

    async def _acquire(self, deadline: float) -> _Worker:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._idle:
                return self._idle.popleft()
            if not self._all and self._startup_error is not None:
                with contextlib.suppress(RuntimeError):  # try again in the background for the next request
                    self._spawner.submit(self._spawn)
                raise self._unavailable()
            if len(self._waiters) >= self.max_waiting:
                raise Busy(f"server busy: {len(self._waiters)} requests already wait for a {self.name} worker; "
                           "retry in a few seconds")
            waiter = loop.create_future()
            self._waiters.append(waiter)
        self.start_soon()
        timer = loop.call_at(deadline, _fail, waiter, TimeBoundExceeded("waiting for a worker"))
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._release(waiter.result())  # handed over just as the request was dropped
            raise
        finally:
            timer.cancel()
            with self._lock, contextlib.suppress(ValueError):
                self._waiters.remove(waiter)

    # ------------------------------------------------------------------ requests
    async def run(self, task: str, payload: Any, timeout_s: float) -> tuple[str, Any]:
        """Run one task on a worker within ``timeout_s`` seconds, queueing included.

        Parameters
        ----------
        task : str
            Task name (see :data:`orbitaldc.web.services.TASKS`).
        payload : object
            Its keyword arguments (plain, picklable data).
        timeout_s : float
            Wall-clock bound [s]; the worker also gets this much CPU time plus one second.

        Returns
        -------
        tuple
            ``(kind, value)`` from the worker: ``"ok"``, ``"error"`` or ``"bug"``.

        Raises
        ------
        LaneError
            Time bound exceeded, lane busy, or worker lost; the work has been stopped.

        References
        ----------
        .. [1] Linux ``setrlimit(2)`` (``RLIMIT_AS``, ``RLIMIT_CPU``) and ``kill(2)`` (``SIGKILL``).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        for attempt in range(2):  # a worker found dead while idle is replaced, and the task sent to another
            worker = await self._acquire(deadline)
            try:
                worker.conn.send((task, payload, max(0.0, deadline - loop.time())))
                break
            except (OSError, ValueError):
                self._replace(worker)
        else:
            raise WorkerLost(f"no {self.name} worker could take the task")
        healthy = False
        try:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeBoundExceeded("waiting for a worker")
            try:
                kind, value = await asyncio.wait_for(loop.run_in_executor(self._io, worker.conn.recv), remaining)
            except asyncio.TimeoutError:
                raise TimeBoundExceeded("computing") from None
            except (EOFError, OSError):
                raise WorkerLost(f"the {self.name} worker ended during the computation (its CPU-time bound of "
                                 f"{remaining + 1:.0f} s, or it was stopped)") from None
            if kind == "memory":
                raise WorkerLost(f"the computation needed more than the worker's memory bound of "
                                 f"{(self.limits.memory_bytes or 0) / 2**30:.1f} GiB")
            healthy = True
            return kind, value
        finally:
            if healthy:
                self._release(worker)
            else:  # timed out, lost, or the request was cancelled (client gone): stop the work now
                self._replace(worker)


def _fail(waiter: asyncio.Future, exc: BaseException) -> None:
    if not waiter.done():
        waiter.set_exception(exc)
