"""Hostile and careless inputs for tests/test_hostile.py, made at test time (deterministic): hand-built
PDFs (self-referencing objects, a flate bomb, a giant page, fonts without a Unicode map, turned pages),
images (16-bit grey, a JPEG damaged mid-file) and text (invisible characters, UTF-16 without BOM)."""
from __future__ import annotations

import io
import re
import zlib
from pathlib import Path

import scans

LINES = ["荆州市总工会八月份工作综述", "一、召开全市工会工作会议。28日，慰问职工7000人。", "二、开展送清凉活动，发放物资5900份。"]


def pdf_of(objects: list[bytes]) -> bytes:
    """A PDF whose objects 1..n are `objects` (object 1 the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def self_referencing_pdf(where: str) -> bytes:
    """Object 4 is `4 0 R`, used as the page's /MediaBox, /Resources or /Contents."""
    refs = {"MediaBox": b"[0 0 595 842]", "Resources": b"<< >>", "Contents": b"5 0 R"}
    refs[where] = b"4 0 R"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources %s /Contents %s >>" % (
        refs["MediaBox"], refs["Resources"], refs["Contents"])
    return pdf_of([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page,
                   b"4 0 R", _stream(b"BT /F1 12 Tf 72 700 Td (hello) Tj ET")])


def flate_bomb_pdf(inflated: int) -> bytes:
    """A page whose content stream is `inflated` bytes of spaces, deflated (about 1 000 : 1)."""
    z = zlib.compressobj(9)
    block = b" " * (1 << 20)
    parts = [z.compress(block) for _ in range(inflated >> 20)] + [z.flush()]
    data = b"".join(parts)
    return pdf_of([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents 4 0 R >>",
                   _stream(data, b"/Filter /FlateDecode")])


def giant_scan_pdf(width_in: float, height_in: float) -> bytes:
    """One page of width_in × height_in inches holding only a tiny grey image (a scan, to OCR)."""
    w, h = width_in * 72, height_in * 72
    pixel = _stream(b"\x80", b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8")
    content = _stream(b"q 10 0 0 10 20 20 cm /Im1 Do Q")
    return pdf_of([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im1 5 0 R >> >>"
                   b" /Contents 4 0 R >>" % (w, h), content, pixel])


def text_pdf(path: Path, lines=LINES, rotate: int = 0, turn: int = 0) -> Path:
    """The lines as a text layer in the shipped font; `rotate` sets the page's /Rotate (on the A4 page
    drawn upright, as a viewer's "rotate page" does), `turn` draws the text turned by that many degrees."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WQY", str(scans.FONT)))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("WQY", 14)
    if turn:
        c.translate(A4[0] / 2, A4[1] / 2)
        c.rotate(turn)
        c.translate(-A4[0] / 2, -A4[1] / 2)
    for i, t in enumerate(lines):
        c.drawString(72, 650 - 30 * i, t)
    c.showPage()
    c.save()
    if rotate:
        import pypdfium2

        pdf = pypdfium2.PdfDocument(path.read_bytes())
        pdf[0].set_rotation(rotate)
        pdf.save(str(path))
        pdf.close()
    return path


def unmapped_font_pdf(path: Path) -> Path:
    """The text PDF with its font's /ToUnicode map blanked out (same length, so the xref holds):
    pdfminer reads (cid:1)(cid:2)…, the page still shows the glyphs."""
    text_pdf(path)
    data = path.read_bytes()
    path.write_bytes(re.sub(rb"/ToUnicode \d+ 0 R", lambda m: b" " * len(m.group()), data))
    return path


def drawn_page(lines=LINES, size=(1400, 500), px=40):
    from PIL import Image, ImageDraw

    img = Image.new("L", size, 255)
    d = ImageDraw.Draw(img)
    for i, t in enumerate(lines):
        d.text((40, 40 + i * (px + 30)), t, font=scans.font(px), fill=0)
    return img


def grey16_png(path: Path, faint: bool) -> Path:
    """A 16-bit grey scan: faint (ink at 40 % grey on white) or dark."""
    import numpy as np
    from PIL import Image

    a = np.asarray(drawn_page()).astype(np.float64) / 255.0  # 0 ink, 1 paper
    if faint:
        a = 0.6 + 0.4 * a
    Image.fromarray((a * 65535).astype(np.uint16)).save(path)  # mode I;16
    return path


def damaged_jpeg(path: Path) -> Path:
    """A JPEG scan cut in the middle of its data and closed with an end marker: libjpeg decodes the
    rest of the page as flat grey, with only a warning."""
    buf = io.BytesIO()
    drawn_page(size=(1400, 900)).convert("RGB").save(buf, "JPEG", quality=90)
    data = buf.getvalue()
    path.write_bytes(data[: len(data) // 2] + b"\xff\xd9")
    return path


# strings a document may hold that would be markup or script in a page built by pasting strings together
MARKUP_PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "</textarea>", "javascript:alert(1)",
                   "行\u2028分隔", "</script><script>alert(2)</script>", "<!--"]


def markup_bulletin(payload: str) -> str:
    """A small bulletin with the payload in a section title, its text and the footer."""
    return f"某局工作简报\n2021年5月\n一、{payload}工作。投入资金12万元。\n编辑：{payload}\n"
