"""Extraction over many articles: directories, parallel workers, streamed and atomic output.

``extract_text`` is the unit of work: a pure function from an article's id and text to its claims,
with no I/O and no state kept between calls, so any engine can map it over files (see the README for
Dask and Spark). ``run_extract`` is what ``channelcost extract`` runs: it expands directories, checks
that article ids are unique, extracts in ``jobs`` worker processes (results in input order, so the
bytes do not depend on ``jobs``), streams rows into a temporary file beside the output and moves it
into place only when every article succeeded (or ``skip_bad`` was given). An interrupted or failed
run leaves no output and no temporary file.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from pathlib import Path

from .claims import CLAIM_COLUMNS, Claim, claims_csv_chunks, extract_claims, iter_claims
from .io import OutputError, output_target
from .reading import Article, ArticleError, article_id_for, file_problem, read_article

__all__ = ["extract_text", "expand_inputs", "unique_articles", "run_extract", "Progress"]


def extract_text(article_id: str, text: str) -> list[Claim]:
    """The claims of one article's text: a pure function of its arguments."""
    return extract_claims(Article(article_id, text))


def expand_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files named on the command line, with each directory replaced by the articles in it: its
    ``.txt`` files in any case (``.TXT`` too), recursively, sorted by path, hidden files and hidden
    folders (``.git/``, ``.cache/``) skipped. A name that does not exist is kept, to be reported
    as missing; a file named on the command line is taken whatever its name."""
    out: list[Path] = []
    for name in inputs:
        p = Path(name)
        if _is_folder(p):
            found = []  # a folder that cannot be listed is kept, to be reported as such
            for folder, dirs, files in os.walk(p, onerror=lambda exc: found.append(Path(exc.filename))):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found.extend(Path(folder) / f for f in files
                             if not f.startswith(".") and f.lower().endswith(".txt") and _is_file(Path(folder) / f))
            out.extend(sorted(found))
        else:
            out.append(p)
    return out


def _is_folder(p: Path) -> bool:
    """A folder, whose articles are taken; anything that cannot be looked at is kept as a file name,
    to be reported with the reason when it is read."""
    try:
        return p.is_dir()
    except OSError:
        return False


def _is_file(p: Path) -> bool:
    """A file to take from a folder; one that cannot be looked at is taken, to be reported when read."""
    try:
        return p.is_file()
    except OSError:
        return True


def unique_articles(files: list[Path]) -> tuple[list[Path], list[str]]:
    """The files whose article id (file stem) is not taken by an earlier one, and a problem line for
    each of the others (their claim ids would collide)."""
    seen: dict[str, Path] = {}
    todo: list[Path] = []
    problems: list[str] = []
    for f in files:
        aid = article_id_for(f)
        if aid in seen:
            problems.append(f"{f}: article_id {aid!r} is already used by {seen[aid]}")
            continue
        seen[aid] = f
        todo.append(f)
    return todo, problems


def _work(path: Path) -> tuple[str, str | None, bytes]:
    """Read and extract one article: (path, error message or None, CSV rows without header)."""
    import io

    buf = io.BytesIO()
    path_shown, problem, _ = _work_into(path, buf)
    return path_shown, problem, buf.getvalue()


def _work_into(path: Path, fh) -> tuple[str, str | None, bytes]:
    """:func:`_work`, its rows written to ``fh`` as they come (memory does not grow with the article)."""
    try:
        art = read_article(path)
    except ArticleError as exc:
        return str(path), str(exc), b""
    for chunk in claims_csv_chunks(iter_claims(art), header=False, in_order=True):
        fh.write(chunk)
    return str(path), None, b""


def init_worker(parent: int | None = None) -> None:
    """Workers leave interrupts to the parent, which stops them itself; and they die with it, so
    that a parent stopped while it was still forking them (before it knew their ids) leaves none
    behind, still writing or holding its output pipes (``parent``: its process id, taken before
    the fork, since a worker whose parent is already gone has been adopted by another)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in _STOP_SIGNALS:
        signal.signal(sig, signal.SIG_DFL)
    _die_with_parent(parent)


def _die_with_parent(parent: int | None) -> None:
    """On Linux, have the kernel kill this process when its parent exits (prctl PR_SET_PDEATHSIG);
    elsewhere nothing: the parent's stop handler kills the workers it knows."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # no prctl: the parent's handler still kills the workers it knows
        return
    if parent is not None and os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _warm_up() -> None:
    """Load the tokenizer and lexicons once, before workers fork, so they share them."""
    from .tokens import get_tokenizer

    get_tokenizer()
    extract_text("warm-up", "天猫客服电话收费，在线客服免费，打电话要钱吗？")


class Progress:
    """A one-line progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, total: int, stream=None, min_total: int = 20):
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = total >= min_total and getattr(self.stream, "isatty", lambda: False)()
        self.done = 0

    def step(self) -> None:
        self.done += 1
        if self.enabled and (self.done == self.total or self.done % max(1, self.total // 200) == 0):
            width = 30
            filled = int(width * self.done / self.total)
            self.stream.write(f"\rextracting [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()


class _Interrupted(BaseException):  # not Exception: library code that catches Exception must not swallow it
    pass


# Signals that end a run the way Ctrl-C does: the temporary file goes, the output is left as it was
_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name))


def _raise_interrupted(signum, frame):  # pragma: no cover - exercised through a subprocess test
    raise _Interrupted()


def run_extract(
    inputs: Iterable[str | Path],
    output: str,
    jobs: int | None = None,
    skip_bad: bool = False,
    err: Callable[[str], None] | None = None,
) -> int:
    """Extract claims from every input into ``output`` (a path, or ``-`` for stdout); return the exit status."""
    err = err or (lambda msg: print(msg, file=sys.stderr))
    files = expand_inputs(inputs)
    if not files:
        err("error: no article among the inputs (a directory holds no *.txt file?); nothing written")
        return 2
    todo, bad = unique_articles(files)
    problems = {f: file_problem(f) for f in todo}  # a missing file among thousands: said before the work
    missing = [f for f in todo if problems[f]]
    if missing:
        bad.extend(f"{f}: {problems[f]}" for f in missing)
        if not skip_bad:
            for msg in bad:
                err(f"error: {msg}")
            return 2
        gone = set(missing)
        todo = [f for f in todo if f not in gone]
    try:  # before any work: never onto an input, through a device, or over a link
        kind, out_path = output_target(output, files)
    except OutputError as exc:
        err(f"error: {exc}")
        return 2
    tmp_dir = out_path.parent if kind == "file" else None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name if out_path else 'claims'}.", suffix=".tmp", dir=tmp_dir)
    except OSError as exc:  # a folder the user may not write into; for stdout, no writable temporary folder
        where = output if kind == "file" else "the temporary folder (TMPDIR)"
        err(f"error: {where}: cannot be written ({exc.strerror or exc}); nothing written")
        return 2
    todo.sort(key=article_id_for)  # rows by (article_id, start, channel), as the contract says, whatever the input order
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    old_handlers = {sig: signal.signal(sig, _raise_interrupted) for sig in _STOP_SIGNALS}
    pool = None
    n_ok = 0
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(",".join(CLAIM_COLUMNS).encode("utf-8") + b"\n")
            progress = Progress(len(todo))
            if jobs == 1:  # in this process, each article streamed to the file as its sentences are read
                results = (_work_into(path, fh) for path in todo)
            else:
                import multiprocessing as mp

                _warm_up()
                ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
                pool = ctx.Pool(jobs, initializer=init_worker)
                results = pool.imap(_work, todo, chunksize=max(1, min(64, len(todo) // (jobs * 8) or 1)))
            for path, problem, rows in results:
                progress.step()
                if problem:
                    bad.append(problem)
                    continue
                fh.write(rows)  # empty when already streamed
                n_ok += 1
            if pool is not None:
                pool.close()
                pool.join()
                pool = None
            fh.flush()
            os.fsync(fh.fileno())
        if bad and not skip_bad:
            for msg in bad:
                err(f"error: {msg}")
            return 2
        if not n_ok:
            err("error: no readable article among the inputs; nothing written")
            for msg in bad:
                err(f"skipped: {msg}")
            return 2
        if kind != "file":  # stdout, or a device or pipe named by -o: written through, never replaced
            try:
                with open(tmp_name, "rb") as fh_in, (open(out_path, "wb") if kind == "stream" else nullcontext(sys.stdout.buffer)) as dst:
                    while chunk := fh_in.read(1 << 20):
                        dst.write(chunk)
                    dst.flush()
            except OSError as exc:  # a closed pipe (… | head -1), a full device
                if kind == "stdout":  # nothing more may reach the closed stream at exit
                    sys.stdout = open(os.devnull, "w")
                err(f"error: {output}: could not be written ({exc.strerror or exc})")
                return 2
        else:
            os.chmod(tmp_name, 0o644)
            os.replace(tmp_name, out_path)
        for msg in bad:
            err(f"skipped: {msg}")
        return 0
    except (KeyboardInterrupt, _Interrupted):
        err("error: interrupted; nothing written")
        return 130
    finally:
        for sig, handler in old_handlers.items():
            signal.signal(sig, handler)
        if pool is not None:
            pool.terminate()
            pool.join()
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
