"""Read a text-layer PDF with pdfplumber: characters with positions → visual lines in reading order.

The text is the visual lines (a page's lines joined by newlines, pages one after another), with a box
for every character. Line hints tell the repair stage what geometry knows and text does not: a line
that reaches the right edge of the text block goes on in the next line; a line repeated at the same
height on later pages is a running header or footer; a page-number line in the top or bottom band.
Pages are read and released one by one, so memory stays flat on long documents.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple, cast

from ..errors import InputError
from ..layout import SourceText
from ..limits import MAX_PDF_BYTES, MAX_PIXELS, allow_pages
from .files import read_capped
from . import FORMAT, HEAD_BYTES, ReadOptions
from .geometry import (
    DEFAULT_SIZE_PT,
    LETTER_SPACED_EVEN_EM,
    LETTER_SPACED_MIN_GAP_EM,
    MARGIN_BAND_SHARE,
    ROW_MIN_CELLS,
    SAME_COLUMN_EDGE_PT,
    TABLE_MIN_ROWS,
    Box,
    column_gap,
    same_row,
)
from .inflate import InflateLimit, cap_pdf_streams
from .ocr import DEFAULT_DPI, OcrPage, read_page_image
from .ocr_engines import engine_or_error
from .page import PageLines, TableCell, VLine, assemble_pages, pages_phrase, release


def _size(c: dict) -> float:
    return c.get("size") or DEFAULT_SIZE_PT


def _visual_lines(chars: list[dict]) -> list[VLine]:
    """Group characters into lines by their vertical position, each read left to right; a wide gap
    (a table column) becomes two spaces."""
    # spaces (ASCII and ideographic) separate fields in a line: keep them; drop other control characters
    chars = [c for c in chars if c.get("text") and (not c["text"].isspace() or c["text"] in (" ", "\u3000"))]
    chars.sort(key=lambda c: (round(c["top"], 1), c["x0"]))
    rows: list[list[dict]] = []
    for c in chars:
        size = c.get("size") or (c["bottom"] - c["top"]) or DEFAULT_SIZE_PT
        if rows and same_row(c["top"], rows[-1][0]["top"], size):
            rows[-1].append(c)
        else:
            rows.append([c])
    out = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        text: list[str] = []
        boxes: list[Box] = []
        prev = None
        spaced = _letter_spaced(row)
        for c in row:
            if prev is not None and not spaced and column_gap(prev["x1"], c["x0"], _size(c)) and c["text"] != " ":
                for _ in range(2):  # a column gap: cells stand apart as in a text table
                    text.append(" ")
                    boxes.append((prev["x1"], prev["top"], c["x0"], prev["bottom"]))
            text.append(c["text"])
            boxes.append((c["x0"], c["top"], c["x1"], c["bottom"]))
            prev = c
        line = "".join(text)
        if not line.strip():
            continue
        out.append(
            VLine(
                line,
                boxes,
                row[0]["x0"],
                row[-1]["x1"],
                min(c["top"] for c in row),
                max(c["bottom"] for c in row),
                max(_size(c) for c in row),
            )
        )
    return out


def _letter_spaced(row: list[dict]) -> bool:
    """Every gap in the line is wide and about the same: a justified line spread out before a manual
    line break (示  范  培  训), not table columns."""
    gaps = [b["x0"] - a["x1"] for a, b in zip(row, row[1:])]
    size = max(_size(c) for c in row)
    return (
        len(gaps) >= 2
        and min(gaps) > size * LETTER_SPACED_MIN_GAP_EM
        and max(gaps) - min(gaps) < size * LETTER_SPACED_EVEN_EM
    )


UNMAPPED_RE = re.compile(r"\(cid:\d+\)|\ufffd")  # pdfminer's text for a glyph its font maps to no character
MOSTLY_UNMAPPED = 0.5  # a page whose characters are mostly unmapped has no usable text layer


@dataclass
class PageChars:
    """A page's characters as text: the usable ones (turned upright when the text runs sideways or
    upside down), how many mapped to no character, and the page's size as read."""

    chars: list[dict]
    unmapped: int
    turned: int  # degrees the text was turned to read left to right
    width: float
    height: float

    @property
    def unusable(self) -> bool:
        """Whether the page has no usable text layer: at least half of its characters map to no character."""
        return self.unmapped > 0 and self.unmapped >= MOSTLY_UNMAPPED * (self.unmapped + len(self.chars))


def _page_chars(chars: list[dict], width: float, height: float, direction: int | None = None) -> PageChars:
    """The page's characters (as pdfplumber gives them, on the page as shown: /Rotate applied) as text;
    direction: which way the text runs, when known without counting."""
    usable = [c for c in chars if not UNMAPPED_RE.fullmatch(c.get("text") or "")]
    turned = _text_direction(usable) if direction is None else direction
    if turned:
        usable = [_turn(c, turned, width, height) for c in usable]
        width, height = (height, width) if turned in (90, 270) else (width, height)
    return PageChars(usable, len(chars) - len(usable), turned, width, height)


def _text_direction(chars: list[dict]) -> int:
    """Which way most of the page's text runs, in degrees clockwise from left-to-right on the page as
    shown (pdfplumber applies /Rotate to positions and matrices): 0, 90 (downwards), 180, 270 (up)."""
    votes: Counter = Counter()
    for c in chars:
        m = c.get("matrix")
        if m and not c["text"].isspace():
            a, b = m[0], m[1]  # the glyph's advance in PDF space (y up): (a, b); shown (y down): (a, -b)
            votes[round(math.degrees(math.atan2(-b, a)) / 90) % 4 * 90] += 1
    return votes.most_common(1)[0][0] if votes else 0


def _turn(c: dict, degrees: int, width: float, height: float) -> dict:
    """The character's box on the page turned so that text running `degrees` reads left to right."""
    x0, top, x1, bottom = c["x0"], c["top"], c["x1"], c["bottom"]
    if degrees == 90:
        box = (top, width - x1, bottom, width - x0)
    elif degrees == 270:
        box = (height - bottom, x0, height - top, x1)
    else:
        box = (width - x1, height - bottom, width - x0, height - top)
    turned = {**c, "x0": box[0], "top": box[1], "x1": box[2], "bottom": box[3]}
    if degrees in (90, 270):
        # pdfminer's size is the box's height as shown, which for a glyph standing sideways is its
        # advance: a narrow '-' would count as small type and break its line
        turned.update(width=c["height"], height=c["width"], size=c["width"])
    return turned


def _page_lines(page, found: PageChars) -> list[VLine]:
    """The page's lines in reading order; a ruled table becomes one line per row, its cells (each cell's
    wrapped lines joined) separated by two spaces, as a text table is written."""
    if found.turned or found.unmapped:  # rules are where the page has them, the text was moved or thinned
        return _visual_lines(found.chars)
    try:
        tables = [t for t in page.find_tables() if len(t.rows) >= TABLE_MIN_ROWS]
    except Exception:  # a malformed drawing must not cost the page its text
        tables = []
    if not tables:
        return _visual_lines(found.chars)

    def inside(c, box):
        cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]

    free = [c for c in page.chars if not any(inside(c, t.bbox) for t in tables)]
    table_lines = []
    for t in tables:
        for ri, row in enumerate(t.rows):
            all_cells = [(cell, [c for c in page.chars if inside(c, cell)]) for cell in row.cells if cell is not None]
            cells = [(cell, chars) for cell, chars in all_cells if any(not c["text"].isspace() for c in chars)]
            if len(cells) < ROW_MIN_CELLS:
                chars = [c for _, cs in cells for c in cs]
                if ri == 0 and len(all_cells) >= ROW_MIN_CELLS and chars:
                    # maybe the rest of a row cut by the page break: read_pdf decides
                    ln = _table_row(all_cells, row.bbox)
                    ln.fragment_chars, ln.first_row = chars, True
                    table_lines.append(ln)
                else:
                    # a ruled frame around prose (one cell a row) is not a table: its lines read as text
                    free.extend(chars)
                continue
            ln = _table_row(all_cells, row.bbox)
            ln.first_row = ri == 0
            table_lines.append(ln)
    lines = _visual_lines(free) + table_lines
    lines.sort(key=lambda ln: (round(ln.top, 1), ln.x0))
    return lines


def _table_row(all_cells, bbox) -> VLine:
    """One line for a table row: its cells' text (each cell's wrapped lines joined) two spaces apart."""
    cells = []
    for cell, chars in all_cells:
        lines = _visual_lines(chars)
        cells.append(TableCell(cell[0], cell[2], [ln.text for ln in lines], [b for ln in lines for b in ln.boxes]))
    return _row_line(cells, bbox[0], bbox[2])


def _row_line(cells: list[TableCell], x0: float, x1: float) -> VLine:
    text: list[str] = []
    boxes: list[Box] = []
    next_page: list[int] = []
    for cell in cells:
        if not cell.pieces:
            continue
        if text:
            # the separator stands where the cell's text starts (no height beyond its first line, so a
            # row's boxes read line by line)
            b = cell.boxes[0]
            text.append("  ")
            boxes.extend([(b[0], b[1], b[0], b[3])] * 2)
            next_page.extend([cell.next_page[0]] * 2)
        text.extend(cell.pieces)
        boxes.extend(cell.boxes)
        next_page.extend(cell.next_page)
    if not boxes:
        return VLine("", [], x0, x1, 0, 0, DEFAULT_SIZE_PT, table_row=True, cells=cells)
    return VLine(
        "".join(text),
        boxes,
        x0,
        x1,
        min(b[1] for b in boxes),
        max(b[3] for b in boxes),
        DEFAULT_SIZE_PT,
        table_row=True,
        cells=cells,
        next_page=next_page if any(next_page) else None,
    )


def _columns(row: VLine) -> tuple[tuple[float, float], ...]:
    """A table row's column edges: (x0, x1) of each cell."""
    return tuple((c.x0, c.x1) for c in row.cells or ())


def _same_edges(a: tuple[tuple[float, float], ...], b: tuple[tuple[float, float], ...]) -> bool:
    return len(a) == len(b) and all(
        abs(a0 - b0) < SAME_COLUMN_EDGE_PT and abs(a1 - b1) < SAME_COLUMN_EDGE_PT for (a0, a1), (b0, b1) in zip(a, b)
    )


def _same_columns(a: VLine, b: VLine) -> bool:
    return a.cells is not None and b.cells is not None and _same_edges(_columns(a), _columns(b))


class TableHead(NamedTuple):
    """A table's first row as first seen: its text and column edges, kept after its page is released,
    so that a header row repeated on any later page is known."""

    text: str
    columns: tuple[tuple[float, float], ...]


def _join_cut_rows(
    prev_page: list[VLine] | None, lines: list[VLine], height: float, heads: list[TableHead]
) -> list[VLine]:
    """A table that runs on from the previous page: its repeated header row is marked, and a row the
    page break cut in two gets its rest back (cell by cell), as one row on the earlier page."""
    top_band, bottom_band = height * MARGIN_BAND_SHARE, height * (1 - MARGIN_BAND_SHARE)
    body = [ln for ln in lines if top_band < ln.top < bottom_band or ln.table_row]
    last = _last_table_row(prev_page, bottom_band)
    out = list(lines)
    if last is not None and body:
        k = 1 if _repeats_a_header(body[0], heads) else 0
        body[0].repeated_header = k == 1
        if k < len(body) and _rest_of(last, body[k]):
            _join_rest(last, body[k])
            out.remove(body[k])
    out = _fragments_as_text(out)
    heads.extend(
        TableHead(ln.text, _columns(ln)) for ln in out if ln.table_row and ln.first_row and not ln.repeated_header
    )
    return out


def _last_table_row(prev_page: list[VLine] | None, bottom_band: float) -> VLine | None:
    """The previous page's lowest body line, when it is a table row: the page ended in a table."""
    body = [ln for ln in prev_page or () if (ln.top < bottom_band or ln.table_row) and ln.text]
    lowest = max(body, key=lambda ln: ln.bottom, default=None)
    return lowest if lowest is not None and lowest.table_row and lowest.cells else None


def _repeats_a_header(row: VLine, heads: list[TableHead]) -> bool:
    """A table's first row on this page that repeats the first row of a table on an earlier page."""
    if not (row.table_row and row.first_row and row.cells):
        return False
    return any(row.text == h.text and _same_edges(_columns(row), h.columns) for h in heads)


def _rest_of(last: VLine, row: VLine) -> bool:
    """`row` (at the top of the page) is the rest of the previous page's `last` row: the same columns,
    and text in one cell only or in fewer cells."""
    if not (row.table_row and row.cells and last.cells and _same_columns(row, last)):
        return False
    filled = sum(1 for c in row.cells if c.pieces)
    return row.fragment_chars is not None or filled < sum(1 for c in last.cells if c.pieces)


def _join_rest(last: VLine, rest: VLine) -> None:
    assert last.cells is not None and rest.cells is not None  # _rest_of checked
    for cell, more in zip(last.cells, rest.cells):
        cell.join(more)
    merged = _row_line(last.cells, last.x0, last.x1)
    last.text, last.boxes, last.next_page = merged.text, merged.boxes, merged.next_page


def _fragments_as_text(lines: list[VLine]) -> list[VLine]:
    """A row with text in one cell that was not the rest of a cut row is text after all."""
    frags = [ln.fragment_chars for ln in lines if ln.fragment_chars is not None]
    if not frags:
        return lines
    out = [ln for ln in lines if ln.fragment_chars is None] + [v for chars in frags for v in _visual_lines(chars)]
    out.sort(key=lambda ln: (round(ln.top, 1), ln.x0))
    return out


PAGES_PER_OPEN = 50


def _open(path: str, password: str | None, pages: list[int] | None = None):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        return pdfplumber.open(path, password=password or "", pages=pages)
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            reason = "wrong password" if password else "encrypted PDF: give its password with --password"
            raise InputError(path, reason) from None
        if isinstance(cause, PDFSyntaxError) or "EOF" in str(cause) or "Root" in str(cause):
            raise InputError(path, f"not a readable PDF ({cause})") from None
        raise InputError(path, f"not a readable PDF ({cause})") from None
    except (OSError, ValueError) as exc:
        raise InputError(path, f"not a readable PDF ({exc})") from None


CHAR_READERS = ("pdfium", "pdfplumber")


def read_pdf(path: str, options: ReadOptions = ReadOptions(), char_reader: str = "pdfium") -> SourceText:
    """options.ocr: "auto" reads pages without a text layer (scans, and text in fonts that map to no
    characters) by OCR, "always" every page, "never" none (such pages are then an error naming them).
    char_reader: "pdfium" reads a page's characters through pypdfium2 where that gives exactly what
    pdfplumber gives (pdfium_chars.py), pdfplumber the rest; "pdfplumber" reads every page with it."""
    data = read_capped(path, MAX_PDF_BYTES, "a PDF bulletin")
    if not FORMAT["pdf"].found_in(data[:HEAD_BYTES]):
        raise InputError(path, "not a PDF (no %PDF header)")
    cap_pdf_streams()
    try:
        return _read_pages(path, data, options, char_reader)
    except InflateLimit as exc:
        raise InputError(path, str(exc)) from None


def _damaged(path: str, exc: Exception) -> Exception:
    """The error for an exception out of pdfplumber/pdfminer: the stream cap's own (pdfplumber wraps
    what pdfminer raises), else a damaged PDF."""
    from pdfplumber.utils.exceptions import PdfminerException

    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, InflateLimit):
        return cause
    return InputError(path, f"damaged PDF ({type(exc).__name__}: {exc})")


def _close(pdf) -> None:
    """Close, whatever the document: pdfplumber walks the page tree again on close, where a damaged
    one raises once more."""
    try:
        pdf.close()
    except Exception:
        pass


class _PlumberPages:
    """pdfplumber's pages, opened only when a page needs them. pdfplumber and pdfminer keep what they
    parse for as long as the file is open: a long document is opened in chunks, each closed before the
    next, so memory stays flat."""

    def __init__(self, path: str, password: str | None):
        self.path, self.password = path, password
        self._pdf: Any = None
        self._first = 0

    def page(self, number: int) -> Any:
        if self._pdf is None or not self._first <= number < self._first + PAGES_PER_OPEN:
            self.close()
            self._first = number
            last = number + PAGES_PER_OPEN - 1
            self._pdf = _open(self.path, self.password, list(range(number, last + 1)))
        return self._pdf.pages[number - self._first]

    def close(self) -> None:
        if self._pdf is not None:
            _close(self._pdf)
            self._pdf = None


class _SourcePage:
    """One page of the document, its characters from pypdfium2 when it can give them exactly, else
    from pdfplumber (opened for the page only then)."""

    def __init__(self, number: int, fast, plumber: _PlumberPages, ocr: str):
        self.number = number
        fast_page = fast.next_page(number - 1) if fast is not None else None
        if isinstance(fast_page, str):  # the reason the page needs pdfplumber
            fast_page = None
        self.from_pdfium = fast_page is not None
        # only pdfplumber finds ruled tables (pypdfium2 reads no page where one could stand)
        self.plumber_page = None if self.from_pdfium else plumber.page(number)
        self._page = cast(Any, fast_page if fast_page is not None else self.plumber_page)  # one is read
        self.found: PageChars | None = None
        if ocr != "always":
            direction = self._page.text_direction if self.from_pdfium else None
            self.found = _page_chars(self._page.chars, self._page.width, self._page.height, direction)

    def lines(self, found: PageChars) -> list[VLine]:
        if self.plumber_page is None:
            return _visual_lines(found.chars)
        return _page_lines(self.plumber_page, found)

    def has_images(self) -> bool:
        return self._page.has_images if self.from_pdfium else bool(self._page.images)

    def size(self) -> tuple[float, float]:
        return self._page.width, self._page.height


def _fast_reader(path: str, password: str | None, count: int):
    """pypdfium2's reader for the document, or None where it cannot open it or counts other pages than
    pdfplumber (pdfplumber then reads it all)."""
    from .pdfium_chars import PdfiumReader

    try:
        reader = PdfiumReader(path, password)
    except Exception:
        return None
    if len(reader) != count:
        reader.close()
        return None
    return reader


def _read_pages(path: str, data: bytes, options: ReadOptions, char_reader: str) -> SourceText:
    count = _page_count(path, options.password)
    allow_pages(count)
    run = _PdfRun(path, options)
    fast = _fast_reader(path, options.password, count) if options.ocr != "always" and char_reader == "pdfium" else None
    plumber = _PlumberPages(path, options.password)
    try:
        for number in range(1, count + 1):
            page = _SourcePage(number, fast, plumber, options.ocr)
            run.add(page)
            if page.plumber_page is not None:
                page.plumber_page.close()
    except InputError:
        raise
    except Exception as exc:  # pdfminer fails on damaged content streams mid-document
        raise _damaged(path, exc) from None
    finally:
        plumber.close()
        if fast is not None:
            fast.close()
        run.close()
    if not run.pages:
        raise InputError(path, "PDF has no pages")
    release(run.pages[-1].lines)
    _refuse_missing_text(path, run)
    return run.source(data)


def _page_count(path: str, password: str | None) -> int:
    pdf = _open(path, password)
    try:
        return len(pdf.pages)
    except Exception as exc:  # a page tree that cannot be walked
        raise _damaged(path, exc) from None
    finally:
        _close(pdf)


@dataclass
class _PdfRun:
    """A document's pages as they are read, one after another, and what each page said of itself."""

    path: str
    options: ReadOptions
    pages: list[PageLines] = field(default_factory=list)
    # pages without text but with an image (a scan) or a text layer that maps to no characters
    no_text: list[int] = field(default_factory=list)
    blank: list[int] = field(default_factory=list)
    unmapped: list[int] = field(default_factory=list)  # pages whose fonts map their glyphs to no characters
    ocr_pages: list[int] = field(default_factory=list)
    turned: dict[int, int] = field(default_factory=dict)  # page → degrees an OCR page was turned upright
    text_turned: dict[int, int] = field(default_factory=dict)  # page → degrees its text layer was turned
    warnings: list[tuple[str, str]] = field(default_factory=list)
    heads: list[TableHead] = field(default_factory=list)  # first rows of the tables so far: a repeated header
    engine: Any = None
    rendered: Any = None  # pypdfium2's copy of the document, opened at the first page to OCR

    def add(self, page: _SourcePage) -> None:
        found = page.found
        if found is not None and found.unmapped:
            self.unmapped.append(page.number)
        lines = [] if found is None or found.unusable else page.lines(found)
        unusable = bool(found and found.unusable)
        ocr = self.options.ocr
        if not lines and ocr != "never" and (ocr == "always" or page.has_images() or unusable):
            read = self._by_ocr(page.number)
            lines, width, height = read.lines, read.width, read.height
        else:
            width, height = (found.width, found.height) if found else page.size()
            lines = self._by_text_layer(page, found, lines, height, unusable)
        if self.pages:  # the previous page is final now that its last row may have been completed
            release(self.pages[-1].lines)
        self.pages.append(PageLines(width, height, lines))

    def _by_ocr(self, number: int) -> OcrPage:
        if self.engine is None:
            self.engine = engine_or_error(self.path, self.options.ocr_engine)
            self.rendered = _pdfium(self.path, self.options.password)
        read = _ocr_page(self.rendered, number - 1, self.engine, self.warnings)
        if read.turned:
            self.turned[number] = read.turned
        self.ocr_pages.append(number)
        if not read.lines:
            self.blank.append(number)
        return read

    def _by_text_layer(
        self, page: _SourcePage, found: PageChars | None, lines: list[VLine], height: float, unusable: bool
    ) -> list[VLine]:
        if found is not None and found.turned and lines:
            self.text_turned[page.number] = found.turned
        lines = _join_cut_rows(self.pages[-1].lines if self.pages else None, lines, height, self.heads)
        if not lines:
            # an image on a page without text is a scan (so is an unusable text layer); else it is blank
            (self.no_text if page.has_images() or unusable else self.blank).append(page.number)
        return lines

    def close(self) -> None:
        if self.rendered is not None:
            self.rendered.close()

    def source(self, data: bytes) -> SourceText:
        src = assemble_pages(
            self.path,
            data,
            "pdf",
            self.pages,
            self.blank,
            box_unit="pt",
            ocr_pages=self.ocr_pages,
            ocr_engine=self.engine.name if self.engine is not None else None,
            turned=self.turned,
        )
        src.warnings.extend(self.warnings + _layer_warnings(self.unmapped, self.ocr_pages, self.text_turned))
        # text running d degrees reads left to right on the page turned d degrees counter-clockwise
        src.turned_pages.update({p: (360 - d) % 360 for p, d in self.text_turned.items()})
        return src


def _refuse_missing_text(path: str, run: _PdfRun) -> None:
    """A document with no text at all, or with scanned pages left unread (--ocr never): half a document
    would pass for a whole one, so it is refused, naming the pages."""
    no_text, pages = run.no_text, run.pages
    unreadable = [p for p in no_text if p in run.unmapped]  # text in fonts that map to no characters
    if len(no_text) + len(run.blank) == len(pages):
        what = "no text found on any page" if run.ocr_pages else "no text layer on any page"
        hint = ": a scan, run without --ocr never to read it by OCR"
        if unreadable and not run.ocr_pages:
            what = "no usable text on any page (its fonts map their glyphs to no characters)"
            hint = ": run without --ocr never to read it by OCR"
        raise InputError(path, f"{what} ({len(pages)} page{'s' if len(pages) > 1 else ''})" + (hint if no_text else ""))
    if no_text:
        what = "scanned images, or fonts without a Unicode map" if unreadable else "scanned images"
        raise InputError(
            path,
            f"{pages_phrase(no_text)} of {len(pages)} without a {'usable ' if unreadable else ''}"
            f"text layer ({what}): run without --ocr never to read them by OCR",
        )


def _layer_warnings(unmapped: list[int], ocr_pages: list[int], text_turned: dict[int, int]) -> list[tuple[str, str]]:
    out = []
    read = [p for p in unmapped if p in ocr_pages]
    left = [p for p in unmapped if p not in ocr_pages]
    if read:
        out.append(("unmapped_font", f"{pages_phrase(read)}: fonts map their glyphs to no characters; read by OCR"))
    if left:
        out.append(
            (
                "unmapped_font",
                f"{pages_phrase(left)}: some characters are in fonts without a Unicode map "
                "and are missing from the text",
            )
        )
    for page, degrees in sorted(text_turned.items()):
        way = {90: "downwards", 180: "upside down", 270: "upwards"}[degrees]
        out.append(
            (
                "text_turned",
                f"page {page}: its text runs {way}; read turned upright (boxes are on the page turned upright)",
            )
        )
    return out


def _pdfium(path: str, password: str | None):
    import pypdfium2

    return pypdfium2.PdfDocument(path, password=password)


def _ocr_page(doc, index: int, engine, warnings: list) -> OcrPage:
    """Render one page at DEFAULT_DPI (less when that would exceed MAX_PIXELS, as an image file may not)
    and read it by OCR; lines come back in PDF points."""
    page = doc[index]
    try:
        w, h = page.get_size()
        scale = min(DEFAULT_DPI / 72, math.sqrt(MAX_PIXELS / max(w * h, 1.0)))
        if scale < DEFAULT_DPI / 72:
            warnings.append(
                (
                    "page_too_large",
                    f"page {index + 1} ({w / 72:.0f} × {h / 72:.0f} in) rendered at "
                    f"{scale * 72:.0f} dpi to stay within {MAX_PIXELS / 1e6:.0f} MP",
                )
            )
        bitmap = page.render(scale=scale)
        image = bitmap.to_numpy()
        if image.ndim == 3 and image.shape[2] == 4:
            image = image[:, :, :3]
        return read_page_image(engine, image.copy(), scale)
    finally:
        page.close()
