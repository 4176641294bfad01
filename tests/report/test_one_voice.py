"""Issue 15, "one event, one voice": no briefing or analysis lists the same real-world event twice."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from geodrift.analytics.clusters import cluster_ids
from geodrift.codebooks import briefing_regions
from geodrift.report.analysis import build_analysis
from geodrift.report.briefing import build_briefing
from geodrift.report.document import Document
from geodrift.report.grouping import sentences
from geodrift.store import Store


def repeated(document: Document, store: Store) -> list[str]:
    """Events (clusters) or evidence sentences cited by two items of the document's lists (the timeline, the
    evidence for and against, the disowned acts, the developments), or twice by one item; a timeline item that tells
    an evidence item's event must say so ("told under evidence for 3") and name an item that exists."""
    problems = []
    clusters = cluster_ids(store, document.cited_ids())
    said = sentences(store, document.cited_ids())
    seen: dict[str, str] = {}
    story = ("Timeline", "Evidence", "Acts disowned", "Developments")  # one list; other sections each their own
    for section in document.sections:
        seen = seen if section.heading.startswith(story) and section is not document.sections[0] else {}
        for item in section.items:
            mine = [clusters[c] for c in item.cites] + [said[c] for c in item.cites if c in said]
            if len(set(mine)) != len(mine):
                problems.append(f"{section.heading}: one item cites one event twice: {item.text[:80]}")
            for key in set(mine):
                if key in seen:
                    problems.append(f"{section.heading}: {key[:40]} in '{seen[key][:60]}' and '{item.text[:60]}'")
                seen[key] = item.text
            for heading, n in re.findall(r"(evidence for|evidence against|disowned act) (\d+)", item.text):
                named = {"evidence for": "Evidence for the thesis", "evidence against": "Evidence against the thesis",
                         "disowned act": "Acts disowned within days"}[heading]
                listed = [s for s in document.sections if s.heading == named]
                if not listed or int(n) > len(listed[0].items):
                    problems.append(f"{section.heading}: '{item.text[:60]}' names a missing {heading} {n}")
    return problems


@pytest.mark.parametrize(("day", "days"), [(dt.date(2020, 7, 24), 14), (dt.date(2020, 11, 12), 7),
                                           (dt.date(2020, 10, 31), 31)])
def test_briefings_list_each_event_once(report_store: Store, tmp_path: Path, day: dt.date, days: int) -> None:
    document = build_briefing(report_store, day, briefing_regions()["caucasus"], tmp_path, days=days)
    assert document.cited_ids()
    assert not repeated(document, report_store)


def test_a_statement_to_two_parties_is_one_development(report_store: Store, tmp_path: Path) -> None:
    """Peskov's appeal to "Armenia and Azerbaijan" and his offer to mediate (14 July 2020): one development each,
    naming both parties, not one per pair."""
    document = build_briefing(report_store, dt.date(2020, 7, 24), briefing_regions()["caucasus"], tmp_path, days=14)
    texts = [p.text for s in document.sections if s.heading == "Developments" for p in s.items]
    # (his appeal and offer, told on one page, are one set of remarks: clustering.py's page rule)
    moscow = [t for t in texts if "(Moscow)" in t]
    assert len(moscow) == 1 and moscow[0].startswith("Armenia, Azerbaijan and Russia:"), moscow


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
    # Macron's one claim, dated 1 and 2 October by two outlets: one item over two days (with Pashinyan's the same day)
    macron = [t for t in texts if "Macron" in t or "mercenaries sent by Turkey" in t]
    assert len(macron) == 1 and "over 2 days" in macron[0], macron
    timeline = next(s for s in document.sections if s.heading.startswith("Timeline"))
    assert any("told under evidence for 1" in p.text and not p.cites for p in timeline.items)
    # the 9-10 November ceasefire: its signing with Russia is evidence against 1; the timeline's Armenia-Azerbaijan
    # ceasefire (another cluster: another pair) refers to it instead of telling it again
    assert con.items[0].text.startswith("09 Nov 2020") and "ceasefire" in con.items[0].text
    assert any(": yield" in p.text and "told under evidence against 1" in p.text for p in timeline.items)
    assert all(" report" in t and " from " in t for t in texts)
    assert any("one outlet" in t for t in texts)


def test_one_visit_told_on_each_of_its_days_is_one_item(report_store: Store, tmp_path: Path) -> None:
    """Lavrov's two-day visit to Baku (27-28 February 2023), told by one outlet on each day: one evidence item over
    two days, and the timeline refers to it instead of listing it again."""
    document = build_analysis(report_store, "AZE", "RUS", "TUR", "2023-01-01", "2024-01-01", tmp_path)
    assert not repeated(document, report_store)
    con = next(s for s in document.sections if s.heading == "Evidence against the thesis")
    lavrov = [p.text for p in con.items if "Lavrov" in p.text or "Bayramov hosted" in p.text]
    assert len(lavrov) == 1 and "2 reports over 2 days" in lavrov[0], lavrov
    timeline = next(s for s in document.sections if s.heading.startswith("Timeline"))
    visit = [p for p in timeline.items if "27 Feb to 28 Feb" in p.text]
    assert len(visit) == 1 and "told under evidence against 1" in visit[0].text and not visit[0].cites
