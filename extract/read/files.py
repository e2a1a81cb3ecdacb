"""Opening an input file: what it must be (a regular file), and reading it through a byte cap, so a
device, a pipe or a file that grows never makes a reader hang or fill memory."""

from __future__ import annotations

import errno
import os
import stat

from ..errors import InputError

_KINDS = (
    (stat.S_ISDIR, "is a directory, not a file"),
    (stat.S_ISCHR, "is a character device, not a file"),
    (stat.S_ISBLK, "is a block device, not a file"),
    (stat.S_ISFIFO, "is a named pipe, not a file"),
    (stat.S_ISSOCK, "is a socket, not a file"),
)


def check_input(path: str) -> os.stat_result:
    """The file's status (symbolic links followed); InputError unless it is a regular file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(path, "no such file" if not os.path.islink(path) else "broken symbolic link") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        reason = "symbolic link loop" if exc.errno == errno.ELOOP else f"cannot read: {exc.strerror or exc}"
        raise InputError(path, reason) from None
    for test, reason in _KINDS:
        if test(st.st_mode):
            raise InputError(path, reason)
    if not stat.S_ISREG(st.st_mode):
        raise InputError(path, "not a regular file")
    return st


def read_capped(path: str, cap: int, what: str) -> bytes:
    """The file's bytes, reading no more than `cap` + 1 of them (the size on disk is not trusted)."""
    check_input(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(cap + 1)
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > cap:
        raise InputError(path, f"too large for {what} (more than {cap / 2**20:.0f} MB)")
    return data
