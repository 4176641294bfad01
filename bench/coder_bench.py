"""Coder throughput: sentences per second end to end, beside plain tokenisation of the same text.

Input: the English caucasus-2020 summaries as one article per summary (realistic news sentences),
repeated to ~5,000 sentences. Baseline: splitting the same texts into sentences and words with the
coder's own regular expressions, in the same run. Target (issue 4): >= 300 sentences/s on 2 cores.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
from pathlib import Path

from geodrift.coding.articles import Article
from geodrift.coding.coder import DictionaryCoder, sentences


def run(target_sentences: int = 5000) -> None:
    shared = Path(os.environ.get("GEODRIFT_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    texts = [(r["summary"], r["published"]) for r in rows if r["language"] == "en" and r["published"]
             and len(r["published"]) == 10]
    articles = [Article(id=str(i), text=t, published=dt.date.fromisoformat(p), language="en")
                for i, (t, p) in enumerate((texts * (target_sentences // len(texts) + 1))[:target_sentences])]
    coder = DictionaryCoder()
    coder.code(articles[0])  # load dictionaries and gazetteer outside the timing
    start = time.perf_counter()
    words = sum(len(re.findall(r"\w+", s)) for a in articles for _, _, s in sentences(a.text))
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    events = sum(len(coder.code(a)) for a in articles)
    coding = time.perf_counter() - start
    n = sum(1 for a in articles for _ in sentences(a.text))
    print(f"coder benchmark: {n:,} sentences ({words:,} words), {events:,} events")
    print(f"  tokenisation baseline {n / baseline:12,.0f} sentences/s")
    print(f"  dictionary coder      {n / coding:12,.0f} sentences/s  ({coding / baseline:.0f}x the baseline's time; "
          "target >= 300 sentences/s)")


if __name__ == "__main__":
    run()
