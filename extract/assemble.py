"""Page and box provenance: every located item of a paged document gets its page and union box,
through the repairs back to the characters the reader saw."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from .layout import LOW_CONFIDENCE, CharBoxes
from .models import Bulletin, ExtractionWarning, Located, PageSpan, Part, Record, Repair, Section, Task
from .read.geometry import same_row


R = TypeVar("R", bound=Record)


def source_offsets(length: int, repairs: list[Repair]) -> list[int]:
    """For each offset of the repaired text, the offset of the same character in the source text."""
    out, shift = [], 0
    cuts = sorted((r.at, len(r.removed) - len(r.inserted)) for r in repairs)
    k = 0
    for i in range(length + 1):
        while k < len(cuts) and cuts[k][0] <= i:
            shift += cuts[k][1]
            k += 1
        out.append(i + shift)
    return out


def locate(bulletin: Bulletin, char_boxes: CharBoxes, repairs: list[Repair]) -> Bulletin:
    """The bulletin with every located item (figure, date, task, person, section, part) given its page,
    union box, a box per line when it runs over several, and its OCR confidence; the pages' spans; a
    low_confidence warning for each small item read with a low OCR score."""
    offsets = source_offsets(len(bulletin.text), repairs)
    # every character's box and score once: a section's span holds its subsections' characters again
    boxes_at, scores_at = char_boxes.boxes(), char_boxes.scores()
    known = len(boxes_at)

    def provenance(item: Located) -> dict:
        a, b = item.span
        sources = [o for o in offsets[a:b] if o < known]
        boxes = [bx for bx in map(boxes_at.__getitem__, sources) if bx]
        scores = [sc for sc in map(scores_at.__getitem__, sources) if sc is not None]
        found: dict = {}
        if scores:
            found["confidence"] = round(min(scores), 4)
        if boxes:
            page = boxes[0][0]
            found["page"] = page
            found["bbox"] = _union([bx for bx in boxes if bx[0] == page])
            lines = _lines(boxes)
            if len(lines) > 1:
                found["boxes"] = [(ln[0][0], *_union(ln)) for ln in lines]
        return found

    placed = _placed(bulletin, provenance)
    return placed.model_copy(
        update={
            "pages": _page_spans(len(bulletin.text), offsets, boxes_at),
            "warnings": placed.warnings + _low_confidence(placed.parts),
        }
    )


def _held(record: Record) -> Iterator[tuple[str, Sequence[Record], bool]]:
    """The record's fields that hold records, in field order: (name, the records, whether the field is
    a list of them rather than one)."""
    for name in type(record).model_fields:
        value = getattr(record, name)
        if isinstance(value, Record):
            yield name, [value], False
        elif isinstance(value, list) and value and isinstance(value[0], Record):
            yield name, value, True


def _placed(record: R, provenance: Callable[[Located], dict]) -> R:
    """The record (and every record in it) with each Located one's provenance filled in."""
    update: dict[str, object] = {}
    for name, held, is_list in _held(record):
        placed = [_placed(v, provenance) for v in held]
        update[name] = placed if is_list else placed[0]
    if isinstance(record, Located):
        update.update(provenance(record))
    return record.model_copy(update=update) if update else record


def _located(records: Sequence[Record]) -> Iterator[Located]:
    """Every Located record in and under `records`, in document order (each before what it holds)."""
    for record in records:
        if isinstance(record, Located):
            yield record
        for _, held, _ in _held(record):
            yield from _located(held)


# the records that hold other items: their confidence is their weakest item's, already warned of
_CONTAINERS = (Part, Section, Task)


def _low_confidence(parts: list[Part]) -> list[ExtractionWarning]:
    """One warning per recognized item (figure, date, task field, person) read with a low OCR score."""
    return [
        ExtractionWarning(
            code="low_confidence",
            span=item.span,
            message=f"OCR confidence {item.confidence:.2f} for {_shown(item)!r} on page {item.page}",
        )
        for item in _located(parts)
        if not isinstance(item, _CONTAINERS) and item.confidence is not None and item.confidence < LOW_CONFIDENCE
    ]


def _shown(item: Located) -> str:
    return getattr(item, "text", None) or getattr(item, "name", None) or ""


def _union(boxes) -> tuple[float, float, float, float]:
    return (
        round(min(b[1] for b in boxes), 2),
        round(min(b[2] for b in boxes), 2),
        round(max(b[3] for b in boxes), 2),
        round(max(b[4] for b in boxes), 2),
    )


def _lines(boxes: list) -> list[list]:
    """Consecutive character boxes grouped into visual lines (a new page or a new baseline starts one)."""
    lines: list[list] = []
    for b in boxes:
        if lines:
            last = lines[-1][-1]
            if b[0] == last[0] and same_row(b[2], last[2], last[4] - last[2]):
                lines[-1].append(b)
                continue
        lines.append([b])
    return lines


def _page_spans(length: int, offsets: list[int], char_boxes: list) -> list[PageSpan]:
    spans: dict[int, list[int]] = {}
    for i in range(length):
        o = offsets[i]
        box = char_boxes[o] if o < len(char_boxes) else None
        if box:
            lo_hi = spans.setdefault(box[0], [i, i + 1])
            lo_hi[1] = i + 1
    return [PageSpan(number=p, span=(lo, hi)) for p, (lo, hi) in sorted(spans.items())]
