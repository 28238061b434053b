"""Industry-chain templates: typed records, loading and validation.

Chains are data, not code: one TOML file per chain under ``chainatlas/data/chains``
(schema in that folder's README). Users add or override chains by passing extra files
or directories to :func:`load_chains`; a user chain with a shipped chain's id replaces
it whole, so nobody has to reason about merged segment lists.

Shipped files are validated strictly (they are our promise to users); user files get
the same checks for anything that would break downstream code, but only warnings for
matters of completeness (few segments, a stage with no segment).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = [
    "MIN_SEGMENTS",
    "Chain",
    "ChainCatalog",
    "ChainTemplateError",
    "ChainTemplateWarning",
    "InnovationStage",
    "Segment",
    "ShenwanRef",
    "ShenwanTree",
    "Stage",
    "load_chains",
    "load_innovation_chain",
    "load_shenwan",
    "parse_chain",
]

# A chain with fewer links is too coarse for the per-segment region diagnosis
# (strong/present/weak/missing) to say anything a bureau can act on.
MIN_SEGMENTS = 8

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SHENWAN_CODE = re.compile(r"^\d{6}$")

_CHAIN_KEYS = {"id", "name", "aliases", "description", "tags", "segments"}
_CHAIN_REQUIRED = {"id", "name", "description", "segments"}
_SEGMENT_KEYS = {
    "id",
    "name",
    "stage",
    "order",
    "keywords",
    "products",
    "shenwan",
    "innovation",
    "description",
    "core",
}
_SEGMENT_REQUIRED = {"id", "name", "stage", "order", "keywords"}
_SHENWAN_KEYS = {"code", "name", "primary"}
_INNOVATION_KEYS = {"id", "name", "order", "description", "keywords"}


class ChainTemplateError(ValueError):
    """A chain or innovation-chain file is malformed; the message names file and field."""

    def __init__(self, source: str, field: str, problem: str) -> None:
        self.source = source
        self.field = field
        self.problem = problem
        where = f"{source}: {field}" if field else source
        super().__init__(f"{where}: {problem}")


class ChainTemplateWarning(UserWarning):
    """A user chain file is usable but incomplete."""


class Stage(StrEnum):
    UPSTREAM = "upstream"
    MIDSTREAM = "midstream"
    DOWNSTREAM = "downstream"

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self]

    @property
    def rank(self) -> int:
        return list(Stage).index(self)

    @classmethod
    def parse(cls, value: str) -> Stage:
        """Accept the English value or the Chinese label (上游/中游/下游)."""
        text = value.strip()
        for stage in cls:
            if text.lower() == stage.value or text == stage.label:
                return stage
        raise ValueError(value)


_STAGE_LABELS = {Stage.UPSTREAM: "上游", Stage.MIDSTREAM: "中游", Stage.DOWNSTREAM: "下游"}


@dataclass(frozen=True, slots=True)
class ShenwanRef:
    code: str
    name: str
    # The segment where the typical company filed under this code sits, when the code
    # maps several segments (370503 医疗耗材: gloves and dressings far outnumber stents).
    # Lets a classifier with nothing but the code pick one; see the chains README.
    primary: bool = False


@dataclass(frozen=True, slots=True)
class Segment:
    chain_id: str
    id: str
    name: str
    stage: Stage
    order: int
    keywords: tuple[str, ...]
    products: tuple[str, ...] = ()
    shenwan: tuple[ShenwanRef, ...] = ()
    innovation: tuple[str, ...] = ()
    description: str = ""
    # The segment that makes the chain's namesake product (新能源汽车 → 整车制造): where a
    # company known only as "a 新能源汽车 company" most likely sits. At most one per chain.
    core: bool = False

    @property
    def key(self) -> str:
        """Globally unique key, e.g. ``nev/power-battery``."""
        return f"{self.chain_id}/{self.id}"


@dataclass(frozen=True, slots=True)
class Chain:
    id: str
    name: str
    description: str
    segments: tuple[Segment, ...]
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source: str = ""

    def segment(self, segment_id: str) -> Segment:
        for seg in self.segments:
            if seg.id == segment_id:
                return seg
        raise KeyError(f"chain {self.id!r} has no segment {segment_id!r}")

    def in_stage(self, stage: Stage) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.stage is stage)

    @property
    def stages(self) -> frozenset[Stage]:
        return frozenset(s.stage for s in self.segments)


@dataclass(frozen=True, slots=True)
class InnovationStage:
    id: str
    name: str
    order: int
    keywords: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class ShenwanTree:
    """The Shenwan 2021 industry tree: code -> name, code -> parent code."""

    names: Mapping[str, str]
    parents: Mapping[str, str]

    def __contains__(self, code: object) -> bool:
        return code in self.names

    def __len__(self) -> int:
        return len(self.names)

    def ancestors(self, code: str) -> list[str]:
        """Parent, grandparent, ... of ``code`` (nearest first)."""
        out: list[str] = []
        current = self.parents.get(code, "")
        while current and current not in out:
            out.append(current)
            current = self.parents.get(current, "")
        return out


# --------------------------------------------------------------------------- loading


def _data_root() -> Any:
    return resources.files("chainatlas").joinpath("data")


def load_shenwan(path: Path | None = None) -> ShenwanTree:
    """Read the shipped Shenwan 2021 tree (or a TSV with the same columns)."""
    text = (
        path.read_text(encoding="utf-8")
        if path is not None
        else _data_root().joinpath("shenwan_2021.tsv").read_text(encoding="utf-8")
    )
    names: dict[str, str] = {}
    parents: dict[str, str] = {}
    for line in text.splitlines()[1:]:  # first line is the header
        if not line.strip():
            continue
        code, name, parent = [*line.split("\t"), "", ""][:3]
        names[code] = name
        if parent:
            parents[code] = parent
    return ShenwanTree(names=names, parents=parents)


def _read_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ChainTemplateError(source, "", f"not valid TOML ({exc})") from exc


def load_innovation_chain(path: Path | None = None) -> tuple[InnovationStage, ...]:
    """Read the innovation chain (基础研究 → 技术攻关 → 成果产业化 → 科技金融)."""
    if path is None:
        source = "innovation_chain.toml"
        text = _data_root().joinpath("innovation_chain.toml").read_text(encoding="utf-8")
    else:
        source, text = str(path), path.read_text(encoding="utf-8")
    data = _read_toml(text, source)
    _reject_unknown(data, {"stages"}, source, "")
    raw = data.get("stages")
    if not isinstance(raw, list) or not raw:
        raise ChainTemplateError(source, "stages", "must be a non-empty array of tables")
    stages: list[InnovationStage] = []
    for i, item in enumerate(raw):
        where = f"stages[{i}]"
        if not isinstance(item, dict):
            raise ChainTemplateError(source, where, "must be a table")
        _reject_unknown(item, _INNOVATION_KEYS, source, where)
        stages.append(
            InnovationStage(
                id=_slug(item, "id", source, where),
                name=_text(item, "name", source, where),
                order=_order(item, source, where),
                keywords=_keywords(item, source, where),
                description=_text(item, "description", source, where, required=False),
            )
        )
    _unique([s.id for s in stages], source, "stages", "id")
    _unique([s.order for s in stages], source, "stages", "order")
    return tuple(sorted(stages, key=lambda s: s.order))


# --------------------------------------------------------------------------- validation


def _reject_unknown(data: Mapping[str, Any], allowed: set[str], source: str, where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ChainTemplateError(
            source,
            where or "(top level)",
            f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}",
        )


def _field(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _text(data: Mapping[str, Any], key: str, source: str, where: str, required: bool = True) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise ChainTemplateError(source, _field(where, key), "must be a non-empty string")
    return value.strip()


def _slug(data: Mapping[str, Any], key: str, source: str, where: str) -> str:
    value = _text(data, key, source, where)
    if not _SLUG.match(value):
        raise ChainTemplateError(
            source, _field(where, key), f"{value!r} is not an ASCII slug (a-z, 0-9, '-')"
        )
    return value


def _order(data: Mapping[str, Any], source: str, where: str) -> int:
    value = data.get("order")
    # bool is an int subclass; `order = true` is a typo, not an order.
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ChainTemplateError(source, _field(where, "order"), "must be an integer >= 1")
    return value


def _strings(
    data: Mapping[str, Any], key: str, source: str, where: str, *, non_empty: bool
) -> tuple[str, ...]:
    value = data.get(key, [])
    name = _field(where, key)
    if not isinstance(value, list):
        raise ChainTemplateError(source, name, "must be a list of strings")
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise ChainTemplateError(source, f"{name}[{i}]", "must be a non-empty string")
        out.append(item.strip())
    if non_empty and not out:
        raise ChainTemplateError(source, name, "must not be empty")
    dupes = sorted({x for x in out if out.count(x) > 1})
    if dupes:
        raise ChainTemplateError(source, name, f"duplicate entries: {', '.join(dupes)}")
    return tuple(out)


def _keywords(data: Mapping[str, Any], source: str, where: str) -> tuple[str, ...]:
    if "keywords" not in data:
        raise ChainTemplateError(source, _field(where, "keywords"), "is required")
    return _strings(data, "keywords", source, where, non_empty=True)


def _unique(values: list[Any], source: str, where: str, key: str) -> None:
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise ChainTemplateError(source, f"{where}.{key}", f"duplicate {key} {value!r}")
        seen.add(value)


def _shenwan_refs(
    data: Mapping[str, Any], source: str, where: str, tree: ShenwanTree | None
) -> tuple[ShenwanRef, ...]:
    raw = data.get("shenwan", [])
    name = _field(where, "shenwan")
    if not isinstance(raw, list):
        raise ChainTemplateError(source, name, "must be an array of {code, name} tables")
    refs: list[ShenwanRef] = []
    for i, item in enumerate(raw):
        at = f"{name}[{i}]"
        if not isinstance(item, dict):
            raise ChainTemplateError(
                source, at, 'must be a table like {code = "370502", name = "医疗设备"}'
            )
        _reject_unknown(item, _SHENWAN_KEYS, source, at)
        code = item.get("code")
        if not isinstance(code, str) or not _SHENWAN_CODE.match(code):
            raise ChainTemplateError(
                source,
                f"{at}.code",
                f"{code!r} is not a 6-digit Shenwan code (write it as a string)",
            )
        label = _text(item, "name", source, at)
        if tree is not None:
            if code not in tree:
                raise ChainTemplateError(
                    source, f"{at}.code", f"{code} is not in the Shenwan 2021 tree"
                )
            if tree.names[code] != label:
                raise ChainTemplateError(
                    source,
                    f"{at}.name",
                    f"{label!r} does not match Shenwan 2021 name {tree.names[code]!r} for {code}",
                )
        primary = item.get("primary", False)
        if not isinstance(primary, bool):
            raise ChainTemplateError(source, f"{at}.primary", "must be true or false")
        refs.append(ShenwanRef(code=code, name=label, primary=primary))
    _unique([r.code for r in refs], source, name, "code")
    return tuple(refs)


def _segment(
    data: Any,
    index: int,
    chain_id: str,
    source: str,
    tree: ShenwanTree | None,
    innovation_ids: frozenset[str] | None,
) -> Segment:
    where = f"segments[{index}]"
    if not isinstance(data, dict):
        raise ChainTemplateError(source, where, "must be a table ([[segments]])")
    seg_id = data.get("id")
    if isinstance(seg_id, str):
        where = f"segments[{index}] (id={seg_id!r})"
    _reject_unknown(data, _SEGMENT_KEYS, source, where)
    for key in sorted(_SEGMENT_REQUIRED - set(data)):
        raise ChainTemplateError(source, _field(where, key), "is required")
    stage_raw = data["stage"]
    try:
        stage = Stage.parse(stage_raw) if isinstance(stage_raw, str) else None
    except ValueError:
        stage = None
    if stage is None:
        raise ChainTemplateError(
            source,
            _field(where, "stage"),
            f"unknown stage {stage_raw!r}; use upstream, midstream or downstream",
        )
    innovation = _strings(data, "innovation", source, where, non_empty=False)
    if innovation_ids is not None:
        for i, stage_id in enumerate(innovation):
            if stage_id not in innovation_ids:
                raise ChainTemplateError(
                    source,
                    f"{_field(where, 'innovation')}[{i}]",
                    f"unknown innovation stage {stage_id!r}; known: {', '.join(sorted(innovation_ids))}",
                )
    return Segment(
        chain_id=chain_id,
        id=_slug(data, "id", source, where),
        name=_text(data, "name", source, where),
        stage=stage,
        order=_order(data, source, where),
        keywords=_keywords(data, source, where),
        products=_strings(data, "products", source, where, non_empty=False),
        shenwan=_shenwan_refs(data, source, where, tree),
        innovation=innovation,
        description=_text(data, "description", source, where, required=False),
        core=_core_flag(data, source, where),
    )


def _core_flag(data: Mapping[str, Any], source: str, where: str) -> bool:
    value = data.get("core", False)
    if not isinstance(value, bool):
        raise ChainTemplateError(source, _field(where, "core"), "must be true or false")
    return value


def parse_chain(
    data: Mapping[str, Any],
    source: str,
    *,
    strict: bool = True,
    shenwan: ShenwanTree | None = None,
    innovation_ids: Iterable[str] | None = None,
) -> tuple[Chain, list[str]]:
    """Validate one decoded chain file and build its :class:`Chain`.

    Returns the chain and a list of warning messages. ``strict`` turns completeness
    problems (fewer than :data:`MIN_SEGMENTS` segments, a stage with no segment) into
    errors; it is on for shipped files. With ``shenwan`` given, every code must exist in
    that tree under the same name; with ``innovation_ids`` given, innovation hints must
    name known stages.
    """
    _reject_unknown(data, _CHAIN_KEYS, source, "")
    for key in sorted(_CHAIN_REQUIRED - set(data)):
        raise ChainTemplateError(source, key, "is required")
    chain_id = _slug(data, "id", source, "")
    raw_segments = data["segments"]
    if not isinstance(raw_segments, list) or not raw_segments:
        raise ChainTemplateError(source, "segments", "must be a non-empty array of tables")
    ids = frozenset(innovation_ids) if innovation_ids is not None else None
    segments = [_segment(s, i, chain_id, source, shenwan, ids) for i, s in enumerate(raw_segments)]
    _unique([s.id for s in segments], source, "segments", "id")
    _unique([s.order for s in segments], source, "segments", "order")
    if sum(s.core for s in segments) > 1:
        raise ChainTemplateError(source, "segments", "at most one segment may be core")
    primaries = [r.code for s in segments for r in s.shenwan if r.primary]
    dupes = sorted({c for c in primaries if primaries.count(c) > 1})
    if dupes:
        raise ChainTemplateError(
            source, "segments", f"Shenwan code(s) {', '.join(dupes)} marked primary more than once"
        )

    problems: list[str] = []
    if len(segments) < MIN_SEGMENTS:
        problems.append(f"has {len(segments)} segments, fewer than {MIN_SEGMENTS}")
    missing = [st.value for st in Stage if st not in {s.stage for s in segments}]
    if missing:
        problems.append(f"no segment in stage(s) {', '.join(missing)}")
    if problems and strict:
        raise ChainTemplateError(source, "segments", "; ".join(problems))

    chain = Chain(
        id=chain_id,
        name=_text(data, "name", source, ""),
        description=_text(data, "description", source, ""),
        aliases=_strings(data, "aliases", source, "", non_empty=False),
        tags=_strings(data, "tags", source, "", non_empty=False),
        segments=tuple(sorted(segments, key=lambda s: (s.stage.rank, s.order))),
        source=source,
    )
    return chain, [f"{source}: segments: {p}" for p in problems]


# --------------------------------------------------------------------------- catalog


def _lookup_key(text: str) -> str:
    # NFKC folds full-width letters (ＡＩ) so user input matches the ASCII alias.
    return unicodedata.normalize("NFKC", text).strip().casefold()


@dataclass
class ChainCatalog:
    """All chains in effect (shipped plus user), with lookups."""

    chains: dict[str, Chain]
    shenwan: ShenwanTree
    innovation: tuple[InnovationStage, ...] = ()
    warnings: list[str] = field(default_factory=list)
    _keys: dict[str, str] = field(default_factory=dict, repr=False)
    _by_code: dict[str, list[tuple[Chain, Segment]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for chain in self.chains.values():
            for term in (chain.id, chain.name, *chain.aliases):
                key = _lookup_key(term)
                owner = self._keys.get(key)
                if owner is not None and owner != chain.id:
                    raise ChainTemplateError(
                        chain.source,
                        "aliases",
                        f"{term!r} already names chain {owner!r} ({self.chains[owner].source})",
                    )
                self._keys[key] = chain.id
            for seg in chain.segments:
                for ref in seg.shenwan:
                    self._by_code.setdefault(ref.code, []).append((chain, seg))

    def __len__(self) -> int:
        return len(self.chains)

    def __iter__(self) -> Iterator[Chain]:
        return iter(self.chains.values())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and _lookup_key(key) in self._keys

    def __getitem__(self, key: str) -> Chain:
        chain = self.get(key)
        if chain is None:
            raise KeyError(f"no chain with id, name or alias {key!r}")
        return chain

    def get(self, key: str, default: Chain | None = None) -> Chain | None:
        """Find a chain by id, name or alias (case- and width-insensitive)."""
        chain_id = self._keys.get(_lookup_key(key))
        return self.chains[chain_id] if chain_id is not None else default

    def by_shenwan(self, code: str) -> list[tuple[Chain, Segment]]:
        """Segments a company classified under ``code`` belongs to.

        Listed companies carry level-3 codes while a segment may map a whole level-2
        industry, so segments mapped to an ancestor of ``code`` match too; exact
        matches come first.
        """
        out = list(self._by_code.get(code, []))
        for ancestor in self.shenwan.ancestors(code):
            out.extend(self._by_code.get(ancestor, []))
        return out


def _user_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.glob("*.toml") if p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise ChainTemplateError(str(path), "", "no such file or directory")
    return files


@cache
def shipped_chains() -> ChainCatalog:
    """The shipped catalog, parsed once per process (parsing costs ~50 ms): for callers
    that only read it, such as every web request."""
    return load_chains()


def load_chains(extra: list[Path] | None = None) -> ChainCatalog:
    """Load the shipped chains, then user files/directories from ``extra``.

    A user chain whose id matches a shipped chain replaces it; new ids are added.
    Two user files defining the same id is an error (which one wins would depend
    on argument order). Warnings are returned on the catalog and also emitted as
    :class:`ChainTemplateWarning`.
    """
    tree = load_shenwan()
    innovation = load_innovation_chain()
    innovation_ids = [s.id for s in innovation]
    chains: dict[str, Chain] = {}
    notes: list[str] = []

    shipped_dir = _data_root().joinpath("chains")
    for entry in sorted(shipped_dir.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        source = f"chainatlas/data/chains/{entry.name}"
        data = _read_toml(entry.read_text(encoding="utf-8"), source)
        chain, _ = parse_chain(
            data, source, strict=True, shenwan=tree, innovation_ids=innovation_ids
        )
        if entry.name != f"{chain.id}.toml":
            raise ChainTemplateError(source, "id", f"shipped file must be named {chain.id}.toml")
        chains[chain.id] = chain

    user_ids: dict[str, str] = {}
    for path in _user_files(extra or []):
        source = str(path)
        data = _read_toml(path.read_text(encoding="utf-8"), source)
        chain, chain_notes = parse_chain(
            data, source, strict=False, shenwan=tree, innovation_ids=innovation_ids
        )
        if chain.id in user_ids:
            raise ChainTemplateError(
                source, "id", f"chain {chain.id!r} is already defined in {user_ids[chain.id]}"
            )
        user_ids[chain.id] = source
        chains[chain.id] = chain
        notes.extend(chain_notes)

    for note in notes:
        warnings.warn(note, ChainTemplateWarning, stacklevel=2)
    return ChainCatalog(chains=chains, shenwan=tree, innovation=innovation, warnings=notes)
