"""Counting units: a store of echoed reports where clusters and reports give different, hand-checked counts; the
per-cluster rollup kept with the clusters equals the collapse of the reports; flare-ups see history before --from."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from geodrift.analytics.alignment import alignment_series
from geodrift.analytics.dyads import dyad_events, dyad_series
from geodrift.analytics.engine import DuckDBEngine
from geodrift.analytics.flareups import flareups
from geodrift.analytics.salience import developments
from geodrift.clustering import rebuild_clusters
from geodrift.errors import InputError
from geodrift.ingest import ingest_files
from geodrift.query import EventFilter
from geodrift.store import Store
from geodrift.units_sql import MONTH_ONLY, month_only

TOVUZ = {"name": "Tovuz", "iso3": "AZE", "adm1": "Tovuz District", "lat": 40.99, "lon": 45.63}
JULY = EventFilter(start=dt.date(2020, 7, 1), end=dt.date(2020, 8, 1))


def record(event_id: str, day: str, a1: str, a2: str, code: str, outlet: str, *, place: dict[str, Any] | None = None,
           published: str | None = None, modality: str = "actual") -> dict[str, Any]:
    return {"event_id": event_id, "article_id": event_id, "url": f"https://{outlet}/{event_id}", "outlet": outlet,
            "published": published or day, "language": "en", "event_date": day, "event_date_precision": "day",
            "actor1": {"name": a1, "iso3": a1, "role": "GOV"}, "actor2": {"name": a2, "iso3": a2, "role": "GOV"},
            "cameo_code": code, "modality": modality, "claimed_by": None, "place": place, "summary": event_id,
            "confidence": "high"}


ECHOED = [
    # One clash on 12 July, reported five times by three outlets, from both sides, one a day late: one cluster (a
    # curated record reads its day from the text, so the late one is dated the 12th and published the 13th).
    record("c1", "2020-07-12", "ARM", "AZE", "190", "news.am", place=TOVUZ),
    record("c2", "2020-07-12", "AZE", "ARM", "190", "apa.az", place=TOVUZ),
    record("c3", "2020-07-12", "AZE", "ARM", "190", "apa.az", place=TOVUZ),
    record("c4", "2020-07-12", "ARM", "AZE", "193", "reuters.com", place=TOVUZ),
    record("c5", "2020-07-12", "AZE", "ARM", "190", "reuters.com", place=TOVUZ, published="2020-07-13"),
    # A meeting on 20 July, reported twice by one outlet: one cluster of weight 1.
    record("m1", "2020-07-20", "ARM", "AZE", "040", "tass.ru"),
    record("m2", "2020-07-20", "AZE", "ARM", "040", "tass.ru"),
    # Russia and Azerbaijan (the alignment's other pole): one consultation, three reports.
    record("r1", "2020-07-15", "AZE", "RUS", "040", "tass.ru"),
    record("r2", "2020-07-15", "RUS", "AZE", "040", "apa.az"),
    record("r3", "2020-07-15", "AZE", "RUS", "040", "reuters.com"),
    # Turkey praises Azerbaijan twice in July (two days apart): two clusters.
    record("t1", "2020-07-14", "TUR", "AZE", "051", "aa.com.tr"),
    record("t2", "2020-07-22", "TUR", "AZE", "051", "aa.com.tr"),
]


@pytest.fixture(scope="module")
def echoed(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("units") / "echoed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ECHOED), encoding="utf-8")
    store = Store(":memory:")
    ingest_files(store, [path])
    return store


def test_clusters_and_reports_give_the_hand_counted_numbers(echoed: Store) -> None:
    clusters = dyad_series(echoed, "ARM", "AZE", where=JULY).iloc[0]
    reports = dyad_series(echoed, "ARM", "AZE", where=EventFilter(start=JULY.start, end=JULY.end, unit="reports")).iloc[0]
    assert (reports.events, reports.conflict_events, reports.weight) == (7, 5, 7)
    # Clusters: the clash (news.am, apa.az, reuters.com: weight 3) and the meeting (tass.ru only: weight 1).
    assert (clusters.events, clusters.conflict_events, clusters.weight, clusters.q4, clusters.q1) == (2, 1, 4, 3, 1)
    # The clash keeps its modal code (190, Goldstein -10) and its first day; the meeting 040 (+1).
    assert clusters.goldstein_mean == pytest.approx((3 * -10 + 1 * 1) / 4)
    assert clusters.coverage == 4 + 3 + 1 + 1  # + the RUS consultation (3 outlets) and two Turkish praises
    rows = dyad_events(echoed, "ARM", "AZE", where=JULY)
    assert sorted(rows.event_code) == ["040", "190"] and set(rows.event_date.astype(str)) == {"2020-07-12", "2020-07-20"}


def test_the_rollup_answers_exactly_like_collapsing_the_reports(echoed: Store, caucasus_store: Store) -> None:
    for store in (echoed, caucasus_store):
        for where in (JULY, EventFilter(), EventFilter(modalities=("announced",))):
            for a, b in (("ARM", "AZE"), ("AZE", "TUR"), ("AZE", "NATO")):
                fast = dyad_series(store, a, b, freq="week", where=where)
                slow = dyad_series(DuckDBEngine(store), a, b, freq="week", where=where)
                pd.testing.assert_frame_equal(fast, slow, check_exact=False, rtol=1e-9)


def test_the_rollup_follows_incremental_updates_and_rebuilds(tmp_path: Path) -> None:
    store = Store(":memory:")
    for i, part in enumerate((ECHOED[:3], ECHOED[3:])):  # the second file joins the first file's cluster
        path = tmp_path / f"part{i}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in part), encoding="utf-8")
        ingest_files(store, [path])
    incremental = store.df("SELECT * FROM cluster_units ORDER BY cluster_id, modality")
    assert len(incremental) == 5 and incremental.reports.sum() == len(ECHOED)
    rebuild_clusters(store)
    pd.testing.assert_frame_equal(incremental, store.df("SELECT * FROM cluster_units ORDER BY cluster_id, modality"))


def test_alignment_and_salience_count_by_the_unit(echoed: Store) -> None:
    by = {u: alignment_series(echoed, "AZE", "RUS", "TUR", where=EventFilter(start=JULY.start, end=JULY.end, unit=u),
                              n_boot=20).iloc[0] for u in ("clusters", "reports")}
    assert (by["clusters"].n_a, by["clusters"].n_b) == (1, 2) and (by["reports"].n_a, by["reports"].n_b) == (3, 2)
    found = {u: developments(echoed, ["ARM", "AZE"], JULY.start, JULY.end, where=EventFilter(unit=u))
             for u in ("clusters", "reports")}
    assert sorted(found["clusters"].events) == [1, 1] and sorted(found["reports"].events) == [2, 5]


def test_a_bad_unit_is_one_clear_error() -> None:
    with pytest.raises(InputError, match="unknown unit 'rows'; use reports or clusters"):
        EventFilter(unit="rows")
    assert EventFilter(start="2020-07-01", known_by="2020-08-01").known_by == dt.date(2020, 8, 1)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="--known-by 'soon' is not a date"):
        EventFilter(known_by="soon")  # type: ignore[arg-type]


@pytest.mark.parametrize("unit", ["clusters", "reports"])
def test_the_2020_war_is_flagged_against_the_history_before_from(caucasus_store: Store, unit: str) -> None:
    where = EventFilter(start=dt.date(2020, 9, 1), end=dt.date(2020, 11, 15), unit=unit)
    # By clusters the war's first day is two happenings on this dyad (the Karabakh front, one battle area however
    # many districts report it, and the Tavush border), below the default floor of three events and, against the
    # 26 days with data before it (the Tovuz days of July among them), just short of the 99% level (p 0.011);
    # weekly it is flagged (tests/analytics/test_flareups.py). By reports the day is flagged (docs/methods.md).
    days = flareups(caucasus_store, "ARM", "AZE", freq="day", where=where, min_events=2)
    assert days.period.min() == pd.Timestamp("2020-09-01")  # only the window is reported ...
    war = days[days.period == pd.Timestamp("2020-09-27")].iloc[0]
    assert war.conflict_events >= 2 and war.p_value < (0.02 if unit == "clusters" else 0.01)
    if unit == "reports":
        assert pd.Timestamp("2020-09-27") in set(days.period[days.first_detection])
    # ... but its baseline is the 26 days with data before each day; a day without any event is not tested
    assert days.p_value[days.coverage > 0].notna().all() and days.p_value[days.coverage == 0].isna().all()


def test_the_cli_takes_a_unit_and_rejects_a_bad_one(caucasus_db: Path) -> None:
    from typer.testing import CliRunner

    from geodrift.cli import app

    runner = CliRunner()
    counts = {}
    for unit in ("clusters", "reports"):
        result = runner.invoke(app, ["dyads", "ARM", "AZE", "--from", "2020-07-01", "--to", "2020-07-31", "--unit", unit,
                                     "--format", "json", "--db", str(caucasus_db)])
        assert result.exit_code == 0, result.output
        counts[unit] = sum(row["events"] for row in json.loads(result.output))
    assert 0 < counts["clusters"] < counts["reports"]
    for verb in (["dyads", "ARM", "AZE"], ["flareups", "ARM", "AZE"], ["alignment", "AZE", "--poles", "RUS", "TUR"],
                 ["drift", "ARM", "AZE"], ["matrix", "ARM,AZE,TUR"]):
        result = runner.invoke(app, [*verb, "--unit", "rows", "--db", str(caucasus_db)])
        assert result.exit_code == 1 and result.output.strip() == "error: unknown unit 'rows'; use reports or clusters"


def test_a_store_never_clustered_counts_each_report_as_its_cluster() -> None:
    """Rows written without the clustering (a bulk load, a benchmark) are clusters of one: both units agree."""
    store = Store(":memory:")
    store.con.execute("""
        INSERT INTO events (event_id, source, source_event_id, event_date, date_added, actor1_country, actor2_country,
                            event_code, event_root_code, quad_class, goldstein, num_sources, file_id)
        SELECT 'syn:' || i, 'synthetic', CAST(i AS VARCHAR), DATE '2020-01-01' + CAST(i % 200 AS INTEGER),
               TIMESTAMP '2020-01-01', ['ARM', 'AZE', 'TUR'][1 + i % 3], ['AZE', 'RUS', 'ARM'][1 + (i // 3) % 3],
               '190', '19', 4, -10.0, CAST(1 + i % 4 AS INTEGER), 1
        FROM range(3000) AS t(i)""")
    store.con.execute("INSERT INTO ingested_files (file_id, format, location, checksum, rows_accepted, status, "
                      "started_at) VALUES (1, 'synthetic', 'test', 'synthetic', 3000, 'done', now())")
    store.refresh_aggregates()
    for freq in ("week", "month"):
        clusters = dyad_series(store, "ARM", "AZE", freq=freq)
        reports = dyad_series(store, "ARM", "AZE", freq=freq, where=EventFilter(unit="reports"))
        pd.testing.assert_frame_equal(clusters, reports)
        assert clusters.events.sum() == store.df(
            "SELECT count(*) AS n FROM events WHERE actor1_country IN ('ARM', 'AZE') AND actor2_country IN ('ARM', 'AZE') "
            "AND actor1_country <> actor2_country").n[0]


def test_the_stored_precision_says_which_curated_records_are_month_only(caucasus_store: Store, shared: Path) -> None:
    """units_sql.MONTH_ONLY and its pandas twin (the analysis's evidence, salience) read the stored precision: the
    11 records of caucasus-2020-events dated to a day that falls on a 1st are day-dated (the old "curated and on a 1st"
    rule misread them), the 215 dated "YYYY-MM" month-only, and the undated ones take their page's date's precision."""
    lines = (shared / "caucasus-2020-events/events.jsonl").read_text(encoding="utf-8").splitlines()
    records = {f"curated:{r['event_id']}": r for r in map(json.loads, filter(None, lines))}
    frame = caucasus_store.df(f"SELECT event_id, event_date, {MONTH_ONLY} AS flagged FROM events "
                              f"WHERE source = 'curated' ORDER BY event_id")
    frame = frame.assign(event_date_precision=caucasus_store.df(
        "SELECT event_date_precision FROM events WHERE source = 'curated' ORDER BY event_id").event_date_precision)
    wanted = {i: r["event_date_precision"] if r["event_date"] else
              ("month" if len(r["published"] or "") == 7 else "day") for i, r in records.items()}
    assert len(records) == 869 and len(frame) > 800 and set(frame.event_id) <= set(records)  # the rest undatable
    assert frame.flagged.tolist() == [wanted[i] == "month" for i in frame.event_id]
    on_first = frame[pd.to_datetime(frame.event_date).dt.day.eq(1) & frame.event_id.map(
        lambda i: records[i]["event_date_precision"] == "day")]
    assert len(on_first) == 11 and not on_first.flagged.any()
    assert frame[frame.event_id.map(lambda i: len(records[i]["event_date"] or "") == 7)].flagged.all()
    assert sum(r["event_date_precision"] == "month" for r in records.values()) == 215
    assert month_only(frame).tolist() == frame.flagged.tolist()
    gdelt = caucasus_store.df(f"SELECT count(*) AS n, count(*) FILTER ({MONTH_ONLY}) AS vague, "
                              "count(*) FILTER (event_date_precision = 'day') AS day FROM events WHERE source = 'gdelt1'")
    assert gdelt.n[0] > 1000 and gdelt.vague[0] == 0 and gdelt.day[0] == gdelt.n[0]


def test_month_only_reads_the_precision_column_and_nothing_else() -> None:
    """Hand cases: a day on a 1st is dated, a month or year is not, whatever the source; a missing precision
    (a row written without one) is a day."""
    frame = pd.DataFrame({"source": ["curated", "curated", "gdelt1", "coded", "curated"],
                          "event_date": [dt.date(2020, 9, 1)] * 4 + [dt.date(2020, 9, 14)],
                          "event_date_precision": ["day", "month", "day", "year", None]})
    assert month_only(frame).tolist() == [False, True, False, True, False]
    with pytest.raises(KeyError):
        month_only(frame.drop(columns="event_date_precision"))


