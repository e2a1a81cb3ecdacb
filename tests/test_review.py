"""The review page (issue 12, first part): every item of the JSON is one mark in the text, its value in the
embedded data; document strings cannot inject markup or script (checked on the HTML here; the headless
browser checks come with the page images)."""
import json
import re

import pytest

from conftest import count_review_items, extracted, sample_names
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
    import subprocess
    import sys

    from conftest import ROOT

    src = tmp_path / "j.json"
    src.write_text(extracted("jingzhou-ftu-2020-08").model_dump_json(), encoding="utf-8")
    out = tmp_path / "review.html"
    run = subprocess.run([sys.executable, "-m", "extract.cli", "review", str(src), "-o", str(out)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "extract.cli", "review", str(bad), "-o", str(tmp_path / "x.html")],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1 and "bad.json" in run.stderr
    assert not (tmp_path / "x.html").exists()
