"""Which company a claim is about (channelcost.companies; data/annotations/COMPANY_GUIDELINES.md):
the vocabulary, and the rules on sentences written for each case."""

import csv

import pytest

from channelcost import paths
from channelcost.claims import extract_claims, normalize_for_matching
from channelcost.companies import COMPANIES, company_names, find_companies
from channelcost.reading import Article


def companies_of(text):
    """(sentence_id, channel) -> company, for the claims of a made-up article."""
    return {(c.sentence_id, c.channel): c.company for c in extract_claims(Article("t", text))}


def test_every_company_has_one_id_and_both_scripts_name_it():
    with (paths.LEXICON / "companies.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len({r["company"] for r in rows}) == len(rows) == len(COMPANIES)
    for r in rows:
        # the traditional name is the same name: it normalises to the simplified one
        assert normalize_for_matching(r["traditional"]) == normalize_for_matching(r["name"]), r["company"]
        assert r["id"] == f"company.{r['company']}"
    assert company_names()["tmall"] == "天猫"


@pytest.mark.parametrize("text,company", [
    ("天猫客服", "tmall"),
    ("天貓客服", "tmall"),  # traditional script
    ("拨打10086", "china_mobile"),  # a company's own service number names it
    ("中華電信客服", "chunghwa_telecom"),
    ("京东物流的快递员", "jd_logistics"),  # the longer name wins over 京东
    ("美的空调售后", "midea"),
])
def test_names_aliases_and_numbers_find_the_company(text, company):
    assert [s.rule["company"] for s in find_companies(normalize_for_matching(text))] == [company]


@pytest.mark.parametrize("text", ["移动支付很方便", "电信诈骗要当心", "风景很美的。", "你去哪儿了", "国家邮政局"])
def test_words_that_only_look_like_a_company_name_none(text):
    assert find_companies(normalize_for_matching(text)) == []


def test_a_carrier_named_as_the_callers_network_is_not_the_company():
    # 移动用户 is the caller's network; the claim is about the bank's line
    got = companies_of("工商银行客服热线收费吗？\n移动用户拨打客服热线按市话收费。\n")
    assert got[(1, "official_hotline")] == "icbc"


def test_each_channel_takes_the_company_named_with_it():
    got = companies_of("京东的在线客服不收费，淘宝的客服热线要付话费。\n")
    assert got[(0, "online_chat")] == "jd"
    assert got[(0, "official_hotline")] == "taobao"


def test_two_companies_named_together_give_the_first_and_a_list_gives_none():
    assert companies_of("海尔和美的的售后热线收费吗？\n")[(0, "official_hotline")] == "haier"
    assert companies_of("海尔美的售后热线收费吗？\n")[(0, "official_hotline")] == "haier"
    assert companies_of("淘宝、京东等平台的客服热线要付话费。\n")[(0, "official_hotline")] == ""
    assert companies_of("淘宝、京东、拼多多的客服热线都要付话费。\n")[(0, "official_hotline")] == ""


def test_a_sentence_that_names_none_takes_the_latest_company_and_after_a_heading_the_titles():
    text = "京东客服电话要钱吗\n拨打客服热线按市话收费。\n顺丰快递的客服热线也一样。\n在线客服不收费。\n其他渠道\n发短信也可以。\n"
    got = companies_of(text)
    assert got[(1, "official_hotline")] == "jd"  # the title's company
    assert got[(2, "official_hotline")] == "sf"
    assert got[(3, "online_chat")] == "sf"  # the latest company named
    assert got[(5, "sms")] == "jd"  # a heading starts a section: back to the article's company


def test_a_sentence_about_companies_in_general_is_about_none():
    got = companies_of("招商银行客服热线收费吗？\n各家银行的客服热线大多按市话收费。\n")
    assert got[(0, "official_hotline")] == "cmb"
    assert got[(1, "official_hotline")] == ""


def test_an_emergency_line_is_about_no_company_unless_the_sentence_names_one():
    got = companies_of("顺丰客服电话要钱吗\n拨打95338按市话收费。\n遇到危险请直接拨打110。\n快递员不接的话，可以打12345投诉。\n")
    assert got[(1, "official_hotline")] == "sf"
    assert [company for (sid, _), company in got.items() if sid == 2] == [""]  # the state's line
    assert set(company for (sid, _), company in got.items() if sid == 3) == {"sf"}  # a complaint line keeps it


def test_what_people_believe_of_a_kind_of_number_is_about_no_company():
    got = companies_of("招商银行客服热线收费吗？\n很多人以为95开头的号码都是免费热线。\n拨打95开头的号码按市话收费。\n")
    assert got[(1, "official_hotline")] == ""  # the myth is about the kind of number
    assert got[(2, "official_hotline")] == "cmb"  # said of it plainly, in the bank's article: the bank's line


def test_an_article_that_names_no_company_gives_none():
    got = companies_of("400电话要钱吗？\n拨打400电话一般按市话收费。\n")
    assert set(got.values()) == {""}


def test_the_seed_is_about_tmall_throughout():
    from channelcost.tables import open_build

    claims = open_build().claims
    assert set(claims["company"]) == {"tmall"}
    assert set(open_build().channels["company"]) == {"tmall"}
