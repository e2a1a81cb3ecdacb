"""The README's review screenshots: the first sample's text, and a scan of its PDF (degraded, 200 dpi, as
tests/test_review_browser.py makes it), each reviewed and shown in headless Chromium with one figure
selected.

Run: .venv/bin/python tests/tools/review_screenshots.py [OUTDIR]   (default docs/)
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

FIRST = "jingzhou-ftu-2020-08"
SETTLE_MS = 3000  # the selected box's flash is over


def review(source: Path, work: Path, name: str) -> Path:
    for args in (["extract", source, "-o", work / f"{name}.json"], ["review", work / f"{name}.json", "-o", work / f"{name}.html"]):
        subprocess.run([sys.executable, "-m", "extract.cli", *map(str, args)], check=True, cwd=ROOT)
    return work / f"{name}.html"


def shoot(browser, html: Path, out: Path, select: str) -> None:
    from browser import open_page

    opened = open_page(browser, html)
    assert not opened.errors, opened.errors
    opened.page.locator(select).first.click()
    opened.page.wait_for_timeout(SETTLE_MS)
    opened.page.screenshot(path=str(out))
    print(out)


def main() -> None:
    import scans
    from browser import launch
    from playwright.sync_api import sync_playwright

    outdir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    outdir.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp())
    text = review(ROOT / "samples" / f"{FIRST}.txt", work, "text")
    scan = scans.degraded_pdf(ROOT / "tests" / "fixtures" / "samplepdf" / f"{FIRST}.libreoffice.pdf",
                              work / f"{FIRST}-scan.pdf", 200)
    scanned = review(scan, work, "scan")
    with sync_playwright() as p:
        browser = launch(p)
        shoot(browser, text, outdir / "review-text.png", "mark.figure")
        shoot(browser, scanned, outdir / "review-scan.png", "mark.figure")
        browser.close()


if __name__ == "__main__":
    main()
