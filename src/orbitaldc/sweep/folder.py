"""The output folder of a sweep: path checks, and the lock that admits one writer at a time.

``ensure_folder`` turns every path problem (empty, a file, unwritable, inside ``/proc``) into one
:class:`~orbitaldc.sweep.plan.SweepError` naming the path and the operating system's reason.
:class:`FolderLock` holds an exclusive ``flock`` on ``sweep.lock`` for a whole run; the file
names the holder (PID, host, start time) so a refused writer can say who holds the folder, and
the operating system releases the lock when the holder exits or is killed.
"""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

from orbitaldc.sweep.plan import SweepError, SweepLockedError

LOCK = "sweep.lock"


def os_error(folder: Path | str, action: str, exc: OSError) -> SweepError:
    """A one-line error naming the folder, what could not be done and the OS reason."""
    return SweepError(f"out {str(folder)!r}: cannot {action}: {exc.strerror or exc}", "out")


def ensure_folder(out: str | os.PathLike) -> Path:
    """Check and create the output folder; return its absolute path.

    Parameters
    ----------
    out : path
        The folder (created with its parents when missing).

    Returns
    -------
    pathlib.Path
        Absolute path (workers on a cluster see the same path on a shared filesystem).

    Raises
    ------
    SweepError
        With ``argument = "out"``: an empty path, a path naming a file, or one that cannot be
        created (the OS reason is named).

    References
    ----------
    mkdir(2), errors: https://man7.org/linux/man-pages/man2/mkdir.2.html
    """
    text = os.fspath(out)
    text = text.decode(errors="replace") if isinstance(text, bytes) else text
    if not text.strip():
        raise SweepError(f"out {text!r}: empty path; expected the folder to write the sweep into", "out")
    if "\0" in text:
        raise SweepError(f"out {text!r}: contains a NUL character", "out")
    path = Path(os.path.abspath(text))
    try:
        if path.exists() and not path.is_dir():
            raise SweepError(f"out {text!r}: exists and is not a folder", "out")
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error(text, "create the folder", exc) from None
    return path


class FolderLock:
    """Exclusive lock on a sweep folder for one writer (``flock`` on ``sweep.lock``).

    The lock file holds the holder's PID, host and start time while held, so a refused writer
    can name it; the operating system releases the lock when the holder exits or is killed.

    Parameters
    ----------
    folder : pathlib.Path
        An existing sweep folder.

    Raises
    ------
    SweepLockedError
        On entry, when another process (or another open of the folder) holds the lock.
    SweepError
        On entry, when the folder is not writable (the OS reason is named).

    References
    ----------
    flock(2): https://man7.org/linux/man-pages/man2/flock.2.html
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fh = None

    def __enter__(self) -> "FolderLock":
        import fcntl

        try:
            fd = os.open(self.folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise os_error(self.folder, "write in the folder", exc) from None
        fh = os.fdopen(fd, "r+")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = describe_holder(fh.read(1000))
            fh.close()
            raise SweepLockedError(
                f"out {str(self.folder)!r}: in use by another sweep ({holder}); wait for it to finish "
                f"or stop it, or use another folder", "out") from None
        except OSError as exc:
            fh.close()
            raise os_error(self.folder, "lock the folder", exc) from None
        fh.truncate(0)
        fh.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                             "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}))
        fh.flush()
        self._fh = fh
        return self

    def __exit__(self, *exc_info) -> None:
        import fcntl

        fh, self._fh = self._fh, None
        if fh is None:
            return
        try:
            fh.truncate(0)
            fh.flush()
        except OSError:
            pass  # the lock itself is what matters; it is released below either way
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        fh.close()


def describe_holder(text: str) -> str:
    try:
        info = json.loads(text)
        return f"pid {int(info['pid'])} on host {info['host']}, started {info['started']}"
    except (ValueError, KeyError, TypeError):
        return "holder not yet recorded"


def writer_hint(folder: Path) -> str:
    """Who last held the lock without releasing it (a running or killed writer), if anyone."""
    try:
        text = (folder / LOCK).read_text()[:1000]
    except (OSError, UnicodeDecodeError):
        return ""
    return f"; a sweep may still be writing it ({describe_holder(text)})" if text.strip() else ""
