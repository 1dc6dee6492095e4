"""Split an article into paragraphs and sentences with code-point offsets.

Rules, chosen for Chinese web text that mixes half- and full-width punctuation:

* A paragraph is one non-blank line (web articles put one paragraph on a line). Line breaks
  are ``\\n``, ``\\r\\n``, ``\\r`` and the other breaks ``str.splitlines`` knows.
* A sentence ends at 。．！？!?；; or an ellipsis (…… / ...), together with any run of further
  terminators and the closing quotes or brackets that follow (”’」』）)】》"').
* A terminator inside a quotation does not end the sentence: “给天猫打电话免费吗?”这个问题…
  is one sentence, and so is 结论:“给天猫打电话免费吗?”这个问题的答案…。 Only quotes that close
  later on the same line count as open, so a stray quote mark cannot swallow a paragraph. The
  price: a quoted full sentence followed by another (他说：“免费。”我不信。) stays one sentence.
* A line with no terminator (a heading, a list item) is one sentence; ``is_heading`` marks
  short lines without closing punctuation.
* Half-width ``.`` ends a sentence only when white space or the line's end follows it and it is
  not between digits, so 0.6 and example.com stay whole.

Every sentence is stripped of surrounding white space, and ``text[start:end]`` is its text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences", "iter_sentences", "iter_lines", "clause_spans", "quoted_terminator_sentences"]

TERMINATORS = set("。．！？!?；;")
ELLIPSIS = set("…⋯")
CLOSERS = set("”’」』）)】》〉]〕\"'")
OPEN_TO_CLOSE = {
    "“": "”",
    "‘": "’",
    "「": "」",
    "『": "』",
    "《": "》",
    "〈": "〉",
    "（": "）",
    "(": ")",
    "【": "】",
    "〔": "〕",
    "[": "]",
}
# Quote marks within which a terminator does not end the sentence.
QUOTE_OPENERS = set("“‘「『\"")
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_LINE = re.compile(f"[^{LINE_BREAKS}]+")
HEADING_MAX_CHARS = 40


@dataclass(frozen=True)
class Sentence:
    """One sentence: ids, code-point span into the article text, and the text itself."""

    paragraph_id: int
    sentence_id: int
    start: int
    end: int
    text: str
    is_heading: bool = False


def iter_lines(text: str):
    """Yield ``(start, end)`` of every line that holds a non-space character."""
    for m in _LINE.finditer(text):
        if m.group().strip():
            yield m.start(), m.end()


def _quote_pairs(line: str) -> dict[int, int]:
    """Map the index of each opening quote that closes on this line to its closing index."""
    pairs: dict[int, int] = {}
    stack: list[tuple[str, int]] = []
    straight_open: int | None = None
    for i, ch in enumerate(line):
        if ch == '"':
            if straight_open is None:
                straight_open = i
            else:
                pairs[straight_open] = i
                straight_open = None
        elif ch in QUOTE_OPENERS:
            stack.append((ch, i))
        elif stack and ch == OPEN_TO_CLOSE.get(stack[-1][0]):
            pairs[stack.pop()[1]] = i
        elif ch in ("”", "’", "」", "』"):
            # a closer with no opener on top: drop unmatched openers below it, if one matches
            for k in range(len(stack) - 1, -1, -1):
                if OPEN_TO_CLOSE[stack[k][0]] == ch:
                    pairs[stack[k][1]] = i
                    del stack[k:]
                    break
    return pairs


def _is_terminator(line: str, i: int) -> bool:
    ch = line[i]
    if ch in TERMINATORS:
        return True
    if ch in ELLIPSIS:
        return True
    if ch == ".":
        nxt = line[i + 1] if i + 1 < len(line) else ""
        prev = line[i - 1] if i > 0 else ""
        if prev.isdigit() and nxt.isdigit():
            return False
        if nxt == ".":  # part of "..." — the last dot decides
            return False
        return nxt == "" or nxt.isspace() or (prev == "." and nxt not in ".")
    return False


def _split_line(line: str) -> list[tuple[int, int]]:
    """Split one line into sentence spans relative to the line (before stripping)."""
    pairs = _quote_pairs(line)
    spans: list[tuple[int, int]] = []
    start = 0
    depth_end: list[int] = []  # closing indices of quotes we are inside
    i = 0
    n = len(line)
    while i < n:
        if depth_end and i == depth_end[-1]:
            depth_end.pop()
            i += 1
            continue
        if i in pairs:
            depth_end.append(pairs[i])
            i += 1
            continue
        if not depth_end and _is_terminator(line, i):
            j = i + 1
            while j < n and (
                line[j] in TERMINATORS
                or line[j] in ELLIPSIS
                or (line[j] in CLOSERS and j not in pairs)
                or (line[j] == "." and line[j - 1] in ".")
            ):
                j += 1
            spans.append((start, j))
            start = j
            i = j
            continue
        i += 1
    if start < n:
        spans.append((start, n))
    return spans


def split_sentences(text: str) -> list[Sentence]:
    """All sentences of ``text`` in order, with paragraph ids and code-point offsets."""
    return list(iter_sentences(text))


def iter_sentences(text: str) -> Iterator[Sentence]:
    """The sentences of :func:`split_sentences` one at a time (memory does not grow with the text)."""
    n_out = 0
    for paragraph_id, (ls, le) in enumerate(iter_lines(text)):
        line = text[ls:le]
        spans = _split_line(line)
        for s, e in spans:
            piece = line[s:e]
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece) - len(piece.rstrip())
            s2, e2 = ls + s + lead, ls + e - trail
            if s2 >= e2:
                continue
            sent = text[s2:e2]
            heading = (
                len(spans) == 1
                and len(sent) <= HEADING_MAX_CHARS
                and sent[-1] not in TERMINATORS
                and sent[-1] not in ELLIPSIS
                and sent[-1] not in CLOSERS
                and sent[-1] not in "，,、：:"
            )
            yield Sentence(paragraph_id, n_out, s2, e2, sent, heading)
            n_out += 1


def quoted_terminator_sentences(sentences: list[Sentence]) -> list[Sentence]:
    """Sentences that go on after a quotation ending in ? or ! — the cases where a naive splitter
    would have cut (“给天猫打电话免费吗?”这个问题…)."""
    out = []
    for s in sentences:
        pairs = _quote_pairs(s.text)
        for o, c in pairs.items():
            if s.text[o] in QUOTE_OPENERS and c > 0 and s.text[c - 1] in "?？!！" and c + 1 < len(s.text):
                out.append(s)
                break
    return out


CLAUSE_BREAKS = set(",，;；:：")
_CLAUSE_OPEN = set("“‘「『《(（[【")
_CLAUSE_CLOSE = set("”’」』》)）]】")


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Clauses of a sentence: split after , ; : of either width outside quotes and brackets;
    each span keeps its closing punctuation, and together they cover the text."""
    spans: list[tuple[int, int]] = []
    start = depth = 0
    for i, ch in enumerate(text):
        if ch in _CLAUSE_OPEN:
            depth += 1
        elif ch in _CLAUSE_CLOSE and depth:
            depth -= 1
        elif ch in CLAUSE_BREAKS and depth == 0:
            spans.append((start, i + 1))
            start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans
