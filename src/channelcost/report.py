"""Plain-language findings generated from the built tables, never typed by hand.

The notebooks print these lines; the figures are in :mod:`channelcost.plotting`.
"""

from __future__ import annotations

import pandas as pd

from .vocab import CHANNEL_NAMES, STATED_COSTS

__all__ = ["tensions", "answer_lines", "steering_lines", "advice_summary_lines", "fact_check_lines", "show"]

VERDICT_WORDS = {
    "free": "free",
    "paid": "paid (the caller pays)",
    "varies": "it depends",
    "unstated": "no cost stated",
    "conflicting": "contradictory (both free and paid)",
}


def tensions(claims: pd.DataFrame, channels: pd.DataFrame) -> pd.DataFrame:
    """For each channel whose cost-stating claims disagree: every such claim, side by side."""
    out = []
    for row in channels.itertuples(index=False):
        if not row.dissent and row.verdict != "conflicting":
            continue
        sub = claims[(claims["channel"] == row.channel) & (claims["cost"] != "unstated")]
        for c in sub.itertuples(index=False):
            out.append({"channel": row.channel, "verdict": row.verdict, "claim_id": c.claim_id,
                        "sentence_id": c.sentence_id, "cost": c.cost, "cue": c.cue, "hedged": c.hedged,
                        "negated": c.negated, "evidence": c.evidence})
    return pd.DataFrame(out, columns=["channel", "verdict", "claim_id", "sentence_id", "cost", "cue", "hedged",
                                      "negated", "evidence"])


def _ids(claims: pd.DataFrame, channel: str, cost: str | None = None) -> str:
    sub = claims[(claims["channel"] == channel) & (claims["cost"] != "unstated")]
    if cost:
        sub = sub[sub["cost"] == cost]
    ids = sorted(set(sub["sentence_id"]))
    return ", ".join(map(str, ids))


def answer_lines(claims: pd.DataFrame, channels: pd.DataFrame) -> list[str]:
    """One sentence per channel with a stated cost, citing the sentence ids that support it."""
    lines = []
    stated = channels[channels["verdict"] != "unstated"]
    for row in stated.itertuples(index=False):
        name = CHANNEL_NAMES[row.channel]
        line = f"{name[0].upper() + name[1:]}: {VERDICT_WORDS[row.verdict]}"
        support = _ids(claims, row.channel, row.verdict if row.verdict in STATED_COSTS else None)
        if support:
            line += f" (sentence{'s' if ',' in support else ''} {support})"
        if row.dissent:
            other = claims[claims["claim_id"].isin(row.dissent.split(";"))]
            parts = []
            for cost, g in other.groupby("cost"):
                ids = sorted(set(g["sentence_id"]))
                parts.append(f"{VERDICT_WORDS[cost]} in sentence{'s' if len(ids) > 1 else ''} {', '.join(map(str, ids))}")
            line += "; but the article also says " + "; ".join(parts)
        lines.append(line + ".")
    silent = channels[channels["verdict"] == "unstated"]["channel"]
    if len(silent):
        lines.append("Mentioned without any cost: " + ", ".join(CHANNEL_NAMES[c] for c in silent) + ".")
    if not len(channels):
        lines.append("The article names no contact channel, so it makes no cost claim.")
    return lines


def show(df: pd.DataFrame, empty: str) -> None:
    """Display a table in a notebook, or say in words that there is nothing to show."""
    if len(df):
        from IPython.display import display

        display(df)
    else:
        print(empty)


def steering_lines(steer: pd.DataFrame) -> list[str]:
    """How the consumer advice (``advice.steering``) lines up with the channel costs, in words."""
    if not len(steer):
        return ["The article gives consumers no advice."]
    by_items = steer["steers_free"].mean()
    by_pieces = (steer["steers_free"] * steer["occurrences"]).sum() / steer["occurrences"].sum()
    lines = [f"{int(steer['steers_free'].sum())} of {len(steer)} consumer advice items steer towards free channels "
             f"({by_items:.0%} of items, {by_pieces:.0%} of pieces of advice counting repeats)."]
    about_channels = steer[(steer["channels"] != "") | steer["steers_free"]]
    if len(about_channels):
        lines.append(f"Of the {len(about_channels)} consumer advice items that are about a channel at all, "
                     f"{int(about_channels['steers_free'].sum())} steer towards free channels.")
    risky = steer[steer["sends_to_paid_or_unknown"]]
    for r in risky.itertuples(index=False):
        lines.append(f"Sends the reader to a channel that may cost: {r.action} -> {r.channel_costs}")
    if not len(risky):
        lines.append("No consumer advice sends the reader to a paid or unknown-cost channel.")
    return lines


def advice_summary_lines(recs: pd.DataFrame, items: pd.DataFrame, steer: pd.DataFrame,
                         channels: pd.DataFrame) -> list[str]:
    """The advice findings of one article: who is advised, and whether it points to paid channels."""
    counts = items["audience"].value_counts()
    lines = [f"The article gives {len(recs)} pieces of advice: {int(counts.get('consumer', 0))} distinct items for "
             f"consumers, {int(counts.get('platform', 0))} for the platform, {int(counts.get('merchant', 0))} for merchants."]
    if not len(steer):
        return lines
    free_first = steer[steer["steers_free"]]
    lines.append(f"Of the consumer advice, {len(free_first)} item(s) steer towards free channels "
                 f"({int(free_first['occurrences'].sum())} of {int(steer['occurrences'].sum())} pieces); "
                 f"{int(steer['sends_to_paid_or_unknown'].sum())} point to a channel that may cost.")
    paid = set(channels[channels["verdict"] == "paid"]["channel"])
    if paid:
        told = steer[steer["channels"].apply(lambda c: bool(paid & set(c.split(";"))))]
        if len(told):
            lines.append("Advice that involves a channel the article itself calls paid: "
                         + "; ".join(f"{r.action} ({r.channels})" for r in told.itertuples(index=False)) + ".")
        else:
            lines.append("No advice sends consumers to a channel the article calls paid.")
    return lines


def fact_check_lines(checks: pd.DataFrame, facts: pd.DataFrame) -> list[str]:
    """The fact-check findings: how many claims a sourced fact can check, the verdicts, and which
    verdicts rest only on weak facts (``factcheck.weak_support``)."""
    from .factcheck import VERDICTS, weak_support

    if not len(checks):
        return ["The article states no cost, so there is nothing to check."]
    counts = checks["verdict"].value_counts()
    checkable = checks[checks["verdict"] != "not checkable"]
    lines = [f"{len(checks)} cost claims; {len(checkable)} can be checked against a sourced fact: "
             + ", ".join(f"{int(counts.get(v, 0))} {v}" for v in VERDICTS if v != "not checkable") + "."]
    unchecked = checks[checks["verdict"] == "not checkable"]
    if len(unchecked):
        lines.append(f"{len(unchecked)} are about channels no billing fact covers "
                     f"({', '.join(sorted(set(unchecked['channel'])))}).")
    for r in checks[checks["verdict"].isin(["contradicted", "partly supported"])].itertuples(index=False):
        lines.append(f"- sentence {r.sentence_id} ({r.channel}, {r.cost}): {r.verdict}. {r.reason}")
    weak = weak_support(checks, facts)
    if len(weak):
        ids = sorted(set(";".join(weak["fact_ids"]).split(";")))
        lines.append(f"{len(weak)} verdict(s) rest only on a phone-number library's classification ({', '.join(ids)}), "
                     "not on a tariff: read them as weak support.")
    return lines
