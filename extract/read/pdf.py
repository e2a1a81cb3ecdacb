"""Read a text-layer PDF with pdfplumber: characters with positions → visual lines in reading order.

The text is the visual lines (a page's lines joined by newlines, pages one after another), with a box
for every character. Line hints tell the repair stage what geometry knows and text does not: a line
that reaches the right edge of the text block goes on in the next line; a line repeated at the same
height on later pages is a running header or footer; a page-number line in the top or bottom band.
Pages are read and released one by one, so memory stays flat on long documents.
"""
from __future__ import annotations

import hashlib
import re
from array import array
from collections import Counter
from dataclasses import dataclass

from ..errors import InputError
from ..layout import BAND_PAGE_NUMBER_RE, SourceText

MARGIN_BAND = 0.12  # headers and footers live in the top and bottom 12 % of a page


@dataclass
class _VLine:
    text: str
    boxes: list[tuple[float, float, float, float]]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    table_row: bool = False
    # a ruled table's row: its cells as [x0, x1, text pieces, boxes], for a row that a page break cut
    cells: list | None = None
    first_row: bool = False  # the first row of its table on this page
    fragment_chars: list | None = None  # a row with text in one cell only: the rest of a cut row?
    repeated_header: bool = False
    next_page: list | None = None  # per character, 1 when it stands on the next page (a cut row's rest)


def _visual_lines(chars: list[dict]) -> list[_VLine]:
    """Group characters into lines by their vertical position, each read left to right; a wide gap
    (a table column) becomes two spaces."""
    # spaces (ASCII and ideographic) separate fields in a line: keep them; drop other control characters
    chars = [c for c in chars if c.get("text") and (not c["text"].isspace() or c["text"] in (" ", "\u3000"))]
    chars.sort(key=lambda c: (round(c["top"], 1), c["x0"]))
    rows: list[list[dict]] = []
    for c in chars:
        size = c.get("size") or (c["bottom"] - c["top"]) or 10
        if rows and abs(c["top"] - rows[-1][0]["top"]) <= size * 0.5:
            rows[-1].append(c)
        else:
            rows.append([c])
    out = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        text, boxes = [], []
        prev = None
        spaced = _letter_spaced(row)
        for c in row:
            size = c.get("size") or 10
            if prev is not None and not spaced and c["x0"] - prev["x1"] > size * 1.5 and c["text"] != " ":
                for _ in range(2):  # a column gap: cells stand apart as in a text table
                    text.append(" ")
                    boxes.append((prev["x1"], prev["top"], c["x0"], prev["bottom"]))
            text.append(c["text"])
            boxes.append((c["x0"], c["top"], c["x1"], c["bottom"]))
            prev = c
        line = "".join(text)
        if not line.strip():
            continue
        out.append(_VLine(line, boxes, row[0]["x0"], row[-1]["x1"], min(c["top"] for c in row),
                          max(c["bottom"] for c in row), max((c.get("size") or 10) for c in row)))
    return out


def _letter_spaced(row: list[dict]) -> bool:
    """Every gap in the line is wide and about the same: a justified line spread out before a manual
    line break (示  范  培  训), not table columns."""
    gaps = [b["x0"] - a["x1"] for a, b in zip(row, row[1:])]
    size = max((c.get("size") or 10) for c in row)
    return len(gaps) >= 2 and min(gaps) > size * 0.5 and max(gaps) - min(gaps) < size * 0.2


def _page_lines(page) -> list[_VLine]:
    """The page's lines in reading order; a ruled table becomes one line per row, its cells (each cell's
    wrapped lines joined) separated by two spaces, as a text table is written."""
    try:
        tables = [t for t in page.find_tables() if len(t.rows) >= 2]
    except Exception:  # a malformed drawing must not cost the page its text
        tables = []
    if not tables:
        return _visual_lines(page.chars)

    def inside(c, box):
        cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]

    free = [c for c in page.chars if not any(inside(c, t.bbox) for t in tables)]
    table_lines = []
    for t in tables:
        for ri, row in enumerate(t.rows):
            all_cells = [(cell, [c for c in page.chars if inside(c, cell)]) for cell in row.cells if cell is not None]
            cells = [(cell, chars) for cell, chars in all_cells if any(not c["text"].isspace() for c in chars)]
            if len(cells) < 2:
                chars = [c for _, cs in cells for c in cs]
                if ri == 0 and len(all_cells) >= 2 and chars:
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


def _table_row(all_cells, bbox) -> _VLine:
    """One line for a table row: its cells' text (each cell's wrapped lines joined) two spaces apart."""
    cells = []
    for cell, chars in all_cells:
        pieces, boxes = [], []
        for ln in _visual_lines(chars):
            pieces.append(ln.text)
            boxes.extend(ln.boxes)
        cells.append([cell[0], cell[2], pieces, boxes, cell])
    return _row_line(cells, bbox[0], bbox[2])


def _row_line(cells, x0: float, x1: float) -> _VLine:
    text, boxes = [], []
    for cx0, cx1, pieces, cboxes, cell in cells:
        if not pieces:
            continue
        if text:
            # the separator stands where the cell's text starts (no height beyond its first line, so a
            # row's boxes read line by line)
            b = cboxes[0]
            text.append("  ")
            boxes.extend([(b[0], b[1], b[0], b[3], *b[4:])] * 2)
        text.extend(pieces)
        boxes.extend(cboxes)
    if not boxes:
        return _VLine("", [], x0, x1, 0, 0, 10, table_row=True, cells=cells)
    # boxes of a row's rest from the next page carry a fifth number: 1 (the page after the row's)
    next_page = [b[4] if len(b) > 4 else 0 for b in boxes]
    boxes = [b[:4] for b in boxes]
    return _VLine("".join(text), boxes, x0, x1, min(b[1] for b in boxes), max(b[3] for b in boxes), 10,
                  table_row=True, cells=cells, next_page=next_page if any(next_page) else None)


def _same_columns(a: _VLine, b: _VLine) -> bool:
    return (len(a.cells) == len(b.cells)
            and all(abs(ca[0] - cb[0]) < 3 and abs(ca[1] - cb[1]) < 3 for ca, cb in zip(a.cells, b.cells)))


def _join_cut_rows(prev_page: list[_VLine] | None, lines: list[_VLine], height: float, heads: list[_VLine]) -> list[_VLine]:
    """A table that runs on from the previous page: its repeated header row is marked, and a row the
    page break cut in two gets its rest back (cell by cell), as one row on the earlier page."""
    body = [ln for ln in lines if height * MARGIN_BAND < ln.top < height * (1 - MARGIN_BAND) or ln.table_row]
    last = None
    if prev_page:
        prev_body = [ln for ln in prev_page if (ln.top < height * (1 - MARGIN_BAND) or ln.table_row) and ln.text]
        lowest = max(prev_body, key=lambda ln: ln.bottom, default=None)  # the page ended in a table row?
        last = lowest if lowest is not None and lowest.table_row and lowest.cells else None
    k = 0
    if last is not None and body and body[0].table_row and body[0].first_row and body[0].cells \
            and any(_same_columns(body[0], h) and body[0].text == h.text for h in heads):
        body[0].repeated_header = True
        k = 1
    out = list(lines)
    if last is not None and k < len(body) and body[k].table_row and body[k].cells and _same_columns(body[k], last) \
            and (body[k].fragment_chars is not None or sum(1 for c in body[k].cells if c[2]) < sum(1 for c in last.cells if c[2])):
        frag = body[k]
        for cell, more in zip(last.cells, frag.cells):
            cell[2].extend(more[2])
            cell[3].extend((*b[:4], 1) for b in more[3])
        merged = _row_line(last.cells, last.x0, last.x1)
        last.text, last.boxes, last.next_page = merged.text, merged.boxes, merged.next_page
        out.remove(frag)
    # an unmerged fragment is text after all
    frags = [ln for ln in out if ln.fragment_chars is not None]
    if frags:
        out = [ln for ln in out if ln.fragment_chars is None] + [v for ln in frags for v in _visual_lines(ln.fragment_chars)]
        out.sort(key=lambda ln: (round(ln.top, 1), ln.x0))
    heads.extend(ln for ln in out if ln.table_row and ln.first_row and not ln.repeated_header)
    return out


PAGES_PER_OPEN = 50


def _release(lines: list[_VLine]) -> None:
    for ln in lines:
        ln.boxes = _compact(ln.boxes)
        ln.cells = ln.fragment_chars = None


def _compact(boxes: list) -> array:
    """A line's character boxes as one flat float array (4 numbers a character) instead of tuples."""
    flat = array("f")
    for b in boxes:
        flat.extend(b)
    return flat


class CharBoxes:
    """A (page, x0, top, x1, bottom) box for each character of a text, or None, stored compactly."""

    def __init__(self):
        self._page = array("H")
        self._xy = array("f")

    def add_line(self, page: int, flat: array, next_page: list | None = None) -> None:
        n = len(flat) // 4
        self._page.extend([page + d for d in next_page] if next_page else [page] * n)
        self._xy.extend(flat)

    def add_none(self) -> None:
        self._page.append(0)
        self._xy.extend((0.0, 0.0, 0.0, 0.0))

    def __len__(self) -> int:
        return len(self._page)

    def __getitem__(self, i: int):
        page = self._page[i]
        if not page:
            return None
        x0, top, x1, bottom = self._xy[4 * i:4 * i + 4]
        return (page, x0, top, x1, bottom)


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


def read_pdf(path: str, password: str | None = None) -> SourceText:
    with open(path, "rb") as fh:
        data = fh.read()
    if not data.startswith(b"%PDF"):
        raise InputError(path, "not a PDF (no %PDF header)")
    pdf = _open(path, password)
    try:
        count = len(pdf.pages)
    finally:
        pdf.close()
    pages: list[tuple[float, float, list[_VLine]]] = []
    no_text: list[int] = []
    blank: list[int] = []
    heads: list[_VLine] = []  # first rows of the tables so far, to know a repeated header row
    # pdfplumber and pdfminer keep what they parse for as long as the file is open: reading a long
    # document in chunks, reopened each time, keeps memory flat
    for first in range(1, count + 1, PAGES_PER_OPEN):
        pdf = _open(path, password, list(range(first, min(count, first + PAGES_PER_OPEN - 1) + 1)))
        try:
            for page in pdf.pages:
                lines = _join_cut_rows(pages[-1][2] if pages else None, _page_lines(page), page.height, heads)
                if not lines:
                    # an image on a page without text is a scan; a page without either is blank
                    (no_text if page.images else blank).append(page.page_number)
                if pages:  # the previous page is final now that its last row may have been completed
                    _release(pages[-1][2])
                pages.append((page.width, page.height, lines))
                page.close()
        except Exception as exc:  # pdfminer fails on damaged content streams mid-document
            raise InputError(path, f"damaged PDF ({type(exc).__name__}: {exc})") from None
        finally:
            pdf.close()
    if not pages:
        raise InputError(path, "PDF has no pages")
    _release(pages[-1][2])
    if len(no_text) + len(blank) == len(pages):
        raise InputError(path, f"no text layer on any page ({len(pages)} page{'s' if len(pages) > 1 else ''}): a scan needs OCR, which is not available yet")
    if no_text:
        # half a document would pass for a whole one: refuse until the OCR stage reads such pages
        raise InputError(path, f"{_pages_phrase(no_text)} of {len(pages)} without a text layer (scanned images): "
                               "OCR is not available yet")
    return _assemble(path, data, pages, blank)


def _pages_phrase(numbers: list[int]) -> str:
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(map(str, numbers))


def _margin_lines(pages) -> set[tuple[int, int]]:
    """(page index, line index) of running headers and footers: the same text (digits aside) at the
    same height on several pages. The first page keeps its copy: there it is the masthead."""
    keys: Counter = Counter()
    where: dict[tuple, list[tuple[int, int]]] = {}
    for pi, (_, height, lines) in enumerate(pages):
        for li, ln in enumerate(lines):
            if ln.top > height * MARGIN_BAND and ln.bottom < height * (1 - MARGIN_BAND):
                continue
            key = (re.sub(r"[0-9０-９]+", "#", ln.text.strip()), round(ln.top / 4))
            keys[key] += 1
            where.setdefault(key, []).append((pi, li))
    out = set()
    for key, n in keys.items():
        if n >= 2:
            out.update((pi, li) for pi, li in where[key] if pi > 0)
    return out


# punctuation a line may not start with: a line breaker carries the character before it along
_NO_LINE_START = set("，。、；：！？）》」』】〉”’,.;:!?)%％·…—")
_WORD_CHAR = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ.\-_/@%％:：]")


def _first_unit_width(ln: _VLine) -> float:
    """Width of what a line breaker moves as one piece to the start of `ln`: a Latin word or number,
    or one character with the closing punctuation that may not start a line."""
    text, boxes = ln.text, ln.boxes
    if not text or text[0].isspace():
        return 0.0
    end = 1
    if _WORD_CHAR.match(text[0]):
        while end < len(text) and _WORD_CHAR.match(text[end]):
            end += 1
    while end < len(text) and text[end] in _NO_LINE_START:
        end += 1
    return boxes[4 * (end - 1) + 2] - boxes[0]  # boxes: flat x0, top, x1, bottom per character


def _assemble(path: str, data: bytes, pages, blank: list[int]) -> SourceText:
    margin = _margin_lines(pages)
    parts: list[str] = []
    boxes = CharBoxes()
    hints: dict[int, str] = {}
    pos = 0
    # body lines of the whole document in reading order, for "would the next word have fitted?"
    flow = [(pi, li) for pi, (_, height, lines) in enumerate(pages) for li, ln in enumerate(lines)
            if (pi, li) not in margin and not _in_band_page_number(ln, height) and not ln.table_row]
    next_body = {flow[k]: flow[k + 1] for k in range(len(flow) - 1)}
    # the text block's right edge is where most lines end (justified lines end exactly there): a last
    # page of short lines must not pass for a narrow text block
    ends = Counter(round(pages[pi][2][li].x1) for pi, li in flow)
    common_right = max((x for x, n in ends.items() if n >= 3), key=lambda x: (ends[x], x), default=None)
    for pi, (width, height, lines) in enumerate(pages):
        body = [ln for li, ln in enumerate(lines) if (pi, li) not in margin and not _in_band_page_number(ln, height)]
        right = max((ln.x1 for ln in body), default=width)
        if common_right is not None and right < common_right:
            right = common_right
        left = min((ln.x0 for ln in body), default=0)
        # tolerances in the body text's size: a big centered title is not a full body line
        sizes = sorted(ln.size for ln in body if not ln.table_row)
        body_size = sizes[len(sizes) // 2] if sizes else 10
        for li, ln in enumerate(lines):
            if ln.repeated_header:
                hints[pos] = "running_header"  # a table's header row repeated on the page it runs on to
            elif ln.table_row:
                hints[pos] = "table_row"
            elif (pi, li) in margin:
                hints[pos] = "running_header"
            elif _in_band_page_number(ln, height):
                hints[pos] = "page_number"
            elif ln.x0 <= left + body_size * 3 and (ln.x1 >= right - body_size * 2 or _next_did_not_fit(ln, next_body.get((pi, li)), pages, right, left, body_size)):
                # reaches the right edge from the left margin (or a first-line indent): a centered
                # title or masthead line that happens to be wide does not go on. A line ended short
                # goes on too when the next line starts with a word that would not have fitted
                # (a phone number or a year wrapped whole)
                nxt = next_body.get((pi, li))
                # the next line starts at the left margin: the paragraph flows on, whatever this line
                # ends with (a label's colon, a sentence's full stop)
                hints[pos] = "flows" if nxt is not None and _starts_at_margin(pages, nxt, body_size) else "full"
            parts.append(ln.text)
            boxes.add_line(pi + 1, ln.boxes, ln.next_page)
            pos += len(ln.text)
            parts.append("\n")
            boxes.add_none()
            pos += 1
    text = "".join(parts)
    warnings = [("blank_pages", f"{_pages_phrase(blank)} blank (no text, no image)")] if blank else []
    return SourceText(path=path, sha256=hashlib.sha256(data).hexdigest(), format="pdf", text=text,
                      page_count=len(pages), warnings=warnings, char_boxes=boxes, line_hints=hints)


def _starts_at_margin(pages, at: tuple[int, int], size: float) -> bool:
    _, height, lines = pages[at[0]]
    n = lines[at[1]]
    left = min((ln.x0 for ln in lines if not ln.table_row and not _in_band_page_number(ln, height)), default=0)
    return n.x0 <= left + size * 0.5 and n.size >= size * 0.9


def _next_did_not_fit(ln: _VLine, nxt: tuple[int, int] | None, pages, right: float, left: float, size: float) -> bool:
    if nxt is None:
        return False
    n = pages[nxt[0]][2][nxt[1]]
    if n.x0 > left + size * 0.5 or n.size < size * 0.9 or ln.size < size * 0.9:
        return False  # an indented or smaller next line starts something new
    unit = _first_unit_width(n)
    return unit > size * 1.5 and ln.x1 + unit > right + size * 0.1


def _in_band_page_number(ln: _VLine, height: float) -> bool:
    in_band = ln.top < height * MARGIN_BAND or ln.bottom > height * (1 - MARGIN_BAND)
    return in_band and bool(BAND_PAGE_NUMBER_RE.fullmatch(ln.text)) and any(ch.isdigit() for ch in ln.text)
