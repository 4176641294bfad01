"""Reading articles from every input kind, on real sentences (the caucasus-2020 summaries and the seed)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from geodrift.coding.articles import MAX_CHARS, Article, Skipped, read_articles, strip_html
from geodrift.coding.language import detect_language


@pytest.fixture(scope="module")
def summaries(shared: Path) -> list[dict]:  # type: ignore[type-arg]
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    return [r for r in rows if r["language"] == "en" and r["published"] and len(r["published"]) == 10][:30]


def only(items: list[Article | Skipped]) -> Article:
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


def test_seed_text_file(shared: Path) -> None:
    article = only(list(read_articles([shared.parent / "seed"], published=dt.date(2020, 7, 24))))
    assert article.title == "Azerbaijan’s Slow Drift Toward Turkey" and article.language == "en"
    assert "Tovuz" in article.text and article.published == dt.date(2020, 7, 24)


def test_jsonl_articles_keep_their_metadata(summaries: list[dict], tmp_path: Path) -> None:  # type: ignore[type-arg]
    path = tmp_path / "articles.jsonl"
    lines = [json.dumps({"id": r["event_id"], "url": r["url"], "outlet": r["outlet"], "published": r["published"],
                         "language": "en", "title": None, "text": r["summary"]}) for r in summaries]
    path.write_text("\n".join([*lines, "{broken", json.dumps({"id": "x"})]) + "\n")
    items = list(read_articles([path]))
    articles = [i for i in items if isinstance(i, Article)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert len(articles) == len(summaries)
    assert articles[0].url == summaries[0]["url"] and articles[0].published == dt.date.fromisoformat(summaries[0]["published"])
    assert [s.origin.rsplit(" ", 1)[-1] for s in skipped] == [str(len(lines) + 1), str(len(lines) + 2)]
    assert "not JSON" in skipped[0].reason and "'text'" in skipped[1].reason


def test_html_page_main_text_without_scripts(summaries: list[dict], tmp_path: Path) -> None:  # type: ignore[type-arg]
    body = " ".join(f"<p>{r['summary']}</p>" for r in summaries[:5])
    page = (f"<!DOCTYPE html><html><head><title>Border clashes &lt;script&gt;</title>"
            f"<script>alert('x')</script><meta property='og:url' content='{summaries[0]['url']}'></head>"
            f"<body><nav>Home | About</nav><article><h1>Border clashes</h1>{body}"
            f"<p>Analysts said <b onclick=\"steal()\">nothing</b> more.</p><script>document.write('pwned')</script>"
            f"</article></body></html>")
    path = tmp_path / "page.html"
    path.write_text(page)
    article = only(list(read_articles([path], published=dt.date(2020, 7, 20))))
    assert summaries[1]["summary"][:40] in article.text
    assert "alert" not in article.text and "pwned" not in article.text and "<" not in article.text


def test_rss_feed_entries(summaries: list[dict], tmp_path: Path) -> None:  # type: ignore[type-arg]
    items = "".join(
        f"<item><title>Report {i}</title><link>{r['url']}</link><pubDate>Mon, 13 Jul 2020 08:00:00 GMT</pubDate>"
        f"<description><![CDATA[<p>{r['summary']}</p><script>x()</script>]]></description></item>"
        for i, r in enumerate(summaries[:4]))
    path = tmp_path / "feed.xml"
    path.write_text(f"<?xml version='1.0'?><rss version='2.0'><channel><title>News</title>"
                    f"<link>https://en.trend.az/</link>{items}</channel></rss>")
    articles = list(read_articles([path]))
    assert len(articles) == 4 and all(isinstance(a, Article) for a in articles)
    first = articles[0]
    assert isinstance(first, Article) and first.published == dt.date(2020, 7, 13) and first.outlet == "en.trend.az"
    assert first.title == "Report 0" and "x()" not in first.text


def test_bad_inputs_are_skipped_with_reasons(tmp_path: Path, summaries: list[dict]) -> None:  # type: ignore[type-arg]
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "ru.txt").write_text("Вооружённые силы Армении и Азербайджана 12 июля вступили в бой в Товузском "
                                     "районе на границе двух стран, сообщили министерства обороны.")
    latin = summaries[0]["summary"] + " Café owners in Gəncə said so."
    (tmp_path / "latin1.txt").write_bytes(latin.encode("cp1252", errors="replace"))
    (tmp_path / "huge.txt").write_text((summaries[1]["summary"] + " ") * 5000)
    (tmp_path / "utf16.txt").write_bytes(summaries[2]["summary"].encode("utf-16"))  # with its byte-order mark
    (tmp_path / "fake16.txt").write_bytes(b"\xff\xfe" + b"\x00\xd8" + b"A\x00")  # a lone surrogate: not UTF-16
    results = {Path(r.origin).name: r for r in read_articles([tmp_path])}
    assert "empty" in results["empty.txt"].reason  # type: ignore[union-attr]
    assert "binary" in results["blob.bin"].reason  # type: ignore[union-attr]
    assert "'ru'" in results["ru.txt"].reason  # type: ignore[union-attr]
    assert isinstance(results["latin1.txt"], Article) and "Café" in results["latin1.txt"].text
    assert isinstance(results["utf16.txt"], Article) and results["utf16.txt"].text == summaries[2]["summary"]
    assert "UTF-16 byte-order mark" in results["fake16.txt"].reason  # type: ignore[union-attr]
    huge = results["huge.txt"]
    assert isinstance(huge, Article) and huge.truncated and len(huge.text) == MAX_CHARS


def test_strip_html_drops_scripts_and_styles() -> None:
    assert strip_html("<p>a <b>b</b></p><script>c()</script><style>p{}</style> d") == "a b d"


def test_short_headlines_are_not_misread_as_another_language(tmp_path: Path) -> None:
    # py3langid alone reads these as Latvian, Indonesian, Slovak and Walloon; too short to trust, they are English.
    headlines = ("Talks stall", "Baku hits back", "Armenia protests", "Drone strikes")
    for i, headline in enumerate(headlines):
        (tmp_path / f"h{i}.txt").write_text(headline)
    (tmp_path / "ru.txt").write_text("Армения и Азербайджан подписали соглашение.")
    results = {Path(r.origin).name: r for r in read_articles([tmp_path])}
    assert [results[f"h{i}.txt"].language for i in range(len(headlines))] == ["en"] * len(headlines)  # type: ignore[union-attr]
    assert "'ru'" in results["ru.txt"].reason  # type: ignore[union-attr]
    assert detect_language("Baku hits back", default="de") == "de"
    assert detect_language("Le gouvernement français a annoncé hier de nouvelles mesures.") == "fr"


def test_the_language_model_is_read_from_the_coder_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """py3langid's model is unpacked once into the coder's cache folder; read from there it classifies as
    py3langid's own loader does, and a damaged file is rewritten."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from geodrift.coding import language

    texts = ["Armenian forces shelled Tovuz.", "Baku hits back", "Войска обстреляли деревню у границы.",
             "Les ministres ont signé un accord commercial à Moscou.", "Talks stall"]
    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    monkeypatch.setenv("GEODRIFT_CODER_CACHE", str(tmp_path))
    for _ in range(2):  # written, then damaged and written again
        language.identifier.cache_clear()
        assert [language.identifier().classify(t) for t in texts] == [reference.classify(t) for t in texts]
        [cached] = tmp_path.glob("langid-*.npy")
        cached.write_bytes(b"damaged")
    language.identifier.cache_clear()
