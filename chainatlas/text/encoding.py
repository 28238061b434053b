"""Bytes → text for Chinese web pages: declared charset, BOM, detection, honest error counts.

Chinese pages arrive as UTF-8, GBK/GB18030 or Big5, often with a missing or wrong charset
declaration. We never drop undecodable bytes silently: they become U+FFFD and are counted.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from chainatlas.ingest.records import Decoded

# GB2312 and GBK are subsets of GB18030, Big5 of Big5-HKSCS: decoding with the superset
# loses nothing and accepts the extra characters real sites use anyway.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "big5": "big5hkscs",
    "cp950": "big5hkscs",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
}
# Encodings a Chinese page realistically uses; restricting detection to them avoids
# exotic single-byte guesses on short texts.
_CANDIDATES = ["utf_8", "gb18030", "big5hkscs", "utf_16"]

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE
)
_XML_DECL = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.IGNORECASE)
_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_MAGIC = [
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG image"),
    (b"GIF8", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "ZIP archive (or .docx/.xlsx)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "executable"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
]


class BinaryContentError(ValueError):
    """The input is not text (an image, archive, executable...)."""


def canonical_encoding(name: str | None) -> str | None:
    """Normalise a charset label to a Python codec name, or None if unknown."""
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    label = _SUPERSETS.get(label, label)
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    return _SUPERSETS.get(codec, codec)


def sniff_declared_charset(data: bytes) -> str | None:
    """The charset a page declares in <meta> or an XML declaration (first 4 KB)."""
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_DECL.search(head)
    return match.group(1).decode("ascii", "ignore") if match else None


def check_not_binary(data: bytes) -> None:
    """Raise BinaryContentError when bytes are clearly not a text page."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise BinaryContentError(f"binary content ({kind}), not a text or HTML page")
    head = data[:8192]
    if any(head.startswith(bom) for bom, _ in _BOMS[1:]):
        return  # UTF-16 legitimately contains NUL bytes
    nuls = head.count(b"\x00")
    if nuls > max(1, len(head) // 100):
        raise BinaryContentError(
            f"binary content ({nuls} NUL bytes in the first {len(head)} bytes)"
        )


def _decode_counting(data: bytes, encoding: str) -> tuple[str, int, int | None]:
    """Decode with replacement, counting undecodable bytes and the first bad offset."""
    bad = 0
    first: int | None = None

    def handler(err: UnicodeDecodeError) -> tuple[str, int]:
        nonlocal bad, first
        bad += err.end - err.start
        if first is None:
            first = err.start
        return "\ufffd", err.end

    name = f"chainatlas-count-{id(handler)}"
    codecs.register_error(name, handler)
    text = data.decode(encoding, errors=name)
    return text, bad, first


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode page bytes. `declared` is a charset from outside (HTTP header), if any.

    Order: BOM, declared (header, then in-page), UTF-8, detection among Chinese encodings.
    A declaration that produces errors where detection decodes cleanly is overruled.
    """
    check_not_binary(data)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text, bad, first = _decode_counting(data, enc)
            return Decoded(text, "utf-16" if enc == "utf-16" else "utf-8", enc, bad, first)

    declared_label = declared or sniff_declared_charset(data)
    declared_enc = canonical_encoding(declared_label)
    if declared_enc:
        text, bad, first = _decode_counting(data, declared_enc)
        if bad == 0:
            return Decoded(text, declared_enc, declared_label)
        # The declaration may simply be wrong (common on re-published pages).
        guess = _detect(data)
        if guess and guess != declared_enc:
            g_text, g_bad, g_first = _decode_counting(data, guess)
            if g_bad < bad:
                return Decoded(g_text, guess, declared_label, g_bad, g_first)
        return Decoded(text, declared_enc, declared_label, bad, first)

    text, bad, first = _decode_counting(data, "utf-8")
    # A handful of bad bytes in otherwise valid UTF-8 is damage (truncation, a stray byte),
    # not another encoding: GB18030 would happily turn the whole page into mojibake.
    if bad == 0 or bad <= max(4, len(data) // 1000):
        return Decoded(text, "utf-8", None, bad, first)
    guess = _detect(data) or "gb18030"
    text, bad, first = _decode_counting(data, guess)
    return Decoded(text, guess, None, bad, first)


def _detect(data: bytes) -> str | None:
    best = from_bytes(data[:65536], cp_isolation=_CANDIDATES).best()
    if best is None:
        return None
    return canonical_encoding(best.encoding)
