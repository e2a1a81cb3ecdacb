"""Seconds per scanned page: the whole pipeline against the bare OCR engine on the same rendered pages,
in the same run (goal: at most 1.1×), plus quality against the text layer of the same PDF.

    .venv/bin/python benchmarks/bench_ocr.py [--all] [--engine NAME] [SAMPLE_PDF ...]
    .venv/bin/python benchmarks/bench_ocr.py --configs [--all] [SAMPLE_PDF ...]
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
    from extract.read import ReadOptions
    from extract.read.ocr_engines import OcrUnavailable, get_engine

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
                doc = extract_file(str(tif), ReadOptions(ocr_engine=name))
                whole = (time.perf_counter() - t) / len(images)
            cer = Levenshtein.distance(nows(doc.text), nows(ref)) / len(nows(ref))
            r = recall(doc, pdf)
            print(f"{name:10s} {pdf.name[:34]:34s} {len(images):5d} {bare:12.2f} {whole:16.2f} {whole / bare:6.2f} {cer:7.2%}"
                  f"  {r.get('figures', 0):7.3f} {r.get('dates', 0):5.3f} {r.get('tasks', 0):5.3f} {r.get('sections', 0):6.3f}",
                  flush=True)


# bare engine configurations: (name, runtime module, RapidOCR keyword arguments, OpenVINO in f32); the
# first is the baseline; OpenVINO's own precision (bfloat16 on CPUs that have it) before f32, since the
# switch to f32 cannot be undone in one process. Three keywords are the benchmark's own (_configured):
# det_long_side, the detector's input scaled to at most this long side (RapidOCR 1.4 chooses it from the
# image with det_limit_type max, and det_limit_side_len with type min only ever enlarges: an A4 page at
# 300 dpi, 2000 px long once RapidOCR has scaled it, is detected at 1408 × 1984 whatever the setting);
# rec_precision, the recognizer alone compiled in another precision than the rest; engine, the project's
# own engine on that runtime (extract/read/ocr.py RapidOcrEngine: page-level classifier, detector input
# by table)
BARE_CONFIGS = [
    ("onnxruntime, defaults (baseline)", "rapidocr_onnxruntime", {}, False),
    ("onnxruntime, 1 thread", "rapidocr_onnxruntime", {"intra_op_num_threads": 1}, False),
    ("onnxruntime, rec batch 16", "rapidocr_onnxruntime", {"rec_batch_num": 16}, False),
    ("onnxruntime, no angle classifier", "rapidocr_onnxruntime", {"use_cls": False}, False),
    ("openvino, defaults (bf16 here)", "rapidocr_openvino", {}, False),
    ("openvino, no angle classifier", "rapidocr_openvino", {"use_cls": False}, False),
    ("openvino, f32", "rapidocr_openvino", {}, True),
    ("openvino, f32, 1 thread", "rapidocr_openvino", {"inference_num_threads": 1}, True),
    ("openvino, f32, rec batch 12", "rapidocr_openvino", {"rec_batch_num": 12}, True),
    ("openvino, f32, detection 1536 px", "rapidocr_openvino", {"det_long_side": 1536}, True),
    ("openvino, f32, detection 1280 px", "rapidocr_openvino", {"det_long_side": 1280}, True),
    ("openvino, f32, detection 960 px", "rapidocr_openvino", {"det_long_side": 960}, True),
    ("openvino, f32, recognizer in bf16", "rapidocr_openvino", {"rec_precision": "bf16"}, True),
    ("openvino, f32, no angle classifier", "rapidocr_openvino", {"use_cls": False}, True),
    ("rapidocr-onnxruntime engine (extract/read/ocr.py)", "rapidocr_onnxruntime", {"engine": "onnxruntime"}, False),
    ("rapidocr-openvino engine, the default (ocr.py)", "rapidocr_openvino", {"engine": "openvino"}, True),
]


def _configured(module: str, kwargs: dict):
    """RapidOCR 1.4 of `module` with `kwargs`, det_long_side, rec_precision and engine applied (BARE_CONFIGS)."""
    import importlib

    if "engine" in kwargs:
        from extract.read.ocr_engines import RapidOcrEngine

        return RapidOcrEngine(kwargs["engine"])._engine
    kwargs = dict(kwargs)
    long_side, rec_precision = kwargs.pop("det_long_side", None), kwargs.pop("rec_precision", None)
    engine = importlib.import_module(module).RapidOCR(**kwargs)
    if long_side:
        det = engine.text_det
        pre = importlib.import_module(f"{module}.ch_ppocr_det.utils").DetPreProcess
        det.get_preprocess = lambda longest: pre(long_side, "max", det.mean, det.std)
    if rec_precision:  # unchecked: every line read in that precision alone
        from extract.read.ocr_engines import recognizer_compiled_in

        engine.text_rec.session = recognizer_compiled_in(importlib.import_module(module), rec_precision) or engine.text_rec.session
    return engine


# whole-pipeline configurations: (label, runtime, RapidOcrEngine's keyword arguments); the first, the
# bare default engine's settings, is the one the others' accuracy is held against, scan by scan
RAPIDOCRS_OWN = {"line_classifier": True, "recognizer_precision": None}
PIPELINE_CONFIGS = [
    ("onnxruntime, RapidOCR's settings (baseline)", "onnxruntime", RAPIDOCRS_OWN),
    ("openvino f32, page classifier", "openvino", {"recognizer_precision": None}),
    ("the same, recognizer bf16 checked in f32 (default)", "openvino", {}),
    ("the same, detector 1536 px", "openvino", {"detector_long_side": 1536}),
]


def configurations(pdfs: list[Path]) -> None:
    """Each runtime and setting on the same pages in one run: the bare engine's s/page and its character
    error rate against the text layer (the first PDF), then the whole pipeline per configuration on a
    clean and a degraded scan of each PDF, with its CER and facts recall, the ratio to the bare default
    onnxruntime engine on the same pages, and the scans it reads worse than the baseline configuration."""
    import numpy as np
    from rapidfuzz.distance import Levenshtein

    import scans
    from extract.pipeline import extract_file
    from extract.read import ReadOptions
    from extract.read import ocr_engines as ocr

    nows = lambda s: "".join(s.split())
    pdf = pdfs[0]
    ref = nows(extract_file(str(pdf)).text)
    images = [np.asarray(p)[:, :, ::-1].copy() for p in scans.render_pages(pdf, DPI)]
    print(f"bare engine on {pdf.name} ({len(images)} pages, {DPI} dpi)")
    print(f"{'configuration':50s} {'s/page':>7s} {'pages/s':>8s} {'× baseline':>10s} {'CER':>7s} {'≠ baseline':>10s}")
    base = base_text = None
    for name, module, kwargs, full_precision in BARE_CONFIGS:
        try:
            if full_precision:
                ocr._openvino_in_full_precision()
            engine = _configured(module, kwargs)
        except (ImportError, ocr.OcrUnavailable) as exc:
            print(f"{name:50s} not installed ({exc})")
            continue
        engine(images[0])  # models loaded and warmed outside the timing
        t = time.perf_counter()
        text = "".join(line[1] for img in images for line in (engine(img)[0] or []))
        per_page = (time.perf_counter() - t) / len(images)
        base, base_text = base or per_page, base_text if base_text is not None else text
        cer = Levenshtein.distance(nows(text), ref) / len(ref)
        differ = Levenshtein.distance(text, base_text)  # characters read otherwise than the baseline reads them
        print(f"{name:50s} {per_page:7.2f} {1 / per_page:8.2f} {base / per_page:10.2f} {cer:7.2%} {differ:10d}",
              flush=True)

    engines = {}
    for label, runtime, settings in PIPELINE_CONFIGS:
        try:
            engines[label] = ocr.RapidOcrEngine(runtime, **settings)
        except ocr.OcrUnavailable as exc:
            print(f"{label}: not installed ({exc})")
    baseline_engine = _configured("rapidocr_onnxruntime", {})  # the bare default engine
    print(f"\nwhole pipeline (extract_file on the scan); × baseline: the bare default onnxruntime engine on the same pages")
    print(f"{'configuration':55s} {'scan':46s} {'s/page':>7s} {'× baseline':>10s} {'CER':>7s}  recall: figures dates tasks "
          f"people titles  worse than baseline")
    held = {}  # scan → the baseline configuration's (CER, recall)
    tally = {label: {"worse": [], "better": 0, "ratios": []} for label in engines}
    get_engine = ocr.get_engine
    try:
        for pdf in pdfs:
            sample = pdf.name.split(".")[0]
            ref = nows(extract_file(str(pdf)).text)
            pages = [np.asarray(p)[:, :, ::-1].copy() for p in scans.render_pages(pdf, DPI)]
            baseline_engine(pages[0])
            t = time.perf_counter()
            for img in pages:
                baseline_engine(img)
            bare = (time.perf_counter() - t) / len(pages)
            with tempfile.TemporaryDirectory() as tmp:
                made = {"clean 300 dpi TIFF": scans.clean_tiff(pdf, Path(tmp) / "clean.tif", DPI),
                        "degraded 300 dpi PDF": scans.degraded_pdf(pdf, Path(tmp) / "degraded.pdf", DPI)}
                for label, engine in engines.items():
                    engine.recognize(pages[0])
                    ocr.get_engine = lambda name, engine=engine: engine
                    for kind, scan in made.items():
                        t = time.perf_counter()
                        doc = extract_file(str(scan), ReadOptions(ocr_engine="rapidocr"))
                        per_page = (time.perf_counter() - t) / len(pages)
                        cer = Levenshtein.distance(nows(doc.text), ref) / len(ref)
                        r = recall(doc, pdf)
                        key = (sample, kind)
                        held.setdefault(key, (cer, r))
                        b_cer, b_r = held[key]
                        worse = ([f"CER {b_cer:.2%}"] if cer > b_cer + 1e-12 else []) + \
                                [f"{k} {b_r[k]:.3f}" for k in b_r if r.get(k, 0) < b_r[k] - 1e-9]
                        better = cer < b_cer - 1e-12 or any(r.get(k, 0) > v + 1e-9 for k, v in b_r.items())
                        tally[label]["worse"] += [f"{sample} {kind.split()[0]}"] if worse else []
                        tally[label]["better"] += bool(better and not worse)
                        tally[label]["ratios"].append(bare / per_page)
                        print(f"{label:55s} {f'{sample} {kind}'[:46]:46s} {per_page:7.2f} {bare / per_page:10.2f} {cer:7.2%}"
                              f"  {r.get('figures', 0):7.3f} {r.get('dates', 0):5.3f} {r.get('tasks', 0):5.3f} "
                              f"{r.get('people', 0):6.3f} {r.get('sections', 0):6.3f}  {', '.join(worse) or '-'}", flush=True)
    finally:
        ocr.get_engine = get_engine
    print(f"\n{len(held)} scans; per configuration: scans read worse than the baseline configuration (higher CER or "
          f"lower recall of any kind), better, and the median ratio to the bare default engine")
    for label, t in tally.items():
        print(f"{label:55s} worse {len(t['worse']):3d} better {t['better']:3d}  median × baseline "
              f"{sorted(t['ratios'])[len(t['ratios']) // 2]:.2f}  {'; '.join(t['worse'])}")


def archive_batch(pdfs: list[Path], jobs: int = 2) -> None:
    """Pages a second over a folder of scans (clean 300 dpi TIFFs of the given PDFs), `bulletin batch -j
    jobs` with each runtime, each worker's engine on every core or given its share of the cores (what
    `batch` does for onnxruntime; OpenVINO keeps its own threading), against the bare onnxruntime engine
    with its defaults, one page after another, on the same pages in the same run."""
    import numpy as np

    import scans
    from extract import batch
    from extract.read import ReadOptions
    from extract.read.ocr_engines import get_engine

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
                                          options=batch.Options(ReadOptions(ocr_engine=runtime)))
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
    ap.add_argument("--configs", action="store_true", help="each runtime and setting on the first PDF's pages, "
                    "then the whole pipeline per configuration on scans of each PDF (--all: every sample)")
    ap.add_argument("--batch", action="store_true", help="pages/s of bulletin batch over scans of the PDFs")
    a = ap.parse_args()
    pdfs = a.pdfs or ([p for p in sorted((ROOT / "tests" / "fixtures" / "samplepdf").glob("*.reportlab.pdf"))] if a.all
                      else [ROOT / "tests" / "fixtures" / "samplepdf" / "jingzhou-ftu-2020-08.reportlab.pdf"])
    if a.configs:
        configurations(pdfs)
    elif a.batch:
        archive_batch(a.pdfs or sorted((ROOT / "tests" / "fixtures" / "samplepdf").glob("*.reportlab.pdf"))[:6])
    else:
        main(pdfs, a.engine or ["rapidocr", "tesseract"])
