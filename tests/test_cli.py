"""The command line, run as a user runs it: exact contract errors, nothing half-written."""

import subprocess
import sys

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
