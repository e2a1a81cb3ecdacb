"""Seconds per scanned page: the whole pipeline against the bare OCR engine on the same rendered pages,
in the same run (goal: at most 1.1×), plus quality against the text layer of the same PDF.

    .venv/bin/python benchmarks/bench_ocr.py [--all] [--engine NAME] [SAMPLE_PDF ...]
    .venv/bin/python benchmarks/bench_ocr.py --configs [SAMPLE_PDF]
    .venv/bin/python benchmarks/bench_ocr.py --batch [SAMPLE_PDF ...]

Default: the first sample's reportlab PDF (6 A4 pages) rendered at 300 dpi. For each engine installed
(rapidocr; tesseract with chi_sim where Debian's package is present): bare engine s/page on the
rendered pages, whole pipeline s/page on the same pages as a multi-page TIFF, the ratio, the
character error rate against the text-layer reading, and the recall of the sample's facts (figures,
dates, tasks, section titles). --all: every sample's reportlab PDF.
"""
from __future__ import annotations

import os
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


# bare engine configurations: (name, runtime module, RapidOCR keyword arguments, OpenVINO in f32); the
# first is the baseline; OpenVINO's own precision (bfloat16 on CPUs that have it) before f32, since the
# switch to f32 cannot be undone in one process
BARE_CONFIGS = [
    ("onnxruntime, defaults (baseline)", "rapidocr_onnxruntime", {}, False),
    ("onnxruntime, 1 thread", "rapidocr_onnxruntime", {"intra_op_num_threads": 1}, False),
    ("onnxruntime, rec batch 16", "rapidocr_onnxruntime", {"rec_batch_num": 16}, False),
    ("openvino, defaults (bf16 here)", "rapidocr_openvino", {}, False),
    ("openvino, no angle classifier", "rapidocr_openvino", {"use_cls": False}, False),
    ("openvino, f32", "rapidocr_openvino", {}, True),
    ("openvino, f32, 1 thread", "rapidocr_openvino", {"inference_num_threads": 1}, True),
]


def configurations(pdf: Path) -> None:
    """Each runtime and setting on the same pages in one run: the bare engine's s/page and its character
    error rate against the text layer, then the whole pipeline per runtime on a clean and a degraded
    scan, with its CER and facts recall."""
    import importlib

    import numpy as np
    from rapidfuzz.distance import Levenshtein

    import scans
    from extract.pipeline import extract_file

    nows = lambda s: "".join(s.split())
    ref = nows(extract_file(str(pdf)).text)
    images = [np.asarray(p)[:, :, ::-1].copy() for p in scans.render_pages(pdf, DPI)]
    print(f"bare engine on {pdf.name} ({len(images)} pages, {DPI} dpi)")
    print(f"{'configuration':34s} {'s/page':>7s} {'pages/s':>8s} {'× baseline':>10s} {'CER':>7s} {'≠ baseline':>10s}")
    base = base_text = None
    from extract.read.ocr import _openvino_in_full_precision

    for name, module, kwargs, full_precision in BARE_CONFIGS:
        try:
            if full_precision:
                _openvino_in_full_precision()
            engine = importlib.import_module(module).RapidOCR(**kwargs)
        except ImportError as exc:
            print(f"{name:34s} not installed ({exc})")
            continue
        engine(images[0])  # models loaded and warmed outside the timing
        t = time.perf_counter()
        text = "".join(line[1] for img in images for line in (engine(img)[0] or []))
        per_page = (time.perf_counter() - t) / len(images)
        base, base_text = base or per_page, base_text if base_text is not None else text
        cer = Levenshtein.distance(nows(text), ref) / len(ref)
        differ = Levenshtein.distance(text, base_text)  # characters read otherwise than the baseline reads them
        print(f"{name:34s} {per_page:7.2f} {1 / per_page:8.2f} {base / per_page:10.2f} {cer:7.2%} {differ:10d}",
              flush=True)
    print(f"\nwhole pipeline (extract_file on the scan), per runtime")
    print(f"{'runtime':22s} {'scan':24s} {'s/page':>7s} {'× baseline':>10s} {'CER':>7s}  recall: figures dates tasks titles")
    from extract.read.ocr import OcrUnavailable, get_engine

    with tempfile.TemporaryDirectory() as tmp:
        made = {"clean 300 dpi TIFF": scans.clean_tiff(pdf, Path(tmp) / "clean.tif", DPI),
                "degraded 300 dpi PDF": scans.degraded_pdf(pdf, Path(tmp) / "degraded.pdf", DPI)}
        for runtime in ("rapidocr-onnxruntime", "rapidocr-openvino"):
            try:
                get_engine(runtime).recognize(images[0])
            except OcrUnavailable as exc:
                print(f"{runtime:22s} not installed ({exc})")
                continue
            for label, scan in made.items():
                t = time.perf_counter()
                doc = extract_file(str(scan), ocr_engine=runtime)
                per_page = (time.perf_counter() - t) / len(images)
                cer = Levenshtein.distance(nows(doc.text), ref) / len(ref)
                r = recall(doc, pdf)
                print(f"{runtime:22s} {label:24s} {per_page:7.2f} {(base or per_page) / per_page:10.2f} {cer:7.2%}"
                      f"  {r.get('figures', 0):7.3f} {r.get('dates', 0):5.3f} {r.get('tasks', 0):5.3f} "
                      f"{r.get('sections', 0):6.3f}", flush=True)


def archive_batch(pdfs: list[Path], jobs: int = 2) -> None:
    """Pages a second over a folder of scans (clean 300 dpi TIFFs of the given PDFs), `bulletin batch -j
    jobs` with each runtime, each worker's engine on every core or given its share of the cores (what
    `batch` does for onnxruntime; OpenVINO keeps its own threading), against the bare onnxruntime engine
    with its defaults, one page after another, on the same pages in the same run."""
    import numpy as np

    import scans
    from extract import batch
    from extract.read.ocr import get_engine

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "scans"
        folder.mkdir()
        pages = []
        for pdf in pdfs:
            scans.clean_tiff(pdf, folder / f"{pdf.name.split('.')[0]}.tif", DPI)
            pages += [np.asarray(p)[:, :, ::-1].copy() for p in scans.render_pages(pdf, DPI)]
        engine = get_engine("rapidocr-onnxruntime")
        engine.recognize(pages[0])
        t = time.perf_counter()
        for img in pages:
            engine.recognize(img)
        base = len(pages) / (time.perf_counter() - t)
        print(f"{len(pdfs)} scans, {len(pages)} pages, {DPI} dpi, {os.cpu_count()} cores")
        print(f"{'run':52s} {'pages/s':>8s} {'× baseline':>10s}")
        print(f"{'bare rapidocr-onnxruntime, defaults (baseline)':52s} {base:8.2f} {1.0:10.2f}")
        shared = batch._engine_threads
        for runtime in ("rapidocr-onnxruntime", "rapidocr-openvino"):
            for label, threads in (("every core", lambda jobs: -1), ("its share", shared)):
                batch._engine_threads = threads
                t = time.perf_counter()
                summary = batch.run_batch([str(folder)], Path(tmp) / f"out-{runtime}-{threads(jobs)}", jobs=jobs,
                                          options=batch.Options(ocr_engine=runtime))
                rate = len(pages) / (time.perf_counter() - t)
                assert summary.failed == 0
                print(f"{f'batch -j {jobs}, {runtime}, each engine {label}':52s} {rate:8.2f} {rate / base:10.2f}",
                      flush=True)
        batch._engine_threads = shared


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--all", action="store_true", help="every sample's reportlab PDF")
    ap.add_argument("--engine", action="append", choices=["rapidocr", "rapidocr-openvino", "rapidocr-onnxruntime", "tesseract"])
    ap.add_argument("--configs", action="store_true", help="each runtime and setting on the first PDF's pages")
    ap.add_argument("--batch", action="store_true", help="pages/s of bulletin batch over scans of the PDFs")
    a = ap.parse_args()
    pdfs = a.pdfs or ([p for p in sorted((ROOT / "tests" / "fixtures" / "samplepdf").glob("*.reportlab.pdf"))] if a.all
                      else [ROOT / "tests" / "fixtures" / "samplepdf" / "jingzhou-ftu-2020-08.reportlab.pdf"])
    if a.configs:
        configurations(pdfs[0])
    elif a.batch:
        archive_batch(a.pdfs or sorted((ROOT / "tests" / "fixtures" / "samplepdf").glob("*.reportlab.pdf"))[:6])
    else:
        main(pdfs, a.engine or ["rapidocr", "tesseract"])
