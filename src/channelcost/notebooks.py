"""Execute notebooks in place, reproducibly: ``python -m channelcost.notebooks NB.ipynb ...``.

nbclient runs each notebook top to bottom in a fresh kernel (this Python's ``python3`` kernel),
in the notebook's own folder, without recording execution times; the notebook's metadata is
reduced to what does not change between machines; the file is replaced atomically.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from .io import write_text_atomic

__all__ = ["execute", "execute_all", "execute_notebook", "normalize_notebook", "write_notebook", "main"]

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def normalize_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop what varies between runs or machines: timings, the Python patch version, stream chunking."""
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    info = dict(nb.metadata.get("language_info", {}))
    info.pop("version", None)
    nb.metadata["language_info"] = info or {"name": "python"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
        if cell.cell_type == "code":
            cell.outputs = _coalesce_streams(cell.outputs)
    return nb


def _coalesce_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) chunks: how the kernel happens to flush must not show."""
    merged: list = []
    for out in outputs:
        if (out.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == out.get("name")):
            merged[-1]["text"] = merged[-1]["text"] + out["text"]
        else:
            merged.append(out)
    return merged


def execute(nb: nbformat.NotebookNode, cwd: str | Path, timeout: int = 900) -> nbformat.NotebookNode:
    """Execute a notebook object top to bottom in a fresh kernel, in ``cwd``; return it normalised."""
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        allow_errors=False,
        # ipykernel warns on stderr that its loopback TCP channel is unencrypted; say only errors
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute()
    return normalize_notebook(nb)


def write_notebook(nb: nbformat.NotebookNode, out: str | Path) -> Path:
    write_text_atomic(out, nbformat.writes(nb) + "\n")
    return Path(out)


def execute_notebook(path: str | Path, out: str | Path | None = None, cwd: str | Path | None = None,
                     timeout: int = 900) -> Path:
    """Execute ``path`` and write the result to ``out`` (default: in place)."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    execute(nb, Path(cwd) if cwd else path.parent, timeout)
    return write_notebook(nb, Path(out) if out else path)


def execute_all(jobs: list, run, workers: int) -> list:
    """``run(job)`` for every job, ``workers`` at a time, results in order. Each notebook's kernel is
    its own process, so threads suffice; each thread closes the event loop nbclient opened in it."""
    if workers <= 1 or len(jobs) <= 1:
        return [run(j) for j in jobs]
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    def in_thread(job):
        try:
            return run(job)
        finally:
            try:
                loop = asyncio.get_event_loop_policy().get_event_loop()
            except RuntimeError:  # no loop was opened in this thread
                loop = None
            if loop is not None:
                loop.close()
                asyncio.set_event_loop(None)

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(in_thread, jobs))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python -m channelcost.notebooks NOTEBOOK.ipynb ...", file=sys.stderr)
        return 2
    import os

    missing = [name for name in argv if not Path(name).is_file()]
    if missing:
        print(f"error: {missing[0]}: no such notebook", file=sys.stderr)
        return 2
    print(f"executing {len(argv)} notebook(s)", file=sys.stderr)
    execute_all(argv, execute_notebook, os.cpu_count() or 1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
