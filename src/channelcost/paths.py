"""Every path the project uses, rooted at the project folder.

Notebooks and tests import these names instead of building paths by hand. The root is the
folder holding ``pyproject.toml`` above this file (the package is installed in editable mode);
``CHANNELCOST_ROOT`` overrides it for an installed copy.
"""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    env = os.environ.get("CHANNELCOST_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "src" / "channelcost").is_dir():
            return parent
    return Path.cwd().resolve()


ROOT = _find_root()
DATA = ROOT / "data"
RAW = DATA / "raw"
INTERIM = DATA / "interim"
PROCESSED = DATA / "processed"
LEXICON = DATA / "lexicon"
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
FIGURES = REPORTS / "figures"
CACHE = ROOT / ".cache"

SEED_ARTICLE = RAW / "tmall-call-free.txt"
USER_DICT = LEXICON / "userdict.txt"
STOPWORDS = LEXICON / "stopwords-zh.txt"
DATAPACKAGE = PROCESSED / "datapackage.json"


NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"  # the numbered analysis notebooks, in notebooks/ and in each report


def shown(path: Path | str) -> str:
    """A path in a message to the user: relative to the project root inside it, else as given."""
    return relative(path) if Path(path).resolve().is_relative_to(ROOT) else str(path)


def relative(path: Path | str) -> str:
    """A path as shown to readers: relative to the project root, with forward slashes."""
    p = Path(path).resolve()
    try:
        return p.relative_to(ROOT).as_posix()
    except ValueError:
        return Path(path).name
ANNOTATIONS = DATA / "annotations"
TEST_ARTICLES = ROOT / "tests" / "data" / "articles"
TEST_GOLD = ROOT / "tests" / "data" / "gold"
BLIND_ARTICLES = ROOT / "tests" / "data" / "blind" / "articles"
BLIND_GOLD = ROOT / "tests" / "data" / "blind" / "gold"
BLIND_SECOND = ROOT / "tests" / "data" / "blind" / "gold-second"
PROBES = ROOT / "tests" / "data" / "probes" / "reviewer.csv"
OWN_PROBES = ROOT / "tests" / "data" / "probes" / "own.csv"


def gold_for(article_id: str) -> Path | None:
    """The gold annotation of an article, if the project has one."""
    for folder in (ANNOTATIONS, TEST_GOLD):
        p = folder / f"{article_id}.csv"
        if p.is_file():
            return p
    return None
TEST_GOLD_ADVICE = ROOT / "tests" / "data" / "gold-advice"


def advice_gold_for(article_id: str) -> Path | None:
    """The gold advice annotation of an article, if the project has one."""
    for p in (ANNOTATIONS / f"{article_id}-advice.csv", TEST_GOLD_ADVICE / f"{article_id}.csv"):
        if p.is_file():
            return p
    return None
