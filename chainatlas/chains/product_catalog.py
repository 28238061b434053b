"""The curated product catalogue: product terms placed on chain segments by analysts.

`data/chains/products.tsv` gives, for every distinct product term in the listed-company
product table (`data/companies/main_products.tsv`), the segment a maker of that product
sits on, plus up to two further acceptable segments, or ``-`` when no chain segment fits
(住宅开发, 银行). Labelled by hand, term by term, with the chain templates as the label
vocabulary (provenance in `data/chains/README.md`).

The classifier reads it two ways: a listed firm's product list is looked up term by term
(an exact, curated reading that outranks keyword matches inside the terms), and the terms
join the keyword index as typical products, so a sentence that names 排水泵 or 金刚石线
finds its segment even when no template lists the word.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = [
    "PRODUCTS_FILE",
    "VOCABULARY_FILE",
    "ProductLabel",
    "ProductTableError",
    "load_product_labels",
    "read_product_list",
    "shipped_product_labels",
    "shipped_vocabulary",
    "split_products",
]

PRODUCTS_FILE = Path(__file__).resolve().parents[1] / "data" / "chains" / "products.tsv"
# Everyday trade words per segment, same columns (`primary` = the segment, `alts` = a
# second home); read only as index terms, never as a firm's product list.
VOCABULARY_FILE = PRODUCTS_FILE.with_name("vocabulary.tsv")

# The separators the product table uses between products.
_SPLIT = re.compile(r"[、，,；;/]")
# A firm's first product is usually its main one; later ones say less.
_POSITION_WEIGHTS = (1.0, 0.55, 0.45, 0.4, 0.35)

SegmentKey = tuple[str, str]  # (chain_id, segment_id)


class ProductTableError(ValueError):
    """A malformed row in a product table, with file and line."""


@dataclass(frozen=True, slots=True)
class ProductLabel:
    term: str
    primary: SegmentKey | None  # None: the product sits on no chain segment
    alts: tuple[SegmentKey, ...] = ()
    unsure: bool = False
    # A category word (电池, 汽车零部件, 医疗器械): it places a listed firm whose product
    # list says only that, but in a sentence it names a field, not what a firm makes.
    category: bool = False


def split_products(products: str) -> list[str]:
    """主营产品 text → its terms, in order (、 and the other list separators)."""
    return [t.strip() for t in _SPLIT.split(products or "") if t.strip()]


def _key(value: str, where: str) -> SegmentKey:
    chain_id, sep, segment_id = value.strip().partition("/")
    if not sep or not chain_id or not segment_id:
        raise ProductTableError(f"{where}: expected chain_id/segment_id, got {value!r}")
    return chain_id, segment_id


def load_product_labels(path: Path) -> dict[str, ProductLabel]:
    """Term (as written) → label. Raises ProductTableError on a malformed row."""
    out: dict[str, ProductLabel] = {}
    with Path(path).open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if not line.startswith("#"))
        reader = csv.DictReader(lines, delimiter="\t")
        missing = {"term", "primary"} - set(reader.fieldnames or ())
        if missing:
            raise ProductTableError(f"{path}: missing column(s) {sorted(missing)}")
        for n, row in enumerate(reader, 2):
            where = f"{path}:{n}"
            term = (row.get("term") or "").strip()
            primary = (row.get("primary") or "").strip()
            if not term or not primary:
                raise ProductTableError(f"{where}: term and primary are required")
            alts = tuple(_key(a, where) for a in (row.get("alts") or "").split(";") if a.strip())
            note = (row.get("note") or "").strip().lower()
            out[term] = ProductLabel(
                term=term,
                primary=None if primary == "-" else _key(primary, where),
                alts=alts,
                unsure=note.startswith("unsure"),
                category=note.startswith("category"),
            )
    return out


@lru_cache(maxsize=1)
def shipped_product_labels() -> Mapping[str, ProductLabel]:
    """The shipped table; empty when a trimmed install lacks it."""
    if not PRODUCTS_FILE.is_file():  # pragma: no cover - shipped data
        return {}
    return load_product_labels(PRODUCTS_FILE)


@lru_cache(maxsize=1)
def shipped_vocabulary() -> Mapping[str, ProductLabel]:
    """The shipped segment vocabulary; empty when a trimmed install lacks it."""
    if not VOCABULARY_FILE.is_file():  # pragma: no cover - shipped data
        return {}
    return load_product_labels(VOCABULARY_FILE)


def read_product_list(
    products: str, labels: Mapping[str, ProductLabel]
) -> list[tuple[ProductLabel, float]]:
    """The labelled terms of a product list with their positional weight (first product
    counts most). Terms the table lacks are left to the keyword reading."""
    out: list[tuple[ProductLabel, float]] = []
    for i, term in enumerate(split_products(products)):
        label = labels.get(term)
        if label is not None:
            out.append((label, _POSITION_WEIGHTS[min(i, len(_POSITION_WEIGHTS) - 1)]))
    return out
