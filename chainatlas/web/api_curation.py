"""REST curation: the analyst operations of `chainatlas curate …`, over HTTP.

Every write needs the write token (`require_write`); each accepted decision is stored and
applied at once by re-running the resolver, so the answer already reflects it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field

from chainatlas.jobs import curate
from chainatlas.kb.curation import OPS
from chainatlas.store import kb
from chainatlas.store.db import Store
from chainatlas.web.security import require_read, require_write

__all__ = ["CurationRequest", "curation_router"]

Short = Annotated[str, Field(max_length=200)]


class CurationRequest(BaseModel):
    """Fields of every operation; each operation reads the ones it needs (see `ops`)."""

    model_config = ConfigDict(extra="forbid")

    entity: Short | None = None  # id, key, stock code, name or alias
    into: Short | None = None
    other: Short | None = None
    a: Short | None = None
    b: Short | None = None
    name: Short | None = None
    type: Short | None = None
    alias: Short | None = None
    value: Annotated[str, Field(max_length=2000)] | None = None
    documents: Annotated[list[Short], Field(max_length=500)] = []
    surfaces: Annotated[list[Short], Field(max_length=100)] = []
    document_id: Short | None = None
    start: int | None = None
    end: int | None = None
    text: Short | None = None
    fact: Short | int | None = None  # fact number or fingerprint
    author: Annotated[str, Field(min_length=1, max_length=80)] = "web"
    reason: Annotated[str, Field(max_length=1000)] = ""
    resolve: bool = True


def _outcome_record(o: curate.CurationOutcome) -> dict[str, Any]:
    return {
        "decision_id": o.decision_id,
        "op": o.op,
        "payload": o.payload,
        "resolved": o.resolved,
        "status": o.status,
        "detail": o.detail,
        "entities": o.entity_ids,
    }


def curation_router(store: Store) -> APIRouter:
    router = APIRouter(prefix="/api/v1/curation", tags=["curation"])

    @router.get("/log", dependencies=[Depends(require_read)])
    def curation_log(
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
        active_only: bool = False,
    ):
        with store.session() as session:
            decisions = kb.list_curations(session, active_only=active_only)
        newest = sorted(decisions, key=lambda d: d.id, reverse=True)[:limit]
        return {"total": len(decisions), "items": [curate.curation_record(d) for d in newest]}

    @router.post("/{decision_id}/undo", dependencies=[Depends(require_write)])
    def curation_undo(decision_id: int, resolve: bool = True):
        if not curate.undo_decision(store, decision_id, resolve=resolve):
            raise HTTPException(404, f"no curation decision #{decision_id}")
        return {"decision_id": decision_id, "active": False, "resolved": resolve}

    @router.post("/{op}", status_code=201, dependencies=[Depends(require_write)])
    def curation_apply(op: str, body: CurationRequest):
        if op not in OPS:
            raise HTTPException(404, f"unknown curation operation {op!r}; one of: {', '.join(OPS)}")
        params = body.model_dump(exclude={"author", "reason", "resolve"})
        try:
            outcome = curate.record_decision(
                store, op, params, author=body.author, reason=body.reason, resolve=body.resolve
            )
        except curate.CurationInputError as exc:
            raise HTTPException(422, str(exc)) from exc
        return _outcome_record(outcome)

    return router
