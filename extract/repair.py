"""Repair page-break artifacts in decoded text, recording every change.

- page-number lines (— 2 —, -2-, 第2页, 第 2 页 共 5 页) are dropped;
- a paragraph cut by a page break (经\\n\\n济, 为一线职工\\n\\n“送清凉…) is joined with nothing inserted;
- a numbered heading that wraps onto the next line is joined.

Each change is a Repair(at, removed, original_start): inserting `removed` at `at` (in reverse order)
rebuilds the decoded source.
"""

from __future__ import annotations

import re

from .patterns import SP, SPACES, SPACE_CHARS, WRITTEN_DATE
from .layout import INVISIBLE_RE, PAGE_NUMBER_RE, TextLine, split_lines
from .models import Repair, RepairKind
from .tables import split_cells
from .numbering import field_label_re, is_part_heading, is_rule, match_label, starts_structure

# A line that ends here has finished its sentence.
_CLOSED_END = set("。！？；：!?;:…")
_QUOTE_END = set("”’）)】》」』")
_SENTENCE_PUNCT = re.compile(r"[，。；！？,;!?]")
_STANDALONE_DATE = re.compile(rf"{SPACES}{WRITTEN_DATE}{SPACES}$")
_ENDS_WITH_DATE = re.compile(rf"{SP}{WRITTEN_DATE}{SPACES}$")
HEADING_LINE_CHARS = 20  # a wrapped heading filled its first line
FULL_LINE_CHARS = 28  # an A4 official-document line holds 28 characters: a shorter line ended on purpose
_OPEN_END = set("，、“‘（(《【—")


def _closed(line: str) -> bool:
    s = line.rstrip(SPACE_CHARS)
    if not s:
        return True
    if s[-1] in _CLOSED_END:
        return True
    return s[-1] in _QUOTE_END and len(s) > 1 and s[-2] in _CLOSED_END


def _body(line: str) -> str:
    """The line without its numbering label."""
    label = match_label(line)
    return line[label.end :] if label else line.strip()


def _label_continues(prev: str, nxt: str) -> bool:
    """`nxt` starts with a field label that is the tail of a longer one begun at the end of `prev`:
    完成 / 时限：长期坚持 is one label, 完成时限, cut by the line end."""
    m = field_label_re().match(nxt)
    if not m:
        return False
    head = prev.rstrip(SPACE_CHARS)
    for k in range(1, 5):
        tail = head[-k:]
        if len(tail) < k or not all("\u4e00" <= ch <= "\u9fff" for ch in tail):
            break
        longer = field_label_re().match(tail + nxt)
        if longer and longer.end() == m.end() + k:
            return True
    return False


def _heading_goes_on(heading: str, nxt: str) -> bool:
    """A numbered heading (no sentence in it) that filled a line goes on into a short unpunctuated line."""
    return (
        match_label(heading) is not None
        and len(heading.strip()) >= HEADING_LINE_CHARS
        and not _SENTENCE_PUNCT.search(_body(heading))
        and len(nxt.strip()) <= 30
        and not _SENTENCE_PUNCT.search(nxt)
        and not starts_structure(nxt)
        and not is_part_heading(heading)
    )


HEADING_MAX_CHARS = 60  # a numbered heading is a line of a few dozen characters; a paragraph runs on


_CELL_BARS = "│┃|｜"
_LIST_GOES_ON = "，、,"  # 抄报：省税务局，…， / 　　　市人大常委会办公室: an indented line that continues a list
_PARAGRAPH_INDENT = re.compile(r"\u3000{2}|[ ]{4}|\t")
_PUNCTUATED = re.compile(r"[，。；：、！？,;:!?]")


def _blank_between(gap: str) -> bool:
    return gap.count("\n") >= 2 and not gap.strip()


def _heading_set_off(line: str, gap: str) -> bool:
    """Plain text: a numbered line with no full stop in it, followed by a blank line, is a heading set
    off from its paragraph (六、坚持以人民为中心的发展思想，…成效明显 / blank / 全年投入…), however long,
    unless what follows is the heading's own short tail cut by a page break (the caller checks)."""
    label = match_label(line)
    return (
        label is not None
        and gap.count("\n") >= 2
        and not gap.strip()
        and len(line.strip()) <= HEADING_MAX_CHARS
        and not re.search(r"[。！？!?；;]", line[label.end :])
    )


def _join_kind(prev: str, nxt: str, full: bool | None = None, flows: bool = False) -> RepairKind | None:
    """How `prev` continues into `nxt` across a line break, or None when they are separate. `full`: the
    page says whether `prev` reached the right edge (None for plain text); `flows`: it did, and `nxt`
    starts at the left margin, so a colon or full stop at the end of `prev` does not end the paragraph."""
    if prev.rstrip()[-1:] in _CELL_BARS and len(split_cells(prev)) >= 3:
        return "page_break_join"  # a table row cut after a cell bar (序号│…│完成时限│ / 进展情况) goes on
    if (
        (starts_structure(nxt) and not _label_continues(prev, nxt))
        or _STANDALONE_DATE.match(nxt)
        or is_part_heading(prev)
        or is_rule(prev)
    ):
        return None
    if flows:
        return "page_break_join"
    if _closed(prev):
        return None
    if _ENDS_WITH_DATE.search(prev):  # a masthead imprint: 某某办公室编  2020年11月30日
        return None
    if full is None and (len(split_cells(prev)) >= 3 or len(split_cells(nxt)) >= 3):
        return None  # rows of a text table stand alone (on a page, geometry decides instead)
    if full is None and _PARAGRAPH_INDENT.match(nxt) and prev.rstrip()[-1] not in _LIST_GOES_ON:
        return None  # plain text: an indented line opens a paragraph; a wrapped line goes on at the margin
    # a run of spaces does not fill a line: a masthead spread out with spaces is still a short line
    long_line = len(re.sub(rf"{SP}{{2,}}", "", prev.strip())) >= FULL_LINE_CHARS or prev.rstrip()[-1] in _OPEN_END
    if full is not None:  # the page says whether the line reached the right edge; a line broken after
        long_line = full or prev.rstrip()[-1] in _OPEN_END  # a comma by hand goes on all the same
    if match_label(prev):
        if _heading_goes_on(prev, nxt):
            return "heading_wrap"
        # a full line goes on: a paragraph that starts with its number, or a long heading
        return "page_break_join" if long_line else None
    if long_line:
        return "page_break_join"
    return None


def repair_text(text: str, hints: dict[int, str] | None = None) -> tuple[str, list[Repair]]:
    """The text with page numbers and running headers dropped, lines cut by a page break or a wrap joined
    and invisible characters taken out, and a Repair for each change; `hints` are a paged reader's line hints."""
    hints = hints or {}
    lines = [(ln, _dropped_as(ln, hints)) for ln in split_lines(text) if ln.text.strip()]
    content = [ln for ln, dropped in lines if dropped is None]
    if not content:
        return remove_invisible(text, [])
    rebuilt = _Rebuilt(text, [(ln, dropped) for ln, dropped in lines if dropped is not None])
    rebuilt.gap(0, content[0].start)
    logical = ""  # the line as joined so far: a heading may wrap over three visual lines
    for prev, nxt in zip(content, content[1:]):
        rebuilt.emit(prev.text)
        logical += prev.text
        kind = _join_between(text, hints, prev, nxt, logical, first=prev is content[0])
        if kind is None:
            logical = ""
            rebuilt.gap(prev.end, nxt.start)
            continue
        if kind == "page_break_join" and text[prev.end : nxt.start].strip(SPACE_CHARS) == "\n":
            kind = "line_wrap"  # a hard-wrapped line, not a page break
        # trailing spaces of the first line and leading spaces of the next go too
        rebuilt.join(kind, prev.end, nxt.start)
    last = content[-1]
    rebuilt.emit(last.text)
    rebuilt.gap(last.end, len(text))
    return remove_invisible("".join(rebuilt.out), rebuilt.repairs)


def _dropped_as(ln: TextLine, hints: dict[int, str]) -> RepairKind | None:
    """How a line is dropped (a running header, a page number), or None for a line the text keeps."""
    hint = hints.get(ln.start)
    if hint == "running_header":
        return "running_header"
    if hint == "page_number" or PAGE_NUMBER_RE.fullmatch(ln.text):
        return "page_number"
    return None


class _Rebuilt:
    """The repaired text as it is built, piece by piece, and the repairs that lead to it from `text`."""

    def __init__(self, text: str, dropped: list[tuple[TextLine, RepairKind]]):
        self.text = text
        self.dropped = dropped  # the lines to drop, each with its kind
        self.out: list[str] = []
        self.repairs: list[Repair] = []
        self.length = 0

    def emit(self, s: str) -> None:
        self.out.append(s)
        self.length += len(s)

    def gap(self, start: int, end: int) -> None:
        """Copy text[start:end] but drop the page-number and header lines in it (each with its newline)."""
        cur = start
        for ln, kind in self.dropped:
            if start <= ln.start and ln.end < end:
                self.emit(self.text[cur : ln.start])
                self.join(kind, ln.start, ln.end + 1)
                cur = ln.end + 1
        self.emit(self.text[cur:end])

    def join(self, kind: RepairKind, start: int, end: int) -> None:
        """Leave text[start:end] out, as a repair of that kind."""
        self.repairs.append(Repair(kind=kind, at=self.length, removed=self.text[start:end], original_start=start))


def _join_between(
    text: str, hints: dict[int, str], prev: TextLine, nxt: TextLine, logical: str, first: bool
) -> RepairKind | None:
    """How the line `prev` (the end of the joined `logical` line) goes on into `nxt`, or None."""
    if "table_row" in (hints.get(prev.start), hints.get(nxt.start)):
        return None  # a ruled table's rows stand alone
    between = text[prev.end : nxt.start]
    if not hints and _heading_set_off(prev.text, between) and not _heading_goes_on(prev.text, nxt.text):
        return None
    if not hints and first and _blank_between(between) and not _PUNCTUATED.search(prev.text):
        return None  # a document's title stands over a blank line: never the head of its first paragraph
    hint = hints.get(prev.start)
    kind = _join_kind(prev.text, nxt.text, (hint in ("full", "flows")) if hints else None, hint == "flows")
    if kind is None and logical != prev.text and _heading_goes_on(logical, nxt.text):
        return "heading_wrap"
    return kind


def remove_invisible(text: str, repairs: list[Repair]) -> tuple[str, list[Repair]]:
    """Take invisible format characters out of the repaired `text`, each run logged as an
    `invisible_character` repair; the earlier repairs' offsets move with the text, so spans still map
    to the source."""
    runs = list(INVISIBLE_RE.finditer(text))
    if not runs:
        return text, repairs
    from bisect import bisect_left

    from .assemble import source_offsets

    offsets = source_offsets(len(text), repairs)
    starts = [m.start() for m in runs]
    before = [0]  # invisible characters before each run
    for m in runs:
        before.append(before[-1] + len(m.group()))

    def moved(at: int) -> int:  # where offset `at` of `text` lands once the runs before it are gone
        k = bisect_left(starts, at)
        return at - before[k]

    shifted = [r.model_copy(update={"at": moved(r.at)}) for r in repairs]
    new = [
        Repair(
            kind="invisible_character", at=m.start() - before[k], removed=m.group(), original_start=offsets[m.start()]
        )
        for k, m in enumerate(runs)
    ]
    kept = "".join(text[a:b] for a, b in zip([0] + [m.end() for m in runs], starts + [len(text)]))
    return kept, sorted(shifted + new, key=lambda r: (r.at, r.original_start))


def rebuild_original(text: str, repairs: list[Repair]) -> str:
    """Undo the repairs: the decoded source text (line ends normalized to \\n)."""
    # later repairs at the same offset were removed after the earlier ones: put them back first
    for _, r in sorted(enumerate(repairs), key=lambda ir: (ir[1].at, ir[0]), reverse=True):
        text = text[: r.at] + r.removed + text[r.at + len(r.inserted) :]
    return text
