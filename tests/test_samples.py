"""Every sample bulletin reproduces its hand-checked facts file exactly (the shared checker, --min 1.0)."""

import json

import pytest

from conftest import check_facts, extracted, extracted_json, facts, FACTS, ROOT, sample_names



@pytest.mark.parametrize("name", sample_names())
def test_sample_reproduces_facts(name, tmp_path):
    out = tmp_path / f"{name}.json"
    out.write_text(extracted_json(name), encoding="utf-8")
    run = check_facts(out, FACTS / f"{name}.facts.json")
    assert run.returncode == 0, run.stdout


@pytest.mark.parametrize("name", sample_names())
def test_repaired_breaks_read_whole(name):
    doc = extracted(name)
    for phrase in facts(name).get("repaired_breaks", []):
        assert phrase in doc.text, phrase
    joins = [r for r in doc.repairs if r.kind == "page_break_join"]
    assert len(joins) == len(facts(name).get("repaired_breaks", []))


def test_first_sample_in_detail():
    doc = extracted("jingzhou-ftu-2020-08")
    assert doc.issuer == "荆州市总工会"
    assert doc.reference_period == "2020-08"
    assert [(p.kind, p.period) for p in doc.parts] == [("summary", "2020-08"), ("plan", "2020-09")]
    s1 = doc.parts[0].sections[0]
    fig = next(f for f in s1.figures if f.text == "172 万")
    assert (fig.value, fig.unit, fig.unit_inferred) == (1720000, "元", True)
    assert next(f for f in s1.figures if f.text == "5 万多人").approx == "more_than"
    assert [d.text for d in s1.dates] == ["6日", "同日", "今年"]
    plan6 = doc.parts[1].sections[5]
    assert plan6.title == "开展全市“中国梦·劳动美——决胜小康 奋斗有我”宣讲比赛活动"
    task = doc.parts[1].sections[8].task
    assert task.leaders == ["高启秀", "张征军"]
    assert task.departments == ["商贸服务业工会", "经技部"]
    assert (str(task.deadline.start), str(task.deadline.end)) == ("2020-09-01", "2020-09-30")
    assert [f.label for f in task.fields] == ["责任领导", "责任部室", "完成时限"]
    four = next(f for f in doc.parts[0].sections[1].figures if f.text == "四个")
    assert four.noun == "方面"
    assert doc.distribution.report_to == ["省总工会", "市“四大家”有关领导", "市“四大家”办公室"]
    assert (doc.editor, doc.phone) == ("董军", "8219262")


def test_cross_year_plan_resolves_into_january():
    doc = extracted("yunxi-hrss-2020-12")
    assert [(p.kind, p.period) for p in doc.parts] == [("summary", "2020-12"), ("plan", "2021-01")]
    deadlines = {s.task.deadline.text: s.task.deadline for s in doc.parts[1].sections if s.task and s.task.deadline}
    assert str(deadlines["春节前"].end) == "2021-02-11"  # Spring Festival 2021 fell on 12 February
    assert deadlines["长期坚持"].end is None


def test_gb18030_and_crlf_inputs_are_read():
    assert extracted("linjiang-women-2021-04").source.encoding == "gb18030"
    doc = extracted("donghu-street-2021-09")
    assert "\r" not in doc.text


def test_quarter_parts_have_period_end():
    doc = extracted("lanjiang-ema-2021-07")
    assert [(p.kind, p.period, p.period_end) for p in doc.parts] == [("summary", "2021-07", "2021-09"), ("plan", "2021-10", "2021-12")]


def test_masthead_name_numbered_and_bracketed_part_headings():
    doc = extracted("tongchuan-edu-2020-11")
    assert (doc.title, doc.issuer) == ("桐川教育工作动态", "桐川县教育局")
    assert [p.title for p in doc.parts] == ["十一月份工作完成情况", "十二月份工作计划"]
    assert [p.title for p in extracted("luoxi-power-2022-04").parts] == ["四月工作回顾", "五月工作安排"]
    assert (doc.signer, doc.contact) == ("马骏", "周婷")


def test_text_table_rows_are_sections_with_tasks():
    plan = extracted("xishan-amr-2023-09").parts[1]
    row = plan.sections[4]
    assert (row.number, row.label) == (5, "5")
    assert row.title == "推进个体工商户分型分类精准帮扶，新增“名特优新”个体工商户20户以上"
    assert (row.task.leaders, row.task.departments) == (["陈海燕", "何建平"], ["登记注册科"])
    assert [f.label for f in row.task.fields] == ["责任领导", "责任单位", "完成时限"]
    assert [f.text for f in row.figures] == ["20户以上"]


def test_relative_month_parts_count_from_the_masthead_date():
    doc = extracted("pingshan-justice-2023-10")
    assert [(p.kind, p.period) for p in doc.parts] == [("summary", "2023-10"), ("plan", "2023-11")]


def test_hard_wrapped_text_reads_like_the_original(tmp_path):
    """The first sample with every paragraph hard-wrapped at 28 characters (text copied out of a PDF):
    lines that fill the width are joined back, and the facts still hold."""
    from extract.read.text import read_text

    src = read_text(str(ROOT / "samples" / "jingzhou-ftu-2020-08.txt")).text
    lines = []
    for para in src.split("\n"):
        lines.extend([para] if len(para) <= 28 else [para[i:i + 28] for i in range(0, len(para), 28)])
    wrapped = tmp_path / "wrapped.txt"
    wrapped.write_text("\n".join(lines), encoding="utf-8")
    from extract.pipeline import extract_file
    from extract.write import to_json

    out = tmp_path / "wrapped.json"
    out.write_text(to_json(extract_file(str(wrapped))), encoding="utf-8")
    run = check_facts(out, FACTS / "jingzhou-ftu-2020-08.facts.json")
    assert run.returncode == 0, run.stdout


def test_the_facts_checker_in_process_fails_a_wrong_output(tmp_path):
    """check_facts (conftest) gives the checker's own verdict: an output without the facts fails."""
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"parts": [], "text": ""}), encoding="utf-8")
    run = check_facts(empty, FACTS / "jingzhou-ftu-2020-08.facts.json")
    assert run.returncode == 1 and "sections  P=" in run.stdout
