"""OCR page layout: an engine's lines (pixels) → the same visual lines as a PDF text layer (read/page.py).

Segments on one row (after taking the page's skew out) are read left to right, a wide gap between them
is a column gap (two spaces, as in a text table), two columns of running text are read column by
column, lines inside a ruled table (found from its rules on the image) become one line per row, cell by
cell, and each character gets a share of its segment's box.
"""

from __future__ import annotations

import bisect
import math

from .ocr_engines import OcrLine
from .page import VLine


def char_width(ch: str) -> float:
    """A character's width in em, as the layout shares a segment's box out: CJK a full em, the rest about half."""
    return 0.55 if ord(ch) < 0x2E80 else 1.0


def skew(lines: list[OcrLine]) -> float:
    """The page's text angle (radians), from the top edges of the wider lines: the median."""
    angles = []
    for ln in lines:
        (x0, y0), (x1, y1) = ln.quad[0], ln.quad[1]
        if x1 - x0 > 4 * abs(ln.quad[3][1] - ln.quad[0][1]):
            angles.append(math.atan2(y1 - y0, x1 - x0))
    angles.sort()
    return angles[len(angles) // 2] if angles else 0.0


def _em(row) -> float:
    """The font size of a row, in pixels: a character's advance where the row has enough characters
    (ink boxes are tighter than the em), else the box height."""
    ems = sorted((s[3] - s[2]) / sum(char_width(c) for c in s[6]) for s in row if len(s[6]) >= 4)
    return ems[len(ems) // 2] if ems else max(s[1] for s in row) / 0.9


def table_grids(image, angle: float = 0.0) -> list[tuple[list[float], list[float], object]]:
    """Ruled tables on a page image: for each, the y of its horizontal rules, the x of its vertical
    rules, and the 2×3 transform from image pixels into the frame they were found in (long thin strokes
    kept by a morphological opening, on the image turned level by the page's skew `angle`)."""
    import cv2
    import numpy as np

    transform = cv2.getRotationMatrix2D((0, 0), math.degrees(angle), 1.0)
    if abs(angle) > 0.003:  # about 0.2°: rules in a skewed scan break into short steps
        image = cv2.warpAffine(image, transform, (image.shape[1], image.shape[0]), borderValue=(255, 255, 255))
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    ink = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -2)
    h, w = ink.shape
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(w // 25, 20), 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(h // 50, 20))))
    contours, _ = cv2.findContours(cv2.bitwise_or(horiz, vert), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)

    def rules(profile, length) -> list[float]:
        idx = np.where(profile > 0.5 * length * 255)[0]
        out, run = [], []
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
        if cw < w * 0.3 or ch < h * 0.02:
            continue
        ys = [y + v for v in rules(horiz[y : y + ch, x : x + cw].sum(axis=1), cw)]
        xs = [x + v for v in rules(vert[y : y + ch, x : x + cw].sum(axis=0), ch)]
        if len(ys) >= 3 and len(xs) >= 3:
            grids.append((ys, xs, transform))
    return grids


def ocr_page_lines(lines: list[OcrLine], scale: float, grids: list | None = None) -> list[VLine]:
    """Engine lines (pixels) → page lines in reading order, in page units (pixels / scale). Lines
    inside a ruled table (`grids`, from table_grids) become one line per row, cell by cell."""
    angle = skew(lines)
    tan = math.tan(angle)
    segs = []
    for ln in lines:
        text = ln.text.strip()
        if not text:
            continue
        lead = len(ln.text) - len(ln.text.lstrip())
        fixes = tuple((i - lead, meant) for i, meant in ln.fixes if 0 <= i - lead < len(text))
        x0, x1, top, bottom = ln.bounds
        cx = (x0 + x1) / 2
        # the row a segment belongs to is judged with the skew taken out
        level = (top + bottom) / 2 - cx * tan
        height = (bottom - top) - abs(x1 - x0) * abs(tan)
        segs.append((level, max(height, 1.0), x0, x1, top, bottom, text, ln.score, fixes))
    table_lines = []
    for ys, xs, m in grids or []:

        def level(sg, m=m):  # a segment's center in the frame the rules were found in
            cx, cy = (sg[2] + sg[3]) / 2, (sg[4] + sg[5]) / 2
            return m[0][0] * cx + m[0][1] * cy + m[0][2], m[1][0] * cx + m[1][1] * cy + m[1][2]

        inside = [sg for sg in segs if xs[0] < level(sg)[0] < xs[-1] and ys[0] < level(sg)[1] < ys[-1]]
        if not inside:
            continue
        segs = [sg for sg in segs if sg not in inside]
        cells: dict[tuple[int, int], list] = {}
        for sg in inside:
            x, y = level(sg)
            cells.setdefault((bisect.bisect(ys, y) - 1, bisect.bisect(xs, x) - 1), []).append(sg)
        for r in sorted({r for r, _ in cells}):
            row = [sorted(cells[(r, c)], key=lambda sg: (sg[0], sg[2])) for c in range(len(xs) - 1) if (r, c) in cells]
            table_lines.append(_table_row_line(row, scale))
    out = []
    for group, bounds in _column_groups(segs):
        out += _rows_to_lines(group, scale, bounds)
    if table_lines:
        out = sorted(out + table_lines, key=lambda ln: ln.top)
    return out


def _spread(seg: tuple, text: list, boxes: list, fixes: list) -> None:
    """Append a segment's characters, each with its share of the segment's box (CJK a full em, Latin
    and digits about half), and its fixes at their offsets in the line."""
    _, _, x0, x1, top, bottom, t, _, seg_fixes = seg
    if seg_fixes:
        base = sum(map(len, text))
        fixes += [(base + i, meant) for i, meant in seg_fixes]
    total = sum(char_width(c) for c in t)
    x = x0
    for c in t:
        w = (x1 - x0) * char_width(c) / total
        text.append(c)
        boxes.append((x, top, x + w, bottom))
        x += w


def _table_row_line(cells: list[list[tuple]], scale: float) -> VLine:
    """One line for a table row: each cell's lines joined, cells two spaces apart."""
    text, boxes, scores, fixes = [], [], [], []
    for cell in cells:
        if text:
            first = cell[0]
            text.append("  ")
            boxes += [(first[2], first[4], first[2], first[5])] * 2
        for seg in cell:
            _spread(seg, text, boxes, fixes)
            scores.append(seg[7])
    boxes = [tuple(v / scale for v in b) for b in boxes]
    size = sorted(sg[1] for cell in cells for sg in cell)[0] / 0.9 / scale
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


def _column_groups(segs: list[tuple]) -> list[tuple[list, tuple | None]]:
    """Segments in reading order groups: one group for a one-column page; for two columns of text, the
    left column then the right one, band by band between lines that span both (a title across the
    page). Each group comes with its column's (left, right) edges, None for the whole page."""
    if len(segs) < 8:
        return [(segs, None)]
    lo, hi = min(s[2] for s in segs), max(s[3] for s in segs)
    width = hi - lo
    em = sorted(s[1] for s in segs)[len(segs) // 2]
    # the gutter: the place in the middle of the block that the fewest segments cross (a title
    # across both columns may); the widest such stretch, at least an em wide
    steps = [lo + width * (0.25 + 0.5 * k / 200) for k in range(201)]
    crossing = [sum(1 for s in segs if s[2] < x < s[3]) for x in steps]
    least = min(crossing)
    if least > max(1, len(segs) // 10):
        return [(segs, None)]
    best, run = None, None
    for x, n in zip(steps + [None], crossing + [None]):
        if n == least:
            run = (run[0], x) if run else (x, x)
            continue
        if run and (best is None or run[1] - run[0] > best[1] - best[0]):
            best = run
        run = None
    if best is None or best[1] - best[0] < em * 0.75:
        return [(segs, None)]
    gutter = (best[0] + best[1]) / 2
    left = [s for s in segs if s[3] <= gutter]
    right = [s for s in segs if s[2] >= gutter]

    def text_column(side, edge, at_edge) -> bool:
        if len(side) < 4 or sorted(len(s[6]) for s in side)[len(side) // 2] < 8:
            return False  # table cells, not lines of running text
        return sum(1 for s in side if abs(at_edge(s) - edge) <= 1.5 * em) >= 0.6 * len(side)

    # two text columns: lines on the left end at one edge, lines on the right start at one edge
    if not (
        text_column(left, max(s[3] for s in left), lambda s: s[3])
        and text_column(right, min(s[2] for s in right), lambda s: s[2])
    ):
        return [(segs, None)]
    lb = (min(s[2] for s in left), max(s[3] for s in left))
    rb = (min(s[2] for s in right), max(s[3] for s in right))
    groups: list[tuple[list, tuple | None]] = []
    band_l, band_r = [], []
    for s in sorted(segs, key=lambda s: (s[0], s[2])):
        if s[3] <= gutter:
            band_l.append(s)
        elif s[2] >= gutter:
            band_r.append(s)
        else:  # spans the gutter: the band above is done
            groups += [(g, b) for g, b in ((band_l, lb), (band_r, rb)) if g]
            band_l, band_r = [], []
            groups.append(([s], None))
    groups += [(g, b) for g, b in ((band_l, lb), (band_r, rb)) if g]
    return groups


def _rows_to_lines(segs: list[tuple], scale: float, bounds: tuple | None) -> list[VLine]:
    segs = sorted(segs, key=lambda s: (s[0], s[2]))
    rows: list[list] = []
    for s in segs:
        if rows and abs(s[0] - rows[-1][0][0]) <= min(s[1], rows[-1][0][1]) * 0.5:
            rows[-1].append(s)
        else:
            rows.append([s])
    out = []
    for row in rows:
        row.sort(key=lambda s: s[2])
        text, boxes, scores, fixes = [], [], [], []
        size = max(s[1] for s in row)
        prev = None
        for seg in row:
            x0, x1, top, bottom = seg[2:6]
            if prev is not None and x0 - prev > size * 1.5:
                text.append("  ")  # a column gap
                boxes += [(prev, top, x0, bottom)] * 2
            _spread(seg, text, boxes, fixes)
            scores.append(seg[7])
            prev = x1
        boxes = [tuple(v / scale for v in b) for b in boxes]
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
