"""Task fields (责任领导, 责任部室, 完成时限 and their variants) on one line or several."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import cast, get_args

from ..patterns import SP, SPACE_CHARS, SPACES
from .. import lexicons
from ..models import Task, TaskField, TaskRole
from ..structure import RowCell
from .dates import Context, parse_deadline

_SPLIT = re.compile(rf"[、，,；;/／]+|{SP}+|(?<=[^ \t])及(?=[^ \t])")


@lru_cache(maxsize=1)
def _label_re() -> re.Pattern:
    """责任领导：X, or a label in brackets with no colon: 【牵头县领导】X"""
    labels = lexicons.task_labels()["labels"]
    words = lexicons.alternation([w for ws in labels.values() for w in ws] + lexicons.task_labels()["either"])
    # a label starts its own phrase: 压实主体责任：… is narrative, not a 责任 field
    return re.compile(rf"(?:【(?P<blabel>{words})】|(?<![\u4e00-\u9fff])(?P<label>{words}){SPACES}[：:]){SPACES}")


@lru_cache(maxsize=1)
def _glued_label_re() -> re.Pattern:
    """A label of three characters or more glued to the value before it (OCR drops the spaces between
    fields: 牵头领导：王建国责任单位：办公室)."""
    labels = lexicons.task_labels()["labels"]
    words = lexicons.alternation([w for ws in labels.values() for w in ws if len(w) >= 3])
    return re.compile(rf"(?<=[\u4e00-\u9fff])(?P<label>{words}){SPACES}[：:]{SPACES}")


def labels_with_glued(region: str, label_re: re.Pattern, glued_re: re.Pattern) -> list[re.Match]:
    """Label matches in order: those of `label_re` (a label starts a phrase), and those of `glued_re`
    glued to the value before them, taken only after another label on the same line."""
    matches = list(label_re.finditer(region))
    if not matches:
        return matches  # a glued label counts only after another one
    taken = [(m.start(), m.end()) for m in matches]
    for g in glued_re.finditer(region):
        if not any(a < g.end() and g.start() < b for a, b in taken) and any(
            m.end() <= g.start() and "\n" not in region[m.end() : g.start()] for m in matches
        ):
            matches.append(g)
    return sorted(matches, key=lambda m: m.start())


@lru_cache(maxsize=1)
def _role_of() -> dict[str, str]:
    roles = {w: role for role, ws in lexicons.task_labels()["labels"].items() for w in ws}
    roles.update({w: "either" for w in lexicons.task_labels()["either"]})
    return roles


def _is_unit(name: str) -> bool:
    return name.startswith("各") or name.endswith(tuple(lexicons.task_labels()["unit_suffixes"]))


_VALUE_END = re.compile(r"[\n；;。|｜]")


def _unmatched_close(s: str) -> int | None:
    """Index of the first ）that closes a （ opened before the value (（责任领导：X）)."""
    depth = 0
    for i, c in enumerate(s):
        if c in "（(":
            depth += 1
        elif c in "）)":
            if depth == 0:
                return i
            depth -= 1
    return None


def split_outside_parens(value: str, sep: re.Pattern) -> list[str]:
    """Split on `sep`, except inside brackets: 各县（市、区）应急管理局 is one name."""
    parts, cur, depth = [], 0, 0
    opens, closes = "（(〔【《", "）)〕】》"
    marks = [0] * (len(value) + 1)
    for i, c in enumerate(value):
        if c in opens:
            depth += 1
        elif c in closes and depth:
            depth -= 1
        marks[i] = depth
    for m in sep.finditer(value):
        if m.start() == m.end() or marks[m.start()]:
            continue
        parts.append(value[cur : m.start()])
        cur = m.end()
    parts.append(value[cur:])
    return parts


def split_names(value: str) -> list[str]:
    """The names in a field's value, split on 、，；/, spaces and 及 outside brackets, quotes trimmed:
    `办公室、各县（市、区）工会` → [办公室, 各县（市、区）工会]."""
    return [v for v in (x.strip("“”\"'" + SPACE_CHARS) for x in split_outside_parens(value, _SPLIT)) if v]


# one level of brackets may stand inside: （…，各村（社区）配合，…）
_BRACKET = re.compile(r"[（(](?P<body>(?:[^（）()\n]|[（(][^（）()\n]{1,12}[）)]){2,80})[）)]")


@lru_cache(maxsize=1)
def _inline_deadline_re() -> re.Pattern:
    """A deadline part of an assignment: 11月底前完成, 12月10日前 (completion verbs: task_labels.yaml)."""
    done = lexicons.alternation(lexicons.task_labels()["completion_verbs"])
    return re.compile(
        rf"{SPACES}(?P<when>[^，,；;]{{0,8}}[0-9０-９一二三四五六七八九十][^，,；;]{{0,8}}?"
        rf"(?:月|日|底|旬|季度|年)[^，,；;]{{0,3}}?前?)(?:{done})?{SPACES}$"
    )


_PARTS_OUTSIDE_BRACKETS = re.compile(r"[，,；;](?![^（(]*[）)])")


@lru_cache(maxsize=1)
def _inline_part_re() -> re.Pattern:
    roles = lexicons.task_labels()["inline_roles"]
    manner = lexicons.alternation(lexicons.task_labels()["inline_manner"])
    return re.compile(rf"{SPACES}(?P<names>[^，,；;]+?)(?:{manner})?(?P<verb>{lexicons.alternation(roles)}){SPACES}$")


def inline_assignments(text: str, start: int, end: int) -> list[TaskField]:
    """Fields of assignments in brackets: （省商务厅牵头，合肥海关配合） → department 省商务厅, cooperating
    合肥海关. Every part of the bracket must be a name and a role word, or the bracket is none."""
    out: list[TaskField] = []
    for m in _BRACKET.finditer(text, start, end):
        fields: list[TaskField] = []
        pos = m.start("body")
        for piece in _PARTS_OUTSIDE_BRACKETS.split(m.group("body")):
            field = _inline_role(piece, pos) or _inline_deadline(piece, pos)
            if field is None:
                fields = []
                break
            fields.append(field)
            pos += len(piece) + 1
        if any(f.role != "deadline" for f in fields):
            out += fields
    return out


def _inline_role(piece: str, pos: int) -> TaskField | None:
    """由镇农业服务中心牵头 → department; 由副镇长刘志强牵头 → leader 刘志强 (the title before the name goes)."""
    p = _inline_part_re().fullmatch(piece)
    if not p:
        return None
    names_text = p.group("names")
    agent = re.match(rf"{SPACES}(?:{lexicons.alternation(lexicons.task_labels()['inline_agent'])})", names_text)
    skip = agent.end() if agent else 0
    names = split_names(names_text[skip:])
    if not names:
        return None
    role = _resolved_role(lexicons.task_labels()["inline_roles"][p.group("verb")], names)
    if role == "leader":
        names = [_without_title(n) for n in names]
    a = pos + p.start("names") + skip
    return TaskField(
        label=p.group("verb"), role=role, text=names_text[skip:], values=names, span=(a, a + len(names_text) - skip)
    )


def _resolved_role(role: str, values: list[str]) -> TaskRole:
    """A role as the lexicon gives it; "either" (牵头：王伟, 牵头：办公室) is a department when every value
    names a unit, else a leader."""
    if role == "either":
        return "department" if values and all(_is_unit(v) for v in values) else "leader"
    return cast(TaskRole, role)  # tests/test_lexicons.py holds the lexicon's roles to TaskRole


def _inline_deadline(piece: str, pos: int) -> TaskField | None:
    d = _inline_deadline_re().fullmatch(piece)
    if not d:
        return None
    a = pos + d.start("when")
    return TaskField(label="完成", role="deadline", text=d.group("when"), values=[], span=(a, a + len(d.group("when"))))


def _without_title(name: str) -> str:
    """副镇长刘志强 → 刘志强: a leader named with a title keeps the name."""
    from .people import title_suffix_re

    ends = [m.end() for m in title_suffix_re().finditer(name)]
    rest = name[ends[-1] :] if ends else name
    return rest if 2 <= len(rest) <= 4 else name


def find_task(text: str, start: int, end: int, ctx: Context) -> Task | None:
    """The task fields in text[start:end] (labelled, or assigned in brackets), or None when there are none."""
    region = text[start:end]
    matches = labels_with_glued(region, _label_re(), _glued_label_re())
    if not matches:
        inline = inline_assignments(text, start, end)
        return _task(text, inline, ctx) if inline else None
    fields: list[TaskField] = []
    for i, m in enumerate(matches):
        va = m.end()
        stop = _VALUE_END.search(region, va)
        vb = stop.start() if stop else len(region)
        if i + 1 < len(matches):
            vb = min(vb, matches[i + 1].start())
        close = _unmatched_close(region[va:vb])
        if close is not None:
            vb = va + close
        while vb > va and region[vb - 1] in SPACE_CHARS + "，,、":
            vb -= 1
        a, b = start + va, start + vb
        label = m.group("label") or m.groupdict().get("blabel") or ""
        value = region[va:vb]
        written = _role_of()[label]
        values = [] if written == "deadline" else split_names(value)
        role = _resolved_role(written, values)
        fields.append(TaskField(label=label, role=role, text=value, values=values, span=(a, b)))
    return _task(text, fields, ctx, span_start=start + matches[0].start())


def task_from_cells(text: str, cells: list[RowCell], ctx: Context) -> Task | None:
    """A task from a table row's cells (the narrative ones, role "other", are not the task's)."""
    fields = [
        TaskField(
            label=c.header,
            role=cast(TaskRole, c.role),  # the cells of a task role only (below): no "either" in a table
            text=text[c.start : c.end],
            values=[] if c.role == "deadline" else split_names(text[c.start : c.end]),
            span=(c.start, c.end),
        )
        for c in cells
        if c.role in get_args(TaskRole)
    ]
    return _task(text, fields, ctx) if fields else None


def _task(text: str, fields: list[TaskField], ctx: Context, span_start: int | None = None) -> Task:
    """The task its fields make: leaders, departments (cooperating ones too), the first deadline parsed."""
    deadline = next(
        (parse_deadline(text, f.span[0], f.span[1], ctx) for f in fields if f.role == "deadline" and f.text), None
    )

    # a name assigned twice (省商务厅牵头 in two items of one section) is one member of the task
    def by_role(r):
        return list(dict.fromkeys(v for f in fields if f.role == r for v in f.values))

    start = span_start if span_start is not None else min(f.span[0] for f in fields)
    departments = list(dict.fromkeys(v for f in fields if f.role in ("department", "cooperating") for v in f.values))
    return Task(
        leaders=by_role("leader"),
        departments=departments,
        cooperating=by_role("cooperating"),
        deadline=deadline,
        fields=fields,
        span=(start, max(f.span[1] for f in fields)),
    )
