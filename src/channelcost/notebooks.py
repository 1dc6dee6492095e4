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

__all__ = ["execute", "execute_notebook", "normalize_notebook", "write_notebook", "main"]

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


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python -m channelcost.notebooks NOTEBOOK.ipynb ...", file=sys.stderr)
        return 2
    for name in argv:
        print(f"executing {name}", file=sys.stderr)
        execute_notebook(name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
