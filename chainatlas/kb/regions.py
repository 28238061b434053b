"""Chinese administrative divisions (province / city / county) with 6-digit codes.

The table ships as `chainatlas/data/regions/admin_divisions.tsv`, built by
`scripts/build_regions.py` (see `chainatlas/data/regions/README.md` for its origin).
This module only reads it; recognising regions in running text lives in
`chainatlas.extract.regions`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

__all__ = ["LEVELS", "Region", "RegionGazetteer"]

LEVELS = ("province", "city", "county")


@dataclass(frozen=True, slots=True)
class Region:
    code: str  # 6-digit admin code, e.g. 440300
    name: str  # official name, e.g. 深圳市
    full_name: str  # name with its ancestors, e.g. 广东省深圳市
    level: str  # province | city | county
    parent: str | None  # code of the direct parent (a province for municipal districts)
    province: str  # code of the province-level unit (itself for a province)
    lat: float | None
    lon: float | None
    aliases: tuple[str, ...] = ()  # short forms such as 深圳, 内蒙古, 黄埔

    @property
    def rank(self) -> int:
        """0 for a province, 1 for a city, 2 for a county: smaller is broader."""
        return LEVELS.index(self.level)


def _default_path() -> Path:
    return Path(str(resources.files("chainatlas").joinpath("data/regions/admin_divisions.tsv")))


def _float_or_none(value: str) -> float | None:
    return float(value) if value else None


class RegionGazetteer:
    """Lookup by code and by name (official name, short form, or full name)."""

    def __init__(self, regions: list[Region]):
        self._by_code = {r.code: r for r in regions}
        self._by_name: dict[str, list[Region]] = {}
        for r in regions:
            for key in dict.fromkeys((r.name, r.full_name, *r.aliases)):
                self._by_name.setdefault(key, []).append(r)
        for hits in self._by_name.values():
            hits.sort(key=lambda r: (r.rank, r.code))

    @classmethod
    def load(cls, path: Path | None = None) -> RegionGazetteer:
        """The shipped table (cached: one instance per process) or a table at `path`."""
        if path is None:
            return _load_default()
        return cls(list(_read_tsv(path)))

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Region]:
        return iter(self._by_code.values())

    def by_code(self, code: str) -> Region:
        """The unit with this 6-digit code (a 12-digit code is truncated); KeyError if unknown."""
        code = str(code).strip()
        if len(code) == 12 and code.isdigit():
            code = code[:6]
        return self._by_code[code]

    def get(self, code: str) -> Region | None:
        try:
            return self.by_code(code)
        except KeyError:
            return None

    def lookup(self, name: str) -> list[Region]:
        """Every unit called `name`, broadest level first (吉林 → 吉林省, 吉林市)."""
        return list(self._by_name.get(name.strip(), ()))

    def names(self) -> dict[str, list[Region]]:
        """Name → units, for matchers that compile their own index (do not mutate)."""
        return self._by_name

    def ancestors(self, code: str) -> list[Region]:
        """Parents of `code`, nearest first, excluding the unit itself."""
        out: list[Region] = []
        parent = self.by_code(code).parent
        while parent:
            region = self._by_code[parent]
            out.append(region)
            parent = region.parent
        return out

    def rollup(self, code: str) -> list[Region]:
        """The unit and its ancestors, most specific first: [county, city, province]."""
        return [self.by_code(code), *self.ancestors(code)]

    def is_within(self, code: str, ancestor: str) -> bool:
        """True when `code` is `ancestor` or lies inside it."""
        return any(r.code == ancestor for r in self.rollup(code))


def _read_tsv(path: Path) -> Iterator[Region]:
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            yield Region(
                code=row["code"],
                name=row["name"],
                full_name=row["full_name"],
                level=row["level"],
                parent=row["parent"] or None,
                province=row["province"],
                lat=_float_or_none(row["lat"]),
                lon=_float_or_none(row["lon"]),
                aliases=tuple(a for a in row["aliases"].split("|") if a),
            )


@cache
def _load_default() -> RegionGazetteer:
    return RegionGazetteer(list(_read_tsv(_default_path())))
