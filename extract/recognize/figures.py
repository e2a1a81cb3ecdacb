"""Figures: a number with its unit, multiplier, approximation markers and range, e.g. `5 万多人`,
`60余万件`, `约 380 万元`, `80%以上`, `3至5天`, `百分之十五`; a bare `172 万` after a money word is 元.

Not figures: ordinals (第三, 首届), years (2020年: a date), numbers without a unit.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from .. import lexicons
from ..models import Figure
from ..segment import Tokens
from .numbers import CN_BIG_UNIT, CN_SMALL_UNIT, NUMBER, parse_number, to_number

_SP = r"[ \t\u3000]*"
_RANGE_SEP = r"(?:至|到|－|-|—|~|～|－)"
_BEFORE_NUMBER = r"(?<![第0-9０-９.．零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億A-Za-z])"
_YEAR_LIKE = re.compile(r"(?:1[89]|20)[0-9]{2}|[一二〇零○][〇零○一二三四五六七八九]{3}")


@lru_cache(maxsize=1)
def figure_re() -> re.Pattern:
    approx = lexicons.approx_markers()
    before = lexicons.alternation(approx["before"])
    inside = lexicons.alternation(approx["inside"])
    after = lexicons.alternation(approx["after"])
    units = lexicons.units().pattern
    mult = r"[万亿萬億]"
    return re.compile(
        rf"(?:(?P<pre>{before}){_SP})?"
        rf"{_BEFORE_NUMBER}(?P<num>{NUMBER})"
        rf"(?:{_SP}(?:%|％)?{_SP}{_RANGE_SEP}{_SP}(?P<num2>{NUMBER}))?"
        rf"(?:{_SP}(?P<mid>{inside}))?"
        rf"(?:{_SP}(?P<mult>{mult}+))?"
        rf"(?:{_SP}(?P<mid2>{inside}))?"
        rf"(?:{_SP}(?P<unit>{units}))?"
        rf"(?P<post>{after})?"
    )


@lru_cache(maxsize=1)
def percent_re() -> re.Pattern:
    return re.compile(rf"(?:(?P<pre>{lexicons.alternation(lexicons.approx_markers()['before'])}){_SP})?百分之(?P<num>{NUMBER})")


@lru_cache(maxsize=1)
def _money_words_re() -> re.Pattern:
    return re.compile(lexicons.alternation(lexicons.money_context()["words"]))


MAX_DIGITS = 15  # beyond this a float loses digits and JSON readers refuse the integer

_CLAUSE_BREAK = re.compile(r"[。；！？\n]")
_LONE_CN = set("一两二三四五六七八九十百千万亿")
# Counters after a lone 一 are mostly an article ("一个", "一次"), not a quantity.
_ARTICLE_ONE = {"个", "次", "批", "项", "场", "件", "份", "支", "名", "位", "种", "类", "条", "笔", "部", "首", "张", "本", "套", "座", "处", "家", "所", "间", "级", "轮", "届", "起", "宗", "例", "只", "头", "台", "辆"}


def _approx(kind: str, marker: str | None) -> str | None:
    if not marker:
        return None
    return lexicons.approx_markers()[kind].get(marker)


def _scale(value: Decimal, mult: str | None) -> Decimal:
    for c in mult or "":
        value *= CN_BIG_UNIT.get(c) or CN_SMALL_UNIT[c]
    return value


def _money_context(text: str, start: int) -> bool:
    window = lexicons.money_context()["window"]
    left = text[max(0, start - window):start]
    brk = list(_CLAUSE_BREAK.finditer(left))
    if brk:
        left = left[brk[-1].end():]
    return bool(_money_words_re().search(left))


def _noun_after(text: str, end: int, tokens: Tokens | None) -> str | None:
    if tokens is None:
        return None
    tok = tokens.token_at(end)
    if tok and len(tok) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in tok):
        return tok
    return None


def find_figures(text: str, start: int, end: int, tokens: Tokens | None = None,
                 skip: list[tuple[int, int]] = ()) -> list[Figure]:
    """Figures in text[start:end], with spans into `text`. `skip` spans (dates, task fields) are left out."""
    out: list[Figure] = []
    units = lexicons.units().units
    region = text[start:end]
    taken: list[tuple[int, int]] = list(skip)

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in percent_re().finditer(region):
        a, b = start + m.start(), start + m.end()
        value = parse_number(m.group("num"))
        if value is None or not free(a, b):
            continue
        if m.group("pre") and _approx("before", m.group("pre")) is None:
            a = start + m.start("num") - len("百分之")
        out.append(Figure(text=text[a:b], value=to_number(value), unit="%", approx=_approx("before", m.group("pre")), span=(a, b)))
        taken.append((a, b))

    for m in figure_re().finditer(region):
        num = m.group("num")
        unit_written = m.group("unit")
        a = start + m.start()
        b = start + m.end()
        na = start + m.start("num")
        if not free(a, b):
            continue
        if sum(c.isdigit() for c in num) > MAX_DIGITS:
            continue  # a digit run this long is an identifier or noise, not a quantity
        value = parse_number(num)
        if value is None:
            continue
        value = _scale(value, m.group("mult"))
        stripped = num.strip()
        is_cn = not re.match(r"[0-9０-９]", stripped)
        pre = m.group("pre")
        if is_cn:
            if set(stripped) <= set("百千万亿") and not pre:
                continue  # 千方百计, 万众一心
            if tokens is not None and not tokens.is_boundary(na) and not (pre and tokens.is_boundary(a)):
                continue  # the numeral is inside a word: 统一, 第三方, 唯一
            if stripped == "一" and unit_written in _ARTICLE_ONE and not m.group("mult"):
                continue
        if unit_written == "年" and not m.group("num2") and not m.group("mult") and _YEAR_LIKE.fullmatch(stripped.translate(str.maketrans("０１２３４５６７８９", "0123456789"))):
            continue  # a year is a date
        info = units.get(unit_written) if unit_written else None
        unit = info.unit if info else None
        inferred = False
        if info is None:
            has_mult = m.group("mult") or re.search(r"[万亿萬億]", num)
            if not (has_mult and _money_context(text, a)):
                continue
            unit, inferred = "元", True
            # the match ran on past the number: keep only number, multiplier and inner markers
        value = value * (info.factor if info else 1)
        value_max = None
        if m.group("num2"):
            v2 = parse_number(m.group("num2"))
            if v2 is None:
                continue
            v2 = _scale(v2, m.group("mult")) * (info.factor if info else 1)
            if re.search(r"[万亿]", m.group("num2")) and not re.search(r"[万亿]", num) and not m.group("mult"):
                pass
            value_max = v2
            if value_max < value:
                continue  # 2-1 is not a range
        approx = (_approx("before", pre) or _approx("inside", m.group("mid")) or _approx("inside", m.group("mid2"))
                  or _approx("after", m.group("post")))
        if info is None:
            # a unit-less money figure: cut after the multiplier and inner markers
            b = start + max(x for x in (m.end("num"), m.end("mult") if m.group("mult") else -1,
                                        m.end("mid") if m.group("mid") else -1, m.end("mid2") if m.group("mid2") else -1))
            approx = _approx("before", pre) or _approx("inside", m.group("mid")) or _approx("inside", m.group("mid2"))
        if pre and _approx("before", pre) is None:
            a = na  # 达到/高达 say nothing about precision: keep them out of the figure's text
        out.append(Figure(
            text=text[a:b], value=to_number(value), value_max=to_number(value_max) if value_max is not None else None,
            unit=unit, unit_inferred=inferred, approx=approx, noun=_noun_after(text, b, tokens), span=(a, b)))
        taken.append((a, b))
    out.sort(key=lambda f: f.span)
    return out
