"""Every sample bulletin as a PDF (issue 3): tests/fixtures/samplepdf holds each sample laid out by two
real layout engines (reportlab platypus, and LibreOffice from a .docx), with running headers, page-number
footers in several formats, ruled task tables, paragraphs, words and table rows cut by page breaks.
make_sample_pdfs.py made them; samplepdf.json describes them.

For each PDF: the sample's facts file is reproduced exactly; the repaired text holds exactly the sample's
characters (so no header, footer, page number or repeated table header leaks in, and nothing is lost);
the records equal those of the text input; and every located item's box holds its text."""
import json
from functools import lru_cache

import pytest

from conftest import check_facts, FACTS, ROOT, reader_records, walk_items

pytestmark = pytest.mark.slow  # pytest -m 'not slow' leaves this module out; CI runs it

HERE = ROOT / "tests" / "fixtures" / "samplepdf"
MANIFEST = json.loads((HERE / "samplepdf.json").read_text(encoding="utf-8"))["files"]
PDFS = sorted(MANIFEST)


@lru_cache(maxsize=None)
def _extracted(pdf: str):
    from extract.pipeline import extract_file

    return extract_file(str(HERE / pdf))


def _sample(pdf: str) -> str:
    return MANIFEST[pdf]["sample"].removeprefix("samples/").removesuffix(".txt")


def _nows(s: str) -> str:
    return "".join(s.split())


def test_every_sample_has_two_pdfs_from_two_producers():
    samples = sorted(p.stem for p in (ROOT / "samples").glob("*.txt"))
    assert sorted({_sample(p) for p in PDFS}) == samples
    assert {MANIFEST[p]["producer"] for p in PDFS} == {"reportlab", "libreoffice"}
    assert len(PDFS) == 2 * len(samples)
    assert len({MANIFEST[p]["footer"] for p in PDFS}) >= 4  # — 2 —, -2-, 第 2 页 共 5 页, 2, - 2 -
    assert all(MANIFEST[p]["page_count"] >= 3 for p in PDFS)


@pytest.mark.parametrize("pdf", PDFS)
def test_embedded_fonts_give_back_the_exact_characters(pdf):
    """pdfplumber's own extract_text, page by page, gives the sample's characters: the running header on
    later pages, the page-number footer on every page, and between them the sample's text in order
    (for ruled tables, whose cells' lines extract_text interleaves, the same characters)."""
    from collections import Counter

    import pdfplumber

    from extract.read.text import read_text

    info = MANIFEST[pdf]
    body = []
    with pdfplumber.open(HERE / pdf) as doc:
        fonts = {c["fontname"] for page in doc.pages for c in page.chars}
        n = len(doc.pages)
        for number, page in enumerate(doc.pages, 1):
            lines = [ln for ln in (page.extract_text() or "").split("\n") if ln.strip()]
            if number > 1:
                assert _nows(lines.pop(0)) == _nows(info["header"])
            assert _nows(lines.pop()) == _nows(info["footer"].format(n=number, N=n))
            body += lines
    assert all("+" in f for f in fonts), fonts  # subset-embedded (ABCDEF+Name), not a system font
    got, want = _nows("".join(body)), _nows(read_text(str(ROOT / info["sample"])).text)
    if "table" in info["blocks"]:
        extra = Counter(got) - Counter(want)  # a header row repeated on the next page
        assert not Counter(want) - Counter(got) and set(extra) <= set(want)
    else:
        assert got == want


@pytest.mark.parametrize("pdf", PDFS)
def test_sample_pdf_reproduces_facts(pdf, tmp_path):
    from extract.write import to_json

    doc = _extracted(pdf)
    out = tmp_path / "out.json"
    out.write_text(to_json(doc), encoding="utf-8")
    run = check_facts(out, FACTS / f"{_sample(pdf)}.facts.json")
    assert run.returncode == 0, run.stdout
    assert doc.source.format == "pdf" and doc.source.page_count == MANIFEST[pdf]["page_count"]


@pytest.mark.parametrize("pdf", PDFS)
def test_sample_pdf_text_is_the_sample_text(pdf):
    """Whitespace aside, the repaired text is the repaired text of the sample, character for character:
    headers, footers, page numbers and repeated table header rows are all gone (and logged), nothing is
    lost, nothing is joined twice."""
    from extract.pipeline import extract_file

    doc = _extracted(pdf)
    assert _nows(doc.text) == _nows(extract_file(str(ROOT / MANIFEST[pdf]["sample"])).text)
    removed = "".join(r.removed for r in doc.repairs)
    footer = MANIFEST[pdf]["footer"]
    n = doc.source.page_count
    for page in range(1, n + 1):
        assert _nows(footer.format(n=page, N=n)) in _nows(removed)
    assert _nows(removed).count(_nows(MANIFEST[pdf]["header"])) >= n - 1


@pytest.mark.parametrize("pdf", PDFS)
def test_sample_pdf_and_its_text_give_the_same_records(pdf):
    from extract.pipeline import extract_file

    assert reader_records(_extracted(pdf)) == reader_records(extract_file(str(ROOT / MANIFEST[pdf]["sample"])))


@pytest.mark.parametrize("pdf", PDFS)
def test_sample_pdf_boxes_hold_their_items(pdf):
    """page.crop(bbox).extract_text() holds the item's text (read over its line boxes in order when it
    runs over several lines or pages), for every item with a box."""
    import pdfplumber

    data = json.loads(_extracted(pdf).model_dump_json())
    with pdfplumber.open(HERE / pdf) as doc:

        def crop(page, x0, top, x1, bottom):
            region = doc.pages[page - 1].crop((x0 - 0.5, top - 0.5, x1 + 0.5, bottom + 0.5))
            return _nows(region.extract_text() or "")

        checked = 0
        for item in walk_items(data):
            if not (item.get("bbox") and item.get("text")):
                continue
            got = "".join(crop(*box) for box in item["boxes"]) if item.get("boxes") else crop(item["page"], *item["bbox"])
            assert _nows(item["text"]) in got, (item["text"][:60], got[:200])
            checked += 1
        assert checked > 20


@pytest.mark.parametrize("pdf", PDFS)
def test_sample_pdf_keeps_the_coverage_invariant(pdf):
    """Issue 11: no text outside the structure and no heading hidden in a section, read from the PDF."""
    assert [w.message for w in _extracted(pdf).warnings if w.code in ("unassigned", "heading_in_section")] == []
