"""The article annotated: its text with every channel mention and cost cue marked, in the manner of
displaCy's entity view, as one HTML fragment for a notebook's output and the site's article page.

* A **channel mark** covers the words that name a channel (a claim's ``mention_start``/``mention_end``;
  for a claim made through a pointer word, 这些渠道, those words). Its label gives the channel and the
  cost each claim on it states; a numbered note below the text gives every claim id, its rule ids
  and the fact-check verdict. A mention inside a longer one joins the longer one's mark.
* A **cue mark** covers a word that decided a cost (the claim's ``cue``, found in its evidence). It is
  coloured by the cost the claim ends with, and its label says that cost in words, with "negated" or
  "hedged" where a negation or a hedge is involved, so colour is never the only signal; its border is
  solid (free), double (paid) or dashed (varies).

When the article is long only the paragraphs with a channel mark are shown, and in a notebook only as
many of those as fit in :data:`MAX_MARKED_CHARS` (a note says how many paragraphs are left out). Colours are WCAG AA: every text
and background pair in :data:`PALETTE` has a contrast ratio of at least 4.5 (tests check it).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from .vocab import CHANNEL_NAMES

__all__ = ["PALETTE", "Mark", "channel_marks", "cue_marks", "annotated_html", "contrast_ratio"]

# (text colour, background) of each kind of mark and of its label
PALETTE = {
    "channel": ("#0b2e59", "#dceafb"),
    "channel-label": ("#ffffff", "#1f4e8c"),
    "free": ("#0f3d17", "#d8f0dc"),
    "free-label": ("#ffffff", "#2e6b34"),
    "paid": ("#5c0d0d", "#f8dada"),
    "paid-label": ("#ffffff", "#9b1c1c"),
    "varies": ("#4a2c00", "#fbe9c6"),
    "varies-label": ("#ffffff", "#7a4a00"),
    "text": ("#1a1a1a", "#ffffff"),
    "note": ("#444444", "#ffffff"),
}
BORDERS = {"free": "2px solid", "paid": "3px double", "varies": "2px dashed"}
COST_WORDS = {"free": "free", "paid": "paid", "varies": "it depends", "unstated": "no cost stated"}
MAX_SHOWN_CHARS = 20_000  # above this, only paragraphs with a mark are shown
MAX_MARKED_CHARS = 60_000  # and of those, in a notebook, this much text at most


@dataclass
class Mark:
    start: int
    end: int
    kind: str  # "channel" or a cost: "free", "paid", "varies"
    claims: list = field(default_factory=list)  # claim rows (namedtuples) the mark stands for
    words: list = field(default_factory=list)  # for a cue: the labels of its claims


def _int(value) -> int | None:
    try:
        return None if pd.isna(value) else int(value)
    except (TypeError, ValueError):
        return None


def channel_marks(claims: pd.DataFrame) -> list[Mark]:
    """One mark per span of channel words, in text order; a span inside a longer one joins it."""
    spans: dict[tuple[int, int], list] = {}
    for row in claims.itertuples(index=False):
        start, end = _int(getattr(row, "mention_start", None)), _int(getattr(row, "mention_end", None))
        if start is None or end is None or end <= start:
            start, end = row.start, row.start  # no words to mark: a zero-width mark at the evidence
        spans.setdefault((start, end), []).append(row)
    marks: list[Mark] = []
    for (start, end), rows in sorted(spans.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        if marks and start < marks[-1].end and end <= marks[-1].end and end > start:
            marks[-1].claims.extend(rows)  # inside the previous, longer span
            continue
        marks.append(Mark(start, end, "channel", list(rows)))
    return marks


def cue_marks(claims: pd.DataFrame, taken: list[Mark]) -> list[Mark]:
    """One mark per cue word of a cost-stating claim, found in the claim's evidence; a cue that would
    overlap a channel mark or another cue is left to the notes."""
    found: dict[tuple[int, int], Mark] = {}
    for row in claims.itertuples(index=False):
        if row.cost == "unstated" or not isinstance(row.cue, str) or not row.cue:
            continue
        for word in row.cue.split("|"):
            at = row.evidence.find(word)
            if not word or at < 0:
                continue
            key = (row.start + at, row.start + at + len(word))
            mark = found.setdefault(key, Mark(key[0], key[1], row.cost))
            mark.claims.append(row)
            label = _cue_label(row)
            if label not in mark.words:
                mark.words.append(label)
    from bisect import bisect_left
    from itertools import accumulate

    spans = sorted((m.start, m.end) for m in taken if m.end > m.start)
    starts = [s for s, _ in spans]
    reach = list(accumulate((e for _, e in spans), max))  # the furthest end of the spans up to each one
    kept: list[Mark] = []
    for mark in sorted(found.values(), key=lambda m: (m.start, -m.end)):
        k = bisect_left(starts, mark.end) - 1  # the channel spans that start before this cue ends
        if (k >= 0 and reach[k] > mark.start) or (kept and kept[-1].end > mark.start):
            continue  # overlaps a channel mark, or the cue kept last (cues come in text order)
        kept.append(mark)
    return kept


def _cue_label(row) -> str:
    extra = [w for w, on in (("negated", row.negated), ("hedged", row.hedged)) if bool(on)]
    return COST_WORDS[row.cost] + (f" ({', '.join(extra)})" if extra else "")


def _channel_label(mark: Mark) -> str:
    """The channels of a mark, each with the costs its claims here state (none: the name alone)."""
    costs: dict[str, list[str]] = {}
    for row in mark.claims:
        said = costs.setdefault(CHANNEL_NAMES.get(row.channel, row.channel), [])
        if row.cost != "unstated" and COST_WORDS[row.cost] not in said:
            said.append(COST_WORDS[row.cost])
    return "; ".join(name + (f": {', '.join(said)}" if said else "") for name, said in costs.items())


def _verdicts(fact_checks: pd.DataFrame) -> dict[str, str]:
    out = {}
    for row in fact_checks.itertuples(index=False):
        facts = f" ({row.fact_ids.replace(';', ', ')})" if isinstance(row.fact_ids, str) and row.fact_ids else ""
        out[row.claim_id] = f"{row.verdict}{facts}"
    return out


def _css() -> str:
    rules = [".cc-article{color:%s;background:%s;line-height:2.4;font-size:1.05em;max-width:60em}" % PALETTE["text"],
             ".cc-article p{margin:0 0 .9em 0}",
             ".cc-mark{padding:.1em .25em;border-radius:.3em;white-space:normal}",
             ".cc-label{font-size:.7em;font-weight:bold;padding:.05em .35em;margin-left:.3em;border-radius:.25em;"
             "vertical-align:middle}",
             ".cc-note-ref{font-size:.75em;vertical-align:super;margin-left:.1em}",
             ".cc-notes{color:%s;font-size:.9em;line-height:1.5}" % PALETTE["note"][0],
             ".cc-gap{color:%s;font-style:italic}" % PALETTE["note"][0]]
    for kind in ("channel", "free", "paid", "varies"):
        fg, bg = PALETTE[kind]
        lfg, lbg = PALETTE[f"{kind}-label"]
        border = BORDERS.get(kind, "1px solid")
        rules.append(f".cc-{kind}{{color:{fg};background:{bg};border-bottom:{border} {lbg}}}")
        rules.append(f".cc-{kind} .cc-label{{color:{lfg};background:{lbg}}}")
    return "<style>" + "".join(rules) + "</style>"


def annotated_html(sentences: pd.DataFrame, claims: pd.DataFrame, fact_checks: pd.DataFrame,
                   max_chars: int = MAX_SHOWN_CHARS, max_marked_chars: int | None = MAX_MARKED_CHARS) -> str:
    """The article's sentences, paragraph by paragraph, with channel and cue marks and numbered notes.
    Above ``max_chars`` of text only the paragraphs with a channel mark are shown, and of those only
    as many as fit in ``max_marked_chars`` (None: all); a line says what is left out."""
    from bisect import bisect_right

    channels = channel_marks(claims)
    starts = sentences["start"].tolist()
    paragraph = sentences["paragraph_id"].tolist()

    def paragraph_of(pos: int):
        k = bisect_right(starts, pos) - 1
        return paragraph[k] if k >= 0 else None

    sizes = sentences.groupby("paragraph_id", sort=True)["text"].apply(lambda ts: sum(map(len, ts)))
    marked = {paragraph_of(m.start) for m in channels}
    shown = set(sizes.index) if int(sizes.sum()) <= max_chars else set(marked)
    cut = 0
    if max_marked_chars is not None and int(sizes[sorted(shown)].sum()) > max_marked_chars:
        budget, kept = max_marked_chars, set()
        for pid in sorted(shown):
            if budget - sizes[pid] < 0 and kept:
                break
            kept.add(pid)
            budget -= sizes[pid]
        cut = len(marked - kept)
        shown = kept
    channels = [m for m in channels if paragraph_of(m.start) in shown]
    cues = cue_marks(claims, channels)
    cues = [m for m in cues if paragraph_of(m.start) in shown]
    verdicts = _verdicts(fact_checks)
    number = {id(m): i for i, m in enumerate(channels, 1)}
    marks = sorted(channels + cues, key=lambda m: (m.start, m.kind != "channel", -m.end))
    out = [_css(), '<div class="cc-article" lang="zh">']
    i = 0  # next mark
    for pid, para in sentences.groupby("paragraph_id", sort=True):
        if pid not in shown:
            continue
        parts = []
        for s in para.itertuples(index=False):
            while i < len(marks) and marks[i].start < s.start:
                i += 1  # a mark in a paragraph left out
            pos = s.start
            while i < len(marks) and marks[i].start < s.end:
                m = marks[i]
                i += 1
                if m.start < pos:
                    continue
                parts.append(html.escape(s.text[pos - s.start:m.start - s.start]))
                parts.append(_mark_html(m, s.text[m.start - s.start:m.end - s.start], number, verdicts))
                pos = m.end
            parts.append(html.escape(s.text[pos - s.start:]))
        tag = "h4" if bool(para["is_heading"].iloc[0]) and len(para) == 1 else "p"
        out.append(f"<{tag}>{''.join(parts)}</{tag}>")
    left_out = len(sizes) - len(shown) - cut
    if left_out:
        out.append(f'<p class="cc-gap">{left_out} paragraph{"s" if left_out > 1 else ""} without a channel '
                   "mention left out; the sentence table has every sentence.</p>")
    if cut:
        out.append(f'<p class="cc-gap">{cut} more paragraph{"s" if cut > 1 else ""} with a channel mention left out '
                   "to keep this page short; claims.csv has every claim, and the article's page on the site "
                   "annotates them all.</p>")
    out.append("</div>")
    out.append(_notes_html(channels, verdicts))
    return "".join(out)


def _mark_html(m: Mark, text: str, number: dict, verdicts: dict) -> str:
    if m.kind == "channel":
        n = number[id(m)]
        ids = " ".join(r.claim_id for r in m.claims)
        label = _channel_label(m)
        ref = f'<a class="cc-note-ref" href="#cc-note-{n}">[{n}]</a>'
        return (f'<mark class="cc-mark cc-channel" data-claims="{ids}" id="cc-mark-{n}" title="{html.escape(label)}">'
                f'{html.escape(text)}<span class="cc-label">{html.escape(label)}</span></mark>{ref}')
    ids = " ".join(dict.fromkeys(r.claim_id for r in m.claims))
    label = "; ".join(m.words)
    rules = sorted({rule for r in m.claims for rule in str(r.rules).split(";") if rule.startswith("cue.")})
    title = f"cost cue: {label}; rules {', '.join(rules)}"
    return (f'<span class="cc-mark cc-{m.kind}" data-cue-of="{ids}" title="{html.escape(title)}">{html.escape(text)}'
            f'<span class="cc-label">{html.escape(label)}</span></span>')


def _notes_html(channels: list[Mark], verdicts: dict) -> str:
    if not channels:
        return '<p class="cc-notes">The article names no contact channel: nothing is marked.</p>'
    items = []
    for n, m in enumerate(channels, 1):
        lines = []
        for r in m.claims:
            flags = [w for w, on in (("negated", r.negated), ("hedged", r.hedged)) if bool(on)]
            rules = str(r.rules).replace(";", ", ") if isinstance(r.rules, str) else ""
            check = verdicts.get(r.claim_id)
            lines.append(f"{html.escape(r.claim_id)} (sentence {r.sentence_id}): "
                         f"{html.escape(CHANNEL_NAMES.get(r.channel, r.channel))}, {COST_WORDS[r.cost]}"
                         + (f", {', '.join(flags)}" if flags else "")
                         + (f"; fact check: {html.escape(check)}" if check else "")
                         + (f"; rules {html.escape(rules)}" if rules else ""))
        items.append(f'<li id="cc-note-{n}" value="{n}"><a href="#cc-mark-{n}">↑</a> ' + "<br>".join(lines) + "</li>")
    return '<ol class="cc-notes">' + "".join(items) + "</ol>"


def _luminance(colour: str) -> float:
    rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""
    a, b = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)
