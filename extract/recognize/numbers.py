"""Numbers as written in Chinese documents: Arabic (full-width too, thousands separators, decimals),
Chinese numerals (两千, 三十五, 一万二, 二〇二〇, 壹佰), and mixed forms (1.38亿, 172 万, 3千万).

Only numbers: units, approximation markers and context belong to `figures`.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

CN_DIGIT = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "幺": 1, "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
            "三": 3, "叁": 3, "參": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6,
            "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
CN_SMALL_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNIT = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
CN_TENS = {"廿": 20, "卅": 30}

_DIGITS = "".join(CN_DIGIT)
_UNITS = "".join(CN_SMALL_UNIT) + "".join(CN_BIG_UNIT) + "".join(CN_TENS)
FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")

# Pattern pieces (no groups) for the figure and date recognizers.
ARABIC = r"[0-9０-９]+(?:,[0-9]{3}(?![0-9]))*(?:[.．][0-9０-９]+)?"
# A multiplier after an Arabic number; 千/百/十 only where they do not start a unit (千克, 千米, 百分点).
MULTIPLIER = r"(?:[万亿萬億]|[千百十拾佰仟](?![克米瓦卡分]))"
CHINESE = rf"[{_DIGITS}{_UNITS}]+(?:点[{_DIGITS}]+[{''.join(CN_BIG_UNIT)}]*)?"
NUMBER = rf"(?:{ARABIC}(?:[ \t\u3000]*{MULTIPLIER}+)?|{CHINESE})"
NUMBER_RE = re.compile(NUMBER)


def to_number(d: Decimal) -> int | float:
    """A JSON-friendly number: int when integral."""
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def parse_cn_integer(s: str) -> int | None:
    """一 → 1, 十二 → 12, 两千零五 → 2005, 一万二 → 12000, 二〇二〇 → 2020. None when not a numeral."""
    d = _parse_cn(s)
    return int(d) if d is not None and d == d.to_integral_value() else None


def _parse_cn(s: str) -> Decimal | None:
    if not s:
        return None
    if all(c in CN_DIGIT for c in s):  # read digit by digit: 二〇二〇
        return Decimal("".join(str(CN_DIGIT[c]) for c in s))
    total = Decimal(0)  # finished 亿 groups
    section = Decimal(0)  # finished 万 group
    small = Decimal(0)  # below 万
    digit: Decimal | None = None
    last_unit = 0
    zero_seen = False
    for c in s:
        if c in CN_DIGIT:
            if CN_DIGIT[c] == 0:
                zero_seen = True
                continue
            if digit is not None:
                return None  # two digits in a row inside a unit numeral: 三四百 is a range, not a number
            digit = Decimal(CN_DIGIT[c])
        elif c in CN_TENS:
            small += CN_TENS[c]
            last_unit = 10
        elif c in CN_SMALL_UNIT:
            u = CN_SMALL_UNIT[c]
            small += (digit if digit is not None else Decimal(1)) * u
            digit = None
            last_unit = u
            zero_seen = False
        elif c in CN_BIG_UNIT:
            u = CN_BIG_UNIT[c]
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
            zero_seen = False
        else:
            return None
    if digit is not None:
        # 一万二 = 12000, 三百五 = 350: a trailing digit right after a unit counts in the next lower place
        if last_unit >= 100 and not zero_seen:
            digit = digit * last_unit / 10
        small += digit
    return total + section + small


def parse_number(s: str) -> Decimal | None:
    """Any number NUMBER_RE matches → its value, or None."""
    s = re.sub(r"[ \t\u3000]", "", s).translate(FULLWIDTH)
    if not s:
        return None
    m = re.fullmatch(r"([0-9][0-9,]*(?:\.[0-9]+)?)([十百千万亿拾佰仟萬億]*)", s)
    if m:
        try:
            value = Decimal(m.group(1).replace(",", ""))
        except InvalidOperation:
            return None
        mult = m.group(2)
        if mult:
            # 3千万 = 3 × 1000 × 10000; 1.38亿 = 1.38 × 10^8
            for c in mult:
                value *= CN_SMALL_UNIT.get(c) or CN_BIG_UNIT[c]
        return value
    if "点" in s:
        whole, _, frac = s.partition("点")
        tail = frac.rstrip("".join(CN_BIG_UNIT))
        mult = frac[len(tail):]
        if not tail or not all(c in CN_DIGIT for c in tail):
            return None
        head = _parse_cn(whole) if whole else Decimal(0)
        if head is None:
            return None
        value = head + Decimal("0." + "".join(str(CN_DIGIT[c]) for c in tail))
        for c in mult:
            value *= CN_BIG_UNIT[c]
        return value
    return _parse_cn(s)
