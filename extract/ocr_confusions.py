"""Repair of the confusions OCR makes in text: a letter where a digit stands, half-width punctuation in
Chinese text, a Han character read as its look-alike, 丨 for a field separator. Each is logged as an
`ocr_confusion` repair of the same length, so that the engine's reading can be rebuilt.
"""

from __future__ import annotations

import re


# O/o/〇 and l/I/| read where a digit belongs: only between or beside Arabic digits, never inside a Latin
# word (ISO9001, PM2.5 keep their letters)
_CONFUSABLE = {"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1", "|": "1"}
_CONFUSION_RE = re.compile(
    r"(?<![A-Za-z])(?:(?:(?<=[0-9])|(?<=[0-9][.．]))[Oo〇lI|]|[Oo〇lI|](?=[.．]?[0-9]))(?![A-Za-z])"
)


def digit_confusions(text: str) -> list[tuple[int, str, str]]:
    """(offset, read, meant) for every letter OCR put where a digit stands: 2O20年 → 2020年."""
    return [(m.start(), m.group(), _CONFUSABLE[m.group()]) for m in _CONFUSION_RE.finditer(text)]


_HAN = r"[\u3400-\u9fff（）《》“”、，。：；]"
# half-width punctuation the engine returns in Chinese text, where the page has the full-width form
_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_PUNCT_RE = re.compile(
    rf"(?<={_HAN})[,:;?!]|[,:;?!](?={_HAN})(?<![0-9A-Za-z][,:;?!])|(?<={_HAN})\((?=[^)\n]{{0,30}}\))"
    rf"|\((?={_HAN}[^)\n]{{0,30}}\))|(?<=（[^）\n]{{1}})\)|(?<={_HAN})\)"
)


def punctuation_confusions(text: str) -> list[tuple[int, str, str]]:
    """(offset, read, meant) for half-width punctuation in Chinese text (, : ; ? ! ( ) and straight
    quotes, paired open and close on each line), which the page sets full width, and a single closing
    quote that closes a double one."""
    out = [(m.start(), m.group(), _HALF_TO_FULL[m.group()]) for m in _PUNCT_RE.finditer(text)]
    fixed = {at: new for at, _, new in out}
    for line in re.finditer(r"[^\n]+", text):
        opened = False
        for q in re.finditer('"', line.group()):
            at = line.start() + q.start()
            near = text[at - 1 : at] + text[at + 1 : at + 2]
            if not re.search(_HAN, near):
                continue
            fixed[at] = "”" if opened else "“"
            out.append((at, '"', fixed[at]))
            opened = not opened
        out += _single_for_double(text, line, fixed)
    return sorted(out)


def _single_for_double(text: str, line, fixed: dict[int, str]) -> list[tuple[int, str, str]]:
    """A ’ that closes a “ (no ‘ open) is the engine's reading of ”: 快递小哥’ after “."""
    out, stack = [], []
    for k, ch in enumerate(line.group()):
        at = line.start() + k
        ch = fixed.get(at, ch)
        if ch in "“‘":
            stack.append(ch)
        elif ch == "”" and stack:
            stack.pop()
        elif ch == "’" and stack:
            if stack.pop() == "“":
                out.append((at, "’", "”"))
    return out


MIN_WORD_FREQ = 20  # a look-alike must make a word at least this common in jieba's dictionary
BOUND_FREQ = 100  # a character rarer than this as a word of its own stands alone only by mistake


def lookalike_confusions(text: str) -> list[tuple[int, str, str]]:
    """(offset, read, meant) for a Han character read as its look-alike (币帼 → 巾帼): the character
    stands alone in jieba's segmentation, and its look-alike makes a dictionary word with neighbours
    that stand alone too and are bound characters, seldom a word by themselves (帼). A neighbour that is
    a word of its own (个入河 stays, not 个人河) or part of one (由请示 stays) is never taken, and a
    surname is never changed (王立群 stays)."""
    import jieba

    from .lexicons import lookalikes, surnames
    from .segment import word_freq

    single_surnames = surnames()[0]
    similar = {c: alts for c, alts in lookalikes().items() if c not in single_surnames}
    freq = word_freq()
    out = []
    for line in re.finditer(r"[^\n]+", text):
        s = line.group()
        if not any(c in similar for c in s):
            continue
        alone, pos = [False] * len(s), 0
        for w in jieba.lcut(s, HMM=False):
            if len(w) == 1:
                alone[pos] = True
            pos += len(w)
        for p, c in enumerate(s):
            if not alone[p] or c not in similar:
                continue
            best = None
            for alt in similar[c]:
                for n in (2, 3, 4):
                    for a in range(max(0, p - n + 1), min(p, len(s) - n) + 1):
                        window = s[a : a + n]
                        if not all(alone[a : a + n]) or not all("\u4e00" <= ch <= "\u9fff" for ch in window):
                            continue
                        if any(freq(ch) >= BOUND_FREQ for k, ch in enumerate(window) if a + k != p):
                            continue
                        word = window[: p - a] + alt + window[p - a + 1 :]
                        f = freq(word)
                        context = s[max(0, a - 3) : a] + word + s[a + n : a + n + 3]
                        if (
                            f >= MIN_WORD_FREQ
                            and word in jieba.lcut(context, HMM=False)
                            and (best is None or f > best[0])
                        ):
                            best = (f, alt)
            if best:
                out.append((line.start() + p, c, best[1]))
    return out


def ocr_confusions(text: str) -> list[tuple[int, str, str]]:
    """Every confusion found in OCR'd text, in order: (offset, as read, as meant), each of the same length."""
    # 丨 (a radical, never running text) is how the engine reads a field separator |
    bars = [(m.start(), "丨", "|") for m in re.finditer("丨", text)]
    return sorted(digit_confusions(text) + punctuation_confusions(text) + bars + lookalike_confusions(text))
