"""Delimited files go from DuckDB's reader straight into the store (geodrift.direct): the same events and
quarantine as reading the same SQL into Arrow batches and appending those, and as the Arrow-then-insert design
it replaced, on the real GDELT files."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

from geodrift import direct
from geodrift.ingest import ingest_files
from geodrift.sources.base import detect_format
from geodrift.store import FileAppend, Store

OLD_DESIGN = (105_438, "6b651085006b7c8f42873a1e4ba71532")
"""Count and MD5 of the Georgia events (sorted, as DuckDB text) ingested by the Arrow-then-insert design
(commit 9d98c1a), recorded before it was removed; a change of DuckDB's value formatting also changes it."""


def _georgia(shared: Path) -> list[Path]:
    return sorted((shared / "gdelt-v1-georgia-2011-2013").glob("*.csv.gz"))


def _fingerprint(store: Store) -> tuple[int, str]:
    count, digest = store.con.execute(
        "SELECT count(*), md5(string_agg(e::VARCHAR, chr(10) ORDER BY event_id)) "
        # the columns the old design stored: the date precisions came later (GDELT's are all 'day', checked below)
        "FROM (SELECT * EXCLUDE (file_id, event_date_precision, date_added_precision) FROM events) AS e").fetchall()[0]
    return int(count), str(digest)


def _arrow_path(store: Store, paths: list[Path]) -> None:
    for path in paths:
        with detect_format(path).open(path) as parsed:
            batches = list(parsed.batches)
            store.append_files([FileAppend("gdelt-csv", str(path), path.name, None, batches, parsed.rejected)])


def test_direct_ingest_keeps_the_events_of_the_design_it_replaced(shared: Path) -> None:
    with Store(":memory:") as store:
        results = ingest_files(store, _georgia(shared))
        assert all(r.status == "done" for r in results)
        assert _fingerprint(store) == OLD_DESIGN
        assert store.df("SELECT DISTINCT event_date_precision AS e, date_added_precision AS p FROM events").to_dict(
            "records") == [{"e": "day", "p": "day"}]


def test_direct_ingest_matches_the_arrow_batches_with_rejects(shared: Path, tmp_path: Path) -> None:
    # Two real files, one damaged: a short row, an unknown CAMEO code, a date out of range, a missing id.
    text = gzip.decompress((shared / "gdelt-v1-georgia-2011-2013" / "oct2011.csv.gz").read_bytes()).decode()
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    rows[5] = rows[5][:-4]
    rows[6][header.index("EventCode")] = "999"
    rows[7][header.index("SQLDATE")] = "17991231"
    rows[8][header.index("GLOBALEVENTID")] = "NA"
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(rows)
    bad = tmp_path / "oct2011-damaged.csv.gz"
    bad.write_bytes(gzip.compress(out.getvalue().encode()))
    paths = [shared / "gdelt-v1-georgia-2011-2013" / "nov2011.csv.gz", bad]
    with Store(":memory:") as direct, Store(":memory:") as arrow:
        results = ingest_files(direct, paths)
        _arrow_path(arrow, paths)
        assert [r.rejected for r in results] == [0, 4]
        for table in ("events", "quarantine"):
            a = direct.arrow(f"SELECT * EXCLUDE (file_id) FROM {table}")
            b = arrow.arrow(f"SELECT * EXCLUDE (file_id) FROM {table}")
            direct.con.register("other", b)
            assert a.num_rows == b.num_rows > 0
            assert direct.con.execute(f"SELECT count(*) FROM (SELECT * EXCLUDE (file_id) FROM {table} "
                                      "EXCEPT ALL SELECT * FROM other)").fetchall() == [(0,)]
        reasons = direct.df("SELECT line, reason FROM quarantine ORDER BY line NULLS LAST")
        for reason in ("MISSING COLUMNS", "CAST in field EventCode", "DATE OUT OF RANGE in field SQLDATE: 1799-12-31",
                       "MISSING VALUE in field GLOBALEVENTID"):
            assert reasons.reason.str.contains(reason).sum() == 1, (reason, list(reasons.reason))
        assert reasons.line.notna().sum() == 2  # malformed rows carry their line; unusable ones their text


def test_repeated_ids_keep_one_copy_within_a_group_and_across_groups(shared: Path, tmp_path: Path) -> None:
    lines = gzip.decompress((shared / "gdelt-v1-georgia-2011-2013" / "nov2011.csv.gz").read_bytes()).splitlines()
    repeated = tmp_path / "repeated.csv.gz"  # its line 3 twice
    repeated.write_bytes(gzip.compress(b"\n".join([*lines[:3], lines[2], *lines[3:]]) + b"\n"))
    later = tmp_path / "later.csv.gz"  # its first 100 rows again, in another file
    later.write_bytes(gzip.compress(b"\n".join(lines[:101]) + b"\n"))
    with Store(":memory:") as store:
        first, second = ingest_files(store, [repeated, later], group_rows=10**9)  # one group
        third, = ingest_files(store, [(shared / "gdelt-v1-georgia-2011-2013" / "nov2011.csv.gz")])
        assert (first.accepted, first.duplicate) == (len(lines) - 1, 1)
        assert (second.accepted, second.duplicate) == (0, 100)
        assert (third.accepted, third.duplicate) == (0, len(lines) - 1)
        assert store.count_events() == first.accepted
        assert store.con.execute("SELECT count(DISTINCT file_id) FROM events").fetchall() == [(1,)]


def test_the_duplicate_check_reads_the_files_whose_ids_meet_the_group_and_all_rows_without_ranges(
        shared: Path, tmp_path: Path) -> None:
    lines = gzip.decompress((shared / "gdelt-v1-georgia-2011-2013" / "nov2011.csv.gz").read_bytes()).splitlines()
    header, rows = lines[0], sorted(lines[1:], key=lambda line: line.split(b",")[0])  # by id as text
    parts = {}
    for name, chosen in (("low", rows[:200]), ("high", rows[-200:]), ("again", rows[150:250]),
                          ("more", rows[190:210])):
        parts[name] = tmp_path / f"{name}.csv.gz"
        parts[name].write_bytes(gzip.compress(b"\n".join([header, *chosen]) + b"\n"))
    with Store(":memory:") as store:
        low, high = ingest_files(store, [parts["low"], parts["high"]], group_rows=1)
        assert (low.accepted, high.accepted) == (200, 200)
        group = f"file_id BETWEEN {high.file_id} AND {high.file_id}"
        assert direct._scope(store.con, group) == group  # ids above every id of "low": it is not read
        store.con.execute("DELETE FROM event_id_ranges")  # as if the rows were written without their ranges
        again, = ingest_files(store, [parts["again"]])
        assert (again.accepted, again.duplicate) == (50, 50)  # found by reading every row
        group = f"file_id BETWEEN {again.file_id} AND {again.file_id}"
        assert direct._scope(store.con, group) == "TRUE"
        store.con.execute("DELETE FROM event_id_ranges")
        store.con.execute("INSERT INTO event_id_ranges SELECT file_id, min(event_id), max(event_id), count(*) "
                          "FROM events GROUP BY file_id")
        more, = ingest_files(store, [parts["more"]])  # 10 ids of "low", 10 of "again": both files are read
        assert (more.accepted, more.duplicate) == (0, 20)
