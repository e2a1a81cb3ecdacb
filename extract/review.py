"""The review page: one self-contained HTML file showing a bulletin's text with every figure, date, task
field, person and section title highlighted, its normalized value on hover or focus, and tables of
figures, tasks and what to check first (issue 12, first part: text input; page images come next).

Every string from the document goes through Jinja2's autoescape; the items' data is embedded as JSON
with `<`, `>`, `&` and the line separators escaped, so no document text can close the script element.
A Content-Security-Policy meta tag allows no remote load.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

LOW_CONFIDENCE = 0.9  # as the warnings' low_confidence


@dataclass
class Node:
    """A stretch of the text: plain (item None) or an item's mark, which may hold smaller items."""
    text: str = ""
    item: int | None = None
    children: list["Node"] = field(default_factory=list)


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("extract", "templates"), autoescape=select_autoescape(["html", "j2"]))
    return env.get_template("review.html.j2")


def render_review(doc: dict) -> str:
    """The review page of a bulletin (its JSON output, as a dict)."""
    from markupsafe import Markup

    items, figures, tasks = _items(doc)
    text = doc["text"]
    roots = _tree(text, items, 0, len(text))
    check = [{"text": f"{w['code']}: {w['message']}", "item": None} for w in doc.get("warnings", [])]
    check += [{"text": f"{it['kind']} {it['text']} (confidence {it['confidence']:.2f})", "item": i}
              for i, it in enumerate(items) if it.get("check")]
    return _template().render(
        title=doc.get("title") or doc["source"]["path"], issuer=doc.get("issuer") or "", genre=doc.get("genre") or "",
        period=doc.get("reference_period") or "", source=doc["source"]["path"], nodes=roots, items=items,
        figures=figures, tasks=tasks, check=check, items_json=Markup(script_json(items)))


def script_json(value) -> str:
    """JSON safe inside a <script> element: nothing in it can end the element or the line."""
    s = json.dumps(value, ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        s = s.replace(ch, esc)
    return s


def _items(doc: dict) -> tuple[list[dict], list[dict], list[dict]]:
    items: list[dict] = []
    figures: list[dict] = []
    tasks: list[dict] = []

    def add(kind: str, it: dict, detail: str, where: str, span=None) -> int:
        span = span or it["span"]
        conf = it.get("confidence")
        items.append({"kind": kind, "text": doc["text"][span[0]:span[1]], "start": span[0], "end": span[1],
                      "detail": detail + (f" · confidence {conf:.2f}" if conf is not None else "") + f" · {where}",
                      "page": it.get("page"), "bbox": it.get("bbox"), "confidence": conf,
                      "check": conf is not None and conf < LOW_CONFIDENCE})
        return len(items) - 1

    def visit(node: dict, where: str) -> None:
        for f in node.get("figures", []):
            i = add("figure", f, _figure_detail(f), where)
            figures.append({"section": where, "text": f["text"], "value": f["value"], "unit": f.get("unit") or "",
                            "approx": f.get("approx") or "", "item": i})
        for d in node.get("dates", []):
            add("date", d, f"{d['start']} – {d['end']} ({d['granularity']})", where)
        for p in node.get("people", []):
            add("person", p, f"{p['name']} {'、'.join(p['titles'])}".strip(), where)
        task = node.get("task")
        if task:
            for fld in task["fields"]:
                add("task", fld, f"{fld['label']} ({fld['role']}): {'、'.join(fld['values']) or fld['text']}", where)
            deadline = task.get("deadline") or {}
            tasks.append({"section": where, "leaders": "、".join(task["leaders"]), "departments": "、".join(task["departments"]),
                          "deadline": f"{deadline.get('text') or ''} {deadline.get('end') or ''}".strip()})

    for part in doc.get("parts", []):
        visit(part, part["title"])
        stack = [(s, part["title"]) for s in reversed(part.get("sections", []))]
        while stack:
            s, _ = stack.pop()
            where = f"{part['title']} {s['label']}{s['title']}"
            at = doc["text"].find(s["title"], s["span"][0], s["span"][1]) if s["title"] else -1
            if at >= 0:
                add("title", s, f"section {s['label']} level {s['level']}", part["title"], (at, at + len(s["title"])))
            visit(s, where)
            stack += [(c, where) for c in reversed(s.get("subsections", []))]
    return items, figures, tasks


def _figure_detail(f: dict) -> str:
    value = f"{f['value']}" + (f"–{f['value_max']}" if f.get("value_max") is not None else "")
    unit = f.get("unit") or ""
    extra = [x for x in (f.get("approx"), "unit inferred" if f.get("unit_inferred") else None) if x]
    return f"{value} {unit}" + (f" ({', '.join(extra)})" if extra else "")


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
