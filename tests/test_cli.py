"""The command line, run as a user runs it: exact contract errors, nothing half-written."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from channelcost import paths

GOOD = "天猫客服热线按市话标准收费，但在线客服免费。\n"


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "channelcost", *map(str, args)], capture_output=True, **kw)


@pytest.fixture
def bad_inputs(tmp_path):
    files = {
        "missing": tmp_path / "missing.txt",
        "empty": tmp_path / "empty.txt",
        "gbk": tmp_path / "gbk.txt",
        "binary": tmp_path / "binary.txt",
        "html": tmp_path / "page.txt",
    }
    files["empty"].write_bytes(b"")
    files["gbk"].write_bytes(GOOD.encode("gb18030"))
    files["binary"].write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    files["html"].write_text("<!doctype html><html><body><p>" + GOOD + "</p></body></html>", encoding="utf-8")
    return files


@pytest.mark.parametrize(
    "kind,words",
    [("missing", "no such file"), ("empty", "empty"), ("gbk", "not UTF-8 (invalid byte at 0; looks like GB18030)"),
     ("binary", "binary"), ("html", "HTML")],
)
def test_each_bad_input_gives_one_error_line_exit_2_and_no_output(tmp_path, bad_inputs, kind, words):
    out = tmp_path / "out.csv"
    res = run("extract", bad_inputs[kind], "-o", out, text=True)
    assert res.returncode == 2
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad_inputs[kind]}: ")
    assert words in lines[0]
    assert "Traceback" not in res.stderr
    assert not out.exists()


def test_one_bad_file_among_good_ones_leaves_the_existing_output_alone(tmp_path, bad_inputs):
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out.csv"
    out.write_bytes(b"precious")
    res = run("extract", good, bad_inputs["empty"], "-o", out, text=True)
    assert res.returncode == 2
    assert out.read_bytes() == b"precious"
    assert list(tmp_path.glob(".out.csv*")) == []  # no temporary file left behind


def test_skip_bad_reports_and_writes_the_rest(tmp_path, bad_inputs):
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out.csv"
    res = run("extract", good, bad_inputs["html"], bad_inputs["missing"], "--skip-bad", "-o", out, text=True)
    assert res.returncode == 0
    assert res.stderr.count("skipped: ") == 2
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("article_id,claim_id,sentence_id,start,end,evidence,channel,cost,cue,hedged,negated")
    assert {r.split(",")[6] for r in rows[1:]} == {"official_hotline", "online_chat"}


def test_stdout_output_equals_the_committed_seed_claims():
    res = run("extract", paths.SEED_ARTICLE, "-o", "-")
    assert res.returncode == 0 and res.stderr == b""
    assert res.stdout == (paths.PROCESSED / "claims.csv").read_bytes()


def test_console_script_is_installed():
    exe = paths.ROOT / ".venv" / "bin" / "channelcost"
    if not exe.exists():
        pytest.skip("not running from the project's .venv")
    res = subprocess.run([exe, "extract", paths.SEED_ARTICLE, "-o", "-"], capture_output=True)
    assert res.returncode == 0 and res.stdout.startswith(b"article_id,claim_id")


def _extract(*args, cwd):
    return subprocess.run([sys.executable, "-m", "channelcost", "extract", *args], capture_output=True, text=True, cwd=cwd)


def test_extract_never_writes_over_an_input_even_through_a_link(tmp_path):
    art = tmp_path / "a.txt"
    art.write_bytes((paths.TEST_ARTICLES / "cmb-95555-news.txt").read_bytes())
    before = art.read_bytes()
    (tmp_path / "alias.txt").symlink_to("a.txt")
    for out in ("a.txt", "alias.txt"):
        res = _extract("a.txt", "-o", out, cwd=tmp_path)
        assert res.returncode == 2 and "Traceback" not in res.stderr
        assert res.stderr.splitlines() == [f"error: {out}: is one of the input articles (a.txt); the output would replace it"]
        assert art.read_bytes() == before and (tmp_path / "alias.txt").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "alias.txt"]  # no temporary file left


def test_extract_follows_a_link_and_writes_through_devices(tmp_path):
    art = tmp_path / "a.txt"
    art.write_bytes((paths.TEST_ARTICLES / "cmb-95555-news.txt").read_bytes())
    (tmp_path / "link.csv").symlink_to("target.csv")
    assert _extract("a.txt", "-o", "link.csv", cwd=tmp_path).returncode == 0
    assert (tmp_path / "link.csv").is_symlink()  # the link is kept, its target written
    csv_bytes = (tmp_path / "target.csv").read_bytes()
    assert csv_bytes.startswith(b"article_id,claim_id,") and csv_bytes == _extract("a.txt", "-o", "-", cwd=tmp_path).stdout.encode()
    res = _extract("a.txt", "-o", os.devnull, cwd=tmp_path)
    assert res.returncode == 0 and Path(os.devnull).is_char_device()  # written through, not replaced by a file
    if Path("/dev/full").exists():
        res = _extract("a.txt", "-o", "/dev/full", cwd=tmp_path)
        assert (res.returncode, res.stderr) == (2, "error: /dev/full: could not be written (No space left on device)\n")
        assert Path("/dev/full").is_char_device()


@pytest.mark.parametrize("args, message", [
    (["-o", "newdir/"], "error: newdir/: names a folder; give a file name for the CSV"),
    (["-o", "x.csv", "--jobs", "0"], "error: argument --jobs: must be at least 1, not 0"),
])
def test_extract_refuses_a_folder_name_and_no_workers(tmp_path, args, message):
    (tmp_path / "a.txt").write_bytes((paths.TEST_ARTICLES / "cmb-95555-news.txt").read_bytes())
    res = _extract("a.txt", *args, cwd=tmp_path)
    assert res.returncode == 2 and res.stderr.splitlines()[-1] == message and "Traceback" not in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
