"""Document structure: masthead (issuer, title), parts with their kind and period, numbered sections
nested at every level, and where the distribution footer begins.

Works on the repaired text line by line and returns plain data with spans; recognizers run later.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from . import lexicons
from .layout import TextLine, split_lines
from .tables import header_roles, row_cells, split_cells
from .numbering import field_label_re, is_part_heading, is_rule, match_label, names_a_part, part_title
from .recognize.numbers import parse_int

_MONTH_IN_HEADING = re.compile(
    r"(?:(?P<y>(?:19|20)[0-9]{2}|[一二〇零○][〇零○一二三四五六七八九]{3})[ \t\u3000]*年(?:度)?)?[ \t\u3000]*"
    r"(?:(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])[ \t\u3000]*(?:至(?P<m2>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])[ \t\u3000]*)?月份?"
    r"|第?(?P<q>[一二三四1-4])季度|(?P<half>上半年|下半年)|(?P<full>全年))"
)
_YEAR_IN_TEXT = re.compile(r"((?:19|20)[0-9]{2})[ \t\u3000]*年")
_FOOTER_LINE_MAX = 120
_PROSE = re.compile(r"[。，；！？]")  # a line with sentence punctuation is text, not a masthead or title


@dataclass
class SectionNode:
    label: str
    kind: str
    number: int
    level: int
    start: int
    end: int
    title_start: int
    title_end: int
    children: list["SectionNode"] = field(default_factory=list)
    # a task-table row: (header, role, start, end) of each cell besides the number and the task
    cells: list[tuple[str, str, int, int]] = field(default_factory=list)


@dataclass
class PartNode:
    title: str
    kind: str
    start: int
    end: int
    period: str | None
    period_end: str | None
    year: int | None
    month: int | None
    sections: list[SectionNode] = field(default_factory=list)
    heading: bool = True  # False for the body part of a document without numbered sections: no heading line


@dataclass
class Structure:
    issuer: str | None
    title: str | None
    reference_period: str | None
    year: int | None
    month: int | None
    parts: list[PartNode]
    footer_start: int
    warnings: list[tuple[str, str]] = field(default_factory=list)


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


def _part_kind(title: str) -> str:
    s = title.strip()
    best, best_len = "other", 0
    for kind, words in lexicons.part_keywords().items():
        for w in words:
            if w in s and len(w) > best_len:
                best, best_len = kind, len(w)
    return best


def _heading_period(title: str):
    """(year, first month, last month) named in a part heading, any may be None."""
    for m in _MONTH_IN_HEADING.finditer(title):
        if not m.group().strip():
            continue
        y = parse_int(m.group("y"))
        if m.group("m"):
            m1 = parse_int(m.group("m"))
            return y, m1, parse_int(m.group("m2")) or m1
        if m.group("q"):
            q = parse_int(m.group("q"))
            return y, 3 * q - 2, 3 * q
        if m.group("half"):
            return (y, 1, 6) if m.group("half") == "上半年" else (y, 7, 12)
        if m.group("full"):
            return y, 1, 12
    whole = re.search(r"((?:19|20)[0-9]{2})[ \t\u3000]*年度?(?![ \t\u3000]*[0-9０-９一二三四五六七八九十第上下全])", title)
    if whole:  # 2024年工作要点: the whole year
        return int(whole.group(1)), 1, 12
    return None, None, None


def _is_issuer_line(s: str) -> bool:
    s = _strip_imprint(s)
    if not s or len(s) > 30 or re.search(r"[，。；：:、0-9]", s):
        return False
    return any(s.endswith(suf) for suf in lexicons.issuer_suffixes())


# 第12期, 2022年第4期（总第58期）, 〔2020〕第3号
_ISSUE_NUMBER = re.compile(r"(?:[ \t\u3000]*[（(〔]?(?:(?:19|20)[0-9]{2}[年〕）)]?)?[ \t\u3000]*总?第?[ \t\u3000]*"
                           r"[0-9０-９一二三四五六七八九十百〇零]+[ \t\u3000]*[期号][）)]?)+[ \t\u3000]*")


_DOCUMENT_TITLE = re.compile(r"关于.{2,60}的(?:通知|报告|意见|决定|通报|批复|函|请示|方案|办法|规定|公告|通告)")
_DOCUMENT_NUMBER = re.compile(r".{0,20}〔[0-9]{4}〕[ \t\u3000]*[0-9]+[ \t\u3000]*号")


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
    if re.search(r"[0-9０-９一二三四五六七八九十〇]+[ \t\u3000]*日[ \t\u3000]*$", s):
        return False  # an imprint: 某某办公室编  2020年11月30日
    pieces = re.split(r"[ \t\u3000]{2,}", s)
    return not (len(pieces) > 1 and issuer and any(_strip_imprint(p) == issuer for p in pieces))


_RELATIVE_MONTH = {"上月": -1, "上个月": -1, "本月": 0, "当月": 0, "下月": 1, "下个月": 1}
_FULL_DATE = re.compile(r"((?:19|20)[0-9]{2})[ \t\u3000]*年[ \t\u3000]*([0-9]{1,2})[ \t\u3000]*月[ \t\u3000]*[0-9]{1,2}[ \t\u3000]*日")
_MONTH_NAMED = re.compile(r"(?<![0-9年])(1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])[ \t\u3000]*月份?")


def _fill_missing_months(parts: list[PartNode], masthead: list[TextLine]) -> None:
    """Months for part headings that name none: 上月/本月/下月 count from the masthead date; an undated
    summary takes the month its title line names (关于7月份…的通报) or the month before the plan that
    follows it; an undated plan the month after the summary before it."""
    dated = next((m for ln in masthead for m in [_FULL_DATE.search(ln.text)] if m), None)
    base = (int(dated.group(1)), int(dated.group(2))) if dated else None
    # 下月 counts from the month the bulletin reports on when a masthead line names it
    for ln in masthead:
        if not _FULL_DATE.search(ln.text):
            m = re.search(r"((?:19|20)[0-9]{2})[ \t\u3000]*年[ \t\u3000]*(1[0-2]|[1-9])[ \t\u3000]*月份?", ln.text)
            if m:
                base = (int(m.group(1)), int(m.group(2)))
                break
    for p in parts:
        rel = next((off for w, off in sorted(_RELATIVE_MONTH.items(), key=lambda kv: -len(kv[0])) if w in p.title), None)
        if p.month is None and rel is not None and base:
            y, m = divmod(base[0] * 12 + base[1] - 1 + rel, 12)
            p.year, p.month, p.period_end = y, m + 1, m + 1  # type: ignore[assignment]
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
            nxt = next((q for q in parts[i + 1:] if q.month and q.kind == "plan"), None)
            month = named or (nxt.month - 1 or 12 if nxt else None)
        elif p.kind == "plan":
            prev = next((q for q in reversed(parts[:i]) if q.month and q.kind == "summary"), None)
            month = prev.month % 12 + 1 if prev else None
        else:
            continue
        if month:
            p.month, p.period_end = month, month  # type: ignore[assignment]


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
        if re.fullmatch(r"[（(]?共印[0-9０-９]+份[）)]?|[（(].{0,20}[）)]|[-—_=＝━─]{3,}|.{0,40}[0-9０-９]{4}年[0-9０-９]{1,2}月[0-9０-９]{1,2}日[ \t\u3000]*印(?:发)?", s):
            start = ln.start
            continue
        break
    return start


def analyze(text: str) -> Structure:
    lines = _lines(text)
    footer_start = _footer_start(lines, len(text))
    body = [ln for ln in lines if ln.start < footer_start]
    warnings: list[tuple[str, str]] = []

    heading_idx = [i for i, ln in enumerate(body) if is_part_heading(ln.text)]
    # 一、主要工作完成情况 / 二、存在的问题 / 三、下月工作打算: once one numbered heading names a period, its
    # numbered siblings that read like part headings are parts too
    numbered = [match_label(body[i].text) for i in heading_idx if match_label(body[i].text)]
    if numbered:
        heading_idx = sorted(set(heading_idx) | {i for i, ln in enumerate(body) if names_a_part(ln.text, numbered[0].kind)})

    parts: list[PartNode] = []
    for n, i in enumerate(heading_idx):
        ln = body[i]
        end = body[heading_idx[n + 1]].start if n + 1 < len(heading_idx) else footer_start
        title = part_title(ln.text)
        y, m1, m2 = _heading_period(title)
        parts.append(PartNode(title=title, kind=_part_kind(title), start=ln.start + (len(ln.text) - len(ln.text.lstrip())),
                              end=end, period=None, period_end=None, year=y, month=m1))
        parts[-1].period_end = m2  # type: ignore[assignment]  (resolved below)
    heading_starts = {body[i].start for i in heading_idx}
    for p in parts:
        p.sections = _sections(text, [ln for ln in body if p.start <= ln.start < p.end and ln.start not in heading_starts], p.end)
    # a bulletin name or document title at the top (教育工作动态, 某局2024年10月份工作情况) reads like a part
    # heading but heads nothing: it belongs to the masthead
    while len(parts) > 1 and not parts[0].sections:
        parts.pop(0)
    if len(parts) == 1 and not parts[0].sections and not any(match_label(ln.text) for ln in body):
        parts.pop()  # a title (青川县教育工作动态) over prose without numbering: the body part below reads it

    # masthead: the lines before the first section, less part headings
    if parts:
        first = parts[0].sections[0].start if parts[0].sections else parts[0].start
        masthead = [ln for ln in body if ln.start < first and not any(ln.start <= p.start < ln.end + 1 for p in parts)]
    else:
        first_numbered = next((i for i, ln in enumerate(body) if match_label(ln.text)), None)
        if first_numbered is None:  # no numbered line: the masthead ends where the prose begins
            first_numbered = next((i for i, ln in enumerate(body) if _PROSE.search(ln.text)), len(body))
        masthead = body[:first_numbered]
    pieces = [p for ln in masthead[:5] for p in re.split(r"[ \t\u3000]{2,}", ln.text.strip())]
    issuer = next((_strip_imprint(p) for p in pieces if _is_issuer_line(p)), None)

    masthead_year = None
    for ln in masthead:
        for y in _YEAR_IN_TEXT.findall(ln.text):
            masthead_year = masthead_year or int(y)

    _fill_missing_months(parts, masthead)

    if issuer is None and parts:
        # the issuer is the heading's prefix before the month: 荆州市总工会八月份工作综述
        m = _MONTH_IN_HEADING.search(parts[0].title)
        prefix = parts[0].title[: m.start()] if m and m.group().strip() else ""
        if prefix and any(prefix.endswith(s) for s in lexicons.issuer_suffixes()):
            issuer = prefix

    ref_year = masthead_year or next((p.year for p in parts if p.year), None) or _year_from_text(text, parts)
    if ref_year is None:
        warnings.append(("no_year", "no year found in the bulletin: dates without a year are not resolved"))

    # resolve each part's year; a plan whose month comes before the previous part's month is next year
    prev_month, year = None, ref_year
    for p in parts:
        last_month = p.period_end  # type: ignore[assignment]
        if p.year:
            year = p.year
        elif year is not None and prev_month and p.month and p.month < prev_month and p.kind == "plan":
            year += 1
        p.year = p.year or year
        if p.year and p.month:
            p.period = f"{p.year:04d}-{p.month:02d}"
            p.period_end = f"{p.year:04d}-{last_month:02d}" if last_month and last_month != p.month else None
        else:
            p.period_end = None
        prev_month = p.month or prev_month

    ref = next((p for p in parts if p.kind == "summary" and p.period), None) or next((p for p in parts if p.period), None)
    ref_month = ref.month if ref else None
    if ref is None:
        for ln in masthead:
            m = re.search(r"((?:19|20)[0-9]{2})[ \t\u3000]*年[ \t\u3000]*([0-9]{1,2})[ \t\u3000]*月", ln.text)
            if m:
                ref_year, ref_month = int(m.group(1)), int(m.group(2))
                break
    ref_year = ref.year if ref else ref_year
    for p in parts:
        if p.period is None and ref_year and ref_month and (len(parts) == 1 or p.kind == "other"):
            p.year, p.month, p.period = ref_year, ref_month, f"{ref_year:04d}-{ref_month:02d}"
    reference_period = f"{ref_year:04d}-{ref_month:02d}" if ref_year and ref_month else None

    # an official document's own title (关于…的通知) wins over its red-head masthead (某某文件)
    title = next((ln.text.strip() for ln in masthead if _DOCUMENT_TITLE.fullmatch(ln.text.strip())), None) \
        or next((ln.text.strip() for ln in masthead if _is_title_line(ln.text, issuer)), None)
    if title is None and parts:
        title = parts[0].title

    if not parts:
        start = masthead[-1].end + 1 if masthead else 0
        start = min(start, footer_start)
        if any(match_label(ln.text) for ln in body):
            parts.append(PartNode(title=title or "", kind=_part_kind(title or ""), start=start, end=footer_start,
                                  period=reference_period, period_end=None, year=ref_year, month=ref_month))
            parts[0].sections = _sections(text, [ln for ln in body if start <= ln.start < footer_start], footer_start)
        elif start < footer_start and text[start:footer_start].strip():
            # a news-style issue or a forwarded notice: one body part, read for figures, dates and people
            start = next(ln.start for ln in body if ln.start >= start)
            parts.append(PartNode(title=title or "", kind=_part_kind(title or ""), start=start, end=footer_start,
                                  period=reference_period, period_end=None, year=ref_year, month=ref_month, heading=False))
        else:
            warnings.append(("no_structure", "no parts or numbered sections found: is this a bulletin?"))

    for p in parts:
        if not p.sections and p.heading:
            warnings.append(("empty_part", f"part {p.title!r} has no numbered sections"))
    return Structure(issuer=issuer, title=title, reference_period=reference_period, year=ref_year, month=ref_month,
                     parts=parts, footer_start=footer_start, warnings=warnings)


MAX_DEPTH = 6


def _year_from_text(text: str, parts: list[PartNode]) -> int | None:
    """The year a bulletin without a dated masthead reports on: the year of a full date in the first
    part's month, else the year named most often in the first part, else in the whole text."""
    first = parts[0] if parts else None
    if first and first.month:
        for m in re.finditer(r"((?:19|20)[0-9]{2})[ \t\u3000]*年[ \t\u3000]*([0-9]{1,2})[ \t\u3000]*月", text[first.start:first.end]):
            if int(m.group(2)) == first.month:
                return int(m.group(1))
    for scope in ([text[first.start:first.end]] if first else []) + [text]:
        years = Counter(int(y) for y in _YEAR_IN_TEXT.findall(scope) if 1949 <= int(y) <= 2100)
        if years:
            return max(years.items(), key=lambda kv: (kv[1], -kv[0]))[0]
    return None


def _sections(text: str, lines: list[TextLine], end: int) -> list[SectionNode]:
    """Nest numbered lines: a label kind first seen under another becomes its child level."""
    roots: list[SectionNode] = []
    stack: list[SectionNode] = []
    kinds: list[str] = []  # label kinds by level, as first seen
    table: list[tuple[str, str]] | None = None
    for ln in lines:
        roles = header_roles(ln.text)
        if roles:
            table = roles
            continue
        numbered_title = bool(table) and table[0][1] == "title"
        cells = row_cells(ln.text, len(table), numbered_title) if table else None
        if cells:
            title = next(c for c, (_, r) in zip(cells, table) if r == "title")
            if numbered_title:  # 一、扎实开展…: the number is the task's own label
                lab = match_label(cells[0].text)
                number, label_text = lab.number, lab.text
                title = type(title)(title.start + lab.end, title.end, title.text[lab.end:])
            else:
                number = parse_int(cells[0].text.rstrip(".．、"))
                label_text = cells[0].text
            node = SectionNode(label=label_text, kind="table_row", number=number, level=1,
                               start=ln.start + cells[0].start, end=ln.end, title_start=ln.start + title.start,
                               title_end=ln.start + title.end,
                               cells=[(h, r, ln.start + c.start, ln.start + c.end)
                                      for c, (h, r) in zip(cells, table) if r not in ("number", "title")])
            while stack:
                closed = stack.pop()
                closed.end = _trim_end(text, closed.start, node.start)
            roots.append(node)
            continue
        table = None if table and ln.text.strip() else table
        label = match_label(ln.text)
        if label is None or is_part_heading(ln.text):
            continue
        if len(split_cells(ln.text)) >= 3:
            continue  # a statistics-table row that starts like a heading: 四、结转下年度继续办理  0  0  0
        if label.kind in kinds:
            level = kinds.index(label.kind) + 1
        else:
            if len(kinds) >= MAX_DEPTH:
                continue
            kinds.append(label.kind)
            level = len(kinds)
        # a sibling must continue the numbering: 一、二、三 … (a stray 一、 inside text is not a heading)
        siblings = roots if level == 1 else (stack[level - 2].children if len(stack) >= level - 1 else None)
        if siblings is None:
            continue
        if siblings and label.number != siblings[-1].number + 1:
            continue
        if not siblings and label.number != 1 and level > 1:
            continue
        title_start, title_end = _title_span(ln.text, label.end)
        node = SectionNode(label=label.text, kind=label.kind, number=label.number, level=level,
                           start=ln.start + label.start, end=end, title_start=ln.start + title_start,
                           title_end=ln.start + title_end)
        # close everything at this level and deeper
        while len(stack) >= level:
            closed = stack.pop()
            closed.end = _trim_end(text, closed.start, node.start)
        siblings.append(node)
        stack.append(node)
        del kinds[level:]
    while stack:
        closed = stack.pop()
        closed.end = _trim_end(text, closed.start, end)
    return roots


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


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
    fl = field_label_re().search(line, start)
    if fl and fl.start() > start and fl.start() < end:  # 一、标题 责任领导：…
        end = fl.start()
    while end > start and line[end - 1] in " \t\u3000：:":
        end -= 1
    return end
