"""The page model every paged reader (PDF text layer, OCR) builds: visual lines with a box per
character, turned into one text with line hints for the repair stage.

A line that reaches the right edge of the text block goes on in the next line; a line repeated at the
same height on later pages is a running header or footer; a page-number line in the top or bottom band
is dropped. Boxes are in the page's own unit (PDF points, or pixels for images), top-left origin.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import NamedTuple

from ..layout import BAND_PAGE_NUMBER_RE, BoxUnit, CharBoxes, SourceFormat, SourceText
from .geometry import (
    ALIKE_MIN_CHARS,
    ALIKE_TEXT_SHARE,
    COMMON_RIGHT_MIN_LINES,
    HEADER_MIN_PAGES,
    AT_MARGIN_EM,
    BODY_SIZE_SHARE,
    FULL_LINE_END_EM,
    FULL_LINE_START_EM,
    MARGIN_BAND_SHARE,
    SAME_HEIGHT_SHARE,
    WRAPPED_WORD_MIN_EM,
    WRAPPED_WORD_SLACK_EM,
    DEFAULT_SIZE_PT,
    Box,
)


@dataclass
class TableCell:
    """A ruled table's cell as read: its edges, its text (one piece per wrapped line) and a box per
    character; `next_page` is 1 for each character that stands on the next page (the rest of a row a
    page break cut, joined back)."""

    x0: float
    x1: float
    pieces: list[str]
    boxes: list[Box]
    next_page: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.next_page:
            self.next_page = [0] * len(self.boxes)

    def join(self, rest: TableCell) -> None:
        """Add the rest of this cell from the next page."""
        self.pieces += rest.pieces
        self.boxes += rest.boxes
        self.next_page += [1] * len(rest.boxes)


@dataclass
class VLine:
    """A visual line of a page: its text, a box per character, its extent and type size, and what the reader
    found of it (a table row and its cells, characters on the next page, OCR score, column, ink fixes)."""

    text: str
    boxes: list[Box]  # a box per character while the page is read (release() packs them)
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    table_row: bool = False
    cells: list[TableCell] | None = None  # a ruled table's row: its cells, for a row a page break cut
    first_row: bool = False  # the first row of its table on this page
    fragment_chars: list[dict] | None = None  # a row with text in one cell only: the rest of a cut row?
    repeated_header: bool = False
    next_page: list[int] | None = None  # per character, 1 when it stands on the next page (a cut row's rest)
    score: float | None = None  # OCR: the lowest score of the engine's lines this line is made of
    # (left, right) of the text column the line stands in, when not the page's
    column: tuple[float, float] | None = None
    # OCR: (offset in text, meant) for characters the ink shows were misread
    fixes: list[tuple[int, str]] | None = None
    packed: array | None = None  # the boxes as one flat float array (x0, top, x1, bottom each), once released

    def flat_boxes(self) -> array:
        """The character boxes as one flat float array (x0, top, x1, bottom each), packed or not."""
        return self.packed if self.packed is not None else _compact(self.boxes)


class PageLines(NamedTuple):
    """A page as read: its size (in the page's unit) and its lines in reading order."""

    width: float
    height: float
    lines: list[VLine]


def release(lines: list[VLine]) -> None:
    """Pack each line's boxes into `packed` and drop its box tuples, cells and fragment characters."""
    for ln in lines:
        ln.packed, ln.boxes = _compact(ln.boxes), []
        ln.cells = ln.fragment_chars = None


def in_margin_band(top: float, bottom: float, height: float) -> bool:
    """A line in the top or bottom band of a page, where running headers, footers and page numbers live."""
    return top < height * MARGIN_BAND_SHARE or bottom > height * (1 - MARGIN_BAND_SHARE)


def _compact(boxes: list[Box]) -> array:
    """A line's character boxes as one flat float array (4 numbers a character) instead of tuples."""
    flat = array("f")
    for b in boxes:
        flat.extend(b)
    return flat


def pages_phrase(numbers: list[int]) -> str:
    """`page 3` or `pages 2, 5`, for a warning's message."""
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(map(str, numbers))


def _margin_lines(pages: list[PageLines]) -> set[tuple[int, int]]:
    """(page index, line index) of running headers and footers: the same text (digits aside) at about
    the same height on several pages. "About": a scan is skewed a little differently on every page, and
    OCR may misread a character of it. The first page keeps its copy: there it is the masthead."""
    clusters: list[list] = []  # [text, top, members]
    for pi, (_, height, lines) in enumerate(pages):
        for li, ln in enumerate(lines):
            # a line touching the band's edge is a candidate here (a page number must lie inside the band)
            if ln.top > height * MARGIN_BAND_SHARE and ln.bottom < height * (1 - MARGIN_BAND_SHARE):
                continue
            text = re.sub(r"[0-9０-９]+", "#", "".join(ln.text.split()))
            if not text:
                continue
            for c in clusters:
                if abs(c[1] - ln.top) <= height * SAME_HEIGHT_SHARE and (
                    c[0] == text
                    or (len(text) >= ALIKE_MIN_CHARS and SequenceMatcher(None, c[0], text).ratio() >= ALIKE_TEXT_SHARE)
                ):
                    c[2].append((pi, li))
                    break
            else:
                clusters.append([text, ln.top, [(pi, li)]])
    out: set[tuple[int, int]] = set()
    for _, _, members in clusters:
        if len({pi for pi, _ in members}) >= HEADER_MIN_PAGES:
            out.update((pi, li) for pi, li in members if pi > 0)
    return out


# punctuation a line may not start with: a line breaker carries the character before it along
_NO_LINE_START = set("，。、；：！？）》」』】〉”’,.;:!?)%％·…—")
_WORD_CHAR = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ.\-_/@%％:：]")


def _first_unit_width(ln: VLine) -> float:
    """Width of what a line breaker moves as one piece to the start of `ln`: a Latin word or number,
    or one character with the closing punctuation that may not start a line."""
    text, boxes = ln.text, ln.flat_boxes()
    if not text or text[0].isspace():
        return 0.0
    end = 1
    if _WORD_CHAR.match(text[0]):
        while end < len(text) and _WORD_CHAR.match(text[end]):
            end += 1
    while end < len(text) and text[end] in _NO_LINE_START:
        end += 1
    return boxes[4 * (end - 1) + 2] - boxes[0]  # boxes: flat x0, top, x1, bottom per character


def assemble_pages(
    path: str,
    data: bytes,
    fmt: SourceFormat,
    pages: list[PageLines],
    blank: list[int],
    *,
    box_unit: BoxUnit = "pt",
    ocr_pages: list[int] | None = None,
    ocr_engine: str | None = None,
    turned: dict[int, int] | None = None,
) -> SourceText:
    """The pages' lines as one SourceText: each line and its newline, a box per character (none for the
    newline), and a hint for the repair stage where a line starts (full, flows, running_header, page_number,
    table_row); blank and turned pages are warned of."""
    flow = _DocumentFlow.of(pages)
    parts: list[str] = []
    boxes = CharBoxes()
    hints: dict[int, str] = {}
    fixes: list[tuple[int, str]] = []
    pos = 0
    for pi, page in enumerate(pages):
        frame = flow.frame(pi, page)
        for li, ln in enumerate(page.lines):
            hint = _line_hint(pages, flow, frame, pi, li)
            if hint is not None:
                hints[pos] = hint
            parts += [ln.text, "\n"]
            boxes.add_line(pi + 1, ln.flat_boxes(), ln.next_page, ln.score)
            boxes.add_none()
            fixes += [(pos + i, meant) for i, meant in ln.fixes or ()]
            pos += len(ln.text) + 1
    return SourceText(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        format=fmt,
        text="".join(parts),
        page_count=len(pages),
        warnings=_page_warnings(blank, turned or {}),
        char_boxes=boxes,
        line_hints=hints,
        box_unit=box_unit,
        ocr_pages=list(ocr_pages or []),
        ocr_engine=ocr_engine,
        ocr_fixes=fixes,
        turned_pages=dict(turned or {}),
    )


class _Frame(NamedTuple):
    """A page's text block: its left and right edges and the body text's size (the tolerances' em)."""

    left: float
    right: float
    body_size: float


@dataclass
class _DocumentFlow:
    """What the whole document says of its lines: the running headers and footers, each body line's next
    one (across pages), each page's left margin, and the right edge most lines end at."""

    margin: set[tuple[int, int]]
    next_body: dict[tuple[int, int], tuple[int, int]]
    lefts: list[float]
    common_right: float | None

    @classmethod
    def of(cls, pages: list[PageLines]) -> _DocumentFlow:
        margin = _margin_lines(pages)
        # body lines of the whole document in reading order, for "would the next word have fitted?"
        flow = [
            (pi, li)
            for pi, (_, height, lines) in enumerate(pages)
            for li, ln in enumerate(lines)
            if (pi, li) not in margin and not _in_band_page_number(ln, height) and not ln.table_row
        ]
        # each page's left margin, where a line that goes on a paragraph starts
        lefts = [
            min((ln.x0 for ln in lines if not ln.table_row and not _in_band_page_number(ln, height)), default=0)
            for _, height, lines in pages
        ]
        # the text block's right edge is where most lines end (justified lines end exactly there): a last
        # page of short lines must not pass for a narrow text block
        ends = Counter(round(pages[pi].lines[li].x1) for pi, li in flow)
        common = (x for x, n in ends.items() if n >= COMMON_RIGHT_MIN_LINES)
        common_right = max(common, key=lambda x: (ends[x], x), default=None)
        return cls(margin, dict(zip(flow, flow[1:])), lefts, common_right)

    def frame(self, pi: int, page: PageLines) -> _Frame:
        body = [
            ln
            for li, ln in enumerate(page.lines)
            if (pi, li) not in self.margin and not _in_band_page_number(ln, page.height)
        ]
        right = max((ln.x1 for ln in body), default=page.width)
        if self.common_right is not None and right < self.common_right:
            right = self.common_right
        # tolerances in the body text's size: a big centered title is not a full body line
        sizes = sorted(ln.size for ln in body if not ln.table_row)
        body_size = sizes[len(sizes) // 2] if sizes else DEFAULT_SIZE_PT
        return _Frame(min((ln.x0 for ln in body), default=0), right, body_size)


def _line_hint(pages: list[PageLines], flow: _DocumentFlow, frame: _Frame, pi: int, li: int) -> str | None:
    """What geometry says of the line for the repair stage, or None."""
    ln, height = pages[pi].lines[li], pages[pi].height
    if ln.repeated_header:
        return "running_header"  # a table's header row repeated on the page it runs on to
    if ln.table_row:
        return "table_row"
    if (pi, li) in flow.margin:
        return "running_header"
    if _in_band_page_number(ln, height):
        return "page_number"
    left, right = ln.column if ln.column is not None else (frame.left, frame.right)
    size = frame.body_size
    nxt = flow.next_body.get((pi, li))
    # reaches the right edge from the left margin (or a first-line indent): a centered title or masthead
    # line that happens to be wide does not go on. A line ended short goes on too when the next line
    # starts with a word that would not have fitted (a phone number or a year wrapped whole)
    if ln.x0 <= left + size * FULL_LINE_START_EM and (
        ln.x1 >= right - size * FULL_LINE_END_EM or _next_did_not_fit(ln, nxt, pages, right, left, size)
    ):
        # the next line starts at the left margin: the paragraph flows on, whatever this line ends with
        # (a label's colon, a sentence's full stop)
        return "flows" if nxt is not None and _starts_at_margin(pages, flow.lefts, nxt, size) else "full"
    return None


def _page_warnings(blank: list[int], turned: dict[int, int]) -> list[tuple[str, str]]:
    warnings = [("blank_pages", f"{pages_phrase(blank)} blank (no text found)")] if blank else []
    for page, degrees in sorted(turned.items()):
        warnings.append(
            (
                "page_turned",
                f"page {page} was scanned {'upside down' if degrees == 180 else 'sideways'}: "
                f"turned {degrees}° clockwise before OCR; its boxes are on the turned page",
            )
        )
    return warnings


def _starts_at_margin(pages: list[PageLines], lefts: list[float], at: tuple[int, int], size: float) -> bool:
    n = pages[at[0]].lines[at[1]]
    left = n.column[0] if n.column is not None else lefts[at[0]]
    return n.x0 <= left + size * AT_MARGIN_EM and n.size >= size * BODY_SIZE_SHARE


def _next_did_not_fit(
    ln: VLine, nxt: tuple[int, int] | None, pages: list[PageLines], right: float, left: float, size: float
) -> bool:
    if nxt is None:
        return False
    n = pages[nxt[0]].lines[nxt[1]]
    if n.x0 > left + size * AT_MARGIN_EM or n.size < size * BODY_SIZE_SHARE or ln.size < size * BODY_SIZE_SHARE:
        return False  # an indented or smaller next line starts something new
    unit = _first_unit_width(n)
    return unit > size * WRAPPED_WORD_MIN_EM and ln.x1 + unit > right + size * WRAPPED_WORD_SLACK_EM


def _in_band_page_number(ln: VLine, height: float) -> bool:
    in_band = in_margin_band(ln.top, ln.bottom, height)
    return in_band and bool(BAND_PAGE_NUMBER_RE.fullmatch(ln.text)) and any(ch.isdigit() for ch in ln.text)
