"""One typed table of settings: defaults, environment variables and help text in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

ENV_DB = "CHAINATLAS_DB"


def default_db_url() -> str:
    """SQLite file in the user's data directory (e.g. ~/.local/share/chainatlas)."""
    directory = Path(user_data_dir("chainatlas", appauthor=False))
    return f"sqlite:///{directory / 'chainatlas.sqlite'}"


def resolve_db_url(cli_value: str | None) -> str:
    """--db wins over CHAINATLAS_DB, which wins over the default file.

    A bare path (no scheme) is taken as a SQLite file, which is what people type.
    """
    url = cli_value or os.environ.get(ENV_DB) or default_db_url()
    if "://" not in url:
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    return url


@dataclass(frozen=True, slots=True)
class IngestSettings:
    max_bytes: int = 20 * 1024 * 1024  # pages above 20 MB are rejected, not truncated
    min_body_chars: int = 20  # shorter bodies are "no article text", not documents
    # MinHash estimate of Jaccard similarity (char 5-gram shingles) above which a page is a
    # near-duplicate (repost). Calibrated on the demo corpus repost groups: reposts score
    # ≥ 0.6, distinct stories on the same topic ≤ 0.15. Re-check with tests/ingest/test_dedup.py.
    near_dup_threshold: float = 0.5
    workers: int = 1


@dataclass(frozen=True, slots=True)
class Settings:
    db_url: str = field(default_factory=default_db_url)
    ingest: IngestSettings = field(default_factory=IngestSettings)
