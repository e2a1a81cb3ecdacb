"""Table-driven cases for each recognizer: one case per line, input and expected value side by side."""

import pytest

from extract.numbering import match_label
from extract.recognize.dates import Context, find_dates, parse_deadline
from extract.recognize.figures import find_figures
from extract.recognize.footer import parse_footer
from extract.recognize.numbers import parse_number
from extract.recognize.people import find_people
from extract.recognize.tasks import find_task
from extract.repair import rebuild_original, repair_text
from extract.segment import tokenize

NUMBERS = [
    ("172 万", 1720000), ("1.38亿", 138000000), ("两千", 2000), ("三十", 30), ("十五", 15), ("一万二", 12000),
    ("二〇二〇", 2020), ("一百零五", 105), ("３千万", 30000000), ("1,234.5", 1234.5), ("１２０", 120),
    ("三点五万", 35000), ("一亿二千万", 120000000), ("壹佰", 100), ("两百点两", 200.2),
]


@pytest.mark.parametrize("text,value", NUMBERS)
def test_parse_number(text, value):
    assert float(parse_number(text)) == pytest.approx(value)


# text in a sentence -> (figure text, value, value_max, unit, approx, unit_inferred)
FIGURES = [
    ("筹集慰问经费 172 万，", ("172 万", 1720000, None, "元", None, True)),
    # a range written with an en dash or a doubled dash is one range (patterns.RANGE_WORD)
    ("补助1–5万元", ("1–5万元", 10000, 50000, "元", None, False)),
    ("补助1--5万元", ("1--5万元", 10000, 50000, "元", None, False)),
    ("慰问职工 5 万多人。", ("5 万多人", 50000, None, "人", "more_than", False)),
    ("消费扶贫1.38亿元，", ("1.38亿元", 138000000, None, "元", None, False)),
    ("累计销售60余万件。", ("60余万件", 600000, None, "件", "more_than", False)),
    ("共100多名员工参加", ("100多名", 100, None, "名", "more_than", False)),
    ("从四个方面进行总结", ("四个", 4, None, "个", None, False)),
    ("发放补贴约 380 万元。", ("约 380 万元", 3800000, None, "元", "about", False)),
    ("人均3500 元左右。", ("3500 元左右", 3500, None, "元", "about", False)),
    ("服务超过 18 万人次。", ("超过 18 万人次", 180000, None, "人次", "more_than", False)),
    ("覆盖率80%以上，", ("80%以上", 80, None, "%", "more_than", False)),
    ("控制在3.2%以内，", ("3.2%以内", 3.2, None, "%", "less_than", False)),
    ("近千名职工参加", ("近千名", 1000, None, "名", "less_than", False)),
    ("每村选派1至2名", ("1至2名", 1, 2, "名", None, False)),
    ("提高 3.1 个百分点", ("3.1 个百分点", 3.1, None, "个百分点", None, False)),
    ("每期20-30人", ("20-30人", 20, 30, "人", None, False)),
    ("培训3至5天", ("3至5天", 3, 5, "天", None, False)),
    ("帮扶两千多户", ("两千多户", 2000, None, "户", "more_than", False)),
    ("共三十余人", ("三十余人", 30, None, "人", "more_than", False)),
    ("安置１２０人", ("１２０人", 120, None, "人", None, False)),
    ("增长百分之十五", ("百分之十五", 15, None, "%", None, False)),
    ("收获1.5万斤", ("1.5万斤", 15000, None, "斤", None, False)),
    ("面积3.6万亩", ("3.6万亩", 36000, None, "亩", None, False)),
    ("节约48.7万吨标准煤", ("48.7万吨标准煤", 487000, None, "吨标准煤", None, False)),  # 约 of 节约 is no marker
    ("受理投诉1260件次", ("1260件次", 1260, None, "件次", None, False)),
    ("增速为-3.2%", ("-3.2%", -3.2, None, "%", None, False)),
    ("同比下降－1.5个百分点", ("－1.5个百分点", -1.5, None, "个百分点", None, False)),
    ("举办两期培训班", ("两期", 2, None, "期", None, False)),  # 两 counts where 二 numbers
]

NOT_FIGURES = ["学习第三卷", "第五项目组来我会", "首届快递行业技能大赛", "获得一等奖", "第三方评估", "2020年全市",
               "联系电话：8219262", "千方百计", "统一思想", "开展一次检查", "荆工发〔2020〕12号", "市“四大家”领导",
               # ordinals, names and patterns that do not count (issue 11)
               "党的十九届五中全会", "召开四届三次全委会", "项目二期工程", "二号楼", "举办两节慰问活动", "开展“两节”走访",
               "为期一周的培训", "坚持一周一检", "实行一户一策", "抓好三农工作", "落实三会一课制度", "电话027-8456"]


@pytest.mark.parametrize("sentence,expected", FIGURES, ids=[f[1][0] for f in FIGURES])
def test_figure(sentence, expected):
    figs = find_figures(sentence, 0, len(sentence), tokenize(sentence))
    assert [(f.text, f.value, f.value_max, f.unit, f.approx, f.unit_inferred) for f in figs] == [expected]


@pytest.mark.parametrize("sentence", NOT_FIGURES)
def test_not_a_figure(sentence):
    skip = [d.span for d in find_dates(sentence, 0, len(sentence), Context(2020, 8))]
    assert find_figures(sentence, 0, len(sentence), tokenize(sentence), skip=skip) == []


# sentence, context (year, month) -> [(text, start, end, granularity)]
DATES = [
    ("6日，市委书记", (2020, 8), [("6日", "2020-08-06", "2020-08-06", "day")]),
    # a bare N号 is a day unless it numbers a thing (南5号泊位, 3号楼: NOT_DATES)
    ("会议于12号召开", (2020, 8), [("12号", "2020-08-12", "2020-08-12", "day")]),
    ("9号上午检查", (2020, 8), [("9号", "2020-08-09", "2020-08-09", "day")]),
    ("28 日，市总工会", (2020, 8), [("28 日", "2020-08-28", "2020-08-28", "day")]),
    ("3日至11日，评估组", (2020, 8), [("3日至11日", "2020-08-03", "2020-08-11", "day")]),
    ("7月29日、8月7日，", (2020, 8), [("7月29日", "2020-07-29", "2020-07-29", "day"), ("8月7日", "2020-08-07", "2020-08-07", "day")]),
    ("7月29日、30日，", (2020, 8), [("7月29日", "2020-07-29", "2020-07-29", "day"), ("30日", "2020-07-30", "2020-07-30", "day")]),
    ("6日开幕。同日，", (2020, 8), [("6日", "2020-08-06", "2020-08-06", "day"), ("同日", "2020-08-06", "2020-08-06", "day")]),
    ("12月上旬，", (2020, 12), [("12月上旬", "2020-12-01", "2020-12-10", "dekad")]),
    ("9月下旬", (2020, 9), [("9月下旬", "2020-09-21", "2020-09-30", "dekad")]),
    ("4月底，", (2021, 4), [("4月底", "2021-04-30", "2021-04-30", "day")]),
    ("2020年12月18日，", (2020, 12), [("2020年12月18日", "2020-12-18", "2020-12-18", "day")]),
    ("开展“迎国庆”系列活动", (2020, 9), [("国庆", "2020-10-01", "2020-10-01", "day")]),  # a greeting before it
    ("国庆期间，", (2020, 9), [("国庆", "2020-10-01", "2020-10-01", "day")]),
    ("今年，", (2020, 8), [("今年", "2020-01-01", "2020-12-31", "year")]),
    ("12月中旬", (2021, 1), [("12月中旬", "2020-12-11", "2020-12-20", "dekad")]),
    ("1月5日", (2020, 12), [("1月5日", "2021-01-05", "2021-01-05", "day")]),
    ("第三季度", (2020, 9), [("第三季度", "2020-07-01", "2020-09-30", "quarter")]),
    ("七月二十九日", (2020, 8), [("七月二十九日", "2020-07-29", "2020-07-29", "day")]),
    # ranges written with an en dash or a doubled dash (patterns.RANGE_WORD)
    ("7–9月，", (2020, 9), [("7–9月", "2020-07-01", "2020-09-30", "month")]),
    ("7——9月，", (2020, 9), [("7——9月", "2020-07-01", "2020-09-30", "month")]),
    ("5日–8日，", (2020, 8), [("5日–8日", "2020-08-05", "2020-08-08", "day")]),
    ("8月20日--9月5日，", (2020, 8), [("8月20日--9月5日", "2020-08-20", "2020-09-05", "day")]),
    # a month known without its year (八月份工作综述 with no year anywhere): a written year still counts
    ("2020年6月3日开会", (None, 8), [("2020年6月3日", "2020-06-03", "2020-06-03", "day")]),
    ("2020年6日开会", (None, 8), []),  # a day alone needs the context's year (this raised TypeError)
    ("6日开会", (None, 8), []),
]


@pytest.mark.parametrize("sentence,ctx,expected", DATES, ids=[d[0] for d in DATES])
def test_date(sentence, ctx, expected):
    got = find_dates(sentence, 0, len(sentence), Context(*ctx))
    assert [(d.text, str(d.start), str(d.end), d.granularity) for d in got] == expected


NOT_DATES = ["今年以来", "五年来", "节日期间", "日常工作",
             pytest.param("一日三餐", marks=pytest.mark.xfail(strict=True, reason="一日 is read as the 1st of the month")),
             # holiday names that are names, titles or words outside a holiday context
             "陈国庆同志主持会议", "三八红旗手", "开展“三八”维权周", "政治清明", "“六一”文艺汇演节目单印发给",
             # a bare N号 that numbers a thing (issue 11): berths, buildings
             "南5号泊位投入使用", "3号楼主体封顶", "南4号至南7号泊位"]


@pytest.mark.parametrize("sentence", NOT_DATES)
def test_not_a_date(sentence):
    assert find_dates(sentence, 0, len(sentence), Context(2020, 8)) == []


# deadline text, plan month -> (start, end)
DEADLINES = [
    ("九月份", (2020, 9), ("2020-09-01", "2020-09-30")),
    ("9月底前", (2020, 9), (None, "2020-09-30")),
    ("年底前", (2020, 9), (None, "2020-12-31")),
    ("元旦前", (2020, 12), (None, "2020-12-31")),
    ("春节前", (2021, 1), (None, "2021-02-11")),
    ("1月中旬", (2021, 1), ("2021-01-11", "2021-01-20")),
    ("5月20日前", (2021, 5), (None, "2021-05-20")),
    ("长期坚持", (2020, 9), (None, None)),
]


@pytest.mark.parametrize("text,ctx,expected", DEADLINES, ids=[d[0] for d in DEADLINES])
def test_deadline(text, ctx, expected):
    d = parse_deadline(text, 0, len(text), Context(*ctx))
    assert (d.start and str(d.start), d.end and str(d.end)) == expected


TASKS = [
    ("责任领导：高启秀\n\n责任部室：机关党委\n\n完成时限：九月份", ["高启秀"], ["机关党委"], "九月份"),
    ("牵头领导：王建国  责任单位：办公室  完成时间：1月底前", ["王建国"], ["办公室"], "1月底前"),
    ("分管领导：孙晓燕 李梅\n牵头部门：权益部\n配合单位：各县市区妇联\n时间节点：5月上旬", ["孙晓燕", "李梅"], ["权益部", "各县市区妇联"], "5月上旬"),
    ("（责任领导：张三；责任单位：各镇（街道）农业服务中心；完成时限：年底前）", ["张三"], ["各镇（街道）农业服务中心"], "年底前"),
    ("责任领导：高启秀、张征军\n责任部室：商贸服务业工会，经技部", ["高启秀", "张征军"], ["商贸服务业工会", "经技部"], None),
    # labels outside the first lexicon, and assignments in brackets (issue 11)
    ("包抓领导：李强  负责处室：综合处  配合处室：财务处  办结时限：6月底前", ["李强"], ["综合处", "财务处"], "6月底前"),
    ("牵头考核单位：县发改局；负责人：周敏", ["周敏"], ["县发改局"], None),
    ("推进外贸稳增长（省商务厅牵头，合肥海关配合）。", [], ["省商务厅", "合肥海关"], None),
    ("做好秸秆禁烧工作（各镇负责）", [], ["各镇"], None),
    ("（王伟牵头，办公室、财务科配合）", ["王伟"], ["办公室", "财务科"], None),
    ("（合肥海关牵头，省贸促会、省商务厅按职责分工配合）", [], ["合肥海关", "省贸促会", "省商务厅"], None),
    ("（推进组工作专班成员单位按职责分工负责）", [], ["推进组工作专班成员单位"], None),
    # a 纪要's brackets: the agent 由, a leader named with a title, a bracket inside, a deadline part
    ("（由镇农业服务中心牵头，各村配合，11月底前完成）", [], ["镇农业服务中心", "各村"], "11月底前"),
    ("（由副镇长刘志强牵头，镇应急管理办、镇财政所配合，11月15日前完成）", ["刘志强"], ["镇应急管理办", "镇财政所"], "11月15日前"),
    ("（由镇社会事务办牵头，各村（社区）配合，12月10日前完成）", [], ["镇社会事务办", "各村（社区）"], "12月10日前"),
    ("（不含驻外机构，12月底前完成）", None, None, None),  # a deadline alone assigns nothing
]


@pytest.mark.parametrize("text,leaders,departments,deadline", TASKS)
def test_task(text, leaders, departments, deadline):
    t = find_task(text, 0, len(text), Context(2020, 9))
    if leaders is None:
        assert t is None
        return
    assert (t.leaders, t.departments) == (leaders, departments)
    assert (t.deadline.text if t.deadline else None) == deadline
    for f in t.fields:
        assert text[f.span[0]:f.span[1]] == f.text


PEOPLE = [
    ("6日，市委书记何光中看望慰问", [("何光中", ["市委书记"])]),
    ("市委常委、市委秘书长蒋鸿，副市长孙玉秋参加", [("蒋鸿", ["市委常委", "市委秘书长"]), ("孙玉秋", ["副市长"])]),
    ("同日，市总工会党组书记、常务副主席官庆军一行", [("官庆军", ["市总工会党组书记", "常务副主席"])]),
    ("快递公司的胡龄获得一等奖", [("胡龄", [])]),
    ("区委副书记、区长李明华带领", [("李明华", ["区委副书记", "区长"])]),
    ("县人力资源和社会保障局局长王建国出席", [("王建国", ["县人力资源和社会保障局局长"])]),
]


@pytest.mark.parametrize("text,expected", PEOPLE, ids=[p[1][0][0] for p in PEOPLE])
def test_people(text, expected):
    assert [(p.name, p.titles) for p in find_people(text, 0, len(text), set())] == expected


def test_people_leave_the_known_names_as_they_were():
    """find_people matches known names whole and returns what it found; it changes nobody's set (a
    section's people do not depend on which sections were read before it, but through the caller)."""
    known = frozenset({"高启秀"})
    text = "副市长孙玉秋出席，孙玉秋强调。高启秀同志参加"
    assert [p.name for p in find_people(text, 0, len(text), known)] == ["孙玉秋", "高启秀"]
    assert known == {"高启秀"}


LABELS = [("一、开展活动", ("cn_dun", 1)), ("（二）加强", ("cn_paren", 2)), ("3.完成", ("ar_dot", 3)), ("4、推进", ("ar_dun", 4)),
          ("（5）落实", ("ar_paren", 5)), ("⑥做好", ("circled", 6)), ("十二、总结", ("cn_dun", 12)), ("1.5万斤", None),
          ("2020年", None), ("一是加强", None)]


@pytest.mark.parametrize("line,expected", LABELS)
def test_numbering_label(line, expected):
    lab = match_label(line)
    assert (lab and (lab.kind, lab.number)) == expected


REPAIRS = [
    ("会上，荆州区、江陵县、公安县总工会等 3 个单位分别围绕在常态化疫情防控下如何推动经\n\n济社会发展方面作了交流发言。",
     "会上，荆州区、江陵县、公安县总工会等 3 个单位分别围绕在常态化疫情防控下如何推动经济社会发展方面作了交流发言。", ["page_break_join"]),
    ("一、活动。推动经\n\n济社会发展。", "一、活动。推动经\n\n济社会发展。", []),  # a short line ended on purpose
    ("一、这是很长的一段正文，它在页面底部被分页符切断了，为一线职工\n\n— 2 —\n\n“送清凉”。", "一、这是很长的一段正文，它在页面底部被分页符切断了，为一线职工“送清凉”。", ["page_break_join"]),
    ("一、第一段。\n\n-3-\n\n二、第二段。", "一、第一段。\n\n\n二、第二段。", ["page_number"]),
    ("六、开展全市“中国梦·劳动美——决胜小康 奋斗有我”\n\n宣讲比赛活动\n\n责任领导：郭红萍", "六、开展全市“中国梦·劳动美——决胜小康 奋斗有我”宣讲比赛活动\n\n责任领导：郭红萍", ["heading_wrap"]),
    ("五、深化农村改革，加强系统自身建设\n\n规范农村土地经营权流转。", "五、深化农村改革，加强系统自身建设\n\n规范农村土地经营权流转。", []),
    ("责任领导：高启秀\n\n责任部室：机关党委", "责任领导：高启秀\n\n责任部室：机关党委", []),
    # a long numbered heading set off by a blank line stays apart from its paragraph (issue 11)
    ("六、坚持以人民为中心的发展思想，切实维护职工合法权益，职工服务工作成效明显\n\n全年投入职工关爱资金 1,380 万元。",
     "六、坚持以人民为中心的发展思想，切实维护职工合法权益，职工服务工作成效明显\n\n全年投入职工关爱资金 1,380 万元。", []),
]


@pytest.mark.parametrize("source,repaired,kinds", REPAIRS)
def test_repair(source, repaired, kinds):
    text, repairs = repair_text(source)
    assert text == repaired
    assert [r.kind for r in repairs] == kinds
    assert rebuild_original(text, repairs) == source


# a rule line between the lists and the roles, drawn with any rule character (patterns.RULE)
FOOTER_RULES = ["━━━━━━━━", "～～～～～～～～", "★★★★★★★★", "－－－－－－－－"]


@pytest.mark.parametrize("rule", FOOTER_RULES)
def test_footer_reads_past_a_rule_line(rule):
    text = f"报：县委办、县政府办\n{rule}\n发：各乡镇\n责任编辑：李华  联系电话：1234567\n"
    f = parse_footer(text, 0)
    assert (f.report_to, f.send_to, f.editor, f.phone) == (["县委办", "县政府办"], ["各乡镇"], "李华", "1234567")


def test_footer():
    text = "报：省总工会、市“四大家”有关领导\n抄送：各县市区总工会\n发：市总机关各部室\n\n责任编辑：董军  联系电话：8219262\n"
    f = parse_footer(text, 0)
    assert (f.report_to, f.send_to, f.editor, f.phone) == (["省总工会", "市“四大家”有关领导"], ["各县市区总工会", "市总机关各部室"], "董军", "8219262")


SPANSETS = [
    ([(0, 5), (10, 15)], (5, 10), False), ([(0, 5), (10, 15)], (4, 6), True), ([(0, 5), (10, 15)], (9, 11), True),
    ([(0, 5), (3, 8)], (7, 9), True), ([(0, 5), (5, 8)], (8, 9), False), ([], (0, 1), False), ([(2, 4)], (0, 2), False),
]


@pytest.mark.parametrize("spans,probe,expected", SPANSETS)
def test_spanset_overlaps(spans, probe, expected):
    from extract.spans import SpanSet

    assert SpanSet(spans).overlaps(*probe) is expected


NOT_TASKS = ["压实主体责任：各级党组织要", "明确工作时限：本月内完成", "坚持党委牵头：统筹推进",
             "全省（含合肥市）共有", "驻外机构（不含使领馆）"]


@pytest.mark.parametrize("text", NOT_TASKS)
def test_not_a_task(text):
    assert find_task(text, 0, len(text), Context(2024, 9)) is None


def test_short_labels_tell_people_from_units():
    text = "（牵头：税收风险管理局；配合：各县（市、区）税务局；时限：第四季度）"
    t = find_task(text, 0, len(text), Context(2024, 10))
    assert (t.leaders, t.departments, str(t.deadline.end)) == ([], ["税收风险管理局", "各县（市、区）税务局"], "2024-12-31")
