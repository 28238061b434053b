"""Imports against a real store (SQLite and PostgreSQL): GBK CSV and .xlsx, upserts,
skipped rows, listings, and imported enterprises joining resolved entities."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, select

from chainatlas.imports.load import import_file
from chainatlas.imports.validate import credit_check_char
from chainatlas.jobs.resolve import run_resolve
from chainatlas.store import kb
from chainatlas.store.imports_schema import ImportedRecordRow, ListingRow
from tests.kb.test_kb_store import filled  # noqa: F401  (fixture)

CODE_A = "91440300MA5F0ABCD" + credit_check_char("91440300MA5F0ABCD")
CODE_MINDRAY = "91440300MA5GTEPT1" + credit_check_char("91440300MA5GTEPT1")


def write_csv(path: Path, rows: list[list[str]], encoding: str = "gbk") -> Path:
    path.write_bytes("\r\n".join(",".join(r) for r in rows).encode(encoding))
    return path


ENTERPRISES = [
    ["企业名称", "统一社会信用代码", "所在地区", "行业", "注册资本", "成立日期"],
    ["深圳柏垠生物科技有限公司", CODE_A, "深圳", "生物医药", "5000万元", "2019-05-01"],
    ["苏州澄镜医疗科技有限公司", "", "苏州", "医疗器械", "1200万元", "2020/3/1"],
    ["坏代码公司", CODE_A[:-1] + "Z", "深圳", "制造", "", ""],
    ["火星公司", "", "火星", "", "", ""],
    ["苏州澄镜医疗科技有限公司", "", "苏州市", "", "", ""],
]


def _count(store, table) -> int:
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(table))


def test_gbk_csv_upsert_and_skips(store, tmp_path):
    path = write_csv(tmp_path / "企业.csv", ENTERPRISES)
    report = import_file(store, "enterprises", path)
    assert (report.rows, report.inserted, report.updated, report.skipped) == (5, 2, 0, 3)
    assert report.encoding in ("gb18030", "gbk", "gb2312")
    assert sorted(p.row for p in report.errors) == [4, 5, 6]
    dry = import_file(store, "enterprises", path, dry_run=True)
    assert (dry.inserted, dry.updated) == (0, 2)
    again = import_file(store, "enterprises", path)
    assert (again.inserted, again.updated, again.skipped) == (0, 2, 3)
    assert _count(store, ImportedRecordRow) == 2
    with store.session() as s:
        row = s.scalar(select(ImportedRecordRow).where(ImportedRecordRow.credit_code == CODE_A))
        assert row.region_code == "440300"
        assert row.attrs["registered_capital"]["amount"] == 5e7
        assert row.attrs["founded"] == "2019-05-01"


def test_xlsx_english_headers_and_map(store, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Company Name", "Credit Code", "城市", "Capital (万元)"])
    ws.append(["合肥擎远动力科技有限公司", None, "合肥", 3000])
    ws.append(["Hefei Example Tech Co., Ltd.", None, "合肥", 12.5])
    wb.save(tmp_path / "e.xlsx")
    report = import_file(store, "enterprises", tmp_path / "e.xlsx", overrides={"城市": "region"})
    assert (report.inserted, report.skipped) == (2, 0), report.problems
    with store.session() as s:
        rows = {r.name: r for r in s.scalars(select(ImportedRecordRow))}
    assert rows["合肥擎远动力科技有限公司"].region_code == "340100"
    assert rows["合肥擎远动力科技有限公司"].attrs["registered_capital"]["amount"] == 3e7


def test_listings_table_and_contacts(store, tmp_path):
    path = write_csv(
        tmp_path / "listings.csv",
        [["类型", "名称", "面积", "价格", "所在园区", "地区", "联系人", "电话"],
         ["标准厂房", "A栋", "5000㎡", "25元/㎡·月", "苏州工业园区", "苏州", "王先生", "13812345678"],
         ["工业用地", "B地块", "120亩", "30万元/亩", "", "合肥", "李女士", "0551-6512345"],
         ["别墅", "C", "300㎡", "", "", "深圳", "", ""],
         ["写字楼", "D座", "800㎡", "面议", "", "深圳南山区", "赵主任", "12345"]],
        encoding="utf-8",
    )  # fmt: skip
    report = import_file(store, "listings", path)
    assert (report.inserted, report.skipped) == (3, 1)
    assert any(p.column == "电话" and p.severity == "warning" for p in report.problems)
    with store.session() as s:
        rows = {r.title: r for r in s.scalars(select(ListingRow))}
    assert rows["A栋"].listing_type == "factory" and rows["A栋"].area_sqm == 5000
    assert rows["B地块"].area_unit == "亩" and rows["B地块"].contact_phone == "0551-6512345"
    assert rows["D座"].region_code == "440305" and rows["D座"].contact_phone is None
    assert _count(store, ListingRow) == 3


def test_imported_enterprise_joins_resolved_entity(filled, tmp_path):  # noqa: F811
    path = write_csv(
        tmp_path / "e.csv",
        [["企业名称", "统一社会信用代码", "注册资本"],
         ["深圳迈瑞生物医疗电子股份有限公司", CODE_MINDRAY, "12.1亿元"],
         ["深圳柏垠生物科技有限公司", CODE_A, "5000万元"]],
    )  # fmt: skip
    assert import_file(filled, "enterprises", path).inserted == 2
    run_resolve(filled)
    run_resolve(filled)  # a re-resolve keeps the imported records
    with filled.session() as s:
        [mindray] = kb.find_entities(s, "迈瑞")
        assert mindray.key == "company:code:300760"
        assert mindray.attrs["credit_code"] == CODE_MINDRAY
        assert mindray.mention_count > 0  # the extracted entity, enriched
        assert kb.find_entities(s, CODE_MINDRAY)[0].id == mindray.id
        [baiyin] = kb.find_entities(s, "深圳柏垠生物科技有限公司")
        assert baiyin.origin == "imported" and baiyin.region_code == "440300"
        assert baiyin.key == "company:440300:柏垠生物科技"
