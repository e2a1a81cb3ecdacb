"""Dates: find date expressions and resolve them against the bulletin's year and month.

`6日` → the context month's 6th; `7月29日`; `3日至11日` (one range); `2020年12月18日`; `上旬/中旬/下旬`;
`月底`; `年底`; `今年`; `同日` (the date just before); `第三季度`; holidays (`元旦`, `春节` through lunardate).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicons
from ..models import DateRef, Deadline
from .numbers import parse_cn_integer

_SP = r"[ \t\u3000]*"
_YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2}|[一二〇零○][〇零○一二三四五六七八九]{3})"
_MONTH = r"(?:1[0-2]|0?[1-9]|１[０-２]|０?[１-９]|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9]|[１２][０-９]|３[０１]|０?[１-９]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])"
_NOT_AFTER_DIGIT = r"(?<![0-9０-９一二三四五六七八九十〇零○.．第])"

_DATE = (
    rf"{_NOT_AFTER_DIGIT}(?:(?P<y>{_YEAR}){_SP}年(?P<fy>度)?)?"
    rf"(?:{_SP}(?<![0-9０-９])(?P<m>{_MONTH}){_SP}月(?P<fen>份)?)?"
    rf"(?:{_SP}(?<![0-9０-９])(?P<d>{_DAY}){_SP}[日号](?!报|记|志|常|益|用|程)|(?P<q>上旬|中旬|下旬|初|底|末|中下旬|上中旬))?"
)
_QUARTER = r"(?P<qt>第?[一二三四1-4１-４])季度"
_HALF = r"(?P<half>上半年|下半年)"
_YEAR_EDGE = r"(?P<ye>年底|年末|年初|年中)"
_MONTH_EDGE = r"(?P<me>月底|月末|月初|月中|上旬|中旬|下旬)"
_RANGE_SEP = re.compile(rf"{_SP}(?:至|到|—|－|-|~|～|－－|——){_SP}")


@lru_cache(maxsize=1)
def atom_re() -> re.Pattern:
    w = lexicons.date_words()
    rel_year = lexicons.alternation(w["relative_year"])
    rel_month = lexicons.alternation(w["relative_month"])
    same = lexicons.alternation(w["same_day"] + w["next_day"])
    holidays = lexicons.alternation(list(w["solar_holidays"]) + list(w["lunar_holidays"]))
    return re.compile(
        rf"(?P<rely>{rel_year})(?!以来|来)"  # 今年以来 is "so far this year", not a date
        rf"|{_QUARTER}|{_HALF}|{_YEAR_EDGE}"
        rf"|(?P<relm>{rel_month})|(?P<same>{same})|(?P<hol>{holidays})(?:节)?"
        rf"|{_DATE}"
        rf"|{_MONTH_EDGE}"
    )


@dataclass(frozen=True)
class Context:
    year: int | None
    month: int | None


@dataclass
class Atom:
    a: int
    b: int
    start: dt.date
    end: dt.date
    granularity: str
    point: bool  # a holiday or the day after a date: "before X" ends the day before
    month_given: bool = False


def _int(s: str | None) -> int | None:
    if s is None:
        return None
    s = s.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if s.isdigit():
        return int(s)
    return parse_cn_integer(s)


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _near_year(ctx: Context, month: int) -> int:
    """A month without a year: the year that puts it closest to the context month."""
    y = ctx.year
    if ctx.month:
        if month - ctx.month > 6:
            return y - 1
        if ctx.month - month > 6:
            return y + 1
    return y


def _holiday(name: str, ctx: Context) -> dt.date | None:
    w = lexicons.date_words()
    name = name if name in w["solar_holidays"] or name in w["lunar_holidays"] else name.rstrip("节")
    ref = dt.date(ctx.year, ctx.month or 6, 15)
    candidates = []
    for y in (ctx.year - 1, ctx.year, ctx.year + 1):
        if name in w["solar_holidays"]:
            m, d = w["solar_holidays"][name]
            candidates.append(dt.date(y, m, d))
        elif name in w["lunar_holidays"]:
            from lunardate import LunarDate

            lm, ld = w["lunar_holidays"][name]
            try:
                if (lm, ld) == (12, 30):  # 除夕: the eve of the next Spring Festival
                    candidates.append(LunarDate(y + 1, 1, 1).toSolarDate() - dt.timedelta(days=1))
                else:
                    candidates.append(LunarDate(y, lm, ld).toSolarDate())
            except ValueError:
                continue
    if not candidates:
        return None
    # the next occurrence from the context month on, else the nearest
    month_start = dt.date(ctx.year, ctx.month or 1, 1)
    upcoming = [c for c in candidates if c >= month_start]
    return min(upcoming) if upcoming else min(candidates, key=lambda c: abs((c - ref).days))


def _resolve(m: re.Match, ctx: Context, last: Atom | None, base: int) -> Atom | None:
    a, b = base + m.start(), base + m.end()
    g = m.groupdict()
    if ctx.year is None and not g.get("y"):
        return None
    try:
        if g.get("rely"):
            y = ctx.year + lexicons.date_words()["relative_year"][g["rely"]]
            return Atom(a, b, dt.date(y, 1, 1), dt.date(y, 12, 31), "year", False)
        if g.get("qt"):
            q = _int(g["qt"].lstrip("第"))
            if not q or q > 4:
                return None
            return Atom(a, b, dt.date(ctx.year, 3 * q - 2, 1), _month_end(ctx.year, 3 * q), "quarter", False)
        if g.get("half"):
            first = g["half"] == "上半年"
            return Atom(a, b, dt.date(ctx.year, 1 if first else 7, 1), _month_end(ctx.year, 6 if first else 12), "half_year", False)
        if g.get("ye"):
            y = ctx.year
            if g["ye"] in ("年底", "年末"):
                return Atom(a, b, dt.date(y, 12, 31), dt.date(y, 12, 31), "day", False)
            if g["ye"] == "年初":
                return Atom(a, b, dt.date(y, 1, 1), dt.date(y, 1, 31), "month", False)
            return Atom(a, b, dt.date(y, 6, 1), dt.date(y, 7, 31), "month", False)
        if g.get("relm"):
            if not ctx.month:
                return None
            off = lexicons.date_words()["relative_month"][g["relm"]]
            y, mo = divmod(ctx.year * 12 + ctx.month - 1 + off, 12)
            return Atom(a, b, dt.date(y, mo + 1, 1), _month_end(y, mo + 1), "month", False)
        if g.get("same"):
            if last is None:
                return None
            w = lexicons.date_words()
            day = last.end if g["same"] in w["same_day"] else last.end + dt.timedelta(days=1)
            return Atom(a, b, day, day, "day", True)
        if g.get("hol"):
            day = _holiday(g["hol"], ctx)
            return Atom(a, b, day, day, "day", True) if day else None
        if g.get("me"):
            if not ctx.month:
                return None
            return _month_qualifier(a, b, ctx.year, ctx.month, g["me"].removeprefix("月"), False)
        y, mo, d, q = _int(g.get("y")), _int(g.get("m")), _int(g.get("d")), g.get("q")
        if y is None and mo is None and d is None:
            return None
        if q and mo is None:
            return None
        if y is not None and mo is None and d is None:
            return Atom(a, b, dt.date(y, 1, 1), dt.date(y, 12, 31), "year", False)
        if mo is None:  # a day alone: in the context month, or in the month of a date just before
            if last is not None and last.month_given and base + m.start() - last.b <= 2:
                y, mo = last.end.year, last.end.month
            elif ctx.month:
                y, mo = ctx.year, ctx.month
            else:
                return None
        if not 1 <= mo <= 12:
            return None
        if y is None:
            y = _near_year(ctx, mo)
        if q:
            return _month_qualifier(a, b, y, mo, q, True)
        if d is None:
            return Atom(a, b, dt.date(y, mo, 1), _month_end(y, mo), "month", False, month_given=True)
        day = dt.date(y, mo, d)
        # "5月20日前" is read "by 20 May" (inclusive), as offices mean it; holidays exclude the day
        return Atom(a, b, day, day, "day", False, month_given=g.get("m") is not None or (last is not None and last.month_given))
    except (ValueError, TypeError, KeyError):
        return None


def _month_qualifier(a: int, b: int, y: int, mo: int, q: str, given: bool) -> Atom | None:
    last_day = calendar.monthrange(y, mo)[1]
    spans = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, last_day), "初": (1, 10), "中": (11, 20),
             "上中旬": (1, 20), "中下旬": (11, last_day)}
    if q in ("底", "末"):
        day = dt.date(y, mo, last_day)
        return Atom(a, b, day, day, "day", False, month_given=given)
    if q not in spans:
        return None
    lo, hi = spans[q]
    return Atom(a, b, dt.date(y, mo, lo), dt.date(y, mo, hi), "dekad", False, month_given=given)


def _atoms(text: str, start: int, end: int, ctx: Context, last: Atom | None = None) -> list[Atom]:
    out: list[Atom] = []
    region = text[start:end]
    for m in atom_re().finditer(region):
        if m.end() == m.start():
            continue
        # a bare 中/初 after nothing is not a date; the DATE branch may match only spaces
        if not m.group().strip():
            continue
        atom = _resolve(m, ctx, out[-1] if out else last, start)
        if atom is None:
            continue
        out.append(atom)
    return out


def _merge_ranges(text: str, atoms: list[Atom]) -> list[Atom]:
    """`3日至11日`, `7月29日至8月2日`: two atoms joined by a range word become one."""
    merged: list[Atom] = []
    for atom in atoms:
        if merged:
            prev = merged[-1]
            gap = text[prev.b:atom.a]
            if gap and _RANGE_SEP.fullmatch(gap) and atom.end >= prev.start:
                gran = prev.granularity if prev.granularity == atom.granularity else "day"
                merged[-1] = Atom(prev.a, atom.b, prev.start, atom.end, gran, False, prev.month_given)
                continue
        merged.append(atom)
    return merged


def find_dates(text: str, start: int, end: int, ctx: Context, skip: list[tuple[int, int]] = ()) -> list[DateRef]:
    atoms = _merge_ranges(text, _atoms(text, start, end, ctx))
    out = []
    for at in atoms:
        if any(not (at.b <= s or at.a >= e) for s, e in skip):
            continue
        out.append(DateRef(text=text[at.a:at.b], start=at.start, end=at.end, granularity=at.granularity, span=(at.a, at.b)))
    return out


_BEFORE = re.compile(rf"{_SP}(?:之前|以前|前)")


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
    start, end = first.start, last.end
    if _BEFORE.match(text, last.b):
        start = None
        if last.point:
            end = last.start - dt.timedelta(days=1)
    return Deadline(text=raw, start=start, end=end, span=(a, b))
