"""Page images for the review page: each page of a PDF or scan drawn small enough to embed in one HTML
file, with its size in the unit of the bulletin's boxes (`source.box_unit`), so that a box is drawn over
the image as percentages of the page and stays in place at any zoom.

PDF pages are rendered by pypdfium2 (pdfplumber's own dependency); image scans are scaled down by Pillow.
The source file is found from the bulletin's `source.path` and checked against its `source.sha256`: a
page image of another file than the one read would put every box in the wrong place.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .batch import file_sha256

REVIEW_DPI = 110  # the issue asks 100-150 dpi: text stays legible at 110 while 50 pages stay under 15 MB
SCAN_DPI_UNKNOWN = 300  # an image without a resolution tag is taken for an office scan at 300 dpi
WEBP_QUALITY = 60  # lossy WebP keeps strokes and seals legible at about half a JPEG's size


@dataclass(frozen=True)
class PageImage:
    """One page drawn for the review: `width` and `height` in the bulletin's box unit."""

    number: int
    width: float
    height: float
    data_uri: str


class SourceUnavailable(Exception):
    """The bulletin's source file is not there, or is another file than the one read."""


def find_source(doc: dict, near: list[Path], given: Path | None = None) -> Path:
    """The file the bulletin was read from: `given`, else `source.path` as it is or beside one of `near`
    (the JSON's or database's folder); it must have the sha256 the bulletin records."""
    src = doc["source"]
    candidates = (
        [given]
        if given
        else [Path(src["path"])] + [d / src["path"] for d in near] + [d / Path(src["path"]).name for d in near]
    )
    for path in candidates:
        if path.is_file():
            if file_sha256(str(path)) == src["sha256"]:
                return path
            if given:
                raise SourceUnavailable(f"{given} is not the file this bulletin was read from (sha256 differs)")
    raise SourceUnavailable(f"source file {src['path']} not found (give it with --source)")


def page_images(path: Path, doc: dict, password: str | None = None, dpi: int = REVIEW_DPI) -> list[PageImage]:
    """Every page of the source, drawn at `dpi`, and turned as the reader turned it (a scan sideways, a
    text layer running sideways), since its boxes lie on the turned page."""
    turned = {t["page"]: t["degrees"] for t in doc["source"].get("turned_pages", [])}
    drawn = _pdf_pages(path, password, dpi) if doc["source"]["format"] == "pdf" else _image_pages(path, dpi)
    # each page is encoded as soon as it is drawn: a long document's pictures are never all held at once
    return [_page_image(number, size, image, turned.get(number, 0)) for number, size, image in drawn]


def _page_image(number: int, size: tuple[float, float], image, degrees: int) -> PageImage:
    width, height = size[::-1] if degrees in (90, 270) else size
    return PageImage(number, width, height, _data_uri(_turn(image, degrees)))


def _turn(image, degrees: int):
    """The image turned clockwise by 90, 180 or 270 degrees."""
    from PIL import Image

    steps = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
    return image.transpose(steps[degrees]) if degrees in steps else image


def _pdf_pages(path: Path, password: str | None, dpi: int) -> Iterator[tuple]:
    """(number, (width, height) in points, image) of each page as shown: pdfium's size and picture both
    have its /Rotate applied, as pdfplumber's boxes do."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path), password=password)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            width, height = page.get_size()
            image = page.render(scale=dpi / 72).to_pil()
            page.close()
            yield i + 1, (round(width, 2), round(height, 2)), image
    finally:
        pdf.close()


def _image_pages(path: Path, dpi: int) -> Iterator[tuple]:
    """(number, (width, height) in pixels, image scaled to `dpi`) of each frame."""
    from PIL import Image, ImageSequence

    with Image.open(path) as img:
        for k, frame in enumerate(ImageSequence.Iterator(img)):
            width, height = frame.size  # pixels, as the OCR reader's boxes
            scan_dpi = float((frame.info.get("dpi") or (SCAN_DPI_UNKNOWN,))[0]) or SCAN_DPI_UNKNOWN
            k_small = min(1.0, dpi / scan_dpi)
            small = frame.convert("RGB").resize((max(1, round(width * k_small)), max(1, round(height * k_small))))
            yield k + 1, (width, height), small


def _data_uri(image) -> str:
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "WEBP", quality=WEBP_QUALITY, method=2)
    return "data:image/webp;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
