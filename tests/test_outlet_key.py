"""One outlet, one key (units_sql.OUTLET_KEY): www.azatutyun.am and azatutyun.am are one outlet wherever outlets are
counted, a cluster's corroboration (its weight and summary), the briefing's developments and the analysis's source
balance, tested on the real curated 2020 records.

The curated set names each record's outlet without "www."; a copy of it in which the records whose URL's host starts
"www." (or ends in a dot) name no outlet (so the key comes from the URL, as for a user's file without outlets) or name
it as their host does, must count exactly as the original. Before, 1,2 or 3 outlets of one site counted apart."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from geodrift.analytics.salience import developments
from geodrift.ingest import ingest_files
from geodrift.store import Store
from geodrift.units_sql import OUTLET_KEY

CURATED = "caucasus-2020-events/events.jsonl"


def _variant(shared: Path, folder: Path) -> tuple[Path, Path, int]:
    """The curated file, and its copy with the outlets of www. hosts left out or written as the host; how many
    records the copy changed."""
    lines = (shared / CURATED).read_text(encoding="utf-8").splitlines()
    changed, out = 0, []
    for number, line in enumerate(lines):
        record = json.loads(line)
        host = urlsplit(record.get("url") or "").netloc.split(":")[0]
        if record.get("outlet") and (host.startswith("www.") or host.endswith(".")):
            record["outlet"] = None if number % 2 else host
            changed += 1
        out.append(json.dumps(record))
    original, variant = folder / "original" / "events.jsonl", folder / "variant" / "events.jsonl"
    for path, text in ((original, lines), (variant, out)):
        path.parent.mkdir()
        path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return original, variant, changed


def test_www_and_bare_hosts_are_one_outlet_in_every_count(shared: Path, tmp_path: Path) -> None:
    original, variant, changed = _variant(shared, tmp_path)
    assert changed > 250, "the copy changes many real records"
    with Store() as plain, Store() as www:
        ingest_files(plain, [original])
        ingest_files(www, [variant])
        keys = www.df(f"SELECT DISTINCT {OUTLET_KEY} AS k FROM events").k.dropna()
        assert not keys.str.startswith("www.").any() and not keys.str.endswith(".").any()
        assert www.df(f"SELECT count(DISTINCT {OUTLET_KEY}) AS n FROM events").n[0] == \
            plain.df(f"SELECT count(DISTINCT {OUTLET_KEY}) AS n FROM events").n[0]
        # A cluster's corroboration: its distinct outlets and sources, as stored by clustering.
        summary = "SELECT cluster_id, sources, outlets FROM cluster_summary ORDER BY cluster_id"
        pd.testing.assert_frame_equal(www.df(summary), plain.df(summary))
        # The briefing's developments (salience): sources and outlets of each.
        window = ["ARM", "AZE", "GEO", "RUS", "TUR"], dt.date(2020, 9, 27), dt.date(2020, 11, 11)
        ours, theirs = developments(www, *window), developments(plain, *window)
        assert len(ours) > 20
        pd.testing.assert_frame_equal(ours[["a", "b", "root", "sources", "outlets", "salience"]],
                                      theirs[["a", "b", "root", "sources", "outlets", "salience"]])
        # The analysis's source balance counts outlets by the same key.
        balance = (f"SELECT count(DISTINCT {OUTLET_KEY}) AS outlets FROM events WHERE actor1_country = 'AZE' "
                   "OR actor2_country = 'AZE'")
        assert www.df(balance).outlets[0] == plain.df(balance).outlets[0]
