"""Running sweeps (orbitaldc.sweep.executors): local pool, Dask LocalCluster, killed coordinators, the CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from orbitaldc import sweep
from orbitaldc.cli import main as cli_main
from orbitaldc.compare import evaluate
from orbitaldc.params import load_scenario
from orbitaldc.sweep import executors, folder, store

from sweep_helpers import GRID, PRESET, leftovers, parts


def _receipts(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text())["parts"]


def test_local_processes_write_the_same_bytes_as_in_process(tmp_path):
    one = sweep.run_sweep(PRESET, GRID, tmp_path / "one", chunk_rows=40, workers=1)
    two = sweep.run_sweep(PRESET, GRID, tmp_path / "two", chunk_rows=40, workers=2)
    assert (one.executor, two.executor) == ("local x1", "local x2")
    assert _receipts(tmp_path / "one") == _receipts(tmp_path / "two")  # same rows, bytes and SHA-256
    pd.testing.assert_frame_equal(sweep.read_sweep(tmp_path / "one"), sweep.read_sweep(tmp_path / "two"))


def test_dask_localcluster_workers_write_the_same_parts_and_resume(tmp_path, monkeypatch):
    """A real cluster: 2 worker processes on loopback TCP write the parts themselves."""
    from distributed import Client, LocalCluster

    sweep.run_sweep(PRESET, GRID, tmp_path / "local", chunk_rows=7, workers=1)  # 26 chunks of <= 7 rows

    def coordinator_writes(*args, **kwargs):
        raise AssertionError("the coordinating process wrote a part")

    monkeypatch.setattr(store, "write_part", coordinator_writes)  # here only: workers import their own
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, protocol="tcp", host="127.0.0.1",
                      dashboard_address=":0") as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        r = sweep.run_sweep(PRESET, GRID, tmp_path / "dask", chunk_rows=7, scheduler=address)  # 3 chunks a task
        assert r.executor == f"dask {address}" and r.computed_chunks == r.chunks == 26
        (tmp_path / "dask" / sweep.part_name(2)).write_bytes(b"")
        with Client(cluster) as client:  # a connected client works as well as an address
            again = sweep.run_sweep(PRESET, GRID, tmp_path / "dask", chunk_rows=7, scheduler=client)
        assert (again.computed_chunks, again.skipped_chunks, again.recomputed) == (1, 25, {store.EMPTY: 1})
    monkeypatch.undo()
    assert _receipts(tmp_path / "local") == _receipts(tmp_path / "dask")  # byte-identical parts
    pd.testing.assert_frame_equal(sweep.read_sweep(tmp_path / "local"), sweep.read_sweep(tmp_path / "dask"))
    assert not leftovers(tmp_path / "dask")


def test_cluster_tasks_group_chunks_only_while_every_worker_keeps_several_tasks():
    assert executors._task_chunks(26, 2, 7) == 3  # 9 tasks for 2 worker threads
    assert executors._task_chunks(21, 2, 100_000) == 2
    assert executors._task_chunks(7, 2, 100_000) == 1  # too few chunks to group
    assert executors._task_chunks(10_000, 2, 100_000) == 10  # at most a million rows a task
    assert executors._task_chunks(10_000, 64, 10) == 39


def test_unreachable_or_malformed_scheduler_is_a_clean_error(tmp_path, monkeypatch):
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT_S", 1)
    with pytest.raises(sweep.SweepError, match="cannot connect") as info:
        sweep.run_sweep(PRESET, ["pue=1.1"], tmp_path / "x", scheduler="tcp://127.0.0.1:9")
    assert info.value.argument == "scheduler"
    with pytest.raises(sweep.SweepError, match="expected an address"):
        sweep.run_sweep(PRESET, ["pue=1.1"], tmp_path / "s", scheduler="localhost:8786")
    for workers in (0, 1.5, True, 10**6):
        with pytest.raises(sweep.SweepError, match="workers") as info:
            sweep.run_sweep(PRESET, ["pue=1.1"], tmp_path / "w", workers=workers)
        assert info.value.argument == "workers"


# ----------------------------------------------------------------------------- killed processes


def _children(pid: int) -> list[int]:
    """PIDs whose parent is ``pid`` (from /proc: Linux)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left


@pytest.mark.parametrize("mechanism", ["prctl", "watchdog"])
def test_pool_workers_end_when_their_parent_is_killed(tmp_path, mechanism):
    """Linux signals the workers (prctl); elsewhere a watchdog thread polls the parent PID."""
    out = tmp_path / "s"
    without_prctl = "from orbitaldc.sweep import executors\nexecutors._arm_parent_death_signal = lambda: False\n"
    script = ("import sys\nfrom orbitaldc.sweep import run_sweep\n"
              + (without_prctl if mechanism == "watchdog" else "") +
              "run_sweep('mccalip-2025-12', ['launch_cost_usd_per_kg=100:3000:0.01', 'pue=1.1,1.2'], sys.argv[1],"
              " chunk_rows=200, workers=2, metrics=['cost_ratio'])\n")
    proc = subprocess.Popen([sys.executable, "-c", script, str(out)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline:
        workers = _children(proc.pid)
        if len(workers) >= 2 and out.is_dir() and len(parts(out)) >= 4:
            break
        if proc.poll() is not None:
            pytest.fail(f"sweep ended before it could be killed: {proc.stderr.read().decode()}")
        time.sleep(0.01)
    assert len(workers) >= 2, workers
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 5
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)], "pool workers outlived their killed parent"


def test_killed_sweep_process_resumes_with_exactly_the_expected_rows(tmp_path):
    """SIGKILL a real `python -m orbitaldc sweep` mid-way, start it again: every row once."""
    out = tmp_path / "s"
    grid = ["--grid", "launch_cost_usd_per_kg=100:3000:0.5", "--grid", "pue=1.1,1.2"]
    cmd = [sys.executable, "-m", "orbitaldc", "sweep", PRESET, *grid, "-o", str(out),
           "--chunk-rows", "10", "--workers", "1", "--metric", "cost_ratio", "--no-progress"]
    total_rows, total_chunks = 5801 * 2, 1161
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if out.is_dir() and len(parts(out)) >= 40:
            break
        if proc.poll() is not None:
            pytest.fail(f"sweep ended before it could be killed: {proc.stderr.read().decode()}")
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    killed_at = len(parts(out))
    assert 0 < killed_at < total_chunks, killed_at  # really killed mid-way
    assert (out / store.JOURNAL).exists()  # receipts of the killed run, never merged
    again = subprocess.run(cmd + ["--format", "json"], capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    result = json.loads(again.stdout)
    # a part renamed into place just before the kill may lack its receipt: it is recomputed
    assert result["recomputed_chunks"] <= 1 and set(result["recomputed"]) <= {store.UNRECORDED}
    assert result["skipped_chunks"] == killed_at - result["recomputed_chunks"]
    assert result["skipped_chunks"] + result["computed_chunks"] == total_chunks
    df = sweep.read_sweep(out)
    assert len(df) == total_rows
    assert df["row"].tolist() == list(range(total_rows))  # none lost, none duplicated
    expected_price = 100.0 + 0.5 * (np.arange(total_rows) // 2)
    np.testing.assert_array_equal(df["launch_cost_usd_per_kg"].to_numpy(), expected_price)
    np.testing.assert_array_equal(df["pue"].to_numpy(), np.tile([1.1, 1.2], 5801))
    sc = load_scenario(PRESET)
    i = 4321
    point = evaluate(sc, {"launch_cost_usd_per_kg": float(expected_price[i]), "pue": 1.1 if i % 2 == 0 else 1.2})
    # same float64 arithmetic vectorized and as a point: 1e-12 allows a different reduction order only
    assert df["orbital_to_terrestrial_cost_ratio"].iloc[i] == pytest.approx(float(point.cost_ratio), rel=1e-12)
    assert not leftovers(out)


# ----------------------------------------------------------------------------- CLI


def _cli(capsys, *args) -> tuple[int, str, str]:
    """Run the `orbitaldc` command in this process: (exit code, stdout, stderr)."""
    try:
        cli_main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_sweep_reports_recomputed_parts(tmp_path, capsys):
    out = tmp_path / "s"
    args = ["sweep", PRESET, "--grid", "pue=1.1,1.2,1.3", "--chunk-rows", "1", "-o", str(out), "--workers", "1"]
    assert _cli(capsys, *args)[0] == 0
    (out / sweep.part_name(1)).write_bytes(b"")
    code, stdout, _ = _cli(capsys, *args)
    assert code == 0
    assert "(1 computed, 2 already present and verified; parts not trusted, deleted and recomputed: 1 empty file" in stdout


def test_cli_sweep_bad_input_exits_2_with_one_line_naming_the_flag(tmp_path, capsys):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    cases = [
        (["--grid", "pue=1.1:1.0:0.1", "-o", str(tmp_path / "x")], "--grid pue=1.1:1.0:0.1: STOP 1 is below START 1.1"),
        (["--grid", "nope=1", "-o", str(tmp_path / "x")], "--grid 'nope': unknown key"),
        (["-o", str(tmp_path / "x")], "--grid: no axis given"),
        (["--grid", "pue=1.1", "-o", ""], "--out '': empty path"),
        (["--grid", "pue=1.1", "-o", "/proc/x"], "--out '/proc/x': cannot create the folder: No such file or directory"),
        (["--grid", "pue=1.1", "-o", f"{a_file}/sub"], f"--out '{a_file}/sub': cannot create the folder: Not a directory"),
        (["--grid", "pue=1.1", "-o", str(tmp_path / "w"), "--workers", "0"], "--workers = 0: expected a whole number"),
        (["--grid", "pue=1.1", "-o", str(tmp_path / "s"), "--scheduler", "nowhere"], "--scheduler 'nowhere': expected"),
    ]
    for args, message in cases:
        code, _, stderr = _cli(capsys, "sweep", PRESET, *args)
        assert code == 2, (args, stderr)
        assert stderr.startswith(f"error: {message}"), (args, stderr)
        assert stderr.count("\n") == 1 and "Traceback" not in stderr
    out = tmp_path / "locked"
    out.mkdir()
    with folder.FolderLock(out):
        code, _, stderr = _cli(capsys, "sweep", PRESET, "--grid", "pue=1.1", "-o", str(out))
    assert code == 2 and stderr.startswith(f"error: --out '{out}': in use by another sweep (pid {os.getpid()} on host ")
    assert not Path("part-000000.parquet").exists()


def test_cli_sweep_into_a_read_only_folder_exits_2(tmp_path, capsys):
    """A folder nobody may write in: mode 0555, and for root (who ignores modes) also immutable."""
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    as_root = os.geteuid() == 0
    if as_root:  # root writes through mode bits; the immutable attribute stops root too
        subprocess.run(["chattr", "+i", str(ro)], check=True)
    try:
        code, _, stderr = _cli(capsys, "sweep", PRESET, "--grid", "pue=1.1", "-o", str(ro))
    finally:
        if as_root:
            subprocess.run(["chattr", "-i", str(ro)], check=True)
        ro.chmod(0o755)
    reason = "Operation not permitted" if as_root else "Permission denied"
    assert code == 2 and stderr == f"error: --out '{ro}': cannot write in the folder: {reason}\n"
    assert not list(ro.iterdir())


# ----------------------------------------------------------------------------- worker allocator


class _FakeGlibc:
    def __init__(self):
        self.calls = []

    def mallopt(self, param, value):
        self.calls.append((param, value))
        return 1


def test_malloc_thresholds_lifted_while_computing_and_restored_or_for_life_in_pool_workers(monkeypatch):
    """Dask's nanny pins MALLOC_TRIM_THRESHOLD_; a chunk runs with glibc's dynamic ceilings
    (mallopt(3): M_MMAP_THRESHOLD = -3 up to 32 MiB, M_TRIM_THRESHOLD = -1), then the pinned
    values come back, once, however many threads overlap."""
    from orbitaldc.sampling import evaluate

    fake = _FakeGlibc()
    monkeypatch.setattr(evaluate, "_glibc_mallopt", lambda: fake.mallopt)
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    with executors._reusing_freed_memory():
        pass
    assert fake.calls == []  # nothing pinned: glibc's own dynamic thresholds are left alone
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    a, b = executors._reusing_freed_memory(), executors._reusing_freed_memory()
    a.__enter__()
    b.__enter__()  # a second worker thread overlapping the first
    assert fake.calls == [(-3, 32 * 1024 * 1024), (-1, 64 * 1024 * 1024)]
    a.__exit__(None, None, None)
    assert len(fake.calls) == 2  # still in use by the second
    b.__exit__(None, None, None)
    assert fake.calls[2:] == [(-3, 128 * 1024), (-1, 65536)]  # glibc's default mmap threshold, the pinned trim
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "lots")  # unparsable: leave the allocator alone
    with executors._reusing_freed_memory():
        pass
    assert len(fake.calls) == 4
    # a local pool worker is orbitaldc's own process: the ceilings for its whole life
    monkeypatch.setattr(executors, "die_with_parent", lambda pid: None)
    monkeypatch.setattr(executors, "_WORKER", {})
    executors._init_worker("work", "folder", None)
    assert fake.calls[4:] == [(-3, 32 * 1024 * 1024), (-1, 64 * 1024 * 1024)]
    assert executors._WORKER == {"work": "work", "folder": "folder"}


def _fail_writes_on_this_worker() -> None:
    from orbitaldc.sweep import plan, store as worker_store

    def refuse(table, out, chunk):
        raise plan.SweepError(f"out {str(out)!r}: cannot write part {chunk} (refused by the test)", "out")

    worker_store.write_part = refuse


def test_a_cluster_workers_error_reaches_the_caller_and_the_folder_stays_resumable(tmp_path):
    """Receipts come back with the task results; a failing task raises its own error here, the
    manifest is still committed, and a later run on healthy workers completes the sweep."""
    from distributed import Client, LocalCluster

    out = tmp_path / "dask"
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        client.run(_fail_writes_on_this_worker)
        with pytest.raises(sweep.SweepError, match="refused by the test") as info:
            sweep.run_sweep(PRESET, GRID, out, chunk_rows=40, scheduler=client)
        assert info.value.argument == "out"
        assert sweep.sweep_status(out)["chunks_present"] == 0
        client.restart()  # fresh worker processes write normally again
        client.wait_for_workers(1, timeout=60)
        r = sweep.run_sweep(PRESET, GRID, out, chunk_rows=40, scheduler=client)
    assert (r.computed_chunks, r.chunks) == (6, 6)  # 2 blocks of 90 rows, 3 chunks of <= 40 each
    sweep.run_sweep(PRESET, GRID, tmp_path / "local", chunk_rows=40, workers=1)
    assert _receipts(tmp_path / "local") == _receipts(out)
