"""Chain commands: `chainatlas chains list|show|place`, `diagnose`, `compare`.

`chainatlas.cli` mounts them at the top level. Helpers from `chainatlas.cli` are imported
inside the commands, so importing this module never imports the main CLI (no cycle).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

__all__ = ["chains_app", "compare_cmd", "diagnose_cmd", "place_cmd"]

chains_app = typer.Typer(help="产业链模板：列出产业链、查看各环节。", no_args_is_help=True)

VERDICT_STYLE = {"strong": "bold green", "present": "cyan", "weak": "yellow", "missing": "red"}
VERDICT_TEXT = {"strong": "强", "present": "有", "weak": "弱", "missing": "缺"}

ChainOpt = Annotated[
    str | None, typer.Option("--chain", "-c", help="产业链（编号、名称或别名，如 高端医疗器械）。")
]
SinceOpt = Annotated[
    str | None, typer.Option("--since", help="只统计此日期（YYYY-MM-DD）之后的项目与新增企业。")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON。")]


def _cli():
    from chainatlas import cli

    return cli


def _catalog():
    from chainatlas.chains.templates import load_chains

    return load_chains()


def _since(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        _cli().err.print(f"[red]错误：日期格式应为 YYYY-MM-DD：{escape(value)}[/red]")
        raise typer.Exit(2) from exc


def _chain_or_exit(catalog, name: str):
    chain = catalog.get(name)
    if chain is None:
        names = "、".join(c.name for c in catalog)
        _cli().err.print(f"[red]错误：没有名为 {escape(name)} 的产业链。可选：{names}[/red]")
        raise typer.Exit(2)
    return chain


def _yi(amount: float) -> str:
    return f"{amount / 1e8:,.2f} 亿元" if amount else "—"


def _lq(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "—"


# --------------------------------------------------------------------------- chains


@chains_app.command("list")
def list_cmd(as_json: JsonOpt = False) -> None:
    """列出全部产业链（编号、名称、别名、环节数）。"""
    cli = _cli()
    catalog = _catalog()
    if as_json:
        rows = [
            {"id": c.id, "name": c.name, "aliases": list(c.aliases), "segments": len(c.segments)}
            for c in catalog
        ]
        cli.console.print_json(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(title=f"产业链（{len(catalog)} 条）", show_edge=False)
    for col in ("编号", "名称", "别名", "环节"):
        table.add_column(col, justify="right" if col == "环节" else "left")
    for c in catalog:
        table.add_row(c.id, c.name, "、".join(c.aliases), str(len(c.segments)))
    cli.console.print(table)


@chains_app.command("show")
def show_cmd(
    name: Annotated[str, typer.Argument(help="产业链编号、名称或别名。")],
    as_json: JsonOpt = False,
) -> None:
    """按上游 / 中游 / 下游列出一条产业链的各环节、关键词与申万行业。"""
    cli = _cli()
    chain = _chain_or_exit(_catalog(), name)
    if as_json:
        rows = [
            {
                "id": s.id,
                "name": s.name,
                "stage": s.stage.value,
                "keywords": list(s.keywords),
                "shenwan": [f"{r.code} {r.name}" for r in s.shenwan],
            }
            for s in chain.segments
        ]
        cli.console.print_json(json.dumps({"id": chain.id, "segments": rows}, ensure_ascii=False))
        return
    cli.console.print(f"[bold]{chain.name}[/bold]（{chain.id}）：{chain.description}")
    table = Table(show_edge=False)
    for col in ("环节", "编号", "名称", "关键词", "申万行业"):
        table.add_column(col)
    for s in chain.segments:
        table.add_row(
            s.stage.label,
            s.id,
            s.name,
            "、".join(s.keywords[:6]) + ("…" if len(s.keywords) > 6 else ""),
            "、".join(f"{r.code} {r.name}" for r in s.shenwan),
        )
    cli.console.print(table)


@chains_app.command("place")
def place_cmd(
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="清空已保存的落位后全部重新计算。")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """把企业、科研机构和投资项目落位到产业链环节并保存（增量：内容与分类器版本未变的记录跳过）。
    每次 `resolve` 后会自动运行；诊断读取保存的落位。"""
    from chainatlas.jobs.place import run_place

    cli = _cli()
    store = cli.open_store()
    try:
        report = run_place(store, rebuild=rebuild)
    finally:
        store.close()
    if as_json:
        cli.console.print_json(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    cli.console.print(
        f"落位完成：{report.records} 条记录（其中 {report.placed} 条落到环节），"
        f"重新分类 {report.classified}，写入 {report.written}，删除 {report.removed}，"
        f"声明条目 {report.declared}；分类器版本 {report.version}；用时 {report.seconds:.1f} 秒"
    )


# --------------------------------------------------------------------------- diagnose


def _print_diagnosis(d) -> None:
    console = _cli().console
    since = f"，{d.since.isoformat()} 以来" if d.since else ""
    console.print(
        f"[bold]{d.region_name or d.region_code} · {d.chain_name}[/bold] 产业链诊断{since}"
    )
    table = Table(show_edge=False)
    for col in (
        "环节",
        "名称",
        "判定",
        "企业",
        "上市",
        "项目",
        "投资",
        "机构",
        "LQ",
        "LQ全国",
        "依据",
    ):
        right = col in ("企业", "上市", "项目", "投资", "机构", "LQ", "LQ全国")
        table.add_column(col, justify="right" if right else "left")
    for s in d.segments:
        style = VERDICT_STYLE[s.verdict]
        mark = "★" if s.declared else ""
        table.add_row(
            s.stage_label,
            s.name + mark,
            f"[{style}]{VERDICT_TEXT[s.verdict]}[/{style}]",
            str(len(s.enterprises)),
            str(s.listed),
            str(len(s.projects)),
            _yi(s.investment),
            str(len(s.institutions)),
            _lq(s.lq_store),
            _lq(s.lq_national),
            escape(s.rule),
        )
    console.print(table)
    console.print(
        "[dim]★ 为地方已宣布发展的环节；LQ 为区位商（本库各地区 / 全国上市公司基准）。[/dim]"
    )
    for s in d.segments:
        names = [e["name"] for e in s.enterprises] + [i["name"] for i in s.institutions]
        if names:
            console.print(f"  {s.name}：{escape('、'.join(names[:8]))}")
        for p in s.people[:3]:
            console.print(
                f"    关键人物：{escape(p['org'])} {escape(p['position'])} {escape(p['name'])}"
            )
    if d.declared:
        console.print("[bold]已宣布[/bold]")
        for item in d.declared:
            console.print(f"  · {escape(item.label)}  [dim]{escape(item.sentence[:60])}[/dim]")
    o = d.observed
    console.print(
        f"[bold]实际观察[/bold]：企业 {o['enterprises']} 家（新增 {o['new_enterprises']}），"
        f"项目 {o['projects']} 个，投资 {_yi(o['investment'])}，科研机构与设施 {o['institutions']} 个"
    )
    if d.declared_without_evidence:
        names = [d.segment(s).name for s in d.declared_without_evidence]
        console.print(f"[red]已宣布但无任何证据的环节（补链方向）：{'、'.join(names)}[/red]")
    if d.trend:
        years = "；".join(
            f"{y} 年 项目 {c.get('projects', 0)}、新企业 {c.get('enterprises', 0)}"
            for y, c in d.trend.items()
        )
        console.print(f"[bold]逐年趋势[/bold]：{years}")


def _print_overview(o: dict[str, Any]) -> None:
    console = _cli().console
    console.print(f"[bold]{o['region_name']}[/bold] 产业布局诊断")
    if o["structure"]:
        console.print("[bold]已宣布的产业结构[/bold]")
        for g in o["structure"]:
            meta = f"“{g['metaphor']}”" if g["metaphor"] else ""
            terms = "、".join(
                t["term"] + (f"→{t['chain_id']}" if t["chain_id"] else "") for t in g["terms"]
            )
            console.print(f"  {escape(g['role'])} {meta}：{escape(terms)}")
    for t in o["targets"]:
        console.print(f"  目标：{escape(t['label'])}（{t['chain_id']}）")
    table = Table(title="产业链概览", show_edge=False)
    for col in ("产业链", "已宣布", "企业", "项目", "投资", "强", "有", "弱", "缺"):
        table.add_column(col, justify="left" if col in ("产业链", "已宣布") else "right")
    for c in o["chains"]:
        v = c["by_verdict"]
        table.add_row(
            c["chain_name"],
            "是" if c["declared"] else "",
            str(c["observed"]["enterprises"]),
            str(c["observed"]["projects"]),
            _yi(c["observed"]["investment"]),
            *(str(len(v[k])) for k in ("strong", "present", "weak", "missing")),
        )
    console.print(table)


def diagnose_cmd(
    region: Annotated[
        str, typer.Argument(help="地区名称（深圳、广州市黄埔区）或 6 位行政区划代码。")
    ],
    chain: ChainOpt = None,
    since: SinceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """区域产业链诊断：各环节强 / 有 / 弱 / 缺（强链、补链、延链），已宣布与实际落地对照。"""
    from chainatlas.jobs.diagnose import RegionNotFound, diagnose_region, overview

    cli = _cli()
    catalog = _catalog()
    day = _since(since)
    if chain is not None:
        _chain_or_exit(catalog, chain)
    store = cli.open_store()
    try:
        if chain is None:
            result = overview(store, region, since=day, catalog=catalog)
        else:
            result = diagnose_region(store, region, chain, since=day, catalog=catalog)
    except RegionNotFound as exc:
        cli.err.print(f"[red]错误：无法识别地区 {escape(region)}[/red]")
        raise typer.Exit(2) from exc
    finally:
        store.close()
    if as_json:
        data = result if isinstance(result, dict) else result.as_dict()
        cli.console.print_json(json.dumps(data, ensure_ascii=False, default=str))
    elif isinstance(result, dict):
        _print_overview(result)
    else:
        _print_diagnosis(result)


def compare_cmd(
    region_a: Annotated[str, typer.Argument(help="地区甲。")],
    region_b: Annotated[str, typer.Argument(help="地区乙。")],
    chain: Annotated[str, typer.Option("--chain", "-c", help="产业链（必填）。")],
    since: SinceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """两地同一产业链逐环节对比。"""
    from chainatlas.jobs.diagnose import RegionNotFound, compare

    cli = _cli()
    catalog = _catalog()
    _chain_or_exit(catalog, chain)
    day = _since(since)
    store = cli.open_store()
    try:
        a, b = compare(store, region_a, region_b, chain, since=day, catalog=catalog)
    except RegionNotFound as exc:
        cli.err.print(f"[red]错误：无法识别地区 {escape(exc.text)}[/red]")
        raise typer.Exit(2) from exc
    finally:
        store.close()
    if as_json:
        cli.console.print_json(
            json.dumps({"a": a.as_dict(), "b": b.as_dict()}, ensure_ascii=False, default=str)
        )
        return
    table = Table(title=f"{a.chain_name}：{a.region_name} 对比 {b.region_name}", show_edge=False)
    for col in ("环节", "名称", "甲", "甲企业", "甲LQ", "乙", "乙企业", "乙LQ"):
        table.add_column(col)
    for sa, sb in zip(a.segments, b.segments, strict=True):
        cells = []
        for s in (sa, sb):
            style = VERDICT_STYLE[s.verdict]
            cells += [
                f"[{style}]{VERDICT_TEXT[s.verdict]}[/{style}]",
                str(len(s.enterprises)),
                _lq(s.lq_store),
            ]
        table.add_row(sa.stage_label, sa.name, *cells)
    cli.console.print(table)
