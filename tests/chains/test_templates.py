"""Shipped chain templates load and validate; user overrides and error messages work."""

from __future__ import annotations

import statistics
import tomllib
from pathlib import Path

import pytest

from chainatlas.chains.templates import (
    MIN_SEGMENTS,
    ChainTemplateError,
    ChainTemplateWarning,
    Stage,
    load_chains,
    load_innovation_chain,
    load_shenwan,
    parse_chain,
)

DATA = Path(__file__).resolve().parents[2] / "chainatlas" / "data"

GUANGDONG_20 = [
    "新一代电子信息",
    "绿色石化",
    "智能家电",
    "汽车",
    "先进材料",
    "现代轻工纺织",
    "软件与信息服务",
    "超高清视频显示",
    "生物医药与健康",
    "现代农业与食品",
    "半导体与集成电路",
    "高端装备制造",
    "智能机器人",
    "区块链与量子信息",
    "前沿新材料",
    "新能源",
    "激光与增材制造",
    "数字创意",
    "安全应急与环保",
    "精密仪器设备",
]


@pytest.fixture(scope="module")
def catalog():
    return load_chains()


@pytest.fixture(scope="module")
def shenwan():
    return load_shenwan()


# ------------------------------------------------------------------ shipped data


def test_shipped_catalog_size_and_required_chains(catalog):
    assert len(catalog) >= 24
    for name in [*GUANGDONG_20, "新能源汽车", "高端医疗器械", "人工智能", "生猪"]:
        assert catalog.get(name) is not None, name
    assert catalog.warnings == []


def test_every_chain_has_enough_segments_in_all_stages(catalog):
    for chain in catalog:
        assert len(chain.segments) >= MIN_SEGMENTS, chain.id
        assert chain.stages == set(Stage), chain.id
        assert chain.description and chain.aliases, chain.id
        # Segments come out in chain order: upstream first, then by declared order.
        ranks = [(s.stage.rank, s.order) for s in chain.segments]
        assert ranks == sorted(ranks), chain.id


def test_segments_are_concrete(catalog):
    for chain in catalog:
        seen: dict[str, str] = {}
        for seg in chain.segments:
            assert 8 <= len(seg.keywords) <= 25, seg.key
            assert seg.products, seg.key
            assert seg.shenwan, seg.key
            # A keyword shared by two segments of one chain cannot tell them apart.
            for kw in seg.keywords:
                assert kw not in seen, f"{seg.key}: {kw!r} also in {seen.get(kw)}"
                seen[kw] = seg.key


def test_every_shenwan_code_exists_with_its_name(catalog, shenwan):
    assert len(shenwan) == 511
    for chain in catalog:
        for seg in chain.segments:
            for ref in seg.shenwan:
                assert shenwan.names.get(ref.code) == ref.name, (seg.key, ref)


def test_shipped_files_are_named_after_their_id():
    for path in sorted((DATA / "chains").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert path.stem == data["id"]


def test_innovation_chain_has_four_ordered_stages():
    stages = load_innovation_chain()
    assert [s.name for s in stages] == ["基础研究", "技术攻关", "成果产业化", "科技金融"]
    assert all(len(s.keywords) >= 8 for s in stages)
    assert "卡脖子" in stages[1].keywords and "中试" in stages[2].keywords


# ------------------------------------------------------------------ lookups


def test_get_by_id_name_and_alias(catalog):
    nev = catalog.get("nev")
    assert nev is not None and nev.name == "新能源汽车"
    assert catalog.get("电动汽车") is nev
    assert catalog.get(" 新能源车 ") is nev
    assert catalog.get("ＡＩ") is catalog.get("人工智能")  # full-width folded
    assert catalog.get("不存在的链") is None
    assert "生猪" in catalog
    with pytest.raises(KeyError, match="不存在的链"):
        catalog["不存在的链"]


def test_by_shenwan_exact_and_through_parent(catalog):
    hits = {(c.id, s.id) for c, s in catalog.by_shenwan("370502")}
    assert ("medical-devices", "medical-imaging") in hits
    assert ("biomedicine", "medical-devices-diagnostics") in hits
    assert catalog.by_shenwan("999999") == []


def test_by_shenwan_matches_segment_mapped_to_ancestor(tmp_path):
    path = _write(
        tmp_path, "coarse.toml", _chain_toml(shenwan='{ code = "370500", name = "医疗器械" }')
    )
    with pytest.warns(ChainTemplateWarning):
        catalog = load_chains([path])
    hits = [(c.id, s.id) for c, s in catalog.by_shenwan("370504")]
    assert ("demo-chain", "seg-1") in hits


def test_chain_segment_lookup(catalog):
    seg = catalog["高端医疗器械"].segment("ivd")
    assert seg.stage is Stage.MIDSTREAM and seg.key == "medical-devices/ivd"
    with pytest.raises(KeyError, match="nope"):
        catalog["高端医疗器械"].segment("nope")


# ------------------------------------------------------------------ user files


def _segment_toml(i: int, default_stage: str = "upstream", **over: str) -> str:
    fields = {
        "id": f'"seg-{i}"',
        "name": f'"环节{i}"',
        "stage": f'"{default_stage}"',
        "order": str(i),
        "keywords": f'["关键词{i}a", "关键词{i}b"]',
        "shenwan": '{ code = "370502", name = "医疗设备" }',
    }
    fields.update(over)
    body = "\n".join(
        f"shenwan = [{v}]" if k == "shenwan" else f"{k} = {v}" for k, v in fields.items() if v
    )
    return f"[[segments]]\n{body}\n"


def _chain_toml(
    chain_id: str = "demo-chain",
    name: str = "演示链",
    n: int = 3,
    extra_top: str = "",
    **seg_over: str,
) -> str:
    stages = ["upstream", "midstream", "downstream"]
    head = f'id = "{chain_id}"\nname = "{name}"\ndescription = "测试用的链。"\n{extra_top}\n'
    segs = [_segment_toml(i + 1, stages[i % 3], **(seg_over if i == 0 else {})) for i in range(n)]
    return head + "\n".join(segs)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_chain_is_added_with_warning_for_few_segments(tmp_path):
    path = _write(tmp_path, "mine.toml", _chain_toml())
    with pytest.warns(ChainTemplateWarning, match="fewer than 8"):
        catalog = load_chains([path])
    assert catalog.get("演示链").source == str(path)
    assert len(catalog) == len(load_chains()) + 1
    assert any("mine.toml" in w for w in catalog.warnings)


def test_user_chain_overrides_shipped_by_id(tmp_path):
    text = _chain_toml(chain_id="hog", name="生猪", n=9)
    _write(tmp_path, "hog-local.toml", text)
    catalog = load_chains([tmp_path])  # a directory works too
    hog = catalog.get("生猪")
    assert hog.source.endswith("hog-local.toml")
    assert hog.segments[0].id == "seg-1"
    assert catalog.get("生猪产业") is None  # shipped aliases went with the shipped chain
    assert catalog.warnings == []


def test_two_user_files_with_same_id_conflict(tmp_path):
    a = _write(tmp_path, "a.toml", _chain_toml(n=9))
    b = _write(tmp_path, "b.toml", _chain_toml(n=9))
    with pytest.raises(
        ChainTemplateError, match=r"b\.toml: id: chain 'demo-chain' is already defined"
    ):
        load_chains([a, b])


def test_user_alias_clashing_with_other_chain(tmp_path):
    path = _write(tmp_path, "x.toml", _chain_toml(n=9, extra_top='aliases = ["电动汽车"]'))
    with pytest.raises(
        ChainTemplateError, match=r"x\.toml: aliases: '电动汽车' already names chain 'nev'"
    ):
        load_chains([path])


def test_missing_user_path(tmp_path):
    with pytest.raises(ChainTemplateError, match="no such file"):
        load_chains([tmp_path / "absent.toml"])


# ------------------------------------------------------------------ error messages


def _parse(text: str, strict: bool = False):
    return parse_chain(
        tomllib.loads(text),
        "user.toml",
        strict=strict,
        shenwan=load_shenwan(),
        innovation_ids=[s.id for s in load_innovation_chain()],
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            _chain_toml(n=3).replace('id = "seg-2"', 'id = "seg-1"'),
            "user.toml: segments.id: duplicate id 'seg-1'",
        ),
        (
            _chain_toml(stage='"sidestream"'),
            "user.toml: segments[0] (id='seg-1').stage: unknown stage 'sidestream'",
        ),
        (
            _chain_toml(keywords="[]"),
            "user.toml: segments[0] (id='seg-1').keywords: must not be empty",
        ),
        (
            _chain_toml(keywords=""),
            "user.toml: segments[0] (id='seg-1').keywords: is required",
        ),
        (
            _chain_toml(shenwan='{ code = "37050", name = "医疗器械" }'),
            "user.toml: segments[0] (id='seg-1').shenwan[0].code: '37050' is not a 6-digit",
        ),
        (
            _chain_toml(shenwan='{ code = 370502, name = "医疗设备" }'),
            "user.toml: segments[0] (id='seg-1').shenwan[0].code: 370502 is not a 6-digit",
        ),
        (
            _chain_toml(shenwan='{ code = "123456", name = "虚构" }'),
            "shenwan[0].code: 123456 is not in the Shenwan 2021 tree",
        ),
        (
            _chain_toml(shenwan='{ code = "370502", name = "医疗器械" }'),
            "shenwan[0].name: '医疗器械' does not match Shenwan 2021 name '医疗设备'",
        ),
        (
            _chain_toml(colour='"red"'),
            "user.toml: segments[0] (id='seg-1'): unknown key(s) colour",
        ),
        (
            _chain_toml(extra_top='owner = "me"'),
            "user.toml: (top level): unknown key(s) owner",
        ),
        (
            _chain_toml(innovation='["moonshot"]'),
            "innovation[0]: unknown innovation stage 'moonshot'",
        ),
        (
            _chain_toml(order="true"),
            "user.toml: segments[0] (id='seg-1').order: must be an integer >= 1",
        ),
        (
            _chain_toml(chain_id="新链"),
            "user.toml: id: '新链' is not an ASCII slug",
        ),
        (
            _chain_toml(n=3).replace("order = 2", "order = 1"),
            "user.toml: segments.order: duplicate order 1",
        ),
    ],
)
def test_error_names_file_and_field(text, message):
    with pytest.raises(ChainTemplateError) as info:
        _parse(text)
    assert message in str(info.value)


def test_strict_mode_rejects_what_user_mode_warns_about():
    text = _chain_toml(n=2)  # two segments, no downstream
    chain, notes = _parse(text, strict=False)
    assert len(chain.segments) == 2
    assert any("fewer than 8" in n for n in notes)
    assert any("no segment in stage(s) downstream" in n for n in notes)
    with pytest.raises(ChainTemplateError, match=r"user\.toml: segments: has 2 segments"):
        _parse(text, strict=True)


def test_chinese_stage_labels_accepted():
    chain, _ = _parse(_chain_toml(stage='"下游"'))
    assert chain.segment("seg-1").stage is Stage.DOWNSTREAM


def test_invalid_toml_reports_file(tmp_path):
    path = _write(tmp_path, "broken.toml", 'id = "x"\nname = \n')
    with pytest.raises(ChainTemplateError, match=r"broken\.toml: not valid TOML"):
        load_chains([path])


# ------------------------------------------------------------------ figures


def test_catalog_figures(catalog):
    counts = [len(c.segments) for c in catalog]
    codes = {r.code for c in catalog for s in c.segments for r in s.shenwan}
    assert min(counts) >= 8 and statistics.median(counts) >= 9
    assert len(codes) >= 150
