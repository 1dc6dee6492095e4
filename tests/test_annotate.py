"""The annotated article (issue 13): every claim is behind a mark on the words that name its channel,
cues carry their cost in words as well as in colour, colours are readable, long articles are trimmed
to the paragraphs that matter."""

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from channelcost import annotate, paths
from channelcost.tables import open_build, read_table


class Marks(HTMLParser):
    """Each channel mark's claim ids and its own text (without its label), and each cue mark's label."""

    def __init__(self):
        super().__init__()
        self.channel, self.cues, self._stack = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class", "")
        if "cc-channel" in cls:
            self.channel.append({"claims": a["data-claims"].split(), "text": "", "label": ""})
            self._stack.append("channel")
        elif "cc-label" in cls:
            self._stack.append("label")
        elif cls.startswith("cc-mark cc-"):
            self.cues.append({"cost": cls.split("cc-")[-1], "claims": a["data-cue-of"].split(), "text": "", "label": ""})
            self._stack.append("cue")
        else:
            self._stack.append(None)

    def handle_endtag(self, tag):
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        inside = [s for s in self._stack if s]
        if not inside:
            return
        target = self.channel if "channel" in inside else self.cues
        target[-1]["label" if inside[-1] == "label" else "text"] += data


def parse(fragment: str) -> Marks:
    m = Marks()
    m.feed(fragment)
    return m


def expected_spans(claims: pd.DataFrame) -> list[tuple[int, int]]:
    """Distinct mention spans, less those inside a longer one (worked out here, not by the module)."""
    spans = {(int(r.mention_start), int(r.mention_end)) for r in claims.itertuples(index=False)}
    return sorted(s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans))


def text_at(sentences: pd.DataFrame, start: int, end: int) -> str:
    s = sentences[(sentences["start"] <= start) & (end <= sentences["end"])].iloc[0]
    return s["text"][start - s["start"]:end - s["start"]]


def check_marks(fragment: str, sentences: pd.DataFrame, claims: pd.DataFrame) -> Marks:
    """The marks of ``fragment`` against the claims table: count, text, every claim exactly once."""
    marks = parse(fragment)
    spans = expected_spans(claims)
    assert len(marks.channel) == len(spans)
    assert [m["text"] for m in marks.channel] == [text_at(sentences, *s) for s in spans]
    ids = [c for m in marks.channel for c in m["claims"]]
    assert sorted(ids) == sorted(claims["claim_id"]) and len(ids) == len(set(ids))
    return marks


def test_every_text_and_background_pair_is_readable():
    for kind, (fg, bg) in annotate.PALETTE.items():
        assert annotate.contrast_ratio(fg, bg) >= 4.5, kind
    assert round(annotate.contrast_ratio("#000000", "#ffffff"), 2) == 21.0  # the WCAG formula itself
    assert round(annotate.contrast_ratio("#767676", "#ffffff"), 2) == 4.54


def test_the_seed_annotated_has_one_mark_per_channel_span_and_every_claim():
    t = open_build()
    fragment = annotate.annotated_html(t.sentences, t.claims, t.fact_checks)
    marks = check_marks(fragment, t.sentences, t.claims)
    assert len(marks.channel) == 55  # 62 claims; 这些多样化的沟通方式 and the like stand for several
    first = marks.channel[0]
    assert (first["text"], first["label"], first["claims"]) == ("打电话", "the official hotline", ["tmall-call-free-001"])


def test_cue_marks_say_their_cost_in_words_and_name_negation_and_hedging():
    t = open_build()
    marks = parse(annotate.annotated_html(t.sentences, t.claims, t.fact_checks))
    assert marks.cues and {c["cost"] for c in marks.cues} == {"free", "paid", "varies"}
    by_id = t.claims.set_index("claim_id")
    for cue in marks.cues:
        for cid in cue["claims"]:
            row = by_id.loc[cid]
            assert cue["text"] in row["cue"].split("|") and cue["text"] in row["evidence"]
            said = annotate.COST_WORDS[row["cost"]]
            assert said in cue["label"]
            if row["negated"]:
                assert "negated" in cue["label"]
            if row["hedged"]:
                assert "hedged" in cue["label"]
    # 并非免费: the word 免费, marked as the paid cost it ends up meaning, and said to be negated
    negated = [c for c in marks.cues if c["text"] == "免费" and c["cost"] == "paid"]
    assert negated and all("negated" in c["label"] for c in negated)


def test_the_notes_give_claim_ids_rules_and_fact_check_verdicts():
    t = open_build()
    fragment = annotate.annotated_html(t.sentences, t.claims, t.fact_checks)
    checked = t.fact_checks.iloc[0]
    assert f"{checked['claim_id']} (sentence {checked['sentence_id']})" in fragment
    assert f"fact check: {checked['verdict']}" in fragment
    assert "rules ch.hotline.words, mod.question.particle" in fragment  # the first claim's rule ids


def test_a_long_article_shows_only_the_paragraphs_with_a_mark():
    t = open_build()
    shown = annotate.annotated_html(t.sentences, t.claims, t.fact_checks, max_chars=100)
    check_marks(shown, t.sentences, t.claims)
    with_mark = {t.sentences[(t.sentences["start"] <= s) & (s < t.sentences["end"])]["paragraph_id"].iloc[0]
                 for s, _ in expected_spans(t.claims)}
    left_out = t.sentences["paragraph_id"].nunique() - len(with_mark)
    assert left_out > 0 and f"{left_out} paragraphs without a channel mention left out" in shown
    empty = t.sentences[t.sentences["paragraph_id"] == (set(t.sentences["paragraph_id"]) - with_mark).pop()]
    assert empty.iloc[0]["text"] not in shown


def test_an_article_without_channels_says_nothing_is_marked():
    t = open_build()
    fragment = annotate.annotated_html(t.sentences, t.claims.iloc[0:0], t.fact_checks.iloc[0:0])
    assert "nothing is marked" in fragment and "cc-channel" not in fragment.split("</style>", 1)[1]


@pytest.mark.parametrize("article", ["taobao-alipay-traditional", "alipay-95188-news-crlf"])
def test_the_notebook_shows_the_annotated_article_of_a_report(rerun_reports, article):
    import nbformat

    folder = rerun_reports[article]
    nb = nbformat.read(folder / "02-extract-channel-costs.ipynb", as_version=4)
    [fragment] = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                  if "text/html" in o.get("data", {}) and "cc-article" in o["data"]["text/html"]]
    claims = read_table(folder, "claims")
    assert len(claims) > 0
    check_marks(fragment, read_table(folder, "sentences"), claims)
    assert str(folder) not in fragment  # no absolute path in an output


def test_a_long_article_in_a_notebook_is_cut_to_its_budget():
    t = open_build()
    budget = 1_000
    shown = annotate.annotated_html(t.sentences, t.claims, t.fact_checks, max_chars=100, max_marked_chars=budget)
    marks = parse(shown)
    assert 0 < len(marks.channel) < len(expected_spans(t.claims))
    texts = [text_at(t.sentences, *s) for s in expected_spans(t.claims)]
    assert [m["text"] for m in marks.channel] == texts[:len(marks.channel)]  # the first ones, in order
    assert "more paragraphs with a channel mention left out" in shown
    assert shown.count('<li id="cc-note-') == len(marks.channel)


def test_a_report_sized_article_gives_a_bounded_page():
    from channelcost.build import article_tables
    from channelcost.reading import Article

    seed = Article("long", paths.SEED_ARTICLE.read_text(encoding="utf-8") * 40)  # about 100,000 characters
    t = article_tables(seed)
    shown = annotate.annotated_html(t.sentences, t.claims, t.fact_checks)
    visible = len(re.sub(r"<[^>]+>", "", shown.split("</style>", 1)[1].split('<ol class="cc-notes">')[0]))
    assert visible < annotate.MAX_MARKED_CHARS * 2  # the text shown, with its labels, stays near the budget
    assert len(parse(shown).channel) < len(expected_spans(t.claims))
