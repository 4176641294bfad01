"""Rendering: four formats of the same content; hostile text from stored events never becomes markup or script."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest

from geodrift.codebooks import briefing_regions
from geodrift.errors import InputError
from geodrift.report.briefing import build_briefing
from geodrift.report.render import markdown_escape, write_document
from geodrift.store import Store


@pytest.fixture(scope="module")
def written(report_store: Store, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("render")
    document = build_briefing(report_store, dt.date(2020, 7, 24), briefing_regions()["caucasus"], out, days=14)
    assert any(i.startswith("curated:hostile") for i in document.cited_ids()), "the hostile events must be cited"
    return {p.suffix[1:]: p for p in write_document(document, out, "brief")}


def test_all_formats_written(written: dict[str, Path]) -> None:
    assert set(written) == {"html", "md", "pdf", "json"}
    assert written["pdf"].read_bytes().startswith(b"%PDF")


def test_json_holds_the_same_content(written: dict[str, Path]) -> None:
    data = json.loads(written["json"].read_text())
    html = written["html"].read_text()
    assert [s["heading"] for s in data["sections"]][:2] == ["Summary", "Developments"]
    for section in data["sections"]:
        assert f"<h2>{section['heading']}</h2>" in html
    # an occasion's parts (one deal of three parties) cite their own events
    assert set(data["citations"]) == {i for s in data["sections"] for p in s["paragraphs"] + s["items"]
                                      for i in [*p["cites"], *(e for part in p["parts"] for e in part["cites"])]}


def test_html_is_self_contained(written: dict[str, Path]) -> None:
    html = written["html"].read_text()
    assert "data:image/png;base64," in html
    assert "<script" not in html.replace("&lt;script", "")
    assert 'href="javascript:' not in html and 'href="data:' not in html


def test_hostile_markup_never_executes_in_chromium(written: dict[str, Path], browser) -> None:
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(written["html"].as_uri())
    page.wait_for_load_state("load")
    assert page.evaluate("window.__pwned === undefined")
    assert not dialogs
    text = page.inner_text("body")
    assert "<script>window.__pwned = 1</script>" in text, "hostile text is shown as text, not dropped"
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    page.close()


def test_markdown_escapes_markup(written: dict[str, Path]) -> None:
    md = written["md"].read_text()
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "](javascript:" not in md
    assert markdown_escape("[a](b) <i>") == r"\[a\]\(b) &lt;i&gt;"
    assert markdown_escape("+1 (Turkey), 3.5% of -2") == "\\+1 (Turkey), 3.5% of -2", "only line starts need escapes"


def test_markdown_source_links_lead_to_the_sources(written: dict[str, Path]) -> None:
    """A reader found dead links: ``&`` and ``_`` in an address were escaped inside ``<...>``, where CommonMark keeps
    them literally (``...page=article&amp;id\\_article=48303``)."""
    from urllib.parse import unquote

    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(written["md"].read_text())
    hrefs = {unquote(str(child.attrs["href"])) for token in tokens for child in token.children or []
             if child.type == "link_open"}
    cited = {c["url"] for c in json.loads(written["json"].read_text())["citations"].values()
             if str(c.get("url") or "").startswith(("http://", "https://"))}
    assert any("&" in url or "_" in url for url in cited), "the briefing cites addresses that need care"
    assert hrefs == cited


def test_pdf_renders_pages(written: dict[str, Path], tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(written["pdf"]), str(tmp_path / "p")],
                   check=True)
    assert next(tmp_path.glob("p*.png")).stat().st_size > 5000


def test_unknown_format(report_store: Store, tmp_path: Path, written: dict[str, Path]) -> None:
    document = build_briefing(report_store, dt.date(2020, 7, 24), briefing_regions()["caucasus"], tmp_path)
    with pytest.raises(InputError, match="unknown report format 'docx'"):
        write_document(document, tmp_path, "x", ("docx",))


def test_markdown_tables_and_sources_are_one_line_each(report_store: Store, tmp_path: Path) -> None:
    """Issue 15.6: tables rendered as one line and sources ran together on one line in the Markdown files."""
    from geodrift.report.analysis import build_analysis

    document = build_analysis(report_store, "AZE", "RUS", "TUR", dt.date(2020, 6, 1), dt.date(2021, 1, 1), tmp_path)
    (md,) = write_document(document, tmp_path, "analysis", ("md",))
    lines = md.read_text().splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| week |"))
    assert lines[header + 1].startswith("| --- |")
    rows = [line for line in lines[header + 2:] if line.startswith("| 20")]
    assert len(rows) >= 5 and all(row.count("|") == lines[header].count("|") for row in rows)
    sources = [line for line in lines[lines.index("## Sources") + 1:] if line.strip()]
    numbered = [line for line in sources if line.split(".", 1)[0].isdigit()]
    assert len(numbered) == len(document.citations and numbered) > 5
    assert all(line.count(" (event ") == 1 for line in numbered), "one source a line"
    # Every heading, chart and table caption starts its own block (Markdown joins a line to the paragraph above).
    starts = [i for i, line in enumerate(lines) if line.startswith(("#", "![", "**"))]
    assert len(starts) > 8 and all(lines[i - 1] == "" for i in starts if i), [lines[i] for i in starts]
    assert "\n\n\n" not in md.read_text()


def test_no_nan_and_local_files_by_name(report_store: Store, shared: Path, tmp_path: Path) -> None:
    """Issue 15.6: 'nan' as an actor or place, and the machine's absolute path of a local article, in the reports."""
    from geodrift.ingest_text import code_files

    db = tmp_path / "seed.duckdb"
    import shutil

    shutil.copy(report_store.path, db)
    with Store(db) as store:
        code_files([shared.parent / "seed"], published=dt.date(2020, 7, 24), store=store, prepare=lambda a: a.__class__(
            **{**a.__dict__, "url": Path(a.origin).resolve().as_uri(), "outlet": "seed article"}))
        document = build_briefing(store, dt.date(2020, 7, 24), briefing_regions()["caucasus"], tmp_path, days=14)
    paths = {p.suffix[1:]: p for p in write_document(document, tmp_path, "brief", ("md", "html", "json"))}
    local = str((shared.parent / "seed").resolve())
    for kind in ("md", "html"):
        text = paths[kind].read_text()
        assert "nan" not in text.replace("Nanjing", "").split(), kind
        assert " nan " not in text and "nan (" not in text and "(nan)" not in text, kind
        assert local not in text, f"{kind} shows this machine's path"
    assert "azerbaijan-slow-drift-toward-turkey.txt" in paths["md"].read_text()
    assert local in paths["json"].read_text(), "JSON keeps the full address"


def test_a_month_only_record_is_cited_by_its_month(report_store: Store) -> None:
    """A reader saw "2020-07-01 ... 'Baku held Yerevan responsible for starting the July border firing'": a record
    dated to July only, stored on the 1st, read as if it happened that day."""
    from geodrift.report.citations import citations

    month_only = report_store.df("SELECT event_id FROM events WHERE event_date_precision = 'month' "
                                 "ORDER BY event_id LIMIT 20").event_id
    dated = report_store.df("SELECT event_id FROM events WHERE source = 'curated' AND event_date_precision = 'day' "
                            "AND dayofmonth(event_date) = 1 ORDER BY event_id LIMIT 10").event_id
    dated = [*dated, *report_store.df("SELECT event_id FROM events WHERE dayofmonth(event_date) > 1 "
                                      f"ORDER BY event_id LIMIT {20 - len(dated)}").event_id]
    found = citations(report_store, [*month_only, *dated])
    assert len(month_only) == len(dated) == 20 and len(found) == 40
    assert all(re.fullmatch(r"\d{4}-\d{2}", found[i].event_date) for i in month_only)
    assert all(len(found[i].event_date) == 10 for i in dated)
    assert citations(report_store, ["curated:0230d396f967d006"])["curated:0230d396f967d006"].event_date == "2020-07"
