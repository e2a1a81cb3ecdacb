"""Read scanned pages from image files (PNG, JPEG, TIFF with any number of pages) through OCR.

Boxes are in the image's own pixels (of each page as stored, after its EXIF rotation). Memory stays
bounded: a JPEG larger than the OCR needs is decoded at a reduced size, any other image above
MAX_PIXELS is refused, and each page is released before the next is read.
"""

from __future__ import annotations

import io

from ..errors import InputError
from ..layout import SourceText
from ..limits import MAX_IMAGE_BYTES, MAX_PIXELS, allow_pages
from . import ReadOptions
from .files import read_capped
from .ocr import DEFAULT_DPI, read_page_image
from .ocr_engines import engine_or_error
from .page import PageLines, assemble_pages, pages_phrase, release

FLAT_FILL_ROWS = 0.03  # a damaged JPEG decodes its lost part as flat grey: this share of the page's rows
OCR_LONG_SIDE = 4000  # an A4 page at 340 dpi: more detail than the engine uses


def read_image(path: str, options: ReadOptions = ReadOptions()) -> SourceText:
    """A scanned bulletin's pages read by OCR (options.ocr_engine); options.ocr "never" refuses it."""
    if options.ocr == "never":
        raise InputError(path, "an image needs OCR, which --ocr never turns off")
    data = read_capped(path, MAX_IMAGE_BYTES, "a scanned bulletin")
    if not data:
        raise InputError(path, "empty file")
    img = _open_image(path, data)
    engine = engine_or_error(path, options.ocr_engine)
    pages: list[PageLines] = []
    blank: list[int] = []
    turned: dict[int, int] = {}  # page → degrees it was turned to stand upright
    warnings: list[tuple[str, str]] = []
    try:
        n_frames = getattr(img, "n_frames", 1)
        allow_pages(n_frames)
        for frame in range(n_frames):
            img.seek(frame)
            bgr, scale = _page_pixels(path, img, frame + 1, warnings)
            read = read_page_image(engine, bgr, scale)
            del bgr
            if read.turned:
                turned[frame + 1] = read.turned
            if not read.lines:
                blank.append(frame + 1)
            release(read.lines)
            pages.append(PageLines(read.width, read.height, read.lines))
    finally:
        img.close()
    if len(blank) == len(pages):
        raise InputError(path, f"no text found by OCR on {pages_phrase(blank)}")
    src = assemble_pages(
        path,
        data,
        "image",
        pages,
        blank,
        box_unit="px",
        ocr_pages=list(range(1, len(pages) + 1)),
        ocr_engine=engine.name,
        turned=turned,
    )
    src.warnings.extend(warnings)
    return src


def _open_image(path: str, data: bytes):
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = None  # we check the size ourselves, before decoding
    try:
        return Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise InputError(path, "not a readable image (unknown or damaged format)") from None
    except OSError as exc:
        raise InputError(path, f"not a readable image ({exc})") from None


def _page_pixels(path: str, img, page: int, warnings: list[tuple[str, str]]):
    """The current frame as BGR pixels for the engine, no larger than OCR_LONG_SIDE, and the scale from
    the image's own pixels to them. A JPEG larger than that is decoded at a reduced size; any other image
    above MAX_PIXELS is refused."""
    import numpy as np
    from PIL import ImageOps

    w, h = img.size
    if w == 0 or h == 0:
        raise InputError(path, f"page {page} is empty (0 pixels)")
    scale = 1.0
    if img.format == "JPEG" and max(w, h) > OCR_LONG_SIDE:
        img.draft("RGB", (w * OCR_LONG_SIDE // max(w, h), h * OCR_LONG_SIDE // max(w, h)))
        scale = img.size[0] / w  # draft decodes at 1/2, 1/4 or 1/8 of the size
    elif w * h > MAX_PIXELS:
        raise InputError(
            path,
            f"image too large: {w} × {h} px ({w * h / 1e6:.0f} MP, the limit is "
            f"{MAX_PIXELS / 1e6:.0f} MP); scan at {DEFAULT_DPI} dpi",
        )
    try:
        rgb = ImageOps.exif_transpose(_to_rgb(img))
    except OSError as exc:  # a truncated file fails here, at decoding
        raise InputError(path, f"damaged image ({exc})") from None
    if img.format == "JPEG" and _flat_fill_at_bottom(rgb):
        warnings.append(
            (
                "damaged_image",
                f"page {page}: its lower part is a flat grey fill, as a JPEG "
                "damaged in the middle decodes; text there is lost",
            )
        )
    if max(rgb.size) > OCR_LONG_SIDE:
        k = OCR_LONG_SIDE / max(rgb.size)
        rgb = rgb.resize((round(rgb.size[0] * k), round(rgb.size[1] * k)))
        scale *= k
    return np.asarray(rgb)[:, :, ::-1].copy(), scale


def _to_rgb(img):
    """8-bit RGB. A 16-bit or 32-bit grey image is scaled down to 8 bits (PIL's convert clips every
    value above 255 to white, so a 16-bit scan would read as a blank page)."""
    if img.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        import numpy as np
        from PIL import Image

        a = np.asarray(img, dtype=np.float64)
        top = 65535.0 if img.mode.startswith("I;16") else max(float(a.max()), 1.0)
        if img.mode in ("I", "F") and top <= 255:
            top = 255.0
        return Image.fromarray(np.clip(a * (255.0 / top), 0, 255).astype(np.uint8), "L").convert("RGB")
    return img.convert("RGB")


def _flat_fill_at_bottom(page) -> bool:
    """The last rows of the page are one flat mid-grey: what libjpeg gives for data it could not
    decode (a scan always has noise, and paper is light)."""
    import numpy as np

    grey = np.asarray(page.convert("L"))
    rows = max(1, int(grey.shape[0] * FLAT_FILL_ROWS))
    tail = grey[-rows:]
    return int(tail.max()) - int(tail.min()) <= 2 and 64 <= float(tail.mean()) <= 192
