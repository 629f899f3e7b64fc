"""Regenerate the images the README shows: ``python docs/make_images.py`` (from the repo root).

The waterfall explains why McCalip's 1 GW analysis costs so much more than Starcloud's 40 MW
white paper once both are scaled to the same power and years (``orbitaldc explain
starcloud-40mw-2024 mccalip-2025-12 --normalize``), and where the seed article and McCalip
part ways at 1 GW.
"""

from __future__ import annotations

from pathlib import Path

from orbitaldc.explain import explain
from orbitaldc.report import save_waterfall

IMG = Path(__file__).parent / "img"


def main() -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    save_waterfall(explain("starcloud-40mw-2024", "mccalip-2025-12", normalize=True), IMG / "explain-starcloud-mccalip.png")
    save_waterfall(explain("seed-article-1gw", "mccalip-2025-12"), IMG / "explain-seed-article-mccalip.png")
    for path in sorted(IMG.glob("explain-*.png")):
        print(path)


if __name__ == "__main__":
    main()
