"""A text-layer page's characters through pypdfium2, exactly as pdfplumber would give them.

pdfplumber (pdfminer) interprets every content stream in Python: nearly all of a text PDF's reading
time. pdfium gives the same characters and advances from C, hundreds of pages a second. What pdfium
does not give is pdfminer's vertical box: pdfminer puts a glyph's bottom at the baseline plus the font
descriptor's /Descent (0 when the descriptor says 0), pdfium at the font file's own descent. So the
fonts are loaded by pdfminer (its resource manager, without interpreting any content) for their
descents, and each character's box is built as pdfminer builds it, on the page as shown (/Rotate
applied, as pdfplumber does).

A page is handed back to pdfplumber (`page_chars` returns None, with the reason) when it has what
this path does not reproduce exactly: drawings that could make a ruled table (pdfplumber's table finder
needs them), text that is not upright in its own space, vertical or Type 3 fonts, glyphs without a
Unicode mapping (pdfminer's "(cid:N)"), a font pdfminer's resources do not name once, or a media box
not at the origin.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from typing import NamedTuple

from .inflate import InflateLimit

# a drawing that can only be a horizontal rule (a masthead's red line, an underline) cannot make a
# table cell, which needs vertical edges: pdfplumber drops edges shorter than its edge_min_length (3 pt)
RULE_MAX_HEIGHT = 3.0
RULE_MIN_ASPECT = 3.0  # and is at least this many times wider than high (a short dash may be vertical)
MAX_FORM_DEPTH = 8  # form XObjects nested deeper than this are not walked: the page goes to pdfplumber


@dataclass
class PdfiumPage:
    """What the reader needs of a page: its characters as pdfplumber's char dicts, whether it holds
    images, its size as shown and which way its text runs there (degrees clockwise)."""

    chars: list[dict]
    has_images: bool
    width: float
    height: float
    text_direction: int


class Unsupported(Exception):
    """The page holds something this path does not reproduce exactly: read it with pdfplumber."""


class PdfiumReader:
    """One open document, read page by page; pdfminer supplies only the fonts' descents."""

    def __init__(self, path: str, password: str | None):
        import pypdfium2
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfinterp import PDFResourceManager
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser

        self._doc = pypdfium2.PdfDocument(path, password=password)
        self._fh = open(path, "rb")
        parser = PDFParser(self._fh)
        self._miner = PDFDocument(parser, password=password or "")
        self._rsrc = PDFResourceManager(caching=True)
        self._miner_pages = PDFPage.create_pages(self._miner)

    def close(self) -> None:
        """Close the pdfium document and the file pdfminer reads."""
        self._doc.close()
        self._fh.close()

    def __len__(self) -> int:
        return len(self._doc)

    def next_page(self, index: int) -> PdfiumPage | str:
        """Page `index` (pages are taken in order), or the reason it needs pdfplumber: pdfplumber also
        reads a page where anything here fails, and reports a damaged one as such."""
        try:
            miner_page = next(self._miner_pages)
            page = self._doc[index]
        except Exception as exc:
            return f"not read by pypdfium2 and pdfminer ({type(exc).__name__})"
        try:
            return _read_page(page, miner_page, self._rsrc)
        except InflateLimit:
            raise
        except Unsupported as exc:
            return str(exc)
        except Exception as exc:
            return f"not read by pypdfium2 and pdfminer ({type(exc).__name__}: {exc})"
        finally:
            page.close()


def _read_page(page, miner_page, rsrc) -> PdfiumPage:
    x0, y0, x1, y1 = miner_page.mediabox
    if x0 != 0 or y0 != 0:
        raise Unsupported("media box not at the origin")
    rotate = miner_page.rotate % 360
    shown = _Shown(rotate, x1, y1)
    _check_inflated_sizes(miner_page)
    has_images, text_objects = _check_drawings(page)
    descents = _font_descents(miner_page.resources, rsrc)
    chars, seen = _chars(page, descents, shown)
    if text_objects - seen:
        raise Unsupported("a text object without characters in pdfium's text page (dropped as a repeat?)")
    return PdfiumPage(chars, has_images, shown.width, shown.height, shown.text_direction if chars else 0)


def _check_inflated_sizes(miner_page) -> None:
    """pdfium inflates a page's content streams with no cap: pdfminer (capped, see inflate.py) inflates
    them first, so a flate bomb stops there with the same error as on pdfplumber's path."""
    from pdfminer.pdftypes import dict_value, resolve1, stream_value
    from pdfminer.psparser import literal_name

    for stream in miner_page.contents:
        _inflate_a_copy(stream_value(stream))
    resources = dict_value(miner_page.resources) if miner_page.resources else {}
    todo, seen = [resources], set()
    while todo:
        res = todo.pop()
        for ref in dict_value(res.get("XObject", {})).values():
            key = getattr(ref, "objid", id(ref))
            xobj = resolve1(ref)
            attrs = getattr(xobj, "attrs", {})
            if key in seen or literal_name(attrs.get("Subtype", "")) != "Form":
                continue
            seen.add(key)
            _inflate_a_copy(xobj)
            if "Resources" in attrs:
                todo.append(dict_value(attrs["Resources"]))


def _inflate_a_copy(stream) -> None:
    """Inflate (capped) a copy: pdfminer keeps a stream it has inflated, and keeps the document's objects,
    so inflating its own would hold every page's content in memory."""
    from pdfminer.pdftypes import PDFStream

    if stream.rawdata is None:  # inflated already
        return
    copy = PDFStream(stream.attrs, stream.rawdata, stream.decipher)
    copy.objid, copy.genno = stream.objid, stream.genno
    copy.get_data()


class _Shown:
    """User space → the page as shown (pdfminer's rotation matrix for /Rotate, then y down)."""

    def __init__(self, rotate: int, x1: float, y1: float):
        if rotate not in (0, 90, 180, 270):
            raise Unsupported(f"/Rotate {rotate}")
        self.ctm = {
            0: (1, 0, 0, 1, 0, 0),
            90: (0, -1, 1, 0, 0, x1),
            180: (-1, 0, 0, -1, x1, y1),
            270: (0, 1, -1, 0, y1, 0),
        }[rotate]
        self.width, self.height = (y1, x1) if rotate in (90, 270) else (x1, y1)
        self.upright = rotate == 0
        # text upright in user space (the only kind read here) runs as the page is turned
        self.text_direction = rotate

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """A box in user space as pdfplumber gives it: x0, top, x1, bottom on the page as shown."""
        a, b, c, d, e, f = self.ctm
        xs = (a * left + c * bottom + e, a * right + c * top + e)
        ys = (b * left + d * bottom + f, b * right + d * top + f)
        return min(xs), self.height - max(ys), max(xs), self.height - min(ys)

    def matrix(self, m: tuple) -> tuple:
        a, b, c, d, e, f = m
        a1, b1, c1, d1, e1, f1 = self.ctm
        return (
            a * a1 + b * c1,
            a * b1 + b * d1,
            c * a1 + d * c1,
            c * b1 + d * d1,
            e * a1 + f * c1 + e1,
            e * b1 + f * d1 + f1,
        )


def _check_drawings(page) -> tuple[bool, set]:
    """Whether the page holds images, and its text objects; raises when a drawing could make a ruled
    table."""
    import pypdfium2.raw as raw

    found_image = False
    text_objects = set()
    for obj in page.get_objects(max_depth=MAX_FORM_DEPTH):
        kind = obj.type
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            text_objects.add(ctypes.cast(obj.raw, ctypes.c_void_p).value)
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            found_image = True
        elif kind in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_SHADING):
            left, bottom, right, top = obj.get_bounds()
            w, h = abs(right - left), abs(top - bottom)
            if page.get_rotation() in (90, 270):
                w, h = h, w
            if not (h < RULE_MAX_HEIGHT and w >= RULE_MIN_ASPECT * h):
                raise Unsupported("drawings that could make a ruled table")
    return found_image, text_objects


def _font_descents(resources, rsrc, depth: int = 0, out: dict | None = None) -> dict[str, float | None]:
    """BaseFont name → pdfminer's descent for every font of the page and its forms; None for a name
    that stands for fonts of different descents, or for a font pdfminer maps to no characters."""
    from pdfminer.pdffont import PDFCIDFont, PDFType3Font
    from pdfminer.pdftypes import dict_value, resolve1
    from pdfminer.psparser import literal_name

    out = {} if out is None else out
    resources = dict_value(resources) if resources else {}
    for ref in dict_value(resources.get("Font", {})).values():
        spec = dict_value(ref)
        objid = getattr(ref, "objid", None)
        font = rsrc.get_font(objid, spec)
        name = _without_subset_tag(literal_name(resolve1(spec.get("BaseFont", ""))))
        # a CID font without its own ToUnicode map is read through a character collection's table, where
        # pdfium and pdfminer disagree (· or ・) and so do their widths for a font not embedded
        unmapped = isinstance(font, PDFCIDFont) and "ToUnicode" not in spec
        if isinstance(font, PDFType3Font) or font.is_vertical() or unmapped:
            value = None
        else:
            value = font.get_descent()
        if name in out and out[name] != value:
            value = None
        out[name] = value
    if depth < MAX_FORM_DEPTH:
        for ref in dict_value(resources.get("XObject", {})).values():
            xobj = resolve1(ref)
            attrs = getattr(xobj, "attrs", {})
            if literal_name(attrs.get("Subtype", "")) == "Form" and "Resources" in attrs:
                _font_descents(resolve1(attrs["Resources"]), rsrc, depth + 1, out)
    return out


SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")  # ABCDEF+Name: a subset of Name (pdfium's name leaves the tag off)


def _without_subset_tag(name: str) -> str:
    return SUBSET_TAG.sub("", name)


def _font_name(font, cache: dict) -> str:
    import pypdfium2.raw as raw

    key = ctypes.cast(font, ctypes.c_void_p).value
    if key not in cache:
        size = raw.FPDFFont_GetBaseFontName(font, None, 0)
        buf = ctypes.create_string_buffer(size)
        raw.FPDFFont_GetBaseFontName(font, buf, size)
        cache[key] = _without_subset_tag(buf.value.decode("utf-8", "replace"))
    return cache[key]


NOT_A_CHARACTER = {0, 0xFFFD, 0xFFFE, 0xFFFF}


class _TextApi:
    """The pdfium text functions called once a character, as private function objects without
    argument types, called with the text page as one prepared pointer and plain integers: pypdfium2's
    own wrappers convert every argument on every call, which at a hundred thousand characters a
    document was most of the reading time."""

    def __init__(self):
        import pypdfium2_raw.bindings as bindings

        lib = bindings._libs["pdfium"]

        def proto(name: str, restype):
            fn = lib[name]  # indexing makes a new function object: pypdfium2's own keeps its types
            fn.restype, fn.argtypes = restype, None
            return fn

        self.is_generated = proto("FPDFText_IsGenerated", ctypes.c_int)
        self.map_error = proto("FPDFText_HasUnicodeMapError", ctypes.c_int)
        self.text_object = proto("FPDFText_GetTextObject", ctypes.c_void_p)
        self.origin = proto("FPDFText_GetCharOrigin", ctypes.c_int)
        self.loose_box = proto("FPDFText_GetLooseCharBox", ctypes.c_int)
        self.text = proto("FPDFText_GetText", ctypes.c_int)


_API: list[_TextApi] = []


def _api() -> _TextApi:
    if not _API:
        _API.append(_TextApi())
    return _API[0]


@dataclass
class _ObjectFacts:
    """What every character of one text object shares."""

    descent: float  # pdfminer's, in font size units
    size: float  # the font size on the page (the object's font size times its vertical scale)
    matrix: tuple  # (a, b, c, d) of the object's text matrix on the page as shown


def _chars(page, descents: dict, shown: _Shown) -> tuple[list[dict], set]:
    textpage = page.get_textpage()
    try:
        return _textpage_chars(textpage, descents, shown)
    finally:
        textpage.close()


def _textpage_chars(textpage, descents: dict, shown: _Shown) -> tuple[list[dict], set]:
    import pypdfium2.raw as raw

    api = _api()
    tp = ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
    count = textpage.count_chars()
    codes = _codes(api, tp, count)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    pox, poy = ctypes.byref(ox), ctypes.byref(oy)
    loose = raw.FS_RECTF()
    ploose = ctypes.byref(loose)
    origin, loose_box, text_object, map_error = api.origin, api.loose_box, api.text_object, api.map_error
    objects: dict[int, _ObjectFacts] = {}
    names: dict = {}
    out: list[dict] = []
    # the character read before (a _Prev, kept as plain names: one tuple a character costs time)
    px = py = padvance = 0.0
    pspace = pinserted = False
    pfacts: _ObjectFacts | None = None
    first = True
    for i in range(count):
        code = codes[i]
        if code in MAYBE_INSERTED and api.is_generated(tp, i):  # pdfium inserts only spaces and line ends
            origin(tp, i, pox, poy)
            x, y = ox.value, oy.value
            # a space pdfium inserts between text objects stands at the end of the character before
            # it, and stands for no dropped space
            between = not first and not pinserted and abs(x - px - padvance) < SAME_ORIGIN
            px, py, padvance, pspace, pinserted, first = x, y, 0.0, not between, True, False
            continue
        if code < 0x20 or code in NOT_A_CHARACTER or map_error(tp, i) or _right_to_left(code):
            raise Unsupported("glyphs without a plain Unicode mapping")
        obj = text_object(tp, i)
        facts = objects.get(obj)
        if facts is None:
            facts = objects[obj] = _shown_facts(_object_facts(raw, textpage, i, obj, descents, names), shown)
        # the loose box runs from the origin one advance along
        origin(tp, i, pox, poy)
        loose_box(tp, i, ploose)
        x, y, right = ox.value, oy.value, loose.right
        if not first and (pspace or abs(x - px) < SAME_ORIGIN or x < px):
            prev = _Prev(px, py, padvance, pspace, pinserted, pfacts)
            dropped = _dropped_spaces(prev, x, y, facts.size)
            if dropped:
                if pfacts is None:  # spaces before the page's first real character: in whose font?
                    raise Unsupported("dropped spaces before the first character")
                for sx in dropped:
                    out.append(_char(" ", sx, py, sx + padvance, pfacts, shown))
        px, py, padvance, pspace, pinserted, pfacts, first = x, y, right - x, code == 0x20, False, facts, False
        out.append(_char(chr(code), x, y, right, facts, shown))
    return out, set(objects)


MAYBE_INSERTED = {0x20, 0x0D, 0x0A}


class _Prev(NamedTuple):
    """The character read before, for what pdfium may have dropped after it."""

    x: float
    y: float
    advance: float
    space: bool  # a space, or an inserted one that may stand where a dropped one began
    inserted: bool
    facts: _ObjectFacts | None


def _char(text: str, left: float, baseline: float, right: float, facts: _ObjectFacts, shown: _Shown) -> dict:
    """pdfminer's box: from the baseline plus the descent up one font size, one advance wide. The
    matrix is the glyph's (a, b, c, d) on the page as shown: all the reader asks of it is which way
    the text runs."""
    size = facts.size
    bottom = baseline + facts.descent * size
    if shown.upright:
        top = shown.height - bottom - size
        return {
            "text": text,
            "x0": left,
            "x1": right,
            "top": top,
            "bottom": top + size,
            "width": right - left,
            "height": size,
            "size": size,
            "matrix": facts.matrix,
        }
    x0, top, x1, bot = shown.box(left, bottom, right, bottom + size)
    return {
        "text": text,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bot,
        "width": x1 - x0,
        "height": bot - top,
        "size": bot - top,
        "matrix": facts.matrix,
    }


def _codes(api: _TextApi, tp: ctypes.c_void_p, count: int) -> list[int]:
    """Every character's code point in one call: the text page's UTF-16 has one unit a character
    (a character beyond the BMP comes as a surrogate pair; such a page is read one by one)."""
    import pypdfium2.raw as raw

    buf = (ctypes.c_uint16 * (count + 1))()
    api.text(tp, 0, count, buf)
    units = list(buf[:count])
    if any(0xD800 <= u <= 0xDFFF for u in units):
        page = ctypes.cast(tp, raw.FPDF_TEXTPAGE)
        return [raw.FPDFText_GetUnicode(page, i) for i in range(count)]
    return units


def _object_facts(raw, textpage, index: int, obj: int, descents: dict, names: dict) -> _ObjectFacts:
    m = raw.FS_MATRIX()
    raw.FPDFText_GetMatrix(textpage, index, m)
    if m.b != 0 or m.c != 0 or m.a <= 0 or m.d <= 0:
        raise Unsupported("text not upright in its own space")
    name = _font_name(raw.FPDFTextObj_GetFont(ctypes.cast(obj, raw.FPDF_PAGEOBJECT)), names)
    descent = descents.get(name)
    if descent is None:
        raise Unsupported(f"font {name!r}: not one font in the page's resources, or not mapped to text")
    return _ObjectFacts(descent, raw.FPDFText_GetFontSize(textpage, index) * m.d, (m.a, m.b, m.c, m.d))


def _shown_facts(facts: _ObjectFacts, shown: _Shown) -> _ObjectFacts:
    facts.matrix = shown.matrix((*facts.matrix, 0, 0))[:4]
    return facts


# pdfium's text page is a reading aid, not a glyph list: within a line it keeps one space of a run of
# spaces (its own inserted ones count), drops a glyph drawn again at almost the same place, drops a
# text object it measures as zero wide, and splits ligatures and ActualText into pieces at one
# origin. The spaces a run lost are put back where the next character's origin shows them (a whole
# number of the kept space's advances); anything else that shows such a trace sends the page to
# pdfplumber.
SAME_ORIGIN = 0.01  # pt: two characters closer than this stand at one origin
SAME_LINE = 0.5  # of the font size: a baseline shift below this is the same line
WHOLE_SPACES = 0.25  # how far from a whole number of space advances a gap may be to count its spaces


def _dropped_spaces(prev: _Prev, x: float, y: float, size: float) -> list[float]:
    """Origins of the spaces pdfium dropped between the character before and this one."""
    if not prev.inserted and abs(x - prev.x) < SAME_ORIGIN and abs(y - prev.y) < SAME_ORIGIN:
        raise Unsupported("characters at one origin (a ligature or ActualText split into pieces)")
    if abs(y - prev.y) >= SAME_LINE * size:
        return []
    if x < prev.x - SAME_ORIGIN:  # the gaps below are read left to right, as pdfium reads upright pages
        raise Unsupported("a line read right to left (a page turned upside down?)")
    if not prev.space:
        return []
    if prev.inserted:
        # a space inserted for a kerning gap inside a text object stands at the next glyph's origin:
        # when that glyph is not the next character read, it was a space, dropped
        if x - prev.x > SAME_ORIGIN:
            raise Unsupported("a space dropped after an inserted one")
        return []
    if prev.advance <= 0:
        raise Unsupported("a space without an advance")
    steps = (x - prev.x) / prev.advance
    count = round(steps) - 1
    if count < 1:
        return []
    if abs(steps - round(steps)) > WHOLE_SPACES:
        raise Unsupported("a gap after a space that is not whole spaces")
    step = (x - prev.x) / (count + 1)
    return [prev.x + step * (k + 1) for k in range(count)]


def _right_to_left(code: int) -> bool:
    """Hebrew, Arabic and their presentation forms: pdfium reorders and mirrors them."""
    return 0x0590 <= code <= 0x08FF or 0xFB1D <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF
