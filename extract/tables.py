"""Plain-text tables of tasks: a header row (序号  工作任务  责任领导  责任单位  完成时限) and one row per task,
columns separated by two or more spaces or a tab. Each row is a numbered section whose title is the task
cell and whose task comes from the other cells."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .patterns import SPACES, SPACE_CHARS
from . import lexicons

# cells are split by a box-drawing or ASCII bar (序号│重点任务│…), a tab, or a run of two spaces or more
_BAR = "│┃|｜"
_CELL_SEP = re.compile(rf"{SPACES}[{_BAR}]{SPACES}|\t+|[ \u3000]{{2,}}|[ \u3000]*\t{SPACES}")
_TABLE_RULE = re.compile(rf"{SPACES}[─━┼┿╋├┤┌┐└┘┬┴═╪╤╧╔╗╚╝╠╣╦╩╬\-=+|│┃]{{3,}}{SPACES}")


@dataclass(frozen=True)
class Cell:
    """A cell of a plain-text table row: its offsets in the line and its text."""

    start: int  # offsets relative to the line
    end: int
    text: str


def is_table_rule(line: str) -> bool:
    """A table's drawn rule (├──┼──┤, ----+----): no cells, no text."""
    return bool(_TABLE_RULE.fullmatch(line))


@lru_cache(maxsize=4096)  # asked of the same lines by the repair and structure stages
def split_cells(line: str) -> tuple[Cell, ...]:
    """A line's cells: the pieces between bars (│, |), tabs and runs of two spaces or more, outer bars and
    spaces left out (`序号  工作任务  责任领导` → 3 cells)."""
    cells, pos = [], 0
    body_start = len(line) - len(line.lstrip(SPACE_CHARS + _BAR))
    pos = body_start
    for m in _CELL_SEP.finditer(line, body_start):
        if m.start() > pos:
            cells.append(Cell(pos, m.start(), line[pos : m.start()]))
        pos = m.end()
    end = len(line.rstrip(SPACE_CHARS + _BAR))
    if end > pos:
        cells.append(Cell(pos, end, line[pos:end]))
    return tuple(cells)


@lru_cache(maxsize=1)
def _column_roles() -> dict[str, str]:
    data = lexicons.task_labels()
    roles = {w: role for role, ws in data["labels"].items() for w in ws}
    roles.update({w: "number" for w in data["table"]["number"]})
    roles.update({w: "title" for w in data["table"]["task"]})
    return roles


def header_roles(line: str) -> list[tuple[str, str]] | None:
    """[(header text, role)] when `line` is a task-table header: a number column, a task column and at
    least one task-field column."""
    cells = split_cells(line)
    if len(cells) < 3:
        return None
    roles = [(c.text.strip(), _column_roles().get(c.text.strip())) for c in cells]
    kinds = [r for _, r in roles]
    # 序号 first, or the task first with its own number (一、扎实开展…  高启秀  机关党委  九月份)
    if (
        kinds[0] not in ("number", "title")
        or "title" not in kinds
        or not ({"leader", "department", "deadline"} & set(kinds))
    ):
        return None
    return [(h, r or "other") for h, r in roles]


def row_cells(line: str, columns: int, numbered_title: bool = False) -> tuple[Cell, ...] | None:
    """The cells of a table row that starts with its number (or, when the task column comes first,
    with a numbered task), or None."""
    from .numbering import match_label

    cells = split_cells(line)
    if len(cells) != columns:
        return None
    if numbered_title:
        return cells if match_label(cells[0].text) else None
    return cells if re.fullmatch(r"[0-9０-９]{1,3}[.．、]?", cells[0].text) else None
