"""Structured imports: CSV / Excel tables of enterprises, parks, listings, research bodies
and experts → validated records → the store (`imported_records`, `listings`)."""
