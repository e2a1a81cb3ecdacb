"""Traditional characters: a simplified reading of the same length for the recognizers.

The structure and recognition rules are written for simplified text. A document in traditional
characters (城市廣場管理處…工作總結) is read on a simplified reading made with OpenCC's `t2s`
conversion; the output keeps the document's own text, and every span indexes both, because the reading
has the same length: a phrase conversion that would change a length falls back to converting that
line character by character, and a character whose conversion is not one character stays as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

_HAN = re.compile(r"[\u4e00-\u9fff]")
TRADITIONAL_SHARE = 0.02  # of the Han characters: simplified text has (almost) none that t2s changes
TRADITIONAL_MIN = 5  # a handful of 於/裡 in simplified text is no traditional document


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def simplified_reading(text: str) -> str | None:
    """The text read in simplified characters, the same length as `text`; None when the text is not
    traditional."""
    reading = _converter().convert(text)
    if reading == text:
        return None  # the common case, simplified text: one conversion, no count
    if len(reading) != len(text):
        reading = "\n".join(_convert_line(line) for line in text.split("\n"))
    changed = sum(1 for a, b in zip(text, reading) if a != b)
    if changed < TRADITIONAL_MIN or changed < TRADITIONAL_SHARE * len(_HAN.findall(text)):
        return None
    return reading


def _convert_line(line: str) -> str:
    converted = _converter().convert(line)
    if len(converted) == len(line):
        return converted
    return "".join(c2 if len(c2 := _converter().convert(c)) == 1 else c for c in line)


# Fields that hold a normalized value, not the document's words: they stay as recognized.
_NORMALIZED = frozenset(
    {
        "unit",
        "noun",
        "kind",
        "role",
        "approx",
        "granularity",
        "period",
        "period_end",
        "code",
        "message",
        "schema_version",
        "path",
        "sha256",
        "format",
        "encoding",
        "box_unit",
        "ocr_engine",
        "script",
        "genre",
        "reference_period",
        "removed",
        "inserted",
    }
)


def as_written(bulletin, shown: str):
    """The bulletin recognized on a simplified reading, with every text shown as the document writes it:
    an item's text is `shown[span]`, and any other word (a title, a name, a label) is the same stretch of
    `shown` as it was of the reading, looked up within the item's span."""
    reading = bulletin.text
    data = _restore(bulletin.model_dump(mode="python"), reading, shown, 0, len(shown))
    data["text"] = shown
    return type(bulletin).model_validate(data)


def _restore(value, reading: str, shown: str, lo: int, hi: int):
    if isinstance(value, dict):
        span = value.get("span")
        if span is not None and isinstance(value.get("text"), str):
            lo, hi = span
        out = {}
        for key, v in value.items():
            if key in _NORMALIZED or key == "repairs" or key == "warnings":
                out[key] = v
            elif key == "text" and span is not None and isinstance(v, str):
                out[key] = shown[span[0] : span[1]]
            else:
                out[key] = _restore(v, reading, shown, lo, hi)
        return out
    if isinstance(value, list):
        return [_restore(v, reading, shown, lo, hi) for v in value]
    if isinstance(value, str) and value:
        at = reading.find(value, lo, hi)
        if at < 0:
            at = reading.find(value)
        return shown[at : at + len(value)] if at >= 0 else value
    return value


def repaired_as_written(source: str, repairs: list):
    """The source repaired as its simplified reading was: each repair removes the same stretch of the
    source (its `removed` now as the source writes it) and puts its `inserted` text in its place."""
    out, cur, fixed = [], 0, []
    for r in sorted(repairs, key=lambda r: r.original_start):
        removed = source[r.original_start : r.original_start + len(r.removed)]
        out.append(source[cur : r.original_start])
        out.append(r.inserted)
        cur = r.original_start + len(r.removed)
        fixed.append(r.model_copy(update={"removed": removed}))
    out.append(source[cur:])
    return "".join(out), sorted(fixed, key=lambda r: r.at)
