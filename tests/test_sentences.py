"""The sentence segmenter: the tricky cases of Chinese web text, and properties on any text."""

from hypothesis import given
from hypothesis import strategies as st

from channelcost import paths
from channelcost.reading import read_article
from channelcost.sentences import split_sentences


def texts(text):
    return [s.text for s in split_sentences(text)]


def test_question_mark_inside_quotes_does_not_end_the_sentence():
    t = "“给天猫打电话免费吗?”这个问题看似简单,实则牵动着消费者的心弦。本文将深入探讨。"
    assert texts(t) == ["“给天猫打电话免费吗?”这个问题看似简单,实则牵动着消费者的心弦。", "本文将深入探讨。"]


def test_full_width_question_in_quotes_after_colon():
    t = "经过分析,我们可以得出结论：“给天猫打电话免费吗？”这个问题的答案并非绝对。通常收费。"
    assert texts(t) == ["经过分析,我们可以得出结论：“给天猫打电话免费吗？”这个问题的答案并非绝对。", "通常收费。"]


def test_both_widths_of_terminators_and_semicolons():
    t = "热线收费!在线客服免费！真的吗?是的？一;二；三。"
    assert texts(t) == ["热线收费!", "在线客服免费！", "真的吗?", "是的？", "一;", "二；", "三。"]


def test_closing_quote_or_bracket_after_terminator_stays_with_the_sentence():
    t = "他问：“免费吗？”（其实不免费。）下一句。"
    got = texts(t)
    assert got[0] == "他问：“免费吗？”（其实不免费。）"
    assert got[-1] == "下一句。"


def test_runs_of_terminators_and_ellipses():
    t = "真的免费吗？！不一定……要看套餐...好吧。"
    assert texts(t) == ["真的免费吗？！", "不一定……", "要看套餐...", "好吧。"]


def test_decimal_point_and_domain_do_not_split():
    t = "加载耗时0.6秒,详见 example.com 页面。Done. 结束"
    assert texts(t) == ["加载耗时0.6秒,详见 example.com 页面。", "Done.", "结束"]


def test_headings_blank_lines_and_crlf():
    t = "标题一行\r\n\r\n  正文第一句。正文第二句\r\n\r\n小标题\n最后一句!"
    ss = split_sentences(t)
    assert [s.text for s in ss] == ["标题一行", "正文第一句。", "正文第二句", "小标题", "最后一句!"]
    assert [s.paragraph_id for s in ss] == [0, 1, 1, 2, 3]
    assert [s.is_heading for s in ss] == [True, False, False, True, False]
    for s in ss:
        assert t[s.start : s.end] == s.text


def test_unbalanced_quote_does_not_swallow_the_paragraph():
    t = "他说“免费。然后收费。最后结束。"
    assert len(split_sentences(t)) == 3


def test_seed_article_sentences():
    art = read_article(paths.SEED_ARTICLE)
    ss = split_sentences(art.text)
    # read off the article: the title line, then the quoted question opening the first paragraph
    assert ss[0].text == "给天猫打电话免费吗" and ss[0].is_heading
    assert ss[1].text.startswith("“给天猫打电话免费吗?”这个问题") and ss[1].text.endswith("心弦。")
    # the article has 23 non-blank lines, 11 of them headings
    assert len({s.paragraph_id for s in ss}) == 23
    assert sum(s.is_heading for s in ss) == 11
    assert all(art.text[s.start : s.end] == s.text for s in ss)


# -- properties --------------------------------------------------------------------------------

ALPHABET = st.sampled_from(
    list("天猫客服免费收费吗的在线电话号码abc 12０９")
    + list("。．！？!?；;…,，、：:“”‘’「」『』《》（）()\"'.")
    + ["\n", "\r\n", "\r", "\u3000", "\t", "\u200b", "\u2028", "😀"]
)
TEXTS = st.lists(ALPHABET, max_size=120).map("".join) | st.text(max_size=200)


@given(TEXTS)
def test_spans_slice_back_do_not_overlap_and_are_ordered(text):
    ss = split_sentences(text)
    prev_end = 0
    for i, s in enumerate(ss):
        assert s.sentence_id == i
        assert text[s.start : s.end] == s.text
        assert s.start >= prev_end and s.end > s.start
        assert s.text == s.text.strip()
        prev_end = s.end


@given(TEXTS)
def test_every_non_space_character_is_in_a_sentence(text):
    covered = set()
    for s in split_sentences(text):
        covered.update(range(s.start, s.end))
    missing = [i for i, ch in enumerate(text) if not ch.isspace() and i not in covered]
    assert missing == []


@given(TEXTS)
def test_paragraph_ids_count_up_without_gaps(text):
    ids = [s.paragraph_id for s in split_sentences(text)]
    assert ids == sorted(ids)
    assert sorted(set(ids)) == list(range(len(set(ids))))


@given(TEXTS)
def test_clauses_partition_the_text(text):
    from channelcost.sentences import clause_spans

    spans = clause_spans(text)
    assert "".join(text[s:e] for s, e in spans) == text
    assert all(s < e for s, e in spans)


def test_clauses_do_not_split_inside_quotes():
    from channelcost.sentences import clause_spans

    t = "结论:“给天猫打电话,免费吗?”这个问题,答案并非绝对。"
    assert [t[s:e] for s, e in clause_spans(t)] == ["结论:", "“给天猫打电话,免费吗?”这个问题,", "答案并非绝对。"]
