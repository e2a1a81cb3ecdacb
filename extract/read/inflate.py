"""Bounds on what pdfminer does with hostile PDFs, set once per process before a PDF is opened.

- Compressed streams inflate through a capped decompressor (limits.MAX_INFLATED_BYTES a stream): a
  1 MB flate bomb would otherwise become 1 GiB in memory at once. pdfminer calls `zlib.decompress` and
  `zlib.decompressobj` through its module's `zlib` name, which is pointed at the capped twin here.
- An indirect reference that leads back to itself (`6 0 obj 6 0 R endobj`) ends as a missing object,
  as a reader does, instead of pdfminer's resolve loop spinning forever.
"""

from __future__ import annotations

import functools
import zlib

from ..limits import MAX_INFLATED_BYTES


class InflateLimit(Exception):
    """A stream inflates beyond the cap."""

    def __init__(self) -> None:
        super().__init__(
            f"a compressed stream inflates to more than {MAX_INFLATED_BYTES / 2**20:.0f} MB (a decompression bomb?)"
        )


class _CappedDecompressor:
    def __init__(self, *args) -> None:
        self._d = zlib.decompressobj(*args)
        self._out = 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        room = MAX_INFLATED_BYTES + 1 - self._out
        out = self._d.decompress(data, room if not max_length else min(room, max_length))
        self._out += len(out)
        if self._out > MAX_INFLATED_BYTES:
            raise InflateLimit()
        return out

    def __getattr__(self, name):
        return getattr(self._d, name)


class _CappedZlib:
    """zlib with decompress and decompressobj bounded; everything else is zlib's own."""

    error = zlib.error

    @staticmethod
    def decompress(data: bytes, *args) -> bytes:
        d = zlib.decompressobj(*args[:1])  # (wbits, bufsize): the window bits
        out = d.decompress(data, MAX_INFLATED_BYTES + 1)
        if len(out) > MAX_INFLATED_BYTES or d.unconsumed_tail:
            raise InflateLimit()
        if not d.eof:  # as zlib.decompress: pdfminer then tries its own repair of a cut stream
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    @staticmethod
    def decompressobj(*args) -> _CappedDecompressor:
        return _CappedDecompressor(*args)

    def __getattr__(self, name):
        return getattr(zlib, name)


def _resolve_without_cycles(original):
    @functools.wraps(original)  # its __wrapped__ marks pdfminer as patched
    def resolve(self, default=None):
        # follow a chain of references here, so that a cycle ends instead of looping in resolve1
        seen = {self.objid}
        obj = original(self, default)
        while isinstance(obj, type(self)):
            if obj.objid in seen:
                return default
            seen.add(obj.objid)
            obj = original(obj, default)
        return obj

    return resolve


def cap_pdf_streams() -> None:
    """Patch pdfminer in place (a second call changes nothing): streams inflate through the capped zlib,
    reference cycles end as missing objects, and its log says only errors."""
    import logging

    from pdfminer import pdftypes

    # pdfminer logs what it makes of damaged files (a missing FontBBox, an object it cannot execute) as
    # warnings on stderr; the reader reports what matters in the document's warnings or its error
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    # pdfminer is patched in place (it has no hook for either): its zlib module stands in for the capped
    # decompressor (zlib's own but for those two), its reference resolver is wrapped
    if not isinstance(pdftypes.zlib, _CappedZlib):
        pdftypes.zlib = _CappedZlib()  # type: ignore[assignment]
    if not hasattr(pdftypes.PDFObjRef.resolve, "__wrapped__"):
        pdftypes.PDFObjRef.resolve = _resolve_without_cycles(pdftypes.PDFObjRef.resolve)  # type: ignore[method-assign]
