"""Sweep folders: verified Parquet parts, the manifest and its receipts, the folder lock, reading.

A sweep folder holds

- ``part-NNNNNN.parquet``: one chunk each, written by whichever process computed it (a local
  worker or a Dask worker: the folder must be on a filesystem every worker shares). A part is
  written to a temporary name in the folder, fsynced, then renamed (``os.replace``), so its
  name never points to a half-written file.
- ``manifest.json``: the sweep's definition and a *receipt* per finished part: its row count,
  size in bytes and SHA-256 of its bytes. Only the coordinating process writes it.
- ``receipts.jsonl``: receipts appended one line each as parts finish (flushed at once, so a
  killed coordinator loses none), merged into ``manifest.json`` at the end of each run.
- ``sweep.lock``: an exclusive ``flock`` held by the coordinating process for the whole run;
  it holds the holder's PID, host and start time so a refused second writer can name it.

A part counts as done only when a receipt records it and its bytes still match the receipt;
anything else (truncated, empty, bit-flipped, copied from another sweep, written but never
recorded) is deleted and recomputed on resume, and :func:`read_sweep` refuses it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import socket
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from orbitaldc.sweep.folder import os_error, writer_hint
from orbitaldc.sweep.plan import Chunking, SweepError

MANIFEST = "manifest.json"
JOURNAL = "receipts.jsonl"
#: Parquet compression of the parts, without dictionaries (repeats compress either way) ...
COMPRESSION = "lz4"
#: ... after these encodings by Arrow type: float64 columns split byte by byte (exponent bytes
#: together compress well) and the row numbers as deltas. Measured on a 100,000-row part of
#: McCalip's model with every default metric: 1.5 MB in 14.5 ms (encode, hash, write) against
#: 3.6 MB in 15.4 ms for plain Snappy; zstd level 1 gave 2.2 MB in 24 ms. Half the bytes is half
#: the hashing, page-cache copying and write-back, which workers sharing a disk contend for.
ENCODINGS = {"double": "BYTE_STREAM_SPLIT", "int64": "DELTA_BINARY_PACKED"}
_PART = re.compile(r"^part-(\d{6,})\.parquet$")
_TMP = ".tmp-"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
#: Reasons a part found in the folder is not trusted (keys of ``SweepResult.recomputed``).
EMPTY = "empty file"
SIZE = "size differs from its receipt (truncated or appended to)"
CHECKSUM = "SHA-256 differs from its receipt (corrupted or replaced)"
ROWS = "row count differs from the plan"
UNRECORDED = "no receipt (written, but not recorded before the previous run stopped)"
MISSING = "recorded, but the file is gone"
STRAY = "not a chunk of this sweep"


@dataclass(frozen=True)
class Receipt:
    """What a worker reports after writing a part (small: this is all that travels back).

    Attributes
    ----------
    chunk : int
        Chunk number.
    rows : int
        Rows in the part.
    sha256 : str
        SHA-256 of the file's bytes (hex).
    bytes : int
        File size [bytes].
    """

    chunk: int
    rows: int
    sha256: str
    bytes: int

    def record(self) -> dict[str, Any]:
        """The receipt as stored under ``parts`` in the manifest."""
        return {"rows": self.rows, "bytes": self.bytes, "sha256": self.sha256}


def part_name(chunk: int) -> str:
    """File name of a chunk's part (``part-000042.parquet``)."""
    return f"part-{chunk:06d}.parquet"


def write_part(table, folder: Path | str, chunk: int) -> Receipt:
    """Write one part atomically and return its receipt.

    The Parquet bytes are built in memory, hashed, written to a temporary file in the folder
    (unique per host, process and call), fsynced and renamed, so the part's name is either
    absent or names the complete file.

    Parameters
    ----------
    table : pyarrow.Table
        The chunk's rows.
    folder : path
        The sweep folder (absolute on a cluster).
    chunk : int
        Chunk number.

    Returns
    -------
    Receipt
        Rows, size and SHA-256 of the file written.

    Raises
    ------
    SweepError
        With ``argument = "out"``, naming the folder and the OS reason.

    References
    ----------
    Apache Parquet file format: https://parquet.apache.org/docs/file-format/
    Apache Parquet encodings (BYTE_STREAM_SPLIT, DELTA_BINARY_PACKED):
    https://parquet.apache.org/docs/file-format/data-pages/encodings/
    NIST FIPS 180-4, Secure Hash Standard (SHA-256), 2015, doi:10.6028/NIST.FIPS.180-4.
    rename(2), atomic replacement: https://man7.org/linux/man-pages/man2/rename.2.html
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(folder)
    sink = pa.BufferOutputStream()
    encoding = {f.name: ENCODINGS[str(f.type)] for f in table.schema if str(f.type) in ENCODINGS}
    pq.write_table(table, sink, compression=COMPRESSION, use_dictionary=False, column_encoding=encoding)
    data = sink.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    path = folder / part_name(chunk)
    host = re.sub(r"[^A-Za-z0-9_.-]", "_", socket.gethostname())
    tmp = folder / f".{path.name}{_TMP}{host}-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise os_error(folder, f"write {path.name}", exc) from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return Receipt(chunk, table.num_rows, digest, data.size)


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest, or None when there is none.

    Raises
    ------
    SweepError
        When it cannot be read or is not a JSON object (``argument = "out"``).
    """
    try:
        text = (folder / MANIFEST).read_text()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise SweepError(f"out {str(folder)!r}: cannot read {MANIFEST}: {getattr(exc, 'strerror', None) or exc}",
                         "out") from None
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise SweepError(f"out {str(folder)!r}: {MANIFEST} is not a sweep manifest (malformed JSON)", "out")
    return data


def _write_manifest(folder: Path, manifest: Mapping[str, Any]) -> None:
    tmp = folder / f".{MANIFEST}{_TMP}{os.getpid()}"
    try:
        with open(tmp, "w") as fh:
            fh.write(_manifest_text(manifest))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, folder / MANIFEST)
    except OSError as exc:
        raise os_error(folder, f"write {MANIFEST}", exc) from None
    finally:
        if tmp.exists():
            tmp.unlink()


def _manifest_text(manifest: Mapping[str, Any]) -> str:
    """JSON with one line per top-level entry and per part receipt (readable, and fast to write)."""
    lines = []
    for key, value in manifest.items():
        if key == "parts" and value:
            receipts = ",\n".join(f"  {json.dumps(c)}: {json.dumps(r)}" for c, r in value.items())
            lines.append(f' "parts": {{\n{receipts}\n }}')
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _definition(manifest: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in manifest.items() if k != "parts"}


def _parse_receipt(chunk: Any, raw: Any) -> Receipt | None:
    try:
        r = Receipt(int(chunk), int(raw["rows"]), str(raw["sha256"]), int(raw["bytes"]))
    except (KeyError, TypeError, ValueError):
        return None
    return r if _SHA256.match(r.sha256) and r.rows >= 0 and r.bytes >= 0 and r.chunk >= 0 else None


def recorded_receipts(folder: Path, manifest: Mapping[str, Any]) -> dict[int, Receipt]:
    """Receipts of the manifest, updated by the journal of a run still going or killed.

    Parameters
    ----------
    folder : pathlib.Path
        The sweep folder.
    manifest : mapping
        Its manifest (:func:`read_manifest`).

    Returns
    -------
    dict
        Chunk number -> :class:`Receipt`. Malformed entries (e.g. the half-written last line
        of a killed run's journal) are left out: their parts count as unrecorded.

    References
    ----------
    JSON Lines: https://jsonlines.org/
    """
    receipts = {}
    parts = manifest.get("parts")
    for chunk, raw in (parts.items() if isinstance(parts, dict) else ()):
        r = _parse_receipt(chunk, raw)
        if r is not None:
            receipts[r.chunk] = r
    try:
        lines = (folder / JOURNAL).read_text().splitlines()
    except (FileNotFoundError, UnicodeDecodeError):
        lines = []
    except OSError as exc:
        raise os_error(folder, f"read {JOURNAL}", exc) from None
    for line in lines:
        try:
            raw = json.loads(line)
        except ValueError:
            continue
        r = _parse_receipt(raw.get("chunk"), raw) if isinstance(raw, dict) else None
        if r is not None:
            receipts[r.chunk] = r
    return receipts


class Journal:
    """Append-only receipts of one run (``receipts.jsonl``), flushed line by line."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            self._fh = open(folder / JOURNAL, "a")
        except OSError as exc:
            raise os_error(folder, f"write {JOURNAL}", exc) from None

    def append(self, receipt: Receipt) -> None:
        """Record one finished part."""
        self._fh.write(json.dumps({"chunk": receipt.chunk, **receipt.record()}) + "\n")
        self._fh.flush()

    def close(self) -> None:
        """Close the journal file."""
        self._fh.close()


def commit(folder: Path, definition: Mapping[str, Any], receipts: Mapping[int, Receipt]) -> None:
    """Write the manifest with every receipt (atomically), then drop the journal it now contains.

    Parameters
    ----------
    folder : pathlib.Path
        The sweep folder, locked by the caller.
    definition : mapping
        The sweep's definition (:meth:`SweepPlan.manifest`).
    receipts : mapping of int to Receipt
        Every sound part.

    References
    ----------
    rename(2), atomic replacement: https://man7.org/linux/man-pages/man2/rename.2.html
    """
    _write_manifest(folder, {**definition, "parts": {str(c): receipts[c].record() for c in sorted(receipts)}})
    (folder / JOURNAL).unlink(missing_ok=True)


def check_part(path: Path, receipt: Receipt, expected_rows: int | None = None) -> str | None:
    """Why a part cannot be trusted, or None when its bytes match its receipt.

    Parameters
    ----------
    path : pathlib.Path
        The part file.
    receipt : Receipt
        What was recorded when it was written.
    expected_rows : int, optional
        Rows the plan gives this chunk.

    Returns
    -------
    str or None
        One of the reasons :data:`EMPTY`, :data:`SIZE`, :data:`CHECKSUM`, :data:`ROWS`,
        :data:`MISSING`; None when the part is sound.

    References
    ----------
    NIST FIPS 180-4, Secure Hash Standard (SHA-256), 2015, doi:10.6028/NIST.FIPS.180-4.
    """
    if expected_rows is not None and receipt.rows != expected_rows:
        return ROWS
    try:
        size = path.stat().st_size
        if size != receipt.bytes:
            return EMPTY if size == 0 else SIZE
        with open(path, "rb") as fh:
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
    except FileNotFoundError:
        return MISSING
    return None if digest == receipt.sha256 else CHECKSUM


@dataclass
class FolderState:
    """What :func:`prepare` found: the parts kept, and why others will be recomputed."""

    done: dict[int, Receipt]
    recomputed: Counter


def prepare(folder: Path, definition: Mapping[str, Any], chunking: Chunking, overwrite: bool) -> FolderState:
    """Make a locked folder ready for a sweep: check its manifest, verify every part.

    A new folder gets the manifest. A folder of the same sweep keeps each part whose bytes
    match its receipt; every other part (and a killed writer's temporary files) is deleted, to
    be recomputed. A folder of a different sweep is refused unless ``overwrite``.

    Parameters
    ----------
    folder : pathlib.Path
        The sweep folder, locked by the caller (:class:`~orbitaldc.sweep.folder.FolderLock`).
    definition : mapping
        The sweep's definition (:meth:`SweepPlan.manifest`).
    chunking : Chunking
        Its row numbering (expected rows per part).
    overwrite : bool
        Discard a different sweep found in the folder.

    Returns
    -------
    FolderState
        Sound parts (chunk -> receipt) and the count of parts to recompute per reason.

    Raises
    ------
    SweepError
        A different sweep in the folder (unless ``overwrite``), parts without a manifest, an
        unreadable file (``argument = "out"``).

    References
    ----------
    NIST FIPS 180-4, Secure Hash Standard (SHA-256), 2015, doi:10.6028/NIST.FIPS.180-4.
    """
    try:
        old = read_manifest(folder)
        malformed = False
    except SweepError:
        if not overwrite:
            raise
        old, malformed = None, True
    entries = list(folder.iterdir())
    parts = {int(m.group(1)): p for p in entries if (m := _PART.match(p.name))}
    if malformed or (old is not None and _definition(old) != dict(definition)):
        if not overwrite:
            raise SweepError(
                f"out {str(folder)!r}: holds a different sweep (its {MANIFEST} differs: other scenario, "
                f"axes, metrics, chunk size or orbitaldc version); use a new folder, or overwrite to discard it", "out")
        (folder / JOURNAL).unlink(missing_ok=True)
        for p in parts.values():
            p.unlink()
        parts, old = {}, None
    elif old is None and parts:
        raise SweepError(f"out {str(folder)!r}: has Parquet parts but no {MANIFEST}; use a new folder", "out")
    for p in entries:  # temporary files of a killed writer (no other writer holds the lock)
        if p.name.startswith(".") and _TMP in p.name and p.exists():
            p.unlink()
    receipts = recorded_receipts(folder, old) if old is not None else {}
    done: dict[int, Receipt] = {}
    recomputed: Counter = Counter()
    for chunk, path in sorted(parts.items()):
        receipt = receipts.get(chunk)
        if chunk >= chunking.chunks:
            reason = STRAY
        elif receipt is None:
            reason = UNRECORDED
        else:
            reason = check_part(path, receipt, chunking.rows_in(chunk))
        if reason is None:
            done[chunk] = receipt
        else:
            path.unlink()
            recomputed[reason] += 1
    recomputed[MISSING] += sum(1 for c in receipts if c not in parts and c < chunking.chunks)
    commit(folder, definition, done)
    return FolderState(done, +recomputed)


def read_sweep(out: str | os.PathLike, partial: bool = False):
    """Rows of a sweep folder as a pandas DataFrame in row order, every part verified.

    Parameters
    ----------
    out : path
        The sweep folder.
    partial : bool
        Return the verified parts of an incomplete sweep instead of refusing it.

    Returns
    -------
    pandas.DataFrame
        Columns ``row``, the swept parameters and the metrics. ``df.attrs["sweep"]`` holds
        ``chunks``, ``chunks_read`` and ``missing_chunks`` (the chunk numbers not read).

    Raises
    ------
    SweepError
        With ``argument = "out"``: not a sweep folder; or (unless ``partial``) an incomplete
        sweep, naming how many chunks are missing and how many parts failed verification.

    References
    ----------
    Apache Parquet file format: https://parquet.apache.org/docs/file-format/
    NIST FIPS 180-4, Secure Hash Standard (SHA-256), 2015, doi:10.6028/NIST.FIPS.180-4.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(out)
    manifest = read_manifest(folder) if folder.is_dir() else None
    if manifest is None or not isinstance(manifest.get("chunks"), int):
        raise SweepError(f"out {str(out)!r}: not a sweep folder (no {MANIFEST})", "out")
    chunks = manifest["chunks"]
    tables, bad = [], Counter()
    for chunk, receipt in sorted(recorded_receipts(folder, manifest).items()):
        if chunk >= chunks:
            continue
        try:
            data = (folder / part_name(chunk)).read_bytes()
        except FileNotFoundError:
            bad[MISSING] += 1
            continue
        except OSError as exc:
            raise os_error(folder, f"read {part_name(chunk)}", exc) from None
        if len(data) != receipt.bytes:
            bad[EMPTY if not data else SIZE] += 1
        elif hashlib.sha256(data).hexdigest() != receipt.sha256:
            bad[CHECKSUM] += 1
        else:
            # the plain file reader, no threads: pq.read_table's dataset scan leaves I/O work
            # running after it returns, which can abort the interpreter at exit (apache/arrow
            # #33975, #34314; seen here in 2 of 32 readers while a writer was running)
            tables.append((chunk, pq.ParquetFile(pa.BufferReader(data)).read(use_threads=False)))
    missing = sorted(set(range(chunks)) - {c for c, _ in tables})
    if missing and not partial:
        why = "; ".join(f"{n} {reason}" for reason, n in bad.items())
        raise SweepError(
            f"out {str(out)!r}: incomplete sweep: {len(missing)} of {chunks} chunks missing"
            f"{f' ({why})' if why else ''}{writer_hint(folder)}; run the same sweep again to complete it, "
            f"or read it with partial=True", "out")
    if tables:
        df = pa.concat_tables([t for _, t in tables]).to_pandas()
    else:
        columns = {"row": pd.Series(dtype="int64")}
        for name, values in manifest.get("axes", {}).items():
            is_choice = isinstance(values, list) and values and isinstance(values[0], str)
            columns[name] = pd.Series(dtype=object if is_choice else float)
        for name in manifest.get("metrics", []):
            columns[name] = pd.Series(dtype=float)
        df = pd.DataFrame(columns)
    df.attrs["sweep"] = {"chunks": chunks, "chunks_read": len(tables), "missing_chunks": missing}
    return df


def sweep_status(out: str | os.PathLike) -> dict[str, Any]:
    """How far a sweep folder is, from its manifest and receipts (sizes checked, not checksums).

    Parameters
    ----------
    out : path
        The sweep folder.

    Returns
    -------
    dict
        ``rows``, ``chunks``, ``chunks_present`` (recorded parts of the recorded size),
        ``chunks_missing`` and ``complete``.

    Raises
    ------
    SweepError
        When ``out`` is not a sweep folder (``argument = "out"``).

    References
    ----------
    stat(2): https://man7.org/linux/man-pages/man2/stat.2.html
    """
    folder = Path(out)
    manifest = read_manifest(folder) if folder.is_dir() else None
    if manifest is None or not isinstance(manifest.get("chunks"), int):
        raise SweepError(f"out {str(out)!r}: not a sweep folder (no {MANIFEST})", "out")
    present = 0
    for chunk, receipt in recorded_receipts(folder, manifest).items():
        try:
            present += chunk < manifest["chunks"] and (folder / part_name(chunk)).stat().st_size == receipt.bytes
        except FileNotFoundError:
            pass
    return {"rows": manifest["rows"], "chunks": manifest["chunks"], "chunks_present": present,
            "chunks_missing": manifest["chunks"] - present, "complete": present == manifest["chunks"]}
