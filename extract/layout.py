"""What every reader returns: the decoded source text and, for paged input, its pages.

Plain text has no pages; the PDF and OCR readers (later) add Page records with character boxes and
map them through the same offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceText:
    path: str
    sha256: str
    format: str
    text: str
    encoding: str | None = None
    page_count: int | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)
    # paged input: a (page, x0, top, x1, bottom) box per character of `text` (None for inserted newlines)
    char_boxes: list | None = None
    # paged input: what geometry says of the line starting at an offset: "full" (reaches the right
    # edge, so it goes on), "running_header", "page_number"
    line_hints: dict[int, str] | None = None
    box_unit: str | None = None  # "pt" (PDF points) or "px" (image pixels)
    ocr_pages: list[int] = field(default_factory=list)  # pages whose text came from OCR
    ocr_engine: str | None = None
    # page → degrees the page as shown was turned clockwise for reading (a scan sideways or upside down,
    # a text layer running sideways): its boxes lie on the turned page
    turned_pages: dict[int, int] = field(default_factory=dict)
    # OCR: (offset in `text`, meant) for characters the page's ink shows the engine misread
    ocr_fixes: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class TextLine:
    start: int
    end: int  # excluding the newline
    text: str


def split_lines(text: str) -> list[TextLine]:
    """Every line of `text` (blank ones too) with its offsets."""
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(TextLine(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_SP = r"[ \t\u3000]*"
_N = r"[0-9０-９]{1,4}"
_DASH = r"[—－–\-_~～]"
# a page-number line: — 2 —, -2-, 第 2 页 共 5 页, 2/5, Page 2 of 5
_PAGE_NUMBER_FORMS = (
    rf"{_DASH}+{_SP}{_N}{_SP}{_DASH}+|第{_SP}{_N}{_SP}页(?:{_SP}[，,/]?{_SP}共{_SP}{_N}{_SP}页)?"
    rf"|{_N}{_SP}/{_SP}{_N}|[Pp]age[ \t]*[0-9]{{1,4}}(?:[ \t]*of[ \t]*[0-9]{{1,4}})?"
)
PAGE_NUMBER_RE = re.compile(rf"{_SP}(?:{_PAGE_NUMBER_FORMS}){_SP}")
# in a page's top or bottom band, where geometry says it is a margin, a bare or half-dashed number too
BAND_PAGE_NUMBER_RE = re.compile(rf"{_SP}(?:{_PAGE_NUMBER_FORMS}|{_DASH}*{_SP}{_N}{_SP}{_DASH}*){_SP}")

# format characters that show nothing but split words and numbers (共计1\u200b72万元), hide a heading's
# label (\u202e一、) or break a year (20\u200b20年): zero-width spaces and joiners, word joiner, soft
# hyphen, byte-order mark, bidirectional controls, Mongolian vowel separator, Arabic letter mark
INVISIBLE_RE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u061c]+")
