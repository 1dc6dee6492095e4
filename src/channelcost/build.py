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

The output folder of articles (``--out`` or ``reports/<article_id>/``) must be new, empty, or an
earlier build or report of the same articles (its ``datapackage.json`` names them): any other
folder is refused, so a user's folder is never mixed with or overwritten by a build. A rerun
first removes the outputs of the earlier one (and only those: see :func:`clear_outputs`); a run
that fails or is interrupted removes what it wrote and the folders it made.
"""

from __future__ import annotations

import os
import re
from fnmatch import fnmatch
from collections.abc import Callable, Iterator
from typing import NamedTuple
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from . import paths
from .io import write_csv_atomic, write_text_atomic
from .reading import Article, ArticleError, article_id_for, file_problem, read_article
from .tables import TABLES, Tables

__all__ = ["BuildError", "article_tables", "write_build", "build_article", "plan", "check", "build_checked", "run_build",
           "built_articles", "clear_outputs", "output_folders", "claimed", "abandon"]


def article_tables(article: Article) -> Tables:
    """Every table of one article, from one sentence split and one tokenization."""
    from .pipeline import (advice_tables, cost_tables, keywords_table, segmentation_table, sentences_frame,
                           tokens_frame)
    from .sentences import split_sentences

    sentences = split_sentences(article.text)
    tokens = tokens_frame(article, sentences)
    sents = sentences_frame(article, sentences, tokens)
    claims, channels, fact_checks, numbers = cost_tables(article, sentences)
    recs, advice = advice_tables(article, channels, sentences)
    return Tables(article.article_id, sents, tokens, segmentation_table(article, sentences), keywords_table(article),
                  claims, channels, recs, advice, fact_checks, numbers)


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


class Job(NamedTuple):
    """One article to build: its file, the folders its tables and figures go to, and (once
    :func:`check` has read it) the article itself, so that nothing reads it twice."""

    source: Path
    folder: Path
    figures: Path
    article: Article | None = None


def build_article(article_path: Path, folder: Path, figures: Path | None = None, article: Article | None = None,
                  split_figures: bool = False) -> Tables:
    """Build one article into ``folder`` (figures into ``figures``, default ``folder/figures``); the
    article is read from ``article_path`` unless it is given, already read. ``split_figures``: draw
    half of the figures in a forked worker meanwhile (a lone build on a machine with cores to spare)."""
    from .plotting import save_figures

    article = article if article is not None else read_article(article_path)
    t = article_tables(article)
    t.source, t.folder, t.figures = Path(article_path), folder, figures or folder / "figures"
    write_build(t.frames(), folder, [article_path], [article])
    if split_figures:
        _save_figures_split(t)
    else:
        save_figures(t, t.figures)
    return t


def _save_figures_split(t: Tables) -> None:
    """The second half of the figures drawn by a forked worker while this process draws the first:
    the same files as :func:`channelcost.plotting.save_figures`, in about half the time."""
    import matplotlib.pyplot  # noqa: F401 - imported once, before the fork, for both

    from .plotting import FIGURES, save_figures, setup_matplotlib

    setup_matplotlib()
    names = [f.name for f in FIGURES]
    half = len(names) // 2
    with fork_pool(1) as pool:
        theirs = pool.submit(save_figures, t, t.figures, names[half:])
        save_figures(t, t.figures, names[:half])
        theirs.result()


def _may_split() -> bool:
    """Whether a lone build may fork a figure worker: fork exists, there is a core to spare, and this
    process runs no other thread (a fork beside running threads can copy a lock another thread
    holds: a build called from a notebook's kernel, for one, draws every figure itself)."""
    import multiprocessing as mp
    import threading

    return "fork" in mp.get_all_start_methods() and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


class BuildError(ValueError):
    """A build that must not run (bad articles, or an output where it may not go): one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _protected() -> dict[Path, str]:
    return {paths.ROOT.resolve(): "the project folder", paths.NOTEBOOKS.resolve(): "the notebooks",
            paths.DATA.resolve(): "the data folder", paths.RAW.resolve(): "the raw articles",
            paths.LEXICON.resolve(): "the rules", paths.PROCESSED.resolve(): "the committed dataset",
            paths.FIGURES.resolve(): "the committed figures", paths.REPORTS.resolve(): "the reports folder",
            (paths.REPORTS / "site").resolve(): "the site (make html)"}


def plan(inputs: list[str | Path], out: str | Path | None = None) -> list[Job]:
    """(article, table folder, figure folder) for each input, checked before anything is written."""
    from .corpus import expand_inputs, unique_articles

    if not inputs:
        return [Job(paths.SEED_ARTICLE, paths.PROCESSED, paths.FIGURES)]
    files = expand_inputs(inputs)
    problems: list[str] = []
    if not files:
        problems.append("no article among the inputs (a directory holds no *.txt file?)")
    problems += unique_articles(files)[1]
    problems += [f"{f}: {problem}" for f in files if (problem := file_problem(f))]
    base = Path(out) if out else None
    if len(files) == 1:
        folders = [base or paths.REPORTS / article_id_for(files[0])]
    else:
        folders = [(base or paths.REPORTS) / article_id_for(f) for f in files]
    protected = _protected()
    targets = {p.resolve() for p in folders} | ({base.resolve()} if base and len(files) > 1 else set())
    unwritable = {t: problem for t in targets if (problem := paths.folder_problem(t))}
    for t in sorted(targets):
        if t in protected:
            problems.append(f"{paths.relative(t)}: would write into {protected[t]}; choose another folder")
        elif t in unwritable:
            problems.append(f"{t}: {unwritable[t]}")
    clobbered: set[Path] = set()  # folders refused already: an input is in them
    inputs_resolved = {f.resolve() for f in files}
    for t in targets:  # an input inside an output folder under a name the build writes
        for name in [f"{n}.csv" for n in TABLES] + ["datapackage.json"]:
            if t / name in inputs_resolved:
                problems.append(f"{t / name}: is an input; the build would overwrite it")
                clobbered.add(t)
    for folder, ids in output_folders(files, base):
        t = folder.resolve()
        if t in protected or t in clobbered or t in unwritable or not t.is_dir() or not any(t.iterdir()):
            continue
        earlier = built_articles(t)
        if earlier != ids:
            named = ", ".join(sorted(ids))
            if earlier:
                problems.append(f"{folder}: holds the build of {', '.join(sorted(earlier))}, not of {named}; "
                                "choose an empty or new folder")
            else:
                problems.append(f"{folder}: is not empty and holds no earlier build of {named}; "
                                "choose an empty or new folder")
    if problems:
        raise BuildError(problems)
    return [Job(f, d, d / "figures") for f, d in zip(files, folders)]


_SOURCE_ARTICLE = re.compile(r"\(article (.+), SHA-256 [0-9a-f]{64}\)$")


def built_articles(folder: Path) -> set[str] | None:
    """The article ids an earlier build in ``folder`` was made from (read from its
    ``datapackage.json``), or None when the folder holds no build."""
    import json

    try:
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        titles = [src.get("title", "") for src in package.get("sources", [])]
    except (OSError, ValueError, AttributeError, TypeError):
        return None
    ids = {m.group(1) for m in map(_SOURCE_ARTICLE.search, titles) if m}
    return ids or None


def output_folders(files: list[Path], base: Path | None) -> list[tuple[Path, set[str]]]:
    """The folders a build of ``files`` owns, each with the article ids that go into it: one folder
    per article, or with ``--out`` and several articles the one folder that holds them all."""
    if base is not None and len(files) > 1:
        return [(base, {article_id_for(f) for f in files})]
    if base is not None:
        return [(base, {article_id_for(files[0])})]
    return [(paths.REPORTS / article_id_for(f), {article_id_for(f)}) for f in files]


def clear_outputs(folder: Path, ids: set[str] = frozenset()) -> None:
    """Remove what a build or report wrote into ``folder``: the tables, ``datapackage.json``, the
    executed notebooks, the figures (PNG and CSV) and, in a folder of several articles, each
    article's own folder (one named in ``ids``, or holding a build) the same way. Anything else (a
    user's notes) stays, as do the folders it is in."""
    if not folder.is_dir():
        return
    names = {f"{n}.csv" for n in TABLES} | {"datapackage.json"}
    for p in folder.iterdir():
        if p.is_file() and (p.name in names or fnmatch(p.name, paths.NOTEBOOK_GLOB)):
            p.unlink()
        elif p.is_dir() and not p.is_symlink() and p.name == "figures":
            for q in p.iterdir():
                if q.is_file() and q.suffix in (".png", ".csv"):
                    q.unlink()
            _rmdir_if_empty(p)
        elif p.is_dir() and not p.is_symlink() and (p.name in ids or built_articles(p)):
            clear_outputs(p)
            _rmdir_if_empty(p)


def _rmdir_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


_ACTIVE: list[tuple[list[tuple[Path, set[str]]], list[Path]]] = []  # claims in force: (owned folders, made)


@contextmanager
def claimed(todo: list[Job], out: str | Path | None = None) -> Iterator[None]:
    """The output folders of a checked build, for the time of a build (or report): an earlier
    build's outputs are cleared first, so none outlives the rerun; if the body fails, what it
    wrote is removed, with every folder it had to make (and :func:`abandon` does the same from a
    signal handler, for a run that is stopped)."""
    if todo and todo[0].source == paths.SEED_ARTICLE and todo[0].folder == paths.PROCESSED:
        yield  # the project's own build: committed files, rewritten in place
        return
    owned = output_folders([job.source for job in todo], Path(out) if out else None)
    made: list[Path] = []
    for folder, ids in owned:
        clear_outputs(folder, ids)
        missing = folder
        while not missing.parent.exists():
            missing = missing.parent
        if not folder.exists():
            made.append(missing)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # checked in plan(); changed since
            _release(owned, made)
            raise BuildError([f"{folder}: cannot be written ({exc.strerror or exc})"]) from None
    claim = (owned, made)
    _ACTIVE.append(claim)
    try:
        yield
    except BaseException:
        _release(owned, made)
        raise
    finally:
        if claim in _ACTIVE:
            _ACTIVE.remove(claim)


def _release(owned: list[tuple[Path, set[str]]], made: list[Path]) -> None:
    """Remove what a run wrote into its folders (temporary files too) and the folders it made."""
    for folder, ids in owned:
        for sub in (folder, folder / "figures", *(folder / i for i in ids), *(folder / i / "figures" for i in ids)):
            if sub.is_dir():
                for stale in sub.glob(".*.tmp"):
                    stale.unlink(missing_ok=True)
        clear_outputs(folder, ids)
    for top in made:
        folder = next(f for f, _ids in owned if f == top or top in f.parents)
        while True:  # the folders this run made, innermost first, each only if now empty
            _rmdir_if_empty(folder)
            if folder == top:
                break
            folder = folder.parent


_EXECUTORS: list = []  # worker pools of builds and comparisons running in this process
_UNDO: list = []  # what a stopped comparison must remove (the files it wrote so far)


@contextmanager
def fork_pool(jobs: int):
    """A pool of ``jobs`` worker processes, forked where fork exists (the lexicons are loaded once),
    that leave signals to this process; :func:`abandon` kills them. An executor, not a
    multiprocessing.Pool: a Pool replaces a worker that dies, and a replacement could go on writing
    after a stopped run has removed its files."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    from .corpus import init_worker  # workers leave signals to this process, which stops them

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ProcessPoolExecutor(jobs, mp_context=ctx, initializer=init_worker, initargs=(os.getpid(),)) as pool:
        _EXECUTORS.append(pool)
        try:
            yield pool
        finally:
            _EXECUTORS.remove(pool)


@contextmanager
def undone_on_stop(undo: Callable[[], None]) -> Iterator[None]:
    """For the time of the body: ``undo`` runs if the body fails, or from :func:`abandon` if the run
    is stopped (a comparison's files written so far, which no build claim covers)."""
    _UNDO.append(undo)
    try:
        yield
    except BaseException:
        undo()
        raise
    finally:
        if undo in _UNDO:
            _UNDO.remove(undo)


def abandon() -> None:
    """Stop a run for good (a signal): kill the build's worker processes, then undo every claim in
    force. Called from the handler, which then exits at once instead of unwinding through code
    that may hold locks."""
    import multiprocessing as mp

    workers = [w for pool in _EXECUTORS for w in list((getattr(pool, "_processes", None) or {}).values())]
    # a worker being forked at the signal is in multiprocessing's list before its pool's
    try:
        workers += [w for w in mp.active_children() if w not in workers]
    except RuntimeError:  # its list changed under the handler: the workers die with this process anyway
        pass
    for worker in workers:
        worker.kill()
    for worker in workers:  # dead before their files are removed
        worker.join(timeout=5)
    while _ACTIVE:
        _release(*_ACTIVE.pop())
    while _UNDO:
        _UNDO.pop()()


def check(inputs: list[str | Path], out: str | Path | None = None) -> list[Job]:
    """:func:`plan`, and every article read with the contract's checks: a :class:`BuildError` naming
    every problem, before anything is written."""
    todo = plan(inputs, out)
    problems = []
    for k, job in enumerate(todo):
        try:  # read once: the build takes the article from here
            todo[k] = job._replace(article=read_article(job.source))
        except ArticleError as exc:
            problems.append(str(exc))
    if problems:
        raise BuildError(problems)
    return todo


def build_checked(todo: list[Job], out: str | Path | None = None, jobs: int | None = None,
                  progress: Callable[[str], None] | None = None,
                  started: Callable[[], None] | None = None) -> list[Tables]:
    """Build what :func:`check` returned; with several articles and ``out``, also the tables of all of
    them together in ``out``. ``jobs`` above 1 forks worker processes. ``started``: called once the
    workers are forked and building, before waiting for them; given it, even one article is built in
    a forked worker, so that ``started`` may start threads (a report's kernels) beside the build."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    import multiprocessing as mp

    forks = "fork" in mp.get_all_start_methods()
    if jobs == 1 and not (started and forks):
        built = []
        for job in todo:
            if progress:
                progress(f"building {article_id_for(job.source)}")
            built.append(build_article(*job, split_figures=len(todo) == 1 and _may_split()))
        if started:
            started()
    else:
        if progress and len(todo) == 1:
            progress(f"building {article_id_for(todo[0].source)}")
        with fork_pool(jobs) as pool:
            split = [len(todo) == 1 and _may_split()] * len(todo)  # a lone article's figures in two
            results = pool.map(build_article, *zip(*todo), split)  # the workers are forked here
            if started:
                started()
            built = list(results)
    if out and len(todo) > 1:
        together = {name: pd.concat([getattr(t, name) for t in built], ignore_index=True) for name in TABLES}
        write_build(together, Path(out), [job.source for job in todo])
    return built


def run_build(inputs: list[str | Path], out: str | Path | None = None, jobs: int | None = None,
              progress: Callable[[str], None] | None = None) -> list[Tables]:
    """Check every input, then build each; with several articles and ``out``, also the tables of
    all of them together in ``out``. Raises :class:`BuildError` before writing anything."""
    todo = check(inputs, out)
    with claimed(todo, out):
        return build_checked(todo, out, jobs, progress)
