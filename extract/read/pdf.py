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
from ..layout import SourceText

MARGIN_BAND = 0.12  # headers and footers live in the top and bottom 12 % of a page
_PAGE_NUMBER = re.compile(r"[ \t\u3000]*(?:[—－–\-_~～]*[ \t\u3000]*[0-9０-９]{1,4}[ \t\u3000]*[—－–\-_~～]*"
                          r"|第[ \t\u3000]*[0-9０-９]{1,4}[ \t\u3000]*页(?:[ \t\u3000]*[，,/]?[ \t\u3000]*共[ \t\u3000]*[0-9０-９]{1,4}[ \t\u3000]*页)?"
                          r"|[0-9０-９]{1,4}[ \t\u3000]*/[ \t\u3000]*[0-9０-９]{1,4})[ \t\u3000]*")


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
        for c in row:
            size = c.get("size") or 10
            if prev is not None and c["x0"] - prev["x1"] > size * 1.5 and c["text"] != " ":
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
        for row in t.rows:
            cells = [(cell, [c for c in page.chars if inside(c, cell)]) for cell in row.cells if cell is not None]
            cells = [(cell, chars) for cell, chars in cells if any(not c["text"].isspace() for c in chars)]
            if len(cells) < 2:
                # a ruled frame around prose (one cell a row) is not a table: its lines read as text
                free.extend(c for _, chars in cells for c in chars)
                continue
            text, boxes = [], []
            for cell, chars in cells:
                cell_lines = _visual_lines(chars)
                if not cell_lines:
                    continue
                if text:
                    text.append("  ")
                    boxes.extend([(cell[0], cell[1], cell[0], cell[3])] * 2)
                for ln in cell_lines:
                    text.append(ln.text)
                    boxes.extend(ln.boxes)
            if text:
                line = "".join(text)
                top = min(b[1] for b in boxes)
                table_lines.append(_VLine(line, boxes, row.bbox[0], row.bbox[2], top, max(b[3] for b in boxes), 10, table_row=True))
    lines = _visual_lines(free) + table_lines
    lines.sort(key=lambda ln: (round(ln.top, 1), ln.x0))
    return lines


PAGES_PER_OPEN = 50


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

    def add_line(self, page: int, flat: array) -> None:
        n = len(flat) // 4
        self._page.extend([page] * n)
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
    # pdfplumber and pdfminer keep what they parse for as long as the file is open: reading a long
    # document in chunks, reopened each time, keeps memory flat
    for first in range(1, count + 1, PAGES_PER_OPEN):
        pdf = _open(path, password, list(range(first, min(count, first + PAGES_PER_OPEN - 1) + 1)))
        try:
            for page in pdf.pages:
                lines = _page_lines(page)
                if not lines:
                    no_text.append(page.page_number)
                for ln in lines:
                    ln.boxes = _compact(ln.boxes)
                pages.append((page.width, page.height, lines))
                page.close()
        except Exception as exc:  # pdfminer fails on damaged content streams mid-document
            raise InputError(path, f"damaged PDF ({type(exc).__name__}: {exc})") from None
        finally:
            pdf.close()
    if not pages:
        raise InputError(path, "PDF has no pages")
    if len(no_text) == len(pages):
        raise InputError(path, f"no text layer on any page ({len(pages)} pages): a scan needs OCR, which is not available yet")
    return _assemble(path, data, pages, no_text)


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


def _assemble(path: str, data: bytes, pages, no_text: list[int]) -> SourceText:
    margin = _margin_lines(pages)
    parts: list[str] = []
    boxes = CharBoxes()
    hints: dict[int, str] = {}
    pos = 0
    for pi, (width, height, lines) in enumerate(pages):
        body = [ln for li, ln in enumerate(lines) if (pi, li) not in margin and not _in_band_page_number(ln, height)]
        right = max((ln.x1 for ln in body), default=width)
        left = min((ln.x0 for ln in body), default=0)
        # tolerances in the body text's size: a big centered title is not a full body line
        sizes = sorted(ln.size for ln in body if not ln.table_row)
        body_size = sizes[len(sizes) // 2] if sizes else 10
        for li, ln in enumerate(lines):
            if ln.table_row:
                hints[pos] = "table_row"
            elif (pi, li) in margin:
                hints[pos] = "running_header"
            elif _in_band_page_number(ln, height):
                hints[pos] = "page_number"
            elif ln.x1 >= right - body_size * 2 and ln.x0 <= left + body_size * 3:
                # reaches the right edge from the left margin (or a first-line indent): a centered
                # title or masthead line that happens to be wide does not go on
                hints[pos] = "full"
            parts.append(ln.text)
            boxes.add_line(pi + 1, ln.boxes)
            pos += len(ln.text)
            parts.append("\n")
            boxes.add_none()
            pos += 1
    text = "".join(parts)
    warnings = [("no_text_layer", f"pages without a text layer (scans need OCR): {', '.join(map(str, no_text))}")] if no_text else []
    return SourceText(path=path, sha256=hashlib.sha256(data).hexdigest(), format="pdf", text=text,
                      page_count=len(pages), warnings=warnings, char_boxes=boxes, line_hints=hints)


def _in_band_page_number(ln: _VLine, height: float) -> bool:
    in_band = ln.top < height * MARGIN_BAND or ln.bottom > height * (1 - MARGIN_BAND)
    return in_band and bool(_PAGE_NUMBER.fullmatch(ln.text)) and any(ch.isdigit() for ch in ln.text)
