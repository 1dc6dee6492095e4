"""Fuzzing: whatever the input, only the contract's typed errors, and every offset slices back.

Every test here runs under the "fuzz" settings profile from conftest.py: deterministic by default
(the same examples on every run, for CI); ``CHANNELCOST_FUZZ=long`` (``make fuzz``) makes it a
long random run.
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from channelcost.advice import extract_recommendations
from channelcost.claims import extract_claims, normalize_for_matching
from channelcost.reading import Article, ArticleError, read_article
from channelcost.sentences import split_sentences
from channelcost.tokens import tokenize

FUZZ = settings.get_profile("fuzz")

SPECIAL = [
    "\u200b", "\u200d", "\ufeff", "\u3000", "\x00", "\x07", "\x1b", "\r\n", "\r", "\n", "\u2028", "\t",
    "😀", "👨‍👩‍👧", "１２３", "９５１８８", "４００", "“", "”", "？", "?", "。", "，", ",", "……", "；",
    "免费", "收费", "并非免费", "不完全免费", "在线客服", "客服电话", "400或800开头的免费电话", "商家", "建议",
    "應該", "線上客服", "免費", "ｅｍａｉｌ", "Ω", "ß", "ا", "한국", "日本語", "\U0002a6a5",
]
CHARS = st.one_of(
    st.characters(),
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, categories=["Cs"]),  # lone surrogates
    st.sampled_from(SPECIAL),
)
TEXT = st.lists(CHARS, max_size=300).map("".join)
LONG = st.builds(lambda unit, n: unit * n, st.sampled_from(["免费客服电话", "在线客服天猫", "ab在线客服", "不完全免费的热线，"]), st.integers(1700, 2000))


def check_text(text: str) -> None:
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text
    toks = tokenize(text, keep_space=True)
    assert "".join(t.word for t in toks) == text
    assert len(normalize_for_matching(text)) == len(text)
    art = Article("fuzz", text)
    for c in extract_claims(art):
        assert text[c.start : c.end] == c.evidence
        assert c.start <= c.mention_start <= c.mention_end <= c.end
        if c.mention_start == c.mention_end:  # a channel carried over from before: nothing named here
            assert c.via == "context" and c.mention == ""
        else:
            assert text[c.mention_start : c.mention_end] in c.mention.split("|")
    for r in extract_recommendations(art):
        assert text[r.start : r.end] == r.evidence


@FUZZ
@given(TEXT)
@example("９５１８８;免费")  # the second sentence's claim names no channel: it goes on about 95188
def test_any_text_gives_valid_offsets(text):
    check_text(text)


# each example is over 10,000 characters, some fifty times the work of a TEXT example:
# 15 examples in the default run, 100 in the long one
@settings(FUZZ, max_examples=max(15, FUZZ.max_examples // 20))
@given(LONG)
def test_ten_thousand_characters_without_punctuation(text):
    assert len(text) >= 10_000
    check_text(text)


def _bytes_variants():
    text_bytes = TEXT.map(lambda t: t.encode("utf-8", errors="surrogatepass"))
    spliced = st.tuples(TEXT, st.sampled_from([b"\xed\xa0\x80", b"\x00", b"\xff", b"\xc3", b"\xef\xbb\xbf"]), TEXT).map(
        lambda x: x[0].encode("utf-8", "surrogatepass") + x[1] + x[2].encode("utf-8", "surrogatepass")
    )
    return st.one_of(st.binary(max_size=400), text_bytes, spliced)


@FUZZ
@given(_bytes_variants())
def test_reader_returns_the_contract_text_or_a_typed_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "a.txt"
    path.write_bytes(data)
    try:
        art = read_article(path)
    except ArticleError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(str(path))
        return
    with open(path, encoding="utf-8-sig") as fh:
        assert art.text == fh.read()
    check_text(art.text)
