"""The command line: ``channelcost extract ARTICLE... -o OUT.csv``, ``channelcost build [ARTICLE...]``,
``channelcost report ARTICLE...``, ``channelcost compare ARTICLE... --out DIR``.

Errors follow the contract: one ``error:`` line on stderr per bad file, naming it and what is
wrong, exit status 2, no traceback, and nothing written (an existing output file is left as it
was). With ``--skip-bad`` bad files are reported as ``skipped:`` lines and the rest is written.
"""

from __future__ import annotations

import argparse
import sys

from . import __version__, paths

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, as for bad input
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _whole_number(unit: str = ""):
    """An argument type: a whole number of at least 1 (``unit`` names it in the messages)."""
    of, at_least = (f" of {unit}", f"1 {unit.rstrip('s')}") if unit else ("", "1")

    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"invalid number{of}: {value!r}") from None
        if n < 1:
            raise argparse.ArgumentTypeError(f"must be at least {at_least}, not {n}")
        return n

    return parse


_jobs = _whole_number()  # --jobs
_seconds = _whole_number("seconds")  # --timeout


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="channelcost", description="Channel-cost claims from Chinese articles.")
    p.add_argument("--version", action="version", version=f"channelcost {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    ex = sub.add_parser("extract", help="extract channel-cost claims to CSV (contract columns)")
    ex.add_argument("articles", nargs="+", metavar="ARTICLE",
                    help="UTF-8 text files, or folders (their *.txt files, recursively)")
    ex.add_argument("-o", "--output", required=True, metavar="OUT.csv", help="output CSV, or - for stdout")
    ex.add_argument("--skip-bad", action="store_true", help="skip unreadable articles (listed on stderr at the end)")
    ex.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                    help="worker processes (default: all cores); the output does not depend on N")
    bd = sub.add_parser("build", help="build every table, datapackage.json and the figures of articles")
    bd.add_argument("articles", nargs="*", metavar="ARTICLE",
                    help="UTF-8 text files or folders (none: the project's own article into data/processed/)")
    bd.add_argument("--out", metavar="DIR", help="output folder (default: reports/<article_id>/ for each article)")
    bd.add_argument("--jobs", type=_jobs, default=None, metavar="N", help="worker processes (default: all cores)")
    cp = sub.add_parser("compare", help="compare many articles: consensus per company and channel, contradictions, near-duplicates")
    cp.add_argument("articles", nargs="+", metavar="ARTICLE", help="UTF-8 text files or folders (their *.txt files, recursively)")
    cp.add_argument("--out", required=True, metavar="DIR", help="output folder: new, empty, or an earlier comparison")
    cp.add_argument("--jobs", type=_jobs, default=None, metavar="N", help="worker processes (default: all cores)")
    cp.add_argument("--notebook", action="store_true", help="also run notebooks/05-compare-articles.ipynb on it, into DIR")
    rp = sub.add_parser("report", help="build articles, then run every analysis notebook on each")
    rp.add_argument("articles", nargs="+", metavar="ARTICLE", help="UTF-8 text files or folders")
    rp.add_argument("--out", metavar="DIR", help="output folder (default: reports/<article_id>/ for each article)")
    rp.add_argument("--jobs", type=_jobs, default=None, metavar="N", help="notebooks run at once (default: all cores)")
    rp.add_argument("--timeout", type=_seconds, default=None, metavar="S",
                    help="seconds a notebook cell may run before the report fails (default: 900)")
    return p


def _build(args) -> int:
    from .build import run_build

    for t in run_build(args.articles, args.out, args.jobs):
        print(f"{paths.shown(t.folder)}: {t.article_id}, {len(t.sentences)} sentences, {len(t.claims)} claims, "
              f"{len(t.recommendations)} pieces of advice, {len(t.fact_checks)} fact checks")
    return 0


def _without_iri_grammar() -> None:
    """Keep jsonschema (imported by nbformat) from importing ``rfc3987_syntax``, an optional IRI
    checker that builds an Earley parser at import (1.5 s here, a fifth of a report). Notebook
    validation checks no IRI, and this process validates nothing else; other processes keep it."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # None in sys.modules: an ImportError, which jsonschema expects


def _report(args) -> int:
    _without_iri_grammar()
    from .rerun import CELL_TIMEOUT, run_report

    timeout = args.timeout or CELL_TIMEOUT
    try:  # every article is read and built before any notebook runs
        folders = run_report(args.articles, args.out, jobs=args.jobs, timeout=timeout,
                             progress=lambda msg: print(msg, file=sys.stderr))
    except Exception as exc:  # nbclient is imported by then (the kernels need it), not before the build
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

        if isinstance(exc, CellTimeoutError):
            print(f"error: a notebook cell ran longer than {timeout} s (--timeout); nothing written", file=sys.stderr)
        elif isinstance(exc, DeadKernelError):
            print("error: a notebook's kernel died (out of memory?); nothing written", file=sys.stderr)
        elif isinstance(exc, CellExecutionError):
            print(f"error: a notebook failed ({exc.ename}: {exc.evalue}); nothing written; please report it",
                  file=sys.stderr)
        else:
            raise
        return 1
    for folder in folders:
        print(paths.shown(folder))
    return 0


def _compare(args) -> int:
    from .compare import CompareError, run_compare

    try:
        tables = run_compare(args.articles, args.out, args.jobs)
    except CompareError as exc:
        for line in exc.problems:
            print(f"error: {line}", file=sys.stderr)
        return 2
    dup = tables["duplicates"]
    print(f"{paths.shown(args.out)}: {dup['article_id'].nunique()} articles in {dup['cluster_id'].nunique()} clusters, "
          f"{len(tables['claims'])} claims, {len(tables['consensus'])} company-channel pairs, "
          f"{tables['contradictions'][['company', 'channel']].drop_duplicates().shape[0]} contradicted")
    if args.notebook:
        _without_iri_grammar()
        from .rerun import run_corpus_notebook

        print(paths.shown(run_corpus_notebook(args.out)))
    return 0


def _extract(args) -> int:
    from .corpus import run_extract

    return run_extract(args.articles, args.output, jobs=args.jobs, skip_bad=args.skip_bad)


def _stop(signum, frame):  # pragma: no cover - exercised through subprocess tests
    """A build or report stopped (Ctrl-C, kill, a closed terminal): kill its kernels, remove what it
    wrote, say so and exit now. Unwinding instead (KeyboardInterrupt) could stop another thread's
    work halfway with a lock held and hang the exit."""
    import os

    from .build import abandon
    from .io import stop_writes

    try:
        stop_writes()  # no file of this run appears after the clean-up below
        # the kernels' module is imported while the build runs; stopped before it is (or while it
        # is being imported), no kernel has started, and importing it here could find it half-made
        kernels = sys.modules.get(f"{__package__}.notebooks")
        if hasattr(kernels, "kill_all"):
            kernels.kill_all()
        abandon()
    finally:
        os.write(2, b"error: interrupted; nothing written\n")
        os._exit(130)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from .build import BuildError

    paths.quiet_config_folders()  # an unwritable home: no fallback warnings from matplotlib or IPython

    if args.command in ("build", "report", "compare"):  # stopped: what was written is removed, see _stop
        import signal

        for name in ("SIGINT", "SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), _stop)
    try:
        if args.command == "extract":
            return _extract(args)
        if args.command == "build":
            return _build(args)
        if args.command == "report":
            return _report(args)
        if args.command == "compare":
            return _compare(args)
    except BuildError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; nothing written", file=sys.stderr)
        return 130
    except OSError as exc:  # what the system refused on the way (permissions, a full disk): one line, no traceback
        where = paths.shown(exc.filename) if exc.filename else args.command
        print(f"error: {where}: {exc.strerror or exc}; stopped", file=sys.stderr)
        return 2
    return 2
