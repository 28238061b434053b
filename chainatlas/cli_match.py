"""`chainatlas match tech|site`: technology needs → innovation resources, site needs →
listings. `chainatlas.cli` mounts `match_app` as `match`; helpers from the main CLI are
imported inside the commands, so importing this module never imports the main CLI.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

__all__ = ["match_app"]

match_app = typer.Typer(
    help="匹配：技术需求 → 科研机构/专家/大科学装置；选址需求 → 土地/厂房/写字楼载体。",
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON。")]
_KIND_LABELS = {"research": "科研机构", "facility": "科学装置", "expert": "专家"}


def _cli():
    from chainatlas import cli

    return cli


def _region_name(code: str | None) -> str:
    if not code:
        return "—"
    from chainatlas.kb.regions import RegionGazetteer

    region = RegionGazetteer.load().get(code)
    return region.full_name if region else code


@match_app.command("tech")
def tech_cmd(
    need: Annotated[str, typer.Argument(help="技术需求描述，如“动力电池热失控预警”。")],
    region: Annotated[str | None, typer.Option("--region", help="优先地区（软加权）。")] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=100, help="返回条数。")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """按技术需求匹配科研机构、实验室、专家和大科学装置，并说明匹配依据。"""
    from rich.markup import escape

    from chainatlas.jobs.match import load_tech_candidates
    from chainatlas.match.tech import expand_need, match_tech

    cli = _cli()
    store = cli.open_store()
    try:
        candidates = load_tech_candidates(store)
    finally:
        store.close()
    matches = match_tech(need, candidates, region=region, top=top)
    named, added = expand_need(need)
    if as_json:
        payload = {"need": need, "region": region, "terms": named, "synonyms": added,
                   "matches": [m.to_dict() for m in matches]}  # fmt: skip
        cli.console.print_json(json.dumps(payload, ensure_ascii=False))
        return
    if not candidates:
        cli.console.print(
            "库中没有科研机构、专家或装置：请先 `chainatlas demo` 或 `chainatlas import research|experts`。"
        )
        raise typer.Exit(1)
    if added:
        cli.console.print(f"[dim]同义扩展：{escape('、'.join(added))}[/dim]")
    if not matches:
        cli.console.print("没有找到相关的创新资源。")
        return
    for rank, m in enumerate(matches, 1):
        c = m.candidate
        kind = _KIND_LABELS.get(c.kind, c.kind)
        cli.console.print(
            f"[bold]{rank}. {escape(c.name)}[/bold]（{kind}，{escape(_region_name(c.region_code))}）"
            f" 得分 {m.score:.2f} = 文本 {m.parts['text']:.2f}×0.5 + 产业环节 {m.parts['segments']:.2f}"
            + (f"，地区加权 +{m.parts['region_boost']:.0%}" if m.parts["region_boost"] else "")
        )
        if c.people:
            heads = "、".join(f"{name}（{position}）" for name, position in c.people)
            cli.console.print(f"   负责人：{escape(heads)}")
        if m.matched_terms:
            cli.console.print(f"   命中词：{escape('、'.join(m.matched_terms))}")
        if m.segments:
            cli.console.print(f"   共同产业环节：{escape('、'.join(m.segments))}")
        for ev in m.evidence[:2]:
            cli.console.print(f"   依据：{escape(ev)}")


@match_app.command("site")
def site_cmd(
    industry: Annotated[str, typer.Option("--industry", help="用途/行业，如 医疗器械。")] = "",
    area: Annotated[
        float | None, typer.Option("--area", help="需求面积：土地按亩，厂房/写字楼按㎡。")
    ] = None,
    land: Annotated[bool, typer.Option("--land", help="需求类型：土地。")] = False,
    factory: Annotated[bool, typer.Option("--factory", help="需求类型：厂房。")] = False,
    office: Annotated[bool, typer.Option("--office", help="需求类型：写字楼。")] = False,
    region: Annotated[str | None, typer.Option("--region", help="意向地区（含下级区县）。")] = None,
    budget: Annotated[
        float | None, typer.Option("--budget", help="预算：土地 万元/亩；厂房/写字楼 元/㎡·月。")
    ] = None,
    tax: Annotated[float | None, typer.Option("--tax", help="预计年纳税（万元）。")] = None,
    company: Annotated[str, typer.Option("--company", help="公司名称。")] = "",
    contact: Annotated[str, typer.Option("--contact", help="联系人。")] = "",
    phone: Annotated[str, typer.Option("--phone", help="联系电话（输出时打码）。")] = "",
    email: Annotated[str, typer.Option("--email", help="电子邮箱（输出时打码）。")] = "",
    top: Annotated[int, typer.Option("--top", min=1, max=50, help="返回条数。")] = 5,
    as_json: JsonOpt = False,
) -> None:
    """按选址需求（类型、面积±20%、地区、预算、产业）匹配载体；无符合项时列出最接近的载体及原因。"""
    from rich.markup import escape

    from chainatlas.jobs.match import load_listings, load_park_profiles
    from chainatlas.match.site import SiteRequirement, match_site

    cli = _cli()
    kinds = [k for k, on in (("land", land), ("factory", factory), ("office", office)) if on]
    if len(kinds) != 1:
        cli.err.print("[red]错误：请指定一种需求类型：--land、--factory 或 --office。[/red]")
        raise typer.Exit(2)
    need_type = kinds[0]
    area_sqm = area * 10000 / 15 if (area is not None and need_type == "land") else area
    req = SiteRequirement(need_type=need_type, industry=industry, area_sqm=area_sqm,
                          region=region, budget=budget, expected_tax=tax, company=company,
                          contact=contact, phone=phone, email=email)  # fmt: skip
    store = cli.open_store()
    try:
        listings = load_listings(store)
        profiles = load_park_profiles(store, {x.park for x in listings if x.park})
    finally:
        store.close()
    result = match_site(req, listings, top=top, park_profiles=profiles)
    if as_json:
        cli.console.print_json(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    for problem in result.problems:
        cli.err.print(f"[yellow]提示：{escape(problem)}[/yellow]")
    cli.console.print(result.message)
    for rank, m in enumerate(result.matches, 1):
        p = m.listing.public()
        cli.console.print(
            f"[bold]{rank}. {escape(m.listing.title)}[/bold]（{p['id']}，{escape(p['park'] or '')}）"
            f" 得分 {m.score:.2f}；联系人 {p['contact_name'] or '—'} {p['contact_phone'] or ''}"
        )
        for reason in m.reasons:
            cli.console.print(f"   {escape(reason)}")
    for m in result.misses:
        cli.console.print(
            f"- {escape(m.listing.title)}（{m.listing.id}）：{escape('；'.join(m.failed))}"
        )
