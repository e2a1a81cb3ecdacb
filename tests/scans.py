"""Make test scans from a sample's PDF: pages rendered by pypdfium2 (what a flatbed scan of the printout
looks like), clean or degraded the way archive scans are: a slight rotation, noise, a red seal stamped
over a paragraph, JPEG at quality 40.

    clean_tiff(pdf, out, dpi)      multi-page TIFF (LZW), the clean scan
    degraded_pdf(pdf, out, dpi)    image-only PDF of degraded JPEG pages, the archive scan

Used by tests/test_ocr.py and benchmarks/bench_ocr.py; deterministic (fixed seeds)."""
from __future__ import annotations

import io
import math
from pathlib import Path

# the project ships its test font (tests/fixtures/fonts/README.md): a machine needs no Chinese font
FONT = Path(__file__).resolve().parent / "fixtures" / "fonts" / "wqy-microhei-subset.ttf"


def font(px: int):
    """WenQuanYi Micro Hei at `px` pixels, from the repository."""
    from PIL import ImageFont

    return ImageFont.truetype(str(FONT), px)


def render_pages(pdf: Path, dpi: int):
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return [doc[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(doc))]
    finally:
        doc.close()


def clean_tiff(pdf: Path, out: Path, dpi: int) -> Path:
    pages = render_pages(pdf, dpi)
    pages[0].save(out, save_all=True, append_images=pages[1:], compression="tiff_lzw", dpi=(dpi, dpi))
    return out


def _seal(size: int):
    """A red round seal: ring, star and a ring of characters, on a transparent ground."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    red = (210, 20, 30, 170)
    w = max(3, size // 40)
    d.ellipse((w, w, size - w, size - w), outline=red, width=w)
    c, r = size / 2, size * 0.13
    star = [(c + r * math.cos(math.pi / 2 + k * 4 * math.pi / 5), c - r * math.sin(math.pi / 2 + k * 4 * math.pi / 5)) for k in range(5)]
    d.polygon(star, fill=red)
    face = font(size // 9)
    text = "档案测试专用章"
    for k, ch in enumerate(text):
        a = math.pi * (0.85 - 0.7 * k / (len(text) - 1))
        d.text((c + size * 0.34 * math.cos(a), c - size * 0.34 * math.sin(a)), ch, fill=red, font=face, anchor="mm")
    return img


def degrade(page, dpi: int, seed: int, seal: bool):
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    if seal:
        s = _seal(int(dpi * 1.6))
        x, y = int(page.size[0] * 0.55), int(page.size[1] * 0.35)
        page = page.copy()
        page.paste(s, (x, y), s)
    angle = 1.0 + (seed % 3) * 0.5  # 1°, 1.5° or 2°
    page = page.rotate(angle if seed % 2 else -angle, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    a = np.asarray(page).astype(np.int16)
    a += rng.normal(0, 12, a.shape[:2]).astype(np.int16)[:, :, None]  # sensor noise, grey
    specks = rng.random(a.shape[:2]) < 0.0008  # dust
    a[specks] = 40
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def degraded_pdf(pdf: Path, out: Path, dpi: int) -> Path:
    """Each page degraded (seal on page 1), JPEG quality 40, gathered into an image-only PDF."""
    from PIL import Image

    pages = []
    for i, page in enumerate(render_pages(pdf, dpi)):
        buf = io.BytesIO()
        degrade(page, dpi, seed=i + 1, seal=i == 0).save(buf, "JPEG", quality=40)
        pages.append(Image.open(io.BytesIO(buf.getvalue())))
    pages[0].save(out, save_all=True, append_images=pages[1:], resolution=dpi)
    return out
