"""Realistic news for the service tests, written at test time from the reference data (never copied into the
repository): RSS and Atom feeds whose items are the caucasus-2020-events summaries with their real URLs and
outlets, an article page from the seed text, a Russian item, a broken feed, and GDELT 2.0 exports of real rows."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from tests.gdelt_files import gdelt2_line, georgia_rows, write_zip

RUSSIAN = ("Минобороны Армении сообщило, что азербайджанские военные обстреляли позиции армянских сил в Тавушской "
           "области. Стороны обвинили друг друга в нарушении режима прекращения огня.")


def caucasus_items(shared: Path, first: str = "2020-07-12", last: str = "2020-07-24") -> list[dict[str, str]]:
    """One news item per hand-coded event summary published in [first, last], oldest first."""
    items, seen = [], set()
    for line in (shared / "caucasus-2020-events" / "events.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if not (first <= (record["published"] or "") <= last) or record["summary"] in seen or record["language"] != "en":
            continue
        seen.add(record["summary"])
        items.append({"title": record["summary"].split(",")[0][:90], "summary": record["summary"],
                      "link": f"{record['url']}#{record['event_id']}", "outlet": record["outlet"],
                      "published": record["published"]})
    return sorted(items, key=lambda i: i["published"])


def _date(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=dt.UTC)


def rss(title: str, link: str, items: list[dict[str, str]]) -> str:
    entries = "".join(
        f"<item><title>{escape(i['title'])}</title><link>{escape(i['link'])}</link>"
        f"<guid>{escape(i['link'])}</guid><pubDate>{format_datetime(_date(i['published']))}</pubDate>"
        f"<description>{escape(i['summary'])}</description></item>" for i in items)
    return (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>{escape(title)}</title>"
            f"<link>{escape(link)}</link><description>News</description>{entries}</channel></rss>")


def atom(title: str, link: str, items: list[dict[str, str]]) -> str:
    entries = "".join(
        f"<entry><title>{escape(i['title'])}</title><link href={quoteattr(i['link'])}/>"
        f"<id>{escape(i['link'])}</id><updated>{_date(i['published']).isoformat()}</updated>"
        f"<summary>{escape(i['summary'])}</summary></entry>" for i in items)
    return (f"<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">"
            f"<title>{escape(title)}</title><link href={quoteattr(link)}/><id>{escape(link)}</id>"
            f"<updated>2020-07-24T00:00:00Z</updated>{entries}</feed>")


def article_page(shared: Path, url: str) -> str:
    """The seed article as a news site would serve it: navigation, the article, a footer."""
    text = (shared.parent / "seed" / "azerbaijan-slow-drift-toward-turkey.txt").read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    paragraphs = "".join(f"<p>{escape(p.strip())}</p>" for p in body.split("\n") if p.strip() and p.strip() != "Subscribe")
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
            f"<link rel=\"canonical\" href={quoteattr(url)}><meta property=\"article:published_time\" "
            f"content=\"2020-07-24T08:00:00Z\"></head><body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>"
            f"<article><h1>{escape(title)}</h1>{paragraphs}</article><footer>© Geopolitical Futures</footer></body></html>")


BROKEN = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Broken</title><item><title>Unclosed &"


def gdelt_export(shared: Path, root: Path, stamp: str, rows: int = 150, offset: int = 0) -> str:
    """A GDELT 2.0 export of real Georgia rows re-dated to ``stamp``; returns its master-list line."""
    chosen = georgia_rows(shared, limit=offset + rows)[offset:offset + rows]
    day = stamp[:8]
    lines = []
    for row in chosen:
        row = dict(row, SQLDATE=day, MonthYear=day[:6], Year=day[:4], DATEADDED=stamp,
                   FractionDate=f"{int(day[:4]) + (int(day[4:6]) - 1) / 12:.4f}")
        row["GLOBALEVENTID"] = str(900_000_000 + offset + len(lines))
        lines.append(gdelt2_line(row))
    (root / "gdeltv2").mkdir(parents=True, exist_ok=True)
    path = write_zip(root / "gdeltv2" / f"{stamp}.export.CSV.zip", lines)
    data = path.read_bytes()
    return f"{len(data)} {hashlib.md5(data).hexdigest()} http://data.gdeltproject.org/gdeltv2/{path.name}"


def publish_gdelt(root: Path, lines: list[str]) -> None:
    """The master list (with mentions and GKG lines, as GDELT's has) and lastupdate.txt (the newest three)."""
    full = []
    for line in lines:
        size, md5, url = line.split()
        full += [line, f"{size} {md5} {url.replace('export', 'mentions')}",
                 f"{size} {md5} {url.replace('.export.CSV', '.gkg.csv')}"]
    (root / "gdeltv2").mkdir(parents=True, exist_ok=True)
    (root / "gdeltv2" / "masterfilelist.txt").write_text("\n".join(full) + "\n")
    (root / "gdeltv2" / "lastupdate.txt").write_text("\n".join(full[-3:]) + "\n")
