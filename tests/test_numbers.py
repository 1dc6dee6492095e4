"""The phone numbers an article gives (channelcost.numbers, numbers.csv): spellings, types, what is
not a number, offsets and the claim each belongs to. Expected types follow
data/annotations/COMPANY_GUIDELINES.md ("Phone numbers")."""

import pytest

from channelcost.numbers import NUMBER_COLUMNS, numbers_frame
from channelcost.pipeline import claim_tables
from channelcost.reading import Article
from channelcost.sentences import split_sentences


def numbers_of(text, claims=None):
    return numbers_frame("t", text, split_sentences(text), claims)


@pytest.mark.parametrize("text,number,number_type", [
    ("客服热线4008-123-456。", "4008-123-456", "400"),
    ("拨打４００－８２０－８８８８咨询。", "４００－８２０－８８８８", "400"),  # full-width digits and dash
    ("电话400 820 8888。", "400 820 8888", "400"),
    ("免费热线800-820-8888。", "800-820-8888", "800"),
    ("工行热线95588。", "95588", "95xxx"),
    ("淘宝热线9510211。", "9510211", "95xxx"),  # 95 numbers have 5 to 8 digits
    ("本地热线96511。", "96511", "96xxx"),
    ("打10086查话费。", "10086", "carrier_service"),
    ("可以打12315投诉。", "12315", "complaint_hotline"),
    ("市民热线12345。", "12345", "public_service"),
    ("遇到诈骗请拨打110。", "110", "emergency"),
    ("卖家手机13800138000。", "13800138000", "mobile"),
    ("座机(021)12345678。", "(021)12345678", "landline"),
    ("国外请拨+86 95588。", "+86 95588", "95xxx"),
    ("臺灣客服專線0800-123-456。", "0800-123-456", "overseas_toll_free"),
    ("香港客戶服務熱線：2123 4567。", "2123 4567", "overseas"),
    ("客服热线400-xxx-5288（示例）。", "400-xxx-5288", "400"),  # masked digits: the prefix decides
    ("臺北市1999市民熱線撥打要付費嗎？", "1999", "overseas"),  # a Taiwan short code that names its line
])
def test_spellings_and_types(text, number, number_type):
    df = numbers_of(text)
    assert list(df["number"]) == [number]
    assert list(df["number_type"]) == [number_type]
    r = df.iloc[0]
    assert text[r["start"]:r["end"]] == number


@pytest.mark.parametrize("text", [
    "套餐每月400元。", "2024年起执行。", "每分钟0.2元。", "订单号12345678901请保留。", "95开头的号码按市话收费。",
    "400开头的号码不是免费的。", "95xxx这类号码", "警方提醒，110本身不会打电话给你。", "更新于2024-05-13。",
    "下载量超过10000次。", "臺灣的0800專線免付費。", "台湾客服电话：2024 改版后的新号见官网。",
])
def test_what_is_not_a_phone_number(text):
    assert numbers_of(text).empty, numbers_of(text)


def test_numbers_side_by_side_and_in_a_list_are_each_found():
    df = numbers_of("拨打10086 10010都行。紧急情况打110/119/120。")
    assert list(df["number"]) == ["10086", "10010", "110", "119", "120"]
    assert list(df["number_type"]) == ["carrier_service"] * 2 + ["emergency"] * 3


def test_the_library_decides_where_it_knows_the_number_and_the_table_where_it_does_not():
    df = numbers_of("热线4008208888，短号95588。").set_index("number")
    assert df.loc["4008208888", "type_source"] == "phonenumbers:SHARED_COST"
    assert df.loc["4008208888", "normalized"] == "+864008208888"
    assert df.loc["95588", "type_source"] == "number.95xxx"
    # libphonenumber counts 1010 numbers as shared cost too; they are no 400 numbers
    assert numbers_of("订餐热线10107888。")["number_type"].tolist() == ["other"]


def test_each_number_is_linked_to_the_claim_of_its_sentence_and_carries_its_company():
    text = "京东客服热线950618要钱吗？\n在线客服不收费。\n"
    claims, _ = claim_tables(Article("t", text))
    df = numbers_of(text, claims)
    assert list(df.columns) == NUMBER_COLUMNS
    (r,) = df.itertuples(index=False)
    claim = claims.set_index("claim_id").loc[r.claim_id]
    assert (claim["sentence_id"], claim["channel"], r.channel, r.company) == (0, "official_hotline", "official_hotline", "jd")
    assert r.number_id == "t-n001"
