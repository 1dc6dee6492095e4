"""One verdict per article and channel from its claims (``data/processed/channels.csv``).

The rule, also written in the data dictionary:

* claims that state no cost (``unstated``) count as mentions only;
* no claim states a cost: ``unstated``;
* every cost-stating claim agrees: that cost;
* some say ``free`` and some ``paid``: ``conflicting``;
* otherwise (``varies`` beside one of ``free``/``paid``): the most frequent cost, ``varies`` on a tie.

``dissent`` lists the claims whose stated cost differs from the verdict, so a reader can find the
statements that pull against each other; ``company`` is the company most of the channel's claims
are about.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from .vocab import CHANNELS, COSTS

__all__ = ["VERDICTS", "CHANNEL_COLUMNS", "consolidate", "verdict_for"]

VERDICTS = (*COSTS, "conflicting")  # a channel's verdict: one of the costs, or free beside paid
CHANNEL_COLUMNS = [
    "article_id", "channel", "verdict", "n_claims", "n_stated", "n_free", "n_paid", "n_varies",
    "n_hedged", "n_negated", "claim_ids", "dissent", "company",
]


def verdict_for(costs: list[str]) -> str:
    stated = [c for c in costs if c != "unstated"]
    if not stated:
        return "unstated"
    kinds = set(stated)
    if len(kinds) == 1:
        return stated[0]
    if {"free", "paid"} <= kinds:
        return "conflicting"
    counts = Counter(stated)
    top = max(counts.values())
    leaders = sorted(k for k, v in counts.items() if v == top)
    return leaders[0] if len(leaders) == 1 else "varies"


def _main_company(companies: list[str]) -> str:
    """The company most of a channel's claims are about (the first in text order on a tie); empty
    when none names one."""
    named = [c for c in companies if c]
    if not named:
        return ""
    counts = Counter(named)
    top = max(counts.values())
    return next(c for c in named if counts[c] == top)


def consolidate(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per (article, channel) mentioned, in the channel vocabulary's order. The claims are
    read as plain records, grouped in one pass (a data frame per group costs more than the work)."""
    order = {c: i for i, c in enumerate(CHANNELS)}
    groups: dict[tuple[str, str], list[dict]] = {}
    cols = [c for c in ("article_id", "channel", "cost", "hedged", "negated", "claim_id", "company") if c in claims]
    for values in zip(*(claims[c] for c in cols)):
        r = dict(zip(cols, values))
        groups.setdefault((r["article_id"], r["channel"]), []).append(r)
    rows = []
    for (article_id, channel), grp in sorted(groups.items(), key=lambda kv: (kv[0][0], order[kv[0][1]])):
        costs = [r["cost"] for r in grp]
        verdict = verdict_for(costs)
        stated = [r for r in grp if r["cost"] != "unstated"]
        rows.append(
            {
                "article_id": article_id,
                "channel": channel,
                "verdict": verdict,
                "n_claims": len(grp),
                "n_stated": len(stated),
                "n_free": costs.count("free"),
                "n_paid": costs.count("paid"),
                "n_varies": costs.count("varies"),
                "n_hedged": sum(bool(r["hedged"]) for r in stated),
                "n_negated": sum(bool(r["negated"]) for r in stated),
                "claim_ids": ";".join(r["claim_id"] for r in grp),
                "dissent": ";".join(r["claim_id"] for r in stated if r["cost"] != verdict),
                "company": _main_company([r.get("company", "") for r in grp]),
            }
        )
    return pd.DataFrame(rows, columns=CHANNEL_COLUMNS)
