"""Queries over the bulletins database for auditors: figures, tasks or sections, narrowed by words in
the section text, unit and value range, period, issuer, task leader and department.

Every value reaches SQLite as a bound parameter. Words are matched as substrings: through the FTS5
trigram index (the words become quoted phrases, so FTS syntax in them is only text): three characters
or more as one phrase, two through the trigrams that begin with them, one by a substring scan.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from .db import indexed_upto

KINDS = ("figures", "tasks", "sections")
PERIOD_RE = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


@dataclass
class Query:
    """An auditor's search: words in the section text, unit and value range, months, issuer, task leader and
    department, what to list (None: chosen from the filters) and at most how many rows (0: no limit)."""

    words: str | None = None
    unit: str | None = None
    min_value: float | None = None
    max_value: float | None = None
    period_from: str | None = None  # YYYY-MM
    period_to: str | None = None
    issuer: str | None = None
    leader: str | None = None
    department: str | None = None
    kind: str | None = None  # figures | tasks | sections; None: chosen from the filters
    limit: int = 100

    def chosen_kind(self) -> str:
        """The kind asked for; else figures for a unit or value filter, tasks for a leader or department,
        sections for words alone, figures for nothing."""
        if self.kind:
            return self.kind
        if self.unit is not None or self.min_value is not None or self.max_value is not None:
            return "figures"
        if self.leader is not None or self.department is not None:
            return "tasks"
        return "sections" if self.words else "figures"


class QueryError(ValueError):
    """A query that cannot be asked (a month not YYYY-MM, a value not finite, a negative limit, an unknown
    kind …); the message says why."""


def _check(q: Query) -> None:
    import math

    for name, value in (("--from", q.period_from), ("--to", q.period_to)):
        if value is not None and not PERIOD_RE.fullmatch(value):
            raise QueryError(f"{name} wants a month as YYYY-MM, not {value!r}")
    for name, number in (("--min", q.min_value), ("--max", q.max_value)):
        if number is not None and not math.isfinite(number):
            raise QueryError(f"{name} wants a number, not {number}")
    if q.limit is not None and q.limit < 0:
        raise QueryError(f"--limit wants 0 (no limit) or more, not {q.limit}")
    if q.kind is not None and q.kind not in KINDS:
        raise QueryError(f"--kind is one of {', '.join(KINDS)}, not {q.kind!r}")


def _phrase(words: str) -> str:
    """An FTS5 phrase that matches `words` as they are (a double quote inside is doubled)."""
    return '"' + words.replace('"', '""') + '"'


MAX_TERMS = 2000  # trigrams beginning with a two-character word, at most; beyond, a scan


def _match(conn, words: str) -> str | None:
    """An FTS5 query that finds exactly the sections containing `words`, or None for a scan: three
    characters or more are one phrase; two are any trigram that begins with them (every value ends in
    a newline, so two characters anywhere begin a trigram)."""
    if len(words) >= 3:
        return _phrase(words)
    if len(words) < 2:
        return None
    key = words.lower()  # the trigram tokenizer folds case
    terms = [
        t
        for (t,) in conn.execute(
            "SELECT term FROM sections_fts_terms WHERE term >= ? AND term < ? LIMIT ?",
            (key, key + "\U0010ffff", MAX_TERMS + 1),
        )
    ]
    if len(terms) > MAX_TERMS:
        return None
    # no trigram begins so: the two characters are nowhere, and a two-character phrase matches nothing
    return " OR ".join(_phrase(t) for t in terms) if terms else _phrase(words)


def _section_filters(conn, q: Query, col: str, task: str | None = None) -> tuple[list[str], list]:
    """SQL conditions (and parameters) on a section id column `col`: the words, and the leader and
    department of the section's task or of its parent section's (a figure in a sub-item of a task).
    With `task` (the tasks alias), leader and department are the task's own. Each condition is a list
    of ids found once, not a test row by row."""
    where, params = [], []
    if q.words:
        match = _match(conn, q.words)
        # a run stopped before indexing (SIGKILL, a full disk) leaves sections past fts_upto unindexed:
        # those are scanned, so every committed section is found
        upto = indexed_upto(conn)
        if match is not None:
            where.append(
                f"({col} IN (SELECT rowid FROM sections_fts WHERE sections_fts MATCH ?)"
                f" OR {col} IN (SELECT id FROM sections WHERE id > ? AND instr(fold(text), fold(?)) > 0))"
            )
            params += [match, upto, q.words]
        else:
            where.append(f"{col} IN (SELECT id FROM sections WHERE instr(fold(text), fold(?)) > 0)")
            params.append(q.words)
    for role, name in (("leader", q.leader), ("department", q.department)):
        if name is None:
            continue
        # a leader by name, a department by a part of its name (市总工会权益保障部 is 权益保障部)
        people = f"SELECT task_id FROM task_people WHERE role = ? AND {'name = ?' if role == 'leader' else 'instr(name, ?) > 0'}"
        if task is not None:
            where.append(f"{task}.id IN ({people})")
            params += [role, name]
            continue
        tasked = f"SELECT section_id FROM tasks WHERE id IN ({people})"
        where.append(f"{col} IN ({tasked} UNION SELECT id FROM sections WHERE parent_id IN ({tasked}))")
        params += [role, name, role, name]
    return where, params


def _common(q: Query, period_col: str) -> tuple[list[str], list]:
    where, params = [], []
    if q.issuer is not None:
        where.append("instr(d.issuer, ?) > 0")
        params.append(q.issuer)
    if q.period_from is not None:
        where.append(f"{period_col} >= ?")
        params.append(q.period_from)
    if q.period_to is not None:
        where.append(f"{period_col} <= ?")
        params.append(q.period_to)
    return where, params


def fold(text: str | None) -> str | None:
    """Case folded as the trigram tokenizer folds (ASCII and other scripts' capitals alike), so that a
    word scanned for matches as the index matches it."""
    return text.lower() if text is not None else None


def search(conn: sqlite3.Connection, q: Query) -> list[dict]:
    """Matching rows, each a dict: kind, document, issuer, period, part, section, text, value, unit,
    page, bbox and span (in the document's text)."""
    _check(q)
    conn.create_function("fold", 1, fold, deterministic=True)
    kind = q.chosen_kind()
    if kind == "figures":
        return _figures(conn, q)
    if kind == "tasks":
        return _tasks(conn, q)
    return _sections(conn, q)


MAX_LIMIT = 2**62  # SQLite's integers are 64-bit; a larger limit is no limit


def _limit(q: Query) -> str:
    return f" LIMIT {min(int(q.limit), MAX_LIMIT)}" if q.limit and q.limit > 0 else ""


def _run(conn, sql: str, params: list) -> list[dict]:
    cur = conn.execute(sql, params)
    names = [c[0] for c in cur.description]
    out = []
    for row in cur:
        r = dict(zip(names, row))
        box = (r.pop("x0"), r.pop("top"), r.pop("x1"), r.pop("bottom"))
        r["bbox"] = list(box) if box[0] is not None else None
        r["span"] = [r.pop("span_start"), r.pop("span_end")]
        out.append(r)
    return out


def _select(
    conn,
    q: Query,
    select: str,
    alias: str,
    section_col: str,
    task: str | None = None,
    where: tuple = (),
    params: tuple = (),
) -> list[dict]:
    """Run `select` (columns and joins; `alias` is the listed table) under the query's filters: issuer
    and period, the kind's own conditions (`where`, `params`), then words, leader and department on
    `section_col`; in document order."""
    conds, values = _common(q, f"{alias}.period")
    sw, sp = _section_filters(conn, q, section_col, task)
    conds += list(where) + sw
    values += list(params) + sp
    sql = (
        select
        + (" WHERE " + " AND ".join(conds) if conds else "")
        + f" ORDER BY {alias}.document_id, {alias}.span_start"
        + _limit(q)
    )
    return _run(conn, sql, values)


def _figures(conn, q: Query) -> list[dict]:
    where, params = [], []
    for cond, value in (("f.unit = ?", q.unit), ("f.value >= ?", q.min_value), ("f.value <= ?", q.max_value)):
        if value is not None:
            where.append(cond)
            params.append(value)
    return _select(
        conn,
        q,
        "SELECT 'figure' AS kind, d.path AS document, d.issuer, f.period, p.title AS part, s.label || s.title AS section,"
        " f.text, f.value, f.value_max, f.unit, f.approx, f.page, f.x0, f.top, f.x1, f.bottom, f.span_start, f.span_end"
        " FROM figures f JOIN documents d ON d.id = f.document_id JOIN parts p ON p.id = f.part_id"
        " LEFT JOIN sections s ON s.id = f.section_id",  # outside every section: section is NULL
        "f",
        "f.section_id",
        where=tuple(where),
        params=tuple(params),
    )


def _tasks(conn, q: Query) -> list[dict]:
    return _select(
        conn,
        q,
        "SELECT 'task' AS kind, d.path AS document, d.issuer, t.period, p.title AS part, s.label || s.title AS section,"
        " (SELECT group_concat(name, '、') FROM (SELECT name FROM task_people WHERE task_id = t.id AND role = 'leader' ORDER BY ordinal)) AS leaders,"
        " (SELECT group_concat(name, '、') FROM (SELECT name FROM task_people WHERE task_id = t.id AND role = 'department' ORDER BY ordinal)) AS departments,"
        " t.deadline_text AS deadline, t.page, t.x0, t.top, t.x1, t.bottom, t.span_start, t.span_end"
        " FROM tasks t JOIN sections s ON s.id = t.section_id JOIN documents d ON d.id = t.document_id"
        " JOIN parts p ON p.id = t.part_id",
        "t",
        "t.section_id",
        task="t",
    )


def _sections(conn, q: Query) -> list[dict]:
    return _select(
        conn,
        q,
        "SELECT 'section' AS kind, d.path AS document, d.issuer, s.period, p.title AS part, s.label || s.title AS section,"
        " s.text, s.page, s.x0, s.top, s.x1, s.bottom, s.span_start, s.span_end"
        " FROM sections s JOIN documents d ON d.id = s.document_id JOIN parts p ON p.id = s.part_id",
        "s",
        "s.id",
    )
