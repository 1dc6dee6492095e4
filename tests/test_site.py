"""The readers' site: built from the executed notebooks and checked in a real (headless) browser."""

import html
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from channelcost.site import build_site

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def site(rerun_reports, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    pages = build_site(out, report_dirs=list(rerun_reports.values()))
    return out, pages


def test_index_lists_every_page_with_one_line(site):
    out, pages = site
    index = (out / "index.html").read_text(encoding="utf-8")
    from conftest import RERUN_ARTICLES

    # the seed's four notebooks, each report's four, and the corpus page (notebook 05)
    assert len(pages) == 4 * (1 + len(RERUN_ARTICLES)) + 1
    (corpus,) = [p for p in pages if p.group == "corpus"]
    assert corpus.href == "corpus/05-compare-articles.html" and "Across many articles" in corpus.summary
    for p in pages:
        assert f'href="{p.href}"' in index and (out / p.href).is_file()
        assert len(p.summary) > 30 and not p.summary.startswith("Question")  # a real line, not a label
    page = (out / pages[0].href).read_text(encoding="utf-8")
    assert "from channelcost import" not in page and "setup_matplotlib()" not in page  # code hidden
    assert "No description has been provided" not in page  # every figure has an alternative text
    assert not re.search(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=\"https?://", page)  # nothing fetched


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromedriver must be installed in CI (.ci/run installs them)")
        pytest.skip("headless Chromium not installed here; .ci/run installs it for CI")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="cc-chrome-")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1200,900"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _check_page(driver, url: str, shot: Path) -> dict:
    driver.get(url)
    state = driver.execute_async_script(
        "const done = arguments[0];"
        "document.fonts.ready.then(() => done({"
        " ready: document.readyState, title: document.title, text: document.body.innerText.length,"
        " images: document.images.length,"
        " broken: Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).length,"
        " cjk: [...document.fonts].filter(f => f.family.includes('channelcost CJK')).map(f => f.status),"
        " cjkCovers: document.fonts.check('16px \"channelcost CJK\"', '给天猫打电话免费吗')}));"
    )
    driver.save_screenshot(str(shot))
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == [], errors
    assert state["ready"] == "complete" and state["text"] > 200, state
    assert state["broken"] == 0, state
    assert state["cjk"] == ["loaded"] and state["cjkCovers"], state
    assert shot.stat().st_size > 10_000
    return state


def test_index_and_a_notebook_render_in_a_browser(site, browser, tmp_path):
    out, pages = site
    _check_page(browser, (out / "index.html").as_uri(), tmp_path / "index.png")
    seed02 = next(p for p in pages if p.group == "seed" and p.href.endswith("02-extract-channel-costs.html"))
    state = _check_page(browser, (out / seed02.href).as_uri(), tmp_path / "seed-02.png")
    assert state["images"] >= 1  # the channel-cost figure, inline
    trad = next(p for p in pages if p.group == "taobao-alipay-traditional" and p.href.endswith("01-tokenize-article.html"))
    _check_page(browser, (out / trad.href).as_uri(), tmp_path / "trad-01.png")


def _shots() -> Path:
    """Where the browser test leaves the article pages' screenshots for a reviewer (not tracked)."""
    from channelcost import paths

    folder = paths.CACHE / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_index_gives_each_article_its_own_title_and_finding(site, rerun_reports):
    from channelcost import report
    from channelcost.tables import open_build

    out, _ = site
    index = (out / "index.html").read_text(encoding="utf-8")
    for name, folder in [("seed", None), *rerun_reports.items()]:
        t = open_build(folder)
        title, line = report.article_title(t), report.headline(t)
        title, line = html.escape(title), html.escape(line)  # as the page writes them (merchants' → merchants&#x27;)
        assert title in index and line in index
        page = (out / ("seed" if folder is None else f"reports/{name}") / "index.html").read_text(encoding="utf-8")
        assert title in page and line in page and page.count('class="cc-article"') == 1
    assert "给天猫打电话免费吗" in index.split("</h2>", 1)[0]  # the seed's own title, not a label
    assert "Question" not in index


_MARKS_JS = (
    "return Array.from(document.querySelectorAll('mark.cc-channel')).map(m => {"
    " const c = m.cloneNode(true); c.querySelectorAll('.cc-label').forEach(l => l.remove());"
    " return [c.textContent, m.dataset.claims]; });"
)


@pytest.mark.parametrize("name", ["seed", "taobao-alipay-traditional"])
def test_the_article_page_shows_the_scorecard_and_every_claim_marked(site, browser, rerun_reports, name):
    from channelcost import paths
    from channelcost.tables import read_table
    from test_annotate import expected_spans, text_at

    out, _ = site
    folder = paths.PROCESSED if name == "seed" else rerun_reports[name]
    page = out / ("seed" if name == "seed" else f"reports/{name}") / "index.html"
    _check_page(browser, page.as_uri(), _shots() / f"article-{name}.png")
    claims = read_table(folder, "claims")
    sentences = read_table(folder, "sentences")
    spans = expected_spans(claims)
    marks = browser.execute_script(_MARKS_JS)
    assert [m[0] for m in marks] == [text_at(sentences, *s) for s in spans]  # count and text, in the browser
    ids = [i for m in marks for i in m[1].split()]
    assert sorted(ids) == sorted(claims["claim_id"]) and len(ids) == len(set(ids))
    card = browser.execute_script(
        "return Array.from(document.querySelectorAll('table.cc-card tbody tr')).map(r => r.cells[1].textContent);")
    from channelcost.report import VERDICT_WORDS

    channels = read_table(folder, "channels")
    assert card == [VERDICT_WORDS[v] for v in channels["verdict"] if v != "unstated"] and card
