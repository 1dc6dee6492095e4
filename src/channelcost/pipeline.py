"""From an article to the tables of ``data/processed/``: sentences and tokens.

Notebooks call these functions; the tests call them too and compare with the committed CSVs,
so a CSV that no longer follows from the code is caught.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from .reading import Article
from .sentences import Sentence, split_sentences
from .textnorm import simplified
from .tokens import is_punctuation, load_stopwords, load_user_words, pos_tag, textrank_keywords, tfidf_keywords, tokenize

__all__ = [
    "sentences_frame",
    "tokens_frame",
    "article_summary",
    "term_frequencies",
    "segmentation_comparison",
    "segmentation_table",
    "keywords_table",
    "keywords_side_by_side",
    "claim_tables",
    "advice_tables",
    "fact_check_table",
    "cost_tables",
]


def sentences_frame(article: Article, sentences: list[Sentence] | None = None,
                    tokens: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per sentence (see the ``sentences`` schema in :mod:`channelcost.datadict`);
    ``n_tokens`` is counted in ``tokens`` (the article's ``tokens_frame``) when it is given."""
    sentences = split_sentences(article.text) if sentences is None else sentences
    counts = tokens["sentence_id"].value_counts().to_dict() if tokens is not None else None
    rows = []
    for s in sentences:
        rows.append(
            {
                "article_id": article.article_id,
                "sentence_id": s.sentence_id,
                "paragraph_id": s.paragraph_id,
                "start": s.start,
                "end": s.end,
                "is_heading": s.is_heading,
                "n_chars": s.end - s.start,
                "n_tokens": counts.get(s.sentence_id, 0) if counts is not None else len(tokenize(s.text)),
                "text": s.text,
            }
        )
    cols = ["article_id", "sentence_id", "paragraph_id", "start", "end", "is_heading", "n_chars", "n_tokens", "text"]
    return pd.DataFrame(rows, columns=cols)


def tokens_frame(article: Article, sentences: list[Sentence] | None = None) -> pd.DataFrame:
    """One row per token (see the ``tokens`` schema in :mod:`channelcost.datadict`)."""
    sentences = split_sentences(article.text) if sentences is None else sentences
    stop = load_stopwords()
    user = set(load_user_words())
    rows = []
    for s in sentences:
        tags = {(a, b): flag for a, b, _w, flag in pos_tag(s.text, offset=s.start)}
        # cut where the tagger cuts: traditional characters read as simplified (see pos_tag), the
        # words given as the text has them
        for t in tokenize(simplified(s.text), offset=s.start):
            word = s.text[t.start - s.start : t.end - s.start]
            rows.append(
                {
                    "article_id": article.article_id,
                    "token_id": len(rows),
                    "sentence_id": s.sentence_id,
                    "start": t.start,
                    "end": t.end,
                    "token": word,
                    "pos": tags.get((t.start, t.end), ""),
                    "is_punct": is_punctuation(word),
                    "is_stopword": t.word in stop,  # the lists are simplified
                    "in_user_dict": t.word in user,
                }
            )
    cols = [
        "article_id", "token_id", "sentence_id", "start", "end", "token", "pos",
        "is_punct", "is_stopword", "in_user_dict",
    ]
    return pd.DataFrame(rows, columns=cols)


def article_summary(article: Article, sentences: pd.DataFrame, tokens: pd.DataFrame) -> pd.DataFrame:
    """What the article is made of, as a two-column table (measure, value)."""
    text = article.text
    words = tokens[~tokens["is_punct"]]
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    fullwidth = sum(1 for ch in text if "\uff01" <= ch <= "\uff5e" or ch in "。、“”‘’…—《》「」")
    halfwidth = sum(1 for ch in text if ch in ",.?!:;()\"'")
    rows = [
        ("characters (code points)", len(text)),
        ("non-space characters", sum(1 for ch in text if not ch.isspace())),
        ("Chinese characters (CJK unified)", han),
        ("paragraphs (non-blank lines)", int(sentences["paragraph_id"].nunique())),
        ("headings", int(sentences["is_heading"].sum())),
        ("sentences", len(sentences)),
        ("tokens (punctuation included)", len(tokens)),
        ("word tokens (no punctuation)", len(words)),
        ("distinct words", int(words["token"].nunique())),
        ("full-width punctuation marks", fullwidth),
        ("half-width punctuation marks", halfwidth),
    ]
    return pd.DataFrame(rows, columns=["measure", "value"])


def term_frequencies(tokens: pd.DataFrame, top: int = 25, min_len: int = 2) -> pd.DataFrame:
    """Most frequent words without punctuation, stop words, digits-only or one-character tokens."""
    words = tokens[~tokens["is_punct"] & ~tokens["is_stopword"]]["token"]
    words = words[(words.str.len() >= min_len) & ~words.str.isdigit()]
    counts = Counter(words)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    total = len(tokens[~tokens["is_punct"]])
    return pd.DataFrame(
        [(w, c, round(1000 * c / total, 1)) for w, c in ranked], columns=["word", "count", "per_1000_words"]
    )


def segmentation_comparison(text: str, words: list[str] | None = None,
                            sentences: list[Sentence] | None = None) -> pd.DataFrame:
    """For each user-dictionary word found in ``text``: how default jieba and the project cut it.

    Each word is cut in the context of its first sentence in the text (``sentences``: the text's
    split, if already made), so what is shown is what happens in the article, not in isolation.
    Columns: word, occurrences, default_cut, project_cut, fixed (the project's cut keeps the word
    whole where default jieba did not).
    """
    words = load_user_words() if words is None else words
    sentences = split_sentences(text) if sentences is None else sentences
    rows = []
    for w in words:
        n = text.count(w)
        if not n:
            continue
        sent = next(s for s in sentences if w in s.text)
        offset = sent.text.index(w)

        def cut_at(user_dict: bool) -> str:
            toks = tokenize(sent.text, user_dict=user_dict)
            inside = [t.word for t in toks if t.end > offset and t.start < offset + len(w)]
            return "/".join(inside)

        default, project = cut_at(False), cut_at(True)
        rows.append(
            {"word": w, "occurrences": n, "default_cut": default, "project_cut": project, "fixed": default != w and project == w}
        )
    df = pd.DataFrame(rows, columns=["word", "occurrences", "default_cut", "project_cut", "fixed"])
    return df.astype({"occurrences": "int64", "fixed": bool})


def segmentation_table(article: Article, sentences: list[Sentence] | None = None) -> pd.DataFrame:
    """The ``segmentation`` table: :func:`segmentation_comparison` of the article, with its id."""
    df = segmentation_comparison(article.text, sentences=sentences)
    df.insert(0, "article_id", article.article_id)
    return df


KEYWORDS = 15  # keywords kept per method
KEYWORD_METHODS = {"tfidf": tfidf_keywords, "textrank": textrank_keywords}


def keywords_table(article: Article, top_k: int = KEYWORDS) -> pd.DataFrame:
    """The ``keywords`` table: the top ``top_k`` words of each method (TF-IDF with jieba's IDF
    table, TextRank over the part-of-speech tagger), both with the project's tokenizer."""
    rows = []
    for method, extract in KEYWORD_METHODS.items():
        for rank, (word, weight) in enumerate(extract(article.text, top_k), 1):
            rows.append({"article_id": article.article_id, "method": method, "rank": rank, "word": word,
                         "weight": round(weight, 4)})
    return pd.DataFrame(rows, columns=["article_id", "method", "rank", "word", "weight"])


def keywords_side_by_side(keywords: pd.DataFrame) -> pd.DataFrame:
    """The keywords table with one column pair per method, ranked rows (rank as the index)."""
    parts = []
    for method in KEYWORD_METHODS:
        part = keywords[keywords["method"] == method].set_index("rank")[["word", "weight"]]
        parts.append(part.rename(columns={"word": f"{method}_word", "weight": f"{method}_weight"}))
    out = pd.concat(parts, axis=1)
    out.index.name = None
    return out


def claim_tables(article: Article, sentences: list[Sentence] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``claims`` and ``channels`` tables of one article (see :mod:`channelcost.datadict`)."""
    from .claims import claims_frame, extract_claims
    from .consolidate import consolidate

    claims = claims_frame(extract_claims(article, sentences))
    return claims, consolidate(claims)


def cost_tables(article: Article, sentences: list[Sentence]
                ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``claims``, ``channels``, ``fact_checks`` and ``numbers`` of one article: what a build writes of
    its costs and what a comparison of many articles maps over each (the fact checks use the numbers)."""
    from .numbers import numbers_frame

    claims, channels = claim_tables(article, sentences)
    numbers = numbers_frame(article.article_id, article.text, sentences, claims)
    return claims, channels, fact_check_table(claims, numbers), numbers


def advice_tables(article: Article, channels: pd.DataFrame, sentences: list[Sentence] | None = None
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``recommendations`` and ``advice`` tables of one article (see :mod:`channelcost.datadict`)."""
    from .advice import advice_items, extract_recommendations, recommendations_frame

    recs = recommendations_frame(extract_recommendations(article, sentences))
    return recs, advice_items(recs, channels)


def fact_check_table(claims: pd.DataFrame, numbers: pd.DataFrame | None = None) -> pd.DataFrame:
    """``fact_checks`` table for the claims of one or more articles (and the numbers they give)."""
    from .factcheck import check_claims

    return check_claims(claims, numbers=numbers)
