"""The `chainatlas` command. Thin: each command parses options and calls plain functions.

Exit codes: 0 success; 1 some inputs failed (the rest were processed); 2 usage error;
4 the store could not be opened.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from chainatlas import __version__
from chainatlas.settings import IngestSettings, resolve_db_url
from chainatlas.store.db import Store, StoreError

EXIT_PARTIAL = 1
EXIT_STORE = 4

app = typer.Typer(
    name="chainatlas",
    help="chainatlas：中文产业链情报——采集新闻与政策页面，抽取知识图谱，诊断区域产业链，精准对接。",
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
export_app = typer.Typer(help="导出数据（JSONL 或 CSV）。", no_args_is_help=True)
bench_app = typer.Typer(
    help="性能基准测试（结果写入 BENCHMARKS.md 由人工整理）。", no_args_is_help=True
)
app.add_typer(export_app, name="export")
app.add_typer(bench_app, name="bench")

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)


class State:
    db_url: str


state = State()


def open_store() -> Store:
    try:
        return Store(state.db_url)
    except StoreError as exc:
        err.print(f"[red]错误：无法打开数据库：{exc}[/red]")
        raise typer.Exit(EXIT_STORE) from exc


def _version(value: bool) -> None:
    if value:
        console.print(f"chainatlas {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="数据库地址：sqlite:///文件 或 postgresql://…（也可用环境变量 CHAINATLAS_DB）。",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本。")
    ] = False,
) -> None:
    state.db_url = resolve_db_url(db)


@app.command()
def ingest(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="文件、目录（递归）、http(s) 网址，或 - 表示标准输入。", show_default=False
        ),
    ] = None,
    feed: Annotated[
        bool, typer.Option("--feed", help="把参数当作 RSS/Atom 订阅源，抓取其中每篇文章。")
    ] = False,
    urls: Annotated[
        list[Path] | None,
        typer.Option("--urls", help="网址列表文件（每行一个网址，# 开头为注释）。"),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="解析进程数。")] = 1,
    delay: Annotated[float, typer.Option(help="同一网站两次请求之间的间隔（秒）。")] = 1.0,
    timeout: Annotated[float, typer.Option(help="单个网页的抓取超时（秒）。")] = 20.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="只输出汇总。")] = False,
) -> None:
    """采集文章：去除网站模板内容、识别编码、繁简归一、去重，逐篇入库。"""
    from chainatlas.ingest.fetch import Fetcher, FetchSettings
    from chainatlas.ingest.sources import iter_sources

    if not inputs and not urls:
        err.print("[red]错误：请至少给出一个文件、目录、网址、- 或 --urls 列表。[/red]")
        raise typer.Exit(2)
    settings = IngestSettings(workers=workers)
    fetch_settings = FetchSettings(
        timeout=timeout, per_host_delay=delay, max_bytes=settings.max_bytes
    )
    store = open_store()
    items = iter_sources(
        inputs or [],
        feed=feed,
        url_lists=[str(u) for u in urls or []],
        stdin=sys.stdin.buffer if "-" in (inputs or []) else None,
        fetcher_factory=lambda: Fetcher(fetch_settings),
        max_bytes=settings.max_bytes,
    )
    report = _run_with_progress(
        store, items, settings, [*(inputs or []), *map(str, urls or [])], quiet
    )
    store.close()
    if report.failed:
        raise typer.Exit(EXIT_PARTIAL)


_STATUS_LABEL = {
    "new": "新增",
    "duplicate": "重复",
    "near_duplicate": "近似重复（转载）",
    "failed": "失败",
}


def _run_with_progress(store, items, settings, arguments, quiet):
    from chainatlas.jobs.ingest import run_ingest

    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]采集中[/bold]"),
        BarColumn(bar_width=None),
        TextColumn("{task.completed} 篇"),
        TextColumn("{task.fields[last]}", style="dim"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=quiet,
    ) as progress:
        task = progress.add_task("ingest", total=None, last="")

        def on_outcome(outcome):
            progress.update(task, advance=1, last=outcome.source[-50:])
            # One line per failure, never wrapped, so it can be grepped; paths are escaped
            # because a file name like "[2024]年报.html" is not Rich markup.
            if outcome.status == "failed":
                progress.console.print(
                    f"[red]✗[/red] {escape(outcome.source)}: {escape(outcome.detail or '')}",
                    soft_wrap=True,
                )
            elif not quiet and outcome.status == "near_duplicate":
                progress.console.print(
                    f"[yellow]≈[/yellow] {escape(outcome.source)}: {escape(outcome.detail or '')}",
                    soft_wrap=True,
                )

        report = run_ingest(
            store, items, settings=settings, arguments=arguments, on_outcome=on_outcome
        )
    table = Table(title=f"采集报告（运行 #{report.run_id}）", show_edge=False)
    table.add_column("结果")
    table.add_column("篇数", justify="right")
    for status, n in report.counts.items():
        table.add_row(f"{_STATUS_LABEL[status]} ({status})", str(n))
    console.print(table)
    return report


@app.command()
def demo(
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="解析进程数。")] = 1,
) -> None:
    """载入内置演示语料（可重复执行，不会重复入库）。"""
    from chainatlas.data.demo_corpus import demo_items

    store = open_store()
    report = _run_with_progress(
        store, demo_items(), IngestSettings(workers=workers), ["demo"], quiet=True
    )
    store.close()
    if report.failed:
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="检索词，空格分隔表示同时包含。")],
    limit: Annotated[int, typer.Option(min=1, max=500, help="最多返回条数。")] = 20,
) -> None:
    """全文检索文档（支持任意中文子串，繁体查询也能命中简体文本）。"""
    from chainatlas.store.search import search_documents

    store = open_store()
    with store.session() as session:
        hits = search_documents(session, query, limit=limit)
    if not hits:
        console.print("没有找到匹配的文档。")
    for hit in hits:
        date = hit.published_at.date().isoformat() if hit.published_at else "日期不详"
        console.print(
            f"[bold]{hit.title or '（无标题）'}[/bold]  [dim]{hit.id} · {hit.site or ''} · {date}[/dim]"
        )
        console.print(f"  …{hit.snippet.replace(chr(10), ' ')}…")


@export_app.command("documents")
def export_documents(
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl 或 csv。")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="输出文件（默认标准输出）。")
    ] = None,
) -> None:
    """导出全部文档：id、url、站点、标题、发布时间、栏目、标签、作者、正文、相关链接、dup_of。"""
    from chainatlas.exports.documents import FORMATS, write_documents

    if fmt not in FORMATS:
        err.print(f"[red]错误：不支持的格式 {fmt!r}，可选：{', '.join(FORMATS)}[/red]")
        raise typer.Exit(2)
    store = open_store()
    stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        with store.session() as session:
            n = write_documents(session, stream, fmt)
    finally:
        if output:
            stream.close()
    store.close()
    if output:
        err.print(f"已导出 {n} 篇文档到 {output}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="监听地址。")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口。")] = 8000,
) -> None:
    """启动网页应用与 REST API。"""
    import uvicorn

    from chainatlas.web.app import create_app

    store = open_store()
    console.print(f"chainatlas 网页应用：http://{host}:{port}/  （数据库：{state.db_url}）")
    uvicorn.run(create_app(store), host=host, port=port, log_level="warning")


@bench_app.command("ingest")
def bench_ingest(
    pages: Annotated[int, typer.Option(min=10, help="生成的网页数。")] = 10_000,
    workers: Annotated[int, typer.Option(min=1, help="解析进程数。")] = 1,
    pg: Annotated[
        str | None, typer.Option(help="同时在此 PostgreSQL 上测量（postgresql://…）。")
    ] = None,
    seed: Annotated[int, typer.Option(help="生成网页的随机种子。")] = 1,
) -> None:
    """采集基准：生成 50–150 KB 的真实风格网页，测量页/秒、MB/秒、内存峰值，并与正文抽取器单独运行对比。"""
    from chainatlas.bench.ingest import run_ingest_benchmark

    run_ingest_benchmark(pages=pages, workers=workers, pg_url=pg, seed=seed, console=console)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
