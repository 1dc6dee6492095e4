"""Plain-language findings generated from the built tables, never typed by hand.

The notebooks print these lines; the figures are in :mod:`channelcost.plotting`.
"""

from __future__ import annotations

import pandas as pd

from .vocab import CHANNEL_NAMES, STATED_COSTS

__all__ = ["tensions", "answer_lines", "steering_lines", "advice_summary_lines", "fact_check_lines", "show",
           "show_findings", "tokenize_findings", "cost_findings", "advice_findings", "fact_check_findings",
           "article_title", "headline", "scorecard"]

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


SHOWN_ROWS = 15  # a long table is trimmed to this many rows in the page; its file has them all


def show(df: pd.DataFrame, empty: str, file: str | None = None, rows: int = SHOWN_ROWS) -> None:
    """Display a table in a notebook, or say in words that there is nothing to show. A table longer
    than ``rows`` shows its first rows and says how many more there are, and where (``file``)."""
    if not len(df):
        print(empty)
        return
    from IPython.display import display

    display(df.head(rows))
    if len(df) > rows:
        where = f"; every row is in {file}" if file else ""
        print(f"The first {rows} of {len(df)} rows{where}.")


def show_findings(lines: list[str]) -> None:
    """The findings of a notebook as a list at its top (a line starting with "- " is a sub-item)."""
    from IPython.display import Markdown, display

    items = [("    " + line) if line.startswith("- ") else f"- {line}" for line in lines]
    display(Markdown("\n".join(items)))


def _sentence_ids(ids) -> str:
    ids = sorted(set(int(i) for i in ids))
    return f"sentence{'s' if len(ids) > 1 else ''} {', '.join(map(str, ids))}"


def tokenize_findings(t) -> list[str]:
    """What notebook 01 finds: the article's size, its most frequent words, how much it repeats."""
    from .plotting import figure_data
    from .repetition import NEAR_DUPLICATE, title_echoes

    sentences = t.sentence_list()
    if not sentences:
        return ["The article has no sentence: nothing to tokenize."]
    words = t.tokens[~t.tokens["is_punct"]] if "is_punct" in t.tokens else t.tokens
    lines = [f"The article has {len(sentences)} sentences in {t.sentences['paragraph_id'].nunique()} paragraphs "
             f"and {len(words)} words (tokens without punctuation)."]
    freq = figure_data("01-term-frequencies", t)
    if freq is not None and len(freq):
        lines.append("Its most frequent words: " + ", ".join(
            f"{w} ({c})" for w, c in freq[["word", "count"]].head(5).itertuples(index=False)) + ".")
    echoes = title_echoes(sentences)
    if len(echoes):
        lines.append(f"The title comes back in {len(echoes)} sentence(s) of the body "
                     f"({int(echoes['exact'].sum())} verbatim), {_sentence_ids(echoes['sentence_id'])}.")
    profile = figure_data("01-restatements", t)  # each sentence's closest earlier one, computed by the build
    close = profile[profile["jaccard"] >= NEAR_DUPLICATE] if profile is not None else profile
    if close is not None and len(close):
        pairs = ", ".join(f"{r.sentence_id} restates {r.earlier}" for r in close.head(3).itertuples(index=False))
        lines.append(f"{len(close)} sentence(s) closely restate an earlier one (Jaccard >= {NEAR_DUPLICATE}): "
                     f"{pairs}{', …' if len(close) > 3 else ''}.")
    else:
        lines.append(f"No sentence closely restates an earlier one (Jaccard >= {NEAR_DUPLICATE}).")
    return lines


def cost_findings(t) -> list[str]:
    """What notebook 02 finds: how many claims, and one verdict per channel with its sentence ids."""
    claims, channels = t.claims, t.channels
    if not len(claims):
        return answer_lines(claims, channels)
    stated = claims[claims["cost"] != "unstated"]
    counts = stated["cost"].value_counts()
    head = (f"{len(claims)} claims about {len(channels)} channels; {len(stated)} of them state a cost ("
            + ", ".join(f"{int(counts.get(c, 0))} {c}" for c in ("free", "paid", "varies")) + ").")
    return [head, company_line(claims)] + answer_lines(claims, channels)


def company_summary(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per company the claims are about (data/lexicon/companies.csv), most claims first, then
    the claims that name none: how many claims, which channels, and the costs they state."""
    from .companies import company_names

    names = company_names()
    rows = []
    for company, grp in claims.groupby(claims["company"].where(claims["company"] != "", "(none)"), sort=False):
        stated = grp[grp["cost"] != "unstated"]["cost"].value_counts()
        rows.append({"company": company, "name": names.get(company, ""), "claims": len(grp),
                     "channels": ";".join(dict.fromkeys(grp["channel"])),
                     "costs stated": ", ".join(f"{n} {c}" for c, n in stated.items())})
    df = pd.DataFrame(rows, columns=["company", "name", "claims", "channels", "costs stated"])
    return df.sort_values(["claims", "company"], ascending=[False, True], key=None, ignore_index=True)


def company_line(claims: pd.DataFrame) -> str:
    """Which companies the claims are about, in words."""
    summary = company_summary(claims)
    named = summary[summary["company"] != "(none)"]
    none = int(summary.loc[summary["company"] == "(none)", "claims"].sum())
    if not len(named):
        return "No claim is about a company the project knows (data/lexicon/companies.csv)."
    if len(named) == 1 and not none:
        r = named.iloc[0]
        return f"Every claim is about {r['name']} ({r['company']})."
    parts = ", ".join(f"{r.name} ({r.company}) {r.claims}" for r in named.itertuples(index=False))
    tail = f"; {none} name no company" if none else ""
    return f"Claims by company: {parts}{tail}."


def advice_findings(t) -> list[str]:
    """What notebook 03 finds: who is advised, and whether the advice follows the costs."""
    from .advice import steering

    if not len(t.recommendations):
        return ["The article gives no advice."]
    steer = steering(t.advice)
    return advice_summary_lines(t.recommendations, t.advice, steer, t.channels) + steering_lines(steer)[1:]


def fact_check_findings(t) -> list[str]:
    """What notebook 04 finds: how many cost claims a sourced fact can check, and the verdicts."""
    from .factcheck import load_facts

    return fact_check_lines(t.fact_checks, load_facts())


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
    sources = checkable["number_source"].value_counts()
    if len(checkable):
        from .factcheck import NUMBER_SOURCES

        lines.append("The number types checked come from " + "; ".join(
            f"{NUMBER_SOURCES[s]} ({int(sources[s])})" for s in NUMBER_SOURCES if s in sources) + ".")
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


def article_title(t, limit: int = 40) -> str:
    """The article's own title: its first sentence when that is a heading line, else its first words."""
    if not len(t.sentences):
        return t.article_id
    first = t.sentences.iloc[0]
    text = str(first["text"]).strip()
    return text if len(text) <= limit else text[:limit] + "…"


def headline(t, most: int = 3) -> str:
    """One line for an index: the channels with a stated cost and their verdicts, or what is missing."""
    stated = t.channels[t.channels["verdict"] != "unstated"]
    if not len(t.channels):
        return "Names no contact channel."
    if not len(stated):
        return f"Names {len(t.channels)} channel(s) but states no cost."
    stated = stated.sort_values("n_stated", ascending=False, kind="stable")
    parts = [f"{CHANNEL_NAMES[r.channel]}: {VERDICT_WORDS[r.verdict]}" for r in stated.head(most).itertuples(index=False)]
    more = len(stated) - most
    line = "; ".join(parts) + (f"; and {more} more channel(s) with a stated cost" if more > 0 else "") + "."
    return line[0].upper() + line[1:]


def scorecard(t) -> pd.DataFrame:
    """One row per channel with a stated cost: the verdict, the sentences that state it, the fact
    checks of its claims, and the advice items that point to it (with their sentences)."""
    rows = []
    checks = t.fact_checks
    for r in t.channels[t.channels["verdict"] != "unstated"].itertuples(index=False):
        own = checks[checks["channel"] == r.channel]["verdict"].value_counts()
        advice = t.advice[t.advice["channels"].fillna("").str.split(";").apply(lambda cs, c=r.channel: c in cs)]
        rows.append({
            "channel": CHANNEL_NAMES[r.channel],
            "verdict": VERDICT_WORDS[r.verdict],
            "evidence": _ids(t.claims, r.channel, r.verdict if r.verdict in STATED_COSTS else None),
            "fact check": "; ".join(f"{n} {v}" for v, n in own.items()) or "none",
            "advice that points to it": "; ".join(
                f"{a.action} ({a.audience}, {_sentence_ids(str(a.sentence_ids).split(';'))})"
                for a in advice.itertuples(index=False)) or "none",
        })
    return pd.DataFrame(rows, columns=["channel", "verdict", "evidence", "fact check", "advice that points to it"])


def compare_findings(tables: dict[str, pd.DataFrame]) -> list[str]:
    """What notebook 05 finds: how many articles, how often they agree, where they contradict each
    other and the billing facts, and how many are copies of each other."""
    from .companies import company_names

    dup, cons, contra = tables["duplicates"], tables["consensus"], tables["contradictions"]
    names = company_names()
    n_articles, n_clusters = dup["article_id"].nunique(), dup["cluster_id"].nunique()
    lines = [f"{n_articles} articles, {n_clusters} once near-duplicates are counted once; "
             f"{len(tables['claims'])} claims about {len(cons)} company-channel pairs."]
    copies = dup[dup["cluster_size"] > 1]
    if len(copies):
        lines.append(f"{len(copies)} articles fall into {copies['cluster_id'].nunique()} clusters of near-duplicates.")
    else:
        lines.append("No two articles are near-duplicates of each other.")
    named = cons[cons["company"] != ""]
    stated = named[[f"n_{v}" for v in ("free", "paid", "varies", "conflicting")]]
    several = named[stated.sum(axis=1) >= 2]
    if len(several):
        agree = several[stated.loc[several.index].gt(0).sum(axis=1) == 1]
        lines.append(f"Of the {len(several)} company channels that two or more articles give a cost for, the articles "
                     f"agree on {len(agree)}.")
    pairs = contra[["company", "channel"]].drop_duplicates()
    if len(pairs):
        lines.append(f"{len(pairs)} company channels are called free by some articles and paid by others:")
        for r in pairs.itertuples(index=False):
            grp = contra[(contra["company"] == r.company) & (contra["channel"] == r.channel)]
            by = ", ".join(f"{v} in {(grp['verdict'] == v).sum()}" for v in ("free", "paid"))
            lines.append(f"- {names.get(r.company, r.company)} ({r.company}), {r.channel}: {by}")
    else:
        lines.append("No company channel is called free by one article and paid by another.")
    against = named[named["facts"] == "contradicted"]
    if len(against):
        lines.append(f"For {len(against)} company channels the billing facts contradict every checkable claim: "
                     + ", ".join(f"{names.get(r.company, r.company)} {r.channel}" for r in against.itertuples(index=False)) + ".")
    return lines
