"""Advice extraction: who is told to do what, at clause level (``recommendations.csv``).

The rules follow ``data/annotations/ADVICE_GUIDELINES.md``; their patterns are the rows of
``data/lexicon/advice_rules.csv`` (each with an id, a category and examples), and every
recommendation names the ids that decided it (``rules``). Within a category the earliest match in
the clause wins, then the lower ``priority``, then the longer match.

1. **Sections.** Every heading opens a section; a heading that matches an ``advice_heading`` rule
   (如何, 怎么, 建议, 技巧, 指南 …) makes it an *advice section*.
2. **Cues** mark a clause as advice, tried in this order (:data:`CUE_ORDER`): a ``cue`` or
   ``evaluative`` rule (建议, 应该, 最好, 尽量, 务必 …; …是避免…的有效途径); an ``imperative`` at the
   start of the clause (先…, 保留…, 别…); the author encouraging (``author``: 我们鼓励 — 天猫也鼓励商家…
   describes policy); a ``duty`` (天猫需要…, 需要天猫…; never before a cost, and not the author's
   reasoning, ``duty_exception``); 需要 + a way to act (``duty_contact``) or an ``option`` (可以, 可,
   也能) only in a situation: a ``condition`` before it in the sentence or clause, or right after a
   question. A ``not_advice`` rule (不知道应该, 期待, 将更加) vetoes the clause. In an advice section a
   clause opened by a ``step`` word (首先/其次/最后) is advice even without a cue, and so is a sentence
   opened by an ``example`` word (例如/比如) right after an advice sentence.
3. **Pieces.** Each cue clause starts a piece of advice; following clauses that continue it
   (``continues``, ``purpose``) join it, and so does a condition or step clause just before it. An
   ``alternative`` clause (也…, 或者…) of the same action joins the piece before. The evidence is the
   piece, verbatim, without its closing punctuation.
4. **Audience**: the first actor named in the sentence up to the end of the piece that stands as a
   subject (not after an ``object_marker`` such as 向/拨打, not before a ``modifier_head`` such as 体验,
   not in an ``if_clause``); without one, the action's own audience, then for steps and examples the
   section's heading, then consumer (imperatives address the reader).
5. **Action**: the ``action`` rule that matches earliest in the piece (ties: the lower priority), among
   the labels of ``data/lexicon/actions.csv`` for that audience; general labels (``fallback``) only
   when no specific one matches; ``other`` if none.
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
from .rules.lexicon import Table
from .rules.matcher import Span, find_all, resolve

__all__ = ["AUDIENCES", "REC_COLUMNS", "ADVICE_COLUMNS", "Recommendation", "extract_recommendations",
           "recommendations_frame", "advice_items", "load_actions", "steering", "decision_guide", "CUE_ORDER",
           "ADVICE_RULE_CATEGORIES"]


AUDIENCE_ORDER = ("consumer", "merchant", "platform")  # a step's section heading: the first kind it names
CUE_ORDER = ("cue", "imperative", "author", "duty", "duty_contact", "option")  # precedence of the advice cues
ADVICE_RULE_CATEGORIES = (  # the categories of data/lexicon/advice_rules.csv (its README says what each marks)
    "cue", "evaluative", "imperative", "author", "duty", "duty_exception", "duty_contact", "option", "not_advice",
    "condition", "if_clause", "alternative", "step", "example", "continues", "purpose", "step_stop", "question",
    "advice_heading", "object_marker", "modifier_head", "action",
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
          "duty_contact": "duty", "option": "option"}


def _cue_in(clause: str, sentence_prefix: str, after_question: bool) -> tuple[str, str, tuple[str, ...]] | None:
    """(cue words, basis, rule ids) when the clause gives advice, else None."""
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


def _action(piece: str, audience: str | None) -> tuple[_Action, str | None]:
    """The action whose rule matches earliest in the piece (ties: the lower priority), with the rule's
    id; general labels (``fallback`` in actions.csv) only when no specific one matches."""
    actions = _actions_by_label()
    best = None
    for sp in find_all(_rules("action"), piece):
        a = actions[sp.rule["action"]]
        if audience and a.audience != audience:
            continue
        key = (a.fallback, sp.start, sp.rule.priority)
        if best is None or key < best[0]:
            best = (key, a, sp.id)
    if best:
        return best[1], best[2]
    return actions["other"], None


def _pieces(sentence: Sentence, norm: str, heading_rule: str | None, after_advice: bool, after_question: bool):
    """Yield (start, end, cue, basis, rule ids) spans of advice within one sentence (sentence-relative).
    ``heading_rule`` is the id of the ``advice_heading`` rule of the section, None outside one."""
    spans = clause_spans(norm)
    advice_idx: dict[int, tuple[str, str, tuple[str, ...]]] = {}
    for k, (s, e) in enumerate(spans):
        found = _cue_in(norm[s:e], norm[:s], after_question)
        if found:
            advice_idx[k] = found
    if not advice_idx and heading_rule:
        for k, (s, e) in enumerate(spans):
            step = _first("step", norm[s:e])
            if step and not _first("not_advice", norm[s:e]):
                advice_idx[k] = (norm[s:e][step.start : step.end].strip(), "step", (step.id, heading_rule))
                break
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
        # "…可向监管部门投诉，也可拨打12378投诉": an alternative for the same action joins the piece before
        alternative = _first("alternative", text(k))
        if pieces and pieces[-1][1] == k - 1 and alternative and action == pieces[-1][4]:
            pieces[-1][1] = k
            pieces[-1][5] += (alternative.id,)
            k += 1
            continue
        first = k
        # a step word or a condition just before the cue belongs to the piece
        while first > 0 and first - 1 not in advice_idx and (not pieces or pieces[-1][1] < first - 1) and (
            _first("condition", text(first - 1)) or _first("step", text(first - 1))
        ):
            first -= 1
        if basis == "cue" and lexicon_category(ids[0]) == "evaluative":
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


@lru_cache(maxsize=None)
def lexicon_category(rule_id: str) -> str:
    """The category of a row of ``advice_rules.csv``."""
    return next(r["category"] for r in lexicon.load("advice_rules") if r.id == rule_id)


def extract_recommendations(article: Article, sentences: list[Sentence] | None = None) -> list[Recommendation]:
    """All pieces of advice in an article, in text order."""
    sentences = split_sentences(article.text) if sentences is None else list(sentences)
    recs: list[Recommendation] = []
    section, heading_rule = "", None
    previous_analyses = []
    last_advice_sentence = -2
    prev_question = False
    for sent in sentences:
        analysis = _analyse(sent, previous_analyses)
        previous_analyses.append(analysis)
        if sent.is_heading:
            heading = _first("advice_heading", sent.text)
            section, heading_rule = sent.text, heading.id if heading else None
            prev_question = bool(_first("question", sent.text))
            continue
        norm = normalize_for_matching(sent.text)
        if _first("question", norm):
            prev_question = True
            continue
        after_advice = last_advice_sentence == sent.sentence_id - 1
        after_question = prev_question
        prev_question = False
        for s, e, cue, basis, ids in _pieces(sent, norm, heading_rule, after_advice, after_question):
            piece = norm[s:e]
            guess, _rule = _action(piece, None)
            audience = _audience(norm, s, e, section, None if guess.action == "other" else guess.audience, basis)
            if basis == "example" and recs and recs[-1].sentence_id == sent.sentence_id - 1:
                audience = recs[-1].audience
            act, action_rule = _action(piece, audience)
            chans = [m.channel for c in analysis.clauses for m in c.mentions
                     if s <= m.start < e and m.via in ("mention", "anaphora")]
            chans += list(act.channels)
            ordered = [c for c in CHANNELS if c in set(chans)]
            rules = ids + ((action_rule,) if action_rule else ())
            recs.append(Recommendation(
                article.article_id, sent.sentence_id, sent.start + s, sent.start + e, sent.text[s:e], audience,
                act.action, ";".join(ordered), cue, section, basis, ";".join(dict.fromkeys(rules)),
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
