"""Awkward things users do, run as they run them (issue 14): every case ends with the contract's
behaviour (one ``error:`` line, exit 2, nothing half-written, nothing of the user's overwritten)
or with what a user would expect."""

import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from channelcost import paths
from channelcost.corpus import expand_inputs
from channelcost.reading import HtmlArticle, NotUtf8Article, read_article

ARTICLE = paths.TEST_ARTICLES / "jd-hotline-qa.txt"
OTHER = paths.TEST_ARTICLES / "pdd-contact-listicle.txt"


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "channelcost", *map(str, args)], capture_output=True, text=True,
                          cwd=kw.pop("cwd", paths.ROOT), **kw)


def one_error(proc, *words):
    """The contract's failure: exit 2, one ``error:`` line naming what is wrong, no traceback."""
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1, lines
    for w in words:
        assert w in errors[0]
    return errors[0]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- encodings and kinds of text ------------------------------------------------------------------

ZH = "给天猫打电话免费吗？天猫官方客服电话按照运营商的通话费标准收费，在线客服是免费的。\n"


@pytest.mark.parametrize("name,data", [
    ("cp1252", "Le service client est gratuit, téléphone: café crème à 0,20 €.\n".encode("cp1252")),
    ("shift-jis", "カスタマーサービスへの電話は無料ですか？オンラインチャットは無料です。\n".encode("shift_jis")),
    ("euc-jp", "カスタマーサービスへの電話は無料ですか？オンラインチャットは無料です。\n".encode("euc_jp")),
    ("euc-kr", "고객센터 전화는 무료입니까? 온라인 상담은 무료입니다.\n".encode("euc_kr")),
])
def test_a_legacy_encoding_is_named_only_on_strong_evidence(tmp_path, name, data):
    p = tmp_path / f"{name}.txt"
    p.write_bytes(data)
    with pytest.raises(NotUtf8Article) as info:
        read_article(p)
    assert "encoding unknown" in str(info.value)
    assert info.value.encoding is None


@pytest.mark.parametrize("codec,named", [
    ("utf-32", "UTF-32"), ("utf-32-le", "UTF-32LE"), ("utf-32-be", "UTF-32BE"), ("gb18030", "GB18030"),
    ("utf-16-le", "UTF-16LE"),
])
def test_chinese_in_a_known_encoding_is_named(tmp_path, codec, named):
    p = tmp_path / "a.txt"
    p.write_bytes(ZH.encode(codec))
    with pytest.raises(NotUtf8Article) as info:
        read_article(p)
    assert f"looks like {named})" in str(info.value)


def test_an_html_fragment_counts_as_html_and_prose_about_tags_does_not(tmp_path):
    frag = tmp_path / "frag.txt"
    frag.write_text("<p>天猫客服电话免费吗</p>\n<p>在线客服是免费的。</p>\n<p>热线按市话收费。</p>\n", encoding="utf-8")
    with pytest.raises(HtmlArticle):
        read_article(frag)
    prose = tmp_path / "prose.txt"
    prose.write_text("网页里的<p>标签表示段落。\n天猫客服电话免费吗？在线客服是免费的。\n"
                     "<br>换行标签也常见，但这篇是纯文本。\n", encoding="utf-8")
    assert read_article(prose).text.startswith("网页里的<p>")


# -- inputs ---------------------------------------------------------------------------------------


def test_folders_skip_hidden_files_and_take_txt_in_any_case(tmp_path):
    for rel in ["a.txt", "sub/B.TXT", "sub/c.Txt", ".hidden.txt", ".git/objects/x.txt", "sub/.cache/y.txt",
                "notes.md", "sub/d.txt.bak"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(ZH, encoding="utf-8")
    got = [p.relative_to(tmp_path).as_posix() for p in expand_inputs([tmp_path])]
    assert got == ["a.txt", "sub/B.TXT", "sub/c.Txt"]


@pytest.mark.parametrize("content", [None, "notes.md"])
def test_a_folder_without_articles_is_an_error(tmp_path, content):
    folder = tmp_path / "in"
    folder.mkdir()
    if content:
        (folder / content).write_text("no article here", encoding="utf-8")
    proc = run("extract", folder, "-o", tmp_path / "out.csv")
    one_error(proc, "no article")
    assert not (tmp_path / "out.csv").exists()


def test_a_missing_file_among_many_is_reported_before_any_work(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(300):
        (folder / f"a{i:03d}.txt").write_text(ZH, encoding="utf-8")
    t0 = time.perf_counter()
    proc = run("extract", folder, tmp_path / "gone.txt", "-o", tmp_path / "out.csv", "--jobs", "1")
    one_error(proc, "gone.txt", "no such file")
    assert not (tmp_path / "out.csv").exists()
    # before the work: nothing was extracted (300 articles take seconds; the check takes none of that)
    t_check = time.perf_counter() - t0
    t1 = time.perf_counter()
    ok = run("extract", folder, "-o", tmp_path / "out.csv", "--jobs", "1")
    t_work = time.perf_counter() - t1
    assert ok.returncode == 0 and t_check < t_work


def test_rows_are_sorted_by_article_whatever_the_input_order(tmp_path):
    forward = run("extract", ARTICLE, OTHER, "-o", "-").stdout
    backward = run("extract", OTHER, ARTICLE, "-o", "-", "--jobs", "5").stdout  # more jobs than articles: capped
    assert forward == backward
    ids = [line.split(",", 1)[0] for line in forward.splitlines()[1:]]
    assert ids == sorted(ids) and len(set(ids)) == 2


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGQUIT])
def test_hangup_and_quit_leave_no_temporary_file(tmp_path, sig):
    big = tmp_path / "big.txt"
    big.write_text(ARTICLE.read_text(encoding="utf-8") * 1500, encoding="utf-8")
    out = tmp_path / "out" / "claims.csv"
    out.parent.mkdir()
    with subprocess.Popen([sys.executable, "-m", "channelcost", "extract", str(big), "-o", str(out), "--jobs", "1"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        deadline = time.time() + 30
        while not any(out.parent.iterdir()) and time.time() < deadline:  # the temporary file exists: work has begun
            time.sleep(0.05)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.strip() == "error: interrupted; nothing written"
    assert list(out.parent.iterdir()) == []


# -- where builds and reports write ---------------------------------------------------------------


def test_a_build_refuses_a_users_folder_and_another_articles_report(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.md").write_text("my notes", encoding="utf-8")
    one_error(run("build", ARTICLE, "--out", mine), "mine", "is not empty", "choose an empty or new folder")
    assert tree(mine) == {"notes.md": b"my notes"}
    done = tmp_path / "done"
    assert run("build", ARTICLE, "--out", done).returncode == 0
    before = tree(done)
    one_error(run("build", OTHER, "--out", done), "holds the build of jd-hotline-qa, not of pdd-contact-listicle")
    assert tree(done) == before


def test_a_rerun_clears_the_old_outputs_and_keeps_the_users_files(tmp_path):
    art = tmp_path / "art.txt"
    art.write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    assert run("build", art, "--out", out).returncode == 0
    assert (out / "figures" / "02-channel-costs.png").is_file()
    (out / "my-notes.md").write_text("kept", encoding="utf-8")
    art.write_text("一篇没有提到任何联系方式的短文。\n天气很好，我们去公园散步。\n", encoding="utf-8")  # now no claim
    proc = run("build", art, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert not (out / "figures" / "02-channel-costs.png").exists()  # not the old article's figure
    assert (out / "my-notes.md").read_text(encoding="utf-8") == "kept"
    assert (out / "claims.csv").read_text(encoding="utf-8").count("\n") == 1  # the header only


def test_a_report_never_writes_into_the_site_folder(tmp_path):
    art = tmp_path / "site.txt"
    art.write_text(ZH, encoding="utf-8")
    one_error(run("report", art), "reports/site", "the site")


def _signal_when(proc, line_start: str, sig, before=None) -> str:
    """Send ``sig`` once the report prints a line starting with ``line_start`` (calling ``before``
    first, if given); return all of stderr."""
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if line.startswith(line_start):
            if before:
                before()
            proc.send_signal(sig)
            break
    _, rest = proc.communicate(timeout=120)
    return "".join(seen) + rest


@pytest.mark.parametrize("sig,stage", [(signal.SIGINT, "running"), (signal.SIGTERM, "building")])
def test_an_interrupted_report_leaves_no_folder_and_no_kernel(tmp_path, sig, stage):
    out = tmp_path / "deep" / "report"
    # the report's kernels inherit its environment: a mark there tells them from the kernels of tests
    # running at the same time in another worker
    mark = f"report-{os.getpid()}-{sig.name}-{stage}"
    with subprocess.Popen([sys.executable, "-m", "channelcost", "report", str(ARTICLE), "--out", str(out)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=paths.ROOT,
                          env={**os.environ, "CHANNELCOST_TEST_MARK": mark}) as proc:
        alive = []
        err = _signal_when(proc, stage, sig, before=lambda: alive.extend(_kernels(mark)))
    if stage == "running":
        assert alive, "the mark finds the report's kernels while they run"
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == "error: interrupted; nothing written"
    assert "Traceback" not in err
    assert not (tmp_path / "deep").exists()  # the folders it made are gone too
    time.sleep(1)
    assert _kernels(mark) == set()  # the report's kernels were killed with it


def _children(pid: int) -> set[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return set(map(int, found.split()))


def test_a_stopped_comparison_kills_its_workers_and_leaves_no_folder(tmp_path):
    """Stopped while its forked workers read the articles, ``compare`` kills them (they ignore the
    signals, so left alone they would wait on their queue for ever) and leaves no output."""
    out = tmp_path / "deep" / "corpus"
    with subprocess.Popen([sys.executable, "-m", "channelcost", "compare", str(paths.TEST_ARTICLES), "--out", str(out),
                           "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          cwd=paths.ROOT) as proc:
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
            workers = _children(proc.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the comparison forks two workers"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == "error: interrupted; nothing written"
    assert "Traceback" not in err
    assert not (tmp_path / "deep").exists()
    time.sleep(1)
    assert not [w for w in workers if Path(f"/proc/{w}").exists()], "a worker outlived the comparison"


_AFTER_STOP = (
    "import os, sys, threading\n"
    "from pathlib import Path\n"
    "from channelcost import io\n"
    "folder = Path(sys.argv[1])\n"
    "io.write_bytes_atomic(folder / 'before.txt', b'written before the stop')\n"
    "io.stop_writes()\n"
    "io.write_bytes_atomic(folder / 'same-thread.txt', b'the handler itself may go on')\n"
    "other = threading.Thread(target=io.write_bytes_atomic, args=(folder / 'after.txt', b'x'), daemon=True)\n"
    "other.start(); other.join(1.0)\n"
    "pid = os.fork()\n"
    "if pid == 0:  # a worker forked now has a lock of its own\n"
    "    io.write_bytes_atomic(folder / 'forked.txt', b'a worker writes'); os._exit(0)\n"
    "os.waitpid(pid, 0)\n"
    "print(other.is_alive(), sorted(p.name for p in folder.iterdir()))\n"
)


def test_after_a_stop_no_other_thread_begins_or_places_a_file(tmp_path):
    res = subprocess.run([sys.executable, "-c", _AFTER_STOP, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout == "True ['before.txt', 'forked.txt', 'same-thread.txt']\n"


def _kernels(mark: str) -> set[int]:
    """The running kernel processes whose environment holds CHANNELCOST_TEST_MARK=mark."""
    found = subprocess.run(["pgrep", "-f", "ipykernel_launcher"], capture_output=True, text=True).stdout
    ours = set()
    for pid in map(int, found.split()):
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:  # gone meanwhile
            continue
        if f"CHANNELCOST_TEST_MARK={mark}".encode() in environ:
            ours.add(pid)
    return ours


def test_a_cell_timeout_is_one_error_line_and_leaves_nothing(tmp_path, monkeypatch, capsys):
    from channelcost import cli, rerun

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("ARTICLE = DATA = FIGURES = None", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("import time\ntime.sleep(30)")]
    slow = tmp_path / "01-slow.ipynb"
    nbformat.write(nb, slow)
    monkeypatch.setattr(rerun, "analysis_notebooks", lambda: [slow])
    out = tmp_path / "out"
    assert cli.main(["report", str(ARTICLE), "--out", str(out), "--timeout", "2"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == "error: a notebook cell ran longer than 2 s (--timeout); nothing written"
    assert not out.exists()


def test_a_report_on_an_article_without_words_says_there_is_nothing(tmp_path):
    art = tmp_path / "marks.txt"
    art.write_text("。。！！？？\n123 456 789\n😀😀😀\n", encoding="utf-8")
    proc = run("report", art, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    for nb_path in sorted((tmp_path / "out").glob("0*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"], nb_path.name
    text = (tmp_path / "out" / "02-extract-channel-costs.ipynb").read_text(encoding="utf-8")
    assert "names no contact channel" in text


# -- make ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ['say "hi".txt', "cost$HOME.txt", "it's $(x) `y`.txt", "a b#c?.txt"])
def test_make_report_passes_the_name_unchanged(name):
    proc = subprocess.run(["make", "-s", "-n", "report", f"ARTICLE={name}"], capture_output=True, text=True,
                          cwd=paths.ROOT)
    assert proc.returncode == 0, proc.stderr
    command = proc.stdout.strip().splitlines()[-1]
    assert shlex.split(command)[-1] == name


def test_the_site_keeps_reports_apart_from_its_own_pages(tmp_path, capsys):
    from channelcost.site import build_site

    notebook = paths.NOTEBOOKS / "02-extract-channel-costs.ipynb"
    folders = []
    for name in ["seed", "site", "a#b?c d"]:
        d = tmp_path / "reports" / name
        d.mkdir(parents=True)
        (d / notebook.name).write_bytes(notebook.read_bytes())
        folders.append(d)
    (folders[0] / "03-broken.ipynb").write_text("{not a notebook", encoding="utf-8")
    out = tmp_path / "site"
    pages = build_site(out, report_dirs=folders)
    assert "warning:" in capsys.readouterr().err and "03-broken.ipynb" not in {p.notebook.name for p in pages}
    index = (out / "index.html").read_text(encoding="utf-8")
    seed_pages = [p for p in pages if p.group == "seed" and p.notebook.parent == paths.NOTEBOOKS]
    assert len({p.path for p in pages}) == len(pages)  # no page lands on another
    assert (out / seed_pages[1].path).read_text(encoding="utf-8").count("tmall-call-free") > 0
    odd = next(p for p in pages if p.group == "a#b?c d")
    assert odd.href == "reports/a%23b%3Fc%20d/02-extract-channel-costs.html"
    assert f'href="{odd.href}"' in index and (out / odd.path).is_file()


def test_ctrl_c_on_a_parallel_build_stops_its_workers_and_leaves_nothing(tmp_path):
    """Ctrl-C reaches the whole process group: the workers as well as the build."""
    articles = sorted(paths.TEST_ARTICLES.glob("dv*.txt"))[:12]
    out = tmp_path / "out"
    with subprocess.Popen([sys.executable, "-m", "channelcost", "build", *map(str, articles), "--out", str(out),
                           "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          cwd=paths.ROOT, start_new_session=True) as proc:
        deadline = time.time() + 30
        while not list(out.glob("*/claims.csv")) and time.time() < deadline:  # the first article is written
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err == "error: interrupted; nothing written\n"
    time.sleep(0.5)
    assert not out.exists()
