"""Every figure of the project: its data, its drawing, and how it is saved and shown.

Each figure is an entry of ``FIGURES``: a name (``NN-what``, NN the notebook that shows it), a
function from an article's built tables to the figure's data, and one that draws that data.
``channelcost build`` saves each as ``NAME.png`` with ``NAME.csv`` (its data) beside it; the
notebooks show the saved PNG and never write. Figures render Chinese on any machine and are saved
byte-for-byte reproducibly.

The CJK font is Noto Sans CJK (SIL Open Font License 1.1), installed with the project from the
``noto-cjk-sans-otc`` package: its Regular weight (400). ``manimgx-fonts-cjk`` was tried first:
it ships the variable font, and matplotlib draws a variable font in its default instance, which
for Noto Sans CJK VF is the thinnest weight, too light to read in a chart. DejaVu Sans, which
matplotlib ships, follows in the family list for any glyph the CJK font lacks.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from . import paths
from .io import write_bytes_atomic, write_csv_atomic
from .tables import Tables
from .vocab import AUDIENCES, CHANNELS, COSTS

__all__ = ["CJK_FAMILY", "cjk_font_path", "setup_matplotlib", "save_figure", "figure_png_bytes", "Figure",
           "FIGURES", "save_figures", "show_figure", "figure_data", "channel_cost_matrix", "advice_cost_matrix",
           "audience_counts", "verdict_matrix"]

CJK_FAMILY = "Noto Sans CJK SC"
_registered = False


def cjk_font_path() -> Path:
    """Where the bundled Noto Sans CJK collection is installed."""
    return Path(str(resources.files("noto_cjk_sans_otc") / "NotoSansCJK-Regular.ttc"))


def setup_matplotlib() -> None:
    """Register the CJK font and set the project's plotting defaults (idempotent)."""
    import matplotlib  # here, not at import: a notebook that only shows saved figures never loads it
    from matplotlib import font_manager

    global _registered
    if not _registered:
        font_manager.fontManager.addfont(str(cjk_font_path()))
        _registered = True
    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [CJK_FAMILY, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "svg.hashsalt": "channelcost",
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )


def figure_png_bytes(fig) -> bytes:
    """PNG bytes of a figure, without the Software tag or anything else that varies by run."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def save_figure(fig, name: str, data: pd.DataFrame, folder: Path | None = None) -> Path:
    """Save ``fig`` as ``NAME.png`` with its data as ``NAME.csv`` beside it; return the PNG path."""
    folder = folder or paths.FIGURES
    png = folder / f"{name}.png"
    write_bytes_atomic(png, figure_png_bytes(fig))
    write_csv_atomic(folder / f"{name}.csv", data)
    return png


def barh(df: pd.DataFrame, label: str, value: str, title: str, xlabel: str, color: str = "#3b6ea8"):
    """A horizontal bar chart, largest bar on top; returns the figure."""
    import matplotlib.pyplot as plt

    setup_matplotlib()
    data = df.iloc[::-1]
    fig, ax = plt.subplots(figsize=(7, 0.28 * len(df) + 1.2))
    ax.barh(data[label], data[value], color=color)
    for y, v in enumerate(data[value]):
        ax.text(v, y, f" {v:g}", va="center", fontsize=8)
    ax.set_title(title, loc="left")
    ax.set_xlabel(xlabel)
    ax.tick_params(axis="y", length=0)
    fig.tight_layout()
    return fig


MAX_BARS = 600  # sentences drawn as bars; a longer article's are drawn as lines
MAX_PAIR_LABELS = 40  # near-duplicates labelled "12≈3"; with more, the legend gives their number


def restatement_plot(profile: pd.DataFrame, threshold: float, title: str):
    """Each sentence's similarity to its closest earlier sentence, in text order; the pairs are
    labelled when there are few enough to read (the figure's CSV lists them all)."""
    import matplotlib.pyplot as plt

    setup_matplotlib()
    fig, ax = plt.subplots(figsize=(8, 3.2))
    high = profile["jaccard"] >= threshold
    n_high = int(high.sum())
    label = f"近似重复 near-duplicate (≥ {threshold:g})"
    if n_high > MAX_PAIR_LABELS:
        label += f": {n_high}, too many to label"
    if len(profile) <= MAX_BARS:
        ax.bar(profile["sentence_id"][~high], profile["jaccard"][~high], color="#9bb3cf", width=0.8, label="其他句子 other sentences")
        ax.bar(profile["sentence_id"][high], profile["jaccard"][high], color="#c0392b", width=0.8, label=label)
    else:  # a long article: one line per sentence, drawn as one collection (a bar each would take minutes)
        ax.vlines(profile["sentence_id"][~high], 0, profile["jaccard"][~high], color="#9bb3cf", linewidth=0.5,
                  label="其他句子 other sentences")
        ax.vlines(profile["sentence_id"][high], 0, profile["jaccard"][high], color="#c0392b", linewidth=0.5, label=label)
    if n_high <= MAX_PAIR_LABELS:
        for row in profile[high].itertuples(index=False):
            ax.annotate(f"{row.sentence_id}≈{row.earlier}", (row.sentence_id, row.jaccard), textcoords="offset points",
                        xytext=(0, 3), ha="center", fontsize=8)
    ax.axhline(threshold, color="#555555", linewidth=0.8, linestyle="--")
    ax.set_xlabel("sentence id (text order)")
    ax.set_ylabel("bigram Jaccard")
    ax.set_ylim(0, 1)
    ax.set_title(title, loc="left")
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


# -- figure data and drawings, one pair per figure --------------------------------------------------


def _claims_per_channel(claims: pd.DataFrame, key: str, values, flags: tuple[str, ...] = ()) -> pd.DataFrame:
    """Claims counted per channel (in the vocabulary's order, channels with none left out) and per
    value of ``key``, with how many of them have each boolean column of ``flags`` set."""
    rows = []
    for ch in CHANNELS:
        sub = claims[claims["channel"] == ch]
        if not len(sub):
            continue
        for v in values:
            c = sub[sub[key] == v]
            rows.append({"channel": ch, key: v, "claims": len(c), **{f: int(c[f].sum()) for f in flags}})
    return pd.DataFrame(rows, columns=["channel", key, "claims", *flags])


def channel_cost_matrix(claims: pd.DataFrame) -> pd.DataFrame:
    """Counts of claims per channel and cost, with hedged and negated counts (figure data)."""
    return _claims_per_channel(claims, "cost", COSTS, ("hedged", "negated"))


def _stacked_barh(matrix: pd.DataFrame, key: str, order, colors: dict, title: str, xlabel: str,
                  row_height: float, headroom: float, notes: dict[str, str] | None = None):
    """Horizontal bars per channel, stacked by ``key`` in ``order``; optional notes after each bar."""
    import matplotlib.pyplot as plt


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
    for aud in AUDIENCES:
        rows.append({"audience": aud, "pieces": int((recs["audience"] == aud).sum()),
                     "unique_items": int((advice["audience"] == aud).sum())})
    return pd.DataFrame(rows, columns=["audience", "pieces", "unique_items"])


def audience_plot(counts: pd.DataFrame, title: str):
    import matplotlib.pyplot as plt


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

    return _claims_per_channel(checks, "verdict", VERDICTS)


def verdict_plot(matrix: pd.DataFrame, title: str):
    """Stacked horizontal bars: cost claims per channel by fact-check verdict."""
    from .factcheck import VERDICTS

    return _stacked_barh(matrix, "verdict", VERDICTS, VERDICT_COLORS, title, "cost claims", 0.45, 1.3)


CONSENSUS_SHOWN = 30  # company-channel pairs in the heat map: those most articles speak of


def consensus_matrix(consensus: pd.DataFrame, rows: int = CONSENSUS_SHOWN) -> pd.DataFrame:
    """Figure data: for the company-channel pairs of ``consensus.csv`` that name a company and that most
    articles speak of (ties by company, then channel), the articles giving each verdict."""
    from .consolidate import VERDICTS

    named = consensus[consensus["company"] != ""]
    top = named.sort_values(["articles", "company", "channel"], ascending=[False, True, True]).head(rows)
    out = top[["company", "channel", *(f"n_{v}" for v in VERDICTS)]].rename(columns={f"n_{v}": v for v in VERDICTS})
    return out.reset_index(drop=True)


def consensus_heatmap(matrix: pd.DataFrame, title: str):
    """A heat map: one row per company and channel, one column per verdict, articles in each cell."""
    import matplotlib.pyplot as plt

    from .consolidate import VERDICTS

    setup_matplotlib()
    values = matrix[list(VERDICTS)].to_numpy()
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(matrix) + 1.6))
    ax.imshow(values, cmap="Blues", aspect="auto", vmin=0, vmax=max(1, values.max()))
    ax.set_xticks(range(len(VERDICTS)), VERDICTS)
    from .companies import company_names
    from .vocab import CHANNEL_NAMES

    names = company_names()
    ax.set_yticks(range(len(matrix)), [f"{names.get(r.company, r.company)} · {CHANNEL_NAMES.get(r.channel, r.channel)}"
                                       for r in matrix.itertuples(index=False)])
    for (i, j), v in np.ndenumerate(values):
        if v:
            ax.text(j, i, str(v), ha="center", va="center", fontsize=8, color="white" if v > values.max() / 2 else "black")
    ax.set_title(f"What the articles say each company's channel costs ({title})", fontsize=10)
    ax.set_xlabel("articles (near-duplicates counted once)")
    fig.tight_layout()
    return fig


# -- the registry: what channelcost build saves and the notebooks show ------------------------------


@dataclass(frozen=True)
class Figure:
    """A figure: ``data`` computes its data from an article's tables (an empty frame: nothing to
    draw), ``draw`` turns that data into a matplotlib figure titled with the article id."""

    name: str
    data: Callable[[Tables], pd.DataFrame]
    draw: Callable[[pd.DataFrame, str], object]
    empty: str


def _term_frequencies(t: Tables) -> pd.DataFrame:
    from .pipeline import term_frequencies

    return term_frequencies(t.tokens, top=25)


def _restatements(t: Tables) -> pd.DataFrame:
    from .repetition import restatement_profile

    return restatement_profile(t.sentence_list())


def _draw_restatements(data: pd.DataFrame, article_id: str):
    from .repetition import NEAR_DUPLICATE

    return restatement_plot(data, NEAR_DUPLICATE, f"{article_id}: similarity of each sentence to its closest earlier one")


def _audiences(t: Tables) -> pd.DataFrame:
    counts = audience_counts(t.recommendations, t.advice)
    return counts if len(t.recommendations) else counts.iloc[0:0]


FIGURES: tuple[Figure, ...] = (
    Figure("01-term-frequencies", _term_frequencies,
           lambda d, a: barh(d, "word", "count", f"{a}: {len(d)} most frequent words", "occurrences"),
           "The article has no word to count."),
    Figure("01-restatements", _restatements, _draw_restatements, "The article has no sentence long enough to compare."),
    Figure("02-channel-costs", lambda t: channel_cost_matrix(t.claims),
           lambda d, a: channel_cost_plot(d, f"{a}: claims per channel and cost"), "No claims to plot."),
    Figure("03-advice-by-audience", _audiences, lambda d, a: audience_plot(d, f"{a}: advice by audience"), "No advice to plot."),
    Figure("03-advice-channel-costs", lambda t: advice_cost_matrix(t.advice),
           lambda d, a: advice_cost_plot(d, f"{a}: advice and the cost of the channels it points to"),
           "No advice to plot."),
    Figure("04-verdicts-by-channel", lambda t: verdict_matrix(t.fact_checks),
           lambda d, a: verdict_plot(d, f"{a}: fact-check verdicts by channel"), "No verdicts to plot."),
)
_BY_NAME = {f.name: f for f in FIGURES}


def save_figures(t: Tables, folder: Path, names: list[str] | None = None) -> list[Path]:
    """Save every figure of an article with data into ``folder`` (PNG and CSV), or only those named
    in ``names``; remove the files of a figure that has nothing to draw this time, so no stale figure
    is left behind."""
    import matplotlib.pyplot as plt

    written = []
    for f in FIGURES if names is None else [_BY_NAME[n] for n in names]:
        data = f.data(t)
        png = folder / f"{f.name}.png"
        if not len(data):
            for p in (png, png.with_suffix(".csv")):
                p.unlink(missing_ok=True)
            continue
        fig = f.draw(data, t.article_id)
        written.append(save_figure(fig, f.name, data, folder))
        plt.close(fig)
    return written


def show_figure(name: str, t: Tables) -> None:
    """In a notebook: show the figure ``build`` saved (it is not drawn again) and where it and its
    data are; or say that there was nothing to draw."""
    from IPython.display import Image, display

    png = (t.figures or paths.FIGURES) / f"{name}.png"
    if not png.is_file():
        print(_BY_NAME[name].empty)
        return
    display(Image(filename=str(png)))
    print(f"figure and its data: {paths.relative(png)}, {paths.relative(png.with_suffix('.csv'))}")


def figure_data(name: str, t: Tables) -> pd.DataFrame | None:
    """The data of a figure ``build`` saved (``NAME.csv``), or None where there was nothing to draw."""
    path = (t.figures or paths.FIGURES) / f"{name}.csv"
    return pd.read_csv(path, keep_default_na=False) if path.is_file() else None
