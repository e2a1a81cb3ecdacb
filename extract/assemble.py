"""Page and box provenance: every located item of a paged document gets its page and union box,
through the repairs back to the characters the reader saw."""
from __future__ import annotations

from .models import Bulletin, Repair


def source_offsets(length: int, repairs: list[Repair]) -> list[int]:
    """For each offset of the repaired text, the offset of the same character in the source text."""
    out, shift = [], 0
    cuts = sorted((r.at, len(r.removed)) for r in repairs)
    k = 0
    for i in range(length + 1):
        while k < len(cuts) and cuts[k][0] <= i:
            shift += cuts[k][1]
            k += 1
        out.append(i + shift)
    return out


def locate(bulletin: Bulletin, char_boxes: list, repairs: list[Repair]) -> Bulletin:
    offsets = source_offsets(len(bulletin.text), repairs)

    def place(node):
        if isinstance(node, dict):
            if "span" in node and "page" in node and node["span"]:
                a, b = node["span"]
                boxes = [char_boxes[offsets[i]] for i in range(a, b) if offsets[i] < len(char_boxes) and char_boxes[offsets[i]]]
                if boxes:
                    page = boxes[0][0]
                    on_page = [bx for bx in boxes if bx[0] == page]
                    node["page"] = page
                    node["bbox"] = [round(min(bx[1] for bx in on_page), 2), round(min(bx[2] for bx in on_page), 2),
                                    round(max(bx[3] for bx in on_page), 2), round(max(bx[4] for bx in on_page), 2)]
            for v in node.values():
                place(v)
        elif isinstance(node, list):
            for v in node:
                place(v)

    data = bulletin.model_dump(mode="json")
    place(data)
    return Bulletin.model_validate(data)
