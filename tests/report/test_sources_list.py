"""What a reader sees in a report's list of sources: each entry's outlet, day and link read as separate words."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from geodrift.codebooks import briefing_regions
from geodrift.report.briefing import build_briefing
from geodrift.report.render import render_html, render_markdown
from geodrift.store import Store


def test_a_source_s_link_is_a_word_of_its_own(report_store: Store, tmp_path: Path) -> None:
    """Reader, 3 December: the HTML and PDF briefings printed "armenpress.am, 2020-07-16.https://armenpress.am/..."
    (the template's line break after a block tag was trimmed away), so outlet, day and address ran together."""
    document = build_briefing(report_store, dt.date(2020, 7, 24), briefing_regions()["caucasus"], tmp_path, days=14)
    html = render_html(document)
    listed = html[html.index('<ol class="sources">'):]
    entries = re.findall(r"<li id=\"ev-\d+\">(.*?)</li>", listed, re.DOTALL)
    assert len(entries) >= 10
    linked = [e for e in entries if "<a href=" in e]
    assert linked and all(re.search(r"\.\s<a href=", e) for e in linked), linked[:2]
    text = re.sub(r"<[^>]+>", "", listed)
    assert not re.search(r"\S(https?|file)://", text), re.search(r".{40}\S(https?|file)://", text)
    assert not re.search(r"\d\.https?://", render_markdown(document))
