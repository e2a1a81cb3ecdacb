"""OCR of one page image: seals out, turned upright, read by the engine, ink checked, laid out as page lines.

The engines are in ocr_engines.py, the layout of their lines in ocr_layout.py; the confusions OCR makes
in text (a letter for a digit, half-width punctuation, look-alike characters) are repaired after
reading, in extract/ocr_confusions.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from .ink import ink_mask, mark_dashes, recover_line_ends
from .ocr_layout import ocr_page_lines, skew, table_grids
from .orient import upright
from .page import VLine
from .seal import remove_seals

DEFAULT_DPI = 300


@dataclass
class OcrPage:
    """A page image as read: its lines in page units, how far it was turned before reading, and the size of
    the page read."""

    lines: list[VLine]
    turned: int  # degrees the page image was turned clockwise before reading (0, 90, 180, 270)
    width: float  # the page read, in page units: turned sideways, width and height swap
    height: float


def read_page_image(engine, image, scale: float) -> OcrPage:
    """One page image (BGR pixels) read by `engine`: page lines in page units (pixels / scale), tables
    found on the image turned level by the page's skew. Red seals over the text are taken out first; a
    page scanned sideways or upside down is turned upright (its boxes are then on the turned page); the
    ink past each line's ends and under a 一一 is looked at again (read/ink.py)."""
    image, _ = remove_seals(image)
    degrees, image, found = upright(engine, image, engine.recognize(image))
    ink = ink_mask(image)
    found = mark_dashes(recover_line_ends(image, found, engine.read_line, ink), ink)
    return OcrPage(
        ocr_page_lines(found, scale, table_grids(image, skew(found))),
        degrees,
        image.shape[1] / scale,
        image.shape[0] / scale,
    )
