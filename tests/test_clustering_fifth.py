"""Event clusters, the fifth rule's steps (docs/methods.md, "Event clusters"), each with hand-made cases of both kinds:
a statement joins the exchange its page tells; a named contact retold the next day joins it; one GDELT document's
intent and consultation are one."""

from __future__ import annotations

import json
from pathlib import Path

from geodrift.clustering import rebuild_clusters
from geodrift.ingest import ingest_files
from geodrift.store import Store
from tests.test_clustering import clustered, same
from tests.test_clustering_rule import ALIYEV, PUTIN, named
from tests.test_clustering_sources import ICEWS_HEADER, NK, US, gdelt_doc_rows, icews_line, ingested

KREMLIN, BAKU_MFA = ("Kremlin", "RUS"), ("Azerbaijani Foreign Ministry", "AZE")


def on_page(page: str, rec: dict[str, object]) -> dict[str, object]:
    """The record as coded from the article ``page`` (several records of one page share it)."""
    rec["article_id"], rec["url"] = page, f"https://{rec['outlet']}/{page}"
    return rec


def test_a_complaint_and_an_appeal_join_the_call_their_page_tells(tmp_path: Path) -> None:
    """The 12 August 2020 Aliyev-Putin call: one page tells the call (041), Aliyev's complaint in it (114) and the
    Kremlin's appeal (0256); another outlet tells only the complaint, a third only the appeal. All are one call. Baku's
    complaint to Moscow on a page that tells no exchange, and a Russian accusation on its own page, stay apart."""
    found = clustered(tmp_path, [
        on_page("p1", named("call", "2020-08-12", ALIYEV, PUTIN, "041", "Aliyev phoned Putin on August 12.",
                            outlet="asbarez.org")),
        on_page("p1", named("complaint", "2020-08-12", ALIYEV, PUTIN, "114",
                            "Aliyev told Putin on August 12 that arms flights to Armenia worried Baku.",
                            outlet="asbarez.org")),
        on_page("p1", named("appeal", "2020-08-12", KREMLIN, ("Azerbaijan", "AZE"), "0256",
                            "The Kremlin said on August 12 escalation was unacceptable.", outlet="asbarez.org")),
        named("complaint2", "2020-08-12", ALIYEV, PUTIN, "114", "Aliyev voiced concern to Moscow on August 12.",
              outlet="rferl.org"),
        named("appeal2", "2020-08-12", KREMLIN, ("Azerbaijan", "AZE"), "0256",
              "Putin told Aliyev on August 12 that escalation was unacceptable.", outlet="rfe.pangea-cms.com"),
    ])
    assert same(found, "call", "complaint", "appeal", "complaint2", "appeal2")
    apart = clustered(tmp_path, [
        named("call", "2020-08-12", ALIYEV, PUTIN, "041", "Aliyev phoned Putin on August 12.", outlet="asbarez.org"),
        named("note", "2020-08-12", BAKU_MFA, ("Russia", "RUS"), "114",
              "Baku's foreign ministry protested to Moscow on August 12 about arms flights.", outlet="news.az"),
        named("accuse", "2020-08-12", KREMLIN, ("Azerbaijan", "AZE"), "112",
              "Moscow accused Baku on August 12 of stoking tension.", outlet="tass.com"),
    ])
    assert len({apart["call"], apart["note"], apart["accuse"]}) == 3


def test_statements_of_one_page_without_an_exchange_stay_apart(tmp_path: Path) -> None:
    """An accusation and the counter-accusation told on one page are two speakers' acts; an admission and the apology
    one page tells of one statement are one (the 9 November 2020 helicopter downing), with another outlet's report of
    the admission, while Moscow's criticism that day stays apart."""
    found = clustered(tmp_path, [
        on_page("p1", named("accuse", "2020-07-12", ("Armenia", "ARM"), ("Azerbaijan", "AZE"), "112",
                            "Yerevan accused Baku on July 12 of an attack.", outlet="armenpress.am")),
        on_page("p1", named("counter", "2020-07-12", ("Azerbaijan", "AZE"), ("Armenia", "ARM"), "112",
                            "Baku accused Yerevan on July 12 of a provocation.", outlet="armenpress.am")),
        on_page("p2", named("admit", "2020-11-09", ("Azerbaijan", "AZE"), ("Russia", "RUS"), "015",
                            "Azerbaijan admitted on Monday it downed the helicopter by mistake.", outlet="dailysabah.com")),
        on_page("p2", named("sorry", "2020-11-09", BAKU_MFA, ("Russia", "RUS"), "055",
                            "Its foreign ministry apologised to Moscow on Monday.", outlet="dailysabah.com")),
        named("admit2", "2020-11-09", ("Azerbaijan", "AZE"), ("Russia", "RUS"), "015",
              "Baku confirmed on Monday its forces shot down the helicopter.", outlet="sott.net"),
        named("threat", "2020-11-09", ("Russia", "RUS"), ("Azerbaijan", "AZE"), "111",
              "Moscow criticised Baku on Monday over the downing.", outlet="tass.com"),
    ])
    assert found["accuse"] != found["counter"]
    assert same(found, "admit", "sorry", "admit2")
    assert found["threat"] != found["sorry"]


def test_a_lone_statement_keeps_its_direction_in_the_summary(tmp_path: Path) -> None:
    """A statement sits in the talk family's block, which holds the pair unordered; the cluster of a complaint alone
    still says who complained to whom, while a call's cluster is mutual."""
    records = [named("call", "2020-08-12", PUTIN, ALIYEV, "041", "Putin phoned Aliyev on August 12.", outlet="tass.com"),
               named("note", "2020-08-12", BAKU_MFA, ("Russia", "RUS"), "114",
                     "Baku protested to Moscow on August 12 about arms flights.", outlet="news.az")]
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    store = Store(":memory:")
    ingest_files(store, [path])
    rows = dict((c.split(":", 1)[1], (a, b, m)) for c, a, b, m in store.con.execute(
        "SELECT cluster_id, side_a, side_b, mutual FROM cluster_summary").fetchall())
    assert rows == {"note": ("AZE", "RUS", False), "call": ("AZE", "RUS", True)}


def told(day: str, event_id: str, source: tuple[str, str], target: tuple[str, str], code: str = "040") -> str:
    """An ICEWS consultation in New York (the test places' one US city) on ``day``."""
    return icews_line(event_id, source, target, code, "New York").replace("2018-06-01", day, 1)


def test_a_named_contact_retold_the_next_day_joins_it(tmp_path: Path) -> None:
    """Kim Yong-chol received by Trump on 1 June 2018 (five rows) and told again on the 2nd as the United States hosting
    him (two rows), a day whose largest group is another contact (Trump and Kim Jong-un, three rows): the retelling
    names Kim Yong-chol, so it joins his reception; Kang Sang Chun's talks told on the 2nd name nobody of the 1st and
    stay apart."""
    kyc, trump, kju = ("Kim Yong-chol", NK), ("Donald Trump", US), ("Kim Jong-Un", NK)
    found = ingested(tmp_path, "events.2018.sample.tab", [
        *[told("2018-06-01", f"1{i}", trump, kyc) for i in range(5)],  # 10-14: the reception
        *[told("2018-06-02", f"2{i}", kju, trump, "046") for i in range(3)],  # 20-22: Trump and Kim Jong-un
        *[told("2018-06-02", f"3{i}", (US, US), kyc, "043") for i in range(2)],  # 30-31: the retelling
        told("2018-06-02", "40", ("Kang Sang Chun", NK), (US, US)),
    ], header=ICEWS_HEADER)
    assert same(found, "10", "14", "30", "31")
    assert found["40"] != found["10"] and found["40"] != found["20"]


def test_one_gdelt_document_s_intent_and_negotiation_are_one(shared: Path, tmp_path: Path) -> None:
    """Armenia's intent to meet Hillary Clinton (036, ARM→USA) and her negotiation with Armenia (046, USA→ARM) coded
    from one document set (GDELT 1.0: the same AvgTone) are one visit; the United States' intent told by another document
    stays apart, and so do an intent and a negotiation whose only shared key is the placeholder
    counts of a tone-0 batch."""
    found = ingested(tmp_path, "20120801.export.CSV", gdelt_doc_rows(shared, [
        {"id": "1", "a1": "ARM", "a2": "USA", "code": "036", "tone": "3.605", "articles": "2"},
        {"id": "2", "a1": "USA", "a2": "ARM", "code": "046", "tone": "3.605", "articles": "2"},
        {"id": "3", "a1": "USA", "a2": "ARM", "code": "036", "tone": "1.25", "articles": "2"},
        {"id": "4", "a1": "RUS", "a2": "GEO", "code": "036", "tone": "0", "articles": "3"},
        {"id": "5", "a1": "GEO", "a2": "RUS", "code": "046", "tone": "0", "articles": "3"},
    ], version=1))
    assert same(found, "1", "2") and found["3"] != found["1"]
    assert found["4"] != found["5"]


def test_icews_days_ingested_apart_equal_a_rebuild(shared: Path, tmp_path: Path) -> None:
    """The ICEWS sample's two days as two files, the later first: a contact retold on 2 June joins the 1 June group
    only once both days are stored, and the incremental clusters and summaries are those of one rebuild."""
    header, *lines = (shared / "icews/events.2018.sample.tab").read_text(encoding="utf-8").splitlines()
    store = Store(":memory:")
    for day in ("2018-06-02", "2018-06-01"):
        path = tmp_path / f"events.{day}.tab"
        path.write_text("\n".join([header, *(line for line in lines if line.split("\t")[1] == day)]) + "\n",
                        encoding="utf-8")
        ingest_files(store, [path])
    clusters = store.df("SELECT event_id, cluster_id FROM clusters ORDER BY event_id")
    summary = store.df("SELECT * FROM cluster_summary ORDER BY cluster_id")
    assert store.count_events() == len(lines) == len(clusters)
    rebuild_clusters(store)
    assert clusters.equals(store.df("SELECT event_id, cluster_id FROM clusters ORDER BY event_id"))
    assert summary.equals(store.df("SELECT * FROM cluster_summary ORDER BY cluster_id"))
