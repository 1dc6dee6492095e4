"""Benchmarks: extraction against bare ``jieba.lcut`` on the same text, in the same run.

``python -m channelcost.bench --mb 10`` (one core, in process) builds a corpus of at least that many
megabytes by copying the test articles (tests/data/articles) into a temporary folder, then times

* bare jieba: read each file and ``jieba.lcut`` its text with the project's tokenizer;
* extraction: read (with the contract's checks), segment, tokenize, extract and write the CSV,
  one article at a time (streamed: memory does not grow with the corpus).

``python -m channelcost.bench --articles 1000 10000 --jobs 2`` (the command line, as users run it)
builds corpora of that many articles and times, each as its own process: bare single-process
``jieba.lcut`` over every file, and ``channelcost extract FOLDER -o OUT --jobs 2``; it reports
throughput, the ratio, and the peak resident memory of the extraction (largest of its processes).

``python -m channelcost.bench --article-mb 10 50`` makes ONE article of each size (the seed's text
again and again, as one very long page: the same text per MB, so only the length differs) and times
``channelcost extract ARTICLE -o OUT`` on it as its own process: seconds per MB against the seed's
(in process, repeated; equal if the cost grows linearly), and peak memory.
``--report-mb 1`` times ``channelcost report`` on one article of that size.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from . import paths
from .claims import claims_csv_bytes, extract_claims
from .reading import read_article
from .tokens import get_tokenizer


def build_corpus(folder: Path, megabytes: float) -> list[Path]:
    sources = sorted(paths.TEST_ARTICLES.glob("*.txt"))
    files, size, i = [], 0, 0
    while size < megabytes * 1_000_000:
        src = sources[i % len(sources)]
        dst = folder / f"{src.stem}-{i:06d}.txt"
        shutil.copyfile(src, dst)
        files.append(dst)
        size += dst.stat().st_size
        i += 1
    return files


def run(megabytes: float) -> dict[str, float]:
    tk = get_tokenizer()
    with tempfile.TemporaryDirectory() as tmp:
        files = build_corpus(Path(tmp), megabytes)
        size = sum(f.stat().st_size for f in files)
        t0 = time.perf_counter()
        n_tokens = 0
        for f in files:
            n_tokens += len(tk.lcut(f.read_text(encoding="utf-8")))
        t_jieba = time.perf_counter() - t0
        t0 = time.perf_counter()
        n_claims = 0
        with open(Path(tmp) / "claims.csv", "wb") as out:
            for k, f in enumerate(files):
                claims = extract_claims(read_article(f))
                out.write(claims_csv_bytes(claims, header=(k == 0)))
                n_claims += len(claims)
        t_extract = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"articles": len(files), "megabytes": size / 1e6, "tokens": n_tokens, "claims": n_claims,
            "jieba_s": t_jieba, "extract_s": t_extract, "ratio": t_extract / t_jieba, "peak_rss_mb": peak_mb}


def build_articles(folder: Path, n: int) -> list[Path]:
    sources = sorted(paths.TEST_ARTICLES.glob("*.txt"))
    files = []
    for i in range(n):
        dst = folder / f"a{i:06d}.txt"
        shutil.copyfile(sources[i % len(sources)], dst)
        files.append(dst)
    return files


_BARE_JIEBA = (
    "import sys, pathlib\n"
    "from channelcost.tokens import get_tokenizer\n"
    "tk = get_tokenizer()\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.txt')):\n"
    "    tk.lcut(p.read_text(encoding='utf-8'))\n"
)


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Wall time of a command and the peak RSS (MB) of it and its children."""
    import os
    import subprocess
    import sys

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{cmd[:4]} failed: {err}")
    del sys
    return elapsed, usage.ru_maxrss / 1024


def run_scale(n_articles: int, jobs: int, repeats: int = 3) -> dict[str, float]:
    """Median of ``repeats`` alternating runs of each command (the machine may be shared)."""
    import statistics
    import sys

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        files = build_articles(folder, n_articles)
        size = sum(f.stat().st_size for f in files)
        jieba_times, extract_times, rss = [], [], 0.0
        for _ in range(repeats):
            jieba_times.append(_timed([sys.executable, "-c", _BARE_JIEBA, str(folder)])[0])
            t, r = _timed([sys.executable, "-m", "channelcost", "extract", str(folder), "-o",
                           str(Path(tmp) / "claims.csv"), "--jobs", str(jobs)])
            extract_times.append(t)
            rss = max(rss, r)
    t_jieba, t_extract = statistics.median(jieba_times), statistics.median(extract_times)
    return {"articles": n_articles, "megabytes": size / 1e6, "jieba_s": t_jieba, "extract_s": t_extract,
            "ratio": t_extract / t_jieba, "peak_rss_mb": rss}


def build_long_article(path: Path, megabytes: float) -> Path:
    """One article of at least ``megabytes`` MB: the seed's text, again and again."""
    seed = paths.SEED_ARTICLE.read_text(encoding="utf-8").rstrip("\n") + "\n"
    copies = max(1, -(-int(megabytes * 1_000_000) // len(seed.encode("utf-8"))))
    path.write_text(seed * copies, encoding="utf-8")
    return path


def seed_seconds_per_mb(min_seconds: float = 2.0) -> float:
    """Extraction time of the seed per MB, in process (the tokenizer loaded), repeated for a stable figure."""
    get_tokenizer()
    size = paths.SEED_ARTICLE.stat().st_size / 1e6
    runs, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < min_seconds:
        claims_csv_bytes(extract_claims(read_article(paths.SEED_ARTICLE)))
        runs += 1
    return (time.perf_counter() - t0) / runs / size


def run_long(megabytes: float) -> dict[str, float]:
    import sys

    with tempfile.TemporaryDirectory() as tmp:
        article = build_long_article(Path(tmp) / f"long-{megabytes:g}mb.txt", megabytes)
        size = article.stat().st_size / 1e6
        t, rss = _timed([sys.executable, "-m", "channelcost", "extract", str(article), "-o",
                         str(Path(tmp) / "claims.csv"), "--jobs", "1"])
    return {"megabytes": size, "extract_s": t, "s_per_mb": t / size, "peak_rss_mb": rss}


def run_report_long(megabytes: float) -> dict[str, float]:
    import sys

    with tempfile.TemporaryDirectory() as tmp:
        article = build_long_article(Path(tmp) / f"long-{megabytes:g}mb.txt", megabytes)
        size = article.stat().st_size / 1e6
        t, rss = _timed([sys.executable, "-m", "channelcost", "report", str(article), "--out", str(Path(tmp) / "report")])
    return {"megabytes": size, "report_s": t, "peak_rss_mb": rss}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m channelcost.bench")
    ap.add_argument("--mb", type=float, default=None, help="one-core benchmark on a corpus of this many MB")
    ap.add_argument("--articles", type=int, nargs="+", help="command-line benchmark on corpora of these sizes")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes for --articles (default 2)")
    ap.add_argument("--article-mb", type=float, nargs="+", help="one article of each of these sizes (MB)")
    ap.add_argument("--report-mb", type=float, help="time a report on one article of this size (MB)")
    args = ap.parse_args(argv)
    if args.article_mb or args.report_mb:
        if args.article_mb:
            seed = seed_seconds_per_mb()
            print(f"one long article, channelcost extract as its own process; the seed: {seed:.1f} s per MB (in process)")
            print("| article | time | per MB | against the seed (target at most 1.5) | peak memory (target under 500 MB) |")
            print("| --- | --- | --- | --- | --- |")
            for mb in args.article_mb:
                r = run_long(mb)
                print(f"| {r['megabytes']:.1f} MB | {r['extract_s']:.1f} s | {r['s_per_mb']:.1f} s | "
                      f"{r['s_per_mb'] / seed:.2f} | {r['peak_rss_mb']:.0f} MB |")
        if args.report_mb:
            r = run_report_long(args.report_mb)
            print(f"channelcost report on one {args.report_mb:g} MB article: {r['report_s']:.0f} s "
                  f"(target under 60 s), peak memory {r['peak_rss_mb']:.0f} MB")
        if args.mb is None and not args.articles:
            return 0
    if args.articles:
        print(f"channelcost extract --jobs {args.jobs} against bare single-process jieba.lcut "
              "(each a fresh process; median of 3 alternating runs)")
        print("| articles | MB | bare jieba | extraction | throughput | ratio | peak memory |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for n in args.articles:
            r = run_scale(n, args.jobs)
            print(f"| {n:,} | {r['megabytes']:.1f} | {r['jieba_s']:.1f} s | {r['extract_s']:.1f} s | "
                  f"{r['megabytes'] / r['extract_s']:.2f} MB/s | {r['ratio']:.2f} | {r['peak_rss_mb']:.0f} MB |")
        if args.mb is None:
            return 0
    r = run(args.mb or 10.0)
    print(f"corpus: {r['articles']} articles, {r['megabytes']:.1f} MB, {r['tokens']} jieba tokens, {r['claims']} claims")
    print(f"bare jieba.lcut:        {r['jieba_s']:.1f} s ({r['megabytes'] / r['jieba_s']:.2f} MB/s)")
    print(f"extraction end to end:  {r['extract_s']:.1f} s ({r['megabytes'] / r['extract_s']:.2f} MB/s)")
    print(f"ratio extraction/jieba: {r['ratio']:.2f}  (target: at most 0.8)")
    print(f"peak resident memory:   {r['peak_rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
