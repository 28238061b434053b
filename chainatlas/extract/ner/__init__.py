"""Named-entity recognition for CLUENER-style types (name, company, government, ...)."""

from chainatlas.extract.ner.spans import ALL_TYPES, PRODUCT_TYPES, Span
from chainatlas.extract.ner.tagger import Tagger, load_tagger

__all__ = ["ALL_TYPES", "PRODUCT_TYPES", "Span", "Tagger", "load_tagger"]
