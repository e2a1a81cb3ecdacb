"""Dates: find date expressions and resolve them against the bulletin's year and month.

`6日` → the context month's 6th; `7月29日`; `3日至11日` (one range); `2020年12月18日`; `2021.9.15`;
`两千零四年八月十五`; `上旬/中旬/下旬`; `月底`; `年底`, `2021年底`; `今年`; `去年5月`, `今年第一季度`,
`2021年上半年`, `下月底` (one date); `同日` (the date just before); `第三季度`; holidays (`元旦`, `春节`
through lunardate). 农历 dates other than holidays are left alone.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from ..patterns import RANGE_WORD, SPACES
from .. import lexicons
from ..models import DateRef, Deadline, Granularity
from .numbers import parse_int

_YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2}|[一二〇零○][〇零○一二三四五六七八九]{3})"
_MONTH = r"(?:1[0-2]|0?[1-9]|１[０-２]|０?[１-９]|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9]|[１２][０-９]|３[０１]|０?[１-９]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])"  # noqa: E501 (a pattern reads best whole)
_NOT_AFTER_DIGIT = r"(?<![0-9０-９一二三四五六七八九十〇零○.．第])"

_DAY_CN = r"(?:三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])"
# Years that count only when a month follows: 两千零四年八月 (两千年 alone is "two thousand years"),
# 1357年6月 (a four-digit number before 年 alone is more often a count).
_YEAR_BEFORE_MONTH = (
    rf"(?:[两二]千(?:零[一二三四五六七八九]|零?[一二三四五六七八九]?十[一二三四五六七八九]?)?|1[0-7][0-9]{{2}}"
    rf"|[一二三四五六七八九][〇零○一二三四五六七八九]{{2}})"
    rf"(?={SPACES}年{SPACES}{_MONTH}{SPACES}月)"
)


def _written_date(not_day_after: str) -> str:
    """A written year, month and day (any of them, in that order), or a month with 初/底/上旬 after it;
    a 日 or 号 followed by one of `not_day_after` (日报, 日常) is no day."""
    return (
        # every written date starts with a numeral: without this the all-optional pattern matches the
        # empty string at every position, and the scan costs a search per character
        rf"(?=[0-9０-９〇零○一二两三四五六七八九十])"
        rf"{_NOT_AFTER_DIGIT}(?:(?P<y>{_YEAR}|{_YEAR_BEFORE_MONTH}){SPACES}年(?P<fy>度)?)?"
        rf"(?:{SPACES}(?<![0-9０-９])(?P<m>{_MONTH}){SPACES}月(?P<fen>份)?)?"
        rf"(?:{SPACES}(?<![0-9０-９])(?P<d>{_DAY}){SPACES}[日号](?!{not_day_after})"
        # 三月初一: a day; 三月初 alone is the first dekad
        rf"|(?(m)初(?P<dc>[一二三四五六七八九十])(?![一二三四五六七八九十])|(?!))"
        rf"|(?P<q>上旬|中旬|下旬|初|底|末|中下旬|上中旬)"
        # 八月十五, 一月二十三: a Chinese-numeral day right after a month needs no 日 where the clause ends
        rf"|(?(m)(?<=月)(?P<dn>{_DAY_CN})(?=$|[\s，。；;、,.!?！？）)])|(?!)))?"
    )


# 2010-01-29, 2015.5.13, 2020/1/2: year, month, day with one separator.
_NUMERIC = (
    r"(?<![0-9０-９.．/-])(?P<ny>1[0-9]{3}|20[0-9]{2})(?P<sep>[-./])(?P<nm>1[0-2]|0?[1-9])(?P=sep)"
    r"(?P<nd>[12][0-9]|3[01]|0?[1-9])(?![0-9０-９]|[-./][0-9])"
)
# 13.5.2015, 3-7-2017, 1/2/2020: day, month, then a four-digit year (the European order)
_NUMERIC_DMY = (
    r"(?<![0-9０-９.．/-])(?P<ed>[12][0-9]|3[01]|0?[1-9])(?P<esep>[-./])(?P<em>1[0-2]|0?[1-9])(?P=esep)"
    r"(?P<ey>1[0-9]{3}|20[0-9]{2})(?![0-9０-９]|[-./][0-9])"
)
# 2010 01 29: zero-padded month and day separated by single spaces
_NUMERIC_SPACED = (
    r"(?<![0-9０-９])(?P<sy>1[0-9]{3}|20[0-9]{2}) (?P<sm>0[1-9]|1[0-2]) (?P<sd>0[1-9]|[12][0-9]|3[01])(?![0-9０-９])"
)
# 星期一, 上周三, 这个星期一, 下下周日: need a reference day to resolve
_WEEKDAY = r"(?P<wkpre>上上|下下|上|下|这|這|本)?(?:个|個)?(?:星期|周|週|礼拜|禮拜)(?P<wd>[一二三四五六日天1-7])"
_WEEKDAY_TAIL = re.compile(rf"[，,]{SPACES}(?:星期|周|週|礼拜|禮拜)[一二三四五六日天]")
_WEEKDAYS = "一二三四五六"
# 7—9月, 2021年1-8月: a month range written once; 11月5—7日: a day range
_MONTH_RANGE = (
    rf"(?=[0-9０-９一二三四五六七八九十])(?<![0-9０-９.．第月])(?:(?P<ry>{_YEAR}){SPACES}年{SPACES})?"
    rf"(?P<rm1>{_MONTH}){SPACES}{RANGE_WORD}{SPACES}(?P<rm2>{_MONTH}){SPACES}月份?"
)
_DAY_RANGE = (
    rf"(?=[0-9０-９一二三四五六七八九十])(?<![0-9０-９.．第])(?:(?P<rdm>{_MONTH}){SPACES}月{SPACES})?"
    rf"(?P<rd1>{_DAY}){SPACES}{RANGE_WORD}{SPACES}(?P<rd2>{_DAY}){SPACES}[日号]"
)
_QUARTER = r"(?P<qt>第?[一二三四1-4１-４])季度"
_HALF = r"(?P<half>上半年|下半年)"
# not 十年中, and not 岁末年初 (a season, not a date)
_YEAR_EDGE = r"(?<![0-9０-９零〇一二两三四五六七八九十百千万几多])(?<!岁末)(?P<ye>年底|年末|年初|年中)"
_MONTH_EDGE = r"(?P<me>月底|月末|月初|月中|上旬|中旬|下旬)"
# 农历 dates are lunar: left alone rather than read as solar ones (holidays are converted, see _holiday).
_LUNAR = re.compile(
    rf"农历{SPACES}(?:{_YEAR}{SPACES}年)?{SPACES}(?:[正一二三四五六七八九十冬腊]{{1,2}}月)?{SPACES}"
    rf"(?:初[一二三四五六七八九十]|[二三]?十[一二三四五六七八九]?|廿[一二三四五六七八九]?|[一二三四五六七八九])?"
)
_RANGE_SEP = re.compile(rf"{SPACES}{RANGE_WORD}{SPACES}")


@lru_cache(maxsize=1)
def atom_re() -> re.Pattern:
    """Every kind of date expression in one pattern, a named group each (relative words, quarters, holidays,
    weekdays, numeric and written dates, ranges, month edges), built once from dates.yaml."""
    w = lexicons.date_words()
    rel_year = lexicons.alternation(w["relative_year"])
    rel_month = lexicons.alternation(w["relative_month"])
    same = lexicons.alternation(w["same_day"] + w["next_day"])
    rel_day = lexicons.alternation(w["relative_day"])
    holidays = lexicons.alternation(list(w["solar_holidays"]) + list(w["lunar_holidays"]))
    not_year_after = lexicons.alternation(w["not_relative_year_after"])
    return re.compile(
        rf"(?P<rely>{rel_year})(?!{not_year_after})"  # 今年以来 is "so far this year", not a date
        rf"|{_QUARTER}|{_HALF}|{_YEAR_EDGE}"
        rf"|(?P<relm>{rel_month})|(?P<same>{same})|(?P<hol>{holidays})(?:节)?"
        rf"|(?P<reld>{rel_day})|{_WEEKDAY}"
        rf"|{_NUMERIC}|{_NUMERIC_DMY}|{_NUMERIC_SPACED}|{_MONTH_RANGE}|{_DAY_RANGE}"
        rf"|{_written_date(lexicons.alternation(w['not_day_after']))}"
        rf"|{_MONTH_EDGE}"
    )


@dataclass(frozen=True)
class Context:
    """The reference period dates resolve against: a bulletin's year and month. `day` is only known
    for a dated reference (a peer test's "now"); relative days and weekdays need it."""

    year: int | None
    month: int | None
    day: int | None = None
    last_month: int | None = None  # a part that covers several months (第三季度, 全年工作要点) ends here

    def today(self) -> dt.date | None:
        """The reference day, when year, month and day are all known; else None."""
        return dt.date(self.year, self.month, self.day) if self.year and self.month and self.day else None


@dataclass
class Atom:
    """One date expression found and resolved: its offsets [a, b), the days it covers and its granularity
    (`6日` → the context month's 6th, day; `第三季度` → July 1 to September 30, quarter)."""

    a: int
    b: int
    start: dt.date
    end: dt.date
    granularity: Granularity
    point: bool  # a holiday or the day after a date: "before X" ends the day before
    month_given: bool = False
    year_given: bool = False  # written (2020年, 2020.5.1) or fixed by a relative year (去年5月)


def _year(s: str | None) -> int | None:
    """A year: 2020, 二〇二〇 and 三六七 read digit by digit; 两千零四 as a numeral."""
    if s is None:
        return None
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}
    t = s.strip()
    if t and all(c in digits for c in t):
        return int("".join(str(digits[c]) for c in t))
    return parse_int(t)


def _known_year(ctx: Context) -> int:
    """The context's year, where _resolve has made sure it is known."""
    if ctx.year is None:
        raise ValueError("no year to resolve against")
    return ctx.year


def _int(s: str | None) -> int:
    """A number the pattern matched (so there is one): ValueError, which _resolve takes as no date, if not."""
    n = parse_int(s)
    if n is None:
        raise ValueError(f"not a number: {s!r}")
    return n


def shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    """The (year, month) `months` months after year-month (before it, when negative)."""
    y, m = divmod(year * 12 + month - 1 + months, 12)
    return y, m + 1


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _near_year(ctx: Context, month: int) -> int:
    """A month without a year: the year that puts it closest to the context month (whose year is known:
    _resolve resolves nothing without a year)."""
    y = _known_year(ctx)
    if ctx.month and ctx.last_month and ctx.month <= month <= ctx.last_month:
        return y
    if ctx.month:
        if month - ctx.month > 6:
            return y - 1
        if ctx.month - month > 6:
            return y + 1
    return y


def _holiday(name: str, ctx: Context) -> dt.date | None:
    w = lexicons.date_words()
    name = name if name in w["solar_holidays"] or name in w["lunar_holidays"] else name.rstrip("节")
    year = _known_year(ctx)
    ref = dt.date(year, ctx.month or 6, 15)
    candidates = []
    for y in (year - 1, year, year + 1):
        if name in w["solar_holidays"]:
            m, d = w["solar_holidays"][name]
            candidates.append(dt.date(y, m, d))
        elif name in w["lunar_holidays"]:
            from lunardate import LunarDate

            lm, ld = w["lunar_holidays"][name]
            try:
                if (lm, ld) == (12, 30):  # 除夕: the eve of the next Spring Festival
                    candidates.append(LunarDate(y + 1, 1, 1).to_solar_date() - dt.timedelta(days=1))
                else:
                    candidates.append(LunarDate(y, lm, ld).to_solar_date())
            except ValueError:
                continue
    if not candidates:
        return None
    # the next occurrence from the context month on, else the nearest
    month_start = dt.date(year, ctx.month or 1, 1)
    upcoming = [c for c in candidates if c >= month_start]
    return min(upcoming) if upcoming else min(candidates, key=lambda c: abs((c - ref).days))


class _Found(NamedTuple):
    """One match of the date pattern, with what resolving it needs."""

    a: int  # its span in the text
    b: int
    g: dict  # the pattern's named groups
    ctx: Context
    last: Atom | None  # the date just before it in the same range, if any

    @property
    def year(self) -> int:
        """The context's year (known unless the match writes its own: _resolve)."""
        return _known_year(self.ctx)

    def month_of_last_or_context(self) -> tuple[int, int] | None:
        """(year, month) of a day written alone: the date's just before (when it gave its month within two
        characters: 3日至11日, 7月29日、30日), else the context's; None when neither is known."""
        if self.last is not None and self.last.month_given and self.a - self.last.b <= 2:
            return self.last.end.year, self.last.end.month
        if self.ctx.year is None or self.ctx.month is None:
            return None
        return self.ctx.year, self.ctx.month


def _relative_year(f: _Found) -> Atom | None:  # 去年, 明年
    y = f.year + lexicons.date_words()["relative_year"][f.g["rely"]]
    return Atom(f.a, f.b, dt.date(y, 1, 1), dt.date(y, 12, 31), "year", False)


def _quarter(f: _Found) -> Atom | None:  # 第三季度
    q = parse_int(f.g["qt"].lstrip("第"))
    if not q or q > 4:
        return None
    return Atom(f.a, f.b, dt.date(f.year, 3 * q - 2, 1), _month_end(f.year, 3 * q), "quarter", False)


def _half_year(f: _Found) -> Atom | None:  # 上半年, 下半年
    first = f.g["half"] == "上半年"
    return Atom(
        f.a,
        f.b,
        dt.date(f.year, 1 if first else 7, 1),
        _month_end(f.year, 6 if first else 12),
        "half_year",
        False,
    )


def _year_edge(f: _Found) -> Atom | None:  # 年底, 年初, 年中
    y = f.year
    if f.g["ye"] in ("年底", "年末"):
        return Atom(f.a, f.b, dt.date(y, 12, 31), dt.date(y, 12, 31), "day", False)
    if f.g["ye"] == "年初":
        return Atom(f.a, f.b, dt.date(y, 1, 1), dt.date(y, 1, 31), "month", False)
    return Atom(f.a, f.b, dt.date(y, 6, 1), dt.date(y, 7, 31), "month", False)


def _relative_month(f: _Found) -> Atom | None:  # 上月, 下个月
    if not f.ctx.month:
        return None
    off = lexicons.date_words()["relative_month"][f.g["relm"]]
    y, mo = shift_month(f.year, f.ctx.month, off)
    return Atom(f.a, f.b, dt.date(y, mo, 1), _month_end(y, mo), "month", False)


def _same_or_next_day(f: _Found) -> Atom | None:  # 当日, 次日: the date just before, or the day after it
    if f.last is None:
        return None
    day = f.last.end if f.g["same"] in lexicons.date_words()["same_day"] else f.last.end + dt.timedelta(days=1)
    return Atom(f.a, f.b, day, day, "day", True)


def _holiday_atom(f: _Found) -> Atom | None:  # 国庆节, 春节
    day = _holiday(f.g["hol"], f.ctx)
    return Atom(f.a, f.b, day, day, "day", True) if day else None


def _month_edge(f: _Found) -> Atom | None:  # 月底, 上旬
    if not f.ctx.month:
        return None
    return _month_qualifier(f.a, f.b, f.year, f.ctx.month, f.g["me"].removeprefix("月"), False)


def _relative_day(f: _Found) -> Atom | None:  # 昨天, 上周三: need the reference day
    today = f.ctx.today()
    if today is None:
        return None
    if f.g.get("reld"):
        day = today + dt.timedelta(days=lexicons.date_words()["relative_day"][f.g["reld"]])
    else:
        wd = f.g["wd"]
        index = _WEEKDAYS.index(wd) if wd in _WEEKDAYS else 6 if wd in "日天" else int(wd) - 1
        weeks = {"上上": -2, "上": -1, "下": 1, "下下": 2}.get(f.g.get("wkpre") or "", 0)
        day = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=7 * weeks + index)
    return Atom(f.a, f.b, day, day, "day", True, month_given=True, year_given=True)


def _month_range(f: _Found) -> Atom | None:  # 7—9月, 2021年1-8月
    g = f.g
    m1, m2 = _int(g["rm1"]), _int(g["rm2"])
    # the year is the one that puts the range's end nearest the context month: 1—8月 in September
    y2 = _year(g.get("ry")) or _near_year(f.ctx, m2)
    y = y2 if m2 >= m1 else y2 - 1
    if g.get("ry"):
        y, y2 = y2, (y2 if m2 >= m1 else y2 + 1)
    return Atom(
        f.a,
        f.b,
        dt.date(y, m1, 1),
        _month_end(y2, m2),
        "month",
        False,
        month_given=True,
        year_given=g.get("ry") is not None,
    )


def _day_range(f: _Found) -> Atom | None:  # 11月5—7日, 3—5日
    d1, d2 = _int(f.g["rd1"]), _int(f.g["rd2"])
    if f.g.get("rdm"):
        mo = _int(f.g["rdm"])
        y = _near_year(f.ctx, mo)
    elif (month := f.month_of_last_or_context()) is not None:
        y, mo = month
    else:
        return None
    if d2 < d1:
        return None
    return Atom(f.a, f.b, dt.date(y, mo, d1), dt.date(y, mo, d2), "day", False, month_given=True)


def _numeric(keys: tuple[str, str, str]):
    """2010-01-29 (ny, nm, nd), 13.5.2015 (ey, em, ed), 2010 01 29 (sy, sm, sd): year, month, day groups."""

    def resolve(f: _Found) -> Atom | None:
        day = dt.date(*(int(f.g[k]) for k in keys))
        return Atom(f.a, f.b, day, day, "day", False, month_given=True, year_given=True)

    return resolve


def _calendar_date(f: _Found) -> Atom | None:
    """The rest: a year, month, day (any of them), with 初/底/上旬 after: 2020年, 8月, 6日, 7月29日, 5月底."""
    g = f.g
    y, mo, d, q = (
        _year(g.get("y")),
        parse_int(g.get("m")),
        parse_int(g.get("d") or g.get("dn") or g.get("dc")),
        g.get("q"),
    )
    if y is None and mo is None and d is None:
        return None
    if q and mo is None:
        return _year_qualified(f, y, q)
    if y is not None and mo is None and d is None:
        return Atom(f.a, f.b, dt.date(y, 1, 1), dt.date(y, 12, 31), "year", False, year_given=True)
    day_alone = mo is None
    if mo is None:  # a day alone: in the month of a date just before, or the context month
        month = f.month_of_last_or_context()
        if month is None:
            return None
        y, mo = month
    if not 1 <= mo <= 12:
        return None
    y = _near_year(f.ctx, mo) if y is None else y
    year_given = g.get("y") is not None
    if q:
        atom = _month_qualifier(f.a, f.b, y, mo, q, True)
        return replace(atom, year_given=year_given) if atom is not None else None
    if d is None:
        return Atom(
            f.a, f.b, dt.date(y, mo, 1), _month_end(y, mo), "month", False, month_given=True, year_given=year_given
        )
    day = _existing_day(y, mo, d, year_fixed=year_given, day_alone=day_alone)
    if day is None:
        return None
    # "5月20日前" is read "by 20 May" (inclusive), as offices mean it; holidays exclude the day
    month_given = g.get("m") is not None or (f.last is not None and f.last.month_given)
    return Atom(f.a, f.b, day, day, "day", False, month_given=month_given, year_given=year_given)


def _year_qualified(f: _Found, y: int | None, q: str) -> Atom | None:
    """2021年初 (as 年初), 2021年底; other qualifiers need a month."""
    if y is None or q not in ("底", "末", "初"):
        return None
    if q == "初":
        return Atom(f.a, f.b, dt.date(y, 1, 1), dt.date(y, 1, 31), "month", False, year_given=True)
    return Atom(f.a, f.b, dt.date(y, 12, 31), dt.date(y, 12, 31), "day", False, year_given=True)


# each alternative of the date pattern, by the named group that marks it, and its resolver; the first
# group present in a match decides; a match with none of them is a calendar date (_calendar_date)
_RESOLVERS = (
    ("rely", _relative_year),
    ("qt", _quarter),
    ("half", _half_year),
    ("ye", _year_edge),
    ("relm", _relative_month),
    ("same", _same_or_next_day),
    ("hol", _holiday_atom),
    ("me", _month_edge),
    ("reld", _relative_day),
    ("wd", _relative_day),
    ("rm1", _month_range),
    ("rd1", _day_range),
    ("ny", _numeric(("ny", "nm", "nd"))),
    ("ey", _numeric(("ey", "em", "ed"))),
    ("sy", _numeric(("sy", "sm", "sd"))),
)


def _resolve(m: re.Match, ctx: Context, last: Atom | None, base: int) -> Atom | None:
    """The dates a match of the date pattern names, resolved against the context, or None where it
    names none (a day that does not exist: 2019年2月29日, 2015.2.30)."""
    g = m.groupdict()
    if ctx.year is None and not g.get("y"):
        return None
    found = _Found(base + m.start(), base + m.end(), g, ctx, last)
    resolver = next((r for group, r in _RESOLVERS if g.get(group)), _calendar_date)
    try:
        return resolver(found)
    except ValueError:  # the calendar has no such day (datetime.date)
        return None


def _existing_day(y: int, mo: int, d: int, year_fixed: bool, day_alone: bool) -> dt.date | None:
    """The date, or where it does not exist in the reference period (29日 in February, 2月29日 in 2019)
    and the period was only assumed, the nearest period that has it: the month before for a day alone,
    the nearest leap year for 2月29日."""
    try:
        return dt.date(y, mo, d)
    except ValueError:
        if year_fixed:
            return None
    if day_alone:
        for back in (1, 2):
            yy, mm = shift_month(y, mo, -back)
            try:
                return dt.date(yy, mm, d)
            except ValueError:
                continue
        return None
    for k in range(1, 9):
        for yy in (y - k, y + k):
            try:
                return dt.date(yy, mo, d)
            except ValueError:
                continue
    return None


def _month_qualifier(a: int, b: int, y: int, mo: int, q: str, given: bool) -> Atom | None:
    last_day = calendar.monthrange(y, mo)[1]
    spans = {
        "上旬": (1, 10),
        "中旬": (11, 20),
        "下旬": (21, last_day),
        "初": (1, 10),
        "中": (11, 20),
        "上中旬": (1, 20),
        "中下旬": (11, last_day),
    }
    if q in ("底", "末"):
        day = dt.date(y, mo, last_day)
        return Atom(a, b, day, day, "day", False, month_given=given)
    if q not in spans:
        return None
    lo, hi = spans[q]
    return Atom(a, b, dt.date(y, mo, lo), dt.date(y, mo, hi), "dekad", False, month_given=given)


def _serial_number(region: str, m: re.Match) -> bool:
    """A bare N号 (no month, no year) that numbers a thing: 南5号泊位, 3号楼 (`serial_nouns`); 9号召开 is a day."""
    if m.group("m") or m.group("y") or not m.group("d") or not m.group().rstrip().endswith("号"):
        return False
    words = lexicons.date_words()
    before = m.start() - 1
    return region.startswith(tuple(words["serial_nouns"]), m.end()) or (
        before >= 0 and region[before] in words["serial_before"]
    )


def _atoms(text: str, start: int, end: int, ctx: Context, last: Atom | None = None) -> list[Atom]:
    out: list[Atom] = []
    region = text[start:end]
    lunar = [(x.start(), x.end()) for x in _LUNAR.finditer(region)]
    pos = 0
    while pos <= len(region):
        m = atom_re().search(region, pos)
        if m is None:
            break
        pos = max(m.end(), m.start() + 1)
        if m.end() == m.start():
            continue
        # a bare 中/初 after nothing is not a date; the DATE branch may match only spaces
        if not m.group().strip():
            continue
        if m.group("hol") and not _holiday_in_context(region, m):
            continue
        if _serial_number(region, m):
            continue
        atom = _resolve(m, ctx, out[-1] if out else last, start)
        if atom is None:
            continue
        # a relative or written year alone (今年, 2021年) may fix the year of what follows: 2021年上半年
        year_only = m.group("y") and not (
            m.group("m") or m.group("d") or m.group("q") or m.group("dn") or m.group("dc")
        )
        kind = "year" if m.group("rely") or year_only else "month" if m.group("relm") else None
        while kind:  # 去年5月, 今年第一季度, 去年本月十日, 下月底: one date
            atom, kind, pos = _extend(region, start, pos, atom, kind, ctx)
        if any(a <= m.start() < b for a, b in lunar):
            continue
        tail = (
            _WEEKDAY_TAIL.match(region, atom.b - start)
            if atom.granularity == "day" and (m.group("d") or m.group("dn"))
            else None
        )
        if tail:  # 10月12号，星期一: the weekday in apposition belongs to the date
            atom = replace(atom, b=start + tail.end())
            pos = max(pos, tail.end())
        out.append(atom)
    return out


@lru_cache(maxsize=1)
def _holiday_context_re() -> re.Pattern:
    return re.compile(rf"[”’\"'」』]?{SPACES}(?:{lexicons.alternation(lexicons.date_words()['holiday_context'])})")


def _holiday_in_context(region: str, m: re.Match) -> bool:
    """An ambiguous holiday name (国庆, 三八) is a date only when a holiday word follows it or a greeting
    stands before it (迎国庆)."""
    if m.group("hol") not in lexicons.date_words()["ambiguous_holidays"] or m.group().endswith("节"):
        return True
    before = region[: m.start()].rstrip("“‘\"'「『")
    return _holiday_context_re().match(region, m.end()) is not None or before.endswith(
        tuple(lexicons.date_words()["holiday_greeting"])
    )


def _extend(region: str, base: int, pos: int, atom: Atom, kind: str, ctx: Context) -> tuple[Atom, str | None, int]:
    """A relative year (month) names the year (and month) of the date written right after it. Returns the
    joined atom, what it now fixes ("month" or None when done) and where to go on."""
    n = atom_re().match(region, pos)
    if n is None or n.end() == n.start() or not n.group().strip():
        return atom, None, pos
    g = n.groupdict()
    stop = g.get("y") or g.get("ny") or g.get("rely") or g.get("same") or g.get("hol")  # a date of its own
    if kind == "year":
        if stop or not (g.get("relm") or g.get("m") or g.get("rm1") or g.get("qt") or g.get("half") or g.get("ye")):
            return atom, None, pos
        sub = Context(atom.start.year, ctx.month if g.get("relm") else None)
        joined = _resolve(n, sub, None, base)
    else:
        if stop or g.get("m") or not (g.get("d") or g.get("q") or g.get("me")):
            return atom, None, pos
        y, mo = atom.start.year, atom.start.month
        if g.get("q"):
            joined = _month_qualifier(base + n.start(), base + n.end(), y, mo, g["q"], True)
        else:
            joined = _resolve(n, Context(y, mo), None, base)
    if joined is None:
        return atom, None, pos
    month = joined.granularity == "month"
    joined = Atom(
        atom.a,
        joined.b,
        joined.start,
        joined.end,
        joined.granularity,
        joined.point,
        month_given=True,
        year_given=kind == "year" or atom.year_given,
    )
    return joined, "month" if month else None, n.end()


def _same_year(prev: Atom, atom: Atom) -> Atom:
    """2019年6月1日-6月30日: the end of a range without a year is in the year of its start (or the next)."""
    if not prev.year_given or atom.year_given or atom.granularity not in ("day", "dekad", "month"):
        return atom
    try:
        start, end = atom.start.replace(year=prev.end.year), atom.end.replace(year=prev.end.year)
        if end < prev.start:
            start, end = atom.start.replace(year=prev.end.year + 1), atom.end.replace(year=prev.end.year + 1)
    except ValueError:
        return atom
    if atom.granularity == "month":
        end = _month_end(end.year, end.month)
    return replace(atom, start=start, end=end, year_given=True)


def _merge_ranges(text: str, atoms: list[Atom]) -> list[Atom]:
    """`3日至11日`, `7月29日至8月2日`: two atoms joined by a range word become one."""
    merged: list[Atom] = []
    for atom in atoms:
        if merged:
            prev = merged[-1]
            gap = text[prev.b : atom.a]
            if gap and _RANGE_SEP.fullmatch(gap):
                atom = _same_year(prev, atom)
            if gap and _RANGE_SEP.fullmatch(gap) and atom.end >= prev.start:
                gran = prev.granularity if prev.granularity == atom.granularity else "day"
                merged[-1] = Atom(prev.a, atom.b, prev.start, atom.end, gran, False, prev.month_given, prev.year_given)
                continue
        merged.append(atom)
    return merged


def find_dates(text: str, start: int, end: int, ctx: Context, skip: Sequence[tuple[int, int]] = ()) -> list[DateRef]:
    """The dates written in text[start:end], resolved against `ctx`, leaving out those overlapping a
    `skip` range (a figure's span)."""
    atoms = _merge_ranges(text, _atoms(text, start, end, ctx))
    out = []
    for at in atoms:
        if any(not (at.b <= s or at.a >= e) for s, e in skip):
            continue
        out.append(
            DateRef(text=text[at.a : at.b], start=at.start, end=at.end, granularity=at.granularity, span=(at.a, at.b))
        )
    return out


_BEFORE = re.compile(rf"{SPACES}(?:之前|以前|前)")


def parse_deadline(text: str, a: int, b: int, ctx: Context) -> Deadline:
    """A task's deadline (`九月份`, `9月底前`, `年底前`, `春节前`, `长期坚持`) with start and end dates."""
    raw = text[a:b]
    ongoing = lexicons.task_labels()["ongoing"]
    if ctx.year is None or any(raw.strip().startswith(w) for w in ongoing) and not re.search(r"[0-9０-９月日]", raw):
        return Deadline(text=raw, span=(a, b))
    atoms = _merge_ranges(text, _atoms(text, a, b, ctx))
    if not atoms:
        return Deadline(text=raw, span=(a, b))
    first, last = atoms[0], atoms[-1]
    start: dt.date | None = first.start
    end = last.end
    if _BEFORE.match(text, last.b):
        start = None
        if last.point:
            end = last.start - dt.timedelta(days=1)
    return Deadline(text=raw, start=start, end=end, span=(a, b))
