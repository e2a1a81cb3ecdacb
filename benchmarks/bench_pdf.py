"""PDF reading speed: our reader (and the whole pipeline) against bare pdfplumber `page.extract_text()`
and bare pypdfium2 text extraction on the same generated 200-page bulletin PDF, in the same run.

Run: .venv/bin/python benchmarks/bench_pdf.py [--pages 200]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=200)
    args = ap.parse_args()
    from make_pdf import make_long_pdf

    import pdfplumber
    import pypdfium2

    from extract.pipeline import extract_file
    from extract.read.pdf import read_pdf

    path = os.path.join(tempfile.mkdtemp(), "bench.pdf")
    make_long_pdf(path, args.pages)

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

    extract_file(path)  # warm the segmenter and lexicons
    n = args.pages
    results = {
        "bare pypdfium2": timed(bare_pdfium),
        "bare pdfplumber extract_text": timed(bare_pdfplumber),
        "our reader (read_pdf)": timed(lambda: read_pdf(path)),
        "whole pipeline (extract_file)": timed(lambda: extract_file(path)),
    }
    base = results["bare pdfplumber extract_text"]
    print(f"{n}-page generated bulletin PDF")
    for name, t in results.items():
        print(f"{name:32s} {n / t:8.1f} pages/s   {t / base:5.2f}x bare pdfplumber time")


if __name__ == "__main__":
    main()
