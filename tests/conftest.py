"""Shared fixtures: a fresh store per test on SQLite and, when a server is available, on
PostgreSQL (each test gets its own database cloned from a migrated template)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from chainatlas.store.db import Store

PG_URL = os.environ.get("CHAINATLAS_TEST_PG_URL")
FIXTURES = Path(__file__).parent / "fixtures"
_TEMPLATE_DB = "chainatlas_template"


def pytest_report_header(config):
    if PG_URL:
        return f"PostgreSQL tests: {make_url(PG_URL).render_as_string()}"
    if os.environ.get("CI"):
        return "PostgreSQL tests: MISSING in CI (they will fail)"
    return "PostgreSQL tests: skipped (set CHAINATLAS_TEST_PG_URL or install PostgreSQL 15)"


def _admin_engine():
    return create_engine(
        make_url(PG_URL).set(drivername="postgresql+psycopg", database="postgres"),
        isolation_level="AUTOCOMMIT",
    )


@pytest.fixture(scope="session")
def pg_template() -> str:
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("CI=true but CHAINATLAS_TEST_PG_URL is not set: PostgreSQL tests must run")
        pytest.skip("no PostgreSQL server: set CHAINATLAS_TEST_PG_URL (scripts/postgres.sh start)")
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {_TEMPLATE_DB}"))
        conn.execute(text(f"CREATE DATABASE {_TEMPLATE_DB}"))
    url = make_url(PG_URL).set(database=_TEMPLATE_DB).render_as_string(hide_password=False)
    Store(url).close()  # migrate once; every test clones this
    admin.dispose()
    return _TEMPLATE_DB


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path) -> Iterator[Store]:
    """A migrated, empty store on each engine."""
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
        yield s
        s.close()
        return
    template = request.getfixturevalue("pg_template")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {template}"))
    s = Store(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
    yield s
    s.close()
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def sqlite_store(tmp_path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield s
    s.close()


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> Iterator[Store]:
    """The bundled demo loaded exactly as `chainatlas demo` loads it (corpus, extraction,
    demo lists, resolution). Built once per test session: tests must only read it."""
    from chainatlas.jobs.demo import load_demo

    s = Store(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}")
    report = load_demo(s)
    assert not report.failed, report.ingest.failed or report.extract.failed
    yield s
    s.close()
