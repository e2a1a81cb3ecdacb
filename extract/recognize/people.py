"""People named in the narrative, with the titles the text gives them.

jieba splits Chinese names unreliably (高启秀 → 高启/秀) and tags few of them, so names are found by
context: a title phrase ending in a title word (书记, 常委, 副主席 …) right before a surname; a chain of
titles joined by 、 belongs to the same person. Names the document itself proves (task leaders,
earlier mentions) are preferred over guesses about where a name ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections.abc import Sequence, Set as AbstractSet
from functools import lru_cache

from .. import lexicons
from ..models import Person
from ..segment import word_freq

_HAN = re.compile(r"[\u4e00-\u9fff]")
_TITLE_BREAK = re.compile(r"[，。；：、！？\n“”‘’（）()《》\s]")
MAX_TITLE = 16
_TRANSLITERATED = re.compile(r"[\u4e00-\u9fff]{1,6}(?:[·•][\u4e00-\u9fff]{1,6})+")


@lru_cache(maxsize=1)
def title_suffix_re() -> re.Pattern:
    """Any title word of titles.yaml: suffixes (局长, 书记 …), standalone titles (劳动模范) and those written after a
    name (总书记)."""
    t = lexicons.titles()
    return re.compile(rf"(?:{lexicons.alternation(t['suffixes'] + t['standalone'] + t['post_name'])})")


@lru_cache(maxsize=1)
def _breakers() -> re.Pattern:
    return re.compile(lexicons.alternation(lexicons.titles()["breakers"]))


def _surname_at(text: str, i: int) -> int:
    """Length of the surname starting at text[i] (0 when none)."""
    single, compound = lexicons.surnames()
    if text.startswith(compound, i):
        return 2
    return 1 if i < len(text) and text[i] in single else 0


def _name_at(text: str, i: int, end: int, known: set[str]) -> str | None:
    """The name starting at text[i]: a surname and a one- or two-character given name."""
    for name in sorted(known, key=len, reverse=True):
        if text.startswith(name, i):
            return name
    translit = _TRANSLITERATED.match(text, i, end)
    if translit:  # 阿依古丽·吐尔逊: a name written in parts joined by ·; its last part stops where a word starts
        head = translit.group()
        last = head.rsplit("·", 1)[-1] if "·" in head else head.rsplit("•", 1)[-1]
        base = translit.end() - len(last)
        freq = word_freq()
        for n in (2, 3, 4):
            if n <= len(last) and freq(text[base + n : base + n + 2]) > 50:
                return text[i : base + n]
        return text[i : base + min(len(last), 3)]
    s = _surname_at(text, i)
    if not s:
        return None
    if (
        text[i] in lexicons.name_rules()["function_surnames"]
        and word_freq()(text[i + 1 : i + 3]) >= GIVEN_NAME_WORD_FREQ
    ):
        return None  # 和民间: the conjunction before a word, not a surname
    g1 = i + s
    if g1 >= end or not _HAN.match(text[g1]):
        return None
    g2 = g1 + 1
    if g2 >= end or not _HAN.match(text[g2]):
        return text[i:g2]
    freq = word_freq()
    rules = lexicons.name_rules()
    # the second given-name character may instead start the next word: 胡龄获得, 蒋鸿出席, 马骏以
    here = max(freq(text[g2 : g2 + 2]), freq(text[g2 : g2 + 3]))
    after = max(freq(text[g2 + 1 : g2 + 3]), freq(text[g2 + 1 : g2 + 4]))
    name = text[i:g2] if (here > 50 and here > after) or text[g2] in rules["not_name_end"] else text[i : g2 + 1]
    if freq(name) >= rules["common_word_freq"]:
        return None  # 关于, 高度: a word, not a name
    return name


def _titles_before(text: str, at: int, floor: int) -> list[str]:
    """The title chain that ends at `at`: 市委常委、市委秘书长 → [市委常委, 市委秘书长]."""
    titles: list[str] = []
    end = at
    while end > floor:
        # 副市长（挂职）陆文博: a bracketed note right after a title belongs to it
        note = ""
        if text[end - 1] in "）)":
            k = max(text.rfind("（", floor, end), text.rfind("(", floor, end))
            if k > floor and end - k <= 8:
                note, end = text[k:end], k
        lo = max(floor, end - MAX_TITLE)
        chunk = text[lo:end]
        brk = list(_TITLE_BREAK.finditer(chunk))
        start = lo + brk[-1].end() if brk else lo
        phrase = text[start:end]
        b = list(_breakers().finditer(phrase))
        if b:
            phrase = phrase[b[-1].end() :]
            start = end - len(phrase)
        if not phrase or not title_suffix_re().search(phrase) or not any(phrase.endswith(s) for s in _suffixes()):
            break
        titles.insert(0, phrase + note)
        if start - 1 >= floor and text[start - 1] == "、" and not b:
            end = start - 1
            continue
        break
    return titles


@lru_cache(maxsize=1)
def _untitled_re() -> re.Pattern:
    """的刘桂兰拿到, 的胡龄获得: a name between a context word and a verb, with no title."""
    t = lexicons.titles()
    after = lexicons.alternation(t["untitled_person_after"])
    before = lexicons.alternation(t["untitled_person_before"])
    return re.compile(rf"(?:{before})(?P<rest>[\u4e00-\u9fff]{{2,4}}?)(?:{after})")


@lru_cache(maxsize=1)
def _comrade_re() -> re.Pattern:
    """，黄建平同志执教, 其中周而进、裘捷中四位同学: a name right before a word of address (同志, 同学, 老师;
    with 等 or a count of 位 between) at the start of a clause needs no other cue."""
    t = lexicons.titles()
    context = "".join(f"|(?<={re.escape(w)})" for w in t["address_context"])
    return re.compile(
        rf"(?:^|(?<=[，。；：、！？\s“（(]){context})(?P<rest>[\u4e00-\u9fff]{{2,4}}?)"
        rf"(?:等)?(?:[0-9一二三四五六七八九十两]+位)?(?:{lexicons.alternation(t['address'])})"
    )


# A name guessed without a title before it (师徒双方代表) must not be a word: jieba frequency below this
GIVEN_NAME_WORD_FREQ = 100


def _list_item_before(text: str, floor: int, at: int, known: set[str]) -> str | None:
    """The name that ends at `at` in a list (…、俞则明、章彦恺): the whole item after a break, or for the
    list's first item (其中周而进), the two or three characters that read as a name, the more common
    surname winning (班王燕 → 王燕)."""
    brk = list(_TITLE_BREAK.finditer(text, max(floor, at - 6), at))
    a = brk[-1].end() if brk else max(floor, at - 6)
    if a < at and text[a - 1 : a] and _TITLE_BREAK.match(text[a - 1]):
        name = _name_at(text, a, at, known)
        if name and a + len(name) == at:
            return name
    ranked = lexicons.surnames()[0]
    order = lexicons.surname_rank()
    found = []
    for n in (3, 2):
        b = at - n
        if b >= a and all(_HAN.match(c) for c in text[b:at]) and text[b] in ranked:
            found.append((order.get(text[b], len(order)), n))
    if not found:
        return None
    _, n = min(found)
    return text[at - n : at]


MAX_TITLE_AFTER_NAME = 4


def _name_before_title(text: str, suffix_start: int, suffix_end: int, floor: int, known: set[str]) -> Person | None:
    """，周立群副局长带领: a name at the start of a clause with a short title right after it."""
    lo = max(floor, suffix_end - MAX_TITLE - 4)
    brk = list(_TITLE_BREAK.finditer(text, lo, suffix_start))
    a = brk[-1].end() if brk else lo
    if a != floor and not brk:
        return None
    name = _name_at(text, a, suffix_start, known)
    if not name:
        return None
    title = text[a + len(name) : suffix_end]
    if title.startswith(tuple(lexicons.titles()["address"])):
        return None  # 沈祥土老师代表…: 老师 is how he is addressed, 代表 what he does
    if not title or len(title) > MAX_TITLE_AFTER_NAME or not any(title.endswith(s) for s in _suffixes()):
        return None
    if name not in known and (
        lexicons.name_rules()["organisation_chars"] & set(name[1:]) or word_freq()(name[:2]) >= GIVEN_NAME_WORD_FREQ
    ):
        return None
    return Person(name=name, titles=[title], span=(a, a + len(name)))


@lru_cache(maxsize=1)
def _suffixes() -> tuple[str, ...]:
    t = lexicons.titles()
    return tuple(t["suffixes"] + t["standalone"])


def find_people(
    text: str, start: int, end: int, known: AbstractSet[str] = frozenset(), skip: Sequence[tuple[int, int]] = ()
) -> list[Person]:
    """People in text[start:end]. `known` names (task leaders, names found earlier) are matched whole, as
    are the names found here in the rest of the range; `known` itself is left as it is: the caller learns
    the names from the result."""
    found = _PeopleFound(set(known))
    region = text[start:end]
    for m in title_suffix_re().finditer(region):
        _person_at_title(text, start, end, m, skip, found)
    for m in list(_untitled_re().finditer(region)) + list(_comrade_re().finditer(region)):
        _untitled_person(text, start, m, found)
    found.out.sort(key=lambda p: p.span)
    return found.out


@dataclass
class _PeopleFound:
    """The people found in a range so far; their names are known from then on (matched whole)."""

    known: set[str]
    out: list[Person] = field(default_factory=list)
    seen: set[tuple[str, int]] = field(default_factory=set)  # (name, start) of names found after a title

    def add(self, name: str, titles: list[str], a: int, after_title: bool = False) -> None:
        self.add_person(Person(name=name, titles=titles, span=(a, a + len(name))), after_title)

    def add_person(self, person: Person, after_title: bool = False) -> None:
        self.out.append(person)
        self.known.add(person.name)
        if after_title:
            self.seen.add((person.name, person.span[0]))

    def starts_at(self, a: int) -> bool:
        return any(p.span[0] == a for p in self.out)


def _person_at_title(
    text: str, start: int, end: int, m: re.Match, skip: Sequence[tuple[int, int]], found: _PeopleFound
) -> None:
    """The person a title names: the name after it (市长王伟), or before it (a post_name title: 习近平总书记;
    else a name written before its title, when none follows), and the names listed after the first that
    share the title (副县长李建军、王海涛)."""
    known = found.known
    i = start + m.end()
    if any(s <= i < e for s, e in skip):
        return
    if i < end and text[i] in "（(":  # 副市长（挂职）陆文博
        close = text.find("）" if text[i] == "（" else ")", i, min(end, i + 8))
        if close > 0:
            i = close + 1
    name = _name_at(text, i, end, known)
    if not name and m.group() in lexicons.titles()["post_name"]:
        before = _list_item_before(text, start, start + m.start(), known)
        if before and not found.starts_at(start + m.start() - len(before)):
            found.add(before, [m.group()], start + m.start() - len(before))
        return
    if not name:
        after = _name_before_title(text, start + m.start(), i, start, known)
        if after and not found.starts_at(after.span[0]):
            found.add_person(after)
        return
    titles = _titles_before(text, i, found.out[-1].span[1] if found.out else start)
    # a title word directly after the name means the "name" was the start of another title
    if not titles or (title_suffix_re().match(text, i + len(name) - 1) and name not in known):
        return
    found.add(name, titles, i, after_title=True)
    j = i + len(name)
    while j < end and text[j] == "、":
        other = _name_at(text, j + 1, end, known)
        if not other or title_suffix_re().match(text, j + 1 + len(other)):
            break
        found.add(other, titles, j + 1, after_title=True)
        j += 1 + len(other)


def _untitled_person(text: str, start: int, m: re.Match, found: _PeopleFound) -> None:
    """A name without a title (a name the document proves, or one before 同志), and for 同志 the names
    listed before it, which share it (王丽娜、李俊峰等同志)."""
    i = start + m.start("rest")
    name = _name_at(text, i, start + m.end("rest"), found.known)
    if not name or i + len(name) != start + m.end("rest") or (name, i) in found.seen:
        return
    if any(p.span[0] <= i < p.span[1] for p in found.out):
        return
    found.add(name, [], i)
    j = i
    while j - 1 > start and text[j - 1] == "、" and m.re is _comrade_re():
        other = _list_item_before(text, start, j - 1, found.known)
        if not other:
            break
        found.add(other, [], j - 1 - len(other))
        j -= 1 + len(other)
