"""Issue 15 item 4: the analysis weighs evidence by real-world event. Erdogan and Aliyev's meeting in Nakhchivan on
25 September 2023 (a signing, a pipeline launch, the visit: three clusters, as clustering keeps acts of different
roots apart) was three "evidence for" items; it is one, its clusters listed under it, on the real curated file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geodrift.analytics.clusters import cluster_ids
from geodrift.report.analysis import build_analysis
from geodrift.report.document import Document
from geodrift.report.render import render_html, render_markdown
from geodrift.store import Store


@pytest.fixture(scope="module")
def year2023(report_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Document:
    return build_analysis(report_store, "AZE", "RUS", "TUR", "2023-01-01", "2023-12-31",
                          tmp_path_factory.mktemp("nakhchivan"))


def _section(document: Document, heading: str):  # type: ignore[no-untyped-def]
    return next(s for s in document.sections if s.heading == heading)


def test_one_meeting_is_one_evidence_item_with_its_parts(year2023: Document, report_store: Store) -> None:
    pro = _section(year2023, "Evidence for the thesis")
    meeting = [p for p in pro.items if "Nakhchivan" in p.text or any("Nakhchivan" in q.text for q in p.parts)]
    assert len(meeting) == 1, [p.text for p in pro.items]
    item = meeting[0]
    # its three clusters (signing, pipeline launch, visit) listed under it, each citing its own report
    assert [re.match(r"[^(]+\(CAMEO (\d+)\)", p.text).group(1) for p in item.parts] == ["057", "061", "042"]  # type: ignore[union-attr]
    clusters = cluster_ids(report_store, item.cites)
    assert len(set(clusters.values())) == 3 and item.cites == [p.cites[0] for p in item.parts]
    # one count of its reports and sources: 5 reports from the two outlets that told any of its acts
    assert "5 reports from 2 sources, told in 3 event clusters" in item.text, item.text
    # weighed once, as its heaviest act with the pooled sources, not as the sum of its three acts
    weights = [float(re.search(r"alone it weighs ([-+]\d\.\d\d)\)$", p.text).group(1)) for p in item.parts]  # type: ignore[union-attr]
    weight = float(re.search(r"\(weight ([-+]\d\.\d\d)\)$", item.text).group(1))  # type: ignore[union-attr]
    assert weight == max(weights) < sum(weights)
    # the count says what it counts: one real-world event, three clusters of the alignment
    assert pro.paragraphs[0].text.startswith("1 real-world event (3 event clusters, 5 reports) in the period points "
                                             "toward Turkey"), pro.paragraphs[0].text
    thesis = _section(year2023, "Thesis").paragraphs[0]
    assert "3 (5 reports; 1 real-world event) with Turkey" in thesis.text and thesis.cites == [item.cites[0]]
    # the timeline names the one item
    told = [p.text for p in _section(year2023, "Timeline of key events").items if "Nakhchivan" in p.text]
    assert len(told) == 1 and told[0].endswith("told under evidence for 1."), told


def test_the_parts_render_under_their_item(year2023: Document) -> None:
    markdown = render_markdown(year2023)
    item = re.search(r"^1\. 25 Sep 2023, 5 reports.*\n((?:    - .*\n){3})", markdown, re.M)
    assert item and "(CAMEO 057)" in item.group(1), markdown
    assert not re.search(r"^1\. 25 Sep 2023.*\[\d+\]$", markdown, re.M)  # the marks are on the parts
    html = render_html(year2023)
    assert html.count('<ul class="parts">') == 2  # the meeting, and Lavrov's visit told on each of its two days


def test_the_analysis_writes_the_parts_to_json(year2023: Document, tmp_path: Path) -> None:
    data = year2023.to_dict()
    pro = next(s for s in data["sections"] if s["heading"] == "Evidence for the thesis")
    assert [len(i["parts"]) for i in pro["items"]] == [3]
    assert all(p["cites"] and not p["parts"] for p in pro["items"][0]["parts"])
