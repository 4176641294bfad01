"""A small live world on 127.0.0.1 for the update tests: a GDELT server whose file lists grow between runs, news
feeds gaining items (some duplicated across feeds, some Russian, some broken), an article page, a webhook
receiver, and a geodrift.toml pointing at all of it. The store starts with the hand-coded events dated before July
2020 (the history a flare-up is measured against)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from geodrift.ingest import ingest_files
from geodrift.ingest_text import code_files
from geodrift.store import Store
from tests.service.news import BROKEN, RUSSIAN, article_page, atom, caucasus_items, gdelt_export, publish_gdelt, rss
from tests.service.site import Site

SECRET = "s3cret-webhook-key"


@dataclass
class World:
    shared: Path
    site: Site
    folder: Path
    gdelt_lines: list[str] = field(default_factory=list)

    @property
    def config(self) -> Path:
        return self.folder / "geodrift.toml"

    def db(self, name: str = "live") -> Path:
        return self.folder / f"{name}.duckdb"

    def seed(self, name: str = "live", *, coded: bool = False) -> Path:
        """A store holding the hand-coded events dated before July 2020; with ``coded``, also those events' summaries
        as the service's coder read them then (each published on its event's day; a month-dated one on the 28th).

        A flare-up is tested only on sources that have covered the pair before (analytics/flareups.py): the news the
        service codes is the coder's, so a world that must raise a flare-up alert from the news gives the coder a
        history of its own."""
        records = [json.loads(line) for line in (self.shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
        earlier = [r for r in records if "2000" <= (r["event_date"] or "") < "2020-07-01"]
        history = self.folder / "history.jsonl"
        if not history.exists():
            history.write_text("\n".join(json.dumps(r) for r in earlier) + "\n")
        pages = self.folder / "coded-history.jsonl"
        if coded and not pages.exists():
            texts = {r["summary"]: {"id": r["event_id"], "url": f"{r['url']}#{r['event_id']}", "outlet": r["outlet"],
                                    "published": r["event_date"] if len(r["event_date"]) == 10 else f"{r['event_date']}-28",
                                    "language": "en", "title": r["summary"][:60], "text": r["summary"]} for r in earlier}
            pages.write_text("\n".join(json.dumps(t) for t in texts.values()) + "\n")
        with Store(self.db(name)) as store:
            ingest_files(store, [history])
            if coded:
                code_files([pages], store=store)
        return self.db(name)

    def add_gdelt(self, *stamps: str) -> None:
        for stamp in stamps:
            self.gdelt_lines.append(gdelt_export(self.shared, self.site.root, stamp, rows=120,
                                                 offset=120 * len(self.gdelt_lines)))
        publish_gdelt(self.site.root, self.gdelt_lines)

    def news(self, upto: str) -> None:
        """Feeds as they stood on day ``upto``: the wire has every item published by then (and a Russian one),
        the Atom feed repeats its first items, a page carries the seed article from 24 July."""
        items = [i for i in caucasus_items(self.shared) if i["published"] <= upto]
        russian = {"title": "Обстрел в Тавуше", "summary": RUSSIAN, "link": "https://ru.armeniasputnik.am/a/1",
                   "outlet": "sputnik", "published": "2020-07-13"}
        self.site.put("/wire/rss.xml", rss("Caucasus wire", "https://news.example.am", [*items, russian]))
        self.site.put("/azatutyun/atom.xml", atom("Azatutyun", "https://www.azatutyun.am", items[:5]),
                      "application/atom+xml")
        if upto >= "2020-07-24":
            self.site.put("/gpf/drift.html", article_page(self.shared, "https://geopoliticalfutures.com/drift"),
                          "text/html; charset=utf-8")

    def write_config(self, **extra: str) -> Path:
        url = self.site.url
        self.config.write_text(f"""
[gdelt]
base_url = "{url}"
v2_lookback = "1h"

[fetch]
timeout = 1
deadline = 10
retries = 1
backoff = 0.01
host_delay = 0.01
max_bytes = 2_000_000

[[feeds]]
url = "{url}/wire/rss.xml"
country = "ARM"

[[feeds]]
url = "{url}/azatutyun/atom.xml"
outlet = "azatutyun.am"
country = "ARM"

[[feeds]]
url = "{url}/broken/rss.xml"

[[feeds]]
url = "{url}/html/feed"

[[feeds]]
url = "{url}/gpf/drift.html"
kind = "page"
outlet = "geopoliticalfutures.com"

[briefing]
regions = ["caucasus"]
days = 14
formats = ["html", "json"]

[forecasts]
escalation = ["ARM-AZE"]
days = [7]
threshold = 0.5

[alerts]
countries = ["AZE"]
pairs = ["ARM-AZE"]
recent_days = 30
{extra.get("alerts", "")}

[[alerts.subscribers]]
name = "desk"
webhook = "{url}/hook"
secret = "{SECRET}"
pairs = ["AZE-ARM"]
countries = ["AZE"]
""")
        self.site.put("/broken/rss.xml", BROKEN)
        self.site.put("/html/feed", "<!DOCTYPE html><html><body><p>Our feed moved.</p></body></html>", "text/html")
        self.site.put("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
        return self.config
