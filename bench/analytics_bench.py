"""Analytics benchmark: one dyad's monthly series and an alignment over >= 20M synthetic events.

DuckDB (geodrift's queries on the store) next to the best pandas a user would write on the same
data (categorical actor columns, boolean masks, groupby on a month key), in the same run.
Targets (issue 5): >= 10x that pandas; < 100 ms for one dyad's monthly series.
The same store then times a full South Caucasus briefing (issue 6: < 10 s on >= 10M events), next to
the bare read of the rows it covers (the day's and its 90-day baseline's region events).
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from geodrift.analytics.alignment import alignment_events
from geodrift.analytics.dyads import dyad_series
from geodrift.codebooks import briefing_regions
from geodrift.report.briefing import build_briefing
from geodrift.report.render import write_document
from geodrift.store import Store

COUNTRIES = 200


def _codes() -> list[str]:
    """200 ISO3 codes, the most 'popular' (by synthetic volume) first: RUS, USA, CHN, TUR, AZE, ARM, ..."""
    import pycountry

    head = ["RUS", "USA", "CHN", "TUR", "AZE", "ARM", "GEO", "IRN", "FRA", "DEU"]
    rest = sorted(c.alpha_3 for c in pycountry.countries if c.alpha_3 not in head)
    return (head + rest)[:COUNTRIES]


def build(store: Store, rows: int, seed: int = 7) -> None:
    """Synthetic events: Zipf-distributed actor countries, 10 years, realistic codes and weights."""
    codes = "[" + ", ".join(f"'{c}'" for c in _codes()) + "]"
    store.con.execute(f"""
        INSERT INTO events (event_id, source, source_event_id, event_date, date_added, actor1_country,
                            actor2_country, event_code, event_root_code, quad_class, goldstein, num_sources,
                            file_id)
        WITH r AS (SELECT i, hash(i, {seed}) AS h1, hash(i, {seed + 1}) AS h2, hash(i, {seed + 2}) AS h3 FROM range({rows}) t(i)),
        c AS (SELECT i, h3,
                     ({codes})[CAST(floor(pow({COUNTRIES}, (h1 % 100000) / 100000.0)) AS INTEGER)] AS a1,
                     ({codes})[CAST(floor(pow({COUNTRIES}, (h2 % 100000) / 100000.0)) AS INTEGER)] AS a2
              FROM r)
        SELECT 'syn:' || i, 'synthetic', CAST(i AS VARCHAR),
               DATE '2011-01-01' + CAST(h3 % 3650 AS INTEGER), TIMESTAMP '2011-01-01',
               a1, a2, lpad(CAST(1 + h3 % 20 AS VARCHAR), 2, '0') || '0', lpad(CAST(1 + h3 % 20 AS VARCHAR), 2, '0'),
               CAST(CASE WHEN h3 % 20 < 4 THEN 1 WHEN h3 % 20 < 8 THEN 2 WHEN h3 % 20 < 13 THEN 3 ELSE 4 END AS TINYINT),
               ((h3 >> 8) % 200) / 10.0 - 10, CAST(1 + (h3 >> 16) % 4 AS INTEGER), 1
        FROM c""")
    store.con.execute("INSERT INTO ingested_files (file_id, format, location, checksum, rows_accepted, status, "
                      f"started_at) VALUES (1, 'synthetic', 'bench', 'synthetic', {rows}, 'done', now())")


def pandas_frame(store: Store) -> pd.DataFrame:
    frame = store.df("SELECT event_date, actor1_country, actor2_country, quad_class, goldstein, num_sources FROM events")
    for col in ("actor1_country", "actor2_country"):
        frame[col] = frame[col].astype("category")
    frame["month"] = frame["event_date"].values.astype("datetime64[M]")
    return frame


def pandas_dyad(frame: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    mask = ((frame.actor1_country == a) & (frame.actor2_country == b)) | (
        (frame.actor1_country == b) & (frame.actor2_country == a))
    sub = frame[mask]
    w = sub.num_sources
    return sub.assign(w=w, gw=sub.goldstein * w, q4=(sub.quad_class == 4) * w).groupby("month").agg(
        events=("w", "size"), weight=("w", "sum"), q4=("q4", "sum"), gw=("gw", "sum"))


def timed(fn: Callable[[], object], repeat: int = 5) -> float:
    """Median wall seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(rows: int = 20_000_000) -> None:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "a.duckdb") as store:
        start = time.perf_counter()
        build(store, rows)
        built = time.perf_counter() - start
        start = time.perf_counter()
        store.refresh_aggregates()
        store.optimize()
        print(f"analytics benchmark: {store.count_events():,} synthetic events (built in {built:.1f} s, "
              f"aggregated and sorted in {time.perf_counter() - start:.1f} s)")
        frame = pandas_frame(store)
        a, b, c = "AZE", "RUS", "TUR"
        ours = timed(lambda: dyad_series(store, a, b))
        theirs = timed(lambda: pandas_dyad(frame, a, b))
        ours_align = timed(lambda: alignment_events(store, a, b, c))
        theirs_align = timed(lambda: (pandas_dyad(frame, a, b), pandas_dyad(frame, a, c)))
        print(f"{'task':<36}{'geodrift ms':>12}{'pandas ms':>12}{'speed-up':>10}")
        print(f"{'one dyad, monthly series':<36}{ours * 1e3:>12.1f}{theirs * 1e3:>12.1f}{theirs / ours:>10.1f}")
        print(f"{'alignment events (two dyads)':<36}{ours_align * 1e3:>12.1f}{theirs_align * 1e3:>12.1f}"
              f"{theirs_align / ours_align:>10.1f}")
        print("targets: speed-up >= 10, one dyad's monthly series < 100 ms")
        briefing(store, Path(tmp))


def briefing(store: Store, tmp: Path) -> None:
    """One day's briefing (all sections, HTML + JSON written) against a bare read of its rows."""
    region, day = briefing_regions()["caucasus"], dt.date(2019, 7, 24)
    countries = "(" + ", ".join(f"'{c}'" for c in region.countries) + ")"

    def bare() -> None:
        store.df(f"SELECT * FROM events WHERE event_date >= DATE '{day - dt.timedelta(days=90)}' "
                 f"AND event_date <= DATE '{day}' AND actor1_country IN {countries} AND actor2_country IN {countries}")

    def full() -> None:
        document = build_briefing(store, day, region, tmp / "brief")
        write_document(document, tmp / "brief", "brief", ("html", "json"))

    ours, base = timed(full, repeat=3), timed(bare, repeat=3)
    print(f"briefing for one day ({region.name}, {store.count_events():,} events): {ours:.2f} s; bare read of its "
          f"rows {base:.2f} s; ratio {ours / base:.1f} (target < 10 s)")


if __name__ == "__main__":
    run(int(__import__("sys").argv[1]) if len(__import__("sys").argv) > 1 else 20_000_000)
