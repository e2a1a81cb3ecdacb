#!/usr/bin/env python3
"""A markdown table of what the program makes of each real document: parts (kind:period), sections at
each level, figures, dates, tasks, people, issuer, genre, warnings. usage: realdocs_table.py DIR_OF_JSON
(one DOC.json per document, as `bulletin extract` writes them)."""
import json
import sys
from collections import Counter
from pathlib import Path


def levels(sections, depth=1, out=None):
    out = out if out is not None else Counter()
    for s in sections:
        out[depth] += 1
        levels(s.get("subsections") or [], depth + 1, out)
    return out


def count(doc, key):
    n = 0
    def visit(x):
        nonlocal n
        n += len(x.get(key) or [])
        for s in x.get("sections") or x.get("subsections") or []:
            visit(s)
    for p in doc.get("parts") or []:
        visit(p)
    return n


def tasks(doc):
    n = 0
    def visit(s):
        nonlocal n
        n += 1 if s.get("task") else 0
        for c in s.get("subsections") or []:
            visit(c)
    for p in doc.get("parts") or []:
        for s in p.get("sections") or []:
            visit(s)
    return n


def main():
    rows = ["| doc | parts (kind:period) | sections by level | figures | dates | tasks | people | issuer | genre | warnings |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for f in sorted(Path(sys.argv[1]).glob("doc*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        parts = " ".join(f"{p['kind']}:{(p.get('period') or '-')}" for p in d.get("parts") or []) or "-"
        lv = Counter()
        for p in d.get("parts") or []:
            lv += levels(p.get("sections") or [])
        by_level = "/".join(str(lv[k]) for k in sorted(lv)) or "0"
        warn = Counter(w["code"] for w in d.get("warnings") or [])
        rows.append(f"| {f.stem} | {parts} | {by_level} | {count(d, 'figures')} | {count(d, 'dates')} | {tasks(d)} | "
                    f"{count(d, 'people')} | {d.get('issuer') or '-'} | {d.get('genre') or '-'} | "
                    f"{', '.join(f'{k} {v}' for k, v in sorted(warn.items())) or '-'} |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
