"""The coder on arbitrary text: never an exception, every row fits the canonical schema, and its evidence
offsets point into the article's text. The quick pass runs in `make test`; `make test-long` runs many more."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geodrift.coding.articles import Article, normalize_text
from geodrift.coding.coder import DictionaryCoder
from geodrift.events import EVENT_SCHEMA

CODER = DictionaryCoder()
NEWS_WORDS = ["Armenia", "Azerbaijani", "Russia's", "Turkish-Azerbaijani", "U.N.", "forces", "troops", "its", "and",
              "said", "shelled", "clashed", "were", "killed", "in", "clashes", "with", "urged", "did", "not",
              "interfere", "will", "hold", "joint", "exercises", "on", "July", "12", "Tovuz", "near", "Baku", ",", ".",
              "\n\n", "-", "Armenians", "by", "the", "two", "countries", "must", "hand", "over", "“", "”", "é"]


def _check(text: str) -> None:
    article = Article(id="fuzz", text=normalize_text(text), published=dt.date(2020, 7, 24), language="en")
    rows = CODER.code(article)
    pa.RecordBatch.from_pylist(rows, schema=EVENT_SCHEMA)  # raises if a row does not fit
    for row in rows:
        assert 0 <= row["evidence_start"] <= row["evidence_end"] <= len(article.text)
        assert row["evidence_sentence"] in article.text
        assert row["actor1_code"] and row["event_code"]


news_like = st.lists(st.sampled_from(NEWS_WORDS), max_size=60).map(" ".join)
QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LONG = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(st.one_of(news_like, st.text(max_size=400)))
def test_coder_never_fails(text: str) -> None:
    _check(text)


@pytest.mark.long
@LONG
@given(st.one_of(news_like, st.text(max_size=2000)))
def test_coder_never_fails_long(text: str) -> None:
    _check(text)


def test_hand_coded_summaries_shuffled(shared: Path) -> None:
    """Real sentences cut and joined at random places still code cleanly."""
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    words = " ".join(r["summary"] for r in rows if r["language"] == "en").split()
    for start in range(0, len(words) - 40, 97):
        _check(" ".join(words[start:start + 40]))
