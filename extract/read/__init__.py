"""The readers: one per input format, each turning a file into a SourceText (layout.py).

FORMATS is the one list of what the package reads: the CLI, the batch's folder walk and the pipeline's
choice of reader are derived from it. A file's format is its content's when the first bytes say so
(a PDF saved without `.pdf`, a scan named `.txt`), else its extension's, else text.
"""

from __future__ import annotations

from typing import NamedTuple


class InputFormat(NamedTuple):
    name: str  # the reader's name: "text", "pdf", "image"
    extensions: tuple[str, ...]  # lower case, with the dot
    signatures: tuple[bytes, ...]  # what the file's first bytes are, for this format


# the PDF header may follow up to 1 KB of junk (ISO 32000-1, 7.5.2; readers accept it); image formats
# start at byte 0
PDF_HEADER_WITHIN = 1024
FORMATS = (
    InputFormat("pdf", (".pdf",), (b"%PDF-",)),
    InputFormat(
        "image",
        (".png", ".jpg", ".jpeg", ".tif", ".tiff"),
        (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"),
    ),
    InputFormat("text", (".txt",), ()),
)
EXTENSIONS = tuple(ext for fmt in FORMATS for ext in fmt.extensions)
# which pages are read by OCR: auto, those without a text layer (and images); always, every page; never, none
OCR_MODES = ("auto", "always", "never")


def _by_content(head: bytes) -> str | None:
    for fmt in FORMATS:
        if fmt.name == "pdf" and any(sig in head[:PDF_HEADER_WITHIN] for sig in fmt.signatures):
            return fmt.name
        if any(head.startswith(sig) for sig in fmt.signatures):
            return fmt.name
    return None


def _by_extension(path: str) -> str | None:
    lower = path.lower()
    return next((fmt.name for fmt in FORMATS if lower.endswith(fmt.extensions)), None)


def input_format(path: str) -> str:
    """The format (FORMATS' name) of the file at `path`: by its first bytes, else its extension, else
    text. An unreadable file is left to the reader, which names the reason."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(PDF_HEADER_WITHIN)
    except OSError:
        head = b""
    return _by_content(head) or _by_extension(path) or "text"
