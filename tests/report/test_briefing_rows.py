"""What a reader found in the demo briefing: the ranking table named two countries for a development its sentence
gives three, and the Markdown wrote a forecast of '<1%' as '&lt;1%'."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from geodrift.codebooks import briefing_regions
from geodrift.report.briefing import build_briefing
from geodrift.report.document import Document, Paragraph, Section
from geodrift.report.render import render_markdown
from geodrift.store import Store


@pytest.fixture(scope="module")
def briefing(report_store: Store, tmp_path_factory: pytest.TempPathFactory) -> str:
    return render_markdown(build_briefing(report_store, dt.date(2020, 7, 24), briefing_regions()["caucasus"],
                                          tmp_path_factory.mktemp("b"), days=14))


def test_the_ranking_table_names_every_party(briefing: str) -> None:
    listed = re.findall(r"^(\d+)\. (.+?): ", briefing.split("## Developments")[1].split("**")[0], re.MULTILINE)
    rows = dict(re.findall(r"^\| (\d+) \| ([^|]+) \|", briefing, re.MULTILINE))
    three = [(n, who) for n, who in listed if who.count(",") == 1 and " and " in who]  # "A, B and C"
    assert three, listed
    for n, who in three:
        assert rows[n].strip().count("–") == 2, (who, rows[n])
    assert rows[three[0][0]].strip() == "ARM–AZE–RUS", rows


def test_markdown_keeps_a_probability_below_one_percent_readable() -> None:
    document = Document(kind="briefing", title="t", subtitle="s", generated="now", citations={}, parameters={}, sections=[
        Section("What to watch", items=[Paragraph("probability it is closer to Turkey: <1%; to Russia: >99%"),
                                        Paragraph("hostile <script>alert(1)</script> & more")])])
    text = render_markdown(document)
    assert "closer to Turkey: <1%; to Russia: >99%" in text and "&lt;1%" not in text, text
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_a_single_outlet_is_named_without_nested_brackets(briefing: str) -> None:
    """'1 event from 1 source (one outlet (en.trend.az))' read as a typo."""
    developments = briefing.split("## Developments")[1].split("**")[0]
    assert "from 1 source, one outlet (" in developments and "(one outlet (" not in developments, developments
