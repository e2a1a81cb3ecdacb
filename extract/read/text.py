"""Read a plain-text bulletin: detect its encoding, normalize line ends."""
from __future__ import annotations

import hashlib
import os

from ..errors import InputError
from ..layout import SourceText, normalize_newlines

MAX_BYTES = 8 * 1024 * 1024  # a monthly bulletin is a few KB; anything this large is not one
_TRY_FIRST = ("utf-8", "gb18030")


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Return (text, encoding). UTF-8 (with or without BOM) and GB18030/GBK are tried strictly first,
    then charset-normalizer's best guess; bytes that decode as nothing raise InputError."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise InputError(path, "starts with a UTF-8 BOM but is not valid UTF-8") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(path, "starts with a UTF-16 BOM but is not valid UTF-16") from None
    if b"\x00" in data:
        raise InputError(path, "binary file (contains NUL bytes), not a text bulletin")
    for enc in _TRY_FIRST:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "gb18030" and not _looks_chinese(text):
            break
        return text, enc
    from charset_normalizer import from_bytes  # only for the rare file that is neither UTF-8 nor GB18030

    guess = from_bytes(data).best()
    if guess is not None and guess.chaos < 0.2 and _looks_chinese(str(guess)):
        return str(guess), guess.encoding
    raise InputError(path, "cannot decode: not UTF-8 or GB18030 text")


def _looks_chinese(text: str) -> bool:
    """Decoded text whose letters are mostly CJK, or that is plain ASCII."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    han = sum(1 for c in letters if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf")
    ascii_ = sum(1 for c in letters if c.isascii())
    return (han + ascii_) / len(letters) > 0.9


def read_text(path: str) -> SourceText:
    if not os.path.exists(path):
        raise InputError(path, "no such file")
    if os.path.isdir(path):
        raise InputError(path, "is a directory, not a file")
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise InputError(path, f"too large for a bulletin ({size / 1e6:.1f} MB > {MAX_BYTES / 1e6:.0f} MB)")
        with open(path, "rb") as fh:
            data = fh.read()
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise InputError(path, "empty file")
    text, encoding = decode(data, path)
    text = normalize_newlines(text)
    return SourceText(path=path, sha256=hashlib.sha256(data).hexdigest(), format="text", text=text, encoding=encoding)
