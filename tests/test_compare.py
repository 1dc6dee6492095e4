"""Many articles compared (channelcost compare, notebook 05): near-duplicates, consensus, contradictions,
the command line, and the project's own comparison in data/processed/corpus/."""

import subprocess
import sys

import pandas as pd

from channelcost import compare, paths
from channelcost.datadict import CORPUS_TABLES, validate_csv
from channelcost.io import frame_to_csv_bytes

BASE = "京东客服热线收费吗？\n很多人问京东的客服热线要不要钱。拨打京东客服热线按市话标准收费，在线客服不收费。\n建议先用在线客服。\n"


def write(folder, name, text):
    p = folder / f"{name}.txt"
    p.write_text(text, encoding="utf-8")
    return p


def test_a_reprint_with_small_edits_is_a_near_duplicate_and_a_different_article_is_not(tmp_path):
    a = (paths.TEST_ARTICLES / "jd-hotline-qa.txt").read_text(encoding="utf-8")
    sigs = {"a": compare.signature(a), "a-reprint": compare.signature(a.replace("京东", "京东商城", 1) + "\n本文转载自网络。\n"),
            "other": compare.signature((paths.TEST_ARTICLES / "taobao-seller-forum.txt").read_text(encoding="utf-8"))}
    d = compare.duplicate_clusters(sigs).set_index("article_id")
    assert d.loc["a-reprint", "cluster_id"] == "a" and d.loc["a", "cluster_size"] == 2
    assert d.loc["a-reprint", "similarity"] >= compare.DUPLICATE_SIMILARITY
    assert d.loc["other", "cluster_id"] == "other" and d.loc["other", "cluster_size"] == 1


def test_only_articles_that_share_a_band_are_compared(monkeypatch):
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(paths.TEST_ARTICLES.glob("*.txt"))}
    calls = []
    real = compare._similarity
    monkeypatch.setattr(compare, "_similarity", lambda a, b: calls.append(1) or real(a, b))
    d = compare.duplicate_clusters({k: compare.signature(t) for k, t in texts.items()})
    n = len(texts)
    # every article is compared with its cluster's first (n calls) and with the few it shares a band with;
    # comparing every pair would take n(n-1)/2
    assert len(calls) < n + n * (n - 1) / 2 / 20
    assert len(d) == n


def test_a_cluster_counts_once_and_contradictions_are_side_by_side(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write(src, "a-free", BASE.replace("按市话标准收费", "是免费的"))
    write(src, "b-free-reprint", BASE.replace("按市话标准收费", "是免费的") + "转载请注明出处。\n")
    write(src, "c-paid", BASE)
    t = compare.run_compare([src], tmp_path / "out", jobs=1)
    d = t["duplicates"].set_index("article_id")
    assert d.loc["b-free-reprint", "cluster_id"] == "a-free"
    row = t["consensus"].set_index(["company", "channel"]).loc[("jd", "official_hotline")]
    # the reprint is not counted again: one article says free, one paid
    assert (row["articles"], row["n_free"], row["n_paid"], row["consensus"]) == (2, 1, 1, "conflicting")
    c = t["contradictions"]
    assert list(c["article_id"]) == ["a-free", "c-paid"] and list(c["verdict"]) == ["free", "paid"]
    for name in CORPUS_TABLES:
        assert validate_csv(tmp_path / "out" / f"{name}.csv", name) == [], name


def test_bad_input_and_a_foreign_output_folder_are_refused_before_anything_is_written(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write(src, "ok", BASE)
    (src / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "channelcost", "compare", str(src), "--out", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.startswith("error: ") and "empty.txt" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()
    (src / "empty.txt").unlink()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("my notes", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "channelcost", "compare", str(src), "--out", str(mine)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "not an empty folder" in r.stderr
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]
    # the folder of the articles themselves is no place for the output
    r = subprocess.run([sys.executable, "-m", "channelcost", "compare", str(src), "--out", str(src)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "holds input articles" in r.stderr and sorted(p.name for p in src.iterdir()) == ["ok.txt"]
    # an earlier comparison may be written again
    for _ in range(2):
        r = subprocess.run([sys.executable, "-m", "channelcost", "compare", str(src), "--out", str(out), "--jobs", "1"],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr


def test_the_project_comparison_is_current():
    files = sorted(paths.TEST_ARTICLES.glob("*.txt")) + [paths.SEED_ARTICLE]
    now = compare.compare_tables(compare.map_articles(files, jobs=2))
    for name in CORPUS_TABLES:
        committed = (paths.CORPUS / f"{name}.csv").read_bytes()
        assert frame_to_csv_bytes(now[name]) == committed, name
    assert set(pd.read_csv(paths.CORPUS / "duplicates.csv")["article_id"]) == {p.stem for p in files}


def test_the_same_tables_with_one_worker_or_two(tmp_path):
    files = sorted(paths.TEST_ARTICLES.glob("dv[ab]*.txt"))
    one = compare.compare_tables(compare.map_articles(files, jobs=1))
    two = compare.compare_tables(compare.map_articles(files, jobs=2))
    for name in CORPUS_TABLES:
        assert frame_to_csv_bytes(one[name]) == frame_to_csv_bytes(two[name]), name


def test_the_map_step_on_a_local_dask_cluster_gives_the_same_tables_as_two_workers():
    from distributed import Client, LocalCluster

    files = sorted(paths.TEST_ARTICLES.glob("dv[ab]*.txt"))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        on_dask = compare.compare_with_dask(files, client)
    local = compare.compare_tables(compare.map_articles(files, jobs=2))
    for name in CORPUS_TABLES:
        assert frame_to_csv_bytes(on_dask[name]) == frame_to_csv_bytes(local[name]), name
    assert len(on_dask["duplicates"]) == len(files)


def test_compare_with_the_notebook_renders_notebook_05_on_the_folder(tmp_path):
    # what `make corpus DIR=…` runs: the comparison, then notebook 05 on it, saved beside the tables
    import nbformat

    src = tmp_path / "in"
    src.mkdir()
    write(src, "a-free", BASE.replace("按市话标准收费", "是免费的"))
    write(src, "c-paid", BASE)
    out = tmp_path / "corpus"
    r = subprocess.run([sys.executable, "-m", "channelcost", "compare", str(src), "--out", str(out), "--jobs", "1",
                        "--notebook"], capture_output=True, text=True, cwd=paths.ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    nb = nbformat.read(out / paths.CORPUS_NOTEBOOK, as_version=4)
    shown = "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) + str(o.get("data", {}).get("text/markdown", ""))
                    for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "2 articles; " in shown and "called free by some articles and paid by others" in shown
    assert "image/png" in str([o.get("data", {}).keys() for c in nb.cells if c.cell_type == "code" for o in c.outputs])
    assert not any(o.get("output_type") == "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert (out / "figures" / "05-consensus-heatmap.csv").is_file()


def test_the_signature_is_the_minimum_of_exact_universal_hashes():
    import zlib

    from channelcost.textnorm import strip_for_similarity

    text = "京东客服热线收费吗？很多人问京东的客服热线要不要钱。"
    s = strip_for_similarity(text)
    grams = {s[i : i + compare.SHINGLE] for i in range(len(s) - compare.SHINGLE + 1)}
    p = (1 << 61) - 1
    want = [min((int(a) * zlib.crc32(g.encode("utf-8")) + int(b)) % p for g in grams)
            for a, b in zip(compare._A, compare._B)]
    assert [int(v) for v in compare.signature(text)] == want
    # punctuation and spaces do not count: the same words give the same signature
    assert (compare.signature("京东客服热线收费吗 很多人问京东的客服热线要不要钱") == compare.signature(text)).all()
