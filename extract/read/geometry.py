"""Layout tolerances: every rule that judges where text stands on a page, named once with its reason.

The PDF reader (pdf.py), the OCR layout (ocr_layout.py), the page model (page.py) and the item boxes
(assemble.py) all judge rows, column gaps and margins with these. Lengths are in em (the font size of
the text judged, so one rule serves a 10 pt text layer and a 300 dpi scan alike) unless the name says
`_SHARE` (a share of the page, or of a count) or `_PT`.
"""

from __future__ import annotations

# a character's box on its page: (x0, top, x1, bottom), top-left origin, in the page's unit (pt or
# px); a plain tuple, not a record: a page has thousands
Box = tuple[float, float, float, float]


# two pieces whose tops differ by at most half an em stand on one row: a skewed scan or a raised
# footnote mark stays in its row, the next line (an em and its leading below) does not
SAME_ROW_EM = 0.5
# a gap of more than 1.5 em between two pieces of one row is a column gap (written as two spaces, as in
# a text table): word spaces and a justified line's spread stay under it
COLUMN_GAP_EM = 1.5
# a letter-spaced line (示  范  培  训, a short line justified to the full width) has every gap wider
# than half an em, all within a fifth of an em of each other: even, unlike a table's columns
LETTER_SPACED_MIN_GAP_EM = 0.5
LETTER_SPACED_EVEN_EM = 0.2
# the size taken where none is known: a character without one (a broken font), a page without body
# lines, and a ruled table's row (whose cells' sizes vary)
DEFAULT_SIZE_PT = 10

# running headers, footers and page numbers live in the top and bottom 12 % of a page
MARGIN_BAND_SHARE = 0.12
# a running header repeats at the same height within 2 % of the page (a scan is skewed differently on
# every page), with text at least this alike (OCR may misread a character of it)
SAME_HEIGHT_SHARE = 0.02
ALIKE_TEXT_SHARE = 0.8
# ... on at least 2 pages; a text under 4 characters must repeat exactly (one misread character of 3 is
# another text)
HEADER_MIN_PAGES = 2
ALIKE_MIN_CHARS = 4
# the text block's right edge is where at least 3 lines end (justified lines end exactly there)
COMMON_RIGHT_MIN_LINES = 3
# a ruled table has 2 rows or more, and a row text in 2 cells or more (one: a frame around a paragraph)
TABLE_MIN_ROWS = 2
ROW_MIN_CELLS = 2

# a line that starts within 3 em of the left margin (a first-line indent is 2 em) and ends within 2 em
# of the text block's right edge is a full line: its paragraph goes on in the next line
FULL_LINE_START_EM = 3
FULL_LINE_END_EM = 2
# a line starts at the margin when within half an em of it
AT_MARGIN_EM = 0.5
# a line in at least 90 % of the body text's size is body text (a footnote or a caption is smaller)
BODY_SIZE_SHARE = 0.9
# the next line's first word (at least 1.5 em wide) would not have fitted after a short line when it
# would have run more than a tenth of an em past the right edge: the line breaker moved it
WRAPPED_WORD_MIN_EM = 1.5
WRAPPED_WORD_SLACK_EM = 0.1

# two table rows have the same columns when each cell's edges are within 3 pt (rules drawn twice
# over, or a page's table re-drawn on the next page)
SAME_COLUMN_EDGE_PT = 3

# OCR: a segment's box is shared out among its characters by width: CJK a full em, the rest about half
CJK_WIDTH_EM = 1.0
NARROW_WIDTH_EM = 0.55
# OCR: an engine's box fits the ink, about nine tenths of the em
INK_HEIGHT_EM = 0.9
# OCR: two text columns have a gutter at least three quarters of an em wide, and most (60 %) of each
# column's lines end (left column) or start (right column) within 1.5 em of one edge
GUTTER_MIN_EM = 0.75
COLUMN_EDGE_EM = 1.5
COLUMN_EDGE_SHARE = 0.6
# OCR: a skew under about 0.2° (radians) leaves table rules straight enough to find without levelling
LEVEL_SKEW_RAD = 0.003


def same_row(top: float, row_top: float, em: float) -> bool:
    """`top` stands on the row that starts at `row_top` (text of size `em`)."""
    return abs(top - row_top) <= em * SAME_ROW_EM


def column_gap(left_end: float, right_start: float, em: float) -> bool:
    """The gap between two pieces of one row is wide enough to be a column gap."""
    return right_start - left_end > em * COLUMN_GAP_EM


def char_width(ch: str) -> float:
    """A character's width in em, as OCR's segment boxes are shared out: CJK a full em, the rest about half."""
    return NARROW_WIDTH_EM if ord(ch) < 0x2E80 else CJK_WIDTH_EM
