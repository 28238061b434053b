"""Read side of the REST API: filtered, cursor-paginated listings of documents, mentions
and facts, and full-text search with facets.

Every listing answers `{"items": [...], "next_cursor": str | null}`; pass `next_cursor` back
as `cursor` for the next page. Items use the same fields as the JSONL exports, so a client
can switch between the API and an export without remapping."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from chainatlas.exports.documents import document_record
from chainatlas.exports.extractions import FACT_FIELDS, MENTION_FIELDS, fact_values, mention_values
from chainatlas.store import query
from chainatlas.store.db import Store
from chainatlas.store.query import FactItem, MentionItem
from chainatlas.store.search import SearchHit

__all__ = ["MAX_PAGE", "fact_record", "mention_record", "query_router"]

MAX_PAGE = 200

# Filter values are free text bound as parameters; the length cap only bounds work.
Text = Annotated[str | None, Query(max_length=200)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Cursor = Annotated[
    str | None, Query(max_length=1000, description="`next_cursor` of the previous page")
]
Day = Annotated[date | None, Query()]


def mention_record(item: MentionItem) -> dict:
    """The mentions export's fields, plus the mention id and its linked entity."""
    values = mention_values(item.mention, item.sentence)
    return {
        "id": item.mention.id,
        **{k: values[k] for k in MENTION_FIELDS},
        "entity_id": item.entity_id,
    }


def fact_record(item: FactItem) -> dict:
    """The facts export's fields (typed args, as in JSONL), plus the evidence grouped for
    "who said so, where?", the document's extractor version and the entities in roles."""
    f = item.fact
    values = fact_values(f)
    return {
        **{k: values[k] for k in FACT_FIELDS},
        "evidence": {
            "document_id": f.document_id,
            "sentence": f.sentence,
            "start": f.sentence_start,
            "end": f.sentence_end,
        },
        "extractor_version": item.extractor_version,
        "entities": item.entities,
    }


def _hit_record(h: SearchHit) -> dict:
    return {
        "id": h.id,
        "title": h.title,
        "site": h.site,
        "published_at": h.published_at.isoformat() if h.published_at else None,
        "snippet": h.snippet,
    }


def query_router(store: Store) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["query"])

    @router.get("/documents")
    def api_documents(
        limit: Limit = 50,
        cursor: Cursor = None,
        offset: Annotated[
            int, Query(ge=0, description="deprecated: page with `cursor` instead")
        ] = 0,
        site: Text = None,
        source: Text = None,
        since: Day = None,
        until: Day = None,
        region: Text = None,
        chain: Text = None,
        segment: Text = None,
        q: Text = None,
    ):
        """Documents, newest first. `site`/`source`: site name or URL host; `region`: admin
        code, rolled up (a city matches its counties); `chain`/`segment`: documents with an
        entity or project placed there."""
        f = query.DocumentFilter(
            source=site or source,
            since=since,
            until=until,
            region=region,
            chain=chain,
            segment=segment,
            q=q,
        )
        with store.session() as session:
            page = query.documents_page(session, f, limit=limit, cursor=cursor, offset=offset)
            total = query.count_documents(session, f)
            return {
                "total": total,
                "items": [document_record(r) for r in page.items],
                "next_cursor": page.next_cursor,
            }

    @router.get("/mentions")
    def api_mentions(
        limit: Limit = 50,
        cursor: Cursor = None,
        type: Text = None,
        document: Text = None,
        region: Text = None,
        since: Day = None,
        until: Day = None,
        source: Text = None,
    ):
        """Typed mentions with their evidence sentence, in id order."""
        f = query.MentionFilter(
            type=type, document=document, region=region, since=since, until=until, source=source
        )
        with store.session() as session:
            page = query.mentions_page(session, f, limit=limit, cursor=cursor)
            return {
                "items": [mention_record(m) for m in page.items],
                "next_cursor": page.next_cursor,
            }

    @router.get("/facts")
    def api_facts(
        limit: Limit = 50,
        cursor: Cursor = None,
        kind: Text = None,
        entity: Text = None,
        region: Text = None,
        chain: Text = None,
        segment: Text = None,
        since: Day = None,
        until: Day = None,
        source: Text = None,
    ):
        """Facts with evidence and provenance, in id order. `entity`: facts that involve it;
        `region`/`chain`: through the entities in the facts' roles."""
        f = query.FactFilter(
            kind=kind,
            entity=entity,
            region=region,
            chain=chain,
            segment=segment,
            since=since,
            until=until,
            source=source,
        )
        with store.session() as session:
            page = query.facts_page(session, f, limit=limit, cursor=cursor)
            return {
                "items": [fact_record(item) for item in page.items],
                "next_cursor": page.next_cursor,
            }

    @router.get("/search")
    def api_search(
        q: Annotated[str, Query(min_length=1, max_length=200)],
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20,
        offset: Annotated[int, Query(ge=0)] = 0,
        cursor: Cursor = None,
        site: Text = None,
        year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
        category: Text = None,
        facets: Annotated[bool, Query(description="also count hits by facet")] = False,
    ):
        """Full-text search (every term must occur). With `facets=true` the answer also has
        the total and counts by site, category, year and mentioned entity type over the
        newest `facets.cap` hits — opt-in, because counting every hit of a common term
        costs far more than one page of results."""
        f = query.SearchFilter(site=site, year=year, category=category)
        with store.session() as session:
            page = query.search_page(session, q, f, limit=limit, offset=offset, cursor=cursor)
            counted = query.search_facets(session, q, f) if facets else None
        out = {
            "query": q,
            "items": [_hit_record(h) for h in page.items],
            "next_cursor": page.next_cursor,
        }
        if counted is not None:
            out["total"] = counted["hits"]
            out["facets"] = counted
        return out

    return router
