"""Sweep folders (orbitaldc.sweep.store): receipts, verification on resume, read_sweep, the lock, paths."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from orbitaldc import sweep
from orbitaldc.compare import evaluate
from orbitaldc.sweep import executors, folder, store

from sweep_helpers import GRID, PRESET, leftovers, parts


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """A complete sweep (6 chunks of 37/37/16 rows) and its rows, written once for this module."""
    out = tmp_path_factory.mktemp("ref") / "s"
    sweep.run_sweep(PRESET, GRID, out, chunk_rows=37, workers=1)
    return out, sweep.read_sweep(out)


def _copy(reference, tmp_path) -> Path:
    out = tmp_path / "s"
    shutil.copytree(reference[0], out)
    return out


def test_rows_match_point_evaluations_and_manifest_records_each_part(reference):
    out, df = reference
    assert df["row"].tolist() == list(range(180))
    row = df.iloc[90 + 3 * 7 + 2]
    assert (row["terrestrial_power_source"], row["launch_cost_usd_per_kg"], row["pue"]) == ("grid", 800.0, 1.4)
    point = evaluate(PRESET, {"terrestrial_power_source": "grid", "launch_cost_usd_per_kg": 800.0, "pue": 1.4})
    # same float64 arithmetic vectorized and as a point: 1e-12 allows a different reduction order only
    assert row["terrestrial.total_cost_usd"] == pytest.approx(float(point.terrestrial.total_cost_usd), rel=1e-12)
    assert row["orbital_to_terrestrial_cost_ratio"] == pytest.approx(float(point.cost_ratio), rel=1e-12)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["rows"] == 180 and manifest["chunks"] == 6 and manifest["chunk_rows"] == 37
    assert sorted(manifest["parts"]) == [str(c) for c in range(6)]
    for chunk, part in enumerate(parts(out)):  # receipts checked against the files, independently
        data = part.read_bytes()
        assert manifest["parts"][str(chunk)] == {"rows": [37, 37, 16][chunk % 3], "bytes": len(data),
                                                 "sha256": hashlib.sha256(data).hexdigest()}
        assert len(pd.read_parquet(part)) == [37, 37, 16][chunk % 3]
    assert not leftovers(out) and not (out / store.JOURNAL).exists()
    assert (out / folder.LOCK).read_text() == ""  # released: no holder named
    assert sweep.sweep_status(out) == {"rows": 180, "chunks": 6, "chunks_present": 6, "chunks_missing": 0,
                                       "complete": True}


def _truncate(p: Path) -> None:
    p.write_bytes(p.read_bytes()[:-100])


def _empty(p: Path) -> None:
    p.write_bytes(b"")


def _bit_flip(p: Path) -> None:  # same size, one bit changed in the middle (a column's data)
    data = bytearray(p.read_bytes())
    data[len(data) // 2] ^= 0x01
    p.write_bytes(bytes(data))


def _foreign(p: Path) -> None:  # a valid part of another sweep, same chunk number
    other = p.parent.parent / "other"
    sweep.run_sweep(PRESET, ["launch_cost_usd_per_kg=200:3100:100", "terrestrial_power_source=gas,grid",
                             "pue=1.1,1.2,1.4"], other, chunk_rows=37, workers=1)
    shutil.copyfile(other / p.name, p)


def _unrecorded(p: Path) -> None:  # the part exists but its receipt never reached the manifest
    mpath = p.parent / "manifest.json"
    manifest = json.loads(mpath.read_text())
    del manifest["parts"][str(int(p.name[5:11]))]
    mpath.write_text(json.dumps(manifest))


@pytest.mark.parametrize("corrupt, reasons", [
    (_truncate, {store.SIZE}),
    (_empty, {store.EMPTY}),
    (_bit_flip, {store.CHECKSUM}),
    (_foreign, {store.SIZE, store.CHECKSUM}),  # a different part: its size may or may not differ
    (_unrecorded, {store.UNRECORDED}),
    (lambda p: p.unlink(), {store.MISSING}),
])
def test_bad_part_is_refused_by_read_sweep_and_recomputed_on_resume(reference, tmp_path, corrupt, reasons):
    out = _copy(reference, tmp_path)
    corrupt(out / sweep.part_name(4))
    with pytest.raises(sweep.SweepError, match=r"incomplete sweep: 1 of 6 chunks missing") as info:
        sweep.read_sweep(out)
    assert info.value.argument == "out" and str(out) in str(info.value)
    r = sweep.run_sweep(PRESET, GRID, out, chunk_rows=37, workers=1)
    assert (r.computed_chunks, r.skipped_chunks, r.recomputed_chunks) == (1, 5, 1)
    assert len(r.recomputed) == 1 and set(r.recomputed) <= reasons and sum(r.recomputed.values()) == 1
    pd.testing.assert_frame_equal(sweep.read_sweep(out), reference[1])
    assert (out / sweep.part_name(4)).read_bytes() == (reference[0] / sweep.part_name(4)).read_bytes()


def test_stray_parts_and_temporary_leftovers_are_removed(reference, tmp_path):
    out = _copy(reference, tmp_path)
    shutil.copyfile(out / sweep.part_name(0), out / sweep.part_name(99))  # beyond this sweep's 6 chunks
    (out / ".part-000002.parquet.tmp-host-12345-abcd").write_bytes(b"half a file")  # a killed writer's
    r = sweep.run_sweep(PRESET, GRID, out, chunk_rows=37, workers=1)
    assert (r.computed_chunks, r.recomputed_chunks, r.recomputed) == (0, 0, {store.STRAY: 1})
    assert not (out / sweep.part_name(99)).exists() and not leftovers(out)
    pd.testing.assert_frame_equal(sweep.read_sweep(out), reference[1])


def test_interrupted_sweep_is_refused_then_read_partially_then_completed(tmp_path, monkeypatch):
    out = tmp_path / "s"
    real = executors.compute_part
    calls = []

    def interrupted(work, folder, chunk):
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(chunk)
        return real(work, folder, chunk)

    monkeypatch.setattr(executors, "compute_part", interrupted)
    with pytest.raises(KeyboardInterrupt):
        sweep.run_sweep(PRESET, GRID, out, chunk_rows=37, workers=1)
    monkeypatch.undo()
    assert sweep.sweep_status(out)["chunks_present"] == 2 and not sweep.sweep_status(out)["complete"]
    with pytest.raises(sweep.SweepError, match=r"4 of 6 chunks missing; run the same sweep.*partial=True"):
        sweep.read_sweep(out)
    with folder.FolderLock(out):  # while a writer holds the folder, the refusal names it
        with pytest.raises(sweep.SweepError, match=rf"4 of 6 chunks missing; a sweep may still be writing it "
                                                   rf"\(pid {os.getpid()} on host"):
            sweep.read_sweep(out)
    part = sweep.read_sweep(out, partial=True)
    assert part["row"].tolist() == list(range(74))
    assert part.attrs["sweep"] == {"chunks": 6, "chunks_read": 2, "missing_chunks": [2, 3, 4, 5]}
    r = sweep.run_sweep(PRESET, GRID, out, chunk_rows=37, workers=1)
    assert (r.computed_chunks, r.skipped_chunks, r.recomputed) == (4, 2, {})
    assert sweep.read_sweep(out)["row"].tolist() == list(range(180))


def test_partial_read_of_an_empty_sweep_has_the_columns(tmp_path, reference):
    out = _copy(reference, tmp_path)
    for p in parts(out):
        p.unlink()
    df = sweep.read_sweep(out, partial=True)
    assert len(df) == 0 and df.columns.tolist() == reference[1].columns.tolist()
    assert df.attrs["sweep"]["missing_chunks"] == list(range(6))


def test_receipts_of_a_killed_coordinator_are_kept_from_its_journal(reference, tmp_path):
    """A coordinator killed mid-run never merged its journal: the receipts there still count."""
    out = _copy(reference, tmp_path)
    manifest = json.loads((out / "manifest.json").read_text())
    lines = [json.dumps({"chunk": int(c), **rec}) for c, rec in manifest["parts"].items()]
    manifest["parts"] = {}
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / store.JOURNAL).write_text("\n".join(lines) + '\n{"chunk": 5, "rows": 1')  # killed mid-line
    pd.testing.assert_frame_equal(sweep.read_sweep(out), reference[1])
    r = sweep.run_sweep(PRESET, GRID, out, chunk_rows=37, workers=1)
    assert (r.computed_chunks, r.skipped_chunks) == (0, 6)
    assert not (out / store.JOURNAL).exists() and len(json.loads((out / "manifest.json").read_text())["parts"]) == 6


def test_different_sweep_in_folder_refused_unless_overwrite(tmp_path):
    out = tmp_path / "s"
    sweep.run_sweep(PRESET, ["pue=1.1,1.2"], out, workers=1)
    with pytest.raises(sweep.SweepError, match="different sweep"):
        sweep.run_sweep(PRESET, ["pue=1.1,1.3"], out, workers=1)
    with pytest.raises(sweep.SweepError, match="different sweep"):  # same grid, other chunking
        sweep.run_sweep(PRESET, ["pue=1.1,1.2"], out, workers=1, chunk_rows=1)
    with pytest.raises(sweep.SweepError, match="different sweep"):  # same grid, other metrics
        sweep.run_sweep(PRESET, ["pue=1.1,1.2"], out, workers=1, metrics=["cost_ratio"])
    assert list(sweep.read_sweep(out)["pue"]) == [1.1, 1.2]
    sweep.run_sweep(PRESET, ["pue=1.1,1.3"], out, workers=1, overwrite=True)
    assert list(sweep.read_sweep(out)["pue"]) == [1.1, 1.3]
    (out / "manifest.json").write_text("{not json")
    with pytest.raises(sweep.SweepError, match="not a sweep manifest"):
        sweep.run_sweep(PRESET, ["pue=1.1,1.3"], out, workers=1)
    sweep.run_sweep(PRESET, ["pue=1.1,1.3"], out, workers=1, overwrite=True)
    (out / "manifest.json").unlink()
    with pytest.raises(sweep.SweepError, match="parts but no manifest"):
        sweep.run_sweep(PRESET, ["pue=1.1,1.3"], out, workers=1)
    with pytest.raises(sweep.SweepError, match="not a sweep folder"):
        sweep.read_sweep(out)


def test_a_second_writer_is_refused_naming_the_holder(tmp_path):
    out = tmp_path / "s"
    out.mkdir()
    with folder.FolderLock(out):
        for kwargs in ({}, {"overwrite": True}):  # overwrite never takes a folder in use either
            with pytest.raises(sweep.SweepLockedError, match=rf"in use by another sweep \(pid {os.getpid()} "
                                                             rf"on host {socket.gethostname()}, started 20"):
                sweep.run_sweep(PRESET, ["pue=1.1,1.2"], out, workers=1, **kwargs)
    assert not parts(out) and not (out / "manifest.json").exists()  # the refused writer touched nothing
    sweep.run_sweep(PRESET, ["pue=1.1,1.2"], out, workers=1)  # released: free again


def test_same_sweep_started_twice_never_disturbs_the_first(tmp_path):
    """The second start is refused while the first runs; the first completes, every row once."""
    out = tmp_path / "s"
    grid = ["launch_cost_usd_per_kg=100:3000:1", "pue=1.1,1.2"]
    first: dict = {}

    def run_first():
        try:
            first["result"] = sweep.run_sweep(PRESET, grid, out, chunk_rows=20, workers=1, metrics=["cost_ratio"])
        except BaseException as exc:  # reported below
            first["error"] = exc

    thread = threading.Thread(target=run_first)
    thread.start()
    deadline = time.monotonic() + 60
    while not (out.is_dir() and len(parts(out)) >= 3) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert thread.is_alive(), first
    for g, kwargs in ((grid, {}), (["pue=1.1,1.2"], {"overwrite": True})):  # same sweep, a different one
        with pytest.raises(sweep.SweepLockedError, match="in use by another sweep"):
            sweep.run_sweep(PRESET, g, out, chunk_rows=20, workers=1, metrics=["cost_ratio"], **kwargs)
    thread.join(120)
    assert "error" not in first, first
    assert first["result"].computed_chunks == first["result"].chunks
    assert sweep.read_sweep(out)["row"].tolist() == list(range(2901 * 2))


def test_unwritable_output_paths_name_the_path_and_the_os_reason(tmp_path):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    for out, match in (("", "empty path"), ("   ", "empty path"), ("/proc/x", "No such file or directory"),
                       (str(a_file / "sub"), "Not a directory"), (str(a_file), "exists and is not a folder"),
                       ("a\0b", "NUL")):
        with pytest.raises(sweep.SweepError, match=match) as info:
            sweep.run_sweep(PRESET, ["pue=1.1"], out, workers=1)
        assert info.value.argument == "out" and "\n" not in str(info.value)
        assert str(info.value).startswith(f"out {out!r}")
    assert not Path("part-000000.parquet").exists()  # `-o ""` never writes into the working directory


def test_parts_use_the_stated_encodings_and_read_back_exactly(reference):
    """Float columns byte-split, row numbers delta-coded, compressed with store.COMPRESSION; the
    rows read back equal a fresh evaluation of the same chunk."""
    import pyarrow.parquet as pq

    out, df = reference
    meta = pq.ParquetFile(parts(out)[0]).metadata
    encodings = {}
    for i in range(meta.num_columns):
        col = meta.row_group(0).column(i)
        encodings[col.path_in_schema] = (col.physical_type, set(col.encodings), col.compression)
    # (RLE is how Parquet stores the definition levels of every column)
    assert encodings["row"][:2] == ("INT64", {"DELTA_BINARY_PACKED", "RLE"})
    assert encodings["pue"][:2] == ("DOUBLE", {"BYTE_STREAM_SPLIT", "RLE"})
    assert encodings["orbital.total_cost_usd"][:2] == ("DOUBLE", {"BYTE_STREAM_SPLIT", "RLE"})
    assert encodings["terrestrial_power_source"][:2] == ("BYTE_ARRAY", {"PLAIN", "RLE"})
    assert {c for *_, c in encodings.values()} == {"LZ4"}
    plan = sweep.plan_sweep(PRESET, GRID, chunk_rows=37)
    fresh = plan.work().table(0).to_pandas()
    pd.testing.assert_frame_equal(df.iloc[:37].reset_index(drop=True), fresh)
