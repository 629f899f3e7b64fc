"""Shared helpers of the sweep tests."""

from __future__ import annotations

from pathlib import Path

PRESET = "mccalip-2025-12"
GRID = ["launch_cost_usd_per_kg=100:3000:100", "terrestrial_power_source=gas,grid", "pue=1.1,1.2,1.4"]


def parts(out: Path) -> list[Path]:
    """The Parquet parts of a sweep folder, in chunk order."""
    return sorted(p for p in out.iterdir() if p.name.startswith("part-") and p.name.endswith(".parquet"))


def leftovers(out: Path) -> list[Path]:
    """Temporary files a writer left behind."""
    return [p for p in out.iterdir() if ".tmp-" in p.name]
