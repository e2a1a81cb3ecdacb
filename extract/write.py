"""Deterministic JSON out: UTF-8, not ASCII-escaped, fields in model order; atomic file writes."""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache

from .models import Bulletin

NAME_MAX_BYTES = 255  # a file name's limit on every common Linux, macOS and Windows file system
TEMP_PREFIX = ".tmp-"  # temporary files a killed run leaves are found (and removed) by this prefix


def to_json(bulletin: Bulletin) -> str:
    """The output document: indented JSON, keys in the schema's order, ending with a newline; the same
    bulletin gives the same bytes."""
    return bulletin.model_dump_json(indent=2) + "\n"


def to_json_line(bulletin: Bulletin) -> str:
    """One compact line: several documents on one stream make JSON Lines."""
    return bulletin.model_dump_json() + "\n"


def fit_name(stem: str, suffix: str, limit: int = NAME_MAX_BYTES) -> str:
    """`stem + suffix`, with the stem cut (at a character boundary) so the name fits in `limit` bytes
    of UTF-8: an 80-character Chinese title is 240 bytes before its suffix."""
    room = limit - len(suffix.encode("utf-8"))
    cut = stem.encode("utf-8")[: max(room, 1)].decode("utf-8", "ignore")
    return cut + suffix


@lru_cache(maxsize=1)
def _new_file_mode() -> int:
    """The mode `open()` gives a new file under this process's umask (mkstemp's files are 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: str, data: str) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees half a file. The file
    gets the mode an ordinary write would give it: an existing file's own, else the umask's."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode = os.stat(path).st_mode & 0o7777
    except OSError:
        mode = _new_file_mode()
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            os.fchmod(fh.fileno(), mode)
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
