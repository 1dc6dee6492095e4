"""Check cost claims against sourced billing facts (``data/reference/billing.csv``).

Which claims: every claim of ``claims.csv`` that states a cost (free, paid, varies); mentions
without a cost make no claim to check.

Which facts: a claim is about the numbers it gives. Where ``numbers.csv`` links numbers to the claim
(``channelcost.numbers``: 4008-123-456 is a 400 number, 13800138000 a mobile one), their types are
checked (``number_source`` = ``given``). Otherwise the check falls back, and says so, to the kinds of
number its channel uses (``data/lexicon/number_types.csv`` says which number types each channel is
looked for in, and their patterns):

* ``official_hotline``: the kinds of number named in the claim's sentence (95xxx, 400, 800,
  10086/10010/10000; ``named``); when the sentence names none, the numbers the article gives for its
  official hotline anywhere else (``elsewhere``: the seed says once that Tmall's line is "通常为95开头的号码");
* ``merchant_hotline``: likewise, 400 and 800 numbers;
* ``merchant_mobile``: ordinary mobile and fixed numbers (``channel``: the type the channel implies);
* ``complaint``: the 12315 line when the sentence names it;
* any other channel (chat, robot, SMS, e-mail …): no billing fact applies, so ``not checkable``.

Only facts about the number type as such are used: a fact whose ``prefix_or_number`` is narrower
(Microsoft's 10800 range, the 950/96 information-fee numbers) is kept in the table but not applied.

Verdict per number type, from the ``caller_cost`` values of its facts:

* the claim says free or paid: ``supported`` when every fact agrees, ``contradicted`` when none does,
  ``partly supported`` when the sources disagree among themselves;
* the claim says it varies: ``supported`` when the facts for all its numbers together differ (400
  paid beside 800 free; by caller or network), ``partly supported`` when they all say the same (the
  claim hedges a definite answer).

A free or paid claim about several number types (400 or 800): one verdict if the types agree, else
``partly supported``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from . import paths
from .claims import normalize_for_matching
from .vocab import STATED_COSTS

__all__ = ["VERDICTS", "FACT_CHECK_COLUMNS", "load_facts", "numbers_in", "check_claims", "weak_facts",
           "weak_support"]

VERDICTS = ("supported", "contradicted", "partly supported", "not checkable")
FACT_CHECK_COLUMNS = ["article_id", "claim_id", "sentence_id", "channel", "cost", "number_types", "verdict",
                      "fact_ids", "reason", "number_source"]
# where the number types of a check come from, from the best evidence to the weakest
NUMBER_SOURCES = {
    "given": "the numbers the claim gives",
    "named": "the kind of number its sentence names",
    "elsewhere": "numbers the article gives for the channel elsewhere",
    "channel": "the channel's usual number type",
}
BILLING = paths.DATA / "reference" / "billing.csv"



def _number_types() -> tuple[dict, dict, dict, dict]:
    """From ``data/lexicon/number_types.csv`` (the one list of number types): number type -> (its
    pattern, the ``prefix_or_number`` values of billing.csv that cover the type as such); channel ->
    the types looked for in its sentences, in file order; channel -> the types it implies; number
    type -> the type whose facts apply to it (a mobile or landline number is an ordinary number)."""
    from .rules import lexicon

    types, looked_for, implied, checked_as = {}, {}, {}, {}
    for rule in lexicon.load("number_types"):
        types[rule["number_type"]] = (rule.regex, tuple(x for x in rule["covers"].split(";") if x))
        if rule["checked_as"]:
            checked_as[rule["number_type"]] = rule["checked_as"]
        for channel in filter(None, rule["channels"].split(";")):
            target = implied if rule["implied"] == "true" else looked_for
            target[channel] = target.get(channel, ()) + (rule["number_type"],)
    return types, looked_for, implied, checked_as


NUMBER_TYPES, CHANNEL_TYPES, IMPLIED_TYPES, CHECKED_AS = _number_types()
COST_WORDS = {"free": "free", "paid": "paid by the caller", "varies": "dependent on the case"}


def load_facts(path: Path = BILLING) -> pd.DataFrame:
    """The reference facts, as strings."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


_WEAK = re.compile(r"metadata|classification", re.I)


def weak_facts(facts: pd.DataFrame) -> set[str]:
    """Ids of the facts that describe how a number is classified (a phone-number library's
    metadata), not what a call costs: their ``applies_to`` says so."""
    return set(facts[facts["applies_to"].str.contains(_WEAK)]["fact_id"])


def weak_support(checks: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """The checkable verdicts that rest only on weak facts (``weak_facts``): read them as weak support."""
    weak = weak_facts(facts)
    checkable = checks[checks["verdict"] != "not checkable"]
    mask = checkable["fact_ids"].apply(lambda ids: bool(ids) and set(ids.split(";")) <= weak)
    return checkable[mask]


def numbers_in(text: str, channel: str) -> list[str]:
    """The number types a channel's mention in ``text`` points to (in NUMBER_TYPES order)."""
    norm = normalize_for_matching(text)
    return [t for t in CHANNEL_TYPES.get(channel, ()) if NUMBER_TYPES[t][0].search(norm)]


def _facts_for(facts: pd.DataFrame, number_type: str) -> list[tuple[str, str]]:
    """(fact_id, caller_cost) of the facts about a number type as such, in the facts' order."""
    prefixes = NUMBER_TYPES[number_type][1]
    sub = facts[(facts["number_type"] == number_type) & facts["prefix_or_number"].isin(prefixes)]
    return list(zip(sub["fact_id"], sub["caller_cost"]))


_DEFAULT_BY_TYPE: dict[str, list[tuple[str, str]]] = {}  # _facts_for of the project's own facts file, per type


def _facts_by_type(facts: pd.DataFrame | None) -> dict[str, list[tuple[str, str]]]:
    """:func:`_facts_for` of every number type; for the project's facts file (``facts`` None) made once
    per process, so a comparison of many articles reads the file once."""
    if facts is not None:
        return {t: _facts_for(facts, t) for t in NUMBER_TYPES}
    if not _DEFAULT_BY_TYPE:
        _DEFAULT_BY_TYPE.update(_facts_by_type(load_facts()))
    return _DEFAULT_BY_TYPE


def _type_verdict(cost: str, sub: list[tuple[str, str]]) -> str:
    costs = {c for _fid, c in sub}
    if cost == "varies":
        return "supported" if len(costs) > 1 or "varies" in costs else "partly supported"
    if costs == {cost}:
        return "supported"
    if cost not in costs and "varies" not in costs:
        return "contradicted"
    return "partly supported"


def _summary(sub: list[tuple[str, str]]) -> str:
    parts = []
    for c in STATED_COSTS:
        ids = [fid for fid, cost in sub if cost == c]
        if ids:
            parts.append(f"{COST_WORDS[c]} ({', '.join(ids)})")
    return " or ".join(parts)


def _given_types(numbers: pd.DataFrame | None) -> dict[str, list[str]]:
    """claim id -> the types (as the facts know them) of the numbers ``numbers.csv`` links to it, in text order."""
    given: dict[str, list[str]] = {}
    if numbers is None:
        return given
    for claim_id, number_type in zip(numbers["claim_id"], numbers["number_type"]):
        if claim_id:
            t = CHECKED_AS.get(number_type, number_type)
            lst = given.setdefault(claim_id, [])
            if t not in lst:
                lst.append(t)
    return given


def check_claims(claims: pd.DataFrame, facts: pd.DataFrame | None = None,
                 numbers: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per cost-stating claim, with the verdict, the facts used and a one-sentence reason.

    The number types checked are, in order of preference: those of the numbers the claim gives
    (``numbers``, the article's numbers.csv), the kind of number its sentence names (400电话, 95开头),
    the numbers the article gives for the channel elsewhere, and the type the channel implies (a
    shop's own phone); ``number_source`` says which, so a reader sees when the check fell back."""
    by_type = _facts_by_type(facts)
    given = _given_types(numbers)
    records = list(zip(*(claims[c] for c in ("article_id", "claim_id", "sentence_id", "channel", "cost", "evidence"))))
    # numbers the article gives for each channel anywhere, for sentences that name none
    named: dict[tuple[str, str], list[str]] = {}  # (evidence, channel) -> numbers_in, each computed once
    context: dict[tuple[str, str], list[str]] = {}
    for article_id, _cid, _sid, channel, _cost, evidence in records:
        if channel not in CHANNEL_TYPES:
            continue
        types = named[(evidence, channel)] = numbers_in(evidence, channel)
        for t in types:
            lst = context.setdefault((article_id, channel), [])
            if t not in lst:
                lst.append(t)
    rows = []
    for article_id, claim_id, sentence_id, channel, cost, evidence in records:
        if cost == "unstated":
            continue
        if claim_id in given:
            types, source = given[claim_id], "given"
        elif channel in IMPLIED_TYPES:
            types, source = list(IMPLIED_TYPES[channel]), "channel"
        else:
            types, source = list(named.get((evidence, channel), ())), "named"
            if not types and channel in CHANNEL_TYPES:
                types, source = context.get((article_id, channel), []), "elsewhere"
        used = {t: by_type[t] for t in types if by_type[t]}
        if not used:
            why = ("no billing fact covers this channel" if channel not in CHANNEL_TYPES and channel not in IMPLIED_TYPES
                   else "the article names no number for it that a sourced fact covers")
            rows.append({"article_id": article_id, "claim_id": claim_id, "sentence_id": sentence_id,
                         "channel": channel, "cost": cost, "number_types": ";".join(types),
                         "verdict": "not checkable", "fact_ids": "", "reason": f"Not checkable: {why}.",
                         "number_source": source if types else ""})
            continue
        if cost == "varies":
            # "it depends" is about the channel as a whole: judged on all its numbers together
            verdict = _type_verdict("varies", [f for sub in used.values() for f in sub])
        else:
            kinds = {_type_verdict(cost, sub) for sub in used.values()}
            verdict = kinds.pop() if len(kinds) == 1 else "partly supported"
        said = "; ".join(f"for {t} numbers the sources say {_summary(sub)}" for t, sub in used.items())
        reason = f"The article says {channel} is {COST_WORDS[cost]} (checked by {NUMBER_SOURCES[source]}); {said}."
        fact_ids = ";".join(fid for sub in used.values() for fid, _cost in sub)
        rows.append({"article_id": article_id, "claim_id": claim_id, "sentence_id": sentence_id,
                     "channel": channel, "cost": cost, "number_types": ";".join(used), "verdict": verdict,
                     "fact_ids": fact_ids, "reason": reason, "number_source": source})
    return pd.DataFrame(rows, columns=FACT_CHECK_COLUMNS).astype({"sentence_id": "int64"})
