"""What a user's file permissions refuse (issue 14), run as a user whom they bind (the
``unprivileged`` fixture): an article or folder that may not be read, an output folder that may not
be written, a home folder that may not be written. Each ends with one ``error:`` line, exit 2,
nothing written and nothing left behind, or with a quiet run."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from channelcost import paths

ARTICLE = paths.TEST_ARTICLES / "jd-hotline-qa.txt"
# variables that would point the libraries away from the home folder under test
_CONFIG_VARS = ("MPLCONFIGDIR", "IPYTHONDIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "JUPYTER_CONFIG_DIR")


def run(prefix, *args, cwd, env=None):
    return subprocess.run([*prefix, sys.executable, "-m", "channelcost", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env)


def only_error(proc) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), lines
    return lines[0]


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


@pytest.fixture
def place(tmp_path):
    """An article, a read-only folder, a folder that may be listed but not entered, one that may be
    entered but not listed, and an unreadable article; modes restored afterwards for clean-up."""
    (tmp_path / "a.txt").write_bytes(ARTICLE.read_bytes())
    (tmp_path / "secret.txt").write_bytes(ARTICLE.read_bytes())
    for name in ("ro", "noenter", "nolist"):
        (tmp_path / name).mkdir()
    (tmp_path / "noenter" / "b.txt").write_bytes(ARTICLE.read_bytes())
    (tmp_path / "nolist" / "c.txt").write_bytes(ARTICLE.read_bytes())
    modes = {"secret.txt": 0o000, "ro": 0o555, "noenter": 0o644, "nolist": 0o311}
    for name, mode in modes.items():
        os.chmod(tmp_path / name, mode)
    yield tmp_path
    for name in modes:
        os.chmod(tmp_path / name, 0o755)


def test_the_prefix_makes_permissions_bind(unprivileged, place):
    probe = subprocess.run([*unprivileged, sys.executable, "-c", "open('ro/x', 'w')"], cwd=place,
                           capture_output=True, text=True)
    assert probe.returncode == 1 and "PermissionError" in probe.stderr


@pytest.mark.parametrize("name,message", [
    ("secret.txt", "error: secret.txt: cannot be read (Permission denied)"),
    ("noenter/b.txt", "error: noenter/b.txt: cannot be read (Permission denied)"),
    ("noenter", "error: noenter/b.txt: cannot be read (Permission denied)"),
    ("nolist", "error: nolist: is a folder that cannot be read (Permission denied)"),
])
@pytest.mark.parametrize("command", ["extract", "build"])
def test_an_article_or_folder_that_may_not_be_read_is_one_error_line(unprivileged, place, name, message, command):
    before = files_under(place)
    out = ["-o", "out.csv"] if command == "extract" else ["--out", "out"]
    assert only_error(run(unprivileged, command, name, *out, cwd=place)) == message
    assert files_under(place) == before


@pytest.mark.parametrize("args,named", [
    (["extract", "a.txt", "-o", "ro/claims.csv"], "ro/claims.csv"),
    (["extract", "a.txt", "-o", "ro/new/claims.csv"], "ro/new/claims.csv"),
    (["build", "a.txt", "--out", "ro/built"], "ro/built"),
    (["build", "a.txt", "--out", "ro"], "ro"),
    (["report", "a.txt", "--out", "ro/report"], "ro/report"),
    (["report", "a.txt", "secret.txt", "--out", "ro"], "ro"),
])
def test_an_output_folder_that_may_not_be_written_is_refused_before_any_work(unprivileged, place, args, named):
    before = files_under(place)
    proc = run(unprivileged, *args, cwd=place)
    if "secret.txt" in args:  # two problems: both named, before any work
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert any("secret.txt: cannot be read (Permission denied)" in l for l in lines), lines
        assert any(l.endswith(f"{named}: cannot be written (Permission denied)") for l in lines), lines
    elif args[0] == "extract" and named.count("/") > 1:
        assert only_error(proc) == f"error: {named}: folder ro/new does not exist"
    else:
        line = only_error(proc)
        assert line.startswith("error: ") and "cannot be written (Permission denied)" in line
        assert line.split(": ")[1].endswith(named)
    assert files_under(place) == before  # no temporary file, no folder made


def test_a_home_that_may_not_be_written_leaves_a_report_quiet(unprivileged, place):
    env = {k: v for k, v in os.environ.items() if k not in _CONFIG_VARS}
    env["HOME"] = str(place / "ro")
    proc = run(unprivileged, "report", "a.txt", "--out", "rep", "--jobs", "1", cwd=place, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == ["building a", "running 4 notebook(s) in 1 kernel(s)"]
    notebooks = sorted((place / "rep").glob(paths.NOTEBOOK_GLOB))
    assert len(notebooks) == 4
    for nb in notebooks:
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            for out in cell.get("outputs", []):
                assert out.get("name") != "stderr", (nb.name, out.get("text"))
    assert os.listdir(place / "ro") == []


def test_without_any_writable_cache_the_libraries_get_a_temporary_folder(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.write_text("a file where folders would go", encoding="utf-8")
    monkeypatch.setattr(paths, "CACHE", locked / "cache")
    monkeypatch.setenv("HOME", str(locked))
    monkeypatch.setenv("XDG_CACHE_HOME", str(locked / "cache-home"))
    for var in ("MPLCONFIGDIR", "IPYTHONDIR", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    paths.quiet_config_folders()
    for var, name in (("MPLCONFIGDIR", "matplotlib"), ("IPYTHONDIR", "ipython")):
        folder = Path(os.environ[var])
        assert folder.parent == tmp_path and folder.name.startswith(f"channelcost-{name}-") and folder.is_dir()


def test_a_writable_home_or_a_named_folder_is_left_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for var in ("IPYTHONDIR", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("MPLCONFIGDIR", "/somewhere/the/user/chose")
    paths.quiet_config_folders()
    assert os.environ["MPLCONFIGDIR"] == "/somewhere/the/user/chose"
    assert "IPYTHONDIR" not in os.environ
    assert not (tmp_path / "home").exists()
