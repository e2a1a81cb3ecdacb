"""Pages scanned sideways or upside down: how far to turn a page image so that its text stands upright.

Sideways: most text boxes the engine found stand tall (a bulletin's lines run across the page). Upside
down: the engine's own judgement of its widest lines (RapidOCR's direction classifier; for tesseract,
which way round a line reads with the better score, asked only when the page did not read as words).
Only a page found turned is read again.
"""

from __future__ import annotations

SAMPLE_LINES = 6  # the widest lines asked about upside down
MIN_LINES = 3  # fewer text lines than this: too little to judge, the page is left as it is
# a page stands sideways when most (60 %) of its lines of 3 characters or more stand over 1.5 times as
# tall as wide: a bulletin's lines run across the page
TALL = 1.5
TALL_SHARE = 0.6
IN_WORDS_SHARE = 0.5  # a page read the right way round has at least half its Han characters in words


def _size(ln) -> tuple[float, float]:
    x0, x1, top, bottom = ln.bounds
    return x1 - x0, bottom - top


def stands_sideways(lines) -> bool:
    """Whether the page's text stands sideways: of its lines of 3 characters or more (MIN_LINES at least),
    more than 60% stand over 1.5 times as tall as wide."""
    sized = [_size(ln) for ln in lines if len(ln.text.strip()) >= 3]
    return len(sized) >= MIN_LINES and sum(1 for w, h in sized if h > TALL * w) > TALL_SHARE * len(sized)


def reads_as_words(lines) -> bool:
    """Whether most of the page's Han characters stand in words of jieba's dictionary: an engine that
    reads a page the wrong way round gives scattered characters."""
    from ..segment import configured_jieba

    jieba = configured_jieba()
    han = in_words = 0
    for ln in lines:
        for w in jieba.lcut(ln.text, HMM=False):
            n = sum(1 for c in w if "\u4e00" <= c <= "\u9fff")
            han += n
            in_words += n if len(w) > 1 else 0
    return han > 0 and in_words >= IN_WORDS_SHARE * han


def upside_down(engine, image, lines) -> bool:
    """Whether the engine finds most of the page's widest lines (up to SAMPLE_LINES, of 4 characters or more)
    upside down; never with fewer than MIN_LINES, nor, for an engine costly to ask, on a page that reads as words."""
    if engine.upside_down_is_costly and reads_as_words(lines):
        return False
    wide = sorted((ln for ln in lines if len(ln.text.strip()) >= 4), key=lambda ln: -_size(ln)[0])[:SAMPLE_LINES]
    if len(wide) < MIN_LINES:
        return False
    crops = []
    for ln in wide:
        x0, x1, top, bottom = (int(v) for v in ln.bounds)
        crops.append(image[max(0, top) : bottom + 1, max(0, x0) : x1 + 1])
    votes = engine.upside_down(crops)
    return sum(votes) > len(votes) / 2


def turn(image, degrees: int):
    """The image turned clockwise by 90, 180 or 270 degrees."""
    import cv2

    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(image, codes[degrees]) if degrees else image


def upright(engine, image, lines):
    """(degrees turned clockwise, image, lines) with the page's text upright; the engine's lines of
    the page as given come in, and are read again only when the page is turned."""
    degrees = 0
    if stands_sideways(lines):
        degrees = 90
        image = turn(image, 90)
        lines = engine.recognize(image)
    if upside_down(engine, image, lines):
        degrees = (degrees + 180) % 360
        image = turn(image, 180)
        lines = engine.recognize(image)
    return degrees, image, lines
