"""The build: one step makes every table, datapackage.json and figure; the committed ones are current,
and a build never writes where it must not."""

import subprocess
import sys

import pandas as pd
import pytest

from channelcost import paths
from channelcost.build import BuildError, plan, run_build
from channelcost.plotting import FIGURES
from channelcost.tables import TABLES, open_build

SEED_FIGURE_NAMES = {f.name for f in FIGURES}


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed")
    [t] = run_build([paths.SEED_ARTICLE], out)
    return out, t


@pytest.mark.parametrize("name", TABLES)
def test_committed_table_is_what_the_build_writes(seed_build, name):
    out, _ = seed_build
    committed, built = (paths.PROCESSED / f"{name}.csv").read_bytes(), (out / f"{name}.csv").read_bytes()
    assert built == committed, f"data/processed/{name}.csv is not what the build writes now: run make data"


def test_committed_figure_data_is_what_the_build_writes(seed_build):
    out, _ = seed_build
    built = sorted(p.name for p in (out / "figures").glob("*.csv"))
    committed = sorted(p.name for p in paths.FIGURES.glob("*.csv"))
    assert built == committed == sorted(f"{n}.csv" for n in SEED_FIGURE_NAMES)
    for name in built:  # figures are compared by their data, not by their pixels
        assert (out / "figures" / name).read_bytes() == (paths.FIGURES / name).read_bytes(), name
        assert (out / "figures" / name).with_suffix(".png").read_bytes().startswith(b"\x89PNG")


def test_figures_drawn_in_two_processes_are_those_drawn_in_one(seed_build, tmp_path):
    """A lone build draws half of its figures in a forked worker (build._save_figures_split, when
    build._may_split allows); the files must be byte for byte those one process draws, all of them."""
    import copy
    import multiprocessing as mp

    from channelcost.build import _save_figures_split
    from channelcost.plotting import save_figures

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("no fork here: the build draws every figure itself")
    _, t = seed_build
    one, two = copy.copy(t), copy.copy(t)
    one.figures, two.figures = tmp_path / "one", tmp_path / "two"
    save_figures(one, one.figures)
    _save_figures_split(two)
    names = sorted(p.name for p in one.figures.iterdir())
    assert names == sorted(p.name for p in two.figures.iterdir())
    assert names == sorted(f"{n}.{ext}" for n in SEED_FIGURE_NAMES for ext in ("csv", "png"))
    for name in names:
        assert (two.figures / name).read_bytes() == (one.figures / name).read_bytes(), name


def test_committed_datapackage_differs_from_the_build_only_in_nothing(seed_build):
    out, _ = seed_build
    assert (out / "datapackage.json").read_text(encoding="utf-8") == paths.DATAPACKAGE.read_text(encoding="utf-8")


def test_tables_read_back_with_their_types(seed_build):
    out, built = seed_build
    t = open_build(out)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(t, name), getattr(built, name), check_dtype=True, obj=name)


def test_an_article_is_read_split_and_tokenized_once(monkeypatch, tmp_path):
    from channelcost import pipeline, reading, sentences

    calls = {"read_article": 0, "split_sentences": 0, "tokens_frame": 0}
    for name, real in (("read_article", reading.read_article), ("split_sentences", sentences.split_sentences),
                       ("tokens_frame", pipeline.tokens_frame)):
        def counted(*a, _name=name, _real=real, **k):
            calls[_name] += 1
            return _real(*a, **k)

        for module in [m for n, m in sys.modules.items() if n.startswith("channelcost")]:
            if getattr(module, name, None) is real:  # wherever a module holds its own reference
                monkeypatch.setattr(module, name, counted)
    run_build([paths.TEST_ARTICLES / "jd-hotline-qa.txt"], tmp_path / "out", jobs=1)
    assert calls == {"read_article": 1, "split_sentences": 1, "tokens_frame": 1}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    """The same two articles built with one worker and with two."""
    arts = [paths.TEST_ARTICLES / "jd-hotline-qa.txt", paths.TEST_ARTICLES / "cmb-95555-news.txt"]
    one, two = tmp_path_factory.mktemp("one"), tmp_path_factory.mktemp("two")
    return (one, run_build(arts, one, jobs=1)), (two, run_build(arts, two, jobs=2))


def test_several_articles_each_get_a_folder_and_the_tables_together(two_builds):
    tmp_path, built = two_builds[1]
    assert [t.folder for t in built] == [tmp_path / "jd-hotline-qa", tmp_path / "cmb-95555-news"]
    for name in TABLES:
        together = pd.read_csv(tmp_path / f"{name}.csv", keep_default_na=False, dtype=str)
        parts = [pd.read_csv(t.folder / f"{name}.csv", keep_default_na=False, dtype=str) for t in built]
        pd.testing.assert_frame_equal(together, pd.concat(parts, ignore_index=True), obj=name)
    assert (tmp_path / "datapackage.json").is_file()


def test_the_output_does_not_depend_on_jobs(two_builds):
    (one, _), (two, _) = two_builds
    for name in TABLES:
        assert (one / f"{name}.csv").read_bytes() == (two / f"{name}.csv").read_bytes(), name


@pytest.mark.parametrize("out, why", [
    (paths.PROCESSED, "the committed dataset"), (paths.FIGURES, "the committed figures"),
    (paths.NOTEBOOKS, "the notebooks"), (paths.ROOT, "the project folder"), (paths.LEXICON, "the rules"),
])
def test_a_build_refuses_the_projects_own_folders(out, why):
    with pytest.raises(BuildError) as exc:
        plan([paths.TEST_ARTICLES / "jd-hotline-qa.txt"], out)
    assert why in str(exc.value)


def test_a_build_never_writes_over_an_input(tmp_path):
    victim = tmp_path / "claims.csv"
    victim.write_text("我的笔记：天猫客服免费吗\n", encoding="utf-8")
    before = victim.read_bytes()
    res = subprocess.run([sys.executable, "-m", "channelcost", "build", str(victim), "--out", str(tmp_path)],
                         capture_output=True, text=True)
    assert res.returncode == 2
    assert res.stderr.splitlines() == [f"error: {victim}: is an input; the build would overwrite it"]
    assert victim.read_bytes() == before


def test_bad_articles_are_all_reported_and_nothing_is_written(tmp_path):
    good = paths.TEST_ARTICLES / "jd-hotline-qa.txt"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    html = tmp_path / "page.txt"
    html.write_text("<html><body>免费吗</body></html>", encoding="utf-8")
    out = tmp_path / "out"
    res = subprocess.run([sys.executable, "-m", "channelcost", "build", str(good), str(empty), str(html), "--out", str(out)],
                         capture_output=True, text=True)
    assert res.returncode == 2
    lines = res.stderr.splitlines()
    assert len(lines) == 2 and all(line.startswith("error: ") for line in lines)
    assert str(empty) in lines[0] and str(html) in lines[1]
    assert "Traceback" not in res.stderr
    assert not out.exists()


def test_the_build_says_what_the_dictionary_changes_and_the_keywords(seed_build):
    # the seed says 客服电话 8 times and 天猫 56 times (str.count on data/raw/tmall-call-free.txt);
    # jieba's own dictionary cuts 客服电话 into 客服/电话 (jieba.lcut), the project keeps it whole
    _, t = seed_build
    seg = t.segmentation.set_index("word")
    assert seg.loc["客服电话", ["occurrences", "default_cut", "project_cut", "fixed"]].tolist() == [8, "客服/电话", "客服电话", True]
    assert seg.loc["天猫", ["occurrences", "fixed"]].tolist() == [56, False]
    assert (seg["occurrences"] >= 1).all() and seg.index.is_unique
    kw = t.keywords
    assert kw.groupby("method")["rank"].apply(list).to_dict() == {m: list(range(1, 16)) for m in ("textrank", "tfidf")}
    for _method, grp in kw.groupby("method"):  # ranked by weight, the article's dominant word first
        assert grp["weight"].is_monotonic_decreasing and grp.iloc[0]["word"] == "天猫"
    assert "的" not in set(kw["word"])  # stop words never rank
