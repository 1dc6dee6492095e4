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
CORPUS_NOTEBOOK = "05-compare-articles.ipynb"  # the one that compares many articles (channelcost compare)
CORPUS = ROOT / "data" / "processed" / "corpus"  # the project's own comparison: the development articles and the seed


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
BLIND_GOLD_ADVICE = ROOT / "tests" / "data" / "blind" / "gold-advice"
BLIND_SECOND_ADVICE = ROOT / "tests" / "data" / "blind" / "gold-advice-second"
PROBES = ROOT / "tests" / "data" / "probes" / "reviewer.csv"
OWN_PROBES = ROOT / "tests" / "data" / "probes" / "own.csv"
TEST_NUMBERS = ROOT / "tests" / "data" / "numbers"
BLIND_NUMBERS = ROOT / "tests" / "data" / "blind" / "numbers"
BLIND_SECOND_NUMBERS = ROOT / "tests" / "data" / "blind" / "numbers-second"
BLIND_SECOND_COMPANY = ROOT / "tests" / "data" / "blind" / "company-second"


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


def cache_folder(name: str) -> Path | None:
    """A writable folder for the cache ``name``: ``.cache/<name>`` under the project, or, where the
    project cannot be written, ``channelcost/<name>`` in the user's cache folder ($XDG_CACHE_HOME or
    ~/.cache); None where neither can be made."""
    bases = [CACHE]
    try:
        bases.append(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "channelcost")
    except RuntimeError:  # no HOME and no password entry: no user cache
        pass
    for base in bases:
        folder = base / name
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK | os.X_OK):
            return folder
    return None


def folder_problem(folder: Path) -> str | None:
    """Why ``folder`` can neither be written nor made as a writable folder (nothing is created), or None."""
    probe = folder
    while True:
        try:
            st = os.stat(probe)
            break
        except (FileNotFoundError, NotADirectoryError):
            if probe.parent == probe:
                return "cannot be made"
            probe = probe.parent
        except OSError as exc:
            return f"cannot be written ({exc.strerror or exc})"
    import stat

    if not stat.S_ISDIR(st.st_mode):
        return "is a file, not a folder" if probe == folder else f"cannot be made ({probe} is a file)"
    if not os.access(probe, os.W_OK | os.X_OK):
        return "cannot be written (Permission denied)"
    return None


_CONFIG_CACHE_NAMES = {"MPLCONFIGDIR": "matplotlib", "IPYTHONDIR": "ipython"}


def _config_defaults() -> dict[str, Path]:
    home = Path.home()
    return {"MPLCONFIGDIR": Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "matplotlib",
            "IPYTHONDIR": home / ".ipython"}


def quiet_config_folders() -> None:
    """Where the user's home cannot be written, point matplotlib's and IPython's configuration
    folders (and so the notebooks' kernels, which inherit the environment) at a cache folder of
    the project's, instead of letting each warn on stderr that it fell back to a temporary folder.
    A folder the user named in the environment is kept; nothing changes where home is writable."""
    import atexit
    import shutil
    import tempfile

    try:
        defaults = _config_defaults()
    except RuntimeError:  # no home at all
        defaults = {var: Path("/nonexistent") for var in _CONFIG_CACHE_NAMES}
    for var, default in defaults.items():
        if os.environ.get(var) or folder_problem(default) is None:
            continue
        folder = cache_folder(_CONFIG_CACHE_NAMES[var])
        if folder is None:  # nothing writable but the temporary folder: one for this run, removed at exit
            try:
                folder = Path(tempfile.mkdtemp(prefix=f"channelcost-{_CONFIG_CACHE_NAMES[var]}-"))
            except OSError:  # not even that: the library's own fallback, and its warning
                continue
            atexit.register(shutil.rmtree, folder, True)
        os.environ[var] = str(folder)
