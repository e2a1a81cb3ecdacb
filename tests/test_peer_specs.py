"""Peer specs: other projects' test cases for Chinese numbers, figures and dates, run through our recognizers.

The cases live in tests/data/peer-specs/ (Microsoft Recognizers-Text, MIT; JioNLP, Apache-2.0; see the
README and PROVENANCE there). Each file's pass rate is printed and held to a floor in tests/peer_floors.json:
the test fails when a rate drops below its floor. The rates, and the case families we leave out on
purpose, are in tests/PEER_SPECS.md. To list one file's failing cases:

    python tests/test_peer_specs.py Number_Chinese_NumberModel.json

A case passes when we find every expected entity, with the same span and value under the mapping below,
and nothing else of the same type. A case that expects nothing passes when we find nothing of that type.
Every case in a file counts, including the ones upstream marks NotSupported (they are printed apart).

Mapping of conventions (ours <-> theirs):

- Spans: Recognizers-Text (RT) model `End` is inclusive, parser `Length` is a length; ours are [start, end).
  Full-width or traditional characters count one character each, so spans line up even where RT's `Text`
  is normalised (`４，５６５` -> `4,565`). Values compare as decimals, to 1e-9 relative (RT rounds 1/3 to 15
  digits).
- Numbers (NumberModel): `extract.recognize.numbers.find_numbers(text, tokenize(text))`. RT reads `十多万`,
  `五百余万`, `二十几万` as the base value (100000, 5000000, 200000); our value is the same base with
  approx more_than, so values compare directly and approx is not checked.
- Percents (PercentModel): our figures with unit `%` or `个百分点`; RT `"90%"` <-> our value 90. RT has no
  ranges: where RT finds `20%` in `5-20%`, our range figure matches when RT's span is its tail and RT's
  value is our value_max.
- Currency (CurrencyModel) and Dimension (DimensionModel): our figures whose unit is of kind money /
  measure in extract/lexicons/zh/units.yaml, RT unit names mapped by RT_UNITS below (`Chinese yuan` <-> 元,
  `Kilogram` <-> 公斤, `Mu` <-> 亩, ...). Our figure text may start with an approximation marker RT leaves
  out (`近一吨` vs RT `一吨`): the spans then match when they end together and the extra head is a `before`
  marker of approx.yaml. Money we infer from context (`筹集经费172万`, unit_inferred) has no RT
  counterpart and is neither required nor counted as extra; an RT currency name without an amount
  (`人民币 美元`, value null) is no figure for us and is not required. RT's bare `$` (unit `Dollar`) is
  our 美元.
- Dates (DateParser): `find_dates(text, 0, len(text), Context(ref.year, ref.month, ref.day))` with the case's
  ReferenceDateTime. RT resolves an underspecified date twice, FutureResolution and PastResolution; we
  resolve a day without a month into the reference month and a month without a year to the year that
  puts it nearest the reference month. A case passes when our single-day date equals either resolution.
  RT's `0001-01-01` marks an impossible date (2月30日): the case passes when we find no date there.
- Date periods (DatePeriodParser): RT `endDate` is exclusive, ours inclusive (our end + 1 day == RT end).
  RT spans take a leading 从/在 that ours leave out. For a range `X到Y` RT's end is the start of Y
  (`一月十日到十二日` ends on the 12th, `2016年至2018年` on 2018-01-01), while we include Y whole; for a
  range either end is accepted.
- JioNLP money (money_cases): the one money figure we find in `input`. `case` is the currency (元, 美元,
  港元, ...); a scalar `num` is our value; a `[lo, hi]` num is our range (value, value_max), or, for
  JioNLP's expansion of 多/几 (`3000多` -> [3000, 4000]), our base value with approx more_than (or about,
  for `大约十多`). The
  `definition` is checked loosely: accurate <-> no approx, blur- <-> less_than, blur+ <-> more_than.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import sys
import time
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest

from extract import lexicons
from extract.recognize.dates import Context, find_dates
from extract.recognize.figures import find_figures
from extract.recognize.numbers import find_numbers
from extract.segment import tokenize

HERE = Path(__file__).parent
PEER = HERE / "data" / "peer-specs"
FLOORS = HERE / "peer_floors.json"

# Recognizers-Text unit names -> ours (the normalised `unit` of a figure).
RT_UNITS = {
    # currency
    "Chinese yuan": "元", "United States dollar": "美元", "Euro": "欧元", "Hong Kong dollar": "港元",
    "Japanese yen": "日元", "British pound": "英镑", "Swiss franc": "瑞士法郎", "New Taiwan dollar": "新台币",
    "Nigerian naira": "奈拉", "South Korean won": "韩元", "Australian dollar": "澳元", "Dollar": "美元",
    # dimension
    "Kilogram": "公斤", "Jin": "斤", "Gram": "克", "Microgram": "微克", "Ton": "吨", "Mu": "亩",
    "Meter": "米", "Centimeter": "厘米", "Kilometer": "公里", "Millimeter": "毫米", "Kilowatt": "千瓦",
    "Hectare": "公顷", "Square meter": "平方米", "Liter": "升", "Liang": "两",
}
# JioNLP currency names -> ours.
JIO_UNITS = {"元": "元", "港元": "港元", "美元": "美元", "日元": "日元", "欧元": "欧元", "新台币": "新台币",
             "泰铢": "泰铢", "卢布": "卢布", "澳元": "澳元", "韩元": "韩元"}


def _load(rel: str) -> list[dict]:
    with open(PEER / rel, encoding="utf-8-sig") as fh:
        return json.load(fh)


@lru_cache(maxsize=None)
def _tokens(text: str):
    return tokenize(text)


def _figures(text: str):
    return find_figures(text, 0, len(text), _tokens(text))


def _close(a, b) -> bool:
    a, b = Decimal(str(a)), Decimal(str(b))
    return abs(a - b) <= Decimal("1e-9") * max(Decimal(1), abs(b))


@lru_cache(maxsize=None)
def _unit_kinds() -> dict[str, str]:
    """Our normalised unit -> its kind (the first entry that normalises to it: 元 is money, % percent)."""
    kinds: dict[str, str] = {}
    for info in lexicons.units().units.values():
        kinds.setdefault(info.unit, info.kind)
    return kinds


def _before_markers() -> set[str]:
    return set(lexicons.approx_markers()["before"])


def _head_ok(text: str, ours: int, theirs: int) -> bool:
    """Our figure may start earlier than RT's by an approximation marker (近一吨 vs 一吨)."""
    if ours == theirs:
        return True
    return ours < theirs and text[ours:theirs].strip() in _before_markers()


def _not_supported(case: dict) -> bool:
    return "python" in (case.get("NotSupported") or "").lower()


# one runner per file: case -> (passed, what we found) ----------------------------------------------

def run_number(case: dict):
    text = case["Input"]
    ours = find_numbers(text, _tokens(text))
    found = [(n.start, n.end, n.value) for n in ours]
    want = [(r["Start"], r["End"] + 1, r["Resolution"]["value"] if r.get("Resolution") else None) for r in case["Results"]]
    if len(found) != len(want):
        return False, found
    for (a, b, v), (wa, wb, wv) in zip(sorted(found, key=lambda x: x[:2]), sorted(want, key=lambda x: x[:2])):
        if (a, b) != (wa, wb):
            return False, found
        if not case.get("IgnoreResolution") and not _close(v, wv):
            return False, found
    return True, found


def run_percent(case: dict):
    text = case["Input"]
    ours = [f for f in _figures(text) if f.unit in ("%", "个百分点")]
    found = [(f.text, f.span, f.value, f.value_max) for f in ours]
    want = case["Results"]
    if len(ours) != len(want):
        return False, found
    left = list(ours)
    for r in want:
        wa, wb = r["Start"], r["End"] + 1
        wv = r["Resolution"]["value"].rstrip("%")
        hit = None
        for f in left:
            a, b = f.span
            if (a, b) == (wa, wb) and _close(f.value, wv):
                hit = f
            elif f.value_max is not None and b == wb and a < wa and _close(f.value_max, wv):
                hit = f  # RT takes the upper end of a range
            if hit:
                break
        if hit is None:
            return False, found
        left.remove(hit)
    return True, found


def _run_unit_model(case: dict, kind: str):
    text = case["Input"]
    kinds = _unit_kinds()
    ours = [f for f in _figures(text) if kinds.get(f.unit) == kind and not f.unit_inferred]
    found = [(f.text, f.span, f.value, f.unit) for f in ours]
    # a currency name without an amount (人民币 美元) is no figure for us: not required
    want = [r for r in case["Results"] if (r.get("Resolution") or {}).get("value") is not None]
    if len(ours) != len(want):
        return False, found
    left = list(ours)
    for r in want:
        res = r["Resolution"]
        wa, wb = r["Start"], r["End"] + 1
        unit = RT_UNITS.get(res.get("unit"))
        hit = next((f for f in left if f.span[1] == wb and _head_ok(text, f.span[0], wa)
                    and f.unit == unit and _close(f.value, res["value"])), None)
        if hit is None:
            return False, found
        left.remove(hit)
    return True, found


def run_currency(case: dict):
    return _run_unit_model(case, "money")


def run_dimension(case: dict):
    return _run_unit_model(case, "measure")


def _ref(case: dict) -> dt.datetime:
    return dt.datetime.fromisoformat(case["Context"]["ReferenceDateTime"])


def run_date(case: dict):
    text = case["Input"]
    ref = _ref(case)
    ours = find_dates(text, 0, len(text), Context(ref.year, ref.month, ref.day))
    found = [(d.text, d.span, str(d.start), str(d.end)) for d in ours]
    want = case["Results"]
    if len(want) != 1:
        return False, found
    r = want[0]
    span = (r["Start"], r["Start"] + r["Length"])
    value = r["Value"]
    dates = {(value.get("FutureResolution") or {}).get("date"), (value.get("PastResolution") or {}).get("date")} - {None}
    if dates == {"0001-01-01"}:
        return not any(d.span[0] < span[1] and span[0] < d.span[1] for d in ours), found
    if len(ours) != 1:
        return False, found
    d = ours[0]
    return d.span == span and d.start == d.end and str(d.start) in dates, found


def run_date_period(case: dict):
    text = case["Input"]
    ref = _ref(case)
    ours = find_dates(text, 0, len(text), Context(ref.year, ref.month, ref.day))
    found = [(d.text, d.span, str(d.start), str(d.end)) for d in ours]
    want = case["Results"]
    if len(want) != 1 or len(ours) != 1:
        return False, found
    r, d = want[0], ours[0]
    a, b = r["Start"], r["Start"] + r["Length"]
    while a < b and text[a] in "从在":
        a += 1
    if d.span != (a, b):
        return False, found
    value = r["Value"]
    ok = False
    for res in (value.get("FutureResolution"), value.get("PastResolution")):
        if not res or "startDate" not in res:
            continue
        start, end = dt.date.fromisoformat(res["startDate"]), dt.date.fromisoformat(res["endDate"])
        ends = {d.end + dt.timedelta(days=1)}
        if _RANGE_WORD.search(d.text):
            # RT ends 一月十日到十二日 on the 12th and 2016年至2018年 on 2018-01-01: at the start of the last part
            ends.add({"year": dt.date(d.end.year, 1, 1), "month": d.end.replace(day=1)}.get(d.granularity, d.end))
        ok = ok or (d.start == start and end in ends)
    return ok, found


def run_jio_money(case: dict):
    text = case["input"]
    kinds = _unit_kinds()
    ours = [f for f in _figures(text) if kinds.get(f.unit) == "money"]
    found = [(f.text, f.value, f.value_max, f.unit, f.approx) for f in ours]
    if len(ours) != 1:
        return False, found
    f = ours[0]
    exp = case["expected"]
    if f.unit != JIO_UNITS.get(exp["case"]):
        return False, found
    num, definition = exp["num"], exp["definition"]
    if isinstance(num, list):
        lo, hi = num
        if f.value_max is not None:
            ok = _close(f.value, lo) and _close(f.value_max, hi)
        else:
            ok = _close(f.value, lo) and f.approx in ("more_than", "about")  # 3000多, 大约十多
    else:
        ok = f.value_max is None and _close(f.value, num)
        want_approx = {"accurate": {None}, "blur-": {"less_than"}, "blur+": {"more_than"},
                       "blur": {"about", "more_than", "less_than"}}[definition]
        ok = ok and f.approx in want_approx
    return ok, found


_RANGE_WORD = re.compile(r"至|到|[-－—~～]")
RT = "recognizers-text/"
SUITES = {
    "Number_Chinese_NumberModel.json": (RT + "Number_Chinese_NumberModel.json", run_number),
    "Number_Chinese_PercentModel.json": (RT + "Number_Chinese_PercentModel.json", run_percent),
    "NumberWithUnit_Chinese_CurrencyModel.json": (RT + "NumberWithUnit_Chinese_CurrencyModel.json", run_currency),
    "NumberWithUnit_Chinese_DimensionModel.json": (RT + "NumberWithUnit_Chinese_DimensionModel.json", run_dimension),
    "DateTime_Chinese_DateParser.json": (RT + "DateTime_Chinese_DateParser.json", run_date),
    "DateTime_Chinese_DatePeriodParser.json": (RT + "DateTime_Chinese_DatePeriodParser.json", run_date_period),
    "jionlp/money_cases.json": ("jionlp/money_cases.json", run_jio_money),
}


@lru_cache(maxsize=None)
def measure(name: str):
    """(passed, total, passed among upstream-NotSupported, NotSupported total, failures)."""
    rel, runner = SUITES[name]
    passed = ns_passed = ns_total = 0
    failures = []
    cases = _load(rel)
    for case in cases:
        ok, found = runner(case)
        ns = _not_supported(case)
        ns_total += ns
        if ok:
            passed += 1
            ns_passed += ns
        else:
            failures.append((case, found))
    return passed, len(cases), ns_passed, ns_total, failures


def _floors() -> dict[str, float]:
    return json.loads(FLOORS.read_text(encoding="utf-8"))["floors"]


@pytest.mark.parametrize("name", list(SUITES))
def test_peer_pass_rate_floor(name, capsys):
    t0 = time.perf_counter()
    passed, total, ns_passed, ns_total, _ = measure(name)
    rate = passed / total
    floor = _floors()[name]
    with capsys.disabled():
        print(f"\npeer-specs {name}: {passed}/{total} = {rate:.1%} (floor {floor:.1%}; "
              f"upstream NotSupported for python: {ns_passed}/{ns_total} pass) [{time.perf_counter() - t0:.1f}s]")
    assert rate + 1e-12 >= floor, f"{name}: pass rate {rate:.1%} fell below the floor {floor:.1%}"


def test_peer_floors_cover_every_suite():
    assert set(_floors()) == set(SUITES)


if __name__ == "__main__":
    names = sys.argv[1:] or list(SUITES)
    for name in names:
        passed, total, ns_passed, ns_total, failures = measure(name)
        print(f"== {name}: {passed}/{total} = {passed / total:.1%}")
        if len(names) == 1:
            for case, found in failures:
                inp = case.get("Input", case.get("input"))
                exp = case.get("Results", case.get("expected"))
                if isinstance(exp, list):
                    exp = [(r.get("Text"), (r.get("Resolution") or r.get("Value"))) for r in exp]
                ns = " [NS]" if _not_supported(case) else ""
                print(f"  {inp!r}{ns}\n    want {exp}\n    got  {found}")
