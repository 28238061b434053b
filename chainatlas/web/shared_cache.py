"""A response cache shared by the worker processes of one server, in a SQLite file.

Each worker keeps its own in-memory cache (`chainatlas.web.cache.ResponseCache`); without
a shared tier every worker computes every answer once more, which under load doubles the
work spent on misses with two workers. This file is the second tier: a worker that misses
in memory looks here before computing, and stores what it computes here too.

It needs no invalidation of its own: cache keys already hold the store's data version, so
an entry written before a change can never be asked for again; old rows are only dropped
to bound the file. The file is a cache, never a source of truth: durability is switched
off, and any SQLite error is treated as a miss so a broken cache file cannot break a page.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path

__all__ = ["ENV_VAR", "SharedCache"]

ENV_VAR = "CHAINATLAS_SHARED_CACHE"  # path of the file; set by whoever starts the workers

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    status INTEGER NOT NULL,
    headers TEXT NOT NULL,
    body BLOB NOT NULL,
    stored_at REAL NOT NULL
)
"""


def key_digest(key: tuple) -> str:
    """A stable text key for a cache key tuple (strings, ints and nested tuples only)."""
    return hashlib.blake2b(repr(key).encode("utf-8"), digest_size=20).hexdigest()


class SharedCache:
    """Get/put complete responses by key in a SQLite file several processes open at once."""

    def __init__(self, path: str | Path, *, max_rows: int = 50_000) -> None:
        self.path = str(path)
        self.max_rows = max_rows
        self._local = threading.local()
        self._puts = 0
        self.errors = 0
        try:  # create the file and table now, so a bad path fails at start-up, plainly
            self._connect()
        except sqlite3.Error as exc:
            raise ValueError(
                f"{ENV_VAR}={self.path}: cannot open the shared response cache ({exc})"
            ) from exc

    def _connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # Short lock wait: gets and puts run on the event loop, and a put that loses the
            # race for the write lock only costs a future miss.
            conn = sqlite3.connect(self.path, timeout=0.05, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")  # a lost entry is only a future miss
            conn.execute(_SCHEMA)
            self._local.conn = conn
        return conn

    def get(self, key: tuple) -> tuple[int, tuple[tuple[str, str], ...], bytes] | None:
        try:
            row = (
                self._connect()
                .execute(
                    "SELECT status, headers, body FROM responses WHERE key = ?", (key_digest(key),)
                )
                .fetchone()
            )
        except sqlite3.Error:
            self.errors += 1
            return None
        if row is None:
            return None
        status, headers, body = row
        return status, tuple(tuple(pair) for pair in json.loads(headers)), bytes(body)

    def put(
        self, key: tuple, status: int, headers: tuple[tuple[str, str], ...], body: bytes
    ) -> None:
        try:
            conn = self._connect()
            conn.execute(
                "INSERT OR REPLACE INTO responses (key, status, headers, body, stored_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (key_digest(key), status, json.dumps(headers), body, time.time()),
            )
            self._puts += 1
            if self._puts % 500 == 0:
                self._trim(conn)
        except sqlite3.Error:
            self.errors += 1

    def _trim(self, conn: sqlite3.Connection) -> None:
        """Keep the newest `max_rows` entries (older versions' answers go first by age)."""
        (count,) = conn.execute("SELECT count(*) FROM responses").fetchone()
        if count > self.max_rows:
            conn.execute(
                "DELETE FROM responses WHERE key IN "
                "(SELECT key FROM responses ORDER BY stored_at LIMIT ?)",
                (count - self.max_rows,),
            )

    def __len__(self) -> int:
        try:
            return self._connect().execute("SELECT count(*) FROM responses").fetchone()[0]
        except sqlite3.Error:
            return 0
