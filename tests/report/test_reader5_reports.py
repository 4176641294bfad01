"""What reader 5 found in the briefings and analyses built from the curated Caucasus events: a development named
after one act and quoting another (M2), one visit listed as three developments (M3), two counts of one set of
events in one analysis (M4), a chart caption counting weeks the chart does not shade and an all-zero axis from
-0.04 to 0.04 (M5), and "No forecasts are stored" with literal backslashes (L9)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import matplotlib
import pandas as pd
import pyarrow as pa
import pytest

from geodrift.analytics.coverage import uncovered
from geodrift.analytics.dyads import dyad_series
from geodrift.codebooks import briefing_regions, country_name
from geodrift.codebooks.acts import directed_act, root_word, worded_code
from geodrift.forecast.tasks import forecast_escalation
from geodrift.query import EventFilter
from geodrift.report.analysis import build_analysis
from geodrift.report.briefing import build_briefing
from geodrift.report.document import Document
from geodrift.report.grouping import Key, groups, place_names, shown_places
from geodrift.report.render import render_markdown
from geodrift.store import Store

matplotlib.use("Agg")
CAUCASUS = briefing_regions()["caucasus"]


@pytest.fixture(scope="module")
def baku(report_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Document:
    """The week of Putin's visit to Azerbaijan, 18-19 August 2024."""
    return build_briefing(report_store, dt.date(2024, 8, 19), CAUCASUS, tmp_path_factory.mktemp("baku"), days=7)


@pytest.fixture(scope="module")
def tovuz(report_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Document:
    """The demo's briefing: the fortnight to 24 July 2020 as known that day."""
    return build_briefing(report_store, dt.date(2020, 7, 24), CAUCASUS, tmp_path_factory.mktemp("tovuz"), days=14,
                          as_of=dt.date(2020, 7, 24))


@pytest.fixture(scope="module")
def year2023(report_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Document:
    return build_analysis(report_store, "AZE", "RUS", "TUR", "2023-01-01", "2024-01-01",
                          tmp_path_factory.mktemp("a2023"))


def _roots(store: Store, ids: list[str]) -> dict[str, str]:
    frame = store.df("SELECT event_id, event_root_code FROM events WHERE event_id IN ("
                     + ", ".join(f"'{i}'" for i in ids) + ")")
    return dict(zip(frame.event_id, frame.event_root_code, strict=True))


@pytest.mark.parametrize(("which", "cited"), [("baku", 1), ("tovuz", None)])
def test_a_development_quotes_a_report_of_the_act_it_is_named_after(which: str, cited: int | None,
                                                                     report_store: Store,
                                                                     request: pytest.FixtureRequest) -> None:
    """M2: "Azerbaijan and Russia: express intent to cooperate" cited "Make a visit (CAMEO 042)", "appeal (Moscow)"
    a phone call (041) among its appeals. Each development's first citation (in the Baku week, whose visit is one
    development of several acts) or every citation (the Tovuz fortnight) tells its headline act."""
    document: Document = request.getfixturevalue(which)
    section = document.sections[1]
    table = section.tables[0].rows
    roots = _roots(report_store, [e for p in section.items for e in p.cites])
    for item, row in zip(section.items, table, strict=True):
        named = root_word(row[2])
        if "→" in row[1]:  # its events agree on who acted on whom: named with both, a denial (016) as one
            code = worded_code(SimpleNamespace(root=row[2], code=row[3]))
            named = directed_act(code, *(country_name(c) for c in row[1].split(" → ")))
        assert named in item.text, (named, item.text)
        for event_id in item.cites[:cited]:
            assert roots[event_id] == row[2], (item.text, event_id, roots[event_id])


def test_putins_visit_to_baku_is_one_development(baku: Document) -> None:
    """M3: the announced visit (18 Aug), the signing and the talks at Zagulba (19 Aug) were three of five
    developments; they are one, and its "similar events" are earlier ones (the Astana talks of July), not its parts."""
    visit = [p.text for p in baku.sections[1].items if p.text.startswith("Russia engaged in diplomatic cooperation "
                                                                           "with Azerbaijan")]
    assert len(visit) == 1, [p.text for p in baku.sections[1].items]
    assert "(Baku; Zagulba)" in visit[0] and "18 Aug to 19 Aug" in visit[0], visit[0]
    assert "3 events (5 reports)" in visit[0], visit[0]  # its days are in its dates, as every development's
    assert "; 1 similar event in the previous 90 days." in visit[0], visit[0]
    assert "(announced)" not in visit[0]  # named after what was done


def test_the_nakhchivan_meeting_is_one_timeline_item(year2023: Document) -> None:
    """M3: Erdogan and Aliyev's meeting in Nakhchivan on 25 September 2023 (a signing, a pipeline launch, talks:
    three clusters of three CAMEO roots) was three timeline items."""
    timeline = next(s for s in year2023.sections if s.heading == "Timeline of key events")
    told = [p.text for p in timeline.items if "Nakhchivan" in p.text]
    assert len(told) == 1, told
    assert "3 events (5 reports)" in told[0], told[0]


def test_one_analysis_counts_one_set_of_events_one_way(year2023: Document) -> None:
    """M4: the thesis said "3 distinct events (4 reports) with Russia", the evidence "2 distinct events (4 reports)
    ... all 5 alignment events". Both count event clusters (what the alignment weighs) now, and say how many real-world
    events those are."""
    thesis = year2023.sections[0].paragraphs[0].text
    n_a, r_a, n_b, _ = map(int, re.search(r"from (\d+) event clusters? \((\d+) reports?; 2 real-world events\) with "
                                            r"Russia and (\d+) \((\d+) reports?; 1 real-world event\) with Turkey",
                                            thesis).groups())  # type: ignore[union-attr]
    against = next(s for s in year2023.sections if s.heading == "Evidence against the thesis").paragraphs[0].text
    n, r, total = map(int, re.search(r"^2 real-world events \((\d+) event clusters?, (\d+) reports?\) in the period "
                                     r"point toward Russia .* of all 3 events, (\d+) clusters in the alignment",
                                     against).groups())  # type: ignore[union-attr]
    assert (n, r) == (n_a, r_a) == (3, 4), (thesis, against)
    assert total == n_a + n_b, (thesis, against)
    assert "are one item, weighed once with all their sources and listed under it" in against, against


def test_the_chart_caption_counts_the_weeks_it_shows_and_shades(report_store: Store, tmp_path: Path) -> None:
    """M5: "26 weeks without any stored event ... are shaded" over a 27-week series with one week of events."""
    document = build_briefing(report_store, dt.date(2023, 9, 20), CAUCASUS, tmp_path, days=14)
    chart = document.sections[1].charts[0]
    weeks, shaded = map(int, re.search(r"in the (\d+) weeks to 20 September 2023; (\d+) of them",
                                       chart.alt).groups())  # type: ignore[union-attr]
    a, b = re.search(r"briefing_([A-Z]{3})_([A-Z]{3})_weekly", str(chart.path)).groups()  # type: ignore[union-attr]
    end = dt.date(2023, 9, 21)
    series = dyad_series(report_store, a, b, freq="week", where=EventFilter(start=end - dt.timedelta(weeks=26),
                                                                             end=end))
    assert weeks == len(series) and shaded == int(uncovered(report_store, [a, b], series.period).sum()), chart.alt
    assert shaded < weeks  # the week of the development the briefing lists is not shaded
    assert "none holds a material-conflict event" in chart.alt, chart.alt


def test_an_all_zero_count_chart_has_whole_number_ticks(tmp_path: Path) -> None:
    """M5: the chart of a single week at 0 events had a y-axis from -0.04 to 0.04."""
    from matplotlib import pyplot as plt

    from geodrift.report.charts import _whole_ticks

    fig, ax = plt.subplots()
    ax.plot(pd.date_range("2023-09-11", periods=3, freq="W-MON"), [0, 0, 0])
    _whole_ticks(ax, pd.Series([0.0, float("nan"), 0.0]))
    fig.canvas.draw()
    assert ax.get_ylim() == (-0.1, 1.0)
    assert [t for t in ax.get_yticks() if -0.1 <= t <= 1] == [0, 1]
    plt.close(fig)


def test_what_to_watch_says_forecasts_are_stored_but_none_open(tmp_path: Path, report_db: Path) -> None:
    """L9: "No forecasts are stored for these countries; run \\`geodrift forecast\\`" in a store holding forecasts,
    none open that day; the Markdown showed the backslashes."""
    import shutil

    db = tmp_path / "with_forecasts.duckdb"
    shutil.copy(report_db, db)
    with Store(db) as store:
        empty = render_markdown(build_briefing(store, dt.date(2024, 8, 19), CAUCASUS, tmp_path / "a", days=7))
        assert "No forecasts are stored for these countries" in empty and "\\`" not in empty
        frame = forecast_escalation(store, ["ARM-AZE"], as_of=dt.date(2020, 7, 24), days=(7,), source="curated")
        store.record_forecasts(pa.Table.from_pandas(frame, preserve_index=False))
        text = render_markdown(build_briefing(store, dt.date(2024, 8, 19), CAUCASUS, tmp_path / "b", days=7))
    watch = text.split("## What to watch")[1].split("##")[0]
    assert "No stored forecast for these countries is open on 19 August 2024: the latest, made on 24 July 2020, " \
           "ended on 31 July 2020" in watch, watch
    assert "\\" not in watch


def test_place_aliases_are_one_place() -> None:
    """M3: "Karvachar (Kalbajar)" and "Kalbajar" (the curated events write both) are one place where items are
    grouped and where their places are listed."""
    assert place_names("Karvachar (Kalbajar)") == {"karvachar", "kalbajar"}
    assert shown_places(["Kalbajar", "Karvachar (Kalbajar)", "Lachin"]) == ["Karvachar (Kalbajar)", "Lachin"]
    day = pd.Timestamp("2020-11-14")
    keys = [Key(frozenset({"ARM", "AZE"}), "17 actual", day, day, frozenset(), place_names("Kalbajar")),
            Key(frozenset({"ARM", "AZE"}), "17 actual", day + pd.Timedelta(days=1), day + pd.Timedelta(days=1),
                frozenset(), place_names("Karvachar (Kalbajar)"))]
    assert groups(keys) == [[0, 1]]


def test_a_threat_reads_as_a_threat_once(report_store: Store, tmp_path: Path) -> None:
    """L12: "Armenia and Azerbaijan (threatened): threaten" (the curated July 2020 threats, modality threatened,
    dated only to July: a window of all July places them among its developments, a fortnight lists them apart).
    A threat is its own act, so one whose reports agree on who threatened whom is told directed ("Turkey threatened
    Armenia"), as a fight is; Aliyev's and Pashinyan's threats of each other stay one mutual item."""
    document = build_briefing(report_store, dt.date(2020, 7, 31), CAUCASUS, tmp_path, days=31)
    texts = [p.text for p in document.sections[1].items]
    assert any(t.startswith("Turkey threatened Armenia (Ankara): 2 events (3 reports)") for t in texts), texts
    assert any(re.match(r"Armenia and Azerbaijan: threaten", t) for t in texts), texts
    assert not any("(threatened)" in t or "Armenia and Turkey: threaten" in t for t in texts), texts
    fortnight = build_briefing(report_store, dt.date(2020, 7, 14), CAUCASUS, tmp_path, days=14)
    apart = [p.text for s in fortnight.sections if s.heading == "Not placed in this window" for i in s.items
             for p in i.parts]
    assert "Armenia threatened Azerbaijan: 1 report, dated only to July 2020" in apart, apart
    assert "Azerbaijan threatened Armenia: 1 report, dated only to July 2020" in apart, apart
    assert "Turkey threatened Armenia: 2 reports, dated only to July 2020" in apart, apart
    assert not any("(threatened)" in t or ": threaten:" in t for t in apart), apart
