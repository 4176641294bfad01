import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from geodrift.analytics.salience import developments, distinct_places
from geodrift.ingest import ingest_files
from geodrift.report.grouping import merge_developments
from geodrift.store import Store


def test_places_most_reported_first_without_names_another_holds() -> None:
    """Place names as the curated 2020 records give them for the Kalbajar handover."""
    names = pd.Series(["Kalbajar", "Charektar, Kalbajar", "Charektar, Kalbajar", "Karvachar (Kalbajar)", None, "",
                       "Vardenis", "Vardenis, Mets Masrik and Sotk", "Ganjabad", "Ganja", "Ganja"])
    assert distinct_places(names) == ["Charektar, Kalbajar", "Ganja", "Ganjabad", "Karvachar (Kalbajar)",
                                      "Vardenis, Mets Masrik and Sotk"]


def test_each_event_is_cited_by_a_report_dated_to_its_day(report_store) -> None:  # type: ignore[no-untyped-def]
    """A reader saw "express intent to cooperate, 14 Jul" cited by a July-only report published before the clash it
    reacted to, while the cluster held a report of that day."""
    import datetime as dt

    from geodrift.analytics.salience import developments

    found = developments(report_store, ["ARM", "AZE", "GEO", "RUS", "TUR", "IRN"], dt.date(2020, 7, 11),
                         dt.date(2020, 7, 25))
    cited = [i for ids in found.event_ids for i in ids]
    reports = report_store.df(f"""
        SELECT c.cluster_id, e.event_id, e.event_date_precision <> 'day' AS month_only
        FROM clusters AS c JOIN events AS e USING (event_id)
        WHERE c.cluster_id IN (SELECT cluster_id FROM clusters WHERE event_id IN ({", ".join(map(repr, cited))}))""")
    dated = set(reports[~reports.month_only].cluster_id)
    chosen = reports[reports.event_id.isin(cited)]
    assert len(dated) > 10 and chosen.cluster_id.nunique() == len(cited)
    wrong = chosen[chosen.month_only & chosen.cluster_id.isin(dated)]
    assert wrong.empty, f"cited by a month-only report although one dated to the day exists: {list(wrong.event_id)}"


def _report(event_id: str, code: str, modality: str, date: str, precision: str, summary: str) -> dict[str, object]:
    """A coded report as `geodrift code` stores it: Armenian and Azerbaijani forces, the border."""
    return {"event_id": event_id, "article_id": f"article-{event_id}", "url": f"https://news.example/{event_id}",
            "outlet": "news.example", "published": "2020-07-24", "language": "en", "event_date": date,
            "event_date_precision": precision, "plover": None, "claimed_by": None, "fatalities": None,
            "confidence": "high", "place": {"name": "Tovuz", "iso3": "AZE", "adm1": None, "lat": None, "lon": None},
            "actor1": {"name": "Armenia", "iso3": "ARM", "role": "MIL"},
            "actor2": {"name": "Azerbaijan", "iso3": "AZE", "role": "MIL"},
            "cameo_code": code, "quad_class": 4, "modality": modality, "summary": summary}


@pytest.fixture(scope="module")
def said_store(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The curated 2020 events and coded sentences a reader found miscounted: a denial ("Armenia denied shelling
    Azerbaijani positions"), the seed's hypothetical month-dated scuffle, and earlier actual fighting (one dated to
    a day in May, one to June only, one to July only)."""
    folder = tmp_path_factory.mktemp("said")
    records = [
        _report("denial", "190", "negated", "2020-07-23", "day", "Armenia denied shelling Azerbaijani positions."),
        _report("maybe", "180", "hypothetical", "2020-07", "month",
                "This month's flare-up may represent more than another scuffle."),
        _report("may", "190", "actual", "2020-05-20", "day", "Armenian forces shelled Azerbaijani positions."),
        _report("june", "190", "actual", "2020-06", "month", "In June the two sides exchanged fire on the border."),
        _report("july", "190", "actual", "2020-07", "month", "In July the two sides exchanged fire on the border."),
    ]
    (folder / "said.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    with Store(folder / "said.duckdb") as store:
        ingest_files(store, [shared / "caucasus-2020-events/events.jsonl", folder / "said.jsonl"])
    with Store(folder / "said.duckdb", read_only=True) as store:
        yield store


CAUCASUS = ["ARM", "AZE", "GEO", "RUS", "TUR", "IRN"]


def test_a_denial_is_said_not_done(said_store: Store) -> None:
    """A denied fight has no Goldstein value, escalation or novelty, and ranks after every act that happened."""
    found = developments(said_store, CAUCASUS, dt.date(2020, 7, 11), dt.date(2020, 7, 25))
    denial = found[found.modality == "negated"]
    assert len(denial) == 1 and denial.root.iloc[0] == "19"
    assert denial.escalation.iloc[0] == 0 and denial.novelty.iloc[0] == 0 and pd.isna(denial.goldstein.iloc[0])
    assert denial.index[0] > found[~found.modality.isin(["negated", "hypothetical"])].index.max()


def test_similar_events_are_earlier_actual_ones_alike_in_briefing_and_timeline(said_store: Store) -> None:
    """The 12-22 July fighting had two earlier actual fights in the 90 days before it (20 May; June, wholly past);
    not the hypothetical July scuffle, not the July-only report, not its own days: the briefing's development and
    the analysis's merged timeline item say the same."""
    brief = developments(said_store, CAUCASUS, dt.date(2020, 7, 11), dt.date(2020, 7, 25))
    fight = brief[(brief.a == "ARM") & (brief.b == "AZE") & (brief.root == "19") & (brief.modality == "actual")]
    assert list(fight.baseline) == [2]
    timeline = developments(said_store, CAUCASUS, dt.date(2020, 7, 1), dt.date(2020, 8, 1), by_day=True)
    days = timeline[(timeline.a == "ARM") & (timeline.b == "AZE") & (timeline.root == "19")
                    & (timeline.modality == "actual")].sort_values("first_date")
    assert days.first_date.iloc[0] == pd.Timestamp("2020-07-12") and days.baseline.iloc[0] == 2
    assert days.baseline.iloc[1] > 2  # a later day counts the earlier days' fighting, which came before it
    merged = merge_developments(days, {})
    first = merged[merged.first_date == pd.Timestamp("2020-07-12")]
    assert list(first.baseline) == [2]


def test_a_denial_never_heads_the_briefing(said_store: Store, tmp_path: Path) -> None:
    """The briefing lists the denial as one ("denied"), after the fighting, with no Goldstein value; its summary
    names an act."""
    from geodrift.codebooks import briefing_regions
    from geodrift.report.briefing import build_briefing

    document = build_briefing(said_store, dt.date(2020, 7, 24), briefing_regions()["caucasus"], tmp_path, days=14)
    summary, listed = document.sections[0], document.sections[1]
    assert "denied" not in summary.paragraphs[0].text and "fight" in summary.paragraphs[0].text
    texts = [item.text for item in listed.items]
    denial = [i for i, t in enumerate(texts) if "(denied): fight" in t]
    assert len(denial) == 1 and denial[0] > 0
    table = listed.tables[0]
    row = dict(zip(table.columns, next(r for r in table.rows if r[table.columns.index("modality")] == "denied"),
                   strict=True))
    assert row["mean Goldstein"] == "–" and row["novelty"] == "0.0"
