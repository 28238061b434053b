from __future__ import annotations

import io
import os
import pwd
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chainatlas.ingest import sources as sources_module
from chainatlas.ingest.fetch import Fetcher, FetchSettings
from chainatlas.ingest.records import RawItem, SourceKind
from chainatlas.ingest.sources import SourceError, iter_sources

PAGE = "<html><body><p>光伏组件项目投产。</p></body></html>"


def quick_fetcher() -> Fetcher:
    return Fetcher(FetchSettings(timeout=5.0, per_host_delay=0.0))


def no_fetcher() -> Fetcher:
    raise AssertionError("a file-only run must not create a fetcher")


def run(args, **kwargs) -> list[RawItem | SourceError]:
    kwargs.setdefault("fetcher_factory", no_fetcher)
    return list(iter_sources([str(a) for a in args], **kwargs))


def write(path: Path, data: bytes | str = PAGE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def describe(results) -> list[tuple[str, str]]:
    """(kind-or-'error', path relative to nothing) pairs, for compact assertions."""
    return [
        ("error", r.source) if isinstance(r, SourceError) else (r.kind.value, r.source)
        for r in results
    ]


# -- files and directories ---------------------------------------------------------


def test_single_file_uses_mtime_as_fetched_at(tmp_path):
    path = write(tmp_path / "a.html")
    os.utime(path, (1_790_000_000, 1_790_000_000))
    [item] = run([path])
    assert isinstance(item, RawItem)
    assert item.kind is SourceKind.FILE
    assert item.source == str(path)
    assert item.data == PAGE.encode()
    assert item.fetched_at == datetime.fromtimestamp(1_790_000_000, tz=UTC)
    assert item.fetched_at.tzinfo is UTC
    assert item.url is None


def test_directory_walk_is_recursive_sorted_and_skips_hidden(tmp_path):
    root = tmp_path / "site"
    write(root / "b.htm")
    write(root / "a.html")
    write(root / "news" / "2026" / "c.shtml")
    write(root / "news" / "README")  # extensionless is accepted
    write(root / "notes.md")
    write(root / "dump.TXT")  # extension check is case-insensitive
    write(root / ".hidden.html")
    write(root / ".git" / "config.txt")
    write(root / "news" / ".cache" / "x.html")
    write(root / "logo.png", b"\x89PNG")
    write(root / "data.json", b"{}")
    results = run([root])
    assert describe(results) == [
        ("file", str(root / "a.html")),
        ("file", str(root / "b.htm")),
        ("error", str(root / "data.json")),
        ("file", str(root / "dump.TXT")),
        ("error", str(root / "logo.png")),
        ("file", str(root / "news" / "2026" / "c.shtml")),
        ("file", str(root / "news" / "README")),
        ("file", str(root / "notes.md")),
    ]
    errors = [r for r in results if isinstance(r, SourceError)]
    assert [e.reason for e in errors] == [
        "unsupported file type (.json)",
        "unsupported file type (.png)",
    ]


def test_explicit_file_with_unknown_extension_is_accepted_but_pdf_is_not(tmp_path):
    saved = write(tmp_path / "detail.php")  # wget mirrors keep server-side extensions
    pdf = write(tmp_path / "report.pdf", b"%PDF-1.7")
    results = run([saved, pdf])
    assert isinstance(results[0], RawItem)
    assert results[1] == SourceError(str(pdf), "unsupported file type (.pdf)")


def test_missing_path_and_empty_file_do_not_stop_the_stream(tmp_path):
    empty = write(tmp_path / "empty.html", b"")
    good = write(tmp_path / "good.html")
    results = run([tmp_path / "nope.html", empty, good])
    assert results[0] == SourceError(str(tmp_path / "nope.html"), "no such file or directory")
    assert results[1] == SourceError(str(empty), "empty file (0 bytes)")
    assert isinstance(results[2], RawItem)


def test_oversize_file_reports_size_in_mb(tmp_path):
    big = write(tmp_path / "big.html", b"x" * 3000)
    exact = write(tmp_path / "exact.html", b"x" * 1000)
    results = run([big, exact], max_bytes=1000)
    assert isinstance(results[0], SourceError)
    assert results[0].reason == "file is 0.0 MB (3,000 bytes), over the 0.0 MB (1,000 bytes) limit"
    assert isinstance(results[1], RawItem) and len(results[1].data) == 1000


def test_oversize_message_for_megabyte_files(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(3 * 1024 * 1024 + 1)  # sparse: cheap to create
    [error] = run([big], max_bytes=2 * 1024 * 1024)
    assert isinstance(error, SourceError)
    assert error.reason.startswith("file is 3.0 MB (3,145,729 bytes), over the 2.0 MB")


def test_read_never_asks_for_more_than_max_bytes_plus_one(tmp_path, monkeypatch):
    path = write(tmp_path / "a.txt", b"abc")
    asked: list[int] = []
    real_fdopen = os.fdopen

    class Spy(io.BufferedReader):
        def read(self, size=-1):
            asked.append(size)
            return super().read(size)

    def spy_fdopen(fd, mode="r", *args, **kwargs):
        return Spy(real_fdopen(fd, "rb", buffering=0))

    monkeypatch.setattr(sources_module.os, "fdopen", spy_fdopen)
    [item] = run([path], max_bytes=10)
    assert isinstance(item, RawItem)
    assert asked == [11]


def test_fifo_and_device_are_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    results = run([fifo, "/dev/zero"])
    assert results == [
        SourceError(str(fifo), "not a regular file"),
        SourceError("/dev/zero", "not a regular file"),
    ]


def test_symlink_loop_and_broken_symlink(tmp_path):
    root = tmp_path / "corpus"
    write(root / "a.html")
    (root / "sub").mkdir()
    (root / "sub" / "back").symlink_to(root, target_is_directory=True)
    (root / "self").symlink_to(root / "self")
    (root / "dangling.html").symlink_to(root / "missing.html")
    results = run([root])
    assert describe(results) == [
        ("file", str(root / "a.html")),
        ("error", str(root / "dangling.html")),
        ("error", str(root / "self")),
        ("error", str(root / "sub" / "back")),
    ]
    reasons = [r.reason for r in results if isinstance(r, SourceError)]
    assert reasons[0] == "broken symlink (its target does not exist)"
    assert reasons[1].startswith("symlink loop")
    assert reasons[2].startswith("symlink loop")


def test_symlinked_directory_elsewhere_is_followed(tmp_path):
    write(tmp_path / "shared" / "x.html")
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "link").symlink_to(tmp_path / "shared", target_is_directory=True)
    assert describe(run([root])) == [("file", str(root / "link" / "x.html"))]


def test_permission_denied_file_real(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root ignores permission bits; covered by the forked-as-nobody test")
    path = write(tmp_path / "secret.html")
    path.chmod(0)
    try:
        assert run([path]) == [SourceError(str(path), "permission denied")]
    finally:
        path.chmod(0o644)


def test_permission_denied_as_unprivileged_user_when_root():
    """As root, chmod 000 stays readable, so read the paths in a forked child running as nobody.

    Forking (rather than starting a new interpreter) matters: the venv's interpreter may
    live under /root, which nobody cannot enter.
    """
    if os.geteuid() != 0:
        pytest.skip("only needed when the suite runs as root")
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no 'nobody' user to drop privileges to")
    workdir = Path(tempfile.mkdtemp(prefix="chainatlas-perm-"))
    try:
        workdir.chmod(0o755)
        secret = write(workdir / "secret.html")
        secret.chmod(0)
        locked = workdir / "locked"
        write(locked / "inside.html")
        locked.chmod(0)
        lines = _run_as(nobody, [str(secret), str(locked)])
        assert lines == [f"{secret}: permission denied", f"{locked}: permission denied"]
    finally:
        (workdir / "locked").chmod(0o755)
        shutil.rmtree(workdir)


def _run_as(user: pwd.struct_passwd, args: list[str]) -> list[str]:
    """Run iter_sources(args) in a child with the user's ids; return str() of each result."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never return into pytest
        status = 1
        try:
            os.close(read_end)
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
            out = "\n".join(str(r) for r in iter_sources(args, fetcher_factory=no_fetcher))
            os.write(write_end, out.encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        output = pipe.read().decode()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "child running as nobody failed"
    return output.splitlines()


def test_permission_error_mapping_is_one_line(tmp_path, monkeypatch):
    path = write(tmp_path / "a.html")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(sources_module.os, "open", denied)
    assert run([path, path]) == [SourceError(str(path), "permission denied")] * 2


# -- stdin --------------------------------------------------------------------------


def test_stdin_is_one_item():
    [item] = run(["-"], stdin=io.BytesIO("园区简介".encode("gbk")))
    assert isinstance(item, RawItem)
    assert item.kind is SourceKind.STDIN
    assert item.source == "-"
    assert item.data == "园区简介".encode("gbk")
    assert item.fetched_at.tzinfo is UTC


def test_stdin_edge_cases():
    assert run(["-"], stdin=io.BytesIO(b"")) == [
        SourceError("-", "standard input is empty (0 bytes)")
    ]
    assert run(["-"], stdin=None) == [SourceError("-", "standard input is not available")]
    twice = run(["-", "-"], stdin=io.BytesIO(b"abc"))
    assert isinstance(twice[0], RawItem)
    assert twice[1] == SourceError("-", "standard input was already read once")
    [big] = run(["-"], stdin=io.BytesIO(b"x" * 20), max_bytes=10)
    assert isinstance(big, SourceError) and "over the" in big.reason


# -- URLs, feeds and URL lists (local server) ---------------------------------------


@pytest.mark.network
def test_urls_and_errors_mixed_with_files(http_server, tmp_path):
    page = http_server.page("/p.html", PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
    missing = http_server.url("/missing.html")
    local = write(tmp_path / "local.html")
    results = run([page, missing, "ftp://example.com/x", local], fetcher_factory=quick_fetcher)
    assert isinstance(results[0], RawItem) and results[0].kind is SourceKind.URL
    assert results[0].declared_charset == "utf-8"
    assert results[1] == SourceError(missing, "HTTP 404 Not Found")
    assert (
        isinstance(results[2], SourceError) and "unsupported URL scheme 'ftp:'" in results[2].reason
    )
    assert isinstance(results[3], RawItem) and results[3].kind is SourceKind.FILE


def rss_for(server) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>园区新闻</title><link>{server.base_url}/</link>
<item><title>第一条</title><link>/news/1.html</link>
  <pubDate>Tue, 06 Oct 2026 10:00:00 +0800</pubDate></item>
<item><title>第二条</title><link>{server.base_url}/news/2.html</link></item>
<item><title>已删除</title><link>/news/gone.html</link></item>
</channel></rss>""".encode()


def atom_for(server) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>政策</title><id>urn:f</id>
<updated>2026-10-06T00:00:00Z</updated>
<entry><title>政策一</title><link href="{server.base_url}/news/1.html"/><id>urn:1</id>
<updated>2026-10-06T02:00:00Z</updated></entry>
</feed>""".encode()


@pytest.mark.network
def test_rss_feed_entries_are_fetched(http_server):
    http_server.page("/news/1.html", "<p>一</p>")
    http_server.page("/news/2.html", "<p>二</p>")
    feed_url = http_server.page("/feed/rss.xml", rss_for(http_server))
    results = run([feed_url], feed=True, fetcher_factory=quick_fetcher)
    first, second, gone = results
    assert isinstance(first, RawItem) and isinstance(second, RawItem)
    assert first.kind is SourceKind.FEED
    assert first.source == feed_url
    assert first.url == http_server.url("/news/1.html")
    assert first.data == "<p>一</p>".encode()
    assert first.feed_title == "第一条"
    assert first.feed_published == datetime(2026, 10, 6, 2, 0, tzinfo=UTC)
    assert second.feed_published is None
    assert gone == SourceError(
        http_server.url("/news/gone.html"), f"HTTP 404 Not Found (entry of feed {feed_url})"
    )


@pytest.mark.network
def test_atom_feed_entries_are_fetched(http_server):
    http_server.page("/news/1.html", "<p>一</p>")
    feed_url = http_server.page("/atom", atom_for(http_server))
    [item] = run([feed_url], feed=True, fetcher_factory=quick_fetcher)
    assert isinstance(item, RawItem)
    assert (item.kind, item.feed_title, item.url) == (
        SourceKind.FEED,
        "政策一",
        http_server.url("/news/1.html"),
    )


@pytest.mark.network
def test_feed_from_local_file_and_broken_feed(http_server, tmp_path):
    http_server.page("/news/1.html", "<p>一</p>")
    feed_file = write(tmp_path / "atom.xml", atom_for(http_server))
    broken_url = http_server.page("/broken.xml", b"<rss version='2.0'><channel><item></channel>")
    results = run([broken_url, feed_file], feed=True, fetcher_factory=quick_fetcher)
    assert isinstance(results[0], SourceError)
    assert results[0].source == broken_url
    assert results[0].reason.startswith("broken feed: feed XML is not well-formed")
    assert isinstance(results[1], RawItem) and results[1].source == str(feed_file)


@pytest.mark.network
def test_url_list_with_comments_blank_and_bad_lines(http_server, tmp_path):
    one = http_server.page("/1.html", "<p>1</p>")
    two = http_server.page("/2.html#top", "<p>2</p>")  # fragment is never sent to servers
    http_server.page("/2.html", "<p>2</p>")
    listing = write(
        tmp_path / "urls.txt",
        "\ufeff# 待抓取的页面\n"
        f"{one}\n"
        "\n"
        "   # indented comment\n"
        "not a url\n"
        f"{two}   # trailing note\n"
        f"{http_server.url('/missing')}\n",
    )
    results = run([], url_lists=[str(listing)], fetcher_factory=quick_fetcher)
    assert len(results) == 4
    assert isinstance(results[0], RawItem) and results[0].source == one
    assert results[1] == SourceError(f"{listing}:5", "not a URL: 'not a url'")
    assert isinstance(results[2], RawItem) and results[2].source == two
    assert results[3] == SourceError(
        f"{listing}:7", f"{http_server.url('/missing')}: HTTP 404 Not Found"
    )


def test_missing_url_list_is_an_error_not_a_crash(tmp_path):
    results = run([], url_lists=[str(tmp_path / "none.txt")])
    assert results == [SourceError(str(tmp_path / "none.txt"), "no such file or directory")]


@pytest.mark.network
def test_one_fetcher_is_shared_and_closed(http_server):
    page = http_server.page("/p", "x")
    made: list[Fetcher] = []

    def factory() -> Fetcher:
        made.append(quick_fetcher())
        return made[-1]

    results = run([page, page], fetcher_factory=factory)
    assert all(isinstance(r, RawItem) for r in results)
    assert len(made) == 1
    assert made[0]._client.is_closed
