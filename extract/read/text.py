"""Read a plain-text bulletin: detect its encoding, normalize line ends."""

from __future__ import annotations

import hashlib

from ..errors import InputError
from ..layout import INVISIBLE_RE, SourceText, normalize_newlines
from ..limits import MAX_TEXT_BYTES
from .files import read_capped

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
        found = _utf16_without_bom(data)
        if found is None:
            raise InputError(path, "binary file (contains NUL bytes), not a text bulletin")
        return found
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


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a byte-order mark (NUL bytes are the high bytes of its ASCII): the byte
    order whose text is Chinese or ASCII and holds no control characters but line ends and tabs."""
    if len(data) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_chinese(text) and not any(c < " " and c not in "\n\r\t" for c in text):
            return text, enc
    return None


def _looks_chinese(text: str) -> bool:
    """Decoded text whose letters are mostly CJK, or that is plain ASCII."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    han = sum(1 for c in letters if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf")
    ascii_ = sum(1 for c in letters if c.isascii())
    return (han + ascii_) / len(letters) > 0.9


def read_text(path: str) -> SourceText:
    """A plain-text file as a SourceText: decoded, line ends made \\n, a warning when it holds U+FFFD;
    InputError for a file that is empty, blank, too large (MAX_TEXT_BYTES) or cannot be decoded."""
    data = read_capped(path, MAX_TEXT_BYTES, "a bulletin")
    if not data.strip():
        raise InputError(path, "empty file")
    text, encoding = decode(data, path)
    if not INVISIBLE_RE.sub("", text).strip():  # U+3000 ideographic spaces, zero-width spaces
        raise InputError(path, "empty file (only spaces or invisible characters)")
    warnings = []
    if "\ufffd" in text:
        warnings.append(
            (
                "replacement_characters",
                f"{text.count(chr(0xFFFD))} replacement characters (U+FFFD): text "
                "that was lost before this file was saved",
            )
        )
    return SourceText(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        format="text",
        text=normalize_newlines(text),
        encoding=encoding,
        warnings=warnings,
    )
