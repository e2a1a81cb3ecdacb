"""Hostile files and careless operators (issue 10): every case a line, with its expected exit status,
message and bounds (seconds, peak memory). Bounds are enforced by the program (limits.py), not hoped
for: a case that hangs or grows past its bound fails here."""
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import hostile
from conftest import ROOT, SAMPLES, run_cli

pytestmark = pytest.mark.slow  # pytest -m 'not slow' leaves this module out; CI runs it

BULLETIN = [sys.executable, "-m", "extract.cli"]
GOOD = "某某局2020年8月工作综述\n\n一、开展活动。6日，慰问职工 50 人，投入资金172万元。\n"
TIME_LIMIT = 300  # seconds a command may take: past it the case fails


def run_process(args, cwd, timeout=TIME_LIMIT, env=None):
    """Run the command as a process, for the cases that need one (each says why; else run_cli): (exit status,
    stdout, stderr, seconds, peak RSS in MB from /proc VmHWM)."""
    t = time.monotonic()
    p = subprocess.Popen(BULLETIN + [str(a) for a in args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    peak = 0
    while p.poll() is None:
        try:
            with open(f"/proc/{p.pid}/status") as fh:
                peak = max([peak] + [int(ln.split()[1]) for ln in fh if ln.startswith("VmHWM")])
        except OSError:
            pass
        if time.monotonic() - t > timeout:
            p.kill()
            pytest.fail(f"{args}: no answer in {timeout} s")
        time.sleep(0.05)
    out, err = p.communicate()
    return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), time.monotonic() - t, peak / 1024


def _text(tmp, name, content=GOOD, encoding="utf-8"):
    p = tmp / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    return p


def _symlink(tmp, name, target):
    p = tmp / name
    p.symlink_to(target)
    return p


def _pdf(tmp, name, data):
    p = tmp / name
    p.write_bytes(data)
    return p


# name, arguments (made in tmp), exit status, pattern of stderr (one line each), seconds, MB
EXTRACT_CASES = [
    ("dev_zero", lambda t: ["/dev/zero"], 1, [r"/dev/zero: is a character device, not a file"], 20, 300),
    ("symlink_to_dev_zero", lambda t: [_symlink(t, "zero.txt", "/dev/zero")], 1,
     [r"zero\.txt: is a character device, not a file"], 20, 300),
    ("fifo", lambda t: [os.mkfifo(t / "pipe.txt") or t / "pipe.txt"], 1, [r"pipe\.txt: is a named pipe, not a file"], 20, 300),
    ("symlink_loop", lambda t: [_symlink(t, "loop.txt", t / "loop.txt")], 1, [r"loop\.txt: symbolic link loop"], 20, 300),
    ("missing_image", lambda t: [t / "missing.png"], 1, [r"missing\.png: no such file"], 20, 300),
    ("ideographic_space_only", lambda t: [_text(t, "ws.txt", "\u3000\n \u3000\n")], 1, [r"ws\.txt: empty file"], 20, 300),
    ("invisible_only", lambda t: [_text(t, "zw.txt", "\u200b\u200b\n")], 1, [r"zw\.txt: empty file"], 20, 300),
    ("newline_in_name", lambda t: [_text(t, "bad\nname.txt", "")], 1, [r"bad\\nname\.txt: empty file"], 20, 300),
    ("self_reference_mediabox", lambda t: [_pdf(t, "m.pdf", hostile.self_referencing_pdf("MediaBox"))], 1,
     [r"m\.pdf: damaged PDF"], 30, 400),
    ("self_reference_contents", lambda t: [_pdf(t, "c.pdf", hostile.self_referencing_pdf("Contents"))], 1,
     [r"c\.pdf: no text layer on any page"], 30, 400),
    ("flate_bomb_300mb", lambda t: [_pdf(t, "bomb.pdf", hostile.flate_bomb_pdf(300 << 20))], 1,
     [r"bomb\.pdf: a compressed stream inflates to more than 128 MB"], 30, 700),
    ("unmapped_font_no_ocr", lambda t: [hostile.unmapped_font_pdf(t / "cid.pdf"), "--ocr", "never"], 1,
     [r"cid\.pdf: no usable text on any page \(its fonts map their glyphs to no characters\)"], 30, 400),
    ("output_over_input", lambda t: [_pdf(t, "v.pdf", b"%PDF-1.4 not really"), "-o", t / "v.pdf"], 2,
     [r"v\.pdf: the output would overwrite an input file"], 20, 300),
    ("time_limit", lambda t: [_text(t, "long.txt", "某某局八月份工作综述\n\n一、开展活动。" + "6日，慰问职工 5 万多人，发放物资 5900 份。" * 40_000),
                              "--timeout", "1"], 1, [r"long\.txt: stopped: time limit of 1 s reached \(--timeout\)"], 30, 600),
]


@pytest.mark.parametrize("name,make,status,messages,seconds,mb", EXTRACT_CASES, ids=[c[0] for c in EXTRACT_CASES])
def test_extract_bad_input(name, make, status, messages, seconds, mb, tmp_path):
    args = make(tmp_path)
    before = {p: p.stat().st_mtime_ns for p in tmp_path.iterdir() if p.is_file() and not p.is_symlink()}
    code, out, err, took, peak = run_process(["extract"] + args, cwd=tmp_path)  # a process: its seconds and memory
    lines = err.strip().split("\n")
    assert code == status, err
    assert len(lines) == len(messages) and all(re.match(r"bulletin: .*" + m, ln) for ln, m in zip(lines, messages)), err
    assert "Traceback" not in err and out == ""
    assert took < seconds and peak < mb, (took, peak)
    assert {p: p.stat().st_mtime_ns for p in before} == before  # no input touched


def _ocr_installed():
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


needs_ocr = pytest.mark.skipif(not _ocr_installed(), reason="the ocr extra is not installed")

# name, make(tmp) -> input, warning code expected (or None), text the output must hold, seconds, MB
DOCUMENT_CASES = [
    ("rotate_90", lambda t: hostile.text_pdf(t / "r.pdf", rotate=90), "text_turned", hostile.LINES[1], 30, 500),
    ("rotate_180", lambda t: hostile.text_pdf(t / "r.pdf", rotate=180), "text_turned", hostile.LINES[1], 30, 500),
    ("rotate_270", lambda t: hostile.text_pdf(t / "r.pdf", rotate=270), "text_turned", hostile.LINES[1], 30, 500),
    ("text_drawn_turned_90", lambda t: hostile.text_pdf(t / "r.pdf", turn=90), "text_turned", hostile.LINES[1], 30, 500),
    ("text_drawn_turned_180", lambda t: hostile.text_pdf(t / "r.pdf", turn=180), "text_turned", hostile.LINES[1], 30, 500),
    ("text_drawn_turned_270", lambda t: hostile.text_pdf(t / "r.pdf", turn=270), "text_turned", hostile.LINES[1], 30, 500),
    ("self_reference_resources", lambda t: _pdf(t, "r.pdf", hostile.self_referencing_pdf("Resources")), "no_structure",
     "hello", 30, 400),
    ("utf16_le_without_bom", lambda t: _text(t, "le.txt", GOOD, "utf-16-le"), None, "慰问职工 50 人", 30, 500),
    ("utf16_be_without_bom", lambda t: _text(t, "be.txt", GOOD, "utf-16-be"), None, "慰问职工 50 人", 30, 500),
    ("replacement_characters", lambda t: _text(t, "r.txt", GOOD.replace("活动", "\ufffd\ufffd")), "replacement_characters",
     "慰问职工", 30, 500),
    pytest.param("unmapped_font_ocr", lambda t: hostile.unmapped_font_pdf(t / "cid.pdf"), "unmapped_font", hostile.LINES[1],
                 120, 1500, marks=needs_ocr),
    pytest.param("grey16_faint", lambda t: hostile.grey16_png(t / "f.png", faint=True), None, "慰问职工7000人", 120, 1500,
                 marks=needs_ocr),
    pytest.param("grey16_dark", lambda t: hostile.grey16_png(t / "d.png", faint=False), None, "慰问职工7000人", 120, 1500,
                 marks=needs_ocr),
    pytest.param("jpeg_damaged_mid_file", lambda t: hostile.damaged_jpeg(t / "d.jpg"), "damaged_image", hostile.LINES[0],
                 120, 1500, marks=needs_ocr),
]


@pytest.mark.parametrize("name,make,warning,holds,seconds,mb", DOCUMENT_CASES,
                         ids=[c.values[0] if hasattr(c, "marks") else c[0] for c in DOCUMENT_CASES])
def test_damaged_but_readable_input_is_read_with_a_warning(name, make, warning, holds, seconds, mb, tmp_path):
    path = make(tmp_path)
    code, out, err, took, peak = run_process(["extract", path], cwd=tmp_path)  # a process: its seconds and memory
    assert code == 0 and err == "", err
    doc = json.loads(out)
    assert holds in doc["text"] and "(cid:" not in doc["text"]
    if warning:
        assert warning in [w["code"] for w in doc["warnings"]]
    assert took < seconds and peak < mb, (took, peak)


@needs_ocr
@pytest.mark.parametrize("inches", [(200, 22), (200, 200)])
def test_a_giant_scanned_page_is_rendered_within_the_pixel_cap(inches, tmp_path):
    """Before: 5.3 GB at 200 × 22 in, MemoryError at 200 × 200 in. Now the page is rendered at no more
    than 80 MP; the page holds nothing to read, so the error says so."""
    path = _pdf(tmp_path, "giant.pdf", hostile.giant_scan_pdf(*inches))
    code, out, err, took, peak = run_process(["extract", path], cwd=tmp_path)  # a process: its peak memory
    assert code == 1 and re.fullmatch(r"bulletin: .*giant\.pdf: no text found on any page \(1 page\)\n", err), err
    assert peak < 2000, peak


def test_turned_text_reads_as_upright_and_boxes_lie_on_the_turned_page(tmp_path):
    from extract.pipeline import extract_file

    upright = extract_file(str(hostile.text_pdf(tmp_path / "up.pdf")))
    for kw in ({"rotate": 90}, {"rotate": 180}, {"turn": 270}):
        doc = extract_file(str(hostile.text_pdf(tmp_path / "t.pdf", **kw)))
        assert doc.text == upright.text
        fig = doc.parts[0].sections[0].figures[0]
        x0, top, x1, bottom = fig.bbox  # on the page turned upright: A4 portrait again
        assert 0 <= x0 < x1 <= 596 and 0 <= top < bottom <= 842 and x1 - x0 > bottom - top


@pytest.mark.parametrize("name", ["jingzhou-ftu-2020-08", "yunxi-hrss-2020-12", "songling-duban-2022-07"])
@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_rotated_pdf_reads_as_the_upright_one(tmp_path, name, degrees):
    """A sample PDF whose pages a viewer turned (/Rotate): the same text, parts, items and boxes as upright
    (the boxes lie on the page turned upright); source.turned_pages says how far each page was turned."""
    import pypdfium2

    from extract.pipeline import extract_file

    upright = ROOT / "tests" / "fixtures" / "samplepdf" / f"{name}.libreoffice.pdf"
    pdf = pypdfium2.PdfDocument(str(upright))
    for i in range(len(pdf)):
        pdf[i].set_rotation(degrees)
    pdf.save(str(tmp_path / "r.pdf"))
    pdf.close()
    a, b = extract_file(str(upright)).model_dump(), extract_file(str(tmp_path / "r.pdf")).model_dump()
    assert (b["text"], b["repairs"], b["parts"]) == (a["text"], a["repairs"], a["parts"])
    assert b["source"]["turned_pages"] == [{"page": p, "degrees": 360 - degrees} for p in range(1, a["source"]["page_count"] + 1)]


def test_the_time_limit_holds_in_a_task_thread_too(tmp_path):
    """A Dask worker runs each document in a thread, where no alarm can be set: the limit is sent as an
    asynchronous exception instead, and a limit that was not reached never fires later."""
    import threading

    from extract.errors import InputError
    from extract.pipeline import extract_file

    slow = _text(tmp_path, "slow.txt", "某某局八月份工作综述\n\n一、开展活动。" + "6日，慰问职工 5 万多人，发放物资 5900 份。" * 40_000)
    fast = _text(tmp_path, "fast.txt")
    got = {}

    def work():
        extract_file(str(fast), timeout=None)  # the segmenter loaded
        for _ in range(20):
            extract_file(str(fast), timeout=0.5)
        try:
            extract_file(str(slow), timeout=1)
        except InputError as exc:
            got["reason"] = exc.reason
        time.sleep(1)  # a stray timeout would land here
        got["after"] = True

    t = threading.Thread(target=work)
    t.start()
    t.join(60)
    assert got == {"reason": "stopped: time limit of 1 s reached (--timeout)", "after": True}


# invisible format characters: (text, what must come out)
INVISIBLE_CASES = [
    ("某某局2020年8月工作综述\n\n一、开展活动。共计1\u200b72万元。\n", ("figure", 1_720_000)),
    ("某某局2020年8月工作综述\n\n一、开展活动。共计17\u200d2万元。\n", ("figure", 1_720_000)),
    ("某某局2020年8月工作综述\n\n一、开展活动。共计17\u00ad2万元。\n", ("figure", 1_720_000)),
    ("某某局2020年8月工作综述\n\n\u202e一、开展活动。共计172万元。\n", ("sections", 1)),
    ("某某局20\u200b20年8月工作综述\n\n一、开展活动。6日，共计172万元。\n", ("date", "2020-08-06")),
    ("\ufeff某某局2020年8月工作综述\n\n一、开展\u2060活动。共计172万元。\n", ("figure", 1_720_000)),
]


@pytest.mark.parametrize("text,expected", INVISIBLE_CASES)
def test_invisible_characters_are_removed_as_repairs(text, expected):
    from extract.pipeline import extract_text
    from extract.repair import rebuild_original

    doc = extract_text(text)
    sections = [s for p in doc.parts for s in p.sections]
    kind, value = expected
    if kind == "figure":
        assert [f.value for s in sections for f in s.figures] == [value]
    elif kind == "sections":
        assert len(sections) == value
    else:
        assert [str(d.start) for s in sections for d in s.dates] == [value]
    assert "invisible_characters" in [w.code for w in doc.warnings]
    assert rebuild_original(doc.text, doc.repairs) == text  # spans still map to the source
    for s in sections:
        for f in s.figures:
            assert doc.text[f.span[0]:f.span[1]] == f.text


def test_items_numbered_100_and_up_are_headings():
    from extract.pipeline import extract_text

    text = "某某局八月份工作综述\n\n" + "".join(f"{i}、第{i}项工作，投入{i}万元。\n" for i in range(1, 131))
    sections = extract_text(text).parts[0].sections
    assert [s.number for s in sections] == list(range(1, 131))
    assert all(len(s.figures) == 1 for s in sections)


def test_extract_output_names_never_collide_or_overwrite(tmp_path):
    a = _text(tmp_path, "a/x.txt")
    b = _text(tmp_path, "b/x.txt", GOOD.replace("50", "60"))
    c = hostile.text_pdf(tmp_path / "x.pdf")
    run = run_cli("extract", a, b, c, "-o", tmp_path / "out", cwd=tmp_path, timeout=TIME_LIMIT)
    assert run.exit_code == 0, run.stderr
    got = {p.name: json.loads(p.read_text(encoding="utf-8"))["source"]["path"] for p in (tmp_path / "out").iterdir()}
    assert got == {"x.json": str(a), "x-2.json": str(b), "x-3.json": str(c)}


@pytest.mark.parametrize("output,written", [
    ("nodir/sub/out.json", "nodir/sub/out.json"),  # folders made
    ("newdir/", "newdir/x.json"),  # a name ending in / is a folder
    ("a" * 200 + "/", "a" * 200 + "/" + "关于" * 40 + ".json"),  # a long Chinese name fits
])
def test_extract_output_places(output, written, tmp_path):
    src = _text(tmp_path, "x.txt" if "关于" not in written else "关于" * 40 + ".txt")
    run = run_cli("extract", src, "-o", output, cwd=tmp_path, timeout=TIME_LIMIT)  # `output` is relative
    assert run.exit_code == 0, run.stderr
    assert json.loads((tmp_path / written).read_text(encoding="utf-8"))["source"]["path"] == str(src)


def test_several_documents_to_stdout_are_json_lines(tmp_path):
    a, b = _text(tmp_path, "a.txt"), _text(tmp_path, "b.txt", GOOD.replace("50", "60"))
    run = run_cli("extract", a, b, cwd=tmp_path, timeout=TIME_LIMIT)
    lines = run.stdout.splitlines()
    assert run.exit_code == 0 and len(lines) == 2
    assert [json.loads(ln)["source"]["path"] for ln in lines] == [str(a), str(b)]


@pytest.mark.parametrize("umask,existing,expected", [(0o022, None, 0o644), (0o002, None, 0o664), (0o077, None, 0o600),
                                                      (0o022, 0o640, 0o640), (0o077, 0o644, 0o644)])
def test_outputs_get_the_mode_an_ordinary_write_gives(umask, existing, expected, tmp_path):
    src = _text(tmp_path, "x.txt")
    target = tmp_path / "x.json"
    if existing is not None:
        target.write_text("{}")
        target.chmod(existing)
    old = os.umask(umask)
    try:
        # processes: a process reads its umask once (write._new_file_mode), so each umask needs a fresh one
        code, _, err, _, _ = run_process(["extract", src, "-o", target], cwd=tmp_path)
        batch = run_process(["batch", src, "-o", tmp_path / "out"], cwd=tmp_path)
    finally:
        os.umask(old)
    assert code == 0, err
    assert target.stat().st_mode & 0o777 == expected
    if existing is None:
        for f in [tmp_path / "out" / "bulletins.jsonl", *(tmp_path / "out" / "json").iterdir()]:
            assert f.stat().st_mode & 0o777 == expected, (f, oct(f.stat().st_mode))
    assert batch[0] == 0


def test_extract_on_a_full_disk_says_so_in_one_line(tmp_path, monkeypatch):
    import errno

    from typer.testing import CliRunner

    import extract.write
    from extract.cli import app

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(extract.write, "write_atomic", full)
    src = _text(tmp_path, "x.txt")
    result = CliRunner().invoke(app, ["extract", str(src), str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"bulletin: {tmp_path / 'out' / name}: cannot write: No space left on device"
                                          for name in ("x.json", "x-2.json")]


# ---- batch


def _shelf(tmp, n, joined=1):
    """`n` different bulletins: `joined` samples one after another, each copy with its own issue line."""
    from extract.read.text import read_text

    folder = tmp / "shelf"
    folder.mkdir(exist_ok=True)
    samples = sorted(SAMPLES.glob("*.txt"))
    texts = [read_text(str(s)).text for s in samples]
    for i in range(n):
        text = "".join(texts[(i + k) % len(samples)] for k in range(joined))
        (folder / f"{samples[i % len(samples)].stem}-{i:04d}.txt").write_text(text + f"\n第{i}期\n", encoding="utf-8")
    return folder


def _documents(out):
    conn = sqlite3.connect(out / "bulletins.db")
    try:
        return [p for (p,) in conn.execute("SELECT path FROM documents")]
    finally:
        conn.close()


def test_batch_bad_inputs_each_fail_alone(tmp_path):
    """A long Chinese name (240 bytes before the hash), a device behind a symlink, a FIFO, a file equal
    to one that failed: each gets its line; the rest are extracted."""
    shelf = tmp_path / "in"
    shelf.mkdir()
    long = _text(shelf, "关于" * 40 + ".txt")
    _text(shelf, "good.txt", GOOD.replace("50", "70"))
    _symlink(shelf, "zero.txt", "/dev/zero")
    os.mkfifo(shelf / "pipe.txt")
    _text(shelf, "bad1.txt", b"\x81\x30\xff\xfe\xfd\x80" * 200)
    _text(shelf, "bad2.txt", b"\x81\x30\xff\xfe\xfd\x80" * 200)  # same bytes as bad1
    run = run_cli("batch", shelf, "-o", tmp_path / "out", "-j", "1", cwd=tmp_path, timeout=120)
    assert run.exit_code == 3, run.stderr
    lines = [ln for ln in run.stderr.strip().splitlines() if not ln.startswith("batch: [")]  # progress, not a terminal
    assert sorted(lines[:-1]) == sorted([
        f"bulletin: {shelf / 'bad1.txt'}: cannot decode: not UTF-8 or GB18030 text",
        f"bulletin: {shelf / 'bad2.txt'}: same content as {shelf / 'bad1.txt'}, which failed: cannot decode: not UTF-8 or GB18030 text",
        f"bulletin: {shelf / 'pipe.txt'}: is a named pipe, not a file",
        f"bulletin: {shelf / 'zero.txt'}: is a character device, not a file"])
    assert lines[-1].startswith("batch: 6 documents: 2 extracted, 0 already done, 4 failed")
    assert sorted(_documents(tmp_path / "out")) == sorted([str(long), str(shelf / "good.txt")])
    assert all(len(p.name.encode()) <= 255 for p in (tmp_path / "out" / "json").iterdir())


def test_no_resume_starts_every_output_over(tmp_path):
    a = _text(tmp_path, "a.txt")
    b = _text(tmp_path, "b.txt", GOOD.replace("50", "60"))
    assert run_cli("batch", a, b, "-o", tmp_path / "out", cwd=tmp_path, timeout=TIME_LIMIT).exit_code == 0
    assert run_cli("batch", a, "-o", tmp_path / "out", "--no-resume", cwd=tmp_path, timeout=TIME_LIMIT).exit_code == 0
    assert [p.name.split("-")[0] for p in (tmp_path / "out" / "json").iterdir()] == ["a"]
    assert _documents(tmp_path / "out") == [str(a)]


def test_dask_with_a_bad_scheduler_address_is_one_line(tmp_path):
    run = run_cli("batch", _text(tmp_path, "a.txt"), "-o", tmp_path / "out", "--executor", "dask",
                  "--scheduler", "not a url", cwd=tmp_path, timeout=120)
    assert run.exit_code == 2, run.stderr
    assert re.fullmatch(r"bulletin: cannot reach the Dask scheduler at 'not a url': .*\n", run.stderr), run.stderr


@pytest.mark.parametrize("fail_at", ["json", "database"])
def test_batch_on_a_full_disk_stops_in_one_line_and_resumes(fail_at, tmp_path, monkeypatch):
    import errno

    from extract import batch, db

    shelf = _shelf(tmp_path, 6)
    calls = {"n": 0}
    if fail_at == "json":
        import extract.write

        real = extract.write.write_atomic

        def flaky(path, data):
            if "/json/" in path:
                calls["n"] += 1
                if calls["n"] == 3:
                    raise OSError(errno.ENOSPC, "No space left on device")
            return real(path, data)

        monkeypatch.setattr(extract.write, "write_atomic", flaky)
    else:
        real = db.load_document

        def flaky(conn, doc, name=None):
            calls["n"] += 1
            if calls["n"] == 3:
                raise sqlite3.OperationalError("database or disk is full")
            return real(conn, doc, name)

        monkeypatch.setattr(db, "load_document", flaky)
    with pytest.raises(batch.BatchError, match="the disk is full; what was finished is kept"):
        batch.run_batch([str(shelf)], tmp_path / "out", jobs=1)
    monkeypatch.undo()
    assert len(_documents(tmp_path / "out")) == 2
    summary = batch.run_batch([str(shelf)], tmp_path / "out", jobs=1)
    assert summary.extracted == 4 and summary.skipped == 2 and summary.failed == 0
    assert sorted(_documents(tmp_path / "out")) == sorted(str(p) for p in shelf.iterdir())
    lines = (tmp_path / "out" / "bulletins.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(ln)["source"]["path"] for ln in lines) == sorted(str(p) for p in shelf.iterdir())


def _descendants(pid):
    import psutil

    return psutil.Process(pid).children(recursive=True)


@pytest.mark.parametrize("sig,status", [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGKILL, -9)])
def test_a_stopped_batch_leaves_no_process_and_resumes(sig, status, tmp_path):
    """SIGTERM and SIGINT stop `batch -j 2` within 5 s with a line; SIGKILL too: the workers die with
    it (none is left holding the batch's stdout open), and the next run resumes where it stopped.
    Documents of three samples each make results larger than a pipe holds, so a worker can be killed
    in the middle of sending one (which once left the pool's manager thread waiting at exit)."""
    import psutil

    shelf = _shelf(tmp_path, 240, joined=3)
    out = tmp_path / "out"
    # processes: the batch is stopped by a signal (its workers must die with it), then a fresh run resumes
    # a suite started in the background of a non-interactive shell inherits SIGINT ignored (POSIX): the batch
    # under test gets the default disposition, as from a terminal
    p = subprocess.Popen(BULLETIN + ["batch", str(shelf), "-o", str(out), "-j", "2"], cwd=tmp_path,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)},
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not (out / "json").exists() or len(list((out / "json").glob("*.json"))) < 10:
        assert p.poll() is None and time.monotonic() < deadline, "the batch ended before it could be stopped"
        time.sleep(0.1)
    kids = _descendants(p.pid)
    assert len(kids) >= 2  # the workers (and the resource tracker)
    t = time.monotonic()
    p.send_signal(sig)
    try:
        _, err = p.communicate(timeout=30)
    finally:
        if p.poll() is None:  # a batch that did not stop must not outlive the test
            p.kill()
    assert time.monotonic() - t < 5 and p.returncode == status, err
    if sig != signal.SIGKILL:
        assert err.decode().strip().splitlines()[-1].startswith("bulletin: ") and "run the same command again" in err.decode()
        assert "Traceback" not in err.decode()
    gone, alive = psutil.wait_procs(kids, timeout=5)
    assert alive == []
    code, _, err2, _, _ = run_process(["batch", shelf, "-o", out, "-j", "2"], cwd=tmp_path)
    assert code == 0, err2
    docs = _documents(out)
    assert len(docs) == len(set(docs)) == 240
    lines = (out / "bulletins.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 240 and len({json.loads(ln)["source"]["sha256"] for ln in lines}) == 240


# ---- load and search


def _load(tmp, *files):
    return run_cli("load", *files, "--db", tmp / "load.db", cwd=tmp, timeout=TIME_LIMIT)  # names relative to tmp


def _good_doc():
    from extract.pipeline import extract_text

    return json.loads(extract_text(GOOD, path="good.txt").model_dump_json())


@pytest.mark.parametrize("name,content,where,reason", [
    ("nested.json", "[" * 100_000 + "]" * 100_000, "nested.json", r"not JSON this program reads \(nested too deeply\)"),
    ("bigint.json", lambda d: json.dumps({**d, "parts": [{**d["parts"][0], "sections": [{**d["parts"][0]["sections"][0],
                                                                                       "number": 10 ** 30}]}]}),
     "bigint.json", r"cannot be loaded \(OverflowError"),
    ("version.json", lambda d: json.dumps({**d, "schema_version": "9.0.0"}), "version.json", r"schema version '9\.0\.0'"),
    ("banana.json", lambda d: json.dumps({**d, "schema_version": "banana"}), "banana.json", r"schema version 'banana'"),
    ("span.json", lambda d: json.dumps({**d, "text": d["text"].replace("172", "999")}), "span.json",
     r"a span does not hold its text"),
    ("lines.jsonl", lambda d: json.dumps({**d, "source": {**d["source"], "sha256": "1" * 64}}) + "\n{not json\n"
     + json.dumps({**d, "source": {**d["source"], "sha256": "2" * 64}}) + "\n", "lines.jsonl:2", r"not JSON"),
])
def test_load_reports_each_bad_document_and_loads_the_rest(name, content, where, reason, tmp_path):
    doc = _good_doc()
    (tmp_path / name).write_text(content(doc) if callable(content) else content, encoding="utf-8")
    (tmp_path / "ok.json").write_text(json.dumps(doc), encoding="utf-8")
    run = _load(tmp_path, name, "ok.json")
    lines = run.stderr.strip().splitlines()
    assert run.exit_code == 3 and "Traceback" not in run.stderr
    assert re.fullmatch(rf"bulletin: {re.escape(where)}: {reason}.*", lines[0]), run.stderr
    added = 3 if name == "lines.jsonl" else 1
    assert lines[-1].startswith(f"load: {added} added"), run.stderr


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("searchdb")
    _text(tmp, "a.txt", GOOD.replace("开展活动", "开展KTV场所检查"))
    assert run_cli("batch", tmp / "a.txt", "-o", tmp / "out", cwd=tmp, timeout=TIME_LIMIT).exit_code == 0
    return tmp / "out" / "bulletins.db"


@pytest.mark.parametrize("args,status,pattern", [
    (["--limit", "99999999999999999999", "--json", "检查"], 0, None),
    (["--min", "nan"], 2, r"bulletin: --min wants a number, not nan"),
    (["--max", "inf"], 2, r"bulletin: --max wants a number, not inf"),
    (["--limit", "-1"], 2, None),
])
def test_search_arguments(small_db, args, status, pattern, tmp_path):
    run = run_cli("search", small_db, *args, cwd=tmp_path, timeout=TIME_LIMIT)
    assert run.exit_code == status and "Traceback" not in run.stderr, run.stderr
    if pattern:
        assert re.fullmatch(pattern + r"\n", run.stderr), run.stderr


@pytest.mark.parametrize("words", ["k", "kt", "ktv", "K", "Ktv", "KTV场所"])
def test_search_folds_case_whatever_the_length(small_db, words, tmp_path):
    run = run_cli("search", small_db, words, "--json", cwd=tmp_path, timeout=TIME_LIMIT)
    assert run.exit_code == 0 and len(run.stdout.splitlines()) == 1, (words, run.stdout, run.stderr)


def test_search_finds_sections_a_stopped_run_did_not_index(small_db, tmp_path):
    import shutil

    db = tmp_path / "copy.db"
    shutil.copy(small_db, db)
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO sections_fts(sections_fts) VALUES ('delete-all')")
    conn.execute("UPDATE meta SET value = '0' WHERE key = 'fts_upto'")
    conn.commit()
    conn.close()
    for words in ("检查", "KTV场所", "慰问职工"):
        run = run_cli("search", db, words, "--json", cwd=tmp_path, timeout=TIME_LIMIT)
        assert run.exit_code == 0 and len(run.stdout.splitlines()) == 1, (words, run.stderr)


def test_search_on_a_foreign_database_is_one_line(tmp_path):
    db = tmp_path / "foreign.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.commit()
    conn.close()
    run = run_cli("search", db, "工会", cwd=tmp_path, timeout=TIME_LIMIT)
    assert run.exit_code == 2
    assert re.fullmatch(rf"bulletin: {re.escape(str(db))}: not a bulletins database \(no table .*\)\n", run.stderr), run.stderr


def test_search_on_read_only_media(small_db, tmp_path):
    """A database on read-only media (a bind mount made read-only; root only) opens as immutable."""
    ro = tmp_path / "ro"
    ro.mkdir()
    if subprocess.run(["mount", "--bind", str(small_db.parent), str(ro)], capture_output=True).returncode != 0:
        pytest.skip("cannot bind-mount here")
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)], capture_output=True).returncode != 0:
            pytest.skip("cannot remount read-only here")
        run = run_cli("search", ro / "bulletins.db", "检查", "--json", cwd=tmp_path, timeout=TIME_LIMIT)
        assert run.exit_code == 0 and len(run.stdout.splitlines()) == 1, run.stderr
    finally:
        subprocess.run(["umount", str(ro)], capture_output=True)


# ---- the dictionary cache


def _cold_segment(cache: Path, home: Path) -> subprocess.CompletedProcess:
    code = "from extract.segment import word_freq; print(word_freq()('工会'))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "BULLETIN_CACHE": str(cache), "HOME": str(home)})


def test_dictionary_cache_is_private_and_shared_by_every_environment(tmp_path):
    import tempfile

    cache = tmp_path / "cache"
    before = set(os.listdir(tempfile.gettempdir()))
    for _ in range(2):
        run = _cold_segment(cache, tmp_path)
        assert run.returncode == 0 and run.stdout.strip() != "0", run.stderr
    files = list(cache.iterdir())
    assert len(files) == 1 and re.fullmatch(r"jieba-0\.42\.1-[0-9a-f]{16}\.sqlite", files[0].name)
    assert cache.stat().st_mode & 0o777 == 0o700 and files[0].stat().st_mode & 0o777 == 0o600
    assert not [n for n in set(os.listdir(tempfile.gettempdir())) - before if "jieba" in n]


def test_a_cache_others_can_write_is_never_loaded(tmp_path):
    """A dictionary planted in a folder another user can write would change every segmentation: such a
    folder is not used at all (the dictionary is built in memory); a damaged cache is rebuilt."""
    import sqlite3

    cache = tmp_path / "shared"
    cache.mkdir()
    run = _cold_segment(cache, tmp_path)  # write the real cache
    real = run.stdout.strip()
    (cached,) = cache.iterdir()
    with sqlite3.connect(cached) as db:  # forge it: 工会 becomes rare
        db.execute("UPDATE freq SET freq = 7 WHERE word = '工会'")
    assert _cold_segment(cache, tmp_path).stdout.strip() == "7"  # (the forged file is what is read)
    os.chmod(cache, 0o777)  # now anyone could have written it
    run = _cold_segment(cache, tmp_path)
    assert run.returncode == 0 and run.stdout.strip() == real, run.stderr
    os.chmod(cache, 0o700)
    cached.write_bytes(b"not a database" * 100)
    run = _cold_segment(cache, tmp_path)
    assert run.returncode == 0 and run.stdout.strip() == real, run.stderr


def test_no_test_depends_on_a_system_font():
    """The tests draw with the font under tests/fixtures/fonts; no test opens one from the system."""
    for path in list((ROOT / "tests").glob("*.py")) + list((ROOT / "benchmarks").glob("*.py")):
        assert "/usr/share/" + "fonts" not in path.read_text(encoding="utf-8"), path
