"""Imported tables (migration 0004): records from CSV/Excel files and property listings.

Unlike the derived knowledge-base tables these are hand-fed data: a resolve never deletes
them. Each imported enterprise, park, research body or expert becomes a knowledge-base
entity at every resolve (origin "imported", or enriching the extracted entity it names).
Listings (land, factories, offices) are kept apart for the site matcher.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chainatlas.store.schema import Base

__all__ = ["ImportedRecordRow", "ListingRow"]


class ImportedRecordRow(Base):
    __tablename__ = "imported_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(12))  # enterprises | parks | research | experts
    key: Mapped[str] = mapped_column(String(400))  # upsert key, see imports.validate
    name: Mapped[str] = mapped_column(Text)
    credit_code: Mapped[str | None] = mapped_column(String(18))
    region_code: Mapped[str | None] = mapped_column(String(12))
    attrs: Mapped[dict] = mapped_column(JSON, default=dict)  # typed values + extra columns
    source: Mapped[str] = mapped_column(Text)  # file name of the last import
    source_row: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("kind", "key", name="uq_imported_records_kind_key"),
        Index("ix_imported_records_credit_code", "credit_code"),
        Index("ix_imported_records_name", "name"),
    )


class ListingRow(Base):
    """A piece of land, a factory or an office offered to investors."""

    __tablename__ = "listings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    listing_type: Mapped[str] = mapped_column(String(10))  # land | factory | office
    title: Mapped[str | None] = mapped_column(Text)
    area: Mapped[float | None] = mapped_column(Float)  # as written, in area_unit
    area_unit: Mapped[str | None] = mapped_column(String(10))
    area_sqm: Mapped[float | None] = mapped_column(Float)  # normalised, for matching
    price: Mapped[float | None] = mapped_column(Float)
    price_unit: Mapped[str | None] = mapped_column(String(40))  # as written: 元/㎡·月, 万元/亩
    park: Mapped[str | None] = mapped_column(Text)
    region_code: Mapped[str | None] = mapped_column(String(12))
    address: Mapped[str | None] = mapped_column(Text)
    available_from: Mapped[date | None]
    contact_name: Mapped[str | None] = mapped_column(String(100))  # masked in every export
    contact_phone: Mapped[str | None] = mapped_column(String(40))  # normalised; masked too
    attrs: Mapped[dict] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(Text)
    source_row: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_listings_region_code", "region_code"),
        Index("ix_listings_type", "listing_type"),
    )
