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

__all__ = ["WARM_UP", "Pipeline", "kill_all", "start", "stop", "kill", "finish", "execute", "execute_all", "execute_notebook",
           "normalize_notebook", "write_notebook", "main"]

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


# What every analysis notebook imports first: a kernel started ahead of its notebook runs this
# (silently, outside the history, so execution counts and outputs are those of a fresh kernel).
WARM_UP = ("import pandas, IPython.display\n"
           "import channelcost.tables, channelcost.plotting, channelcost.report, channelcost.pipeline")


_KERNEL_STARTS = 3  # a kernel that dies while starting is started again, this many times in all


def start(nb: nbformat.NotebookNode, cwd: str | Path, timeout: int = 900, warm_up: str = "") -> NotebookClient:
    """A client for ``nb`` whose fresh kernel is already running in ``cwd`` (and has run ``warm_up``)."""
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
    try:
        for attempt in range(_KERNEL_STARTS):
            client.km = client.create_kernel_manager()
            try:
                client.start_new_kernel()
                client.start_new_kernel_client()
                break
            except RuntimeError:
                # the kernel died while starting: jupyter_client picks free TCP ports and the kernel binds
                # them a moment later, so another process (another kernel starting, a cluster's worker)
                # can take one in between ("Address already in use"); a new kernel gets new ports
                stop(client)
                if attempt == _KERNEL_STARTS - 1:
                    raise
        if warm_up:
            reply = client.wait_for_reply(client.kc.execute(warm_up, silent=True, store_history=False))
            if reply is None or reply["content"].get("status") != "ok":
                raise RuntimeError("a kernel could not import the project's modules")
    except BaseException:
        stop(client)
        raise
    return client


def stop(client: NotebookClient) -> None:
    """Shut down a started client's kernel without running its notebook."""
    if client.km is not None:
        client._cleanup_kernel()


def kill(client: NotebookClient) -> None:
    """Kill a client's kernel process at once, from any thread (an interrupted run: the notebook
    running on it then fails, and no cell output is wanted)."""
    process = getattr(getattr(client.km, "provisioner", None), "process", None)
    if process is not None and process.poll() is None:
        process.kill()


def finish(client: NotebookClient) -> nbformat.NotebookNode:
    """Run the client's notebook top to bottom on its kernel, shut the kernel down, return it normalised."""
    client.execute()  # the client owns its kernel manager: the kernel is shut down at the end
    return normalize_notebook(client.nb)


def execute(nb: nbformat.NotebookNode, cwd: str | Path, timeout: int = 900) -> nbformat.NotebookNode:
    """Execute a notebook object top to bottom in a fresh kernel, in ``cwd``; return it normalised."""
    return finish(start(nb, cwd, timeout))


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


def _closing_loop(fn):
    """``fn`` for a worker thread: the thread closes the event loop nbclient opened in it."""
    import asyncio

    def in_thread(*args):
        try:
            return fn(*args)
        finally:
            try:
                loop = asyncio.get_event_loop_policy().get_event_loop()
            except RuntimeError:  # no loop was opened in this thread
                loop = None
            if loop is not None:
                loop.close()
                asyncio.set_event_loop(None)

    return in_thread


def execute_all(jobs: list, run, workers: int) -> list:
    """``run(job)`` for every job, ``workers`` at a time, results in order. Each notebook's kernel is
    its own process, so threads suffice."""
    if workers <= 1 or len(jobs) <= 1:
        return [run(j) for j in jobs]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(_closing_loop(run), jobs))


_PIPELINES: set = set()  # pipelines running in this process


def kill_all() -> None:
    """Kill the kernels of every running pipeline at once (see :meth:`Pipeline.kill_now`)."""
    for pipeline in list(_PIPELINES):
        pipeline.kill_now()


class Pipeline:
    """Notebooks whose kernels start before their turn: ``prepare(job)`` (start a kernel, warm it)
    runs at once for up to ``2 * workers`` jobs, ``run(job, prepared)`` for ``workers`` at a time,
    and only once :meth:`go` is called (a build may still be writing what the notebooks read).
    :meth:`results` gives ``run``'s results in job order; :meth:`cancel` shuts the started kernels
    down instead (``discard(prepared)``) and starts no more; :meth:`abort` (an interrupt) also
    ends the running ones at once (``kill(prepared)``) and waits only for their threads to stop.
    """

    def __init__(self, jobs: list, prepare, run, discard, workers: int, kill=None):
        import threading
        from concurrent.futures import ThreadPoolExecutor

        self._go, self._cancelled = threading.Event(), threading.Event()
        self._slots = threading.Semaphore(max(1, workers))
        self._prepare, self._run, self._discard, self._kill = prepare, run, discard, kill or discard
        self._live: dict[int, object] = {}  # prepared objects not yet run or discarded
        self._lock = threading.Lock()
        _PIPELINES.add(self)
        self._pool = ThreadPoolExecutor(2 * max(1, workers))
        self._futures = [self._pool.submit(_closing_loop(self._one), job) for job in jobs]

    def _one(self, job):
        if self._cancelled.is_set():
            return None
        prepared = self._prepare(job)
        with self._lock:
            self._live[id(prepared)] = prepared
        try:
            self._go.wait()
            if self._cancelled.is_set():
                self._discard(prepared)
                return None
            with self._slots:
                if self._cancelled.is_set():
                    self._discard(prepared)
                    return None
                return self._run(job, prepared)
        finally:
            with self._lock:
                self._live.pop(id(prepared), None)

    def go(self) -> None:
        self._go.set()

    def results(self) -> list:
        self.go()
        try:
            return [f.result() for f in self._futures]
        except BaseException:
            self.abort()
            raise
        finally:
            self._pool.shutdown(wait=True)
            _PIPELINES.discard(self)

    def cancel(self) -> None:
        self._cancelled.set()
        self._go.set()
        self._pool.shutdown(wait=True)
        _PIPELINES.discard(self)

    def kill_now(self) -> None:
        """Kill every started kernel, taking no lock and waiting for nothing (from a signal handler,
        just before the process exits)."""
        self._cancelled.set()
        for prepared in list(self._live.values()):
            try:
                self._kill(prepared)
            except Exception:  # noqa: BLE001 - a kernel already gone
                pass

    def abort(self) -> None:
        """Stop everything now: no job starts, every started kernel is killed, the threads end."""
        self.kill_now()
        self._go.set()
        self._pool.shutdown(wait=True, cancel_futures=True)


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
    from . import paths

    paths.quiet_config_folders()
    print(f"executing {len(argv)} notebook(s)", file=sys.stderr)
    execute_all(argv, execute_notebook, os.cpu_count() or 1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
