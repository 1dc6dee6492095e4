"""Benchmark: end-to-end extraction against bare ``jieba.lcut`` on the same text, same run.

``python -m channelcost.bench [--mb 10]`` builds a corpus of at least that many megabytes by
copying the test articles (tests/data/articles) into a temporary folder, then times

* bare jieba: read each file and ``jieba.lcut`` its text with the project's tokenizer;
* extraction: read (with the contract's checks), segment, tokenize, extract and write the CSV,
  one article at a time (streamed: memory does not grow with the corpus).

It prints the sizes, both times, their ratio and the peak resident memory of the process.
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m channelcost.bench")
    ap.add_argument("--mb", type=float, default=10.0, help="corpus size in megabytes (default 10)")
    r = run(ap.parse_args(argv).mb)
    print(f"corpus: {r['articles']} articles, {r['megabytes']:.1f} MB, {r['tokens']} jieba tokens, {r['claims']} claims")
    print(f"bare jieba.lcut:        {r['jieba_s']:.1f} s ({r['megabytes'] / r['jieba_s']:.2f} MB/s)")
    print(f"extraction end to end:  {r['extract_s']:.1f} s ({r['megabytes'] / r['extract_s']:.2f} MB/s)")
    print(f"ratio extraction/jieba: {r['ratio']:.2f}  (target <= 1.5)")
    print(f"peak resident memory:   {r['peak_rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
