"""Run every analysis notebook on another article: ``channelcost report ARTICLE [--out DIR]``.

The article is read first, with the contract's checks, so a bad article fails before any notebook
runs. Each notebook of ``notebooks/`` is then executed with its ``parameters`` cell replaced by the
article and the output folder (paths relative to ``notebooks/``, so no absolute path is saved), and
written to the output folder with the article's CSVs and figures (``figures/``). The seed's
committed notebooks, data and figures are not touched.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat

from . import paths
from .notebooks import execute, write_notebook
from .reading import read_article

__all__ = ["analysis_notebooks", "parameterize", "run_report"]


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
    return Path(os.path.relpath(path.resolve(), paths.NOTEBOOKS)).as_posix()


def run_report(article_path: str | Path, out_dir: str | Path | None = None, notebooks: list[Path] | None = None,
               progress=None) -> Path:
    """Execute the analysis notebooks on one article into ``out_dir`` (default ``reports/<article_id>/``)."""
    article = read_article(article_path)  # ArticleError before anything runs
    out = Path(out_dir) if out_dir else paths.REPORTS / article.article_id
    protected = {paths.PROCESSED.resolve(), paths.NOTEBOOKS.resolve(), paths.FIGURES.resolve(), paths.ROOT.resolve()}
    if out.resolve() in protected:
        raise ValueError(f"{out}: would overwrite the seed's committed outputs; choose another folder")
    out.mkdir(parents=True, exist_ok=True)
    for nb_path in notebooks or analysis_notebooks():
        if progress:
            progress(f"running {nb_path.name} on {article.article_id}")
        nb = nbformat.read(nb_path, as_version=4)
        parameterize(nb, ARTICLE=_rel(Path(article_path)), OUTPUT=_rel(out))
        execute(nb, paths.NOTEBOOKS)
        write_notebook(nb, out / nb_path.name)
    return out
