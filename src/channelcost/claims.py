"""Claim extraction: which contact channel does a sentence mention, and what does it say it costs?

One claim per (sentence, channel), following ``data/annotations/GUIDELINES.md``. Every decision
comes from a rule table in ``data/lexicon/`` (patterns with ids, precedence and examples) and
every claim lists the ids that decided it in ``rules``. The steps, for each sentence:

1. **Normalise** for matching without moving offsets: full-width forms to half-width, lower
   case, traditional characters to simplified (OpenCC's character table, one for one).
2. **Type** the sentence (``sentence_types.csv``): table row (its cells read with the table's
   header row), table separator, infobox field (属性：值), Q&A line, list item, body; headings
   come from the segmenter.
3. **Channels** (``channels.csv``): matches of four or more characters are taken as they are;
   shorter ones must begin and end on jieba token boundaries (通话费用 never yields 电话). Phone,
   mobile and chat mentions belong to a merchant when the nearest actor (``actors.csv``) before
   them is one. ``customer_service`` (the service as a whole, 找客服, 京东客服) counts only when no
   other channel shares its clause, and X客服 only in a sentence that states or asks a cost.
4. **Cost cues** (``cost_cues.csv``), matched over the whole sentence by precedence; distractors
   (运费, 手续费, 扣费日, 免费领取 …) take their span first so no cue fires inside them.
5. **Modifiers** (``modifiers.csv``, after NegEx/ConText): pseudo-triggers (不仅, 不同, 免不了)
   take their span first; questions (A-not-A, 是否, a closing 吗 or ？) drop the cues of their
   clause; beliefs (以为) drop the cues in their scope, and a correction with no cost of its own
   after them (其实不是这样) asserts the believed cost flipped; negations flip free/paid in their forward
   scope, negated universals (不完全, 并非都, 不一定) make it ``varies``; a condition (如果, 只要)
   with a restriction in its scope (会员, 本网, 境外), or a restriction right before a cue, makes it
   ``varies`` (which phone is used, 座机打, limits only a free cost); scopes end at the clause's end or a terminator (但, 而, 其实, 的那样 …). Hedges mark
   the cues of their clause, except pseudo-hedges (一般问题).
6. **Attribution.** A clause is cut again at terminators. A cue goes to the channels of its
   clause; with none, to those of the nearest earlier clause (``attr.context``), or for an answer
   to the channels of its question (``attr.answer``), for a cost that names no subject to the
   channel the latest of the paragraph's last two sentences named last, with the others of that
   channel's family it named (``attr.topic``: 所以严格说不算完全免费;
   not for a kind of channel, 免费的沟通渠道), for an infobox field to the channel of the
   field above (``attr.field``), for a table cell to the row's channel, else its header's
   (``attr.table``). 前者/后者, 这些渠道 and 它 are resolved by ``anaphora.csv``. 不是X而是Y gives the
   topic's cost to Y and denies it of X (``mod.focus``).
7. **Verdict per channel**: any ``varies`` cue, or free beside paid, makes it ``varies``, except
   that a charge with an amount that depends (按市话计费，视套餐而定; category ``depends_amount``)
   and no free cost stays ``paid``; then paid, then free; a weak "depends" (取决于) only when
   nothing stronger is said. ``hedged`` when a
   hedge shares a clause with a deciding cue (or with the mention a context cue went to),
   ``negated`` when a negation flipped a deciding cue.
"""

from __future__ import annotations

import bisect
import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .companies import CompanyContext, belief_about_a_kind, find_companies, named_together, public_line, speaks_generally
from .reading import Article
from .rules import lexicon
from .rules.matcher import Span, find_all, may_match, resolve
from .sentences import Sentence, clause_spans, iter_sentences
from .textnorm import norm_char, t2s_table
from .tokens import tokenize
from .vocab import CHANNEL_FAMILY, CHANNELS, COSTS, PHONE_LINES, RECEIVABLE, STATED_COSTS

__all__ = [
    "CHANNELS",
    "COSTS",
    "CLAIM_COLUMNS",
    "Claim",
    "normalize_for_matching",
    "extract_claims",
    "iter_claims",
    "claims_frame",
    "claims_csv_bytes",
    "claims_csv_chunks",
]

CLAIM_COLUMNS = [
    "article_id", "claim_id", "sentence_id", "start", "end", "evidence", "channel", "cost", "cue",
    "hedged", "negated", "rules", "mention", "mention_start", "mention_end", "via", "company",
]



@lru_cache(maxsize=None)
def _role(name: str) -> re.Pattern:
    """The pattern of the row of ``data/lexicon/claim_roles.csv`` whose role is ``name``: the words that
    give a clause, a cell or a span its role (a copula, a yes cell, a group noun …)."""
    (rule,) = [r for r in lexicon.load("claim_roles") if r["role"] == name]
    return rule.regex


_SURE_LENGTH = 4  # channel matches this long skip the token-boundary check
_WINDOW = 5  # characters of context either side of a short channel match when checking boundaries
_NEG_REACH = 16  # at most this many characters from a negation's end to the cue it flips
_RESTRICTION_REACH = 16  # a restriction this close before a cue, in its clause, makes it varies
_SCAM_REACH = 14  # a channel this close after a scam trigger, in its clause, is the scammer's
_CONDITION_REACH = 40  # a condition this far before a cue can restrict it
_SUBJECT_REACH = 8  # a restriction starting this close to the sentence's start is its subject


# -- normalisation -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _matching_table() -> dict[int, str]:
    """``str.translate`` table: every character of the Basic Multilingual Plane that normalisation changes.
    Circled numbers (①…⑳) are kept: they number list items, and folded to digits they would run into the
    phone number after them (①12315 → 112315)."""
    t2s = t2s_table()
    table: dict[int, str] = {}
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF or 0x2460 <= cp <= 0x2473:
            continue
        ch = chr(cp)
        n = norm_char(ch)
        n = t2s.get(n, n)
        if n != ch:
            table[cp] = n
    for src, dst in t2s.items():  # traditional characters outside the BMP
        if ord(src) > 0xFFFF:
            table[ord(src)] = dst
    return table


def normalize_for_matching(text: str) -> str:
    """Width-folded, lower-cased, simplified text of exactly the same length as ``text``."""
    return text.translate(_matching_table())


# -- rule tables ---------------------------------------------------------------------------------


_CLAIM_ACTORS = ("platform", "merchant")  # whose line or chat a channel is; the consumer is no owner


def _actor_spans(norm: str) -> list[tuple[int, str, int]]:
    """(start, kind, end) of every platform or shop named in the text, in order."""
    spans = [s for s in find_all(lexicon.load("actors"), norm) if s.rule["kind"] in _CLAIM_ACTORS]
    return [(s.start, s.rule["kind"], s.end) for s in resolve(spans)]


def _sentence_type(norm: str) -> tuple[str, str]:
    for r in lexicon.load("sentence_types"):
        if r.regex.search(norm):
            return r["type"], r.id
    return "body", ""


# -- data classes --------------------------------------------------------------------------------


@dataclass
class _Mention:
    channel: str
    start: int  # within the sentence
    end: int
    via: str = "mention"
    rules: tuple[str, ...] = ()


@dataclass
class _Cue:
    cost: str  # after modifiers: free, paid, varies
    strong: bool
    start: int
    end: int
    rules: list[str]
    negated: bool = False
    hedged: bool = False
    extra: bool = False  # 不收额外费用: counts only where nothing else is said of the cost


@dataclass
class _Clause:
    start: int
    end: int
    mentions: list[_Mention] = field(default_factory=list)
    cues: list[_Cue] = field(default_factory=list)
    question: str = ""  # the id of the question rule, if the clause asks


@dataclass
class _Analysis:
    sentence: Sentence
    norm: str
    kind: str
    kind_rule: str
    clauses: list[_Clause]
    extra: dict[str, tuple[str, list[_Cue], tuple[str, ...]]] = field(default_factory=dict)
    cells: list[tuple[int, int]] = field(default_factory=list)  # table cells
    silent: dict[str, str] = field(default_factory=dict)  # channel -> the rule that says it is not used (不用打电话)

    def channels(self, explicit_only: bool = False) -> list[str]:
        seen: list[str] = []
        for c in self.clauses:
            for m in c.mentions:
                if explicit_only and m.via != "mention":
                    continue
                if m.channel not in seen:
                    seen.append(m.channel)
        return seen

    @property
    def is_question(self) -> bool:
        return bool(self.clauses) and any(c.question for c in self.clauses) and not any(
            c.cues for c in self.clauses
        )

    def cost_of(self, channel: str) -> str:
        return self.verdicts().get(channel, ("unstated", [], ()))[0]

    def verdicts(self) -> dict[str, tuple[str, list[_Cue], tuple[str, ...]]]:
        by_channel: dict[str, list[_Cue]] = {}
        for c in self.clauses:
            for ch in dict.fromkeys(m.channel for m in c.mentions):  # a clause's cues count once per channel
                by_channel.setdefault(ch, []).extend(c.cues)
        out = {ch: (*_verdict(cs), ()) for ch, cs in by_channel.items()}
        for ch, (cost, cues, rules) in self.extra.items():
            if ch in out and out[ch][0] != "unstated":
                merged = out[ch][1] + cues
                out[ch] = (*_verdict(merged), rules)
            else:
                out[ch] = (cost, cues, rules)
        for ch, rule in self.silent.items():  # 不用打电话，在App里就能办: the cost is the other way's
            if ch in out:
                out[ch] = ("unstated", [], (rule,))
        return out


@dataclass(frozen=True)
class Claim:
    """One (sentence, channel) claim; offsets are into the article text."""

    article_id: str
    sentence_id: int
    start: int
    end: int
    evidence: str
    channel: str
    cost: str
    cue: str
    hedged: bool
    negated: bool
    rules: str
    mention: str
    mention_start: int
    mention_end: int
    via: str
    company: str = ""  # the company the claim is about (channelcost.companies), empty if none in view


# -- clauses ---------------------------------------------------------------------------------------


def _cells(norm: str) -> list[tuple[int, int]]:
    """Cell spans of a table row (pipes of either width, or tabs), stripped of blanks."""
    cuts = [i for i, ch in enumerate(norm) if ch in "|\t"]
    bounds = [-1, *cuts, len(norm)]
    out = []
    for a, b in zip(bounds, bounds[1:]):
        s, e = a + 1, b
        while s < e and norm[s].isspace():
            s += 1
        while e > s and norm[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _comma_clauses(norm: str) -> list[tuple[int, int]]:
    """The segmenter's clause spans, a clause joined to the one before when it goes on with it: one
    opened by 例如/比如 (claim_roles.csv, list_opener), or the consequence of a denied reason
    (不会因为你多问几句，就收费: denied_reason, then consequence), so that the negation reaches it."""
    merged: list[tuple[int, int]] = []
    for s, e in clause_spans(norm):
        if merged and (_role("list_opener").match(norm[s:e]) or (
                _role("consequence").match(norm[s:e]) and _role("denied_reason").search(norm, *merged[-1]))):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _clause_spans(norm: str, terminators: list[Span]) -> list[tuple[int, int]]:
    """Clauses: the segmenter's clause spans, a clause opened by 例如/比如 joined to the one before,
    each cut again where a terminator (但, 而, 其实 …) begins."""
    merged = _comma_clauses(norm)
    cuts = sorted(t.start for t in terminators)
    out = []
    for s, e in merged:
        inner = [c for c in cuts[bisect.bisect_right(cuts, s) : bisect.bisect_left(cuts, e)] if norm[s:c].strip()]
        bounds = [s, *inner, e]
        out.extend((a, b) for a, b in zip(bounds, bounds[1:]) if b > a)
    return out


def _clause_of(spans: list[tuple[int, int]], pos: int) -> int:
    lo, hi = 0, len(spans)
    while lo < hi:  # bisect on the starts without building a list (spans are in text order)
        mid = (lo + hi) // 2
        if spans[mid][0] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return max(0, lo - 1)


def _starting_in(spans: list[Span], lo: int, hi: int) -> list[Span]:
    """The spans (in text order) that start in [lo, hi): a window, so the work stays linear."""
    a = bisect.bisect_left(spans, lo, key=lambda sp: sp.start)
    b = bisect.bisect_left(spans, hi, key=lambda sp: sp.start)
    return spans[a:b]


# -- channels --------------------------------------------------------------------------------------


def _nearest_actor(actors: list[tuple[int, str]], pos: int, clause: tuple[int, int], context: str | None) -> str | None:
    """'merchant' or 'platform': the last actor named before ``pos``, else the first after it in
    the clause, else the last actor of the sentences just before (``context``)."""
    i = bisect.bisect_left(actors, (pos, ""))
    if i > 0:
        return actors[i - 1][1]
    if i < len(actors) and actors[i][0] < clause[1]:
        return actors[i][1]
    return context


def _find_mentions(norm: str, candidates: list[Span], kind: str, clauses: list[tuple[int, int]],
                   context: str | None, cells: list[tuple[int, int]]) -> list[_Mention]:
    if not candidates:
        return []  # most sentences name no channel: no need to tokenize them
    cell_rules = [r for r in lexicon.load("channels") if r["kind"] == "cell"]
    candidates = [c for c in candidates if c.rule["kind"] != "cell"]
    if kind in ("table_row", "field"):
        value_spans = cells if kind == "table_row" else [(norm.find("：") + 1 if "：" in norm else norm.find(":") + 1, len(norm))]
        for s, e in value_spans:
            for r in cell_rules:
                m = r.regex.fullmatch(norm, s, e) or r.regex.search(norm[s:e])
                if m and m.group().strip():
                    lo = s + len(norm[s:e]) - len(norm[s:e].lstrip())
                    candidates.append(Span(r, lo, lo + len(norm[s:e].strip())))
    # jieba's cut is local: tokenizing windows around the short matches gives the same boundaries
    # there as the whole sentence would, at a fraction of the cost
    short = sorted((c for c in candidates if c.end - c.start < _SURE_LENGTH), key=lambda c: c.start)
    windows: list[list[int]] = []
    for c in short:
        cl = clauses[_clause_of(clauses, c.start)]
        lo, hi = max(cl[0], c.start - _WINDOW), min(max(cl[1], c.end), c.end + _WINDOW)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    starts: set[int] = set()
    ends: set[int] = set()
    for lo, hi in windows:
        for t in tokenize(norm[lo:hi], offset=lo, keep_space=True, hmm=False):
            starts.add(t.start)
            ends.add(t.end)
    ok = [c for c in candidates if c.end - c.start >= _SURE_LENGTH or (c.start in starts and c.end in ends)]
    kept = resolve(ok)
    inside = bytearray(len(norm))
    for sp in kept:
        if sp.rule["kind"] != "merchant_contact":  # 与商家沟通 still names the shop for its neighbours
            inside[sp.start : sp.end] = b"\x01" * (sp.end - sp.start)
    # a platform named as the place a number is posted (在携程页面上留了400电话) does not own it
    actors = [(s, k) for s, k, e in _actor_spans(norm) if not inside[s]
              and not (k == "platform" and _role("actor_place").match(norm, e))]
    found: list[_Mention] = []
    for sp in kept:
        rule = sp.rule
        label = rule["label"]
        k = rule["kind"]
        if k in ("phone", "mobile", "chat"):
            # a chat is the shop's only where the sentence names the shop
            actor = _nearest_actor(actors, sp.start, clauses[_clause_of(clauses, sp.start)],
                                   None if k == "chat" else context)
            if k == "phone":
                label = "merchant_hotline" if actor == "merchant" else "official_hotline"
            elif k == "chat":
                label = "merchant_chat" if actor == "merchant" else "online_chat"
            elif actor != "merchant":
                continue  # the consumer's own phone
        found.append(_Mention(label, sp.start, sp.end, "mention", (rule.id,)))
    return found


# -- cues and modifiers ----------------------------------------------------------------------------


def _find_cues(norm: str) -> tuple[list[Span], bytearray]:
    """Cost cues of a sentence by precedence, distractors removed; and the text they claim."""
    taken = bytearray(len(norm))
    spans = resolve(find_all(lexicon.load("cost_cues"), norm), taken)
    objects = [s.start for s in spans if s.rule["cost"] == "none"]
    cues = [s for s in spans if s.rule["cost"] != "none"
            and not any(0 <= o - s.end <= 3 for o in objects)]  # 收取服务费: the cue is about that fee
    return cues, taken


def _find_modifiers(norm: str, cues: list[Span]) -> dict[str, list[Span]]:
    """Modifier spans by category. Pseudo-triggers and terminators claim their text first; a
    trigger inside a cue is part of the cue (收不收费 is a question, but 是否 inside 是否收费要看套餐
    belongs to the "depends" cue)."""
    taken = bytearray(len(norm))
    for c in cues:
        if c.rule["category"] in ("depends", "depends_amount"):
            taken[c.start : c.end] = b"\x01" * (c.end - c.start)
    mods = [m for m in find_all(lexicon.load("modifiers"), norm) if m.rule["category"] != "focus"]
    # question particles are tried at each clause's end by the caller; here only the in-text ones
    mods = [m for m in mods if m.rule.id != "mod.question.particle"]
    # a correction (其实不是这样) is read as a whole and leaves its 其实 and 不是 to the other categories
    corrections = [m for m in mods if m.rule["category"] == "correction"]
    mods = [m for m in mods if m.rule["category"] != "correction"]
    out: dict[str, list[Span]] = {"correction": resolve(corrections)} if corrections else {}
    for m in resolve(mods, taken):
        out.setdefault(m.rule["category"], []).append(m)
    # a trigger that is part of a cue (收 of 收费, 免 of 免费) is not a modifier, except a question
    cue_cover = bytearray(len(norm))
    for c in cues:
        cue_cover[c.start : c.end] = b"\x01" * (c.end - c.start)
    for cat in list(out):
        if cat != "question":
            out[cat] = [m for m in out[cat] if not all(cue_cover[m.start : m.end])]
    return out


def _scope_end(start: int, clause_end: int, terminators: list[Span], reach: int | None = None) -> int:
    end = clause_end if reach is None else min(clause_end, start + reach)
    for t in terminators:
        if start <= t.start < end:
            return t.start
    return end


def _apply_modifiers(norm: str, cues: list[Span], mods: dict[str, list[Span]],
                     clauses: list[_Clause], comma_clauses: list[tuple[int, int]], table: bool = False) -> None:
    """Turn cue spans into clause cues with their cost after negation, belief, condition and
    question; mark hedges. ``table``: the sentence is a table row (its cells are the clauses)."""
    terms = mods.get("terminator", [])
    for cl in clauses:
        tail = norm[cl.start : cl.end]
        qs = [m for m in _starting_in(mods.get("question", []), cl.start, cl.end) if m.rule["direction"] != "span"]
        if qs:
            cl.question = qs[0].id
        elif _particle().regex.search(tail):
            cl.question = _particle().id
    # a question's clause (comma-level) asks as a whole: 拨打热线要付费还是免费？
    by_comma: dict[int, list[_Clause]] = {}
    for c in clauses:  # clauses and comma clauses are both in text order
        by_comma.setdefault(_clause_of(comma_clauses, c.start), []).append(c)
    rhetorical = mods.get("rhetorical", [])
    for k, inner in by_comma.items():
        if any(comma_clauses[k][0] <= r.start < comma_clauses[k][1] for r in rhetorical):
            for c in inner:
                c.question = ""  # 难道…吗 asserts
        asked = next((c.question for c in inner if c.question), "")
        if asked:
            for c in inner:
                c.question = c.question or asked

    spans_of = [(c.start, c.end) for c in clauses]
    named = [(m.start, m.end) for c in clauses for m in c.mentions]
    believed: list[tuple[Span, str, str]] = []  # cues inside a belief, with the cost believed
    surcharges: list[tuple[_Cue, list[str]]] = []  # charges that hold for some callers only
    for sp in cues:
        k = _clause_of(spans_of, sp.start)
        cl = clauses[k]
        rules = [sp.id]
        if cl.question:
            continue
        comma = comma_clauses[_clause_of(comma_clauses, sp.start)]
        # a trigger's scope ends with its own clause, so only the cue's clause can hold one
        if any(q.start <= sp.start < q.end for q in _starting_in(mods.get("question", []), sp.start - 60, sp.start + 1)
               if q.rule["direction"] == "span"):
            continue
        if _starting_in(mods.get("scam", []), comma[0], sp.start + 1):
            continue
        # beliefs drop what they cover; a denied belief (别以为) is a negation and flips it instead
        beliefs = [b for b in _starting_in(mods.get("belief", []), comma[0], sp.start) if _in_scope(b, sp, comma_clauses, terms)]
        cost = sp.rule["cost"]
        category = sp.rule["category"]
        strong = category != "depends_weak"
        negated = False
        for n in _starting_in(rhetorical, comma[0], sp.start):
            negated = True
            rules.append(n.id)
            cost = {"free": "paid", "paid": "free"}.get(cost, cost)
        for n in _starting_in(mods.get("negation", []), max(comma[0], sp.start - _NEG_REACH - 12), sp.start):
            if _in_scope(n, sp, comma_clauses, terms, _NEG_REACH):
                negated = True
                rules.append(n.id)
                if n.rule["effect"] == "varies":
                    cost = "varies"
                elif cost == "free":
                    cost = "paid"
                elif cost == "paid":
                    cost = "free"
        if beliefs:
            believed.append((sp, cost, beliefs[0].id))
            continue
        if negated and category in ("partial", "surcharge"):
            continue  # 不收长途费: no long-distance fee says nothing about the call as a whole
        # a denied fee on top of the call (不收服务费, 不会额外收钱) yields to what is said of the call itself
        extra = negated and (category == "extra_fee" or any(max(comma[0], sp.start - 8) <= x.start < min(comma[1], sp.end + 8)
                                                            for x in mods.get("extra", [])))
        restricted = _restricted(sp, cost, mods, norm, comma_clauses, named) if cost in ("free", "paid") else []
        if restricted and category not in ("partial", "surcharge"):
            cost = "varies"
            rules.extend(restricted)
        cue = _Cue(cost, strong, sp.start, sp.end, rules, negated, extra=extra)
        cl.cues.append(cue)
        if restricted and (category == "partial" or (category == "surcharge" and not table)) and cost == "paid" and not _starting_in(
                mods.get("surcharge", []), max(comma[0], sp.start - 6), sp.start):
            surcharges.append((cue, restricted))
    # a charge for some callers only (人在国外要付长途费, 境外拨打另计) makes the cost vary, unless it
    # is said as added to the call (加收, 还要付: mod.surcharge) or the sentence already treats the
    # channel as paid: then the channel stays paid (hard call 18). In a table row 另计 is a remark
    # beside the row's own cost cell (| 是 | 境外拨打另计 |), which stays.
    if surcharges and not any(c.cost == "paid" and c.strong and not any(c is x for x, _ in surcharges)
                              for cl in clauses for c in cl.cues):
        for cue, restricted in surcharges:
            cue.cost = "varies"
            cue.rules.extend(restricted)
    _correct_beliefs(believed, mods.get("correction", []), clauses, spans_of, norm)
    for cl in clauses:
        hedges = _starting_in(mods.get("hedge", []), cl.start, cl.end) if cl.cues else []
        if hedges:
            for c in cl.cues:
                c.hedged = True
                c.rules.append(hedges[0].id)


def _correct_beliefs(believed: list[tuple[Span, str, str]], corrections: list[Span], clauses: list[_Clause],
                     spans_of: list[tuple[int, int]], norm: str = "") -> None:
    """以为X免费，其实不是这样: a correction with no cost of its own denies the belief before it, so
    the believed cost flips (negated); one that denies it only in part (其实不完全是, 其实要分情况:
    effect vary_belief) makes it vary, negated when it says so with a negation word. A correction
    followed by its own cost leaves that cost to speak."""
    for corr in corrections:
        before = [(sp, cost, bid) for sp, cost, bid in believed if sp.end <= corr.start and cost in ("free", "paid")]
        if not before:
            continue
        cl = clauses[_clause_of(spans_of, corr.start)]
        if any(c.start >= corr.start for c in cl.cues):
            continue
        sp, cost, bid = before[-1]
        if corr.rule["effect"] == "vary_belief":
            denied = bool(_role("negation_word").search(norm, corr.start, corr.end))
            cl.cues.append(_Cue("varies", True, corr.start, corr.end, [sp.id, bid, corr.id], denied))
            continue
        flipped = "paid" if cost == "free" else "free"
        cl.cues.append(_Cue(flipped, True, corr.start, corr.end, [sp.id, bid, corr.id], True))


@lru_cache(maxsize=1)
def _particle() -> lexicon.Rule:
    return next(r for r in lexicon.load("modifiers") if r.id == "mod.question.particle")


@lru_cache(maxsize=1)
def _focus() -> lexicon.Rule:
    return next(r for r in lexicon.load("modifiers") if r["category"] == "focus")


def _in_scope(trigger: Span, cue: Span, comma_clauses: list[tuple[int, int]], terms: list[Span],
              reach: int | None = None) -> bool:
    """Whether a forward trigger's scope covers the cue: from the trigger to the end of the
    trigger's own clause, cut at the first terminator after it (and at ``reach`` characters)."""
    if not (trigger.start < cue.start and trigger.end <= cue.end):
        return False
    end = _scope_end(trigger.end, _comma_end(comma_clauses, trigger.start), terms, reach)
    return cue.start < end


def _comma_end(comma_clauses: list[tuple[int, int]], pos: int) -> int:
    return comma_clauses[_clause_of(comma_clauses, pos)][1]


def _restricted(cue: Span, cost: str, mods: dict[str, list[Span]], norm: str, comma_clauses: list[tuple[int, int]],
                named: list[tuple[int, int]] = ()) -> list[str]:
    """Rule ids that make a cost hold only for some: a restriction shortly before the cue
    (会员免费, 本网用户免费, 在国外拨打…收费), or a condition before it whose scope holds a
    restriction (如果你是金卡会员，…免费)."""
    # a restriction inside a channel's name (会员专线) restricts nothing: it is who the line is for
    # which phone is used limits only a free cost (座机打免费 varies, 用座机打只收市话费 stays paid)
    restrictions = [r for r in mods.get("restriction", []) if not any(s <= r.start < e for s, e in named)
                    and (cost == "free" or r.rule["effect"] != "varies-if-free")]
    k = _clause_of(comma_clauses, cue.start)
    for r in _starting_in(restrictions, cue.start - 2 * _RESTRICTION_REACH - 12, cue.start):
        if r.end <= cue.start:
            j = _clause_of(comma_clauses, r.start)
            # in the cue's own clause, or in the clause before when one of the two is about dialling
            # (在国外拨打95010要加拨+86，按国际长途收费; 人在国外的话，拨打热线要付长途费), not a
            # beneficiary (方便老年客户，同样免费)
            if j == k and cue.start - r.end <= _RESTRICTION_REACH:
                return [r.id]
            if j == k - 1 and cue.start - r.end <= 2 * _RESTRICTION_REACH and (
                    _role("dialling").search(norm, *comma_clauses[j]) or _role("dialling").search(norm, *comma_clauses[k])):
                return [r.id]
    for c in _starting_in(mods.get("condition", []), cue.start - _CONDITION_REACH, cue.start):
        if c.end <= cue.start:
            inside = _starting_in(restrictions, c.end, cue.start)
            if inside:
                return [c.id, inside[0].id]
    # who dials, said as the sentence's subject (中国移动的手机用户在国内拨打10086，…都不会额外计费):
    # a restriction opening a first clause that dials holds for the whole sentence
    first = comma_clauses[0]
    if k > 0 and _role("dialling").search(norm, *first):
        for r in _starting_in(restrictions, first[0], first[0] + _SUBJECT_REACH):
            if r.end <= first[1]:
                return [r.id]
    return []


@lru_cache(maxsize=1)
def _amount_depends() -> frozenset[str]:
    """Cue ids that say the amount depends (视套餐而定): beside a charge, it stays a charge."""
    return frozenset(r.id for r in lexicon.load("cost_cues") if r["category"] == "depends_amount")


def _verdict(cues: list[_Cue]) -> tuple[str, list[_Cue]]:
    """The cost the cues support and the cues that decided it."""
    strong = [c for c in cues if c.strong]
    if any(not c.extra for c in strong):
        strong = [c for c in strong if not c.extra]
    varies = [c for c in strong if c.cost == "varies"]
    free = [c for c in strong if c.cost == "free"]
    paid = [c for c in strong if c.cost == "paid"]
    if varies and paid and not free and all(c.rules[0] in _amount_depends() for c in varies):
        return "paid", paid  # 按市话计费，视套餐而定: what depends is how much, not whether
    if varies:
        return "varies", varies
    if free and paid:
        return "varies", free + paid
    if paid:
        return "paid", paid
    if free:
        return "free", free
    weak = [c for c in cues if not c.strong]
    if weak:
        return "varies", weak
    return "unstated", []


# -- one sentence ----------------------------------------------------------------------------------


@dataclass
class _State:
    """What the sentences before this one leave for it: earlier analyses and the open table."""

    previous: list[_Analysis] = field(default_factory=list)
    header: _Analysis | None = None  # the first row of the table being read
    header_channels: list[list[_Mention]] = field(default_factory=list)  # the channels each header cell names
    last_row: int = -2  # paragraph id of its latest row or separator
    thread: list[str] = field(default_factory=list)  # the channel the opening post is about
    replies: bool = False  # a reply's floor line (2楼) has been read: a forum thread


def _analyse(sentence: Sentence, previous: list[_Analysis], state: _State | None = None) -> _Analysis:
    state = state or _State(previous)
    norm = normalize_for_matching(sentence.text)
    kind, kind_rule = _sentence_type(norm)
    candidates = find_all(lexicon.load("channels"), norm)
    if kind == "reply_header":
        state.replies, state.header = True, None
        return _Analysis(sentence, norm, kind, kind_rule, [_Clause(0, len(norm))])
    if kind == "legend":  # “是”表示需自付通话费: it explains a table, it claims nothing (the table stays open)
        return _Analysis(sentence, norm, kind, kind_rule, [_Clause(0, len(norm))])
    thread = state.thread if state.replies else []
    if kind in ("body", "list_item") and not _may_matter(norm, candidates, previous, bool(thread)):
        # most sentences name no channel, point back to none and answer no question: they make no
        # claim, so their cues and modifiers need not be read (cost stays linear and small)
        state.header = None
        return _Analysis(sentence, norm, kind, kind_rule, [_Clause(0, len(norm))])
    cue_spans, _ = _find_cues(norm)
    mods = _find_modifiers(norm, cue_spans)
    cells = _cells(norm) if kind == "table_row" else []
    if kind == "table_row":
        comma_clauses = cells or [(0, len(norm))]
        spans = comma_clauses
    else:
        comma_clauses = _comma_clauses(norm)
        spans = _clause_spans(norm, mods.get("terminator", []))
    if not spans:
        spans = [(0, len(norm))]
    if not comma_clauses:
        comma_clauses = [(0, len(norm))]
    context = None  # the actor of the sentence just before, in the same paragraph
    if previous and previous[-1].sentence.paragraph_id == sentence.paragraph_id:
        found = _actor_spans(previous[-1].norm)
        if found:
            context = found[-1][1]
    mentions = _find_mentions(norm, candidates, kind, spans, context, cells)
    # a channel word inside a cost cue is part of the tariff (按普通电话算), not a channel named
    mentions = [m for m in mentions if not any(c.start <= m.start and m.end <= c.end for c in cue_spans)]
    clauses = [_Clause(s, e) for s, e in spans]
    for m in mentions:
        clauses[_clause_of(spans, m.start)].mentions.append(m)
    _apply_modifiers(norm, cue_spans, mods, clauses, comma_clauses, table=kind == "table_row")
    analysis = _Analysis(sentence, norm, kind, kind_rule, clauses, cells=cells,
                         silent=_avoided(clauses, mods.get("avoid", [])))

    _keep_service_mentions(analysis, mods)
    _resolve_dialling(analysis, previous)
    _drop_received(analysis, mods, comma_clauses)
    if kind == "table_separator":
        for c in clauses:
            c.mentions, c.cues = [], []
        state.last_row = sentence.paragraph_id
        return analysis
    if kind == "table_row":
        _table_row(analysis, state)
        return analysis
    state.header = None
    if _focus_contrast(analysis):
        return analysis
    _resolve_anaphora(analysis, previous)
    _attach_orphan_cues(analysis, previous, comma_clauses, mods.get("hedge", []), bool(mods.get("scam")), thread)
    if kind == "field":
        _field_value(analysis, previous)
    if not state.replies and not state.thread:
        state.thread = _latest(analysis.channels())
    return analysis


def _avoided(clauses: list[_Clause], avoid: list[Span]) -> dict[str, str]:
    """The channels every mention of which lies in a span that says it is not needed (不用打电话)."""
    if not avoid:
        return {}
    inside: dict[str, str] = {}
    outside: set[str] = set()
    for c in clauses:
        for m in c.mentions:
            hit = next((a for a in avoid if a.start <= m.start < a.end), None)
            if hit is None:
                outside.add(m.channel)
            else:
                inside.setdefault(m.channel, hit.id)
    return {ch: rule for ch, rule in inside.items() if ch not in outside}


def _may_matter(norm: str, candidates: list[Span], previous: list[_Analysis], thread: bool = False) -> bool:
    """Whether a sentence can make a claim: it names a channel or an anaphor, or it has a cost cue
    right after a sentence that named a channel (an answer to its question, or a cost with no
    subject that goes on about it) or in a forum reply (about the thread's topic)."""
    return (any(c.rule["kind"] != "cell" for c in candidates)
            or may_match(lexicon.load("anaphora"), norm)
            or ((thread or any(p.channels() for p in previous[-2:])) and may_match(lexicon.load("cost_cues"), norm))
            or (bool(previous) and previous[-1].is_question and _answer_kind(norm) is not None))


def _keep_service_mentions(a: _Analysis, mods: dict[str, list[Span]]) -> None:
    """``customer_service`` is the service as a whole: not where a channel shares its clause or is
    the way to reach it, and X客服 only where the sentence states or asks a cost. Contacting a shop
    with no medium is its chat, unless the clause names the shop's phone."""
    about_cost = any(c.cues for c in a.clauses) or any(c.question for c in a.clauses)
    with_channel = [any(m.channel != "customer_service" for m in c.mentions) for c in a.clauses]
    # a channel is the way to reach the service unless its clause states a cost of its own, as in
    # the contrast 找客服不花钱，花钱的只有打电话 (hard call 23)
    reached_by = any(with_channel) and not any(c.cues for c, w in zip(a.clauses, with_channel) if w)
    # 电信客服本身不收费，有疑问打10000就行: the cost said of the service is that of its one way in
    ways = {m.channel: m for c, w in zip(a.clauses, with_channel) if w for m in c.mentions if m.channel != "customer_service"}
    way = next(iter(ways.values())) if reached_by and len(ways) == 1 else None
    for c, has_channel in zip(a.clauses, with_channel):
        kept = []
        media = {m.channel for m in c.mentions}
        for m in c.mentions:
            kind = lexicon_rule(m.rules[0])["kind"]
            if m.channel == "customer_service" and (has_channel or reached_by):
                if way and c.cues and not has_channel and way.channel not in media:
                    kept.append(_Mention(way.channel, way.start, way.end, "context", (*way.rules, "attr.reached-by")))
                    media.add(way.channel)
                continue
            if kind == "service_topic" and not about_cost:
                continue
            if kind in ("service", "service_topic", "merchant_service") and mods.get("organisation"):
                continue  # 商家客服负责解答…: the organisation described, not a way to reach it
            if kind == "merchant_contact" and media & {"merchant_hotline", "merchant_mobile"}:
                continue  # 打商家电话联系商家: the medium is named
            if m.channel == "other" and media - {"other", "customer_service"} and _role("where").match(a.norm, m.end):
                continue  # 小程序里的在线客服: where the channel lives, not a channel of its own
            kept.append(m)
        c.mentions = kept


def _resolve_dialling(a: _Analysis, previous: list[_Analysis]) -> None:
    """拨打 / 打过去 with no line named: the phone line of the two sentences before, else the
    company's hotline; nothing where the sentence names a channel. A bare 热线 after a
    complaint or public line is that line."""
    line = "official_hotline"
    for p in reversed(previous[-2:]):
        phones = [ch for ch in p.channels(explicit_only=True) if ch in PHONE_LINES]
        if phones:
            line = phones[-1]
            break
    if line in ("complaint", "other"):
        # 热线 alone while the text is about a complaint or public line (12345): that line
        for c in a.clauses:
            c.mentions = [_Mention(line, m.start, m.end, m.via, (*m.rules, "attr.line"))
                          if m.rules[0] == "ch.hotline.words" and m.via == "mention"
                          and a.norm[m.start : m.end] == "热线" else m for m in c.mentions]
    dials = [m for c in a.clauses for m in c.mentions if lexicon_rule(m.rules[0])["kind"] == "dial"]
    if not dials:
        return
    named = any(lexicon_rule(m.rules[0])["kind"] != "dial" and m.channel != "customer_service"
                for c in a.clauses for m in c.mentions)
    for c in a.clauses:
        if named:
            c.mentions = [m for m in c.mentions if lexicon_rule(m.rules[0])["kind"] != "dial"]
        else:
            c.mentions = [_Mention(line, m.start, m.end, m.via, m.rules)
                          if lexicon_rule(m.rules[0])["kind"] == "dial" else m for m in c.mentions]


def _drop_received(a: _Analysis, mods: dict[str, list[Span]], comma_clauses: list[tuple[int, int]]) -> None:
    """Calls and messages the consumer receives (接到…的电话, 主动打电话) and channels named just
    after a scam trigger in its clause (冒充客服打电话, 诈骗短信) are not ways to reach the company."""
    received = [(m.start, m.end) for m in mods.get("outbound", [])]
    for sc in mods.get("scam", []):
        end = min(comma_clauses[_clause_of(comma_clauses, sc.start)][1], sc.end + _SCAM_REACH)
        received.append((sc.start, end))
    if not received:
        return
    for c in a.clauses:
        c.mentions = [m for m in c.mentions if m.channel not in RECEIVABLE
                      or not any(s <= m.start < e for s, e in received)]


@lru_cache(maxsize=None)
def lexicon_rule(rule_id: str) -> lexicon.Rule:
    for table in lexicon.TABLES:
        for r in lexicon.load(table):
            if r.id == rule_id:
                return r
    raise KeyError(rule_id)


def _focus_contrast(a: _Analysis) -> bool:
    """不是X而是Y: the topic's cost goes to the channels of Y and is denied of those of X."""
    m = _focus().regex.search(a.norm)
    if not m:
        return False
    topic_cues = [c for cl in a.clauses for c in cl.cues if m.start("topic") <= c.start < m.end("topic")]
    if not topic_cues:
        return False
    cost, cues = _verdict(topic_cues)
    flipped = {"free": "paid", "paid": "free"}.get(cost, cost)
    for cl in a.clauses:
        cl.cues = [c for c in cl.cues if not (m.start("topic") <= c.start < m.end("topic"))]
    for cl in a.clauses:
        for men in cl.mentions:
            if m.start("y") <= men.start < m.end("y"):
                a.extra[men.channel] = (cost, cues, (_focus().id,))
            elif m.start("x") <= men.start < m.end("x"):
                denied = [_Cue(flipped, True, c.start, c.end, [*c.rules, _focus().id], True) for c in cues]
                a.extra[men.channel] = (flipped, denied, (_focus().id,))
    return True


def _resolve_anaphora(a: _Analysis, previous: list[_Analysis]) -> None:
    clauses = a.clauses
    for k, cl in enumerate(clauses):
        text = a.norm[cl.start : cl.end]
        found = resolve(find_all(lexicon.load("anaphora"), a.norm, cl.start, cl.end))
        for sp in found:
            kind = sp.rule["kind"]
            if kind in ("former", "latter"):
                earlier = [m.channel for c in clauses[:k] for m in c.mentions if m.via == "mention"]
                earlier += [m.channel for m in cl.mentions if m.via == "mention" and m.start < sp.start]
                named = list(dict.fromkeys(earlier))
                if len(named) < 2:  # two of one kind (申诉专线…申诉表单，后者…)
                    spans = [m for c in clauses[:k] for m in c.mentions if m.via == "mention"]
                    spans += [m for m in cl.mentions if m.via == "mention" and m.start < sp.start]
                    if len(spans) >= 2:
                        named = [m.channel for m in spans]
                if len(named) < 2 and previous:
                    named = previous[-1].channels(explicit_only=True)
                if len(named) >= 2:
                    ch = named[0] if kind == "former" else named[1]
                    cl.mentions.append(_Mention(ch, sp.start, sp.end, "anaphora", (sp.id,)))
                continue
            plural = kind == "plural"
            names_line = any(ch.isdigit() for ch in a.norm[sp.start : sp.end])  # 该400热线 names its line
            inside = [] if names_line else [
                m for m in cl.mentions if sp.start <= m.start and m.end <= sp.end
                and m.via == "mention" and lexicon_rule(m.rules[0])["kind"] == "phone"]
            if inside and not plural and not any(c.mentions for c in clauses[:k]):
                # 该热线 / 这个号码 opening a sentence: the line named before, not a new one
                back = _resolve_back(previous, False, set(), a.sentence.paragraph_id)
                if back and back != [m.channel for m in inside][:1]:
                    cl.mentions = [m for m in cl.mentions if m not in inside]
            if cl.mentions and not plural:
                continue
            group = _role("group_noun").search(text)
            if not plural and not group and text[sp.start - cl.start :].startswith("它") is False:
                continue
            earlier = [m for c in clauses[:k] for m in c.mentions if m.via == "mention"]
            wanted = {c.cost for c in cl.cues if sp.start <= c.start < sp.end}
            if earlier:
                targets = list(dict.fromkeys(m.channel for m in earlier))
                if not plural:
                    targets = targets[-1:]
            else:
                targets = _resolve_back(previous, plural, wanted, a.sentence.paragraph_id)
            for ch in targets:
                if ch not in [m.channel for m in cl.mentions]:
                    cl.mentions.append(_Mention(ch, sp.start, sp.end, "anaphora", (sp.id,)))


def _attach_orphan_cues(a: _Analysis, previous: list[_Analysis], comma_clauses: list[tuple[int, int]],
                        sentence_hedges: list[Span], scam: bool = False, thread: list[str] | None = None) -> None:
    """A clause with cues and no channel goes on about the channels of the clause before it; a
    sentence with cues and no channel at all answers the question before it, or goes on about the
    paragraph's channel, unless it tells of a scam (冒充客服…让你先付钱: the scammer's fee)."""
    clauses = a.clauses
    last = None  # the latest clause with a channel, so the walk stays linear
    for k, cl in enumerate(clauses):
        if cl.mentions or not cl.cues or k == 0:
            if cl.mentions:
                last = cl
            continue
        text = a.norm[cl.start : cl.end]
        for c in sorted(cl.cues, key=lambda c: -c.start):  # 电话 of 按普通电话算 names no kind of channel
            if cl.start <= c.start and c.end <= cl.end:
                text = text[: c.start - cl.start] + " " * (c.end - c.start) + text[c.end - cl.start :]
        same_comma = _clause_of(comma_clauses, cl.start) == _clause_of(comma_clauses, clauses[k - 1].start)
        if _role("group_noun").search(text) and not _role("copula_start").match(text) and not same_comma:
            continue
        if last is None or _about_other_service(text):
            continue
        hedges = _starting_in(sentence_hedges, last.start, last.end)
        # 进入在线客服，智能客服可以处理…，文字沟通不会产生话费: the chat named in a clause before, with no cost of its
        # own, is of the family of the chat the cost goes on about (channel_labels.csv), and shares it
        family = CHANNEL_FAMILY.get(last.mentions[-1].channel)
        own = {m.channel for m in last.mentions}
        kin = [replace(m, rules=(*m.rules, "attr.family")) for c in clauses[:k] if c is not last and not c.cues
               for m in c.mentions if family and CHANNEL_FAMILY.get(m.channel) == family and m.channel not in own]
        for m in [*last.mentions, *kin]:
            ch, rules = _charged_line(a.norm, cl.cues, m.channel, (*m.rules, "attr.context"), replace=True)
            if ch not in [x.channel for x in cl.mentions]:
                cl.mentions.append(_Mention(ch, m.start, m.end, "context", rules))
        for c in cl.cues:
            if hedges and not c.hedged:
                c.hedged = True
                c.rules.append(hedges[0].id)
        last = cl
    if not any(cl.cues for cl in clauses) and not scam:
        if a.channels():
            _same_as_before(a, previous)
        else:
            _bare_answer(a, previous, sentence_hedges)
        return
    if a.channels() or scam:
        return
    # an answer: the channels of the question just before it (问：…收费吗？ 答：不收费。)
    for p in reversed(previous[-2:]):
        if p.is_question and p.channels():
            for cl in clauses:  # the clauses that state the cost, not an 答： label before them
                if cl.cues:
                    cl.mentions.extend(_Mention(ch, 0, 0, "context", ("attr.answer",)) for ch in p.channels())
            return
        if p.channels():
            break
    if a.is_question or a.kind not in ("body", "list_item", "qa_label") or _about_other_service(a.norm):
        return
    # a cost with no subject goes on about the channel the paragraph is about (所以严格说不算完全免费),
    # in a forum reply that names none, the channel of the thread (2楼 / 亲测不要钱)
    topic, rule = _topic(previous, a.sentence.paragraph_id), "attr.topic"
    if not topic and thread:
        topic, rule = thread, "attr.thread"
    # 免费的沟通渠道 is a kind of channel, not the one the paragraph is about
    generic = any(_role("kind_of_channel").match(a.norm, c.end) for cl in clauses for c in cl.cues)
    for channel in [] if generic else topic:
        channel, rules = _charged_line(a.norm, [c for cl in clauses for c in cl.cues], channel, (rule,))
        for cl in clauses:
            if cl.cues:
                cl.mentions.append(_Mention(channel, 0, 0, "context", rules))


_ANSWERS = ("answer_depends", "answer_no", "answer_yes")  # claim_roles.csv; the first that matches decides


def _answer_kind(norm: str) -> str | None:
    """Which whole-sentence answer a sentence is (不要。 / 答：是的。 / 看你用什么打。), if any."""
    return next((k for k in _ANSWERS if _role(k).match(norm)), None)


def _bare_answer(a: _Analysis, previous: list[_Analysis], hedges: list[Span]) -> None:
    """A yes, a no or an it-depends with no cue and no channel (一般来说不要。 答：要的。) right after a
    question about a cost answers it as a cell answers its table header (``attr.answer``): the
    question's channels get the cost its yes or no gives to what the question asks (要钱吗: 不要 is
    free; 是免费的吗: 是 is free), or ``varies``. A question that asks two ways (付费还是免费) or asks
    about a negation (真的不要钱吗) is left unanswered."""
    if not previous or a.kind not in ("body", "qa_label", "list_item"):
        return
    p = previous[-1]
    kind = _answer_kind(a.norm)
    if kind is None or not p.is_question or not p.channels():
        return
    if kind == "answer_depends":
        cost, negated = "varies", False
    else:
        asks_free, asks_paid = bool(_role("attr_free").search(p.norm)), bool(_role("attr_paid").search(p.norm))
        if asks_free == asks_paid or _role("asks_negated").search(p.norm):
            return
        yes = kind == "answer_yes"
        cost, negated = ("free" if asks_free == yes else "paid"), not yes
    cue = _Cue(cost, True, 0, len(a.norm), [f"role.{kind}", "attr.answer"], negated, hedged=bool(hedges))
    if hedges:
        cue.rules.append(hedges[0].id)
    cl = a.clauses[-1]
    cl.cues.append(cue)
    cl.mentions.extend(_Mention(ch, 0, 0, "context", ("attr.answer",)) for ch in p.channels())


def _same_as_before(a: _Analysis, previous: list[_Analysis]) -> None:
    """A sentence that names a channel, states no cost and ends by saying it is the same (营业网点电话也一样。
    农业银行的95599同理。) takes the one cost the sentence just before it stated (``attr.same-as``)."""
    m = _role("same_as_before").search(a.norm)
    if m is None or not previous:
        return
    costs = {cost for cost, _cues, _rules in previous[-1].verdicts().values() if cost in STATED_COSTS}
    if len(costs) != 1:
        return
    cost = costs.pop()
    for cl in a.clauses:
        if cl.mentions:
            cl.cues.append(_Cue(cost, True, m.start(), m.end(), ["role.same_as_before", "attr.same-as"]))


def _about_other_service(text: str) -> bool:
    """Whether a text with no channel prices another service (上门检查不收钱, 拖车免费), not a call."""
    text = _role("reason").sub(" ", text)  # 不会因为你预约挂号就收钱: 挂号 is why one calls
    return bool(_role("other_service").search(text)) and not _role("call_charge").search(text)


def _charged_line(norm: str, cues: list[_Cue], channel: str, rules: tuple[str, ...],
                  replace: bool = False) -> tuple[str, tuple[str, ...]]:
    """The channel a continued cost belongs to: a call charge (话费, 通话, 市话, 长途) said of the
    service as a whole is the line's, not the service's (客服本身不收钱，但通话费得自己出), and
    ``attr.call-charge`` joins the rules (or, with ``replace``, stands for them)."""
    if channel == "customer_service" and any(_role("call_charge").search(norm, c.start, c.end) for c in cues):
        return "official_hotline", ("attr.call-charge",) if replace else (*rules, "attr.call-charge")
    return channel, rules


def _topic(previous: list[_Analysis], paragraph_id: int) -> list[str]:
    """The channel the latest sentence of a paragraph that named one (of the two before) named last,
    with the others of its family that sentence named (channel_labels.csv)."""
    for p in reversed(previous[-2:]):
        if p.sentence.paragraph_id != paragraph_id:
            return []
        chans = p.channels()
        if chans:
            return _latest(chans)
    return []


def _latest(chans: list[str]) -> list[str]:
    """The last of a sentence's channels, with the others of its family (channel_labels.csv)."""
    family = CHANNEL_FAMILY.get(chans[-1]) if chans else None
    return [c for c in chans if family and CHANNEL_FAMILY.get(c) == family] or chans[-1:]


def _field_value(a: _Analysis, previous: list[_Analysis]) -> None:
    """An infobox line (资费：免费, 是否收费：否) without a channel is about the channel of the
    nearest field above it in the same block; a yes/no value is read with its key."""
    colon = min((i for i in (a.norm.find("："), a.norm.find(":")) if i >= 0), default=-1)
    key, value = a.norm[:colon], a.norm[colon + 1 :]
    if value.strip() and _role("attr_cost").search(key):
        # 致电收费：视乎计划: the key names the attribute, the value says the cost; but a cost said of
        # the line the key names (免付费专线：0800…, 付费专线：…) is the line's
        line = _role("line_after_cue")
        for c in a.clauses:
            c.cues = [q for q in c.cues if q.start > colon or line.match(a.norm[q.end : colon])]
    if any(m.end <= colon and m.channel != "other" for c in a.clauses for m in c.mentions):
        for c in a.clauses:  # 在线客服：APP、小程序: the key is the channel, the value where it lives
            c.mentions = [m for m in c.mentions if not (m.start > colon and m.channel == "other")]
    cl = a.clauses[_clause_of([(c.start, c.end) for c in a.clauses], colon + 1)]
    if not any(c.cues for c in a.clauses):
        cue = _yes_no_cue(key, value, colon + 1, len(a.norm))
        if cue:
            cl.cues.append(cue)
    if a.channels() or not any(c.cues for c in a.clauses):
        return
    for p in reversed(previous[-6:]):
        if p.kind not in ("field", "table_row", "qa_label") and not p.sentence.is_heading:
            break
        chans = p.channels(explicit_only=True)
        if chans:
            for c in a.clauses:
                if c.cues:
                    c.mentions.append(_Mention(chans[-1], 0, 0, "context", ("attr.field",)))
            return


def _yes_no_cue(attribute: str, value: str, start: int, end: int) -> _Cue | None:
    """是/否 under an attribute that asks about the cost (是否收费, 是否免费); nothing (无, 0元)
    as the value of a cost attribute that asks no yes/no question (资费：无)."""
    if not _role("attr_cost").search(attribute):
        return None
    yes, no = _role("yes_cell").match(value), _role("no_cell").match(value)
    if _role("attr_free").search(attribute) and not _role("attr_paid").search(attribute):
        cost = "free" if yes else "paid" if no else None
    elif _role("attr_paid").search(attribute):
        cost = "paid" if yes else "free" if no else None
    elif _role("nothing_cell").match(value):
        return _Cue("free", True, start, end, ["attr.nothing"], False)
    else:
        return None
    return _Cue(cost, True, start, end, ["attr.yes-no"], bool(no)) if cost else None


def _table_row(a: _Analysis, state: _State) -> None:
    """A table row: the first row of a table is its header (no claims); a value cell is read with
    its column's header, and belongs to the row's channel (its first cell), else the header's."""
    para = a.sentence.paragraph_id
    if state.header is None or state.last_row < para - 1:
        state.header = a
        state.last_row = para
        # the channels the header's cells name (| 客服电话 | 在线客服 |) are kept for the rows: the
        # header itself makes no claim
        state.header_channels = [[m for c in a.clauses for m in c.mentions if s <= m.start < e] for s, e in a.cells]
        for c in a.clauses:
            c.mentions, c.cues = [], []
        return
    state.last_row = para
    header = state.header
    head_cells = [header.norm[s:e] for s, e in header.cells]
    head_channels = state.header_channels
    # the row's channel is named by its first cell that names one outside the cost columns
    # (| 农业银行 | 客服热线 | 95599 | 是 |)
    row_label = next((c.mentions for j, c in enumerate(a.clauses)
                      if c.mentions and not (j < len(head_cells) and _role("attr_cost").search(head_cells[j]))), [])
    label_text = a.norm[a.cells[0][0] : a.cells[0][1]] if a.cells else ""
    for j, cl in enumerate(a.clauses):
        attribute = head_cells[j] if j < len(head_cells) else ""
        if not _role("attr_cost").search(attribute) and _role("attr_cost").search(label_text):
            attribute = label_text
        if j > 0 and not cl.cues and not cl.question:
            cue = _yes_no_cue(attribute, a.norm[cl.start : cl.end], cl.start, cl.end)
            if cue:
                cl.cues.append(cue)
        if j == 0 or not cl.cues:
            continue
        # a cell is about the channel its column's header names (| 在线客服 |: the header's words are not
        # in this row, so no span here), else the row's, else the one it names itself
        def here(mentions: list[_Mention]) -> list[_Mention]:
            return [_Mention(m.channel, cl.start, cl.start, m.via, m.rules) for m in mentions]

        owners = here(head_channels[j] if j < len(head_channels) else []) or row_label or cl.mentions
        if not owners:  # | 客服电话 | 是否收费 |: a cost column is about the nearest channel column before it
            owners = here(next((h for h in reversed(head_channels[:j]) if h), []))
        for m in owners:
            if m.channel not in [x.channel for x in cl.mentions]:
                cl.mentions.append(_Mention(m.channel, m.start, m.end, "context", (*m.rules, "attr.table")))
    a.kind_rule = a.kind_rule or "type.table_row"


_BACK_WINDOW = 50  # how many sentences back an anaphor may reach: the cost stays linear in a long paragraph


def _resolve_back(previous: list[_Analysis], plural: bool, wanted_costs: set[str], paragraph_id: int) -> list[str]:
    """Channels an anaphor refers to, from earlier sentences of the same paragraph (at most
    ``_BACK_WINDOW`` sentences back)."""
    same_para = []
    for a in reversed(previous[-_BACK_WINDOW:]):
        if a.sentence.paragraph_id != paragraph_id:
            break
        if a.channels():
            same_para.append(a)
    same_para.reverse()
    if not same_para:
        # an anaphor opening a paragraph points back to the sentence just before it
        recent = [a for a in previous[-2:] if a.channels()]
        same_para = recent[-1:]
    if not same_para:
        return []
    if not plural:
        return same_para[-1].channels()[-1:]
    candidates = []
    for a in same_para:
        chans = a.channels(explicit_only=True)
        if wanted_costs:
            chans = [ch for ch in chans if a.cost_of(ch) in wanted_costs]
        if chans:
            candidates.append(chans)
    if not candidates:
        return []
    best = max(len(c) for c in candidates)
    return next(c for c in reversed(candidates) if len(c) == best)


# -- claims ----------------------------------------------------------------------------------------


def _claims_for(analysis: _Analysis, article_id: str) -> Iterator[Claim]:
    s = analysis.sentence
    verdicts = analysis.verdicts()
    question = next((c.question for c in analysis.clauses if c.question), "")
    for channel in analysis.channels():
        cost, deciding, extra_rules = verdicts[channel]
        mentions = [m for c in analysis.clauses for m in c.mentions if m.channel == channel]
        first = min(mentions, key=lambda m: (m.via != "mention", m.start))
        hedged = any(d.hedged for d in deciding)
        negated = any(d.negated for d in deciding)
        cue = "|".join(dict.fromkeys(s.text[d.start : d.end] for d in deciding if d.end > d.start))
        if cost != "unstated" and not cue:
            cue = s.text[deciding[0].start : deciding[0].end] if deciding else ""
        ids: list[str] = []
        if analysis.kind_rule and analysis.kind in ("table_row", "field", "qa_label"):
            ids.append(analysis.kind_rule)
        for m in mentions:
            ids.extend(m.rules)
        for d in deciding:
            ids.extend(d.rules)
        ids.extend(extra_rules)
        if cost == "unstated" and question:
            ids.append(question)
        words = "|".join(dict.fromkeys(s.text[m.start : m.end] for m in mentions if m.end > m.start))
        yield Claim(
            article_id=article_id,
            sentence_id=s.sentence_id,
            start=s.start,
            end=s.end,
            evidence=s.text,
            channel=channel,
            cost=cost,
            cue=cue,
            hedged=hedged and cost != "unstated",
            negated=negated and cost != "unstated",
            rules=";".join(dict.fromkeys(ids)),
            mention=words,
            mention_start=s.start + first.start,
            mention_end=s.start + first.end,
            via=first.via,
        )


def extract_claims(article: Article, sentences: Iterable[Sentence] | None = None) -> list[Claim]:
    """All claims of an article, sorted by (start, channel) and numbered in that order."""
    return list(iter_claims(article, sentences))


def iter_claims(article: Article, sentences: Iterable[Sentence] | None = None) -> Iterator[Claim]:
    """The claims of :func:`extract_claims`, sentence by sentence, already in their order (a claim's
    start is its sentence's, and sentences come in text order): memory does not grow with the text."""
    sentences = iter_sentences(article.text) if sentences is None else sentences
    state = _State()
    companies = CompanyContext()
    for s in sentences:
        analysis = _analyse(s, state.previous, state)
        state.previous.append(analysis)
        if len(state.previous) > 64:  # anaphora and context look a few sentences back at most
            del state.previous[:32]
        named = named_together(analysis.norm, find_companies(analysis.norm))
        claims = sorted(_claims_for(analysis, article.article_id), key=lambda c: (c.start, c.channel))
        generic = bool(claims) and not named and speaks_generally(analysis.norm)
        for c in claims:
            public = not named and (public_line(c.mention) or belief_about_a_kind(analysis.norm, c.mention))
            yield replace(c, company=companies.company_of(named, c.mention_start - s.start, generic or public))
        companies.advance(named, s.is_heading)


def _numbered_rows(claims: Iterable[Claim], in_order: bool = False) -> Iterator[dict]:
    """Claims in the contract's order, as rows with their ``claim_id`` ({article_id}-{n:03d});
    ``in_order``: they already are (as :func:`iter_claims` gives them), so they are not collected."""
    counters: dict[str, int] = {}
    for c in claims if in_order else sorted(claims, key=lambda c: (c.article_id, c.start, c.channel)):
        counters[c.article_id] = counters.get(c.article_id, 0) + 1
        row = {k: getattr(c, k) for k in CLAIM_COLUMNS if k != "claim_id"}
        row["claim_id"] = f"{c.article_id}-{counters[c.article_id]:03d}"
        yield row


def claims_frame(claims: Iterable[Claim]):
    """Claims as a data frame in the contract's column order, with claim ids."""
    from .io import frame_of_rows

    return frame_of_rows(list(_numbered_rows(claims)), CLAIM_COLUMNS, _CLAIM_DTYPES)


_CLAIM_DTYPES = {"sentence_id": "int64", "start": "int64", "end": "int64", "hedged": bool, "negated": bool,
                 "mention_start": "int64", "mention_end": "int64"}


def claims_csv_bytes(claims: Iterable[Claim], header: bool = True) -> bytes:
    """The same bytes as ``frame_to_csv_bytes(claims_frame(claims))``, without pandas (for streaming)."""
    return b"".join(claims_csv_chunks(claims, header))


def claims_csv_chunks(claims: Iterable[Claim], header: bool = True, in_order: bool = False,
                      rows_per_chunk: int = 2000) -> Iterator[bytes]:
    """:func:`claims_csv_bytes` in pieces of ``rows_per_chunk`` rows; with ``in_order`` (claims as
    :func:`iter_claims` gives them) nothing is collected, so a huge article streams to its file."""
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if header:
        w.writerow(CLAIM_COLUMNS)
    for k, row in enumerate(_numbered_rows(claims, in_order), start=1):
        w.writerow([("true" if v else "false") if isinstance(v, bool) else v for v in (row[key] for key in CLAIM_COLUMNS)])
        if k % rows_per_chunk == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    if buf.tell():
        yield buf.getvalue().encode("utf-8")