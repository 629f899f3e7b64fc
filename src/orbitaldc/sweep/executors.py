"""Running a sweep: in this process, in a local process pool, or on a Dask distributed cluster.

Every executor runs the same :func:`compute_part` (evaluate one chunk, write its Parquet part
atomically into the output folder, return a small :class:`~orbitaldc.sweep.store.Receipt`), so
the files are byte-for-byte the same however a sweep is run. Only receipts travel back; the
coordinating process checks each against the plan and the file it names, appends it to the
folder's journal, and holds the folder's lock for the whole run.

Local pool workers end with their parent: on Linux each asks the kernel for SIGKILL when its
parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere a watchdog thread polls the parent PID.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from orbitaldc.params import Scenario
from orbitaldc.sampling.evaluate import lift_malloc_thresholds, reuse_freed_memory, set_malloc_thresholds
from orbitaldc.sweep import store
from orbitaldc.sweep.folder import FolderLock, ensure_folder
from orbitaldc.sweep.plan import DEFAULT_CHUNK_ROWS, Axis, SweepError, SweepWork, plan_sweep
from orbitaldc.sweep.store import Receipt

#: Seconds to wait for a Dask scheduler to answer.
CONNECT_TIMEOUT_S = 10
#: Most local worker processes.
MAX_WORKERS = 1024
#: Chunks in flight per local worker, and tasks per Dask worker thread (every worker stays
#: busy while receipts come back).
CHUNKS_IN_FLIGHT_PER_WORKER = TASKS_IN_FLIGHT_PER_WORKER = 4
#: Fewest tasks in flight on a Dask cluster; refilled half a window at a time.
DASK_MIN_WINDOW = 64
#: A Dask task groups consecutive chunks while at least this many tasks per worker thread
#: remain (Dask spends ~9 ms of CPU per task here, a light 100,000-row chunk ~25 ms) ...
TASKS_PER_WORKER = 4
#: ... and up to this many rows per task.
DASK_TASK_ROWS = 1_000_000
#: Seconds between two checks of the parent PID where the kernel cannot signal its death.
PARENT_POLL_S = 0.5
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_SCHEDULER = re.compile(r"(tcp|tls|inproc|ucx)://\S+")


def compute_part(work: SweepWork, out: str | os.PathLike, chunk: int) -> Receipt:
    """Evaluate one chunk and write its part into the sweep folder (runs on any worker).

    Parameters
    ----------
    work : SweepWork
        The sweep's worker-side plan.
    out : path
        Absolute path of the sweep folder, as this worker sees it.
    chunk : int
        Chunk number.

    Returns
    -------
    Receipt
        Chunk, rows, bytes and SHA-256 of the part written.

    References
    ----------
    Apache Parquet file format: https://parquet.apache.org/docs/file-format/
    """
    with _reusing_freed_memory():
        table = work.table(chunk)
    return store.write_part(table, out, chunk)


#: glibc's own thresholds [bytes] (restored where the environment pinned only the other one).
_GLIBC_MMAP_THRESHOLD_DEFAULT = 128 * 1024
_GLIBC_TRIM_THRESHOLD_DEFAULT = 128 * 1024
_ALLOCATOR = {"users": 0, "lock": threading.Lock()}


@contextmanager
def _reusing_freed_memory():
    """Let glibc reuse freed NumPy temporaries while a chunk is computed, in a process whose
    thresholds were pinned by its environment; the pinned values are restored afterwards.

    Notes
    -----
    A chunk's evaluation allocates and frees dozens of temporaries of ``8 * chunk_rows`` bytes.
    Where glibc returns them to the kernel, every new one is zero-filled again page by page.
    ``MALLOC_TRIM_THRESHOLD_`` (Dask's nanny starts every worker with 65536) pins the trim
    threshold and the mmap threshold at 128 KiB: measured on a 2-worker LocalCluster, about
    110,000 page faults and twice the CPU per 100,000-row chunk of McCalip's model. Even
    glibc's dynamic thresholds fault (12.1 ms and 3,170 faults per 100,000 rows, against
    4.8 ms and none with the ceilings). Here the thresholds are glibc's dynamic ceilings
    (mmap 32 MiB, trim 64 MiB) while a chunk runs; a process whose environment pinned nothing
    is left alone here (its dynamic mode could not be restored); local pool workers, which
    orbitaldc starts, keep the ceilings for life (:func:`_init_worker`), and so does the process
    that computes a one-process sweep itself
    (:func:`orbitaldc.sampling.evaluate.reuse_freed_memory`, as the Monte Carlo does).

    References
    ----------
    mallopt(3), M_MMAP_THRESHOLD and M_TRIM_THRESHOLD:
    https://man7.org/linux/man-pages/man3/mallopt.3.html
    """
    trim = os.environ.get("MALLOC_TRIM_THRESHOLD_")
    mmap = os.environ.get("MALLOC_MMAP_THRESHOLD_")
    try:
        restore = (int(mmap or _GLIBC_MMAP_THRESHOLD_DEFAULT), int(trim or _GLIBC_TRIM_THRESHOLD_DEFAULT))
    except ValueError:
        trim = mmap = None
    if not (trim or mmap):
        yield
        return
    with _ALLOCATOR["lock"]:
        _ALLOCATOR["users"] += 1
        if _ALLOCATOR["users"] == 1:
            lift_malloc_thresholds()  # (each call does nothing where the C library is not glibc)
    try:
        yield
    finally:
        with _ALLOCATOR["lock"]:
            _ALLOCATOR["users"] -= 1
            if _ALLOCATOR["users"] == 0:
                set_malloc_thresholds(*restore)


@lru_cache(maxsize=1)
def _libc():
    """The C library on Linux, else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


@dataclass
class SweepResult:
    """Outcome of :func:`run_sweep`.

    Attributes
    ----------
    out : pathlib.Path
        The sweep folder.
    rows, chunks : int
        Size of the whole sweep.
    computed_chunks : int
        Chunks computed by this run (including the recomputed ones).
    skipped_chunks : int
        Verified parts kept from an earlier run.
    recomputed : dict
        Reason -> number of parts found in the folder and not trusted (deleted; those of
        this sweep recomputed): empty, truncated, corrupted, foreign, unrecorded, missing.
    executor : str
        Where the chunks ran (``local x2``, ``dask tcp://...``).
    """

    out: Path
    rows: int
    chunks: int
    computed_chunks: int
    skipped_chunks: int
    executor: str
    recomputed: dict[str, int] = field(default_factory=dict)

    @property
    def recomputed_chunks(self) -> int:
        """Chunks recomputed because their part was missing or failed verification."""
        return sum(n for reason, n in self.recomputed.items() if reason != store.STRAY)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON output."""
        return {"out": str(self.out), "rows": self.rows, "chunks": self.chunks,
                "computed_chunks": self.computed_chunks, "skipped_chunks": self.skipped_chunks,
                "recomputed_chunks": self.recomputed_chunks, "recomputed": dict(self.recomputed),
                "executor": self.executor}


def run_sweep(scenario: Scenario | str, grid: Sequence[str | Axis], out: str | os.PathLike,
              metrics: Sequence[str] | None = None, chunk_rows: int = DEFAULT_CHUNK_ROWS,
              workers: int | None = None, scheduler: Any = None, progress: bool | None = False,
              overwrite: bool = False) -> SweepResult:
    """Run (or resume) a sweep and write its verified Parquet parts into ``out``.

    Parameters
    ----------
    scenario : Scenario or str
        Base scenario (a single point), or a preset name / TOML path.
    grid : sequence of str or Axis
        Axes, e.g. ``["launch_cost_usd_per_kg=100:3000:50", "pue=1.1,1.2,1.4"]``.
    out : path
        Output folder, created if missing. A folder holding the same sweep is resumed: parts
        whose bytes match their receipts are kept, every other part is recomputed. While the
        sweep runs the folder is locked against a second writer.
    metrics : sequence of str, optional
        Result columns (default: the Monte Carlo metrics).
    chunk_rows : int
        Rows per chunk and per Parquet part.
    workers : int, optional
        Local worker processes (default: the CPUs this process may use, at most the number of
        chunks to compute); 1 runs in this process. Ignored with ``scheduler``.
    scheduler : str or distributed.Client, optional
        A Dask distributed scheduler address (``tcp://HOST:PORT``) or a connected client. Its
        workers need orbitaldc and must see ``out`` at the same absolute path (a shared
        filesystem); they write the parts themselves.
    progress : bool or None
        Progress bar on stderr (None: when stderr is a terminal).
    overwrite : bool
        Discard a different sweep found in ``out``.

    Returns
    -------
    SweepResult
        Rows, chunks, how many were computed, kept and recomputed (and why), the executor.

    Raises
    ------
    SweepError
        Naming the argument at fault (``grid``, ``out``, ``workers``, ``scheduler``, ...);
        :class:`~orbitaldc.sweep.plan.SweepLockedError` when another process holds ``out``.

    References
    ----------
    M. Rocklin, "Dask: Parallel Computation with Blocked algorithms and Task Scheduling",
    Proc. 14th Python in Science Conf. (SciPy 2015), doi:10.25080/Majora-7b98e3ed-013.
    flock(2): https://man7.org/linux/man-pages/man2/flock.2.html
    """
    from tqdm import tqdm

    plan = plan_sweep(scenario, grid, metrics, chunk_rows)
    if scheduler is None:
        _check_workers(workers)
    elif isinstance(scheduler, str) and not _SCHEDULER.fullmatch(scheduler):
        raise SweepError(f"scheduler {scheduler!r}: expected an address like tcp://HOST:8786", "scheduler")
    folder = ensure_folder(out)
    chunking = plan.chunking
    definition = plan.manifest()
    with FolderLock(folder):
        state = store.prepare(folder, definition, chunking, overwrite)
        pending = [c for c in range(chunking.chunks) if c not in state.done]
        receipts = dict(state.done)
        if progress is None:
            progress = sys.stderr.isatty()
        bar = tqdm(total=chunking.rows, initial=sum(r.rows for r in receipts.values()), disable=not progress,
                   desc="sweep", unit="row", unit_scale=True, file=sys.stderr, dynamic_ncols=True)
        journal = store.Journal(folder)

        def record(receipt: Receipt) -> None:
            _check_receipt(folder, receipt, chunking.rows_in(receipt.chunk))
            journal.append(receipt)
            receipts[receipt.chunk] = receipt
            bar.update(receipt.rows)

        try:
            if not pending:
                executor = "nothing to compute"
            elif scheduler is not None:
                executor = _run_dask(plan.work(), folder, pending, record, scheduler)
            else:
                executor = _run_local(plan.work(), folder, pending, record, _check_workers(workers, len(pending)))
        finally:
            bar.close()
            journal.close()
            store.commit(folder, definition, receipts)
    return SweepResult(folder, chunking.rows, chunking.chunks, len(pending), len(state.done), executor,
                       dict(state.recomputed))


def _check_receipt(folder: Path, receipt: Receipt, expected_rows: int) -> None:
    """A receipt must match the plan and name a file this process sees (shared filesystem)."""
    path = folder / store.part_name(receipt.chunk)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        size = None
    if size != receipt.bytes:
        raise SweepError(
            f"out {str(folder)!r}: a worker reported writing {path.name} ({receipt.bytes} bytes) but this "
            f"process sees {'no such file' if size is None else f'{size} bytes'}; the folder must be on a "
            f"filesystem every worker shares, at the same path", "out")
    if receipt.rows != expected_rows:
        raise SweepError(f"out {str(folder)!r}: {path.name} has {receipt.rows} rows; the plan gives it "
                         f"{expected_rows}", "out")


def _check_workers(workers: int | None, pending: int | None = None) -> int:
    if workers is None:
        n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    elif (isinstance(workers, bool) or not isinstance(workers, (int, np.integer))
          or not 1 <= workers <= MAX_WORKERS):
        raise SweepError(f"workers = {workers!r}: expected a whole number in [1, {MAX_WORKERS}]", "workers")
    else:
        n = int(workers)
    return max(1, min(n, pending)) if pending is not None else n


# ----------------------------------------------------------------------------- local


def _run_local(work: SweepWork, folder: Path, pending: list[int], record: Callable[[Receipt], None],
               n_workers: int) -> str:
    if n_workers <= 1:
        # this process reuses freed memory as a pool worker does: for life where its environment
        # pinned nothing (as the Monte Carlo does), else lifted across the whole loop
        reuse_freed_memory()
        with _reusing_freed_memory():
            for chunk in pending:
                record(compute_part(work, folder, chunk))
        return "local x1"
    ctx = multiprocessing.get_context()
    parent = os.getpid() if ctx.get_start_method() in ("fork", "spawn") else None
    pool = ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(work, str(folder), parent))
    queue = deque(pending)
    inflight: set = set()
    try:
        while queue or inflight:
            while queue and len(inflight) < CHUNKS_IN_FLIGHT_PER_WORKER * n_workers:
                inflight.add(pool.submit(_worker_part, queue.popleft()))
            done, inflight = wait(inflight, return_when=FIRST_COMPLETED)
            for fut in done:
                record(fut.result())
    except BaseException:  # let running chunks end before the lock is released: no stray writer
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return f"local x{n_workers}"


_WORKER: dict[str, Any] = {}


def _init_worker(work: SweepWork, folder: str, parent_pid: int | None) -> None:
    """Pool initializer: keep the plan, die with the parent, reuse freed memory for life."""
    die_with_parent(parent_pid)
    lift_malloc_thresholds()
    _WORKER["work"], _WORKER["folder"] = work, folder


def _worker_part(chunk: int) -> Receipt:
    return compute_part(_WORKER["work"], _WORKER["folder"], chunk)


def die_with_parent(parent_pid: int | None) -> None:
    """Make this (worker) process end when its parent process ends, even by SIGKILL.

    Parameters
    ----------
    parent_pid : int or None
        The parent's PID, checked once after arming (the parent may already be gone); None
        when the parent is an intermediate process (a fork server).

    Notes
    -----
    On Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` has the kernel kill this process when the
    parent thread exits. Elsewhere, a daemon thread checks every :data:`PARENT_POLL_S` seconds
    whether the parent PID changed (the orphan was re-parented) and exits.

    References
    ----------
    prctl(2), PR_SET_PDEATHSIG: https://man7.org/linux/man-pages/man2/prctl.2.html
    """
    armed = _arm_parent_death_signal()
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)  # the parent died before the signal was armed
    if not armed:
        watched = os.getppid()

        def watch() -> None:
            while os.getppid() == watched:
                time.sleep(PARENT_POLL_S)
            os._exit(1)

        threading.Thread(target=watch, name="orbitaldc-parent-watch", daemon=True).start()


def _arm_parent_death_signal() -> bool:
    """Ask Linux to SIGKILL this process when its parent dies; False where that is unavailable."""
    libc = _libc()
    try:
        return libc is not None and libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except AttributeError:
        return False


# ----------------------------------------------------------------------------- Dask


def _connect(scheduler: Any):
    """A client for ``scheduler`` and whether we own (and must close) it."""
    if not isinstance(scheduler, str):
        return scheduler, False
    from distributed import Client

    try:
        return Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s", set_as_default=False), True
    except (OSError, TimeoutError) as exc:
        raise SweepError(f"scheduler {scheduler}: cannot connect ({exc})", "scheduler") from None


def compute_parts(work: SweepWork, out: str | os.PathLike, chunks: Sequence[int]) -> list[Receipt]:
    """Several consecutive chunks in one cluster task (:func:`compute_part` for each).

    Parameters
    ----------
    work : SweepWork
        The sweep's worker-side plan.
    out : path
        Absolute path of the sweep folder, as this worker sees it.
    chunks : sequence of int
        Chunk numbers.

    Returns
    -------
    list of Receipt
        One per part written, in the order given.

    References
    ----------
    Dask, "Best practices: avoid very large graphs / tasks of about 100 ms or more":
    https://docs.dask.org/en/stable/best-practices.html
    """
    with _reusing_freed_memory():  # lifted across the task's chunks: freed pages kept between them
        return [compute_part(work, out, chunk) for chunk in chunks]


def _task_chunks(pending: int, threads: int, chunk_rows: int) -> int:
    """Chunks per cluster task: as many as keep ``TASKS_PER_WORKER`` tasks per worker thread
    (balance at the end), at most ``DASK_TASK_ROWS`` rows (progress, and what a killed
    coordinator may have to recompute)."""
    return max(1, min(pending // (TASKS_PER_WORKER * threads), DASK_TASK_ROWS // chunk_rows))


def _run_dask(work: SweepWork, folder: Path, pending: list[int], record: Callable[[Receipt], None],
              scheduler: Any) -> str:
    """The same chunks on a Dask cluster: workers write their parts; receipts come back."""
    import uuid

    from distributed import as_completed

    client, own = _connect(scheduler)
    address = client.scheduler.address
    inflight: set = set()
    try:
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info().get("workers", {}).values())
        if not threads:
            raise SweepError(f"scheduler {address}: no workers connected", "scheduler")
        [work_future] = client.scatter([work], broadcast=True, hash=False)
        token = uuid.uuid4().hex[:12]
        size = _task_chunks(len(pending), threads, work.chunking.chunk_rows)
        queue = deque(pending[i:i + size] for i in range(0, len(pending), size))
        window = max(TASKS_IN_FLIGHT_PER_WORKER * threads, DASK_MIN_WINDOW)
        # results fetched on the client's event loop as tasks finish (no blocking round trip per task)
        ac = as_completed(loop=client.loop, with_results=True)

        def submit() -> None:  # refill the window in one graph update (one per task costs ~5 ms)
            tasks = [queue.popleft() for _ in range(min(window - len(inflight), len(queue)))]
            futures = client.map(compute_parts, [work_future] * len(tasks), [str(folder)] * len(tasks), tasks,
                                 key=[f"orbitaldc-sweep-{token}-{t[0]}" for t in tasks], pure=False)
            inflight.update(futures)
            ac.update(futures)

        submit()
        for fut, receipts in ac:
            inflight.discard(fut)
            if not isinstance(receipts, list):  # cancelled elsewhere: raise as the future does
                fut.result()
            for receipt in receipts:
                record(receipt)
            fut.release()
            if queue and len(inflight) <= window // 2:
                submit()
    except BaseException:
        if inflight:
            client.cancel(list(inflight))
        raise
    finally:
        if own:
            client.close()
    return f"dask {address}"
