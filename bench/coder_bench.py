"""Coder throughput: sentences per second end to end, beside plain tokenisation of the same text; and the wall
time of ``geodrift code`` on one short article.

Throughput input: the English caucasus-2020 summaries as one article per summary (realistic news sentences),
repeated to ~5,000 sentences, coded as ``geodrift code`` codes files: ``Coder.code_many`` over 256 articles at a
time. Baseline: splitting the same texts into sentences and words with the coder's own regular expressions, in
the same run. Target (issue 4): >= 300 sentences/s on 2 cores.

Start-up (issue 18e): ``geodrift code`` (and ``--coder hybrid``, ``context`` and ``hybrid-context``, warm) on one paragraph of
the seed article, each run a new process: with the coder's cache off (GEODRIFT_CODER_CACHE=off, every process builds
its dictionaries and gazetteer, as before the cache), cold (an empty cache folder: the run builds and writes it) and
warm (the cache written). Each is the median of a few runs; every dictionary run must print the same events. Wall
time on a shared machine mostly measures the others' load, so CPU seconds are printed beside it (≈ the wall time of
an idle machine).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from geodrift.coding.articles import Article
from geodrift.coding.base import ARTICLES_AT_ONCE, Coder, chunks, sentences
from geodrift.coding.coder import DictionaryCoder

OTHER_CODERS = ("hybrid", "context", "hybrid-context")
"""The coders timed beside the dictionary (``geodrift code --coder``)."""


def run(target_sentences: int = 5000, coders: dict[str, Coder] | None = None) -> None:
    """Sentences per second of each coder (the dictionary's alone by default) against tokenisation."""
    shared = Path(os.environ.get("GEODRIFT_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    texts = [(r["summary"], r["published"]) for r in rows if r["language"] == "en" and r["published"]
             and len(r["published"]) == 10]
    articles = [Article(id=str(i), text=t, published=dt.date.fromisoformat(p), language="en")
                for i, (t, p) in enumerate((texts * (target_sentences // len(texts) + 1))[:target_sentences])]
    start = time.perf_counter()
    words = sum(len(re.findall(r"\w+", s)) for a in articles for _, _, s in sentences(a.text))
    baseline = time.perf_counter() - start
    n = sum(1 for a in articles for _ in sentences(a.text))
    print(f"coder benchmark: {n:,} sentences ({words:,} words); target >= 300 sentences/s")
    print(f"  tokenisation baseline {n / baseline:12,.0f} sentences/s")
    for name, coder in (coders or {"dictionary": DictionaryCoder()}).items():
        # Load dictionaries, gazetteer and models outside the timing: a whole batch, as the first article alone needs
        # no parse, so the context coders loaded spaCy inside it (~2 CPU-s of their ~18).
        coder.code_many(articles[:ARTICLES_AT_ONCE])
        start, cpu = time.perf_counter(), time.process_time()
        events = sum(len(rows) for chunk in chunks(articles) for rows in coder.code_many(chunk))
        coding, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"  {name + ' coder':<22}{n / coding:12,.0f} sentences/s  ({coding / baseline:.0f}x the baseline's time; "
              f"{n / cpu:,.0f} per CPU second, what one idle core gives; {events:,} events)")


def _timed(article: Path, cache: str, coder: str = "dictionary") -> tuple[float, str, float]:
    """Wall seconds, standard output and CPU seconds (user + system) of one ``geodrift code --coder CODER`` process
    with GEODRIFT_CODER_CACHE=``cache``."""
    src = Path(__file__).resolve().parents[1] / "src"
    # Bytecode written and read as an installed package's is: with PYTHONDONTWRITEBYTECODE set (as on the shared
    # machine) a source checkout compiled geodrift's ~75 modules in every process, ~0.1 CPU-s no user pays.
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "GEODRIFT_CODER_CACHE": cache,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(src), os.environ.get("PYTHONPATH")]))}
    start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-m", "geodrift", "code", str(article), "--published", "2020-07-25", "--coder", coder],
                          env=env, capture_output=True, text=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return time.perf_counter() - start, done.stdout, cpu


def startup(runs: int = 3) -> None:
    """Cold and warm wall time of ``geodrift code`` on one short article against building in every process."""
    seed = Path(__file__).resolve().parents[2] / "shared" / "seed" / "azerbaijan-slow-drift-toward-turkey.txt"
    paragraph = max(seed.read_text(encoding="utf-8").split("\n\n"), key=len)
    with tempfile.TemporaryDirectory() as work:
        article = Path(work) / "article.txt"
        article.write_text(paragraph, encoding="utf-8")
        outputs: set[str] = set()
        seconds: dict[str, list[float]] = {"cache off (old path)": [], "cold cache": [], "warm cache": [],
                                           **{f"warm cache, {coder}": [] for coder in OTHER_CODERS}}
        cpu: dict[str, list[float]] = {label: [] for label in seconds}
        for i in range(runs):
            folder = str(Path(work) / f"cache-{i}")
            for label, cache in (("cache off (old path)", "off"), ("cold cache", folder), ("warm cache", folder)):
                elapsed, output, used = _timed(article, cache)
                seconds[label].append(elapsed)
                cpu[label].append(used)
                outputs.add(output)
            for coder in OTHER_CODERS:
                elapsed, _, used = _timed(article, folder, coder)
                seconds[f"warm cache, {coder}"].append(elapsed)
                cpu[f"warm cache, {coder}"].append(used)
    if len(outputs) != 1:
        raise SystemExit("geodrift code printed different events with and without the cache")
    median = {label: statistics.median(values) for label, values in seconds.items()}
    events = next(iter(outputs)).count("\n")
    print(f"geodrift code start-up: one article of {len(paragraph.split())} words, {events} events, "
          f"median of {runs} processes each")
    for label, value in median.items():
        print(f"  {label:<22}{value:8.2f} s wall, {statistics.median(cpu[label]):6.2f} s CPU (about what an idle "
              "machine takes)")
    old = median["cache off (old path)"]
    print(f"  cold / old = {median['cold cache'] / old:.2f}, old / warm = {old / median['warm cache']:.1f}x faster; "
          + ", ".join(f"{coder} / dictionary (warm) = {median[f'warm cache, {coder}'] / median['warm cache']:.2f}"
                      for coder in OTHER_CODERS) + "; target < 2 s")


if __name__ == "__main__":
    from geodrift.coding.context import ContextCoder
    from geodrift.coding.hybrid import HybridCoder

    dictionary = DictionaryCoder()
    context = ContextCoder(dictionary, parses_kept=0)  # the text repeats: real news does not
    run(coders={"dictionary": dictionary, "hybrid": HybridCoder(dictionary), "context": context,
                "hybrid-context": HybridCoder(context)})
    startup()
