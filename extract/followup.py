"""Follow-up of planned tasks: was each task of a plan part reported in a later summary of the same issuer?

For every task in a plan part, the summary parts of the same issuer from the month the plan is for to the
month after the task's deadline (a task may be reported early, or late) are the candidates; each of their
top-level sections is scored against the task by the words they share (jieba, on titles and text) and by the task's
departments and leaders named in the section. The best section at or above REPORTED_SCORE is where the
task was `reported`; with no candidate summary in the database yet the task is `not yet due`; else it is
`not found`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from functools import lru_cache

from .recognize.dates import shift_month

REPORTED_SCORE = 0.45  # set before the labelled series of tests/followup were scored (README has the result)
TITLE_WEIGHT, TEXT_WEIGHT = 1.0, 0.6  # a task word in the section's title counts more than in its text
DEPARTMENT_BONUS, LEADER_BONUS = 0.15, 0.1
MIN_WORD = 2  # one character says nothing about what a task is


@dataclass(frozen=True)
class FollowUp:
    """A planned task and what became of it: `reported` (in which summary section, with its score), `not found`
    (the best score, when some summary section was scored) or `not yet due`."""

    task_id: int
    issuer: str | None
    plan_document: str
    plan_period: str | None
    task_section: str  # label and title of the plan item
    task_number: int | None  # the plan item's number
    leaders: str
    departments: str
    deadline: str | None
    status: str  # reported | not found | not yet due
    reported_document: str | None = None
    reported_period: str | None = None
    reported_section: str | None = None
    reported_number: int | None = None
    reported_section_id: int | None = None
    score: float | None = None

    def as_dict(self) -> dict:
        """Its fields as a plain dict."""
        return asdict(self)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from . import lexicons

    return frozenset(lexicons.followup_words()["stop"])


@lru_cache(maxsize=65536)  # a summary section is a candidate for every task of the months before it
def words(text: str) -> frozenset[str]:
    """The content words of a text: jieba words of two characters or more, less the words any work item
    uses (工作, 开展, 推进 …)."""
    from .segment import jieba_cut

    return frozenset(w for w in jieba_cut(text) if len(w) >= MIN_WORD and not w.isdigit() and w not in _stop_words())


def score(task_title: str, task_text: str, title: str, text: str, departments: list[str], leaders: list[str]) -> float:
    """How well a summary section (title, text) reports a task: the share of the task's words found in
    the section (in its title, worth more), plus bonuses when it names the task's departments or leaders."""
    wanted = words(task_title) or words(task_text)
    if not wanted:
        return 0.0
    in_title, in_text = words(title), words(text)
    found = sum(TITLE_WEIGHT if w in in_title else TEXT_WEIGHT if w in in_text else 0.0 for w in wanted)
    s = found / len(wanted)
    if any(d and d in text for d in departments):
        s += DEPARTMENT_BONUS
    if any(p and p in text for p in leaders):
        s += LEADER_BONUS
    return round(min(s, 1.0), 3)


def _month_after(period: str) -> str:
    """YYYY-MM of the month after `period` (YYYY-MM)."""
    y, m = shift_month(int(period[:4]), int(period[5:7]), 1)
    return f"{y:04d}-{m:02d}"


def follow_up(
    conn: sqlite3.Connection, issuer: str | None = None, period_from: str | None = None, period_to: str | None = None
) -> list[FollowUp]:
    """The follow-up of every task in a plan part, ordered by issuer, plan month and document; `issuer` keeps
    the issuers containing it, `period_from`/`period_to` (YYYY-MM) bound the plan's month."""
    tasks = conn.execute(
        "SELECT t.id, d.issuer, d.path, coalesce(p.period, d.reference_period), s.label, s.number, s.title, s.text,"
        " t.deadline_end, coalesce(p.period_end, p.period) FROM tasks t JOIN sections s ON s.id = t.section_id"
        " JOIN parts p ON p.id = t.part_id JOIN documents d ON d.id = t.document_id WHERE p.kind = 'plan'"
        " AND (:issuer IS NULL OR d.issuer LIKE '%' || :issuer || '%')"
        " AND (:start IS NULL OR coalesce(p.period, d.reference_period) >= :start)"
        " AND (:end IS NULL OR coalesce(p.period, d.reference_period) <= :end)"
        " ORDER BY d.issuer, coalesce(p.period, d.reference_period), d.path, s.span_start",
        {"issuer": issuer, "start": period_from, "end": period_to},
    ).fetchall()
    return [_follow(conn, *row) for row in tasks]


def _people(conn, task_id: int, role: str) -> list[str]:
    return [
        n
        for (n,) in conn.execute(
            "SELECT name FROM task_people WHERE task_id = ? AND role = ? ORDER BY ordinal", (task_id, role)
        )
    ]


def _follow(conn, task_id, issuer, path, period, label, number, title, text, deadline, period_end) -> FollowUp:
    leaders, departments = _people(conn, task_id, "leader"), _people(conn, task_id, "department")
    due = (deadline or "")[:7] or period_end or period
    base = FollowUp(
        task_id=task_id,
        issuer=issuer,
        plan_document=path,
        plan_period=period,
        task_section=f"{label}{title}",
        task_number=number,
        leaders="、".join(leaders),
        departments="、".join(departments),
        deadline=deadline,
        status="not found",
    )
    if not due:
        return base
    # from the month the plan is for (a task due later may be reported early) to the month after the
    # deadline (a late report)
    first, last = min(period or due, due), _month_after(due)
    candidates = conn.execute(
        "SELECT d.path, p.period, s.label, s.title, s.text, s.number, s.id FROM sections s JOIN parts p ON p.id = s.part_id"
        " JOIN documents d ON d.id = s.document_id WHERE p.kind = 'summary' AND s.parent_id IS NULL"
        " AND d.issuer IS ? AND p.period BETWEEN ? AND ? ORDER BY p.period, d.path, s.span_start",
        (issuer, first, last),
    ).fetchall()
    if not candidates:
        later = conn.execute(
            "SELECT 1 FROM parts p JOIN documents d ON d.id = p.document_id WHERE p.kind = 'summary'"
            " AND d.issuer IS ? AND p.period >= ? LIMIT 1",
            (issuer, due),
        ).fetchone()
        return base if later else FollowUp(**{**base.as_dict(), "status": "not yet due"})
    best = max(candidates, key=lambda c: score(title, text, c[3], c[4], departments, leaders))
    s = score(title, text, best[3], best[4], departments, leaders)
    if s < REPORTED_SCORE:
        return FollowUp(**{**base.as_dict(), "score": s})
    return FollowUp(
        **{
            **base.as_dict(),
            "status": "reported",
            "reported_document": best[0],
            "reported_period": best[1],
            "reported_section": f"{best[2]}{best[3]}",
            "reported_number": best[5],
            "reported_section_id": best[6],
            "score": s,
        }
    )


def store(conn: sqlite3.Connection) -> int:
    """Write every planned task's follow-up into the database's followups table (replacing what was there),
    for the canned query of tasks not reported; returns how many."""
    from .db import replace_followups

    rows = follow_up(conn)
    replace_followups(conn, [(r.task_id, r.status, r.reported_section_id, r.score) for r in rows])
    return len(rows)
