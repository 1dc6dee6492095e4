"""Load a rule table of ``data/lexicon/`` and check its examples.

A rule is one CSV row: ``id`` (unique in the table), ``pattern`` (a Python regular expression on
width-folded, lower-cased, simplified text, see ``channelcost.claims.normalize_for_matching``),
``must_match`` and ``must_not_match`` (examples, ``;``-separated), and the table's own columns
(``label``, ``cost``, ``category`` …) in ``fields``. ``{platform}``, ``{merchant}`` and ``{consumer}`` in
a pattern stand for every actor pattern of that kind in ``actors.csv`` (``{actor}`` for all of them, in the
file's order), so the actor list is written once; ``{=id}`` stands for the pattern of the row ``id`` of the
same table, so a word list two rows share is written once too.

Precedence is explicit: where two rules of one table match overlapping text, the lower
``priority`` wins, then the longer match, then the earlier one (``matcher.resolve``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

# re's own parser (Python 3.11+), used only to bound each rule's first character
from re import _constants as _re_constants
from re import _parser as _re_parser

from .. import paths

__all__ = ["Rule", "Table", "load", "actor_alternation", "TABLES"]

TABLES = ("channels", "actors", "cost_cues", "modifiers", "anaphora", "sentence_types", "number_types", "advice_rules",
          "problem_kinds", "claim_roles", "companies", "number_words")
_PLACEHOLDER = re.compile(r"\{(platform|merchant|consumer|actor)\}")
_BACKREF = re.compile(r"\\[1-9]|\(\?P=")
_ROW_REF = re.compile(r"\{=([a-z0-9_.]+)\}")  # {=id}: the pattern of another row of the same table


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: str
    regex: re.Pattern = field(compare=False, repr=False)
    priority: int
    must_match: tuple[str, ...]
    must_not_match: tuple[str, ...]
    fields: dict = field(compare=False, repr=False)

    def __getitem__(self, key: str) -> str:
        return self.fields[key]


class Table(tuple):
    """The rules of one table, in file order, with two ways to pass over rules that cannot match:

    * ``union``: one pattern that matches wherever any of them does (``matcher.may_match``);
    * ``by_first_char``: for each character, the rules whose every match starts with it (as a bit
      mask over the table), and ``unindexed_mask``, the rules whose first character the pattern
      does not bound (a rule starting with ``.`` or ``[^…]``). A text needs only the rules of its
      own characters.
    """

    union: re.Pattern
    by_first_char: dict[str, int]  # a character -> the bit mask of the rules (bit i = rule i)
    unindexed_mask: int
    _by_mask: dict[int, tuple[Rule, ...]]

    @classmethod
    def of(cls, rules: list[Rule]) -> Table:
        """The table of ``rules`` with its union and its first-character index."""
        table = cls(rules)
        table.union = re.compile("|".join(f"(?:{r.pattern})" for r in rules))
        table.by_first_char, table.unindexed_mask, table._by_mask = {}, 0, {}
        for i, rule in enumerate(rules):
            chars = first_chars(rule.pattern)
            if chars is None:
                table.unindexed_mask |= 1 << i
            for ch in chars or ():
                table.by_first_char[ch] = table.by_first_char.get(ch, 0) | 1 << i
        return table

    def candidates(self, chars: set[str]) -> tuple[Rule, ...]:
        """The rules (in file order) that may match a text made of ``chars``."""
        mask = self.unindexed_mask
        index = self.by_first_char
        for ch in chars & index.keys():
            mask |= index[ch]
        return self._rules_of(mask)

    def _rules_of(self, mask: int) -> tuple[Rule, ...]:
        rules = self._by_mask.get(mask)
        if rules is None:
            rules = tuple(rule for i, rule in enumerate(self) if mask >> i & 1)
            if len(self._by_mask) < _MASK_CACHE:
                self._by_mask[mask] = rules
        return rules


_MASK_CACHE = 4096  # distinct sets of candidate rules remembered per table


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters every non-empty match of ``pattern`` starts with, read from the parsed
    pattern; None where the pattern does not bound them (a wildcard, a negated or wide class, a
    flag such as IGNORECASE, or a pattern that can match empty)."""
    try:
        parsed = _re_parser.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    chars, can_be_empty = _first_of_sequence(list(parsed))
    return None if chars is None or can_be_empty else frozenset(chars)


_WIDE_RANGE = 64  # a class such as [\u4e00-\u9fff] bounds nothing useful


def _first_of_sequence(items: list) -> tuple[set[str] | None, bool]:
    """(first characters, whether the sequence can match empty) of a parsed sequence."""
    out: set[str] = set()
    for op, av in items:
        chars, can_be_empty = _first_of_item(op, av)
        if chars is None:
            return None, False
        out |= chars
        if not can_be_empty:
            return out, False
    return out, True


def _first_of_item(op, av) -> tuple[set[str] | None, bool]:
    c = _re_constants
    if op is c.LITERAL:
        return {chr(av)}, False
    if op is c.IN:
        chars: set[str] = set()
        for sub_op, sub_av in av:
            if sub_op is c.LITERAL:
                chars.add(chr(sub_av))
            elif sub_op is c.RANGE and sub_av[1] - sub_av[0] < _WIDE_RANGE:
                chars.update(chr(x) for x in range(sub_av[0], sub_av[1] + 1))
            else:  # NEGATE, CATEGORY (\d, \s …) or a wide range
                return None, False
        return chars, False
    if op is c.SUBPATTERN:
        return _first_of_sequence(list(av[3]))
    if op is c.BRANCH:
        chars, any_empty = set(), False
        for branch in av[1]:
            sub, empty = _first_of_sequence(list(branch))
            if sub is None:
                return None, False
            chars |= sub
            any_empty = any_empty or empty
        return chars, any_empty
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)):
        least, _most, sub = av
        chars, empty = _first_of_sequence(list(sub))
        return chars, (empty or least == 0) if chars is not None else False
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):  # zero-width: the match starts with what follows
        return set(), True
    return None, False  # ANY, NOT_LITERAL, a group reference, anything not read here


def _examples(cell: str) -> tuple[str, ...]:
    return tuple(x for x in (cell or "").split(";") if x)


def actor_alternation(*kinds: str) -> str:
    """One pattern for every row of ``actors.csv`` of the given kinds (what ``{platform}`` stands for)."""
    return "(?:" + "|".join(r.pattern for r in load("actors") if r["kind"] in kinds) + ")"


def _expand(pattern: str) -> str:
    def actors(m: re.Match) -> str:
        kind = m.group(1)
        return actor_alternation(*(("platform", "merchant", "consumer") if kind == "actor" else (kind,)))

    return _PLACEHOLDER.sub(actors, pattern)


@lru_cache(maxsize=None)
def load(table: str, folder: Path | None = None) -> tuple[Rule, ...]:
    """The rows of ``data/lexicon/<table>.csv`` as rules, in file order (order decides nothing)."""
    path = (folder or paths.LEXICON) / f"{table}.csv"
    rules = []
    seen: set[str] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    raw = {row["id"]: row["pattern"] for row in rows}

    def row_pattern(m: re.Match) -> str:
        if m.group(1) not in raw:
            raise ValueError(f"{path.name}: {m.group(0)} names no row of the table")
        return raw[m.group(1)]

    for row in rows:
        rid = row["id"]
        if rid in seen:
            raise ValueError(f"{path.name}: rule id {rid} is used twice")
        seen.add(rid)
        pattern = _expand(_ROW_REF.sub(row_pattern, row["pattern"]))
        if _BACKREF.search(pattern):  # it would point at another rule's group in the union
            raise ValueError(f"{path.name}: rule {rid} refers back to its own groups; spell the alternatives out")
        rules.append(Rule(
            id=rid,
            pattern=pattern,
            regex=re.compile(pattern),
            priority=int(row.get("priority") or 0),
            must_match=_examples(row.get("must_match", "")),
            must_not_match=_examples(row.get("must_not_match", "")),
            fields=dict(row),
        ))
    return Table.of(rules)
