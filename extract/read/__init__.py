"""The readers: one per input format, each turning a file into a SourceText (layout.py).

FORMATS is the one list of what the package reads: the CLI, the batch's folder walk and the pipeline's
choice of reader are derived from it. A file's format is its content's when the first bytes say so
(a PDF saved without `.pdf`, a scan named `.txt`), else its extension's, else text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..layout import SourceText


class InputFormat(NamedTuple):
    """A format the package reads: its reader's name, its file extensions and the first bytes that show it."""

    name: str  # the reader's name: "text", "pdf", "image"
    extensions: tuple[str, ...]  # lower case, with the dot
    signatures: tuple[bytes, ...]  # what the file's first bytes are, for this format
    signature_within: int = 0  # how far into the file a signature may start (0: at the first byte)

    def found_in(self, head: bytes) -> bool:
        """Whether the file that starts with `head` (HEAD_BYTES of it) has one of the signatures."""
        window = head[: self.signature_within + max(map(len, self.signatures), default=0)]
        return any(window.startswith(sig) if not self.signature_within else sig in window for sig in self.signatures)


FORMATS = (
    # the PDF header may follow up to 1 KB of junk (ISO 32000-1, 7.5.2); pdfium and pdfminer read such a file
    InputFormat("pdf", (".pdf",), (b"%PDF",), signature_within=1024),
    InputFormat(
        "image",
        (".png", ".jpg", ".jpeg", ".tif", ".tiff"),
        (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"),
    ),
    InputFormat("text", (".txt",), ()),
)
FORMAT = {fmt.name: fmt for fmt in FORMATS}
EXTENSIONS = tuple(ext for fmt in FORMATS for ext in fmt.extensions)
HEAD_BYTES = max(fmt.signature_within + max(map(len, fmt.signatures), default=0) for fmt in FORMATS)
# which pages are read by OCR: auto, those without a text layer (and images); always, every page; never, none
OCR_MODES = ("auto", "always", "never")
# RapidOCR's PP-OCRv4 models (shipped in each wheel) run by one of two runtimes with the same API.
# OpenVINO in f32 reads a 300-dpi page about twice as fast as onnxruntime here, with the same readings on
# all 48 sample scans (README, "OCR runtimes and speed"), so "rapidocr" takes it when it is installed
RAPIDOCR_RUNTIMES = {"openvino": "rapidocr_openvino", "onnxruntime": "rapidocr_onnxruntime"}
# the OCR engines (read/ocr_engines.py makes them): rapidocr on the best runtime installed, or on one named
ENGINES = ("rapidocr", *(f"rapidocr-{runtime}" for runtime in RAPIDOCR_RUNTIMES), "tesseract")


@dataclass(frozen=True)
class ReadOptions:
    """How files are read: the password of encrypted PDFs, which pages OCR reads (OCR_MODES) and the
    OCR engine (ENGINES). An unknown mode or engine is a ValueError here, not a
    surprise in the middle of a batch."""

    password: str | None = None
    ocr: str = "auto"
    ocr_engine: str = "rapidocr"

    def __post_init__(self) -> None:
        if self.ocr not in OCR_MODES:
            raise ValueError(f"ocr={self.ocr!r}: not one of {', '.join(OCR_MODES)}")
        if self.ocr_engine not in ENGINES:
            raise ValueError(f"ocr_engine={self.ocr_engine!r}: not one of {', '.join(ENGINES)}")


def read_source(path: str, options: ReadOptions = ReadOptions()) -> SourceText:
    """The file at `path` read by its format's reader (input_format). InputError names the reason a
    file cannot be read."""
    kind = input_format(path)
    if kind == "image":
        from .image import read_image

        return read_image(path, options)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(path, options)
    from .text import read_text

    return read_text(path)


def _by_content(head: bytes) -> str | None:
    return next((fmt.name for fmt in FORMATS if fmt.found_in(head)), None)


def _by_extension(path: str) -> str | None:
    lower = path.lower()
    return next((fmt.name for fmt in FORMATS if lower.endswith(fmt.extensions)), None)


def input_format(path: str) -> str:
    """The format (FORMATS' name) of the file at `path`: by its first bytes, else its extension, else
    text. An unreadable file is left to the reader, which names the reason."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        head = b""
    return _by_content(head) or _by_extension(path) or "text"
