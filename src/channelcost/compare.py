"""What many articles say together: ``channelcost compare`` and notebook 05.

A corpus is a folder of articles. Each article goes through one pure function, :func:`article_facts`
(its claims, channel verdicts, fact checks and phone numbers, and a MinHash signature of its text), so
any engine can map it over the files (``--jobs N`` forks worker processes; the README shows Dask). The
reduce step is a group-by over the per-article tables:

* ``duplicates.csv``: clusters of near-duplicate articles (the same text reprinted with small edits,
  as SEO sites do). MinHash over the character 5-grams of each article's text, with punctuation and
  spaces dropped, 128 hash functions; articles whose signatures share a band of 4 rows are
  candidates (locality-sensitive hashing: no pair of articles is compared unless they share a band,
  so the work grows with the corpus, not with its square), and a candidate joins a cluster when the
  share of equal signature values, the estimate of the Jaccard similarity of their 5-grams, is at
  least ``DUPLICATE_SIMILARITY``. A cluster counts once in the consensus: through its first article
  by id.
* ``consensus.csv``: per company and channel, how many articles (clusters counted once) call it
  free, paid, it depends, or give no cost, the consensus (the contract's consolidation rule over
  the articles' verdicts: ``conflicting`` when some say free and others paid), and how the consensus
  stands against the billing facts (the fact checks of the claims behind it).
* ``contradictions.csv``: for every company and channel that some articles call free and others
  paid, each of those articles' verdict with its evidence, side by side (claims about no company
  are left out: two articles about 400 numbers in general need not be about the same line).
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .consolidate import verdict_for
from .reading import Article
from .textnorm import strip_for_similarity

__all__ = ["ArticleFacts", "article_facts", "duplicate_clusters", "article_verdicts", "consensus_table",
           "contradictions_table", "compare_tables", "compare_with_dask", "run_compare", "open_compare", "show_heatmap",
           "DUPLICATE_SIMILARITY", "COMPARE_TABLES"]

SHINGLE = 5  # characters per shingle
NUM_PERM = 128  # hash functions of a signature
BAND_ROWS = 4  # signature rows per band: 32 bands
DUPLICATE_SIMILARITY = 0.8  # estimated Jaccard similarity from which two articles are near-duplicates
_PRIME = np.uint64((1 << 61) - 1)
_RNG = np.random.default_rng(20261127)  # fixed: signatures, and so the clusters, are the same every run
# a, b < 2^32 and shingle hashes x < 2^32: a·x + b < 2^64, so (a·x + b) mod p is exact in 64 bits
_A = _RNG.integers(1, 1 << 32, NUM_PERM, dtype=np.uint64)
_B = _RNG.integers(0, 1 << 32, NUM_PERM, dtype=np.uint64)
COMPARE_TABLES = ("consensus", "contradictions", "duplicates")


@dataclass
class ArticleFacts:
    """The result of the map step for one article."""

    article_id: str
    claims: pd.DataFrame
    channels: pd.DataFrame
    fact_checks: pd.DataFrame
    numbers: pd.DataFrame
    signature: np.ndarray  # NUM_PERM minimum hash values of its shingles


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a text's character shingles (punctuation and spaces dropped)."""
    s = strip_for_similarity(text)
    grams = {s[i : i + SHINGLE] for i in range(max(1, len(s) - SHINGLE + 1))}
    if not grams or grams == {""}:
        return np.full(NUM_PERM, _PRIME, dtype=np.uint64)  # no text: above every hash value
    # a stable 32-bit hash of each shingle (not Python's hash(), which changes between runs)
    h = np.fromiter((zlib.crc32(g.encode("utf-8")) for g in sorted(grams)), dtype=np.uint64, count=len(grams))
    # the minimum over the shingles of (a·x + b) mod p, for each of the NUM_PERM hash functions
    return ((h[:, None] * _A + _B) % _PRIME).min(axis=0)


def article_facts(source: str | Path | Article) -> ArticleFacts:
    """The map step: one article's tables and signature, a pure function of the file (or of the
    article already read from it)."""
    from .pipeline import cost_tables
    from .reading import read_article
    from .sentences import split_sentences

    article = source if isinstance(source, Article) else read_article(Path(source))
    claims, channels, fact_checks, numbers = cost_tables(article, split_sentences(article.text))
    return ArticleFacts(article.article_id, claims, channels, fact_checks, numbers, signature(article.text))


def duplicate_clusters(signatures: dict[str, np.ndarray], threshold: float = DUPLICATE_SIMILARITY) -> pd.DataFrame:
    """One row per article: its cluster (the first article id of the cluster), the cluster's size, and
    the estimated similarity to that first article (1.0 for itself)."""
    ids = sorted(signatures)
    parent = {i: i for i in ids}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    buckets: dict[tuple[int, bytes], list[str]] = defaultdict(list)
    for i in ids:
        sig = signatures[i]
        for b in range(NUM_PERM // BAND_ROWS):
            band = sig[b * BAND_ROWS : (b + 1) * BAND_ROWS].tobytes()
            buckets[(b, hashlib.blake2b(band, digest_size=8).digest())].append(i)
    for members in buckets.values():  # only articles that share a band are compared
        first = members[0]
        for other in members[1:]:
            if root(first) != root(other) and _similarity(signatures[first], signatures[other]) >= threshold:
                a, b = sorted((root(first), root(other)))
                parent[b] = a
    clusters: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        clusters[root(i)].append(i)
    rows = []
    for members in clusters.values():
        head = members[0]
        for i in members:
            rows.append({"article_id": i, "cluster_id": head, "cluster_size": len(members),
                         "similarity": round(_similarity(signatures[head], signatures[i]), 4)})
    return pd.DataFrame(rows, columns=["article_id", "cluster_id", "cluster_size", "similarity"]).sort_values(
        "article_id", ignore_index=True)


def _similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float((a == b).mean())


def article_verdicts(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per article, company and channel: the verdict of its claims (the contract's
    consolidation rule), how many, and the first claim that states the verdict's cost, as evidence."""
    # grouped in one pass over plain records, groups in the order of their first claim
    groups: dict[tuple[str, str, str], list[tuple]] = {}
    cols = ("article_id", "company", "channel", "cost", "claim_id", "sentence_id", "evidence")
    for r in zip(*(claims[c].fillna("") if c == "company" else claims[c] for c in cols)):
        groups.setdefault(r[:3], []).append(r)
    rows = []
    for (article_id, company, channel), grp in groups.items():
        verdict = verdict_for([r[3] for r in grp])
        stating = [r for r in grp if (r[3] == verdict if verdict not in ("unstated", "conflicting") else r[3] != "unstated")]
        first = (stating or grp)[0]
        rows.append({"article_id": article_id, "company": company, "channel": channel, "verdict": verdict,
                     "n_claims": len(grp), "claim_id": first[4], "sentence_id": int(first[5]), "evidence": first[6]})
    cols = ["article_id", "company", "channel", "verdict", "n_claims", "claim_id", "sentence_id", "evidence"]
    return pd.DataFrame(rows, columns=cols)


FACT_STANDING = ("supported", "contradicted", "mixed", "not checkable")  # how a consensus stands against the facts


def counted_once(duplicates: pd.DataFrame) -> set[str]:
    """The articles that count: the first of each cluster of near-duplicates (an article alone is its own)."""
    return set(duplicates.loc[duplicates["article_id"] == duplicates["cluster_id"], "article_id"])


def consensus_table(verdicts: pd.DataFrame, kept: set[str], fact_checks: pd.DataFrame,
                    claims: pd.DataFrame) -> pd.DataFrame:
    """One row per company and channel named with a cost or without, over the articles ``kept``
    (see the module docstring)."""
    from .consolidate import VERDICTS
    from .vocab import CHANNELS

    v = verdicts[verdicts["article_id"].isin(kept)]
    verdict_of_claim = fact_checks.set_index("claim_id")["verdict"].to_dict()
    claim_key = claims.assign(company=claims["company"].fillna(""))[["claim_id", "article_id", "company", "channel"]]
    claims_of: dict[tuple, list[str]] = defaultdict(list)
    for r in claim_key.itertuples(index=False):
        if r.article_id in kept:
            claims_of[(r.company, r.channel)].append(r.claim_id)
    order = {c: i for i, c in enumerate(CHANNELS)}
    rows = []
    for (company, channel), grp in v.groupby(["company", "channel"], sort=False):
        counts = Counter(grp["verdict"])
        # the consolidation rule over the articles: an article at odds with itself counts as "it depends"
        consensus = verdict_for(["varies" if x == "conflicting" else x for x in grp["verdict"]])
        checks = Counter(verdict_of_claim[c] for c in claims_of[(company, channel)] if c in verdict_of_claim)
        rows.append({"company": company, "channel": channel, "articles": len(grp),
                     **{f"n_{x}": int(counts.get(x, 0)) for x in VERDICTS},
                     "consensus": consensus, "facts": _standing(checks),
                     "article_ids": ";".join(sorted(grp["article_id"]))})
    cols = ["company", "channel", "articles", *(f"n_{x}" for x in VERDICTS), "consensus", "facts", "article_ids"]
    df = pd.DataFrame(rows, columns=cols)
    if len(df):
        df = df.sort_values(["company", "channel"], key=lambda s: s.map(order) if s.name == "channel" else s,
                            ignore_index=True)
    return df


def _standing(checks: Counter) -> str:
    """How a consensus stands against the billing facts, from the fact-check verdicts of its claims."""
    checked = {k: n for k, n in checks.items() if k != "not checkable"}
    if not checked:
        return "not checkable"
    if set(checked) == {"supported"}:
        return "supported"
    if set(checked) == {"contradicted"}:
        return "contradicted"
    return "mixed"


def contradictions_table(verdicts: pd.DataFrame, kept: set[str]) -> pd.DataFrame:
    """For every company and channel that some of the articles ``kept`` (clusters counted once) call
    free and others paid: each of those articles' verdicts with its evidence."""
    # two articles contradict each other only about the same company's channel: claims about no company
    # (numbers in general, an unnamed platform) are left out
    v = verdicts[verdicts["article_id"].isin(kept) & verdicts["verdict"].isin(["free", "paid"])
                 & (verdicts["company"] != "")]
    rows = []
    for (company, channel), grp in v.groupby(["company", "channel"], sort=True):
        if set(grp["verdict"]) != {"free", "paid"}:
            continue
        for r in grp.sort_values(["verdict", "article_id"]).itertuples(index=False):
            rows.append({"company": company, "channel": channel, "article_id": r.article_id, "verdict": r.verdict,
                         "claim_id": r.claim_id, "sentence_id": r.sentence_id, "evidence": r.evidence})
    cols = ["company", "channel", "article_id", "verdict", "claim_id", "sentence_id", "evidence"]
    return pd.DataFrame(rows, columns=cols)


def compare_tables(facts: Iterable[ArticleFacts]) -> dict[str, pd.DataFrame]:
    """The reduce step: the per-article tables of the whole corpus, and the three comparison tables."""
    facts = sorted(facts, key=lambda f: f.article_id)
    together = {name: pd.concat([getattr(f, name) for f in facts], ignore_index=True)
                for name in ("claims", "channels", "fact_checks", "numbers")}
    duplicates = duplicate_clusters({f.article_id: f.signature for f in facts})
    kept = counted_once(duplicates)
    verdicts = article_verdicts(together["claims"])
    return {**together,
            "consensus": consensus_table(verdicts, kept, together["fact_checks"], together["claims"]),
            "contradictions": contradictions_table(verdicts, kept),
            "duplicates": duplicates}


def map_articles(files: list[Path | Article], jobs: int | None = None) -> list[ArticleFacts]:
    """:func:`article_facts` over the files (or the articles read from them), in ``jobs`` forked worker
    processes (results in input order)."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(files)))
    if jobs == 1:
        return [article_facts(f) for f in files]
    from .build import fork_pool  # a stopped comparison's workers are killed with it (build.abandon)

    with fork_pool(jobs) as pool:
        return list(pool.map(article_facts, files, chunksize=8))


class CompareError(ValueError):
    """A comparison that must not run (bad articles, or an output folder it may not use): one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _check(inputs: list[str | Path], out: Path) -> tuple[list[Path], list[Article]]:
    """The article files of ``inputs`` (folders expanded) and the articles read from them (once: the
    map step and the package's sources take them as read), or :class:`CompareError` with every
    problem: a bad or repeated article, or an output folder that is neither new, empty, nor an
    earlier comparison."""
    import json

    from .corpus import expand_inputs, unique_articles
    from .reading import ArticleError, read_article

    files, problems = unique_articles(expand_inputs(inputs))
    articles = []
    for f in files:
        try:
            articles.append(read_article(f))
        except ArticleError as exc:
            problems.append(str(exc))
    if not files and not problems:
        problems.append("no article: give .txt files or folders that hold them")
    if out.exists():
        earlier = out / "datapackage.json"
        ours = False
        if earlier.is_file():
            try:
                ours = json.loads(earlier.read_text(encoding="utf-8")).get("name") == "channelcost-corpus"
            except (OSError, ValueError):
                ours = False
        if not out.is_dir() or (any(out.iterdir()) and not ours):
            problems.append(f"{out}: not an empty folder nor an earlier comparison; choose an empty or new folder")
        if out.is_dir():
            inputs_resolved = {f.resolve() for f in files}
            if any(p.resolve() in inputs_resolved for p in out.rglob("*")):
                problems.append(f"{out}: holds input articles; choose another folder")
    if problems:
        raise CompareError(problems)
    return files, articles


def write_compare(tables: dict[str, pd.DataFrame], out: Path, files: list[Path],
                  articles: list[Article] | None = None, written: list[Path] | None = None) -> list[Path]:
    """Write the corpus tables, their ``datapackage.json`` (``files`` are its sources; ``articles``, the
    same files as already read, if they were) and the consensus heat map (PNG with its data as CSV)
    into ``out``, each file atomically; each path is added to ``written`` (returned) once it is there."""
    from .datadict import CORPUS_TABLES, article_source, corpus_package, package_json
    from .io import write_csv_atomic, write_text_atomic
    from .plotting import consensus_heatmap, consensus_matrix, save_figure

    out.mkdir(parents=True, exist_ok=True)
    written = [] if written is None else written
    for name in CORPUS_TABLES:
        p = out / f"{name}.csv"
        write_csv_atomic(p, tables[name])
        written.append(p)
    p = out / "datapackage.json"
    read = articles or [None] * len(files)
    write_text_atomic(p, package_json(corpus_package([article_source(f, article=a) for f, a in zip(files, read)])))
    written.append(p)
    matrix = consensus_matrix(tables["consensus"])
    figures = out / "figures"
    if len(matrix):
        figures.mkdir(exist_ok=True)
        import matplotlib.pyplot as plt

        fig = consensus_heatmap(matrix, f"{len(files)} articles")
        written.append(save_figure(fig, "05-consensus-heatmap", matrix, figures))
        written.append(figures / "05-consensus-heatmap.csv")
        plt.close(fig)
    return written


def run_compare(inputs: list[str | Path], out: str | Path, jobs: int | None = None) -> dict[str, pd.DataFrame]:
    """``channelcost compare``: check every input, map :func:`article_facts` over the articles, reduce,
    write. Raises :class:`CompareError` before anything is written."""
    from .build import undone_on_stop

    out = Path(out)
    files, articles = _check(inputs, out)
    tables = compare_tables(map_articles(articles, jobs))
    written: list[Path] = []
    made = not out.exists()

    def undo() -> None:  # a comparison stopped while writing leaves none of its files
        for p in written:
            p.unlink(missing_ok=True)
        for stale in [*out.glob(".*.tmp"), *(out / "figures").glob(".*.tmp")]:
            stale.unlink(missing_ok=True)
        if made:
            for folder in (out / "figures", out):
                if folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()

    with undone_on_stop(undo):
        write_compare(tables, out, files, articles, written)
    return tables


def open_compare(folder: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """The tables of a comparison folder (default: the project's own, ``data/processed/corpus/``), typed."""
    from .datadict import CORPUS_TABLES
    from . import paths
    from .tables import read_table

    folder = Path(folder) if folder else paths.CORPUS
    return {name: read_table(folder, name) for name in CORPUS_TABLES}


def show_heatmap(folder: str | Path | None = None) -> None:
    """In a notebook: the consensus heat map ``compare`` saved, and where it and its data are."""
    from IPython.display import Image, display

    from . import paths

    png = (Path(folder) if folder else paths.CORPUS) / "figures" / "05-consensus-heatmap.png"
    if not png.is_file():
        print("No company is named with a channel in these articles, so there is no heat map.")
        return
    display(Image(filename=str(png)))
    print(f"figure and its data: {paths.relative(png)}, {paths.relative(png.with_suffix('.csv'))}")


def compare_with_dask(files: Iterable[str | Path], client=None, partitions: int | None = None) -> dict[str, pd.DataFrame]:
    """:func:`compare_tables` with the map step on Dask (``pip install channelcost[cluster]``): a bag of the
    file names mapped with :func:`article_facts` on ``client`` (a ``distributed.Client``; None: Dask's
    current scheduler), then the same reduce here. The tables are those of :func:`map_articles`.
    Every worker needs channelcost installed and the files at the same paths."""
    import dask.bag as db

    names = [str(f) for f in files]
    bag = db.from_sequence(names, npartitions=partitions or max(1, min(len(names), 64)))
    facts = bag.map(article_facts)
    results = client.compute(facts).result() if client is not None else facts.compute()
    return compare_tables(results)
