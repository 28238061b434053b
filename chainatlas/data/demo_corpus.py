"""Where the bundled demo corpus lives inside the installed package."""

from __future__ import annotations

from pathlib import Path

DEMO_DIR = Path(__file__).with_name("demo")


def demo_pages() -> list[Path]:
    """The demo pages in a stable order (file name order)."""
    pages = DEMO_DIR / "pages"
    return sorted(p for p in pages.iterdir() if p.suffix in {".html", ".txt"}) if pages.is_dir() else []
