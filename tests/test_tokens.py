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


def test_traditional_text_is_tagged_as_its_simplified_form_with_its_own_words():
    # 天貓客服熱線 is 天猫客服热线 (two domain words) one character for one: the same cuts and tags, the text's words
    assert pos_tag("打天貓客服熱線", offset=1) == [(1, 2, "打", "v"), (2, 4, "天貓", "nz"), (4, 8, "客服熱線", "n")]
    assert [(s, e, f) for s, e, _w, f in pos_tag("撥打電話免費嗎")] == [(s, e, f) for s, e, _w, f in pos_tag("拨打电话免费吗")]


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


@pytest.mark.parametrize("first", [True, False])
def test_the_two_tokenizers_share_one_dictionary_load_and_equal_fresh_ones(first):
    # get_tokenizer reads jieba's cache once; the other tokenizer is a copy with the user words added
    # or taken out again. Whichever comes first, both must equal tokenizers built from scratch, and the
    # tagger's copied tags must equal the ones jieba.posseg reads itself.
    code = (
        "import jieba\n"
        "from channelcost import paths, tokens\n"
        f"a = tokens.get_tokenizer({first}); b = tokens.get_tokenizer({not first})\n"
        "user, default = (a, b) if a.user_word_tag_tab else (b, a)\n"
        "def fresh(with_words):\n"
        "    tk = jieba.Tokenizer(); tk.tmp_dir = str(paths.CACHE / 'jieba'); tk.cache_file = 'jieba-default-dict.cache'\n"
        "    tk.initialize()\n"
        "    for w, f, t in tokens._user_dict_lines(paths.USER_DICT) if with_words else ():\n"
        "        tk.add_word(w, f, t)\n"
        "    return tk\n"
        "ref_user, ref_default = fresh(True), fresh(False)\n"
        "assert ref_user.FREQ != ref_default.FREQ\n"
        "assert (user.FREQ, user.total, user.user_word_tag_tab) == (ref_user.FREQ, ref_user.total, ref_user.user_word_tag_tab)\n"
        "assert (default.FREQ, default.total, default.user_word_tag_tab) == (ref_default.FREQ, ref_default.total, {})\n"
        "posseg = tokens._jieba_module('posseg')\n"
        "own = posseg.POSTokenizer(ref_default).word_tag_tab\n"
        "assert tokens.get_pos_tokenizer(False).word_tag_tab == own\n"
        "print('ok')\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0 and res.stdout == "ok\n", res.stderr[-2000:]


_CACHE_RUN = (
    "import sys\n"
    "from pathlib import Path\n"
    "import jieba\n"
    "from channelcost import paths, tokens\n"
    "paths.CACHE = Path(sys.argv[1])\n"
    "if sys.argv[2] == 'no-rebuild':\n"
    "    def refuse(*a, **k):\n"
    "        raise SystemExit('the dictionary was rebuilt instead of read from the cache')\n"
    "    jieba.Tokenizer.initialize = jieba.Tokenizer.gen_pfdict = refuse\n"
    "print(tokens.cut('天猫客服电话免费吗'), tokens.cut('天猫客服电话免费吗', user_dict=False))\n"
)
_CUTS = "['天猫', '客服电话', '免费', '吗'] ['天猫', '客服', '电话', '免费', '吗']\n"


def _cache_run(project_cache, mode, tmp_path, prefix=()):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "user"), HOME=str(tmp_path / "home"), TMPDIR=str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return subprocess.run([*prefix, sys.executable, "-c", _CACHE_RUN, str(project_cache), mode], capture_output=True,
                          text=True, env=env)


def test_the_tokenizer_state_is_cached_and_read_back_without_rebuilding(tmp_path):
    first = _cache_run(tmp_path / "project", "build", tmp_path)
    assert (first.returncode, first.stdout, first.stderr) == (0, _CUTS, "")
    [state] = (tmp_path / "project" / "jieba").glob("channelcost-tokenizer-*.pickle")
    second = _cache_run(tmp_path / "project", "no-rebuild", tmp_path)
    assert (second.returncode, second.stdout, second.stderr) == (0, _CUTS, "")
    state.write_bytes(b"not a pickle")  # a damaged cache is rebuilt, quietly
    third = _cache_run(tmp_path / "project", "build", tmp_path)
    assert (third.returncode, third.stdout, third.stderr) == (0, _CUTS, "")
    assert state.read_bytes() != b"not a pickle"
    assert not list((tmp_path / "tmp").iterdir()) and not list((tmp_path / "project" / "jieba").glob(".*.tmp"))


_TAGS_RUN = (
    "import sys\n"
    "from pathlib import Path\n"
    "from channelcost import paths, tokens\n"
    "paths.CACHE = Path(sys.argv[1])\n"
    "if sys.argv[2] == 'no-parse':\n"
    "    def refuse(*a, **k):\n"
    "        raise SystemExit('the word tags were parsed instead of read from the cache')\n"
    "    tokens._read_word_tags = refuse\n"
    "tab = tokens.get_pos_tokenizer(False).word_tag_tab\n"
    "print(len(tab), tab['电话'], tab['客服'], tab['打电话'], tab['免费'])\n"
)


def test_jieba_word_tags_are_cached_and_read_back_without_parsing_the_dictionary(tmp_path):
    # the tags jieba.posseg would parse from its dictionary at import come from the tokenizer cache
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "user"), HOME=str(tmp_path / "home"))

    def run(mode):
        return subprocess.run([sys.executable, "-c", _TAGS_RUN, str(tmp_path / "project"), mode], capture_output=True,
                              text=True, env=env)

    first = run("build")
    assert first.returncode == 0 and first.stderr == "", first.stderr[-2000:]
    # jieba 0.42's dict.txt: 349,046 lines, one word twice; 电话 n, 客服 n, 打电话 l, 免费 vn (read in the file)
    assert first.stdout.split() == ["349045", "n", "n", "l", "vn"]
    [cache] = (tmp_path / "project" / "jieba").glob("channelcost-word-tags-*.marshal")
    second = run("no-parse")
    assert (second.returncode, second.stdout, second.stderr) == (0, first.stdout, "")
    cache.write_bytes(b"not marshal")  # a damaged cache is parsed again and rewritten, quietly
    third = run("build")
    assert (third.returncode, third.stdout, third.stderr) == (0, first.stdout, "")
    assert cache.read_bytes() != b"not marshal"


def test_an_unwritable_project_cache_falls_back_to_the_user_cache_then_to_none(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    res = _cache_run(blocker / "cache", "build", tmp_path)  # cannot be created: a file is in the way
    assert (res.returncode, res.stdout, res.stderr) == (0, _CUTS, "")
    assert list((tmp_path / "user" / "channelcost" / "jieba").glob("channelcost-tokenizer-*.pickle"))
    (tmp_path / "user").rename(tmp_path / "user-gone")
    (tmp_path / "user").write_text("not a folder either", encoding="utf-8")
    res = _cache_run(blocker / "cache", "build", tmp_path)  # nowhere to cache: built in memory
    assert (res.returncode, res.stdout, res.stderr) == (0, _CUTS, "")
    assert not list((tmp_path / "tmp").iterdir())


def test_a_read_only_project_folder_caches_in_the_user_cache(tmp_path, unprivileged):
    project = tmp_path / "project"
    project.mkdir()
    project.chmod(0o555)  # a project folder the user may not write: no .cache under it
    try:
        res = _cache_run(project / ".cache", "build", tmp_path, unprivileged)
    finally:
        project.chmod(0o755)
    assert (res.returncode, res.stdout, res.stderr) == (0, _CUTS, "")
    assert list(project.iterdir()) == []
    assert list((tmp_path / "user" / "channelcost" / "jieba").glob("channelcost-tokenizer-*.pickle"))
