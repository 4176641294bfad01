"""The dictionary coder end to end: the seed article's required events, the CLI, and the store."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa

from geodrift.coding.articles import normalize_text
from geodrift.coding.base import sentences
from geodrift.coding.coder import code_text
from geodrift.events import EVENT_SCHEMA
from geodrift.store import Store
from tests.test_cli import run

SEED_DAY = dt.date(2020, 7, 24)


def seed_events(shared: Path) -> list[dict]:  # type: ignore[type-arg]
    text = (shared.parent / "seed" / "azerbaijan-slow-drift-toward-turkey.txt").read_text()
    return code_text(text, published=SEED_DAY, url="https://geopoliticalfutures.com/azerbaijans-slow-drift-toward-turkey/")


def test_seed_article_events(shared: Path) -> None:
    events = seed_events(shared)
    by = {(e["actor1_country"], e["actor2_country"], e["event_code"]): e for e in events}
    tovuz = by[("ARM", "AZE", "190")]
    assert str(tovuz["event_date"]) == "2020-07-12" and tovuz["quad_class"] == 4 and tovuz["modality"] == "actual"
    assert tovuz["action_geo_name"] == "Tovuz" and tovuz["action_geo_country"] == "AZE"
    drills = by[("RUS", "ARM", "062")]
    assert str(drills["event_date"]) == "2020-07-23" and drills["quad_class"] == 2 and drills["modality"] == "actual"
    answer = by[("AZE", "TUR", "062")]
    assert answer["modality"] == "announced" and answer["quad_class"] == 2
    interventions = [e for e in events if e["event_root_code"] in ("07", "17", "18", "19")
                     and "interfere" in e["evidence_sentence"]]
    assert interventions and all(e["modality"] == "negated" for e in interventions)
    assert all(e["source_url"].startswith("https://") and e["outlet"] == "geopoliticalfutures.com" for e in events)
    sentence = tovuz["evidence_sentence"]
    text = (shared.parent / "seed" / "azerbaijan-slow-drift-toward-turkey.txt").read_text()
    assert normalize_text(text)[tovuz["evidence_start"]:tovuz["evidence_end"]].strip() == sentence


def test_rows_fit_the_canonical_schema(shared: Path) -> None:
    batch = pa.RecordBatch.from_pylist(seed_events(shared), schema=EVENT_SCHEMA)
    assert batch.num_rows > 3 and batch.schema == EVENT_SCHEMA


def test_sentence_split_keeps_offsets() -> None:
    text = "Baku said so. Ankara agreed! Moscow? Yes."
    assert [(s, text[a:b]) for a, b, s in sentences(text)] == [
        ("Baku said so.", "Baku said so."), ("Ankara agreed!", "Ankara agreed!"), ("Moscow?", "Moscow?"),
        ("Yes.", "Yes.")]
    assert [s for _, _, s in sentences(normalize_text("Azerbaijan's Slow Drift\n\nThis month's flare-up ..."))] == [
        "Azerbaijan's Slow Drift", "This month's flare-up ..."]  # a headline is a sentence of its own
    text = "U.N. Secretary-General Kofi Annan met Gen. Aoun on Jan. 5 in Beirut. Then he left."
    assert [s for _, _, s in sentences(text)] == ["U.N. Secretary-General Kofi Annan met Gen. Aoun on Jan. 5 in Beirut.",
                                                  "Then he left."]


def test_code_cli_jsonl_and_into_store(shared: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    result = run("code", str(shared.parent / "seed"), "--published", "2020-07-24", "--into", "--db", str(db))
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"event_id", "actor1_country", "event_code", "modality", "evidence_sentence"} <= set(events[0])
    with Store(db, read_only=True) as store:
        assert store.count_events() == len(events)
    assert "stored" in result.stderr
    again = run("code", str(shared.parent / "seed"), "--published", "2020-07-24", "--into", "--db", str(db))
    assert again.returncode == 0 and "already stored" in again.stderr
    with Store(db, read_only=True) as store:
        assert store.count_events() == len(events)
        assert store.df("SELECT count(*) AS n FROM ingested_files").n[0] == 1


def test_code_cli_table_fits_a_terminal(shared: Path) -> None:
    result = run("code", str(shared.parent / "seed"), "--published", "2020-07-24", "--format", "table",
                 env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80 and "…" not in result.stdout
    assert any("2020-07-12" in line and "ARM MIL" in line and "AZE MIL" in line and "Tovuz" in line for line in lines)


def test_code_cli_bad_inputs(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = run("code", str(tmp_path / "empty.txt"))
    assert result.returncode == 1 and "empty file" in result.stderr and "Traceback" not in result.stderr
    missing = run("code", str(tmp_path / "nope.txt"))
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_the_two_countries_resolves_to_the_other_named_country() -> None:
    events = code_text("Armenia accused Azerbaijan of shelling, and the two countries traded fire on Tuesday.",
                       published=dt.date(2020, 7, 16))
    pairs = {(e["actor1_country"], e["event_root_code"], e["actor2_country"]) for e in events}
    assert ("ARM", "11", "AZE") in pairs
    assert any(a == "AZE" and root in ("18", "19") and b == "ARM" for a, root, b in pairs)


def test_a_reported_event_replaces_the_bare_statement() -> None:
    """"Baku said Armenian troops shelled Tovuz" is the shelling; "Baku said so" alone is a statement (010)."""
    events = code_text("Azerbaijan's defence ministry said on July 14 that its forces shot down an Armenian drone.",
                       published=dt.date(2020, 7, 16))
    assert [(e["actor1_country"], e["actor1_role"], e["event_root_code"], e["actor2_country"]) for e in events] == [
        ("AZE", "MIL", "19", "ARM")]
    statement = code_text("Azerbaijan said Armenia was responsible.", published=dt.date(2020, 7, 16))
    assert [e["event_code"] for e in statement] == ["010"]


def test_passive_acts_are_coded_from_their_doer() -> None:
    events = code_text("Two Azerbaijani soldiers were killed in clashes with Armenian forces near Tovuz.",
                       published=dt.date(2020, 7, 14))
    killed = [e for e in events if e["event_code"] == "193"]  # "killed"; "clashes" (190) is mutual
    assert [(e["actor1_country"], e["actor2_country"]) for e in killed] == [("ARM", "AZE")]
    died = code_text("Azerbaijan said four of its soldiers died in the border clashes with Armenia.",
                     published=dt.date(2020, 7, 14))
    assert ("ARM", "AZE") in {(e["actor1_country"], e["actor2_country"]) for e in died if e["event_code"] == "190"}
    active = code_text("Azerbaijan is meeting with Armenia.", published=dt.date(2020, 7, 14))
    assert [(e["actor1_country"], e["actor2_country"]) for e in active] == [("AZE", "ARM"), ("ARM", "AZE")]  # issue 18


def test_coordinated_actors_each_get_an_event() -> None:
    def dyads(text: str) -> set[tuple[str, str, str]]:
        return {(e["actor1_country"], e["event_root_code"], e["actor2_country"])
                for e in code_text(text, published=dt.date(2020, 7, 14))}

    assert dyads("Kremlin spokesman Dmitry Peskov on Tuesday urged Armenia and Azerbaijan to exercise restraint.") == {
        ("RUS", "02", "ARM"), ("RUS", "02", "AZE")}
    assert dyads("Russia and Iran urged Armenia, Azerbaijan and Georgia to exercise restraint.") == {
        (a, "02", b) for a in ("RUS", "IRN") for b in ("ARM", "AZE", "GEO")}
    assert dyads("Armenian and Azerbaijani forces clashed near Tovuz.") == {("ARM", "19", "AZE"), ("AZE", "19", "ARM")}
    assert dyads("At first, Russia and Turkey did not interfere.") == {("RUS", "07", None), ("TUR", "07", None)}
    assert dyads("Russia's envoy met Armenia's foreign minister.") == {("RUS", "04", "ARM"), ("ARM", "04", "RUS")}


def test_hyphenated_partners_act_on_each_other() -> None:
    events = code_text("Erdogan and Aliyev signed a Turkish-Azerbaijani alliance pact in Shusha on Tuesday.",
                       published=dt.date(2021, 6, 16))
    assert {(e["actor1_country"], e["actor2_country"]) for e in events if e["event_root_code"] == "05"} == {
        ("TUR", "AZE"), ("AZE", "TUR")}


def test_asides_between_commas() -> None:
    def dyads(text: str) -> set[tuple[str | None, str, str | None]]:
        return {(e["actor1_country"], e["event_root_code"], e["actor2_country"])
                for e in code_text(text, published=dt.date(2004, 7, 14))}

    # An apposition describes (no "ally" event) and is not the subject of the verb after it.
    assert dyads("Pakistan, a key U.S. ally in the war against terrorism, has refused to deploy peacekeepers "
                 "in Iraq.") == {("PAK", "12", "IRQ")}
    # A relative clause reports its own event; its missing object or subject is the noun it hangs on.
    assert dyads("Armenia, which Azerbaijan attacked on Sunday, appealed to Russia.") == {
        ("AZE", "19", "ARM"), ("ARM", "02", "RUS")}
    assert ("AZE", "11", "ARM") in dyads("Baku, which accused Yerevan of shelling, asked Moscow for help.")
