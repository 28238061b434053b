"""The 对接 pages: the three matchers as forms (/match), and stored site needs (/requests).

招商 and 技术需求 are read-only GET forms. 选址需求 is the park site's lead form done
properly: POST with a CSRF token, every field validated with a message next to it, the
requirement stored (contacts only when the operator enabled it), then matched at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from chainatlas.match.site import TYPE_LABELS, SiteRequirement, SiteResult, validate_requirement
from chainatlas.store.db import Store
from chainatlas.store.schema import DocumentRow, FactRow

__all__ = [
    "MESSAGES",
    "SiteForm",
    "Submission",
    "UiText",
    "evidence_links",
    "match_pages",
    "parse_site_form",
    "submit_requirement",
]


class UiText(str):
    """Interface text: the Chinese string itself (so code, tests and the JSON API keep
    plain Chinese), plus the fixed message id and values it was built from, so a page can
    show it in English with `text.tr(lang)`. Values may be UiText themselves (a field
    label inside a sentence) and are translated the same way."""

    def __new__(cls, msgid: str, **values: str | float | int) -> UiText:
        self = super().__new__(cls, msgid.format(**values) if values else msgid)
        self.msgid = msgid
        self.values = values
        return self

    def tr(self, lang: str) -> str:
        from chainatlas.web.i18n import translate

        values = {k: v.tr(lang) if isinstance(v, UiText) else v for k, v in self.values.items()}
        out = translate(self.msgid, lang)
        return out.format(**values) if values else out


SQM_PER_MU = 10000 / 15
MAX_FIELD = 200
TEXT_FIELDS = ("industry", "region", "company", "contact", "phone", "email")
NUMBER_FIELDS = {"area": "面积", "budget": "预算", "expected_tax": "预计年纳税"}
# Message ids of every interface text this module produces; each has an English entry in
# i18n_en.toml (tests/web/test_i18n.py checks).
PHONE_ERROR = (
    "手机号格式不正确：请填写11位手机号（如 13812345678）或带区号的固定电话（如 0755-26881234）"
)
EMAIL_ERROR = "邮箱格式不正确：应形如 name@example.com"
CONSENT_ERROR = "留下联系方式前请勾选同意：园区仅为回复本需求使用这些信息"
NOT_A_NUMBER = "{label}应为数字，实为“{raw}”"
NOT_POSITIVE = "{label}应为大于 0 的数字"
NEED_TYPE_ERROR = "请选择需求类型：土地、厂房或写字楼"
INDUSTRY_ERROR = "请填写用途或产业，如：医疗器械生产、动力电池"
TOO_LONG = "内容过长（最多 {n} 字）"
UNKNOWN_REGION = "无法识别地区“{region}”：请写省、市或区县名，如 深圳、广州市黄埔区"
INVEST_NO_REGION = "没有找到地区“{region}”：请写省、市或区县名，如 深圳"
INVEST_NOT_FOUND = "没有找到{what}"
SEGMENT_NAMED = "环节“{name}”"
CHAIN_NAMED = "产业链“{name}”"
INVEST_BOTH = "请同时填写地区和产业链"
NEED_TOO_SHORT = "需求描述至少 2 个字"
MESSAGES = (
    *NUMBER_FIELDS.values(),
    PHONE_ERROR,
    EMAIL_ERROR,
    CONSENT_ERROR,
    NOT_A_NUMBER,
    NOT_POSITIVE,
    NEED_TYPE_ERROR,
    INDUSTRY_ERROR,
    TOO_LONG,
    UNKNOWN_REGION,
    INVEST_NO_REGION,
    INVEST_NOT_FOUND,
    SEGMENT_NAMED,
    CHAIN_NAMED,
    INVEST_BOTH,
    NEED_TOO_SHORT,
)


# --------------------------------------------------------------------------- the lead form


@dataclass(slots=True)
class SiteForm:
    values: dict[str, str]  # as typed, for re-display
    errors: dict[str, str]  # field → message in Chinese (a UiText, so pages can translate)
    requirement: SiteRequirement | None  # None while there are errors
    consent: bool = False


def _number(raw: str, label: str) -> tuple[float | None, UiText | None]:
    text = raw.strip().replace(",", "").replace("，", "")
    if not text:
        return None, None
    try:
        value = float(text)
    except ValueError:
        return None, UiText(NOT_A_NUMBER, label=UiText(label), raw=raw.strip()[:20])
    if not value > 0 or value > 1e9:
        return None, UiText(NOT_POSITIVE, label=UiText(label))
    return value, None


def _region_known(region: str) -> bool:
    from chainatlas.kb.regions import RegionGazetteer

    gaz = RegionGazetteer.load()
    return bool(gaz.get(region) or gaz.lookup(region))


def parse_site_form(fields: Mapping[str, str]) -> SiteForm:
    """Raw form fields → a validated requirement, or the problems keyed by field."""
    values = {k: str(fields.get(k, "") or "").strip() for k in (*TEXT_FIELDS, *NUMBER_FIELDS)}
    values["need_type"] = str(fields.get("need_type", "") or "")
    values["area_unit"] = str(fields.get("area_unit", "") or "")
    consent = str(fields.get("consent", "")) in ("1", "on", "true", "yes")
    errors: dict[str, str] = {}
    if values["need_type"] not in TYPE_LABELS:
        errors["need_type"] = UiText(NEED_TYPE_ERROR)
    if not values["industry"]:
        errors["industry"] = UiText(INDUSTRY_ERROR)
    for name, value in values.items():
        if len(value) > MAX_FIELD:
            errors[name] = UiText(TOO_LONG, n=MAX_FIELD)
    numbers: dict[str, float | None] = {}
    for name, label in NUMBER_FIELDS.items():
        numbers[name], problem = _number(values[name], label)
        if problem:
            errors[name] = problem
    area_sqm = numbers["area"]
    unit = values["area_unit"] or ("亩" if values["need_type"] == "land" else "㎡")
    if area_sqm is not None and unit == "亩":
        area_sqm *= SQM_PER_MU
    if values["region"] and "region" not in errors and not _region_known(values["region"]):
        errors["region"] = UiText(UNKNOWN_REGION, region=values["region"])
    if (values["contact"] or values["phone"] or values["email"]) and not consent:
        errors["consent"] = UiText(CONSENT_ERROR)
    requirement = SiteRequirement(
        need_type=values["need_type"],
        industry=values["industry"],
        area_sqm=area_sqm,
        region=values["region"] or None,
        budget=numbers["budget"],
        expected_tax=numbers["expected_tax"],
        company=values["company"],
        contact=values["contact"],
        phone=values["phone"],
        email=values["email"],
    )
    _, problems = validate_requirement(requirement)
    for problem in problems:
        if "电话" in problem:
            errors["phone"] = UiText(PHONE_ERROR)
        elif "邮箱" in problem:
            errors["email"] = UiText(EMAIL_ERROR)
    if not errors:
        requirement = _normalised_contacts(requirement)
    return SiteForm(values, errors, None if errors else requirement, consent)


def _normalised_contacts(req: SiteRequirement) -> SiteRequirement:
    from dataclasses import replace

    from chainatlas.imports.validate import normalise_phone

    phone = normalise_phone(req.phone) if req.phone else None
    return replace(req, phone=phone[0] if phone else "", email=req.email.strip())


@dataclass(slots=True)
class Submission:
    id: int
    result: SiteResult
    contacts_kept: bool
    contacts_given: bool = field(default=False)


def submit_requirement(
    store: Store,
    requirement: SiteRequirement,
    *,
    store_contacts: bool,
    source: str,
    consent: bool = False,
    top: int = 5,
) -> Submission:
    """Match a validated requirement and store it (contacts only if `store_contacts`)."""
    from chainatlas.jobs.match import load_listings, load_park_profiles
    from chainatlas.match.site import match_site
    from chainatlas.store.leads import insert_requirement

    result = match_site(
        requirement, load_listings(store), top=top, park_profiles=load_park_profiles(store)
    )
    attrs = {
        "source": source,
        "consent": consent,
        "matches": [m.listing.id for m in result.matches],
        "nearest_misses": [m.listing.id for m in result.misses],
    }
    with store.session() as session:
        new_id = insert_requirement(
            session, requirement, store_contacts=store_contacts, attrs=attrs
        )
    given = bool(requirement.contact or requirement.phone or requirement.email)
    return Submission(new_id, result, store_contacts, given)


# --------------------------------------------------------------------------- evidence links


def evidence_links(store: Store, items: list[tuple[str | None, str]]) -> list[dict]:
    """(document id or None, sentence) → {sentence, href, source}: the sentence's anchor on
    the document page when a fact starts there, else the document. A source that is not a
    stored document (the listed-company register) is named, not linked."""
    doc_ids = {d for d, _ in items if d}
    anchors: dict[tuple[str, str], int] = {}
    stored: set[str] = set()
    if doc_ids:
        with store.session() as session:
            # By document (indexed), never by sentence text: facts.sentence has no index.
            for doc_id, sentence, start in session.execute(
                select(FactRow.document_id, FactRow.sentence, FactRow.sentence_start).where(
                    FactRow.document_id.in_(doc_ids)
                )
            ):
                anchors.setdefault((doc_id, sentence), start)
            stored = set(session.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(doc_ids))))
    out = []
    for doc_id, sentence in items:
        href, source = None, None
        if doc_id and (doc_id, sentence) in anchors:
            href = f"/documents/{doc_id}#s-{anchors[(doc_id, sentence)]}"
        elif doc_id in stored:
            href = f"/documents/{doc_id}"
        elif doc_id:
            source = doc_id
        out.append({"sentence": sentence, "href": href, "source": source})
    return out


def _sentence_documents(store: Store, entity_ids: list[str]) -> dict[tuple[str, str], str]:
    """(entity id, sentence) → document id, for matchers that keep only the sentence."""
    from chainatlas.store.kb import entity_sentences

    with store.session() as session:
        return {
            (eid, sentence.strip()): doc_id
            for eid, sentence, doc_id, _ in entity_sentences(session, entity_ids)
        }


def _entity_href(entity_id: str) -> str | None:
    # Listed-company and imported candidates ("listed:300760") have no profile page yet.
    return None if ":" in entity_id else f"/entities/{entity_id}"


def _invest(store: Store, region: str, chain: str, segment: str) -> dict:
    from chainatlas.jobs.diagnose import RegionNotFound
    from chainatlas.jobs.invest import invest_region

    try:
        result = invest_region(store, region, chain, segment=segment or None, top=10)
    except RegionNotFound:
        return {"error": UiText(INVEST_NO_REGION, region=region)}
    except KeyError:
        what = UiText(SEGMENT_NAMED, name=segment) if segment else UiText(CHAIN_NAMED, name=chain)
        return {"error": UiText(INVEST_NOT_FOUND, what=what)}
    items = []
    for m in result.matches:
        d = m.as_dict()
        d["href"] = _entity_href(m.id)
        d["evidence_links"] = evidence_links(
            store, [(e.get("document_id"), e["sentence"]) for e in m.evidence]
        )
        items.append(d)
    names = {s.segment_id: s.name for s in result.diagnosis.segments} if result.diagnosis else {}
    return {
        "items": items,
        "message": result.message,
        "targets": [names.get(t, t) for t in result.targets],
    }


def _tech(store: Store, need: str, region: str) -> dict:
    from chainatlas.jobs.match import load_tech_candidates
    from chainatlas.match.tech import match_tech

    found = match_tech(need, load_tech_candidates(store), region=region or None, top=10)
    docs = _sentence_documents(
        store, [m.candidate.id for m in found if _entity_href(m.candidate.id)]
    )
    items = []
    for m in found:
        d = m.to_dict()
        d["href"] = _entity_href(m.candidate.id)
        pairs = [(docs.get((m.candidate.id, s.strip())), s) for s in m.evidence]
        d["evidence_links"] = evidence_links(store, pairs)
        items.append(d)
    return {"items": items}


# --------------------------------------------------------------------------- routes


def _security(request: Request):
    from chainatlas.web.security import SecurityConfig

    return getattr(request.app.state, "security", None) or SecurityConfig()


def match_pages(store: Store, templates: Jinja2Templates) -> APIRouter:
    from chainatlas.web.security import is_writer, require_write, verify_csrf

    router = APIRouter(include_in_schema=False)

    def render(request: Request, context: dict, status_code: int = 200):
        from chainatlas.chains.templates import shipped_chains

        base = {
            "tab": "invest",
            "chains": [(c.id, c.name) for c in shipped_chains()],
            "type_labels": TYPE_LABELS,
            "store_contacts": _security(request).store_contacts,
            "form": SiteForm({}, {}, None),
            "invest": None,
            "tech": None,
            "site": None,
            "query": {},
        }
        return templates.TemplateResponse(
            request, "match.html", {**base, **context}, status_code=status_code
        )

    @router.get("/match", response_class=HTMLResponse)
    def match_page(
        request: Request,
        tab: Annotated[str, Query(pattern="^(invest|tech|site)$")] = "invest",
        region: Annotated[str, Query(max_length=50)] = "",
        chain: Annotated[str, Query(max_length=50)] = "",
        segment: Annotated[str, Query(max_length=60)] = "",
        need: Annotated[str, Query(max_length=200)] = "",
        need_region: Annotated[str, Query(max_length=50)] = "",
    ):
        q = {"region": region, "chain": chain, "segment": segment, "need": need,
             "need_region": need_region}  # fmt: skip
        invest = tech = None
        if tab == "invest" and region.strip() and chain.strip():
            invest = _invest(store, region.strip(), chain.strip(), segment.strip())
        elif tab == "invest" and (region.strip() or chain.strip()):
            invest = {"error": UiText(INVEST_BOTH)}
        if tab == "tech" and need.strip():
            if len(need.strip()) < 2:
                tech = {"error": UiText(NEED_TOO_SHORT)}
            else:
                tech = _tech(store, need.strip(), need_region.strip())
        return render(request, {"tab": tab, "query": q, "invest": invest, "tech": tech})

    @router.post("/match/site", response_class=HTMLResponse)
    async def match_site_submit(request: Request):
        await verify_csrf(request)
        raw = await request.form()
        form = parse_site_form({k: v for k, v in raw.items() if isinstance(v, str)})
        if form.requirement is None:
            return render(request, {"tab": "site", "form": form})
        submission = submit_requirement(
            store,
            form.requirement,
            store_contacts=_security(request).store_contacts,
            source="web",
            consent=form.consent,
        )
        return render(request, {"tab": "site", "form": form, "site": submission})

    @router.get("/requests", response_class=HTMLResponse, dependencies=[Depends(require_write)])
    def requests_page(
        request: Request,
        reveal: Annotated[bool, Query()] = False,
        page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    ):
        from chainatlas.store.leads import count_requirements, list_requirements

        with store.session() as session:
            rows = list_requirements(session, limit=50, offset=(page - 1) * 50)
            total = count_requirements(session)
        show = reveal and is_writer(request)
        return templates.TemplateResponse(
            request,
            "requests.html",
            {
                "items": [r.public(reveal=show) for r in rows],
                "total": total,
                "page": page,
                "reveal": show,
                "type_labels": TYPE_LABELS,
            },
        )

    return router
