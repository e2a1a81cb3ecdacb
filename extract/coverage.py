"""The coverage invariant of a structure: no text is lost, and no heading is hidden in a section.

- Every non-blank character of the text lies in the front matter (before the first part), in a part
  (its heading, its intro, its sections) or in the footer. Text between parts, or between the last part
  and the footer, is `unassigned`, and so is a numbered line in the front matter (content whose part
  heading was not recognized).
- A section's own text (less its title line and its subsections) holds no line that starts with a
  label of its own level or a higher one (`二、` inside section 9 of part one): such a heading was
  swallowed, and whatever follows it is filed under the wrong section.

Each finding is a warning with its span, so an auditor sees where the structure may be wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .patterns import SP
from .numbering import match_label
from .structure import SectionNode, Structure, heading_label, own_ranges

_NON_BLANK = re.compile(rf"[^\s\u3000]+(?:{SP}+[^\s\u3000]+)*")
SNIPPET = 24  # characters of the text quoted in a warning


@dataclass(frozen=True)
class Finding:
    """A place where the structure may be wrong: its code, a message quoting the text, and its span."""

    code: str  # unassigned | heading_in_section
    message: str
    span: tuple[int, int]


def check_structure(text: str, st: Structure) -> list[Finding]:
    """Every breach of the coverage invariant: `unassigned` text (outside every part and the footer, or a
    numbered line above the first part), then each part's `heading_in_section` lines."""
    return _unassigned(text, st) + [
        f for p in st.parts for f in _hidden_headings(text, p.sections, _part_kinds(text, p))
    ]


def _part_kinds(text: str, part) -> list[str]:
    """The label kind of a numbered part heading (一、上半年主要工作成效): a line with that label inside one
    of its sections is a part heading that was missed."""
    end = text.find("\n", part.start)
    label = match_label(text[part.start : end if end >= 0 else len(text)])
    return [label.kind] if label else []


def _unassigned(text: str, st: Structure) -> list[Finding]:
    if not st.parts:
        return []  # no structure at all: the no_structure warning says so
    return _numbered_front_matter(text, st) + _between_parts(text, st)


def _numbered_front_matter(text: str, st: Structure) -> list[Finding]:
    """Numbered lines above the first part are content, not masthead: a part heading the structure did
    not know (五月下旬工作进展) leaves its sections there."""
    first = min(p.start for p in st.parts)
    return [
        Finding("unassigned", f"a numbered line above the first part: {_quote(text[a:b])}", (a, b))
        for a, b in _lines(text, 0, first)
        if match_label(text[a:b]) is not None
    ]


def _between_parts(text: str, st: Structure) -> list[Finding]:
    covered = sorted((p.start, p.end) for p in st.parts)
    gaps, cur = [], covered[0][0]
    for a, b in covered:
        if a > cur:
            gaps.append((cur, a))
        cur = max(cur, b)
    if cur < st.footer_start:
        gaps.append((cur, st.footer_start))
    out = []
    for a, b in gaps:
        for m in _NON_BLANK.finditer(text, a, b):
            out.append(
                Finding(
                    "unassigned", f"text outside every part and the footer: {_quote(m.group())}", (m.start(), m.end())
                )
            )
    return out


def _hidden_headings(text: str, nodes: list[SectionNode], above: list[str]) -> list[Finding]:
    """Lines in a section's own text that start with a label of a kind used at its level or above."""
    out = []
    for node in nodes:
        kinds = above + [node.kind]
        if not node.cells:
            for a, b in own_ranges(node.title_end, node.end, node.children):  # after the title line
                for line in _lines(text, a, b):
                    label = heading_label(text[line[0] : line[1]])  # a table row (一、本年新收  0  0) heads nothing
                    if label is not None and label.kind in kinds:
                        out.append(
                            Finding(
                                "heading_in_section",
                                f"a heading inside section {node.label}: {_quote(text[line[0] : line[1]])}",
                                line,
                            )
                        )
        out += _hidden_headings(text, node.children, kinds)
    return out


def _lines(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Lines that begin inside [a, b) (the first only when `a` starts a line)."""
    out = []
    pos = a if a == 0 or text[a - 1] == "\n" else text.find("\n", a, b) + 1 or b
    while pos < b:
        end = text.find("\n", pos, b)
        end = b if end < 0 else end
        if text[pos:end].strip():
            out.append((pos, end))
        pos = end + 1
    return out


def _quote(s: str) -> str:
    s = " ".join(s.split())
    return f"“{s[:SNIPPET]}…”" if len(s) > SNIPPET else f"“{s}”"
