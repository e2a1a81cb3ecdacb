"""Properties that hold for any input: extraction never raises, spans are exact, repairs reverse."""
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import walk_items
from extract.pipeline import extract_text
from extract.repair import rebuild_original, repair_text
from extract.write import to_json

# bulletin-shaped fragments, so the generator reaches the interesting paths
FRAGMENTS = ["一、", "二、", "（一）", "1.", "2、", "（1）", "①", "荆州市总工会", "八月份工作综述", "九月份工作安排",
             "责任领导：", "责任部室：", "完成时限：", "报：", "发：", "责任编辑：", "联系电话：", "高启秀", "机关党委",
             "九月份", "6日", "3日至11日", "7月29日", "172 万", "5 万多人", "1.38亿元", "60余万件", "百分之十五", "第三",
             "同日", "上旬", "月底前", "春节前", "市委书记", "何光中", "，", "。", "、", "“", "”", "（", "）", "\n", "\n\n",
             "— 2 —", " ", "２０２０年", "经", "济", "慰问职工", "活动", "0", "9", "万", "亿", "多", "余", "约", "近"]

texts = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), max_size=80).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_extraction_never_raises_and_spans_hold(text):
    doc = json.loads(to_json(extract_text(text)))
    for item in walk_items(doc):
        if "text" in item and "span" in item:
            a, b = item["span"]
            assert doc["text"][a:b] == item["text"]


@settings(max_examples=300, deadline=None)
@given(texts)
def test_repairs_reverse(text):
    text = text.replace("\r", "")
    repaired, repairs = repair_text(text)
    assert rebuild_original(repaired, repairs) == text
