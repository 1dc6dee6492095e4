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
    reports = {a: run_report(paths.TEST_ARTICLES / f"{a}.txt", root / a) for a in RERUN_ARTICLES}
    assert digest() == before, "rerunning on other articles changed the seed's committed outputs"
    return reports
