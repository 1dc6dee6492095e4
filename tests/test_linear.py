"""Cost that grows with the input, not its square (issue 14): exact results, counted work, and a
huge article extracted in bounded memory."""

import random
import subprocess
import sys

from channelcost import paths
from channelcost.repetition import jaccard, near_duplicate_pairs, restatement_profile, similar_pairs
from channelcost.sentences import split_sentences


def test_similar_pairs_finds_exactly_the_pairs_all_pairs_would():
    rng = random.Random(7)
    alphabet = "免费收费客服电话热线在线人工智能短信邮箱按市话标准计每分钟元"
    sets = [{rng.choice(alphabet) + rng.choice(alphabet) for _ in range(rng.randint(0, 12))} for _ in range(300)]
    sets += [set(s) for s in sets[:20]]  # exact repeats
    for t in (0.3, 0.45, 0.7, 1.0):
        brute = [(i, j, jaccard(a, b)) for i, a in enumerate(sets) for j, b in enumerate(sets)
                 if i < j and (a or b) and jaccard(a, b) >= t]
        assert similar_pairs(sets, t) == brute


def test_restatements_are_exact_on_an_article():
    from channelcost.repetition import char_ngrams

    sentences = split_sentences(paths.SEED_ARTICLE.read_text(encoding="utf-8"))
    items = [s for s in sentences if not s.is_heading and len(s.text) >= 8]
    profile = restatement_profile(sentences).set_index("sentence_id")["jaccard"]
    grams = {s.sentence_id: char_ngrams(s.text) for s in items}
    for k, s in enumerate(items):
        best = max((jaccard(grams[s.sentence_id], grams[e.sentence_id]) for e in items[:k]), default=0.0)
        assert profile[s.sentence_id] == round(best, 3)


def test_restatements_are_exact_when_sentences_repeat():
    """Copies are matched to the earliest identical sentence without comparing them again; the
    result is still the brute force's, earlier sentence included (ties go to the earliest)."""
    from channelcost.repetition import RESTATEMENT_WINDOW, char_ngrams

    seed = paths.SEED_ARTICLE.read_text(encoding="utf-8")
    sentences = split_sentences(seed * 6)
    items = [s for s in sentences if not s.is_heading and len(s.text) >= 8]
    assert len(items) > 2 * RESTATEMENT_WINDOW  # copies both within the window and beyond it
    profile = restatement_profile(sentences).set_index("sentence_id")
    grams = [char_ngrams(s.text) for s in items]
    for k, s in enumerate(items):
        best, earliest = 0.0, -1
        for i in range(k):
            sim = jaccard(grams[k], grams[i])
            if sim > best:
                best, earliest = sim, items[i].sentence_id
        assert profile.loc[s.sentence_id, "jaccard"] == round(best, 3)
        assert profile.loc[s.sentence_id, "earlier"] == earliest


def test_comparisons_grow_linearly_with_the_article(monkeypatch):
    """Twice the sentences, about twice the similarity computations (all pairs would be four times)."""
    from channelcost import repetition

    calls = 0
    real = repetition.jaccard

    def counted(a, b):
        nonlocal calls
        calls += 1
        return real(a, b)

    monkeypatch.setattr(repetition, "jaccard", counted)
    rng = random.Random(1)
    chars = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 3000))
    lines = ["".join(rng.choice(chars) for _ in range(20)) + "。" for _ in range(2400)]
    lines[1000] = lines[10]  # one restatement far back: still found
    counts = []
    for n in (1200, 2400):
        calls = 0
        big = split_sentences("\n".join(lines[:n]))
        pairs = near_duplicate_pairs(big)
        profile = restatement_profile(big).set_index("sentence_id")
        counts.append(calls)
    assert list(pairs[["a", "b"]].itertuples(index=False, name=None)) == [(10, 1000)]
    assert profile.loc[1000, "earlier"] == 10 and profile.loc[1000, "jaccard"] == 1.0
    assert counts[1] < 2.2 * counts[0]


def _peak_mb(article, out) -> int:
    proc = subprocess.run([sys.executable, "-c", (
        "import resource, sys\n"
        "from channelcost.cli import main\n"
        "code = main(['extract', sys.argv[1], '-o', sys.argv[2], '--jobs', '1'])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
        "sys.exit(code)"), str(article), str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return int(proc.stdout.strip())


def test_a_long_article_streams_to_the_same_rows_in_bounded_memory(tmp_path):
    """Rows are written as sentences are read: the output equals the whole-article extraction, and a
    1.5 MB article takes hardly more memory than a short one (held whole, its claims took 25 MB per MB)."""
    from channelcost.claims import claims_csv_bytes, extract_claims
    from channelcost.reading import read_article

    corpus = "\n".join(p.read_text(encoding="utf-8") for p in sorted(paths.TEST_ARTICLES.glob("*.txt")))
    big = tmp_path / "long.txt"  # the test articles repeated to 1.5 MB, however many there are
    big.write_text("\n".join([corpus] * -(-1_500_000 // len(corpus.encode("utf-8")))), encoding="utf-8")
    assert 1_500_000 < big.stat().st_size < 1_500_000 + 2 * len(corpus.encode("utf-8"))
    small = _peak_mb(paths.TEST_ARTICLES / "jd-hotline-qa.txt", tmp_path / "short.csv")
    large = _peak_mb(big, tmp_path / "long.csv")
    assert (tmp_path / "long.csv").read_bytes() == claims_csv_bytes(extract_claims(read_article(big)))
    assert large - small < 20, (small, large)
