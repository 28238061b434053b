"""Opening a store: engine per URL, engine-specific settings, migrations to head."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from chainatlas.store import version as store_version

MIGRATIONS = Path(__file__).with_name("migrations")


class StoreError(RuntimeError):
    """The store cannot be opened or migrated; the message says why."""


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL: readers (the web app) never block the writer (ingest); NORMAL sync is safe in WAL.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    # Reads through a memory map share the OS page cache instead of copying every page
    # through read(): about half the time of a full-text search on a 1.3 GB store.
    cur.execute("PRAGMA mmap_size=1073741824")
    cur.close()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # A web server runs up to 40 request threads; with the default pool of 5 every
        # request beyond it opened (and set up) a fresh connection. Keep them instead.
        pooled = (
            {"pool_size": 20, "max_overflow": 40} if database not in (None, "", ":memory:") else {}
        )
        engine = create_engine(url, **pooled)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True)
    raise StoreError(f"unsupported database URL {url!r}: use sqlite:///PATH or postgresql://...")


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent)."""
    command.upgrade(alembic_config(engine), "head")


class Store:
    """A migrated database and a session factory. Build one per URL; no globals."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        try:
            self.engine = make_engine(url)
            if migrate:
                upgrade(self.engine)
        except StoreError:
            raise
        except Exception as exc:  # connection refused, bad credentials, read-only file ...
            raise StoreError(
                f"cannot open store {make_url(url).render_as_string()}: {exc}"
            ) from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Every write transaction bumps a data-version counter (the web cache's key).
        self.versioned = store_version.install(self.engine, self._sessions)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work is one transaction: committed on success, else rolled back."""
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()
