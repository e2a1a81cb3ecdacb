"""Lay a text bulletin out as an A4 PDF (reportlab, STSong-Light): each paragraph wrapped at a fixed
width, a running header on later pages and a page-number footer. Used by the tests to check that every
sample reads the same from PDF as from text."""
from __future__ import annotations

import sys

CHARS_PER_LINE = 30
LINES_PER_PAGE = 32


def _width(s: str) -> float:
    return sum(0.5 if ord(c) < 128 else 1.0 for c in s)


def _wrap(par: str) -> list[str]:
    lines, cur = [], ""
    for ch in par:
        if _width(cur + ch) > CHARS_PER_LINE:
            lines.append(cur)
            cur = ""
        cur += ch
    lines.append(cur)
    return lines


def make_sample_pdf(text: str, path: str, header: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    width, height = A4
    size = 14
    left = 72
    c = canvas.Canvas(path, pagesize=A4, invariant=1)
    lines: list[str] = []
    for par in text.replace("\r", "").split("\n"):
        if not par.strip():
            continue
        lines.extend(_wrap(par.strip()))
    page = 1
    for start in range(0, len(lines), LINES_PER_PAGE):
        if page > 1:
            c.setFont("STSong-Light", 10.5)
            c.drawCentredString(width / 2, height - 40, header)
        c.setFont("STSong-Light", 10.5)
        c.drawCentredString(width / 2, 30, f"— {page} —")
        c.setFont("STSong-Light", size)
        y = height - 80
        for ln in lines[start:start + LINES_PER_PAGE]:
            c.drawString(left, y, ln)
            y -= size * 1.5
        c.showPage()
        page += 1
    c.save()


if __name__ == "__main__":
    make_sample_pdf(open(sys.argv[1], encoding="utf-8").read(), sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "")
