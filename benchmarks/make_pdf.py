"""Generate a long bulletin-like PDF with reportlab for benchmarks and tests.

font "stsong": reportlab's STSong-Light, a CID font neither embedded nor mapped to Unicode by the file
(read through the Adobe-GB1 collection's table); "embedded": the repository's WenQuanYi subset
embedded with its ToUnicode map, as office software writes Chinese text.
"""
from __future__ import annotations

import sys
from pathlib import Path

FONT_FILE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "fonts" / "wqy-microhei-subset.ttf"


def _register(font: str) -> str:
    from reportlab.pdfbase import pdfmetrics

    if font == "stsong":
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        return "STSong-Light"
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("WQY", str(FONT_FILE)))
    return "WQY"


def make_long_pdf(path: str, pages: int, lines_per_page: int = 24, font: str = "stsong") -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    name = _register(font)
    width, height = A4
    c = canvas.Canvas(path, pagesize=A4, invariant=1)
    body = "市总工会开展送清凉活动，慰问职工5万多人，发放慰问物资5900份，筹集经费172万元。"
    section = 0
    for p in range(1, pages + 1):
        c.setFont(name, 10.5)
        c.drawCentredString(width / 2, height - 40, "某某市总工会")  # running header
        c.drawCentredString(width / 2, 30, f"— {p} —")  # page number
        c.setFont(name, 14)
        y = height - 90
        if p == 1:
            c.drawCentredString(width / 2, y, "某某市总工会八月份工作综述")
            y -= 30
        for i in range(lines_per_page):
            if i % 6 == 0:
                section += 1
                c.drawString(72, y, f"{_cn(section)}、开展第{section}项工作。{i + 6}日，" + body[:18])
            else:
                c.drawString(72, y, body[:28])
            y -= 26
        c.showPage()
    c.save()


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


if __name__ == "__main__":
    make_long_pdf(sys.argv[1], int(sys.argv[2]))
