"""Shared fixtures for the simulation tests."""

from __future__ import annotations

import pytest

#: ISS (ZARYA) element set of 2026-01-01, built for these tests with the NORAD format's
#: checksum rule (CelesTrak "NORAD Two-Line Element Set Format"): 51.64 deg, ~420 km.
ISS_TLE = (
    "ISS (ZARYA)",
    "1 25544U 98067A   26001.00000000  .00010000  00000-0  18000-3 0  9990",
    "2 25544  51.6400 120.0000 0005000  90.0000 270.0000 15.50000000500000",
)


def _fix_checksum(line: str) -> str:
    body = line[:68]
    total = sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in body) % 10
    return body + str(total)


@pytest.fixture
def iss_tle_lines() -> tuple[str, str, str]:
    name, l1, l2 = ISS_TLE
    return name, _fix_checksum(l1), _fix_checksum(l2)


@pytest.fixture
def iss_tle_file(tmp_path, iss_tle_lines):
    path = tmp_path / "iss.tle"
    path.write_text("\n".join(iss_tle_lines) + "\n", encoding="ascii")
    return path
