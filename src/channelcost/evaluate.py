"""Precision, recall and F1 of extracted claims against a gold annotation.

Two levels, as the project's issue defines them:

* **claim level**: a claim is the triple (sentence_id, channel, cost) within an article;
* **pair level**: the set of distinct (channel, cost) pairs an article states.

Counts are summed over articles (micro-averaged) when several are evaluated together.
``hedged`` and ``negated`` are scored separately, as agreement on the claims both sides found.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["read_gold", "score", "disagreements"]

GOLD_COLUMNS = ["article_id", "sentence_id", "channel", "cost", "hedged", "negated", "evidence"]


def read_gold(path: str | Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype={"article_id": str, "channel": str, "cost": str, "evidence": str},
                     keep_default_na=False)
    assert list(df.columns) == GOLD_COLUMNS, f"{path}: columns {list(df.columns)}"
    for col in ("hedged", "negated"):
        df[col] = df[col].map({"true": True, "false": False, True: True, False: False})
    return df


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "predicted": n_pred, "gold": n_gold}


def score(pred: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """A table with one row per level (claim, pair, hedged, negated)."""
    claim_key = ["article_id", "sentence_id", "channel", "cost"]
    p_claims = set(map(tuple, pred[claim_key].astype(str).values))
    g_claims = set(map(tuple, gold[claim_key].astype(str).values))
    pair_key = ["article_id", "channel", "cost"]
    p_pairs = set(map(tuple, pred[pair_key].astype(str).values))
    g_pairs = set(map(tuple, gold[pair_key].astype(str).values))
    rows = [
        {"level": "claim (sentence, channel, cost)", **_prf(len(p_claims & g_claims), len(p_claims), len(g_claims))},
        {"level": "pair (channel, cost)", **_prf(len(p_pairs & g_pairs), len(p_pairs), len(g_pairs))},
    ]
    both = pred.merge(gold, on=claim_key, suffixes=("_pred", "_gold"))
    for flag in ("hedged", "negated"):
        agree = int((both[f"{flag}_pred"].astype(bool) == both[f"{flag}_gold"].astype(bool)).sum())
        n = len(both)
        rows.append({"level": f"{flag} agreement on matched claims", "precision": None, "recall": None,
                     "f1": round(agree / n, 4) if n else None, "tp": agree, "predicted": n, "gold": n})
    return pd.DataFrame(rows)


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
            continue
        pred = claims_frame(extract_claims(read_article(art_path)))
        gold = read_gold(gold_path)
        s = score(pred, gold).set_index("level")
        rows.append({
            "article_id": art_path.stem,
            "claims_gold": len(gold),
            "claims_extracted": len(pred),
            "claim_precision": s.loc["claim (sentence, channel, cost)", "precision"],
            "claim_recall": s.loc["claim (sentence, channel, cost)", "recall"],
            "pair_precision": s.loc["pair (channel, cost)", "precision"],
            "pair_recall": s.loc["pair (channel, cost)", "recall"],
        })
        preds.append(pred)
        golds.append(gold)
    overall = score(pd.concat(preds), pd.concat(golds)) if preds else pd.DataFrame()
    return pd.DataFrame(rows), overall
