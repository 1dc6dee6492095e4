"""Repetition measures on small texts whose answers can be read off by eye."""

from channelcost.repetition import (
    char_ngrams,
    jaccard,
    near_duplicate_clusters,
    repeated_phrases,
    restatement_profile,
    title_echoes,
)
from channelcost.sentences import split_sentences

TEXT = (
    "打客服电话免费吗\n\n"
    "很多人问“打客服电话免费吗?”。\n"
    "拨打官方客服电话要按运营商标准收费。\n"
    "今天天气不错,我们去公园散步。\n"
    "总之,拨打官方客服电话需要按照运营商标准收费。\n"
    "打客服电话是否免费,答案已经清楚。\n"
)


def test_char_ngrams_ignore_width_and_punctuation():
    assert char_ngrams("免费，吗?") == char_ngrams("免费,吗？") == {"免费", "费吗"}
    assert jaccard({"a"}, {"a"}) == 1.0 and jaccard(set(), set()) == 0.0


def test_title_echoes_find_verbatim_and_reworded_questions():
    ss = split_sentences(TEXT)
    echoes = title_echoes(ss)
    assert list(echoes["sentence_id"]) == [1, 5]
    assert list(echoes["exact"]) == [True, False]


def test_near_duplicates_cluster_the_restated_answer_only():
    ss = split_sentences(TEXT)
    clusters = near_duplicate_clusters(ss, threshold=0.45)
    assert sorted(clusters["sentence_id"]) == [2, 4]
    assert clusters["cluster"].nunique() == 1
    profile = restatement_profile(ss).set_index("sentence_id")
    assert profile.loc[4, "earlier"] == 2
    assert profile.loc[3, "jaccard"] < 0.2


def test_repeated_phrases_keep_the_longest_form():
    toks = [["拨打", "官方", "客服电话", "收费"]] * 3 + [["拨打", "官方", "客服电话"]]
    df = repeated_phrases(toks, n_min=2, n_max=4, min_count=3)
    assert df.iloc[0].to_dict() == {"phrase": "拨打官方客服电话", "n": 3, "count": 4}
    assert "拨打官方客服电话收费" in set(df["phrase"])
