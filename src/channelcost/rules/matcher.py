"""Find the spans of a rule table in a text, each with the id of the rule that matched.

Overlaps are resolved by the table's stated precedence (lower ``priority`` first, then the
longer span, then the earlier one): a span that overlaps one already taken is dropped. Work is
linear in the text for each rule; resolution sorts the matches once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from .lexicon import Rule, Table

__all__ = ["Span", "find_all", "resolve", "may_match"]


class Span(NamedTuple):
    """A match: the rule and its offsets (a named tuple: many are made, and cheaply)."""

    rule: Rule
    start: int
    end: int

    @property
    def id(self) -> str:
        return self.rule.id


def may_match(rules: Table, text: str) -> bool:
    """Whether any rule of a loaded table matches somewhere in ``text``."""
    return rules.union.search(text) is not None


def find_all(rules: Iterable[Rule], text: str, lo: int = 0, hi: int | None = None) -> list[Span]:
    """Every non-empty match of every rule in ``text[lo:hi]`` (offsets into ``text``), overlaps kept,
    in rule order. Of a loaded table only the rules that can start with one of the text's
    characters are tried (``Table.candidates``); a plain list of rules is tried whole."""
    hi = len(text) if hi is None else hi
    if isinstance(rules, Table):
        rules = rules.candidates(set(text[lo:hi]))
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
