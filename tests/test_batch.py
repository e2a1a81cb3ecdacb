"""Archive runs (issue 5): `bulletin batch` over folders, the SQLite database, `bulletin search`,
`bulletin load`, crash safety and the Dask executor.

Expected search rows come from the samples' hand-checked facts files (tests/facts) and the sample texts:
each case names what it is and why those rows."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

SAMPLES = ROOT / "samples"
N = len(list(SAMPLES.glob("*.txt")))  # every sample bulletin
BULLETIN = [sys.executable, "-m", "extract.cli"]


def _process(*args, **kw):
    """The command as a separate process, for the tests whose point is one (each says why); else run_cli."""
    return subprocess.run(BULLETIN + list(args), capture_output=True, text=True, cwd=ROOT, **kw)


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """The samples batched once (two workers), as the README's main job does."""
    out = tmp_path_factory.mktemp("batch") / "out"
    run = run_cli("batch", str(SAMPLES), "-o", str(out), "--jobs", "2")
    return out, run


def _table(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_batch_writes_every_output_and_exits_0(sample_run):
    from extract.pipeline import extract_file
    from extract.write import to_json

    out, run = sample_run
    assert run.exit_code == 0, run.stderr
    assert run.stderr.strip().splitlines()[-1].startswith(f"batch: {N} documents: {N} extracted, 0 already done, 0 failed")
    samples = sorted(SAMPLES.glob("*.txt"))
    names = sorted(p.name for p in (out / "json").iterdir())
    assert len(names) == N and not [n for n in names if n.startswith(".tmp")]
    # each JSON is what `bulletin extract` gives for the file
    for s in samples:
        (match,) = [n for n in names if n.startswith(s.stem + "-")]
        assert (out / "json" / match).read_text(encoding="utf-8") == to_json(extract_file(str(s)))
    lines = (out / "bulletins.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(ln)["source"]["path"] for ln in lines] == [str(s) for s in samples]  # input order
    assert _table(out / "bulletins.db", "SELECT count(*) FROM documents") == [(N,)]
    assert (out / "errors.jsonl").read_text() == ""


def test_a_rerun_skips_what_is_done_and_redoes_a_changed_file(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("jingzhou-ftu-2020-08.txt", "xishan-amr-2023-09.txt"):
        (src / name).write_bytes((SAMPLES / name).read_bytes())
    out = tmp_path / "out"
    assert run_cli("batch", str(src), "-o", str(out), "--jobs", "1").exit_code == 0
    before = {p.name: p.stat().st_mtime_ns for p in (out / "json").iterdir()}
    again = run_cli("batch", str(src), "-o", str(out), "--jobs", "1")
    assert again.exit_code == 0 and "0 extracted, 2 already done" in again.stderr
    assert {p.name: p.stat().st_mtime_ns for p in (out / "json").iterdir()} == before
    # the file changes: it is done again, and its older reading leaves every output
    text = (src / "xishan-amr-2023-09.txt").read_text(encoding="utf-8")
    (src / "xishan-amr-2023-09.txt").write_text(text.replace("溪山区", "溪山县", 1), encoding="utf-8")
    third = run_cli("batch", str(src), "-o", str(out), "--jobs", "1")
    assert third.exit_code == 0 and "1 extracted, 1 already done" in third.stderr
    assert len(list((out / "json").iterdir())) == 2
    lines = (out / "bulletins.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and sum("溪山县" in ln for ln in lines) == 1
    assert _table(out / "bulletins.db", "SELECT count(*) FROM documents") == [(2,)]


def _without_root_file_access() -> None:
    """In the child before exec: root loses the capabilities that let it read any file (dropped from
    the bounding set, so the batch runs as root without them), and a file's permissions bite."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_bad_files_each_give_one_error_line_and_the_batch_goes_on(tmp_path):
    kw = {"preexec_fn": _without_root_file_access} if os.geteuid() == 0 else {}
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_bytes((SAMPLES / "jingzhou-ftu-2020-08.txt").read_bytes())
    (src / "empty.txt").write_bytes(b"")
    (src / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage")
    (src / "undecodable.txt").write_bytes(b"\xff\xfe\x00\xd8\x00\xd8" * 10)
    (src / "folder.pdf").mkdir()
    (src / "loop.txt").symlink_to(src / "loop.txt")
    (src / "secret.txt").write_bytes((SAMPLES / "xishan-amr-2023-09.txt").read_bytes())
    (src / "secret.txt").chmod(0)
    out = tmp_path / "out"
    # a process: as root, the capabilities to read any file are dropped for the command only (taking effect at exec)
    run = _process("batch", str(src), "-o", str(out), "--jobs", "2", **kw)
    assert run.returncode == 3, run.stderr
    errors = [json.loads(ln) for ln in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    by_name = {Path(e["path"]).name: e["reason"] for e in errors}
    assert sorted(by_name) == ["corrupt.pdf", "empty.txt", "folder.pdf", "loop.txt", "secret.txt", "undecodable.txt"]
    assert len(errors) == 6
    assert by_name["empty.txt"] == "empty file"
    assert by_name["folder.pdf"] == "a directory, not a bulletin file"
    assert by_name["loop.txt"] == "symbolic link loop" and "Permission denied" in by_name["secret.txt"]
    assert "not a readable PDF" in by_name["corrupt.pdf"] and "UTF-16" in by_name["undecodable.txt"]
    assert "batch: 7 documents: 1 extracted, 0 already done, 6 failed" in run.stderr
    assert _table(out / "bulletins.db", "SELECT count(*) FROM documents") == [(1,)]


def _decoded(data: bytes) -> str:
    """A sample's text: UTF-8, or GB18030 (one sample is kept in GB18030 on purpose)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _generated(folder: Path, n: int) -> None:
    """n distinct bulletins: the samples with a serial number line, so that each has its own content."""
    texts = [_decoded(p.read_bytes()) for p in sorted(SAMPLES.glob("*.txt"))]
    folder.mkdir()
    for k in range(n):
        (folder / f"doc{k:04d}.txt").write_text(texts[k % len(texts)] + f"\n档案编号：{k:05d}\n", encoding="utf-8")


@pytest.mark.slow
def test_a_batch_killed_midway_resumes_without_loss_or_repeats(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    _generated(src, 300)
    db = out / "bulletins.db"
    # processes: the batch is killed (SIGKILL) midway, then a fresh run resumes from what it left on disk
    proc = subprocess.Popen(BULLETIN + ["batch", str(src), "-o", str(out), "--jobs", "2"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    done = 0
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            done = _table(db, "SELECT count(*) FROM documents")[0][0]
        except sqlite3.Error:
            continue
        if done >= 60:
            break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 60 <= done < 300, "the batch must be killed midway"
    committed = {name: (out / "json" / name).stat() for (name,) in _table(db, "SELECT json_file FROM documents")}
    resumed = _process("batch", str(src), "-o", str(out), "--jobs", "2")
    assert resumed.returncode == 0, resumed.stderr
    skipped = int(resumed.stderr.split(" already done")[0].rsplit(", ", 1)[1])
    assert skipped == len(committed)  # nothing committed before the kill was done again
    for name, st in committed.items():
        now = (out / "json" / name).stat()
        assert (now.st_ino, now.st_mtime_ns) == (st.st_ino, st.st_mtime_ns)
    lines = (out / "bulletins.jsonl").read_text(encoding="utf-8").splitlines()
    paths = [json.loads(ln)["source"]["path"] for ln in lines]  # every line whole
    assert sorted(paths) == sorted(str(p) for p in src.iterdir())  # each document exactly once
    assert _table(db, "SELECT count(*), count(DISTINCT path) FROM documents") == [(300, 300)]
    # the full-text index holds every section, those committed before the kill too
    assert _table(db, "SELECT rowid FROM sections_fts WHERE sections_fts MATCH '\"责任领\"' ORDER BY rowid") == \
        _table(db, "SELECT id FROM sections WHERE instr(text, '责任领') > 0 ORDER BY id")
    files = sorted((out / "json").iterdir())  # no temporary file of the killed run is left either
    assert len(files) == 300 and all(json.loads(f.read_text(encoding="utf-8"))["source"]["sha256"] for f in files)


# --- search over the samples' database: (arguments, expected rows as (document, section, text)) ---
J = "jingzhou-ftu-2020-08.txt"
LANZHOU = [("lanzhou-tax-2024-09.txt", t) for t in ("86.4亿元", "28.9亿元", "15.2亿元", "21.6亿元")]
SONGLING = [("songling-duban-2022-07.txt", t) for t in ("38.6亿元", "27.5亿元")]
FENGYANG = [("fengyang-duban-2023-06.txt", t) for t in ("42.7亿元", "56.2亿元", "10亿元以上", "11.8亿元")]
Q, QINGHE = ("qingshan-agri-2021-06.txt", "12.6亿元"), ("qinghe-edu-dongtai-2022-03.txt", "12.6亿元")
SHUANGLIU = ("shuangliu-stats-2022-10.txt", "约812亿元")
BEIHAI = [("beihai-port-2024-h1.txt", t) for t in ("12.6亿元", "约46亿元")]


def by_file(rows):
    """Search results come document by document, in the order the batch read the files (sorted names)."""
    return sorted(rows, key=lambda r: r[0])


SEARCHES = [
    # every 元 figure of 1 000 000 000 or more (facts files: 4 in lanzhou, 1 in qingshan, 2 in songling, 4 in fengyang,
    # 1 in qinghe, 1 in shuangliu, 2 in beihai)
    (["--unit", "元", "--min", "1000000000"], by_file(LANZHOU + [Q] + SONGLING + FENGYANG + [QINGHE, SHUANGLIU] + BEIHAI)),
    # the same from 2022 on (qingshan reports on 2021-06)
    (["--unit", "元", "--min", "1000000000", "--from", "2022-01"],
     by_file(LANZHOU + SONGLING + FENGYANG + [QINGHE, SHUANGLIU] + BEIHAI)),
    # up to 2021 only
    (["--unit", "元", "--min", "1000000000", "--to", "2021-12"], [Q]),
    # a value range
    (["--unit", "元", "--min", "1000000000", "--max", "3000000000"],
     by_file(LANZHOU[1:] + [Q, SONGLING[1], FENGYANG[2], FENGYANG[3], QINGHE, BEIHAI[0]])),
    # the first sample's money (its facts: 172 万 inferred as 元, 1.38亿元, 400万元)
    (["--issuer", "荆州", "--unit", "元"], [(J, "172 万"), (J, "1.38亿元"), (J, "400万元")]),
    (["--issuer", "荆州", "--unit", "元", "--from", "2020-08", "--to", "2020-08", "--max", "5000000"], [(J, "172 万"), (J, "400万元")]),
    # tasks led by 高启秀 (the first sample's plan: items 一 to 四 and 九)
    (["--leader", "高启秀"], [(J, "一、"), (J, "二、"), (J, "三、"), (J, "四、"), (J, "九、")]),
    (["--department", "权益保障部"], [(J, "二、"), (J, "三、"), (J, "四、")]),
    (["--leader", "高启秀", "--department", "经技部"], [(J, "九、")]),
    (["--leader", "张征军", "--kind", "sections"], [(J, "七、"), (J, "八、"), (J, "九、")]),
    (["--leader", "高启秀", "--from", "2020-10"], []),
    # words in the section text: FTS for three characters or more, a scan below
    (["送清凉"], [(J, "一、")]),
    (["金秋助学"], [(J, "二、"), (J, "二、")]),  # the summary's 二 (扩大“金秋助学”覆盖面) and the plan's 二
    # 巾帼 (two characters: a scan) in the first sample's plan 九, and in linjiang (GB18030): the summary's 一
    # (巾帼宣讲团) and 二 (its title), the plan's 3
    (["巾帼"], [(J, "九、"), ("linjiang-women-2021-04.txt", "一、"), ("linjiang-women-2021-04.txt", "二、"),
              ("linjiang-women-2021-04.txt", "3、")]),
    (["宣讲", "--issuer", "荆州"], [(J, "六、")]),
    (["金秋助学", "--leader", "高启秀"], [(J, "二、")]),
    (["金秋助学", "--leader", "郭红萍"], []),
]


@pytest.mark.parametrize("args,expected", SEARCHES, ids=[" ".join(a) for a, _ in SEARCHES])
def test_search(sample_run, args, expected):
    out, _ = sample_run
    run = run_cli("search", str(out / "bulletins.db"), *args, "--json")
    assert run.exit_code == 0, run.stderr
    rows = [json.loads(ln) for ln in run.stdout.splitlines()]
    got = []
    for r in rows:
        doc = Path(r["document"]).name
        if r["kind"] == "figure":
            got.append((doc, r["text"]))
        else:
            got.append((doc, r["section"][:2]))
    assert got == expected


def test_search_rows_say_where_a_figure_stands(sample_run):
    out, _ = sample_run
    run = run_cli("search", str(out / "bulletins.db"), "--issuer", "荆州", "--unit", "元", "--min", "100000000",
                  "--json")
    (row,) = [json.loads(ln) for ln in run.stdout.splitlines()]
    text = (SAMPLES / J).read_text(encoding="utf-8")
    assert row["value"] == 138000000 and row["unit"] == "元" and row["period"] == "2020-08"
    assert '"value": 138000000,' in run.stdout  # as the document's JSON writes it, not 138000000.0
    assert row["part"] == "荆州市总工会八月份工作综述" and row["section"] == "三、助力脱贫攻坚见成效"
    assert row["issuer"] == "荆州市总工会"
    doc = json.loads(next((out / "json").glob("jingzhou-*.json")).read_text(encoding="utf-8"))
    assert doc["text"][row["span"][0]:row["span"][1]] == "1.38亿元" and "1.38亿元" in text


def _readme_searches() -> list[list[str]]:
    """The arguments of each `bulletin search out/bulletins.db ...` example in the README."""
    import shlex

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [ln.split("#")[0].split(">")[0] for ln in readme.splitlines() if ln.startswith("bulletin search out/bulletins.db")]
    return [[a for a in shlex.split(ln)[3:] if a not in ("--json", "--csv")] for ln in lines]


@pytest.mark.parametrize("args", _readme_searches(), ids=" ".join)
def test_readme_search_examples_find_rows_in_the_samples(sample_run, args):
    out, _ = sample_run
    run = run_cli("search", str(out / "bulletins.db"), *args, "--json")
    assert run.exit_code == 0 and [json.loads(ln) for ln in run.stdout.splitlines()], run.stderr


def test_batch_off_a_terminal_logs_a_line_per_document_and_quiet_logs_none(tmp_path):
    """Not on a terminal (cron, a log file): `batch: [k/n] FILE` per document, then the summary; with
    --quiet, errors only."""
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    names = ["donghu-street-2021-09.txt", "jingzhou-ftu-2020-08.txt"]
    for name in names:
        (shelf / name).write_bytes((SAMPLES / name).read_bytes())
    (shelf / "empty.txt").write_bytes(b"")
    run = run_cli("batch", str(shelf), "-o", str(tmp_path / "out"), "-j", "1")
    lines = run.stderr.strip().splitlines()
    assert run.exit_code == 3
    assert sorted(ln.split("] ")[1].split(" (")[0] for ln in lines if ln.startswith("batch: [")) == \
        sorted(str(shelf / n) for n in names + ["empty.txt"])
    assert [ln for ln in lines if ln.startswith("batch: [")][-1].startswith("batch: [3/3]")
    assert lines[-2:] == [f"bulletin: {shelf / 'empty.txt'}: empty file", lines[-1]] and lines[-1].startswith("batch: 3 documents")
    quiet = run_cli("batch", str(shelf), "-o", str(tmp_path / "quiet"), "-j", "1", "-q")
    assert quiet.exit_code == 3 and quiet.stderr.strip().splitlines() == [f"bulletin: {shelf / 'empty.txt'}: empty file"]


# search rows' values (the database's REAL) as --json and --csv write them: (stored, written)
AS_WRITTEN = [(8640000000.0, 8640000000), (1.5, 1.5), (0.0, 0), (None, None), ("元", "元"), (3, 3)]


@pytest.mark.parametrize("stored,written", AS_WRITTEN)
def test_search_writes_whole_numbers_as_the_document_does(stored, written):
    from extract.cli import _as_written

    got = _as_written(stored)
    assert got == written and type(got) is type(written)


HOSTILE = ["'; DROP TABLE figures; --", '"', "%", "_", '巾帼" OR "金秋', "NEAR(巾帼 金秋)", "*", "巾帼*", "^巾帼", "a'b",
           "\\", "-- ", "figures", ")"]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_strings_are_searched_for_not_executed(sample_run, hostile):
    out, _ = sample_run
    db = out / "bulletins.db"
    counts = _table(db, "SELECT (SELECT count(*) FROM figures), (SELECT count(*) FROM sections), (SELECT count(*) FROM tasks)")
    sections = [t for (t,) in _table(db, "SELECT text FROM sections ORDER BY document_id, span_start")]
    # (on the command line, `--` and `--option=value` keep a string that starts with - from being an option)
    for args in (["--", hostile], [f"--issuer={hostile}"], [f"--leader={hostile}"], [f"--department={hostile}", f"--unit={hostile}"]):
        run = run_cli("search", str(db), "--json", "--limit", "0", *args)
        assert run.exit_code == 0, (args, run.stderr)
        if args == ["--", hostile]:
            # words are a plain substring, whatever they hold
            assert len(run.stdout.splitlines()) == sum(hostile in s for s in sections)
    assert _table(db, "SELECT (SELECT count(*) FROM figures), (SELECT count(*) FROM sections), (SELECT count(*) FROM tasks)") == counts


def test_search_answers_bad_arguments_in_one_line(sample_run, tmp_path):
    out, _ = sample_run
    run = run_cli("search", str(out / "bulletins.db"), "--from", "2020/08")
    assert run.exit_code == 2 and run.stderr.strip() == "bulletin: --from wants a month as YYYY-MM, not '2020/08'"
    (tmp_path / "x.db").write_text("not a database")
    run = run_cli("search", str(tmp_path / "x.db"), "巾帼")
    assert run.exit_code == 2 and run.stderr.startswith(f"bulletin: {tmp_path / 'x.db'}: not a bulletins database")


def test_load_is_idempotent(sample_run, tmp_path):
    out, _ = sample_run
    db = tmp_path / "loaded.db"
    first = run_cli("load", str(out / "bulletins.jsonl"), "--db", str(db))
    assert first.exit_code == 0 and f"{N} added, 0 already there" in first.stderr
    again = run_cli("load", str(out / "bulletins.jsonl"), *map(str, sorted((out / "json").iterdir())), "--db", str(db))
    assert again.exit_code == 0 and f"0 added, {2 * N} already there" in again.stderr
    query = "SELECT (SELECT count(*) FROM figures), (SELECT count(*) FROM dates), (SELECT count(*) FROM tasks), " \
            "(SELECT count(*) FROM task_people), (SELECT count(*) FROM people), (SELECT count(*) FROM footers), " \
            "(SELECT count(*) FROM sections_fts WHERE sections_fts MATCH '\"巾帼家政\"')"
    assert _table(db, query) == _table(out / "bulletins.db", query)
    assert _table(db, query)[0][-1] == 1


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_outputs(sample_run, tmp_path):
    """Two worker processes of a Dask LocalCluster extract; the client writes. The outputs equal the
    local process pool's byte for byte, and the database holds the same rows."""
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    from extract.batch import run_batch

    local, _ = sample_run
    out = tmp_path / "dask"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = run_batch([str(SAMPLES)], out, executor="dask", scheduler=cluster.scheduler_address)
    assert (summary.extracted, summary.failed) == (N, 0)
    assert (out / "bulletins.jsonl").read_bytes() == (local / "bulletins.jsonl").read_bytes()
    for f in sorted((local / "json").iterdir()):
        assert (out / "json" / f.name).read_bytes() == f.read_bytes()
    for table in ("documents", "parts", "sections", "figures", "dates", "tasks", "task_people", "people", "footers"):
        assert _table(out / "bulletins.db", f"SELECT * FROM {table}") == _table(local / "bulletins.db", f"SELECT * FROM {table}")


# a figure row as search gives it; (terminal width, whether it shows as a table)
FIGURE_ROW = {"kind": "figure", "document": "/shelf/qingshan-agri-2021-06.txt", "issuer": "青山区农业农村局",
              "period": "2021-06", "part": "青山区农业农村局六月份工作总结", "section": "三、农业产业发展势头良好",
              "text": "12.6亿元", "value": 1260000000.0, "unit": "元", "page": None, "span": [1, 7], "bbox": None}
WIDTHS = [(80, False), (120, False), (250, True)]


@pytest.mark.parametrize("width,as_table", WIDTHS)
def test_a_table_too_wide_for_the_terminal_prints_as_records(width, as_table):
    from rich.console import Console

    from extract.cli import _table

    console = Console(width=width, record=True, force_terminal=True)
    _table([FIGURE_ROW, FIGURE_ROW], console)
    shown = console.export_text()
    assert ("┃ document" in shown) == as_table
    if not as_table:  # every cell whole, on its own line
        assert shown.splitlines()[0] == "2 figures"
        for line in ["document: qingshan-agri-2021-06.txt", "section: 三、农业产业发展势头良好", "value: 1,260,000,000"]:
            assert shown.count(line + "\n") == 2, shown


def test_search_prints_a_table_when_not_asked_for_json(sample_run):
    out, _ = sample_run
    run = run_cli("search", str(out / "bulletins.db"), "--unit", "元", "--min", "1000000000", "--to", "2021-12")
    assert run.exit_code == 0 and "1 figure" in run.stdout
    (row,) = [ln for ln in run.stdout.splitlines() if "qingshan" in ln]
    assert "qingshan-agri-2021-06.txt" in row and "12.6亿元" in row and "1,260,000,000" in row
    none = run_cli("search", str(out / "bulletins.db"), "不存在的词语")
    assert none.exit_code == 0 and none.stdout.strip() == "no match"
