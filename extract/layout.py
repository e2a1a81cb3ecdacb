"""What every reader returns: the decoded source text and, for paged input, its pages.

Plain text has no pages; the PDF and OCR readers (later) add Page records with character boxes and
map them through the same offsets.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceText:
    path: str
    sha256: str
    format: str
    text: str
    encoding: str | None = None
    page_count: int | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)
    # paged input: a (page, x0, top, x1, bottom) box per character of `text` (None for inserted newlines)
    char_boxes: list | None = None
    # paged input: what geometry says of the line starting at an offset: "full" (reaches the right
    # edge, so it goes on), "running_header", "page_number"
    line_hints: dict[int, str] | None = None


@dataclass(frozen=True)
class TextLine:
    start: int
    end: int  # excluding the newline
    text: str


def split_lines(text: str) -> list[TextLine]:
    """Every line of `text` (blank ones too) with its offsets."""
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(TextLine(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
