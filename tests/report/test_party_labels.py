"""Reader 7's L2: users see names, never raw role codes, "an unnamed party (IGO)" for a named body, or GDELT's
asterisks ("Abkhazia\\*\\*" once escaped by Markdown)."""

import os
import re
import subprocess
import sys
from pathlib import Path

from geodrift.codebooks import party_name
from geodrift.events import shown_place
from geodrift.report.citations import citations
from geodrift.store import Store


def test_parties_without_a_country_are_named(caucasus_store: Store) -> None:
    ids = caucasus_store.df("""SELECT event_id, actor2_role FROM events WHERE source = 'curated'
                               AND actor2_country IS NULL AND actor2_role IN ('REB', 'CVL', 'IGO')""")
    assert set(ids.actor2_role) == {"REB", "CVL", "IGO"}
    found = citations(caucasus_store, ids.event_id)
    summaries = [c.summary for c in found.values()]
    assert len(summaries) == len(ids)
    assert not [s for s in summaries if "unnamed party" in s or re.search(r"\((GOV|MIL|REB|CVL|IGO)\)", s)], summaries
    assert any("→ CSTO" in s or "→ Collective Security Treaty Organization" in s for s in summaries), summaries
    assert any("→ Nagorno-Karabakh" in s for s in summaries) and any("(military) →" in s for s in summaries)


def test_cameo_organisation_codes_read_as_names() -> None:
    assert party_name(None, "IGO", "IGOEUREEC") == "the European Union"  # the coder's table said "IGOEUREEC IGO"
    assert party_name(None, "IGO", "IGOCSTO") == "the CSTO"
    assert party_name(None, "IGO", "IGOUNOKID") == "UNICEF" and party_name(None, "IGO", "IGOUNOXYZ") == "the United Nations"
    assert party_name(None, "REB") == "unnamed rebels" and party_name(None, None) == "an unnamed party"
    assert party_name("AZE", "MIL", "AZEMIL") == "Azerbaijan"


def test_gdelt_disputed_province_marks_are_not_shown(caucasus_store: Store) -> None:
    places = caucasus_store.df("SELECT DISTINCT action_geo_name AS p FROM events WHERE action_geo_name LIKE '%**%'").p
    assert "Abkhazia, Abkhazia**, Georgia" in set(places)
    assert shown_place("Abkhazia, Abkhazia**, Georgia") == "Abkhazia, Georgia"
    assert not [p for p in map(shown_place, places) if "*" in p]


def test_the_coder_table_names_organisations(tmp_path: Path) -> None:
    """The reader's jermuk article gave "IGOEUREEC IGO" and "IGOCSTO IGO" in `geodrift code --format table`."""
    article = tmp_path / "michel.txt"
    article.write_text("BRUSSELS, Sept. 14, 2022 - European Council President Charles Michel spoke with Azerbaijani "
                       "President Ilham Aliyev by phone on Wednesday and urged a return to the negotiating table.\n",
                       encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "geodrift", "code", str(article), "--published", "2022-09-14",
                           "--format", "table"], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "COLUMNS": "200"})
    assert done.returncode == 0, done.stderr
    assert "European Union" in done.stdout and "IGO" not in done.stdout, done.stdout
    # the acting side is headed "actor", as the demo's table heads it: "source" names a dataset everywhere else
    header = next(line for line in done.stdout.splitlines() if "CAMEO" in line)
    assert "actor" in header and "target" in header and "source" not in header, header
