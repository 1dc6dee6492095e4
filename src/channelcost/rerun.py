"""Every analysis of other articles: ``channelcost report ARTICLE... [--out DIR] [--jobs N]``.

Each article is built first (``channelcost.build``: every table, ``datapackage.json`` and the
figures, into ``reports/<article_id>/`` or ``--out``), so a bad article fails before any notebook
runs and nothing is extracted twice. Then each notebook of ``notebooks/`` is executed with its
``parameters`` cell pointing at the article and its build (paths relative to ``notebooks/``, so no
absolute path is saved), and written into the build folder. Notebooks run in ``jobs`` kernels at
once; the output does not depend on ``jobs``. The seed's committed notebooks, data and figures are
not touched.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

from . import paths

# nbformat, nbclient and the kernels' client (channelcost.notebooks) are imported where they are
# used: a report forks its build first, then imports them while the build runs

__all__ = ["analysis_notebooks", "parameterize", "run_report", "run_corpus_notebook"]


def analysis_notebooks() -> list[Path]:
    """The numbered notebooks about one article, in order (not the corpus notebook, which compares many)."""
    return sorted(p for p in paths.NOTEBOOKS.glob(paths.NOTEBOOK_GLOB) if p.name != paths.CORPUS_NOTEBOOK)


def run_corpus_notebook(folder: str | Path, timeout: int | None = None) -> Path:
    """Run ``notebooks/05-compare-articles.ipynb`` on a comparison folder (``channelcost compare``),
    outputs saved into that folder beside its tables."""
    import nbformat

    from .notebooks import execute, write_notebook

    folder = Path(folder)
    nb = nbformat.read(paths.NOTEBOOKS / paths.CORPUS_NOTEBOOK, as_version=4)
    parameterize(nb, DATA=_rel(folder))
    return write_notebook(execute(nb, paths.NOTEBOOKS, timeout=timeout or CELL_TIMEOUT), folder / paths.CORPUS_NOTEBOOK)


def parameterize(nb, **params: str):
    """Replace the source of the cell tagged ``parameters`` of the notebook ``nb`` (an
    ``nbformat.NotebookNode``, returned) with the given assignments."""
    for cell in nb.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source = "\n".join(f"{k} = {v!r}" for k, v in params.items())
            cell.outputs = []
            return nb
    raise ValueError("the notebook has no cell tagged 'parameters'")


def _rel(path: Path) -> str:
    return Path(os.path.relpath(Path(path).resolve(), paths.NOTEBOOKS)).as_posix()


CELL_TIMEOUT = 900  # seconds a notebook cell may run (``report --timeout``)


def _prepare(job: tuple[Path, Path, dict], timeout: int = CELL_TIMEOUT):
    import nbformat

    from .notebooks import WARM_UP, start

    nb_path, _out, params = job
    nb = nbformat.read(nb_path, as_version=4)
    parameterize(nb, **params)
    return start(nb, paths.NOTEBOOKS, timeout=timeout, warm_up=WARM_UP)


def _finish(job: tuple[Path, Path, dict], client) -> Path:
    from .notebooks import finish, write_notebook

    nb_path, out, _params = job
    return write_notebook(finish(client), out / nb_path.name)


def run_report(articles: list[str | Path], out_dir: str | Path | None = None, notebooks: list[Path] | None = None,
               jobs: int | None = None, progress: Callable[[str], None] | None = None,
               timeout: int = CELL_TIMEOUT) -> list[Path]:
    """Build each article, then execute the analysis notebooks on it into its build folder.

    Bad articles fail before anything starts; a cell running longer than ``timeout`` seconds fails
    the report. A failed or interrupted report removes what it wrote. With one article, or
    ``jobs=1``, the notebooks' kernels start (and import the project) while the build runs: the
    build is forked into a worker first (a fork must not happen beside running threads), then the
    kernels start; each notebook itself runs only once the build is written.
    """
    from .build import build_checked, check, claimed

    jobs = max(1, jobs or os.cpu_count() or 1)
    todo = check(list(articles), out_dir)  # BuildError before anything runs
    runs = []
    for job in todo:
        params = {"ARTICLE": _rel(job.source), "DATA": _rel(job.folder), "FIGURES": _rel(job.figures)}
        runs.extend((nb, job.folder, params) for nb in notebooks or analysis_notebooks())
    build_jobs = min(jobs, len(todo))
    with claimed(todo, out_dir):  # a failed or interrupted report leaves no partial folder
        pipelines: list = []

        def start_kernels() -> None:
            from .notebooks import Pipeline, kill, stop

            pipelines.append(Pipeline(runs, partial(_prepare, timeout=timeout), _finish, stop, jobs, kill=kill))

        try:
            build_checked(todo, out_dir, jobs=build_jobs, progress=progress,
                          started=start_kernels if build_jobs == 1 else None)
            if progress:
                progress(f"running {len(runs)} notebook(s) in {min(jobs, len(runs))} kernel(s)")
            if not pipelines:
                start_kernels()
            pipelines[0].results()
        except BaseException:
            for pipeline in pipelines:
                pipeline.abort()
            raise
    return [job.folder for job in todo]
