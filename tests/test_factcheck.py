"""Fact-checking rules on hand-made claims and facts, and the sourced reference table itself."""

import pandas as pd

from channelcost import paths, pipeline
from channelcost.factcheck import check_claims, load_facts, numbers_in
from channelcost.reading import Article, read_article

FACTS = pd.DataFrame(
    [
        ("f1", "400", "400", "shared", "paid", "all callers"),
        ("f2", "800", "800", "callee", "free", "fixed lines"),
        ("f3", "95xxx", "95", "caller", "paid", "all callers"),
        ("f4", "95xxx", "950 / 96", "caller", "paid", "information-fee numbers"),
        ("f5", "complaint_hotline", "12315", "callee", "free", "all callers"),
        ("f6", "complaint_hotline", "12315", "caller", "paid", "all callers"),
        ("f7", "ordinary", "mobile", "caller_own_plan", "paid", "mobile users"),
    ],
    columns=["fact_id", "number_type", "prefix_or_number", "who_pays", "caller_cost", "applies_to"],
)


def check(text, with_numbers=False):
    from channelcost.numbers import numbers_frame
    from channelcost.sentences import split_sentences

    claims, _ = pipeline.claim_tables(Article("t", text))
    numbers = numbers_frame("t", text, split_sentences(text), claims) if with_numbers else None
    return check_claims(claims, FACTS, numbers).set_index("channel")


def test_a_claim_that_400_numbers_are_free_is_contradicted():
    got = check("商家的400电话是免费的。")
    assert got.loc["merchant_hotline", "verdict"] == "contradicted"
    assert got.loc["merchant_hotline", "fact_ids"] == "f1"


def test_400_or_800_free_is_partly_supported_and_it_varies_is_supported():
    got = check("有些商家会提供400或800开头的免费电话。")
    assert got.loc["merchant_hotline", "verdict"] == "partly supported"
    got = check("商家的400或800电话有些免费有些收费。")
    assert got.loc["merchant_hotline", "cost"] == "varies"
    assert got.loc["merchant_hotline", "verdict"] == "supported"


def test_hotline_numbers_come_from_elsewhere_in_the_article_and_narrow_facts_are_not_used():
    got = check("天猫客服电话通常为95开头的号码。拨打天猫客服电话需要付费。")
    assert got.loc["official_hotline", "verdict"] == "supported"
    assert got.loc["official_hotline", "fact_ids"] == "f3"  # not f4, about 950/96 information numbers
    assert got.loc["official_hotline", "number_source"] == "elsewhere"
    assert "the channel elsewhere" in got.loc["official_hotline", "reason"]


def test_the_number_a_claim_gives_decides_over_the_kind_its_sentence_names():
    # the sentence names 800 as a kind, but the number it gives is a 400 number
    text = "商家说这是800电话，其实号码是4008-123-456，拨打收费。"
    got = check(text, with_numbers=True)
    assert got.loc["merchant_hotline", "number_source"] == "given"
    assert got.loc["merchant_hotline", "number_types"] == "400"
    assert "the numbers the claim gives" in got.loc["merchant_hotline", "reason"]
    # without the numbers table the check falls back to the kinds the sentence names, and says so
    got = check(text)
    assert got.loc["merchant_hotline", "number_source"] == "named"
    assert got.loc["merchant_hotline", "number_types"] == "400;800"


def test_a_shop_mobile_number_given_is_checked_as_an_ordinary_number():
    got = check("卖家留的手机号13800138000，打过去要付费。", with_numbers=True)
    assert got.loc["merchant_mobile", "number_source"] == "given"
    assert got.loc["merchant_mobile", "number_types"] == "ordinary"
    assert got.loc["merchant_mobile", "verdict"] == "supported"


def test_conflicting_sources_give_partly_supported_and_uncovered_channels_are_not_checkable():
    got = check("拨打12315投诉是免费的,在线客服也免费。")
    assert got.loc["complaint", "verdict"] == "partly supported"
    assert got.loc["online_chat", "verdict"] == "not checkable"
    assert got.loc["online_chat", "fact_ids"] == ""


def test_a_hotline_without_any_number_is_not_checkable():
    got = check("拨打官方客服电话需要付费。")
    assert got.loc["official_hotline", "verdict"] == "not checkable"


def test_numbers_are_found_in_full_width_and_traditional_text():
    assert numbers_in("撥打９５１８８客服熱線", "official_hotline") == ["95xxx"]
    assert numbers_in("400元的套餐", "merchant_hotline") == []
    assert numbers_in("4008-123-456或800-820-0000", "merchant_hotline") == ["400", "800"]


def test_reference_facts_are_sourced_and_in_vocabulary():
    facts = load_facts()
    assert list(facts.columns) == ["fact_id", "number_type", "prefix_or_number", "who_pays", "caller_cost",
                                   "applies_to", "statement", "source_title", "source_url", "retrieved"]
    assert facts["fact_id"].is_unique
    assert (facts != "").all().all(), "no empty cell: every fact has its source and date"
    assert facts["source_url"].str.match(r"https?://").all()
    assert set(facts["caller_cost"]) <= {"free", "paid", "varies"}
    assert set(facts["number_type"]) <= {"400", "800", "95xxx", "carrier_service", "ordinary", "complaint_hotline",
                                         "platform_hotline"}




def test_seed_fact_checks_are_current():
    claims = pd.read_csv(paths.PROCESSED / "claims.csv", keep_default_na=False)
    committed = pd.read_csv(paths.PROCESSED / "fact_checks.csv", keep_default_na=False)
    assert committed.equals(check_claims(claims).astype(committed.dtypes.to_dict()))
    # the seed's claim about merchants' "400 or 800" free numbers (sentence 29) cannot be fully right
    row = committed[(committed["sentence_id"] == 29) & (committed["channel"] == "merchant_hotline")].iloc[0]
    assert row["verdict"] == "partly supported"
    assert read_article(paths.SEED_ARTICLE).text.count("400或800开头的免费电话") == 1


def test_the_number_types_file_lines_up_with_the_billing_facts_and_the_channels():
    # data/lexicon/number_types.csv is the one list of number types: every type of billing.csv is in
    # it, every value it says covers a type is a prefix_or_number of that type's facts, and its
    # channels are the contract's
    # (the types no source covers, such as 96xxx or overseas numbers, have no covers; a mobile or
    # landline number is checked against the facts of the ordinary type)
    from channelcost.factcheck import CHANNEL_TYPES, CHECKED_AS, IMPLIED_TYPES, NUMBER_TYPES, load_facts
    from channelcost.vocab import CHANNELS

    facts = load_facts()
    assert set(facts["number_type"]) <= set(NUMBER_TYPES)
    for number_type, (_regex, covers) in NUMBER_TYPES.items():
        prefixes = set(facts[facts["number_type"] == number_type]["prefix_or_number"])
        assert set(covers) <= prefixes, number_type
        assert bool(covers) == bool(prefixes), number_type
    assert CHECKED_AS == {"mobile": "ordinary", "landline": "ordinary"}
    assert all(NUMBER_TYPES[t][1] for t in CHECKED_AS.values())
    assert set(CHANNEL_TYPES) | set(IMPLIED_TYPES) <= set(CHANNELS)
    assert CHANNEL_TYPES["official_hotline"] == ("95xxx", "400", "800", "carrier_service")
    assert IMPLIED_TYPES == {"merchant_mobile": ("ordinary",)}
