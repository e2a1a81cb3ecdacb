"""The review page in a real browser (issue 12): headless Debian Chromium driven by Playwright (tests/browser.py).
The page loads with no console error; it marks every item of the JSON; clicking an item puts its box on
the page image in view and clicking a box selects the item; keys walk the items; the figure table sorts
and filters; hostile document strings run no script. Screenshots go to the test's output folder.

Chromium must be there (the README's test command installs it); without it these tests fail, unless
BULLETIN_SKIP_BROWSER=1 says to skip them."""
import json
import os
from pathlib import Path

import pytest

import scans
from browser import chromium_path, launch, open_page
from conftest import ROOT, count_review_items, run_cli
from hostile import MARKUP_PAYLOADS, markup_bulletin

pytestmark = pytest.mark.slow  # pytest -m 'not slow' leaves this module out; CI runs it

FIRST = "jingzhou-ftu-2020-08"
FIRST_PDF = ROOT / "tests" / "fixtures" / "samplepdf" / f"{FIRST}.libreoffice.pdf"
SCAN_DPI = 200  # a fast scan of the first sample's PDF: six OCR pages


@pytest.fixture(scope="module")
def browser():
    if os.environ.get("BULLETIN_SKIP_BROWSER") == "1":
        pytest.skip("BULLETIN_SKIP_BROWSER=1")
    if chromium_path() is None:
        pytest.fail("no Chromium: apt-get install chromium chromium-driver (the README's test command does), "
                    "or set BULLETIN_SKIP_BROWSER=1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def _review(tmp_path: Path, source: Path, name: str, *extra: str) -> tuple[Path, dict]:
    """extract and review through the command line, as a user does; the JSON and the page."""
    out = tmp_path / f"{name}.json"
    html = tmp_path / f"{name}.html"
    for args in (["extract", str(source), "-o", str(out)], ["review", str(out), "-o", str(html), *extra]):
        run = run_cli(*args)
        assert run.exit_code == 0, run.stderr
    return html, json.loads(out.read_text(encoding="utf-8"))


def _embedded(page) -> list[dict]:
    return page.evaluate("JSON.parse(document.getElementById('items').textContent)")


def _open_checked(browser, html: Path, doc: dict):
    """The page opened with no console error and no dialog, one mark per item of the JSON; the page and
    its embedded items."""
    opened = open_page(browser, html)
    assert opened.errors == [] and opened.dialogs == []
    items = _embedded(opened.page)
    assert opened.page.locator("mark[data-item]").count() == count_review_items(doc) == len(items)
    return opened.page, items


def _in_view(page, element, container: str) -> bool:
    box, view = element.bounding_box(), page.locator(container).bounding_box()
    return box is not None and view["y"] <= box["y"] and box["y"] + box["height"] <= view["y"] + view["height"]


def test_text_review(browser, tmp_path):
    html, doc = _review(tmp_path, ROOT / "samples" / f"{FIRST}.txt", "text")
    page, _ = _open_checked(browser, html, doc)
    assert page.locator(".box").count() == 0  # text input has no pages
    page.keyboard.press("n")
    first = page.evaluate("document.activeElement.id")
    assert first == page.locator("mark[data-item]").first.get_attribute("id")
    figure = page.locator("mark.figure").first
    figure.hover()
    assert "1720000" in page.locator("#info").inner_text()  # 172 万 → its normalized value
    page.screenshot(path=str(tmp_path / "review-text.png"))
    print(f"screenshot: {tmp_path / 'review-text.png'}")


def test_pdf_review_links_items_and_boxes(browser, tmp_path):
    html, doc = _review(tmp_path, FIRST_PDF, "pdf")
    page, items = _open_checked(browser, html, doc)
    assert page.locator(".page img").count() == doc["source"]["page_count"]
    assert page.locator(".box").count() == sum(len(it["boxes"]) for it in items) > 0
    # a figure on a later page, chosen in the figure table: its box scrolls into view and flashes
    later = max((i for i, it in enumerate(items) if it["kind"] == "figure"), key=lambda i: items[i]["page"])
    assert items[later]["page"] > 1
    page.locator(f'#figures a[data-goto="{later}"]').click()
    box = page.locator(f'.box[data-item="{later}"]').first
    page.wait_for_timeout(300)
    assert _in_view(page, box, "#pages")
    assert "selected" in box.get_attribute("class") and "flash" in box.get_attribute("class")
    assert page.evaluate("document.activeElement.id") == f"i{later}"
    # and back: a box on the first page selects its item in the text
    other = next(i for i, it in enumerate(items) if it["kind"] == "date" and it["page"] == 1)
    page.locator(f'.box[data-item="{other}"]').first.click()
    mark = page.locator(f"#i{other}")
    assert "selected" in mark.get_attribute("class") and page.evaluate("document.activeElement.id") == f"i{other}"
    assert _in_view(page, mark, "#text")
    # hovering a box shows its item's value
    page.locator(f'.box[data-item="{later}"]').first.hover()
    assert items[later]["detail"].split(" · ")[0] in page.locator("#info").inner_text()


def test_figure_table_sorts_and_filters(browser, tmp_path):
    html, _ = _review(tmp_path, ROOT / "samples" / f"{FIRST}.txt", "text")
    page = open_page(browser, html).page

    def visible(attr):
        return page.evaluate(f"Array.from(document.querySelectorAll('#figures tbody tr'))"
                             f".filter(r => !r.hidden).map(r => r.dataset.{attr})")

    page.locator('#figures th[data-sort="value"]').click()
    values = [float(v) for v in visible("value")]
    assert values == sorted(values) and len(values) > 5
    page.locator('#figures th[data-sort="value"]').click()
    assert [float(v) for v in visible("value")] == sorted(values, reverse=True)
    page.select_option("#unit-filter", "元")
    assert set(visible("unit")) == {"元"}
    page.select_option("#unit-filter", "")
    section = visible("section")[0]
    page.select_option("#section-filter", section)
    assert set(visible("section")) == {section}


@pytest.fixture(scope="module")
def scan_pdf(tmp_path_factory):
    return scans.degraded_pdf(FIRST_PDF, tmp_path_factory.mktemp("scan") / f"{FIRST}-scan.pdf", SCAN_DPI)


def test_scan_review_screenshot(browser, tmp_path, scan_pdf):
    html, doc = _review(tmp_path, scan_pdf, "scan")
    page, items = _open_checked(browser, html, doc)
    assert {it["page"] for it in items if it["boxes"]} == set(range(1, doc["source"]["page_count"] + 1))
    figure = next(i for i, it in enumerate(items) if it["kind"] == "figure" and it["page"] == 1)
    page.locator(f"#i{figure}").click()
    page.wait_for_timeout(300)
    assert _in_view(page, page.locator(f'.box[data-item="{figure}"]').first, "#pages")
    shot = tmp_path / "review-scan.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")


@pytest.mark.parametrize("payload", MARKUP_PAYLOADS)
def test_hostile_strings_run_no_script(browser, tmp_path, payload):
    source = tmp_path / "hostile.txt"
    source.write_text(markup_bulletin(payload), encoding="utf-8")
    html, doc = _review(tmp_path, source, "hostile")
    opened = open_page(browser, html)
    page = opened.page
    assert opened.dialogs == [] and opened.errors == []  # no alert ran; no load was tried and refused
    assert page.evaluate("document.querySelectorAll('#text img, #text script, #side img, a[href^=\"javascript\"]').length") == 0
    assert payload in page.locator("#text").text_content()  # shown as the text it is
    assert page.locator("mark[data-item]").count() == count_review_items(doc)
