"""What a reader sees of GDELT-based and internal events: counts in one unit, coded lines instead of bare ids,
GDELT's DATEADDED not passed off as a publication date, and internal events not shown as a pair of parties."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from geodrift.codebooks import briefing_regions
from geodrift.report.analysis import build_analysis
from geodrift.report.briefing import build_briefing
from geodrift.report.render import render_markdown
from geodrift.store import Store


@pytest.fixture(scope="module")
def georgia(caucasus_store: Store, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Georgia between Russia and the United States, 2012 to May 2013: GDELT 1.0 rows only."""
    return render_markdown(build_analysis(caucasus_store, "GEO", "RUS", "USA", dt.date(2012, 1, 1),
                                          dt.date(2013, 6, 1), tmp_path_factory.mktemp("geo")))


def test_sources_never_outnumber_reports(georgia: str) -> None:
    """GDELT's NumSources was printed as the sources of the stored reports: '1 event (5 reports) from 31 sources'."""
    counted = re.findall(r"(\d+) events?(?: \((\d+) reports\))? from (\d+) sources?", georgia)
    counted += [(r, r, s) for r, s in re.findall(r"(\d+) reports? from (\d+) sources?", georgia)]
    assert counted, georgia
    assert all(int(s) <= int(r or e) for e, r, s in counted), counted
    assert "GDELT counts 31 source mentions" in georgia and "with no outlet named" in georgia
    assert "1 month without events omitted" in georgia and "1 months" not in georgia


def test_evidence_without_a_sentence_reads_as_its_coding(georgia: str) -> None:
    evidence = georgia.split("## Evidence for the thesis")[1].split("## The UN-vote view")[0]
    assert not re.search(r": event gdelt1:\d+ \(weight", evidence), evidence
    assert "Russia → Georgia: Engage in ethnic cleansing (CAMEO 203) (weight +1.00)" in evidence, evidence


def test_gdelt_date_added_is_not_a_publication_date(georgia: str) -> None:
    sources = georgia.split("## Sources")[1]
    cited = re.search(r"\n1\. 2012-04-09 Russia → Georgia .*", sources)
    assert cited is not None, sources
    line = cited.group(0)
    assert "Added to GDELT on 2013-02-03." in line and ", 2013-02-03" not in line and ".," not in line, line
    assert "reuters.com. Added to GDELT on 2013-05-11. <http://www.reuters.com/" in sources, sources


def test_internal_events_are_not_a_pair_of_parties(georgia: str, report_store: Store, tmp_path: Path) -> None:
    assert "Georgia and Georgia" not in georgia and "Within Georgia: demand" in georgia, georgia
    # November's protests in Yerevan (most dated only to November: a window of the whole month places them)
    briefing = render_markdown(build_briefing(report_store, dt.date(2020, 11, 30), briefing_regions()["caucasus"],
                                              tmp_path, days=30))
    assert "Armenia and Armenia" not in briefing and "Armenia–Armenia" not in briefing, briefing
    # the week's protests come from a source with no 8 weeks of Armenia's own history: not testable (flare-ups per source)
    assert "Within Armenia: protest" in briefing and "Flare-ups within Armenia cannot be tested" in briefing, briefing


def test_gdelt_place_placeholders_are_not_shown(georgia: str) -> None:
    """GDELT 1.0 names a place whose province it does not know "Tbilisi, Georgia (general), Georgia": the reader sees
    "Tbilisi, Georgia" (the stored string is unchanged; test_cli_map.py checks the JSON keeps it)."""
    assert "(general)" not in georgia, [line for line in georgia.splitlines() if "(general)" in line][:3]
    assert "South Ossetia, Georgia" in georgia and "Georgia, Georgia" not in georgia, georgia
