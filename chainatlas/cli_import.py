"""`chainatlas import enterprises|parks|listings|research|experts FILE`.

`chainatlas.cli` mounts `import_app` as `import`. Helpers from `chainatlas.cli` are
imported inside the commands, so importing this module never imports the main CLI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["import_app", "print_report"]

import_app = typer.Typer(
    help="导入结构化数据（CSV 或 Excel .xlsx）：企业、园区、载体（土地/厂房/写字楼）、科研机构、专家。"
    "按统一社会信用代码或 名称+地区 去重更新；逐行校验，坏行跳过并报告。",
    no_args_is_help=True,
)

_KIND_HELP = {
    "enterprises": "导入企业名录（企业名称、统一社会信用代码、地区、行业、注册资本、成立日期…）。",
    "parks": "导入园区（园区名称、地区、面积、租金、主导产业、地址…）。",
    "listings": "导入招商载体：土地 / 厂房 / 写字楼（类型、面积、价格或租金、所在园区、地区、联系人、电话）。",
    "research": "导入科研机构（实验室或机构名称、研究方向、依托单位、地区）。",
    "experts": "导入专家（姓名、职称、单位、研究领域、地区）。",
}

File = Annotated[
    Path,
    typer.Argument(help="CSV（任意编码，含 GBK）或 .xlsx 文件。", exists=True, dir_okay=False),
]
MapOpt = Annotated[
    list[str] | None,
    typer.Option("--map", "-m", help="列映射：源列=字段，可重复（如 --map 公司=name）。"),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="只校验并统计，不写入数据库。")]
Sheet = Annotated[str | None, typer.Option("--sheet", help="Excel 工作表名（默认第一个）。")]
NoResolve = Annotated[
    bool, typer.Option("--no-resolve", help="导入后不重新消歧（实体稍后随 resolve 生效）。")
]
MaxProblems = Annotated[int, typer.Option("--max-problems", min=0, help="最多显示几条问题。")]


def _cli():
    from chainatlas import cli

    return cli


def print_report(report, *, max_problems: int = 50) -> None:
    """The validation table (行, 列, 问题) and the counts, on the CLI's consoles."""
    from rich.markup import escape
    from rich.table import Table

    cli = _cli()
    if report.unmapped:
        cli.err.print(
            f"[dim]未识别的列（作为附加属性保存）：{escape('，'.join(report.unmapped))}[/dim]"
        )
    if report.problems:
        table = Table(title=f"校验问题（{report.source}）", show_edge=False)
        for col in ("行", "列", "问题", "处理"):
            table.add_column(col, justify="right" if col == "行" else "left")
        for p in report.problems[:max_problems]:
            action = "[red]跳过[/red]" if p.severity == "error" else "[yellow]忽略该值[/yellow]"
            table.add_row(str(p.row), escape(p.column), escape(p.message), action)
        cli.console.print(table)
        if len(report.problems) > max_problems:
            cli.console.print(f"另有 {len(report.problems) - max_problems} 条问题未显示。")
    verb = "校验（未写入）" if report.dry_run else "导入"
    new, upd = ("将新增", "将更新") if report.dry_run else ("新增", "更新")
    enc = f"，编码 {report.encoding}" if report.encoding else ""
    cli.console.print(
        f"{verb}完成：共 {report.rows} 行{enc}；{new} {report.inserted}，{upd} {report.updated}，"
        f"跳过 {report.skipped}；用时 {report.seconds:.1f} 秒"
    )


def _run(kind: str, file: Path, mapping, dry_run, sheet, no_resolve, max_problems) -> None:
    from chainatlas.imports.columns import parse_overrides
    from chainatlas.imports.load import import_file
    from chainatlas.imports.readers import TableError

    cli = _cli()
    try:
        overrides = parse_overrides(mapping)
    except ValueError as exc:
        cli.err.print(f"[red]错误：{exc}[/red]")
        raise typer.Exit(2) from exc
    store = cli.open_store()
    try:
        try:
            report = import_file(store, kind, file, overrides=overrides, dry_run=dry_run,
                                 sheet=sheet)  # fmt: skip
        except (TableError, ValueError) as exc:
            cli.err.print(f"[red]错误：{exc}[/red]")
            raise typer.Exit(2) from exc
        print_report(report, max_problems=max_problems)
        if (
            not dry_run
            and not no_resolve
            and kind != "listings"
            and report.inserted + report.updated
        ):
            from chainatlas.cli_kb import _resolve_and_report

            _resolve_and_report(store, quiet=True)
    finally:
        store.close()
    if report.skipped:
        raise typer.Exit(cli.EXIT_PARTIAL)


def _command(kind: str):
    def command(
        file: File,
        mapping: MapOpt = None,
        dry_run: DryRun = False,
        sheet: Sheet = None,
        no_resolve: NoResolve = False,
        max_problems: MaxProblems = 50,
    ) -> None:
        _run(kind, file, mapping, dry_run, sheet, no_resolve, max_problems)

    command.__doc__ = _KIND_HELP[kind]
    command.__name__ = f"import_{kind}"
    return command


for _kind in _KIND_HELP:
    import_app.command(_kind)(_command(_kind))
