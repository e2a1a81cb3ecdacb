"""The SQLite database of extracted bulletins: one row per document, part, section, figure, date, task,
task person, person and footer entry, with indexes for the auditors' filters and full-text search over
section text that works for Chinese.

Loading is idempotent: a document is keyed by the sha256 of its source file, and loading it again adds
nothing. A newer reading of the same path (the file changed) replaces the older one. Every statement
is parameterized.

Full-text search: `sections_fts` is an FTS5 table over each section's text (its label and title
included) with the trigram tokenizer, filled in bulk after each run or load (a word of three characters
or more is a phrase of trigrams: exact substring search); a two-character word, most Chinese words, is found through the trigrams that begin with it
(`sections_fts_terms`). benchmarks/bench_batch.py measured it against jieba tokens in an FTS5 column.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

DB_SCHEMA_VERSION = "3"  # 2: documents.genre, null sections.number; 3: the full-text index over content="sections"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    format TEXT NOT NULL,
    page_count INTEGER,
    issuer TEXT,
    title TEXT,
    reference_period TEXT,
    schema_version TEXT NOT NULL,
    genre TEXT,
    json_file TEXT
);
CREATE TABLE IF NOT EXISTS parts (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    period TEXT,
    period_end TEXT,
    span_start INTEGER, span_end INTEGER, page INTEGER
);
CREATE TABLE IF NOT EXISTS sections (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    part_id INTEGER NOT NULL REFERENCES parts(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES sections(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    number INTEGER,
    label TEXT NOT NULL,
    level INTEGER NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    period TEXT,
    span_start INTEGER, span_end INTEGER, page INTEGER, x0 REAL, top REAL, x1 REAL, bottom REAL, confidence REAL
);
CREATE TABLE IF NOT EXISTS figures (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    part_id INTEGER NOT NULL REFERENCES parts(id) ON DELETE CASCADE,
    section_id INTEGER REFERENCES sections(id) ON DELETE CASCADE,
    value REAL NOT NULL,
    value_max REAL,
    unit TEXT,
    unit_inferred INTEGER NOT NULL,
    approx TEXT,
    noun TEXT,
    text TEXT NOT NULL,
    period TEXT,
    span_start INTEGER, span_end INTEGER, page INTEGER, x0 REAL, top REAL, x1 REAL, bottom REAL, confidence REAL
);
CREATE TABLE IF NOT EXISTS dates (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    part_id INTEGER NOT NULL REFERENCES parts(id) ON DELETE CASCADE,
    section_id INTEGER REFERENCES sections(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    start TEXT NOT NULL,
    "end" TEXT NOT NULL,
    granularity TEXT NOT NULL,
    span_start INTEGER, span_end INTEGER, page INTEGER, x0 REAL, top REAL, x1 REAL, bottom REAL, confidence REAL
);
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    part_id INTEGER NOT NULL REFERENCES parts(id) ON DELETE CASCADE,
    section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    deadline_text TEXT,
    deadline_start TEXT,
    deadline_end TEXT,
    period TEXT,
    span_start INTEGER, span_end INTEGER, page INTEGER, x0 REAL, top REAL, x1 REAL, bottom REAL, confidence REAL
);
CREATE TABLE IF NOT EXISTS task_people (
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    role TEXT NOT NULL,          -- leader | department | cooperating
    ordinal INTEGER NOT NULL,
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS people (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    part_id INTEGER NOT NULL REFERENCES parts(id) ON DELETE CASCADE,
    section_id INTEGER REFERENCES sections(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    titles TEXT NOT NULL,        -- JSON array
    span_start INTEGER, span_end INTEGER, page INTEGER, x0 REAL, top REAL, x1 REAL, bottom REAL, confidence REAL
);
CREATE TABLE IF NOT EXISTS footers (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    role TEXT NOT NULL,          -- report_to | send_to | editor | reviewer | signer | contact | proofreader | chief_editor | phone
    ordinal INTEGER NOT NULL,
    value TEXT NOT NULL
);
-- external content (the text is in sections, content="sections": Datasette and sqlite-utils recognise it
-- and search through it); each text is indexed with a newline after it so that every two characters of it
-- begin a trigram, which lets a two-character word be found through the index (extract/search.py).
-- Sections are indexed in bulk (index_sections) after each run: meta.fts_upto is the last section id
-- indexed, and only indexed sections are taken out of the index when deleted
CREATE VIRTUAL TABLE IF NOT EXISTS sections_fts USING fts5(text, content="sections", content_rowid="id", tokenize="trigram");
CREATE VIRTUAL TABLE IF NOT EXISTS sections_fts_terms USING fts5vocab(sections_fts, 'row');
CREATE TRIGGER IF NOT EXISTS sections_fts_delete AFTER DELETE ON sections
WHEN old.id <= (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_upto') BEGIN
    INSERT INTO sections_fts(sections_fts, rowid, text) VALUES ('delete', old.id, old.text || char(10));
END;
CREATE INDEX IF NOT EXISTS documents_path ON documents(path);
CREATE INDEX IF NOT EXISTS documents_issuer ON documents(issuer);
CREATE INDEX IF NOT EXISTS documents_period ON documents(reference_period);
CREATE INDEX IF NOT EXISTS parts_document ON parts(document_id);
CREATE INDEX IF NOT EXISTS sections_document ON sections(document_id);
CREATE INDEX IF NOT EXISTS sections_part ON sections(part_id);
CREATE INDEX IF NOT EXISTS sections_period ON sections(period);
CREATE INDEX IF NOT EXISTS sections_parent ON sections(parent_id);
CREATE INDEX IF NOT EXISTS figures_unit_value ON figures(unit, value);
CREATE INDEX IF NOT EXISTS figures_unit_order ON figures(unit, document_id, span_start);
CREATE INDEX IF NOT EXISTS figures_period ON figures(period);
CREATE INDEX IF NOT EXISTS figures_document ON figures(document_id);
CREATE INDEX IF NOT EXISTS figures_section ON figures(section_id);
CREATE INDEX IF NOT EXISTS dates_document ON dates(document_id);
CREATE INDEX IF NOT EXISTS tasks_section ON tasks(section_id);
CREATE INDEX IF NOT EXISTS tasks_period ON tasks(period);
CREATE INDEX IF NOT EXISTS task_people_name ON task_people(role, name);
CREATE INDEX IF NOT EXISTS task_people_task ON task_people(task_id);
CREATE INDEX IF NOT EXISTS people_name ON people(name);
CREATE INDEX IF NOT EXISTS people_document ON people(document_id);
CREATE INDEX IF NOT EXISTS footers_document ON footers(document_id);
-- every foreign key has an index: deleting one document of 3 010 took ~300 ms without them
CREATE INDEX IF NOT EXISTS dates_section ON dates(section_id);
CREATE INDEX IF NOT EXISTS dates_part ON dates(part_id);
CREATE INDEX IF NOT EXISTS people_section ON people(section_id);
CREATE INDEX IF NOT EXISTS people_part ON people(part_id);
CREATE INDEX IF NOT EXISTS figures_part ON figures(part_id);
CREATE INDEX IF NOT EXISTS tasks_part ON tasks(part_id);
CREATE INDEX IF NOT EXISTS tasks_document ON tasks(document_id);
-- Deletes clean up without PRAGMA foreign_keys (which Datasette, sqlite-utils and the sqlite3 shell do
-- not set): each delete takes its dependants with it. With the pragma on, the cascades got there first
-- and these find nothing left to do.
CREATE TRIGGER IF NOT EXISTS documents_cleanup AFTER DELETE ON documents BEGIN
    DELETE FROM parts WHERE document_id = old.id;
    DELETE FROM footers WHERE document_id = old.id;
END;
CREATE TRIGGER IF NOT EXISTS parts_cleanup AFTER DELETE ON parts BEGIN
    DELETE FROM sections WHERE part_id = old.id;
    DELETE FROM figures WHERE part_id = old.id;
    DELETE FROM dates WHERE part_id = old.id;
    DELETE FROM tasks WHERE part_id = old.id;
    DELETE FROM people WHERE part_id = old.id;
END;
CREATE TRIGGER IF NOT EXISTS sections_cleanup AFTER DELETE ON sections BEGIN
    DELETE FROM sections WHERE parent_id = old.id;
    DELETE FROM figures WHERE section_id = old.id;
    DELETE FROM dates WHERE section_id = old.id;
    DELETE FROM tasks WHERE section_id = old.id;
    DELETE FROM people WHERE section_id = old.id;
END;
-- the follow-up of each planned task (extract/followup.py), written after each run or load
CREATE TABLE IF NOT EXISTS followups (
    task_id INTEGER PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    reported_section_id INTEGER REFERENCES sections(id) ON DELETE SET NULL,
    score REAL
);
CREATE INDEX IF NOT EXISTS followups_section ON followups(reported_section_id);
CREATE TRIGGER IF NOT EXISTS tasks_cleanup AFTER DELETE ON tasks BEGIN
    DELETE FROM task_people WHERE task_id = old.id;
    DELETE FROM followups WHERE task_id = old.id;
END;
CREATE TRIGGER IF NOT EXISTS followups_section_gone AFTER DELETE ON sections BEGIN
    UPDATE followups SET reported_section_id = NULL, status = 'not found' WHERE reported_section_id = old.id;
END;
-- views to browse by (Datasette lists them beside the tables)
CREATE VIEW IF NOT EXISTS figures_view AS
SELECT f.id, d.path AS document, d.issuer, coalesce(f.period, d.reference_period) AS period, p.title AS part,
       p.kind AS part_kind, s.label AS section_label, s.title AS section, f.text, f.value, f.value_max, f.unit,
       f.approx, f.noun, f.page, f.span_start, f.span_end
FROM figures f JOIN documents d ON d.id = f.document_id JOIN parts p ON p.id = f.part_id
LEFT JOIN sections s ON s.id = f.section_id;
CREATE VIEW IF NOT EXISTS tasks_view AS
SELECT t.id, d.path AS document, d.issuer, t.period, p.title AS part, s.label AS section_label, s.title AS section,
       (SELECT group_concat(name, '、') FROM (SELECT name FROM task_people WHERE task_id = t.id AND role = 'leader'
        ORDER BY ordinal)) AS leaders,  -- departments: the responsible, then the cooperating ones, as in the JSON
       (SELECT group_concat(name, '、') FROM (SELECT name FROM task_people WHERE task_id = t.id
        AND role = 'department' ORDER BY ordinal)) AS departments,
       t.deadline_text, t.deadline_start, t.deadline_end
FROM tasks t JOIN documents d ON d.id = t.document_id JOIN parts p ON p.id = t.part_id
JOIN sections s ON s.id = t.section_id;
CREATE VIEW IF NOT EXISTS followups_view AS
SELECT tv.*, f.status, rd.path AS reported_document, rs.period AS reported_period,
       rs.label || rs.title AS reported_section, f.score
FROM followups f JOIN tasks_view tv ON tv.id = f.task_id
LEFT JOIN sections rs ON rs.id = f.reported_section_id LEFT JOIN documents rd ON rd.id = rs.document_id;
"""

FOOTER_ROLES = (
    "report_to",
    "send_to",
    "editor",
    "reviewer",
    "signer",
    "contact",
    "proofreader",
    "chief_editor",
    "phone",
)


class DatabaseError(Exception):
    """The database file cannot be used (not SQLite, or a newer schema)."""


def connect(path: str) -> sqlite3.Connection:
    """Open (creating when new) a bulletins database with the current schema."""
    conn = sqlite3.connect(path, timeout=60, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.executescript(SCHEMA)
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (DB_SCHEMA_VERSION,))
        elif row[0] in ("1", "2"):
            if row[0] == "1":
                _migrate_from_1(conn)
            _migrate_from_2(conn)
        elif row[0] != DB_SCHEMA_VERSION:
            raise DatabaseError(f"database schema {row[0]}, this program writes schema {DB_SCHEMA_VERSION}")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(f"not a bulletins database ({exc})") from None
    except DatabaseError:
        conn.close()
        raise
    return conn


def _migrate_from_1(conn: sqlite3.Connection) -> None:
    """Schema 1 → 2 in one transaction: add documents.genre; rebuild sections so that number may be null
    (SQLite cannot drop a NOT NULL constraint in place). Rows and ids are kept, so every reference holds."""
    conn.execute("PRAGMA foreign_keys = OFF")  # the rebuilt table keeps its ids: nothing dangles
    conn.execute("PRAGMA legacy_alter_table = ON")  # the other tables' references keep naming `sections`
    try:
        with _transaction(conn):
            conn.execute("ALTER TABLE documents ADD COLUMN genre TEXT")
            old = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'sections'").fetchone()[0]
            conn.execute("ALTER TABLE sections RENAME TO sections_v1")
            conn.execute(old.replace("number INTEGER NOT NULL", "number INTEGER"))
            conn.execute("INSERT INTO sections SELECT * FROM sections_v1")
            conn.execute("DROP TABLE sections_v1")
            conn.execute("CREATE INDEX IF NOT EXISTS sections_document ON sections(document_id)")
            conn.execute("CREATE INDEX IF NOT EXISTS sections_part ON sections(part_id)")
            conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    finally:
        conn.execute("PRAGMA legacy_alter_table = OFF")
        conn.execute("PRAGMA foreign_keys = ON")


def _migrate_from_2(conn: sqlite3.Connection) -> None:
    """Schema 2 → 3: the contentless full-text index becomes one over content="sections", rebuilt from the
    sections (every section indexed again)."""
    with _transaction(conn):
        conn.execute("DROP TRIGGER IF EXISTS sections_fts_delete")
        conn.execute("DROP TABLE IF EXISTS sections_fts_terms")
        conn.execute("DROP TABLE IF EXISTS sections_fts")
        conn.execute("DELETE FROM meta WHERE key = 'fts_upto'")
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (DB_SCHEMA_VERSION,))
    conn.executescript(SCHEMA)  # the new index, its vocabulary and its trigger
    index_sections(conn)


REQUIRED_TABLES = (
    "meta",
    "documents",
    "parts",
    "sections",
    "figures",
    "dates",
    "tasks",
    "task_people",
    "people",
    "footers",
    "sections_fts",
    "sections_fts_terms",
)


def connect_readonly(path: str) -> sqlite3.Connection:
    """Open an existing bulletins database for queries only (no schema is written). A database on
    read-only media opens as immutable: SQLite cannot make the shared-memory file WAL mode wants there."""
    try:
        conn = _open_readonly(path, immutable=False)
    except sqlite3.OperationalError as exc:
        if "unable to open" not in str(exc):
            raise DatabaseError(f"not a bulletins database ({exc})") from None
        try:
            conn = _open_readonly(path, immutable=True)
        except sqlite3.DatabaseError as exc2:
            raise DatabaseError(f"cannot open the database ({exc2})") from None
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"not a bulletins database ({exc})") from None
    try:
        _check_bulletins_schema(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _open_readonly(path: str, immutable: bool) -> sqlite3.Connection:
    from urllib.parse import quote

    conn = sqlite3.connect(f"file:{quote(path)}?mode=ro{'&immutable=1' if immutable else ''}", uri=True, timeout=60)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def _check_bulletins_schema(conn: sqlite3.Connection) -> None:
    try:
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
        missing = [t for t in REQUIRED_TABLES if t not in names]
        if missing:
            raise DatabaseError(f"not a bulletins database (no table {', '.join(missing)})")
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"not a bulletins database ({exc})") from None
    if row is None or row[0] != DB_SCHEMA_VERSION:
        raise DatabaseError(
            f"database schema {row[0] if row else 'unknown'}, this program reads schema {DB_SCHEMA_VERSION}"
        )


@contextmanager
def _transaction(conn: sqlite3.Connection):
    """One write transaction (the connection is in autocommit mode): committed, or rolled back on any
    exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def indexed_upto(conn: sqlite3.Connection) -> int:
    """The last section id in the full-text index (meta.fts_upto); later sections are not indexed yet."""
    row = conn.execute("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_upto'").fetchone()
    return row[0] if row and row[0] is not None else 0


def index_sections(conn: sqlite3.Connection) -> int:
    """Add the sections not yet in the full-text index, in one transaction (far cheaper in bulk than
    row by row); returns how many."""
    with _transaction(conn):
        upto = indexed_upto(conn)
        top = conn.execute("SELECT coalesce(max(id), 0) FROM sections").fetchone()[0]
        n = conn.execute(
            "INSERT INTO sections_fts(rowid, text) SELECT id, text || char(10) FROM sections WHERE id > ?", (upto,)
        ).rowcount
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('fts_upto', ?)", (str(max(upto, top)),))
    return n


def replace_followups(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    """(task_id, status, reported_section_id, score) for every planned task, in one transaction."""
    with _transaction(conn):
        conn.execute("DELETE FROM followups")
        conn.executemany(
            "INSERT INTO followups (task_id, status, reported_section_id, score) VALUES (?, ?, ?, ?)", rows
        )


def has_document(conn: sqlite3.Connection, sha256: str) -> bool:
    """Whether a document with this content hash is in the database."""
    return conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha256,)).fetchone() is not None


def json_files(conn: sqlite3.Connection) -> dict[str, str | None]:
    """Every document's JSON file name (as a batch wrote it), by the sha256 of what was read."""
    return dict(conn.execute("SELECT sha256, json_file FROM documents").fetchall())


def other_reading(conn: sqlite3.Connection, path: str, sha256: str) -> str | None:
    """The JSON file of the file at `path` as it was read before, when its content was another."""
    row = conn.execute("SELECT json_file FROM documents WHERE path = ? AND sha256 != ?", (path, sha256)).fetchone()
    return row[0] if row else None


def analyze(conn: sqlite3.Connection) -> None:
    """Refresh the statistics the query planner picks each filter's index by."""
    conn.execute("ANALYZE")


def load_document(conn: sqlite3.Connection, doc: dict, json_file: str | None = None) -> bool:
    """Insert one bulletin (the JSON output, as a dict) in one transaction; False when it is there
    already. An older document from the same path is replaced."""
    source = doc["source"]
    if has_document(conn, source["sha256"]):
        return False
    with _transaction(conn):
        conn.execute("DELETE FROM documents WHERE path = ?", (source["path"],))
        cur = conn.execute(
            "INSERT INTO documents (sha256, path, format, page_count, issuer, title, reference_period, schema_version,"
            " json_file, genre) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                source["sha256"],
                source["path"],
                source["format"],
                source.get("page_count"),
                doc.get("issuer"),
                doc.get("title"),
                doc.get("reference_period"),
                doc["schema_version"],
                json_file,
                doc.get("genre"),
            ),
        )
        doc_id = _inserted_id(cur)
        for ordinal, part in enumerate(doc.get("parts", [])):
            _load_part(conn, doc_id, ordinal, part, part.get("period") or doc.get("reference_period"))
        for role in FOOTER_ROLES:
            value = doc.get(role) if role not in ("report_to", "send_to") else doc.get("distribution", {}).get(role)
            values = value if isinstance(value, list) else [value] if value else []
            conn.executemany(
                "INSERT INTO footers (document_id, role, ordinal, value) VALUES (?, ?, ?, ?)",
                [(doc_id, role, k, v) for k, v in enumerate(values)],
            )
    return True


def _where(item: dict) -> tuple:
    """span, page, bbox and confidence columns of a located item."""
    span = item.get("span") or (None, None)
    bbox = item.get("bbox") or (None, None, None, None)
    return (span[0], span[1], item.get("page"), *bbox, item.get("confidence"))


def _inserted_id(cur: sqlite3.Cursor) -> int:
    """The row id an INSERT just gave (sqlite3 types lastrowid as optional: None before any insert)."""
    if cur.lastrowid is None:
        raise sqlite3.DatabaseError("no row inserted")
    return cur.lastrowid


def _load_part(conn, doc_id: int, ordinal: int, part: dict, period: str | None) -> None:
    span = part.get("span") or (None, None)
    part_id = conn.execute(
        "INSERT INTO parts (document_id, ordinal, title, kind, period, period_end, span_start, span_end, page)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc_id,
            ordinal,
            part["title"],
            part["kind"],
            part.get("period"),
            part.get("period_end"),
            span[0],
            span[1],
            part.get("page"),
        ),
    ).lastrowid
    _load_items(conn, doc_id, part_id, None, part, period)
    for k, section in enumerate(part.get("sections", [])):
        _load_section(conn, doc_id, part_id, None, k, section, period)


def _load_section(conn, doc_id: int, part_id: int, parent_id: int | None, ordinal: int, s: dict, period) -> None:
    section_id = conn.execute(
        "INSERT INTO sections (document_id, part_id, parent_id, ordinal, number, label, level, title, text, period,"
        " span_start, span_end, page, x0, top, x1, bottom, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc_id,
            part_id,
            parent_id,
            ordinal,
            s["number"],
            s["label"],
            s["level"],
            s["title"],
            s["text"],
            period,
            *_where(s),
        ),
    ).lastrowid
    _load_items(conn, doc_id, part_id, section_id, s, period)
    task = s.get("task")
    if task:
        deadline = task.get("deadline") or {}
        task_id = conn.execute(
            "INSERT INTO tasks (document_id, part_id, section_id, deadline_text, deadline_start, deadline_end, period,"
            " span_start, span_end, page, x0, top, x1, bottom, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc_id,
                part_id,
                section_id,
                deadline.get("text"),
                deadline.get("start"),
                deadline.get("end"),
                period,
                *_where(task),
            ),
        ).lastrowid
        rows = [
            (task_id, role, k, n)
            for role, key in (("leader", "leaders"), ("department", "departments"), ("cooperating", "cooperating"))
            for k, n in enumerate(task.get(key, []))
        ]
        conn.executemany("INSERT INTO task_people (task_id, role, ordinal, name) VALUES (?, ?, ?, ?)", rows)
    for k, sub in enumerate(s.get("subsections", [])):
        _load_section(conn, doc_id, part_id, section_id, k, sub, period)


def _load_items(conn, doc_id: int, part_id: int, section_id: int | None, holder: dict, period) -> None:
    conn.executemany(
        "INSERT INTO figures (document_id, part_id, section_id, value, value_max, unit, unit_inferred, approx, noun, text,"
        " period, span_start, span_end, page, x0, top, x1, bottom, confidence)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                doc_id,
                part_id,
                section_id,
                f["value"],
                f.get("value_max"),
                f.get("unit"),
                int(bool(f.get("unit_inferred"))),
                f.get("approx"),
                f.get("noun"),
                f["text"],
                period,
                *_where(f),
            )
            for f in holder.get("figures", [])
        ],
    )
    conn.executemany(
        'INSERT INTO dates (document_id, part_id, section_id, text, start, "end", granularity,'
        " span_start, span_end, page, x0, top, x1, bottom, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (doc_id, part_id, section_id, d["text"], d["start"], d["end"], d["granularity"], *_where(d))
            for d in holder.get("dates", [])
        ],
    )
    conn.executemany(
        "INSERT INTO people (document_id, part_id, section_id, name, titles, span_start, span_end, page, x0, top, x1,"
        " bottom, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (doc_id, part_id, section_id, p["name"], json.dumps(p.get("titles", []), ensure_ascii=False), *_where(p))
            for p in holder.get("people", [])
        ],
    )


class BadOutput(ValueError):
    """One JSON document or JSON Lines line that cannot be read; `where` is FILE or FILE:LINE."""

    def __init__(self, where: str, reason: str):
        super().__init__(reason)
        self.where = where


def read_outputs(paths: Iterable[str]) -> Iterator[tuple[str, dict | BadOutput]]:
    """(where, bulletin dict) from JSON files (one bulletin each) and JSON Lines files (one a line); a
    line or file that is not JSON comes as a BadOutput in place of its dict, and the lines after it
    are read all the same."""
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            if path.endswith(".jsonl"):
                for n, line in enumerate(fh, 1):
                    if line.strip():
                        yield f"{path}:{n}", _parse(f"{path}:{n}", line)
            else:
                yield path, _parse(path, fh.read())


def _parse(where: str, text: str) -> dict | BadOutput:
    try:
        data = json.loads(text)
    except RecursionError:
        return BadOutput(where, "not JSON this program reads (nested too deeply)")
    except ValueError as exc:
        return BadOutput(where, f"not JSON ({exc})")
    if not isinstance(data, dict):
        return BadOutput(where, "not a bulletin (a JSON object is expected)")
    return data
