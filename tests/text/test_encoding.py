"""Decoding Chinese pages: declared, undeclared, wrong declarations, damage, binaries."""

from __future__ import annotations

import pytest

from chainatlas.text.encoding import BinaryContentError, canonical_encoding, decode

TEXT = "深圳市高端医疗器械产业集群加快发展，多家企业在光明科学城签约落户。"
TRAD = "臺灣半導體產業鏈持續擴張，晶圓代工與設備材料廠商加碼投資。"


def page(body: str, charset: str | None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    ("encoding", "declared", "text"),
    [
        ("utf-8", "utf-8", TEXT),
        ("gbk", "gbk", TEXT),
        ("gb18030", "gb2312", TEXT),
        ("big5", "big5", TRAD),
        ("utf-8", None, TEXT),
        ("gb18030", None, TEXT * 3),
        ("big5", None, TRAD * 3),
    ],
)
def test_decodes_chinese_encodings_with_or_without_declaration(encoding, declared, text):
    result = decode(page(text, declared).encode(encoding))
    assert text in result.text
    assert result.bad_bytes == 0


def test_http_header_charset_is_used():
    result = decode(TEXT.encode("gbk"), declared="GBK")
    assert result.text == TEXT and result.encoding == "gb18030" and result.declared == "GBK"


def test_wrong_declaration_is_overruled_by_detection():
    data = page(TEXT * 3, "utf-8").encode("gb18030")
    result = decode(data)
    assert TEXT in result.text
    assert result.encoding == "gb18030"
    assert result.declared == "utf-8"


def test_damaged_utf8_reports_undecodable_bytes_instead_of_dropping_them():
    data = TEXT.encode("utf-8")
    damaged = data[:9] + b"\xff\xfe" + data[9:]
    result = decode(damaged)
    assert result.encoding == "utf-8"
    assert result.bad_bytes == 2
    assert result.first_bad_offset == 9
    assert "\ufffd" in result.text


def test_truncated_utf8_is_still_utf8():
    result = decode(TEXT.encode("utf-8")[:-1])
    assert result.encoding == "utf-8" and result.bad_bytes > 0
    assert result.text.startswith(TEXT[:-1])


def test_bom_wins():
    assert decode("\ufeff".encode() + TEXT.encode()).text == TEXT
    assert decode(TEXT.encode("utf-16")).text == TEXT


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7 ...", b"\x89PNG\r\n\x1a\n....", b"PK\x03\x04abc", b"\x00\x01\x02\x03" * 100],
)
def test_binary_input_is_refused(data):
    with pytest.raises(BinaryContentError, match="binary content"):
        decode(data)


def test_canonical_encoding_maps_subsets_to_supersets():
    assert canonical_encoding("GB2312") == "gb18030"
    assert canonical_encoding("big5") == "big5hkscs"
    assert canonical_encoding("no-such-charset") is None
