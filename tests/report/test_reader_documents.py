"""What a reader sees in the written reports (reader, 3 December): the list of sources, the PDF's pages."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from geodrift.codebooks import briefing_regions
from geodrift.report.briefing import build_briefing, forecast_items
from geodrift.report.document import Document
from geodrift.report.narrative import TemplateNarrator
from geodrift.report.render import render_html, render_markdown, write_document
from geodrift.store import Store


@pytest.fixture(scope="module")
def fortnight(report_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Document:
    """The demo's briefing window, 11-24 July 2020."""
    return build_briefing(report_store, dt.date(2020, 7, 24), briefing_regions()["caucasus"],
                          tmp_path_factory.mktemp("fortnight"), days=14)


def test_a_source_s_link_is_a_word_of_its_own(fortnight: Document) -> None:
    """The HTML and PDF briefings printed "armenpress.am, 2020-07-16.https://armenpress.am/..." (the template's line
    break after a block tag was trimmed away), so outlet, day and address ran together."""
    document = fortnight
    html = render_html(document)
    listed = html[html.index('<ol class="sources">'):]
    entries = re.findall(r"<li id=\"ev-\d+\">(.*?)</li>", listed, re.DOTALL)
    assert len(entries) >= 10
    linked = [e for e in entries if "<a href=" in e]
    assert linked and all(re.search(r"\.\s<a href=", e) for e in linked), linked[:2]
    text = re.sub(r"<[^>]+>", "", listed)
    assert not re.search(r"\S(https?|file)://", text), re.search(r".{40}\S(https?|file)://", text)
    assert not re.search(r"\d\.https?://", render_markdown(document))


def test_the_pdf_sets_the_ranking_table_inside_its_pages(fortnight: Document, tmp_path: Path) -> None:
    """The PDF cut the briefing's eleven-column ranking table at the page's right edge ("salie", its values gone):
    the HTML's scrolling box cannot scroll on paper. Every word of every page now ends inside the page."""
    pdf = write_document(fortnight, tmp_path, "briefing", ("pdf",))[0]
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    width = float(re.search(r'page width="([\d.]+)"', boxes).group(1))  # type: ignore[union-attr]
    words = [(word, float(right)) for right, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', boxes)]
    assert "salience" in {w for w, _ in words} and "novelty" in {w for w, _ in words}
    assert max(right for _, right in words) < width - 20, [w for w, right in words if right >= width - 20]


def test_what_to_watch_lists_each_pair_s_horizons_together_shortest_first() -> None:
    """The demo's "What to watch" read ARM-AZE 30 days, 7 days; ARM-RUS 30, 7; AZE-RUS 7, 30 (sorted by probability
    alone), so AZE-RUS's 30-day item, "2% (the 7-day value ...)", was the only one placed after the value it names.
    The demo's stored probabilities, in the order the store returns them."""
    rows = [{"task": "escalation", "unit": unit, "as_of": dt.date(2020, 7, 24), "horizon": horizon,
             "horizon_unit": "days", "k": 1, "p": p, "model": "climatology", "skill_climatology": 0.0,
             "skill_persistence": 0.05, "backtest_forecasts": 104}
            for unit, horizon, p in (("AZE-RUS", 30, 0.02), ("ARM-RUS", 7, 0.07), ("ARM-AZE", 30, 0.22),
                                     ("AZE-RUS", 7, 0.02), ("ARM-AZE", 7, 0.20), ("ARM-RUS", 30, 0.12))]
    texts = [p.text for p in forecast_items(pd.DataFrame(rows), TemplateNarrator())]
    order = [(re.match(r"Between (\w+) and (\w+)", t).groups(),  # type: ignore[union-attr]
              int(re.search(r"in the (\d+) days", t).group(1))) for t in texts]  # type: ignore[union-attr]
    assert order == [(("Armenia", "Azerbaijan"), 7), (("Armenia", "Azerbaijan"), 30), (("Armenia", "Russia"), 7),
                     (("Armenia", "Russia"), 30), (("Azerbaijan", "Russia"), 7), (("Azerbaijan", "Russia"), 30)]
    assert "the 7-day value" in texts[5] and "over 104 backtest forecasts" in texts[0] + texts[1]


def test_a_pdf_table_starts_on_the_page_of_its_caption(report_store: Store, tmp_path: Path) -> None:
    """The analysis PDF ended page 1 with the caption "Alignment per week (...)" and began page 2 with its rows (the
    smaller print tables fit it on page 1; a table too short to need splitting moves to the next page whole)."""
    from geodrift.report.analysis import build_analysis

    document = build_analysis(report_store, "AZE", "RUS", "TUR", dt.date(2020, 6, 1), dt.date(2021, 1, 1), tmp_path)
    pdf = write_document(document, tmp_path, "analysis", ("pdf",))[0]
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    held = [i for i, page in enumerate(pages) if "Alignment per week (shrunken" in page]
    assert held and "2020-07-06" in pages[held[0]], [i for i, page in enumerate(pages) if "2020-07-06" in page]
