"""Issue 15, "one event, one voice": no briefing or analysis lists the same real-world event twice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from geodrift.analytics.clusters import cluster_ids
from geodrift.codebooks import briefing_regions
from geodrift.report.analysis import build_analysis
from geodrift.report.briefing import build_briefing
from geodrift.report.document import Document
from geodrift.store import Store


def repeated(document: Document, store: Store) -> list[str]:
    """Events (clusters) cited by two items of one list, or twice by one item."""
    problems = []
    clusters = cluster_ids(store, document.cited_ids())
    lists = [[s for s in document.sections if s.heading.startswith("Evidence")]]
    lists += [[s] for s in document.sections if not s.heading.startswith("Evidence")]
    for sections in lists:
        seen: dict[str, str] = {}
        for section in sections:
            for item in section.items:
                mine = [clusters[c] for c in item.cites]
                if len(set(mine)) != len(mine):
                    problems.append(f"{section.heading}: one item cites one event twice: {item.text[:80]}")
                for cluster in set(mine):
                    if cluster in seen:
                        problems.append(f"{section.heading}: {cluster} in '{seen[cluster][:60]}' and "
                                        f"'{item.text[:60]}'")
                    seen[cluster] = item.text
    return problems


@pytest.mark.parametrize(("day", "days"), [(dt.date(2020, 7, 24), 14), (dt.date(2020, 11, 12), 7),
                                           (dt.date(2020, 10, 31), 31)])
def test_briefings_list_each_event_once(report_store: Store, tmp_path: Path, day: dt.date, days: int) -> None:
    document = build_briefing(report_store, day, briefing_regions()["caucasus"], tmp_path, days=days)
    assert document.cited_ids()
    assert not repeated(document, report_store)


def test_the_flagship_analysis_lists_each_event_once(report_store: Store, tmp_path: Path) -> None:
    document = build_analysis(report_store, "AZE", "RUS", "TUR", dt.date(2020, 6, 1), dt.date(2021, 1, 1), tmp_path)
    assert not repeated(document, report_store)
    pro, con = (next(s for s in document.sections if s.heading == h)
                for h in ("Evidence for the thesis", "Evidence against the thesis"))
    texts = [p.text for p in pro.items + con.items]
    # eight reports of one downing: one item (Aliyev's call to Putin about it on the 10th is another happening)
    helicopter = [t for t in texts if "helicopter was shot down" in t.lower() and "Nov 2020" in t]
    assert not helicopter, helicopter  # the downing was apologised for: no evidence either way
    disowned = next(s for s in document.sections if s.heading == "Acts disowned within days")
    assert len(disowned.items) == 1
    assert "helicopter was shot down" in disowned.items[0].text and "apolog" in disowned.items[0].text
    assert disowned.items[0].text.endswith("The pair weighs nothing")
    # the thesis rests on its strongest unreversed evidence, not on the apologised downing
    thesis = next(s for s in document.sections if s.heading == "Thesis").paragraphs[0]
    assert thesis.cites[0] == pro.items[0].cites[0]
    assert not set(thesis.cites) & set(disowned.items[0].cites)
    assert sum("signed a Karabakh ceasefire" in t or "signed a joint declaration" in t for t in texts) <= 1
    assert all(" reports from " in t or " report from " in t for t in texts)
    assert any("one outlet" in t for t in texts)
