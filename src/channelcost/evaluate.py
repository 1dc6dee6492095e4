"""Precision, recall and F1 of extracted claims against a gold annotation.

Cost-stating claims are scored apart from mere mentions:

* **cost claims**: the triple (sentence_id, channel, cost) within an article, cost free/paid/varies;
* **cost pairs**: the distinct (channel, cost) pairs an article states, cost free/paid/varies;
* **mentions**: (sentence_id, channel), whatever the cost.

Counts are summed over articles (micro-averaged) when several are evaluated together.
``hedged`` and ``negated`` are scored separately, as agreement on the cost claims both sides found.
Two annotations of the same articles are compared with Cohen's kappa on their cost labels.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .vocab import STATED_COSTS

__all__ = ["read_gold", "score", "cohen_kappa", "disagreements", "evaluate_corpus", "LEVELS"]

GOLD_COLUMNS = ["article_id", "sentence_id", "channel", "cost", "hedged", "negated", "evidence"]


def read_gold(path: str | Path) -> pd.DataFrame:
    """A gold claims file: the columns of GOLD_COLUMNS, then ``company`` (data/annotations/COMPANY_GUIDELINES.md)
    in every gold file the extractor is scored on (a second reader's claims in ``gold-second/`` have none)."""
    df = pd.read_csv(path, dtype={"article_id": str, "channel": str, "cost": str, "evidence": str, "company": str},
                     keep_default_na=False)
    assert list(df.columns) in (GOLD_COLUMNS, GOLD_COLUMNS + ["company"]), f"{path}: columns {list(df.columns)}"
    for col in ("hedged", "negated"):
        df[col] = df[col].map({"true": True, "false": False, True: True, False: False})
    return df


def _agreement(level: str, agree: int, n: int) -> dict:
    """A score row for an agreement: the share of ``n`` matched items whose label is the same (f1)."""
    return {"level": level, "precision": None, "recall": None, "f1": round(agree / n, 4) if n else None,
            "tp": agree, "predicted": n, "gold": n}


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "predicted": n_pred, "gold": n_gold}


COST_STATING = STATED_COSTS
LEVELS = ("cost claims (sentence, channel, cost)", "cost pairs (article, channel, cost)", "mentions (sentence, channel)")


def _keys(df: pd.DataFrame, cols: list[str]) -> set[tuple]:
    return set(zip(*(map(str, df[c]) for c in cols)))


def _overlap(pred: pd.DataFrame, gold: pd.DataFrame, cols: list[str]) -> tuple[int, int, int]:
    """(true positives, predicted, gold) of the distinct keys ``cols`` of two tables."""
    p, g = _keys(pred, cols), _keys(gold, cols)
    return len(p & g), len(p), len(g)


def score(pred: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """A table with one row per level.

    * cost claims: (article, sentence, channel, cost) triples whose cost is stated (free, paid, varies);
    * cost pairs: the distinct (article, channel, cost) an article states, cost stated;
    * mentions: (article, sentence, channel), whatever the cost, ``unstated`` included;
    * hedged and negated: agreement on the cost claims both sides found.
    """
    p_cost = pred[pred["cost"].isin(COST_STATING)]
    g_cost = gold[gold["cost"].isin(COST_STATING)]
    claim_key = ["article_id", "sentence_id", "channel", "cost"]
    pair_key = ["article_id", "channel", "cost"]
    mention_key = ["article_id", "sentence_id", "channel"]
    rows = [{"level": level, **_prf(*_overlap(p, g, key))} for level, (p, g, key) in zip(LEVELS, [
        (p_cost, g_cost, claim_key), (p_cost, g_cost, pair_key), (pred, gold, mention_key)])]
    both = p_cost.merge(g_cost, on=claim_key, suffixes=("_pred", "_gold"))
    for flag in ("hedged", "negated"):
        agree = int((both[f"{flag}_pred"].astype(bool) == both[f"{flag}_gold"].astype(bool)).sum())
        n = len(both)
        rows.append(_agreement(f"{flag} agreement on matched cost claims", agree, n))
    if "company" in pred.columns and "company" in gold.columns:
        rows.append(company_agreement(pred, gold))
    return pd.DataFrame(rows)


COMPANY_LEVEL = "company agreement on matched mentions"


def company_agreement(pred: pd.DataFrame, gold: pd.DataFrame) -> dict:
    """Share of the (article, sentence, channel) mentions both sides found whose company is the same
    (an empty company, none in view, agrees with an empty one)."""
    key = ["article_id", "sentence_id", "channel"]
    both = pred[key + ["company"]].astype(str).merge(gold[key + ["company"]].astype(str), on=key,
                                                     suffixes=("_pred", "_gold"))
    n = len(both)
    agree = int((both["company_pred"] == both["company_gold"]).sum())
    return _agreement(COMPANY_LEVEL, agree, n)


def cohen_kappa(a: pd.DataFrame, b: pd.DataFrame) -> dict:
    """Cohen's kappa of two annotations' cost labels over every (article, sentence, channel) that
    either annotated; an item one of them left out counts as the label ``none``."""
    key = ["article_id", "sentence_id", "channel"]
    la = {tuple(map(str, k)): c for *k, c in a[key + ["cost"]].itertuples(index=False)}
    lb = {tuple(map(str, k)): c for *k, c in b[key + ["cost"]].itertuples(index=False)}
    items = sorted(set(la) | set(lb))
    pairs = [(la.get(i, "none"), lb.get(i, "none")) for i in items]
    n = len(pairs)
    if not n:
        return {"items": 0, "observed": None, "kappa": None}
    labels = sorted({x for p in pairs for x in p})
    observed = sum(x == y for x, y in pairs) / n
    expected = sum((sum(x == lab for x, _ in pairs) / n) * (sum(y == lab for _, y in pairs) / n) for lab in labels)
    kappa = (observed - expected) / (1 - expected) if expected < 1 else 1.0
    return {"items": n, "observed": round(observed, 4), "kappa": round(kappa, 4)}


def disagreements(pred: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Every (sentence, channel) where extractor and gold differ: missing, extra or another cost."""
    key = ["article_id", "sentence_id", "channel"]
    p = pred[key + ["cost", "cue"]].rename(columns={"cost": "extracted"})
    g = gold[key + ["cost", "evidence"]].rename(columns={"cost": "gold"})
    m = p.merge(g, on=key, how="outer")
    m = m[m["extracted"].fillna("") != m["gold"].fillna("")].copy()
    m["kind"] = m.apply(
        lambda r: "missed" if pd.isna(r["extracted"]) else ("extra" if pd.isna(r["gold"]) else "other cost"), axis=1
    )
    m = m.sort_values(key).reset_index(drop=True)
    return m[key + ["kind", "extracted", "gold", "cue"]]


def evaluate_corpus(articles_dir: str | Path, gold_dir: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score the extractor on every article of a folder that has a gold file of the same stem.

    Returns (per-article scores, overall scores). Per-article rows give pair- and claim-level
    precision and recall; overall rows are micro-averaged over all articles.
    """
    from .claims import claims_frame, extract_claims
    from .reading import read_article

    preds, golds, rows = [], [], []
    for art_path in sorted(Path(articles_dir).glob("*.txt")):
        gold_path = Path(gold_dir) / f"{art_path.stem}.csv"
        if not gold_path.is_file():
            raise FileNotFoundError(f"{art_path}: no gold file {gold_path.name}; every article is scored")
        pred = claims_frame(extract_claims(read_article(art_path)))
        gold = read_gold(gold_path)
        p_cost, g_cost = pred[pred["cost"].isin(COST_STATING)], gold[gold["cost"].isin(COST_STATING)]
        # per article only the two cost levels, from key sets (the full score() is for the whole set)
        claim = _prf(*_overlap(p_cost, g_cost, ["article_id", "sentence_id", "channel", "cost"]))
        pair = _prf(*_overlap(p_cost, g_cost, ["article_id", "channel", "cost"]))
        rows.append({
            "article_id": art_path.stem,
            "cost_claims_gold": len(g_cost),
            "cost_claims_extracted": len(p_cost),
            "claim_precision": claim["precision"],
            "claim_recall": claim["recall"],
            "pair_precision": pair["precision"],
            "pair_recall": pair["recall"],
        })
        preds.append(pred)
        golds.append(gold)
    overall = score(pd.concat(preds), pd.concat(golds)) if preds else pd.DataFrame()
    return pd.DataFrame(rows), overall


ADVICE_GOLD_COLUMNS = ["article_id", "sentence_id", "evidence", "audience", "action", "channels"]


def read_advice_gold(path: str | Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(df.columns) == ADVICE_GOLD_COLUMNS, f"{path}: columns {list(df.columns)}"
    df["sentence_id"] = df["sentence_id"].astype(int)
    return df


def _spans(df: pd.DataFrame, sentence_text: dict[int, str]) -> list[tuple[int, int, int]]:
    out = []
    for sentence_id, evidence in zip(df["sentence_id"], df["evidence"]):
        text = sentence_text[sentence_id]
        s = text.find(evidence)
        if s < 0:
            raise ValueError(f"evidence not in sentence {sentence_id}: {evidence!r}")
        out.append((sentence_id, s, s + len(evidence)))
    return out


def match_advice(pred: pd.DataFrame, gold: pd.DataFrame, sentence_text: dict[int, str]) -> list[tuple[int, int]]:
    """One-to-one pairs (pred row, gold row) of pieces of advice whose spans overlap in a sentence,
    the largest overlaps first."""
    ps, gs = _spans(pred, sentence_text), _spans(gold, sentence_text)
    cands = []
    for i, (si, a, b) in enumerate(ps):
        for j, (sj, c, d) in enumerate(gs):
            if si == sj and min(b, d) > max(a, c):
                cands.append((min(b, d) - max(a, c), i, j))
    used_p, used_g, pairs = set(), set(), []
    for _ov, i, j in sorted(cands, key=lambda t: (-t[0], t[1], t[2])):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def score_advice(pred: pd.DataFrame, gold: pd.DataFrame, sentence_text: dict[int, str]) -> pd.DataFrame:
    """Clause-level detection precision/recall, and label agreement on matched pieces."""
    pairs = match_advice(pred, gold, sentence_text)
    rows = [{"level": "advice clauses (overlapping spans)", **_prf(len(pairs), len(pred), len(gold))}]
    for col in ("audience", "action", "channels"):
        agree = sum(pred.iloc[i][col] == gold.iloc[j][col] for i, j in pairs)
        rows.append(_agreement(f"{col} agreement on matched advice", agree, len(pairs)))
    return pd.DataFrame(rows)


def advice_disagreements(pred: pd.DataFrame, gold: pd.DataFrame, sentence_text: dict[int, str]) -> pd.DataFrame:
    """Advice found by only one side, or labelled differently."""
    pairs = match_advice(pred, gold, sentence_text)
    rows = []
    mp, mg = {i for i, _ in pairs}, {j for _, j in pairs}
    for i, j in pairs:
        p, g = pred.iloc[i], gold.iloc[j]
        diff = [c for c in ("audience", "action", "channels") if p[c] != g[c]]
        if diff:
            rows.append({"sentence_id": g["sentence_id"], "kind": "labels differ: " + ", ".join(diff),
                         "extracted": f"{p['audience']}/{p['action']}/{p['channels']}",
                         "gold": f"{g['audience']}/{g['action']}/{g['channels']}", "evidence": g["evidence"]})
    for i in sorted(set(range(len(pred))) - mp):
        p = pred.iloc[i]
        rows.append({"sentence_id": p["sentence_id"], "kind": "extra", "extracted": f"{p['audience']}/{p['action']}",
                     "gold": "", "evidence": p["evidence"]})
    for j in sorted(set(range(len(gold))) - mg):
        g = gold.iloc[j]
        rows.append({"sentence_id": g["sentence_id"], "kind": "missed", "extracted": "",
                     "gold": f"{g['audience']}/{g['action']}", "evidence": g["evidence"]})
    df = pd.DataFrame(rows, columns=["sentence_id", "kind", "extracted", "gold", "evidence"])
    return df.sort_values(["sentence_id", "kind"], ignore_index=True)


def evaluate_advice_corpus(articles_dir: str | Path, gold_dir: str | Path, suffix: str = "",
                           second_dir: str | Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Advice extraction scored on every article of a folder with a gold advice file
    ``<stem><suffix>.csv`` in ``gold_dir`` (the seed's is ``data/annotations/<stem>-advice.csv``).
    With ``second_dir``, a second annotator's files there are scored instead of the extractor, on
    the articles both annotated: the agreement of two readers, measured as the extractor is."""
    from .advice import extract_recommendations, recommendations_frame
    from .reading import read_article
    from .sentences import split_sentences

    rows, tp, n_pred, n_gold = [], 0, 0, 0
    agree = {"audience": 0, "action": 0}
    for art_path in sorted(Path(articles_dir).glob("*.txt")):
        gold_path = Path(gold_dir) / f"{art_path.stem}{suffix}.csv"
        second = Path(second_dir) / f"{art_path.stem}.csv" if second_dir else None
        if not gold_path.is_file() or (second is not None and not second.is_file()):
            continue
        art = read_article(art_path)
        sentences = split_sentences(art.text)
        text = {s.sentence_id: s.text for s in sentences}
        pred = read_advice_gold(second) if second else recommendations_frame(extract_recommendations(art, sentences))
        gold = read_advice_gold(gold_path)
        pairs = match_advice(pred, gold, text)
        tp, n_pred, n_gold = tp + len(pairs), n_pred + len(pred), n_gold + len(gold)
        for col in agree:
            p_col, g_col = list(pred[col]), list(gold[col])
            agree[col] += sum(p_col[i] == g_col[j] for i, j in pairs)
        p = _prf(len(pairs), len(pred), len(gold))
        rows.append({"article_id": art_path.stem, "advice_gold": len(gold), "advice_extracted": len(pred),
                     "precision": p["precision"], "recall": p["recall"]})
    overall = pd.DataFrame([
        {"level": "advice clauses (overlapping spans)", **_prf(tp, n_pred, n_gold)},
        *(_agreement(f"{col} agreement on matched advice", agree[col], tp) for col in agree),
    ])
    return pd.DataFrame(rows), overall


NUMBER_GOLD_COLUMNS = ["article_id", "sentence_id", "number", "number_type"]
NUMBER_LEVELS = ("numbers (sentence, digits)", "number type agreement on matched numbers")


def read_number_gold(path: str | Path) -> pd.DataFrame:
    """A gold numbers file (data/annotations/COMPANY_GUIDELINES.md, "Phone numbers")."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(df.columns) == NUMBER_GOLD_COLUMNS, f"{path}: columns {list(df.columns)}"
    return df.astype({"sentence_id": "int64"})


def _number_keys(df: pd.DataFrame) -> dict[tuple, str]:
    """(article, sentence, digits, k-th such) -> number type: a number given twice in a sentence counts twice."""
    from .claims import normalize_for_matching

    out: dict[tuple, str] = {}
    seen: dict[tuple, int] = {}
    for r in df.itertuples(index=False):
        key = (r.article_id, int(r.sentence_id), re.sub(r"\D", "", normalize_for_matching(r.number)))
        seen[key] = seen.get(key, 0) + 1
        out[(*key, seen[key])] = r.number_type
    return out


def score_numbers(pred: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Numbers found (matched by article, sentence and digits) and, of those, the share typed alike."""
    p, g = _number_keys(pred), _number_keys(gold)
    both = set(p) & set(g)
    agree = sum(p[k] == g[k] for k in both)
    n = len(both)
    return pd.DataFrame([
        {"level": NUMBER_LEVELS[0], **_prf(n, len(p), len(g))},
        _agreement(NUMBER_LEVELS[1], agree, n),
    ])


def evaluate_numbers(articles_dir: str | Path, numbers_dir: str | Path, suffix: str = "-numbers",
                     second: str | Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The number finder on every article of a folder against its gold numbers file
    (``<numbers_dir>/<stem><suffix>.csv``; every article is scored). With ``second``, a second
    annotator's files (``<second>/<stem>.csv``, for the articles it has) are scored instead of the extractor."""
    from .numbers import numbers_frame
    from .reading import read_article
    from .sentences import split_sentences

    preds, golds, rows = [], [], []
    for art_path in sorted(Path(articles_dir).glob("*.txt")):
        gold_path = Path(numbers_dir) / f"{art_path.stem}{suffix}.csv"
        if second is not None:
            other = Path(second) / f"{art_path.stem}.csv"
            if not other.is_file():
                continue
            pred = read_number_gold(other)
        else:
            if not gold_path.is_file():
                raise FileNotFoundError(f"{art_path}: no numbers gold {gold_path.name}; every article is scored")
            article = read_article(art_path)
            pred = numbers_frame(article.article_id, article.text, split_sentences(article.text))
        gold = read_number_gold(gold_path)
        rows.append({"article_id": art_path.stem, "numbers_gold": len(gold), "numbers_found": len(pred)})
        preds.append(pred)
        golds.append(gold)
    overall = score_numbers(pd.concat(preds), pd.concat(golds)) if preds else pd.DataFrame()
    return pd.DataFrame(rows), overall
