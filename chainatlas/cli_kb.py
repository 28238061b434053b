"""Knowledge-base commands: `chainatlas resolve`, `candidates`, `entity show`, `curate …`.

`chainatlas.cli` mounts them at the top level. Helpers from `chainatlas.cli` are imported
inside the commands, so importing this module never imports the main CLI (no cycle).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

__all__ = ["curate_app", "entity_app", "kb_app"]

# The knowledge-base commands live on the main app; this group only collects them here.
kb_app = typer.Typer(help="知识库：实体消歧与归并、实体档案、人工校正。", no_args_is_help=True)
entity_app = typer.Typer(help="查看实体档案。", no_args_is_help=True)
curate_app = typer.Typer(
    help="人工校正（合并、拆分、改名等）：每条决定记录作者、时间与理由，每次重新消歧后自动重放。",
    no_args_is_help=True,
)
kb_app.add_typer(entity_app, name="entity")
kb_app.add_typer(curate_app, name="curate")

Author = Annotated[str, typer.Option("--author", "-a", help="校正人（必填）。")]
Reason = Annotated[str, typer.Option("--reason", "-r", help="校正理由。")]
NoResolve = Annotated[bool, typer.Option("--no-resolve", help="只记录决定，暂不重新消歧。")]


def _cli():
    from chainatlas import cli

    return cli


# --- resolve ------------------------------------------------------------------------------


@kb_app.command("resolve")
def resolve_cmd(
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="只输出汇总。")] = False,
) -> None:
    """实体消歧与归并：读取全部提及与事实，重建实体、别名、链接、候选与事件，并重放人工校正。"""
    cli = _cli()
    store = cli.open_store()
    try:
        _resolve_and_report(store, quiet=quiet)
    finally:
        store.close()


def _resolve_and_report(store, *, quiet: bool = False) -> None:
    from chainatlas.jobs.resolve import run_resolve

    cli = _cli()
    report = run_resolve(store)
    c = report.counts
    cli.console.print(
        f"消歧完成：提及 {report.mentions} 个、事实 {report.facts} 条 → 实体 {c['entities']} 个，"
        f"别名 {c['aliases']} 个，待审候选 {c['candidates']} 对，事件 {c['events']} 个；"
        f"人工校正重放 {len(report.curations)} 条；用时 {report.seconds_total:.1f} 秒"
    )
    for rep in report.missing:
        cli.err.print(
            f"[yellow]校正 #{rep['curation']}（{rep['op']}）未生效：{rep['detail']}[/yellow]"
        )


@kb_app.command("candidates")
def candidates_cmd(
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="最多显示条数。")] = 50,
) -> None:
    """列出待人工审核的归并候选（证据不足、未自动合并）。"""
    from rich.table import Table

    from chainatlas.store import kb

    cli = _cli()
    store = cli.open_store()
    with store.session() as session:
        rows = kb.list_candidates(session, limit=limit)
    store.close()
    table = Table("实体 A", "实体 B", "得分", "依据")
    for r in rows:
        table.add_row(f"{r['a_name']}\n{r['a']}", f"{r['b_name']}\n{r['b']}", f"{r['score']:.2f}",
                      r["reason"])  # fmt: skip
    cli.console.print(table)


# --- entity show --------------------------------------------------------------------------


def _pick_entity(session, ref: str):
    from chainatlas.store import kb

    cli = _cli()
    hits = kb.find_entities(session, ref)
    if not hits:
        cli.err.print(f"[red]找不到实体：{ref}[/red]（先运行 chainatlas resolve？）")
        raise typer.Exit(2)
    if len(hits) > 1:
        cli.err.print(f"[yellow]“{ref}” 对应多个实体，请用 ID 指定：[/yellow]")
        for h in hits:
            cli.err.print(f"  {h.id}  {h.type}  {h.name}  （{h.key}，{h.mention_count} 次提及）")
        raise typer.Exit(2)
    return hits[0]


@entity_app.command("show")
def entity_show(
    ref: Annotated[str, typer.Argument(help="实体名称、别名、股票代码或实体 ID。")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON。")] = False,
) -> None:
    """实体档案：规范名、别名、代码、属性、按类型分组的事实、时间线、相关实体、来源文章与证据句。"""
    from chainatlas.store import kb

    cli = _cli()
    store = cli.open_store()
    with store.session() as session:
        entity = _pick_entity(session, ref)
        profile = kb.entity_profile(session, entity.id)
    store.close()
    if as_json:
        typer.echo(json.dumps(profile, ensure_ascii=False, indent=2, default=str))
        return
    _print_profile(profile)


def _fmt_args(args: dict[str, Any]) -> str:
    from chainatlas.extract.serialize import plain_args

    return "；".join(
        f"{k}={v}" for k, v in plain_args(args).items() if v not in (None, "", []) and
        not k.endswith("_text")
    )  # fmt: skip


def _print_profile(p: dict) -> None:
    from rich.markup import escape

    out = _cli().console
    out.print(f"[bold]{escape(p['name'])}[/bold]  [dim]{p['type']} · {p['id']} · {p['key']}[/dim]")
    if p["codes"] or p["region_code"]:
        codes = "，".join(f"{k}: {v}" for k, v in p["codes"].items())
        out.print(f"代码：{codes or '—'}   行政区划：{p['region_code'] or '—'}")
    aliases = "、".join(f"{a['alias']}({a['mentions']})" for a in p["aliases"])
    out.print(f"别名：{escape(aliases)}")
    extra = {k: v for k, v in p["attrs"].items() if k not in p["codes"]}
    if extra:
        out.print("属性：" + escape("，".join(f"{k}={v}" for k, v in extra.items())))
    out.print(
        f"提及 {p['mention_count']} 次，见于 {p['document_count']} 篇文章；来源：{p['origin']}"
    )
    for kind, facts in p["facts"].items():
        out.print(f"\n[bold]事实 · {kind}[/bold]（{len(facts)}）")
        for f in facts:
            flag = {"confirmed": " ✓已确认", "rejected": " ✗已否决"}.get(f["status"], "")
            old = " （已被更新的报道取代）" if f["superseded"] else ""
            out.print(f"  #{f['fact_id']} {(f['as_of'] or '')[:10]} {escape(_fmt_args(f['args']))}"
                      f"{flag}{old}")  # fmt: skip
    if p["timeline"]:
        out.print("\n[bold]时间线[/bold]")
        for t in p["timeline"]:
            out.print(f"  {(t['as_of'] or '日期不详')[:10]}  {t['kind']}  {escape(t['event'])}")
    if p["related"]:
        out.print("\n[bold]相关实体[/bold]")
        for r in p["related"][:20]:
            out.print(f"  {escape(r['name'])} [dim]({r['type']}, {r['id']}; "
                      f"{'/'.join(r['roles'])}; {r['facts']} 条事实)[/dim]")  # fmt: skip
    if p["candidates"]:
        out.print("\n[bold]待审归并候选[/bold]")
        for c in p["candidates"]:
            out.print(
                f"  {escape(c['name'])} [dim]({c['id']})[/dim] 得分 {c['score']:.2f}：{c['reason']}"
            )
    out.print("\n[bold]来源文章[/bold]")
    for d in p["documents"]:
        out.print(
            f"  {(d['published_at'] or '')[:10]} {escape(d['title'] or d['id'])} [dim]({d['id']})[/dim]"
        )
        for ev in d["evidence"]:
            out.print(f"    「{escape(ev['sentence'])}」")


# --- curate -------------------------------------------------------------------------------


def _entity_ref(session, ref: str, field: str) -> dict:
    e = _pick_entity(session, ref)
    return {field: e.key, f"{field}_name": e.name, f"{field}_type": e.type}


def _fact_ref(session, ref: str) -> dict:
    from chainatlas.jobs.curate import CurationInputError, fact_ref

    try:
        return fact_ref(session, ref)
    except CurationInputError as exc:  # shared with the REST API; same rules, one place
        _cli().err.print(
            f"[red]{exc}（事实请用 entity show 中的 #号或指纹；先运行 chainatlas resolve？）[/red]"
        )
        raise typer.Exit(2) from exc


def _store_decision(op: str, build, author: str, reason: str, no_resolve: bool) -> None:
    from chainatlas.kb.curation import CurationError
    from chainatlas.store import kb

    cli = _cli()
    if not author.strip():
        cli.err.print("[red]请用 --author 注明校正人。[/red]")
        raise typer.Exit(2)
    store = cli.open_store()
    try:
        with store.session() as session:
            payload = build(session)
            try:
                cid = kb.add_curation(session, op, payload, author=author, reason=reason)
            except CurationError as exc:
                cli.err.print(f"[red]{exc}[/red]")
                raise typer.Exit(2) from exc
        cli.console.print(f"已记录校正 #{cid}（{op}）。")
        if not no_resolve:
            _resolve_and_report(store)
    finally:
        store.close()


@curate_app.command("merge")
def curate_merge(
    into: Annotated[str, typer.Argument(help="保留的实体（名称或 ID）。")],
    other: Annotated[str, typer.Argument(help="并入的实体（名称或 ID）。")],
    author: Author,
    reason: Reason = "",
    no_resolve: NoResolve = False,
) -> None:
    """把 OTHER 合并进 INTO。"""
    _store_decision(
        "merge",
        lambda s: {**_entity_ref(s, into, "into"), **_entity_ref(s, other, "other")},
        author, reason, no_resolve,
    )  # fmt: skip


@curate_app.command("split")
def curate_split(
    entity: Annotated[str, typer.Argument(help="要拆分的实体（名称或 ID）。")],
    author: Author,
    document: Annotated[
        list[str] | None, typer.Option("--doc", "-d", help="这些文章中的提及拆出（可多次）。")
    ] = None,
    surface: Annotated[
        list[str] | None, typer.Option("--surface", "-s", help="这些写法的提及拆出（可多次）。")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="新实体的名称。")] = None,
    reason: Reason = "",
    no_resolve: NoResolve = False,
) -> None:
    """把实体的一部分提及（按文章或写法）拆成新实体。"""
    _store_decision(
        "split",
        lambda s: {**_entity_ref(s, entity, "entity"), "documents": document or [],
                   "surfaces": surface or [], "name": name},
        author, reason, no_resolve,
    )  # fmt: skip


@curate_app.command("rename")
def curate_rename(
    entity: Annotated[str, typer.Argument(help="实体（名称或 ID）。")],
    name: Annotated[str, typer.Argument(help="新的规范名。")],
    author: Author,
    reason: Reason = "",
    no_resolve: NoResolve = False,
) -> None:
    """修改实体的规范名（旧名保留为别名）。"""
    _store_decision(
        "rename", lambda s: {**_entity_ref(s, entity, "entity"), "name": name},
        author, reason, no_resolve,
    )  # fmt: skip


@curate_app.command("retype")
def curate_retype(
    entity: Annotated[str, typer.Argument(help="实体（名称或 ID）。")],
    type_: Annotated[str, typer.Argument(metavar="TYPE", help="新类型，如 company、research。")],
    author: Author,
    reason: Reason = "",
    no_resolve: NoResolve = False,
) -> None:
    """修改实体类型。"""
    from chainatlas.extract.records import EntityType

    if type_ not in {t.value for t in EntityType}:
        _cli().err.print(
            f"[red]未知类型 {type_}；可选：{'、'.join(t.value for t in EntityType)}[/red]"
        )
        raise typer.Exit(2)
    _store_decision(
        "retype", lambda s: {**_entity_ref(s, entity, "entity"), "type": type_},
        author, reason, no_resolve,
    )  # fmt: skip


@curate_app.command("alias-add")
def curate_alias_add(
    entity: Annotated[str, typer.Argument(help="实体（名称或 ID）。")],
    alias: Annotated[str, typer.Argument(help="新增别名（如英文名、曾用名）。")],
    author: Author,
    reason: Reason = "",
    no_resolve: NoResolve = False,
) -> None:
    """为实体添加别名：以后这个写法的提及都归到该实体。"""
    _store_decision(
        "alias-add", lambda s: {**_entity_ref(s, entity, "entity"), "alias": alias},
        author, reason, no_resolve,
    )  # fmt: skip


@curate_app.command("alias-remove")
def curate_alias_remove(
    entity: Annotated[str, typer.Argument(help="实体（名称或 ID）。")],
    alias: Annotated[str, typer.Argument(help="要移除的别名。")],
    author: Author,
    reason: Reason = "",
    no_resolve: NoResolve = False,
) -> None:
    """移除别名：这个写法的提及从该实体中分出。"""
    _store_decision(
        "alias-remove", lambda s: {**_entity_ref(s, entity, "entity"), "alias": alias},
        author, reason, no_resolve,
    )  # fmt: skip


@curate_app.command("reject-mention")
def curate_reject_mention(
    document_id: Annotated[str, typer.Argument(help="文章 ID。")],
    start: Annotated[int, typer.Argument(help="起始位置。")],
    end: Annotated[int, typer.Argument(help="结束位置（不含）。")],
    author: Author,
    text: Annotated[str | None, typer.Option("--text", help="提及原文（用于核对）。")] = None,
    reason: Reason = "",
    no_resolve: NoResolve = False,
) -> None:
    """否决一个抽取错误的提及：它不再链接到任何实体。"""
    _store_decision(
        "reject-mention",
        lambda s: {"document_id": document_id, "start": start, "end": end, "text": text},
        author, reason, no_resolve,
    )  # fmt: skip


@curate_app.command("confirm-fact")
def curate_confirm_fact(
    fact: Annotated[str, typer.Argument(help="事实编号或指纹。")],
    author: Author,
    reason: Reason = "",
    no_resolve: NoResolve = False,
) -> None:
    """确认一条事实。"""
    _store_decision("confirm-fact", lambda s: _fact_ref(s, fact), author, reason, no_resolve)


@curate_app.command("reject-fact")
def curate_reject_fact(
    fact: Annotated[str, typer.Argument(help="事实编号或指纹。")],
    author: Author,
    reason: Reason = "",
    no_resolve: NoResolve = False,
) -> None:
    """否决一条事实：保留记录但不再参与事件的当前值。"""
    _store_decision("reject-fact", lambda s: _fact_ref(s, fact), author, reason, no_resolve)


@curate_app.command("set-attr")
def curate_set_attr(
    entity: Annotated[str, typer.Argument(help="实体（名称或 ID）。")],
    name: Annotated[str, typer.Argument(help="属性名，如 region_code、website。")],
    value: Annotated[str | None, typer.Argument(help="属性值；省略则删除该属性。")] = None,
    author: Author = "",
    reason: Reason = "",
    no_resolve: NoResolve = False,
) -> None:
    """设置或删除实体属性。"""
    _store_decision(
        "set-attr",
        lambda s: {**_entity_ref(s, entity, "entity"), "name": name, "value": value},
        author, reason, no_resolve,
    )  # fmt: skip


@curate_app.command("keep-apart")
def curate_keep_apart(
    a: Annotated[str, typer.Argument(help="实体 A（名称或 ID）。")],
    b: Annotated[str, typer.Argument(help="实体 B（名称或 ID）。")],
    author: Author,
    reason: Reason = "",
    no_resolve: NoResolve = False,
) -> None:
    """驳回归并候选：A 与 B 不是同一实体。"""
    _store_decision(
        "keep-apart", lambda s: {**_entity_ref(s, a, "a"), **_entity_ref(s, b, "b")},
        author, reason, no_resolve,
    )  # fmt: skip


@curate_app.command("undo")
def curate_undo(
    curation_id: Annotated[int, typer.Argument(help="校正编号。")],
    no_resolve: NoResolve = False,
) -> None:
    """撤销一条校正（保留在日志中，标记为停用）。"""
    from chainatlas.store import kb

    cli = _cli()
    store = cli.open_store()
    try:
        with store.session() as session:
            found = kb.set_curation_active(session, curation_id, False)
        if not found:
            cli.err.print(f"[red]没有校正 #{curation_id}[/red]")
            raise typer.Exit(2)
        cli.console.print(f"已停用校正 #{curation_id}。")
        if not no_resolve:
            _resolve_and_report(store)
    finally:
        store.close()


@curate_app.command("log")
def curate_log(
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON。")] = False,
) -> None:
    """校正日志：时间、作者、操作、对象、理由，以及最近一次重放是否生效。"""
    from rich.markup import escape
    from rich.table import Table

    from chainatlas.store import kb

    cli = _cli()
    store = cli.open_store()
    with store.session() as session:
        decisions = kb.list_curations(session)
    store.close()
    if as_json:
        typer.echo(json.dumps(
            [{"id": d.id, "op": d.op, "payload": d.payload, "author": d.author,
              "reason": d.reason, "at": d.at.isoformat() if d.at else None, "active": d.active,
              **d.extra} for d in decisions],
            ensure_ascii=False, indent=2,
        ))  # fmt: skip
        return
    table = Table("#", "时间", "作者", "操作", "对象", "理由", "状态")
    for d in decisions:
        target = (
            "；".join(
                str(v)
                for k, v in d.payload.items()
                if k.endswith("_name") or k in ("name", "alias")
            )
            or json.dumps(d.payload, ensure_ascii=False)[:60]
        )
        status = d.extra.get("last_status") or "未重放"
        if not d.active:
            status = "已停用"
        elif status == "missing":
            status = f"未生效：{d.extra.get('last_detail')}"
        table.add_row(str(d.id), d.at.strftime("%Y-%m-%d %H:%M") if d.at else "", escape(d.author),
                      d.op, escape(target), escape(d.reason), escape(status))  # fmt: skip
    cli.console.print(table)
