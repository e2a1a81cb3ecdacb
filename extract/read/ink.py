"""A second look at the ink just past the ends of what the OCR engine read.

The engine's detector can leave a small mark at a line's end outside the line's box: a closing quote
at the right margin, an opening one at the left. Ink just past a box that belongs to no other line is
read again together with the line's last (or first) characters; what the engine then reads beyond the
old end is added when it is punctuation (a character is never guessed from a mark).
"""

from __future__ import annotations

import unicodedata

from .ocr_engines import OcrLine
from .geometry import char_width

REACH = 0.9  # how far past a line's end to look for ink, in line heights
CONTEXT_CHARS = 3  # characters of the line read again with the ink beyond its end


def ink_mask(image):
    """Dark pixels of a BGR page image, specks removed (a 3×3 median)."""
    import cv2

    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return cv2.medianBlur(gray, 3) < 128


def _is_punctuation(s: str) -> bool:
    return bool(s) and all(unicodedata.category(c).startswith("P") for c in s)


def recover_line_ends(image, lines: list[OcrLine], read_line, ink=None) -> list[OcrLine]:
    """`lines` with punctuation the detector left outside a line's box read back in. `read_line(crop)`
    reads one line image and gives (text, score)."""
    if ink is None:
        ink = ink_mask(image)
    h_img, w_img = ink.shape
    boxes = [ln.bounds for ln in lines]
    out = []
    for k, ln in enumerate(lines):
        x0, x1, top, bottom = boxes[k]
        height = bottom - top
        if len(ln.text) < 2 or height < 8 or x1 - x0 < 2 * height:
            out.append(ln)
            continue
        for side in (1, -1):
            edge = x1 if side == 1 else x0
            lo, hi = (edge, edge + REACH * height) if side == 1 else (edge - REACH * height, edge)
            lo, hi = max(0, int(lo)), min(w_img, int(hi))
            y0, y1 = max(0, int(top + 0.1 * height)), min(h_img, int(bottom - 0.1 * height))
            if hi - lo < 2 or y1 <= y0 or _overlaps_other(boxes, k, lo, hi, y0, y1):
                continue
            cols = list(ink[y0:y1, lo:hi].any(axis=0))
            outward = cols if side == 1 else cols[::-1]
            # ink touching the box is the line's own last glyph reaching past it: look beyond a gap
            gap = outward.index(False) if False in outward else len(outward)
            beyond = [i for i in range(gap, len(outward)) if outward[i]]
            if len(beyond) < max(2, height * 0.06):
                continue
            far = lo + beyond[-1] if side == 1 else hi - 1 - beyond[-1]
            pad = int(0.15 * height)
            keep = CONTEXT_CHARS * height
            cx0 = int(x1 - keep) if side == 1 else max(0, far - pad)
            cx1 = min(w_img, far + pad) if side == 1 else int(x0 + keep)
            crop = image[max(0, int(top)) : min(h_img, int(bottom) + 1), max(0, cx0) : cx1]
            text, score = read_line(crop)
            ln = _extend(ln, text, score, side, far)
        out.append(ln)
    return out


def _overlaps_other(boxes, k: int, lo: int, hi: int, y0: int, y1: int) -> bool:
    """Whether another line's box comes near the strip: a neighbour's ink reaches a little past its box."""
    near = 0.5 * (y1 - y0)
    return any(
        j != k and b[0] - near < hi and b[1] + near > lo and b[2] < y1 and b[3] > y0 for j, b in enumerate(boxes)
    )


def _extend(ln: OcrLine, text: str, score: float, side: int, far: float) -> OcrLine:
    """The line with what the second reading has beyond its end, when the second reading agrees with
    the line's own characters at that end and what lies beyond is punctuation."""
    text = text.strip()
    for n in range(min(CONTEXT_CHARS, len(ln.text)), 0, -1):
        if side == 1:
            tail = ln.text[-n:]
            at = text.rfind(tail)
            extra = text[at + n :] if at >= 0 else ""
        else:
            head = ln.text[:n]
            at = text.find(head)
            extra = text[:at] if at >= 0 else ""
        if at >= 0:
            break
    else:
        return ln
    if not _is_punctuation(extra):
        return ln
    quad = [list(p) for p in ln.quad]
    for i in (1, 2) if side == 1 else (0, 3):
        quad[i][0] = float(far)
    new_text = ln.text + extra if side == 1 else extra + ln.text
    corners = tuple((p[0], p[1]) for p in quad)
    return OcrLine(corners, new_text, min(ln.score, score))


# GB/T 15834 sets the dash (破折号 ——) as one unbroken line two characters long; a font draws it as
# two glyphs that touch or nearly touch. Two 一 keep their side bearings between them. Measured at
# 300 dpi: WenQuanYi's —— leaves 0.08 em, its 一一 0.16 em.
DASH_MAX_GAP = 0.12  # ems between the two strokes of a dash
DASH_MIN_STROKE = 0.8  # ems: each stroke spans about a character
DASH_SAME_HEIGHT = 0.05  # ems between the two strokes' heights: one level line, not a 二-like pair


def mark_dashes(lines: list[OcrLine], ink) -> list[OcrLine]:
    """Each line with 一一 read where the page shows a dash (two level strokes, each about an em long,
    all but touching) gets fixes marking the two characters as ——."""
    out = []
    for ln in lines:
        at = ln.text.find("一一")
        if at < 0:
            out.append(ln)
            continue
        x0, x1, _, _ = ln.bounds
        total = sum(char_width(c) for c in ln.text)
        em = (x1 - x0) / total
        dashes = _dash_spans(_stroke_runs(ln, ink), em)
        fixes = []
        while at >= 0:
            start = x0 + em * sum(char_width(c) for c in ln.text[:at])
            if any(min(b, start + 2 * em) - max(a, start) > em for a, b in dashes):
                fixes += [(at, "—"), (at + 1, "—")]
                at = ln.text.find("一一", at + 2)
            else:
                at = ln.text.find("一一", at + 1)
        out.append(OcrLine(ln.quad, ln.text, ln.score, ln.fixes + tuple(fixes)) if fixes else ln)
    return out


def _dash_spans(runs: list[tuple[float, float, float]], em: float) -> list[tuple[float, float]]:
    """(start, end) of dashes among level strokes: two strokes of about an em each, all but touching
    and at the same height, or one stroke of about two ems."""
    spans = [(a, b) for a, b, _ in runs if b - a >= 2 * DASH_MIN_STROKE * em]
    for (a0, b0, y0), (a1, b1, y1) in zip(runs, runs[1:]):
        strokes = min(b0 - a0, b1 - a1) >= DASH_MIN_STROKE * em
        if strokes and a1 - b0 <= DASH_MAX_GAP * em and abs(y0 - y1) <= DASH_SAME_HEIGHT * em:
            spans.append((a0, b1))
    return spans


def _stroke_runs(ln: OcrLine, ink) -> list[tuple[float, float, float]]:
    """Level strokes in the line's box: (x start, x end, y). A column belongs to a stroke when all its
    ink lies in one thin band."""
    import numpy as np

    x0, x1, top, bottom = ln.bounds
    bx, by = max(0, int(x0)), max(0, int(top))
    box = ink[by : min(ink.shape[0], int(bottom) + 1), bx : min(ink.shape[1], int(x1) + 1)]
    if box.size == 0:
        return []
    thick = max(3.0, 0.12 * (bottom - top))
    has = box.any(axis=0)
    first = np.where(has, box.argmax(axis=0), 0)
    last = np.where(has, box.shape[0] - 1 - box[::-1].argmax(axis=0), 0)
    thin = has & (last - first + 1 <= thick)
    runs: list[tuple[float, float, float]] = []
    start = None
    for i, t in enumerate(list(thin) + [False]):
        if t and start is None:
            start = i
        elif not t and start is not None:
            if i - start >= 3:
                runs.append((bx + start, bx + i, by + float(np.median(first[start:i]))))
            start = None
    return runs
