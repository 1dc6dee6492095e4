"""Build the dataset: ``channelcost build [ARTICLE...] [--out DIR] [--jobs N]`` (``make data``).

Each article is read once (with the contract's checks), split into sentences once and tokenized
once; from those the claims, the channel verdicts, the advice and the fact checks are derived,
and every table is written with ``datapackage.json`` and the figures (PNG with its data as CSV).
The notebooks only read what this writes.

Where things go:

* no ARTICLE: the project's own article, ``data/raw/tmall-call-free.txt``, into ``data/processed/``
  with its figures in ``reports/figures/`` (these are committed);
* one ARTICLE: into ``--out DIR`` (default ``reports/<article_id>/``), figures in ``DIR/figures/``;
* several: each into ``DIR/<article_id>/`` (DIR defaults to ``reports/``), and with ``--out`` the
  tables of all of them together in DIR itself, with their ``datapackage.json``.

Every bad article is reported before anything is written (one ``error:`` line each, exit 2); no
output may land on an input file or on the project's committed outputs (other than the project's
own build); files are written atomically, and a file whose bytes do not change is not touched.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from . import paths
from .io import write_csv_atomic, write_text_atomic
from .reading import Article, ArticleError, article_id_for, read_article
from .tables import TABLES, Tables

__all__ = ["BuildError", "article_tables", "write_build", "build_article", "plan", "check", "build_checked", "run_build"]


def article_tables(article: Article) -> Tables:
    """Every table of one article, from one sentence split and one tokenization."""
    from .pipeline import (advice_tables, claim_tables, fact_check_table, keywords_table, segmentation_table,
                           sentences_frame, tokens_frame)
    from .sentences import split_sentences

    sentences = split_sentences(article.text)
    tokens = tokens_frame(article, sentences)
    sents = sentences_frame(article, sentences, tokens)
    claims, channels = claim_tables(article, sentences)
    recs, advice = advice_tables(article, channels, sentences)
    return Tables(article.article_id, sents, tokens, segmentation_table(article, sentences), keywords_table(article),
                  claims, channels, recs, advice, fact_check_table(claims))


def write_build(frames: dict[str, pd.DataFrame], folder: Path, sources: list[Path],
                articles: list[Article] | None = None) -> list[Path]:
    """Write the tables and their ``datapackage.json`` (``sources``: the article files, ``articles``:
    the same files as already read, if they were) into ``folder``."""
    from .datadict import article_source, package_json, table_package

    out = []
    for name, df in frames.items():
        p = folder / f"{name}.csv"
        write_csv_atomic(p, df)
        out.append(p)
    read = articles or [None] * len(sources)
    package = table_package(list(frames), articles=[article_source(s, article=a) for s, a in zip(sources, read)])
    p = folder / "datapackage.json"
    write_text_atomic(p, package_json(package))
    out.append(p)
    return out


def build_article(article_path: Path, folder: Path, figures: Path | None = None) -> Tables:
    """Build one article into ``folder`` (figures into ``figures``, default ``folder/figures``)."""
    from .plotting import save_figures

    article = read_article(article_path)
    t = article_tables(article)
    t.source, t.folder, t.figures = Path(article_path), folder, figures or folder / "figures"
    write_build(t.frames(), folder, [article_path], [article])
    save_figures(t, t.figures)
    return t


class BuildError(ValueError):
    """A build that must not run (bad articles, or an output where it may not go): one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _protected() -> dict[Path, str]:
    return {paths.ROOT.resolve(): "the project folder", paths.NOTEBOOKS.resolve(): "the notebooks",
            paths.DATA.resolve(): "the data folder", paths.RAW.resolve(): "the raw articles",
            paths.LEXICON.resolve(): "the rules", paths.PROCESSED.resolve(): "the committed dataset",
            paths.FIGURES.resolve(): "the committed figures", paths.REPORTS.resolve(): "the reports folder"}


def plan(inputs: list[str | Path], out: str | Path | None = None) -> list[tuple[Path, Path, Path]]:
    """(article, table folder, figure folder) for each input, checked before anything is written."""
    from .corpus import expand_inputs, unique_articles

    if not inputs:
        return [(paths.SEED_ARTICLE, paths.PROCESSED, paths.FIGURES)]
    files = expand_inputs(inputs)
    problems: list[str] = []
    if not files:
        problems.append("no article among the inputs (a directory holds no *.txt file?)")
    problems += unique_articles(files)[1]
    base = Path(out) if out else None
    if len(files) == 1:
        folders = [base or paths.REPORTS / article_id_for(files[0])]
    else:
        folders = [(base or paths.REPORTS) / article_id_for(f) for f in files]
    protected = _protected()
    targets = {p.resolve() for p in folders} | ({base.resolve()} if base and len(files) > 1 else set())
    for t in sorted(targets):
        if t in protected:
            problems.append(f"{paths.relative(t)}: would write into {protected[t]}; choose another folder")
        elif t.exists() and not t.is_dir():
            problems.append(f"{t}: is a file, not a folder")
    inputs_resolved = {f.resolve() for f in files}
    for t in targets:  # an input inside an output folder under a name the build writes
        for name in [f"{n}.csv" for n in TABLES] + ["datapackage.json"]:
            if t / name in inputs_resolved:
                problems.append(f"{t / name}: is an input; the build would overwrite it")
    if problems:
        raise BuildError(problems)
    return [(f, d, d / "figures") for f, d in zip(files, folders)]


def check(inputs: list[str | Path], out: str | Path | None = None) -> list[tuple[Path, Path, Path]]:
    """:func:`plan`, and every article read with the contract's checks: a :class:`BuildError` naming
    every problem, before anything is written."""
    todo = plan(inputs, out)
    problems = []
    for article_path, _, _ in todo:
        try:
            read_article(article_path)
        except ArticleError as exc:
            problems.append(str(exc))
    if problems:
        raise BuildError(problems)
    return todo


def build_checked(todo: list[tuple[Path, Path, Path]], out: str | Path | None = None, jobs: int | None = None,
                  progress: Callable[[str], None] | None = None) -> list[Tables]:
    """Build what :func:`check` returned; with several articles and ``out``, also the tables of all of
    them together in ``out``. ``jobs`` above 1 forks worker processes."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    if jobs == 1:
        built = []
        for job in todo:
            if progress:
                progress(f"building {article_id_for(job[0])}")
            built.append(build_article(*job))
    else:
        import multiprocessing as mp

        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        with ctx.Pool(jobs) as pool:
            built = pool.starmap(build_article, todo, chunksize=1)
    if out and len(todo) > 1:
        together = {name: pd.concat([getattr(t, name) for t in built], ignore_index=True) for name in TABLES}
        write_build(together, Path(out), [job[0] for job in todo])
    return built


def run_build(inputs: list[str | Path], out: str | Path | None = None, jobs: int | None = None,
              progress: Callable[[str], None] | None = None) -> list[Tables]:
    """Check every input, then build each; with several articles and ``out``, also the tables of
    all of them together in ``out``. Raises :class:`BuildError` before writing anything."""
    return build_checked(check(inputs, out), out, jobs, progress)
