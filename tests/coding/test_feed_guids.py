"""A feed entry's guid travels on its article from the reader's one parse (the feeds stage keys items by it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geodrift.coding.articles import Article, read_articles


@pytest.fixture(scope="module")
def summaries(shared: Path) -> list[str]:
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    return [r["summary"] for r in rows if r["language"] == "en" and r["summary"]][:3]


def test_rss_guid_atom_id_and_none(summaries: list[str], tmp_path: Path) -> None:
    rss = tmp_path / "feed.xml"
    rss.write_text("<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title><link>https://wire.example/</link>"
                   f"<item><title>One</title><link>https://wire.example/1/slug</link>"
                   f"<guid isPermaLink=\"false\">wire-1</guid><description>{summaries[0]}</description></item>"
                   f"<item><title>Two</title><link>https://wire.example/2/slug</link>"
                   f"<description>{summaries[1]}</description></item></channel></rss>")
    atom = tmp_path / "feed.atom"
    atom.write_text("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Wire</title>"
                    "<link href='https://wire.example/'/><id>urn:wire</id><updated>2020-07-13T08:00:00Z</updated>"
                    "<entry><title>Three</title><link href='https://wire.example/3'/>"
                    "<id>tag:wire.example,2020:3</id><updated>2020-07-13T08:00:00Z</updated>"
                    f"<summary>{summaries[2]}</summary></entry></feed>")
    read = [a for a in read_articles([rss, atom]) if isinstance(a, Article)]
    assert [(a.title, a.guid) for a in read] == [("One", "wire-1"), ("Two", None), ("Three", "tag:wire.example,2020:3")]
