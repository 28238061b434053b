"""milestone facts: construction, acceptance, approval and delivery events, with dates.

「该项目预计2025年底完成项目总验收」 → subject, event (the text's own words), date and
`expected`. Per sentence, each event word (封顶, 通过…验收, 下线, 投入使用, 获…批复,
启动…临床试验 …) is read with the clause it ends:

* date: the nearest date before the event in that clause, else a date that opens the
  sentence (「9月19日，由…承建的X通过国家验收」). Without a date only the strongest
  events are kept (封顶, 下线, 通过验收, 投入使用 …), at lower confidence.
* subject: the noun phrase that opens the clause, cut to the head after the last 的
  (「X自主研制的首台Y在某地下线」 → 首台Y). An empty or pronoun head (「…，2023年6月全面
  建成」, 该机车, 该项目) takes the subject of the clause or milestone before, or the
  project or facility of the previous sentences.
* expected: the date is a plan or lies ahead, or a plan word (预计, 计划, 将, 力争)
  governs the event.

A project's reported, done stage (已于3月开工, 一期已竣工) is an investment_project fact,
not a milestone: when investments.py produced that fact (same sentence or same project,
passed in as `prior`) the event is dropped here; when it did not, the event is kept at
lower confidence. Facilities (大科学装置, 实验室 …) always keep theirs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chainatlas.extract.facts.context import DocContext, Sentence
from chainatlas.extract.facts.events import PLANNED
from chainatlas.extract.facts.projects import find_projects
from chainatlas.extract.records import Arg, DateValue, EntityType, Fact, FactKind

__all__ = ["EXTRACTOR", "extract"]

EXTRACTOR = "facts.milestones.v2"

_GAP = r"[^，,。；;：:、]{0,10}?"
_EVENT = re.compile(
    r"(?:完成|通过|取得|获得|获)" + _GAP + r"(?:验收|鉴定|评审|受理|备案)"
    r"|(?:取得|获得|获)[^，,。；;：:、]{0,18}?(?:批复|许可|注册证|生产许可证|批准(?:上市|注册|生产))"
    r"|通过" + _GAP + r"(?:检查|核查)"
    r"|获批(?:上市|建设|立项)?"
    r"|(?:完成|启动|开展|展开|进入)" + _GAP + r"(?:临床试验|型式试验|试验|测试|安装|调试|出束)"
    r"|启动" + _GAP + r"建设|提交" + _GAP + r"申请"
    r"|建成投产|建成投用|建成运行|建成使用|全面建成|竣工投产|落成启用|竣工验收|主体封顶|封顶"
    r"|投入使用|投入运行|正式运行|试运行|投用|启用|下线|批量交付|交付使用|交付|完成签约"
    r"|实现满产|满产|全面达产|达产|开工建设|开工|动工|首次出束|出束|进厂|搬入|通线投片|通线|并网|点火|贯通|量产|投产|竣工|建成"
)
# Events clear enough to keep without a date (the gold then has date_text null).
_STRONG = re.compile(
    r"验收|封顶|下线|投入使用|投入运行|落成启用|建成投用|建成运行|出束|获批上市|注册证|批准上市|"
    r"完成.{0,10}临床试验"
)
# A done stage of a project belongs to investment_project.
_STAGE_EVENTS = frozenset(
    {"开工", "开工建设", "动工", "投产", "建成投产", "竣工投产", "竣工", "达产", "全面达产", "建成"}
)
_PROJECTISH = re.compile(r"项目|基地|工厂|产线|生产线|[一二三四五六七八九]期|工程|厂房|车间")
_DATED = re.compile(r"(?:20\d\d年|[0-9一二三四五六七八九十]+月)[底末初中]?(?:前|内)?$")
_CLAUSE = re.compile(r"[，,；;：:]")
_LEAD = re.compile(
    r"(?:其中|此外|另外|同时|目前|据悉|据了解|据介绍|按计划|按照计划|根据规划|根据计划|根据协议|"
    r"按照规划|下一步|预计|计划|将|力争|争取|有望|由此|而|并|则|另一家|另一款产品|其|公司)+"
)
_TRAIL = re.compile(
    r"(?:已经|已于|将于|预计于|计划于|拟于|有望于|争取于|力争于|已|将|预计|计划|拟|有望|力争|"
    r"争取|正式|顺利|成功|全面|如期|提前|目前|也|还|均|于|在|实现|即将|率先|首次|正在|日前|近日)+$"
)
_ATTRIBUTE = re.compile(r"^(?:上市申请|注册申请|临床试验申请|主体结构|主体工程|建设|施工)")
_ANAPHOR = re.compile(r"^该?([\u4e00-\u9fff]{1,3})$")
_VERBISH = re.compile(r"目前|正在|已|将|预计|计划|于|在|是|为|由|通过|完成|开始|进入|累计|主要")
_HEAD_NOUN = re.compile(
    r"(?:厂房|大楼|楼|项目|工程|基地|工厂|平台|装置|设施|中心|产线|生产线|设备|产品|机车|阵列|光源|"
    r"会址|场馆|馆|大厦|医院|校区|实验室|研究院|望远镜)$"
)
_MODEL = re.compile(
    r"[A-Za-z]+-?[0-9]|[0-9.]+[A-Za-z]|[A-Za-z]{2,}"
)  # RX-800, 1.5T…: a product code
_GENERIC_HEADS = frozenset({"产品", "设备", "系统", "机型", "车型", "药物", "平台"})
_SUBJECT_TYPES = (EntityType.FACILITY, EntityType.RESEARCH, EntityType.PARK)


@dataclass(slots=True)
class _Subject:
    arg: Arg
    facility: bool  # named facility or institute: its done stages stay milestones


def extract(ctx: DocContext, prior: list[Fact] | None = None) -> list[Fact]:
    """Milestones of `ctx`; `prior` are facts found before (investment_project facts
    decide which done stages belong to investments)."""
    out: list[Fact] = []
    seen: set[tuple[str, str, str]] = set()
    history: list[_Subject] = []  # subjects of earlier milestones, for 该X / empty heads
    invested = _invested(prior or [])
    for sent in ctx.sentences:
        prev_in_sentence: _Subject | None = None
        for ev in _EVENT.finditer(sent.norm):
            fact, subj = _read(ctx, sent, ev, prev_in_sentence, history, invested)
            if subj is not None:
                prev_in_sentence = subj
            if fact is None:
                continue
            # 开始量产交付 matches twice; one event per subject and date.
            key = (fact.args["subject"].text, _date_text(fact) or fact.args["event"], "")
            if key in seen:
                continue
            seen.add(key)
            out.append(fact)
            history.append(subj)  # type: ignore[arg-type]
    return out


def _invested(prior: list[Fact]) -> tuple[set[int], list[str]]:
    """Sentences with an investment_project fact, and the projects those facts name."""
    sents: set[int] = set()
    names: list[str] = []
    for f in prior:
        if f.kind is FactKind.INVESTMENT_PROJECT:
            sents.add(f.sentence_start)
            if isinstance(f.args.get("project"), Arg):
                names.append(f.args["project"].text)
    return sents, names


def _date_text(fact: Fact) -> str:
    d = fact.args.get("date")
    return d.text if isinstance(d, DateValue) else ""


def _read(
    ctx: DocContext,
    sent: Sentence,
    ev: re.Match[str],
    prev: _Subject | None,
    history: list[_Subject],
    invested: tuple[set[int], list[str]],
) -> tuple[Fact | None, _Subject | None]:
    norm = sent.norm
    es, ee = ev.start(), ev.end()
    after = norm[ee : ee + 2]
    if re.match(r"[前的]|阶段|条件|能力|手续|仪式|活动|典礼|大会", after) or (
        re.match(r"后|以后|之后", after) and not _DATED.search(norm[max(0, es - 12) : es])
    ):
        # 建成后 / 投产前 / 验收的: a condition or attribute, not an event; but
        # 「预计2024年建成运行后，…」 still dates the event itself.
        return None, None
    if re.search(r"(?:未|尚未|没有|暂未|不)$", norm[max(0, es - 2) : es]):
        return None, None
    cstart = 0
    for m in _CLAUSE.finditer(norm, 0, es):
        cstart = m.end()
    date = _date_in(sent, cstart, es)
    phrase_end = es
    if date is not None:
        phrase_end = date[0]
    else:
        date = _opening_date(sent, cstart)
    subj = _subject(ctx, sent, cstart, phrase_end, ev, prev, history)
    if subj is None:
        return None, None
    dv = date[2] if date is not None else None
    if dv is None and not _STRONG.search(ev.group()):
        return None, subj
    head = norm[cstart:es]
    expected = bool(dv is not None and dv.expected) or bool(PLANNED.search(head))
    if re.search(r"已|已经", head[-8:]) and not (dv is not None and dv.expected):
        expected = False
    conf = 0.65 if dv is not None else 0.5
    if not expected and ev.group() in _STAGE_EVENTS and not subj.facility:
        # A project's reported stage is an investment_project fact. When the investment
        # rules found it (same sentence, or the same project), leave it to them; when
        # they did not (no investor, no amount: 一期工程2022年9月破土动工) keep the event,
        # less sure.
        sents, names = invested
        if sent.start in sents or any(
            n in subj.arg.text or subj.arg.text in n for n in names if len(n) >= 3
        ):
            return None, subj
        conf = 0.5
    args = {"subject": subj.arg, "event": ev.group(), "date": dv, "expected": expected}
    return ctx.fact(FactKind.MILESTONE, args, sent, conf, EXTRACTOR), subj


def _date_in(sent: Sentence, lo: int, hi: int) -> tuple[int, int, DateValue] | None:
    """The last date inside [lo, hi) of the sentence (offsets relative to the sentence)."""
    best = None
    for s, e, d in sent.dates:
        if lo <= s - sent.start and e - sent.start <= hi:
            best = (s - sent.start, e - sent.start, d)
    return best


def _opening_date(sent: Sentence, cstart: int) -> tuple[int, int, DateValue] | None:
    """「9月19日，…」: a date that opens the sentence dates its first event clause."""
    for s, e, d in sent.dates:
        rs, re_ = s - sent.start, e - sent.start
        if (
            rs <= 1
            and re.match(r"[^，,]{0,2}[，,]", sent.norm[re_:])
            and all(not (re_ < x - sent.start < cstart) for x, _y, _d in sent.dates)
        ):
            return rs, re_, d
    return None


def _subject(
    ctx: DocContext,
    sent: Sentence,
    cstart: int,
    end: int,
    ev: re.Match[str],
    prev: _Subject | None,
    history: list[_Subject],
) -> _Subject | None:
    obj = re.match(r"启动(.{2,10}?)建设$", ev.group())
    if obj is not None and not obj.group(1).startswith("项目"):
        s = sent.start + ev.start() + 2  # 启动二期工程建设: the object is the subject
        return _Subject(ctx.span_arg(s, s + len(obj.group(1))), False)
    # Opening date (9月19日，…) is outside the clause already; cut a leading date too.
    lo = cstart
    for s, e, _d in sent.dates:
        if s - sent.start == lo:
            lo = e - sent.start
    phrase_lo, phrase_hi = _trim(sent.norm, lo, end)
    text = sent.norm[phrase_lo:phrase_hi]
    anchor = sent.start + ev.start()
    if not text:
        return prev or _carry(ctx, sent, cstart, history, anchor)
    a = _ANAPHOR.match(text)
    if a is not None and (text.startswith("该") or len(text) <= 2):
        found = _resolve(ctx, sent, a.group(1), history, anchor)
        if found is not None:
            arg = found.arg
            s = sent.start + phrase_lo
            return _Subject(Arg(arg.text, s, s + len(text), arg.type), found.facility)
        if text.startswith("该"):
            return None
    s, e = sent.start + phrase_lo, sent.start + phrase_hi
    named = [m for m in sent.mentions if m.start == s and m.end == e and m.type in _SUBJECT_TYPES]
    if named:
        return _Subject(ctx.org_arg(named[0]), True)
    if any(m.start == s and m.end == e and m.type is EntityType.COMPANY for m in sent.mentions):
        return None  # a company's own events (上市, 交付新车) are not milestones here
    if not 2 <= len(text) <= 25 or re.fullmatch(r"[0-9.年月日]+", text):
        return None
    facility = any(m.type in _SUBJECT_TYPES and s <= m.start and m.end == e for m in sent.mentions)
    return _Subject(ctx.span_arg(s, e), facility)


def _trim(norm: str, lo: int, hi: int) -> tuple[int, int]:
    """Cut a clause head down to the noun phrase naming what the event happens to."""
    text = norm[lo:hi]
    tail = _TRAIL.search(text)
    if tail is not None:
        hi -= len(tail.group())
        text = norm[lo:hi]
    at = _where(text)
    if at is not None:
        hi = lo + at  # 首台调车机车|在株洲田心园区|下线; 该产品已|在上海等地的5家医院|完成…
        text = norm[lo:hi]
        tail = _TRAIL.search(text)
        if tail is not None:
            hi -= len(tail.group())
            text = norm[lo:hi]
    greet = text.find("迎来")
    if greet >= 2:
        hi = lo + greet  # 封测基地|迎来首片晶圆下线
        text = norm[lo:hi]
    de = text.rfind("的")
    if de >= 0:
        after = text[de + 1 :]
        if _ATTRIBUTE.match(after):
            hi = lo + de  # AL-101的上市申请: the product is the subject
            text = norm[lo:hi]
            de = text.rfind("的")
        if de >= 0 and len(text) - de - 1 >= 2:
            lo += de + 1
    lead = _LEAD.match(norm, lo, hi)
    if lead is not None and lead.end() < hi:
        lo = lead.end()
    elif lead is not None:
        lo = hi
    return lo, hi


def _where(text: str) -> int | None:
    """Where a locative 在… phrase starts in a clause head, if it ends the head."""
    m = re.search(r"(?:已经|已|将|正|均|也|还|仍)?在", text)
    if m is None or m.start() == 0 or len(text) - m.start() > 24:
        return None
    return m.start()


def _carry(
    ctx: DocContext, sent: Sentence, cstart: int, history: list[_Subject], anchor: int
) -> _Subject | None:
    """An event clause with no subject of its own (「…，预计今年10月竣工」)."""
    if cstart > 0:
        # The clause before names it: 「公司二期厂房目前正在建设，预计今年10月竣工」.
        pstart = 0
        for m in _CLAUSE.finditer(sent.norm, 0, cstart - 1):
            pstart = m.end()
        prev_clause = sent.norm[pstart : cstart - 1]
        v = _VERBISH.search(prev_clause)
        if v is not None and v.start() >= 2:
            lo, hi = _trim(sent.norm, pstart, pstart + v.start())
            text = sent.norm[lo:hi]
            a = _ANAPHOR.match(text)
            if a is not None and text.startswith("该"):
                found = _resolve(ctx, sent, a.group(1), history, anchor)
                if found is not None:
                    s = sent.start + lo
                    return _Subject(
                        Arg(found.arg.text, s, s + len(text), found.arg.type), found.facility
                    )
            elif 2 <= len(text) <= 20 and (_HEAD_NOUN.search(text) or _MODEL.search(text)):
                return _Subject(ctx.span_arg(sent.start + lo, sent.start + hi), False)
    found = _resolve(ctx, sent, "项目", history, anchor)
    if found is None:
        return None
    s = anchor
    return _Subject(Arg(found.arg.text, s, s, found.arg.type), found.facility)


def _resolve(
    ctx: DocContext, sent: Sentence, head: str, history: list[_Subject], anchor: int = -1
) -> _Subject | None:
    """该机车 / 该项目 / 阵列: the latest subject, facility or project with that head."""
    if head in ("项目", "工程", "基地", "工厂"):
        here = [p for p in find_projects(ctx, sent) if p.end <= anchor]
        if here:
            p = here[-1]
            return _Subject(Arg(ctx.text[p.start : p.end], p.start, p.end, None), False)
    for subj in reversed(history[-4:]):
        if subj.arg.text.endswith(head) or (head == "项目" and _PROJECTISH.search(subj.arg.text)):
            return subj
    for m in reversed(ctx.mentions):
        if m.end > sent.start or m.type not in _SUBJECT_TYPES:
            continue
        if ctx.sentence_index(m.start) < sent.index - 3:
            break
        if ctx.norm[m.start : m.end].endswith(head):
            return _Subject(ctx.org_arg(m), True)
    if head in _GENERIC_HEADS and history:
        return history[-1]  # 该产品: the product the previous milestone was about
    if head in ("项目", "工程", "基地", "工厂"):
        # 「…强流重离子加速器装置…。该项目预计…」: a facility built as a project.
        for k in range(sent.index - 1, max(-1, sent.index - 3), -1):
            facilities = ctx.sentences[k].of(EntityType.FACILITY)
            if facilities and not find_projects(ctx, ctx.sentences[k]):
                return _Subject(ctx.org_arg(facilities[-1]), True)
        for k in range(sent.index, max(-1, sent.index - 3), -1):
            projects = find_projects(ctx, ctx.sentences[k])
            if k == sent.index:
                projects = [p for p in projects if p.end <= anchor]
            if projects:
                p = projects[-1]
                return _Subject(Arg(ctx.text[p.start : p.end], p.start, p.end, None), False)
    return None
