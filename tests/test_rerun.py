"""Rerunning every notebook on other articles: outputs complete, consistent and quiet."""

import json
import re
import subprocess
import sys

import nbformat
import pandas as pd
import pytest

from channelcost import paths
from channelcost.advice import extract_recommendations, recommendations_frame
from channelcost.claims import claims_csv_bytes, extract_claims
from channelcost.reading import read_article
from channelcost.rerun import analysis_notebooks, run_report

SUSPICIOUS = re.compile(r"Traceback|Warning|Glyph \d+|0x[0-9a-f]{8}|/(home|root|tmp|work)/")


def test_reports_hold_every_notebook_and_the_articles_tables(rerun_reports):
    names = [p.name for p in analysis_notebooks()]
    for article_id, out in rerun_reports.items():
        assert sorted(p.name for p in out.glob("*.ipynb")) == names
        for table in ("sentences", "tokens", "claims", "channels", "recommendations", "advice", "fact_checks"):
            df = pd.read_csv(out / f"{table}.csv", keep_default_na=False)
            # every one of these articles names a channel; advice and costs may be missing
            assert len(df) or table in ("recommendations", "advice", "fact_checks"), (article_id, table)
            assert (df["article_id"] == article_id).all(), (article_id, table)
        pngs = {p.stem for p in (out / "figures").glob("*.png")}
        assert {"01-term-frequencies", "02-channel-costs"} <= pngs
        assert pngs == {p.stem for p in (out / "figures").glob("*.csv")}


def test_report_tables_equal_what_the_extractors_give(rerun_reports):
    for article_id, out in rerun_reports.items():
        art = read_article(paths.TEST_ARTICLES / f"{article_id}.txt")
        assert (out / "claims.csv").read_bytes() == claims_csv_bytes(extract_claims(art))
        recs = pd.read_csv(out / "recommendations.csv", keep_default_na=False)
        expected = recommendations_frame(extract_recommendations(art))
        assert list(recs["evidence"]) == list(expected["evidence"])


def test_report_outputs_are_quiet_and_say_when_there_is_nothing(rerun_reports):
    for article_id, out in rerun_reports.items():
        for nb_path in sorted(out.glob("*.ipynb")):
            nb = nbformat.read(nb_path, as_version=4)
            for cell in nb.cells:
                for o in cell.get("outputs", []):
                    assert o.get("name") != "stderr", (nb_path.name, o)
                    text = json.dumps(o.get("text", "")) + json.dumps(o.get("data", {}).get("text/plain", ""))
                    assert not SUSPICIOUS.search(text), (nb_path.name, text[:200])
    nocost = rerun_reports["jd-contact-channels-nocost"]
    claims = pd.read_csv(nocost / "claims.csv", keep_default_na=False)
    assert len(claims) and (claims["cost"] == "unstated").all()
    nb04 = nbformat.read(nocost / "04-fact-check-costs.ipynb", as_version=4)
    streams = "".join(o.get("text", "") for c in nb04.cells for o in c.get("outputs", []))
    assert "The article states no cost, so there is nothing to check." in streams
    trad = pd.read_csv(rerun_reports["taobao-alipay-traditional"] / "claims.csv", keep_default_na=False)
    assert {"free", "paid"} <= set(trad["cost"])  # read off the article: 線上客服免費, 電話要付費


def test_the_articles_together_are_the_concatenation_of_each(rerun_reports, tmp_path):
    # the fixture also compares hashes of data/processed, reports/figures and notebooks before and after
    root = next(iter(rerun_reports.values())).parent
    for table in ("claims", "recommendations"):
        together = pd.read_csv(root / f"{table}.csv", keep_default_na=False, dtype=str)
        parts = [pd.read_csv(out / f"{table}.csv", keep_default_na=False, dtype=str) for out in rerun_reports.values()]
        pd.testing.assert_frame_equal(together, pd.concat(parts, ignore_index=True))
    assert sorted(set(together["article_id"]) | set(pd.read_csv(root / "claims.csv")["article_id"])) == sorted(rerun_reports)


def test_a_bad_article_fails_before_any_notebook_runs(tmp_path):
    bad = tmp_path / "page.txt"
    bad.write_text("<html><body><p>免费吗</p></body></html>", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "channelcost", "report", str(bad), "--out", str(tmp_path / "out")],
                         capture_output=True, text=True)
    assert res.returncode == 2
    assert res.stderr.splitlines() == [f"error: {bad}: HTML, not plain text; extract the article's text first"]
    assert not (tmp_path / "out").exists()


def test_a_report_on_one_article_equals_fresh_kernels(tmp_path):
    # One article: the kernels start and import the project while the build runs. The seed's
    # committed notebooks were executed each in a fresh kernel (make reproduce); a report on the
    # seed must give the same execution counts and outputs in every cell but the parameters.
    [folder] = run_report([paths.SEED_ARTICLE], tmp_path / "seed", jobs=2)
    for committed_path in analysis_notebooks():
        committed = nbformat.read(committed_path, as_version=4)
        report = nbformat.read(folder / committed_path.name, as_version=4)
        assert len(report.cells) == len(committed.cells)
        for mine, theirs in zip(report.cells, committed.cells):
            if "parameters" in theirs.get("metadata", {}).get("tags", []) or mine.cell_type != "code":
                continue
            assert mine.execution_count == theirs.execution_count, (committed_path.name, theirs.source[:40])
            assert _unfoldered(mine.outputs) == _unfoldered(theirs.outputs), (committed_path.name, theirs.source[:40])


def _unfoldered(outputs):
    """Outputs with the seed's own folders taken out of printed paths: a build outside the project
    shows its files by name (channelcost.paths.relative), the seed's build by project path."""
    out = []
    for o in outputs:
        if o.get("output_type") == "stream":
            o = dict(o, text=re.sub(r"\b(?:reports/figures|data/processed)/", "", o["text"]))
        out.append(o)
    return out


SEED_ONLY = ("天猫", "Tmall", "tmall", "给天猫打电话免费吗", "95开头")


@pytest.mark.parametrize("article", ["taobao-alipay-traditional", "jd-contact-channels-nocost", "alipay-95188-news-crlf"])
def test_a_report_names_nothing_of_the_seed_that_its_article_does_not(rerun_reports, article):
    """Issue 13: the prose and the outputs of a report on another article speak of that article."""
    import nbformat

    text = (paths.TEST_ARTICLES / f"{article}.txt").read_text(encoding="utf-8")
    foreign = [w for w in SEED_ONLY if w not in text]
    assert foreign
    for nb_path in sorted(rerun_reports[article].glob(paths.NOTEBOOK_GLOB)):
        nb = nbformat.read(nb_path, as_version=4)
        for k, cell in enumerate(nb.cells):
            shown = [cell.source] if cell.cell_type == "markdown" else [
                str(v) for out in cell.get("outputs", []) for key, v in {**out.get("data", {}), "text": out.get("text", "")}.items()
                if key != "image/png"]
            for w in foreign:
                assert not any(w in s for s in shown), f"{nb_path.name} cell {k} names {w!r}"


def test_notebook_03_reads_right_on_an_article_that_advises_merchants(tmp_path):
    """Read off dev-merchant-contact-rules: a platform's rules for shops. Its advice goes to merchants
    (写明资费, 提供免费联系方式, 须告知, 不得, 及时回复), to the platform (抽查) and to buyers (聊天窗口, 平台介入);
    notebook 03, run on it alone, counts each audience, and its steering speaks of the buyer's advice."""
    nb03 = [p for p in analysis_notebooks() if p.name.startswith("03-")]
    (out,) = run_report([paths.TEST_ARTICLES / "dev-merchant-contact-rules.txt"], tmp_path, notebooks=nb03, jobs=1)
    items = pd.read_csv(out / "advice.csv", keep_default_na=False)
    counts = items["audience"].value_counts()
    assert counts["merchant"] >= 3 and counts["platform"] >= 1 and counts["consumer"] >= 1
    nb = nbformat.read(out / "03-analyse-recommendations.ipynb", as_version=4)
    text = "".join(o.get("text", "") + json.dumps(o.get("data", {}).get("text/markdown", ""), ensure_ascii=False)
                   for c in nb.cells for o in c.get("outputs", []))
    text += "".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert (f"{counts['consumer']} distinct items for consumers, {counts['platform']} for the platform, "
            f"{counts['merchant']} for merchants") in text
    chats = items[(items["audience"] == "consumer") & items["channels"].str.contains("merchant_chat")]
    assert len(chats) and chats["channel_costs"].str.contains("merchant_chat=free").all()  # free: sentences 2 and 5
    # both pieces of buyer advice point to free channels: the chat (sentence 2) and 平台介入 (同样不收费, sentence 10)
    assert "2 of 2 consumer advice items steer towards free channels" in text
