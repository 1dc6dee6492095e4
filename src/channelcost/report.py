"""Plain-language summaries and figure data generated from the tables, never typed by hand."""

from __future__ import annotations

import pandas as pd

from .vocab import CHANNEL_NAMES, CHANNELS, COSTS

__all__ = ["CHANNEL_NAMES", "channel_cost_matrix", "tensions", "answer_lines", "channel_cost_plot"]

VERDICT_WORDS = {
    "free": "free",
    "paid": "paid (the caller pays)",
    "varies": "it depends",
    "unstated": "no cost stated",
    "conflicting": "contradictory (both free and paid)",
}


def channel_cost_matrix(claims: pd.DataFrame) -> pd.DataFrame:
    """Counts of claims per channel and cost, with hedged and negated counts (figure data)."""
    rows = []
    for ch in CHANNELS:
        sub = claims[claims["channel"] == ch]
        if not len(sub):
            continue
        for cost in COSTS:
            c = sub[sub["cost"] == cost]
            rows.append({"channel": ch, "cost": cost, "claims": len(c), "hedged": int(c["hedged"].sum()),
                         "negated": int(c["negated"].sum())})
    return pd.DataFrame(rows, columns=["channel", "cost", "claims", "hedged", "negated"])


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
        support = _ids(claims, row.channel, row.verdict if row.verdict in ("free", "paid", "varies") else None)
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


def _stacked_barh(matrix: pd.DataFrame, key: str, order, colors: dict, title: str, xlabel: str,
                  row_height: float, headroom: float, notes: dict[str, str] | None = None):
    """Horizontal bars per channel, stacked by ``key`` in ``order``; optional notes after each bar."""
    import matplotlib.pyplot as plt

    from .plotting import setup_matplotlib

    setup_matplotlib()
    chans = list(dict.fromkeys(matrix["channel"]))[::-1]
    fig, ax = plt.subplots(figsize=(8, row_height * max(len(chans), 1) + 1.4))
    left = [0] * len(chans)
    for part in order:
        vals = [int(matrix[(matrix["channel"] == ch) & (matrix[key] == part)]["claims"].sum()) for ch in chans]
        ax.barh(chans, vals, left=left, color=colors[part], label=part)
        left = [a + b for a, b in zip(left, vals)]
    for y, ch in enumerate(chans):
        if notes and notes.get(ch) is not None:
            ax.text(left[y], y, notes[ch], va="center", fontsize=8, color="#333333")
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left")
    ax.legend(frameon=False, ncols=4, loc="lower right", fontsize=8)
    ax.set_xlim(0, max(left + [1]) * headroom)
    ax.tick_params(axis="y", length=0)
    fig.tight_layout()
    return fig


def channel_cost_plot(matrix: pd.DataFrame, title: str):
    """Stacked horizontal bars: claims per channel by cost, hedged/negated counts written beside."""
    colors = {"free": "#2e8b57", "paid": "#c0392b", "varies": "#e0a030", "unstated": "#b8b8b8"}
    notes = {}
    for ch, sub in matrix.groupby("channel", sort=False):
        h, n = int(sub["hedged"].sum()), int(sub["negated"].sum())
        notes[ch] = "  " + "  ".join(p for p in (f"hedged {h}" if h else "", f"negated {n}" if n else "") if p)
    return _stacked_barh(matrix, "cost", COSTS, colors, title, "claims (one per sentence and channel)",
                         0.42, 1.35, notes)


ADVICE_COST_CLASSES = ("free channels only", "a channel that may cost", "a paid channel", "no channel named")


def advice_cost_class(channel_costs: str) -> str:
    """Classify a piece of advice by the costs of the channels it points to."""
    costs = [x.split("=")[1] for x in channel_costs.split(";") if x]
    if not costs:
        return "no channel named"
    if "paid" in costs:
        return "a paid channel"
    if all(c == "free" for c in costs):
        return "free channels only"
    return "a channel that may cost"


def advice_cost_matrix(advice: pd.DataFrame) -> pd.DataFrame:
    """Figure data: one row per advice item with its audience, action, occurrences and cost class."""
    out = advice[["advice_id", "audience", "action", "occurrences", "channels", "channel_costs"]].copy()
    out["cost_class"] = [advice_cost_class(c) for c in out["channel_costs"]]
    return out.reset_index(drop=True)


def audience_counts(recs: pd.DataFrame, advice: pd.DataFrame) -> pd.DataFrame:
    """Figure data: pieces of advice and unique advice items per audience."""
    rows = []
    for aud in ("consumer", "platform", "merchant"):
        rows.append({"audience": aud, "pieces": int((recs["audience"] == aud).sum()),
                     "unique_items": int((advice["audience"] == aud).sum())})
    return pd.DataFrame(rows, columns=["audience", "pieces", "unique_items"])


def audience_plot(counts: pd.DataFrame, title: str):
    import matplotlib.pyplot as plt

    from .plotting import setup_matplotlib

    setup_matplotlib()
    fig, ax = plt.subplots(figsize=(7, 2.6))
    y = range(len(counts))
    ax.barh([i + 0.2 for i in y], counts["pieces"], height=0.38, color="#3b6ea8", label="pieces of advice")
    ax.barh([i - 0.2 for i in y], counts["unique_items"], height=0.38, color="#9bb3cf", label="unique items")
    for i, r in enumerate(counts.itertuples(index=False)):
        ax.text(r.pieces, i + 0.2, f" {r.pieces}", va="center", fontsize=8)
        ax.text(r.unique_items, i - 0.2, f" {r.unique_items}", va="center", fontsize=8)
    ax.set_yticks(list(y), counts["audience"])
    ax.invert_yaxis()
    ax.set_xlabel("count")
    ax.set_title(title, loc="left")
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.tick_params(axis="y", length=0)
    fig.tight_layout()
    return fig


def advice_cost_plot(matrix: pd.DataFrame, title: str):
    """One bar per advice item (occurrences), coloured by what its channels cost."""
    import matplotlib.pyplot as plt

    from .plotting import setup_matplotlib

    setup_matplotlib()
    colors = {"free channels only": "#2e8b57", "a channel that may cost": "#e0a030", "a paid channel": "#c0392b",
              "no channel named": "#b8b8b8"}
    data = matrix.iloc[::-1]
    labels = [f"{r.audience}: {r.action}" for r in data.itertuples(index=False)]
    fig, ax = plt.subplots(figsize=(8, 0.3 * max(len(data), 1) + 1.5))
    ax.barh(labels, data["occurrences"], color=[colors[c] for c in data["cost_class"]])
    for y, r in enumerate(data.itertuples(index=False)):
        ax.text(r.occurrences, y, f"  {r.channels.replace(';', ', ')}", va="center", fontsize=8)
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=colors[c], label=c) for c in ADVICE_COST_CLASSES], frameon=False, fontsize=8,
              loc="lower right")
    ax.set_xlabel("times the article gives the advice")
    ax.set_xlim(0, max(list(data["occurrences"]) + [1]) * 2.2)
    ax.set_title(title, loc="left")
    ax.tick_params(axis="y", length=0)
    fig.tight_layout()
    return fig


VERDICT_COLORS = {"supported": "#2e8b57", "partly supported": "#e0a030", "contradicted": "#c0392b",
                  "not checkable": "#b8b8b8"}


def verdict_matrix(checks: pd.DataFrame) -> pd.DataFrame:
    """Figure data: fact-check verdicts counted per channel."""
    from .factcheck import VERDICTS

    rows = []
    for ch in CHANNELS:
        sub = checks[checks["channel"] == ch]
        if not len(sub):
            continue
        for v in VERDICTS:
            rows.append({"channel": ch, "verdict": v, "claims": int((sub["verdict"] == v).sum())})
    return pd.DataFrame(rows, columns=["channel", "verdict", "claims"])


def verdict_plot(matrix: pd.DataFrame, title: str):
    """Stacked horizontal bars: cost claims per channel by fact-check verdict."""
    from .factcheck import VERDICTS

    return _stacked_barh(matrix, "verdict", VERDICTS, VERDICT_COLORS, title, "cost claims", 0.45, 1.3)


def show(df: pd.DataFrame, empty: str) -> None:
    """Display a table in a notebook, or say in words that there is nothing to show."""
    if len(df):
        from IPython.display import display

        display(df)
    else:
        print(empty)
