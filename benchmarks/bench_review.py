"""The review page of a 50-page PDF: how long `bulletin review` takes to write it, how much it weighs and how
long headless Chromium takes to open it, against the same document's text-only review (`--no-pages`)
measured in the same run. The issue's goals: the page opens in under 2 s and weighs under 15 MB.

The PDF is the sample PDFs (tests/fixtures/samplepdf, LibreOffice) put one after another until there are
50 pages, so every page is a real office layout. Chromium is Debian's (`chromium`, as the tests use);
without it only the writing and the size are measured.

Run: .venv/bin/python benchmarks/bench_review.py [--pages 50] [--repeat 5]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

GOAL_SECONDS, GOAL_MB = 2.0, 15.0


def long_pdf(path: Path, pages: int) -> Path:
    import pypdfium2

    out = pypdfium2.PdfDocument.new()
    for src in sorted((ROOT / "tests" / "fixtures" / "samplepdf").glob("*.libreoffice.pdf")):
        if len(out) >= pages:
            break
        doc = pypdfium2.PdfDocument(str(src))
        out.import_pages(doc, list(range(min(len(doc), pages - len(out)))))
        doc.close()
    out.save(str(path))
    return path


def cli(*args) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "extract.cli", *map(str, args)], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def open_seconds(browser, html: Path, repeat: int) -> float:
    """Median time from navigation to the load event (the page's script has run, every image is in)."""
    from browser import open_page

    times = []
    for _ in range(repeat):
        opened = open_page(browser, html)
        assert not opened.errors, opened.errors
        times.append(opened.load_seconds)
        opened.page.close()
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp())
    pdf = long_pdf(work / "long.pdf", args.pages)
    cli("extract", pdf, "-o", work / "long.json")
    pages = json.loads((work / "long.json").read_text(encoding="utf-8"))["source"]["page_count"]
    rows = {}
    for name, stem, extra in (("text only (baseline)", "text", ["--no-pages"]), ("with page images", "pages", [])):
        html = work / f"{stem}.html"
        write = min(cli("review", work / "long.json", "-o", html, *extra) for _ in range(3))
        rows[name] = {"html": html, "write": write, "mb": html.stat().st_size / 1e6}
    from browser import chromium_path

    if chromium_path():
        from playwright.sync_api import sync_playwright

        from browser import launch

        with sync_playwright() as p:
            browser = launch(p)
            for r in rows.values():
                r["open"] = open_seconds(browser, r["html"], args.repeat)
            browser.close()
    base = rows["text only (baseline)"]
    print(f"review page of a {pages}-page PDF ({os.cpu_count()} cores; open: median of {args.repeat} in headless Chromium)")
    print(f"{'':22} {'write s':>8} {'size MB':>8} {'open s':>7} {'write ×':>8} {'size ×':>7} {'open ×':>7}")
    for name, r in rows.items():
        opened = r.get("open")
        print(f"{name:22} {r['write']:8.2f} {r['mb']:8.2f} {opened if opened is not None else float('nan'):7.2f} "
              f"{r['write'] / base['write']:8.2f} {r['mb'] / base['mb']:7.2f} "
              f"{(opened / base['open']) if opened is not None else float('nan'):7.2f}")
    full = rows["with page images"]
    print(f"goals: open {full.get('open', float('nan')):.2f} s < {GOAL_SECONDS} s, size {full['mb']:.2f} MB < {GOAL_MB} MB")


if __name__ == "__main__":
    main()
