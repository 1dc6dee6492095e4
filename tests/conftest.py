import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "project", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "project"))


import pytest  # noqa: E402

RERUN_ARTICLES = ["taobao-alipay-traditional", "jd-contact-channels-nocost", "alipay-95188-news-crlf"]


@pytest.fixture(scope="session")
def rerun_reports(tmp_path_factory):
    """Every analysis notebook run on three test articles (traditional Chinese, no costs, CRLF)."""
    from channelcost import paths
    from channelcost.rerun import run_report

    import hashlib

    def digest():
        return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
                for d in (paths.PROCESSED, paths.FIGURES, paths.NOTEBOOKS) for p in sorted(d.glob("*")) if p.is_file()}

    before = digest()
    root = tmp_path_factory.mktemp("reports")
    folders = run_report([paths.TEST_ARTICLES / f"{a}.txt" for a in RERUN_ARTICLES], root, jobs=2)
    assert digest() == before, "rerunning on other articles changed the seed's committed outputs"
    return dict(zip(RERUN_ARTICLES, folders))


def _git_status(root):
    import subprocess

    res = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=all"],
                         capture_output=True, text=True)
    return res.stdout if res.returncode == 0 else None


@pytest.fixture(scope="session", autouse=True)
def tests_write_no_tracked_file():
    """The whole run, notebooks under nbval included, must leave ``git status`` as it found it."""
    from channelcost import paths

    before = _git_status(paths.ROOT)
    if before is None:
        yield  # not a git work tree (an unpacked archive): nothing to compare with
        return
    yield
    after = _git_status(paths.ROOT)
    changed = sorted(set(after.splitlines()) ^ set(before.splitlines()))
    assert not changed, f"the tests changed files of the repository: {changed}"


# Fuzz settings for tests/test_fuzz.py, which applies the "fuzz" profile to each of its tests (the
# other property tests keep the profile loaded above). By default a deterministic run for CI: the
# same examples every time, no example database, no deadline. CHANNELCOST_FUZZ=long (`make fuzz`)
# selects a long random run instead; a failure there prints a blob for @reproduce_failure.
_FUZZ_PROFILES = {
    "": dict(max_examples=150, derandomize=True),
    "long": dict(max_examples=2000, derandomize=False, print_blob=True),
}
_FUZZ = os.environ.get("CHANNELCOST_FUZZ", "")
if _FUZZ not in _FUZZ_PROFILES:
    raise pytest.UsageError(f"CHANNELCOST_FUZZ={_FUZZ!r}: use 'long' for the long fuzz run, or leave it unset")
settings.register_profile(
    "fuzz",
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    **_FUZZ_PROFILES[_FUZZ],
)


@pytest.fixture(scope="session")
def unprivileged():
    """The prefix that runs a command as a user whom file permissions bind: nothing when this user
    is not root; as root, ``setpriv`` dropping the capabilities that override permission bits
    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER), so that a folder's mode applies to root as
    to its owner. The interpreter of this test run stays reachable, which running as ``nobody``
    would not guarantee (it may live under /root)."""
    import shutil
    import subprocess

    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and setpriv (util-linux) is missing: permissions cannot be made to bind")
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]
    probe = subprocess.run([*prefix, "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"setpriv cannot drop capabilities here: {probe.stderr.strip()}")
    return prefix
