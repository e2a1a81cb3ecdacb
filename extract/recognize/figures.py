"""Figures: a number with its unit, multiplier, approximation markers and range, e.g. `5 万多人`,
`60余万件`, `约 380 万元`, `80%以上`, `3至5天`, `百分之十五`, `千分之三`, `负3.9%`, `八折`, `三斤半`;
a bare `172 万` after a money word is 元. Traditional and full-width forms (萬, 個百分點, ４５％) read
like their simplified, half-width twins; a unit may be spaced out (`个 百 分 点`).

Not figures: ordinals (第三, 首届), years (2020年: a date), numbers without a unit, numbers in URLs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import cast

from ..patterns import RANGE_WORD, SP, SPACES, SPACE_CHARS
from .. import lexicons
from ..lexicons import UnitInfo
from ..models import Approx, Figure
from ..segment import word_freq, Tokens
from ..spans import SpanSet
from .numbers import (
    CN_BIG_UNIT,
    CN_DIGIT,
    CN_SMALL_UNIT,
    CN_TENS,
    DIGITS,
    FOLD,
    FULLWIDTH,
    NUMBER,
    parse_number,
    to_number,
)

# Not inside another number or after 第. An Arabic number may follow any Han character (队伍3支: 伍 is a
# numeral only inside a Chinese numeral); a Chinese numeral may not follow another numeral character.
_BEFORE_NUMBER = (
    r"(?:(?=[0-9０-９])(?<![第0-9０-９.．A-Za-z%])"
    r"|(?![0-9０-９])(?<![第0-9０-９.．零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億几兆A-Za-z%]))"
    r"(?<![0-9０-９零〇一二两三四五六七八九][ \t])"
)  # 7 2 折: spaced-out digits are not two numbers
# A sign: 负, or a minus that does not follow a number (20-30人 is a range, 027-8456 a phone number).
# A minus after a word is a sign too: 增速为-3.2%, 同比下降-1.5%.
_SIGN = r"(?P<neg>(?<!正)负|(?<![0-9０-９A-Za-z.．_\-－−/])[-－−])"
# A unit ending in a Latin letter (cm, kg) may not run on into a word (5 cms is not 5 cm).
_UNIT_END = r"(?![A-Za-z](?<=[A-Za-z]{2}))"
# 折 in 折合/折算/折旧 is a verb, not a discount.
_NOT_VERB = r"(?!(?<=折)[合算旧扣价])"
_URL = re.compile(r"(?:https?://|www\.)[!-~]+")
# X分之Y with X a power of ten is a rate: 百分之五 = 5%, 千分之三 = 0.3%, 万分之二 = 0.02%.
_PER = {
    "百": Decimal(1),
    "千": Decimal("0.1"),
    "万": Decimal("0.01"),
    "十万": Decimal("0.001"),
    "百万": Decimal("0.0001"),
    "千万": Decimal("0.00001"),
    "万万": Decimal("0.000001"),
    "亿": Decimal("0.000001"),
    "百万万": Decimal("0.00000001"),
}


def _spaced(word: str) -> str:
    """A word whose characters may be spaced out: 个 百 分 点."""
    return SPACES.join(re.escape(c) for c in word)


def _spaced_alternation(words) -> str:
    return "|".join(_spaced(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


_CN_NUMERAL_CHARS = "".join(CN_DIGIT) + "".join(CN_SMALL_UNIT) + "".join(CN_BIG_UNIT) + "".join(CN_TENS) + "几幾"
_YEAR_LIKE = re.compile(r"(?:1[89]|20)[0-9]{2}|[一二〇零○][〇零○一二三四五六七八九]{3}")


@lru_cache(maxsize=1)
def figure_re() -> re.Pattern:
    """A figure: a number (or a range) with, each optional, an approximation marker, a currency, a multiplier
    (万, 亿), a unit and a marker after it (`约 5 万多人`, `80%以上`); built once from the lexicons."""
    approx = lexicons.approx_markers()
    before = lexicons.alternation(approx["before"])
    inside = lexicons.alternation(approx["inside"])
    after = lexicons.alternation(approx["after"])
    units = _spaced_alternation(lexicons.units().units)
    mult = r"[万亿萬億]"
    # every figure starts with a marker, a currency, a sign or a numeral: a class of those first
    # characters lets the scan skip all other positions at C speed
    firsts = {w[0] for w in list(approx["before"]) + _currency_prefixes()} | set("负-－0123456789０１２３４５６７８９")
    firsts |= set(_CN_NUMERAL_CHARS)
    first_class = "[" + "".join(re.escape(c) for c in sorted(firsts)) + "]"
    return re.compile(
        rf"(?={first_class})"
        rf"(?:(?P<pre>{before}){SPACES})?"
        rf"(?:(?P<cur>{lexicons.alternation(_currency_prefixes())}){SPACES})?"
        rf"{_SIGN}?{_BEFORE_NUMBER}(?P<num>{NUMBER})"
        rf"(?:{SPACES}(?:%|％)?{SPACES}{RANGE_WORD}{SPACES}(?P<num2>{NUMBER}))?"
        rf"(?:{SPACES}(?P<mid>{inside}))?"
        rf"(?:{SPACES}(?P<mult>{mult}+))?"
        rf"(?:{SPACES}(?P<mid2>{inside}))?"
        rf"(?:{SPACES}(?P<unit>{units}){_UNIT_END}{_NOT_VERB}(?P<half>半)?)?"
        rf"(?P<post>{after})?"
    )


def _currency_prefixes() -> list[str]:
    """Currency names that may stand before an amount (人民币500万元, 港币两千元, ￥300): the money units
    that are not a multiplied or generic 元."""
    return [w for w, info in lexicons.units().units.items() if info.kind == "money" and w[0] not in "万亿千百元圆块"]


@lru_cache(maxsize=1)
def _minor_re() -> re.Pattern:
    """A smaller coin after an amount: 50元6角3分, 五元三毛, 两美元又三美分."""
    minor = [w for w, info in lexicons.units().units.items() if info.kind == "money_minor"]
    return re.compile(rf"{SPACES}(?:又{SPACES})?(?P<n>{NUMBER}){SPACES}(?P<u>{lexicons.alternation(minor)})(?![钟之])")


@lru_cache(maxsize=1)
def percent_re() -> re.Pattern:
    """A fraction written out (`百分之八十`, `千分之三`), perhaps after an approximation marker."""
    per = "|".join(
        SPACES.join({"百": "[百佰]", "千": "[千仟]"}.get(c, c) for c in w) for w in sorted(_PER, key=len, reverse=True)
    )
    return re.compile(
        rf"(?:(?P<pre>{lexicons.alternation(lexicons.approx_markers()['before'])}){SPACES})?"
        rf"(?<![{''.join(CN_DIGIT)}十拾0-9])(?P<per>{per}){SPACES}分{SPACES}之{SPACES}{_SIGN}?(?P<num>{NUMBER})"
    )


@lru_cache(maxsize=1)
def _money_words_re() -> re.Pattern:
    return re.compile(lexicons.alternation(lexicons.money_context()["words"]))


MAX_DIGITS = 15  # beyond this a float loses digits and JSON readers refuse the integer

_CLAUSE_BREAK = re.compile(r"[。；！？\n]")

_HALVES = ("measure", "percent", "duration", "discount")  # kinds where 半 after the unit adds a half


def _discount(num: str) -> Decimal | None:
    """折 counts tenths: 八折 = 80%, 8.5折 = 85%; two digits read as a pair: 75折, 三八折 = 75%, 38%.
    The value returned is in tenths (the lexicon's factor 10 makes it a percent)."""
    s = re.sub(SP, "", num).translate(FOLD).translate(FULLWIDTH)
    if re.fullmatch(r"[0-9]{2}", s):
        return Decimal(s) / 10
    if len(s) == 2 and all(CN_DIGIT.get(c) and c not in "两" for c in s):
        return Decimal(f"{CN_DIGIT[s[0]]}.{CN_DIGIT[s[1]]}")
    value = parse_number(num)
    return value if value is not None and 0 < value < 10 else None


_CN_NONZERO = {c: v for c, v in CN_DIGIT.items() if v}


def _digit_pair(num: str) -> tuple[Decimal | None, Decimal | None]:
    """三四百 → (300, 400), 十七八 → (17, 18), 一两 → (1, 2): two neighbouring Chinese digits, one apart."""
    s = num.replace(" ", "").translate(FOLD)
    pairs = [i for i in range(len(s) - 1) if s[i] in _CN_NONZERO and s[i + 1] in _CN_NONZERO]
    if len(pairs) != 1 or s[pairs[0]] in "两":
        return None, None
    i = pairs[0]
    if _CN_NONZERO[s[i + 1]] != _CN_NONZERO[s[i]] + 1:
        return None, None
    lo, hi = parse_number(s[: i + 1] + s[i + 2 :]), parse_number(s[:i] + s[i + 1 :])
    if lo is None or hi is None or not lo < hi:
        return None, None
    return lo, hi


_UNIT_CHARS = "十百千万亿拾佰仟萬億"


def _shared_multiplier(num: str, num2: str) -> Decimal:
    """What the end of a range multiplies the start by when the start has no multiplier of its own:
    a single digit takes all the units after the last digit of the end (两到三千万 → 两千万, 5-10万 → 5万),
    a longer number only 万/亿 (十八至三十万 → 十八万, 100-150万 → 100万)."""
    s, s2 = num.replace(" ", "").translate(FOLD), num2.replace(" ", "").translate(FOLD)
    if any(c in "万亿" for c in s):
        return Decimal(1)
    tail = s2[len(s2.rstrip(_UNIT_CHARS)) :]
    if len(s2) == len(tail):
        return Decimal(1)
    if not (len(s) == 1 and (s in _CN_NONZERO or s.isdigit())):
        tail = "".join(c for c in tail if c in "万亿萬億")
    mult = Decimal(1)
    for c in tail:
        mult *= CN_SMALL_UNIT.get(c) or CN_BIG_UNIT[c]
    return mult


def _unit_runs_on(tokens: Tokens | None, na: int, unit_end: int) -> bool:
    """Whether the word that holds the end of the figure goes on past it (一成不变, 五台山)."""
    if tokens is None:
        return False
    pos = na
    while pos < unit_end:
        tok = tokens.token_at(pos)
        if not tok:
            pos += 1
            continue
        if pos + len(tok) > unit_end:
            return True
        pos += len(tok)
    return False


def _add_minor(region: str, start: int, b: int, unit: str, value: Decimal) -> tuple[int, Decimal]:
    """Add the coins written after a whole amount (50元6角3分 = 50.63元); each must be less than one unit."""
    units = lexicons.units().units
    for _ in range(2):
        m = _minor_re().match(region, b - start)
        if m is None:
            break
        info = units[m.group("u")]
        n = parse_number(m.group("n"))
        if n is None or info.unit != unit:
            break
        add = n * Decimal(str(info.factor))
        if not 0 < add < 1:
            break
        value += add
        b = start + m.end()
    return b, value


def _approx(kind: str, marker: str | None) -> Approx | None:
    """What the marker says of the figure's precision (approx.yaml), None for a marker that says nothing."""
    if not marker:
        return None
    # tests/test_lexicons.py holds every value of approx.yaml to the Approx literal
    return cast(Approx | None, lexicons.approx_markers()[kind].get(marker))


def _scale(value: Decimal, mult: str | None) -> Decimal:
    for c in mult or "":
        value *= CN_BIG_UNIT.get(c) or CN_SMALL_UNIT[c]
    return value


def _money_context(text: str, start: int) -> bool:
    window = lexicons.money_context()["window"]
    left = text[max(0, start - window) : start]
    brk = list(_CLAUSE_BREAK.finditer(left))
    if brk:
        left = left[brk[-1].end() :]
    return bool(_money_words_re().search(left))


DURATION_ONLY_AFTER = ("内",)  # 48小时内, 10个工作日内: within a time
MARKER_WORD_FREQ = 50  # 节约 (883) is a word; 灯具约 cut as 具约 (0) is jieba's guess, and 约 the marker


def _marker_inside_word(tokens: Tokens, at: int) -> bool:
    """The approximation marker at `at` ends a dictionary word that began before it (节约, 大约 is whole)."""
    if tokens.is_boundary(at):
        return False
    for back in range(1, 4):
        word = tokens.token_at(at - back)
        if word and len(word) > back:
            return word_freq()(word) >= MARKER_WORD_FREQ
    return True


def _noun_after(text: str, end: int, tokens: Tokens | None) -> str | None:
    if tokens is None:
        return None
    tok = tokens.token_at(end)
    if tok and len(tok) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in tok):
        return tok
    return None


_TIME_UNITS_OF_ONE = ("duration",)  # 一周, 一年: "a week", "a year", not a measured duration


def _names_not_counts(region: str, m: re.Match, stripped: str, info: UnitInfo | None, start: int) -> bool:
    """A numeral with a counter that names or numbers something instead of counting it:
    - an ordinal counter (十九届), and the 次 after one (四届三次全委会);
    - 二 alone before a counter (二期工程, 二号楼): a count says 两;
    - 一 with a unit in a pattern 一X一Y (一周一检, 一户一策, 一村一品);
    - 一 with a unit of time (为期一周, 一年来);
    - a phase: 一期项目, 三期工程;
    - a numeral word in the names lexicon (两节, 三农)."""
    if info is None:
        return False
    at = m.start("num")
    if info.kind == "ordinal":
        return True
    if info.unit == "次" and at > 0 and region[at - 1] in _ordinal_counters():
        return True
    if stripped == "二" and info.kind == "counter":
        return True
    if stripped == "一" and not m.group("mult"):
        if (
            region.startswith("一", m.end())
            and m.end() + 1 < len(region)
            and "\u4e00" <= region[m.end() + 1] <= "\u9fff"
        ):
            return True
        if info.kind in _TIME_UNITS_OF_ONE:
            return True
    phase_words = lexicons.phase_words().get(info.unit)
    if phase_words and region.startswith(tuple(phase_words), m.end()):
        return True
    word = re.sub(SP, "", region[at : m.end()])
    return any(region.startswith(name, at) or word == name for name in lexicons.numeral_names())


@lru_cache(maxsize=1)
def _ordinal_counters() -> str:
    return "".join(w for w, info in lexicons.units().units.items() if info.kind == "ordinal" and len(w) == 1)


def find_figures(
    text: str, start: int, end: int, tokens: Tokens | None = None, skip: Sequence[tuple[int, int]] = ()
) -> list[Figure]:
    """Figures in text[start:end], with spans into `text`. `skip` spans (dates, task fields) are left out."""
    region = text[start:end].translate(FOLD)  # one character for one: offsets hold
    taken = SpanSet(skip)
    for u in _URL.finditer(region):
        taken.add(start + u.start(), start + u.end())
    out = _percent_figures(text, region, start, taken)
    for m in figure_re().finditer(region):
        figure = _figure(_Candidate.of(m, text, region, start, tokens), taken)
        if figure is not None:
            out.append(figure)
            taken.add(*figure.span)
    out.sort(key=lambda f: f.span)
    return _join_ranges(text, out)


def _percent_figures(text: str, region: str, start: int, taken: SpanSet) -> list[Figure]:
    """百分之三十, 5%, 千分之二: percentages, each added to `taken`."""
    out = []
    for m in percent_re().finditer(region):
        num = m.group("num")
        value = parse_number(num)
        while value is None and len(num) > 1 and num[-1] in "十百千万亿":
            num = num[:-1].rstrip(SPACE_CHARS)  # 百分之七十百分位: the numeral stops before 百分位
            value = parse_number(num)
        a, b = start + m.start(), start + m.start("num") + len(num)
        if value is None or taken.overlaps(a, b):
            continue
        value *= _PER[re.sub(SP, "", m.group("per")).replace("佰", "百").replace("仟", "千")]
        if m.group("neg"):
            value = -value
        if m.group("pre") and _approx("before", m.group("pre")) is None:
            a = start + m.start("per")
        out.append(
            Figure(
                text=text[a:b], value=to_number(value), unit="%", approx=_approx("before", m.group("pre")), span=(a, b)
            )
        )
        taken.add(a, b)
    return out


@dataclass
class _Candidate:
    """A match of the figure pattern on its way to a Figure: each step of _figure reads or narrows it."""

    m: re.Match
    text: str
    region: str  # text[start:end], folded to one form per character (FOLD)
    start: int  # the region's offset in the text
    tokens: Tokens | None
    a: int  # the figure's span in the text, as the steps narrow it
    b: int
    unit_written: str | None
    pre: str | None  # the approximation marker or verb before (约, 近, 达到)
    post: str | None  # the marker after (余, 多, 左右, 内)
    info: UnitInfo | None = None
    value: Decimal | None = None
    pair_max: Decimal | None = None  # 三四百人: the second of two neighbouring digits

    @property
    def amount(self) -> Decimal:
        """The value read: the steps after _read_value (which stops a candidate without one) rely on it."""
        if self.value is None:
            raise ValueError("no value read")
        return self.value

    @classmethod
    def of(cls, m: re.Match, text: str, region: str, start: int, tokens: Tokens | None) -> _Candidate:
        unit = re.sub(SP, "", m.group("unit")) if m.group("unit") else None
        return cls(
            m, text, region, start, tokens, start + m.start(), start + m.end(), unit, m.group("pre"), m.group("post")
        )

    @property
    def stripped(self) -> str:
        return self.m.group("num").strip()

    @property
    def number_start(self) -> int:
        return self.start + self.m.start("num")

    def start_without_marker(self) -> int:
        """Where the figure starts without what stands before its currency, sign or number."""
        return self.start + min(self.m.start(g) for g in ("cur", "neg", "num") if self.m.group(g) is not None)

    def end_of_amount(self) -> int:
        """Where an amount without its unit ends: after the number, its multiplier and inner markers
        (人民币500万, 500多万: the match ran on past them)."""
        m = self.m
        return self.start + max(m.end(g) if m.group(g) else -1 for g in ("num", "mult", "mid", "mid2"))


def _figure(c: _Candidate, taken: SpanSet) -> Figure | None:
    if taken.overlaps(c.a, c.b) or sum(ch.isdigit() for ch in c.m.group("num")) > MAX_DIGITS:
        return None  # a digit run this long is an identifier or noise, not a quantity
    if not all(step(c) for step in _FIGURE_STEPS):
        return None
    return _finished(c)


def _read_value(c: _Candidate) -> bool:
    """The number (a discount as its factor; 三四百: two neighbouring digits as a range), scaled by its
    multiplier."""
    c.info = lexicons.units().units.get(c.unit_written) if c.unit_written else None
    c.value = _discount(c.stripped) if c.info and c.info.kind == "discount" else parse_number(c.m.group("num"))
    if c.value is None and not c.m.group("num2"):
        c.value, c.pair_max = _digit_pair(c.stripped)  # 三四百人, 八九亿元: a range in two neighbouring digits
    if c.value is None:
        return False
    c.value = _scale(c.value, c.m.group("mult"))
    return True


def _drop_misread_markers(c: _Candidate) -> bool:
    """Markers that are not about this figure: 内 after a place (全省10个市内: "within" only after a
    time), and a marker that ends another word (节约48.7万吨)."""
    if c.post in DURATION_ONLY_AFTER and (c.info is None or c.info.kind != "duration"):
        c.b, c.post = c.b - len(c.post), None
    if c.pre and c.tokens is not None and _marker_inside_word(c.tokens, c.a):
        c.pre, c.a = None, c.start_without_marker()
    return True


def _is_a_count(c: _Candidate) -> bool:
    return not _names_not_counts(c.region, c.m, c.stripped, c.info, c.start)


def _counts_as_numeral(c: _Candidate) -> bool:
    """A Chinese numeral counts only where it stands as a number: not 千方百计, 统一, 第三方, 一个 (an
    article), 一成不变, 五台山."""
    tokens = c.tokens
    if re.match(r"[0-9０-９]", c.stripped):
        return True
    if set(c.stripped) <= set("百千万亿") and not c.pre:
        return False  # 千方百计, 万众一心
    na = c.number_start
    if tokens is not None and not tokens.is_boundary(na) and not (c.pre and tokens.is_boundary(c.a)):
        return False  # the numeral is inside a word: 统一, 第三方, 唯一
    if c.stripped == "一" and c.unit_written in lexicons.article_one_counters() and not c.m.group("mult"):
        return False
    return not (c.unit_written and _unit_runs_on(tokens, na, c.start + c.m.end()))  # 一成不变, 五台山


def _read_half(c: _Candidate) -> bool:
    """半 after the unit: a half more (三斤半, 一年半), or the start of what follows (两个半月)."""
    if c.m.group("half"):
        if c.info and c.info.kind in _HALVES:
            c.value = c.amount + Decimal("0.5")
        else:
            c.b, c.post = c.start + c.m.start("half"), None
    return True


def _not_a_year_or_minor_unit(c: _Candidate) -> bool:
    m = c.m
    if (
        c.unit_written == "年"
        and not m.group("num2")
        and not m.group("mult")
        and _YEAR_LIKE.fullmatch(c.stripped.translate(DIGITS))
    ):
        return False  # a year is a date
    return not (c.info is not None and c.info.kind == "money_minor")  # 角, 分 only count after a whole amount


def _read_currency(c: _Candidate) -> bool:
    """A currency named first (人民币500万, 港币两千九百六十元) decides the unit; before a unit that is no
    money (人民币 5人) it is not part of the figure."""
    m = c.m
    cur = lexicons.units().units[m.group("cur")] if m.group("cur") else None
    if cur is not None and c.info is not None and c.info.kind != "money":
        cur, c.a = None, c.start + (m.start("neg") if m.group("neg") else m.start("num"))
    if cur is not None and (c.info is None or c.info.unit == "元"):
        if c.info is None:  # the amount ends at its multiplier
            c.b, c.post = c.end_of_amount(), None
        c.info = UnitInfo(unit=cur.unit, factor=c.info.factor if c.info else 1, kind="money")
    return True


def _unit_or_money(c: _Candidate) -> bool:
    """A figure needs a unit, or a multiplier in a money context (投入资金500万: 元 understood)."""
    if c.info is not None:
        return True
    has_mult = c.m.group("mult") or re.search(r"[万亿萬億]", c.m.group("num"))
    return bool(has_mult and _money_context(c.text, c.a))


# the steps from a match to a figure, in order; each narrows the candidate, or says False: no figure
_FIGURE_STEPS = (
    _read_value,
    _drop_misread_markers,
    _is_a_count,
    _counts_as_numeral,
    _read_half,
    _not_a_year_or_minor_unit,
    _read_currency,
    _unit_or_money,
)


def _finished(c: _Candidate) -> Figure | None:
    """The figure: its unit's factor applied, a range's second end, its approximation, minor units
    (5元3角), and its text without markers that say nothing about precision."""
    m, info = c.m, c.info
    factor = info.factor if info else 1
    value = c.amount * factor
    if m.group("neg"):
        value = -value
    value_max = _scale(c.pair_max, m.group("mult")) * factor if c.pair_max is not None else None
    if m.group("num2"):
        low, value_max = _range(c, value, factor)
        if low is None:
            return None
        value = low
    markers = _approx("before", c.pre) or _approx("inside", m.group("mid")) or _approx("inside", m.group("mid2"))
    approx = markers or _approx("after", c.post)
    unit, b = (info.unit, c.b) if info else ("元", c.end_of_amount())  # a unit-less money figure: cut after its markers
    if info is None:
        approx = markers
    if info is not None and info.kind == "money" and value_max is None and c.post is None:
        b, value = _add_minor(c.region, c.start, b, unit, value)
    a = c.start_without_marker() if c.pre and _approx("before", c.pre) is None else c.a  # 达到/高达: not part of it
    return Figure(
        text=c.text[a:b],
        value=to_number(value),
        value_max=to_number(value_max) if value_max is not None else None,
        unit=unit,
        unit_inferred=info is None,
        approx=approx,
        noun=_noun_after(c.text, b, c.tokens),
        span=(a, b),
    )


def _range(c: _Candidate, value: Decimal, factor: int) -> tuple[Decimal | None, Decimal | None]:
    """1-5万元, 两到三千万: (low, high), the multiplier written once counting for both ends; None for 2-1."""
    v2 = parse_number(c.m.group("num2"))
    if v2 is None:
        return None, None
    v2 = _scale(v2, c.m.group("mult")) * factor
    shared = _shared_multiplier(c.stripped, c.m.group("num2"))
    if shared != 1 and value * shared <= v2:
        value *= shared
    return (value, v2) if v2 >= value else (None, None)


_BETWEEN = re.compile(rf"{SPACES}{RANGE_WORD}{SPACES}")


def _join_ranges(text: str, figures: list[Figure]) -> list[Figure]:
    """1万元至5万元: two figures in one unit, joined by a range word, are one range."""
    out: list[Figure] = []
    for f in figures:
        p = out[-1] if out else None
        if (
            p is not None
            and p.unit == f.unit
            and p.value_max is None
            and f.value_max is None
            and p.approx is None
            and f.approx is None
            and not p.unit_inferred
            and not f.unit_inferred
            and p.value < f.value
            and _BETWEEN.fullmatch(text, p.span[1], f.span[0])
        ):
            out[-1] = p.model_copy(
                update={
                    "text": text[p.span[0] : f.span[1]],
                    "value_max": f.value,
                    "span": (p.span[0], f.span[1]),
                    "noun": f.noun,
                }
            )
            continue
        out.append(f)
    return out
