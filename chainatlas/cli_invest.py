"""`chainatlas match invest REGION --chain NAME`: enterprises to attract (招商) for a
region's weak or missing chain segments. The lead mounts :func:`invest_cmd` on the
`match` group; helpers from `chainatlas.cli` are imported inside (no import cycle)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

__all__ = ["invest_cmd"]


def invest_cmd(
    region: Annotated[str, typer.Argument(help="地区名称或 6 位代码，如 深圳、广州市黄埔区。")],
    chain: Annotated[str, typer.Option("--chain", "-c", help="产业链（编号、名称或别名）。")],
    segment: Annotated[
        str | None, typer.Option("--segment", "-s", help="只看一个环节（编号或名称）。")
    ] = None,
    top: Annotated[int, typer.Option("--top", "-k", help="返回前 K 家。")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON。")] = False,
) -> None:
    """精准招商：为地区薄弱或缺失的产业链环节推荐区外企业，附证据与得分构成。"""
    from chainatlas import cli
    from chainatlas.jobs.diagnose import RegionNotFound
    from chainatlas.jobs.invest import invest_region

    store = cli.open_store()
    try:
        result = invest_region(store, region, chain, segment=segment, top=top)
    except RegionNotFound as exc:
        cli.err.print(f"[red]错误：找不到地区 {escape(exc.text)}[/red]")
        raise typer.Exit(2) from exc
    except KeyError as exc:
        cli.err.print(f"[red]错误：没有这条产业链或环节：{escape(str(exc.args[0]))}[/red]")
        raise typer.Exit(2) from exc
    finally:
        store.close()
    d = result.diagnosis
    if as_json:
        payload = {
            "region_code": d.region_code if d else None,
            "region_name": d.region_name if d else None,
            "chain_id": d.chain_id if d else None,
            "targets": result.targets,
            "message": result.message,
            "matches": [m.as_dict() for m in result.matches],
        }
        cli.console.print_json(json.dumps(payload, ensure_ascii=False, default=str))
        return
    if d is None or not result.matches:
        cli.console.print(f"[yellow]{escape(result.message)}[/yellow]")
        return
    names = [d.segment(s).name for s in result.targets]
    cli.console.print(
        f"[bold]{d.region_name} · {d.chain_name}[/bold] 精准招商"
        f"（薄弱 / 缺失环节：{escape('、'.join(names) or '无')}）"
    )
    table = Table(show_edge=False)
    for col in ("#", "企业", "所在地", "补哪些环节", "得分", "构成", "证据"):
        table.add_column(col, justify="right" if col in ("#", "得分") else "left")
    for i, m in enumerate(result.matches, 1):
        parts = " ".join(f"{k}{v:.2f}" for k, v in m.parts.items())
        ev = m.evidence[0] if m.evidence else {"sentence": "", "document_id": ""}
        name = m.name + (f"（{m.stock_code}）" if m.stock_code else "")
        table.add_row(
            str(i),
            escape(name),
            escape(m.region_name or "未知"),
            escape("、".join(s["name"] for s in m.segments)),
            f"{m.score:.3f}",
            parts,
            escape(f"{ev['sentence'][:50]} [{ev['document_id']}]"),
        )
    cli.console.print(table)
