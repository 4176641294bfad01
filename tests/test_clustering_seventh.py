"""Event clusters, the seventh rule's step (docs/methods.md, "Event clusters"): a statement retold the next day joins
the speaker's statement of the day before, decided only by reports known when the retelling was; hand-made cases of
both kinds, its knowledge-time guard and its incremental run."""

from __future__ import annotations

import json
from pathlib import Path

from geodrift.ingest import ingest_files
from geodrift.store import Store
from tests.test_clustering import clustered, same
from tests.test_clustering_fifth import on_page
from tests.test_clustering_rule import ALIYEV, PUTIN, named
from tests.test_clustering_sources import ICEWS_HEADER, NK, US, icews_line, ingested

MACRON, TURKEY = ("Emmanuel Macron", "FRA"), ("Turkey", "TUR")
AZERBAIJAN, RUSSIA = ("Azerbaijan", "AZE"), ("Russia", "RUS")
BRUSSELS = {"name": "Brussels", "iso3": "BEL", "adm1": "Brussels", "lat": 50.85, "lon": 4.35}


def published(rec: dict[str, object], day: str) -> dict[str, object]:
    """The record as published on ``day`` (a month-only "2020-08" is known at the month's end)."""
    rec["published"] = day
    return rec


def claims() -> list[dict[str, object]]:
    """Macron's claim at the EU summit, told "on Thursday" (1 October 2020) by one outlet and "on October 2" by
    another, published on the 5th; Azerbaijan's admission of the helicopter downing told on 9 and 10 November."""
    return [
        published(named("thu", "2020-10-01", MACRON, TURKEY, "112", "Macron alleged on Thursday in Brussels that "
                        "Syrian fighters moved via Gaziantep.", place=BRUSSELS, outlet="euobserver.com"), "2020-10-01"),
        published(named("oct2", "2020-10-02", MACRON, TURKEY, "112", "Macron said on October 2 that jihadists were "
                        "being moved to Azerbaijan.", outlet="mirrorspectator.com"), "2020-10-05"),
        published(named("nov9", "2020-11-09", AZERBAIJAN, RUSSIA, "015", "Azerbaijan accepted responsibility for "
                        "downing the Russian helicopter.", outlet="tass.com"), "2020-11-09"),
        published(named("nov10", "2020-11-10", AZERBAIJAN, RUSSIA, "015", "Baku admitted its forces had attacked a "
                        "Russian helicopter.", outlet="unn.ua"), "2020-11-10"),
    ]


def test_a_statement_retold_the_next_day_joins_it(tmp_path: Path) -> None:
    """Each claim told on two days by two outlets is one claim, whichever the files' order."""
    for files in (1, 2):
        found = clustered(tmp_path, claims(), files)
        assert same(found, "thu", "oct2") and same(found, "nov9", "nov10") and found["thu"] != found["nov9"]


def test_statements_of_other_speakers_codes_or_days_stay_apart(tmp_path: Path) -> None:
    """Another speaker of the same side, another code by the same speaker and a statement two days later each stay
    apart from Macron's claim of 1 October (each tried alone: statements of one root, direction and day are one atom
    whoever made them, step 1)."""
    thu = published(named("thu", "2020-10-01", MACRON, TURKEY, "112", "Macron alleged on Thursday that Syrian fighters "
                          "moved via Gaziantep.", outlet="euobserver.com"), "2020-10-01")
    others = [
        published(named("fm", "2020-10-02", ("French Foreign Ministry", "FRA"), TURKEY, "112",
                        "France's foreign ministry accused Ankara on October 2 of sending fighters.",
                        outlet="france24.com"), "2020-10-02"),
        published(named("other", "2020-10-02", MACRON, TURKEY, "111", "Macron criticised Turkey's 'warlike' "
                        "statements on October 2.", outlet="lemonde.fr"), "2020-10-02"),
        published(named("sat", "2020-10-03", MACRON, TURKEY, "112", "Macron accused Turkey again on October 3.",
                        outlet="rfi.fr"), "2020-10-03"),
    ]
    for other in others:
        found = clustered(tmp_path, [thu, other])
        assert found["thu"] != found[str(other["event_id"])], other["event_id"]


def test_a_retelling_known_before_the_statement_it_matches_stays_apart(tmp_path: Path) -> None:
    """The knowledge-time guard: when the day-before record was published after the retelling, joining them would let
    a later report decide, after the fact, which earlier report a cluster holds; they stay apart."""
    records = claims()
    records[0]["published"] = "2020-10-07"  # 'thu' now known after 'oct2' (the 5th)
    found = clustered(tmp_path, records)
    assert found["thu"] != found["oct2"] and same(found, "nov9", "nov10")


def test_a_statement_the_day_after_a_call_joins_the_call(tmp_path: Path) -> None:
    """Aliyev's complaint in his 12 August call, told "according to a statement on August 13" by a page dated only to
    August (known at its end), joins the call and the complaint its page tells; an accusation by Aliyev on the 13th
    (another code) stays apart."""
    call = [
        on_page("p1", published(named("call", "2020-08-12", ALIYEV, PUTIN, "041", "Aliyev phoned Putin on August 12.",
                                      outlet="president.az"), "2020-08-12")),
        on_page("p1", published(named("complaint", "2020-08-12", ALIYEV, RUSSIA, "114",
                                      "Aliyev told Putin on August 12 that arms flights to Armenia worried Baku.",
                                      outlet="president.az"), "2020-08-12")),
    ]
    found = clustered(tmp_path, [*call, published(named(
        "statement", "2020-08-13", ALIYEV, RUSSIA, "114", "Aliyev said after a call with Putin, according to a "
        "statement on August 13, that Russian shipments to Armenia worried Azerbaijanis.", outlet="meydan.tv"),
        "2020-08")])
    assert same(found, "call", "complaint", "statement")
    found = clustered(tmp_path, [*call, published(named(
        "accuse", "2020-08-13", ALIYEV, RUSSIA, "112", "Aliyev accused Moscow on August 13 of arming Yerevan.",
        outlet="news.az"), "2020-08-13")])
    assert same(found, "call", "complaint") and found["accuse"] != found["call"]


def test_clusters_cut_at_a_knowledge_time_are_the_full_store_s(tmp_path: Path) -> None:
    """Clustering only the reports known by each day gives, for them, the clusters of the whole store: the retelling
    never joins reports that, known earlier, were apart. Here the 1 October claim is published on the 7th, after its
    retelling, beside a foreign ministry statement of that day (one atom with it) published on the 1st: joining the
    retelling to them would put it with the ministry's statement as of the 5th, when nothing known tied them."""
    records = claims()
    records[0]["published"] = "2020-10-07"
    records.append(published(named("fm", "2020-10-01", ("French Foreign Ministry", "FRA"), TURKEY, "112",
                                   "France's foreign ministry accused Ankara on October 1 of sending fighters.",
                                   outlet="france24.com"), "2020-10-01"))
    full = clustered(tmp_path, records)
    for cut in ("2020-10-01", "2020-10-05", "2020-10-07", "2020-11-09"):
        known = [r for r in records if str(r["published"]) <= cut]
        path = tmp_path / f"cut-{cut}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in known), encoding="utf-8")
        store = Store(":memory:")
        ingest_files(store, [path])
        then = dict(store.con.execute("SELECT event_id, cluster_id FROM clusters").fetchall())
        pairs = [(a, b) for a in then for b in then if a < b]
        assert [then[a] == then[b] for a, b in pairs] == [
            full[a.split(":", 1)[1]] == full[b.split(":", 1)[1]] for a, b in pairs]


def in_country(line: str) -> str:
    """The ICEWS row placed only by its country (no city, no province), as some outlets' rows are."""
    cells = line.split("\t")
    cells[14] = cells[16] = ""
    return "\t".join(cells)


def test_a_contact_placed_only_by_country_joins_a_group_whose_people_fit(tmp_path: Path) -> None:
    """1 June 2018: Pompeo's talks with Kim Yong-chol in New York (three rows). A row placed only in the United States
    joins them when its people fit (Kim Yong-chol with Pompeo); Kim Yong-chol's visit to Trump placed there shares a
    person but not the other side, so it is another meeting and stays apart (part F's false merge: one person in
    common was enough)."""
    kyc, pompeo, trump = ("Kim Yong-chol", NK), ("Mike Pompeo", US), ("Donald Trump", US)
    found = ingested(tmp_path, "events.2018.sample.tab", [
        icews_line("1", pompeo, kyc, "040", "New York"), icews_line("2", kyc, pompeo, "040", "New York"),
        icews_line("3", pompeo, kyc, "046", "New York"),
        in_country(icews_line("4", kyc, pompeo, "040", "New York")),
        in_country(icews_line("6", kyc, trump, "042", "New York")),
    ], header=ICEWS_HEADER)
    assert same(found, "1", "2", "3", "4") and found["6"] != found["1"]
