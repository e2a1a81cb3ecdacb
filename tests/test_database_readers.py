"""The database as other tools read it (issue 12, item 6, first half): deletes made without PRAGMA
foreign_keys (sqlite-utils, Datasette, the sqlite3 shell) leave nothing behind, every foreign key has an
index, and views give figures and tasks with their document, part and section."""
import sqlite3

import pytest

from conftest import ROOT, run_cli

SAMPLES = ["jingzhou-ftu-2020-08", "fengyang-duban-2023-06", "chengnan-plaza-2019-09"]
CHILD_TABLES = ["parts", "sections", "figures", "dates", "tasks", "people", "footers"]


@pytest.fixture()
def database(tmp_path):
    from extract import db
    from extract.pipeline import extract_file

    path = tmp_path / "bulletins.db"
    conn = db.connect(str(path))
    for name in SAMPLES:
        db.load_document(conn, extract_file(str(ROOT / "samples" / f"{name}.txt")).model_dump(mode="json"))
    db.index_sections(conn)
    conn.close()
    return path


def _count(conn, table, doc_id):
    return conn.execute(f"SELECT count(*) FROM {table} WHERE document_id = ?", (doc_id,)).fetchone()[0]


def test_a_delete_by_sqlite_utils_leaves_nothing_behind(database):
    import sqlite_utils

    plain = sqlite3.connect(database)
    doc_id = plain.execute("SELECT id FROM documents WHERE path LIKE '%jingzhou%'").fetchone()[0]
    tasks = [t for (t,) in plain.execute("SELECT id FROM tasks WHERE document_id = ?", (doc_id,))]
    assert all(_count(plain, t, doc_id) for t in CHILD_TABLES) and tasks
    plain.close()

    readers_db = sqlite_utils.Database(database)
    assert readers_db.execute("PRAGMA foreign_keys").fetchone()[0] == 0  # as the tool leaves it
    readers_db["documents"].delete(doc_id)
    readers_db.conn.commit()
    readers_db.close()

    conn = sqlite3.connect(database)
    assert {t: _count(conn, t, doc_id) for t in CHILD_TABLES} == {t: 0 for t in CHILD_TABLES}
    assert conn.execute(f"SELECT count(*) FROM task_people WHERE task_id IN ({','.join('?' * len(tasks))})",
                        tasks).fetchone()[0] == 0
    # the other documents are whole, and the full-text index no longer finds the deleted one
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == len(SAMPLES) - 1
    assert conn.execute("SELECT count(*) FROM sections_fts WHERE sections_fts MATCH '\"巾帼家政\"'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM sections WHERE id NOT IN (SELECT rowid FROM sections_fts)").fetchone()[0] == 0
    conn.close()


def test_every_foreign_key_has_an_index(database):
    conn = sqlite3.connect(database)
    tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL%'"
                                         " AND name NOT LIKE 'sections_fts%'")]
    missing = []
    for table in tables:
        first_columns = set()
        for (index,) in conn.execute(f"SELECT name FROM pragma_index_list('{table}')"):
            first = conn.execute(f"SELECT name FROM pragma_index_info('{index}') WHERE seqno = 0").fetchone()
            if first:
                first_columns.add(first[0])
        # an INTEGER PRIMARY KEY is the rowid: indexed by the table itself
        first_columns |= {c for (c,) in conn.execute(f"SELECT name FROM pragma_table_info('{table}') WHERE pk = 1 "
                                                       "AND upper(type) = 'INTEGER'")}
        for (column,) in conn.execute(f"SELECT \"from\" FROM pragma_foreign_key_list('{table}')"):
            if column not in first_columns:
                missing.append(f"{table}.{column}")
    conn.close()
    assert missing == []


def test_views_give_figures_and_tasks_with_their_context(database):
    conn = sqlite3.connect(database)
    assert conn.execute("SELECT count(*) FROM figures_view").fetchone() == conn.execute("SELECT count(*) FROM figures").fetchone()
    row = conn.execute("SELECT issuer, period, part_kind, section_label, unit, value FROM figures_view "
                       "WHERE text = '1.38亿元'").fetchone()
    assert row == ("荆州市总工会", "2020-08", "summary", "三、", "元", 138000000.0)
    task = conn.execute("SELECT leaders, departments, deadline_text, deadline_end FROM tasks_view "
                        "WHERE document LIKE '%jingzhou%' AND section_label = '九、'").fetchone()
    assert task == ("高启秀、张征军", "商贸服务业工会、经技部", "九月份", "2020-09-30")
    # a traditional document's names as written
    assert conn.execute("SELECT count(*) FROM tasks_view WHERE leaders = '陳美玲'").fetchone()[0] >= 1
    conn.close()


def test_sqlite_utils_finds_sections_through_the_full_text_index(database):
    import sqlite_utils

    readers_db = sqlite_utils.Database(database)
    assert readers_db["sections"].detect_fts() == "sections_fts"
    found = [(r["label"], r["title"]) for r in readers_db["sections"].search("巾帼家政")]
    readers_db.close()
    assert found == [("九、", "举办荆州市家政服务业职业技能竞赛暨荆州“最美家政人、巾帼家政创业带头人”推荐选树活动")]


def test_sqlite_utils_search_command(database):
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "sqlite_utils", "search", str(database), "sections", "巾帼家政",
                          "-c", "label", "--csv"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["label", "九、"]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_datasette_searches_sections(database):
    """A real Datasette on a free loopback port: the sections table has its search (?_search=), which
    returns exactly the matching sections; the views answer; the server is stopped."""
    import json
    import subprocess
    import sys
    import time
    import urllib.parse
    import urllib.request

    from extract.datasette_metadata import write_metadata

    pytest.importorskip("datasette")
    port = _free_port()
    metadata = write_metadata(str(database))
    server = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(database), "-m", str(metadata),
                               "--host", "127.0.0.1", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/bulletins"

    def get(path):
        with urllib.request.urlopen(base + path, timeout=10) as r:
            return json.loads(r.read().decode("utf-8"))

    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get(".json")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stderr.read().decode()
                time.sleep(0.2)
        every = get("/sections.json?_size=0")["filtered_table_rows_count"]
        searched = get("/sections.json?_size=0&_search=" + urllib.parse.quote("巾帼家政"))["filtered_table_rows_count"]
        assert (every > 1, searched) == (True, 1)  # ?_search= is honoured, not ignored
        rows = get("/sections.json?_shape=array&_col=label&_search=" + urllib.parse.quote("巾帼家政"))
        assert [r["label"] for r in rows] == ["九、"]
        rows = get("/sections.json?_shape=array&_col=label&_search=" + urllib.parse.quote("金秋购物节"))
        assert rows == []  # the traditional sample writes 金秋購物節: the index holds the document's own text
        figures = get("/figures_view.json?_shape=array&text=" + urllib.parse.quote("1.38亿元"))
        assert [(f["issuer"], f["value"]) for f in figures] == [("荆州市总工会", 138000000.0)]
        # the canned queries of metadata.yml answer
        ranged = get("/figures_in_range.json?_shape=array&unit=" + urllib.parse.quote("元") + "&min=100000000&max=200000000")
        assert [f["text"] for f in ranged] == ["1.38亿元", "約1.2億元"]  # largest first; the traditional sample as written
        leader = get("/tasks_of_leader.json?_shape=array&leader=" + urllib.parse.quote("张征军"))
        assert [t["section_label"] for t in leader] == ["七、", "八、", "九、"]
        not_reported = get("/planned_tasks_not_reported.json?_shape=array")
        assert isinstance(not_reported, list)  # one bulletin per issuer here: nothing is due yet
        due = get("/deadlines_in_month.json?_shape=array&month=2020-09")
        assert len(due) == 9 and {t["deadline_end"][:7] for t in due} == {"2020-09"}
        # words of any length through the canned search: exactly the sections whose text holds them
        with sqlite3.connect(database) as conn:
            for words in ("巾帼", "工会", "家", "巾帼家政", "没有这个词"):
                holding = [i for (i,) in conn.execute("SELECT id FROM sections WHERE instr(text, ?) > 0 ORDER BY id", (words,))]
                found = get("/search_sections.json?_shape=array&words=" + urllib.parse.quote(words))
                assert [r["id"] for r in found] == holding, words
                assert (len(holding) > 0) == (words != "没有这个词")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_database_of_schema_2_gets_the_index_other_tools_read(database):
    """Schema 2 (issue 11) kept a contentless index no other tool recognised: opening it makes schema 3,
    the index over content="sections", every section in it."""
    from datasette.utils import detect_fts

    from extract import db
    from extract.search import Query, search

    old = sqlite3.connect(database, isolation_level=None)
    old.executescript("""
        DROP TRIGGER sections_fts_delete; DROP TABLE sections_fts_terms; DROP TABLE sections_fts;
        CREATE VIRTUAL TABLE sections_fts USING fts5(text, content='', tokenize='trigram');
        CREATE VIRTUAL TABLE sections_fts_terms USING fts5vocab(sections_fts, 'row');
        INSERT INTO sections_fts(rowid, text) SELECT id, text || char(10) FROM sections;
        UPDATE meta SET value = '2' WHERE key = 'schema_version';""")
    old.close()
    conn = db.connect(str(database))
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("3",)
    assert detect_fts(conn, "sections") == "sections_fts"
    assert conn.execute("SELECT count(*) FROM sections_fts").fetchone() == conn.execute("SELECT count(*) FROM sections").fetchone()
    rows = search(conn, Query(words="巾帼"))  # two characters: through the index's vocabulary
    conn.close()
    assert [r["section"] for r in rows] == ["九、举办荆州市家政服务业职业技能竞赛暨荆州“最美家政人、巾帼家政创业带头人”推荐选树活动"]


def test_search_csv_opens_in_a_spreadsheet(database):
    """`bulletin search --csv`: UTF-8 with a BOM (Excel reads Chinese), one row per match, as --json."""
    import csv
    import io
    import json

    args = ["search", database, "--unit", "元", "--min", "1000000"]
    as_csv = run_cli(*args, "--csv")
    as_json = run_cli(*args, "--json")
    assert as_csv.exit_code == 0 and as_csv.stdout_bytes.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout_bytes.decode("utf-8-sig"))))
    expected = [json.loads(line) for line in as_json.stdout_bytes.decode("utf-8").splitlines()]
    assert [(r["text"], float(r["value"]), r["unit"]) for r in rows] == [(e["text"], e["value"], e["unit"]) for e in expected]
    assert ("1.38亿元", 138000000.0) in [(r["text"], float(r["value"])) for r in rows]
    both = run_cli(*args, "--csv", "--json")
    assert both.exit_code == 2 and "choose one" in both.stderr
