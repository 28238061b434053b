"""Browser-test support shared by every tests/web/test_browser*.py module: a live server
on the demo store, Debian's chromium driven by Playwright (executable_path; never a browser
download), a page that records console errors, and screenshots into test-artifacts/."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def need_chromium() -> None:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail(
                "CI=true but chromium is missing: scripts/install-chromium.sh must install it"
            )
        pytest.skip(
            "chromium not installed (scripts/install-chromium.sh installs Debian's package)"
        )


@contextmanager
def live_server(store, security=None) -> Iterator[str]:
    """Serve `create_app(store, security)` on a free localhost port; yields the base URL."""
    import uvicorn

    from chainatlas.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(
        uvicorn.Config(
            create_app(store, security), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


def copy_store(source, directory: Path):
    """A writable copy of a SQLite store (the backup API also copies WAL content), for
    tests that change data next to the read-only session `demo_store`."""
    from chainatlas.store.db import Store

    src_path = source.url.removeprefix("sqlite:///")
    dst_path = directory / "copy.sqlite"
    with sqlite3.connect(src_path) as src, sqlite3.connect(dst_path) as dst:
        src.backup(dst)
    return Store(f"sqlite:///{dst_path}")


@pytest.fixture
def demo_copy(demo_store, tmp_path):
    store = copy_store(demo_store, tmp_path)
    yield store
    store.close()


@pytest.fixture(scope="module")
def server(demo_store):
    need_chromium()
    with live_server(demo_store) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    p = context.new_page()
    p.errors = []  # console errors and uncaught exceptions, checked by every test
    p.on("console", lambda msg: msg.type == "error" and p.errors.append(msg.text))
    p.on("pageerror", lambda exc: p.errors.append(str(exc)))
    yield p
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
