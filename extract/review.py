"""The review page: one self-contained HTML file showing a bulletin's text with every figure, date, task
field, person and section title highlighted, its normalized value on hover or focus, and tables of
figures, tasks and what to check first; for PDFs and scans, each page as an image with a box at every
item (extract/review_pages.py), linked both ways: an item selects its boxes, a box its item.

Every string from the document goes through Jinja2's autoescape; the items' data is embedded as JSON
with `<`, `>`, `&` and the line separators escaped, so no document text can close the script element.
A Content-Security-Policy meta tag allows no remote load, and no script but the page's own (by its hash).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

from .layout import LOW_CONFIDENCE


@dataclass
class Node:
    """A stretch of the text: plain (item None) or an item's mark, which may hold smaller items."""

    text: str = ""
    item: int | None = None
    children: list[Node] = field(default_factory=list)


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("extract", "templates"), autoescape=select_autoescape(["html", "j2"]))
    return env.get_template("review.html.j2")


@lru_cache(maxsize=1)
def _script() -> tuple[str, str]:
    """The page's script and its CSP hash: the policy lets this script run and no other, so a string that
    escaped the escaping still could not run."""
    import base64
    import hashlib
    from importlib.resources import files

    code = files("extract").joinpath("templates/review.js").read_text(encoding="utf-8")
    return code, "sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")


def render_review(
    doc: dict, pages: list | None = None, followups: dict[int, dict] | None = None, note: str = ""
) -> str:
    """The review page of a bulletin (its JSON output, as a dict); `pages` are its page images
    (review_pages.PageImage), `followups` the follow-up of its planned tasks by the task's span start
    (from a database), `note` says why there are no page images when there could be."""
    from markupsafe import Markup

    items, figures, tasks = _items(doc)
    _note_repairs(items, doc.get("repairs", []))
    for t in tasks:
        t["followup"] = (followups or {}).get(t["start"])
    text = doc["text"]
    roots = _tree(text, items, 0, len(text))
    check: list[dict[str, object]] = [
        {"text": f"{w['code']}: {w['message']}", "item": None} for w in doc.get("warnings", [])
    ]
    check += [
        {"text": f"{it['kind']} {it['text']} (confidence {it['confidence']:.2f})", "item": i}
        for i, it in enumerate(items)
        if it.get("check")
    ]
    marked = _marked(roots)
    check += [
        {"text": f"{it['kind']} {it['text']}: not marked in the text, it crosses another item's edge", "item": None}
        for i, it in enumerate(items)
        if i not in marked
    ]
    return _template().render(
        title=doc.get("title") or doc["source"]["path"],
        issuer=doc.get("issuer") or "",
        genre=doc.get("genre") or "",
        period=doc.get("reference_period") or "",
        source=doc["source"]["path"],
        nodes=roots,
        items=items,
        figures=figures,
        units=sorted({f["unit"] for f in figures}),
        sections=_unique(f["section"] for f in figures),
        tasks=tasks,
        has_followups=followups is not None,
        check=check,
        pages=_pages(pages or [], items),
        note=note,
        items_json=Markup(script_json(items)),
        script=Markup(_script()[0]),
        script_hash=_script()[1],
    )


def _unique(values) -> list:
    return list(dict.fromkeys(values))


@dataclass(frozen=True)
class Box:
    """An item's box on a page image, in percent of the page (stays in place at any zoom)."""

    item: int
    kind: str
    left: float
    top: float
    width: float
    height: float


def _pages(pages: list, items: list[dict]) -> list[dict]:
    by_page: dict[int, list[Box]] = {}
    size = {p.number: (p.width, p.height) for p in pages}
    for i, it in enumerate(items):
        for page, x0, top, x1, bottom in it["boxes"]:
            if page in size:
                w, h = size[page]
                by_page.setdefault(page, []).append(
                    Box(i, it["kind"], _pc(x0, w), _pc(top, h), _pc(x1 - x0, w), _pc(bottom - top, h))
                )
    return [
        {"number": p.number, "uri": p.data_uri, "ratio": f"{p.width} / {p.height}", "boxes": by_page.get(p.number, [])}
        for p in pages
    ]


def _pc(value: float, whole: float) -> float:
    return round(100 * value / whole, 3) if whole else 0.0


def script_json(value) -> str:
    """JSON safe inside a <script> element: nothing in it can end the element or the line."""
    s = json.dumps(value, ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        s = s.replace(ch, esc)
    return s


def _note_repairs(items: list[dict], repairs: list[dict]) -> None:
    """Add to each item's detail the repairs made inside it (a joined line, an OCR confusion fixed), so
    the auditor sees where the text differs from the page."""
    from bisect import bisect_left

    repairs = sorted(repairs, key=lambda r: r["at"])
    ats = [r["at"] for r in repairs]
    for it in items:
        inside = [
            r
            for r in repairs[bisect_left(ats, it["start"]) : bisect_left(ats, it["end"])]
            if r["inserted"] or r["at"] > it["start"]
        ]  # a removal at the very start was before the item
        if inside:
            repaired = [
                (r["kind"], json.dumps(r["removed"], ensure_ascii=False), json.dumps(r["inserted"], ensure_ascii=False))
                for r in inside
            ]
            it["detail"] += " · repaired: " + "; ".join(
                f"{kind} {removed}→{inserted}" for kind, removed, inserted in repaired
            )


def _items(doc: dict) -> tuple[list[dict], list[dict], list[dict]]:
    """The page's marked items (figures, dates, people, task fields, section titles) in document order,
    and the rows of its figure and task tables."""
    found = _ReviewItems(doc)
    for part in doc.get("parts", []):
        found.visit(part, part["title"], part["title"])
        stack = list(reversed(part.get("sections", [])))
        while stack:
            s = stack.pop()
            found.title(s, part["title"])
            found.visit(s, f"{part['title']} {s['label']}{s['title']}", f"{s['label']}{s['title']}")
            stack += reversed(s.get("subsections", []))
    return found.items, found.figures, found.tasks


class _ReviewItems:
    """The items of a bulletin's JSON as the review page marks them, with the figure and task tables' rows."""

    def __init__(self, doc: dict):
        self.doc = doc
        self.items: list[dict] = []
        self.figures: list[dict] = []
        self.tasks: list[dict] = []

    def add(self, kind: str, it: dict, detail: str, where: str, span=None, boxes=None) -> int:
        span = span or it["span"]
        conf = it.get("confidence")
        self.items.append(
            {
                "kind": kind,
                "text": self.doc["text"][span[0] : span[1]],
                "start": span[0],
                "end": span[1],
                "detail": detail + (f" · confidence {conf:.2f}" if conf is not None else "") + f" · {where}",
                "page": it.get("page"),
                "boxes": boxes if boxes is not None else _boxes(it),
                "confidence": conf,
                "check": conf is not None and conf < LOW_CONFIDENCE,
            }
        )
        return len(self.items) - 1

    def title(self, s: dict, where: str) -> None:
        """A section's title, boxed by the heading's line (the section's first)."""
        at = self.doc["text"].find(s["title"], s["span"][0], s["span"][1]) if s["title"] else -1
        if at >= 0:
            detail = f"section {s['label']} level {s['level']}"
            self.add("title", s, detail, where, (at, at + len(s["title"])), _boxes(s)[:1])

    def visit(self, node: dict, where: str, short: str) -> None:
        """A part's or section's own figures, dates, people and task."""
        for f in node.get("figures", []):
            self.figure(f, where, short)
        for d in node.get("dates", []):
            self.add("date", d, f"{d['start']} – {d['end']} ({d['granularity']})", where)
        for p in node.get("people", []):
            self.add("person", p, f"{p['name']} {'、'.join(p['titles'])}".strip(), where)
        if node.get("task"):
            self.task(node["task"], where, short)

    def figure(self, f: dict, where: str, short: str) -> None:
        i = self.add("figure", f, _figure_detail(f), where)
        self.figures.append(
            {
                "section": short,
                "text": f["text"],
                "value": f["value"],
                "unit": f.get("unit") or "",
                "approx": f.get("approx") or "",
                "page": f.get("page") or "",
                "item": i,
            }
        )

    def task(self, task: dict, where: str, short: str) -> None:
        deadline = task.get("deadline") or {}
        whole = _task_detail(task, deadline)
        marks = [
            self.add(
                "task",
                fld,
                f"{fld['label']} ({fld['role']}): {'、'.join(fld['values']) or fld['text']} · {whole}",
                where,
            )
            for fld in task["fields"]
        ]
        self.tasks.append(
            {
                "start": task["span"][0],
                "section": short,
                "leaders": "、".join(task["leaders"]),
                "departments": "、".join(task["departments"]),
                "item": marks[0] if marks else None,
                "deadline": f"{deadline.get('text') or ''} {deadline.get('end') or ''}".strip(),
            }
        )


def _task_detail(task: dict, deadline: dict) -> str:
    """The whole task a field belongs to: its leaders, departments and deadline."""
    due = f"{deadline.get('start')} – {deadline.get('end')}" if deadline else "none"
    return (
        f"task: leaders {'、'.join(task['leaders']) or 'none'}; departments {'、'.join(task['departments']) or 'none'};"
        f" deadline {due}"
    )


def _boxes(it: dict) -> list[list]:
    """[page, x0, top, x1, bottom] for each line of the item, or its one box."""
    if it.get("boxes"):
        return it["boxes"]
    return [[it["page"], *it["bbox"]]] if it.get("bbox") and it.get("page") else []


def _figure_detail(f: dict) -> str:
    value = f"{f['value']}" + (f"–{f['value_max']}" if f.get("value_max") is not None else "")
    unit = f.get("unit") or ""
    extra = [x for x in (f.get("approx"), "unit inferred" if f.get("unit_inferred") else None) if x]
    return f"{value} {unit}" + (f" ({', '.join(extra)})" if extra else "")


def _marked(nodes: list[Node]) -> set[int]:
    out: set[int] = set()
    stack = list(nodes)
    while stack:
        n = stack.pop()
        if n.item is not None:
            out.add(n.item)
        stack.extend(n.children)
    return out


def _tree(text: str, items: list[dict], lo: int, hi: int) -> list[Node]:
    """The text between lo and hi as plain stretches and marks; an item inside another is its child; an
    item that crosses another's edge is left unmarked (it stays in the tables)."""
    order = sorted(range(len(items)), key=lambda i: (items[i]["start"], -items[i]["end"]))
    return _nodes(text, items, [i for i in order if lo <= items[i]["start"] < items[i]["end"] <= hi], lo, hi)


def _nodes(text: str, items: list[dict], inside: list[int], lo: int, hi: int) -> list[Node]:
    out: list[Node] = []
    cur = lo
    k = 0
    while k < len(inside):
        i = inside[k]
        a, b = items[i]["start"], items[i]["end"]
        if a < cur:  # crosses an earlier mark's edge
            k += 1
            continue
        if a > cur:
            out.append(Node(text=text[cur:a]))
        nested = []
        k += 1
        while k < len(inside) and items[inside[k]]["start"] < b:
            if items[inside[k]]["end"] <= b:
                nested.append(inside[k])
            k += 1
        out.append(Node(item=i, children=_nodes(text, items, nested, a, b)))
        cur = b
    if cur < hi:
        out.append(Node(text=text[cur:hi]))
    return out
