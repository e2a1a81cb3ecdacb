"""Numbered-heading labels (一、 （一） 1. 1、 （1） ①) and other line-start markers.

Shared by the repair stage (a line that starts with a marker is never the tail of a broken
paragraph) and the structure stage (which nests labels into sections).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, cache

from .patterns import RULE, SPACES, SPACE_CHARS, YEAR
from . import lexicons
from .recognize.numbers import parse_int

CN_DIGITS = "一二三四五六七八九十"
_ORDINAL = rf"[{CN_DIGITS}百零〇两]{{1,5}}|[0-9０-９]{{1,3}}"
_LABELS = [
    # 第一部分 / 第一章 / 第一节 / 第一条: a document's own divisions, nested in that order
    ("part_no", re.compile(rf"{SPACES}第{SPACES}({_ORDINAL}){SPACES}部分")),
    ("chapter", re.compile(rf"{SPACES}第{SPACES}({_ORDINAL}){SPACES}章")),
    ("division", re.compile(rf"{SPACES}第{SPACES}({_ORDINAL}){SPACES}节(?![日假])")),
    ("article", re.compile(rf"{SPACES}第{SPACES}({_ORDINAL}){SPACES}条")),
    # 一、 always; 一，/一. only when no numeral follows (一，二，三 is a list, not a heading)
    ("cn_dun", re.compile(rf"{SPACES}([{CN_DIGITS}]{{1,3}})(?:、|[，,．.](?![{CN_DIGITS}]))")),
    ("cn_paren", re.compile(rf"{SPACES}[（(]([{CN_DIGITS}]{{1,3}})[）)]")),
    ("ar_dun", re.compile(rf"{SPACES}([0-9０-９]{{1,3}})[、，](?![0-9０-９])")),
    ("ar_dot", re.compile(rf"{SPACES}([0-9０-９]{{1,3}})[.．](?![0-9０-９])")),
    ("ar_paren", re.compile(rf"{SPACES}[（(]([0-9０-９]{{1,3}})[）)]")),
    ("circled", re.compile(rf"{SPACES}([①-⑳])")),
]
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Unnumbered heading marks: ★全区防汛准备工作全面就绪. Each mark is a label kind of its own (no number).
HEADING_MARKS = "★☆◆◇■□●○▲△▶►◎◈※"
_MARKED = re.compile(rf"{SPACES}([{HEADING_MARKS}]){SPACES}(?=\S)")
# A line that is one bracketed title: 【全县招商引资工作取得新突破】
_BRACKETED = re.compile(rf"{SPACES}[【〖]([^】〗\n]{{2,40}})[】〗]{SPACES}$")


@dataclass(frozen=True)
class Label:
    """A label at a line's start: its kind (`cn_dun` for 一、, `ar_paren` for （1）, `mark★`, `bracketed`), its
    number, its offsets in the line and its text as written (empty for a bracketed title line)."""

    kind: str
    number: int | None  # None for an unnumbered mark (★) or a bracketed title line
    start: int  # offset of the label's first visible character, relative to the line
    end: int  # offset just after the label (and any spaces after it)
    text: str


@lru_cache(maxsize=4096)  # the structure stage asks about the same lines in several steps
def match_label(line: str) -> Label | None:
    """The numbering label (or heading mark) at the start of `line`, if any."""
    numbered = _numbered_label(line)
    if numbered is not None:
        return numbered
    m = _MARKED.match(line)
    if m:
        start = len(line) - len(line.lstrip(SPACE_CHARS))
        return Label(f"mark{m.group(1)}", None, start, m.end(), m.group(1))
    m = _BRACKETED.match(line)
    if m:
        start = len(line) - len(line.lstrip(SPACE_CHARS))
        return Label("bracketed", None, start, start, "")
    return None


def is_unnumbered(label: Label) -> bool:
    """Whether the label carries no number: a heading mark (★) or a bracketed title line."""
    return label.number is None


def _numbered_label(line: str) -> Label | None:
    for kind, rx in _LABELS:
        m = rx.match(line)
        if not m:
            continue
        raw = m.group(1)
        number = _CIRCLED.index(raw) + 1 if kind == "circled" else parse_int(raw)
        if not number:
            continue
        end = m.end()
        while end < len(line) and line[end] in SPACE_CHARS:
            end += 1
        if end >= len(line):  # a bare label with nothing after it is not a heading
            continue
        start = len(line) - len(line.lstrip(SPACE_CHARS))
        return Label(kind, number, start, end, line[start : m.end()])
    return None


@cache
def field_label_re() -> re.Pattern:
    """A task-field or footer label followed by a colon, at the start of a line."""
    words = [w for ws in lexicons.task_labels()["labels"].values() for w in ws] + lexicons.task_labels()["either"]
    words += [w for ws in lexicons.footer_labels().values() for w in ws]
    alt = lexicons.alternation(words)
    return re.compile(rf"{SPACES}(?:(?:{alt}){SPACES}[：:]|【(?:{alt})】)")


@cache
def part_heading_re() -> re.Pattern:
    """A line that ends with a part keyword (parts.yaml's, not the `future` words) after at most 40 characters
    without sentence punctuation, perhaps in brackets (【四月工作回顾】)."""
    words = [w for kind, ws in lexicons.part_keywords().items() if kind != "future" for w in ws]
    # 【四月工作回顾】: a heading may stand in brackets
    return re.compile(rf"[【〖［\[]?[^。，；！？,;【】]{{0,40}}(?:{lexicons.alternation(words)})[】〗］\]]?{SPACES}$")


# A numbered heading is a part heading only when it names a period: 一、八月份工作完成情况
_CELL_BAR = re.compile(r"[│┃|｜\t]")


@cache
def _period_word_re() -> re.Pattern:
    """A word that names a period: 八月, 第三季度, 上半年, 上月 (dates.yaml's relative months), 下一步, 2020年."""
    relative = lexicons.alternation(lexicons.date_words()["relative_month"])
    return re.compile(
        rf"[0-9０-９一二三四五六七八九十]{{1,2}}{SPACES}月|季度|半年|年度|全年|{relative}|下一?步"
        rf"|{YEAR}{SPACES}年|[一二〇零○][〇零○一二三四五六七八九]{{3}}年|[上中下]旬"
    )


@lru_cache(maxsize=4096)
def is_part_heading(line: str) -> bool:
    """第一部分 …, or a line that names a part by its words: 八月份工作综述, ◆九月份工作回顾, 【四月工作回顾】,
    一、十一月份工作完成情况 (a numbered one only when it names a period)."""
    s = line.strip()
    if not s or len(s) > 45 or _CELL_BAR.search(s):
        return False  # a table's header row (序号│重点任务│…│进展情况) is no heading
    label = match_label(s)
    if label is not None and label.kind == "part_no":
        return True
    if not part_heading_re().match(s):
        return False
    return (
        label is None
        or is_unnumbered(label)
        or (label.kind == "cn_dun" and bool(_period_word_re().search(s, label.end)))
    )


def names_period(line: str) -> bool:
    """The text after a line's label names a period: 八月份, 第四季度, 下一步."""
    label = match_label(line.strip())
    return bool(_period_word_re().search(line.strip(), label.end if label else 0))


def names_part_kind(line: str) -> bool:
    """The line holds a word naming a summary or plan part (推进情况, 工作安排)."""
    words = lexicons.part_keywords()
    return any(w in line for kind in ("summary", "plan") for w in words[kind])


def part_title(line: str) -> str:
    """A part heading without its numbering label."""
    s = line.strip()
    label = match_label(s)
    s = s[label.end :] if label else s
    return s[1:-1].strip() if len(s) > 2 and s[0] in "【〖［[" and s[-1] in "】〗］]" else s


RULE_RE = re.compile(rf"{SPACES}{RULE}{SPACES}")


def is_rule(line: str) -> bool:
    """A horizontal rule drawn with characters (━━━━, ————, ＝＝＝)."""
    return bool(RULE_RE.fullmatch(line))


def starts_structure(line: str) -> bool:
    """True when `line` opens something new: a numbered heading, a field or footer label, a part heading,
    a ruled line."""
    return match_label(line) is not None or bool(field_label_re().match(line)) or is_part_heading(line) or is_rule(line)
