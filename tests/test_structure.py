"""Structure from the document's own numbering (issue 11): labels, titles, genres, periods, issuers,
contents blocks, unnumbered headings, further documents in one file, numbering slips, traditional text.
Table-driven: one case per line, input and expected value side by side."""
import pytest

from extract.document import genre_of, issuer_from_title, title_period
from extract.numbering import match_label


def _analyze(text):
    from extract.repair import repair_text
    from extract.structure import analyze

    repaired, _ = repair_text(text)
    return repaired, analyze(repaired)


# line -> (label kind, number, label text)
LABELS = [
    ("一、总体要求", ("cn_dun", 1, "一、")),
    ("（十二）加强组织领导", ("cn_paren", 12, "（十二）")),
    ("3．强化督查", ("ar_dot", 3, "3．")),
    ("⑤产业项目建设提速", ("circled", 5, "⑤")),
    ("第一部分  九月份工作完成情况", ("part_no", 1, "第一部分")),
    ("第九章　附则　　第四十六条 数据", ("chapter", 9, "第九章")),
    ("第四十六条 本办法自印发之日起施行", ("article", 46, "第四十六条")),
    ("第二节 目录管理", ("division", 2, "第二节")),
    ("★全区防汛准备工作全面就绪", ("mark★", None, "★")),
    ("◆九月份工作回顾", ("mark◆", None, "◆")),
    ("【全县招商引资取得新突破】", ("bracketed", None, "")),
    ("第二节日", None),  # not a label: 节日
    ("一，二，三", None),  # a list, not a heading
]


@pytest.mark.parametrize("line,expected", LABELS)
def test_match_label(line, expected):
    lab = match_label(line)
    assert (None if lab is None else (lab.kind, lab.number, lab.text)) == expected


# title -> (genre, kind)
GENRES = [
    ("鹭城市生态环境局2024年工作要点", ("工作要点", "plan")),
    ("关于7月份全县重点工作推进情况的通报", ("通报", "summary")),
    ("阿坝州政务数据资源管理暂行办法", ("办法", "other")),
    ("关于推进北京市数据专区建设的指导意见", ("指导意见", "plan")),
    ("某市数字经济行动实施方案(2023—2025年)", ("实施方案", "plan")),
    ("城南广场管理处9月工作总结暨10月工作计划", ("工作计划", "plan")),
    ("清河教育工作动态", ("工作动态", "other")),
    ("2011年浙江省普通高校录取工作进程", ("进程", "other")),
    ("创新管理共同发展  创优成绩全面提高", (None, None)),
]


@pytest.mark.parametrize("title,expected", GENRES)
def test_genre_of(title, expected):
    assert genre_of(title) == expected


# title -> (year, first month, end year, last month) or None
PERIODS = [
    ("鹭城市生态环境局2024年工作要点", (2024, 1, 2024, 12)),
    ("关于2018年上半年全市经济运行形势的通报", (2018, 1, 2018, 6)),
    ("某市数字经济行动实施方案(2023—2025年)", (2023, 1, 2025, 12)),
    ("某某市2023———2025年行动方案", (2023, 1, 2025, 12)),  # a run of dashes is one range word
    ("某某市2023~~2025年行动方案", (2023, 1, 2025, 12)),
    ("某区2022年第四季度工作总结", (2022, 10, 2022, 12)),
    ("二〇二三年一季度工作安排", (2023, 1, 2023, 3)),
    ("南溪镇五月下旬工作进展", (None, 5, None, 5)),
    ("2021年今冬明春火灾防控工作方案", (2021, 11, 2022, 3)),
    ("绍兴一中2009学年第二学期工作思路", None),  # a school term is no calendar period
    ("关于推进北京市数据专区建设的指导意见", None),
]


@pytest.mark.parametrize("title,expected", PERIODS)
def test_title_period(title, expected):
    p = title_period(title)
    assert (tuple(p) if p else None) == expected


ISSUERS = [
    ("北京市经济和信息化局印发《关于推进北京市数据专区建设的指导意见》的通知", "北京市经济和信息化局"),
    ("阿坝州人民政府办公室关于印发《阿坝州政务数据资源管理暂行办法》的通知", "阿坝州人民政府办公室"),
    ("中共绍兴市教育局委员会2011年创先争优活动工作思路", "中共绍兴市教育局委员会"),
    ("绍兴一中领导班子总结报告", "绍兴一中"),
    ("荆州市总工会八月份工作综述", "荆州市总工会"),
    ("九届二次教代会学校工作报告", None),  # a meeting's ordinal, no organisation
    ("转发《中共绍兴市教育局委员会2011年创先争优活动工作思路》", None),  # the wrapper names none
    ("关于7月份全县重点工作推进情况的通报", None),
]


@pytest.mark.parametrize("title,expected", ISSUERS)
def test_issuer_from_title(title, expected):
    assert issuer_from_title(title) == expected


# a document -> [(part kind, period, [section titles])]
DOCUMENTS = [
    # the issue's example: a middle part heading no lexicon knows continues the numbering of the parts
    ("某局2021年上半年工作总结\n\n一、上半年主要工作成效\n（一）抓好安全生产。\n（二）推进项目建设。\n"
     "二、存在的主要问题\n（一）资金缺口较大。\n三、下半年重点工作安排\n（一）继续抓好安全生产。\n",
     [("summary", "2021-01", ["抓好安全生产", "推进项目建设"]), ("other", "2021-01", ["资金缺口较大"]),
      ("plan", "2021-07", ["继续抓好安全生产"])]),
    # a part kind named by one heading and a period by another: the level is the part level
    ("关于5月份重点工作推进情况的督查通报\n一、总体推进情况\n（一）项目建设。进展顺利。\n二、下一步工作要求\n1.加快进度。\n",
     [("summary", None, ["项目建设"]), ("plan", None, ["加快进度"])]),  # no year written: no period
    # chapters and articles: chapters are the sections, a chapter title stops at its first article
    ("某某管理暂行办法\n第一章　总则　　第一条 为规范管理，制定本办法。\n第二条 本办法适用于全县。\n"
     "第二章　附则　　第三条 本办法自印发之日起施行。\n",
     [("other", None, ["总则", "附则"])]),
    # ★ articles under a contents block: the contents are front matter
    ("水务工作简报\n2023年第5期\n河西区水务局　　2023年5月31日\n\n本期要目\n全区防汛准备工作全面就绪……1\n河长制工作扎实推进……2\n\n"
     "★全区防汛准备工作全面就绪\n5月12日，全区召开防汛工作会议。\n★河长制工作扎实推进\n全区巡河1200余次。\n",
     [("other", "2023-05", ["全区防汛准备工作全面就绪", "河长制工作扎实推进"])]),
    # headlines standing alone between blank lines, nothing numbered
    ("教育工作动态\n2022年第3期\n清河区教育局　　2022年3月31日\n\n全区召开教育工作会议\n\n3月4日，全区教育工作会议召开。\n\n春季开学工作平稳有序\n\n"
     "全区86所学校按时开学。\n",
     [("other", "2022-03", ["全区召开教育工作会议", "春季开学工作平稳有序"])]),
    # 上月 and 本月 in one heading: the first in the title counts (上月 of a masthead dated 2023-11)
    ("某某县商务局工作简报\n2023年11月2日\n\n一、上月工作回顾及本月工作要点\n（一）开展消费促进活动。\n（二）推进项目建设。\n",
     [("summary", "2023-10", ["开展消费促进活动", "推进项目建设"])]),
]


def test_a_periodicals_name_stays_its_title_over_a_report_line():
    """关于…的汇报 under a periodical's masthead is its article's heading, not the document's title: only
    an official document's types (document_types.yaml: 通知, 报告 …) make a 关于…的 line the title."""
    _, st = _analyze("某县农业农村局工作简报\n2020年第9期\n某县农业农村局办公室编　　2020年9月5日\n"
                     "关于八月份重点工作完成情况的汇报\n一、完成春播备耕。全县完成备耕。\n二、推进高标准农田建设。\n")
    assert (st.title, st.genre) == ("某县农业农村局工作简报", "工作简报")


@pytest.mark.parametrize("text,expected", DOCUMENTS)
def test_document_structure(text, expected):
    repaired, st = _analyze(text)
    got = [(p.kind, p.period, [repaired[s.title_start:s.title_end] for s in p.sections]) for p in st.parts]
    assert got == expected


# a document -> warning codes about its numbering
NUMBERING = [
    ("某局工作总结\n一、甲项工作\n正文。\n二、乙项工作\n正文。\n四、丁项工作\n正文。\n", ["numbering_gap"]),
    ("某局工作总结\n一、甲项工作\n正文。\n二、乙项工作\n正文。\n二、丙项工作\n正文。\n", ["numbering_repeat"]),
    ("某局工作总结\n一、甲项工作\n正文。\n二、乙项工作\n正文。\n三、丙项工作\n正文。\n", []),
]


@pytest.mark.parametrize("text,codes", NUMBERING)
def test_numbering_slips_are_reported(text, codes):
    _, st = _analyze(text)
    assert [c for c, _ in st.warnings if c.startswith("numbering_")] == codes


def test_further_documents_are_parts():
    """An 印发 notice handing on two documents and an attachment: each document is a part."""
    text = ("某省人民政府办公厅关于印发支持产业发展若干政策和某省产业创新发展行动计划的通知\n各市人民政府：\n"
            "现将有关文件印发给你们，请认真贯彻执行。\n某省人民政府办公厅\n2021年9月2日\n支持产业发展若干政策\n"
            "一、加大资金支持。每年安排1亿元。\n二、强化人才支撑。\n某省产业创新发展行动计划（2021-2023年）\n"
            "为推动产业创新发展，制定本计划。\n一、总体要求\n二、重点任务\n附件\n专项工作组名单\n组长：张三\n")
    repaired, st = _analyze(text)
    assert [(p.title, p.kind, p.period, p.period_end) for p in st.parts] == [
        ("支持产业发展若干政策", "plan", None, None),
        ("某省产业创新发展行动计划（2021-2023年）", "plan", "2021-01", "2023-12"),
        ("专项工作组名单", "other", None, None)]
    assert [len(p.sections) for p in st.parts] == [2, 2, 0]


# traditional characters: recognized on a simplified reading, shown as written
def test_traditional_document_reads_as_written():
    from extract.pipeline import extract_text

    text = ("城南廣場管理處9月工作總結暨10月工作計劃\n城南廣場管理處　　2019年10月8日\n九月份工作總結\n一、節日亮化。新增景觀燈600餘盞，投入資金12萬元。\n"
            "十月份工作計劃\n一、國慶服務保障。10月1日至7日實行24小時值班。（負責領導：陳美玲；責任部門：管理處）\n")
    doc = extract_text(text)
    assert doc.source.script == "traditional" and doc.text == text
    s1, s2 = doc.parts[0].sections[0], doc.parts[1].sections[0]
    assert [(p.kind, p.period) for p in doc.parts] == [("summary", "2019-09"), ("plan", "2019-10")]
    assert (s1.title, [(f.text, f.value, f.unit, f.approx) for f in s1.figures]) == (
        "節日亮化", [("600餘盞", 600, "盏", "more_than"), ("12萬元", 120000, "元", None)])
    assert [d.text for d in s2.dates] == ["10月1日至7日"]
    assert (s2.task.leaders, s2.task.departments) == (["陳美玲"], ["管理處"])
    for item in [s1, s2, *s1.figures, *s2.dates, *s2.task.fields]:
        assert doc.text[item.span[0]:item.span[1]] == item.text


# simplified text is never read as traditional
@pytest.mark.parametrize("text", ["荆州市总工会八月份工作综述\n一、开展送清凉活动。发放慰问金172万元。\n",
                                  "於是在这里乾杯，后来发现问题。"])
def test_simplified_text_is_not_converted(text):
    from extract.script import simplified_reading

    assert simplified_reading(text) is None


def test_database_of_schema_1_is_migrated(tmp_path):
    """A database written before issue 11 (schema 1: no documents.genre, sections.number NOT NULL) opens
    as schema 2 with every row and reference kept, and takes unnumbered sections."""
    import sqlite3

    from extract import db
    from extract.pipeline import extract_text

    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.executescript(db.SCHEMA.replace("    genre TEXT,\n", "").replace("    number INTEGER,", "    number INTEGER NOT NULL,"))
    old.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    old.execute("INSERT INTO documents (id, sha256, path, format, schema_version) VALUES (1, 'x', 'a.txt', 'text', '1.3.0')")
    old.execute("INSERT INTO parts (id, document_id, ordinal, title, kind) VALUES (1, 1, 0, '八月份工作综述', 'summary')")
    old.execute("INSERT INTO sections (id, document_id, part_id, ordinal, number, label, level, title, text)"
                " VALUES (7, 1, 1, 0, 1, '一、', 1, '甲', '一、甲')")
    old.execute("INSERT INTO figures (document_id, part_id, section_id, value, unit_inferred, text) VALUES (1, 1, 7, 5, 0, '5人')")
    old.commit()
    old.close()

    conn = db.connect(str(path))
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("3",)
    assert conn.execute("SELECT s.id, s.title, f.text FROM figures f JOIN sections s ON s.id = f.section_id").fetchall() == [(7, "甲", "5人")]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert "sections_v1" not in {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
    assert "REFERENCES sections(id)" in conn.execute("SELECT sql FROM sqlite_master WHERE name = 'figures'").fetchone()[0]
    news = extract_text("清河教育工作动态\n清河区教育局　　2022年3月31日\n\n全区召开教育工作会议\n\n3月4日，会议召开。\n\n"
                        "春季开学工作平稳有序\n\n全区86所学校按时开学。\n", path="news.txt")
    assert db.load_document(conn, news.model_dump(mode="json"))
    assert conn.execute("SELECT number, title FROM sections WHERE document_id != 1 ORDER BY id").fetchall() == [
        (None, "全区召开教育工作会议"), (None, "春季开学工作平稳有序")]
    assert conn.execute("SELECT genre FROM documents WHERE path = 'news.txt'").fetchone() == ("工作动态",)
    conn.execute("DELETE FROM documents WHERE id = 1")  # cascades still reach the rebuilt table
    assert conn.execute("SELECT count(*) FROM sections WHERE document_id = 1").fetchone() == (0,)
    conn.close()
