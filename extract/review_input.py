"""What `bulletin review` reviews: a bulletin's JSON output, or one document of a bulletins database chosen
by id, sha256 prefix or path (its JSON is the file batch wrote beside the database), and the follow-up of
its planned tasks when a database is at hand."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
MIN_SHA_PREFIX = 4  # fewer hex digits would match a document by chance in a large database


class ReviewInputError(Exception):
    """The input cannot be reviewed; the message says why."""


@dataclass(frozen=True)
class ReviewInput:
    """What the review page is made from: the bulletin's JSON (as a dict), the folders its source may be
    found in, and its planned tasks' follow-ups."""

    doc: dict
    folders: list[Path]  # where the source file may lie besides its recorded path
    followups: dict[int, dict] | None  # by the task's span start; None without a database


def is_database(path: Path) -> bool:
    """Whether the file starts with SQLite's header (`SQLite format 3`), whatever its name."""
    with open(path, "rb") as fh:
        return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def read_input(path: Path, doc_selector: str | None, db_path: Path | None) -> ReviewInput:
    """The bulletin to review and what goes with it. `doc_selector` picks a document of a database input;
    `db_path` adds a database's follow-up to a JSON input."""
    from . import db as database

    if is_database(path):
        if doc_selector is None:
            raise ReviewInputError("a database holds many documents: choose one with --doc (id, sha256 prefix or path)")
        conn = database.connect_readonly(str(path))
        try:
            doc = _document(conn, path, doc_selector)
            return ReviewInput(doc, [path.parent], followups_of(conn, doc["source"]["sha256"]))
        finally:
            conn.close()
    if doc_selector is not None:
        raise ReviewInputError("--doc chooses a document of a database; this is a JSON file")
    doc = json.loads(path.read_text(encoding="utf-8"))
    followups = None
    if db_path is not None:
        conn = database.connect_readonly(str(db_path))
        try:
            followups = followups_of(conn, doc["source"]["sha256"])
        finally:
            conn.close()
    return ReviewInput(doc, [path.parent], followups)


def _document(conn: sqlite3.Connection, db_path: Path, selector: str) -> dict:
    rows = _matching(conn, selector)
    if not rows:
        raise ReviewInputError(f"no document {selector!r} in the database")
    if len(rows) > 1:
        raise ReviewInputError(f"{len(rows)} documents match {selector!r}: give more of the sha256 or the id")
    doc_id, json_file = rows[0]
    if not json_file:
        raise ReviewInputError(f"document {doc_id} was loaded from JSON, not written by batch: review that JSON file")
    path = db_path.parent / "json" / json_file
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReviewInputError(f"document {doc_id}: its JSON {path} cannot be read ({exc.strerror})") from None


def _matching(conn: sqlite3.Connection, selector: str) -> list[tuple]:
    """Documents by id, then exact path, then sha256 prefix, then path ending in the selector."""
    queries: list[tuple[str, tuple[int | str]]] = []
    if selector.isdigit():
        queries.append(("SELECT id, json_file FROM documents WHERE id = ?", (int(selector),)))
    queries.append(("SELECT id, json_file FROM documents WHERE path = ?", (selector,)))
    if len(selector) >= MIN_SHA_PREFIX and all(c in "0123456789abcdef" for c in selector.lower()):
        queries.append(("SELECT id, json_file FROM documents WHERE sha256 LIKE ? || '%'", (selector.lower(),)))
    queries.append(
        ("SELECT id, json_file FROM documents WHERE path LIKE '%' || ? ESCAPE '\\'", (_like_literal(selector),))
    )
    for sql, args in queries:
        rows = conn.execute(sql + " ORDER BY id", args).fetchall()
        if rows:
            return rows
    return []


def _like_literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def followups_of(conn: sqlite3.Connection, sha256: str) -> dict[int, dict]:
    """The stored follow-up of a document's planned tasks, by the task's span start."""
    rows = conn.execute(
        "SELECT t.span_start, f.status, rd.path, rs.label || rs.title, f.score FROM followups f"
        " JOIN tasks t ON t.id = f.task_id JOIN documents d ON d.id = t.document_id"
        " LEFT JOIN sections rs ON rs.id = f.reported_section_id LEFT JOIN documents rd ON rd.id = rs.document_id"
        " WHERE d.sha256 = ?",
        (sha256,),
    ).fetchall()
    return {
        start: {"status": status, "reported_document": doc, "reported_section": section, "score": score}
        for start, status, doc, section, score in rows
    }
