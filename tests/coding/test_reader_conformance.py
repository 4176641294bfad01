"""Every registered article reader, on a realistic file of its kind (real sentences from the caucasus-2020
summaries): is chosen for it by suffix and by content, and reads English articles with their metadata."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from geodrift.coding.articles import Article, read_articles, reader_for, readers


def summaries(shared: Path) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    return [r for r in rows if r["language"] == "en" and r["published"] and len(r["published"]) == 10][:6]


def sample(name: str, shared: Path, tmp: Path) -> Path:
    """A file of the reader's kind, with the suffix the reader claims."""
    rows = summaries(shared)
    paragraphs = "".join(f"<p>{r['summary']}</p>" for r in rows)
    items = "".join(f"<item><title>Report {i}</title><link>{r['url']}</link>"
                    f"<pubDate>Mon, 13 Jul 2020 08:00:00 GMT</pubDate>"
                    f"<description><![CDATA[<p>{r['summary']}</p>]]></description></item>" for i, r in enumerate(rows))
    content = {
        "text": lambda: "Border clashes in Tovuz\n\n" + "\n\n".join(r["summary"] for r in rows),
        "html": lambda: ("<!DOCTYPE html><html><head><title>Border clashes in Tovuz</title></head><body>"
                         f"<nav>Home | World | About</nav><article><h1>Border clashes in Tovuz</h1>{paragraphs}"
                         "</article><footer>© News agency</footer></body></html>"),
        "feed": lambda: ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>News</title>"
                         f"<link>https://en.trend.az/</link>{items}</channel></rss>"),
        "jsonl": lambda: "\n".join(json.dumps({"id": r["event_id"], "url": r["url"], "outlet": r["outlet"],
                                               "published": r["published"], "text": r["summary"]}) for r in rows),
    }[name]()
    path = tmp / f"sample{readers()[name].suffixes[0]}"
    path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(readers()))
def test_reader_reads_a_realistic_file(name: str, shared: Path, tmp_path: Path) -> None:
    path = sample(name, shared, tmp_path)
    cls = readers()[name]
    assert type(reader_for(path, path.read_bytes()[:4096])) is cls, "chosen by its suffix"
    neutral = path.rename(tmp_path / "sample.dat")
    if cls.sniff(neutral, neutral.read_bytes()[:4096]):
        assert type(reader_for(neutral, neutral.read_bytes()[:4096])) is cls, "chosen by its content"
    items = list(read_articles([neutral], published=dt.date(2020, 7, 14)))
    articles = [a for a in items if isinstance(a, Article)]
    assert articles and len(articles) == len(items), items
    rows = summaries(shared)
    for article in articles:
        assert article.language == "en" and article.origin.startswith(str(neutral))
        assert article.published is not None and dt.date(2020, 7, 1) <= article.published <= dt.date(2020, 12, 31)
        assert "<" not in article.text and len(article.id) == 16
    assert any(rows[1]["summary"][:40] in a.text for a in articles)


def test_every_suffix_has_one_reader() -> None:
    claimed = [s for cls in readers().values() for s in cls.suffixes]
    assert len(claimed) == len(set(claimed)) and all(s.startswith(".") and s == s.lower() for s in claimed)
