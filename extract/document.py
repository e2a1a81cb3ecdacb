"""The document as a whole, read from its front matter: its title (the embedded document's under a
印发/转发 wrapper), its genre (通知, 方案, 简报 …) and the part kind that implies, the period its title names
and the issuer the title or the wrapper's signature names.

Plain functions over lines of text; the structure stage calls them once it knows where the front matter
ends.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from typing import NamedTuple

from .patterns import RANGE_WORD, SPACES, YEAR
from . import lexicons
from .recognize.numbers import parse_int

_TRAILING_NOTE = re.compile(rf"{SPACES}[（(〔\[][^（）()〔〕\[\]]{{1,20}}[）)〕\]]{SPACES}$")  # （试行） (2023—2025年)
_YEAR = r"(?:19|20)[0-9]{2}|[一二〇零○][〇零○一二三四五六七八九]{3}"
_YEAR_RANGE = re.compile(rf"({_YEAR}){SPACES}年?{SPACES}(?:{RANGE_WORD})+{SPACES}({_YEAR}){SPACES}年")
_WINTER_SPRING = re.compile(rf"(?:({_YEAR}){SPACES}年{SPACES})?今冬明春")
_SCHOOL_TERM = re.compile(r"学年|学期")
_TITLE_PUNCT = re.compile(r"[。；！？，：:]")
TITLE_MAX = 80  # the longest document title seen runs to ~70 characters (安徽省关于加快对接…若干措施)


class Period(NamedTuple):
    """The months a title names, (year, month) to (end_year, end_month); a year is None where the title
    gives none (上半年)."""

    year: int | None
    month: int | None
    end_year: int | None
    end_month: int | None


@dataclass(frozen=True)
class DocumentInfo:
    """What the front matter says of the document as a whole: its title, genre and the part kind that implies,
    whether it is a periodical or a wrapper, its issuer and the period its title names."""

    title: str | None
    genre: str | None
    kind: str | None  # the part kind the genre implies (summary / plan / other)
    periodical: bool  # a numbered issue (简报, 动态): its masthead date gives the month reported on
    wrapper: bool  # a 印发/转发 notice handing on the document titled `title`
    issuer: str | None
    period: Period | None  # what the title names


def genre_of(title: str | None) -> tuple[str | None, str | None]:
    """(genre, kind) named at the end of a title: …工作要点 → (工作要点, plan)."""
    if not title:
        return None, None
    s = title.strip()
    while _TRAILING_NOTE.search(s) and len(_TRAILING_NOTE.sub("", s)) >= 2:
        s = _TRAILING_NOTE.sub("", s)
    best: tuple[str | None, str | None] = (None, None)
    for kind, words in lexicons.genres().items():
        if kind in ("periodical", "wrapper"):
            continue
        for w in words:
            if s.endswith(w) and len(w) > len(best[0] or ""):
                best = (w, kind)
    return best


# a month, a quarter, a half or the whole year named in a part heading, its year before it if given
MONTH_IN_HEADING = re.compile(
    rf"(?:(?P<y>(?:19|20)[0-9]{{2}}|[一二〇零○][〇零○一二三四五六七八九]{{3}}){SPACES}年(?:度)?)?{SPACES}"
    rf"(?:(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]){SPACES}(?:至(?P<m2>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]){SPACES})?月份?"  # noqa: E501 (a pattern reads best whole)
    r"|第?(?P<q>[一二三四1-4])季度|(?P<half>上半年|下半年)|(?P<full>全年))"
)


def heading_period(title: str) -> tuple[int | None, int | None, int | None]:
    """(year, first month, last month) named in a part heading, any may be None."""
    for m in MONTH_IN_HEADING.finditer(title):
        if not m.group().strip():
            continue
        y = parse_int(m.group("y"))
        if m.group("m"):
            m1 = parse_int(m.group("m"))
            return y, m1, parse_int(m.group("m2")) or m1
        if m.group("q") and (q := parse_int(m.group("q"))):
            return y, 3 * q - 2, 3 * q
        if m.group("half"):
            return (y, 1, 6) if m.group("half") == "上半年" else (y, 7, 12)
        if m.group("full"):
            return y, 1, 12
    whole = re.search(rf"({YEAR}){SPACES}年度?(?!{SPACES}[0-9０-９一二三四五六七八九十第上下全])", title)
    if whole:  # 2024年工作要点: the whole year
        return int(whole.group(1)), 1, 12
    return None, None, None


def is_periodical(genre: str | None) -> bool:
    """Whether the genre is a numbered issue's (简报, 动态, 月报 …: genres.yaml `periodical`)."""
    return genre in lexicons.genres()["periodical"]


def title_period(title: str | None, year_hint: int | None = None) -> Period | None:
    """The period a title names: 2021年 → 2021-01..12, (2023—2025年) → 2023-01..2025-12, 上半年, 第四季度,
    五月下旬 (its month), 今冬明春 (November to March). A school term (学年, 学期) is no calendar period."""
    if not title or _SCHOOL_TERM.search(title):
        return None
    m = _YEAR_RANGE.search(title)
    if m:
        return Period(parse_int(m.group(1)), 1, parse_int(m.group(2)), 12)
    m = _WINTER_SPRING.search(title)
    if m:
        y = parse_int(m.group(1)) or year_hint
        return Period(y, 11, y + 1 if y else None, 3)
    y, m1, m2 = heading_period(title)
    if m1 is None:
        return None
    return Period(y, m1, y, m2)


def is_title_like(line: str) -> bool:
    """A line that can be (part of) a document title: no sentence punctuation, not a date, a document
    number, an addressee (…：) or a bare organisation name."""
    s = line.strip()
    if not 4 <= len(s) <= TITLE_MAX or _TITLE_PUNCT.search(s):
        return False
    if re.fullmatch(r".{0,4}[0-9０-９〇零一二三四五六七八九十]{2,4}年.{0,6}月.{0,4}日.{0,4}", s):
        return False
    if re.search(r"〔[0-9]{4}〕|[\[［][0-9]{4}[\]］]", s):
        return False
    return not any(s.endswith(suf) for suf in lexicons.issuer_suffixes())


def wrapper_word(title: str | None) -> str | None:
    """The wrapper word (印发, 转发 …: genres.yaml `wrapper`) the title contains anywhere, else None."""
    if not title:
        return None
    return next((w for w in lexicons.genres()["wrapper"] if w in title), None)


def embedded_title(lines: list[str], first: int) -> str | None:
    """Under a wrapper (line `first` names 印发《…》), the embedded document's title: the last block of
    title-like lines in the front matter after the wrapper (中共绍兴市教育局委员会2011年 / 创先争优活动工作思路)."""
    block: list[str] = []
    last: list[str] = []
    for s in lines[first + 1 :]:
        if is_title_like(s):
            block.append(s.strip())
        else:
            if block:
                last = block
            block = []
    last = block or last
    return "".join(last) if last else None


@lru_cache(maxsize=1)
def _title_tail_re() -> re.Pattern:
    """Where an issuer's name ends in a title: 关于, a wrapper word (genres.yaml: 印发, 转发 …), a year, a month."""
    wrappers = lexicons.alternation(lexicons.genres()["wrapper"])
    return re.compile(rf"关于|{wrappers}|{_YEAR}{SPACES}年|[0-9一二三四五六七八九十]{{1,2}}月")


_ORDINAL_START = re.compile(r"第?[一二三四五六七八九十]+[届次]")
ISSUER_MIN = 4  # 绍兴一中, 某某县委: shorter prefixes are words, not organisations


def issuer_from_title(title: str | None) -> str | None:
    """The organisation a title begins with: 北京市经济和信息化局印发《…》, XX局关于…的通知, 中共XX委员会2011年…,
    绍兴一中领导班子总结报告: the longest start of the title, before 关于/印发/a date, that ends with an
    organisation suffix."""
    if not title or wrapper_word(title[:2]) or title.startswith("关于"):
        return None
    head = title[: m.start()] if (m := _title_tail_re().search(title)) else title
    if _ORDINAL_START.match(head):
        return None  # 九届二次教代会…: a meeting's ordinal, not an organisation's name
    suffixes = lexicons.issuer_suffixes()
    for end in range(len(head), ISSUER_MIN - 1, -1):
        if any(head[:end].endswith(suf) for suf in suffixes):
            return head[:end].strip()
    return None


def read_document(front: list[str], first_title: str | None) -> DocumentInfo:
    """Title, genre, issuer and period of a document whose front matter is `front` (lines, in order) and
    whose first title line (by the masthead rules) is `first_title`."""
    title = first_title
    wrapper = False
    lines = [s.strip() for s in front]
    if wrapper_word(first_title) and first_title in lines:
        inner = embedded_title(lines, lines.index(first_title))
        if inner and inner != first_title:
            title, wrapper = inner, True
    genre, kind = genre_of(title)
    issuer = issuer_from_title(first_title) or (issuer_from_title(title) if title != first_title else None)
    return DocumentInfo(
        title=title,
        genre=genre,
        kind=kind,
        periodical=is_periodical(genre),
        wrapper=wrapper,
        issuer=issuer,
        period=title_period(title),
    )
