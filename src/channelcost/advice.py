"""Advice extraction: who is told to do what, at clause level (``recommendations.csv``).

The rules follow ``data/annotations/ADVICE_GUIDELINES.md``; their patterns are the rows of
``data/lexicon/advice_rules.csv`` (each with an id, a category and examples), and every
recommendation names the ids that decided it (``rules``). Within a category the earliest match in
the clause wins, then the lower ``priority``, then the longer match.

1. **Sentences.** Table rows and forum reply headers give no advice, nor do questions (a question
   mark, 吗, or an A-not-A question). A line numbered like an item (1. ① • -) is a list item even when
   it is short like a heading; a heading opens a section, an *advice section* when an
   ``advice_heading`` rule matches it (如何, 怎么, 步骤, 准备, 提醒 …). A heading that is itself an
   instruction (``heading_advice`` or a ``cue``: 警惕假冒客服, 二、打官方热线) is one piece of advice.
2. **Cues** mark a clause as advice, tried in this order (:data:`CUE_ORDER`): a ``cue`` or
   ``evaluative`` rule (建议, 应该, 最好, 别, 警惕, 请勿, 直接挂断, 就找…, 要找…, 按0转人工 …); an
   ``imperative`` at the start of the clause (先…, 保留…, 挂掉…); the author encouraging (``author``); a
   ``duty`` (天猫需要…, 需要天猫…; not the author's reasoning, ``duty_exception``); 需要 + a way
   (``duty_contact``) or an ``option`` (可以) only in a situation (a ``condition`` before it, or right
   after a question); an ``option_way``, 可以/即可/就能 + a way to act told to the reader, unless a
   service or channel is the subject (``service_subject``) or the sentence first describes what a
   service offers (``description``); an ``evaluative_way`` (走X最快, 适合…, 就够了) where the sentence
   names a channel. A ``not_advice`` rule (discourse such as 需要说明的是, 应该是 = probably, reported
   demands such as 说要先交…, a bare yes) vetoes the clause.
3. **Steps.** A clause that opens with a verb of doing (``step_verb``: 打开, 点击, 输入, 拨打 …) is a step
   when its sentence is a list item, stands in an advice section, or gives a path (``path``: →); so is
   the next item of a list of steps with a verb inside (``step_verb_inner``), every item of a list that
   advice announced (``list_intro``: 请准备以下材料：), and in an advice section a clause opened by a
   ``step`` word (首先/其次). A sentence opened by an ``example`` word right after advice is an example.
4. **Pieces.** Each cue clause starts a piece of advice; following clauses that continue it
   (``continues``, ``purpose``) join it, and so does a condition or step clause just before it. An
   ``alternative`` clause (也…, 或者…) of the same action, or a ``sequel`` (…，急事再打热线), joins the
   piece before. The evidence is the piece, verbatim, without its closing punctuation.
5. **Audience.** A duty goes to the actor who bears it (the subject of the piece, else of the sentence
   before it). Other advice goes to a platform or a shop only when one stands right before the advice
   word in its clause (天猫还应该…); a piece that goes on from the one before keeps its audience, an
   example that of the advice it illustrates; everything else addresses the reader (consumer).
6. **Action**: the ``action`` rule that matches earliest in the piece (ties: the lower priority), among
   the labels of ``data/lexicon/actions.csv`` for that audience; labels that are ``fallback`` only when
   no other matches, ``action_general`` rules only when no ``action`` rule does; ``other`` if none.
7. **Channels**: the channels the claim extractor finds in the piece (named or pointed back to), plus
   the channel an action implies (actions.csv ``channels``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import paths
from .claims import _analyse, lexicon_rule, normalize_for_matching
from .vocab import AUDIENCES, CHANNELS
from .reading import Article
from .sentences import Sentence, clause_spans, split_sentences
from .rules import lexicon
from .rules.lexicon import Table
from .rules.matcher import Span, find_all, resolve

__all__ = ["AUDIENCES", "REC_COLUMNS", "ADVICE_COLUMNS", "Recommendation", "extract_recommendations",
           "recommendations_frame", "advice_items", "load_actions", "steering", "decision_guide", "CUE_ORDER",
           "ADVICE_RULE_CATEGORIES"]


CUE_ORDER = ("cue", "imperative", "author", "duty", "duty_contact", "option", "option_way",  # precedence of the cues
             "evaluative_way")
ADVICE_RULE_CATEGORIES = (  # the categories of data/lexicon/advice_rules.csv (its README says what each marks)
    "cue", "evaluative", "imperative", "author", "duty", "duty_exception", "duty_contact", "option", "not_advice",
    "condition", "if_clause", "alternative", "step", "example", "continues", "purpose", "step_stop", "question",
    "advice_heading", "object_marker", "modifier_head", "action", "option_way", "service_subject", "evaluative_way",
    "step_verb", "heading_advice", "description", "path", "sequel", "action_general", "item_marker",
    "step_verb_inner", "list_intro", "heading_question", "addressing", "words", "reader_merchant",
    "consumer_frame",
)


@lru_cache(maxsize=None)
def _rules(category: str) -> Table:
    """The rows of ``data/lexicon/advice_rules.csv`` of one category."""
    return Table.of([r for r in lexicon.load("advice_rules") if r["category"] == category])


def _first(category: str | tuple[str, ...], text: str) -> Span | None:
    """The first match of the category's rules in ``text`` (earliest, then lower priority, then longer)."""
    spans = [sp for cat in ((category,) if isinstance(category, str) else category)
             for sp in find_all(_rules(cat), text)]
    return min(spans, key=lambda s: (s.start, s.rule.priority, s.start - s.end), default=None)


def _actors(norm: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, audience) of every actor in ``norm[lo:hi]``, in text order: the rows of
    ``data/lexicon/actors.csv`` (platforms, shops, and the consumer), overlaps by their precedence."""
    return [(sp.start, sp.end, sp.rule["kind"]) for sp in resolve(find_all(lexicon.load("actors"), norm, lo, hi))]


def _starts_with_actor(text: str) -> bool:
    """Whether ``text`` begins with an actor (as a step's next clause may, to start a new subject)."""
    norm = normalize_for_matching(text)
    return any(start == 0 for start, _e, _k in _actors(norm, 0, min(len(norm), 12)))


REC_COLUMNS = ["article_id", "rec_id", "sentence_id", "start", "end", "evidence", "audience", "action",
               "channels", "cue", "section", "basis", "rules"]
ADVICE_COLUMNS = ["article_id", "advice_id", "audience", "action", "description", "occurrences", "rec_ids",
                  "sentence_ids", "channels", "channel_costs", "example"]


@dataclass(frozen=True)
class _Action:
    action: str
    audience: str
    description: str
    channels: tuple[str, ...]
    fallback: bool = False


@lru_cache(maxsize=None)
def load_actions(path: Path = paths.LEXICON / "actions.csv") -> tuple[_Action, ...]:
    """The action vocabulary (``data/lexicon/actions.csv``); its patterns are the ``action`` rules."""
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(
            _Action(r["action"], r["audience"], r["description"], tuple(c for c in r["channels"].split(";") if c),
                    r["fallback"] == "true")
            for r in csv.DictReader(fh)
        )


@lru_cache(maxsize=None)
def _actions_by_label() -> dict[str, _Action]:
    return {a.action: a for a in load_actions()}


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
    rules: str = ""


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Shrink a span so it holds no white space or punctuation at either end."""
    while s < e and (text[s].isspace() or text[s] in "，,。；;：:！!？?、"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in "，,。；;：:！!？?、"):
        e -= 1
    return s, e


_BASIS = {"cue": "cue", "evaluative": "cue", "imperative": "cue", "author": "cue", "duty": "duty",
          "duty_contact": "duty", "option": "option", "option_way": "option", "evaluative_way": "cue"}


def _cue_in(clause: str, sentence_prefix: str, after_question: bool, names_channel: bool = False,
            ) -> tuple[str, str, tuple[str, ...]] | None:
    """(cue words, basis, rule ids) when the clause gives advice, else None. ``names_channel``: its
    sentence names a contact channel (an ``evaluative_way`` rule needs one)."""
    if _first("not_advice", clause):
        return None
    for category in CUE_ORDER:
        if category == "cue":
            m = _first(("cue", "evaluative"), clause)
        else:
            m = _first(category, clause)
        if not m:
            continue
        ids = (m.id,)
        if category == "duty" and _first("duty_exception", clause):
            continue
        if category in ("duty_contact", "option"):
            cond = _first("condition", sentence_prefix) or _first("condition", clause[: m.start])
            if not cond and not (category == "option" and after_question):
                continue
            ids += (cond.id,) if cond else ()
        if category == "option_way" and (_first("service_subject", clause[: m.start])
                                          or _first("description", sentence_prefix)):
            continue
        if category == "evaluative_way" and not names_channel:
            continue
        return clause[m.start : m.end].strip(), _BASIS[category], ids
    return None


def _subject(norm: str, lo: int, hi: int) -> str | None:
    """The audience of the first actor between lo and hi that stands as a subject: not an object
    (与商家, 拨打银行…), not a modifier (用户体验), not the subject of an if-clause (如果商家不处理)."""
    skip = [(a, b) for a, b in clause_spans(norm) if _first("if_clause", norm[a:b])]
    object_end = -1
    for start, end, kind in _actors(norm, lo, hi):
        if any(a <= start < b for a, b in skip):
            continue
        if start == object_end or _first("object_marker", norm[max(0, start - 3) : start]):
            object_end = end  # 向天猫平台: 平台 belongs to the same object
            continue
        if _first("modifier_head", norm[end : end + 3]):
            continue
        return kind
    return None


def _audience(norm: str, start: int, end: int, cue_at: int, cue: str, basis: str, reader: str = "consumer") -> str:
    """Who is advised. A duty (天猫需要…, 需要商家…) goes to the actor who bears it: the subject of the
    piece, else of the sentence before it. Other advice goes to a platform or shop only when it is the
    subject right before the advice word (天猫还应该…, 商家最好…); advice without one addresses the
    reader: a consumer, or a shop where the title addresses shops (``reader``: 商家必看)."""
    if cue_at >= 0 and _first("addressing", cue):  # 建议商家…, 要求平台…: the actor right after the word
        after = [kind for s, _e, kind in _actors(norm, cue_at + len(cue), min(len(norm), cue_at + len(cue) + 8))
                 if s == cue_at + len(cue)]
        if after:
            return after[0]
    if basis == "duty":
        return _subject(norm, start, end) or _subject(norm, 0, start) or reader
    if cue_at >= 0:
        clause_start = max((a for a, b in clause_spans(norm) if a <= cue_at), default=0)
        lo = max(clause_start, cue_at - _SUBJECT_REACH)
        found = _subject(norm, lo, cue_at)
        if found:
            return found
    if reader != "consumer" and _first("consumer_frame", norm[: cue_at if cue_at >= 0 else start]):
        return "consumer"  # 对买家来说，最好…: in a page for shops, the buyers' own advice
    return reader


_SUBJECT_REACH = 6  # an actor this far before the advice word, in its clause, is its subject (天猫也还应该)


def _action(piece: str, audience: str | None) -> tuple[_Action, str | None]:
    """The action whose rule matches earliest in the piece (ties: the lower priority), with the rule's
    id, among the actions for the audience; labels that are ``fallback`` in actions.csv only when no
    other matches, and ``action_general`` rules only when no ``action`` rule matches at all."""
    actions = _actions_by_label()
    for category in ("action", "action_general"):
        best = None
        for sp in find_all(_rules(category), piece):
            a = actions[sp.rule["action"]]
            if audience and a.audience not in (audience, "any"):
                continue
            key = (a.fallback and a.action != "other", sp.start, sp.rule.priority)
            if best is None or key < best[0]:
                best = (key, a, sp.id)
        if best:
            return best[1], best[2]
    return actions["other"], None


def _pieces(sentence: Sentence, norm: str, heading_rule: str | None, after_advice: bool, after_question: bool,
            kind: str = "body", mention_starts: tuple[int, ...] = (), after_step: bool = False,
            list_intro: tuple[str, str] | None = None):
    """Yield (start, end, cue, basis, rule ids) spans of advice within one sentence (sentence-relative).
    ``heading_rule`` is the id of the ``advice_heading`` rule of the section, None outside one; ``kind``
    the sentence's type (``list_item`` …); ``mention_starts`` where the sentence names a channel."""
    spans = clause_spans(norm)
    if kind == "list_item" and spans:  # the item's number or bullet is no part of the advice
        marker = next((sp for sp in find_all(lexicon.load("sentence_types"), norm) if sp.rule["type"] == "list_item"
                       and sp.start == 0), None)
        if marker and marker.end < spans[0][1]:
            spans[0] = (marker.end, spans[0][1])
    advice_idx: dict[int, tuple[str, str, tuple[str, ...]]] = {}
    names_channel = bool(mention_starts)  # the sentence names a channel (前者适合…: the clause may not)
    for k, (s, e) in enumerate(spans):
        found = _cue_in(norm[s:e], norm[:s], after_question, names_channel)
        if found:
            advice_idx[k] = found
    if not advice_idx and heading_rule:
        for k, (s, e) in enumerate(spans):
            step = _first("step", norm[s:e])
            if step and not _first("not_advice", norm[s:e]):
                advice_idx[k] = (norm[s:e][step.start : step.end].strip(), "step", (step.id, heading_rule))
                break
    if not advice_idx and spans and not _first("not_advice", norm):
        # a list item, a sentence of a how-to section or a path to follow (→) that opens with a verb of
        # doing is a step; so is the next item of a list whose item before was one
        s, e = spans[0]
        verb = _first("step_verb", norm[s:e])
        path = _first("path", norm)
        inner = _first("step_verb_inner", norm[s:e]) if kind == "list_item" and after_step else None
        if verb and (kind == "list_item" or heading_rule or path):
            advice_idx[0] = (norm[s:e][verb.start : verb.end].strip(), "step",
                             (verb.id,) + ((heading_rule,) if heading_rule else (path.id,) if path else ()))
        elif inner:  # the next item of a list of steps (2.右上角进入…)
            advice_idx[0] = (norm[s:e][inner.start : inner.end].strip(), "step", (inner.id,))
        elif kind == "list_item" and list_intro:  # an item of a list that advice announced (请准备以下材料：)
            advice_idx[0] = (list_intro[1], "step", (list_intro[0],))
    if not advice_idx and after_advice and not _first("not_advice", norm):
        example = _first("example", norm)
        if example:
            advice_idx[0] = (norm[example.start : example.end].strip(), "example", (example.id,))

    def text(k: int) -> str:
        return norm[spans[k][0] : spans[k][1]]

    def own_action(k: int) -> str | None:
        a, _rule = _action(text(k), None)
        return None if a.action == "other" else a.action

    # "业内人士建议，消费者应…": a clause that ends with its advice word introduces the next clause
    k = 0
    while k < len(spans) - 1:
        if k in advice_idx and advice_idx[k][1] == "cue" and text(k).rstrip("，,；;：: ").endswith(advice_idx[k][0]):
            spans[k] = (spans[k][0], spans[k + 1][1])
            del spans[k + 1]
            advice_idx = {(j if j <= k else j - 1): v for j, v in advice_idx.items() if j != k + 1}
        k += 1

    pieces: list[list] = []  # [first, last, cue, basis, action, rule ids]
    k = 0
    while k < len(spans):
        if k not in advice_idx:
            k += 1
            continue
        cue, basis, ids = advice_idx[k]
        action = own_action(k)
        # "…可向监管部门投诉，也可拨打12378投诉": an alternative for the same action joins the piece before;
        # "一般问题先用在线客服，急事再打热线": so does a sequel, whatever its action
        alternative = _first("alternative", text(k))
        before = pieces[-1][4] if pieces else None
        joined = alternative if alternative and action == before else (
            _first("sequel", text(k)) if action in (None, before, "choose_suitable_channel") else None)
        if pieces and pieces[-1][1] == k - 1 and joined:
            pieces[-1][1] = k
            pieces[-1][5] += (joined.id,)
            k += 1
            continue
        first = k
        # a step word or a condition just before the cue belongs to the piece
        while first > 0 and first - 1 not in advice_idx and (not pieces or pieces[-1][1] < first - 1) and (
            _first("condition", text(first - 1)) or _first("step", text(first - 1))
        ):
            first -= 1
        if basis == "cue" and lexicon_rule(ids[0])["category"] == "evaluative":
            first = 0  # "选择X,是避免费用的有效途径": the recommended choice is in the clauses before
        pieces.append([first, k, cue, basis, action, ids])
        j = k + 1
        while j < len(spans) and j not in advice_idx:
            nxt = text(j)
            purpose = _first("purpose", nxt)
            continues = purpose or _first("continues", nxt) or (
                basis in ("step", "example") and not _starts_with_actor(nxt) and not _first("step_stop", nxt)
            )
            if not continues:
                break
            other = None if purpose else own_action(j)
            if other and pieces[-1][4] and other != pieces[-1][4]:
                # "…注重提升服务温度,关注用户的个性化需求": a second piece of advice in the same breath
                pieces.append([j, j, cue, basis, other, ids])
            else:
                pieces[-1][1] = j
                pieces[-1][4] = pieces[-1][4] or other
            j += 1
        k = j
    for first, last, cue, basis, _action_label, ids in pieces:
        s, e = _trim(sentence.text, spans[first][0], spans[last][1])
        if s < e:
            yield s, e, cue, basis, ids


def extract_recommendations(article: Article, sentences: list[Sentence] | None = None) -> list[Recommendation]:
    """All pieces of advice in an article, in text order."""
    sentences = split_sentences(article.text) if sentences is None else list(sentences)
    recs: list[Recommendation] = []
    section, heading_rule = "", None
    previous_analyses = []
    last_advice_sentence = -2
    prev_question = False
    list_intro = None  # the rule of the advice that announced the list being read (请准备以下材料：)
    list_action = None  # the action of that advice, which its items share when they name none of their own
    lone_marker = False  # the sentence before was a list marker alone
    # who the article's unaddressed advice is for: the consumer, unless the title addresses shops
    title = normalize_for_matching(sentences[0].text) if sentences else ""
    reader = "merchant" if _first("reader_merchant", title) else "consumer"
    for sent in sentences:
        analysis = _analyse(sent, previous_analyses)
        previous_analyses.append(analysis)
        norm = normalize_for_matching(sent.text)
        marker = _first("item_marker", norm)
        if marker and not norm[marker.end :].strip():  # "1." cut off from its item: the next line is the item
            lone_marker = True
            continue
        kind = "list_item" if lone_marker or (marker and marker.id == "adv.item_circled") else analysis.kind
        item = kind == "list_item" and bool(marker or lone_marker)
        lone_marker = False
        if sent.is_heading and not item:
            heading = _first("advice_heading", norm)
            section, heading_rule = sent.text, heading.id if heading else None
            prev_question = bool(_first("question", norm))
            instruction = None if (prev_question or analysis.kind in _NOT_PROSE or _first("not_advice", norm)
                                   or _first("heading_question", norm)) else (
                _first("heading_advice", norm) or _first("cue", norm))
            if instruction:  # a heading that is itself an instruction (警惕假冒客服)
                s, e = _trim(sent.text, 0, len(sent.text))
                recs.append(_recommendation(article, sent, analysis, norm, s, e, norm[instruction.start : instruction.end], "cue",
                                            (instruction.id,), section, reader=reader))
                last_advice_sentence = sent.sentence_id
            list_intro = _announces_list(norm) if instruction else None
            if instruction and not list_intro and recs[-1].action != "other":
                # a heading that tells what to do (■ 致电前请准备) announces the list under it (1) 订单号 …)
                list_intro = (instruction.id, norm[instruction.start : instruction.end])
            list_action = recs[-1].action if list_intro else None
            continue
        if _first("question", norm) or analysis.is_question:
            prev_question = True
            continue
        if analysis.kind in _NOT_PROSE:
            continue
        if not item:
            list_intro = None
        after_advice = last_advice_sentence == sent.sentence_id - 1
        after_question = prev_question
        prev_question = False
        mention_starts = tuple(m.start for c in analysis.clauses for m in c.mentions if m.via in ("mention", "anaphora"))
        after_step = bool(recs) and recs[-1].sentence_id == sent.sentence_id - 1 and recs[-1].basis == "step"
        found = list(_pieces(sent, norm, heading_rule, after_advice, after_question, kind, mention_starts,
                             after_step, list_intro))
        for s, e, cue, basis, ids in found:
            previous = recs[-1] if basis == "example" and recs and recs[-1].sentence_id == sent.sentence_id - 1 else None
            same = recs[-1] if recs and recs[-1].sentence_id == sent.sentence_id else None
            rec = _recommendation(article, sent, analysis, norm, s, e, cue, basis, ids, section, previous, same, reader)
            if list_intro and list_intro[0] in ids and rec.action == "other" and list_action:
                rec = replace(rec, action=list_action)  # 准备好这些信息：① 订单号: what the list is for
            recs.append(rec)
            last_advice_sentence = sent.sentence_id
        if found and not item:
            list_intro = _announces_list(norm)
            list_action = recs[-1].action if list_intro else None
    return recs


def _announces_list(norm: str) -> tuple[str, str] | None:
    """(rule id, words) of the ``list_intro`` rule by which advice announces a list, if it does."""
    m = _first("list_intro", norm)
    return (m.id, norm[m.start : m.end].strip() or "：") if m else None


_NOT_PROSE = ("table_row", "table_separator", "reply_header")  # sentence types that give no advice
_NUMBERING = "一二三四五六七八九十0123456789、.)）(（ "


def _recommendation(article: Article, sent: Sentence, analysis, norm: str, s: int, e: int, cue: str, basis: str,
                    ids: tuple[str, ...], section: str, previous: Recommendation | None = None,
                    same_sentence: Recommendation | None = None, reader: str = "consumer") -> Recommendation:
    """The recommendation of the piece ``norm[s:e]`` of a sentence: its audience, action and channels.
    An example (``previous``: the advice it illustrates) keeps the audience of that advice."""
    piece = norm[s:e]
    cue_at = norm.find(cue, s, e) if cue else -1
    if previous is None and cue_at < 0 and same_sentence is not None:
        previous = same_sentence  # a piece that goes on from the one before it (…,关注用户的个性化需求)
    audience = previous.audience if previous else _audience(norm, s, e, cue_at, cue, basis, reader)
    act, action_rule = _action(piece, audience)
    chans = [m.channel for c in analysis.clauses for m in c.mentions
             if s <= m.start < e and m.via in ("mention", "anaphora")]
    chans += list(act.channels)
    ordered = [c for c in CHANNELS if c in set(chans)]
    rules = ids + ((action_rule,) if action_rule else ())
    return Recommendation(
        article.article_id, sent.sentence_id, sent.start + s, sent.start + e, sent.text[s:e], audience,
        act.action, ";".join(ordered), cue.lstrip(_NUMBERING) or cue, section, basis, ";".join(dict.fromkeys(rules)),
    )


def recommendations_frame(recs: list[Recommendation]) -> pd.DataFrame:
    rows = []
    counters: dict[str, int] = {}
    for r in sorted(recs, key=lambda r: (r.article_id, r.start)):
        counters[r.article_id] = counters.get(r.article_id, 0) + 1
        row = {k: getattr(r, k) for k in REC_COLUMNS if k != "rec_id"}
        row["rec_id"] = f"{r.article_id}-r{counters[r.article_id]:03d}"
        rows.append(row)
    from .io import frame_of_rows

    return frame_of_rows(rows, REC_COLUMNS, {"sentence_id": "int64", "start": "int64", "end": "int64"})


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


def _problem_kinds():
    """(kind, description, compiled pattern) of each row of ``data/lexicon/problem_kinds.csv``."""
    return tuple((r["problem_kind"], r["description"], r.regex) for r in lexicon.load("problem_kinds"))


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
