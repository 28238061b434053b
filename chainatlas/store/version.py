"""A data-version counter: one row that every write transaction bumps.

Readers (the web response cache) compare the number they cached under with the current
one, so any committed write from any process — ingest, extract, resolve, import, curation
— invalidates cached answers. Instead of editing every write path, the store marks a
transaction as writing when it sees an INSERT/UPDATE/DELETE go through its engine, and
bumps the counter just before that session commits (inside the same transaction, so the
bump and the data become visible together).

Migration 0008 creates the table; it is also created here on first open (``CREATE TABLE IF
NOT EXISTS``) for stores opened without migrating.
"""

from __future__ import annotations

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

TABLE = "store_version"
_WRITES = ("insert", "update", "delete", "replace")
_FLAG = "chainatlas_writes"


def _is_write(statement: str) -> bool:
    head = statement.lstrip()[:7].lower()
    return head.startswith(_WRITES) and TABLE not in statement[:80]


def ensure_table(engine: Engine) -> bool:
    """Create the counter row if missing; False when the store cannot be written."""
    # Retried: two processes creating the table at once on PostgreSQL can collide, and a
    # writer that gave up here would commit without bumping (stale caches elsewhere).
    for attempt in range(3):
        try:
            with engine.begin() as conn:
                conn.execute(
                    text(
                        f"CREATE TABLE IF NOT EXISTS {TABLE} "
                        "(id INTEGER PRIMARY KEY, n BIGINT NOT NULL)"
                    )
                )
                if conn.execute(text(f"SELECT 1 FROM {TABLE} WHERE id = 1")).first() is None:
                    conn.execute(text(f"INSERT INTO {TABLE} (id, n) VALUES (1, 0)"))
            return True
        except Exception:  # read-only file or role: the cache then simply stays off
            if attempt == 2:
                return False
    return False


def current(conn_or_session) -> int | None:
    """The committed data version, or None when the counter is unavailable."""
    try:
        row = conn_or_session.execute(text(f"SELECT n FROM {TABLE} WHERE id = 1")).first()
    except Exception:
        return None
    return int(row[0]) if row else None


def bump(conn_or_session) -> None:
    conn_or_session.execute(text(f"UPDATE {TABLE} SET n = n + 1 WHERE id = 1"))


def install(engine: Engine, sessions) -> bool:
    """Hook `engine` and the session factory so every write transaction bumps the counter.

    Returns False (and installs nothing) when the counter table cannot be created."""
    if not ensure_table(engine):
        return False

    @event.listens_for(engine, "before_cursor_execute")
    def _mark(conn, _cursor, statement, _params, _context, _many):
        if _is_write(statement):
            conn.info[_FLAG] = True

    @event.listens_for(engine, "commit")
    def _clear(conn):
        conn.info.pop(_FLAG, None)

    @event.listens_for(engine, "rollback")
    def _clear_rb(conn):
        conn.info.pop(_FLAG, None)

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.info.pop(_FLAG, None)

    @event.listens_for(sessions, "before_commit")
    def _bump_on_commit(session: Session):
        session.flush()  # pending ORM changes count as writes too
        conn = session.connection()  # one engine per store: the transaction's connection
        if conn.info.get(_FLAG):
            bump(conn)

    return True
