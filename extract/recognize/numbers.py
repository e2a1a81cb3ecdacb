"""Numbers as written in Chinese documents: Arabic (full-width too, thousands separators, decimals),
Chinese numerals (两千, 三十五, 一万二, 二〇二〇, 壹佰, 萬/億/兩/點), mixed forms (1.38亿, 172 万, 3千万,
5万4千6百, 3万4000, 2千零30万), signs (负3, -3) and fractions (三分之一, 3又一千分之23, 3/5).

Only numbers: units, approximation markers and context belong to `figures`. `find_numbers` lists the
numbers in a text; `parse_number` reads one.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from ..patterns import SP, SPACES, SPACE_CHARS

CN_DIGIT = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "Ｏ": 0,
    "一": 1,
    "壹": 1,
    "幺": 1,
    "二": 2,
    "贰": 2,
    "貳": 2,
    "两": 2,
    "兩": 2,
    "倆": 2,
    "俩": 2,
    "三": 3,
    "叁": 3,
    "參": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "陸": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
CN_SMALL_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNIT = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
CN_TENS = {"廿": 20, "卅": 30}
_ZEROS = "零〇○Ｏ"
_PAIR = "两兩倆俩"  # 两 counts (两千, 两个) but is not read digit by digit, nor after 点 when scanning text

_DIGITS = "".join(CN_DIGIT)
_UNITS = "".join(CN_SMALL_UNIT) + "".join(CN_BIG_UNIT) + "".join(CN_TENS)
_DEC_DIGITS = "".join(c for c in CN_DIGIT if c not in _PAIR)
FULLWIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")
DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")  # full-width digits to ASCII, nothing else
# One character for one character, so offsets survive: traditional and full-width forms to the ones the
# patterns are written with.
# (Full-width digits stay: the patterns take them, and "，" groups thousands only between them.)
FOLD = str.maketrans(
    "％－萬億兩倆負點個幾對雙號週ABCDEFGHIJKLMNOPQRSTUVWXYZ", "%-万亿两两负点个几对双号周abcdefghijklmnopqrstuvwxyz"
)

# Pattern pieces (no groups) for the figure and date recognizers.
# Thousands are grouped with ",", or with "，" between full-width digits (４，５６５) or before decimals
# (82，225.00): elsewhere "，" separates two numbers ($20，300美元).
ARABIC = (
    r"[0-9０-９]+(?:(?:,[0-9０-９]{3}|(?<=[０-９])，[０-９]{3}|，[0-9０-９]{3}(?=[.．][0-9０-９]))(?![0-9０-９]))*"
    r"(?:[.．][0-9０-９]+)?"
)
# A multiplier after an Arabic number; 千/百/十 only where they do not start a unit (千克, 千米, 百分点).
MULTIPLIER = r"(?:[万亿萬億]|[千百十拾佰仟](?![克米瓦卡分]))"
# Chinese numerals may be spaced out between a digit and a unit (一百 五 十 二), not between two digits.
# 千 before 克/米/瓦/卡 starts the unit (一百千瓦 = 100 千瓦; 三千米 = 3 千米, the same length as 3000 米).
_CN_CHAR = rf"(?:[{_DIGITS}{_UNITS.replace('千', '').replace('仟', '')}]|[千仟](?![克米瓦卡]))"
_CN_SPACED = rf"(?:(?<=[{_DIGITS}]){SP}+(?=[{_UNITS}])|(?<=[{_UNITS}]){SP}+(?=[{_DIGITS}{_UNITS}]))"
CHINESE = (
    rf"{_CN_CHAR}(?:{_CN_SPACED}?{_CN_CHAR})*"
    rf"(?:{SPACES}[点點]{SPACES}[{_DIGITS}]+(?:{SPACES}[{''.join(CN_BIG_UNIT)}])*)?"
)
NUMBER = rf"(?:{ARABIC}(?:{SPACES}{MULTIPLIER}+)?|{CHINESE})"
NUMBER_RE = re.compile(NUMBER)


def to_number(d: Decimal) -> int | float:
    """A JSON-friendly number: int when integral."""
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def parse_int(s: str | None) -> int | None:
    """12, １２ or 十二 → 12; None when not a whole number."""
    if not s:
        return None
    s = s.strip().translate(DIGITS)
    return int(s) if s.isdigit() else parse_cn_integer(s)


def parse_cn_integer(s: str) -> int | None:
    """一 → 1, 十二 → 12, 两千零五 → 2005, 一万二 → 12000, 二〇二〇 → 2020. None when not a numeral."""
    d = _parse_cn(s)
    return int(d) if d is not None and d == d.to_integral_value() else None


_TOKEN = re.compile(r"[0-9]+(?:\.[0-9]+)?|.", re.S)


def _parse_cn(s: str) -> Decimal | None:
    """A Chinese or mixed numeral without sign or decimal point: 两千零五, 3万4千6百, 2千零30万, 二十几万."""
    if not s:
        return None
    if all(c in CN_DIGIT and c not in _PAIR for c in s) and (len(s) >= 4 or any(c in _ZEROS for c in s)):
        return Decimal("".join(str(CN_DIGIT[c]) for c in s))  # read digit by digit: 二〇二〇, 一九九八
    total = Decimal(0)  # finished 亿 groups
    section = Decimal(0)  # finished 万 group
    small = Decimal(0)  # below 万
    digit: Decimal | None = None
    digit_cn = False  # the pending digit is one Chinese digit (一万二 = 12000), not an Arabic number (3万4000)
    last_unit = 0
    last_small = 10**5  # small units fall within a 万 group: 五十千 is not a number
    zero_seen = False
    for tok in _TOKEN.findall(s):
        if tok[0].isdigit():
            if digit is not None:
                return None
            digit, digit_cn = Decimal(tok), False
        elif tok in CN_DIGIT or tok in "几":
            if tok in _ZEROS:
                zero_seen = True
                continue
            if digit is not None:
                return None  # two digits in a row inside a unit numeral: 三四百 is a range, not a number
            digit, digit_cn = Decimal(CN_DIGIT.get(tok, 0)), tok != "几"
        elif tok in "多余":
            continue  # 十多万, 五百余万: the approximation belongs to the caller
        elif tok in CN_TENS:
            small += CN_TENS[tok]
            last_unit = 10
        elif tok in CN_SMALL_UNIT:
            u = CN_SMALL_UNIT[tok]
            if u >= last_small:
                return None
            small += (digit if digit is not None else Decimal(1)) * u
            digit = None
            last_unit = last_small = u
            zero_seen = False
        elif tok in CN_BIG_UNIT:
            u = CN_BIG_UNIT[tok]
            group = small + (digit or 0)
            if u == 10**8:
                total = (total + section + group) * u
                section = Decimal(0)
            else:
                if group == 0 and section == 0 and total == 0:
                    group = Decimal(1)
                section = (section + group) * u
            small = Decimal(0)
            digit = None
            last_unit = u
            last_small = 10**5
            zero_seen = False
        else:
            return None
    if digit is not None:
        # 一万二 = 12000, 三百五 = 350: a trailing digit right after a unit counts in the next lower place
        if digit_cn and last_unit >= 100 and not zero_seen:
            digit = digit * last_unit / 10
        small += digit
    return total + section + small


def parse_number(s: str) -> Decimal | None:
    """Any number NUMBER_RE or find_numbers matches → its value, or None. Signs (负, -) and fractions
    (X分之Y, A又X分之Y, a/b) are read too; approximation infixes (十多万, 二十几万) count as their base."""
    s = s.strip(SPACE_CHARS).translate(FOLD).translate(FULLWIDTH).replace("／", "/")
    mixed = re.fullmatch(r"(-?[0-9]+)[ \t]+([0-9]+[ \t]*/[ \t]*[0-9]+)", s)  # 1 4/3 = 1 + 4/3
    if mixed:
        s = mixed.group(1) + "又" + mixed.group(2)
    s = re.sub(SP, "", s)
    if not s:
        return None
    neg = s[0] in "负-"
    if neg:
        s = s[1:]
        if not s:
            return None
    if "分之" in s or "/" in s:
        value = _parse_fraction(s)
    else:
        value = _parse_plain(s)
    if value is None:
        return None
    return -value if neg else value


def _parse_plain(s: str) -> Decimal | None:
    s = re.sub(r"(?<=[0-9]),(?=[0-9]{3})", "", s)
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)([十百千万亿拾佰仟]*)", s)
    if m:
        try:
            value = Decimal(m.group(1))
        except InvalidOperation:
            return None
        # 3千万 = 3 × 1000 × 10000; 1.38亿 = 1.38 × 10^8
        for c in m.group(2):
            value *= CN_SMALL_UNIT.get(c) or CN_BIG_UNIT[c]
        return value
    if "点" in s:
        whole, _, frac = s.partition("点")
        tail = frac.rstrip("".join(CN_BIG_UNIT))
        mult = frac[len(tail) :]
        if not tail or not all(c in CN_DIGIT for c in tail):  # 两百点两 = 200.2 when read on its own
            return None
        head = _parse_cn(whole) if whole else Decimal(0)
        if head is None:
            return None
        value = head + Decimal("0." + "".join(str(CN_DIGIT[c]) for c in tail))
        for c in mult:
            value *= CN_BIG_UNIT[c]
        return value
    return _parse_cn(s)


def _signed(s: str) -> Decimal | None:
    if s[:1] in ("负", "-"):
        v = _parse_plain(s[1:]) if len(s) > 1 else None
        return -v if v is not None else None
    return _parse_plain(s)


def _parse_fraction(s: str) -> Decimal | None:
    """三分之一, 3又一千分之23 (whole 又 denominator 分之 numerator), 3/5, 1 4/3 (read after spaces are gone)."""
    whole: Decimal | None = Decimal(0)
    if "又" in s:
        w, _, s = s.partition("又")
        whole = _signed(w)
    if "分之" in s:
        head, _, tail = s.partition("分之")
        den, num = _signed(head), _signed(tail)
    else:
        head, _, tail = s.partition("/")
        den, num = _signed(tail), _signed(head)
    if whole is None or den is None or num is None or den == 0:
        return None
    frac = num / den
    return whole - frac if whole < 0 else whole + frac


# find_numbers ----------------------------------------------------------------------------------------


class NumberSpan(NamedTuple):
    """A number found in a text: its offsets [start, end), its value, and more_than for 十多万 (the base value)."""

    start: int
    end: int
    value: Decimal
    approx: str | None = None  # "more_than" for 十多万 / 五百余万 / 二十几万: value is the base, as in figures


_FORMAL_ONLY = set("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟")  # alone these are words (陆地, 伍, 收拾, 放肆)
_SIGN = r"(?:[负負]|[-－](?=[0-9０-９]))"
_ATOM = rf"(?:{ARABIC}(?![0-9０-９])|[{_DIGITS}{_UNITS}几幾])"
_INFIX = rf"[多余](?={SPACES}[万亿萬億千百仟佰])"  # 十多万, 五百余万; a trailing 多 (四百多) stays out
_RUN = rf"{_ATOM}(?:{SPACES}(?:{_ATOM}|{_INFIX}))*"
_DEC = rf"(?:{SPACES}[点點]{SPACES}[{_DEC_DIGITS}](?:{SPACES}[{_DEC_DIGITS}])*(?:{SPACES}[万亿萬億])*)"
_NUMX = rf"{_SIGN}?{_RUN}{_DEC}?"
_FIND_RE = re.compile(
    rf"(?P<frac>(?:(?P<whole>{_NUMX}){SPACES}又{SPACES})?(?P<den>{_NUMX}){SPACES}分{SPACES}之{SPACES}(?P<num>{_NUMX}))"
    rf"|(?P<slash>{_SIGN}?(?:[0-9０-９]+[ \t]+)?[0-9０-９]+{SPACES}[/／]{SPACES}[0-9０-９]+(?![0-9０-９.．]))"
    rf"|(?P<plain>{_NUMX})"
)
_NEEDS = re.compile(
    rf"[0-9０-９{_DIGITS.replace('零', '').replace('〇', '').replace('○', '').replace('Ｏ', '')}十拾廿卅几幾]|^[{_ZEROS}]+$"  # noqa: E501 (a pattern reads best whole)
)


def _valid(s: str) -> bool:
    """A numeral needs a digit or 十 (万, 万万, 千万 alone are words) and may not lead with 万/亿 (万一)."""
    core = re.sub(rf"{SP}|[负負\-－]", "", s)
    return bool(core) and bool(_NEEDS.search(core)) and core[0] not in "万萬亿億"


def _word_ok(folded: str, a: int, b: int, tokens, counters) -> bool:
    """A Chinese numeral must start a word; a one-character numeral must be the whole word, or the word
    must go on with a counter or unit (十个, 一只, 八吨), not into another word (一切, 四川, 五台山)."""
    if tokens is None:
        return True
    if not tokens.is_boundary(a):
        return False
    if b - a > 1:
        return True
    tok = (tokens.token_at(a) or "").translate(FOLD)
    rest = tok[b - a :]
    return not rest or any(rest.startswith(u) for u in counters)


def find_numbers(text: str, tokens=None, counters=None) -> list[NumberSpan]:
    """Every number in `text` as (start, end, value, approx), end exclusive; ordinals (第三) are left out,
    and so are Chinese numerals inside words (一切, 四川, 收拾) when `tokens` (segment.tokenize) is given.
    `counters` are the words that may follow a one-character numeral inside a token (default: the units
    lexicon)."""
    if counters is None:
        from .. import lexicons

        counters = tuple(lexicons.units().units)
    folded = text.translate(FOLD)
    out: list[NumberSpan] = []
    pos = 0
    while True:
        m = _FIND_RE.search(folded, pos)
        if m is None:
            break
        pos = m.end()
        a, b = m.start(), m.end()
        if m.group("frac"):
            parts = [m.group("whole"), m.group("den"), m.group("num")]
            if not all(p is None or _valid(p) for p in parts):
                # 百分之五十: a percent, not a fraction; the number is what follows 之
                if m.group("whole") and _valid(m.group("whole")):
                    out += _plain(folded, m.start("whole"), m.end("whole"), tokens, counters)
                # what follows 之 is a number whatever the words around it
                out += _plain(folded, m.start("num"), m.end("num"), None, counters)
                continue
        if m.group("slash") or m.group("frac"):
            if a > 0 and (folded[a - 1] == "第" or folded[a - 1].isascii() and folded[a - 1].isalpha()):
                continue
            value = parse_number(folded[a:b])
            if value is not None:
                out.append(NumberSpan(a, b, value))
            continue
        out += _plain(folded, a, b, tokens, counters)
    return out


def _plain(folded: str, a: int, b: int, tokens, counters) -> list[NumberSpan]:
    if a > 0 and (folded[a - 1] == "第" or folded[a - 1].isascii() and folded[a - 1].isalpha()):
        return []  # 第三 is an ordinal; A2021 is a code
    s = folded[a:b]
    value = parse_number(s) if _valid(s) else None
    if value is None:
        # 2010 01 29, 7 万5 千4 百 that does not parse: the pieces between spaces, each on its own
        pieces = [(p.start() + a, p.end() + a) for p in re.finditer(rf"[^{SPACE_CHARS}]+", s)]
        if len(pieces) > 1:
            out = []
            for pa, pb in pieces:
                out += _plain(folded, pa, pb, tokens, counters)
            return out
        # 五十千: drop trailing units that break the numeral
        while s and s[-1] in _UNITS and value is None:
            s = s.rstrip(SPACE_CHARS)[:-1].rstrip(SPACE_CHARS)
            value = parse_number(s) if _valid(s) else None
        if value is None:
            return []
        b = a + len(s)
    cn_only = not re.search(r"[0-9０-９]", s)
    if cn_only:
        core = s.lstrip("负-")
        if len(core) == 1 and core in _FORMAL_ONLY:
            return []
        na = a + len(s) - len(core)
        if not _word_ok(folded, na, b, tokens, counters):
            return []
    approx = "more_than" if re.search(r"[多余几]", s) else None
    return [NumberSpan(a, b, value, approx)]
