"""OCR page layout: an engine's lines (pixels) → the same visual lines as a PDF text layer (read/page.py).

Segments on one row (after taking the page's skew out) are read left to right, a wide gap between them
is a column gap (two spaces, as in a text table), two columns of running text are read column by
column, lines inside a ruled table (found from its rules on the image) become one line per row, cell by
cell, and each character gets a share of its segment's box.
"""

from __future__ import annotations

import bisect
import math
from typing import Any, NamedTuple

from .geometry import (
    COLUMN_EDGE_EM,
    COLUMN_EDGE_SHARE,
    GUTTER_MIN_EM,
    INK_HEIGHT_EM,
    LEVEL_SKEW_RAD,
    Box,
    char_width,
    column_gap,
    same_row,
)
from .ocr_engines import OcrLine
from .page import VLine


# the em from a segment's width needs this many characters (fewer: a box's padding weighs too much)
EM_FROM_CHARS = 4
# ruled tables on a scan: ink is what stands out of its 15-pixel neighbourhood (so grey paper and
# uneven light stay white); a rule is a stroke at least 1/25 of the page wide (1/50 high for a vertical
# one, at least 20 pixels), covering at least half of its table's width (height)
INK_WINDOW_PX, INK_OFFSET = 15, -2
RULE_PAGE_DIVISOR = (25, 50)
RULE_MIN_PX = 20
RULE_COVER = 0.5
# a table spans at least 30 % of the page's width and 2 % of its height, with 3 rules or more each way
TABLE_MIN_SHARE = (0.3, 0.02)
TABLE_MIN_RULES = 3
# two text columns need enough lines to judge (8 segments on the page; 4 a column of a median length of
# 8 characters: fewer or shorter are a table's cells), a gutter looked for in the middle half of the
# block, in 200 steps, that at most a tenth of the segments cross (titles across both columns)
COLUMNS_MIN_SEGMENTS = 8
COLUMN_MIN_LINES, COLUMN_MIN_CHARS = 4, 8
GUTTER_STEPS = 200
GUTTER_CROSSING_DIVISOR = 10


class Segment(NamedTuple):
    """One engine line, placed: its row level and height judged with the page's skew taken out, its box
    in pixels, its text (stripped), score and ink fixes (offsets in the stripped text)."""

    level: float
    height: float
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    score: float
    fixes: tuple[tuple[int, str], ...]

    @property
    def center(self) -> tuple[float, float]:
        """(x, y) of the box's middle, in pixels."""
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2


class TableGrid(NamedTuple):
    """A ruled table found on a page image: the y of its horizontal rules, the x of its vertical ones,
    and the 2×3 transform from image pixels into the (levelled) frame they were found in."""

    ys: list[float]
    xs: list[float]
    transform: Any  # numpy 2×3

    def levelled(self, seg: Segment) -> tuple[float, float]:
        """The segment's center in the frame the rules were found in."""
        m = self.transform
        cx, cy = seg.center
        return m[0][0] * cx + m[0][1] * cy + m[0][2], m[1][0] * cx + m[1][1] * cy + m[1][2]

    def holds(self, seg: Segment) -> bool:
        """Whether the segment's center lies inside the table's outer rules."""
        x, y = self.levelled(seg)
        return self.xs[0] < x < self.xs[-1] and self.ys[0] < y < self.ys[-1]

    def cell_of(self, seg: Segment) -> tuple[int, int]:
        """(row, column) of the cell the segment's center falls in, counted from 0."""
        x, y = self.levelled(seg)
        return bisect.bisect(self.ys, y) - 1, bisect.bisect(self.xs, x) - 1


def skew(lines: list[OcrLine]) -> float:
    """The page's text angle (radians), from the top edges of the wider lines: the median."""
    angles = []
    for ln in lines:
        (x0, y0), (x1, y1) = ln.quad[0], ln.quad[1]
        if x1 - x0 > 4 * abs(ln.quad[3][1] - ln.quad[0][1]):
            angles.append(math.atan2(y1 - y0, x1 - x0))
    angles.sort()
    return angles[len(angles) // 2] if angles else 0.0


def _em(row: list[Segment]) -> float:
    """The font size of a row, in pixels: a character's advance where the row has enough characters
    (ink boxes are tighter than the em), else the box height."""
    ems = sorted((s.x1 - s.x0) / sum(char_width(c) for c in s.text) for s in row if len(s.text) >= EM_FROM_CHARS)
    return ems[len(ems) // 2] if ems else max(s.height for s in row) / INK_HEIGHT_EM


def table_grids(image, angle: float = 0.0) -> list[TableGrid]:
    """Ruled tables on a page image: for each, the y of its horizontal rules, the x of its vertical
    rules, and the 2×3 transform from image pixels into the frame they were found in (long thin strokes
    kept by a morphological opening, on the image turned level by the page's skew `angle`)."""
    import cv2
    import numpy as np

    transform = cv2.getRotationMatrix2D((0, 0), math.degrees(angle), 1.0)
    if abs(angle) > LEVEL_SKEW_RAD:  # rules in a skewed scan break into short steps
        image = cv2.warpAffine(image, transform, (image.shape[1], image.shape[0]), borderValue=(255, 255, 255))
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    thresh = cv2.ADAPTIVE_THRESH_MEAN_C
    ink = cv2.adaptiveThreshold(255 - gray, 255, thresh, cv2.THRESH_BINARY, INK_WINDOW_PX, INK_OFFSET)
    h, w = ink.shape
    long_x = max(w // RULE_PAGE_DIVISOR[0], RULE_MIN_PX)
    long_y = max(h // RULE_PAGE_DIVISOR[1], RULE_MIN_PX)
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long_x, 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, long_y)))
    contours, _ = cv2.findContours(cv2.bitwise_or(horiz, vert), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)

    def rules(profile, length) -> list[float]:
        idx = np.where(profile > RULE_COVER * length * 255)[0]
        out: list[float] = []
        run: list[int] = []
        for i in idx:
            if run and i > run[-1] + 1:
                out.append(sum(run) / len(run))
                run = []
            run.append(int(i))
        if run:
            out.append(sum(run) / len(run))
        return out

    grids = []
    for c in contours:
        x, y, cw, ch = cv2.boundingRect(c)
        if cw < w * TABLE_MIN_SHARE[0] or ch < h * TABLE_MIN_SHARE[1]:
            continue
        ys = [y + v for v in rules(horiz[y : y + ch, x : x + cw].sum(axis=1), cw)]
        xs = [x + v for v in rules(vert[y : y + ch, x : x + cw].sum(axis=0), ch)]
        if len(ys) >= TABLE_MIN_RULES and len(xs) >= TABLE_MIN_RULES:
            grids.append(TableGrid(ys, xs, transform))
    return grids


def ocr_page_lines(lines: list[OcrLine], scale: float, grids: list[TableGrid] | None = None) -> list[VLine]:
    """Engine lines (pixels) → page lines in reading order, in page units (pixels / scale). Lines
    inside a ruled table (`grids`, from table_grids) become one line per row, cell by cell."""
    tan = math.tan(skew(lines))
    segs = [seg for seg in (_segment(ln, tan) for ln in lines) if seg is not None]
    table_lines = []
    for grid in grids or []:
        inside = [sg for sg in segs if grid.holds(sg)]
        if not inside:
            continue
        segs = [sg for sg in segs if sg not in inside]
        cells: dict[tuple[int, int], list[Segment]] = {}
        for sg in inside:
            cells.setdefault(grid.cell_of(sg), []).append(sg)
        for r in sorted({r for r, _ in cells}):
            in_row = [cells[(r, c)] for c in range(len(grid.xs) - 1) if (r, c) in cells]
            row = [sorted(cell, key=lambda sg: (sg.level, sg.x0)) for cell in in_row]
            table_lines.append(_table_row_line(row, scale))
    out = []
    for group, bounds in _column_groups(segs):
        out += _rows_to_lines(group, scale, bounds)
    if table_lines:
        out = sorted(out + table_lines, key=lambda ln: ln.top)
    return out


def _segment(ln: OcrLine, tan: float) -> Segment | None:
    """An engine line as a segment, its row level judged with the skew (`tan` of its angle) taken out."""
    text = ln.text.strip()
    if not text:
        return None
    lead = len(ln.text) - len(ln.text.lstrip())
    fixes = tuple((i - lead, meant) for i, meant in ln.fixes if 0 <= i - lead < len(text))
    x0, x1, top, bottom = ln.bounds
    level = (top + bottom) / 2 - (x0 + x1) / 2 * tan
    height = (bottom - top) - abs(x1 - x0) * abs(tan)
    return Segment(level, max(height, 1.0), x0, x1, top, bottom, text, ln.score, fixes)


def _spread(seg: Segment, text: list[str], boxes: list[Box], fixes: list[tuple[int, str]]) -> None:
    """Append a segment's characters, each with its share of the segment's box (CJK a full em, Latin
    and digits about half), and its fixes at their offsets in the line."""
    if seg.fixes:
        base = sum(map(len, text))
        fixes += [(base + i, meant) for i, meant in seg.fixes]
    total = sum(char_width(c) for c in seg.text)
    x = seg.x0
    for c in seg.text:
        w = (seg.x1 - seg.x0) * char_width(c) / total
        text.append(c)
        boxes.append((x, seg.top, x + w, seg.bottom))
        x += w


def _scaled(boxes: list[Box], scale: float) -> list[Box]:
    return [(b[0] / scale, b[1] / scale, b[2] / scale, b[3] / scale) for b in boxes]


def _table_row_line(cells: list[list[Segment]], scale: float) -> VLine:
    """One line for a table row: each cell's lines joined, cells two spaces apart."""
    text: list[str] = []
    boxes: list[Box] = []
    scores: list[float] = []
    fixes: list[tuple[int, str]] = []
    for cell in cells:
        if text:
            first = cell[0]
            text.append("  ")
            boxes += [(first.x0, first.top, first.x0, first.bottom)] * 2
        for seg in cell:
            _spread(seg, text, boxes, fixes)
            scores.append(seg.score)
    boxes = _scaled(boxes, scale)
    size = min(sg.height for cell in cells for sg in cell) / INK_HEIGHT_EM / scale
    return VLine(
        "".join(text),
        boxes,
        min(b[0] for b in boxes),
        max(b[2] for b in boxes),
        min(b[1] for b in boxes),
        max(b[3] for b in boxes),
        size,
        table_row=True,
        score=min(scores),
        fixes=fixes or None,
    )


def _column_groups(segs: list[Segment]) -> list[tuple[list[Segment], tuple[float, float] | None]]:
    """Segments in reading order groups: one group for a one-column page; for two columns of text, the
    left column then the right one, band by band between lines that span both (a title across the
    page). Each group comes with its column's (left, right) edges, None for the whole page."""
    if len(segs) < COLUMNS_MIN_SEGMENTS:
        return [(segs, None)]
    lo, hi = min(s.x0 for s in segs), max(s.x1 for s in segs)
    width = hi - lo
    em = sorted(s.height for s in segs)[len(segs) // 2]
    # the gutter: the place in the middle of the block that the fewest segments cross (a title
    # across both columns may); the widest such stretch, at least an em wide
    steps = [lo + width * (0.25 + 0.5 * k / GUTTER_STEPS) for k in range(GUTTER_STEPS + 1)]
    crossing = [sum(1 for s in segs if s.x0 < x < s.x1) for x in steps]
    least = min(crossing)
    if least > max(1, len(segs) // GUTTER_CROSSING_DIVISOR):
        return [(segs, None)]
    best = _widest_run(steps, crossing, least)
    if best is None or best[1] - best[0] < em * GUTTER_MIN_EM:
        return [(segs, None)]
    gutter = (best[0] + best[1]) / 2
    left = [s for s in segs if s.x1 <= gutter]
    right = [s for s in segs if s.x0 >= gutter]

    def text_column(side, edge, at_edge) -> bool:
        if len(side) < COLUMN_MIN_LINES or sorted(len(s.text) for s in side)[len(side) // 2] < COLUMN_MIN_CHARS:
            return False  # table cells, not lines of running text
        near = sum(1 for s in side if abs(at_edge(s) - edge) <= COLUMN_EDGE_EM * em)
        return near >= COLUMN_EDGE_SHARE * len(side)

    # two text columns: lines on the left end at one edge, lines on the right start at one edge
    if not (
        text_column(left, max(s.x1 for s in left), lambda s: s.x1)
        and text_column(right, min(s.x0 for s in right), lambda s: s.x0)
    ):
        return [(segs, None)]
    lb = (min(s.x0 for s in left), max(s.x1 for s in left))
    rb = (min(s.x0 for s in right), max(s.x1 for s in right))
    groups: list[tuple[list[Segment], tuple[float, float] | None]] = []
    band_l: list[Segment] = []
    band_r: list[Segment] = []
    for s in sorted(segs, key=lambda s: (s.level, s.x0)):
        if s.x1 <= gutter:
            band_l.append(s)
        elif s.x0 >= gutter:
            band_r.append(s)
        else:  # spans the gutter: the band above is done
            groups += [(g, b) for g, b in ((band_l, lb), (band_r, rb)) if g]
            band_l, band_r = [], []
            groups.append(([s], None))
    groups += [(g, b) for g, b in ((band_l, lb), (band_r, rb)) if g]
    return groups


def _widest_run(steps: list[float], counts: list[int], value: int) -> tuple[float, float] | None:
    """The widest stretch (first and last step) of consecutive steps whose count is `value`; the first
    of equally wide ones."""
    best = None
    k = 0
    while k < len(steps):
        if counts[k] != value:
            k += 1
            continue
        j = k
        while j + 1 < len(steps) and counts[j + 1] == value:
            j += 1
        if best is None or steps[j] - steps[k] > best[1] - best[0]:
            best = (steps[k], steps[j])
        k = j + 1
    return best


def _rows_to_lines(segs: list[Segment], scale: float, bounds: tuple[float, float] | None) -> list[VLine]:
    segs = sorted(segs, key=lambda s: (s.level, s.x0))
    rows: list[list[Segment]] = []
    for s in segs:
        if rows and same_row(s.level, rows[-1][0].level, min(s.height, rows[-1][0].height)):
            rows[-1].append(s)
        else:
            rows.append([s])
    out = []
    for row in rows:
        row.sort(key=lambda s: s.x0)
        text: list[str] = []
        boxes: list[Box] = []
        scores: list[float] = []
        fixes: list[tuple[int, str]] = []
        size = max(s.height for s in row)
        prev = None
        for seg in row:
            if prev is not None and column_gap(prev, seg.x0, size):
                text.append("  ")
                boxes += [(prev, seg.top, seg.x0, seg.bottom)] * 2
            _spread(seg, text, boxes, fixes)
            scores.append(seg.score)
            prev = seg.x1
        boxes = _scaled(boxes, scale)
        line = VLine(
            "".join(text),
            boxes,
            boxes[0][0],
            boxes[-1][2],
            min(b[1] for b in boxes),
            max(b[3] for b in boxes),
            _em(row) / scale,
            score=min(scores),
            fixes=fixes or None,
        )
        if bounds is not None:
            line.column = (bounds[0] / scale, bounds[1] / scale)
        out.append(line)
    return out
