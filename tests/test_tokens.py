"""The project's jieba: domain words kept whole, offsets valid, quiet, cached under the project."""

import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channelcost import paths
from channelcost.tokens import cut, load_user_words, pos_tag, textrank_keywords, tfidf_keywords, tokenize

SENTENCE = "在线客服和智能机器人免费,智能客服也免费,但拨打客服电话会产生通话费用。"


def test_user_dictionary_keeps_domain_words_whole():
    default = cut(SENTENCE, user_dict=False)
    project = cut(SENTENCE)
    for word in ("在线客服", "智能机器人", "智能客服", "客服电话", "通话费用"):
        assert word in project, word
        assert word not in default, word  # default jieba splits or merges each of these
    # 400电话 is two tokens (400 / 电话) without the dictionary
    assert "400电话" in cut("商家提供400电话。") and "400电话" not in cut("商家提供400电话。", user_dict=False)


def test_every_user_dictionary_word_is_one_token_on_its_own():
    words = load_user_words()
    assert len(words) >= 50 and {"天猫", "在线客服", "400电话", "大数据"} <= set(words)  # first and last entries too
    for w in words:
        assert cut(w) == [w], w


def test_token_offsets_slice_back_with_an_offset():
    text = "前言。" + SENTENCE
    toks = tokenize(text[3:], offset=3)
    assert all(text[t.start : t.end] == t.word for t in toks)
    assert "".join(t.word for t in toks) == text[3:]


# tags as written in data/lexicon/userdict.txt
DOMAIN_TAGS = {"在线客服": "n", "智能机器人": "n", "智能客服": "n", "客服电话": "n", "通话费用": "n",
               "天猫": "nz", "客服热线": "n", "预约回电": "v", "在线购物": "vn", "平台介入": "v"}


def test_pos_tags_know_the_domain_words():
    tagged = [(w, f) for _s, _e, w, f in pos_tag(SENTENCE + "天猫客服热线：请预约回电，在线购物要平台介入。")
              if w in DOMAIN_TAGS]
    assert len(tagged) == len(DOMAIN_TAGS) and dict(tagged) == DOMAIN_TAGS  # each word whole, once, with its tag
    assert pos_tag("天猫客服热线", offset=3) == [(3, 5, "天猫", "nz"), (5, 9, "客服热线", "n")]


def test_every_tag_in_the_user_dictionary_reaches_the_tagger():
    lines = [ln.split() for ln in paths.USER_DICT.read_text(encoding="utf-8").splitlines()]
    entries = [e for e in lines if e and not e[0].startswith("#")]
    tagged = {e[0]: e[-1] for e in entries if len(e) > 1 and not e[-1].isdigit()}
    assert len(tagged) >= 50 and {"n", "nz", "v", "vn"} <= set(tagged.values())
    for word, tag in tagged.items():
        assert pos_tag(word) == [(0, len(word), word, tag)], word


def test_domain_tags_survive_another_tagger_built_on_the_same_tokenizer():
    # jieba hands a tokenizer's user-word tags to the first POSTokenizer that cuts with it, then forgets them
    code = (
        "from channelcost.tokens import _jieba_module, get_tokenizer, pos_tag\n"
        "_jieba_module('posseg').POSTokenizer(get_tokenizer()).lcut('天猫')\n"
        "print(pos_tag('天猫客服热线'))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "[(0, 2, '天猫', 'nz'), (2, 6, '客服热线', 'n')]"


def test_keywords_use_the_project_tokenizer():
    text = SENTENCE * 3 + "天猫的在线客服很好用。"
    tfidf = [w for w, _ in tfidf_keywords(text, 10)]
    textrank = [w for w, _ in textrank_keywords(text, 10)]
    assert "在线客服" in tfidf and "智能机器人" in tfidf
    assert "在线客服" in textrank
    assert "的" not in tfidf  # stop words removed


@given(st.text(alphabet=st.sampled_from(list("天猫在线客服电话免费收费400 \n。,！a1😀")), max_size=80))
def test_tokens_cover_the_text_without_gaps(text):
    toks = tokenize(text, keep_space=True)
    assert "".join(t.word for t in toks) == text
    assert all(text[t.start : t.end] == t.word for t in toks)


@pytest.mark.parametrize("seed", ["1", "2"])
def test_building_the_tokenizer_is_quiet_and_caches_under_the_project(tmp_path, seed):
    code = (
        "from channelcost.tokens import tfidf_keywords, textrank_keywords\n"
        "from channelcost import paths\n"
        "t = open(paths.SEED_ARTICLE, encoding='utf-8').read()\n"
        "print([w for w, _ in tfidf_keywords(t, 8)], [w for w, _ in textrank_keywords(t, 8)])\n"
    )
    env = dict(os.environ, PYTHONHASHSEED=seed, TMPDIR=str(tmp_path))
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert res.stderr == ""
    assert list(tmp_path.iterdir()) == []  # nothing in the system temp folder
    assert (paths.CACHE / "jieba" / "jieba-default-dict.cache").is_file()
    # keyword order does not depend on the hash seed
    ref = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=dict(env, PYTHONHASHSEED="0"), check=True
    )
    assert res.stdout == ref.stdout
