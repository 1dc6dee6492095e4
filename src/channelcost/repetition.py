"""How repetitive is an article? Title echoes, near-duplicate sentences, repeated phrases.

SEO articles restate their question and their answer many times. Three measures, all on text
normalised with :func:`channelcost.textnorm.strip_for_similarity` (width, case, punctuation):

* title echoes: sentences that contain the title question, exactly or restated. A sentence
  restates the title when it contains at least ``TITLE_COVERAGE`` of the title's character
  bigrams (给天猫打电话是否免费 keeps 6 of 给天猫打电话免费吗's 8 bigrams).
* near-duplicate sentences: pairs whose character-bigram sets have a Jaccard similarity of at
  least ``threshold``; pairs are joined into clusters (single linkage).
* repeated phrases: token n-grams that occur several times.

Cost grows with the length of the article, not its square: similar sentences are found through an
inverted index of their rarest bigrams (the prefix filter of Bayardo, Ma and Srikant, "Scaling up
all pairs similarity search", WWW 2007), which finds every pair at or above a threshold and
compares no pair that cannot reach it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

import pandas as pd

from .sentences import Sentence
from .textnorm import strip_for_similarity

__all__ = [
    "char_ngrams",
    "jaccard",
    "title_echoes",
    "similar_pairs",
    "near_duplicate_pairs",
    "pairs_by_threshold",
    "near_duplicate_clusters",
    "repeated_phrases",
    "restatement_profile",
    "TITLE_COVERAGE",
    "NEAR_DUPLICATE",
]

TITLE_COVERAGE = 0.7
# bigram Jaccard at or above which a sentence counts as restating an earlier one (notebook 01
# shows how many pairs each threshold from 0.3 to 0.7 would give)
NEAR_DUPLICATE = 0.45


def char_ngrams(text: str, n: int = 2) -> set[str]:
    """The set of character n-grams of the normalised text (the text itself if shorter)."""
    s = strip_for_similarity(text)
    if len(s) < n:
        return {s} if s else set()
    return {s[i : i + n] for i in range(len(s) - n + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def title_echoes(sentences: Sequence[Sentence], title: str | None = None) -> pd.DataFrame:
    """Every sentence after the title that repeats or restates it.

    ``title`` defaults to the first sentence when it is a heading. Columns: sentence_id,
    exact (the normalised title occurs verbatim), coverage (share of the title's bigrams
    found in the sentence), text.
    """
    rows = []
    if title is None:
        if not sentences or not sentences[0].is_heading:
            return pd.DataFrame(columns=["sentence_id", "exact", "coverage", "text"])
        title = sentences[0].text
    t_norm = strip_for_similarity(title)
    t_grams = char_ngrams(title)
    for s in sentences:
        if s.text == title and s.sentence_id == 0:
            continue
        grams = char_ngrams(s.text)
        coverage = len(t_grams & grams) / len(t_grams) if t_grams else 0.0
        exact = bool(t_norm) and t_norm in strip_for_similarity(s.text)
        if exact or coverage >= TITLE_COVERAGE:
            rows.append(
                {"sentence_id": s.sentence_id, "exact": exact, "coverage": round(coverage, 3), "text": s.text}
            )
    return pd.DataFrame(rows, columns=["sentence_id", "exact", "coverage", "text"])


def similar_pairs(sets: Sequence[set[str]], threshold: float) -> list[tuple[int, int, float]]:
    """Every pair ``(i, j, jaccard)``, ``i < j``, of ``sets`` whose Jaccard similarity is at least
    ``threshold`` (> 0), exactly, without comparing all pairs.

    Each set's elements are ordered rarest first; a set is indexed under its first
    ``|A| - ceil(threshold·|A|) + 1`` elements (its prefix). Two sets that reach the threshold share at
    least ``ceil(threshold·max(|A|, |B|))`` elements, so one of them lies in both prefixes: looking up
    a set's prefix in the index of the earlier sets finds every such pair. A size filter
    (``threshold·|A| <= |B|``) drops more candidates before the exact similarity is computed.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], not {threshold}")
    freq = Counter(g for grams in sets for g in grams)
    index: dict[str, list[int]] = defaultdict(list)
    out = []
    for j, grams in enumerate(sets):
        if not grams:
            continue
        ordered = sorted(grams, key=lambda g: (freq[g], g))
        prefix = ordered[: len(ordered) - math.ceil(threshold * len(ordered) - 1e-9) + 1]
        seen: set[int] = set()
        for g in prefix:
            for i in index[g]:
                if i in seen:
                    continue
                seen.add(i)
                small, large = sorted((len(sets[i]), len(grams)))
                if small < threshold * large - 1e-9:
                    continue
                sim = jaccard(sets[i], grams)
                if sim >= threshold:
                    out.append((i, j, sim))
        for g in prefix:
            index[g].append(j)
    out.sort()
    return out


def _comparable(sentences: Sequence[Sentence], min_chars: int, n: int) -> list[tuple[Sentence, set[str]]]:
    """The sentences that take part in similarity (not headings, at least ``min_chars`` long), with their n-grams."""
    return [(s, char_ngrams(s.text, n)) for s in sentences
            if not s.is_heading and len(strip_for_similarity(s.text)) >= min_chars]


def near_duplicate_pairs(
    sentences: Sequence[Sentence], threshold: float = 0.45, min_chars: int = 8, n: int = 2
) -> pd.DataFrame:
    """Pairs of sentences (headings excluded) whose bigram Jaccard similarity is >= threshold, by (a, b)."""
    items = _comparable(sentences, min_chars, n)
    rows = [{"a": items[i][0].sentence_id, "b": items[j][0].sentence_id, "jaccard": round(sim, 3)}
            for i, j, sim in similar_pairs([g for _s, g in items], threshold)]
    return pd.DataFrame(rows, columns=["a", "b", "jaccard"])


def pairs_by_threshold(sentences: Sequence[Sentence], thresholds: Sequence[float] = (0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7),
                       min_chars: int = 8, n: int = 2) -> pd.DataFrame:
    """How many sentence pairs are near-duplicates at each threshold (columns threshold, pairs)."""
    pairs = near_duplicate_pairs(sentences, min(thresholds), min_chars, n)
    return pd.DataFrame([(t, int((pairs["jaccard"] >= t).sum())) for t in thresholds], columns=["threshold", "pairs"])


def near_duplicate_clusters(
    sentences: Sequence[Sentence], threshold: float = 0.45, min_chars: int = 8, n: int = 2
) -> pd.DataFrame:
    """Clusters of near-duplicate sentences (single linkage over :func:`near_duplicate_pairs`).

    One row per sentence in a cluster of two or more: cluster (numbered from 1 in text order),
    sentence_id, size, best (its highest similarity to another member), text.
    """
    pairs = near_duplicate_pairs(sentences, threshold, min_chars, n)
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    best: dict[int, float] = {}
    for a, b, sim in pairs.itertuples(index=False):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
        best[a] = max(best.get(a, 0.0), sim)
        best[b] = max(best.get(b, 0.0), sim)
    groups: dict[int, list[int]] = {}
    for sid in sorted(best):
        groups.setdefault(find(sid), []).append(sid)
    by_id = {s.sentence_id: s for s in sentences}
    rows = []
    for k, root in enumerate(sorted(groups), start=1):
        members = groups[root]
        for sid in members:
            rows.append(
                {"cluster": k, "sentence_id": sid, "size": len(members), "best": best[sid], "text": by_id[sid].text}
            )
    return pd.DataFrame(rows, columns=["cluster", "sentence_id", "size", "best", "text"])


def repeated_phrases(
    token_lists: Sequence[Sequence[str]], n_min: int = 3, n_max: int = 6, min_count: int = 3
) -> pd.DataFrame:
    """Token n-grams (within a sentence, no punctuation tokens) occurring at least ``min_count`` times.

    Shorter n-grams wholly explained by a longer one with the same count are dropped.
    Columns: phrase, n, count; sorted by count, then length, then phrase.
    """
    from .tokens import is_punctuation

    counts: Counter[tuple[str, ...]] = Counter()
    for toks in token_lists:
        words = [w for w in toks if not is_punctuation(w)]
        for n in range(n_min, n_max + 1):
            for i in range(len(words) - n + 1):
                counts[tuple(words[i : i + n])] += 1
    frequent = {g: c for g, c in counts.items() if c >= min_count}
    explained = set()  # n-grams inside a longer frequent one with the same count
    for h, hc in frequent.items():
        for n in range(n_min, len(h)):
            for i in range(len(h) - n + 1):
                g = h[i : i + n]
                if frequent.get(g) == hc:
                    explained.add(g)
    kept = [{"phrase": "".join(g), "n": len(g), "count": c} for g, c in frequent.items() if g not in explained]
    df = pd.DataFrame(kept, columns=["phrase", "n", "count"])
    return df.sort_values(["count", "n", "phrase"], ascending=[False, False, True], ignore_index=True)


RESTATEMENT_WINDOW = 200  # sentences before each one compared in full; beyond, only the similar ones
RESTATEMENT_FLOOR = 0.3  # beyond the window, an earlier sentence is found if at least this similar


def restatement_profile(sentences: Sequence[Sentence], min_chars: int = 8, n: int = 2) -> pd.DataFrame:
    """For each sentence (headings excluded), its most similar earlier sentence and the similarity.

    Columns: sentence_id, earlier (the most similar earlier sentence, -1 for the first),
    jaccard (0 when there is none). A late sentence with a high value restates an earlier one.
    Each sentence is compared with the ``RESTATEMENT_WINDOW`` sentences before it, and with every
    earlier one at least ``RESTATEMENT_FLOOR`` similar (found by :func:`similar_pairs`): exact for
    any article of up to that many sentences, and for every restatement in longer ones.
    """
    items = _comparable(sentences, min_chars, n)
    # a sentence whose bigrams are exactly an earlier one's has found its match (1.0, and the
    # earliest such sentence wins ties): only the first of each set of bigrams is compared
    first: dict[frozenset[str], int] = {}
    copy_of: dict[int, int] = {}
    for j, (_s, grams) in enumerate(items):
        key = frozenset(grams)
        if grams and key in first:
            copy_of[j] = first[key]
        else:
            first.setdefault(key, j)
    distinct = [j for j in range(len(items)) if j not in copy_of]
    far: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for a, b, sim in similar_pairs([items[j][1] for j in distinct], RESTATEMENT_FLOOR):
        i, j = distinct[a], distinct[b]
        if j - i > RESTATEMENT_WINDOW:
            far[j].append((i, sim))
    rows = []
    for j, (s, grams) in enumerate(items):
        if j in copy_of:
            i = copy_of[j]
            rows.append({"sentence_id": s.sentence_id, "earlier": items[i][0].sentence_id, "jaccard": 1.0})
            continue
        best_i, best = -1, 0.0
        candidates = [(i, jaccard(grams, items[i][1])) for i in range(max(0, j - RESTATEMENT_WINDOW), j)] + far[j]
        for i, sim in sorted(candidates):
            if sim > best:
                best_i, best = i, sim
        rows.append({"sentence_id": s.sentence_id, "earlier": items[best_i][0].sentence_id if best_i >= 0 else -1,
                     "jaccard": round(best, 3)})
    return pd.DataFrame(rows, columns=["sentence_id", "earlier", "jaccard"])
