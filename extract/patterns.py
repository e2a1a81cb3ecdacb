"""Regex fragments the stages share, each written once; a stage's own patterns stay in its module.

A space inside a line is an ASCII space, a tab or an ideographic space (U+3000, how Chinese documents
indent and spread out titles), never a newline: a pattern built on SP cannot run across lines.
"""

from __future__ import annotations

SPACE_CHARS = " \t\u3000"  # for str.strip and `in`
SP = r"[ \t\u3000]"  # one space inside a line
SPACES = SP + "*"  # any run of them, none too

# a year written in digits (1900-2099): not a four-digit count of things
YEAR = r"(?:19|20)[0-9]{2}"
# a written year and month (2020年8月, 2020 年 08 月): the year and the month as groups 1 and 2
YEAR_MONTH = rf"({YEAR}){SPACES}年{SPACES}([0-9]{{1,2}}){SPACES}月"

# the word between the two ends of a range (7—9月, 3日至11日, 1-5万元, 2023—2025年), longest first
RANGE_WORD = r"(?:至|到|--|——|－－|－|-|—|–|~|～)"

# a horizontal rule drawn with characters (━━━━, ————, ＝＝＝, ★★★): three or more of them
RULE_CHARS = r"━─—＝=_\-－~～*★☆"
RULE = rf"[{RULE_CHARS}]{{3,}}"

# a full date in digits (2020年9月5日), as an imprint or a print line writes it
DIGIT_DATE = r"[0-9０-９]{4}年[0-9０-９]{1,2}月[0-9０-９]{1,2}日"
# the same in digits or Chinese numerals (二〇二〇年九月五日), as a signature's date line writes it
_NUMERAL = "0-9０-９一二三四五六七八九十"
WRITTEN_DATE = rf"[{_NUMERAL}〇零]{{2,4}}年[{_NUMERAL}]{{1,2}}月[{_NUMERAL}]{{1,3}}日"
