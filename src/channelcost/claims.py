"""Claim extraction: which contact channel does a sentence mention, and what does it say it costs?

One claim per (sentence, channel), following ``data/annotations/GUIDELINES.md``. The steps:

1. **Normalise** each sentence for matching without moving offsets: full-width forms to half-width,
   lower case, traditional characters to simplified (OpenCC's character table, one character for
   one character). Offsets found in the normalised text are valid in the original.
2. **Channels** come from ``data/lexicon/channels.csv``: regular expressions whose matches must begin
   and end on jieba token boundaries (so 通话费用 never yields 电话, 手机号码 is not 号码).
   Phone, mobile and chat mentions belong to a merchant when the nearest actor named before them
   (商家, 卖家, 店铺 … versus 天猫, 平台, 官方, 银行 …) is a merchant, else to the platform;
   a mobile number with no merchant in sight is the consumer's own phone and not a channel.
3. **Cost cues** come from ``data/lexicon/cost_cues.csv`` (earlier rows win where matches overlap).
   A cue inside a question (免费吗, 是否免费) states nothing and is ignored.
4. **Attribution.** A sentence is cut into clauses at commas, semicolons and colons outside quotes;
   a clause opened by 例如/比如/包括 joins the clause before it (the list names that clause's
   channels). A cue applies to the channels of its own clause; in a clause without channels it
   applies to the channels of the nearest earlier clause of the sentence, unless the clause talks
   about an unnamed group of channels (其他的免费沟通渠道), which names nothing checkable.
5. **Anaphora.** 这些渠道 / 这些非付费方式 / 它们 / 上述方式 (plural) refer to the largest list of channels
   given earlier in the paragraph (restricted to channels whose cost matches a cost word in the
   reference, e.g. 非付费); 它 / 此类电话 / 该号码 (singular) to the most recent channel mentioned.
6. **Verdict per channel.** Strong "varies" cues win; free and paid together make it varies; then
   paid, then free; a weak "depends" cue (取决于) alone makes it varies. ``hedged`` when a hedge word
   (``data/lexicon/hedges.txt``) stands in the clause of a deciding cue or of the mention,
   ``negated`` when a deciding cue is a negation (并非免费, 不完全免费, 不收费, 非付费 …).
"""

from __future__ import annotations

import bisect
import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from . import paths
from .reading import Article
from .sentences import Sentence, clause_spans, split_sentences
from .textnorm import norm_char
from .tokens import tokenize

__all__ = [
    "CHANNELS",
    "COSTS",
    "CLAIM_COLUMNS",
    "Claim",
    "normalize_for_matching",
    "extract_claims",
    "claims_frame",
    "claims_csv_bytes",
]

CHANNELS = (
    "official_hotline", "online_chat", "chatbot", "sms", "email", "merchant_hotline", "merchant_mobile",
    "merchant_chat", "complaint", "video_service", "voice_assistant", "callback", "other",
)
COSTS = ("free", "paid", "varies", "unstated")
CLAIM_COLUMNS = [
    "article_id", "claim_id", "sentence_id", "start", "end", "evidence", "channel", "cost", "cue",
    "hedged", "negated", "mention", "mention_start", "mention_end", "via",
]

MERCHANT_ACTORS = ("商家", "卖家", "店铺", "店家", "商户", "网店", "店主", "掌柜", "第三方卖家")
PLATFORM_ACTORS = (
    "天猫", "淘宝", "京东", "拼多多", "支付宝", "平台", "官方", "银行", "运营商", "中国移动", "中国联通",
    "中国电信", "客服中心", "自营",
)
_ACTOR_RE = re.compile(
    "|".join(sorted(MERCHANT_ACTORS + PLATFORM_ACTORS, key=len, reverse=True)) + r"|(?:这家|那家|[\u4e00-\u9fff]{1,3}店)(?!铺)"
)


def _actor_kind(word: str) -> str:
    return "platform" if word in PLATFORM_ACTORS else "merchant"

_LIST_OPENERS = re.compile(r"^\s*(例如|比如|譬如|包括|诸如|像是|如)")
_PLURAL_ANAPHORA = re.compile(
    r"(?:这些|那些|上述|以上|前述|这几种|这两种)[^，,。；;]{0,8}?(?:渠道|方式|途径|方法|电话|号码|服务)|它们|两者|两个都|两种都|都不"
)
_SINGULAR_ANAPHORA = re.compile(
    r"(?:此类|这类|该|这个|这种|这通|那个)[^，,。；;]{0,4}?(?:渠道|方式|途径|电话|号码|热线|服务)|它(?!们)"
)
_COPULA_START = re.compile(r"^\s*(是|就是|则是|都是|也是|便是|乃是|这是|即)")
_GROUP_NOUN = re.compile(r"(渠道|方式|途径|方法|办法|手段|号码|电话)")
_SURE_LENGTH = 4  # matches this long skip the token-boundary check
_WINDOW = 5  # characters of context either side of a channel match when checking token boundaries
_QUESTION_AFTER = re.compile(r"[^，,。；;]{0,2}?(吗|么|嘛|\?|？)")  # used with .match(text, pos)
_QUESTION_BEFORE = re.compile(r"(是否|是不是|会不会|要不要|收不收|免不免|需不需要|有没有)[^，,。；;]{0,6}$")


# -- normalisation -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _t2s_table() -> dict[str, str]:
    """OpenCC's traditional-to-simplified character table, one character to one character."""
    table: dict[str, str] = {}
    text = (resources.files("opencc") / "dictionary" / "TSCharacters.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[0]) == 1 and len(parts[1]) == 1:
            table[parts[0]] = parts[1]
    return table


@lru_cache(maxsize=1)
def _matching_table() -> dict[int, str]:
    """``str.translate`` table: every character of the Basic Multilingual Plane that normalisation changes."""
    t2s = _t2s_table()
    table: dict[int, str] = {}
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
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


# -- lexicons ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ChannelRule:
    label: str
    kind: str
    regex: re.Pattern


@dataclass(frozen=True)
class _CueRule:
    cost: str
    negated: bool
    strong: bool
    regex: re.Pattern


@lru_cache(maxsize=None)
def _channel_rules(path: Path = paths.LEXICON / "channels.csv") -> tuple[_ChannelRule, ...]:
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(_ChannelRule(r["label"], r["kind"], re.compile(r["pattern"])) for r in csv.DictReader(fh))


@lru_cache(maxsize=None)
def _cue_rules(path: Path = paths.LEXICON / "cost_cues.csv") -> tuple[_CueRule, ...]:
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(
            _CueRule(r["cost"], r["negated"] == "true", r["strength"] == "strong", re.compile(r["pattern"]))
            for r in csv.DictReader(fh)
        )


@lru_cache(maxsize=None)
def _hedge_regex(path: Path = paths.LEXICON / "hedges.txt") -> re.Pattern:
    words = [
        w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#")
    ]
    return re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))


# -- data classes --------------------------------------------------------------------------------


@dataclass
class _Mention:
    channel: str
    start: int  # within the sentence
    end: int
    via: str = "mention"


@dataclass
class _Cue:
    cost: str
    negated: bool
    strong: bool
    start: int
    end: int


@dataclass
class _Clause:
    start: int
    end: int
    mentions: list[_Mention] = field(default_factory=list)
    cues: list[_Cue] = field(default_factory=list)


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
    mention: str
    mention_start: int
    mention_end: int
    via: str


# -- the steps -----------------------------------------------------------------------------------


def _clauses(norm: str) -> list[tuple[int, int]]:
    """Clause spans of a normalised sentence, a clause opened by 例如/比如/包括 joined to the one before."""
    merged: list[tuple[int, int]] = []
    for s, e in clause_spans(norm):
        if merged and _LIST_OPENERS.match(norm[s:e]):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _nearest_actor(actors: list[tuple[int, str]], pos: int, clause: tuple[int, int], context: str | None) -> str | None:
    """'merchant' or 'platform': the last actor named before ``pos``, else the first after it in
    the clause, else the last actor of the sentences just before (``context``). ``actors`` holds
    (start, kind) of every actor in the sentence, in order."""
    i = bisect.bisect_left(actors, (pos, ""))
    if i > 0:
        return actors[i - 1][1]
    if i < len(actors) and actors[i][0] < clause[1]:
        return actors[i][1]
    return context


def _last_actor(norm: str) -> str | None:
    found = list(_ACTOR_RE.finditer(norm))
    return _actor_kind(found[-1].group()) if found else None


def _find_mentions(norm: str, clauses: list[tuple[int, int]], context: str | None = None) -> list[_Mention]:
    candidates = [(rule, m) for rule in _channel_rules() for m in rule.regex.finditer(norm) if m.end() > m.start()]
    if not candidates:
        return []  # most sentences name no channel: no need to tokenize them
    # jieba's cut is local: tokenizing windows of the clause around the matches gives the same
    # boundaries next to them as the whole sentence would, at a fraction of the cost
    # a match of four or more characters (在线客服, 智能机器人, 95188) cannot be a piece of a longer
    # word in practice; only short ones (电话, 短信, 投诉) need their boundaries checked
    short = [(r, m) for r, m in candidates if m.end() - m.start() < _SURE_LENGTH]
    windows: list[list[int]] = []
    for _rule, m in sorted(short, key=lambda rm: rm[1].start()):
        clause = next(c for c in clauses if c[0] <= m.start() < c[1])
        lo, hi = max(clause[0], m.start() - _WINDOW), min(max(clause[1], m.end()), m.end() + _WINDOW)
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
    taken = bytearray(len(norm))
    actors = [(m.start(), _actor_kind(m.group())) for m in _ACTOR_RE.finditer(norm)]
    found: list[_Mention] = []
    for rule, m in candidates:
        s, e = m.span()
        clause = next(c for c in clauses if c[0] <= s < c[1])
        if e - s < _SURE_LENGTH and (s not in starts or e not in ends):
            continue
        if any(taken[s:e]):
            continue
        label = rule.label
        if rule.kind in ("phone", "mobile", "chat"):
            actor = _nearest_actor(actors, s, clause, context)
            if rule.kind == "phone":
                label = "merchant_hotline" if actor == "merchant" else "official_hotline"
            elif rule.kind == "chat":
                label = "merchant_chat" if actor == "merchant" else "online_chat"
            elif actor != "merchant":
                continue  # the consumer's own phone
        taken[s:e] = b"\x01" * (e - s)
        found.append(_Mention(label, s, e))
    found.sort(key=lambda m: m.start)
    return found


def _is_question(norm: str, s: int, e: int, clause: tuple[int, int]) -> bool:
    return bool(_QUESTION_AFTER.match(norm, e, clause[1]) or _QUESTION_BEFORE.search(norm[max(clause[0], s - 16) : s]))


def _find_cues(norm: str, clauses: list[tuple[int, int]]) -> list[list[_Cue]]:
    """Cost cues of a sentence, one list per clause (a cue belongs to the clause it starts in).

    Cues are matched over the whole sentence, so one may span clauses (有些是免费的,有些要付费).
    """
    per_clause: list[list[_Cue]] = [[] for _ in clauses]
    taken = bytearray(len(norm))
    for rule in _cue_rules():
        for m in rule.regex.finditer(norm):
            s, e = m.span()
            if s == e or any(taken[s:e]):
                continue
            taken[s:e] = b"\x01" * (e - s)
            k = next(i for i, c in enumerate(clauses) if c[0] <= s < c[1])
            if _is_question(norm, s, e, clauses[k]):
                continue
            per_clause[k].append(_Cue(rule.cost, rule.negated, rule.strong, s, e))
    for cues in per_clause:
        cues.sort(key=lambda c: c.start)
    return per_clause


def _verdict(cues: list[_Cue]) -> tuple[str, list[_Cue]]:
    """The cost the cues support and the cues that decided it."""
    strong = [c for c in cues if c.strong]
    varies = [c for c in strong if c.cost == "varies"]
    free = [c for c in strong if c.cost == "free"]
    paid = [c for c in strong if c.cost == "paid"]
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


@dataclass
class _SentenceAnalysis:
    sentence: Sentence
    norm: str
    clauses: list[_Clause]

    def channels(self, explicit_only: bool = False) -> list[str]:
        seen: list[str] = []
        for c in self.clauses:
            for m in c.mentions:
                if explicit_only and m.via != "mention":
                    continue
                if m.channel not in seen:
                    seen.append(m.channel)
        return seen

    def cost_of(self, channel: str) -> str:
        return self.verdicts().get(channel, ("unstated", []))[0]

    def verdicts(self) -> dict[str, tuple[str, list[_Cue]]]:
        by_channel: dict[str, list[_Cue]] = {}
        for c in self.clauses:
            for ch in dict.fromkeys(m.channel for m in c.mentions):  # a clause's cues count once per channel
                by_channel.setdefault(ch, []).extend(c.cues)
        return {ch: _verdict(cs) for ch, cs in by_channel.items()}


def _analyse(sentence: Sentence, previous: list[_SentenceAnalysis]) -> _SentenceAnalysis:
    norm = normalize_for_matching(sentence.text)
    spans = _clauses(norm)
    context = None
    for a in reversed(previous[-3:]):
        context = _last_actor(a.norm)
        if context:
            break
    mentions = _find_mentions(norm, spans, context)
    clauses = [_Clause(s, e, [m for m in mentions if s <= m.start < e]) for s, e in spans]
    for cl, cues in zip(clauses, _find_cues(norm, spans)):
        cl.cues = cues

    for k, cl in enumerate(clauses):
        text = norm[cl.start : cl.end]
        plural = _PLURAL_ANAPHORA.search(text)
        singular = None if plural else _SINGULAR_ANAPHORA.search(text)
        group = _GROUP_NOUN.search(text)
        if cl.mentions and not plural:
            continue
        if plural or (singular and group):
            anchor = (plural or singular).start() + cl.start
            # inside the sentence first: channels of earlier clauses
            earlier = [m for c in clauses[:k] for m in c.mentions if m.via == "mention"]
            ana = plural or singular
            # a cost word inside the reference itself (这些非付费方式) narrows what it points to
            wanted_costs = {
                c.cost for c in cl.cues if c.strong and ana.start() + cl.start <= c.start < ana.end() + cl.start
            }
            targets: list[str] = []
            if earlier:
                targets = list(dict.fromkeys(m.channel for m in earlier))
                if singular:
                    targets = targets[-1:]
            else:
                targets = _resolve_back(previous, bool(plural), wanted_costs, sentence.paragraph_id)
            for ch in targets:
                if ch not in [m.channel for m in cl.mentions]:
                    cl.mentions.append(_Mention(ch, anchor, anchor + len((plural or singular).group()), "anaphora"))
        elif not cl.mentions and cl.cues and k > 0 and (not group or _COPULA_START.match(text)):
            # the clause goes on about the channels of the clause before it
            prev = next((c for c in reversed(clauses[:k]) if c.mentions), None)
            if prev is not None:
                for m in prev.mentions:
                    if m.channel not in [x.channel for x in cl.mentions]:
                        cl.mentions.append(_Mention(m.channel, m.start, m.end, "context"))
    return _SentenceAnalysis(sentence, norm, clauses)


def _resolve_back(
    previous: list[_SentenceAnalysis], plural: bool, wanted_costs: set[str], paragraph_id: int
) -> list[str]:
    """Channels an anaphor refers to, from earlier sentences of the same paragraph."""
    same_para = [a for a in previous if a.sentence.paragraph_id == paragraph_id and a.channels()]
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


def _claims_for(analysis: _SentenceAnalysis, article_id: str) -> Iterator[Claim]:
    s = analysis.sentence
    hedge = _hedge_regex()
    verdicts = analysis.verdicts()
    for channel in analysis.channels():
        cost, deciding = verdicts[channel]
        mentions = [m for c in analysis.clauses for m in c.mentions if m.channel == channel]
        first = min(mentions, key=lambda m: (m.via != "mention", m.start))
        hedged = False
        if deciding:
            starts = sorted({d.start for d in deciding})
            for c in analysis.clauses:
                i = bisect.bisect_left(starts, c.start)
                if i < len(starts) and starts[i] < c.end and hedge.search(analysis.norm, c.start, c.end):
                    hedged = True
                    break
        negated = any(d.negated for d in deciding)
        cue = "|".join(dict.fromkeys(s.text[d.start : d.end] for d in deciding))
        words = "|".join(dict.fromkeys(s.text[m.start : m.end] for m in mentions))
        yield Claim(
            article_id=article_id,
            sentence_id=s.sentence_id,
            start=s.start,
            end=s.end,
            evidence=s.text,
            channel=channel,
            cost=cost,
            cue=cue,
            hedged=hedged,
            negated=negated,
            mention=words,
            mention_start=s.start + first.start,
            mention_end=s.start + first.end,
            via=first.via,
        )


def extract_claims(article: Article, sentences: Iterable[Sentence] | None = None) -> list[Claim]:
    """All claims of an article, sorted by (start, channel) and numbered in that order."""
    sentences = split_sentences(article.text) if sentences is None else list(sentences)
    previous: list[_SentenceAnalysis] = []
    claims: list[Claim] = []
    for s in sentences:
        analysis = _analyse(s, previous)
        previous.append(analysis)
        claims.extend(_claims_for(analysis, article.article_id))
    claims.sort(key=lambda c: (c.start, c.channel))
    return claims


def _numbered_rows(claims: Iterable[Claim]) -> Iterator[dict]:
    """Claims in the contract's order, as rows with their ``claim_id`` ({article_id}-{n:03d})."""
    counters: dict[str, int] = {}
    for c in sorted(claims, key=lambda c: (c.article_id, c.start, c.channel)):
        counters[c.article_id] = counters.get(c.article_id, 0) + 1
        row = {k: getattr(c, k) for k in CLAIM_COLUMNS if k != "claim_id"}
        row["claim_id"] = f"{c.article_id}-{counters[c.article_id]:03d}"
        yield row


def claims_frame(claims: Iterable[Claim]):
    """Claims as a data frame in the contract's column order, with claim ids."""
    import pandas as pd

    df = pd.DataFrame(list(_numbered_rows(claims)), columns=CLAIM_COLUMNS)
    return df.astype({"sentence_id": "int64", "start": "int64", "end": "int64", "hedged": bool, "negated": bool,
                      "mention_start": "int64", "mention_end": "int64"})


def claims_csv_bytes(claims: Iterable[Claim], header: bool = True) -> bytes:
    """The same bytes as ``frame_to_csv_bytes(claims_frame(claims))``, without pandas (for streaming)."""
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if header:
        w.writerow(CLAIM_COLUMNS)
    for row in _numbered_rows(claims):
        w.writerow([("true" if v else "false") if isinstance(v, bool) else v for v in (row[k] for k in CLAIM_COLUMNS)])
    return buf.getvalue().encode("utf-8")
