"""Reading tabular files: CSV in whatever encoding Excel wrote it (often GBK), and .xlsx
read-only and streamed, row by row. Both yield the header row and then plain string cells
with their 1-based spreadsheet row numbers, so reports point at the row a user sees."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from chainatlas.text.encoding import decode

__all__ = ["Table", "TableError", "read_table"]


class TableError(ValueError):
    """The file cannot be read as a table; the message says why (in Chinese, for users)."""


@dataclass(slots=True)
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (spreadsheet row number, cells)
    encoding: str | None = None  # CSV only


def _cell(value) -> str:
    """Spreadsheet values as the text a user typed: 5000.0 → 5000, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _csv_table(path: Path) -> Table:
    data = path.read_bytes()
    try:
        decoded = decode(data)
    except ValueError as exc:
        raise TableError(f"不是文本表格：{exc}") from exc
    text = decoded.text.lstrip("\ufeff")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    row_no = 0
    headers: list[str] | None = None
    for cells in reader:
        row_no += 1
        if any(c.strip() for c in cells):
            headers = [c.strip() for c in cells]
            break
    if headers is None:
        raise TableError("文件为空：没有表头行")

    def rows() -> Iterator[tuple[int, list[str]]]:
        n = row_no
        for cells in reader:
            n += 1
            if any(c.strip() for c in cells):
                yield n, [c.strip() for c in cells]

    return Table(headers, rows(), decoded.encoding)


def _xlsx_table(path: Path, sheet: str | None) -> Table:
    try:
        from openpyxl import load_workbook
    except ImportError as exc:  # pragma: no cover - openpyxl is a declared dependency
        raise TableError("读取 .xlsx 需要 openpyxl") from exc
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise TableError(f"无法读取 Excel 文件：{exc}") from exc
    if sheet is not None and sheet not in wb.sheetnames:
        wb.close()
        raise TableError(f"工作表 {sheet!r} 不存在；可选：{', '.join(wb.sheetnames)}")
    ws = wb[sheet] if sheet is not None else wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    headers = None
    row_no = 0
    for values in it:
        row_no += 1
        cells = [_cell(v) for v in values]
        if any(cells):
            headers = cells
            break
    if headers is None:
        wb.close()
        raise TableError("工作表为空：没有表头行")

    def rows() -> Iterator[tuple[int, list[str]]]:
        n = row_no
        try:
            for values in it:
                n += 1
                cells = [_cell(v) for v in values]
                if any(cells):
                    yield n, cells
        finally:
            wb.close()

    return Table(headers, rows())


def read_table(path: str | Path, *, sheet: str | None = None) -> Table:
    """A CSV/TSV (any encoding) or .xlsx file as headers + rows; TableError if unreadable."""
    path = Path(path)
    if not path.is_file():
        raise TableError(f"文件不存在：{path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_table(path, sheet)
    if suffix == ".xls":
        raise TableError("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 CSV")
    return _csv_table(path)
