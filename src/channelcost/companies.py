"""Which company a claim is about: the companies of ``data/lexicon/companies.csv`` found in the text.

A company is named by one of its names or aliases (both scripts: patterns run on simplified text), or
by its own widely published service number (10086 names China Mobile). Each claim takes the company
named nearest its channel in its sentence (the nearest before the channel first, else the nearest
after it); a sentence that names none takes the company the passage is about: the latest one named
in its section (a heading starts a section), else the one the article's title names. A carrier named
as the caller's network (移动用户, 联通手机, 电信套餐) only bills the call: it is not the company the
claim is about. Two kinds of claim are about no company unless their sentence names one: a channel
named only by emergency numbers (110), and what people believe of a kind of number (很多人以为400电话
免费). The rules are ``data/annotations/COMPANY_GUIDELINES.md``; the work is one pass over
the sentences, with a constant amount kept between them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .rules import lexicon
from .rules.matcher import Span, find_all, may_match, resolve

__all__ = ["COMPANIES", "company_names", "find_companies", "public_line", "belief_about_a_kind", "speaks_generally", "named_together", "Named", "CompanyContext"]


@lru_cache(maxsize=1)
def _table() -> lexicon.Table:
    return lexicon.load("companies")


def company_names() -> dict[str, str]:
    """Company (the value of the company column) -> its simplified name, in file order."""
    return {r["company"]: r["name"] for r in _table()}


COMPANIES = tuple(company_names())


@lru_cache(maxsize=1)
def _caller_network():
    """The words after a carrier's name that make it the caller's network (claim_roles.csv)."""
    return _role_regex("caller_network")


def speaks_generally(norm: str) -> bool:
    """The sentence speaks of companies or of a kind of number in general (claim_roles.csv,
    generic_owner): 各家银行, 不少平台, 95开头的热线."""
    return bool(_role_regex("generic_owner").search(norm))


def public_line(mention: str) -> bool:
    """Whether a claim's channel is named only by emergency numbers (110, 119, 120, 122: the
    ``emergency`` type of number_types.csv): the state's lines, about no company unless the sentence
    names one (COMPANY_GUIDELINES.md, rule 5). Other public lines (12315, 12345) are left to the
    passage's company: a complaint there is mostly about it."""
    runs = [d for word in mention.split("|") for d in re.findall(r"\d{3,}", word)]
    return bool(runs) and all(_emergency().fullmatch(d) for d in runs)


def belief_about_a_kind(norm: str, mention: str) -> bool:
    """Whether the sentence reports what people believe (很多人以为, modifiers.csv belief) of a channel
    named only as a kind of number (claim_roles.csv, number_class: 400电话, 95开头的号码): the myth is
    about numbers of the kind in general, no company (rule 5)."""
    words = [w for w in mention.split("|") if w]
    kinds = [w for w in words if _role_regex("number_class").fullmatch(w)]
    return bool(kinds) and all(w in kinds or _role_regex("bare_line").fullmatch(w) for w in words) and any(
        r.regex.search(norm) for r in lexicon.load("modifiers") if r["category"] == "belief")


@lru_cache(maxsize=1)
def _emergency() -> re.Pattern:
    (rule,) = [r for r in lexicon.load("number_types") if r["number_type"] == "emergency"]
    return re.compile(rule["digits"])


def find_companies(norm: str) -> list[Span]:
    """The company names in a normalised sentence, overlaps resolved (the longer name wins), in text
    order; a carrier named as the caller's network is left out."""
    table = _table()
    if not may_match(table, norm):
        return []
    found = resolve(find_all(table, norm))
    return [s for s in found if not (s.rule["sector"] == "carrier" and _caller_network().match(norm, s.end))]


@dataclass(frozen=True)
class Named:
    """Companies named together (天猫, 淘宝和京东): a claim about them is about the first, unless they are
    a group (three or more, or a list closed by 等), which stands for companies in general."""

    start: int
    end: int
    ids: tuple[str, ...]
    group: bool

    @property
    def company(self) -> str:
        return "" if self.group else self.ids[0]


def named_together(norm: str, found: list[Span]) -> list[Named]:
    """The companies of a sentence, those joined by 、/和/与/及/或 (or by nothing: 海尔美的) taken together."""
    joiner, closer = _role_regex("company_joiner"), _role_regex("company_list_end")
    out: list[list[Span]] = []
    for sp in found:
        if out and (out[-1][-1].end == sp.start or joiner.fullmatch(norm, out[-1][-1].end, sp.start)):
            out[-1].append(sp)
        else:
            out.append([sp])
    named = []
    for spans in out:
        ids = tuple(dict.fromkeys(sp.rule["company"] for sp in spans))
        group = len(ids) >= 3 or (len(ids) >= 2 and bool(closer.match(norm, spans[-1].end)))
        named.append(Named(spans[0].start, spans[-1].end, ids, group))
    return named


@lru_cache(maxsize=None)
def _role_regex(role: str):
    (rule,) = [r for r in lexicon.load("claim_roles") if r["role"] == role]
    return rule.regex


TITLE_SENTENCES = 1  # the company the title names (the first sentence) is the one the article is about


@dataclass
class CompanyContext:
    """The company the passage is about, carried from sentence to sentence."""

    article: str = ""  # the company the article is about: the one its title names ("" for a group)
    last: str | None = None  # the company of the latest sentence in the section that named one ("" for a group)
    sentences: int = 0  # sentences read

    def company_of(self, named: list[Named], mention_start: int, generic: bool = False) -> str:
        """The company of a claim whose channel is named at ``mention_start`` in a sentence that names
        the companies ``named``; ``generic``: the sentence speaks of companies in general (各家银行,
        不少平台), so with no company named it is about none."""
        if named:
            before = [n for n in named if n.start <= mention_start]
            return (before[-1] if before else named[0]).company
        if generic:
            return ""
        return self.article if self.last is None else self.last

    def advance(self, named: list[Named], is_heading: bool) -> None:
        """Move on past a sentence that named ``named``; a heading starts a section."""
        self.sentences += 1
        if is_heading:
            self.last = None
        if named:
            if self.sentences <= TITLE_SENTENCES and not self.article:
                self.article = named[0].company
            self.last = named[-1].company
