"""Find the spans of a rule table in a text, each with the id of the rule that matched.

Overlaps are resolved by the table's stated precedence (lower ``priority`` first, then the
longer span, then the earlier one): a span that overlaps one already taken is dropped. Work is
linear in the text for each rule; resolution sorts the matches once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .lexicon import Rule

__all__ = ["Span", "find_all", "resolve", "may_match"]


@dataclass(frozen=True)
class Span:
    rule: Rule
    start: int
    end: int
    groups: tuple = ()

    @property
    def id(self) -> str:
        return self.rule.id


_BACKREF = re.compile(r"\\[1-9]|\(\?P=")
_UNIONS: dict[int, tuple[Sequence[Rule], re.Pattern | None]] = {}


def _union(rules: Sequence[Rule]) -> re.Pattern | None:
    """One pattern that matches wherever any rule of a table does, or None where a rule refers back
    to its own groups. A text it does not match has no span of the table: one search instead of
    one per rule for the many sentences that hold none (the table itself is not changed)."""
    key = id(rules)
    if key not in _UNIONS:
        patterns = [r.pattern for r in rules]
        union = None
        if patterns and not any(_BACKREF.search(p) for p in patterns):
            try:
                union = re.compile("|".join(f"(?:{p})" for p in patterns))
            except re.error:  # group names used twice, or a flag only a whole pattern may set
                union = None
        _UNIONS[key] = (rules, union)  # the rules are kept so that their id is not reused
    return _UNIONS[key][1]


def may_match(rules: Sequence[Rule], text: str) -> bool:
    """Whether any rule of a loaded table can match somewhere in ``text`` (True when unsure)."""
    union = _union(rules)
    return union is None or union.search(text) is not None


def find_all(rules: Iterable[Rule], text: str, lo: int = 0, hi: int | None = None) -> list[Span]:
    """Every non-empty match of every rule in ``text[lo:hi]`` (offsets into ``text``), overlaps kept."""
    hi = len(text) if hi is None else hi
    if isinstance(rules, tuple):  # a loaded table: skip it at once where none of it can match
        union = _union(rules)
        if union is not None and union.search(text, lo, hi) is None:
            return []
    out = []
    for rule in rules:
        for m in rule.regex.finditer(text, lo, hi):
            if m.end() > m.start():
                out.append(Span(rule, m.start(), m.end()))
    return out


def resolve(spans: Iterable[Span], taken: bytearray | None = None) -> list[Span]:
    """The spans that survive the precedence, in text order. ``taken`` (one byte per character)
    marks text already claimed by an earlier table; it is updated."""
    spans = sorted(spans, key=lambda s: (s.rule.priority, -(s.end - s.start), s.start))
    if taken is None:
        taken = bytearray(max((s.end for s in spans), default=0))
    kept = []
    for sp in spans:
        if any(taken[sp.start : sp.end]):
            continue
        taken[sp.start : sp.end] = b"\x01" * (sp.end - sp.start)
        kept.append(sp)
    kept.sort(key=lambda s: s.start)
    return kept
