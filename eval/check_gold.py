"""Validate eval/facts_gold.jsonl, the hand-written gold set for fact extraction.

Standard library only, so it runs before the package is installed:

    python eval/check_gold.py [eval/facts_gold.jsonl]

Exit status 0 when every line is valid; the per-kind counts are printed either way.
The rules mirror the annotation guidelines in eval/README.md.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import Path

__all__ = [
    "DEFAULT_PATH",
    "ROLES",
    "check_file",
    "check_record",
    "count_kinds",
    "main",
    "parse_amount",
]

DEFAULT_PATH = Path(__file__).with_name("facts_gold.jsonl")

# Exact key set per fact kind (besides "kind").
ROLES: dict[str, tuple[str, ...]] = {
    "holds_position": ("person", "position", "org"),
    "investment_project": ("investor", "project", "amount_cny", "amount_text", "stage", "place"),
    "financing": ("company", "round", "amount_cny", "amount_text", "investors"),
    "launch": ("company", "product", "first", "date_text"),
    "milestone": ("subject", "event", "date_text", "expected"),
    "indicator": ("subject", "metric", "value", "unit", "year", "qualifier", "target"),
    "count": ("subject", "category", "number", "qualifier"),
    "located_in": ("subject", "place"),
}

# Roles that must be non-null.
REQUIRED: dict[str, tuple[str, ...]] = {
    "holds_position": ("person", "position"),
    "investment_project": ("stage",),
    "financing": ("company",),
    "launch": ("product",),
    "milestone": ("subject", "event", "expected"),
    "indicator": ("subject", "metric", "value", "unit", "target"),
    "count": ("subject", "category", "number"),
    "located_in": ("subject", "place"),
}

# String roles whose value must occur verbatim in the text, so a scorer can find the span.
# Labels (stage, metric, unit, event) are normalised vocabulary and exempt.
VERBATIM: dict[str, tuple[str, ...]] = {
    "holds_position": ("person", "position", "org"),
    "investment_project": ("investor", "project", "amount_text", "place"),
    "financing": ("company", "round", "amount_text"),
    "launch": ("company", "product", "first", "date_text"),
    "milestone": ("subject", "date_text"),
    "indicator": ("subject", "qualifier"),
    "count": ("subject", "category", "qualifier"),
    "located_in": ("subject", "place"),
}

STAGES = frozenset({"签约", "落户", "开工", "投产", "竣工", "达产", "在谈"})

MONEY_METRICS = frozenset(
    {
        "营业收入",
        "产值",
        "增加值",
        "产业规模",
        "研发投入",
        "出口额",
        "净利润",
        "税收",
        "地区生产总值",
    }
)
QUANTITY_METRICS = frozenset({"研发人员", "员工", "产能", "产量", "销量", "出货量", "出口量"})
RATIO_METRICS = frozenset({"市场占有率", "研发投入占比", "出口占比"})
GROWTH_SUFFIX = "增速"  # "<base metric>增速" is a year-on-year growth rate in %
UNITS = frozenset({"元", "名", "辆", "台", "套", "条", "片", "吨", "%", "GWh", "家", "个"})

TEXT_MIN, TEXT_MAX = 250, 900
FACTS_MIN, FACTS_MAX = 3, 10
TOP_KEYS = ("id", "title", "published", "site", "text", "facts")

# Folding for amount parsing only: full-width ASCII and the Traditional forms we use.
_TRAD = str.maketrans({"億": "亿", "萬": "万", "約": "约", "餘": "余", "兩": "两", "過": "过"})
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = (("万亿", 10**12), ("亿", 10**8), ("万", 10**4))
_QUALIFIER_PREFIX = re.compile(r"^(人民币|总投资|约|超过|超|近|逾|达到|达|突破|将近)+")
_QUALIFIER_SUFFIX = re.compile(r"(以上|左右|余|多)$")
_VAGUE = re.compile(r"^(数|几|上|若干)")


def _fold(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        out.append(chr(code - 0xFEE0) if 0xFF01 <= code <= 0xFF5E else ch)
    return "".join(out).translate(_TRAD)


def _chinese_int(text: str) -> int | None:
    """Value of a Chinese numeral below 10^4 (e.g. 二十五, 八千, 十二); None if not one."""
    if not text or any(ch not in _DIGITS and ch not in _SMALL_UNITS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
    return total + (digit or 0)


def _number(text: str) -> float | None:
    if not text:
        return 1.0  # "近亿元": the multiplier alone
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    value = _chinese_int(text)
    return None if value is None else float(value)


def parse_amount(text: str) -> float | None:
    """Yuan value of an amount as written (约30亿元, 五十亿元, ３０亿元, 8000萬元);
    None for vague amounts (数千万元) or anything unparseable."""
    body = _fold(text).replace(",", "").strip()
    body = _QUALIFIER_PREFIX.sub("", body)
    if not body.endswith("元"):
        return None
    body = _QUALIFIER_SUFFIX.sub("", body[:-1])
    if _VAGUE.match(body):
        return None
    multiplier = 1
    for suffix, factor in _BIG_UNITS:
        if body.endswith(suffix):
            body, multiplier = body[: -len(suffix)], factor
            break
    for suffix, factor in (("千", 1000), ("百", 100)):
        # 八千万: the small unit belongs to the numeral only when nothing follows it;
        # a bare leading 千/百 before 万 (千万元) means 10^3·10^4.
        if body == suffix:
            body, multiplier = "", multiplier * factor
    number = _number(body)
    return None if number is None else number * multiplier


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_fact(fact: object, text: str, where: str) -> list[str]:
    if not isinstance(fact, dict):
        return [f"{where}: fact is not an object"]
    kind = fact.get("kind")
    if kind not in ROLES:
        return [f"{where}: unknown kind {kind!r}"]
    errors: list[str] = []
    keys = set(fact) - {"kind"}
    expected = set(ROLES[kind])
    if keys != expected:
        missing, extra = sorted(expected - keys), sorted(keys - expected)
        errors.append(f"{where} {kind}: missing {missing} extra {extra}")
        return errors
    for role in REQUIRED[kind]:
        if fact[role] is None or fact[role] == "" or fact[role] == []:
            errors.append(f"{where} {kind}: required role {role!r} is empty")
    for role in VERBATIM[kind]:
        value = fact[role]
        if value is None:
            continue
        if not isinstance(value, str) or not value:
            errors.append(f"{where} {kind}: {role} must be a non-empty string or null")
        elif value not in text:
            errors.append(f"{where} {kind}: {role}={value!r} does not occur in the text")
    errors.extend(_check_kind(kind, fact, text, where))
    return errors


def _check_amount(fact: dict, where: str) -> list[str]:
    amount, amount_text = fact["amount_cny"], fact["amount_text"]
    if amount is not None and not _is_number(amount):
        return [f"{where}: amount_cny must be a number or null"]
    if amount_text is None:
        return [] if amount is None else [f"{where}: amount_cny without amount_text"]
    parsed = parse_amount(amount_text)
    if parsed is None and amount is not None:
        return [f"{where}: {amount_text!r} is vague/unparseable but amount_cny={amount}"]
    if parsed is not None and (amount is None or abs(parsed - amount) > 1e-6 * parsed):
        return [f"{where}: amount_cny={amount} but {amount_text!r} reads as {parsed:g}"]
    return []


def _check_kind(kind: str, fact: dict, text: str, where: str) -> list[str]:
    where = f"{where} {kind}"
    errors: list[str] = []
    if kind == "investment_project":
        if fact["stage"] not in STAGES:
            errors.append(f"{where}: stage {fact['stage']!r} not in {sorted(STAGES)}")
        if fact["investor"] is None and fact["project"] is None and fact["amount_text"] is None:
            errors.append(f"{where}: needs at least an investor, a project or an amount")
        errors.extend(_check_amount(fact, where))
    elif kind == "financing":
        errors.extend(_check_amount(fact, where))
        investors = fact["investors"]
        if not isinstance(investors, list):
            errors.append(f"{where}: investors must be a list")
        else:
            for name in investors:
                if not isinstance(name, str) or name not in text:
                    errors.append(f"{where}: investor {name!r} does not occur in the text")
    elif kind == "milestone":
        if not isinstance(fact["expected"], bool):
            errors.append(f"{where}: expected must be true/false")
    elif kind == "indicator":
        errors.extend(_check_indicator(fact, where))
    elif kind == "count":
        number = fact["number"]
        if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
            errors.append(f"{where}: number must be a positive integer")
    return errors


def _check_indicator(fact: dict, where: str) -> list[str]:
    errors: list[str] = []
    metric, unit, year = fact["metric"], fact["unit"], fact["year"]
    if not _is_number(fact["value"]):
        errors.append(f"{where}: value must be a number")
    if unit not in UNITS:
        errors.append(f"{where}: unit {unit!r} not in {sorted(UNITS)}")
    if not isinstance(fact["target"], bool):
        errors.append(f"{where}: target must be true/false")
    if year is not None and (not isinstance(year, int) or not 1990 <= year <= 2040):
        errors.append(f"{where}: year must be an integer year or null")
    base = metric.removesuffix(GROWTH_SUFFIX) if isinstance(metric, str) else None
    if metric in MONEY_METRICS:
        wanted = "元"
    elif metric in RATIO_METRICS or (base != metric and base in MONEY_METRICS | QUANTITY_METRICS):
        wanted = "%"
    elif metric in QUANTITY_METRICS:
        wanted = None  # any count unit
    else:
        return [*errors, f"{where}: metric {metric!r} is not in the guideline vocabulary"]
    if wanted is not None and unit != wanted:
        errors.append(f"{where}: metric {metric!r} needs unit {wanted!r}, got {unit!r}")
    if wanted is None and unit in {"元", "%"}:
        errors.append(f"{where}: metric {metric!r} is a quantity, not {unit!r}")
    return errors


def check_record(record: object, line_no: int = 0) -> list[str]:
    """Every problem found in one parsed line (empty list = valid)."""
    where = f"line {line_no}"
    if not isinstance(record, dict):
        return [f"{where}: not a JSON object"]
    if tuple(sorted(record)) != tuple(sorted(TOP_KEYS)):
        return [f"{where}: keys must be exactly {list(TOP_KEYS)}, got {sorted(record)}"]
    where = f"line {line_no} ({record['id']})"
    errors: list[str] = []
    for key in ("id", "title", "site", "text"):
        if not isinstance(record[key], str) or not record[key].strip():
            errors.append(f"{where}: {key} must be a non-empty string")
    if errors:
        return errors
    if not re.fullmatch(r"g\d{3}", record["id"]):
        errors.append(f"{where}: id must look like g001")
    try:
        date.fromisoformat(record["published"])
    except (TypeError, ValueError):
        errors.append(f"{where}: published must be an ISO date (YYYY-MM-DD)")
    text = record["text"]
    if not TEXT_MIN <= len(text) <= TEXT_MAX:
        errors.append(f"{where}: text has {len(text)} characters, want {TEXT_MIN}-{TEXT_MAX}")
    if re.search(r"(?<!\n)\n(?!\n)", text) or "\n\n\n" in text or text != text.strip():
        errors.append(f"{where}: paragraphs must be separated by exactly one blank line")
    facts = record["facts"]
    if not isinstance(facts, list) or not FACTS_MIN <= len(facts) <= FACTS_MAX:
        return [*errors, f"{where}: facts must be a list of {FACTS_MIN}-{FACTS_MAX} facts"]
    seen: set[str] = set()
    for i, fact in enumerate(facts):
        errors.extend(_check_fact(fact, text, f"{where} fact {i}"))
        key = json.dumps(fact, ensure_ascii=False, sort_keys=True)
        if key in seen:
            errors.append(f"{where} fact {i}: duplicate fact")
        seen.add(key)
    return errors


def _records(lines: Iterable[str]) -> Iterable[tuple[int, object | None, str | None]]:
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield line_no, json.loads(line), None
        except json.JSONDecodeError as exc:
            yield line_no, None, f"line {line_no}: invalid JSON ({exc})"


def check_file(path: str | Path = DEFAULT_PATH) -> tuple[list[str], list[dict]]:
    """(errors, records) for a gold file; records holds every line that parsed."""
    errors: list[str] = []
    records: list[dict] = []
    ids: Counter[str] = Counter()
    with open(path, encoding="utf-8") as f:
        for line_no, record, problem in _records(f):
            if problem is not None:
                errors.append(problem)
                continue
            errors.extend(check_record(record, line_no))
            if isinstance(record, dict):
                records.append(record)
                ids[str(record.get("id"))] += 1
    errors.extend(f"id {i} occurs {n} times" for i, n in sorted(ids.items()) if n > 1)
    return errors, records


def count_kinds(records: Iterable[dict]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for record in records:
        for fact in record.get("facts") or []:
            if isinstance(fact, dict):
                counts[str(fact.get("kind"))] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_PATH
    errors, records = check_file(path)
    for error in errors:
        print(error, file=sys.stderr)
    counts = count_kinds(records)
    print(f"{path}: {len(records)} articles, {sum(counts.values())} facts")
    for kind in ROLES:
        print(f"  {kind:<20} {counts.get(kind, 0)}")
    print("OK" if not errors else f"{len(errors)} problem(s)")
    return 0 if not errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
