"""Corpus-scale extraction: folders, parallel workers with identical bytes, no half-written output."""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from channelcost import paths
from channelcost.corpus import Progress, expand_inputs, extract_text
from channelcost.reading import read_article


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "channelcost", *map(str, args)], capture_output=True, **kw)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The test articles and the seed, in nested folders, plus one bad file beside them."""
    root = tmp_path_factory.mktemp("corpus")
    (root / "b" / "c").mkdir(parents=True)
    for i, p in enumerate(sorted(paths.TEST_ARTICLES.glob("*.txt"))):
        shutil.copy(p, root / ("b" if i % 2 else "b/c") / p.name)
    shutil.copy(paths.SEED_ARTICLE, root / "tmall-call-free.txt")
    (root / "notes.md").write_text("not an article", encoding="utf-8")
    return root


def test_folders_expand_to_their_txt_files_recursively_in_path_order(corpus):
    files = expand_inputs([corpus])
    assert len(files) == len(list(paths.TEST_ARTICLES.glob("*.txt"))) + 1
    assert files == sorted(files) and all(f.suffix == ".txt" for f in files)


def test_parallel_output_is_byte_identical_to_one_job(corpus, tmp_path):
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert run("extract", corpus, "-o", one, "--jobs", "1").returncode == 0
    res = run("extract", corpus, "-o", two, "--jobs", "2")
    assert res.returncode == 0 and res.stderr == b""  # no progress bar when stderr is not a terminal
    assert one.read_bytes() == two.read_bytes()
    ids = {line.split(b",")[0] for line in one.read_bytes().splitlines()[1:]}
    assert b"tmall-call-free" in ids and len(ids) == len(expand_inputs([corpus]))


def test_skip_bad_goes_on_and_lists_the_bad_files_at_the_end(corpus, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "gbk.txt").write_bytes("在线客服免费。".encode("gb18030"))
    out = tmp_path / "out.csv"
    res = run("extract", corpus, bad, "-o", out, "--jobs", "2", "--skip-bad", text=True)
    assert res.returncode == 0
    assert res.stderr.splitlines() == [
        f"skipped: {bad / 'empty.txt'}: empty file (0 bytes)",
        f"skipped: {bad / 'gbk.txt'}: not UTF-8 (invalid byte at 0; looks like GB18030); save it as UTF-8",
    ]
    assert out.read_bytes().startswith(b"article_id,claim_id")
    res = run("extract", corpus, bad, "-o", tmp_path / "strict.csv", "--jobs", "2", text=True)
    assert res.returncode == 2 and not (tmp_path / "strict.csv").exists()
    assert [ln.split(": ")[0] for ln in res.stderr.splitlines()] == ["error", "error"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_run_leaves_no_output(tmp_path, sig):
    big = tmp_path / "big"
    big.mkdir()
    sources = sorted(paths.TEST_ARTICLES.glob("*.txt"))
    for i in range(4000):
        shutil.copy(sources[i % len(sources)], big / f"a{i:05d}.txt")
    out = tmp_path / "out.csv"
    out.write_bytes(b"old")
    # as from a terminal: a shell running the tests in the background passes SIGINT on as ignored
    proc = subprocess.Popen([sys.executable, "-m", "channelcost", "extract", str(big), "-o", str(out), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    # interrupt as soon as rows are being streamed into the temporary file beside the output
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".out.csv.") for p in tmp_path.iterdir()):
        assert proc.poll() is None and time.monotonic() < deadline, "the run never started writing"
        time.sleep(0.01)
    time.sleep(0.2)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.decode().strip().endswith("error: interrupted; nothing written")
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_extract_text_is_a_pure_function_of_the_text():
    seed = read_article(paths.SEED_ARTICLE)
    other = read_article(paths.TEST_ARTICLES / "jd-hotline-qa.txt")
    first = extract_text("x", seed.text)
    expected = list(first)  # a copy: the claims are frozen, the list is not
    assert len(expected) > 10 and {c.article_id for c in expected} == {"x"}
    extract_text("y", other.text)  # another article in between changes nothing
    assert extract_text("x", seed.text) == expected
    # each call builds its own list: emptying one result (or the first) does not empty a later one
    extract_text("x", seed.text).clear()
    first.clear()
    assert extract_text("x", seed.text) == expected
    code = (
        "from channelcost.corpus import extract_text\n"
        "from channelcost import paths\n"
        "t = open(paths.SEED_ARTICLE, encoding='utf-8-sig').read()\n"
        "print(repr(extract_text('x', t)))\n"
    )
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env=dict(os.environ, PYTHONHASHSEED="7"))
    assert fresh.stdout.strip() == repr(expected)


def test_progress_bar_only_on_a_terminal():
    class Tty:
        def __init__(self, tty):
            self.tty, self.text = tty, ""

        def isatty(self):
            return self.tty

        def write(self, s):
            self.text += s

        def flush(self):
            pass

    on, off = Tty(True), Tty(False)
    for stream in (on, off):
        bar = Progress(40, stream)
        for _ in range(40):
            bar.step()
    assert "40/40" in on.text and on.text.endswith("\n")
    assert off.text == ""
