"""Atomic, deterministic writes: a reader never sees a half-written file.

Every file is written to a temporary file in the same folder and moved into place with
``os.replace``. A file whose bytes would not change is not touched at all, so reruns leave
modification times and ``git status`` alone.
"""

from __future__ import annotations

import io
import os
import tempfile
import threading
from pathlib import Path

import pandas as pd

__all__ = ["OutputError", "output_target", "stop_writes", "write_bytes_atomic", "write_text_atomic", "frame_to_csv_bytes",
           "write_csv_atomic", "frame_of_rows"]


class OutputError(ValueError):
    """An output the program must not write (one line for the user, naming the path)."""


def output_target(name: str, inputs: list[Path] = ()) -> tuple[str, Path | None]:
    """Where an output named ``name`` really goes, checked before any work: ``("stdout", None)``
    for ``-``; ``("stream", path)`` for a device, pipe or socket (written through, never replaced);
    ``("file", path)`` for a file, a symbolic link being followed to its target so that the target
    is replaced and the link kept. Raises :class:`OutputError` for a folder, a name ending in ``/``,
    a missing folder, or any of ``inputs`` (also through a link or a second name)."""
    import stat

    if name == "-":
        return "stdout", None
    if name.endswith(("/", os.sep)):
        raise OutputError(f"{name}: names a folder; give a file name for the CSV")
    path = Path(name)
    real = Path(os.path.realpath(path))
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise OutputError(f"{name}: cannot be written ({exc.strerror})") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError(f"{name}: is a directory; give a file name for the CSV")
    if mode is not None and not stat.S_ISREG(mode):
        return "stream", path
    if not real.parent.is_dir():
        raise OutputError(f"{name}: folder {path.parent} does not exist")
    for inp in inputs:
        same = real == Path(os.path.realpath(inp))
        if not same and mode is not None:
            try:
                same = os.path.samefile(real, inp)
            except OSError:
                same = False
        if same:
            raise OutputError(f"{name}: is one of the input articles ({inp}); the output would replace it")
    return "file", real


_PLACING = threading.RLock()  # held while a temporary file is made or moved into place


def _fresh_lock() -> None:  # a forked worker must not inherit a lock another thread of its parent held
    global _PLACING
    _PLACING = threading.RLock()


os.register_at_fork(after_in_child=_fresh_lock)


def stop_writes(timeout: float = 5.0) -> None:
    """For a stop signal's handler, before it removes what the run wrote and exits: wait (at most
    ``timeout`` seconds) for a file being moved into place by another thread, then let no thread
    begin or place another, so nothing appears after the clean-up. What a thread is still writing
    stays a ``.*.tmp`` file, which the clean-up removes. Never undone: the process is ending. The
    lock is reentrant: a handler that interrupted this thread while it held the lock goes on."""
    _PLACING.acquire(timeout=timeout)


def write_bytes_atomic(path: str | Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; return False when the file already held it. A symbolic
    link is followed: its target is replaced and the link kept."""
    path = Path(os.path.realpath(path)) if Path(path).is_symlink() else Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() and path.read_bytes() == data:
        return False
    with _PLACING:  # no temporary file is begun once a stop has begun (see stop_writes)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        with _PLACING:  # nor moved into place
            os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return True


def write_text_atomic(path: str | Path, text: str) -> bool:
    """Write UTF-8 text with ``\\n`` line ends atomically."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def frame_of_rows(rows: list[dict], columns: list[str], types: dict[str, object], default: object = object) -> pd.DataFrame:
    """A data frame of ``rows`` (dicts), built column by column with each column's type (``types``,
    else ``default``; ``"str"`` stays text even in an empty table): a frame of records retyped
    afterwards costs more than the work on a small article."""
    import numpy as np

    def column(name: str):
        values, kind = [r[name] for r in rows], types.get(name, default)
        return pd.Series(values, dtype=kind) if kind == "str" else np.array(values, dtype=kind)

    return pd.DataFrame({c: column(c) for c in columns}, columns=columns)


def frame_to_csv_bytes(df: pd.DataFrame) -> bytes:
    """The project's CSV dialect: UTF-8, ``\\n``, no index, booleans as ``true``/``false``."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == bool:
            out[col] = out[col].map({True: "true", False: "false"})
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def write_csv_atomic(path: str | Path, df: pd.DataFrame) -> bool:
    """Write a data frame as CSV in the project's dialect, atomically."""
    return write_bytes_atomic(path, frame_to_csv_bytes(df))
