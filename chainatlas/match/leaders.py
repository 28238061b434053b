"""Sector leaders: a standing signal for the 招商 matcher (shipped, curated data).

The listed-company gazetteer has no size field, so dozens of firms filed under one Shenwan
code tie on everything the matcher can read. `data/match/leaders.tsv` names, for every
Shenwan level-3 code the chain templates use, the few firms that lead that industry in
order of standing, plus rows for one segment: where a code maps to several segments a firm
does not all lead (医疗设备 → imaging, life support, surgical robots), or to none it leads
(绿的谐波 makes harmonic reducers but is filed under 机器人). Each row says why (`basis`);
the matcher shows it as evidence. For firms whose full name carries no place the file also
gives the registered city, so a leader is not offered to its own region.

Pure lookups over a small table; the file is read once per process.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from chainatlas.chains.diagnose import Placement

__all__ = [
    "LEADERS_FILE",
    "LEADERS_SOURCE",
    "Leader",
    "LeaderTable",
    "Standing",
    "load_leaders",
]

LEADERS_FILE = Path(__file__).resolve().parents[1] / "data/match/leaders.tsv"
LEADERS_SOURCE = "产业链龙头名录"  # document_id of evidence read from the leaders file

# Standing of a firm on a segment. A leader of its own industry placed there by that code,
# or named for the segment, is a first-call target; a leader of some other industry still
# has the scale a 招商 team looks for, so it keeps part of the signal.
STANDING_ON_SEGMENT = 1.0
STANDING_ELSEWHERE = 0.3
# Rows of one group (a Shenwan code, or a segment) are ordered by standing; each later row
# stands a step lower, down to a floor, so the file's order breaks ties among leaders too.
STANDING_STEP = 0.1
STANDING_FLOOR = 0.6
# A segment with at least this many rows of its own is ordered by them; a leader of one of
# its codes that they do not name stands at STANDING_UNLISTED (below the floor of the list).
SEGMENT_LIST_MIN = 3
STANDING_UNLISTED = 0.5
# Confidence of a placement the file alone gives (a firm named for a segment its code does
# not reach): as sure as a firm's own code, the file being curated for exactly this.
CURATED_CONFIDENCE = 0.95


@dataclass(frozen=True, slots=True)
class Leader:
    code: str  # stock code, 6 digits
    name: str  # short name as the gazetteer spells it
    shenwan_code: str  # the industry the gazetteer files it under
    segment: str = ""  # "chain/segment" it leads; "" = every segment of its own industry
    basis: str = ""  # 行业龙头, 谐波减速器龙头 …
    rank: int = 1  # order within its group (same segment, or same code with no segment)
    home_code: str = ""  # registered city when the full name does not carry it
    home: str = ""  # its name, 广东省佛山市

    @property
    def value(self) -> float:
        return max(STANDING_FLOOR, STANDING_ON_SEGMENT - STANDING_STEP * (self.rank - 1))

    def explanation(self) -> str:
        where = f"（{self.segment}）" if self.segment else f"（申万 {self.shenwan_code}）"
        return f"{self.name}：{self.basis}{where}"


@dataclass(frozen=True, slots=True)
class Standing:
    value: float  # 0..1
    leader: Leader | None = None


_NONE = Standing(0.0)


class LeaderTable:
    """Lookups by stock code and by segment key (``chain/segment``)."""

    def __init__(self, rows: Iterable[Leader]) -> None:
        self.rows = tuple(rows)
        # A row's rank is its position within its group in the order given (file order).
        seen: dict[str, int] = {}
        ranked = []
        for r in self.rows:
            group = r.segment or r.shenwan_code
            seen[group] = seen.get(group, 0) + 1
            ranked.append(replace(r, rank=seen[group]))
        self.rows = tuple(ranked)
        self.by_code: dict[str, tuple[Leader, ...]] = {}
        self.by_segment: dict[str, tuple[Leader, ...]] = {}
        for r in self.rows:
            self.by_code[r.code] = (*self.by_code.get(r.code, ()), r)
            if r.segment:
                self.by_segment[r.segment] = (*self.by_segment.get(r.segment, ()), r)

    def __len__(self) -> int:
        return len(self.rows)

    def standing(
        self, stock_code: str | None, key: str, placements: Iterable[Placement], *, code_only: bool
    ) -> Standing:
        """How strongly the firm with `stock_code` leads on segment `key`.

        A row for its own industry counts on `key` when the firm sits there by that code:
        a code-only candidate, or a placement whose evidence is the code (“630701 锂电池”).
        A firm the store places on `key` by text, and that leads another industry, gets
        the smaller share (比亚迪 leads car making, not wiring harnesses)."""
        rows = self.by_code.get((stock_code or "")[:6], ())
        if not rows:
            return _NONE
        chain_id, _, segment_id = key.partition("/")
        by_code = {
            p.evidence.split(" ", 1)[0]
            for p in placements
            if p.chain_id == chain_id and p.segment_id == segment_id
        }
        here = [
            r
            for r in rows
            if r.segment == key or (not r.segment and (code_only or r.shenwan_code in by_code))
        ]
        if here:
            best = max(here, key=lambda r: self._value_on(r, key))
            return Standing(self._value_on(best, key), best)
        return Standing(STANDING_ELSEWHERE, rows[0])

    def _value_on(self, row: Leader, key: str) -> float:
        # Where the file orders the segment itself (several of its codes lead in parallel:
        # 中鼎 leads 其他汽车零部件, 赛轮 tyres), that order decides: a code leader it does not
        # name stands below every firm it does.
        if row.segment or len(self.by_segment.get(key, ())) < SEGMENT_LIST_MIN:
            return row.value
        return min(row.value, STANDING_UNLISTED)

    def home(self, stock_code: str | None) -> tuple[frozenset[str], str]:
        """(region codes with their ancestors, full name) of the firm's registered city,
        or (empty, "") when the file does not give it."""
        for r in self.by_code.get((stock_code or "")[:6], ()):
            if r.home_code:
                return _ancestry(r.home_code), r.home
        return frozenset(), ""

    def curated_placements(self, stock_code: str | None, chain_id: str) -> tuple[Placement, ...]:
        """Placements the file names for this firm on `chain_id` (beyond its code)."""
        return tuple(
            Placement(
                chain_id,
                r.segment.partition("/")[2],
                CURATED_CONFIDENCE,
                f"{LEADERS_SOURCE}：{r.basis}",
            )
            for r in self.by_code.get((stock_code or "")[:6], ())
            if r.segment.partition("/")[0] == chain_id
        )


def _ancestry(code: str) -> frozenset[str]:
    """An admin code with its prefecture and province (GB/T 2260 digits): 440604 ->
    {440604, 440600, 440000}. tests/match/test_invest_leaders.py checks it against the
    region gazetteer's roll-up for every home in the file."""
    return frozenset({code, code[:4] + "00", code[:2] + "0000"})


def read_leaders(path: Path) -> LeaderTable:
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return LeaderTable(
        Leader(
            r["code"],
            r["name"],
            r["shenwan_code"],
            r["segment"] or "",
            r["basis"] or "",
            home_code=r.get("home_code") or "",
            home=r.get("home") or "",
        )
        for r in csv.DictReader(lines, delimiter="\t")
    )


@lru_cache(maxsize=1)
def load_leaders() -> LeaderTable:
    """The shipped table (data/match/leaders.tsv)."""
    return read_leaders(LEADERS_FILE)
