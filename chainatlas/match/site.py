"""Site need (the park page's lead form, structured) → land / factory / office listings.

Pure: hard filters first (type, area within ±20 %, region with roll-up), then a score from
industry fit (chain classification of the need vs the park's profile), price vs budget and
policy fit (a listing restricted to some industries). When nothing passes, the result says
so and lists the nearest misses with the reason each failed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chainatlas.imports.validate import mask_name, mask_phone, normalise_phone

__all__ = [
    "TYPE_LABELS",
    "Listing",
    "SiteMatch",
    "SiteMiss",
    "SiteRequirement",
    "SiteResult",
    "match_site",
    "validate_requirement",
]

TYPE_LABELS = {"land": "土地", "factory": "厂房", "office": "写字楼"}
AREA_TOLERANCE = 0.20
_SQM_PER_MU = 10000 / 15
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
# Score weights: industry fit matters most for a park, then price, then explicit policy.
_W_INDUSTRY, _W_PRICE, _W_POLICY, _W_AREA = 0.45, 0.3, 0.15, 0.1
_RESTRICTION = re.compile(r"限(.+?)项目")


@dataclass(frozen=True, slots=True)
class SiteRequirement:
    need_type: str  # land | factory | office
    industry: str = ""  # use / industry, free text (医疗器械, 动力电池 …)
    area_sqm: float | None = None
    region: str | None = None  # name or 6-digit code
    budget: float | None = None  # 万元/亩 for land; 元/㎡·月 for factories and offices
    expected_tax: float | None = None  # 预计年纳税, 万元
    company: str = ""
    contact: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class Listing:
    id: str
    listing_type: str
    title: str
    area: float | None = None
    area_unit: str | None = None
    area_sqm: float | None = None
    price: float | None = None  # 元/亩 for land (as stored), 元/㎡·月 otherwise
    price_unit: str | None = None
    park: str | None = None
    region_code: str | None = None
    address: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    notes: str = ""

    def public(self) -> dict:
        """JSON-ready, with the contact masked."""
        return {
            "id": self.id,
            "type": self.listing_type,
            "title": self.title,
            "area": self.area,
            "area_unit": self.area_unit,
            "area_sqm": self.area_sqm,
            "price": self.price,
            "price_unit": self.price_unit,
            "park": self.park,
            "region_code": self.region_code,
            "contact_name": mask_name(self.contact_name),
            "contact_phone": mask_phone(self.contact_phone),
            "notes": self.notes,
        }


@dataclass(slots=True)
class SiteMatch:
    listing: Listing
    score: float
    parts: dict[str, float]
    reasons: list[str]  # why it fits (or where it fits less well)

    def to_dict(self) -> dict:
        return {
            **self.listing.public(),
            "score": round(self.score, 4),
            "parts": {k: round(v, 4) for k, v in self.parts.items()},
            "reasons": self.reasons,
        }


@dataclass(slots=True)
class SiteMiss:
    listing: Listing
    failed: list[str]  # each hard filter it failed, in words
    distance: float

    def to_dict(self) -> dict:
        return {**self.listing.public(), "failed": self.failed}


@dataclass(slots=True)
class SiteResult:
    requirement: dict  # echoed with phone and e-mail masked
    matches: list[SiteMatch]
    misses: list[SiteMiss]
    message: str
    problems: list[str] = field(default_factory=list)  # form validation

    def to_dict(self) -> dict:
        return {
            "requirement": self.requirement,
            "message": self.message,
            "problems": self.problems,
            "matches": [m.to_dict() for m in self.matches],
            "nearest_misses": [m.to_dict() for m in self.misses],
        }


# --------------------------------------------------------------------------- form


def _mask_email(email: str) -> str:
    user, _, domain = email.partition("@")
    return (user[:1] + "***@" + domain) if domain else "***"


def validate_requirement(req: SiteRequirement) -> tuple[dict, list[str]]:
    """The requirement as a masked, JSON-ready dict, and the form's problems."""
    problems: list[str] = []
    if req.need_type not in TYPE_LABELS:
        problems.append(f"需求类型应为 土地/厂房/写字楼，实为 {req.need_type!r}")
    phone = None
    if req.phone:
        parsed = normalise_phone(req.phone)
        if parsed is None:
            problems.append("联系电话格式不正确")
        else:
            phone = parsed[0]
    email = None
    if req.email:
        if _EMAIL.match(req.email.strip()):
            email = req.email.strip()
        else:
            problems.append("电子邮箱格式不正确")
    if req.area_sqm is not None and req.area_sqm <= 0:
        problems.append("面积应为正数")
    shown = {
        "need_type": req.need_type,
        "industry": req.industry,
        "area_sqm": req.area_sqm,
        "region": req.region,
        "budget": req.budget,
        "expected_tax": req.expected_tax,
        "company": req.company,
        "contact": mask_name(req.contact) if req.contact else "",
        "phone": mask_phone(phone) if phone else "",
        "email": _mask_email(email) if email else "",
    }
    return shown, problems


# --------------------------------------------------------------------------- filters


def _region_code(region: str | None):
    if not region:
        return None
    from chainatlas.kb.regions import RegionGazetteer

    gaz = RegionGazetteer.load()
    found = gaz.get(region)
    if found:
        return found
    hits = gaz.lookup(region)
    return hits[0] if hits else None


def _in_region(code: str | None, ancestor: str) -> bool:
    from chainatlas.kb.regions import RegionGazetteer

    if not code:
        return False
    try:
        return RegionGazetteer.load().is_within(code, ancestor)
    except KeyError:
        return False


def _area_text(sqm: float, need_type: str) -> str:
    if need_type == "land":
        return f"{sqm / _SQM_PER_MU:.0f}亩"
    return f"{sqm:.0f}㎡"


def _budget_unit(need_type: str) -> str:
    return "万元/亩" if need_type == "land" else "元/㎡·月"


def _listing_price(listing: Listing) -> float | None:
    """Price in the budget's unit (land is stored in 元/亩; budgets are in 万元/亩)."""
    if listing.price is None:
        return None
    if listing.listing_type == "land":
        return listing.price / 1e4
    return listing.price


def _hard_failures(req: SiteRequirement, listing: Listing, region) -> tuple[list[str], float]:
    failed: list[str] = []
    distance = 0.0
    if listing.listing_type != req.need_type:
        failed.append(
            f"类型不符：需要{TYPE_LABELS.get(req.need_type, req.need_type)}，"
            f"此为{TYPE_LABELS.get(listing.listing_type, listing.listing_type)}"
        )
        distance += 3
    if req.area_sqm and listing.area_sqm:
        ratio = listing.area_sqm / req.area_sqm
        if abs(ratio - 1) > AREA_TOLERANCE:
            failed.append(
                f"面积不符：需要约{_area_text(req.area_sqm, req.need_type)}（±20%），"
                f"此为{_area_text(listing.area_sqm, req.need_type)}"
            )
            distance += min(abs(ratio - 1), 3)
    elif req.area_sqm and not listing.area_sqm:
        failed.append("面积未知")
        distance += 1
    if region is not None and not _in_region(listing.region_code, region.code):
        failed.append(
            f"地区不符：需要{region.full_name}，此在{listing.park or listing.region_code}"
        )
        distance += 2
    return failed, distance


# --------------------------------------------------------------------------- scoring


# (id(catalog), text) -> (catalog, chain shares). A park's profile text is the same on
# every query, and classifying it was most of a site query's time at 10⁵ documents
# (BENCHMARKS.md); the catalog is held so a recycled id() can never hit. Bounded: cleared
# when full (profiles number in the thousands, so it refills in one pass).
_CHAINS_CACHE: dict[tuple[int, str], tuple[object, dict[str, float]]] = {}
_CHAINS_CACHE_SIZE = 50_000


def _chains(text: str, catalog) -> dict[str, float]:
    """Chain shares of `text` (read-only: the dict is shared between calls)."""
    key = (id(catalog), text)
    hit = _CHAINS_CACHE.get(key)
    if hit is not None and hit[0] is catalog:
        return hit[1]
    shares = _classify_chains(text, catalog)
    if len(_CHAINS_CACHE) >= _CHAINS_CACHE_SIZE:
        _CHAINS_CACHE.clear()
    _CHAINS_CACHE[key] = (catalog, shares)
    return shares


# Listing lists already primed: (id(catalog), listing ids) -> (catalog, listings) held.
_PRIMED: dict[tuple, tuple[object, tuple[Listing, ...]]] = {}
_PRIMED_SIZE = 4


def _park_text(listing: Listing, profile: str) -> str:
    return "。".join(x for x in (listing.park or "", listing.title, profile) if x)


def _prime(listings, profiles: dict[str, str], catalog) -> None:
    """Classify every listing's park text the first time a listing list is seen, so later
    queries never classify, whichever listings pass their filters (p95, not just p50)."""
    key = (id(catalog), tuple(map(id, listings)))
    if key in _PRIMED:
        return
    for listing in listings:
        _chains(_park_text(listing, profiles.get(listing.park or "", "")), catalog)
    if len(_PRIMED) >= _PRIMED_SIZE:
        _PRIMED.pop(next(iter(_PRIMED)))
    _PRIMED[key] = (catalog, tuple(listings))


def _classify_chains(text: str, catalog) -> dict[str, float]:
    from chainatlas.chains.classify import chain_scores, classify_text

    if not text.strip():
        return {}
    scores = chain_scores(classify_text(text, catalog=catalog))
    total = sum(scores.values()) or 1.0
    return {k: v / total for k, v in scores.items()}


def _chain_names(ids, catalog) -> str:
    names = []
    for cid in ids:
        chain = catalog.get(cid) if hasattr(catalog, "get") else None
        names.append(getattr(chain, "name", cid) if chain else cid)
    return "、".join(names)


def _score(
    req, listing, profile: str, need_chains, catalog, chains=_chains
) -> tuple[float, dict, list[str]]:
    reasons: list[str] = []
    parts: dict[str, float] = {}
    # Industry fit: share of the need's chains that the park's profile also shows.
    park_chains = chains(_park_text(listing, profile), catalog)
    if need_chains and park_chains:
        shared = [c for c in need_chains if c in park_chains]
        parts["industry"] = sum(need_chains[c] for c in shared)
        if shared:
            reasons.append(f"产业契合：园区主导方向含{_chain_names(shared, catalog)}")
        else:
            reasons.append("产业契合度低：园区资料未显示该产业")
    else:
        parts["industry"] = 0.3  # unknown either side: neither reward nor punish fully
        reasons.append("产业契合：园区主导产业资料不足，未能判断")
    price = _listing_price(listing)
    unit = _budget_unit(req.need_type)
    if price is None:
        parts["price"] = 0.5
        reasons.append("价格面议")
    elif req.budget is None:
        parts["price"] = 0.5
        reasons.append(f"价格 {price:g}{unit}（未填预算）")
    elif price <= req.budget:
        parts["price"] = 1.0
        reasons.append(f"价格 {price:g}{unit}，在预算 {req.budget:g}{unit} 内")
    else:
        over = (price - req.budget) / req.budget
        parts["price"] = max(0.0, 1 - 2 * over)
        reasons.append(f"价格 {price:g}{unit}，超预算 {over:.0%}")
    # Policy fit: "限新材料、装备制造项目" restricts a plot to some industries.
    m = _RESTRICTION.search(listing.notes or "")
    if m:
        allowed = chains(m.group(1).replace("、", "，"), catalog)
        ok = bool(set(allowed) & set(need_chains)) or any(
            w and w in req.industry for w in re.split("[、，,]", m.group(1))
        )
        parts["policy"] = 1.0 if ok else 0.0
        reasons.append(f"政策：{m.group(0)}（{'符合' if ok else '不符合'}）")
    else:
        parts["policy"] = 0.7
    if req.area_sqm and listing.area_sqm:
        parts["area"] = 1 - min(abs(listing.area_sqm / req.area_sqm - 1) / AREA_TOLERANCE, 1)
    else:
        parts["area"] = 0.5
    if req.expected_tax and listing.listing_type == "land" and listing.area_sqm:
        per_mu = req.expected_tax / (listing.area_sqm / _SQM_PER_MU)
        reasons.append(f"亩均税收约 {per_mu:.1f} 万元/亩")
    score = (
        _W_INDUSTRY * parts["industry"]
        + _W_PRICE * parts["price"]
        + _W_POLICY * parts["policy"]
        + _W_AREA * parts["area"]
    )
    return score, parts, reasons


def match_site(
    requirement: SiteRequirement,
    listings: list[Listing] | tuple[Listing, ...],
    *,
    top: int = 5,
    park_profiles: dict[str, str] | None = None,
    catalog=None,
    reference: bool = False,
) -> SiteResult:
    """Listings that pass the hard filters, best first; nearest misses when none does.

    Park profiles are classified once per process (see `_chains`); `reference=True`
    classifies every text afresh, as the original did, for the equivalence test."""
    chains = _classify_chains if reference else _chains
    if catalog is None:
        from chainatlas.match.tech import _shipped_catalog

        catalog = _shipped_catalog()  # one per process, so the profile cache can hit
    shown, problems = validate_requirement(requirement)
    region = _region_code(requirement.region)
    if requirement.region and region is None:
        problems.append(f"无法识别地区：{requirement.region}")
    profiles = park_profiles or {}
    if not isinstance(listings, list | tuple):  # read twice below
        listings = list(listings)
    if not reference:
        _prime(listings, profiles, catalog)
    need_chains = chains(requirement.industry, catalog)
    passed: list[SiteMatch] = []
    misses: list[SiteMiss] = []
    for listing in listings:
        failed, distance = _hard_failures(requirement, listing, region)
        if failed:
            misses.append(SiteMiss(listing, failed, distance))
            continue
        profile = profiles.get(listing.park or "", "")
        score, parts, reasons = _score(requirement, listing, profile, need_chains, catalog, chains)
        passed.append(SiteMatch(listing, score, parts, reasons))
    passed.sort(key=lambda m: (-m.score, m.listing.id))
    misses.sort(key=lambda m: (m.distance, len(m.failed), m.listing.id))
    kind = TYPE_LABELS.get(requirement.need_type, requirement.need_type)
    if passed:
        message = (
            f"找到 {len(passed)} 个符合硬性条件的{kind}载体，显示前 {min(top, len(passed))} 个。"
        )
        return SiteResult(shown, passed[:top], [], message, problems)
    message = f"没有符合条件的{kind}载体（类型、面积±20%、地区均需满足）。以下是最接近的载体及未满足的条件。"
    return SiteResult(shown, [], misses[:top], message, problems)
