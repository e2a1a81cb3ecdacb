"""Page and box provenance: every located item of a paged document gets its page and union box,
through the repairs back to the characters the reader saw."""

from __future__ import annotations

from .models import Bulletin, Repair


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


def locate(bulletin: Bulletin, char_boxes, repairs: list[Repair]) -> Bulletin:
    offsets = source_offsets(len(bulletin.text), repairs)
    # every character's box and score once: a section's span holds its subsections' characters again
    if hasattr(char_boxes, "scores"):
        boxes_at, scores_at = char_boxes.boxes(), char_boxes.scores()
    else:
        boxes_at, scores_at = list(char_boxes), [None] * len(char_boxes)
    known = len(boxes_at)

    def place(node):
        if isinstance(node, dict):
            if "span" in node and "page" in node and node["span"]:
                a, b = node["span"]
                sources = [o for o in offsets[a:b] if o < known]
                boxes = [bx for bx in map(boxes_at.__getitem__, sources) if bx]
                scores = [sc for sc in map(scores_at.__getitem__, sources) if sc is not None]
                if scores:
                    node["confidence"] = round(min(scores), 4)
                if boxes:
                    page = boxes[0][0]
                    on_page = [bx for bx in boxes if bx[0] == page]
                    node["page"] = page
                    node["bbox"] = _union(on_page)
                    lines = _lines(boxes)
                    if len(lines) > 1:
                        node["boxes"] = [[ln[0][0], *_union(ln)] for ln in lines]
            for v in node.values():
                place(v)
        elif isinstance(node, list):
            for v in node:
                place(v)

    data = bulletin.model_dump(mode="json")
    place(data)
    data["pages"] = _page_spans(len(bulletin.text), offsets, boxes_at)
    data["warnings"] = data["warnings"] + _low_confidence(data)
    return Bulletin.model_validate(data)


LOW_CONFIDENCE = 0.9  # an OCR score below this makes an item worth a look against the page


def _low_confidence(data: dict) -> list[dict]:
    """One warning per recognized item (figure, date, task field, person) read with a low OCR score."""
    out = []

    def walk(node):
        if isinstance(node, dict):
            small = not ({"subsections", "sections", "fields"} & node.keys())  # not a section, part or task
            if small and node.get("confidence") is not None and node["confidence"] < LOW_CONFIDENCE:
                what = node.get("text") or node.get("name") or ""
                out.append(
                    {
                        "code": "low_confidence",
                        "span": node["span"],
                        "message": f"OCR confidence {node['confidence']:.2f} for {what!r} on page {node.get('page')}",
                    }
                )
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data["parts"])
    return out


def _union(boxes) -> list[float]:
    return [
        round(min(b[1] for b in boxes), 2),
        round(min(b[2] for b in boxes), 2),
        round(max(b[3] for b in boxes), 2),
        round(max(b[4] for b in boxes), 2),
    ]


def _lines(boxes) -> list[list]:
    """Consecutive character boxes grouped into visual lines (a new page or a new baseline starts one)."""
    lines: list[list] = []
    for b in boxes:
        if lines:
            last = lines[-1][-1]
            if b[0] == last[0] and abs(b[2] - last[2]) <= (last[4] - last[2]) * 0.5:
                lines[-1].append(b)
                continue
        lines.append([b])
    return lines


def _page_spans(length: int, offsets: list[int], char_boxes) -> list[dict]:
    spans: dict[int, list[int]] = {}
    for i in range(length):
        o = offsets[i]
        box = char_boxes[o] if o < len(char_boxes) else None
        if box:
            lo_hi = spans.setdefault(box[0], [i, i + 1])
            lo_hi[1] = i + 1
    return [{"number": p, "span": span} for p, span in sorted(spans.items())]
