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
from pathlib import Path

import nbformat

from . import paths
from .notebooks import execute, execute_all, write_notebook

__all__ = ["analysis_notebooks", "parameterize", "run_report", "run_notebooks"]


def analysis_notebooks() -> list[Path]:
    """The numbered notebooks, in order."""
    return sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def parameterize(nb: nbformat.NotebookNode, **params: str) -> nbformat.NotebookNode:
    """Replace the source of the cell tagged ``parameters`` with the given assignments."""
    for cell in nb.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source = "\n".join(f"{k} = {v!r}" for k, v in params.items())
            cell.outputs = []
            return nb
    raise ValueError("the notebook has no cell tagged 'parameters'")


def _rel(path: Path) -> str:
    return Path(os.path.relpath(Path(path).resolve(), paths.NOTEBOOKS)).as_posix()


def _run_one(job: tuple[Path, Path, dict]) -> Path:
    nb_path, out, params = job
    nb = nbformat.read(nb_path, as_version=4)
    parameterize(nb, **params)
    execute(nb, paths.NOTEBOOKS)
    return write_notebook(nb, out / nb_path.name)


def run_notebooks(jobs_list: list[tuple[Path, Path, dict]], jobs: int = 1) -> list[Path]:
    """Execute (notebook, output folder, parameters) jobs, ``jobs`` kernels at a time."""
    return execute_all(jobs_list, _run_one, jobs)


def run_report(articles: list[str | Path], out_dir: str | Path | None = None, notebooks: list[Path] | None = None,
               jobs: int | None = None, progress: Callable[[str], None] | None = None) -> list[Path]:
    """Build each article, then execute the analysis notebooks on it into its build folder."""
    from .build import run_build

    jobs = max(1, jobs or os.cpu_count() or 1)
    built = run_build(list(articles), out_dir, jobs=jobs, progress=progress)  # BuildError before anything runs
    todo = []
    for t in built:
        params = {"ARTICLE": _rel(t.source), "DATA": _rel(t.folder), "FIGURES": _rel(t.figures)}
        todo.extend((nb, t.folder, params) for nb in notebooks or analysis_notebooks())
    if progress:
        progress(f"running {len(todo)} notebook(s) in {min(jobs, len(todo))} kernel(s)")
    run_notebooks(todo, jobs)
    return [t.folder for t in built]
