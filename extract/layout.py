"""What every reader returns: the decoded source text and, for paged input, its pages.

Plain text has no pages; the PDF and OCR readers (later) add Page records with character boxes and
map them through the same offsets.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field
from typing import Literal

from .patterns import SPACES

SourceFormat = Literal["text", "pdf", "image"]  # read/__init__.py FORMATS' names
BoxUnit = Literal["pt", "px"]  # PDF points, image pixels


# an OCR score (of a character's line) below this makes an item worth a look against the page: the
# assembled items' low_confidence warning, the review page's mark, and the OCR engine's recheck (which
# keeps scores near it from depending on the CPU) all judge by it
LOW_CONFIDENCE = 0.9


class CharBoxes:
    """A (page, x0, top, x1, bottom) box for each character of a text, or None, stored compactly."""

    def __init__(self) -> None:
        self._page = array("H")
        self._xy = array("f")
        self._score = array("f")  # the OCR score of each character's line; -1 for a text layer's

    def add_line(self, page: int, flat: array, next_page: list | None = None, score: float | None = None) -> None:
        """Append a line's boxes (`flat`: x0, top, x1, bottom per character) on `page`, or on page + next_page[i]
        for a row a page break cut; `score` is the line's OCR score (None for a text layer)."""
        n = len(flat) // 4
        self._page.extend([page + d for d in next_page] if next_page else [page] * n)
        self._xy.extend(flat)
        self._score.extend([-1.0 if score is None else score] * n)

    def add_none(self) -> None:
        """Append a character without a box (the newline after a line)."""
        self._page.append(0)
        self._xy.extend((0.0, 0.0, 0.0, 0.0))
        self._score.append(-1.0)

    def score(self, i: int) -> float | None:
        """The OCR score of character i's line; None for a text layer's character or one without a box."""
        s = self._score[i]
        return None if s < 0 else float(s)

    def __len__(self) -> int:
        return len(self._page)

    def __getitem__(self, i: int) -> tuple[int, float, float, float, float] | None:
        page = self._page[i]
        if not page:
            return None
        x0, top, x1, bottom = self._xy[4 * i : 4 * i + 4]
        return (page, x0, top, x1, bottom)

    def boxes(self) -> list[tuple[int, float, float, float, float] | None]:
        """Every character's box (as [i] gives it), in one pass: for readers of many spans."""
        xy = self._xy
        return [
            (p, xy[4 * i], xy[4 * i + 1], xy[4 * i + 2], xy[4 * i + 3]) if p else None for i, p in enumerate(self._page)
        ]

    def scores(self) -> list[float | None]:
        """Every character's OCR score (as score(i) gives it)."""
        return [None if s < 0 else float(s) for s in self._score]


@dataclass(frozen=True)
class SourceText:
    """A file as its reader decoded it: path, content hash, format and text, with warnings; for paged input
    also its character boxes, line hints and pages read by OCR or turned."""

    path: str
    sha256: str
    format: SourceFormat
    text: str
    encoding: str | None = None
    page_count: int | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)
    # paged input: a (page, x0, top, x1, bottom) box per character of `text` (None for inserted newlines)
    char_boxes: CharBoxes | None = None
    # paged input: what geometry says of the line starting at an offset: "full" (reaches the right
    # edge, so it goes on), "flows" (and the next line starts at the margin), "running_header",
    # "page_number", "table_row" (a ruled table's row: it stands alone)
    line_hints: dict[int, str] | None = None
    box_unit: BoxUnit | None = None
    ocr_pages: list[int] = field(default_factory=list)  # pages whose text came from OCR
    ocr_engine: str | None = None
    # page → degrees the page as shown was turned clockwise for reading (a scan sideways or upside down,
    # a text layer running sideways): its boxes lie on the turned page
    turned_pages: dict[int, int] = field(default_factory=dict)
    # OCR: (offset in `text`, meant) for characters the page's ink shows the engine misread
    ocr_fixes: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class TextLine:
    """A line of a text and its [start, end) offsets in it."""

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
    """Every line end (\\r\\n, \\r) made \\n."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


_N = r"[0-9０-９]{1,4}"
_DASH = r"[—－–\-_~～]"
# a page-number line: — 2 —, -2-, 第 2 页 共 5 页, 2/5, Page 2 of 5
_PAGE_NUMBER_FORMS = (
    rf"{_DASH}+{SPACES}{_N}{SPACES}{_DASH}+|第{SPACES}{_N}{SPACES}页(?:{SPACES}[，,/]?{SPACES}共{SPACES}{_N}{SPACES}页)?"
    rf"|{_N}{SPACES}/{SPACES}{_N}|[Pp]age[ \t]*[0-9]{{1,4}}(?:[ \t]*of[ \t]*[0-9]{{1,4}})?"
)
PAGE_NUMBER_RE = re.compile(rf"{SPACES}(?:{_PAGE_NUMBER_FORMS}){SPACES}")
# in a page's top or bottom band, where geometry says it is a margin, a bare or half-dashed number too
BAND_PAGE_NUMBER_RE = re.compile(rf"{SPACES}(?:{_PAGE_NUMBER_FORMS}|{_DASH}*{SPACES}{_N}{SPACES}{_DASH}*){SPACES}")

# format characters that show nothing but split words and numbers (共计1\u200b72万元), hide a heading's
# label (\u202e一、) or break a year (20\u200b20年): zero-width spaces and joiners, word joiner, soft
# hyphen, byte-order mark, bidirectional controls, Mongolian vowel separator, Arabic letter mark
INVISIBLE_RE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u061c]+")
