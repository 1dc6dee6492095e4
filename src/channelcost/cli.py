"""The command line: ``python -m channelcost extract ARTICLE... -o OUT.csv``.

Errors follow the contract: one ``error:`` line on stderr per bad file, naming it and what is
wrong, exit status 2, no traceback, and nothing written (an existing output file is left as it
was). With ``--skip-bad`` bad files are reported as ``skipped:`` lines and the rest is written.
"""

from __future__ import annotations

import argparse
import sys

from . import __version__, paths
from .reading import ArticleError

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, as for bad input
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="channelcost", description="Channel-cost claims from Chinese articles.")
    p.add_argument("--version", action="version", version=f"channelcost {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    ex = sub.add_parser("extract", help="extract channel-cost claims to CSV (contract columns)")
    ex.add_argument("articles", nargs="+", metavar="ARTICLE",
                    help="UTF-8 text files, or folders (their *.txt files, recursively)")
    ex.add_argument("-o", "--output", required=True, metavar="OUT.csv", help="output CSV, or - for stdout")
    ex.add_argument("--skip-bad", action="store_true", help="skip unreadable articles (listed on stderr at the end)")
    ex.add_argument("--jobs", type=int, default=None, metavar="N",
                    help="worker processes (default: all cores); the output does not depend on N")
    rp = sub.add_parser("report", help="run every analysis notebook on one article")
    rp.add_argument("article", metavar="ARTICLE", help="a UTF-8 text file")
    rp.add_argument("--out", metavar="DIR", help="output folder (default: reports/<article_id>/)")
    return p


def _report(args) -> int:
    from nbclient.exceptions import CellExecutionError

    from .rerun import run_report

    try:  # run_report reads the article before any notebook runs
        out = run_report(args.article, args.out, progress=lambda msg: print(msg, file=sys.stderr))
    except ArticleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except CellExecutionError as exc:
        print(f"error: {args.article}: a notebook failed ({exc.ename}: {exc.evalue}); please report it", file=sys.stderr)
        return 1
    print(paths.relative(out) if out.resolve().is_relative_to(paths.ROOT) else out)
    return 0


def _extract(args) -> int:
    from .corpus import run_extract

    return run_extract(args.articles, args.output, jobs=args.jobs, skip_bad=args.skip_bad)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "extract":
            return _extract(args)
        if args.command == "report":
            return _report(args)
    except KeyboardInterrupt:
        print("error: interrupted; nothing written", file=sys.stderr)
        return 130
    return 2
