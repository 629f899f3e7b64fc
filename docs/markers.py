"""Generated blocks inside hand-written files: the text between a begin and an end marker line.

The README and ``docs/like-for-like.md`` hold blocks that scripts write from the code
(``docs/like_for_like.py``, ``docs/record_benchmarks.py``, ``scripts/physics_validation.py``) and
tests read back; this module is the one place that finds and replaces such a block.
"""

from __future__ import annotations

from pathlib import Path


def between(text: str, begin: str, end: str) -> str:
    """The text between the ``begin`` and ``end`` markers, stripped.

    Parameters
    ----------
    text : str
        The whole file.
    begin, end : str
        The marker lines (HTML comments in Markdown).

    Returns
    -------
    str
        What lies between them, without the surrounding blank lines.

    Raises
    ------
    ValueError
        A marker is missing.
    """
    return text[text.index(begin) + len(begin):text.index(end)].strip()


def write_between(path: Path | str, begin: str, end: str, body: str) -> None:
    """Replace the block between the markers of a file with ``body`` (markers kept, each on its line).

    Parameters
    ----------
    path : Path or str
        The file, rewritten in place.
    begin, end : str
        The marker lines.
    body : str
        The new block.

    Returns
    -------
    None
    """
    path = Path(path)
    text = path.read_text()
    start, stop = text.index(begin) + len(begin), text.index(end)
    path.write_text(text[:start] + "\n" + body.strip("\n") + "\n" + text[stop:])
