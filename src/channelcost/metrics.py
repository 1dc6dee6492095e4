"""The project's scores, computed in one place and written to one file (``reports/metrics.json``).

``python -m channelcost.metrics`` scores the claim extractor on the three kinds of data the project
keeps apart, and writes the figures and the README's score table from them:

* **seed**: the article the project started from (``data/raw/``, gold in ``data/annotations/``);
* **development**: ``tests/data/articles`` with ``tests/data/gold``; the rules were tuned on them;
* **blind**: ``tests/data/blind``, written and annotated by helpers who saw neither the rules nor
  the extractor's output, frozen before the rules were changed, never used for tuning;
* **agreement**: Cohen's kappa between the blind gold and a second annotation of ten blind articles,
  and the second annotation scored against the first at claim and pair level (a human ceiling);
* **probes**: the reviewer's probe sentences (``tests/data/probes``) that come out exactly right;
* **advice**: the advice extractor on the seed and on the development articles that have a gold
  advice file (``tests/data/gold-advice``): clause detection, and audience and action agreement.

Each claim set also carries the hedged and negated agreement on the cost claims both sides found.

``tests/test_metrics.py`` recomputes everything and fails when a figure differs from the file, so
a rule change that moves a score must come with the new file, in the same commit.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from . import paths
from .io import write_text_atomic

__all__ = ["compute", "write", "readme_table", "probe_results", "METRICS"]

METRICS = paths.REPORTS / "metrics.json"
README = paths.ROOT / "README.md"
_BLOCK = re.compile(r"(<!-- metrics:start -->\n).*?(<!-- metrics:end -->)", re.S)
ADVICE_SETS = ("seed", "development", "blind")  # the advice extractor has gold on these
SETS = {
    "seed": (paths.RAW, paths.ANNOTATIONS),
    "development": (paths.TEST_ARTICLES, paths.TEST_GOLD),
    "blind": (paths.BLIND_ARTICLES, paths.BLIND_GOLD),
}


def _by_level(per_article, overall) -> dict:
    out = {"articles": len(per_article)}
    for row in overall.to_dict("records"):
        out[row["level"]] = {k: row[k] for k in ("precision", "recall", "f1", "tp", "predicted", "gold")
                             if row[k] is not None and row[k] == row[k]}
    return out


def _scores(articles: Path, gold: Path) -> dict:
    from .evaluate import evaluate_corpus

    return _by_level(*evaluate_corpus(articles, gold))


def _advice_scores(articles: Path, gold: Path, suffix: str = "", second: Path | None = None) -> dict:
    from .evaluate import evaluate_advice_corpus

    return _by_level(*evaluate_advice_corpus(articles, gold, suffix, second))


def _number_scores(articles: Path, gold: Path, suffix: str = "", second: Path | None = None) -> dict:
    from .evaluate import evaluate_numbers

    return _by_level(*evaluate_numbers(articles, gold, suffix, second))


NUMBER_SETS = {  # the number finder has gold on these (data/annotations/COMPANY_GUIDELINES.md)
    "seed": (paths.RAW, paths.ANNOTATIONS, "-numbers"),
    "development": (paths.TEST_ARTICLES, paths.TEST_NUMBERS, ""),
    "blind": (paths.BLIND_ARTICLES, paths.BLIND_NUMBERS, ""),
}


def company_agreement_of_annotators() -> dict:
    """The second blind reader's companies against the first's, on the rows of the first gold."""
    import pandas as pd

    from .evaluate import company_agreement, read_gold

    second = sorted(paths.BLIND_SECOND_COMPANY.glob("*.csv"))
    if not second:
        return {}
    first = pd.concat([read_gold(paths.BLIND_GOLD / p.name) for p in second])
    other = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in second]).astype({"sentence_id": "int64"})
    res = company_agreement(other, first)
    return {"articles": len(second), "items": res["predicted"], "observed": res["f1"]}


def probe_results(path: Path | None = None) -> list[dict]:
    """Each probe of a probe file with the (channel, cost) pairs expected and extracted."""
    from .claims import extract_claims
    from .reading import Article

    with (path or paths.PROBES).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    texts: dict[str, str] = {}
    want: dict[str, set] = {}
    for r in rows:
        texts[r["probe"]] = r["sentence"]
        want.setdefault(r["probe"], set())
        if r["cost"] != "unstated":
            want[r["probe"]].add((r["channel"], r["cost"]))
    out = []
    for probe, text in texts.items():
        got = {(c.channel, c.cost) for c in extract_claims(Article(probe, text + "\n")) if c.cost != "unstated"}
        out.append({"probe": probe, "sentence": text, "want": sorted(want[probe]), "got": sorted(got),
                    "ok": got == want[probe]})
    return out


def _in_parallel(tasks: dict, workers: int | None = None) -> dict:
    """``{key: (function, args)}`` run in worker processes (forked: the lexicons are loaded once);
    the results come back under their keys, so nothing depends on which finished first."""
    import multiprocessing as mp
    import os
    from concurrent.futures import ProcessPoolExecutor

    workers = workers or min(len(tasks), os.cpu_count() or 1)
    if workers <= 1 or "fork" not in mp.get_all_start_methods():
        return {k: f(*args) for k, (f, args) in tasks.items()}
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        futures = {k: pool.submit(f, *args) for k, (f, args) in tasks.items()}
        return {k: fut.result() for k, fut in futures.items()}


def compute() -> dict:
    from .evaluate import LEVELS, cohen_kappa, read_gold, score

    # the scoring runs are independent: the largest first, so that two workers finish together
    tasks = {name: (_scores, (a, g)) for name, (a, g) in sorted(SETS.items(), key=lambda kv: kv[0] != "development")}
    tasks["advice-development"] = (_advice_scores, (paths.TEST_ARTICLES, paths.TEST_GOLD_ADVICE))
    tasks["advice-seed"] = (_advice_scores, (paths.RAW, paths.ANNOTATIONS, "-advice"))
    tasks["advice-blind"] = (_advice_scores, (paths.BLIND_ARTICLES, paths.BLIND_GOLD_ADVICE))
    tasks["advice-agreement"] = (_advice_scores, (paths.BLIND_ARTICLES, paths.BLIND_GOLD_ADVICE, "",
                                                  paths.BLIND_SECOND_ADVICE))
    for name, path in (("reviewer", paths.PROBES), ("own", paths.OWN_PROBES)):
        tasks[f"probes-{name}"] = (probe_results, (path,))
    for name, (articles, gold, suffix) in NUMBER_SETS.items():
        tasks[f"numbers-{name}"] = (_number_scores, (articles, gold, suffix))
    tasks["numbers-agreement"] = (_number_scores, (paths.BLIND_ARTICLES, paths.BLIND_NUMBERS, "",
                                                   paths.BLIND_SECOND_NUMBERS))
    done = _in_parallel(tasks)
    m = {name: done[name] for name in SETS}
    first = sorted(paths.BLIND_SECOND.glob("*.csv"))
    a = [read_gold(paths.BLIND_GOLD / p.name) for p in first]
    b = [read_gold(p) for p in first]
    import pandas as pd

    m["agreement"] = {"articles": len(first), **cohen_kappa(pd.concat(a), pd.concat(b))} if first else {}
    if first:  # the second annotator scored against the first like the extractor: a human ceiling
        both = score(pd.concat(b), pd.concat(a)).set_index("level")
        m["agreement"]["second annotator against the first"] = {
            level: {k: both.loc[level, k].item() for k in ("precision", "recall", "f1", "tp", "predicted", "gold")}
            for level in LEVELS[:2]}
    m["probes"] = {}
    for name in ("reviewer", "own"):
        res = done[f"probes-{name}"]
        m["probes"][name] = {"probes": len(res), "exactly_right": sum(r["ok"] for r in res)}
    m["advice"] = {name: done[f"advice-{name}"] for name in ADVICE_SETS}
    m["advice"]["agreement"] = done["advice-agreement"]  # the second blind annotator scored like the extractor
    m["numbers"] = {name: done[f"numbers-{name}"] for name in (*NUMBER_SETS, "agreement")}
    if m["agreement"]:
        m["agreement"]["company"] = company_agreement_of_annotators()
    return m


def readme_table(m: dict) -> str:
    """The README's score table, generated from the metrics, with the agreement and probe figures."""
    from .evaluate import LEVELS

    lines = [
        "| data | articles | cost claims P / R | cost pairs P / R | mentions P / R |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name in SETS:
        s = m[name]
        cells = [f"{s[lv]['precision']:.3f} / {s[lv]['recall']:.3f}" for lv in LEVELS]
        lines.append(f"| {name} | {s['articles']} | " + " | ".join(cells) + " |")
    if m.get("agreement"):
        lines.append("")
    lines += summary_lines(m)
    if m.get("advice"):
        rows = []
        for name in (*ADVICE_SETS, "agreement"):
            a = m["advice"][name]
            clauses = a["advice clauses (overlapping spans)"]
            rows.append([_label(name), a["articles"], clauses["gold"], f"{clauses['precision']:.3f} / {clauses['recall']:.3f}",
                         f"{a['audience agreement on matched advice']['f1']:.3f}",
                         f"{a['action agreement on matched advice']['f1']:.3f}"])
        lines += _table("Advice extraction (notebook 03): a piece of advice counts as found when its span overlaps a "
                        "gold piece in the same sentence; the development articles with a gold advice file are in-sample; "
                        "the blind articles' advice was annotated by readers who saw neither the advice rules nor their "
                        "output, and the last row scores a second reader against the first on some of them, as the "
                        "extractor is scored.",
                        ["data", "articles", "gold pieces", "advice clauses P / R", "audience agreement", "action agreement"],
                        rows)
    if m.get("numbers"):
        lines += company_number_lines(m)
    return "\n".join(lines) + "\n"


def _label(name: str) -> str:
    """A scored set's name in the README's tables; the second blind reader's row says what it is."""
    return "blind, second reader against the first" if name == "agreement" else name


def _table(intro: str, columns: list[str], rows: list[list]) -> list[str]:
    """A README table as lines: a blank line, the paragraph that explains it, a blank line, the table."""
    return ["", intro, "", "| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns),
            *("| " + " | ".join(str(c) for c in row) + " |" for row in rows)]


def company_number_lines(m: dict) -> list[str]:
    """The README's table of companies (claims.csv company) and phone numbers (numbers.csv)."""
    from .evaluate import COMPANY_LEVEL, NUMBER_LEVELS

    rows = []
    for name in (*NUMBER_SETS, "agreement"):
        n = m["numbers"][name]
        found, typed = n[NUMBER_LEVELS[0]], n[NUMBER_LEVELS[1]]
        if name == "agreement":
            comp = ((m.get("agreement") or {}).get("company") or {}).get("observed")
        else:
            comp = m[name].get(COMPANY_LEVEL, {}).get("f1")
        rows.append([_label(name), f"{comp:.3f}" if comp is not None else "",
                     f"{found['precision']:.3f} / {found['recall']:.3f}",
                     f"{typed['f1']:.3f}" if "f1" in typed else "no numbers"])
    return _table("Companies and phone numbers: the company of each claim both the extractor and the gold found "
                   "(data/annotations/COMPANY_GUIDELINES.md), and the numbers the article gives with their type; the last "
                   "row scores a second blind reader against the first on some articles, as the extractor is scored.",
                   ["data", "company agreement (matched mentions)", "numbers P / R", "number type agreement"], rows)


def summary_lines(m: dict | None = None) -> list[str]:
    """The agreement and probe figures, in words."""
    m = load() if m is None else m
    out = []
    ag = m.get("agreement") or {}
    if ag:
        out.append(f"Agreement of two blind annotators on {ag['articles']} articles ({ag['items']} sentence-channel "
                   f"items): Cohen's kappa {ag['kappa']:.3f} on cost labels (raw agreement {ag['observed']:.3f}).")
        ceiling = ag.get("second annotator against the first")
        if ceiling:
            from .evaluate import LEVELS

            claims, pairs = (ceiling[level] for level in LEVELS[:2])
            out.append(f"Scored against the first like the extractor, the second annotator reaches cost claims "
                       f"P / R {claims['precision']:.3f} / {claims['recall']:.3f} and cost pairs "
                       f"{pairs['precision']:.3f} / {pairs['recall']:.3f}: about the most any extractor can "
                       f"expect to score against one annotator's reading.")
    pr = m["probes"]
    out.append(f"Probe sentences exactly right: reviewer's {pr['reviewer']['exactly_right']}/{pr['reviewer']['probes']}, "
               f"the project's own {pr['own']['exactly_right']}/{pr['own']['probes']}.")
    return out


def write(m: dict | None = None) -> dict:
    m = compute() if m is None else m
    write_text_atomic(METRICS, json.dumps(m, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    text = README.read_text(encoding="utf-8")
    new = _BLOCK.sub(lambda x: x.group(1) + readme_table(m) + x.group(2), text)
    if new != text:
        write_text_atomic(README, new)
    return m


def load() -> dict:
    """The committed metrics file."""
    return json.loads(METRICS.read_text(encoding="utf-8"))


def load_table(m: dict | None = None):
    """The claim scores of the metrics file as a table: one row per kind of data and level."""
    import pandas as pd

    from .evaluate import LEVELS

    m = load() if m is None else m
    rows = []
    for name in SETS:
        for level in LEVELS:
            s = m[name][level]
            rows.append({"data": name, "articles": m[name]["articles"], "level": level, "precision": s["precision"],
                         "recall": s["recall"], "f1": s["f1"], "tp": s["tp"], "predicted": s["predicted"],
                         "gold": s["gold"]})
    return pd.DataFrame(rows)


def advice_table(m: dict | None = None):
    """The advice scores of the metrics file as a table: one row per kind of data and level."""
    import pandas as pd

    m = load() if m is None else m
    rows = []
    for name in ADVICE_SETS:
        s = m["advice"][name]
        for level, v in s.items():
            if level != "articles":
                rows.append({"data": name, "articles": s["articles"], "level": level, "precision": v.get("precision"),
                             "recall": v.get("recall"), "f1": v["f1"], "tp": v["tp"], "predicted": v["predicted"],
                             "gold": v["gold"]})
    return pd.DataFrame(rows)


if __name__ == "__main__":
    write()
