"""The review page (issue 12, first part): every item of the JSON is one mark in the text, its value in the
embedded data; document strings cannot inject markup or script (checked on the HTML here; the headless
browser checks come with the page images)."""
import json
import re

import pytest

from conftest import count_review_items, extracted, run_cli, sample_names
from hostile import MARKUP_PAYLOADS, markup_bulletin


def _embedded(html: str) -> list[dict]:
    raw = re.search(r'<script id="items" type="application/json">(.*?)</script>', html, re.S).group(1)
    return json.loads(raw)


@pytest.mark.parametrize("name", sample_names())
def test_every_item_is_one_mark(name):
    from extract.review import render_review

    doc = json.loads(extracted(name).model_dump_json())
    html = render_review(doc)
    items = _embedded(html)
    assert len(items) == count_review_items(doc)
    assert len(re.findall(r'<mark id="i\d+"', html)) == len(items)
    # each item's text is the document's text at its span
    assert all(doc["text"][it["start"]:it["end"]] == it["text"] for it in items)


def test_page_allows_no_remote_load():
    from extract.review import render_review

    html = render_review(json.loads(extracted("jingzhou-ftu-2020-08").model_dump_json()))
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", html)


@pytest.mark.parametrize("payload", MARKUP_PAYLOADS)
def test_document_strings_cannot_inject(payload):
    from extract.pipeline import extract_text
    from extract.review import render_review

    doc = json.loads(extract_text(markup_bulletin(payload), path=f"{payload}.txt").model_dump_json())
    doc["title"] = payload
    html = render_review(doc)
    from markupsafe import escape

    body, data = html.split('<script id="items"')[0], html.split('<script id="items" type="application/json">')[1].split("</script>")[0]
    assert str(escape(payload)) in body  # shown as text (the title), escaped
    assert "<img" not in html and "<script>alert" not in html and "</textarea>" not in html
    assert html.count("<script") == 2  # the data and the page's own script, nothing from the document
    assert not re.search("[<>&\u2028\u2029]", data)  # nothing in the data can end its element or a line
    assert json.loads(data)  # and it still parses


def test_review_command(tmp_path):
    src = tmp_path / "j.json"
    src.write_text(extracted("jingzhou-ftu-2020-08").model_dump_json(), encoding="utf-8")
    out = tmp_path / "review.html"
    run = run_cli("review", src, "-o", out)
    assert run.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    run = run_cli("review", bad, "-o", tmp_path / "x.html")
    assert run.exit_code == 2 and len(run.stderr.strip().splitlines()) == 1 and "bad.json" in run.stderr
    assert not (tmp_path / "x.html").exists()


@pytest.fixture(scope="module")
def series_db(tmp_path_factory):
    """Series a (tests/followup) batched: a plan in March, summaries in April and May."""
    from conftest import ROOT

    out = tmp_path_factory.mktemp("series")
    assert run_cli("batch", ROOT / "tests" / "followup" / "series-a", "-o", out).exit_code == 0
    return out / "bulletins.db"


def _doc_rows(db):
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, sha256, path FROM documents ORDER BY id").fetchall()


# --doc selector → the document chosen (index into the series' documents) or the error's words
DOC_SELECTORS = [
    ("{id}", 0),
    ("{sha8}", 0),
    ("{path}", 0),
    ("meiling-hrss-2021-04.txt", 1),  # the end of a path
    ("9999", "no document"),
    ("txt", "3 documents match"),
]


@pytest.mark.parametrize("selector,expected", DOC_SELECTORS)
def test_review_a_database_document(series_db, tmp_path, selector, expected):
    rows = _doc_rows(series_db)
    doc_id, sha, path = rows[0]
    selector = selector.format(id=doc_id, sha8=sha[:8], path=path)
    out = tmp_path / "r.html"
    run = run_cli("review", series_db, "--doc", selector, "-o", out)
    if isinstance(expected, str):
        assert run.exit_code == 2 and expected in run.stderr and len(run.stderr.strip().splitlines()) == 1
        assert not out.exists()
        return
    assert run.exit_code == 0, run.stderr
    html = out.read_text(encoding="utf-8")
    data = _embedded(html)
    assert data and all(it["text"] for it in data)
    assert html.count("<th>follow-up</th>") == 1
    assert rows[expected][2] in html  # the document's path, shown in the header


def test_plan_review_shows_each_planned_tasks_follow_up(series_db, tmp_path):
    import sqlite3

    out = tmp_path / "plan.html"
    assert run_cli("review", series_db, "--doc", "1", "-o", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    with sqlite3.connect(series_db) as conn:
        stored = dict(conn.execute("SELECT f.status, count(*) FROM followups f JOIN tasks t ON t.id = f.task_id"
                                   " WHERE t.document_id = 1 GROUP BY f.status").fetchall())
    shown = re.findall(r'<span class="status-[a-z-]+">([a-z ]+)</span>', html)
    assert stored and {s: shown.count(s) for s in stored} == stored
    assert stored.get("reported", 0) >= 3  # the labelled series reports most of March's plan


def test_review_without_database_has_no_follow_up_column(tmp_path):
    src = tmp_path / "j.json"
    src.write_text(extracted("jingzhou-ftu-2020-08").model_dump_json(), encoding="utf-8")
    assert run_cli("review", src, "-o", tmp_path / "r.html").exit_code == 0
    assert "follow-up</th>" not in (tmp_path / "r.html").read_text(encoding="utf-8")
    run = run_cli("review", src, "--doc", "1", "-o", tmp_path / "x.html")
    assert run.exit_code == 2 and "--doc" in run.stderr


@pytest.mark.slow
def test_page_images_need_the_very_source(tmp_path):
    """A PDF review draws every page; a source moved away gives the page without images and says why; a
    different file given with --source is refused for the images (its boxes would be wrong)."""
    import shutil

    from conftest import ROOT

    pdf = tmp_path / "b.pdf"
    shutil.copy(ROOT / "tests" / "fixtures" / "samplepdf" / "jingzhou-ftu-2020-08.libreoffice.pdf", pdf)
    assert run_cli("extract", pdf, "-o", tmp_path / "b.json").exit_code == 0
    assert run_cli("review", tmp_path / "b.json", "-o", tmp_path / "b.html").exit_code == 0
    html = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert html.count('<div class="page"') == 6 and html.count("data:image/webp;base64,") == 6
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    shutil.move(pdf, moved / "renamed.pdf")
    run = run_cli("review", tmp_path / "b.json", "-o", tmp_path / "c.html")
    assert run.exit_code == 0 and "not found" in run.stderr
    assert '<div class="page"' not in (tmp_path / "c.html").read_text(encoding="utf-8")
    run = run_cli("review", tmp_path / "b.json", "--source", moved / "renamed.pdf", "-o", tmp_path / "d.html")
    assert run.exit_code == 0
    assert (tmp_path / "d.html").read_text(encoding="utf-8") == html
    other = ROOT / "tests" / "fixtures" / "samplepdf" / "yunxi-hrss-2020-12.libreoffice.pdf"
    run = run_cli("review", tmp_path / "b.json", "--source", other, "-o", tmp_path / "e.html")
    assert run.exit_code == 0 and "sha256 differs" in run.stderr


def test_image_scan_pages_keep_pixel_boxes(tmp_path):
    """A TIFF scan's boxes are in its pixels: the page's size in the page image is the scan's size."""
    import scans
    from extract.review_pages import page_images

    from conftest import ROOT

    tif = scans.clean_tiff(ROOT / "tests" / "fixtures" / "samplepdf" / "jingzhou-ftu-2020-08.libreoffice.pdf",
                           tmp_path / "s.tif", 150)
    doc = {"source": {"format": "image", "path": str(tif)}}
    pages = page_images(tif, doc)
    import base64
    import io

    from PIL import Image

    # A4 at 150 dpi (595.3 × 841.9 pt); the picture drawn at 110 dpi, the boxes' unit kept at the scan's
    assert [(p.number, p.width, p.height) for p in pages] == [(k, 1241, 1754) for k in range(1, 7)]
    drawn = Image.open(io.BytesIO(base64.b64decode(pages[0].data_uri.split(",", 1)[1])))
    assert drawn.size == (round(1241 * 110 / 150), round(1754 * 110 / 150))


# (item start, end), repair (at, removed, inserted) → shown in the item's detail
REPAIR_CASES = [
    ((10, 15), (12, "\n", ""), True),  # a line joined inside the item
    ((10, 15), (10, "\n", ""), False),  # a line end removed just before it
    ((10, 15), (10, "O", "0"), True),  # its first character was an OCR confusion
    ((10, 15), (15, "\n", ""), False),  # after it
    ((10, 15), (9, "\n", ""), False),
]


@pytest.mark.parametrize("span,repair,shown", REPAIR_CASES)
def test_repairs_inside_an_item_are_in_its_detail(span, repair, shown):
    from extract.review import _note_repairs

    item = {"start": span[0], "end": span[1], "detail": "figure"}
    at, removed, inserted = repair
    _note_repairs([item], [{"kind": "line_wrap", "at": at, "removed": removed, "inserted": inserted, "original_start": at}])
    assert ("repaired: line_wrap" in item["detail"]) == shown


def _share_of_boxes_on_ink(path) -> float:
    """Of the item boxes drawn over the review's page images, the share that covers ink (dark pixels): a
    box placed on the page as drawn lies on its characters."""
    import base64
    import io

    import numpy as np
    from PIL import Image

    from extract.pipeline import extract_file
    from extract.review import _items
    from extract.review_pages import page_images

    doc = json.loads(extract_file(str(path)).model_dump_json())
    drawn = {}
    for p in page_images(path, doc):
        grey = np.asarray(Image.open(io.BytesIO(base64.b64decode(p.data_uri.split(",", 1)[1]))).convert("L"))
        drawn[p.number] = (p, grey)
    hits = boxes = 0
    for it in _items(doc)[0]:
        for page, x0, top, x1, bottom in it["boxes"]:
            p, grey = drawn[page]
            h, w = grey.shape
            crop = grey[int(top / p.height * h):int(bottom / p.height * h) + 1, int(x0 / p.width * w):int(x1 / p.width * w) + 1]
            boxes += 1
            hits += bool(crop.size and (crop < 128).mean() > 0.03)
    assert boxes > 0
    return hits / boxes


def _rotated_pdf(tmp_path, degrees):
    import pypdfium2

    from conftest import ROOT

    pdf = pypdfium2.PdfDocument(str(ROOT / "tests" / "fixtures" / "samplepdf" / "jingzhou-ftu-2020-08.libreoffice.pdf"))
    for i in range(len(pdf)):
        pdf[i].set_rotation(degrees)
    out = tmp_path / f"rot{degrees}.pdf"
    pdf.save(str(out))
    return out


def _turned_text_pdf(tmp_path, degrees):
    import hostile

    return hostile.text_pdf(tmp_path / f"turn{degrees}.pdf", turn=degrees)


def _turned_scan(tmp_path, degrees):
    import scans

    from conftest import ROOT

    page = scans.render_pages(ROOT / "tests" / "fixtures" / "samplepdf" / "jingzhou-ftu-2020-08.libreoffice.pdf", 150)[0]
    out = tmp_path / f"scan{degrees}.png"
    page.rotate(-degrees, expand=True).save(out)  # PIL turns counter-clockwise
    return out


# a page read turned (a /Rotate page, a text layer drawn sideways, a scan sideways): its boxes lie on the
# page turned upright, and the review draws the page so turned
TURNED_PAGES = [
    ("upright PDF", lambda t: _rotated_pdf(t, 0)),
    ("/Rotate 90", lambda t: _rotated_pdf(t, 90)),
    ("/Rotate 180", lambda t: _rotated_pdf(t, 180)),
    ("/Rotate 270", lambda t: _rotated_pdf(t, 270)),
    ("text drawn at 90°", lambda t: _turned_text_pdf(t, 90)),
    ("text drawn at 270°", lambda t: _turned_text_pdf(t, 270)),
    ("scan turned 90° (OCR)", lambda t: _turned_scan(t, 90)),
]


@pytest.mark.slow
@pytest.mark.parametrize("name,make", TURNED_PAGES, ids=[n for n, _ in TURNED_PAGES])
def test_boxes_lie_on_the_ink_of_the_drawn_page(tmp_path, name, make):
    assert _share_of_boxes_on_ink(make(tmp_path)) >= 0.98


def test_an_item_crossing_another_is_listed_to_check():
    """Marks nest; an item that crosses another's edge cannot be one mark, and is listed, not lost."""
    from extract.review import render_review

    doc = json.loads(extracted("jingzhou-ftu-2020-08").model_dump_json())
    section = doc["parts"][0]["sections"][0]
    fig = section["figures"][0]
    a, b = fig["span"]
    section["dates"].append({**{k: None for k in ("page", "bbox", "boxes", "confidence")}, "span": [a + 1, b + 2],
                             "text": doc["text"][a + 1:b + 2], "start": "2020-08-01", "end": "2020-08-01",
                             "granularity": "day"})
    html = render_review(doc)
    assert len(re.findall(r'<mark id="i\d+"', html)) == count_review_items(doc) - 1
    assert f"date {doc['text'][a + 1:b + 2]}: not marked in the text" in html
