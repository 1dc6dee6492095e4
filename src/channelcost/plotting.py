"""Figures that render Chinese on any machine, saved byte-for-byte reproducibly.

The CJK font is Noto Sans CJK (SIL Open Font License 1.1), installed with the project from the
``noto-cjk-sans-otc`` package: its Regular weight (400). ``manimgx-fonts-cjk`` was tried first:
it ships the variable font, and matplotlib draws a variable font in its default instance, which
for Noto Sans CJK VF is the thinnest weight, too light to read in a chart. DejaVu Sans, which
matplotlib ships, follows in the family list for any glyph the CJK font lacks.
"""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib import font_manager

from . import paths
from .io import write_bytes_atomic, write_csv_atomic

__all__ = ["CJK_FAMILY", "cjk_font_path", "setup_matplotlib", "save_figure", "figure_png_bytes"]

CJK_FAMILY = "Noto Sans CJK SC"
_registered = False


def cjk_font_path() -> Path:
    """Where the bundled Noto Sans CJK collection is installed."""
    return Path(str(resources.files("noto_cjk_sans_otc") / "NotoSansCJK-Regular.ttc"))


def setup_matplotlib() -> None:
    """Register the CJK font and set the project's plotting defaults (idempotent)."""
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


def restatement_plot(profile: pd.DataFrame, threshold: float, title: str):
    """Each sentence's similarity to its closest earlier sentence, in text order."""
    import matplotlib.pyplot as plt

    setup_matplotlib()
    fig, ax = plt.subplots(figsize=(8, 3.2))
    high = profile["jaccard"] >= threshold
    ax.bar(profile["sentence_id"][~high], profile["jaccard"][~high], color="#9bb3cf", width=0.8, label="其他句子 other sentences")
    ax.bar(profile["sentence_id"][high], profile["jaccard"][high], color="#c0392b", width=0.8,
           label=f"近似重复 near-duplicate (≥ {threshold:g})")
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
