"""Site requirements (选址需求) submitted through the lead form or the API (migration 0005).

Contact fields are personal data: `insert_requirement` keeps them only when the operator
enabled contact storage, and `StoredRequirement.public` masks them unless the caller is
allowed to see them (the write token)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import JSON, Float, Index, Integer, String, Text, func, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from chainatlas.imports.validate import mask_name, mask_phone
from chainatlas.match.site import SiteRequirement
from chainatlas.store.schema import Base

__all__ = [
    "SiteRequirementRow",
    "StoredRequirement",
    "count_requirements",
    "insert_requirement",
    "list_requirements",
    "mask_email",
]

STATUSES = ("new", "contacted", "closed")


class SiteRequirementRow(Base):
    __tablename__ = "site_requirements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    need_type: Mapped[str] = mapped_column(String(10))  # land | factory | office
    industry: Mapped[str] = mapped_column(Text)
    area_sqm: Mapped[float | None] = mapped_column(Float)
    region: Mapped[str | None] = mapped_column(String(40))
    budget: Mapped[float | None] = mapped_column(Float)
    expected_tax: Mapped[float | None] = mapped_column(Float)  # 万元 per year
    company: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(100))  # NULL unless storage enabled
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12))
    attrs: Mapped[dict] = mapped_column(JSON, default=dict)  # source, consent, matches …
    created_at: Mapped[datetime]  # aware UTC (Base maps datetime to UTCDateTime)
    reviewed_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_site_requirements_status", "status"),)


def mask_email(email: str | None) -> str | None:
    """zhang.wei@example.com → z***@example.com."""
    if not email:
        return email
    user, _, domain = email.partition("@")
    return (user[:1] + "***@" + domain) if domain else "***"


@dataclass(frozen=True, slots=True)
class StoredRequirement:
    id: int
    requirement: SiteRequirement
    status: str
    created_at: datetime
    contacts_kept: bool  # False: the operator had contact storage off at submission
    attrs: dict

    def public(self, *, reveal: bool = False) -> dict:
        """JSON-ready; contact, phone and e-mail masked unless `reveal`."""
        r = self.requirement
        return {
            "id": self.id,
            "need_type": r.need_type,
            "industry": r.industry,
            "area_sqm": r.area_sqm,
            "region": r.region,
            "budget": r.budget,
            "expected_tax": r.expected_tax,
            "company": r.company,
            "contact": r.contact if reveal else mask_name(r.contact),
            "phone": r.phone if reveal else mask_phone(r.phone),
            "email": r.email if reveal else mask_email(r.email),
            "contacts_kept": self.contacts_kept,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
            "attrs": self.attrs,
        }


def insert_requirement(
    session: Session,
    requirement: SiteRequirement,
    *,
    store_contacts: bool,
    attrs: dict | None = None,
    now: datetime | None = None,
) -> int:
    """Store a validated requirement; returns its id. Contact, phone and e-mail become NULL
    unless `store_contacts` (the operator's SecurityConfig.store_contacts)."""
    now = now or datetime.now(UTC)
    keep = store_contacts
    return session.execute(
        insert(SiteRequirementRow).returning(SiteRequirementRow.id),
        {
            "need_type": requirement.need_type,
            "industry": requirement.industry,
            "area_sqm": requirement.area_sqm,
            "region": (requirement.region or None) and requirement.region[:40],
            "budget": requirement.budget,
            "expected_tax": requirement.expected_tax,
            "company": requirement.company or None,
            "contact": (requirement.contact or None) if keep else None,
            "phone": (requirement.phone or None) if keep else None,
            "email": (requirement.email or None) if keep else None,
            "status": "new",
            "attrs": {**(attrs or {}), "contacts_kept": keep},
            "created_at": now,
        },
    ).scalar_one()


def _record(row: SiteRequirementRow) -> StoredRequirement:
    req = SiteRequirement(
        need_type=row.need_type,
        industry=row.industry,
        area_sqm=row.area_sqm,
        region=row.region,
        budget=row.budget,
        expected_tax=row.expected_tax,
        company=row.company or "",
        contact=row.contact or "",
        phone=row.phone or "",
        email=row.email or "",
    )
    attrs = dict(row.attrs or {})
    kept = bool(attrs.pop("contacts_kept", False))
    return StoredRequirement(row.id, req, row.status, row.created_at, kept, attrs)


def list_requirements(
    session: Session, *, limit: int = 50, offset: int = 0, status: str | None = None
) -> list[StoredRequirement]:
    """Newest first."""
    stmt = select(SiteRequirementRow).order_by(SiteRequirementRow.id.desc())
    if status:
        stmt = stmt.where(SiteRequirementRow.status == status)
    return [_record(r) for r in session.scalars(stmt.limit(limit).offset(offset))]


def count_requirements(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(SiteRequirementRow)) or 0
