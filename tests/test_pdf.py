"""Text-layer PDFs through pdfplumber (issue 3, first part): bad PDFs give clear errors; real fixtures
(tests/fixtures/pdf, made by make_fixtures.py with reportlab and LibreOffice) go through the same pipeline,
and every located item carries a page and a box that holds its text."""
import json
import re
import subprocess
import sys

import pytest

from conftest import check_facts, FACTS, ROOT, reader_records, run_cli, walk_items

PDFS = ROOT / "tests" / "fixtures" / "pdf"

BAD = [
    ("encrypted.pdf", "encrypted PDF: give its password with --password"),
    ("truncated.pdf", "not a readable PDF"),
    ("not-a-pdf.pdf", "not a PDF"),
    ("zero-pages.pdf", "PDF has no pages"),
]


@pytest.mark.parametrize("name,reason", BAD)
def test_bad_pdf(name, reason):
    run = run_cli("extract", PDFS / name, timeout=120)
    assert run.exit_code == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith(f"bulletin: {PDFS / name}: ") and reason in run.stderr


# each PDF fixture reproduces the facts file of the sample it was made from, exactly
FIXTURES = [
    ("jingzhou-ftu-2020-08.reportlab.pdf", "jingzhou-ftu-2020-08"),  # reportlab, embedded WQY, a ruled task table
    ("jingzhou-ftu-2020-08.stsong.pdf", "jingzhou-ftu-2020-08"),  # reportlab, STSong-Light CID font
    ("yunxi-hrss-2020-12.libreoffice.pdf", "yunxi-hrss-2020-12"),  # LibreOffice from a .docx
]


@pytest.mark.parametrize("pdf,facts_name", FIXTURES, ids=[f[0] for f in FIXTURES])
def test_pdf_fixture_reproduces_facts(pdf, facts_name, tmp_path):
    from extract.pipeline import extract_file
    from extract.write import to_json

    doc = extract_file(str(PDFS / pdf))
    out = tmp_path / "out.json"
    out.write_text(to_json(doc), encoding="utf-8")
    run = check_facts(out, FACTS / f"{facts_name}.facts.json")
    assert run.returncode == 0, run.stdout
    assert doc.source.format == "pdf" and doc.source.page_count > 1
    # issue 11: no text outside the structure, no heading hidden in a section
    assert [w.message for w in doc.warnings if w.code in ("unassigned", "heading_in_section")] == []
    # no running header or page number leaks into the text
    assert not re.search(r"— ?[0-9]+ ?—", doc.text)
    # the running header repeated on later pages is removed there, never inside a section
    headers = [r for r in doc.repairs if r.kind == "running_header" or "云溪县人力资源和社会保障局\n" in r.removed
               or "荆州市总工会\n" in r.removed]
    assert len(headers) >= doc.source.page_count - 1
    for part in doc.parts:
        for sec in part.sections:
            assert not re.search(r"(?m)^(荆州市总工会|云溪县人力资源和社会保障局)$", sec.text)
    # ... and every one removed is logged (alone, or inside the gap of a paragraph joined across the page)
    assert any(re.search(r"— ?[0-9]+ ?—", r.removed) for r in doc.repairs)
    assert "line_wrap" in {r.kind for r in doc.repairs}


@pytest.mark.parametrize("pdf", [f[0] for f in FIXTURES])
def test_every_located_item_has_boxes_holding_its_text(pdf):
    """For every item with a box, the page's text inside its box (or inside each of its line boxes, read in
    order, when it runs over several lines or pages) holds the item's text."""
    import pdfplumber

    from extract.pipeline import extract_file

    path = PDFS / pdf
    data = json.loads(extract_file(str(path)).model_dump_json())
    with pdfplumber.open(path) as doc:

        def crop(page, x0, top, x1, bottom):
            region = doc.pages[page - 1].crop((x0 - 0.5, top - 0.5, x1 + 0.5, bottom + 0.5))
            return "".join((region.extract_text() or "").split())

        checked = 0
        for item in walk_items(data):
            if not (item.get("bbox") and item.get("text")):
                continue
            want = "".join(item["text"].split())
            if item.get("boxes"):
                got = "".join(crop(*box) for box in item["boxes"])
            else:
                got = crop(item["page"], *item["bbox"])
            assert want in got, (item["text"][:60], got[:200])
            checked += 1
        assert checked > 50
    assert [p["number"] for p in data["pages"]] == list(range(1, data["source"]["page_count"] + 1))


# real office PDFs (tests/fixtures/realpdf, copied from ../shared/realpdf with sources.json): top-level
# sections found once each, in order, with their titles
REAL = [
    ("realpdf01.pdf", ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况",
                       "存在的主要问题及改进情况", "其他需要报告的事项"], "2023年政府信息公开工作年度报告"),
    ("realpdf02.pdf", ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况",
                       "存在的主要问题及改进情况", "其他需要报告的事项"], "2024年政府信息公开工作年度报告"),
    ("realpdf03.pdf", ["总体要求", "建立个人所得税纳税信用管理机制", "完善守信联合激励和失信联合惩戒机制", "加强信息安全和权益维护",
                       "强化组织实施"], "关于加强个人所得税纳税信用建设的通知"),
]


@pytest.mark.parametrize("name,titles,doc_title", REAL, ids=[r[0] for r in REAL])
def test_real_pdf_sections(name, titles, doc_title):
    from extract.pipeline import extract_file

    doc = extract_file(str(ROOT / "tests" / "fixtures" / "realpdf" / name))
    sections = [s for p in doc.parts for s in p.sections]
    assert [s.title for s in sections] == titles
    assert [s.number for s in sections] == list(range(1, len(titles) + 1))
    assert doc.title == doc_title
    assert [w.message for w in doc.warnings if w.code in ("unassigned", "heading_in_section")] == []  # issue 11
    for s in sections:
        assert not re.search(r"[-—] ?[0-9]+ ?[-—]", s.text), s.text  # no page number inside a section
        assert s.page is not None and s.bbox is not None


@pytest.mark.parametrize("password,ok", [("secret", True), ("wrong", False)])
def test_encrypted_pdf_with_password(password, ok):
    run = run_cli("extract", "--password", password, PDFS / "encrypted.pdf", timeout=120)
    assert "Traceback" not in run.stderr
    if ok:
        assert run.exit_code == 0 and json.loads(run.stdout)["source"]["format"] == "pdf"
    else:
        assert run.exit_code == 1 and "wrong password" in run.stderr


@pytest.mark.slow
def test_thousand_page_pdf_reads_in_bounded_memory(tmp_path):
    """Pages are read in chunks and released: peak memory for 1 000 pages stays far below what keeping
    every parsed page costs (bare pdfplumber with flush_cache peaks above 1 GB on this file)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_pdf import make_long_pdf

    path = tmp_path / "long.pdf"
    make_long_pdf(str(path), 1000)
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child of a big test process (the OCR
    # tests load models) would report its parent's peak
    code = ("import re, sys; from extract.read.pdf import read_pdf; s = read_pdf(sys.argv[1]); "
            "print(s.page_count, re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))")
    run = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=600,
                         cwd=str(ROOT), check=True)
    pages, peak_kb = map(int, run.stdout.split())
    assert pages == 1000
    assert peak_kb < 300_000, f"peak RSS {peak_kb} KB"


def test_prose_inside_a_ruled_frame_reads_as_paragraphs():
    """realpdf01 draws a ruled frame around its prose (a table finder sees a 22-row table of one cell
    each): the lines still join into paragraphs, and figures carry their page and box."""
    from extract.pipeline import extract_file

    doc = extract_file(str(ROOT / "tests" / "fixtures" / "realpdf" / "realpdf01.pdf"))
    first = doc.parts[0].sections[0]
    assert "习近平新时代中国特色社会主义思想为指导" in first.text
    figures = [f for s in first.subsections for f in s.figures] + first.figures
    found = [f for f in figures if f.text.replace(" ", "") == "21件"]
    assert found and found[0].value == 21 and found[0].page == 1 and found[0].bbox is not None


@pytest.mark.parametrize("pdf,sample", [(f[0], f[1]) for f in FIXTURES], ids=[f[0] for f in FIXTURES])
def test_pdf_and_its_text_give_the_same_records(pdf, sample):
    from extract.pipeline import extract_file

    assert reader_records(extract_file(str(PDFS / pdf))) == reader_records(extract_file(str(ROOT / "samples" / f"{sample}.txt")))


def _mixed_pdf(path, pages):
    """A PDF whose pages are 'text' (a line of Chinese in STSong-Light), 'image' (a scan: only a picture)
    or 'blank'."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for kind in pages:
        if kind == "text":
            c.setFont("STSong-Light", 16)
            c.drawString(72, 700, "一、召开全市工会工作视频会议。28日，市总工会召开会议。")
        elif kind == "image":
            c.drawImage(ImageReader(Image.new("L", (200, 100), 128)), 72, 500, 400, 200)
        c.showPage()
    c.save()


# pages without a text layer: with --ocr never they are an error naming them; by default they are read
# by OCR (here the image holds no text, so they are blank pages); a blank page is only noted
MIXED = [
    (["text", "image", "text", "image"], ["--ocr", "never"],
     "pages 2, 4 of 4 without a text layer (scanned images): run without --ocr never to read them by OCR"),
    (["image"], ["--ocr", "never"], "no text layer on any page (1 page): a scan, run without --ocr never to read it by OCR"),
    (["blank", "image"], [], "no text found on any page (2 pages)"),
    (["text", "blank"], [], "page 2 blank (no text found)"),
    (["text", "image"], [], "page 2 blank (no text found)"),
]


@pytest.mark.slow
@pytest.mark.parametrize("pages,args,message", MIXED, ids=["-".join(m[0] + m[1]) for m in MIXED])
def test_pages_without_text(pages, args, message, tmp_path):
    path = tmp_path / "mixed.pdf"
    _mixed_pdf(path, pages)
    (tmp_path / "out").mkdir()
    run = run_cli("extract", path, "-o", tmp_path / "out", *args, timeout=300)
    assert "Traceback" not in run.stderr
    if "text" not in pages or "never" in args:
        assert run.exit_code == 1 and run.stderr.strip() == f"bulletin: {path}: {message}"
    else:
        assert run.exit_code == 0, run.stderr
        data = json.loads((tmp_path / "out" / "mixed.json").read_text(encoding="utf-8"))
        assert {"code": "blank_pages", "message": message} in [{k: w[k] for k in ("code", "message")} for w in data["warnings"]]
        assert data["source"]["page_count"] == 2 and "28日" in data["text"]
        assert data["source"]["ocr_pages"] == ([2] if "image" in pages else [])


def test_a_header_row_repeated_on_every_page_of_a_long_table_is_dropped(tmp_path):
    """A ruled table over four pages with its header row repeated on each (reportlab repeatRows): the
    repeats on pages 2, 3 and 4 are running headers, the first page's is the table's. Before, a table
    over three pages or more failed the PDF (the header of two pages back had been released)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from extract.read.pdf import read_pdf

    path = tmp_path / "long-table.pdf"
    rows = [["No.", "Task", "Leader", "Due"]] + [[str(i), f"task number {i}", "Wang Wei", "2020-09"] for i in range(1, 120)]
    table = Table(rows, colWidths=[40, 220, 100, 80], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    SimpleDocTemplate(str(path), pagesize=A4).build([table])

    src = read_pdf(str(path))
    header_starts = [i for i in range(len(src.text)) if src.text.startswith("No.  Task", i) and (i == 0 or src.text[i - 1] == "\n")]
    pages = [src.char_boxes[i][0] for i in header_starts]
    assert src.page_count == 4 and pages == [1, 2, 3, 4]
    assert [src.line_hints.get(i) for i in header_starts] == ["table_row", "running_header", "running_header", "running_header"]
