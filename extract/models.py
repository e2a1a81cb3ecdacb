"""The output contract: frozen pydantic records, one per concept.

Every record that has `text` and `span` obeys `bulletin.text[span[0]:span[1]] == text`. `page` and
`bbox` stay null for plain-text input; the PDF and OCR readers fill them in.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .layout import BoxUnit, SourceFormat

SCHEMA_VERSION = "1.5.0"

Span = tuple[int, int]
BBox = tuple[float, float, float, float]
PageBox = tuple[int, float, float, float, float]
Approx = Literal["more_than", "about", "less_than"]
Granularity = Literal["day", "dekad", "month", "quarter", "half_year", "year"]
PartKind = Literal["summary", "plan", "other"]
Turn = Literal[90, 180, 270]
RepairKind = Literal[
    "page_number",
    "page_break_join",
    "line_wrap",
    "heading_wrap",
    "running_header",
    "ocr_confusion",
    "invisible_character",
]
TaskRole = Literal["leader", "department", "cooperating", "deadline"]


class Record(BaseModel):
    """Base of every output record: immutable, and no field beyond those declared."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Located(Record):
    """Where an item came from: characters in `Bulletin.text`, and on a page when there are pages."""

    span: Span = Field(description="[start, end) character offsets into Bulletin.text")
    page: int | None = Field(default=None, description="1-based page number (PDF/scan input)")
    bbox: BBox | None = Field(default=None, description="[x0, top, x1, bottom] union box on `page`")
    boxes: list[PageBox] | None = Field(
        default=None,
        description="[page, x0, top, x1, bottom] for each line, when the item runs over several lines or pages",
    )
    confidence: float | None = Field(
        default=None, description="OCR input: the lowest engine score (0-1) of the lines the item came from"
    )


class Figure(Located):
    """A number the text states, with its unit, normalized: `5万多人` → 50000 人, more_than; `172 万` after
    经费 → 1720000 元, unit inferred; a range (`3—5天`) → 3 to 5 天."""

    text: str = Field(description="the whole expression with its markers, e.g. '5 万多人'")
    value: float | int
    value_max: float | int | None = None
    unit: str | None = None
    unit_inferred: bool = False
    approx: Approx | None = None
    noun: str | None = Field(default=None, description="what is counted, e.g. 方面 in 四个方面")


class DateRef(Located):
    """A date or period the text names, resolved against the bulletin's month to the days it covers: `6日` in
    an August 2020 bulletin → 2020-08-06, day; `第三季度` → 2020-07-01 to 2020-09-30, quarter."""

    text: str
    start: dt.date
    end: dt.date
    granularity: Granularity


class Deadline(Located):
    """A task's deadline as written, with the days it resolves to: `9月30日前` → end 2020-09-30 and no start;
    neither date for an ongoing task (`长期坚持`) or a deadline that names no date."""

    text: str
    start: dt.date | None = None
    end: dt.date | None = None


class TaskField(Located):
    """One labelled field of a task as written (`责任部室：办公室、财务部`): its label, role, value and names."""

    label: str = Field(description="the label as written, e.g. 责任部室")
    role: TaskRole
    text: str = Field(description="the value as written")
    values: list[str] = Field(default_factory=list, description="names split on 、，and spaces")


class Task(Located):
    """Who answers for a work item and by when: its leaders, departments and deadline, from the labelled
    fields (`责任领导：`, `完成时限：`), a task table's row or an assignment in brackets (`（省商务厅牵头）`)."""

    leaders: list[str]
    departments: list[str] = Field(description="responsible departments, then cooperating ones (配合单位), as written")
    cooperating: list[str] = Field(default_factory=list)
    deadline: Deadline | None = None
    fields: list[TaskField]


class Person(Located):
    """A person the text names, with the titles written next to the name (`市总工会主席高启秀` → 高启秀, titles
    [市总工会主席]); the span is the name's."""

    name: str
    titles: list[str]


class Section(Located):
    """A numbered or marked item of a part (`一、`, `（二）`, `★`), at any depth: its heading, its whole text, and
    the figures, dates, people and task of its own text (each subsection holds its own)."""

    number: int | None = Field(
        description="the number its label gives; null for an unnumbered heading (★…, a headline)"
    )
    label: str = Field(
        description="the numbering as written, e.g. 一、 or （二）; the mark (★) or empty when unnumbered"
    )
    level: int = Field(description="1 for the items directly under a part")
    title: str
    text: str
    figures: list[Figure] = Field(default_factory=list)
    dates: list[DateRef] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    task: Task | None = None
    subsections: list[Section] = Field(default_factory=list)


class Part(Located):
    """A top-level division of the bulletin (`八月份工作综述`, `九月份工作安排`): work done (summary), work to come
    (plan) or other, with the months it covers; a document without part headings is one part."""

    title: str
    kind: PartKind
    period: str | None = Field(default=None, description="YYYY-MM, the first month covered")
    period_end: str | None = Field(default=None, description="YYYY-MM when the part covers several months")
    figures: list[Figure] = Field(default_factory=list, description="figures outside every section")
    dates: list[DateRef] = Field(default_factory=list, description="dates outside every section")
    people: list[Person] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)


class Repair(Record):
    """One change from the decoded source to `Bulletin.text` (a page number dropped, a line cut by a page
    break joined …): undoing every repair, the last first, rebuilds the source."""

    kind: RepairKind
    at: int = Field(description="offset in Bulletin.text where `removed` stood")
    removed: str
    inserted: str = Field(default="", description="what stands at `at` in place of `removed` (ocr_confusion: 0 for O)")
    original_start: int = Field(description="offset of `removed` in the decoded source text")


class Distribution(Record):
    """The footer's distribution lists, as written: whom the bulletin is reported to (报送) and sent to (发送, 抄送)."""

    report_to: list[str] = Field(default_factory=list)
    send_to: list[str] = Field(default_factory=list)


class PageTurn(Record):
    """A page turned upright before it was read: scanned sideways or upside down, or with a sideways text layer."""

    page: int = Field(description="1-based page number")
    degrees: Turn = Field(description="how far the page as shown was turned clockwise to be read")


class Source(Record):
    """The file the bulletin was read from: its path, content hash, format and text encoding, and for paged
    input its pages, box unit, and the pages read by OCR or turned."""

    path: str
    sha256: str
    format: SourceFormat
    encoding: str | None = None
    page_count: int | None = None
    box_unit: BoxUnit | None = Field(
        default=None,
        description="unit of every bbox and box: PDF points (pdf) or image pixels (image), top-left origin",
    )
    ocr_pages: list[int] = Field(default_factory=list, description="pages read by OCR (1-based)")
    ocr_engine: str | None = Field(default=None, description="the OCR engine, when any page was read by OCR")
    turned_pages: list[PageTurn] = Field(
        default_factory=list,
        description="pages scanned sideways or upside down, or whose text layer runs sideways: "
        "each was turned upright to be read, and its boxes lie on the turned page",
    )
    script: Literal["simplified", "traditional"] = Field(
        default="simplified",
        description="traditional: recognized on a simplified reading (OpenCC t2s) of the same "
        "length; every text shown is the document's own",
    )


class ExtractionWarning(Record):
    """Something the extraction doubts or could not do (`low_confidence`, `numbering_gap`, `no_structure` …),
    with a readable message and, where it has one, the span it concerns."""

    code: str
    message: str
    span: Span | None = None


class PageSpan(Record):
    """Where one page's text lies in `Bulletin.text` (paged input)."""

    number: int = Field(description="1-based page number")
    span: Span = Field(description="where the page's text lies in Bulletin.text")


class Bulletin(Record):
    """One bulletin as extracted: its repaired text, its parts, sections, figures, dates, people and tasks,
    each located in the text by span, its masthead and footer, the repairs that rebuild the source, and warnings."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="Bulletin")

    schema_version: str = SCHEMA_VERSION
    source: Source
    text: str
    repairs: list[Repair] = Field(default_factory=list)
    issuer: str | None = None
    title: str | None = Field(
        default=None, description="the document's title (under a 印发/转发 notice, the embedded document's)"
    )
    genre: str | None = Field(default=None, description="the document type its title names: 通知, 工作要点, 简报 …")
    reference_period: str | None = Field(default=None, description="YYYY-MM the bulletin reports on")
    parts: list[Part] = Field(default_factory=list)
    distribution: Distribution = Field(default_factory=Distribution)
    editor: str | None = None
    reviewer: str | None = None
    signer: str | None = None
    contact: str | None = Field(default=None, description="联系人")
    proofreader: str | None = Field(default=None, description="校对")
    chief_editor: str | None = Field(default=None, description="主编")
    phone: str | None = None
    pages: list[PageSpan] = Field(default_factory=list, description="paged input: each page's range in `text`")
    warnings: list[ExtractionWarning] = Field(default_factory=list)


Section.model_rebuild()
