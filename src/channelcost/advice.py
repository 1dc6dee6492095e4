"""Advice extraction: who is told to do what, at clause level (``recommendations.csv``).

The rules follow ``data/annotations/ADVICE_GUIDELINES.md``:

1. **Sections.** Every heading opens a section; a heading that asks how (如何, 怎样, 怎么), or speaks of
   advice, tips or guides (建议, 技巧, 指南, 攻略, 注意) makes it an *advice section*.
2. **Cues** mark a clause as advice: modal and advice words (建议, 应该/应, 最好, 尽量, 务必, 优先 …);
   需要/要/必须 only when they put a duty on a named actor (天猫需要…, 需要天猫…), never before a cost
   (需要付费) nor as the author's reasoning (要理解…首先需要…); 可以先 / 可以考虑, or 可以 in a
   clause governed by a condition (当…时, 如果…, 遇到…); 鼓励 by the author (我们鼓励) — 天猫也鼓励商家…
   describes policy and is not advice; an evaluative recommendation (…是避免…的有效途径). In an
   advice section, a clause opened by 首先/其次/最后 is advice even without a cue, and so is a sentence
   opened by 例如/比如 right after an advice sentence (it gives an example of that advice).
3. **Pieces.** Each cue clause starts a piece of advice; following clauses that continue it (以便,
   从而, 避免, 积极, 不断, 并, 关注, 让 …) join it, and so does a condition clause just before it
   (在遇到问题时). The evidence is the piece, verbatim, without its closing punctuation.
4. **Audience**: the first actor named in the sentence up to the end of the piece (消费者/用户/你 →
   consumer; 天猫/平台/银行 … → platform; 商家/卖家/店铺 → merchant); without one, the section's
   heading decides, then the action's own audience, then consumer (imperatives address the reader).
5. **Action**: the first label of ``data/lexicon/actions.csv`` for that audience whose pattern
   matches the piece (the file lists specific labels before general ones); ``other`` if none.
6. **Channels**: the channels the claim extractor finds in the piece (named or pointed back to), plus
   the channel an action implies (actions.csv ``channels``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import paths
from .claims import _analyse, normalize_for_matching
from .vocab import AUDIENCES, CHANNELS
from .reading import Article
from .sentences import Sentence, clause_spans, split_sentences
from .rules import lexicon
from .rules.matcher import find_all, resolve

__all__ = ["AUDIENCES", "REC_COLUMNS", "ADVICE_COLUMNS", "Recommendation", "extract_recommendations",
           "recommendations_frame", "advice_items", "load_actions", "steering", "decision_guide"]


AUDIENCE_ORDER = ("consumer", "merchant", "platform")  # a step's section heading: the first kind it names


def _actors(norm: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, audience) of every actor in ``norm[lo:hi]``, in text order: the rows of
    ``data/lexicon/actors.csv`` (platforms, shops, and the consumer), overlaps by their precedence."""
    return [(sp.start, sp.end, sp.rule["kind"]) for sp in resolve(find_all(lexicon.load("actors"), norm, lo, hi))]


def _starts_with_actor(text: str) -> bool:
    """Whether ``text`` begins with an actor (as a step's next clause may, to start a new subject)."""
    norm = normalize_for_matching(text)
    return any(start == 0 for start, _e, _k in _actors(norm, 0, min(len(norm), 12)))


REC_COLUMNS = ["article_id", "rec_id", "sentence_id", "start", "end", "evidence", "audience", "action",
               "channels", "cue", "section", "basis"]
ADVICE_COLUMNS = ["article_id", "advice_id", "audience", "action", "description", "occurrences", "rec_ids",
                  "sentence_ids", "channels", "channel_costs", "example"]

_ADVICE_HEADING = re.compile(r"如何|怎样|怎么|建议|技巧|指南|攻略|注意|小贴士|须知|怎么办")
_CUE = re.compile(
    r"建议|应该|应当|(?<![相反供适响对回效感呼照答])应(?![用对该当付急聘邀届有的])|最好(?!的)|尽量|尽可能(?=[先用使选])"
    r"|务必|优先(?:选择|使用|考虑|通过)|记得|千万|不要(?!钱|紧|求)|别忘|可以先|可先|可以考虑|不妨"
    r"|要先|得先|需先|先要|能[^，,。；;]{1,10}就[^，,。；;]{1,8}"
    r"|是[^，,。]{0,14}(?:有效途径|有效方法|好办法|最佳选择|首选|明智)"
)
_IMPERATIVE = re.compile(r"^\s*(?:先(?![说讲来])(?=[\u4e00-\u9fff])|保留|保存|记得|注意|留意|别(?!人|的)|千万|不妨)")
_DUTY = re.compile(  # an actor (actors.csv, or the author's 我们) that needs to …; needs a platform or shop to …
    f"(?:{lexicon.actor_alternation('platform', 'merchant', 'consumer')}|我们)[^，,。；;]{{0,4}}?"
    r"(?:需要|必须|(?<![主重只想])要)(?!求|付|支付|收|花|交|想|钱|等)"  # not 主要, 重要, 只要, 想要
    f"|(?:需要|必须){lexicon.actor_alternation('platform', 'merchant')}"
)
_EVALUATIVE = re.compile(r"^是")
_AUTHOR_ENCOURAGES = re.compile(r"(?:我们|本文|笔者|小编)(?:也|还)?(?:鼓励|提醒|呼吁)")
_CONDITION = re.compile(
    r"当[^，,。]{0,30}时|如果|若是|若|遇到|一旦|万一|假如|要是|实在不行|不行的话|协商不成|解决不了|不方便|习惯|不回|不理|不处理"
    r"|在[^，,。]{0,20}(?:时|之前|之后|前|后)"
)
_IF_CLAUSE = re.compile(r"^\s*(?:如果|若|万一|一旦|要是|假如|倘若)|不理|不处理|不回|协商不成")
_CAN = re.compile(r"可以|可(?![能是惜见靠爱怕观乐谓])(?=[\u4e00-\u9fff])|还能|也能")
_ALTERNATIVE = re.compile(r"^\s*(?:也|或者|或|还)")
_STEP = re.compile(r"^\s*(首先|其次|再次|然后|最后|第[一二三四五六七八九十]|另外|此外还)")
_EXAMPLE_START = re.compile(r"^\s*(例如|比如|譬如)")
_CONTINUES = re.compile(r"^\s*(以便|以|从而|进而|避免|积极|不断|并且?|同时|关注|让|使|才能|来)")
_PURPOSE = re.compile(r"^\s*(以便|以|从而|进而|让|使|才能|来)")
_NOT_ADVICE = re.compile(r"不知道(?:应该|该|应)|期待|希望[^，,。]{0,4}能够|将会?(?:更加|成为|能够|探索)")
_QUESTION = re.compile(r"[?？吗]\s*$")
@dataclass(frozen=True)
class _Action:
    action: str
    audience: str
    description: str
    regex: re.Pattern | None
    channels: tuple[str, ...]
    fallback: bool = False


@lru_cache(maxsize=None)
def load_actions(path: Path = paths.LEXICON / "actions.csv") -> tuple[_Action, ...]:
    """The action vocabulary (``data/lexicon/actions.csv``), in priority order."""
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(
            _Action(r["action"], r["audience"], r["description"], re.compile(r["pattern"]) if r["pattern"] else None,
                    tuple(c for c in r["channels"].split(";") if c), r["fallback"] == "true")
            for r in csv.DictReader(fh)
        )


@dataclass(frozen=True)
class Recommendation:
    article_id: str
    sentence_id: int
    start: int
    end: int
    evidence: str
    audience: str
    action: str
    channels: str
    cue: str
    section: str
    basis: str


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Shrink a span so it holds no white space or punctuation at either end."""
    while s < e and (text[s].isspace() or text[s] in "，,。；;：:！!？?、"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in "，,。；;：:！!？?、"):
        e -= 1
    return s, e


def _cue_in(clause: str, sentence_prefix: str, after_question: bool) -> tuple[str, str] | None:
    """(cue words, basis) when the clause gives advice, else None."""
    if _NOT_ADVICE.search(clause):
        return None
    m = _CUE.search(clause) or _IMPERATIVE.search(clause)
    if m:
        return m.group().strip(), "cue"
    m = _AUTHOR_ENCOURAGES.search(clause)
    if m:
        return m.group(), "cue"
    m = _DUTY.search(clause)
    if m and not re.match(r"^\s*要(?:理解|知道|了解|说)", clause):
        return m.group(), "duty"
    m = re.search(r"需要(?=联系|拨打|找|转|使用|选择|前往|去)", clause)
    if m and (_CONDITION.search(sentence_prefix) or _CONDITION.search(clause[: m.start()])):
        return m.group(), "duty"
    m = _CAN.search(clause)
    if m and (after_question or _CONDITION.search(sentence_prefix) or _CONDITION.search(clause[: m.start()])):
        return m.group(), "option"
    return None


_OBJECT_BEFORE = re.compile(r"(?:与|和|跟|向|对|给|联系|鼓励|约束|督促|要求|让|为|使|帮助|方便|满足|拨打|打给|致电|找|到|在|用|申请)$")
_NOT_SUBJECT_AFTER = re.compile(r"^(?:体验|需求|画像|行为|的|信赖|权益|满意度|反馈|资源|等待|查找|感受|问题|提供|服务)")


def _subject(norm: str, lo: int, hi: int) -> str | None:
    """The audience of the first actor between lo and hi that stands as a subject: not an object
    (与商家, 拨打银行…), not a modifier (用户体验), not the subject of an if-clause (如果商家不处理)."""
    skip = [(a, b) for a, b in clause_spans(norm) if _IF_CLAUSE.search(norm[a:b])]
    object_end = -1
    for start, end, kind in _actors(norm, lo, hi):
        if any(a <= start < b for a, b in skip):
            continue
        if start == object_end or _OBJECT_BEFORE.search(norm[max(0, start - 3) : start]):
            object_end = end  # 向天猫平台: 平台 belongs to the same object
            continue
        if _NOT_SUBJECT_AFTER.match(norm[end : end + 3]):
            continue
        return kind
    return None


def _audience(norm: str, start: int, end: int, section: str, action_audience: str | None, basis: str) -> str:
    """Subject of the piece; else of the sentence before it; else the action's audience; for steps and
    examples the section's heading; else consumer (advice without a subject addresses the reader)."""
    found = _subject(norm, start, end) or _subject(norm, 0, start)
    if found:
        return found
    if action_audience in AUDIENCES:
        return action_audience
    if basis in ("step", "example"):
        named = {kind for _s, _e, kind in _actors(normalize_for_matching(section))}
        for kind in AUDIENCE_ORDER:
            if kind in named:
                return kind
    return "consumer"


def _action(piece: str, audience: str | None) -> _Action:
    """The action whose pattern matches earliest in the piece (ties: the vocabulary's order);
    general labels (``fallback`` in actions.csv) only when no specific one matches."""
    best: tuple[bool, int, int, _Action] | None = None
    for order, a in enumerate(load_actions()):
        if a.regex is None or (audience and a.audience != audience):
            continue
        m = a.regex.search(piece)
        if m and (best is None or (a.fallback, m.start(), order) < best[:3]):
            best = (a.fallback, m.start(), order, a)
    if best:
        return best[3]
    return next(a for a in load_actions() if a.action == "other")


def _pieces(sentence: Sentence, norm: str, in_advice_section: bool, after_advice: bool, after_question: bool):
    """Yield (start, end, cue, basis) spans of advice within one sentence (sentence-relative)."""
    spans = clause_spans(norm)
    advice_idx: dict[int, tuple[str, str]] = {}
    for k, (s, e) in enumerate(spans):
        found = _cue_in(norm[s:e], norm[:s], after_question)
        if found:
            advice_idx[k] = found
    if not advice_idx and in_advice_section:
        for k, (s, e) in enumerate(spans):
            if _STEP.match(norm[s:e]) and not _NOT_ADVICE.search(norm[s:e]):
                advice_idx[k] = (_STEP.match(norm[s:e]).group(1), "step")
                break
    if not advice_idx and after_advice and _EXAMPLE_START.match(norm) and not _NOT_ADVICE.search(norm):
        advice_idx[0] = (_EXAMPLE_START.match(norm).group(1), "example")

    def text(k: int) -> str:
        return norm[spans[k][0] : spans[k][1]]

    def own_action(k: int) -> str | None:
        a = _action(text(k), None)
        return None if a.action == "other" else a.action

    # "业内人士建议，消费者应…": a clause that ends with its advice word introduces the next clause
    k = 0
    while k < len(spans) - 1:
        if k in advice_idx and advice_idx[k][1] == "cue" and text(k).rstrip("，,；;：: ").endswith(advice_idx[k][0]):
            spans[k] = (spans[k][0], spans[k + 1][1])
            del spans[k + 1]
            advice_idx = {(j if j <= k else j - 1): v for j, v in advice_idx.items() if j != k + 1}
        k += 1

    pieces: list[list] = []  # [first, last, cue, basis, action]
    k = 0
    while k < len(spans):
        if k not in advice_idx:
            k += 1
            continue
        cue, basis = advice_idx[k]
        action = own_action(k)
        # "…可向监管部门投诉，也可拨打12378投诉": an alternative for the same action joins the piece before
        if pieces and pieces[-1][1] == k - 1 and _ALTERNATIVE.match(text(k)) and action == pieces[-1][4]:
            pieces[-1][1] = k
            k += 1
            continue
        first = k
        # a step word or a condition just before the cue belongs to the piece
        while first > 0 and first - 1 not in advice_idx and (not pieces or pieces[-1][1] < first - 1) and (
            _CONDITION.search(text(first - 1)) or _STEP.match(text(first - 1))
        ):
            first -= 1
        if basis == "cue" and _EVALUATIVE.match(cue):
            first = 0  # "选择X,是避免费用的有效途径": the recommended choice is in the clauses before
        pieces.append([first, k, cue, basis, action])
        j = k + 1
        while j < len(spans) and j not in advice_idx:
            nxt = text(j)
            continues = _CONTINUES.match(nxt) or (
                basis in ("step", "example") and not _starts_with_actor(nxt) and not re.match(r"^\s*这些", nxt)
            )
            if not continues:
                break
            other = None if _PURPOSE.match(nxt) else own_action(j)
            if other and pieces[-1][4] and other != pieces[-1][4]:
                # "…注重提升服务温度,关注用户的个性化需求": a second piece of advice in the same breath
                pieces.append([j, j, cue, basis, other])
            else:
                pieces[-1][1] = j
                pieces[-1][4] = pieces[-1][4] or other
            j += 1
        k = j
    for first, last, cue, basis, _action_label in pieces:
        s, e = _trim(sentence.text, spans[first][0], spans[last][1])
        if s < e:
            yield s, e, cue, basis


def extract_recommendations(article: Article, sentences: list[Sentence] | None = None) -> list[Recommendation]:
    """All pieces of advice in an article, in text order."""
    sentences = split_sentences(article.text) if sentences is None else list(sentences)
    recs: list[Recommendation] = []
    section, in_advice = "", False
    previous_analyses = []
    last_advice_sentence = -2
    prev_question = False
    for sent in sentences:
        analysis = _analyse(sent, previous_analyses)
        previous_analyses.append(analysis)
        if sent.is_heading:
            section, in_advice = sent.text, bool(_ADVICE_HEADING.search(sent.text))
            prev_question = bool(_QUESTION.search(sent.text))
            continue
        norm = normalize_for_matching(sent.text)
        if _QUESTION.search(norm):
            prev_question = True
            continue
        after_advice = last_advice_sentence == sent.sentence_id - 1
        after_question = prev_question
        prev_question = bool(_QUESTION.search(norm))
        for s, e, cue, basis in _pieces(sent, norm, in_advice, after_advice, after_question):
            piece = norm[s:e]
            guess = _action(piece, None)
            audience = _audience(norm, s, e, section, None if guess.action == "other" else guess.audience, basis)
            if basis == "example" and recs and recs[-1].sentence_id == sent.sentence_id - 1:
                audience = recs[-1].audience
            act = _action(piece, audience)
            chans = [m.channel for c in analysis.clauses for m in c.mentions
                     if s <= m.start < e and m.via in ("mention", "anaphora")]
            chans += list(act.channels)
            ordered = [c for c in CHANNELS if c in set(chans)]
            recs.append(Recommendation(
                article.article_id, sent.sentence_id, sent.start + s, sent.start + e, sent.text[s:e], audience,
                act.action, ";".join(ordered), cue, section, basis,
            ))
            last_advice_sentence = sent.sentence_id
    return recs


def recommendations_frame(recs: list[Recommendation]) -> pd.DataFrame:
    rows = []
    counters: dict[str, int] = {}
    for r in sorted(recs, key=lambda r: (r.article_id, r.start)):
        counters[r.article_id] = counters.get(r.article_id, 0) + 1
        row = {k: getattr(r, k) for k in REC_COLUMNS if k != "rec_id"}
        row["rec_id"] = f"{r.article_id}-r{counters[r.article_id]:03d}"
        rows.append(row)
    return pd.DataFrame(rows, columns=REC_COLUMNS).astype({"sentence_id": "int64", "start": "int64", "end": "int64"})


def advice_items(recs: pd.DataFrame, channels: pd.DataFrame) -> pd.DataFrame:
    """Unique advice: recommendations grouped by (article, audience, action), repeats counted.

    ``channel_costs`` gives each linked channel's consolidated verdict from ``channels.csv``
    (``channel=verdict``; ``not_in_claims`` when the article never names the channel as such).
    """
    descriptions = {a.action: a.description for a in load_actions()}
    verdicts = {(r.article_id, r.channel): r.verdict for r in channels.itertuples(index=False)}
    rows = []
    for article_id, grp_a in recs.groupby("article_id", sort=True):
        order = []
        for r in grp_a.itertuples(index=False):
            if (r.audience, r.action) not in order:
                order.append((r.audience, r.action))
        for n, (aud, act) in enumerate(order, start=1):
            g = grp_a[(grp_a["audience"] == aud) & (grp_a["action"] == act)]
            chans = set()
            for c in g["channels"]:
                chans.update(x for x in c.split(";") if x)
            ordered = [c for c in CHANNELS if c in chans]
            rows.append({
                "article_id": article_id,
                "advice_id": f"{article_id}-a{n:02d}",
                "audience": aud,
                "action": act,
                "description": descriptions.get(act, ""),
                "occurrences": len(g),
                "rec_ids": ";".join(g["rec_id"]),
                "sentence_ids": ";".join(str(i) for i in dict.fromkeys(g["sentence_id"])),
                "channels": ";".join(ordered),
                "channel_costs": ";".join(f"{c}={verdicts.get((article_id, c), 'not_in_claims')}" for c in ordered),
                "example": g.iloc[0]["evidence"],
            })
    return pd.DataFrame(rows, columns=ADVICE_COLUMNS).astype({"occurrences": "int64"})


COST_RANK = {"free": 0, "varies": 1, "unstated": 2, "conflicting": 2, "not_in_claims": 2, "paid": 3}
STEERING_COLUMNS = ["advice_id", "action", "occurrences", "channels", "channel_costs", "steers_free",
                    "sends_to_paid_or_unknown", "example"]
GUIDE_COLUMNS = ["problem_kind", "description", "channel", "cost", "alternatives", "sentence_ids", "evidence"]


def steering(advice: pd.DataFrame) -> pd.DataFrame:
    """Consumer advice items with the costs of the channels they point to.

    ``steers_free``: the advice is to use free channels first, or every channel it names is free.
    ``sends_to_paid_or_unknown``: it names a channel whose verdict is paid, varies, conflicting or
    not stated in the article.
    """
    rows = []
    for r in advice[advice["audience"] == "consumer"].itertuples(index=False):
        costs = dict(x.split("=") for x in r.channel_costs.split(";") if x)
        steers = r.action == "use_free_channel_first" or (bool(costs) and all(v == "free" for v in costs.values()))
        risky = any(v != "free" for v in costs.values())
        rows.append({"advice_id": r.advice_id, "action": r.action, "occurrences": r.occurrences,
                     "channels": r.channels, "channel_costs": r.channel_costs, "steers_free": steers,
                     "sends_to_paid_or_unknown": risky, "example": r.example})
    return pd.DataFrame(rows, columns=STEERING_COLUMNS)


@lru_cache(maxsize=None)
def _problem_kinds(path: Path = paths.LEXICON / "problem_kinds.csv"):
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple((r["problem_kind"], r["description"], re.compile(r["pattern"])) for r in csv.DictReader(fh))


def decision_guide(sentences: list[Sentence], claims: pd.DataFrame, channels: pd.DataFrame,
                   recs: pd.DataFrame) -> pd.DataFrame:
    """For each kind of problem the article names, the cheapest channel it supports for it.

    A problem kind (``data/lexicon/problem_kinds.csv``) is named in a sentence when its pattern
    matches; the channels of that sentence's claims and advice are the candidates, each with its
    consolidated cost from ``channels.csv``; the cheapest wins (free, varies, unstated, paid), ties
    going to the channel named in more of those sentences. Kinds the article never names are left out.
    """
    verdicts = {r.channel: r.verdict for r in channels.itertuples(index=False)}
    rows = []
    for kind, description, regex in _problem_kinds():
        hits = [s for s in sentences if not s.is_heading and regex.search(normalize_for_matching(s.text))]
        support: dict[str, list[int]] = {}
        for s in hits:
            chans = set(claims[claims["sentence_id"] == s.sentence_id]["channel"])
            for c in recs[recs["sentence_id"] == s.sentence_id]["channels"]:
                chans.update(x for x in c.split(";") if x)
            for ch in chans:
                support.setdefault(ch, []).append(s.sentence_id)
        if not support:
            continue
        ranked = sorted(support, key=lambda ch: (COST_RANK[verdicts.get(ch, "not_in_claims")], -len(support[ch]),
                                                 CHANNELS.index(ch)))
        best = ranked[0]
        first = next(s for s in hits if s.sentence_id == support[best][0])
        rows.append({
            "problem_kind": kind,
            "description": description,
            "channel": best,
            "cost": verdicts.get(best, "not_in_claims"),
            "alternatives": ";".join(f"{ch}={verdicts.get(ch, 'not_in_claims')}" for ch in ranked[1:]),
            "sentence_ids": ";".join(map(str, support[best])),
            "evidence": first.text,
        })
    return pd.DataFrame(rows, columns=GUIDE_COLUMNS)
