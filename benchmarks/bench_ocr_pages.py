"""Pages of one scan read in parallel (issue 13 item 2): a 6-page scan (the first sample's reportlab PDF
drawn at 300 dpi) read one page after another by one engine with every core, against two worker
processes each reading pages with an engine on its share of the cores; wall time including the engines'
loading, for each RapidOCR runtime, in the same run.

Run: .venv/bin/python benchmarks/bench_ocr_pages.py [--workers 2] [--runs 2]
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

PDF = ROOT / "tests" / "fixtures" / "samplepdf" / "jingzhou-ftu-2020-08.reportlab.pdf"
DPI = 300
THREADS_KWARG = {"onnxruntime": "intra_op_num_threads", "openvino": "inference_num_threads"}

_engine = None


def _make_engine(runtime: str, threads: int):
    from extract.read import ocr_engines as ocr

    if runtime == "onnxruntime":
        ocr.ENGINE_THREADS = threads
        return ocr.RapidOcrEngine(runtime)
    engine = ocr.RapidOcrEngine(runtime)  # full precision patched in; then the thread count
    if threads != -1:
        import rapidocr_openvino

        engine._engine = rapidocr_openvino.RapidOCR(inference_num_threads=threads)
    return engine


def _start(runtime: str, threads: int) -> None:
    global _engine
    _engine = _make_engine(runtime, threads)


def _read(image) -> int:
    from extract.read.ocr import read_page_image

    return len(read_page_image(_engine, image, DPI / 72).lines)


def sequential(runtime: str, images) -> tuple[float, list[int]]:
    t0 = time.perf_counter()
    _start(runtime, -1)
    lines = [_read(im) for im in images]
    return time.perf_counter() - t0, lines


def parallel(runtime: str, images, workers: int) -> tuple[float, list[int]]:
    share = max(1, (os.cpu_count() or 1) // workers)
    t0 = time.perf_counter()
    # spawned, not forked: OpenVINO loaded in this process does not survive a fork
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(runtime, share)) as pool:
        lines = list(pool.map(_read, images))
    return time.perf_counter() - t0, lines


def main() -> None:
    import numpy as np

    import scans

    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    images = [np.asarray(p.convert("RGB")) for p in scans.render_pages(PDF, DPI)]
    print(f"{len(images)}-page scan at {DPI} dpi, {os.cpu_count()} cores, {args.workers} workers; median of {args.runs}")
    for runtime in ("openvino", "onnxruntime"):
        seq = [sequential(runtime, images) for _ in range(args.runs)]
        par = [parallel(runtime, images, args.workers) for _ in range(args.runs)]
        same = all(s[1] == seq[0][1] for s in seq + par)
        s, p = statistics.median(t for t, _ in seq), statistics.median(t for t, _ in par)
        print(f"rapidocr-{runtime:12s} one after another {s:6.1f} s   pages in parallel {p:6.1f} s   "
              f"speed-up {s / p:4.2f}x   same lines: {same}")


if __name__ == "__main__":
    main()
