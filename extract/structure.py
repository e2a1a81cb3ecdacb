"""Document structure: masthead (issuer, title), parts with their kind and period, numbered sections
nested at every level, and where the distribution footer begins.

Works on the repaired text line by line and returns plain data with spans; recognizers run later.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple, cast

from .patterns import DIGIT_DATE, RULE, SP, SPACE_CHARS, SPACES, YEAR, YEAR_MONTH
from . import lexicons
from .layout import TextLine, split_lines
from .models import PartKind
from .tables import header_roles, is_table_rule, row_cells, split_cells
from .document import MONTH_IN_HEADING, DocumentInfo, heading_period, read_document
from .numbering import (
    Label,
    field_label_re,
    is_part_heading,
    names_part_kind,
    names_period,
    is_rule,
    is_unnumbered,
    match_label,
    part_title,
)
from .recognize.dates import shift_month
from .recognize.numbers import parse_int

_YEAR_IN_TEXT = re.compile(rf"({YEAR}){SPACES}年")
_PROSE = re.compile(r"[。，；！？]")  # a line with sentence punctuation is text, not a masthead or title


class RowCell(NamedTuple):
    """A task-table row's cell besides the number and the task: its column's header, the header's role
    (a TaskRole, or "other" for a column that is narrative: 进展情况), and its span in the text."""

    header: str
    role: str
    start: int
    end: int


@dataclass
class SectionNode:
    """A section as the structure stage finds it: label, kind, number and level, its range [start, end) and
    its title's in the text, its subsections, and a task-table row's cells."""

    label: str
    kind: str
    number: int | None  # None for an unnumbered heading (★ …, a standalone headline)
    level: int
    start: int
    end: int
    title_start: int
    title_end: int
    children: list[SectionNode] = field(default_factory=list)
    cells: list[RowCell] = field(default_factory=list)  # a task-table row's cells


@dataclass
class PartNode:
    """A part as the structure stage finds it: title, kind, range [start, end) in the text, the months it
    covers (as YYYY-MM once resolved) and its sections."""

    title: str
    kind: PartKind
    start: int
    end: int
    period: str | None  # YYYY-MM, once its year and month are known (_set_period)
    period_end: str | None  # YYYY-MM of its last month, when it covers more than one (第三季度)
    year: int | None
    month: int | None
    sections: list[SectionNode] = field(default_factory=list)
    heading: bool = True  # False for the body part of a document without numbered sections: no heading line
    last_month: int | None = None  # the last month covered, while periods are resolved
    end_year: int | None = None  # the year of the last month, when a period spans years (2023—2025年)
    numbered: bool = False  # headed by a numbered line (一、会议基本情况): a part even with no sections


@dataclass
class Structure:
    """What the structure stage finds in a text: issuer, title and genre, the month reported on, the parts,
    where the footer starts, and warnings."""

    issuer: str | None
    title: str | None
    reference_period: str | None
    year: int | None
    month: int | None
    parts: list[PartNode]
    footer_start: int
    warnings: list[tuple[str, str]] = field(default_factory=list)
    genre: str | None = None


def own_ranges(start: int, end: int, children: list[SectionNode]) -> list[tuple[int, int]]:
    """The parts of [start, end) not covered by children: a section's or part's own text."""
    out, cur = [], start
    for c in children:
        if c.start > cur:
            out.append((cur, c.start))
        cur = max(cur, c.end)
    if cur < end:
        out.append((cur, end))
    return out


def _lines(text: str) -> list[TextLine]:
    return [ln for ln in split_lines(text) if ln.text.strip()]


def _as_part_kind(kind: str) -> PartKind:
    """A kind as the lexicons (parts.yaml, genres.yaml) write it; tests/test_lexicons.py holds them to PartKind."""
    return cast(PartKind, kind)


def _part_kind(title: str) -> PartKind:
    """summary, plan or other: the kind whose longest keyword the title holds (a future word alone: plan)."""
    s = title.strip()
    best, best_len = "other", 0
    for kind, words in lexicons.part_keywords().items():
        if kind == "future":
            continue
        for w in words:
            if w in s and len(w) > best_len:
                best, best_len = kind, len(w)
    if best == "other" and best_len == 0 and any(w in s for w in lexicons.part_keywords()["future"]):
        return "plan"
    return _as_part_kind(best)


def _is_issuer_line(s: str) -> bool:
    s = _strip_imprint(s)
    if not s or len(s) > 30 or re.search(r"[，。；：:、0-9]", s):
        return False
    return any(s.endswith(suf) for suf in lexicons.issuer_suffixes())


# 第12期, 2022年第4期（总第58期）, 〔2020〕第3号
_ISSUE_NUMBER = re.compile(
    rf"(?:{SPACES}[（(〔]?(?:{YEAR}[年〕）)]?)?{SPACES}总?第?{SPACES}"
    rf"[0-9０-９一二三四五六七八九十百〇零]+{SPACES}[期号][）)]?)+{SPACES}"
)


_DOCUMENT_NUMBER = re.compile(rf".{{0,20}}〔[0-9]{{4}}〕{SPACES}[0-9]+{SPACES}号")


def _is_title_line(line: str, issuer: str | None) -> bool:
    """A masthead line that names the bulletin: not the issuer, an issue number, an imprint or date line,
    nor a rule."""
    s = line.strip()
    if not s or is_rule(s) or s == issuer or re.fullmatch(r"[（(].*[）)]", s):
        return False
    if s.endswith("文件") or _DOCUMENT_NUMBER.fullmatch(s):
        return False  # a red-head masthead (某某办公厅文件) or a document number
    if _ISSUE_NUMBER.fullmatch(s):
        return False
    if re.search(rf"[0-9０-９一二三四五六七八九十〇]+{SPACES}日{SPACES}$", s):
        return False  # an imprint: 某某办公室编  2020年11月30日
    pieces = re.split(rf"{SP}{{2,}}", s)
    return not (len(pieces) > 1 and issuer and any(_strip_imprint(p) == issuer for p in pieces))


_FULL_DATE = re.compile(rf"{YEAR_MONTH}{SPACES}[0-9]{{1,2}}{SPACES}日")
_MONTH_NAMED = re.compile(rf"(?<![0-9年])(1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九]){SPACES}月份?")


def _fill_missing_months(parts: list[PartNode], masthead: list[TextLine]) -> None:
    """Months for part headings that name none: 上月/本月/下月 count from the masthead date; an undated
    summary takes the month its title line names (关于7月份…的通报) or the month before the plan that
    follows it; an undated plan the month after the summary before it."""
    dated = next((m for ln in masthead for m in [_FULL_DATE.search(ln.text)] if m), None)
    base = (int(dated.group(1)), int(dated.group(2))) if dated else None
    # 下月 counts from the month the bulletin reports on when a masthead line names it
    for ln in masthead:
        if not _FULL_DATE.search(ln.text):
            m = re.search(rf"({YEAR}){SPACES}年{SPACES}(1[0-2]|[1-9]){SPACES}月份?", ln.text)
            if m:
                base = (int(m.group(1)), int(m.group(2)))
                break
    relative = lexicons.date_words()["relative_month"]  # 上月, 本月, 下个月: months from the base
    for p in parts:
        # the longest word, the first in the title of equally long ones (上月工作回顾及本月工作要点: 上月)
        words = sorted((w for w in relative if w in p.title), key=lambda w: (-len(w), p.title.find(w)))
        rel = relative[words[0]] if words else None
        if p.month is None and rel is not None and base:
            p.year, p.month = shift_month(base[0], base[1], rel)
    named = None
    for ln in masthead:
        if not _FULL_DATE.search(ln.text):
            m = _MONTH_NAMED.search(ln.text)
            if m:
                named = parse_int(m.group(1))
                break
    for i, p in enumerate(parts):
        if p.month is not None:
            continue
        if p.kind == "summary":
            nxt = next((q for q in parts[i + 1 :] if q.month and q.kind == "plan"), None)
            month = named or (nxt.month - 1 or 12 if nxt and nxt.month else None)
        elif p.kind == "plan":
            prev = next((q for q in reversed(parts[:i]) if q.month and q.kind == "summary"), None)
            month = prev.month % 12 + 1 if prev and prev.month else None
        else:
            continue
        if month:
            p.month = month


def _strip_imprint(s: str) -> str:
    """荆州市总工会办公室编 → 荆州市总工会办公室"""
    s = s.strip()
    for w in lexicons.issuer_imprint_words():
        if s.endswith(w) and len(s) > len(w) + 2:
            s = s[: -len(w)].strip()
            # 桐川县教育局办公室编: the office edits, the bureau issues
            office = "办公室"
            if s.endswith(office) and any(s[: -len(office)].endswith(x) for x in lexicons.issuer_suffixes()):
                s = s[: -len(office)]
            return s
    return s


def _footer_start(lines: list[TextLine], text_len: int) -> int:
    """Offset where the trailing block of footer-label lines begins (text length when none)."""
    start = text_len
    rx = field_label_re()
    footer_words = {w for ws in lexicons.footer_labels().values() for w in ws}
    for ln in reversed(lines):
        s = ln.text.strip()
        m = rx.match(s)
        label = s[: s.find("：") if "：" in s else s.find(":")].strip() if m else ""
        if m and label in footer_words:
            start = ln.start
            continue
        if re.fullmatch(
            rf"[（(]?共印[0-9０-９]+份[）)]?|[（(].{{0,20}}[）)]|{RULE}|.{{0,40}}{DIGIT_DATE}{SPACES}印(?:发)?",
            s,
        ):
            start = ln.start
            continue
        if _SIGNATURE_DATE.fullmatch(s) or _is_issuer_line(s) or _ATTACHMENT.match(s):
            start = ln.start  # the signature block: 中共某某委员会 / 2021年1月18日, 附：《…》
            continue
        break
    return start


# a date standing alone as a signature (2021年1月18日; cut short: 2021年1月18, 2010年2月)
_SIGNATURE_DATE = re.compile(
    rf"[0-9０-９〇零○一二三四五六七八九]{{4}}{SPACES}年{SPACES}[0-9０-９一二三四五六七八九十]{{1,2}}"
    rf"{SPACES}月(?:{SPACES}[0-9０-９一二三四五六七八九十]{{1,3}}{SPACES}日?)?"
)
_ATTACHMENT = re.compile(r"附(?:件)?[0-9０-９一二三四五六七八九十]*[：:]")


def analyze(text: str) -> Structure:
    """The structure of a repaired text, in small steps: footer, table of contents, part headings and
    their sections, front matter (masthead, wrapper, title), the document's title, genre and issuer,
    the parts' periods, and a single part when the document has no part headings."""
    lines = _lines(text)
    footer_start = _footer_start(lines, len(text))
    body = [ln for ln in lines if ln.start < footer_start]
    toc = toc_lines(text, body)
    warnings: list[tuple[str, str]] = []
    parts = _heading_parts(text, body, toc, footer_start, warnings)
    masthead = _front_matter(body, parts, toc)
    issuer = _masthead_issuer(masthead)
    doc = read_document([ln.text for ln in masthead], _first_title(masthead, issuer))
    issuer = (
        issuer
        or doc.issuer
        or _signature_issuer(masthead)
        or _signature_issuer([ln for ln in lines if ln.start >= footer_start])
        or _issuer_from_part(parts)
    )
    masthead_year = next((int(y) for ln in masthead for y in _YEAR_IN_TEXT.findall(ln.text)), None)
    _fill_missing_months(parts, masthead)
    ref_year = (
        masthead_year
        or next((p.year for p in parts if p.year), None)
        or (doc.period.year if doc.period else None)
        or _year_from_text(text, parts)
    )
    if ref_year is None:
        warnings.append(("no_year", "no year found in the bulletin: dates without a year are not resolved"))
    _resolve_part_years(parts, ref_year)
    ref_year, ref_month = _reference_month(parts, masthead, ref_year, doc)
    reference_period = f"{ref_year:04d}-{ref_month:02d}" if ref_year and ref_month else None
    title = doc.title or (parts[0].title if parts else None)
    if not parts:
        parts = _single_part(text, body, masthead, toc, footer_start, doc, ref_year, ref_month, warnings)
    for p in parts:
        if p.heading and not p.sections and not text[p.start : p.end].strip().count("\n"):
            warnings.append(("empty_part", f"part {p.title!r} has no sections and no text"))
    return Structure(
        issuer=issuer,
        title=title,
        reference_period=reference_period,
        year=ref_year,
        month=ref_month,
        parts=parts,
        footer_start=footer_start,
        warnings=warnings,
        genre=doc.genre,
    )


@cache
def _toc_head_re() -> re.Pattern:
    """A table of contents' heading line: 本期要目, 【目录】 (documents.yaml)."""
    words = lexicons.alternation(lexicons.contents_headings())
    return re.compile(rf"{SPACES}[【〖\[]?{SPACES}(?:{words}){SPACES}[】〗\]]?{SPACES}[:：]?{SPACES}$")


# a contents entry: a title, a dot leader (or a run of spaces) and a page number
_TOC_ENTRY = re.compile(rf".{{2,60}}?(?:[.…·．。\-—_]{{3,}}|{SP}{{2,}}){SPACES}[（(]?[0-9０-９]{{1,3}}[）)]?{SPACES}$")
TOC_ENTRY_MAX = 60  # a contents line is a title, never a paragraph


def toc_lines(text: str, body: list[TextLine]) -> set[int]:
    """Starts of the lines of a table of contents (本期要目 / 目录 and the titles under it, or lines with a
    dot leader and a page number): front matter, never headings."""
    out: set[int] = set()
    for i, ln in enumerate(body):
        if _toc_head_re().fullmatch(ln.text):
            out.add(ln.start)
            entries: list[str] = []
            for j in range(i + 1, len(body)):
                s = body[j].text.strip()
                gap = text.count("\n", body[j - 1].end, body[j].start) > 1
                if (
                    len(s) > TOC_ENTRY_MAX
                    or re.search(r"[。；！？]", s)
                    or (gap and j > i + 1 and not _TOC_ENTRY.fullmatch(s))
                ):
                    break
                if _first_article(s, entries):
                    break
                entries.append(_entry_title(s))
                out.add(body[j].start)
        elif _TOC_ENTRY.fullmatch(ln.text) and re.search(r"[.…·．。\-—_]{3,}", ln.text):
            out.add(ln.start)
    return out


def _entry_title(line: str) -> str:
    """A contents entry's title: without its mark, dot leader and page number."""
    s = re.sub(rf"(?:[.…·．。\-—_]{{3,}}|{SP}{{2,}}){SPACES}[（(]?[0-9０-９]{{1,3}}[）)]?{SPACES}$", "", line.strip())
    lab = match_label(s)
    return s[lab.end :].strip() if lab is not None and is_unnumbered(lab) else s


def _first_article(line: str, entries: list[str]) -> bool:
    """Where a table of contents without a blank line after it ends (PDF text): at a marked heading when
    the entries are unmarked, or at the first article, whose title repeats an entry's."""
    lab = match_label(line)
    if lab is not None and is_unnumbered(lab) and entries and not any(match_label(e) for e in entries):
        return True
    title = _entry_title(line)
    return any(title == e or (len(title) >= 6 and e.startswith(title)) for e in entries)


def _heading_parts(
    text: str, body: list[TextLine], toc: set[int], footer_start: int, warnings: list[tuple[str, str]]
) -> list[PartNode]:
    """Parts headed by their own lines (八月份工作综述, 第一部分 …, 一、十一月份工作完成情况 and its numbered
    siblings), each with its sections."""
    heading_idx = part_heading_lines(body, toc)
    parts: list[PartNode] = []
    for n, i in enumerate(heading_idx):
        ln = body[i]
        end = body[heading_idx[n + 1]].start if n + 1 < len(heading_idx) else footer_start
        title = part_title(ln.text)
        y, m1, m2 = heading_period(title)
        label = match_label(ln.text)
        parts.append(
            PartNode(
                title=title,
                kind=_part_kind(title),
                start=ln.start + (len(ln.text) - len(ln.text.lstrip())),
                end=end,
                period=None,
                period_end=None,
                year=y,
                month=m1,
                last_month=m2,
                numbered=bool(label and not is_unnumbered(label)),
            )
        )
    heading_starts = {body[i].start for i in heading_idx}
    for p in parts:
        own = [
            ln for ln in body if p.start <= ln.start < p.end and ln.start not in heading_starts and ln.start not in toc
        ]
        p.sections = sections(text, own, p.end, warnings)
    # a bulletin name or document title at the top (教育工作动态, 某局2024年10月份工作情况) reads like a part
    # heading but heads nothing: it belongs to the masthead
    while parts and not parts[0].sections and not parts[0].numbered and (len(parts) > 1 or not _has_labels(body, toc)):
        parts.pop(0)
    return parts


def part_heading_lines(body: list[TextLine], toc: set[int]) -> list[int]:
    """Indices of part-heading lines. Once one numbered heading names a period of work (一、八月份工作完成情况),
    its level is the part level: every heading continuing its numbering is a part (二、存在的主要问题)."""
    found = [
        i for i, ln in enumerate(body) if ln.start not in toc and is_part_heading(ln.text) and not _title_piece(body, i)
    ]
    labels = [match_label(body[i].text) for i in found]
    kinds = [lab.kind for lab in labels if lab is not None and not is_unnumbered(lab)] or _paired_part_level(body, toc)
    if kinds:
        found = sorted(set(found) | set(_numbering_run(body, kinds[0], toc)))
    elif found and (first := _first_numbered(body, toc, found[0])) is not None:
        # numbered headings above the first part heading would be left headless: a period-naming line over
        # them heads a part too (五月下旬要情 / 一、… / 六月上旬工作安排); without one, the words name no part
        # of this document (支持配合工作情况, a cell of a table below 一、 … 1. …)
        head = _unknown_part_heading(body, toc, first)
        return sorted(found + [head]) if head is not None else []
    return found


def _first_numbered(body: list[TextLine], toc: set[int], before: int) -> int | None:
    """The first numbered heading above line `before`, if any."""
    return next(
        (
            i
            for i, ln in enumerate(body[:before])
            if ln.start not in toc and (lab := heading_label(ln.text)) is not None and not is_unnumbered(lab)
        ),
        None,
    )


def _unknown_part_heading(body: list[TextLine], toc: set[int], first: int) -> int | None:
    """The short line standing right above the first numbered heading that names a period (五月下旬要情)."""
    i = first - 1
    if i < 1 or body[i].start in toc:
        return None
    s = body[i].text.strip()
    return i if len(s) <= PART_HEADING_MAX and not _PROSE.search(s) and names_period(s) and not match_label(s) else None


PART_HEADING_MAX = 45  # a part heading stands alone on its line: 三、下一步工作要求


def _paired_part_level(body: list[TextLine], toc: set[int]) -> list[str]:
    """The top numbering is the part level when its headings are short lines, one names the kind of a
    part (一、总体推进情况) and one a period (三、下一步工作要求), though no single one names both."""
    first = next(
        (lab for ln in body if ln.start not in toc and (lab := match_label(ln.text)) and not is_unnumbered(lab)), None
    )
    if first is None:
        return []
    run = [body[i].text.strip() for i in _numbering_run(body, first.kind, toc)]
    if len(run) < 2 or any(len(h) > PART_HEADING_MAX or _PROSE.search(h) for h in run):
        return []
    return [first.kind] if any(names_part_kind(h) for h in run) and any(names_period(h) for h in run) else []


def _title_piece(body: list[TextLine], i: int) -> bool:
    """A line that reads like a part heading but is part of the document's title: its first line, a subtitle (——某某
    工作思路), or the end of a title the wrapper line names (转发《中共…委员会2011年创先争优活动工作思路》 /
    中共…委员会2011年 / 创先争优活动工作思路)."""
    s = body[i].text.strip()
    if i == 0 and not match_label(s) or s.startswith(("——", "—")):
        return True  # the first line is the document's title (or its masthead), never a part's heading
    return i >= 2 and (body[i - 1].text.strip() + s) in body[0].text


def _numbering_run(body: list[TextLine], kind: str, toc: set[int]) -> list[int]:
    """Lines labelled `kind` that continue one numbering from 1 (一、二、三 …); a stray 二、 is text."""
    out, expected = [], 1
    for i, ln in enumerate(body):
        lab = match_label(ln.text)
        if ln.start in toc or lab is None or lab.kind != kind:
            continue
        if lab.number == expected:
            out.append(i)
            expected += 1
    return out


def _has_labels(body: list[TextLine], toc: set[int]) -> bool:
    return any(match_label(ln.text) for ln in body if ln.start not in toc)


def _front_matter(body: list[TextLine], parts: list[PartNode], toc: set[int]) -> list[TextLine]:
    """The lines before the first part's first section (less part headings), or, without parts, before the
    first numbered line (before the prose, when nothing is numbered)."""
    if parts:
        body_start = parts[0].sections[0].start if parts[0].sections else parts[0].start
        return [ln for ln in body if ln.start < body_start and not any(ln.start <= p.start < ln.end + 1 for p in parts)]
    first = next((i for i, ln in enumerate(body) if ln.start not in toc and _opens_body(ln.text)), None)
    if first is None:  # nothing numbered: the front matter ends at the first of a series of headlines, or where
        # the prose begins
        heads = [i for i in range(len(body)) if body[i].start not in toc and _standalone_headline(body, i)]
        prose = next((i for i, ln in enumerate(body) if _PROSE.search(ln.text) and ln.start not in toc), len(body))
        first = heads[0] if len(heads) >= STANDALONE_MIN and heads[0] < prose else prose
    return body[:first]


def _opens_body(line: str) -> bool:
    lab = match_label(line)
    return lab is not None and (not is_unnumbered(lab) or _unnumbered_heading(line, lab))


def _masthead_issuer(masthead: list[TextLine]) -> str | None:
    pieces = _pieces(masthead[:5])
    return next((_strip_imprint(p) for p in pieces if _is_issuer_line(p)), None)


def _signature_issuer(lines: list[TextLine]) -> str | None:
    """A signature: an organisation's line directly above a date line (a wrapper's, or the document's own
    at its end)."""
    for a, b in zip(lines, lines[1:]):
        if _is_issuer_line(a.text) and _SIGNATURE_DATE.fullmatch(b.text.strip()):
            return a.text.strip()
    return None


def _issuer_from_part(parts: list[PartNode]) -> str | None:
    """The heading's prefix before the month: 荆州市总工会八月份工作综述."""
    if not parts:
        return None
    m = MONTH_IN_HEADING.search(parts[0].title)
    prefix = parts[0].title[: m.start()] if m and m.group().strip() else ""
    return prefix if prefix and any(prefix.endswith(s) for s in lexicons.issuer_suffixes()) else None


@cache
def _document_title_re() -> re.Pattern:
    """关于…的通知: an official document's title, ending in a document type (documents.yaml)."""
    return re.compile(rf"关于.{{2,60}}的(?:{lexicons.alternation(lexicons.titled_document_types())})")


def _first_title(masthead: list[TextLine], issuer: str | None) -> str | None:
    """An official document's own title (关于…的通知) wins over its red-head masthead (某某文件)."""
    own = _document_title_re()
    return next((ln.text.strip() for ln in masthead if own.fullmatch(ln.text.strip())), None) or next(
        (ln.text.strip() for ln in masthead if _is_title_line(ln.text, issuer)), None
    )


def _resolve_part_years(parts: list[PartNode], ref_year: int | None) -> None:
    """Each part's year; a plan whose month comes before the previous part's month is next year."""
    prev_month, year = None, ref_year
    for p in parts:
        if p.year:
            year = p.year
        elif year is not None and prev_month and p.month and p.month < prev_month and p.kind == "plan":
            year += 1
        p.year = p.year or year
        _set_period(p)
        prev_month = p.month or prev_month


def _set_period(p: PartNode) -> None:
    if p.year and p.month:
        p.period = f"{p.year:04d}-{p.month:02d}"
        end_year = p.end_year or p.year
        last = p.last_month or p.month
        p.period_end = f"{end_year:04d}-{last:02d}" if (end_year, last) != (p.year, p.month) else None
    else:
        p.period = p.period_end = None


def _reference_month(parts: list[PartNode], masthead: list[TextLine], ref_year: int | None, doc: DocumentInfo):
    """The month the document reports on: its first dated summary part's, else any part's, else the title's
    period, else the masthead date's (a periodical's issue date). Undated parts of kind other take it."""
    ref = next((p for p in parts if p.kind == "summary" and p.period), None) or next(
        (p for p in parts if p.period), None
    )
    ref_month = ref.month if ref else None
    last_month, end_year = (ref.last_month, ref.end_year) if ref else (None, None)
    if ref is None and doc.period and doc.period.month:
        ref_year, ref_month = doc.period.year or ref_year, doc.period.month
        last_month, end_year = doc.period.end_month, doc.period.end_year
    elif ref is None and (doc.periodical or doc.genre is None or doc.kind is None or _numbered_issue(masthead)):
        for ln in masthead:
            m = re.search(YEAR_MONTH, ln.text)
            if m:
                ref_year, ref_month = int(m.group(1)), int(m.group(2))
                break
    ref_year = ref.year if ref else ref_year
    for p in parts:
        if p.period is None and ref_year and ref_month and (len(parts) == 1 or p.kind == "other"):
            p.year, p.month, p.last_month, p.end_year = ref_year, ref_month, last_month, end_year
            _set_period(p)
    _plans_in_document(parts, doc)
    return ref_year, ref_month


def _plans_in_document(parts: list[PartNode], doc: DocumentInfo) -> None:
    """A plan part that names no period, in a document whose title names one: after a report on that
    period (2020年度…情况报告 / 三、下一步的工作打算) it plans the next period of the same length (2021);
    in any other document (2021年度工作要点 / 年度重点工作) it plans the document's own."""
    period = doc.period
    if period is None or not (period.year and period.month):
        return
    first = period.year * 12 + period.month - 1
    last = (period.end_year or period.year) * 12 + (period.end_month or period.month) - 1
    for i, p in enumerate(parts):
        if p.kind == "plan" and p.period is None:
            reported = doc.kind == "summary" or any(q.kind == "summary" for q in parts[:i])
            start, end = (last + 1, 2 * last - first + 1) if reported else (first, last)
            p.year, p.month, p.end_year, p.last_month = start // 12, start % 12 + 1, end // 12, end % 12 + 1
            _set_period(p)


def _numbered_issue(masthead: list[TextLine]) -> bool:
    """An issue of a series (第11期): its masthead date gives the month it reports on, whatever its genre."""
    return any(_ISSUE_NUMBER.fullmatch(piece) for piece in _pieces(masthead))


def _pieces(lines: list[TextLine]) -> list[str]:
    """The items of masthead lines spread out with spaces (某某局　　　　2020年11月30日)."""
    return [p for ln in lines for p in re.split(rf"{SP}{{2,}}", ln.text.strip())]


def _single_part(
    text: str,
    body: list[TextLine],
    masthead: list[TextLine],
    toc: set[int],
    footer_start: int,
    doc: DocumentInfo,
    ref_year: int | None,
    ref_month: int | None,
    warnings: list[tuple[str, str]],
) -> list[PartNode]:
    """A document without part headings is one part: its title the document's, its kind the genre's, its
    period the title's (else the reference month); its sections the numbered (or marked, or standalone)
    headings, or none (a news-style issue read as one body)."""
    start = masthead[-1].end + 1 if masthead else 0
    start = min(start, footer_start)
    title = doc.title or ""
    kind = _as_part_kind(doc.kind) if doc.kind else _part_kind(title)
    period = doc.period
    part = PartNode(
        title=title,
        kind=kind,
        start=start,
        end=footer_start,
        period=None,
        period_end=None,
        year=(period.year if period else None) or ref_year,
        month=period.month if period else ref_month,
        last_month=period.end_month if period else None,
        end_year=period.end_year if period else None,
    )
    _set_period(part)
    every = [ln for ln in body if start <= ln.start < footer_start and ln.start not in toc]
    divisions = _divisions(every)
    own = every[: divisions[0].first] if divisions else every
    if divisions:  # an attachment or a second document after the first: each is a part of its own
        part.end = _trim_end(text, part.start, every[divisions[0].first].start)
    part.sections = sections(text, own, part.end, warnings) or standalone_sections(text, own, part.end)
    rest = _division_parts(text, every, divisions, footer_start, ref_year, warnings)
    if part.sections or rest:
        return [part] + rest
    if start < footer_start and text[start:footer_start].strip():
        part.start = next(ln.start for ln in body if ln.start >= start)
        part.heading = False
        return [part]
    warnings.append(("no_structure", "no parts or numbered sections found: is this a bulletin?"))
    return []


@dataclass(frozen=True)
class Division:
    """A further document inside one without part headings (an attachment, or a title over numbering that
    starts again): its first line, its first line after the title, and its title."""

    first: int  # index of its first line (an 附件 line or its title)
    body: int  # index of its first line after the title
    title: str


_ATTACHMENT_HEAD = re.compile(
    rf"{SPACES}附(?:件|表)?{SPACES}[0-9０-９一二三四五六七八九十]{{0,2}}{SPACES}[：:]?{SPACES}"
)
DIVISION_TITLE_LINES = 3  # a title over at most three lines (中共绍兴市教育局委员会2011年 / 创先争优活动工作思路)


def _divisions(lines: list[TextLine]) -> list[Division]:
    """Where a document without part headings holds further documents: at an attachment line (附件2,
    附1：) or where its top numbering starts again at 1 under a title of its own (支持工业互联网发展若干政策
    … / 安徽省工业互联网创新发展行动计划 / 一、总体要求)."""
    from .document import is_title_like

    top = next((lab.kind for ln in lines if (lab := match_label(ln.text)) and not is_unnumbered(lab)), None)
    out: list[Division] = []
    highest = 0
    for i, ln in enumerate(lines):
        if _ATTACHMENT_HEAD.fullmatch(ln.text):
            j = i + 1
            while (
                j < len(lines)
                and j - i <= DIVISION_TITLE_LINES
                and is_title_like(lines[j].text)
                and not match_label(lines[j].text)
            ):
                j += 1
            out.append(Division(i, j, "".join(x.text.strip() for x in lines[i + 1 : j]) or ln.text.strip()))
            highest = 0
            continue
        lab = heading_label(ln.text)  # a statistics-table row (一、本年新收申请数量  0  0) starts nothing
        if lab is None or lab.kind != top:
            continue
        if lab.number == 1 and highest >= 2:
            k = _title_above(lines, i)
            if k is not None and not (out and out[-1].body >= k):
                title_end = next(j for j in range(k, i + 1) if j == i or not is_title_like(lines[j].text))
                out.append(Division(k, title_end, "".join(x.text.strip() for x in lines[k:title_end])))
            highest = 0
        highest = max(highest, lab.number or 0)
    # 附件： / 包头市数字政府建设考评指标 in the notice only names the attachment that follows: no division
    return [d for n, d in enumerate(out) if not (n + 1 < len(out) and out[n + 1].first == d.body)]


PREAMBLE_LINES = 2  # 行动计划（2021-2023年） / a preamble paragraph / 一、总体要求


def _title_above(lines: list[TextLine], i: int) -> int | None:
    """The first line of the title block above line i, allowing a short preamble between them."""
    from .document import is_title_like

    k = i
    skipped = 0
    while k > 0 and skipped <= PREAMBLE_LINES and not is_title_like(lines[k - 1].text):
        if match_label(lines[k - 1].text):
            return None
        k -= 1
        skipped += 1
    top = k
    while (
        k > 0
        and top - k < DIVISION_TITLE_LINES
        and is_title_like(lines[k - 1].text)
        and not match_label(lines[k - 1].text)
    ):
        k -= 1
    return k if k < top else None


def _division_parts(
    text: str,
    lines: list[TextLine],
    divisions: list[Division],
    end: int,
    ref_year: int | None,
    warnings: list[tuple[str, str]],
) -> list[PartNode]:
    """A part for each further document: titled by its title, of the kind its genre names, over the
    period its title names."""
    from .document import genre_of, title_period

    parts = []
    for n, d in enumerate(divisions):
        stop = lines[divisions[n + 1].first].start if n + 1 < len(divisions) else end
        start = lines[d.first].start + len(lines[d.first].text) - len(lines[d.first].text.lstrip())
        period = title_period(d.title)
        _, kind = genre_of(d.title)
        part = PartNode(
            title=d.title,
            kind=_as_part_kind(kind) if kind else _part_kind(d.title),
            start=start,
            end=_trim_end(text, start, stop),
            period=None,
            period_end=None,
            year=(period.year if period else None) or (ref_year if period else None),
            month=period.month if period else None,
            last_month=period.end_month if period else None,
            end_year=period.end_year if period else None,
            numbered=True,
        )
        _set_period(part)
        body = [ln for ln in lines[d.body :] if ln.start < stop]
        part.sections = sections(text, body, part.end, warnings) or standalone_sections(text, body, part.end)
        parts.append(part)
    return parts


MAX_DEPTH = 6


def _year_from_text(text: str, parts: list[PartNode]) -> int | None:
    """The year a bulletin without a dated masthead reports on: the year of a full date in the first
    part's month, else the year named most often in the first part, else in the whole text."""
    first = parts[0] if parts else None
    if first and first.month:
        for m in re.finditer(YEAR_MONTH, text[first.start : first.end]):
            if int(m.group(2)) == first.month:
                return int(m.group(1))
    for scope in ([text[first.start : first.end]] if first else []) + [text]:
        years = Counter(int(y) for y in _YEAR_IN_TEXT.findall(scope) if 1949 <= int(y) <= 2100)
        if years:
            return max(years.items(), key=lambda kv: (kv[1], -kv[0]))[0]
    return None


def sections(
    text: str, lines: list[TextLine], end: int, warnings: list[tuple[str, str]] | None = None
) -> list[SectionNode]:
    """Nest the headings among `lines`: a label kind first seen under another becomes its child level; rows of
    a task table are sections of the top level."""
    nest = _Nesting(text, end, warnings if warnings is not None else [])
    table: list[tuple[str, str]] | None = None
    for ln in lines:
        roles = header_roles(ln.text)
        if roles:
            table = roles
            continue
        if table and is_table_rule(ln.text):
            continue
        row = _table_row(ln, table) if table else None
        if row is not None:
            nest.add_row(row)
            continue
        table = None if table and ln.text.strip() else table
        label = heading_label(ln.text)
        if label is not None:
            nest.add(ln, label)
    return nest.close()


def heading_label(line: str) -> Label | None:
    """The label of a line that heads a section: numbered (not a part heading, not a statistics-table row
    such as 四、结转下年度继续办理  0  0  0), or a marked or bracketed title line."""
    label = match_label(line)
    if label is None or is_part_heading(line) or len(split_cells(line)) >= 3:
        return None
    if is_unnumbered(label) and not _unnumbered_heading(line, label):
        return None
    return label


UNNUMBERED_TITLE_MAX = 40  # ★全区防汛准备工作全面就绪: a marked line is a heading when it is a short title


def _unnumbered_heading(line: str, label: Label) -> bool:
    """★/◆/【】 lines head a section when the rest is one short title without sentence punctuation; a ● at
    the start of a sentence is a bullet, not a heading."""
    rest = line[label.end :].strip()
    return 2 <= len(rest) <= UNNUMBERED_TITLE_MAX + 2 and not re.search(r"[。；！？;!?]", rest)


def _table_row(ln: TextLine, table: list[tuple[str, str]]) -> SectionNode | None:
    numbered_title = table[0][1] == "title"
    cells = row_cells(ln.text, len(table), numbered_title)
    if not cells:
        return None
    title = next(c for c, (_, r) in zip(cells, table) if r == "title")
    if numbered_title:  # 一、扎实开展…: the number is the task's own label
        lab = match_label(cells[0].text)
        if lab is None:  # row_cells took the row for its numbered title
            return None
        number, label_text = lab.number, lab.text
        title = type(title)(title.start + lab.end, title.end, title.text[lab.end :])
    else:
        number = parse_int(cells[0].text.rstrip(".．、"))
        label_text = cells[0].text
    return SectionNode(
        label=label_text,
        kind="table_row",
        number=number,
        level=1,
        start=ln.start + cells[0].start,
        end=ln.end,
        title_start=ln.start + title.start,
        title_end=ln.start + title.end,
        cells=[
            RowCell(h, r, ln.start + c.start, ln.start + c.end)
            for c, (h, r) in zip(cells, table)
            if r not in ("number", "title")
        ],
    )


NUMBERING_GAP_MAX = 2  # 一、二、四、: one or two numbers skipped is a numbering slip, reported; more is no heading


class _Nesting:
    """The open sections, one per level, while headings are read in order."""

    def __init__(self, text: str, end: int, warnings: list[tuple[str, str]]):
        self.text, self.end, self.warnings = text, end, warnings
        self.roots: list[SectionNode] = []
        self.stack: list[SectionNode] = []
        self.kinds: list[str] = []  # label kinds by level, as first seen

    def add_row(self, node: SectionNode) -> None:
        self._close_from(1, node.start)
        self.roots.append(node)

    def add(self, ln: TextLine, label: Label) -> None:
        level = self._level(label.kind)
        if level is None:
            return
        siblings = (
            self.roots if level == 1 else (self.stack[level - 2].children if len(self.stack) >= level - 1 else None)
        )
        if siblings is None or not self._continues(siblings, label, level, ln):
            return
        title_start, title_end = _title_span(ln.text, label.end)
        node = SectionNode(
            label=label.text,
            kind=label.kind,
            number=label.number,
            level=level,
            start=ln.start + label.start,
            end=self.end,
            title_start=ln.start + title_start,
            title_end=ln.start + title_end,
        )
        self._close_from(level, node.start)
        siblings.append(node)
        self.stack.append(node)
        del self.kinds[level:]

    def _level(self, kind: str) -> int | None:
        if kind in self.kinds:
            return self.kinds.index(kind) + 1
        if len(self.kinds) >= MAX_DEPTH:
            return None
        self.kinds.append(kind)
        return len(self.kinds)

    def _continues(self, siblings: list[SectionNode], label: Label, level: int, ln: TextLine) -> bool:
        """A sibling continues the numbering: 一、二、三 … (a stray 一、 inside the text is no heading). A
        repeated number or a short gap is a heading still, with a warning."""
        if label.number is None:
            return True
        last = next((s.number for s in reversed(siblings) if s.number is not None), None)
        if last is None:
            return label.number == 1 or level == 1
        if label.number == last + 1:
            return True
        if label.number == 1 and level > 1:
            return True  # a second list in the same section (成绩 1. 2. 3. … 不足 1. 2. 3.; 语文 1. 2. … 历史 1. 2.)
        quoted = " ".join(ln.text.split())[:24]
        if label.number == last and _heading_like(ln.text, label):
            self.warnings.append(("numbering_repeat", f"{label.text} follows {siblings[-1].label} again: “{quoted}”"))
            return True
        if last + 1 < label.number <= last + 1 + NUMBERING_GAP_MAX and _heading_like(ln.text, label):
            self.warnings.append(
                ("numbering_gap", f"{label.text} follows {siblings[-1].label}: a number is missing: “{quoted}”")
            )
            return True
        return False

    def _close_from(self, level: int, at: int) -> None:
        while len(self.stack) >= level:
            closed = self.stack.pop()
            closed.end = _trim_end(self.text, closed.start, at)

    def close(self) -> list[SectionNode]:
        self._close_from(1, self.end)
        return self.roots


def _heading_like(line: str, label: Label) -> bool:
    """A numbered line that reads as a heading: a short title alone on its line, or one ending at 。/：."""
    rest = line[label.end :].strip()
    return 0 < len(rest) <= UNNUMBERED_TITLE_MAX or bool(re.match(r"[^。；：:]{1,40}[。：:]", rest))


_PARAGRAPH_END = tuple("。！？”")
STANDALONE_TITLE_MAX = 30  # a headline standing alone over its paragraphs (县教育局召开安全工作会议)
STANDALONE_MIN = 2  # one short line is a caption or a signature; a series of them structures the text


def standalone_sections(text: str, lines: list[TextLine], end: int) -> list[SectionNode]:
    """Sections headed by unnumbered, unmarked headlines: a short line without sentence punctuation, set off
    by a blank line above, over a paragraph of prose. Read only where nothing is numbered or marked."""
    heads = [i for i, ln in enumerate(lines) if _standalone_headline(lines, i)]
    if len(heads) < STANDALONE_MIN:
        return []
    out = []
    for n, i in enumerate(heads):
        ln = lines[i]
        start = ln.start + len(ln.text) - len(ln.text.lstrip())
        stop = lines[heads[n + 1]].start if n + 1 < len(heads) else end
        out.append(
            SectionNode(
                label="",
                kind="headline",
                number=None,
                level=1,
                start=start,
                end=_trim_end(text, start, stop),
                title_start=start,
                title_end=ln.start + len(ln.text.rstrip()),
            )
        )
    return out


def _standalone_headline(lines: list[TextLine], i: int) -> bool:
    s = lines[i].text.strip()
    if not 4 <= len(s) <= STANDALONE_TITLE_MAX or re.search(r"[。；！？：:;!?]", s) or i + 1 >= len(lines):
        return False
    if re.fullmatch(
        r".{0,6}[0-9０-９〇零一二三四五六七八九十]{2,4}年.{1,3}月(?:.{1,3}日)?.{0,6}", s
    ) or _is_issuer_line(s):
        return False  # a date or signature line
    # set off by a blank line above, or (PDF text has none) standing after a finished paragraph
    prev = lines[i - 1].text if i else ""
    set_off = i == 0 or lines[i].start - lines[i - 1].end > 1 or prev.rstrip()[-1:] in _PARAGRAPH_END or is_rule(prev)
    following = lines[i + 1].text.strip()
    return set_off and (bool(re.search(r"[。；！？]", following)) or len(following) > 2 * STANDALONE_TITLE_MAX)


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


_INLINE_ARTICLE = re.compile(rf"{SP}+第[一二三四五六七八九十百零〇0-9]{{1,5}}条")
TITLE_COLON_MAX = 30  # a run-in title ends at its colon: （一）食品安全监管：9月份以来…


def _title_span(line: str, start: int) -> tuple[int, int]:
    """Where a section's title stands in its heading line: 【重点项目建设】 inside its brackets, else from
    the label to the first 。 (or ；, or a run-in ：) or the end of the line."""
    m = re.match(r"【([^】]{1,40})】", line[start:])
    if m:
        return start + 1, start + 1 + len(m.group(1))
    return start, _title_end(line, start)


def _title_end(line: str, start: int) -> int:
    m = re.compile(r"[。；;]|[：:](?=\s*$)").search(line, start)
    end = m.start() if m else len(line.rstrip())
    colon = re.compile(r"[：:]").search(line, start, end)
    if colon and colon.start() - start <= TITLE_COLON_MAX:
        end = colon.start()
    article = _INLINE_ARTICLE.search(line, start, end)
    if article and article.start() > start:  # 第一章　总则　　第一条 为规范…: the chapter's title is 总则
        end = article.start()
    fl = field_label_re().search(line, start)
    if fl and fl.start() > start and fl.start() < end:  # 一、标题 责任领导：…
        end = fl.start()
    while end > start and line[end - 1] in SPACE_CHARS + "：:":
        end -= 1
    return end
