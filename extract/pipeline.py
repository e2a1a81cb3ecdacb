"""extract_file(path) -> Bulletin: picks the reader, then runs the stages in order."""

from __future__ import annotations

from .errors import InputError
from .layout import SourceText, normalize_newlines
from typing import cast

from .models import Bulletin, Distribution, ExtractionWarning, PageTurn, Part, Repair, Section, Source, Task, Turn
from .limits import DEFAULT_TIMEOUT, DocumentTimeout, time_limit
from .read import ReadOptions, read_source
from .read.files import check_input
from .recognize.dates import Context, find_dates
from .recognize.figures import find_figures
from .recognize.footer import Footer, parse_footer
from .recognize.people import find_people
from .recognize.tasks import find_task, task_from_cells
from .assemble import locate
from .coverage import check_structure
from .repair import repair_text
from .script import as_written, repaired_as_written, simplified_reading
from .segment import Tokens, tokenize
from .structure import PartNode, SectionNode, Structure, analyze, own_ranges

MAX_TEXT_CHARS = 2_000_000


def extract_file(path: str, options: ReadOptions = ReadOptions(), timeout: float | None = DEFAULT_TIMEOUT) -> Bulletin:
    """A bulletin from the file at `path` (text, PDF or scan; read/__init__.py FORMATS), read as
    `options` say (password, which pages OCR reads, the OCR engine). timeout: seconds the document may
    take (TIMEOUT_PER_PAGE more for each page; None or 0: no limit). InputError names the reason a
    file cannot be read."""
    check_input(path)
    clock = None
    try:
        with time_limit(timeout) as clock:
            return extract_source(read_source(path, options))
    except DocumentTimeout:
        limit = clock.seconds if clock is not None else timeout
        raise InputError(path, f"stopped: time limit of {limit:.0f} s reached (--timeout)") from None
    except RecursionError:  # a PDF's objects nested beyond any real document's
        raise InputError(path, "damaged input (nested too deeply to read)") from None


def extract_text(text: str, path: str = "<text>") -> Bulletin:
    """A bulletin from text already read (any line ends); `path` is what `source.path` records."""
    import hashlib

    data = text.encode("utf-8")
    src = SourceText(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        format="text",
        text=normalize_newlines(text),
        encoding="utf-8",
    )
    return extract_source(src)


def extract_source(src: SourceText) -> Bulletin:
    """The stages after reading: repair, structure, recognition, assembly (boxes and pages traced back
    through the repairs when the source has them). InputError for a text too long to be a bulletin."""
    if len(src.text) > MAX_TEXT_CHARS:
        raise InputError(src.path, f"text too long for a bulletin ({len(src.text)} characters)")
    # traditional characters: the repairs too are decided on the simplified reading (负责领导： starts a line)
    reading = simplified_reading(src.text)
    text, repairs = repair_text(reading or src.text, src.line_hints)
    if reading is not None:
        shown, repairs = repaired_as_written(src.text, repairs)
    if src.ocr_pages:
        text, repairs = _fix_ocr_confusions(src, text, repairs)
    # the recognizers read `text`; a traditional document's output shows `shown`, its own characters
    st = analyze(text)
    tasks = _Tasks(text)
    known = _proven_names(st, tasks)
    tokens = tokenize(text)
    parts = [_part(text, p, _context(p, st), tokens, known, tasks) for p in st.parts]
    bulletin = Bulletin(
        source=_source_record(src, traditional=reading is not None),
        text=text,
        repairs=repairs,
        issuer=st.issuer,
        title=st.title,
        genre=st.genre,
        reference_period=st.reference_period,
        parts=parts,
        warnings=_warnings(src, text, st, repairs, parts),
        **_footer_fields(parse_footer(text, st.footer_start)),
    )
    if reading is not None:
        bulletin = as_written(bulletin, shown)
    return locate(bulletin, src.char_boxes, repairs) if src.char_boxes else bulletin


def _proven_names(st: Structure, tasks: _Tasks) -> set[str]:
    """The names the document proves (task leaders anywhere in it): matched whole in the narrative."""
    known: set[str] = set()
    for p in st.parts:
        ctx = _context(p, st)
        for node in _walk(p.sections):
            if node.cells:
                found = [tasks.of_row(node, ctx)]
            else:
                found = [tasks.in_range(a, b, ctx) for a, b in own_ranges(node.start, node.end, node.children)]
            for t in found:
                if t:
                    known.update(t.leaders)
    return known


def _source_record(src: SourceText, traditional: bool) -> Source:
    return Source(
        path=src.path,
        sha256=src.sha256,
        format=src.format,
        encoding=src.encoding,
        page_count=src.page_count,
        box_unit=src.box_unit,
        ocr_pages=src.ocr_pages,
        ocr_engine=src.ocr_engine,
        # degrees are 90, 180 or 270 (pydantic checks)
        turned_pages=[PageTurn(page=p, degrees=cast(Turn, d)) for p, d in sorted(src.turned_pages.items())],
        script="traditional" if traditional else "simplified",
    )


def _footer_fields(footer: Footer) -> dict:
    """The bulletin's fields the footer fills: its distribution lists and its roles (editor, phone …)."""
    roles = {k: v for k, v in vars(footer).items() if k not in ("report_to", "send_to")}
    return {"distribution": Distribution(report_to=footer.report_to, send_to=footer.send_to), **roles}


def _warnings(
    src: SourceText, text: str, st: Structure, repairs: list[Repair], parts: list[Part]
) -> list[ExtractionWarning]:
    """The reader's, the repairs', the structure's and its coverage check's warnings, and one when the
    text gave nothing a bulletin has."""
    found = list(src.warnings) + _repair_warnings(repairs) + st.warnings
    warnings = [ExtractionWarning(code=c, message=m) for c, m in found]
    warnings += [ExtractionWarning(code=f.code, message=f.message, span=f.span) for f in check_structure(text, st)]
    if _found_nothing(parts) and not any(c == "no_structure" for c, _ in st.warnings):
        warnings.append(
            ExtractionWarning(
                code="no_structure",
                message="no numbered sections, and no figure, date or person in the text: is this a bulletin?",
            )
        )
    return warnings


def _found_nothing(parts: list[Part]) -> bool:
    return not any(p.sections or p.figures or p.dates or p.people for p in parts) and bool(parts)


def _repair_warnings(repairs: list[Repair]) -> list[tuple[str, str]]:
    invisible = [r for r in repairs if r.kind == "invisible_character"]
    if not invisible:
        return []
    codes = sorted({f"U+{ord(c):04X}" for r in invisible for c in r.removed})
    count = sum(len(r.removed) for r in invisible)
    return [
        (
            "invisible_characters",
            f"{count} invisible format character{'s' if count > 1 else ''} "
            f"({', '.join(codes[:6])}) removed from the text; logged as repairs",
        )
    ]


def _fix_ocr_confusions(src: SourceText, text: str, repairs: list[Repair]) -> tuple[str, list[Repair]]:
    """On OCR pages, a letter read where a digit stands (2O20年, l.5万) becomes the digit, half-width
    punctuation in Chinese text (牵头领导:, "送清凉") the full-width form, a Han look-alike the word's
    character (币帼), and a 一一 the page's ink shows to be a dash ——; each is logged as an ocr_confusion
    repair (same length: no offset moves) so that the engine's reading can be rebuilt."""
    from .assemble import source_offsets
    from .ocr_confusions import ocr_confusions

    offsets = source_offsets(len(text), repairs)
    found = {at: (read, meant) for at, read, meant in ocr_confusions(text)}
    # what the page's ink showed (a dash read as 一一), where the text still holds the engine's reading
    at_of = {orig: at for at, orig in enumerate(offsets)} if src.ocr_fixes else {}
    for orig, meant in src.ocr_fixes:
        at = at_of.get(orig)
        if at is not None and at < len(text) and text[at] == src.text[orig]:
            found[at] = (text[at], meant)
    new = [
        Repair(kind="ocr_confusion", at=at, removed=read, inserted=meant, original_start=offsets[at])
        for at, (read, meant) in sorted(found.items())
        if src.char_boxes is not None and src.char_boxes.score(offsets[at]) is not None
    ]
    if not new:
        return text, repairs
    chars = list(text)
    for r in new:
        chars[r.at] = r.inserted
    return "".join(chars), repairs + new


def _context(p: PartNode, st) -> Context:
    last = int(p.period_end[5:7]) if p.period_end else None
    return Context(p.year or st.year, p.month or st.month, last_month=last)


class _Tasks:
    """The task of each range of text, and of each table row, read once: first for the names the
    document proves (task leaders, matched whole in the narrative), then for the records."""

    def __init__(self, text: str):
        self.text = text
        self._ranges: dict[tuple[int, int], Task | None] = {}
        self._rows: dict[int, Task | None] = {}

    def in_range(self, a: int, b: int, ctx: Context) -> Task | None:
        if (a, b) not in self._ranges:
            self._ranges[(a, b)] = find_task(self.text, a, b, ctx)
        return self._ranges[(a, b)]

    def of_row(self, node: SectionNode, ctx: Context) -> Task | None:
        if node.start not in self._rows:
            self._rows[node.start] = task_from_cells(self.text, node.cells, ctx)
        return self._rows[node.start]


def _recognize(text: str, ranges: list[tuple[int, int]], ctx: Context, tokens: Tokens, known: set[str], tasks: _Tasks):
    figures, dates, people, task = [], [], [], None
    for a, b in ranges:
        t = tasks.in_range(a, b, ctx)
        if t is not None and task is None:
            task = t
        skip = [f.span for f in t.fields] if t else []
        ds = find_dates(text, a, b, ctx, skip=skip)
        dates += ds
        figures += find_figures(text, a, b, tokens, skip=skip + [d.span for d in ds])
        found = find_people(text, a, b, known, skip=skip)
        known.update(p.name for p in found)  # later mentions, in this section and the next, match whole
        people += found
    # one entry per person per section: the first mention, with its titles
    seen, uniq = set(), []
    for p in people:
        if p.name not in seen:
            seen.add(p.name)
            uniq.append(p)
    return figures, dates, uniq, task


def _section(text: str, node: SectionNode, ctx: Context, tokens: Tokens, known: set[str], tasks: _Tasks) -> Section:
    subsections = [_section(text, c, ctx, tokens, known, tasks) for c in node.children]
    if node.cells:  # a table row: the task cell is the narrative, the other cells the task
        task = tasks.of_row(node, ctx)
        # the task and progress cells are the narrative (进展情况: 累计完成投资2.36亿元); name and deadline
        # cells are the task
        narrative = [(node.title_start, node.title_end)] + [(c.start, c.end) for c in node.cells if c.role == "other"]
        figures, dates, people, _ = _recognize(text, narrative, ctx, tokens, known, tasks)
    else:
        figures, dates, people, task = _recognize(
            text, own_ranges(node.start, node.end, node.children), ctx, tokens, known, tasks
        )
    return Section(
        number=node.number,
        label=node.label,
        level=node.level,
        title=text[node.title_start : node.title_end],
        text=text[node.start : node.end],
        span=(node.start, node.end),
        figures=figures,
        dates=dates,
        people=people,
        task=task,
        subsections=subsections,
    )


def _part(text: str, p: PartNode, ctx: Context, tokens: Tokens, known: set[str], tasks: _Tasks) -> Part:
    sections = [_section(text, s, ctx, tokens, known, tasks) for s in p.sections]
    heading_end = text.find("\n", p.start) if p.heading else p.start
    heading_end = p.end if heading_end < 0 or heading_end > p.end else heading_end
    intro = own_ranges(heading_end, p.end, p.sections)
    figures, dates, people, _ = _recognize(text, intro, ctx, tokens, known, tasks) if intro else ([], [], [], None)
    return Part(
        title=p.title,
        kind=p.kind,
        period=p.period,
        period_end=p.period_end,
        span=(p.start, p.end),
        figures=figures,
        dates=dates,
        people=people,
        sections=sections,
    )


def _walk(nodes):
    for n in nodes:
        yield n
        yield from _walk(n.children)
