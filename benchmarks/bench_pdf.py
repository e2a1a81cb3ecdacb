"""PDF reading speed (issue 13 item 3): the reader and the whole pipeline with characters through
pypdfium2 (the default) against the same with pdfplumber reading every page (the reader before), bare
pdfplumber `page.extract_text()` and bare pypdfium2 text extraction, on the same generated 200-page
bulletin PDF, in the same run; and the peak memory of each reader in a process of its own.

Two documents: "embedded" (the repository's WenQuanYi subset embedded with its ToUnicode map, as office
software writes Chinese text) and "stsong" (reportlab's STSong-Light, neither embedded nor mapped to
Unicode by the file: pypdfium2 and pdfminer map such glyphs differently, so pdfplumber reads it all).

Goals: whole pipeline >= 60 pages/s and 4x the pdfplumber reading; reader alone >= 200 pages/s; peak RSS
no higher.

Run: .venv/bin/python benchmarks/bench_pdf.py [--pages 200] [--font embedded|stsong|both]
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def timed(fn, repeat: int = 3) -> float:
    """The best of `repeat` runs: the least disturbed by whatever else the machine does."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def peak_rss_mb(path: str, char_reader: str) -> float:
    code = ("import re, sys; from extract.read.pdf import read_pdf; read_pdf(sys.argv[1], char_reader=sys.argv[2]); "
            "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))")
    run = subprocess.run([sys.executable, "-c", code, path, char_reader], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    return int(run.stdout.split()[-1]) / 1024


def bench(font: str, pages: int) -> None:
    from make_pdf import make_long_pdf

    import pdfplumber
    import pypdfium2

    from extract.pipeline import extract_file
    from extract.read import pdf as reader

    path = os.path.join(tempfile.mkdtemp(), f"bench-{font}.pdf")
    make_long_pdf(path, pages, font=font)

    def bare_pdfplumber():
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.flush_cache()

    def bare_pdfium():
        doc = pypdfium2.PdfDocument(path)
        for i in range(len(doc)):
            doc[i].get_textpage().get_text_range()
        doc.close()

    def pipeline(char_reader):
        original = reader.read_pdf
        reader.read_pdf = lambda *a, **k: original(*a, **k, char_reader=char_reader)
        try:
            extract_file(path)
        finally:
            reader.read_pdf = original

    extract_file(path)  # warm the segmenter and lexicons
    results = {
        "bare pypdfium2 get_text_range": timed(bare_pdfium),
        "bare pdfplumber extract_text": timed(bare_pdfplumber, 1),
        "reader, pdfplumber every page": timed(lambda: reader.read_pdf(path, char_reader="pdfplumber"), 1),
        "reader, pypdfium2 (default)": timed(lambda: reader.read_pdf(path)),
        "pipeline, pdfplumber every page": timed(lambda: pipeline("pdfplumber"), 1),
        "pipeline, pypdfium2 (default)": timed(lambda: pipeline("pdfium")),
    }
    print(f"\n{pages}-page generated bulletin PDF, font {font}")
    print(f"{'':34s} {'pages/s':>8s}  {'x pdfplumber reading':>21s}")
    for name, t in results.items():
        base = results["pipeline, pdfplumber every page" if name.startswith("pipeline") else "reader, pdfplumber every page"]
        print(f"{name:34s} {pages / t:8.1f}  {base / t:20.2f}x")
    old, new = peak_rss_mb(path, "pdfplumber"), peak_rss_mb(path, "pdfium")
    print(f"peak RSS of the reader: pdfplumber {old:.0f} MB, pypdfium2 {new:.0f} MB ({new / old:.2f}x)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--font", choices=("embedded", "stsong", "both"), default="both")
    args = ap.parse_args()
    for font in (("embedded", "stsong") if args.font == "both" else (args.font,)):
        bench(font, args.pages)


if __name__ == "__main__":
    main()
