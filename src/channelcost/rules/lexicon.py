"""Load a rule table of ``data/lexicon/`` and check its examples.

A rule is one CSV row: ``id`` (unique in the table), ``pattern`` (a Python regular expression on
width-folded, lower-cased, simplified text, see ``channelcost.claims.normalize_for_matching``),
``must_match`` and ``must_not_match`` (examples, ``;``-separated), and the table's own columns
(``label``, ``cost``, ``category`` …) in ``fields``. ``{platform}`` / ``{merchant}`` in a pattern
stand for every actor pattern of that kind in ``actors.csv``, so the actor list is written once.

Precedence is explicit: where two rules of one table match overlapping text, the lower
``priority`` wins, then the longer match, then the earlier one (``matcher.resolve``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import paths

__all__ = ["Rule", "Table", "load", "TABLES"]

TABLES = ("channels", "actors", "cost_cues", "modifiers", "anaphora", "sentence_types")
_PLACEHOLDER = re.compile(r"\{(platform|merchant)\}")
_BACKREF = re.compile(r"\\[1-9]|\(\?P=")


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
    """The rules of one table, in file order, with ``union``: one pattern that matches wherever any
    of them does, so a text with none of the table's spans is passed over with one search."""

    union: re.Pattern


def _examples(cell: str) -> tuple[str, ...]:
    return tuple(x for x in (cell or "").split(";") if x)


def _expand(pattern: str) -> str:
    def actor_alternation(m: re.Match) -> str:
        kind = m.group(1)
        return "(?:" + "|".join(r.pattern for r in load("actors") if r["kind"] == kind) + ")"

    return _PLACEHOLDER.sub(actor_alternation, pattern)


@lru_cache(maxsize=None)
def load(table: str, folder: Path | None = None) -> tuple[Rule, ...]:
    """The rows of ``data/lexicon/<table>.csv`` as rules, in file order (order decides nothing)."""
    path = (folder or paths.LEXICON) / f"{table}.csv"
    rules = []
    seen: set[str] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rid = row["id"]
            if rid in seen:
                raise ValueError(f"{path.name}: rule id {rid} is used twice")
            seen.add(rid)
            pattern = _expand(row["pattern"])
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
    table = Table(rules)
    table.union = re.compile("|".join(f"(?:{r.pattern})" for r in rules))
    return table
