"""Atomic, deterministic writes: a reader never sees a half-written file.

Every file is written to a temporary file in the same folder and moved into place with
``os.replace``. A file whose bytes would not change is not touched at all, so reruns leave
modification times and ``git status`` alone.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import pandas as pd

__all__ = ["write_bytes_atomic", "write_text_atomic", "frame_to_csv_bytes", "write_csv_atomic"]


def write_bytes_atomic(path: str | Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; return False when the file already held it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() and path.read_bytes() == data:
        return False
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
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
