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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m channelcost.bench")
    ap.add_argument("--mb", type=float, default=None, help="one-core benchmark on a corpus of this many MB")
    ap.add_argument("--articles", type=int, nargs="+", help="command-line benchmark on corpora of these sizes")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes for --articles (default 2)")
    args = ap.parse_args(argv)
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
