"""The coverage invariant (issue 11): text outside every part and the footer is reported as
`unassigned`, a heading hidden in a section's text as `heading_in_section`, each with its span."""
import pytest

from conftest import extracted, sample_names
from extract.coverage import check_structure
from extract.structure import PartNode, SectionNode, Structure

COVERAGE_CODES = ("unassigned", "heading_in_section")


@pytest.mark.parametrize("name", sample_names())
def test_samples_have_nothing_unassigned_or_hidden(name):
    doc = extracted(name)
    assert [w.message for w in doc.warnings if w.code in COVERAGE_CODES] == []


def _part(start, end, sections=()):
    return PartNode(title="", kind="other", start=start, end=end, period=None, period_end=None, year=None, month=None,
                    sections=list(sections))


def _section(text, label, kind, level, start, end, children=()):
    title_end = text.index("\n", start)
    return SectionNode(label=label, kind=kind, number=1, level=level, start=start, end=end, title_start=start + len(label),
                       title_end=title_end, children=list(children))


# text, structure made of it -> [(code, covered text)]
def _cases():
    t1 = "某局工作总结\n一、上半年工作\n甲\n孤立的一段\n二、下半年工作\n乙\n编辑：张三\n"
    a, b = t1.index("一、"), t1.index("孤立")
    c, f = t1.index("二、"), t1.index("编辑")
    yield t1, Structure(None, None, None, None, None, [_part(a, b), _part(c, f)], f), [("unassigned", "孤立的一段")]
    t2 = "某局工作总结\n一、成效\n1.第一项\n做了甲\n二、存在的主要问题\n问题乙\n编辑：张三\n"
    s, e = t2.index("1."), t2.index("编辑")
    inner = _section(t2, "1.", "ar_dot", 2, s, e)
    outer = _section(t2, "一、", "cn_dun", 1, t2.index("一、"), e, [inner])
    yield t2, Structure(None, None, None, None, None, [_part(t2.index("一、"), e, [outer])], e), \
        [("heading_in_section", "二、存在的主要问题")]
    t3 = "某局工作总结\n一、成效\n（一）甲\n（二）乙\n编辑：张三\n"
    e3 = t3.index("编辑")
    kids = [_section(t3, "（一）", "cn_paren", 2, t3.index("（一）"), t3.index("（二）")),
            _section(t3, "（二）", "cn_paren", 2, t3.index("（二）"), e3)]
    yield t3, Structure(None, None, None, None, None, [_part(t3.index("一、"), e3, [_section(t3, "一、", "cn_dun", 1, t3.index("一、"), e3, kids)])], e3), []


@pytest.mark.parametrize("text,structure,expected", list(_cases()))
def test_check_structure(text, structure, expected):
    found = check_structure(text, structure)
    assert [(f.code, text[f.span[0]:f.span[1]]) for f in found] == expected


def test_a_part_heading_no_lexicon_knows_is_a_part():
    """A report whose middle part heading has words no lexicon knows (the issue's first example): the
    heading continues the numbering of the recognized parts, so it is a part, kind other, and its items
    are its sections, not the tail of part one."""
    from extract.pipeline import extract_text

    text = ("某某局2021年上半年工作总结\n\n一、上半年主要工作成效\n（一）抓好安全生产。全年检查企业120家。\n（二）推进项目建设。\n"
            "二、存在的主要问题\n（一）资金缺口较大。\n（二）人才不足。\n三、下半年重点工作安排\n（一）继续抓好安全生产。\n")
    doc = extract_text(text)
    got = [(p.title, p.kind, p.period, p.period_end, [s.title for s in p.sections]) for p in doc.parts]
    assert got == [("上半年主要工作成效", "summary", "2021-01", "2021-06", ["抓好安全生产", "推进项目建设"]),
                   ("存在的主要问题", "other", "2021-01", "2021-06", ["资金缺口较大", "人才不足"]),
                   ("下半年重点工作安排", "plan", "2021-07", "2021-12", ["继续抓好安全生产"])]
    assert not [w for w in doc.warnings if w.code in ("unassigned", "heading_in_section")]


def text_of(doc, warning):
    a, b = warning.span
    return doc.text[a:b]


NEWS_ISSUE = """青川县教育工作动态
第5期
青川县教育局办公室                2021年9月30日

9月6日，县教育局召开秋季开学工作会议，局长王建国出席会议并讲话。全县共有中小学生2.3万人，新招聘教师120名。
9月10日，全县举行庆祝第37个教师节表彰大会，表彰优秀教师86名，发放奖励资金15万元。
近日，县教育局完成校舍安全排查，排查校舍面积约38万平方米。
"""


def test_a_document_without_numbered_sections_is_read_as_one_body_part():
    """A news-style issue (工作动态) has no numbered sections: its prose is one body part, read for every
    figure, date and person, with the masthead's issuer and period, and no warning."""
    from extract.pipeline import extract_text

    doc = extract_text(NEWS_ISSUE)
    (part,) = doc.parts
    assert doc.text[part.span[0]:].startswith("9月6日") and part.period == "2021-09"
    assert doc.issuer == "青川县教育局办公室" and doc.title == "青川县教育工作动态"
    assert [(f.text, f.value, f.unit) for f in part.figures] == [
        ("2.3万人", 23000, "人"), ("120名", 120, "名"), ("86名", 86, "名"), ("15万元", 150000, "元"),
        ("约38万平方米", 380000, "平方米")]
    assert [(d.text, str(d.start)) for d in part.dates] == [("9月6日", "2021-09-06"), ("9月10日", "2021-09-10"),
                                                          ("教师节", "2021-09-10")]
    assert [(p.name, p.titles) for p in part.people] == [("王建国", ["局长"])]
    assert doc.warnings == []


def test_a_part_heading_no_lexicon_knows_heads_its_sections():
    """A part heading no lexicon knows (五月下旬要情) that names a period over numbered sections, above a part
    heading the lexicon knows: it heads a part of its own (kind other), its sections are not masthead."""
    from extract.pipeline import extract_text

    text = ("某某局工作旬报\n2021年第15期\n\n五月下旬要情\n一、抓好安全生产。检查企业12家。\n二、推进项目建设。\n\n"
            "六月上旬工作安排\n一、继续抓好安全生产。\n")
    doc = extract_text(text)
    assert [(p.title, p.kind, p.period, [s.title for s in p.sections]) for p in doc.parts] == [
        ("五月下旬要情", "other", "2021-05", ["抓好安全生产", "推进项目建设"]),
        ("六月上旬工作安排", "plan", "2021-06", ["继续抓好安全生产"])]
    assert [w for w in doc.warnings if w.code in COVERAGE_CODES] == []


def test_numbered_lines_above_the_first_part_are_reported():
    """Numbered sections above a part heading, with no heading of their own: reported as unassigned when
    the part heading stands (here the numbering itself names the part level), never filed silently."""
    from extract.pipeline import extract_text

    text = ("某某局工作旬报\n2021年第15期\n\n（一）抓好安全生产。检查企业12家。\n（二）推进项目建设。\n\n"
            "一、六月上旬工作安排\n（一）继续抓好安全生产。\n")
    doc = extract_text(text)
    unassigned = [text_of(doc, w) for w in doc.warnings if w.code == "unassigned"]
    assert unassigned == ["（一）抓好安全生产。检查企业12家。", "（二）推进项目建设。"]


# --- the invariant under edits: hypothesis inserts, removes and reorders headings and paragraphs ---------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from conftest import ROOT  # noqa: E402

# headings of every style the structure reads, to insert anywhere
INSERTED_HEADINGS = ["三、新增一项工作", "（四）另一项工作", "5.又一项工作", "★一篇新文章", "【情况通报】", "第二部分  十月份工作安排",
                     "九月份工作综述", "①第一件事", "第三章　附则", "附件2", "全区召开专题会议"]
PARAGRAPH = "本月共组织检查120家次，发现问题35个，已整改30个。"


def _sample_lines(name: str) -> list[str]:
    from extract.read.text import read_text

    return read_text(str(ROOT / "samples" / f"{name}.txt")).text.split("\n")


edits = st.lists(st.tuples(st.sampled_from(["delete", "move", "heading", "paragraph", "blank"]),
                           st.integers(0, 10_000), st.integers(0, 10_000), st.sampled_from(INSERTED_HEADINGS)),
                 min_size=1, max_size=6)


def _edit(lines: list[str], ops) -> str:
    lines = list(lines)
    for op, i, j, heading in ops:
        i, j = i % len(lines), j % (len(lines) + 1)
        if op == "delete" and len(lines) > 3:
            del lines[i]
        elif op == "move":
            lines.insert(j, lines.pop(i))
        elif op == "heading":
            lines.insert(j, heading)
        elif op == "paragraph":
            lines.insert(j, PARAGRAPH)
        else:
            lines.insert(j, "")
    return "\n".join(lines)


def _owners(text: str, structure, findings) -> list[int]:
    """How many regions claim each character: front matter, a part, the footer, an unassigned finding."""
    count = [0] * len(text)

    def claim(a, b):
        for k in range(a, b):
            count[k] += 1

    first = min((p.start for p in structure.parts), default=structure.footer_start)
    claim(0, first)
    for p in structure.parts:
        claim(p.start, p.end)
    claim(structure.footer_start, len(text))
    for f in findings:
        if f.code == "unassigned" and f.span[0] >= first:  # numbered lines above the first part lie in front matter
            claim(*f.span)
    return count


def _nested(nodes, lo: int, hi: int) -> bool:
    """Sections lie inside their parent, in order, without overlapping."""
    cur = lo
    for n in nodes:
        if not (cur <= n.start <= n.end <= hi) or not _nested(n.children, n.start, n.end):
            return False
        cur = n.end
    return True


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sample_names()), edits)
def test_every_character_has_one_owner_after_any_edit(name, ops):
    from extract.repair import repair_text
    from extract.structure import analyze

    text, _ = repair_text(_edit(_sample_lines(name), ops))
    structure = analyze(text)
    findings = check_structure(text, structure)
    owners = _owners(text, structure, findings)
    lonely = [k for k, c in enumerate(text) if not c.isspace() and owners[k] != 1]
    assert not lonely, (text[lonely[0]:lonely[0] + 20], owners[lonely[0]])
    assert all(_nested(p.sections, p.start, p.end) for p in structure.parts)
