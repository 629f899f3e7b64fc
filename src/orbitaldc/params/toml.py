"""Scenario TOML: bounded reading and parsing, writing values back, ``KEY=VALUE`` assignments."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

from orbitaldc.errors import ScenarioError

__all__ = ["MAX_FILE_BYTES", "parse_assignment", "parse_toml_text", "read_toml", "toml_value"]

#: Largest scenario file accepted [bytes].
MAX_FILE_BYTES = 1_000_000


def read_toml(path: Path, label: str) -> dict[str, Any]:
    """Read and parse a scenario file, refusing what is not a small regular UTF-8 file.

    Parameters
    ----------
    path : Path
        The file.
    label : str
        Name used in messages (the path as the user gave it, or ``preset NAME``).

    Returns
    -------
    dict
        The parsed TOML table.

    Raises
    ------
    ScenarioError
        Not a regular file (a FIFO, a device, a folder), larger than :data:`MAX_FILE_BYTES`,
        unreadable, not UTF-8, or malformed TOML.
    """
    try:
        st = path.stat()
    except OSError as exc:
        raise ScenarioError(f"{label}: cannot read file ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise ScenarioError(f"{label}: not a regular file")
    if st.st_size > MAX_FILE_BYTES:
        raise ScenarioError(f"{label}: file is {st.st_size} bytes; allowed at most {MAX_FILE_BYTES}")
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(f"{label}: cannot read file ({exc.strerror})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(f"{label}: file is larger than {MAX_FILE_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{label}: not UTF-8 text") from None
    return parse_toml_text(text, label)


def parse_toml_text(text: str, label: str) -> dict[str, Any]:
    """Parse scenario TOML text, turning syntax errors into :class:`ScenarioError`.

    Parameters
    ----------
    text : str
        TOML text (at most :data:`MAX_FILE_BYTES` bytes as UTF-8).
    label : str
        Name used in messages.

    Returns
    -------
    dict
        The parsed table.
    """
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise ScenarioError(f"{label}: scenario text larger than {MAX_FILE_BYTES} bytes")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{label}: malformed TOML: {exc}") from None
    except (ValueError, RecursionError) as exc:  # e.g. huge nesting
        raise ScenarioError(f"{label}: malformed TOML: {exc}") from None


def toml_value(value: Any) -> str:
    """One value written as TOML (strings quoted, arrays flattened to lists, floats round-trip).

    Parameters
    ----------
    value : str, bool, int, float or ndarray

    Returns
    -------
    str
    """
    if isinstance(value, str):
        escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
                   .replace("\t", "\\t"))
        escaped = "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in escaped)
        return '"' + escaped + '"'
    if isinstance(value, np.ndarray):
        return "[" + ", ".join(toml_value(float(v)) for v in value.ravel()) + "]"
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    raise TypeError(f"cannot write {value!r} as TOML")


def parse_assignment(text: str, where: str = "override") -> tuple[str, Any]:
    """Parse one ``KEY=VALUE`` override; the value is TOML (number, list) or a bare word.

    Parameters
    ----------
    text : str
        E.g. ``launch_cost_usd_per_kg=200``, ``launch_cost_usd_per_kg=[100,500,1500]``,
        ``mass_model=bottom_up``.
    where : str
        Name of the argument, for messages.

    Returns
    -------
    tuple
        ``(key, value)``; the value is validated later against the library.

    Raises
    ------
    ScenarioError
        No ``=``, an empty key or value, or a line break (one assignment per argument).
    """
    if "\n" in text or "\r" in text:
        raise ScenarioError(f"{where} {text.splitlines()[0]!r}...: one KEY=VALUE per assignment (no line breaks)")
    if "=" not in text:
        raise ScenarioError(f"{where} {text!r}: expected KEY=VALUE")
    key, raw = (part.strip() for part in text.split("=", 1))
    if not key:
        raise ScenarioError(f"{where} {text!r}: empty key")
    if raw == "":
        raise ScenarioError(f"{where} {key}: empty value")
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        value = raw  # bare word, e.g. a model choice
    return key, value
