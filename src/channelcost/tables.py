"""The built tables of one article, as written by ``channelcost build`` and read by the notebooks.

A build folder holds ``sentences``, ``tokens``, ``segmentation``, ``keywords``, ``claims``,
``channels``, ``recommendations``, ``advice``, ``fact_checks`` and ``numbers`` as CSV (the contract's dialect), ``datapackage.json`` describing
them, and a ``figures/`` folder (for the project's own article: ``data/processed/`` and
``reports/figures/``). Reading a table back gives each column the type its schema declares, so a
notebook shows what the build computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import paths
from .sentences import Sentence

__all__ = ["TABLES", "Tables", "read_table", "open_build", "source_article", "check_evidence"]

TABLES = ("sentences", "tokens", "segmentation", "keywords", "claims", "channels", "recommendations", "advice", "fact_checks", "numbers")


def read_table(folder: str | Path, name: str) -> pd.DataFrame:
    """One built table with the types of its schema (integers, booleans ``true``/``false``, numbers)."""
    from .datadict import COMPARE_SCHEMAS, SCHEMAS

    path = Path(folder) / f"{name}.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{paths.relative(path)}: no such table; run `channelcost build` first")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for f in (SCHEMAS.get(name) or COMPARE_SCHEMAS[name])["fields"]:
        col = f["name"]
        if col not in df.columns:
            continue
        if f["type"] == "integer":
            df[col] = df[col].astype("int64")
        elif f["type"] == "boolean":
            df[col] = df[col].map({"true": True, "false": False}).astype(bool)
        elif f["type"] == "number":
            df[col] = df[col].astype("float64")
    return df


@dataclass
class Tables:
    """The tables of one article (and where its figures are)."""

    article_id: str
    sentences: pd.DataFrame
    tokens: pd.DataFrame
    segmentation: pd.DataFrame
    keywords: pd.DataFrame
    claims: pd.DataFrame
    channels: pd.DataFrame
    recommendations: pd.DataFrame
    advice: pd.DataFrame
    fact_checks: pd.DataFrame
    numbers: pd.DataFrame
    source: Path | None = None  # the article file they were built from
    folder: Path | None = None  # the build folder the tables are in
    figures: Path | None = None

    def frames(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in TABLES}

    def sentence_list(self) -> list[Sentence]:
        """The sentences as :class:`Sentence` objects (what the repetition and guide functions take)."""
        return [Sentence(r.paragraph_id, r.sentence_id, r.start, r.end, r.text, bool(r.is_heading))
                for r in self.sentences.itertuples(index=False)]


def open_build(data: str | Path | None = None, figures: str | Path | None = None) -> Tables:
    """The tables of a build folder (default: the project's own article in ``data/processed/``,
    figures in ``reports/figures/``; for another folder, its ``figures/``)."""
    folder = Path(data) if data else paths.PROCESSED
    fig = Path(figures) if figures else (paths.FIGURES if not data else folder / "figures")
    frames = {name: read_table(folder, name) for name in TABLES}
    ids = set(frames["sentences"]["article_id"])
    if len(ids) != 1:
        raise ValueError(f"{paths.relative(folder)}: holds {len(ids)} articles; open one article's build folder")
    return Tables(article_id=ids.pop(), folder=folder, figures=fig, **frames)


def source_article(t: Tables, article: str | Path | None = None):
    """The article a build was made from (default: the project's own), checked to be that article:
    its id and every sentence of the build must match the text."""
    from .reading import read_article

    art = read_article(Path(article) if article else paths.SEED_ARTICLE)
    if art.article_id != t.article_id:
        raise ValueError(f"the build is of {t.article_id!r}, the article given is {art.article_id!r}")
    stale = [r.sentence_id for r in t.sentences.itertuples(index=False) if art.text[r.start:r.end] != r.text]
    if stale:
        raise ValueError(f"the build of {t.article_id!r} does not match the article's text (sentence {stale[0]}); "
                         "build it again")
    return art


def check_evidence(t: Tables) -> None:
    """Every claim's and every piece of advice's evidence is the text of its sentence at its offsets."""
    sent = {r.sentence_id: r for r in t.sentences.itertuples(index=False)}
    for name in ("claims", "recommendations"):
        for r in getattr(t, name).itertuples(index=False):
            s = sent[r.sentence_id]
            if not (s.start <= r.start <= r.end <= s.end and s.text[r.start - s.start:r.end - s.start] == r.evidence):
                raise ValueError(f"{name}: the evidence of sentence {r.sentence_id} is not the text at its offsets")
