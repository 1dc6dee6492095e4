"""Scores are pinned: the committed metrics file equals what the extractor scores now, every gold
file is scored, and the README's table is generated from the file."""

import csv
import json

import pytest

from channelcost import metrics, paths


@pytest.fixture(scope="module")
def recomputed():
    return metrics.compute()


@pytest.fixture(scope="module")
def committed():
    return json.loads(metrics.METRICS.read_text(encoding="utf-8"))


def _flat(d, prefix=""):
    for k, v in d.items():
        if isinstance(v, dict):
            yield from _flat(v, f"{prefix}{k}/")
        else:
            yield f"{prefix}{k}", v


def test_every_figure_equals_the_committed_metrics(recomputed, committed):
    now, then = dict(_flat(recomputed)), dict(_flat(committed))
    assert now.keys() == then.keys()
    for k in now:
        if isinstance(now[k], float):
            assert now[k] == pytest.approx(then[k], abs=0.0005), k
        else:
            assert now[k] == then[k], k


def test_every_gold_file_is_scored(committed):
    assert committed["development"]["articles"] == len(list(paths.TEST_GOLD.glob("*.csv")))
    assert committed["blind"]["articles"] == len(list(paths.BLIND_GOLD.glob("*.csv"))) == 44
    assert committed["agreement"]["articles"] == len(list(paths.BLIND_SECOND.glob("*.csv"))) == 10
    assert committed["advice"]["development"]["articles"] == len(list(paths.TEST_GOLD_ADVICE.glob("*.csv")))
    assert committed["advice"]["blind"]["articles"] == len(list(paths.BLIND_GOLD_ADVICE.glob("*.csv"))) == 44
    assert committed["advice"]["agreement"]["articles"] == len(list(paths.BLIND_SECOND_ADVICE.glob("*.csv"))) == 10
    with (paths.ANNOTATIONS / "tmall-call-free-advice.csv").open(encoding="utf-8", newline="") as fh:
        assert committed["advice"]["seed"]["advice clauses (overlapping spans)"]["gold"] == len(list(csv.DictReader(fh)))
    # phone numbers and companies: every article has its numbers gold, every claims gold its company column
    assert committed["numbers"]["development"]["articles"] == len(list(paths.TEST_NUMBERS.glob("*.csv"))) == \
        len(list(paths.TEST_ARTICLES.glob("*.txt")))
    assert committed["numbers"]["blind"]["articles"] == len(list(paths.BLIND_NUMBERS.glob("*.csv"))) == 44
    assert committed["numbers"]["agreement"]["articles"] == len(list(paths.BLIND_SECOND_NUMBERS.glob("*.csv"))) == 10
    assert committed["agreement"]["company"]["articles"] == len(list(paths.BLIND_SECOND_COMPANY.glob("*.csv"))) == 10
    for folder in (paths.ANNOTATIONS, paths.TEST_GOLD, paths.BLIND_GOLD):
        for gold in folder.glob("*.csv"):
            if gold.stem.endswith(("-advice", "-numbers")):
                continue
            with gold.open(encoding="utf-8", newline="") as fh:
                assert next(csv.reader(fh))[-1] == "company", gold.name
    for name in ("seed", "development", "blind"):
        assert committed[name]["company agreement on matched mentions"]["predicted"] > 0, name


def test_blind_articles_and_gold_pair_up():
    arts = {p.stem for p in paths.BLIND_ARTICLES.glob("*.txt")}
    gold = {p.stem for p in paths.BLIND_GOLD.glob("*.csv")}
    assert arts == gold


def test_readme_table_is_generated_from_the_file(committed):
    text = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert "<!-- metrics:start -->\n" + metrics.readme_table(committed) + "<!-- metrics:end -->" in text


def test_every_probe_comes_out_right():
    for path in (paths.PROBES, paths.OWN_PROBES):
        wrong = [r for r in metrics.probe_results(path) if not r["ok"]]
        assert not wrong, wrong


def test_company_and_number_scores_by_hand():
    import pandas as pd

    from channelcost.evaluate import company_agreement, score_numbers

    key = ["article_id", "sentence_id", "channel", "company"]
    pred = pd.DataFrame([["t", 0, "sms", "jd"], ["t", 1, "sms", ""], ["t", 2, "sms", "jd"]], columns=key)
    gold = pd.DataFrame([["t", 0, "sms", "jd"], ["t", 1, "sms", ""], ["t", 3, "sms", "jd"]], columns=key)
    # two mentions matched (sentences 0 and 1), both agree (an empty company agrees with an empty one)
    assert company_agreement(pred, gold)["f1"] == 1.0 and company_agreement(pred, gold)["predicted"] == 2
    gold.loc[1, "company"] = "taobao"
    assert company_agreement(pred, gold)["f1"] == 0.5
    cols = ["article_id", "sentence_id", "number", "number_type"]
    p = pd.DataFrame([["t", 0, "4008-123-456", "400"], ["t", 0, "95588", "95xxx"], ["t", 1, "110", "emergency"]], columns=cols)
    g = pd.DataFrame([["t", 0, "４００８１２３４５６", "400"], ["t", 0, "95588", "other"], ["t", 2, "12315", "complaint_hotline"]],
                     columns=cols)
    s = score_numbers(p, g).set_index("level")
    # matched by sentence and digits: the 400 number (spelled differently) and 95588; 110 and 12315 unmatched
    assert (s.iloc[0]["tp"], s.iloc[0]["precision"], s.iloc[0]["recall"]) == (2, 0.6667, 0.6667)
    assert s.iloc[1]["f1"] == 0.5  # of the two, one typed alike


def test_cohen_kappa_by_hand():
    import pandas as pd

    from channelcost.evaluate import cohen_kappa

    cols = ["article_id", "sentence_id", "channel", "cost"]
    a = pd.DataFrame([["t", 0, "sms", "free"], ["t", 1, "sms", "paid"]], columns=cols)
    b = pd.DataFrame([["t", 0, "sms", "free"], ["t", 1, "sms", "free"]], columns=cols)
    # observed 1/2; expected 1/2 * 2/2 (free) + 1/2 * 0 (paid) = 1/2; kappa 0
    assert cohen_kappa(a, b) == {"items": 2, "observed": 0.5, "kappa": 0.0}
    c = pd.DataFrame([["t", 0, "sms", "free"], ["t", 2, "email", "paid"]], columns=cols)
    # items 0, 1, 2: (free, free), (paid, none), (none, paid): observed 1/3;
    # expected free 1/3*1/3 + paid 1/3*1/3 + none 1/3*1/3 = 1/3; kappa 0
    assert cohen_kappa(a, c) == {"items": 3, "observed": 0.3333, "kappa": 0.0}
