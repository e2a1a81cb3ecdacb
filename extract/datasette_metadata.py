"""metadata.yml beside a bulletins database, for Datasette (`datasette bulletins.db -m metadata.yml`):
what each table and view holds, the full-text index of `sections`, and canned queries for auditors."""

from __future__ import annotations

from pathlib import Path

import yaml

from .write import write_atomic

TABLES = {
    "documents": "One row per document (the manifest): its file, content hash, issuer, title, genre and month.",
    "parts": "Parts of a document: summary (工作综述/总结), plan (工作安排/计划) or other, with their period.",
    "sections": "Numbered (and unnumbered) sections at every level, with their text; searchable.",
    "figures": "Figures: normalized value and unit, the text as written, where it stands (span, page, box).",
    "dates": "Dates resolved to a start and end day, with their granularity.",
    "tasks": "Tasks of plan sections: deadline as written and resolved.",
    "task_people": "Leaders and departments of each task, in the order written.",
    "people": "People named in the text, with the titles written next to them (JSON array).",
    "footers": "The distribution footer: report_to, send_to, editor, phone and the like.",
    "figures_view": "Each figure with its document, issuer, period, part and section.",
    "tasks_view": "Each task with its section, leaders, departments and deadline.",
    "followups": "For each planned task, whether a later summary of the same issuer reports it (bulletin followup).",
    "followups_view": "Each planned task with its status (reported, not found, not yet due) and the reporting section.",
}

# Datasette's own search box puts the words to the trigram index as one phrase, which needs three
# characters; this query also finds two (any trigram beginning with them: every indexed text ends in a
# newline, so two characters anywhere begin one) and one (a scan), as `bulletin search` does.
_PHRASE = "'\"' || replace(:words, '\"', '\"\"') || '\"'"
SEARCH_SECTIONS_SQL = (
    "SELECT s.id, d.path AS document, d.issuer, s.period, s.label, s.title, s.text\n"
    "FROM sections s JOIN documents d ON d.id = s.document_id\n"
    "WHERE s.id IN (SELECT rowid FROM sections_fts WHERE sections_fts MATCH (\n"
    f"  CASE WHEN length(:words) >= 3 THEN {_PHRASE}\n"
    "  ELSE coalesce((SELECT group_concat('\"' || replace(term, '\"', '\"\"') || '\"', ' OR ') FROM sections_fts_terms\n"
    "                 WHERE term >= lower(:words) AND term < lower(:words) || char(1114111)),\n"
    f"                {_PHRASE}) END))\n"
    "   OR (length(:words) = 1 AND instr(s.text, :words) > 0)\n"
    "ORDER BY s.id"
)

QUERIES = {
    "search_sections": {
        "title": "Sections containing words (two characters too)",
        "description": "Sections whose text contains the words, of any length: the search box of the sections "
        "table needs three characters or more.",
        "sql": SEARCH_SECTIONS_SQL,
    },
    "figures_in_range": {
        "title": "Figures of a unit in a value range",
        "description": "Figures in one normalized unit (元, 人, 件, %) between two values, largest first.",
        "sql": "SELECT document, issuer, period, section_label, section, text, value, unit, approx, page\n"
        "FROM figures_view WHERE unit = :unit AND value BETWEEN CAST(:min AS REAL) AND CAST(:max AS REAL)\n"
        "ORDER BY value DESC",
    },
    "tasks_of_leader": {
        "title": "Tasks of a leader",
        "description": "Planned tasks whose leaders include this name, by deadline.",
        "sql": "SELECT document, issuer, period, section_label, section, leaders, departments, deadline_text, deadline_end\n"
        "FROM tasks_view WHERE leaders LIKE '%' || :leader || '%' ORDER BY deadline_end",
    },
    "deadlines_in_month": {
        "title": "Deadlines in a month",
        "description": "Tasks due in one month (YYYY-MM).",
        "sql": "SELECT document, issuer, section, leaders, departments, deadline_text, deadline_end\n"
        "FROM tasks_view WHERE substr(deadline_end, 1, 7) = :month ORDER BY deadline_end, issuer",
    },
    "planned_tasks_not_reported": {
        "title": "Planned tasks not yet reported",
        "description": "Tasks of plan parts that no later summary of the same issuer reports, though one is due.",
        "sql": "SELECT document, issuer, period, section_label, section, leaders, departments, deadline_text, deadline_end\n"
        "FROM followups_view WHERE status = 'not found' ORDER BY issuer, deadline_end",
    },
    "issuer_figures_over_time": {
        "title": "One issuer's figures over time",
        "description": "For an issuer (a part of its name), how many figures of each unit each month, and their sum.",
        "sql": "SELECT period, unit, count(*) AS figures, sum(value) AS total\n"
        "FROM figures_view WHERE issuer LIKE '%' || :issuer || '%' GROUP BY period, unit ORDER BY period, unit",
    },
}


def metadata(database_name: str) -> dict:
    """Datasette's metadata for the database named `database_name`: a description of each table and view,
    full-text search on `sections`, and the canned queries."""
    tables = {name: {"description": text} for name, text in TABLES.items()}
    tables["sections"].update({"fts_table": "sections_fts", "fts_pk": "id"})
    return {
        "title": "Bulletins",
        "description": "Chinese administrative bulletins read by bulletin-extract: every figure, date and task with "
        "its normalized value and where it stands in its document.",
        "databases": {database_name: {"tables": tables, "queries": QUERIES}},
    }


def write_metadata(db_path: str) -> Path:
    """Write metadata.yml beside the database (atomically); the database's name is its file's stem."""
    path = Path(db_path).with_name("metadata.yml")
    text = yaml.safe_dump(metadata(Path(db_path).stem), allow_unicode=True, sort_keys=False, width=120)
    write_atomic(str(path), text)
    return path
