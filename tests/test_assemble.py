"""Provenance as assemble.py gives it: which items a low OCR score puts on the auditor's list. The
expectations are written out, not computed with the rule under test."""
from __future__ import annotations

import pytest

from extract.assemble import _low_confidence
from extract.models import Figure, Part, Person, Section

# (the section's confidence, its figure's, its person's) → the texts of the items warned of
CASES = [
    ("all above the mark", (0.95, 0.97, 0.99), []),
    ("a figure just under 0.9", (0.95, 0.8999, 0.99), ["172 万"]),
    ("a figure exactly at 0.9", (0.95, 0.90, 0.99), []),
    ("a person under the mark", (0.95, 0.97, 0.62), ["高启秀"]),
    ("the section low, its items not: a section is no item", (0.50, 0.97, 0.99), []),
    ("no score (a text layer): nothing to warn of", (None, None, None), []),
    ("both items low, in document order", (0.95, 0.70, 0.60), ["172 万", "高启秀"]),
]


@pytest.mark.parametrize("name,scores,warned", CASES, ids=[c[0] for c in CASES])
def test_low_confidence_warns_of_each_small_item_under_the_mark(name, scores, warned):
    section_score, figure_score, person_score = scores
    figure = Figure(text="172 万", value=1720000, unit="元", span=(10, 15), confidence=figure_score, page=1)
    person = Person(name="高启秀", titles=["主席"], span=(20, 23), confidence=person_score, page=1)
    section = Section(number=1, label="一、", level=1, title="t", text="x" * 30, span=(0, 30),
                      figures=[figure], people=[person], confidence=section_score)
    part = Part(title="八月份工作综述", kind="summary", span=(0, 30), sections=[section], confidence=section_score)
    got = _low_confidence([part])
    assert [w.message.split("'")[1] for w in got] == warned
    assert all(w.code == "low_confidence" and "on page 1" in w.message for w in got)
