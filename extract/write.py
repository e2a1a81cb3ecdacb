"""Deterministic JSON out: UTF-8, not ASCII-escaped, fields in model order; atomic file writes."""
from __future__ import annotations

import os
import tempfile

from .models import Bulletin


def to_json(bulletin: Bulletin) -> str:
    return bulletin.model_dump_json(indent=2) + "\n"


def write_atomic(path: str, data: str) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees half a file."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=os.path.basename(path), dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
