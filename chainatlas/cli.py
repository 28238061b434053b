"""The `chainatlas` command. Thin: each command parses options and calls plain functions.

Exit codes: 0 success; 1 some inputs failed (the rest were processed); 2 usage error;
4 the store could not be opened.
"""

from __future__ import annotations

import os
import sys
import tempfile
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
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
export_app = typer.Typer(help="导出数据（JSONL 或 CSV）。", no_args_is_help=True)
bench_app = typer.Typer(
    help="性能基准测试（结果写入 BENCHMARKS.md 由人工整理）。", no_args_is_help=True
)
eval_app = typer.Typer(
    help="准确率评测（结果写入 EVALUATION.md 由人工整理）。", no_args_is_help=True
)
app.add_typer(export_app, name="export")
app.add_typer(bench_app, name="bench")
app.add_typer(eval_app, name="eval")


def _mount_kb() -> None:
    """Knowledge-base commands at the top level: resolve, candidates, entity, curate."""
    from chainatlas.cli_kb import candidates_cmd, curate_app, entity_app, resolve_cmd

    app.command("resolve")(resolve_cmd)
    app.command("candidates")(candidates_cmd)
    app.add_typer(entity_app, name="entity")
    app.add_typer(curate_app, name="curate")


def _mount_imports() -> None:
    from chainatlas.cli_import import import_app

    app.add_typer(import_app, name="import")


def _mount_chains() -> None:
    """Chain commands at the top level: chains list|show, diagnose, compare."""
    from chainatlas.cli_chains import chains_app, compare_cmd, diagnose_cmd

    app.add_typer(chains_app, name="chains")
    app.command("diagnose")(diagnose_cmd)
    app.command("compare")(compare_cmd)


def _mount_match() -> None:
    """Matchmaking (精准对接): match tech | site | invest."""
    from chainatlas.cli_invest import invest_cmd
    from chainatlas.cli_match import match_app

    match_app.command("invest")(invest_cmd)
    app.add_typer(match_app, name="match")


_mount_kb()
_mount_imports()
_mount_chains()
_mount_match()

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
    """载入内置演示语料与演示名录（科研机构、专家、载体），运行抽取与实体消歧；可重复执行，不会重复入库。"""
    from chainatlas.jobs.demo import load_demo

    store = open_store()
    with err.status("载入演示数据：采集、抽取、导入名录、实体消歧……"):
        report = load_demo(store, workers=workers)
    store.close()
    counts = report.ingest.counts
    resolved = report.resolve.counts
    console.print(
        f"演示数据就绪：新增文档 {counts['new'] + counts['near_duplicate']} 篇"
        f"（已有 {counts['duplicate']} 篇），失败 {counts['failed']} 篇；"
        f"抽取 {report.extract.ok} 篇（事实 {report.extract.facts} 条）；"
        f"名录导入 {sum(r.inserted + r.updated for r in report.imports.values())} 行；"
        f"实体 {resolved['entities']} 个、事件 {resolved['events']} 个"
    )
    for outcome in report.ingest.failed:
        err.print(
            f"[red]✗[/red] {escape(outcome.source)}: {escape(outcome.detail or '')}", soft_wrap=True
        )
    if report.failed:
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def runs(
    last: Annotated[int, typer.Option(min=1, max=1000, help="显示最近几次采集。")] = 5,
    failed: Annotated[
        bool, typer.Option("--failed", help="列出这些运行中失败的输入及原因。")
    ] = False,
) -> None:
    """查看已保存的采集报告（每次运行的新增 / 重复 / 近似重复 / 失败数）。"""
    from chainatlas.store.runs import failures_of, recent_runs

    store = open_store()
    with store.session() as session:
        rows = recent_runs(session, last)
        table = Table(title="采集记录", show_edge=False)
        for col in ("运行", "开始时间", "参数", "新增", "重复", "近似重复", "失败"):
            table.add_column(col)
        for run in rows:
            c = run.counts or {}
            args = " ".join(run.arguments or [])
            table.add_row(
                f"#{run.id}",
                run.started_at.strftime("%Y-%m-%d %H:%M"),
                args[:40],
                *(str(c.get(k, "—")) for k in ("new", "duplicate", "near_duplicate", "failed")),
            )
        console.print(table)
        if failed:
            for run in rows:
                for event in failures_of(session, run.id):
                    console.print(
                        f"#{run.id} ✗ {escape(event.source)}: {escape(event.detail or '')}",
                        soft_wrap=True,
                    )
    store.close()


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
    from chainatlas.exports.documents import write_documents

    _export(write_documents, fmt, output, "篇文档")


@app.command()
def extract(
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="抽取进程数。")] = 1,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="忽略版本，全部重新抽取。")] = False,
    dask: Annotated[
        str | None,
        typer.Option("--dask", help="在 Dask 分布式集群上运行（调度器地址，如 tcp://host:8786）。"),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="只输出汇总。")] = False,
) -> None:
    """抽取实体与事实（增量：只处理新文档或抽取器版本已更新的文档）。"""
    store = open_store()
    report = _extract_with_progress(store, workers=workers, rebuild=rebuild, dask=dask, quiet=quiet)
    store.close()
    if report.failed:
        raise typer.Exit(EXIT_PARTIAL)


def _extract_with_progress(store, *, workers=1, rebuild=False, dask=None, quiet=False):
    from chainatlas.extract.pipeline import EXTRACTOR_VERSION
    from chainatlas.jobs.extract import run_extract
    from chainatlas.store.extractions import count_pending

    with store.session() as session:
        total = count_pending(session, EXTRACTOR_VERSION, rebuild=rebuild)
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]抽取中[/bold]"),
        BarColumn(bar_width=None),
        TextColumn("{task.completed}/{task.total} 篇"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=quiet,
    ) as progress:
        task = progress.add_task("extract", total=total)

        def on_result(result):
            progress.update(task, advance=1)
            if result.error:
                progress.console.print(
                    f"[red]✗[/red] {escape(result.doc.id)}: {escape(result.error)}", soft_wrap=True
                )

        report = run_extract(
            store, workers=workers, rebuild=rebuild, dask_address=dask, on_result=on_result
        )
    speed = report.chars / report.seconds if report.seconds else 0
    console.print(
        f"抽取完成（{EXTRACTOR_VERSION}）：成功 {report.ok} 篇，失败 {len(report.failed)} 篇；"
        f"实体提及 {report.mentions} 个，事实 {report.facts} 条；{speed:,.0f} 字/秒"
    )
    return report


@export_app.command("mentions")
def export_mentions(
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl 或 csv。")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="输出文件（默认标准输出）。")
    ] = None,
) -> None:
    """导出实体提及：文档编号、类型、原文、位置、所在句子、抽取器版本、置信度。"""
    from chainatlas.exports.extractions import write_mentions

    _export(write_mentions, fmt, output, "个实体提及")


@export_app.command("facts")
def export_facts(
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl 或 csv。")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="输出文件（默认标准输出）。")
    ] = None,
) -> None:
    """导出事实：类型、论元、证据句及位置、抽取器版本、置信度、截至日期。"""
    from chainatlas.exports.extractions import write_facts

    _export(write_facts, fmt, output, "条事实")


@export_app.command("entities")
def export_entities(
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl 或 csv。")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="输出文件（默认标准输出）。")
    ] = None,
    facts: Annotated[
        bool, typer.Option("--facts", help="改为导出已消歧的事实（每个论元对应的实体 ID、事件）。")
    ] = False,
) -> None:
    """导出知识库实体：ID、键、类型、规范名、别名、代码、属性（联系方式已脱敏）。"""
    from chainatlas.exports.kb import write_entities, write_resolved_facts

    if facts:
        _export(write_resolved_facts, fmt, output, "条已消歧事实")
    else:
        _export(write_entities, fmt, output, "个实体")


@export_app.command("graph")
def export_graph(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="graphml，或 neo4j（neo4j-admin 导入用 CSV）。")
    ] = "graphml",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="输出文件（graphml，默认标准输出）或目录（neo4j）。"),
    ] = None,
) -> None:
    """导出实体关系图：节点为实体，边为连接实体的事实（类型、角色、文档、证据句）。"""
    from chainatlas.exports.kb import GRAPH_FORMATS, write_graph

    _check_format(fmt, GRAPH_FORMATS)
    if fmt == "neo4j" and output is None:
        err.print(
            "[red]错误：neo4j 格式需要 --output 目录（写入 nodes.csv 与 relationships.csv）[/red]"
        )
        raise typer.Exit(2)
    store = open_store()
    try:
        with store.session() as session:
            nodes, edges = write_graph(session, fmt, output, sys.stdout)
    finally:
        store.close()
    if output:
        err.print(f"已导出 {nodes} 个节点、{edges} 条边到 {output}")


def _export(write, fmt: str, output: Path | None, unit: str) -> None:
    """Shared by every `export` command: check the format, stream rows, say how many."""
    from chainatlas.exports.rows import FORMATS

    _check_format(fmt, FORMATS)
    store = open_store()
    stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        with store.session() as session:
            n = write(session, stream, fmt)
    finally:
        if output:
            stream.close()
        store.close()
    if output:  # on stdout the rows are the output; keep it clean for pipes
        err.print(f"已导出 {n} {unit}到 {output}")


def _check_format(fmt: str, formats) -> None:
    if fmt not in formats:
        err.print(f"[red]错误：不支持的格式 {fmt!r}，可选：{', '.join(formats)}[/red]")
        raise typer.Exit(2)


@eval_app.command("ner")
def eval_ner(
    file: Annotated[
        Path,
        typer.Argument(
            help="CLUENER 格式文件（每行一个 JSON：text、label）。", exists=True, dir_okay=False
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON。")] = False,
) -> None:
    """实体识别评测：六类（name、company、government、organization、position、address）的 P/R/F1 与宏平均。"""
    import json

    from chainatlas.extract.ner import load_tagger
    from chainatlas.extract.ner.evaluate import evaluate, format_report

    try:
        report = evaluate(load_tagger(), file)
    except (ValueError, KeyError) as exc:
        err.print(f"[red]错误：{file} 不是有效的 CLUENER 文件：{exc}[/red]")
        raise typer.Exit(2) from exc
    if as_json:
        console.print_json(
            json.dumps(
                {
                    "file": str(file),
                    "macro_f1": report.macro_f1,
                    "micro_f1": report.micro_f1,
                    "chars_per_second": report.chars_per_second,
                    "per_type": {
                        t: {
                            "precision": s.precision,
                            "recall": s.recall,
                            "f1": s.f1,
                            "support": s.support,
                        }
                        for t, s in report.per_type.items()
                    },
                },
                ensure_ascii=False,
            )
        )
    else:
        console.print(format_report(report))


@eval_app.command("facts")
def eval_facts(
    file: Annotated[
        Path,
        typer.Argument(
            help="事实金标文件（JSONL，见 eval/README.md）。", exists=True, dir_okay=False
        ),
    ],
    ids: Annotated[
        str | None, typer.Option(help="只评测这些文章，如 g019-g036 或 g001,g002。")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="输出 JSON（含漏报与误报明细）。")
    ] = False,
) -> None:
    """事实抽取评测：按事实类型给出精确率、召回率、F1。"""
    import json

    from chainatlas.extract.evaluate_facts import HEADLINE_KINDS, read_gold, score
    from chainatlas.extract.pipeline import DocInput, extract

    try:
        records = read_gold(file, _expand_ids(ids) if ids else None)
    except (ValueError, KeyError) as exc:
        err.print(f"[red]错误：{exc}[/red]")
        raise typer.Exit(2) from exc

    def run(text, title, published):
        return extract(DocInput("gold", text, title, published)).facts

    report = score(records, run)
    if as_json:
        console.print_json(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    table = Table(title=f"事实抽取评测（{report.articles} 篇）", show_edge=False)
    for col in ("类型", "TP", "FP", "FN", "精确率", "召回率", "F1"):
        table.add_column(col, justify="left" if col == "类型" else "right")
    for kind, s in sorted(
        report.kinds.items(), key=lambda kv: (kv[0] not in HEADLINE_KINDS, kv[0])
    ):
        table.add_row(
            kind,
            str(s.tp),
            str(s.fp),
            str(s.fn),
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
        )
    console.print(table)


@eval_app.command("resolution")
def eval_resolution(
    file: Annotated[
        Path,
        typer.Argument(
            help="消歧金标文件（JSONL 提及对，见 eval/README.md）。", exists=True, dir_okay=False
        ),
    ],
    gold_spans: Annotated[
        bool, typer.Option("--gold-spans", help="使用标注的提及位置与类型（只评测消歧本身）。")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（含错误明细）。")] = False,
    ids: Annotated[
        str, typer.Option("--ids", help="all、odd（开发半）或 even（保留半），按提及对编号划分。")
    ] = "all",
) -> None:
    """实体消歧评测：按提及对计算精确率与召回率（同一实体为正例），分类型、分 why 标签。"""
    import json

    from chainatlas.kb.evaluate import evaluate_resolution

    if ids not in ("all", "odd", "even"):
        err.print(f"[red]错误：--ids 只能是 all、odd 或 even，不是 {ids!r}[/red]")
        raise typer.Exit(2)
    try:
        report = evaluate_resolution(file, gold_spans=gold_spans, ids=ids)
    except (ValueError, KeyError) as exc:
        err.print(f"[red]错误：{exc}[/red]")
        raise typer.Exit(2) from exc
    if as_json:
        console.print_json(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    mode = "标注位置" if gold_spans else "抽取器提及"
    for title, rows in (("类型", report.by_type), ("why 标签", report.by_why)):
        table = Table(title=f"实体消歧评测（{mode}）· 按{title}", show_edge=False)
        for col in (title, "对数", "TP", "FP", "FN", "TN", "精确率", "召回率"):
            table.add_column(col, justify="left" if col == title else "right")
        for name, s in [*sorted(rows.items()), ("合计", report.overall)]:
            table.add_row(name, str(s.pairs), str(s.tp), str(s.fp), str(s.fn), str(s.tn),
                          f"{s.precision:.3f}", f"{s.recall:.3f}")  # fmt: skip
        console.print(table)
    console.print(
        f"金标提及 {report.mentions} 个：抽取器未识别 {report.not_extracted} 个，"
        f"类型不一致 {report.type_mismatch} 个；错误 {len(report.errors)} 对（--json 查看明细）"
    )


@eval_app.command("chains")
def eval_chains(
    file: Annotated[
        Path, typer.Argument(help="产业链分类金标文件（JSONL）。", exists=True, dir_okay=False)
    ],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON。")] = False,
    failures: Annotated[bool, typer.Option("--failures", help="列出分错的条目。")] = False,
) -> None:
    """产业链环节分类评测：环节准确率与首选产业链准确率（开发集 / 保留集分开报告）。"""
    from chainatlas.chains.evaluate import run_cli

    code, text = run_cli(file, as_json=as_json, show_failures=failures)
    if as_json:
        console.print_json(text)
    else:
        console.print(text, soft_wrap=True)
    if code:
        raise typer.Exit(code)


@eval_app.command("match")
def eval_match(
    file: Annotated[
        Path,
        typer.Argument(
            help="对接金标文件（JSONL：技术需求、选址需求或招商需求）。",
            exists=True,
            dir_okay=False,
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="只输出 JSON（便于脚本读取）。")] = False,
) -> None:
    """对接评测：recall@5、MRR、nDCG@10（开发半 / 保留半分开），对当前数据库运行。"""
    import json

    from chainatlas.match.evaluation_cli import evaluate_gold_file

    store = open_store()
    try:
        kind, report = evaluate_gold_file(store, file)
    except ValueError as exc:
        err.print(f"[red]错误：{exc}[/red]")
        raise typer.Exit(2) from exc
    finally:
        store.close()
    if as_json:
        print(json.dumps({"kind": kind, "file": file.name, **report}, ensure_ascii=False))
        return
    table = Table(title=f"对接评测（{kind}，{file.name}）", show_edge=False)
    for col in ("划分", "需求数", "recall@5", "MRR", "nDCG@10"):
        table.add_column(col, justify="left" if col == "划分" else "right")
    for split, m in report.items():
        table.add_row(
            split,
            str(m["n"]),
            f"{m['recall_at_5']:.3f}",
            f"{m['mrr']:.3f}",
            f"{m['ndcg_at_10']:.3f}",
        )
    console.print(table)
    console.print(json.dumps(report, ensure_ascii=False), soft_wrap=True, style="dim")


def _expand_ids(spec: str) -> list[str]:
    """g001,g005 or g019-g036 → explicit ids."""
    out: list[str] = []
    for part in spec.split(","):
        part = part.strip()
        if "-" in part:
            lo, hi = part.split("-", 1)
            prefix = lo.rstrip("0123456789")
            width = len(lo) - len(prefix)
            out.extend(
                f"{prefix}{n:0{width}d}"
                for n in range(int(lo[len(prefix) :]), int(hi[len(prefix) :]) + 1)
            )
        elif part:
            out.append(part)
    return out


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="监听地址。")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口。")] = 8000,
    write_token: Annotated[
        str | None,
        typer.Option(
            "--write-token",
            envvar="CHAINATLAS_WRITE_TOKEN",
            help="写入令牌（校正、导入、采集）；不给则每次启动随机生成并打印。",
        ),
    ] = None,
    read_token: Annotated[
        str | None,
        typer.Option(
            "--read-token",
            envvar="CHAINATLAS_READ_TOKEN",
            help="访问令牌：设置后所有页面与 API 都需登录；默认公开只读。",
        ),
    ] = None,
    store_contacts: Annotated[
        bool | None,
        typer.Option(
            "--store-contacts/--no-store-contacts",
            help="保存选址需求表单中的联系方式（默认不保存；也可用 CHAINATLAS_STORE_CONTACTS）。",
        ),
    ] = None,
    allow_private_fetch: Annotated[
        bool | None,
        typer.Option(
            "--allow-private-fetch/--no-allow-private-fetch",
            help="允许网页提交的采集任务抓取内网地址（127.0.0.1、10.x、192.168.x 等；"
            "默认拒绝，防止 SSRF；也可用 CHAINATLAS_ALLOW_PRIVATE_FETCH=1）。",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="工作进程数；多核服务器可设为核数（各进程共享后台任务与响应缓存）。",
        ),
    ] = 1,
) -> None:
    """启动网页应用与 REST API。"""
    from dataclasses import replace

    import uvicorn

    from chainatlas.web.app import create_app, worker_env
    from chainatlas.web.security import SecurityConfig, ensure_write_token

    env = SecurityConfig.from_env()
    security = ensure_write_token(
        replace(
            env,
            write_token=write_token or env.write_token,
            read_token=read_token or env.read_token,
            store_contacts=env.store_contacts if store_contacts is None else store_contacts,
            allow_private_fetch=(
                env.allow_private_fetch if allow_private_fetch is None else allow_private_fetch
            ),
        )
    )
    store = open_store()
    console.print(f"chainatlas 网页应用：http://{host}:{port}/  （数据库：{state.db_url}）")
    if write_token or env.write_token:  # the operator's own secret stays out of logs
        console.print(f"写入令牌：已设置（登录：http://{host}:{port}/login）")
    else:  # printed like Jupyter's token: whoever started the server can log in to curate
        console.print(
            f"写入令牌（本次启动随机生成）：{security.write_token}  "
            f"（登录：http://{host}:{port}/login）"
        )
    if security.read_token:
        console.print("已启用访问令牌：浏览与 API 均需登录。")
    if workers == 1:
        uvicorn.run(create_app(store, security), host=host, port=port, log_level="warning")
        return
    # N processes: each builds its own app (chainatlas.web.app:app_from_env) from the
    # environment set here. The store is already migrated (open_store), so the parent's
    # connections are not needed while the workers serve.
    store.close()
    with tempfile.TemporaryDirectory(prefix="chainatlas-serve-") as private:
        # A private directory (mode 0700): cached answers may be behind the read token,
        # and SQLite adds -wal/-shm files next to the cache file; all go at exit.
        os.environ.update(worker_env(security, state.db_url, Path(private) / "responses.sqlite"))
        uvicorn.run(
            "chainatlas.web.app:app_from_env",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="warning",
        )


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


@bench_app.command("extract")
def bench_extract(
    chars: Annotated[int, typer.Option(min=1000, help="测试文本总字数。")] = 1_000_000,
    big_mb: Annotated[
        int, typer.Option(min=0, help="再测一篇这么大的文档（MB，0 表示不测）。")
    ] = 10,
    seed: Annotated[int, typer.Option(help="生成文本的随机种子。")] = 1,
) -> None:
    """抽取基准：端到端字/秒与 NER 模型单独对比，以及超大文档的内存占用。"""
    from chainatlas.bench.extract import run_extract_benchmark

    run_extract_benchmark(chars=chars, big_mb=big_mb, seed=seed, console=console)


@bench_app.command("resolve")
def bench_resolve(
    mentions: Annotated[int, typer.Option(min=1000, help="合成提及数。")] = 1_000_000,
    seed: Annotated[int, typer.Option(help="随机种子。")] = 1,
) -> None:
    """实体消歧基准：合成提及的消歧耗时与峰值内存（单核）。"""
    from chainatlas.kb.bench import run_resolve_benchmark

    run_resolve_benchmark(mentions=mentions, seed=seed, console=console)


@bench_app.command("import")
def bench_import(
    rows: Annotated[int, typer.Option(min=100, help="生成的企业行数。")] = 100_000,
    seed: Annotated[int, typer.Option(help="随机种子。")] = 1,
) -> None:
    """企业导入基准：生成 GBK 编码的企业 CSV，测量 SQLite 上首次导入与再次导入（更新）的耗时。"""
    from chainatlas.imports.bench import run_import_benchmark

    run_import_benchmark(rows=rows, seed=seed, console=console)


_BenchDocs = Annotated[int, typer.Option(min=10, help="合成文档数。")]
_BenchEntities = Annotated[int, typer.Option(min=20, help="合成实体数。")]
_BenchDb = Annotated[
    str | None,
    typer.Option("--db", help="合成库的数据库 URL 或 SQLite 路径；已有数据则直接复用。"),
]


@bench_app.command("synthetic")
def bench_synthetic(
    db: Annotated[str, typer.Option("--db", help="写入的数据库 URL 或 SQLite 路径（应为空库）。")],
    documents: _BenchDocs = 100_000,
    entities: _BenchEntities = 50_000,
    seed: Annotated[int, typer.Option(help="随机种子。")] = 0,
) -> None:
    """生成合成库：文档（含全文索引）、提及、各类事实、实体与载体，供性能基准与负载测试使用。"""
    from chainatlas.bench.synthetic import build_with_progress
    from chainatlas.store.db import Store

    store = Store(db if "://" in db else f"sqlite:///{db}")
    try:
        build_with_progress(
            store, documents=documents, entities=entities, seed=seed, console=console
        )
    finally:
        store.close()


@bench_app.command("diagnose")
def bench_diagnose(
    db: _BenchDb = None,
    documents: _BenchDocs = 100_000,
    entities: _BenchEntities = 50_000,
    pairs: Annotated[int, typer.Option(min=1, help="每个层级抽样的（地区，产业链）对数。")] = 20,
    seed: Annotated[int, typer.Option(help="随机种子。")] = 0,
) -> None:
    """诊断基准：在合成库上计算落位，按省/市/区县抽样测量诊断耗时（首次与热态 p50/p95/max）。"""
    from chainatlas.bench.diagnose import run_diagnose_benchmark

    run_diagnose_benchmark(
        db=db, documents=documents, entities=entities, pairs=pairs, seed=seed, console=console
    )


@bench_app.command("match")
def bench_match(
    db: _BenchDb = None,
    documents: _BenchDocs = 100_000,
    entities: _BenchEntities = 50_000,
    repeat: Annotated[int, typer.Option(min=1, help="每条查询重复次数。")] = 3,
    invest: Annotated[
        int,
        typer.Option(
            min=0, max=3, help="招商查询条数（大库上进程内首条需建缓存，约两分钟；0 跳过）。"
        ),
    ] = 1,
    seed: Annotated[int, typer.Option(help="随机种子。")] = 0,
) -> None:
    """匹配基准：固定的技术/选址/招商查询集，测量首次与热态 p50/p95。"""
    from chainatlas.bench.match import run_match_benchmark

    run_match_benchmark(
        db=db,
        documents=documents,
        entities=entities,
        repeat=repeat,
        seed=seed,
        console=console,
        invest=invest,
    )


@bench_app.command("load")
def bench_load(
    db: Annotated[
        str | None, typer.Option("--db", help="被测数据库 URL 或 SQLite 路径；默认为全局 --db。")
    ] = None,
    clients: Annotated[int, typer.Option(min=1, help="并发客户端数（闭环，无思考时间）。")] = 50,
    duration: Annotated[float, typer.Option(min=1, help="持续秒数。")] = 60,
    workers: Annotated[int, typer.Option(min=1, help="uvicorn 工作进程数。")] = 2,
    generate: Annotated[
        int, typer.Option(min=0, help="库中文档少于此数时先生成合成文档（0 表示不生成）。")
    ] = 0,
    seed: Annotated[int, typer.Option(help="随机种子。")] = 0,
    think: Annotated[
        float, typer.Option(min=0, help="每个客户端两次请求之间的平均思考时间（秒，0 为闭环）。")
    ] = 0.0,
    shared_cache: Annotated[
        bool,
        typer.Option(
            "--shared-cache/--no-shared-cache",
            help="多个工作进程共用一个响应缓存文件（默认开启；关闭则每个进程各自缓存）。",
        ),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出结果。")] = False,
) -> None:
    """网页负载基准：启动真实应用，多个并发客户端请求搜索、实体与诊断接口及页面，报告各端点 p50/p95/p99 与错误。"""
    from chainatlas.bench.load import run_load_benchmark

    url = (db if "://" in db else f"sqlite:///{db}") if db else state.db_url
    report = run_load_benchmark(
        db_url=url,
        clients=clients,
        duration=duration,
        workers=workers,
        generate=generate,
        seed=seed,
        as_json=as_json,
        console=console,
        think=think,
        shared_cache=shared_cache,
    )
    raise typer.Exit(0 if report.passed else 1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
