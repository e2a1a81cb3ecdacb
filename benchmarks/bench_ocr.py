"""Seconds per scanned page: the whole pipeline against the bare OCR engine on the same rendered pages,
in the same run (goal: at most 1.1×), plus quality against the text layer of the same PDF.

    .venv/bin/python benchmarks/bench_ocr.py [--all] [--engine NAME] [SAMPLE_PDF ...]

Default: the first sample's reportlab PDF (6 A4 pages) rendered at 300 dpi. For each engine installed
(rapidocr; tesseract with chi_sim where Debian's package is present): bare engine s/page on the
rendered pages, whole pipeline s/page on the same pages as a multi-page TIFF, the ratio, the
character error rate against the text-layer reading, and the recall of the sample's facts (figures,
dates, tasks, section titles). --all: every sample's reportlab PDF.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

DPI = 300


def recall(doc, pdf: Path) -> dict[str, float]:
    import re
    import subprocess

    from extract.write import to_json

    sample = pdf.name.split(".")[0]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "doc.json"
        out.write_text(to_json(doc), encoding="utf-8")
        run = subprocess.run([sys.executable, str(ROOT / "tests" / "tools" / "facts_check.py"), str(out),
                              str(ROOT / "tests" / "facts" / f"{sample}.facts.json")], capture_output=True, text=True)
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"(?m)^(\w+)\s+P=[0-9.]+ R=([0-9.]+)", run.stdout)}


def main(pdfs: list[Path], engines: list[str]) -> None:
    import numpy as np
    from rapidfuzz.distance import Levenshtein

    import scans
    from extract.pipeline import extract_file
    from extract.read.ocr import OcrUnavailable, get_engine

    nows = lambda s: "".join(s.split())
    print(f"{'engine':10s} {'document':34s} {'pages':>5s} {'bare s/page':>12s} {'pipeline s/page':>16s} {'ratio':>6s} "
          f"{'CER':>7s}  recall: figures dates tasks titles")
    for name in engines:
        try:
            engine = get_engine(name)
        except OcrUnavailable as exc:
            print(f"{name:10s} not installed: {exc}")
            continue
        for pdf in pdfs:
            pages = scans.render_pages(pdf, DPI)
            images = [np.asarray(p)[:, :, ::-1].copy() for p in pages]
            engine.recognize(images[0])  # warm up: load the models once, outside the timing
            t = time.perf_counter()
            for img in images:
                engine.recognize(img)
            bare = (time.perf_counter() - t) / len(images)
            ref = extract_file(str(pdf)).text  # also loads jieba and spaCy once, as a batch run does
            with tempfile.TemporaryDirectory() as tmp:
                tif = scans.clean_tiff(pdf, Path(tmp) / "scan.tif", DPI)
                t = time.perf_counter()
                doc = extract_file(str(tif), ocr_engine=name)
                whole = (time.perf_counter() - t) / len(images)
            cer = Levenshtein.distance(nows(doc.text), nows(ref)) / len(nows(ref))
            r = recall(doc, pdf)
            print(f"{name:10s} {pdf.name[:34]:34s} {len(images):5d} {bare:12.2f} {whole:16.2f} {whole / bare:6.2f} {cer:7.2%}"
                  f"  {r.get('figures', 0):7.3f} {r.get('dates', 0):5.3f} {r.get('tasks', 0):5.3f} {r.get('sections', 0):6.3f}",
                  flush=True)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--all", action="store_true", help="every sample's reportlab PDF")
    ap.add_argument("--engine", action="append", choices=["rapidocr", "tesseract"])
    a = ap.parse_args()
    pdfs = a.pdfs or ([p for p in sorted((ROOT / "tests" / "fixtures" / "samplepdf").glob("*.reportlab.pdf"))] if a.all
                      else [ROOT / "tests" / "fixtures" / "samplepdf" / "jingzhou-ftu-2020-08.reportlab.pdf"])
    main(pdfs, a.engine or ["rapidocr", "tesseract"])
